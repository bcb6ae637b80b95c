package bot_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

var noon = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newRunner(t testing.TB, s bot.Sessions) *bot.Runner {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRunner(bot.StaticDirectory{D: d}, s)
	r.Now = func() time.Time { return noon }
	return r
}

func send(t *testing.T, r *bot.Runner, conv, text string) bot.Response {
	t.Helper()
	resp, err := r.Handle(context.Background(), bot.Message{Channel: "test", Conversation: conv, Text: text})
	if err != nil {
		t.Fatalf("Handle(%q): %v", text, err)
	}
	return resp
}

func TestRunnerKeepsStatePerConversation(t *testing.T) {
	r := newRunner(t, &bot.MemorySessions{})
	send(t, r, "a", "/start")
	send(t, r, "b", "/start")
	send(t, r, "a", "my neighbours kids are left on their own and not fed") // a: asked where the person lives
	send(t, r, "b", "he hits me")
	// b is asked whether it is happening now; a's question is unchanged.
	resp := send(t, r, "a", "LU1")
	if resp.Route != directory.Route("safeguarding") {
		t.Errorf("conversation a: route %q, want safeguarding", resp.Route)
	}
	resp = send(t, r, "b", "no") // b: not happening now
	if resp.Route != directory.Route("domestic-abuse") {
		t.Errorf("conversation b: route %q, want domestic-abuse", resp.Route)
	}
	send(t, r, "c", "/start")
	resp = send(t, r, "c", "no") // c is at the menu: "no" is not an answer there
	if resp.Route != "" {
		t.Errorf("conversation c: route %q, want none (state leaked from a or b)", resp.Route)
	}
}

func TestRunnerSessionExpiry(t *testing.T) {
	sessions := &bot.MemorySessions{}
	r := newRunner(t, sessions)
	r.TTL = time.Hour
	send(t, r, "a", "/start")
	send(t, r, "a", "he hits me") // asks whether it is happening now
	later := noon.Add(2 * time.Hour)
	r.Now = func() time.Time { return later }
	// After expiry "no" means nothing: the conversation restarts politely.
	resp := send(t, r, "a", "no")
	if resp.Route != "" {
		t.Errorf("expired session still answered the old question: route %q", resp.Route)
	}
	if text := flows.RenderText(resp.Replies); !strings.Contains(text, "999") {
		t.Errorf("restart reply lacks the emergency line:\n%s", text)
	}
}

func TestRunnerForget(t *testing.T) {
	sessions := &bot.MemorySessions{}
	r := newRunner(t, sessions)
	send(t, r, "a", "/start")
	resp := send(t, r, "a", "/forget")
	if !resp.Forget {
		t.Fatal("Forget = false")
	}
	if _, ok, _ := sessions.Session(context.Background(), "test:a", noon); ok {
		t.Error("session still stored after /forget")
	}
}

