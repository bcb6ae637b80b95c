package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/flows"
)

// fakeChannel stands in for a platform adapter.
type fakeChannel struct {
	name     string
	ready    atomic.Value // error or nil (stored as errBox)
	run      func(ctx context.Context) error
	handlers map[string]http.Handler
	stopped  atomic.Bool
	// running is closed when the default Run has reported ready.
	running chan struct{}
}

type errBox struct{ err error }

func newFake(name string) *fakeChannel {
	c := &fakeChannel{name: name, running: make(chan struct{})}
	c.ready.Store(errBox{errors.New("not connected yet")})
	return c
}

func (c *fakeChannel) Name() string { return c.name }
func (c *fakeChannel) Ready() error { return c.ready.Load().(errBox).err }
func (c *fakeChannel) setReady(err error) {
	c.ready.Store(errBox{err})
}
func (c *fakeChannel) Run(ctx context.Context) error {
	defer c.stopped.Store(true)
	if c.run != nil {
		return c.run(ctx)
	}
	c.setReady(nil)
	close(c.running)
	<-ctx.Done()
	return nil
}

// waitRunning waits until the default Run has reported ready.
func (c *fakeChannel) waitRunning(t *testing.T) {
	t.Helper()
	select {
	case <-c.running:
	case <-time.After(5 * time.Second):
		t.Fatalf("channel %s did not start within 5s", c.name)
	}
}

type httpFake struct{ *fakeChannel }

func (c httpFake) Handlers() map[string]http.Handler { return c.handlers }

var _ bot.HTTPChannel = httpFake{}

func openStore(t *testing.T) *bolt.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "whereto.db"), nil)
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	return ln
}

// closeSignal is a listener that closes closed when it is closed: the
// moment http.Server.Shutdown stops accepting connections.
type closeSignal struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeSignal) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

// start runs svc on a loopback port (svc.Listener if set) until the test
// calls stop or ends, and returns its base URL once /healthz answers.
func start(t *testing.T, svc *Service) (base string, stop func() error) {
	t.Helper()
	if svc.Listener == nil {
		svc.Listener = listen(t)
	}
	ln := svc.Listener
	base = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- svc.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-errc:
			case <-time.After(15 * time.Second):
				err = errors.New("Run did not return within 15s")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	// The listener is open already, so the connection is queued until Run
	// serves it: one request is the sync point, with no retries. If Run
	// fails first it closes the listener and the request fails.
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatalf("service did not answer /healthz: %v", err)
	}
	resp.Body.Close()
	return base, stop
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if got := resp.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("GET %s: Content-Type %q, want application/json", url, got)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decoding: %v", url, err)
	}
	return resp.StatusCode
}

func TestHealthz(t *testing.T) {
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Version = "v1.2.3"
	base, _ := start(t, svc)
	var h Health
	if code := getJSON(t, base+"/healthz", &h); code != http.StatusOK {
		t.Errorf("status: got %d, want 200", code)
	}
	if h.Status != "ok" || h.Version != "v1.2.3" {
		t.Errorf("body: got %+v, want status ok and version v1.2.3", h)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		channelErr error
		closeStore bool
		wantCode   int
		wantStatus map[string]string
	}{
		{"ready when the database and every channel are", nil, false, 200, map[string]string{"database": "ok", "fake": "ok"}},
		{"not ready while a channel is down", errors.New("connection refused"), false, 503, map[string]string{"database": "ok", "fake": "failing"}},
		{"not ready when the database is closed", nil, true, 503, map[string]string{"database": "failing", "fake": "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			ch := newFake("fake")
			svc := New(st, prometheus.NewRegistry())
			svc.Channels = []bot.Channel{ch}
			base, _ := start(t, svc)
			ch.waitRunning(t)
			ch.setReady(tt.channelErr)
			if tt.closeStore {
				if err := st.Close(); err != nil {
					t.Fatal(err)
				}
			}
			var r Readiness
			if code := getJSON(t, base+"/readyz", &r); code != tt.wantCode {
				t.Errorf("status: got %d, want %d", code, tt.wantCode)
			}
			got := map[string]string{}
			for _, c := range r.Checks {
				got[c.Name] = c.Status
				if c.Status == "failing" && c.Error == "" {
					t.Errorf("check %s fails without saying why", c.Name)
				}
			}
			for k, v := range tt.wantStatus {
				if got[k] != v {
					t.Errorf("check %s: got %q, want %q (all: %+v)", k, got[k], v, r.Checks)
				}
			}
		})
	}
}

