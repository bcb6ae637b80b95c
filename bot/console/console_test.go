package console_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/console"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// Wednesday 25 November 2026, 14:00 in London: inside office hours.
var testNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// Replies the tests look for. They are the conversation's wording (flows),
// repeated here on purpose: a change of wording should be a visible diff.
const (
	welcome      = "Hello. I can tell you where to report something"
	menuQuestion = "What do you want to do?"
	reportQ      = "What do you want to report?"
	nowQ         = "Is this happening now?"
	emptyReply   = "I did not get any words there."
	unclearReply = "Sorry, I am not sure what you mean, and I do not want to guess."
	truncReply   = "That was a long message, so I only read the first part."
	englishOnly  = "Sorry, I cannot read that language yet."
	englishOnly9 = "call 999 even if you do not speak English"
	// dangerChoice is the menu's first choice, the way to the 999 answer;
	// the welcome's menu has it once, every later menu once more.
	dangerChoice = "\n  1. Someone is in danger now\n"
	crimeIntro   = "To report a crime when it is not an emergency:"
	police101    = "Police non-emergency line: Call 101"
	policeOnline = "https://www.bedfordshire.police.uk/report"
	moreIntro    = "Other places that can help:"
	crimestopper = "Crimestoppers: Call 0800 555 111"
	startAgain   = ". Start again\n"
)

// newRunner returns a real runner over the default directory with the clock
// fixed at testNow.
func newRunner(t *testing.T) *bot.Runner {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatalf("directory.Default: %v", err)
	}
	r := bot.NewRunner(bot.StaticDirectory{D: d}, &bot.MemorySessions{})
	r.Now = func() time.Time { return testNow }
	return r
}

// recorder passes messages to the real runner and keeps what it was given,
// so that tests can see exactly which text reached the conversation.
type recorder struct {
	h    console.Handler
	mu   sync.Mutex
	msgs []bot.Message
}

func (r *recorder) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return r.h.Handle(ctx, m)
}

func (r *recorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.msgs {
		out = append(out, m.Text)
	}
	return out
}

// runChat runs a whole chat over input with a deadline, and returns the
// output, the texts handed to the runner, and Run's error.
func runChat(t *testing.T, input io.Reader) (string, []string, error) {
	t.Helper()
	rec := &recorder{h: newRunner(t)}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := console.New(rec, input, &out).Run(ctx)
	return out.String(), rec.texts(), err
}

