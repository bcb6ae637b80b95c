package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/flows"
)

// Load over loopback, through the web chat as 'whereto serve' runs it:
//
//	go test ./bot/web -run '^$' -bench 'WebConversations|LoopbackFloor' -benchtime 1x -count 3
//	go test ./bot/web -run '^$' -bench 'WebConversationsPaced' -benchtime 1x -count 3
//	go test ./bot/web -run '^$' -bench WebTurn -benchtime 5000x -count 3
//
// BenchmarkWebConversations runs issue 13's load (1,000 conversations at
// once, each from its own client, the greeting then 5 turns with no pause)
// and reports the turns' p50/p99 reply times, requests a second, CPU a
// request (the clients' included: they share the machine) and heap per open
// conversation. BenchmarkLoopbackFloor runs the same load on a handler that
// does nothing, for comparison. BenchmarkWebTurn reports p50/p99 of one
// POSTed message from 2 clients.

// benchStack is the web chat as 'whereto serve' builds it: the real runner
// on a bbolt store in a temporary directory (sessions, the directory, route
// counts and the conversation key; sessions written behind, flushed once a
// second), logging JSON lines at Info to a file as serve logs to stderr,
// on a loopback listener.
type benchStack struct {
	store    *bolt.Store
	sessions *countingStore
	srv      *httptest.Server
}

// countingStore is the store, counting session writes.
type countingStore struct {
	*bolt.Store
	puts atomic.Int64
}

func (s *countingStore) PutSession(ctx context.Context, key string, data []byte, expires time.Time) error {
	s.puts.Add(1)
	return s.Store.PutSession(ctx, key, data, expires)
}

func newBenchStack(b *testing.B, cfg Config) *benchStack {
	b.Helper()
	dir := b.TempDir()
	st, err := bolt.Open(filepath.Join(dir, "whereto.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := st.Close(); err != nil {
			b.Error(err)
		}
	})
	logFile, err := os.Create(filepath.Join(dir, "log.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { logFile.Close() })
	log := slog.New(slog.NewJSONHandler(logFile, nil))
	if err := flows.Warm(st.Directory()); err != nil {
		b.Fatal(err)
	}
	s := &benchStack{store: st, sessions: &countingStore{Store: st}}
	runner := bot.NewRunner(st, s.sessions)
	runner.Counter = st
	runner.Logger = log
	key, err := LoadKey(b.Context(), st)
	if err != nil {
		b.Fatal(err)
	}
	cfg.Key, cfg.Directory, cfg.Logger = key, st, log.With("channel", ChannelName)
	chat, err := New(cfg, runner)
	if err != nil {
		b.Fatal(err)
	}
	s.srv = httptest.NewServer(chat.Handler())
	b.Cleanup(s.srv.Close)
	return s
}

// loadClient is one person's browser: its own keep-alive connection from its
// own address (all of 127.0.0.0/8 is loopback, so conversation n comes
// from 127.1.x.y), and a buffer for pages.
type loadClient struct {
	base string
	tr   *http.Transport
	c    *http.Client
	page bytes.Buffer
}

func newLoadClient(base string, n int) *loadClient {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 1, byte(n/250), byte(n%250+1))}}
	tr := &http.Transport{DialContext: d.DialContext, MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}
	return &loadClient{base: base, tr: tr, c: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

var tokenField = []byte(`name="c" value="`)

// do sends req and returns the conversation token of the page answered.
func (br *loadClient) do(req *http.Request) (string, error) {
	resp, err := br.c.Do(req)
	if err != nil {
		return "", err
	}
	br.page.Reset()
	_, err = br.page.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", errors.New(resp.Status)
	}
	body := br.page.Bytes()
	i := bytes.Index(body, tokenField)
	if i < 0 {
		return "", errors.New("no token in the page")
	}
	body = body[i+len(tokenField):]
	if j := bytes.IndexByte(body, '"'); j > 0 {
		return string(body[:j]), nil
	}
	return "", errors.New("no token in the page")
}

