package telegram_test

import (
	"bufio"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot/telegram"
)

// answerKind names the command a reply answers, from how it starts.
func answerKind(text string) string {
	switch {
	case strings.HasPrefix(text, "I can tell you where"):
		return "/help"
	case strings.HasPrefix(text, "<b>Luton Community Safety Partnership</b>"):
		return "/about"
	case strings.HasPrefix(text, "Call 999 now."):
		return "/emergency"
	}
	return "?"
}

// BenchmarkThroughput: the fake Bot API holds 10,000 updates from 1,000
// chats (ten each: /help, /about, /emergency in turn); the limiter is off.
// It reports updates answered per second and the peak heap, and checks
// that every update was answered exactly once, in its chat's order.
//
//	go test -run '^$' -bench Throughput -benchtime 1x ./bot/telegram
func BenchmarkThroughput(b *testing.B) {
	const chats, perChat = 1000, 10
	cmds := []string{"/help", "/about", "/emergency"}
	for range b.N {
		b.StopTimer()
		api := newFakeAPI(b)
		api.light = true
		for round := range perChat {
			for c := range chats {
				api.text(int64(10_000+c), cmds[round%len(cmds)])
			}
		}
		lastID := api.nextUpdateID()
		runtime.GC()

		var peak atomic.Uint64
		stopSampling := sampleHeap(&peak)
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		h := newHarness(b, options{api: api, cfg: func(c *telegram.Config) {
			c.PollTimeout = time.Second
			// As in production: info level (one line per update is the
			// runner's, at info; the bot's own per-update line is debug).
			c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
		}})
		api.await(b, "every update to be answered", 60*time.Second, func() bool { return api.confirmedPast(lastID) })
		took, cpu := time.Since(start), cpuTime()-cpu0
		b.StopTimer()
		stopSampling()
		_ = h.stop()

		// /about is two messages (the about text with its link, then the
		// menu); the others one. Each answer is recognised by its first.
		byChat := map[int64][]string{}
		for _, s := range api.allSent() {
			if k := answerKind(s.Text); k != "?" {
				byChat[s.Chat] = append(byChat[s.Chat], k)
			}
		}
		var want []string
		for round := range perChat {
			want = append(want, cmds[round%len(cmds)])
		}
		for c := range chats {
			if got := byChat[int64(10_000+c)]; !slices.Equal(got, want) {
				b.Fatalf("chat %d answered %v, want %v", c, got, want)
			}
		}
		api.release()
		b.ReportMetric(float64(chats*perChat)/took.Seconds(), "updates/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		// CPU time of the whole process (bot and fake server) per update:
		// what the rate would be on idle cores, whatever else runs.
		b.ReportMetric(float64(cpu.Microseconds())/float64(chats*perChat), "cpu-µs/update")
		if rss := peakRSS(); rss > 0 {
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
		}
		b.StartTimer()
	}
}

// BenchmarkLimiter: 300 replies to 100 chats with the default limits (30
// a second in all, 1 a second a chat with bursts of 3). No one-second
// window may carry more than 30 sends, as the fake Telegram receives them,
// and the average must stay at or above 27 a second. It takes about ten
// seconds.
//
//	go test -run '^$' -bench Limiter -benchtime 1x ./bot/telegram
func BenchmarkLimiter(b *testing.B) {
	const chats, perChat = 100, 3
	for range b.N {
		b.StopTimer()
		api := newFakeAPI(b)
		api.light = true
		for range perChat {
			for c := range chats {
				api.text(int64(20_000+c), "/help")
			}
		}
		lastID := api.nextUpdateID()
		b.StartTimer()
		h := newHarness(b, options{api: api, cfg: func(c *telegram.Config) {
			c.GlobalRate, c.PerChatRate, c.PerChatBurst = 0, 0, 0 // the defaults
		}})
		api.await(b, "every reply", 30*time.Second, func() bool { return api.confirmedPast(lastID) })
		b.StopTimer()
		_ = h.stop()

		var at []time.Time
		for _, s := range api.allSent() {
			at = append(at, s.At)
		}
		if len(at) != chats*perChat {
			b.Fatalf("%d replies, want %d", len(at), chats*perChat)
		}
		slices.SortFunc(at, func(x, y time.Time) int { return x.Compare(y) })
		most := 0
		for i, j := 0, 0; i < len(at); i++ {
			for j < len(at) && at[j].Sub(at[i]) < time.Second {
				j++
			}
			most = max(most, j-i)
		}
		rate := float64(len(at)-1) / at[len(at)-1].Sub(at[0]).Seconds()
		b.ReportMetric(float64(most), "max-sends/1s-window")
		b.ReportMetric(rate, "sends/s")
		if most > telegram.DefaultGlobalRate {
			b.Errorf("a one-second window carried %d sends, more than %d", most, telegram.DefaultGlobalRate)
		}
		if rate < 27 {
			b.Errorf("average %.1f sends a second, want at least 27", rate)
		}
		b.StartTimer()
	}
}

// sampleHeap records the largest HeapInuse seen every 5 ms until stopped.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// cpuTime is the user and system CPU time used by the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's peak resident set (VmHWM), 0 if unknown.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