// TestRunnerForgetSaysWhatItDeleted: the reply to /forget says whether
// there was a saved conversation to delete, and the runner leaves message
// deletion to the adapter.
func TestRunnerForgetSaysWhatItDeleted(t *testing.T) {
	tests := []struct {
		name string
		// before is sent first, at noon; /forget follows after wait.
		before []string
		wait   time.Duration
		want   bool // HadSession
		say    string
	}{
		{"session existed", []string{"/start", "/help"}, time.Minute, true, "I deleted what I remembered about this chat."},
		{"session expired", []string{"/start", "/help"}, 3 * time.Hour, false, "I had nothing saved about this chat."},
		{"session expired at exactly its TTL", []string{"/start"}, 2 * time.Hour, false, "I had nothing saved about this chat."},
		{"no session ever", nil, 0, false, "I had nothing saved about this chat."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sessions := &bot.MemorySessions{}
			r := newRunner(t, sessions)
			r.TTL = 2 * time.Hour
			for _, text := range tt.before {
				send(t, r, "a", text)
			}
			at := noon.Add(tt.wait)
			r.Now = func() time.Time { return at }
			resp := send(t, r, "a", "/forget")
			if !resp.Forget {
				t.Fatal("Forget = false, want true")
			}
			if got := resp.Forgotten; got != (flows.ForgetReport{HadSession: tt.want}) {
				t.Errorf("Forgotten = %+v, want HadSession %v and no message counts", got, tt.want)
			}
			text := flows.RenderText(resp.Replies)
			if !strings.Contains(text, tt.say) || !strings.Contains(text, "999") {
				t.Errorf("reply = %q, want it to say %q and carry the emergency number", text, tt.say)
			}
			if strings.Contains(text, "delete this chat in your app") {
				t.Errorf("reply tells the person to delete the chat, though nothing is known to remain:\n%s", text)
			}
			if _, ok, _ := sessions.Session(context.Background(), "test:a", at); ok {
				t.Error("session still stored after /forget")
			}
			// An adapter that deleted messages re-words the reply from the
			// same directory.
			again := resp.ForgetReplies(flows.ForgetReport{HadSession: tt.want, CanDeleteMessages: true, Deleted: 3})
			d, err := directory.Default()
			if err != nil {
				t.Fatal(err)
			}
			if got, want := flows.RenderText(again), flows.RenderText(flows.Forgotten(d, flows.ForgetReport{HadSession: tt.want, CanDeleteMessages: true, Deleted: 3})); got != want {
				t.Errorf("ForgetReplies =\n%s\nwant flows.Forgotten from the runner's directory:\n%s", got, want)
			}
		})
	}
}

// failingSessions fails every call.
type failingSessions struct{}

var errDisk = errors.New("disk on fire")

func (failingSessions) Session(context.Context, string, time.Time) ([]byte, bool, error) {
	return nil, false, errDisk
}
func (failingSessions) PutSession(context.Context, string, []byte, time.Time) error { return errDisk }
func (failingSessions) DeleteSession(context.Context, string) error                 { return errDisk }

func TestRunnerStorageFailureStillAnswers(t *testing.T) {
	var logs bytes.Buffer
	r := newRunner(t, failingSessions{})
	r.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	resp := send(t, r, "a", "someone is breaking in right now")
	if resp.Route != directory.RouteEmergency {
		t.Errorf("route %q, want emergency despite the storage failure", resp.Route)
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("storage error not logged: %s", logs.String())
	}
	resp = send(t, r, "a", "/forget")
	if resp.Forget {
		t.Error("Forget = true although the session could not be deleted")
	}
	if text := flows.RenderText(resp.Replies); !strings.Contains(text, "could not delete") || !strings.Contains(text, "999") {
		t.Errorf("failed /forget reply = %q", text)
	}
}

type nilDirectory struct{}

func (nilDirectory) Directory() *directory.Directory { return nil }

func TestRunnerRecoversFromPanic(t *testing.T) {
	var logs bytes.Buffer
	r := bot.NewRunner(nilDirectory{}, &bot.MemorySessions{})
	r.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	resp, err := r.Handle(context.Background(), bot.Message{Channel: "test", Conversation: "a", Text: "secret words"})
	if err != nil {
		t.Fatal(err)
	}
	text := flows.RenderText(resp.Replies)
	if !strings.Contains(text, "something went wrong") || !strings.Contains(text, "999") {
		t.Errorf("panic reply = %q, want an apology with 999", text)
	}
	if !strings.Contains(logs.String(), "conversation panicked") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if strings.Contains(logs.String(), "secret words") {
		t.Error("log contains the message text")
	}
}

type countingCounter struct {
	mu   sync.Mutex
	seen []string
}

func (c *countingCounter) CountRoute(_ context.Context, day, route string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, day+":"+route)
	return nil
}

