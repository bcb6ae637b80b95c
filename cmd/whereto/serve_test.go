package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/flows"
)

// fakeChannel stands in for a platform adapter (Telegram, Slack) in the
// service tests: an HTTPChannel that takes one message per POST to
// /fake/messages, hands it to the runner like an adapter would, and stores
// how many it handled as its cursor when it stops (as Telegram stores its
// update offset).
type fakeChannel struct {
	runner  *bot.Runner
	store   *bolt.Store
	handled atomic.Int64
	running atomic.Bool

	// hold, if set, makes a request with ?hold=1 signal entered and wait
	// for hold to close before it is handled.
	hold    chan struct{}
	entered chan struct{}
}

func (c *fakeChannel) Name() string { return "fake" }

func (c *fakeChannel) Ready() error {
	if !c.running.Load() {
		return errors.New("not running")
	}
	return nil
}

func (c *fakeChannel) Run(ctx context.Context) error {
	c.running.Store(true)
	<-ctx.Done()
	c.running.Store(false)
	return c.store.SetCursor(context.WithoutCancel(ctx), "fake", c.handled.Load())
}

// fakeMessage is what a test posts to the fake channel.
type fakeMessage struct {
	Chat   string `json:"chat"`
	Text   string `json:"text"`
	Choice string `json:"choice"`
}

// fakeReply is what the fake channel answers.
type fakeReply struct {
	Route string `json:"route"`
	Text  string `json:"text"`
}

func (c *fakeChannel) Handlers() map[string]http.Handler {
	return map[string]http.Handler{
		"POST /fake/messages": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var m fakeMessage
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
				http.Error(w, "bad message", http.StatusBadRequest)
				return
			}
			if r.URL.Query().Get("hold") == "1" && c.hold != nil {
				close(c.entered)
				<-c.hold
			}
			resp, err := c.runner.Handle(r.Context(), bot.Message{Channel: "fake", Conversation: m.Chat, Text: m.Text, Choice: m.Choice})
			if err != nil {
				http.Error(w, "not handled", http.StatusServiceUnavailable)
				return
			}
			c.handled.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(fakeReply{Route: string(resp.Route), Text: flows.RenderText(resp.Replies)})
		}),
	}
}

// withFake returns a channelBuilder that builds the configured channels
// and adds fake, wired to the service's runner and store.
func withFake(fake *fakeChannel) channelBuilder {
	return func(ctx context.Context, cfg serveConfig, deps channelDeps) ([]bot.Channel, error) {
		chans, err := buildChannels(ctx, cfg, deps)
		if err != nil {
			return nil, err
		}
		fake.runner, fake.store = deps.Runner, deps.Store
		return append(chans, fake), nil
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
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

// served is a 'whereto serve' running in-process.
type served struct {
	base   string
	stdout *syncBuffer
	logs   *syncBuffer
	sigs   chan os.Signal
	done   chan error
	exited chan int // the code a second signal exited with
}

// envOf returns a getenv reading only m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startServe runs serve in-process on a random loopback port with the
// environment env (nothing from the real one) and returns once it is
// listening. Stop it with s.signal(syscall.SIGTERM) and s.wait.
func startServe(t *testing.T, db string, env map[string]string, build channelBuilder) *served {
	t.Helper()
	s := &served{
		stdout: &syncBuffer{}, logs: &syncBuffer{},
		sigs: make(chan os.Signal, 2), done: make(chan error, 1), exited: make(chan int, 1),
	}
	ctx, stop := onSignals(context.Background(), s.sigs, s.logs, func(code int) { s.exited <- code })
	args := []string{"-db", db, "--http-addr", "127.0.0.1:0"}
	go func() {
		defer stop()
		s.done <- serve(ctx, args, envOf(env), s.stdout, s.logs, build)
	}()
	t.Cleanup(func() {
		select {
		case s.sigs <- syscall.SIGTERM:
		default:
		}
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop within 15s")
		}
	})
	// A generous deadline: under -race, with every package's tests
	// sharing two cores, starting (the store, the classifier) can take
	// seconds.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range logLines(t, s.logs.String()) {
			if line["msg"] == "serving" {
				s.base = "http://" + line["addr"].(string)
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("serve returned before serving: %v\nlogs:\n%s", err, s.logs)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not log \"serving\" within 60s; logs:\n%s", s.logs)
	return nil
}

// stop sends SIGTERM and returns serve's error and how long it took.
func (s *served) stop(t *testing.T) (error, time.Duration) {
	t.Helper()
	begin := time.Now()
	s.sigs <- syscall.SIGTERM
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err, time.Since(begin)
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop within 15s of SIGTERM")
		return nil, 0
	}
}