// start opens the chat (GET /chat) and returns the token.
func (br *loadClient) start() (string, error) {
	req, err := http.NewRequest(http.MethodGet, br.base+"/chat", nil)
	if err != nil {
		return "", err
	}
	return br.do(req)
}

// say posts text in the conversation of tok and returns the next token.
func (br *loadClient) say(tok, text string) (string, error) {
	form := url.Values{"c": {tok}, "text": {text}}.Encode()
	req, err := http.NewRequest(http.MethodPost, br.base+"/chat", strings.NewReader(form))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return br.do(req)
}

// percentile returns the p-th percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d)-1) * p)
	return d[i]
}

// cpuTime is the user and system CPU time used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// keepGoroutineRecords starts n goroutines at once and lets them end. The
// runtime keeps the record of each goroutine that has ended, for reuse, so
// that the heap per conversation counts conversations and not the records
// of the run's goroutines (about 4 a conversation, client included).
func keepGoroutineRecords(n int) {
	var started, wg sync.WaitGroup
	release := make(chan struct{})
	for range n {
		started.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			<-release
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
}

var benchMessages = []string{
	"someone dumped rubbish in my street",
	"LU1",
	"my neighbour keeps shouting racist abuse at me",
	"no",
	"I think a child on my road is being neglected",
}

func BenchmarkWebTurn(b *testing.B) {
	s := newBenchStack(b, Config{Rate: rate.Inf}) // two clients, one address
	warm := newLoadClient(s.srv.URL, 0)
	if tok, err := warm.start(); err != nil {
		b.Fatal(err)
	} else if _, err := warm.say(tok, benchMessages[0]); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var lat []time.Duration
	var n atomic.Int64
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		br := newLoadClient(s.srv.URL, int(n.Add(1)))
		defer br.tr.CloseIdleConnections()
		tok, err := br.start()
		if err != nil {
			b.Error(err)
			return
		}
		var mine []time.Duration
		for i := 0; pb.Next(); i++ {
			t0 := time.Now()
			next, err := br.say(tok, benchMessages[i%len(benchMessages)])
			if err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
			tok = next
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	took := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/took.Seconds(), "req/s")
	reportLatency(b, lat)
}

// Issue 13's load: 1,000 conversations at once, each the greeting and then
// 5 turns, with no pause between them.
const loadConversations, loadTurns = 1000, 5

// newLoadStack is the service the load benchmarks run against, with one
// conversation already held, so that the first measured request does not
// pay for a cold start. The rate limit is on, as in serve: each browser
// has its own address and stays within the burst.
func newLoadStack(b *testing.B) *benchStack {
	b.Helper()
	s := newBenchStack(b, Config{})
	warm := newLoadClient(s.srv.URL, loadConversations)
	if tok, err := warm.start(); err != nil {
		b.Fatal(err)
	} else if _, err := warm.say(tok, benchMessages[0]); err != nil {
		b.Fatal(err)
	}
	warm.tr.CloseIdleConnections()
	return s
}

// reportLatency reports the median and p99 of the sorted latencies lat.
func reportLatency(b *testing.B, lat []time.Duration) {
	b.ReportMetric(float64(percentile(lat, .50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, .99).Microseconds())/1000, "p99-ms")
}

func BenchmarkWebConversations(b *testing.B) {
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		s := newLoadStack(b)
		puts0 := s.sessions.puts.Load()
		goroutines := runtime.NumGoroutine()
		keepGoroutineRecords(4 * loadConversations)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		runConversations(b, s.srv.URL)
		b.StopTimer()

		// Memory per open conversation: the browsers have gone and their
		// connections are closed; the sessions are open, written to the
		// file as serve's flush does.
		s.srv.CloseClientConnections()
		for wait := time.Now(); runtime.NumGoroutine() > goroutines && time.Since(wait) < 5*time.Second; {
			time.Sleep(10 * time.Millisecond)
		}
		if err := s.store.Flush(b.Context()); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.GC() // and what sync.Pools held (net/http's buffers)
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/loadConversations, "heap-B/conv")
		if puts, want := s.sessions.puts.Load()-puts0, int64(loadConversations*(loadTurns+1)); puts < want {
			b.Errorf("sessions written: %d, want %d", puts, want)
		}
		s.srv.Close()
		b.StartTimer()
	}
}