func TestRunnerCountsRoutesByLondonDay(t *testing.T) {
	r := newRunner(t, &bot.MemorySessions{})
	c := &countingCounter{}
	r.Counter = c
	// 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
	r.Now = func() time.Time { return time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC) }
	send(t, r, "a", "graffiti on the bridge") // asks for the postcode district
	send(t, r, "a", "LU2")
	send(t, r, "a", "hello") // no route: not counted
	if got, want := strings.Join(c.seen, ","), "2026-07-01:environmental"; got != want {
		t.Errorf("counted %q, want %q", got, want)
	}
}

// TestRunnerLogsNoText sends a conversation with a unique marker and checks
// the marker and the raw chat id reach no log line.
func TestRunnerLogsNoText(t *testing.T) {
	const marker = "Xy9uniqueMarker"
	var logs bytes.Buffer
	r := newRunner(t, &bot.MemorySessions{})
	r.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	conv := "chat-" + marker
	for _, text := range []string{"/start", "6", "my bike " + marker + " was stolen", "no", "no", "LU1", "/forget"} {
		send(t, r, conv, text)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged")
	}
	if strings.Contains(logs.String(), marker) {
		t.Errorf("a log line contains the marker:\n%s", logs.String())
	}
	for _, want := range []string{`"route":"report-crime"`, `"channel":"test"`, `"chat":"`, `"duration":`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, logs.String())
		}
	}
}

// serialSessions detects two calls for the same key at once. Until calls
// for as many different keys as its keys field says are inside it at the
// same time, every call waits (up to waitAll, which only a runner that does
// not handle conversations in parallel reaches). That proves the
// parallelism without timing anything, and holds each early call open so
// that a second call for its key, were it let in, would overlap it.
type serialSessions struct {
	bot.MemorySessions
	keys int // distinct keys to see inside at once

	mu      sync.Mutex
	active  map[string]int
	overlap bool
	allIn   chan struct{} // closed when keys distinct keys were inside at once
}

const waitAll = 10 * time.Second

func newSerialSessions(keys int) *serialSessions {
	return &serialSessions{keys: keys, active: map[string]int{}, allIn: make(chan struct{})}
}

func (s *serialSessions) enter(key string) func() {
	s.mu.Lock()
	s.active[key]++
	if s.active[key] > 1 {
		s.overlap = true
	}
	if len(s.active) >= s.keys && !s.parallel() {
		close(s.allIn)
	}
	s.mu.Unlock()
	select {
	case <-s.allIn:
	case <-time.After(waitAll):
	}
	return func() {
		s.mu.Lock()
		if s.active[key]--; s.active[key] == 0 {
			delete(s.active, key)
		}
		s.mu.Unlock()
	}
}

// parallel reports whether the distinct keys were ever inside at once.
func (s *serialSessions) parallel() bool {
	select {
	case <-s.allIn:
		return true
	default:
		return false
	}
}

func (s *serialSessions) Session(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	defer s.enter(key)()
	return s.MemorySessions.Session(ctx, key, now)
}

func (s *serialSessions) PutSession(ctx context.Context, key string, data []byte, exp time.Time) error {
	defer s.enter(key)()
	return s.MemorySessions.PutSession(ctx, key, data, exp)
}

func TestRunnerSerialisesEachConversation(t *testing.T) {
	convs := []string{"a", "b", "c", "d"}
	s := newSerialSessions(len(convs))
	r := newRunner(t, s)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conv := convs[i%len(convs)]
			_, err := r.Handle(context.Background(), bot.Message{Channel: "test", Conversation: conv, Text: "2"})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.overlap {
		t.Error("two messages of one conversation were handled at once")
	}
	if !s.parallel() {
		t.Errorf("the %d conversations were never handled at once (waited %v)", len(convs), waitAll)
	}
}

func TestRunnerCancelledContext(t *testing.T) {
	r := newRunner(t, &bot.MemorySessions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Handle(ctx, bot.Message{Channel: "test", Conversation: "a", Text: "hi"}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