// logLines decodes JSON log lines; it fails on a line that is not JSON.
func logLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "{") {
			continue // the second-signal notice is plain text
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func (s *served) post(t *testing.T, chat, text string) fakeReply {
	t.Helper()
	return s.postURL(t, s.base+"/fake/messages", chat, text)
}

func (s *served) postURL(t *testing.T, url, chat, text string) fakeReply {
	t.Helper()
	body, _ := json.Marshal(fakeMessage{Chat: chat, Text: text})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Errorf("POST %s: %v", url, err)
		return fakeReply{}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST %s: status %d", url, resp.StatusCode)
	}
	var r fakeReply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Errorf("POST %s: decoding the reply: %v", url, err)
	}
	return r
}

func (s *served) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeHealthReadinessAndMetrics(t *testing.T) {
	db := testDB(t)
	s := startServe(t, db, nil, withFake(&fakeChannel{}))

	if code, body := s.get(t, "/healthz"); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/healthz: got %d %s, want 200 with status ok", code, body)
	}
	code, body := s.get(t, "/readyz")
	if code != 200 || !strings.Contains(body, `{"name":"database","status":"ok"}`) || !strings.Contains(body, `{"name":"fake","status":"ok"}`) {
		t.Errorf("/readyz: got %d %s, want 200 with the database and fake ok", code, body)
	}

	// A scripted conversation in three chats. The routes reached are taken
	// from the replies, so that the test follows the conversation's wording.
	script := []struct{ chat, text string }{
		{"1", "/start hate-crime"},
		{"1", "no"},
		{"2", "/start"},
		{"2", "someone has a knife and is threatening me right now"},
		{"3", "/start"},
	}
	routes := map[string]int{}
	for _, m := range script {
		if r := s.post(t, m.chat, m.text).Route; r != "" {
			routes[r]++
		}
	}
	if routes["hate-crime"] != 1 || routes["emergency"] != 1 {
		t.Errorf("routes reached: got %v, want hate-crime and emergency once each", routes)
	}
	def, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, metrics := s.get(t, "/metrics")
	for _, want := range []string{
		fmt.Sprintf(`whereto_messages_received_total{channel="fake"} %d`, len(script)),
		fmt.Sprintf(`whereto_reply_duration_seconds_count{channel="fake"} %d`, len(script)),
		fmt.Sprintf(`whereto_conversations_ended_total{route="hate-crime"} %d`, routes["hate-crime"]),
		fmt.Sprintf(`whereto_conversations_ended_total{route="emergency"} %d`, routes["emergency"]),
		`whereto_conversations_ended_total{route="victim-support"} 0`,
		`whereto_conversations_ended_total{route="fraud"} 0`, // defined by the directory, not the code
		`whereto_send_errors_total{channel="fake"} 0`,
		`whereto_send_retries_total{channel="fake"} 0`,
		`whereto_rate_limit_waits_total{channel="fake"} 0`,
		`whereto_sessions_expired_total 0`,
		`whereto_http_handler_panics_total 0`,
		fmt.Sprintf("whereto_directory_services %d", len(def.List())),
		`whereto_build_info{go_version="go`,
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if err, _ := s.stop(t); err != nil {
		t.Errorf("serve: got %v, want nil after SIGTERM", err)
	}
}

