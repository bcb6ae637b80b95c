package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// The test doubles below stand in for Slack: a Web API, response_url
// endpoint and Socket Mode WebSocket server on loopback, driven through
// the real slack-go client (slack.OptionAPIURL). slacktest's WebSocket
// server speaks the old RTM protocol and keeps a process-wide hub, so it
// cannot serve Socket Mode envelopes; this one does.

// Compile-time checks: the store satisfies Store, the app bot.HTTPChannel.
var _ Store = (*bolt.Store)(nil)

const (
	testSecret  = "test-signing-secret"
	testBot     = "xoxb-test-token"
	testApp     = "xapp-test-token"
	testTeam    = "T0TEAM"
	testAdmin   = "UADMIN1"
	testOther   = "UOTHER1"
	testChannel = "C0CHAN"
	testAudit   = "C0AUDIT"
	testBotUser = "UBOT1"
)

// apiCall is one request the app made to the fake Slack.
type apiCall struct {
	Method string
	Form   url.Values
	JSON   map[string]any
	// Path is the URL path of a response_url post ("/response/rm").
	Path string
}

// fakeSlack is a fake Slack Web API, response_url host and Socket Mode
// server.
type fakeSlack struct {
	srv *httptest.Server

	mu    sync.Mutex
	calls []apiCall
	// recorded is closed and replaced each time a call is recorded, so
	// that waitCalls wakes on a call instead of polling.
	recorded chan struct{}

	appTokenOK   atomic.Bool
	postError    atomic.Pointer[string] // chat.postMessage error, if set
	groupMembers []string

	conns     chan *websocket.Conn
	acks      chan map[string]any
	ackCounts map[string]int // acknowledgements per envelope id
	wsMu      sync.Mutex
	wsConn    *websocket.Conn
}

func newFakeSlack(t *testing.T) *fakeSlack {
	t.Helper()
	f := &fakeSlack{conns: make(chan *websocket.Conn, 4), acks: make(chan map[string]any, 64), ackCounts: map[string]int{}, recorded: make(chan struct{})}
	f.appTokenOK.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/", f.api)
	mux.HandleFunc("/response/", f.response)
	mux.HandleFunc("/ws", f.websocket)
	f.srv = httptest.NewServer(mux) // 127.0.0.1
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) record(c apiCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
	close(f.recorded)
	f.recorded = make(chan struct{})
}

// callsTo returns the calls of a method ("chat.postMessage", or
// "response" for response_url posts).
func (f *fakeSlack) callsTo(method string) []apiCall {
	cs, _ := f.callsAndSignal(method)
	return cs
}

// callsAndSignal returns the calls of a method and a channel closed at the
// next call recorded.
func (f *fakeSlack) callsAndSignal(method string) ([]apiCall, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out, f.recorded
}

func (f *fakeSlack) allCalls() []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiCall(nil), f.calls...)
}

// waitCalls waits until method has been called n times and returns the
// calls.
func (f *fakeSlack) waitCalls(t *testing.T, method string, n int) []apiCall {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		cs, next := f.callsAndSignal(method)
		if len(cs) >= n {
			return cs
		}
		select {
		case <-next:
		case <-timeout:
			t.Fatalf("waited 5s for %d calls to %s, got %d", n, method, len(cs))
		}
	}
}

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	body, _ := io.ReadAll(r.Body)
	c := apiCall{Method: method}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	f.record(c)
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "auth.test":
		if tok := c.Form.Get("token"); tok != testBot && r.Header.Get("Authorization") != "Bearer "+testBot {
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"user_id":%q,"team_id":%q,"bot_id":"B0BOT"}`, testBotUser, testTeam)
	case "apps.connections.open":
		if r.Header.Get("Authorization") != "Bearer "+testApp || !f.appTokenOK.Load() {
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"url":%q}`, "ws"+strings.TrimPrefix(f.srv.URL, "http")+"/ws")
	case "chat.postMessage":
		if e := f.postError.Load(); e != nil {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, *e)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.000100"}`, c.Form.Get("channel"))
	case "chat.postEphemeral":
		fmt.Fprint(w, `{"ok":true,"message_ts":"1700000000.000200"}`)
	case "views.open":
		fmt.Fprint(w, `{"ok":true,"view":{"id":"V0VIEW"}}`)
	case "usergroups.users.list":
		b, _ := json.Marshal(map[string]any{"ok": true, "users": f.groupMembers})
		_, _ = w.Write(b)
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := apiCall{Method: "response", Path: r.URL.Path}
	_ = json.Unmarshal(body, &c.JSON)
	f.record(c)
	_, _ = w.Write([]byte("ok"))
}

