// Package service runs whereto as a long-lived process: the configured
// chat channels, one HTTP listener shared by health checks, Prometheus
// metrics and the channels' own endpoints (webhooks), and a sweeper that
// deletes expired sessions. It knows no platform and opens no database: the
// command wires a store, a metrics registry and the channels into a
// Service and calls Run.
//
// # Lifecycle
//
// Run listens, sweeps once, starts every channel, then serves until its
// context is done or a channel stops on its own. It then shuts down in
// reverse order: it stops taking new work (the HTTP server stops accepting
// and finishes the requests in flight, such as a webhook being answered;
// then the channels' contexts are cancelled), waits for every channel's Run
// to return (they store their cursors then), and stops the sweeper, all
// within StopTimeout. Closing the store is left to the caller, after Run
// returns, so that it comes last.
//
// # HTTP
//
//	GET /healthz   200 {"status":"ok",...} while the process is up
//	GET /readyz    200 or 503, {"status":"ready"|"not ready","checks":[...]}:
//	               the database answers a read, every channel is Ready,
//	               and no HTTP handler has panicked
//	GET /metrics   Prometheus text format, from the Gatherer given to New
//
// plus every pattern an HTTPChannel's Handlers returns. Keep the first
// three off the public internet: expose only the channels' paths through a
// reverse proxy.
//
// A panic in any handler (the service's own, Handlers, or a channel's) is
// recovered: the request gets 500 (or, if the answer had begun, its
// connection is cut), the panic is logged with its type and the handler's
// pattern and stack (never its value, which could echo what was sent),
// counted on Service.Panics, and /readyz reports "http" failing from then
// until the process restarts: a handler that panicked may have left its
// channel half-working, which only a restart clears.
package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/whereto-bot/whereto/bot"
)

// Defaults for the zero fields of Service.
const (
	// DefaultAddr is the HTTP listen address: loopback only, so nothing is
	// exposed until the operator says so.
	DefaultAddr = "127.0.0.1:8080"
	// DefaultSweepInterval is how often expired sessions and seen marks
	// are deleted.
	DefaultSweepInterval = 5 * time.Minute
	// DefaultStopTimeout bounds the whole shutdown, so that the process
	// exits within the 10 seconds a supervisor usually allows.
	DefaultStopTimeout = 8 * time.Second
)

// ReadyCursor is the cursor name /readyz reads as its database check. It
// need not exist: reading it proves the file is open and answering.
const ReadyCursor = "readyz"

// Store is what the service needs of the database; *bolt.Store implements
// it. Its methods must be safe for concurrent use.
type Store interface {
	// Cursor reads a named cursor; /readyz uses it as a cheap read.
	Cursor(ctx context.Context, name string) (int64, bool, error)
	// SweepSessions deletes sessions expired at now and returns how many.
	SweepSessions(ctx context.Context, now time.Time) (int, error)
	// SweepSeen deletes seen marks expired at now and returns how many.
	SweepSeen(ctx context.Context, now time.Time) (int, error)
}

// Metrics receives the service's own counts; *metrics.Metrics implements
// it. It must be safe for concurrent use and must not block.
type Metrics interface {
	// SessionsSwept is called after each sweep with the number of expired
	// sessions it deleted.
	SessionsSwept(n int)
}

// Counter counts events; a prometheus.Counter is one. It must be safe for
// concurrent use and must not block.
type Counter interface {
	Inc()
}

// Errors returned by Run.
var (
	// ErrChannelStopped is returned (wrapped, naming the channel and its
	// error) when a channel's Run returned before shutdown: the service
	// cannot keep running as configured, and stops so that its supervisor
	// restarts it.
	ErrChannelStopped = errors.New("service: channel stopped")
	// ErrStopTimeout is returned (wrapped, naming what was still running)
	// when shutdown did not finish within StopTimeout.
	ErrStopTimeout = errors.New("service: shutdown timed out")
)