// With no channel configured, serve still starts, serves health and
// metrics, and says which variables would turn each channel on.
func TestServeWithNoChannels(t *testing.T) {
	db := testDB(t)
	s := startServe(t, db, nil, buildChannels)
	if code, body := s.get(t, "/readyz"); code != 200 || !strings.Contains(body, `"status":"ready"`) {
		t.Errorf("/readyz: got %d %s, want 200 ready", code, body)
	}
	if code, _ := s.get(t, "/metrics"); code != 200 {
		t.Errorf("/metrics: got %d, want 200", code)
	}
	err, _ := s.stop(t)
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	logs := s.logs.String()
	for _, want := range []string{
		`"msg":"channel off","channel":"telegram","turn_on":"set TELEGRAM_BOT_TOKEN`,
		`"msg":"channel off","channel":"slack","turn_on":"set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s; got:\n%s", want, logs)
		}
	}
}

// SIGTERM mid-conversation: the message in flight is answered, the
// channel stores its cursor, sessions and counts are flushed, and serve
// returns nil (exit 0) well within 10 seconds.
func TestServeSIGTERMMidConversation(t *testing.T) {
	db := testDB(t)
	fake := &fakeChannel{hold: make(chan struct{}), entered: make(chan struct{})}
	s := startServe(t, db, nil, withFake(fake))
	s.post(t, "a", "/start")
	s.post(t, "a", "4") // worried about a child: asked a question
	s.post(t, "b", "/start")

	inFlight := make(chan fakeReply, 1)
	go func() { inFlight <- s.postURL(t, s.base+"/fake/messages?hold=1", "b", "2") }()
	<-fake.entered
	stopped := make(chan struct{})
	var err error
	var took time.Duration
	go func() {
		defer close(stopped)
		err, took = s.stop(t)
	}()
	time.Sleep(100 * time.Millisecond) // shutdown has begun; the message is still in flight
	close(fake.hold)
	if r := <-inFlight; r.Text == "" {
		t.Errorf("message in flight: got no answer, want it answered")
	}
	<-stopped
	if err != nil {
		t.Fatalf("serve after SIGTERM: got %v, want nil", err)
	}
	if code := exitCode(err, io.Discard); code != 0 {
		t.Errorf("exit code: got %d, want 0", code)
	}
	if took > 10*time.Second {
		t.Errorf("shutdown took %v, want under 10s", took)
	}

	st, err := bolt.Open(db, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("reopening the database: %v", err)
	}
	defer st.Close()
	ctx := context.Background()
	if n, ok, err := st.Cursor(ctx, "fake"); err != nil || !ok || n != 4 {
		t.Errorf("cursor: got %d, %v, %v; want 4 stored on shutdown", n, ok, err)
	}
	for _, conv := range []string{"a", "b"} {
		data, ok, err := st.Session(ctx, "fake:"+conv, time.Now())
		var state flows.State
		if err == nil && ok {
			err = json.Unmarshal(data, &state)
		}
		if err != nil || !ok || state.Step == flows.StepStart {
			t.Errorf("session %s: got step %q (found %v, err %v), want the conversation's step flushed on close", conv, state.Step, ok, err)
		}
	}
	logs := s.logs.String()
	order := []string{`"msg":"shutting down","reason":"received terminated"`, `"msg":"channel stopped","channel":"fake"`, `"msg":"database closed"`}
	last := -1
	for _, o := range order {
		i := strings.Index(logs, o)
		if i < 0 || i < last {
			t.Errorf("logs: %s missing or out of order; got:\n%s", o, logs)
		}
		last = i
	}
}

func TestOnSignals(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	var stderr syncBuffer
	exited := make(chan int, 1)
	ctx, stop := onSignals(context.Background(), sigs, &stderr, func(code int) { exited <- code })
	defer stop()

	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	if got := context.Cause(ctx).Error(); got != "received terminated" {
		t.Errorf("cause: got %q, want %q", got, "received terminated")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("ctx.Err: got %v, want context.Canceled", ctx.Err())
	}
	select {
	case code := <-exited:
		t.Fatalf("exited with %d after one signal", code)
	case <-time.After(50 * time.Millisecond):
	}

	sigs <- syscall.SIGINT
	select {
	case code := <-exited:
		if code != 130 {
			t.Errorf("second signal: exit code %d, want 130", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "exiting now") {
		t.Errorf("stderr: got %q, want a notice of the immediate exit", stderr.String())
	}
}

// A second signal during a slow shutdown exits at once with 130.
func TestServeSecondSignalExitsAtOnce(t *testing.T) {
	db := testDB(t)
	fake := &fakeChannel{hold: make(chan struct{}), entered: make(chan struct{})}
	s := startServe(t, db, nil, withFake(fake))
	go s.postURL(t, s.base+"/fake/messages?hold=1", "a", "/start")
	<-fake.entered
	s.sigs <- syscall.SIGTERM
	time.Sleep(50 * time.Millisecond)
	s.sigs <- syscall.SIGINT
	select {
	case code := <-s.exited:
		if code != 130 {
			t.Errorf("exit code: got %d, want 130", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	close(fake.hold)
}

func TestServeSecondInstanceRefused(t *testing.T) {
	db := testDB(t)
	startServe(t, db, nil, buildChannels)
	for _, args := range [][]string{
		{"-db", db, "--http-addr", "127.0.0.1:0"},
		{"-db", db, "--check"},
	} {
		t.Run(strings.Join(args[2:], " "), func(t *testing.T) {
			var stdout, stderr syncBuffer
			begin := time.Now()
			err := serve(context.Background(), args, envOf(nil), &stdout, &stderr, buildChannels)
			if d := time.Since(begin); d > 5*time.Second {
				t.Errorf("took %v to refuse, want under 5s", d)
			}
			if !errors.Is(err, bolt.ErrInUse) {
				t.Fatalf("second serve: got %v, want an error wrapping bolt.ErrInUse", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "in use") || !strings.Contains(msg, db) {
				t.Errorf("error %q does not say the database is in use and name %s", msg, db)
			}
			if code := exitCode(err, io.Discard); code != 1 {
				t.Errorf("exit code: got %d, want 1", code)
			}
		})
	}
}

// Test values shaped like real secrets; none is real.
const (
	testTelegramToken = "123456789:TESTtokenTESTtokenTESTtokenTESTtoken"
	testWebhookSecret = "test-webhook-secret-0123456789"
	testSlackBot      = "xoxb-test-bot-token-0123456789"
	testSlackApp      = "xapp-test-app-token-0123456789"
	testSlackSigning  = "testsigningsecret0123456789abcdef"
)

func allSecrets() []string {
	return []string{testTelegramToken, testWebhookSecret, testSlackBot, testSlackApp, testSlackSigning}
}

// goodEnv configures every channel with every setting.
func goodEnv() map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN":              testTelegramToken,
		"WHERETO_TELEGRAM_API_ENDPOINT":   "http://127.0.0.1:9/bot%s/%s",
		"WHERETO_TELEGRAM_WEBHOOK_URL":    "https://whereto.example.org/telegram/webhook",
		"WHERETO_TELEGRAM_WEBHOOK_SECRET": testWebhookSecret,
		"SLACK_BOT_TOKEN":                 testSlackBot,
		"SLACK_APP_TOKEN":                 testSlackApp,
		"SLACK_SIGNING_SECRET":            testSlackSigning,
		"WHERETO_SLACK_API_URL":           "http://127.0.0.1:9/api",
		"WHERETO_SLACK_ADMINS":            "U0123ABCD, W0456EFGH",
		"WHERETO_SLACK_ADMIN_GROUP":       "S0123ABCD",
		"WHERETO_SLACK_AUDIT_CHANNEL":     "C0123ABCD",
	}
}

func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func TestServeCheck(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr []string // in the error; nil means success
		wantOut []string // on stdout
	}{
		{
			name:    "nothing configured",
			wantOut: []string{"configuration is valid", "services", "127.0.0.1:8080", "expire 2h0m0s", "telegram   off: to turn it on, set TELEGRAM_BOT_TOKEN", "slack      off"},
		},
		{
			name: "every channel configured",
			env:  goodEnv(),
			wantOut: []string{
				"configuration is valid",
				"webhook https://whereto.example.org/telegram/webhook", "secret token from WHERETO_TELEGRAM_WEBHOOK_SECRET", "the Bot API at http://127.0.0.1:9",
				"sending at most global=30,chat=1,burst=3", "at most 1000 answers waiting",
				"Socket Mode", "HTTP at /slack/commands", "2 admin user id(s)", "admin group S0123ABCD", "audit channel C0123ABCD", "API http://127.0.0.1:9/api/",
			},
		},
		{
			name:    "flags win over the environment",
			env:     map[string]string{"WHERETO_HTTP_ADDR": "not an address", "WHERETO_SESSION_TTL": "forever"},
			args:    []string{"--http-addr", "0.0.0.0:9090", "--session-ttl", "30m", "--sweep-interval", "1m"},
			wantOut: []string{"0.0.0.0:9090", "expire 30m0s", "swept every 1m0s"},
		},
		{
			name:    "Slack without admins is allowed, with a warning",
			env:     map[string]string{"SLACK_BOT_TOKEN": testSlackBot, "SLACK_APP_TOKEN": testSlackApp},
			wantOut: []string{"warning: Slack has no admins"},
		},
		{
			name: "every problem is listed, and no secret",
			env: with(goodEnv(),
				"WHERETO_SESSION_TTL", "90d",
				"WHERETO_HTTP_ADDR", "8080",
				"WHERETO_LOG_LEVEL", "loud",
				"TELEGRAM_BOT_TOKEN", "not-a-token-"+testTelegramToken,
				"SLACK_BOT_TOKEN", "xoxp-"+testSlackBot,
				"WHERETO_SLACK_ADMINS", "bob",
			),
			wantErr: []string{
				`WHERETO_SESSION_TTL "90d" is not a duration`,
				`WHERETO_HTTP_ADDR "8080" is not a host:port address`,
				`WHERETO_LOG_LEVEL: "loud" is not a log level`,
				"TELEGRAM_BOT_TOKEN does not look like a Telegram bot token",
				"SLACK_BOT_TOKEN does not look like a bot token",
				`WHERETO_SLACK_ADMINS: "bob" is not a Slack user id`,
			},
		},
		{
			name:    "a token pasted into a URL is not shown",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_WEBHOOK_URL", "http://example.org/"+testTelegramToken),
			wantErr: []string{`WHERETO_TELEGRAM_WEBHOOK_URL "http://example.org/[redacted]": must be an https:// URL`},
		},
		{
			name:    "session TTL out of range",
			args:    []string{"--session-ttl", "48h"},
			wantErr: []string{`--session-ttl "48h" is out of range: use 1m0s to 24h0m0s`},
		},
		{
			name:    "webhook on a port Telegram does not use",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_WEBHOOK_URL", "https://whereto.example.org:9443/hook"),
			wantErr: []string{"only to ports 443, 80, 88 and 8443"},
		},
		{
			name:    "webhook secret without a webhook",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_WEBHOOK_URL", ""),
			wantErr: []string{"WHERETO_TELEGRAM_WEBHOOK_SECRET is set but WHERETO_TELEGRAM_WEBHOOK_URL is not"},
		},
		{
			name:    "a short webhook secret",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_WEBHOOK_SECRET", "short"),
			wantErr: []string{"WHERETO_TELEGRAM_WEBHOOK_SECRET must be 16 to 256"},
		},
		{
			name:    "Telegram's limits raised, backlog set",
			env:     with(with(goodEnv(), "WHERETO_TELEGRAM_RATE", "global=100"), "WHERETO_TELEGRAM_BACKLOG", "5000"),
			wantOut: []string{"sending at most global=100,chat=1,burst=3", "at most 5000 answers waiting"},
		},
		{
			name:    "no limits, for a Local Bot API server",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_RATE", "off"),
			wantOut: []string{"sending with no rate limit"},
		},
		{
			name:    "a rate that cannot be read",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_RATE", "fast"),
			wantErr: []string{"WHERETO_TELEGRAM_RATE", "want off, or global=N,chat=N,burst=N"},
		},
		{
			name:    "a backlog out of range",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_BACKLOG", "5"),
			wantErr: []string{"WHERETO_TELEGRAM_BACKLOG \"5\" must be a whole number from 10 to 100000"},
		},
		{
			name:    "an endpoint that is not tgbotapi's format",
			env:     with(goodEnv(), "WHERETO_TELEGRAM_API_ENDPOINT", "https://api.telegram.org/"),
			wantErr: []string{"must contain %s twice"},
		},
		{
			name:    "Telegram settings without the token",
			env:     map[string]string{"WHERETO_TELEGRAM_WEBHOOK_URL": "https://whereto.example.org/telegram/webhook"},
			wantErr: []string{"WHERETO_TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not"},
		},
		{
			name:    "Slack bot token alone",
			env:     map[string]string{"SLACK_BOT_TOKEN": testSlackBot},
			wantErr: []string{"Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) as well"},
		},
		{
			name:    "Slack settings without the bot token",
			env:     map[string]string{"SLACK_APP_TOKEN": testSlackApp, "WHERETO_SLACK_AUDIT_CHANNEL": "#audit"},
			wantErr: []string{"SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not", "WHERETO_SLACK_AUDIT_CHANNEL is set but SLACK_BOT_TOKEN is not"},
		},
		{
			name:    "bad Slack ids",
			env:     with(goodEnv(), "WHERETO_SLACK_ADMIN_GROUP", "admins", "WHERETO_SLACK_AUDIT_CHANNEL", "Audit Channel"),
			wantErr: []string{`"admins" is not a Slack user group id`, `"Audit Channel" is not a Slack channel id`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			var stdout, stderr syncBuffer
			args := append([]string{"--check", "-db", db}, tt.args...)
			err := serve(context.Background(), args, envOf(tt.env), &stdout, &stderr, buildChannels)
			var errText string
			if err != nil {
				errText = err.Error()
			}
			if tt.wantErr == nil && err != nil {
				t.Fatalf("--check: got %v, want success", err)
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("--check: got success, want errors %q; stdout:\n%s", tt.wantErr, stdout.String())
				}
				if code := exitCode(err, io.Discard); code == 0 {
					t.Errorf("exit code: got 0, want non-zero")
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errText, w) {
					t.Errorf("error lacks %q; got:\n%s", w, errText)
				}
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q; got:\n%s", w, stdout.String())
				}
			}
			all := stdout.String() + stderr.String() + errText
			for _, sec := range allSecrets() {
				if strings.Contains(all, sec) || strings.Contains(all, sec[5:]) {
					t.Errorf("output shows a secret value; got:\n%s", all)
				}
			}
			if tt.wantErr == nil {
				mustExist(t, db)
			}
		})
	}
}