// websocket serves Socket Mode: it says hello, pings, and passes every
// message from the app (acknowledgements) to acks.
func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.wsMu.Lock()
	f.wsConn = conn
	_ = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1})
	_ = conn.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second))
	f.wsMu.Unlock()
	f.conns <- conn
	for {
		var m map[string]any
		if err := conn.ReadJSON(&m); err != nil {
			return
		}
		id, _ := m["envelope_id"].(string)
		f.mu.Lock()
		f.ackCounts[id]++
		f.mu.Unlock()
		f.acks <- m
	}
}

// sendEnvelope sends a Socket Mode envelope to the connected app.
func (f *fakeSlack) sendEnvelope(t *testing.T, env map[string]any) {
	t.Helper()
	f.wsMu.Lock()
	defer f.wsMu.Unlock()
	if f.wsConn == nil {
		t.Fatal("no socket mode connection")
	}
	if err := f.wsConn.WriteJSON(env); err != nil {
		t.Fatalf("sending envelope: %v", err)
	}
}

// acked returns how many times each envelope was acknowledged.
func (f *fakeSlack) acked() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.ackCounts))
	for k, v := range f.ackCounts {
		out[k] = v
	}
	return out
}

// sendRaw sends a raw Socket Mode message.
func (f *fakeSlack) sendRaw(t *testing.T, msg string) {
	t.Helper()
	f.wsMu.Lock()
	defer f.wsMu.Unlock()
	if err := f.wsConn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatalf("sending message: %v", err)
	}
}

// waitAck waits for the acknowledgement of envelope id.
func (f *fakeSlack) waitAck(t *testing.T, id string) map[string]any {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m := <-f.acks:
			if m["envelope_id"] == id {
				return m
			}
			t.Logf("acknowledgement of another envelope: %v", m["envelope_id"])
		case <-timeout:
			t.Fatalf("no acknowledgement of %s within 5s", id)
		}
	}
}

// syncBuffer is a log sink safe for concurrent writes.
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

// testEnv is an app on a real store in a temporary directory, talking to
// a fake Slack, with its HTTP handlers on a loopback server.
type testEnv struct {
	t     *testing.T
	fake  *fakeSlack
	store *bolt.Store
	app   *App
	srv   *httptest.Server
	logs  *syncBuffer
	now   atomic.Pointer[time.Time]
	// triggers numbers the trigger ids of commands and interactions sent:
	// Slack gives each its own, so no two signed requests are the same
	// (the app accepts a signed request once).
	triggers atomic.Int64
}

// night is a Wednesday at 22:00 in London (GMT in November): MASH's
// office is closed.
var night = time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)

// newEnv is an env on the test directory (testdata/directory.json: the
// seven page-10 services and the six routes they serve, fixed so that
// tests do not follow data edits).
func newEnv(t *testing.T, configure ...func(*Config)) *testEnv {
	t.Helper()
	f, err := os.Open("testdata/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seed, err := directory.Parse(f)
	if err != nil {
		t.Fatalf("test directory: %v", err)
	}
	return newEnvSeeded(t, seed, configure...)
}

// newEnvDefault is an env on the embedded default directory, as a new
// deployment has it.
func newEnvDefault(t *testing.T, configure ...func(*Config)) *testEnv {
	return newEnvSeeded(t, nil, configure...)
}

func newEnvSeeded(t *testing.T, seed *directory.Directory, configure ...func(*Config)) *testEnv {
	t.Helper()
	e := &testEnv{t: t, fake: newFakeSlack(t), logs: &syncBuffer{}}
	e.setNow(night)
	st, err := bolt.Open(filepath.Join(t.TempDir(), "whereto.db"), &bolt.Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	e.store = st
	cfg := Config{
		BotToken:      testBot,
		SigningSecret: testSecret,
		APIURL:        e.fake.apiURL(),
		Admins:        []string{testAdmin},
		AuditChannel:  testAudit,
		Logger:        slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:           func() time.Time { return *e.now.Load() },
	}
	for _, c := range configure {
		c(&cfg)
	}
	app, err := New(cfg, st, st)
	if err != nil {
		t.Fatal(err)
	}
	app.retry = bot.Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond}
	e.app = app
	mux := http.NewServeMux()
	for pattern, h := range app.Handlers() {
		mux.Handle(pattern, h)
	}
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *testEnv) setNow(t time.Time) { e.now.Store(&t) }

// run starts Run and stops it (checking it returns nil) at cleanup, before
// the store closes.
func (e *testEnv) run() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.app.Run(ctx) }()
	e.t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				e.t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			e.t.Error("Run did not return within 15s of cancel")
		}
	})
}