func TestRunConversations(t *testing.T) {
	long := strings.Repeat("my bike was stolen ", 200<<10/len("my bike was stolen "))
	if len(long) <= flows.MaxReadBytes || len(long) >= console.MaxLine {
		t.Fatalf("long line is %d bytes, want between flows.MaxReadBytes and console.MaxLine", len(long))
	}
	tests := []struct {
		name  string
		input string
		// want are fragments the output must contain; wantCount counts
		// fragments that must appear exactly n times.
		want      []string
		wantCount map[string]int
		// notWant must not appear in the output.
		notWant []string
		// sent is what the runner must receive after "/start", if set.
		sent []string
	}{
		{
			name:  "scripted report ends at EOF with the report-crime services",
			input: "2\n1\n1\n",
			want:  []string{welcome, reportQ, crimeIntro, policeOnline, police101, moreIntro, crimestopper, startAgain},
			sent:  []string{"2", "1", "1"},
		},
		{
			name:  "words ask the danger question, then give the report-crime services",
			input: "a lad hit me and nicked my phone at the bus stop\nno\n",
			want:  []string{nowQ, crimeIntro, policeOnline, police101},
			sent:  []string{"a lad hit me and nicked my phone at the bus stop", "no"},
		},
		{
			name:  "last line without newline is still answered",
			input: "2\n1\n1",
			want:  []string{policeOnline, police101, crimestopper},
			sent:  []string{"2", "1", "1"},
		},
		{
			name:  "CRLF line endings are stripped",
			input: "2\r\n1\r\n1\r\n",
			want:  []string{policeOnline, police101, crimestopper},
			sent:  []string{"2", "1", "1"},
		},
		{
			name:      "empty and whitespace-only lines get a clear reply",
			input:     "\n   \n\t \r\n",
			wantCount: map[string]int{emptyReply: 3},
			sent:      []string{"", "   ", "\t "},
		},
		{
			name:      "a line longer than flows.MaxReadBytes is read in part",
			input:     long + "\n",
			wantCount: map[string]int{truncReply: 1},
		},
		{
			name:      "invalid UTF-8 gets an answer",
			input:     "\xff\xfe\xfd \xc3\x28 \xed\xa0\x80\n",
			want:      []string{unclearReply},
			wantCount: map[string]int{dangerChoice: 2},
			notWant:   []string{"\xff", "\xfe", "\xed\xa0\x80"},
		},
		{
			name:    "control characters and escape sequences are never echoed",
			input:   "\x00\x1b[31mhello\x1b[0m\x07\x08\n\x1b]0;pwned\x07\n",
			want:    []string{unclearReply},
			notWant: []string{"\x1b", "\x00", "\x07", "\x08", "pwned"},
		},
		{
			name:      "emoji only",
			input:     "😀🙈🔥\n",
			want:      []string{unclearReply},
			wantCount: map[string]int{dangerChoice: 2},
			notWant:   []string{"😀", "🙈"},
		},
		{
			name:      "right-to-left Urdu is answered in Urdu, with 999",
			input:     "میرا فون چوری ہو گیا\n",
			want:      []string{lang.T("ur", "danger_line", "999"), "101", "English"},
			wantCount: map[string]int{dangerChoice: 1},
			notWant:   []string{"میرا", "چوری"},
		},
		{
			name:      "a script it cannot read gets an honest reply with 999",
			input:     "我的手机昨天在公园里被偷了\n",
			want:      []string{englishOnly, englishOnly9},
			wantCount: map[string]int{dangerChoice: 1},
			notWant:   []string{"手机"},
		},
		{
			name:      "markup characters are not echoed, and the words in it are read",
			input:     "<b>where</b> do I report *graffiti* on my _garden wall_ [photo](w) &amp;\n",
			want:      []string{"Where did it happen?"},
			wantCount: map[string]int{dangerChoice: 1},
			notWant:   []string{"<b>", "&amp;", "[photo](w)", "*graffiti*", "_garden wall_"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, sent, err := runChat(t, strings.NewReader(tt.input))
			if err != nil {
				t.Fatalf("Run: got error %v, want nil at end of input", err)
			}
			if !strings.HasPrefix(out, welcome) {
				t.Errorf("output starts %q, want the welcome %q", head(out), welcome)
			}
			if !utf8.ValidString(out) {
				t.Errorf("output is not valid UTF-8")
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q; got:\n%s", w, head(out))
				}
			}
			for w, n := range tt.wantCount {
				if got := strings.Count(out, w); got != n {
					t.Errorf("output has %q %d times, want %d; got:\n%s", w, got, n, head(out))
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output contains %q from the input; the bot must never echo input", w)
				}
			}
			if len(sent) == 0 || sent[0] != "/start" {
				t.Fatalf("first message to the runner: got %q, want /start", sent)
			}
			if tt.sent != nil && !slices.Equal(sent[1:], tt.sent) {
				t.Errorf("runner got %q, want %q", sent[1:], tt.sent)
			}
		})
	}
}

// A line longer than MaxLine reaches the conversation cut at MaxLine, the
// person is told it was read in part, and the next line is read whole.
func TestRunLineLongerThanMaxLine(t *testing.T) {
	long := strings.Repeat("a", console.MaxLine+300<<10)
	out, sent, err := runChat(t, strings.NewReader(long+"\n2\n"))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(sent) != 3 {
		t.Fatalf("runner got %d messages, want 3 (/start, the long line, 2)", len(sent))
	}
	if got := len(sent[1]); got != console.MaxLine {
		t.Errorf("long line reached the runner with %d bytes, want %d", got, console.MaxLine)
	}
	if sent[1] != long[:console.MaxLine] {
		t.Errorf("long line reached the runner changed, want its first MaxLine bytes")
	}
	if sent[2] != "2" {
		t.Errorf("line after the long one: got %q, want %q", head(sent[2]), "2")
	}
	if !strings.Contains(out, truncReply) {
		t.Errorf("output lacks %q", truncReply)
	}
	if !strings.HasSuffix(out, reportQ+"\n  1. A crime or anti-social behaviour\n  2. Fly-tipping, litter or graffiti\n  3. Someone was targeted for who they are\n  4. A scam or fraud\n  5. I reported anti-social behaviour and nothing changed\n  6. Back to the menu\n\n") {
		t.Errorf("the line after the long one was not answered as 2 (Report something); output ends:\n%s", tail(out))
	}
}