// BenchmarkWebConversationsPaced is issue 13's load as people make it:
// 1,000 conversations open at once, each the greeting and then 5 turns,
// each person taking 1 to 3 seconds (spread evenly, the same every run)
// to read an answer and send the next message. People type slower than
// that; with no pause at all (BenchmarkWebConversations) 1,000 requests
// always wait in line, and the reply time measures the queue, not a reply.
func BenchmarkWebConversationsPaced(b *testing.B) {
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		s := newLoadStack(b)
		b.StartTimer()
		runConversationsPaced(b, s.srv.URL, func(i, t int) time.Duration {
			// A fixed spread over [1 s, 3 s): a multiplicative hash of
			// the conversation and the turn.
			h := uint32(i*loadTurns+t) * 2654435761
			return time.Second + time.Duration(h%2000)*time.Millisecond
		})
		b.StopTimer()
		s.srv.Close()
		b.StartTimer()
	}
}

// BenchmarkLoopbackFloor is the same load on a handler that does nothing
// but read the form and write a page of the same size with a token: what
// the HTTP server and the 1,000 clients cost on this machine, before any
// conversation.
func BenchmarkLoopbackFloor(b *testing.B) {
	page := strings.Repeat("x", 4000) + `<input type="hidden" name="c" value="token">`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	}))
	defer srv.Close()
	for n := 0; n < b.N; n++ {
		runtime.GC()
		runConversations(b, srv.URL)
	}
}

// runConversations runs the load against base, each conversation from its
// own client, and reports the turns' p50 and p99 (the greeting is not
// timed), requests a second, and the process's CPU a request, the
// clients' included.
func runConversations(b *testing.B, base string) {
	b.Helper()
	runConversationsPaced(b, base, nil)
}

// runConversationsPaced is runConversations with think(i, t), when not
// nil, the pause conversation i takes before its turn t, as a person
// reads the answer and types the next message.
func runConversationsPaced(b *testing.B, base string, think func(i, t int) time.Duration) {
	b.Helper()
	clients := make([]*loadClient, loadConversations)
	for i := range clients {
		clients[i] = newLoadClient(base, i)
	}
	defer func() {
		for _, cl := range clients {
			cl.tr.CloseIdleConnections()
		}
	}()
	var mu sync.Mutex
	lat := make([]time.Duration, 0, loadConversations*loadTurns)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			tok, err := cl.start()
			if err != nil {
				b.Error(err)
				return
			}
			mine := make([]time.Duration, 0, loadTurns)
			for t := 0; t < loadTurns; t++ {
				if think != nil {
					// Pacing the load, as people do; nothing waits on it.
					<-time.After(think(i, t))
				}
				t0 := time.Now()
				tok, err = cl.say(tok, benchMessages[(i+t)%len(benchMessages)])
				if err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	start, cpu0 := time.Now(), cpuTime()
	close(gate)
	wg.Wait()
	took, cpu := time.Since(start), cpuTime()-cpu0
	if len(lat) != loadConversations*loadTurns {
		b.Fatalf("%d turns answered, want %d", len(lat), loadConversations*loadTurns)
	}
	slices.Sort(lat)
	requests := loadConversations * (loadTurns + 1)
	b.ReportMetric(float64(requests)/took.Seconds(), "req/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(requests), "cpu-us/req")
	reportLatency(b, lat)
}