// sign sets Slack's signature headers on req for body at ts.
func sign(req *http.Request, secret, body string, ts time.Time) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// post sends a signed request to the app and returns the status and body.
func (e *testEnv) post(path, contentType, body string, header http.Header) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	sign(req, testSecret, body, time.Now())
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// commandForm is a slash command's form, with a trigger id of its own
// ("trigger-1" for the env's first).
func (e *testEnv) commandForm(user, text string) url.Values {
	return url.Values{
		"command": {"/whereto"}, "text": {text}, "user_id": {user}, "team_id": {testTeam},
		"channel_id": {testChannel}, "response_url": {e.fake.srv.URL + "/response/cmd"},
		"trigger_id": {e.nextTrigger()},
	}
}

func (e *testEnv) nextTrigger() string {
	return "trigger-" + strconv.FormatInt(e.triggers.Add(1), 10)
}

// command sends a signed slash command and decodes the immediate answer
// (nil for an empty acknowledgement).
func (e *testEnv) command(user, text string) map[string]any {
	e.t.Helper()
	status, body := e.post("/slack/commands", "application/x-www-form-urlencoded", e.commandForm(user, text).Encode(), nil)
	if status != http.StatusOK {
		e.t.Fatalf("command %q: status %d: %s", text, status, body)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		e.t.Fatalf("command answer is not JSON: %v: %s", err, body)
	}
	return m
}

// interactive sends a signed interactive payload. A map payload without a
// trigger_id is given one of its own, as Slack gives each interaction.
func (e *testEnv) interactive(payload any) (int, map[string]any) {
	e.t.Helper()
	if m, ok := payload.(map[string]any); ok && m["trigger_id"] == nil {
		withTrigger := maps.Clone(m)
		withTrigger["trigger_id"] = e.nextTrigger()
		payload = withTrigger
	}
	p, err := json.Marshal(payload)
	if err != nil {
		e.t.Fatal(err)
	}
	status, body := e.post("/slack/interactive", "application/x-www-form-urlencoded", url.Values{"payload": {string(p)}}.Encode(), nil)
	var m map[string]any
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &m); err != nil {
			e.t.Fatalf("interactive answer is not JSON: %v: %s", err, body)
		}
	}
	return status, m
}

// texts collects every "text" string in a decoded JSON value, with the
// type of the text object it came from ("mrkdwn", "plain_text", or "" for
// a message's fallback text).
func texts(v any) []textObj {
	var out []textObj
	var walk func(v any, parentType string)
	walk = func(v any, parentType string) {
		switch x := v.(type) {
		case map[string]any:
			typ, _ := x["type"].(string)
			for k, c := range x {
				if s, ok := c.(string); ok && k == "text" {
					out = append(out, textObj{typ, s})
					continue
				}
				walk(c, typ)
			}
		case []any:
			for _, c := range x {
				walk(c, parentType)
			}
		}
	}
	walk(v, "")
	return out
}

type textObj struct{ typ, text string }

// joined is every text in v, one a line.
func joined(v any) string {
	var b strings.Builder
	for _, t := range texts(v) {
		b.WriteString(t.text + "\n")
	}
	return b.String()
}

// auditOf returns the store's audit entries for id.
func (e *testEnv) auditOf(id string) []directory.AuditEntry {
	e.t.Helper()
	h, err := e.store.History(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return h
}

func (e *testEnv) service(id string) directory.Service {
	e.t.Helper()
	s, err := e.store.Directory().Service(id)
	if err != nil {
		e.t.Fatalf("service %s: %v", id, err)
	}
	return s
}