// With a Prompt the chat writes it before every read, and after the last
// line a newline so that the shell prompt starts on its own line.
func TestRunPromptBeforeEachRead(t *testing.T) {
	const prompt = "PROMPT> "
	var out bytes.Buffer
	c := console.New(newRunner(t), strings.NewReader("2\n1\n"), &out)
	c.Prompt = prompt
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	parts := strings.Split(out.String(), prompt)
	// welcome, reply to "2", reply to "1", and the end-of-input newline.
	if len(parts) != 4 {
		t.Fatalf("got %d prompts, want 3 (one per read); output:\n%s", len(parts)-1, out.String())
	}
	for i, want := range []string{welcome, reportQ, crimeIntro} {
		if !strings.HasPrefix(parts[i], want) {
			t.Errorf("segment %d starts %q, want %q", i, head(parts[i]), want)
		}
	}
	if parts[3] != "\n" {
		t.Errorf("after the last prompt: got %q, want %q", parts[3], "\n")
	}
}

// Interactively, the prompt is written before the chat waits: the test
// types each line only once it has seen the prompt.
func TestRunPromptInteractive(t *testing.T) {
	const prompt = "> "
	inR, inW := io.Pipe()
	defer inR.Close()
	out := newNotifyWriter(prompt)
	c := console.New(newRunner(t), inR, out)
	c.Prompt = prompt
	errc := make(chan error, 1)
	go func() { errc <- c.Run(context.Background()) }()

	for _, line := range []string{"2\n", "1\n", "1\n"} {
		select {
		case <-out.prompted:
		case <-time.After(5 * time.Second):
			t.Fatalf("no prompt before typing %q; output so far:\n%s", line, out.String())
		}
		if _, err := io.WriteString(inW, line); err != nil {
			t.Fatalf("typing %q: %v", line, err)
		}
	}
	select {
	case <-out.prompted:
	case <-time.After(5 * time.Second):
		t.Fatalf("no prompt after the last line; output so far:\n%s", out.String())
	}
	inW.Close()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after end of input")
	}
	if got := out.String(); !strings.Contains(got, crimestopper) {
		t.Errorf("output lacks %q, the answer to the last line:\n%s", crimestopper, got)
	}
}

func TestRunContext(t *testing.T) {
	t.Run("cancelled while waiting for input returns context.Canceled", func(t *testing.T) {
		inR, inW := io.Pipe() // never written
		defer inW.Close()
		out := newNotifyWriter(menuQuestion)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		errc := make(chan error, 1)
		go func() { errc <- console.New(newRunner(t), inR, out).Run(ctx) }()
		select {
		case <-out.prompted:
		case <-time.After(5 * time.Second):
			t.Fatal("no welcome within 5s")
		}
		start := time.Now()
		cancel()
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run: got %v, want context.Canceled", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("Run took %v to return after cancel, want promptly", d)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5s of cancel while blocked on input")
		}
	})
	t.Run("already cancelled returns context.Canceled without output", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out bytes.Buffer
		err := console.New(newRunner(t), strings.NewReader("2\n"), &out).Run(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run: got %v, want context.Canceled", err)
		}
		if out.Len() != 0 {
			t.Errorf("output: got %q, want none", out.String())
		}
	})
}

func TestRunErrors(t *testing.T) {
	errRead := errors.New("disk on fire")
	t.Run("read error after a line answers it then returns the error", func(t *testing.T) {
		in := io.MultiReader(strings.NewReader("2\n"), iotest.ErrReader(errRead))
		out, _, err := runChat(t, in)
		if !errors.Is(err, errRead) {
			t.Errorf("Run: got %v, want an error wrapping %v", err, errRead)
		}
		if !strings.Contains(out, reportQ) {
			t.Errorf("the line before the error was not answered; output:\n%s", out)
		}
	})
	t.Run("read error in a partial line answers it then returns the error", func(t *testing.T) {
		in := io.MultiReader(strings.NewReader("2"), iotest.ErrReader(errRead))
		out, sent, err := runChat(t, in)
		if !errors.Is(err, errRead) {
			t.Errorf("Run: got %v, want an error wrapping %v", err, errRead)
		}
		if !slices.Equal(sent, []string{"/start", "2"}) {
			t.Errorf("runner got %q, want /start and 2", sent)
		}
		if !strings.Contains(out, reportQ) {
			t.Errorf("the partial line was not answered; output:\n%s", out)
		}
	})
	t.Run("write error is returned", func(t *testing.T) {
		errWrite := errors.New("terminal gone")
		err := console.New(newRunner(t), strings.NewReader("2\n"), failWriter{errWrite}).Run(context.Background())
		if !errors.Is(err, errWrite) {
			t.Errorf("Run: got %v, want an error wrapping %v", err, errWrite)
		}
	})
}