func TestServeHelp(t *testing.T) {
	stdout, stderr, err := run(t, "", "serve", "-h")
	if err != nil {
		t.Fatalf("serve -h: %v", err)
	}
	for _, w := range []string{"Usage: whereto serve", "-http-addr", "WHERETO_HTTP_ADDR", "-check", "TELEGRAM_BOT_TOKEN"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("serve -h lacks %q; got:\n%s%s", w, stdout, stderr)
		}
	}
	stdout, _, _ = run(t, "", "help")
	for _, w := range []string{"whereto serve", "whereto stats"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("help lacks %q", w)
		}
	}
}

// The no-personal-data test: a conversation full of a unique marker (as a
// name, a phone number and free text) goes through the service; the marker
// is in no log line, even at debug level, and nowhere in the database file.
func TestServeKeepsNoPersonalData(t *testing.T) {
	db := testDB(t)
	marker := fmt.Sprintf("ZQX%dMARKER", time.Now().UnixNano())
	phone := "07700 900" + marker[len(marker)-9:len(marker)-6]
	s := startServe(t, db, map[string]string{"WHERETO_LOG_LEVEL": "debug"}, withFake(&fakeChannel{}))
	for _, m := range []struct{ chat, text string }{
		{"x", "/start"},
		{"x", "my name is " + marker + " and my number is " + phone},
		{"x", "someone dumped rubbish outside " + marker + "'s house"},
		{"x", "Report something else"},
		{"x", "1"},
		{"y", marker},
		{"y", "they shouted abuse at me because I am Muslim, " + marker},
		{"z", "there is a man with a knife outside " + marker + " right now"},
		{"z", "/forget"},
		{"w", "/start " + marker},
		{"w", "4"},
		{"w", "no " + marker},
		{"v", "/start environmental"},
		{"v", "LU2 7" + marker}, // a full postcode: only the district may be kept
		{"v", "my postcode is LU1 3" + marker},
	} {
		s.post(t, m.chat, m.text)
	}
	if err, _ := s.stop(t); err != nil {
		t.Fatalf("serve: %v", err)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, `"msg":"message handled"`) {
		t.Fatalf("no message was logged: the test proves nothing; logs:\n%s", logs)
	}
	for _, needle := range []string{marker, phone, "Muslim", "knife"} {
		if strings.Contains(logs, needle) {
			t.Errorf("the logs contain %q", needle)
		}
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{marker, phone, "Muslim", "knife outside"} {
		if bytes.Contains(data, []byte(needle)) {
			t.Errorf("the database file contains %q", needle)
		}
	}
}
