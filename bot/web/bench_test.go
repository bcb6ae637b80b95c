package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// Load over loopback, through the real runner, the default directory and
// in-memory sessions (bbolt's cost is measured in directory/bolt):
//
//	go test ./bot/web -run '^$' -bench . -benchtime 2000x
//
// BenchmarkWebTurn reports requests a second and p50/p99 reply times of
// one POSTed message; BenchmarkWebConversations runs the load: 1,000
// conversations at once, 5 turns each after the greeting, with memory per
// open conversation.

func benchServer(b *testing.B) (*fixture, *httptest.Server, *http.Client) {
	b.Helper()
	f := newFixture(b, Config{Rate: rate.Inf})
	srv := httptest.NewServer(f.h)
	b.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConns: 2000, MaxIdleConnsPerHost: 2000, MaxConnsPerHost: 2000}
	b.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	// Warm up: the classifier is built on first use.
	benchTurn(b, c, srv.URL, url.Values{"c": {benchStart(b, c, srv.URL)}, "text": {benchMessages[0]}})
	return f, srv, c
}

// turn posts one message and returns the next token.
func benchTurn(b *testing.B, c *http.Client, base string, form url.Values) string {
	resp, err := c.PostForm(base+"/chat", form)
	if err != nil {
		b.Error(err)
		return ""
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Errorf("status %d", resp.StatusCode)
		return ""
	}
	m := tokenRE.FindSubmatch(body)
	if m == nil {
		b.Error("no token")
		return ""
	}
	return string(m[1])
}

func benchStart(b *testing.B, c *http.Client, base string) string {
	resp, err := c.Get(base + "/chat")
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := tokenRE.FindSubmatch(body)
	if m == nil {
		b.Fatal("no token")
	}
	return string(m[1])
}

// percentile returns the p-th percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(float64(len(d)-1) * p)
	return d[i]
}

var benchMessages = []string{
	"someone dumped rubbish in my street",
	"LU1",
	"my neighbour keeps shouting racist abuse at me",
	"no",
	"I think a child on my road is being neglected",
}

func BenchmarkWebTurn(b *testing.B) {
	_, srv, c := benchServer(b)
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		tok := benchStart(b, c, srv.URL)
		var mine []time.Duration
		i := 0
		for pb.Next() {
			t0 := time.Now()
			if next := benchTurn(b, c, srv.URL, url.Values{"c": {tok}, "text": {benchMessages[i%len(benchMessages)]}}); next != "" {
				tok = next
			}
			mine = append(mine, time.Since(t0))
			i++
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	took := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/took.Seconds(), "req/s")
	b.ReportMetric(float64(percentile(lat, .50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, .99).Microseconds())/1000, "p99-ms")
}

func BenchmarkWebConversations(b *testing.B) {
	const conversations, turns = 1000, 5
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		f, srv, c := benchServer(b)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()

		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		gate := make(chan struct{})
		start := time.Now()
		for i := 0; i < conversations; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				tok := benchStart(b, c, srv.URL)
				mine := make([]time.Duration, 0, turns)
				for t := 0; t < turns; t++ {
					t0 := time.Now()
					tok = benchTurn(b, c, srv.URL, url.Values{"c": {tok}, "text": {benchMessages[(i+t)%len(benchMessages)]}})
					mine = append(mine, time.Since(t0))
					if tok == "" {
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		close(gate)
		wg.Wait()
		took := time.Since(start)
		b.StopTimer()

		// Memory per open conversation: the sessions are still held.
		c.Transport.(*http.Transport).CloseIdleConnections()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		slices.Sort(lat)
		if len(lat) != conversations*turns {
			b.Fatalf("%d turns answered, want %d", len(lat), conversations*turns)
		}
		b.ReportMetric(float64(conversations*(turns+1))/took.Seconds(), "req/s")
		b.ReportMetric(float64(percentile(lat, .50).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(percentile(lat, .99).Microseconds())/1000, "p99-ms")
		perConv := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / conversations
		b.ReportMetric(perConv, "heap-B/conv")
		if f.sessions.puts.Load() < conversations*(turns+1) {
			b.Errorf("sessions written: %d", f.sessions.puts.Load())
		}
		srv.Close()
		b.StartTimer()
	}
}