// A channel's error could quote a URL with its token: /readyz shows it
// redacted.
func TestReadyzRedacts(t *testing.T) {
	const token = "123:not-a-real-token-but-secret"
	ch := newFake("fake")
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Channels = []bot.Channel{ch}
	svc.Redact = func(s string) string { return strings.ReplaceAll(s, token, "[redacted]") }
	base, _ := start(t, svc)
	ch.waitRunning(t)
	ch.setReady(errors.New(`Post "https://api.telegram.org/bot` + token + `/getMe": timeout`))
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(body, []byte(token)) || !bytes.Contains(body, []byte("[redacted]")) {
		t.Errorf("body: got %s, want the token redacted", body)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "whereto_test_total", Help: "test"})
	reg.MustRegister(c)
	c.Add(3)
	base, _ := start(t, New(openStore(t), reg))
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "whereto_test_total 3") {
		t.Errorf("/metrics lacks whereto_test_total 3:\n%s", body)
	}
}

// Shutdown stops intake, lets a request in flight finish, waits for the
// channels, and returns nil.
func TestShutdownFinishesWorkInFlight(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	ch := newFake("fake")
	var cursorAt atomic.Int64
	ch.run = func(ctx context.Context) error {
		ch.setReady(nil)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // storing a cursor takes a moment
		cursorAt.Store(time.Now().UnixNano())
		return nil
	}
	ch.handlers = map[string]http.Handler{
		"POST /fake/hook": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			<-release
			io.WriteString(w, "handled")
		}),
	}
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Channels = []bot.Channel{httpFake{ch}}
	ln := &closeSignal{Listener: listen(t), closed: make(chan struct{})}
	svc.Listener = ln
	base, stop := start(t, svc)

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Post(base+"/fake/hook", "text/plain", nil)
		if err != nil {
			got <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- result{body: string(b)}
	}()
	<-entered
	stopped := make(chan error, 1)
	begin := time.Now()
	go func() { stopped <- stop() }()
	select {
	case <-ln.closed: // Shutdown has stopped accepting
	case <-time.After(5 * time.Second):
		t.Fatal("shutdown did not close the listener within 5s")
	}
	// New work is refused while the request in flight is still running
	// (on a new connection: not one kept alive from an earlier request).
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	if resp, err := fresh.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
		t.Errorf("a new request was served during shutdown")
	}
	close(release)
	r := <-got
	if r.err != nil || r.body != "handled" {
		t.Errorf("request in flight: got %q, %v; want it to finish with \"handled\"", r.body, r.err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
	if !ch.stopped.Load() || cursorAt.Load() == 0 {
		t.Errorf("Run returned before the channel's Run finished")
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Errorf("shutdown took %v, want under 10s", d)
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name     string
		channels func() []bot.Channel
		wantIs   error
		wantText string
	}{
		{
			name: "a channel that fails stops the service",
			channels: func() []bot.Channel {
				c := newFake("telegram")
				c.run = func(ctx context.Context) error { return errors.New("unauthorized") }
				return []bot.Channel{c, newFake("slack")}
			},
			wantIs: ErrChannelStopped, wantText: "telegram: unauthorized",
		},
		{
			name: "a channel that returns on its own stops the service",
			channels: func() []bot.Channel {
				c := newFake("telegram")
				c.run = func(ctx context.Context) error { return nil }
				return []bot.Channel{c}
			},
			wantIs: ErrChannelStopped, wantText: "without being asked",
		},
		{
			name: "a channel that panics stops the service",
			channels: func() []bot.Channel {
				c := newFake("telegram")
				c.run = func(ctx context.Context) error { panic("boom") }
				return []bot.Channel{c}
			},
			wantIs: ErrChannelStopped, wantText: "panic",
		},
		{
			name: "two channels with one name",
			channels: func() []bot.Channel {
				return []bot.Channel{newFake("telegram"), newFake("telegram")}
			},
			wantText: `two channels named "telegram"`,
		},
		{
			name: "a channel claiming the health check",
			channels: func() []bot.Channel {
				c := newFake("telegram")
				c.handlers = map[string]http.Handler{"GET /healthz": http.NotFoundHandler()}
				return []bot.Channel{httpFake{c}}
			},
			wantText: `channel telegram: cannot serve "GET /healthz"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := New(openStore(t), prometheus.NewRegistry())
			svc.Listener = listen(t)
			svc.Channels = tt.channels()
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			err := svc.Run(ctx)
			if err == nil {
				t.Fatalf("Run: got nil, want an error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Run: got %v, want an error wrapping %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Run: got %q, want it to contain %q", err, tt.wantText)
			}
			if ctx.Err() != nil {
				t.Errorf("Run returned only at the test's deadline")
			}
		})
	}
}

func TestStopTimeout(t *testing.T) {
	stuck := newFake("stuck")
	release := make(chan struct{})
	defer close(release)
	stuck.run = func(ctx context.Context) error { <-release; return nil }
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Channels = []bot.Channel{stuck}
	svc.StopTimeout = 200 * time.Millisecond
	_, stop := start(t, svc)
	begin := time.Now()
	err := stop()
	if !errors.Is(err, ErrStopTimeout) {
		t.Errorf("Run: got %v, want ErrStopTimeout", err)
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Errorf("shutdown took %v, want about 200ms", d)
	}
}

func TestAddressInUse(t *testing.T) {
	ln := listen(t)
	defer ln.Close()
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Addr = ln.Addr().String()
	err := svc.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Errorf("Run: got %v, want an error naming %s", err, ln.Addr())
	}
}

// sweepCounter is a Metrics that adds up swept sessions.
type sweepCounter struct{ n atomic.Int64 }

func (s *sweepCounter) SessionsSwept(n int) { s.n.Add(int64(n)) }

// An expired session is deleted by the sweeper, and the conversation
// restarts politely.
func TestSweeperDeletesExpiredSessions(t *testing.T) {
	st := openStore(t)
	var now atomic.Int64
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	now.Store(t0.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }

	runner := bot.NewRunner(st, st)
	runner.TTL = time.Minute
	runner.Now = clock
	var logs syncBuffer
	runner.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	send := func(conv, text string) bot.Response {
		t.Helper()
		resp, err := runner.Handle(context.Background(), bot.Message{Channel: "fake", Conversation: conv, Text: text})
		if err != nil {
			t.Fatalf("Handle %q: %v", text, err)
		}
		return resp
	}
	send("a", "/start")
	send("a", "4") // worried about a child: asks about danger now
	send("b", "/start")
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	now.Store(t0.Add(30 * time.Second).UnixNano())
	send("b", "2") // b stays live
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	m := &sweepCounter{}
	svc := New(st, prometheus.NewRegistry())
	svc.Now = clock
	svc.Metrics = m
	svc.SweepInterval = 20 * time.Millisecond
	svc.sweeps = make(chan struct{}, 100)
	start(t, svc)
	<-svc.sweeps // the sweep on start: nothing has expired yet
	if got := m.n.Load(); got != 0 {
		t.Fatalf("swept %d sessions before any expired, want 0", got)
	}

	now.Store(t0.Add(70 * time.Second).UnixNano()) // a expired, b has not
	// Sweeps already under way may have read the earlier time; wait for
	// the first sweep that saw the expiry.
	for m.n.Load() == 0 {
		select {
		case <-svc.sweeps:
		case <-time.After(5 * time.Second):
			t.Fatal("no sweep deleted the expired session within 5s")
		}
	}
	if got := m.n.Load(); got != 1 {
		t.Errorf("swept %d sessions, want 1", got)
	}
	if _, ok, _ := st.Session(context.Background(), "fake:b", clock()); !ok {
		t.Errorf("session b, still live, was swept")
	}
	if n, err := st.SweepSessions(context.Background(), clock()); err != nil || n != 0 {
		t.Errorf("sweeping again: got %d, %v; want 0 left to sweep", n, err)
	}

	// After expiry "no" answers nothing: the conversation restarts.
	resp := send("a", "no")
	if resp.Route != "" {
		t.Errorf("expired session answered the old question: route %q", resp.Route)
	}
	if text := flows.RenderText(resp.Replies); !strings.Contains(text, "999") {
		t.Errorf("restart reply lacks the emergency line:\n%s", text)
	}
	if !strings.Contains(logs.String(), `"from_step":"","step"`) {
		t.Errorf("the runner did not start the expired conversation afresh; logs:\n%s", logs.String())
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

// A signal during start-up (ctx already done) is a clean stop, not an
// error.
func TestRunWithContextAlreadyDone(t *testing.T) {
	ch := newFake("fake")
	svc := New(openStore(t), prometheus.NewRegistry())
	svc.Addr = "127.0.0.1:0"
	svc.Channels = []bot.Channel{ch}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := svc.Run(ctx); err != nil {
		t.Errorf("Run: got %v, want nil", err)
	}
	if !ch.stopped.Load() {
		t.Errorf("Run returned before the channel stopped")
	}
}

// TestHandlerPanic: a panic in any HTTP handler, the service's own or a
// channel's, gives that request 500 (or a cut connection once the answer
// has begun), turns /readyz to 503 with the reason (the panic's type and
// the handler's pattern, never its value), and is counted; the other
// endpoints go on answering.
func TestHandlerPanic(t *testing.T) {
	const secret = "MARKER-sent-by-someone"
	tests := []struct {
		name     string
		own      bool // mounted by Handlers, not by a channel
		handler  http.HandlerFunc
		wantCode int // 0: the connection is cut
		reason   string
	}{
		{"a channel's handler panicking gets 500", false, func(w http.ResponseWriter, r *http.Request) {
			panic(errors.New(secret))
		}, http.StatusInternalServerError, "an HTTP handler panicked: *errors.errorString at POST /fake/hook"},
		{"a runtime error gets 500", false, func(w http.ResponseWriter, r *http.Request) {
			var none []string
			_ = none[len(r.URL.Path)]
		}, http.StatusInternalServerError, "an HTTP handler panicked: runtime.boundsError at POST /fake/hook"},
		{"the service's own handler panicking gets 500", true, func(w http.ResponseWriter, r *http.Request) {
			panic(secret)
		}, http.StatusInternalServerError, "an HTTP handler panicked: string at POST /fake/hook"},
		{"a panic after the answer began cuts the connection", false, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			panic(secret)
		}, 0, "an HTTP handler panicked: string at POST /fake/hook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			ch := newFake("fake")
			reg := prometheus.NewRegistry()
			panics := prometheus.NewCounter(prometheus.CounterOpts{Name: "panics_total", Help: "test"})
			reg.MustRegister(panics)
			svc := New(openStore(t), reg)
			svc.Panics = panics
			svc.Logger = slog.New(slog.NewJSONHandler(logs, nil))
			handlers := map[string]http.Handler{"POST /fake/hook": tt.handler}
			if tt.own {
				svc.Handlers = handlers
				svc.Channels = []bot.Channel{ch}
			} else {
				ch.handlers = handlers
				svc.Channels = []bot.Channel{httpFake{ch}}
			}
			base, _ := start(t, svc)
			ch.waitRunning(t)

			var r Readiness
			if code := getJSON(t, base+"/readyz", &r); code != http.StatusOK {
				t.Fatalf("/readyz before the panic: %d %+v, want 200", code, r)
			}
			resp, err := http.Post(base+"/fake/hook", "text/plain", strings.NewReader(secret))
			if tt.wantCode == 0 {
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				if err == nil {
					t.Errorf("the answer begun before the panic was delivered whole (status %d)", resp.StatusCode)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.wantCode || bytes.Contains(body, []byte(secret)) {
					t.Errorf("answer: %d %q, want %d without the panic value", resp.StatusCode, body, tt.wantCode)
				}
			}

			if code := getJSON(t, base+"/readyz", &r); code != http.StatusServiceUnavailable || r.Status != "not ready" {
				t.Errorf("/readyz after the panic: %d %q, want 503 not ready", code, r.Status)
			}
			var httpCheck Check
			for _, c := range r.Checks {
				if c.Name == "http" {
					httpCheck = c
				}
			}
			if httpCheck.Status != "failing" || !strings.HasPrefix(httpCheck.Error, tt.reason) || strings.Contains(httpCheck.Error, secret) {
				t.Errorf("http check: %+v, want failing with %q, never the panic value", httpCheck, tt.reason)
			}
			if got := metric(t, base, "panics_total"); got != "1" {
				t.Errorf("panics counted: %s, want 1", got)
			}
			var h Health
			if code := getJSON(t, base+"/healthz", &h); code != http.StatusOK {
				t.Errorf("/healthz after the panic: %d, want 200", code)
			}
			if strings.Contains(logs.String(), secret) || !strings.Contains(logs.String(), "http handler panicked") {
				t.Errorf("log: want the panic logged without its value:\n%s", logs.String())
			}
		})
	}
}

// TestHandlerPanicsCounted: every panic is counted, and /readyz names the
// first and the latest.
func TestHandlerPanicsCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	panics := prometheus.NewCounter(prometheus.CounterOpts{Name: "panics_total", Help: "test"})
	reg.MustRegister(panics)
	svc := New(openStore(t), reg)
	svc.Panics = panics
	svc.Handlers = map[string]http.Handler{
		"GET /a": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("a") }),
		"GET /b": http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(errors.New("b")) }),
	}
	base, _ := start(t, svc)
	for _, p := range []string{"/a", "/a", "/b"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("GET %s: %d, want 500", p, resp.StatusCode)
		}
	}
	if got := metric(t, base, "panics_total"); got != "3" {
		t.Errorf("panics counted: %s, want 3", got)
	}
	var r Readiness
	getJSON(t, base+"/readyz", &r)
	want := "an HTTP handler panicked: string at GET /a; 3 panics since start, the latest: an HTTP handler panicked: *errors.errorString at GET /b; restart whereto"
	for _, c := range r.Checks {
		if c.Name == "http" && c.Error != want {
			t.Errorf("http check error:\n got %q\nwant %q", c.Error, want)
		}
	}
}

// metric returns the value of a metric without labels from /metrics.
func metric(t *testing.T, base, name string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	t.Fatalf("/metrics has no %s:\n%s", name, body)
	return ""
}

var _ Counter = prometheus.NewCounter(prometheus.CounterOpts{Name: "x", Help: "x"})