// Service is whereto running as a service. Create it with New, set the
// optional fields, then call Run once.
type Service struct {
	store    Store
	gatherer prometheus.Gatherer

	// Addr is the TCP address to listen on; default DefaultAddr. Ignored
	// when Listener is set.
	Addr string
	// Listener, if set, is served instead of listening on Addr. Run closes
	// it.
	Listener net.Listener
	// Handlers are more handlers to mount on the shared listener, by
	// pattern (the command's loopback-only admin endpoint).
	Handlers map[string]http.Handler
	// Channels are started by Run, in order, and their HTTP handlers (for
	// an HTTPChannel) mounted on the shared listener. Names must be
	// unique.
	Channels []bot.Channel
	// Logger receives the service's own lines; default discards. Never
	// anything a person typed: the service sees none of it.
	Logger *slog.Logger
	// Metrics, if set, receives the sweeper's counts.
	Metrics Metrics
	// Panics, if set, counts HTTP handlers that panicked (the command
	// registers whereto_http_handler_panics_total).
	Panics Counter
	// SweepInterval is the time between sweeps; default
	// DefaultSweepInterval. Run also sweeps once before it starts the
	// channels.
	SweepInterval time.Duration
	// StopTimeout bounds shutdown; default DefaultStopTimeout.
	StopTimeout time.Duration
	// Now returns the current time for sweeps; default time.Now.
	Now func() time.Time
	// Redact, if set, is applied to error text before it is shown on
	// /readyz (the command passes one that hides secret values, in case a
	// channel's error quotes a URL with a token in it).
	Redact func(string) string
	// Version is shown on /healthz.
	Version string

	started time.Time
	sweeps  chan struct{} // test hook: a value after each sweep, if set and not full

	// panicMu guards the record of handler panics that /readyz reports.
	panicMu   sync.Mutex
	panicked  string // the first: "an HTTP handler panicked: TYPE at PATTERN"
	panicsN   int
	lastPanic string // the latest, when there were several
}

// New returns a Service that sweeps and checks store and serves metrics
// from gatherer.
func New(store Store, gatherer prometheus.Gatherer) *Service {
	return &Service{store: store, gatherer: gatherer}
}

// Run serves until ctx is done, then shuts down as the package
// documentation describes. It returns nil after a clean shutdown caused by
// ctx; an error if it could not start (the address in use, two channels
// with one name, two handlers for one pattern), an error wrapping
// ErrChannelStopped if a channel stopped on its own, and an error wrapping
// ErrStopTimeout if shutdown overran, joined with any error of the
// shutdown itself.
func (s *Service) Run(ctx context.Context) error {
	s.started = time.Now()
	log := s.logger()
	mux, err := s.mux()
	if err != nil {
		if s.Listener != nil {
			_ = s.Listener.Close()
		}
		return err
	}
	ln := s.Listener
	if ln == nil {
		var lc net.ListenConfig
		// Not ctx: a signal during start-up should lead to a clean stop,
		// not to a listen error.
		ln, err = lc.Listen(context.WithoutCancel(ctx), "tcp", s.addr())
		if err != nil {
			return fmt.Errorf("service: listen on %s: %w", s.addr(), err)
		}
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	s.sweep(ctx)

	// The channels' context is cancelled by shutdown, not directly by ctx,
	// so that the order of shutdown is the service's.
	chCtx, stopChannels := context.WithCancel(context.WithoutCancel(ctx))
	defer stopChannels()
	type stopped struct {
		name string
		err  error
	}
	chDone := make(chan stopped, len(s.Channels))
	for _, ch := range s.Channels {
		go func() {
			chDone <- stopped{ch.Name(), runChannel(chCtx, log, ch)}
		}()
	}

	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()

	sweepCtx, stopSweeper := context.WithCancel(context.WithoutCancel(ctx))
	sweeperDone := make(chan struct{})
	go func() {
		defer close(sweeperDone)
		s.sweepLoop(sweepCtx)
	}()

	names := make([]string, 0, len(s.Channels))
	for _, ch := range s.Channels {
		names = append(names, ch.Name())
	}
	log.Info("serving", "addr", ln.Addr().String(), "channels", names,
		"paths", []string{"/healthz", "/readyz", "/metrics"}, "startup", time.Since(s.started))

	// Wait for the reason to stop.
	var cause error
	running := len(s.Channels)
	select {
	case <-ctx.Done():
		log.Info("shutting down", "reason", context.Cause(ctx).Error())
	case st := <-chDone:
		running--
		err := st.err
		if err == nil {
			err = errors.New("it returned without being asked to stop")
		}
		cause = fmt.Errorf("%w: %s: %w", ErrChannelStopped, st.name, err)
		log.Error("channel stopped; shutting down so that the supervisor restarts whereto",
			"channel", st.name, "err", err)
	case err := <-srvErr:
		srvErr <- err // for the shutdown below
		cause = fmt.Errorf("service: http server: %w", err)
		log.Error("http server failed; shutting down", "err", err)
	}

	stopBegan := time.Now()

	// Stop intake. First the listener stops accepting and the requests in
	// flight finish (a webhook's message is answered), within half the
	// time allowed; only then are the channels told to stop, so that a
	// channel storing its cursor on the way out has seen all its work.
	deadline, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.stopTimeout())
	defer cancel()
	httpDeadline, cancelHTTP := context.WithTimeout(deadline, s.stopTimeout()/2)
	defer cancelHTTP()
	var httpErr error
	if err := srv.Shutdown(httpDeadline); err != nil {
		httpErr = fmt.Errorf("service: http shutdown: %w", err)
		_ = srv.Close()
		log.Error("http requests still running at shutdown; closed", "err", err)
	}
	stopChannels()

	// Wait for every channel's Run to return.
	var errs []error
	for running > 0 {
		select {
		case st := <-chDone:
			running--
			if st.err != nil {
				errs = append(errs, fmt.Errorf("service: channel %s: %w", st.name, st.err))
				log.Error("channel stopped with an error", "channel", st.name, "err", st.err)
			} else {
				log.Info("channel stopped", "channel", st.name)
			}
		case <-deadline.Done():
			errs = append(errs, fmt.Errorf("%w: %d channel(s) still running after %v", ErrStopTimeout, running, s.stopTimeout()))
			log.Error("channels did not stop in time", "running", running, "timeout", s.stopTimeout())
			running = 0
		}
	}
	if err := <-srvErr; err != nil && !errors.Is(err, http.ErrServerClosed) && cause == nil {
		errs = append(errs, fmt.Errorf("service: http server: %w", err))
	}
	stopSweeper()
	<-sweeperDone
	log.Info("stopped", "took", time.Since(stopBegan))
	return errors.Join(append([]error{cause, httpErr}, errs...)...)
}

