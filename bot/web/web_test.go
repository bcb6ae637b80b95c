package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
)

// countingSessions is bot.MemorySessions that counts writes and keeps
// every value written, so that tests can say what was stored.
type countingSessions struct {
	bot.MemorySessions
	puts    atomic.Int64
	deletes atomic.Int64
	mu      sync.Mutex
	written [][]byte
}

func (s *countingSessions) PutSession(ctx context.Context, key string, data []byte, expires time.Time) error {
	s.puts.Add(1)
	s.mu.Lock()
	s.written = append(s.written, append([]byte(key+"="), data...))
	s.mu.Unlock()
	return s.MemorySessions.PutSession(ctx, key, data, expires)
}

func (s *countingSessions) DeleteSession(ctx context.Context, key string) error {
	s.deletes.Add(1)
	return s.MemorySessions.DeleteSession(ctx, key)
}

func (s *countingSessions) all() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Join(s.written, []byte("\n"))
}

// fixture is a web chat on the real runner and the default directory.
type fixture struct {
	chat     *Chat
	h        http.Handler
	sessions *countingSessions
	runner   *bot.Runner
	logs     *syncBuffer
	now      time.Time
	nowMu    sync.Mutex
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var (
	defaultDirOnce sync.Once
	defaultDir     *directory.Directory
)

func testDirectory(t testing.TB) *directory.Directory {
	defaultDirOnce.Do(func() {
		d, err := directory.Default()
		if err != nil {
			panic(err)
		}
		defaultDir = d
	})
	return defaultDir
}

func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	f := &fixture{sessions: &countingSessions{}, logs: &syncBuffer{}, now: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
	log := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	dir := bot.StaticDirectory{D: testDirectory(t)}
	f.runner = bot.NewRunner(dir, f.sessions)
	f.runner.Logger = log
	f.runner.Now = f.clock
	cfg.Logger = log
	cfg.Directory = dir
	cfg.Now = f.clock
	c, err := New(cfg, f.runner)
	if err != nil {
		t.Fatal(err)
	}
	f.chat, f.h = c, c.Handler()
	return f
}

func (f *fixture) clock() time.Time {
	f.nowMu.Lock()
	defer f.nowMu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.nowMu.Lock()
	defer f.nowMu.Unlock()
	f.now = f.now.Add(d)
}

// result is one response.
type result struct {
	code   int
	header http.Header
	body   string
}

func (f *fixture) do(t testing.TB, req *http.Request) result {
	t.Helper()
	if req.RemoteAddr == "" || req.RemoteAddr == "192.0.2.1:1234" {
		req.RemoteAddr = "198.51.100.7:4000"
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return result{rec.Code, rec.Result().Header, rec.Body.String()}
}

func (f *fixture) get(t testing.TB, target string) result {
	return f.do(t, httptest.NewRequest("GET", target, nil))
}

func (f *fixture) post(t testing.TB, form url.Values) result {
	req := httptest.NewRequest("POST", "/chat", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.do(t, req)
}

var tokenRE = regexp.MustCompile(`name="c" value="([A-Za-z0-9_-]+)"`)

func tokenOf(t testing.TB, body string) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no conversation token in the page:\n%s", body)
	}
	return m[1]
}

// choiceID finds the button whose label contains label.
func choiceID(t testing.TB, body, label string) string {
	t.Helper()
	re := regexp.MustCompile(`<button type="submit" name="choice" value="([^"]+)">([^<]*)</button>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[2], label) {
			return m[1]
		}
	}
	t.Fatalf("no button %q in the page:\n%s", label, body)
	return ""
}

func TestStartPage(t *testing.T) {
	f := newFixture(t, Config{})
	r := f.get(t, "/chat")
	if r.code != 200 {
		t.Fatalf("GET /chat: got %d, want 200", r.code)
	}
	for k, want := range map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-store",
		"Referrer-Policy":         "no-referrer",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "SAMEORIGIN",
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
	} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s: got %q, want %q", k, got, want)
		}
	}
	if c := r.header.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("the page sets cookies: %v", c)
	}
	for _, want := range []string{
		`<html lang="en" dir="ltr">`,
		`<title>Where to report or get help in Luton</title>`,
		`class="msg bot" lang="en" dir="ltr"`,
		`<a href="tel:999">999</a>`,
		`href="https://www.bbc.co.uk/weather"`,
		`>Quick exit</a>`,
		`name="choice" value="grp:report">Report something</button>`,
		`<label for="text">Type your message</label>`,
		`>Clear this conversation</button>`,
		`<noscript>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if m := regexp.MustCompile(`<script>|<style|style=| on[a-z]+=|javascript:`).FindString(r.body); m != "" {
		t.Errorf("the page has inline code %q", m)
	}
	if strings.Contains(r.body, "localStorage") {
		t.Error("the page mentions localStorage")
	}
	tok := tokenOf(t, r.body)
	if len(tok) != 54 {
		t.Errorf("token length: got %d, want 54 (40 bytes in base64url)", len(tok))
	}
	if f.sessions.puts.Load() != 1 {
		t.Errorf("sessions written: got %d, want 1", f.sessions.puts.Load())
	}
	// Two visits are two conversations.
	if tok2 := tokenOf(t, f.get(t, "/chat").body); tok2 == tok {
		t.Error("two visits got the same conversation token")
	}
}

func TestDeepLinks(t *testing.T) {
	f := newFixture(t, Config{})
	tests := []struct {
		name, target, want, notWant string
	}{
		{"a route opens at once", "/chat?start=hate-crime", "True Vision", "What do you want to do?"},
		{"an unknown route greets", "/chat?start=no-such-route", "What do you want to do?", "True Vision"},
		{"markup is never echoed", "/chat?start=%3Cscript%3Ealert(1)%3C/script%3E", "What do you want to do?", "alert(1)"},
		{"an overlong id greets", "/chat?start=" + strings.Repeat("a", 100), "What do you want to do?", strings.Repeat("a", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.get(t, tt.target)
			if r.code != 200 || !strings.Contains(r.body, tt.want) || strings.Contains(r.body, tt.notWant) {
				t.Errorf("got %d, want 200 with %q and without %q:\n%s", r.code, tt.want, tt.notWant, r.body)
			}
		})
	}
}

// The whole no-JavaScript path: type, press buttons, reach the council's
// number as a tel: link.
func TestConversationReachesTheCouncil(t *testing.T) {
	f := newFixture(t, Config{})
	r := f.get(t, "/chat")
	tok := tokenOf(t, r.body)

	r = f.post(t, url.Values{"c": {tok}, "text": {"someone dumped rubbish in my street"}})
	if r.code != 200 || !strings.Contains(r.body, "Where did it happen?") {
		t.Fatalf("after the message: got %d, want the place question:\n%s", r.code, r.body)
	}
	if !strings.Contains(r.body, `<div class="msg me" dir="auto">`) || !strings.Contains(r.body, "someone dumped rubbish in my street") {
		t.Errorf("the page does not show what was typed")
	}
	tok2 := tokenOf(t, r.body)
	r = f.post(t, url.Values{"c": {tok2}, "choice": {choiceID(t, r.body, "In Luton")}})
	if r.code != 200 {
		t.Fatalf("pressing In Luton: got %d", r.code)
	}
	for _, want := range []string{
		`<h2>Luton Council: `,
		`<a href="tel:01582510330">01582 510 330</a>`,
		`<a class="btn" href="https://www.luton.gov.uk" target="_blank" rel="noopener noreferrer">`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the answer lacks %s:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, `class="msg me"`) {
		t.Error("a button press is echoed as typed text")
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, Config{})
	tok := tokenOf(t, f.get(t, "/chat").body)
	other, err := New(Config{}, f.runner) // another key
	if err != nil {
		t.Fatal(err)
	}
	foreign := other.seal.seal(newID(), f.now.Add(time.Hour))
	flipped := []byte(tok)
	flipped[3] ^= 1

	type req struct {
		name     string
		ctype    string
		body     string
		code     int
		want     string
		runsTurn bool
	}
	tests := []req{
		{"empty body", "application/x-www-form-urlencoded", "", 200, "I did not get any words there.", true},
		{"empty text", "application/x-www-form-urlencoded", url.Values{"c": {tok}, "text": {""}}.Encode(), 200, "I did not get any words there.", true},
		{"markup is escaped", "application/x-www-form-urlencoded", url.Values{"c": {tok}, "text": {`<script>alert("x")</script><img src=x onerror=alert(1)>`}}.Encode(), 200, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;", true},
		{"invalid UTF-8", "application/x-www-form-urlencoded", "c=" + tok + "&text=%ff%fe%c0abc", 200, "abc", true},
		{"huge body", "application/x-www-form-urlencoded", "c=" + tok + "&text=" + strings.Repeat("a", 70<<10), 413, "too long", false},
		{"a long message within the limit", "application/x-www-form-urlencoded", url.Values{"c": {tok}, "text": {strings.Repeat("graffiti ", 3000)}}.Encode(), 200, "I only read the first part", true},
		{"JSON", "application/json", `{"text":"hello"}`, 415, "use the chat page", false},
		{"invalid JSON", "application/json", `{"text":`, 415, "use the chat page", false},
		{"multipart", "multipart/form-data; boundary=x", "--x--", 415, "use the chat page", false},
		{"no content type", "", "text=hello", 415, "use the chat page", false},
		{"malformed form", "application/x-www-form-urlencoded", "c=%zz", 400, "I could not read that", false},
		{"forged token", "application/x-www-form-urlencoded", url.Values{"c": {strings.Repeat("A", 54)}, "text": {"hi"}}.Encode(), 400, "Start a new chat", false},
		{"altered token", "application/x-www-form-urlencoded", url.Values{"c": {string(flipped)}, "text": {"hi"}}.Encode(), 400, "Start a new chat", false},
		{"another key's token", "application/x-www-form-urlencoded", url.Values{"c": {foreign}, "text": {"hi"}}.Encode(), 400, "Start a new chat", false},
		{"a token of the wrong length", "application/x-www-form-urlencoded", url.Values{"c": {"abc"}, "text": {"hi"}}.Encode(), 400, "Start a new chat", false},
		{"an overlong button id", "application/x-www-form-urlencoded", url.Values{"c": {tok}, "choice": {strings.Repeat("x", 300)}}.Encode(), 400, "I could not read that", false},
		{"an unknown button", "application/x-www-form-urlencoded", url.Values{"c": {tok}, "choice": {"nope:<b>"}}.Encode(), 200, "What do you want to do?", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.sessions.puts.Load()
			req := httptest.NewRequest("POST", "/chat", strings.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			r := f.do(t, req)
			if r.code != tt.code || !strings.Contains(r.body, tt.want) {
				t.Errorf("got %d, want %d with %q:\n%s", r.code, tt.code, tt.want, r.body)
			}
			if !utf8.ValidString(r.body) {
				t.Error("the page is not valid UTF-8")
			}
			if r.code != 200 && !strings.Contains(r.body, `<a href="tel:999">999</a>`) {
				t.Error("a refusal without the 999 line")
			}
			if r.header.Get("Content-Security-Policy") == "" {
				t.Error("a page without a CSP")
			}
			stored := f.sessions.puts.Load() - before
			if tt.runsTurn && stored != 1 || !tt.runsTurn && stored != 0 {
				t.Errorf("sessions written: %d (turn expected: %v)", stored, tt.runsTurn)
			}
			if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
				t.Error("input echoed unescaped")
			}
		})
	}
}

func TestExpiredTokenStartsAgain(t *testing.T) {
	f := newFixture(t, Config{SessionTTL: time.Hour})
	tok := tokenOf(t, f.get(t, "/chat").body)
	f.advance(61 * time.Minute)
	r := f.post(t, url.Values{"c": {tok}, "text": {"1"}})
	if r.code != 200 {
		t.Fatalf("got %d, want 200: an expired conversation begins again", r.code)
	}
	id, err := f.chat.seal.open(tokenOf(t, r.body), f.now)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := f.chat.seal.open(tok, f.now)
	if id == old {
		t.Error("an expired conversation id was used again")
	}
}

func TestClearThisConversation(t *testing.T) {
	f := newFixture(t, Config{})
	r := f.get(t, "/chat")
	tok := tokenOf(t, r.body)
	r = f.post(t, url.Values{"c": {tok}, "text": {"fly tipping"}})
	tok = tokenOf(t, r.body)
	id, _ := f.chat.seal.open(tok, f.now)

	t.Run("without JavaScript", func(t *testing.T) {
		r := f.post(t, url.Values{"c": {tok}, "forget": {"1"}})
		for _, want := range []string{"I deleted what I remembered about this chat.", "I can&#39;t delete the messages here.", "earlier pages of this chat", `<a href="tel:999">999</a>`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the answer lacks %q:\n%s", want, r.body)
			}
		}
		if _, ok, _ := f.sessions.Session(context.Background(), "web:"+id.String(), f.now); ok {
			t.Error("the session is still there")
		}
		next, _ := f.chat.seal.open(tokenOf(t, r.body), f.now)
		if next == id {
			t.Error("the conversation goes on under the forgotten id")
		}
	})
	t.Run("with the script, which cleared the page", func(t *testing.T) {
		r := f.post(t, url.Values{"c": {tok}, "forget": {"1"}, "cleared": {"4"}})
		for _, want := range []string{"I had nothing saved about this chat.", "I also deleted 4 messages from this chat."} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the answer lacks %q:\n%s", want, r.body)
			}
		}
	})
}