func TestRunConversationName(t *testing.T) {
	tests := []struct {
		name, conv, want string
	}{
		{"default is terminal", "", "terminal"},
		{"set is used", "alice", "alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{h: newRunner(t)}
			c := console.New(rec, strings.NewReader("2\n"), io.Discard)
			c.Conversation = tt.conv
			if err := c.Run(context.Background()); err != nil {
				t.Fatalf("Run: %v", err)
			}
			for _, m := range rec.msgs {
				if m.Channel != "console" || m.Conversation != tt.want {
					t.Errorf("message %q: got channel %q conversation %q, want console %q", m.Text, m.Channel, m.Conversation, tt.want)
				}
			}
		})
	}
}

// fixedHandler answers every message with the same replies.
type fixedHandler []flows.Reply

func (f fixedHandler) Handle(context.Context, bot.Message) (bot.Response, error) {
	return bot.Response{Replies: f}, nil
}

// TestRunWrapsToWidth: replies are wrapped to Chat.Width (80 when 0, none
// when negative) without losing or cutting a word, a web or email address
// or a phone number, and numbered choices keep their indent.
func TestRunWrapsToWidth(t *testing.T) {
	const (
		url   = "https://www.bedfordshire.police.uk/report/anti-social-behaviour"
		phone = "0808 2000 247"
		email = "info@signpostforbedfordshire.com"
	)
	replies := fixedHandler{
		{Heading: "Police non-emergency: 101", Text: "The police non-emergency number: report crime, anti-social behaviour or information about crime when it is not an emergency.\n\nWebsite (Report online): " + url + "\nPhone (24/7 helpline, free from landlines and mobiles): " + phone + "\nEmail (we answer within two working days): " + email},
		{Text: "If you are in danger now or a crime is happening, call 999. If you cannot speak, call 999, listen to the operator and press 55 when asked.", Choices: []flows.Choice{
			{ID: "a", Label: "Fly-tipping, graffiti, litter or another environmental problem"},
			{ID: "b", Label: "Someone was targeted because of who they are, or a hate crime"},
		}},
	}
	run := func(t *testing.T, h console.Handler, width int) string {
		t.Helper()
		var out bytes.Buffer
		c := console.New(h, strings.NewReader("hello\n"), &out)
		c.Width = width
		if err := c.Run(context.Background()); err != nil {
			t.Fatalf("Run: %v", err)
		}
		return out.String()
	}
	tests := []struct {
		name    string
		width   int
		longest int // the longest line allowed, but for one unbreakable unit
	}{
		{"default is 80 columns", 0, 80},
		{"80 columns", 80, 80},
		{"40 columns", 40, 40},
		{"20 columns", 20, 20},
		{"negative is no wrapping", -1, 1 << 20},
	}
	unwrapped := run(t, replies, -1)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := run(t, replies, tt.width)
			for _, line := range strings.Split(out, "\n") {
				if utf8.RuneCountInString(line) <= tt.longest {
					continue
				}
				if unit := strings.TrimSpace(line); strings.Contains(unit, " ") && tt.width > 0 {
					t.Errorf("line of %d characters, want at most %d or one unbreakable word: %q", utf8.RuneCountInString(line), tt.longest, line)
				}
			}
			for _, w := range []string{url, phone, email} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q whole:\n%s", w, out)
				}
			}
			if got, want := strings.Fields(out), strings.Fields(unwrapped); !slices.Equal(got, want) {
				t.Errorf("wrapping changed the words:\n%s", out)
			}
			if !strings.Contains(out, "\n  1. Fly-tipping,") || !strings.Contains(out, "\n  2. Someone") {
				t.Errorf("numbered choices lost their place:\n%s", out)
			}
			if tt.width == 20 && !strings.Contains(out, "\n  1. Fly-tipping,\n     graffiti,\n") {
				t.Errorf("a choice does not continue under its first word:\n%s", out)
			}
			if tt.width < 0 && out != unwrapped {
				t.Errorf("output changed without wrapping")
			}
		})
	}
	// The real conversation keeps every word at 20 columns too.
	if got, want := strings.Fields(run(t, newRunner(t), 20)), strings.Fields(run(t, newRunner(t), -1)); !slices.Equal(got, want) {
		t.Errorf("wrapping the conversation changed its words")
	}
}