// runChannel runs ch, turning a panic into an error so that one channel's
// bug stops the service cleanly instead of killing it without a flush.
func runChannel(ctx context.Context, log *slog.Logger, ch bot.Channel) (err error) {
	defer func() {
		if p := recover(); p != nil {
			// The stack names code, not input; the panic value could echo
			// input, so only its type is logged (as the runner does).
			log.Error("channel panicked", "channel", ch.Name(), "panic_type", fmt.Sprintf("%T", p), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %T", p)
		}
	}()
	return ch.Run(ctx)
}

// mux returns the HTTP routes: health, readiness, metrics and the
// channels' handlers. It returns an error for two channels with one name or
// a pattern claimed twice.
func (s *Service) mux() (mux *http.ServeMux, err error) {
	mux = http.NewServeMux()
	seen := map[string]bool{}
	for _, ch := range s.Channels {
		if seen[ch.Name()] {
			return nil, fmt.Errorf("service: two channels named %q", ch.Name())
		}
		seen[ch.Name()] = true
	}
	handle := func(owner, pattern string, h http.Handler) (err error) {
		// ServeMux panics on a conflicting or malformed pattern.
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("service: %s: cannot serve %q: %v", owner, pattern, p)
			}
		}()
		mux.Handle(pattern, s.recovering(pattern, h))
		return nil
	}
	own := map[string]http.Handler{
		"GET /healthz": http.HandlerFunc(s.healthz),
		"GET /readyz":  http.HandlerFunc(s.readyz),
		"GET /metrics": promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{
			ErrorLog:      slog.NewLogLogger(s.logger().Handler(), slog.LevelError),
			ErrorHandling: promhttp.ContinueOnError,
		}),
	}
	for _, p := range []string{"GET /healthz", "GET /readyz", "GET /metrics"} {
		if err := handle("service", p, own[p]); err != nil {
			return nil, err
		}
	}
	for pattern, h := range s.Handlers {
		if err := handle("service", pattern, h); err != nil {
			return nil, err
		}
	}
	for _, ch := range s.Channels {
		hc, ok := ch.(bot.HTTPChannel)
		if !ok {
			continue
		}
		for pattern, h := range hc.Handlers() {
			if err := handle("channel "+ch.Name(), pattern, h); err != nil {
				return nil, err
			}
		}
	}
	return mux, nil
}

// Health is the body of /healthz.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
	// Uptime is in seconds.
	Uptime float64 `json:"uptime_seconds"`
}

func (s *Service) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, Health{Status: "ok", Version: s.Version, Uptime: time.Since(s.started).Seconds()})
}

// Readiness is the body of /readyz.
type Readiness struct {
	// Status is "ready" when every check passed, else "not ready".
	Status string  `json:"status"`
	Checks []Check `json:"checks"`
}

// Check is one readiness check: the database or a channel by name.
type Check struct {
	Name string `json:"name"`
	// Status is "ok" or "failing".
	Status string `json:"status"`
	// Error says why a failing check failed.
	Error string `json:"error,omitempty"`
}