func TestFloodIsRefused(t *testing.T) {
	f := newFixture(t, Config{})
	tok := tokenOf(t, f.get(t, "/chat").body)
	codes := map[int]int{}
	before := f.sessions.puts.Load()
	var last result
	for i := 0; i < 10_000; i++ {
		req := httptest.NewRequest("POST", "/chat", strings.NewReader(url.Values{"c": {tok}, "text": {"hello"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "203.0.113.9:5555"
		r := f.do(t, req)
		codes[r.code]++
		if r.code == 429 {
			last = r
		}
	}
	if codes[200] != DefaultBurst || codes[429] != 10_000-DefaultBurst {
		t.Errorf("codes: got %v, want %d 200 then 429", codes, DefaultBurst)
	}
	if stored := f.sessions.puts.Load() - before; stored != DefaultBurst {
		t.Errorf("sessions written during the flood: got %d, want %d", stored, DefaultBurst)
	}
	if last.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After: got %q, want 2", last.header.Get("Retry-After"))
	}
	if !strings.Contains(last.body, "Wait a minute") || !strings.Contains(last.body, `<a href="tel:999">999</a>`) {
		t.Errorf("the 429 page does not say what to do:\n%s", last.body)
	}
	// Another address is answered; an IPv6 neighbour in the same /64
	// shares a bucket, one in another /64 does not.
	for _, tc := range []struct {
		addr string
		want int
	}{{"203.0.113.10:1", 200}} {
		req := httptest.NewRequest("GET", "/chat", nil)
		req.RemoteAddr = tc.addr
		if r := f.do(t, req); r.code != tc.want {
			t.Errorf("%s: got %d, want %d", tc.addr, r.code, tc.want)
		}
	}
	// The bucket refills with time.
	f.advance(10 * time.Second)
	req := httptest.NewRequest("GET", "/chat", nil)
	req.RemoteAddr = "203.0.113.9:5555"
	if r := f.do(t, req); r.code != 200 {
		t.Errorf("after waiting: got %d, want 200", r.code)
	}
}

func TestIPv6SharesBucketsBySlash64(t *testing.T) {
	f := newFixture(t, Config{Burst: 2})
	hit := func(addr string) int {
		req := httptest.NewRequest("GET", "/chat", nil)
		req.RemoteAddr = addr
		return f.do(t, req).code
	}
	hit("[2001:db8:1:2::1]:1")
	hit("[2001:db8:1:2::2]:1")
	if got := hit("[2001:db8:1:2:ffff::3]:1"); got != 429 {
		t.Errorf("a third address in the same /64: got %d, want 429", got)
	}
	if got := hit("[2001:db8:1:3::1]:1"); got != 200 {
		t.Errorf("another /64: got %d, want 200", got)
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t, Config{ExitURL: "https://example.org/weather?a=1&b=2"})
	for _, tc := range []struct{ path, ctype, corp string }{
		{"/chat/chat.js", "text/javascript; charset=utf-8", "same-origin"},
		{"/chat/chat.css", "text/css; charset=utf-8", "same-origin"},
		{"/chat/widget.js", "text/javascript; charset=utf-8", "cross-origin"},
	} {
		r := f.get(t, tc.path)
		if r.code != 200 || r.header.Get("Content-Type") != tc.ctype || r.header.Get("Cross-Origin-Resource-Policy") != tc.corp {
			t.Errorf("%s: got %d %q CORP %q", tc.path, r.code, r.header.Get("Content-Type"), r.header.Get("Cross-Origin-Resource-Policy"))
		}
		req := httptest.NewRequest("GET", tc.path, nil)
		req.Header.Set("If-None-Match", r.header.Get("ETag"))
		if r2 := f.do(t, req); r2.code != http.StatusNotModified {
			t.Errorf("%s with its ETag: got %d, want 304", tc.path, r2.code)
		}
	}
	w := f.get(t, "/chat/widget.js").body
	if strings.Contains(w, "__EXIT_URL__") || !strings.Contains(w, `"https://example.org/weather?a=1\u0026b=2"`) {
		t.Errorf("widget.js does not carry the exit URL safely:\n%s", w)
	}
}

// The budget: the page and its script and style, and the widget,
// under 50 KB together, uncompressed.
func TestPageWeight(t *testing.T) {
	f := newFixture(t, Config{})
	total := 0
	for _, p := range []string{"/chat", "/chat/chat.js", "/chat/chat.css", "/chat/widget.js"} {
		n := len(f.get(t, p).body)
		t.Logf("%-16s %6d bytes", p, n)
		total += n
	}
	t.Logf("%-16s %6d bytes", "total", total)
	if total >= 50_000 {
		t.Errorf("the chat weighs %d bytes, want under 50000", total)
	}
}

func TestOriginsAllowFraming(t *testing.T) {
	f := newFixture(t, Config{Origins: []string{"https://www.luton.gov.uk", "https://lutoncsp.example.org"}})
	r := f.get(t, "/chat?embed=1")
	if got, want := r.header.Get("Content-Security-Policy"), "frame-ancestors 'self' https://www.luton.gov.uk https://lutoncsp.example.org"; !strings.HasSuffix(got, want) {
		t.Errorf("CSP: got %q, want it to end %q", got, want)
	}
	if r.header.Get("X-Frame-Options") != "" {
		t.Error("X-Frame-Options set although origins may frame the chat")
	}
	if !strings.Contains(r.body, `<body class="embed">`) || !strings.Contains(r.body, `name="embed" value="1"`) {
		t.Error("the embedded page does not keep its layout through the form")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{ExitURL: "javascript:alert(1)"},
		{ExitURL: "/weather"},
		{ExitURL: "https://user:pw@example.org/"},
		{Origins: []string{"https://example.org/path"}},
		{Origins: []string{"example.org"}},
		{Origins: []string{"https://example.org; script-src *"}},
		{Origins: []string{"*"}},
		{Key: []byte("short")},
	} {
		if _, err := New(cfg, nil); err == nil {
			t.Errorf("New(%+v): no error", cfg)
		}
	}
}

// No message text in logs or in the session store.
func TestKeepsNoText(t *testing.T) {
	f := newFixture(t, Config{})
	marker := fmt.Sprintf("QZW%dMARK", time.Now().UnixNano())
	tok := tokenOf(t, f.get(t, "/chat").body)
	for _, text := range []string{
		"my name is " + marker + " and someone dumped rubbish by my door",
		"LU1 3AB " + marker,
		"a man with a knife outside " + marker + " right now",
	} {
		r := f.post(t, url.Values{"c": {tok}, "text": {text}})
		tok = tokenOf(t, r.body)
	}
	f.post(t, url.Values{"c": {tok}, "forget": {"1"}})
	if strings.Contains(f.logs.String(), marker) {
		t.Error("the logs contain the marker")
	}
	if !strings.Contains(f.logs.String(), `"channel":"web"`) {
		t.Error("no log line of the web channel: the test proves nothing")
	}
	if bytes.Contains(f.sessions.all(), []byte(marker)) {
		t.Error("a session holds the marker")
	}
}

func TestHeadAndMethods(t *testing.T) {
	f := newFixture(t, Config{})
	if r := f.do(t, httptest.NewRequest("HEAD", "/chat/chat.css", nil)); r.code != 200 || r.body != "" {
		t.Errorf("HEAD chat.css: got %d with %d bytes", r.code, len(r.body))
	}
	if r := f.do(t, httptest.NewRequest("PUT", "/chat", nil)); r.code != http.StatusMethodNotAllowed {
		t.Errorf("PUT /chat: got %d, want 405", r.code)
	}
	if r := f.do(t, httptest.NewRequest("GET", "/chat/../etc/passwd", nil)); r.code == 200 {
		t.Errorf("a path outside the chat was served")
	}
}

func TestRunStopsWithContext(t *testing.T) {
	f := newFixture(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.chat.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if f.chat.Name() != "web" || f.chat.Ready() != nil {
		t.Error("name or readiness wrong")
	}
	var _ bot.HTTPChannel = f.chat
}

// The same over a real loopback listener, as the service serves it.
func TestOverLoopback(t *testing.T) {
	f := newFixture(t, Config{})
	srv := httptest.NewServer(f.h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/chat?start=fraud")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Report Fraud") {
		t.Fatalf("got %d:\n%s", resp.StatusCode, body)
	}
	resp, err = http.PostForm(srv.URL+"/chat", url.Values{"c": {tokenOf(t, string(body))}, "text": {"/about"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("POST: got %d", resp.StatusCode)
	}
}