func TestReadLine(t *testing.T) {
	tests := []struct {
		name  string
		input string
		max   int
		// want are the successive (text, truncated, EOF) results.
		want []readResult
	}{
		{"exactly max", "abcd\nxy\n", 4, []readResult{{"abcd", false, false}, {"xy", false, false}, {"", false, true}}},
		{"max+1 is cut", "abcde\nxy\n", 4, []readResult{{"abcd", true, false}, {"xy", false, false}, {"", false, true}}},
		{"much longer than max is cut", strings.Repeat("z", 100) + "\nxy", 4, []readResult{{"zzzz", true, false}, {"xy", false, true}}},
		{"CRLF is stripped", "ab\r\ncd\r\n", 4, []readResult{{"ab", false, false}, {"cd", false, false}, {"", false, true}}},
		{"CRLF at exactly max", "abcd\r\nxy\r\n", 4, []readResult{{"abcd", false, false}, {"xy", false, false}, {"", false, true}}},
		{"CRLF after max+1", "abcde\r\nxy\r\n", 4, []readResult{{"abcd", true, false}, {"xy", false, false}, {"", false, true}}},
		{"lone CR inside a line is kept", "a\rb\n", 4, []readResult{{"a\rb", false, false}, {"", false, true}}},
		{"EOF without newline", "abc", 4, []readResult{{"abc", false, true}}},
		{"EOF without newline at exactly max", "abcd", 4, []readResult{{"abcd", false, true}}},
		{"EOF without newline past max", "abcdef", 4, []readResult{{"abcd", true, true}}},
		{"empty input", "", 4, []readResult{{"", false, true}}},
		{"empty lines", "\n\r\n", 4, []readResult{{"", false, false}, {"", false, false}, {"", false, true}}},
		{"max zero", "abc\n\n", 0, []readResult{{"", true, false}, {"", false, false}, {"", false, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A buffer smaller than the lines, so that ReadSlice fills up.
			r := bufio.NewReaderSize(strings.NewReader(tt.input), 16)
			for i, want := range tt.want {
				text, truncated, err := console.ReadLine(r, tt.max)
				if err != nil && !errors.Is(err, io.EOF) {
					t.Fatalf("read %d: unexpected error %v", i, err)
				}
				got := readResult{text, truncated, errors.Is(err, io.EOF)}
				if got != want {
					t.Errorf("read %d: got %+v, want %+v", i, got, want)
				}
			}
		})
	}
}

// ReadLine with lines far longer than the reader's buffer, around the
// sizes the chat uses.
func TestReadLineLarge(t *testing.T) {
	const max = 100 << 10
	tests := []struct {
		name          string
		n             int
		eol           string
		wantLen       int
		wantTruncated bool
	}{
		{"exactly max LF", max, "\n", max, false},
		{"exactly max CRLF", max, "\r\n", max, false},
		{"max+1 LF", max + 1, "\n", max, true},
		{"max+1 CRLF", max + 1, "\r\n", max, true},
		{"twice max", 2 * max, "\n", max, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := strings.Repeat("x", tt.n)
			r := bufio.NewReaderSize(strings.NewReader(line+tt.eol+"next\n"), 4096)
			text, truncated, err := console.ReadLine(r, max)
			if err != nil {
				t.Fatalf("ReadLine: %v", err)
			}
			if len(text) != tt.wantLen || truncated != tt.wantTruncated {
				t.Errorf("got %d bytes, truncated %v; want %d, %v", len(text), truncated, tt.wantLen, tt.wantTruncated)
			}
			if strings.Trim(text, "x") != "" {
				t.Errorf("text holds more than the line's bytes")
			}
			next, _, err := console.ReadLine(r, max)
			if err != nil || next != "next" {
				t.Errorf("next line: got %q, %v; want %q, nil", next, err, "next")
			}
		})
	}
}

type readResult struct {
	Text      string
	Truncated bool
	EOF       bool
}

// notifyWriter is a concurrency-safe buffer that signals each time a write
// contains marker.
type notifyWriter struct {
	marker   string
	prompted chan struct{}
	mu       sync.Mutex
	b        bytes.Buffer
}

func newNotifyWriter(marker string) *notifyWriter {
	return &notifyWriter{marker: marker, prompted: make(chan struct{}, 100)}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	if strings.Contains(string(p), w.marker) {
		w.prompted <- struct{}{}
	}
	return n, err
}

func (w *notifyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

// head and tail shorten long output for messages.
func head(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}