// Ready runs the readiness checks: a read from the store, each channel's
// Ready, in order, then "http": that no HTTP handler has panicked since
// Run began. It reports whether all passed.
func (s *Service) Ready(ctx context.Context) (Readiness, bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var checks []Check
	add := func(name string, err error) {
		c := Check{Name: name, Status: "ok"}
		if err != nil {
			c.Status, c.Error = "failing", s.redact(err.Error())
		}
		checks = append(checks, c)
	}
	_, _, err := s.store.Cursor(ctx, ReadyCursor)
	add("database", err)
	for _, ch := range s.Channels {
		add(ch.Name(), ready(ch))
	}
	add("http", s.panicErr())
	ok := true
	for _, c := range checks {
		ok = ok && c.Status == "ok"
	}
	r := Readiness{Status: "ready", Checks: checks}
	if !ok {
		r.Status = "not ready"
	}
	return r, ok
}

// recovering returns h with its panics recovered, as the package
// documentation describes. http.ErrAbortHandler, which a handler panics
// with on purpose to cut a response short, is passed on untouched.
func (s *Service) recovering(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &startedWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.handlerPanicked(r.Context(), pattern, p)
			if rw.started {
				// Part of an answer has gone: cut the connection rather
				// than let it pass for a whole one.
				panic(http.ErrAbortHandler)
			}
			http.Error(w, "internal server error", http.StatusInternalServerError)
		}()
		h.ServeHTTP(rw, r)
	})
}

// handlerPanicked logs, counts and records a recovered panic p of the
// handler for pattern.
func (s *Service) handlerPanicked(ctx context.Context, pattern string, p any) {
	why := fmt.Sprintf("an HTTP handler panicked: %T at %s", p, pattern)
	s.logger().ErrorContext(ctx, "http handler panicked; /readyz now reports not ready",
		"pattern", pattern, "panic_type", fmt.Sprintf("%T", p), "stack", string(debug.Stack()))
	if s.Panics != nil {
		s.Panics.Inc()
	}
	s.panicMu.Lock()
	defer s.panicMu.Unlock()
	s.panicsN++
	if s.panicked == "" {
		s.panicked = why
	}
	s.lastPanic = why
}

// panicErr returns why /readyz fails for handler panics, or nil if none.
func (s *Service) panicErr() error {
	s.panicMu.Lock()
	defer s.panicMu.Unlock()
	switch {
	case s.panicsN == 0:
		return nil
	case s.panicsN == 1:
		return errors.New(s.panicked + "; restart whereto")
	default:
		return fmt.Errorf("%s; %d panics since start, the latest: %s; restart whereto", s.panicked, s.panicsN, s.lastPanic)
	}
}

// startedWriter notes whether a response has begun. Unwrap lets
// http.ResponseController reach the writer underneath.
type startedWriter struct {
	http.ResponseWriter
	started bool
}

func (w *startedWriter) WriteHeader(code int) {
	w.started = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *startedWriter) Write(b []byte) (int, error) {
	w.started = true
	return w.ResponseWriter.Write(b)
}

// Flush passes a flush on, for handlers that stream.
func (w *startedWriter) Flush() {
	w.started = true
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *startedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ready calls ch.Ready, turning a panic into an error.
func ready(ch bot.Channel) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("readiness check panicked: %T", p)
		}
	}()
	return ch.Ready()
}

func (s *Service) readyz(w http.ResponseWriter, r *http.Request) {
	body, ok := s.Ready(r.Context())
	code := http.StatusOK
	if !ok {
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, body)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // a client that hung up is not our error
}

// sweep deletes expired sessions and seen marks once and logs what it did.
func (s *Service) sweep(ctx context.Context) {
	now := s.now()
	log := s.logger()
	sessions, err := s.store.SweepSessions(ctx, now)
	if err != nil && ctx.Err() == nil {
		log.Error("sweeping expired sessions failed", "err", err)
	}
	seen, err2 := s.store.SweepSeen(ctx, now)
	if err2 != nil && ctx.Err() == nil {
		log.Error("sweeping expired seen marks failed", "err", err2)
	}
	if s.Metrics != nil {
		s.Metrics.SessionsSwept(sessions)
	}
	if err == nil && err2 == nil {
		log.Debug("swept", "sessions", sessions, "seen", seen)
	}
	if s.sweeps != nil {
		select {
		case s.sweeps <- struct{}{}:
		default:
		}
	}
}

func (s *Service) sweepLoop(ctx context.Context) {
	t := time.NewTicker(s.sweepInterval())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweep(ctx)
		}
	}
}

func (s *Service) addr() string {
	if s.Addr != "" {
		return s.Addr
	}
	return DefaultAddr
}

func (s *Service) sweepInterval() time.Duration {
	if s.SweepInterval > 0 {
		return s.SweepInterval
	}
	return DefaultSweepInterval
}

func (s *Service) stopTimeout() time.Duration {
	if s.StopTimeout > 0 {
		return s.StopTimeout
	}
	return DefaultStopTimeout
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (s *Service) redact(msg string) string {
	if s.Redact != nil {
		return s.Redact(msg)
	}
	return msg
}
