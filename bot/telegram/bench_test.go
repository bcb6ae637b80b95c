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

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

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

// burst queues n updates at the fake, one from each of n chats (from
// first), cycling /help, /about and /emergency, so that no two are merged.
func burst(api *fakeAPI, first int64, n int) {
	cmds := []string{"/help", "/about", "/emergency"}
	for c := range n {
		api.text(first+int64(c), cmds[c%len(cmds)])
	}
}

// runWhereto answers what the fake holds with the bot (limiter off, the
// inbox on a real bbolt file) and returns how long it took and the
// process's CPU time meanwhile.
func runWhereto(b *testing.B, api *fakeAPI) (took, cpu time.Duration) {
	lastID := api.nextUpdateID()
	start, cpu0 := time.Now(), cpuTime()
	h := newHarness(b, options{api: api, cfg: func(c *telegram.Config) {
		c.PollTimeout = time.Second
		// As in production: info level (one line per update is the
		// runner's, at info; the bot's own per-update line is debug).
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}})
	h.awaitHandledWithin(lastID, 2*time.Minute)
	took, cpu = time.Since(start), cpuTime()-cpu0
	_ = h.stop()
	return took, cpu
}

// checkOneEach checks that each of n chats from first got one answer, to
// its command (see burst).
func checkOneEach(b *testing.B, api *fakeAPI, first int64, n int) {
	cmds := []string{"/help", "/about", "/emergency"}
	byChat := map[int64][]string{}
	for _, s := range api.allSent() {
		if k := answerKind(s.Text); k != "?" {
			byChat[s.Chat] = append(byChat[s.Chat], k)
		}
	}
	for c := range n {
		if got, want := byChat[first+int64(c)], []string{cmds[c%len(cmds)]}; !slices.Equal(got, want) {
			b.Fatalf("chat %d answered %v, want %v", c, got, want)
		}
	}
}

// BenchmarkThroughput: the fake Bot API holds 10,000 updates from 10,000
// chats (/help, /about, /emergency in turn); the limiter is off and the
// inbox is on disk. It reports updates answered per second, the peak heap
// and the CPU time per update, and checks that every update was answered
// once.
//
//	go test -run '^$' -bench Throughput -benchtime 1x ./bot/telegram
func BenchmarkThroughput(b *testing.B) {
	const chats = 10_000
	for range b.N {
		b.StopTimer()
		api := newFakeAPI(b)
		api.light = true
		burst(api, 10_000, chats)
		runtime.GC()
		var peak atomic.Uint64
		stopSampling := sampleHeap(&peak)
		b.StartTimer()
		took, cpu := runWhereto(b, api)
		b.StopTimer()
		stopSampling()
		checkOneEach(b, api, 10_000, chats)
		api.release()
		b.ReportMetric(float64(chats)/took.Seconds(), "updates/s")
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
		// CPU time of the whole process (bot and fake server) per update:
		// what the rate would be on idle cores, whatever else runs.
		b.ReportMetric(float64(cpu.Microseconds())/chats, "cpu-µs/update")
		if rss := peakRSS(); rss > 0 {
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
		}
		b.StartTimer()
	}
}

// BenchmarkCPUAgainstPeer: the CPU time per update of whereto (limiter
// off, the durable inbox on a bbolt file, the whole conversation) against
// a minimal go-telegram-bot-api bot (GetUpdatesChan, then Send: no inbox,
// no conversation, nothing on disk), each answering 10,000 updates from
// 10,000 chats of the same fake Bot API, one after the other in the same
// run, three times in turn (the medians are reported). CPU time is the
// whole process's: the fake server is included, and
// it checks each message it is sent (HTML, keyboards) as Telegram would.
// So that it does the same work for both, the peer answers each update
// with the very message whereto gives to it (its HTML and buttons,
// recorded first); "echo" is the same peer sending the text back as
// plain text, the smallest answer there is. It reports both ratios.
// Issue 15's target is at most 1.5 times the peer; whereto measures 1.26
// to 1.47 (docs/PERFORMANCE.md). The benchmark fails above
// cpuRatioGuard, a guard against regressions set above what noise on a
// busy two-core machine reaches.
//
//	go test -run '^$' -bench CPUAgainstPeer -benchtime 1x ./bot/telegram
func BenchmarkCPUAgainstPeer(b *testing.B) {
	const chats = 10_000
	// whereto's answers, as the peer will send them.
	rec := newFakeAPI(b)
	burst(rec, 10_000, 3)
	runWhereto(b, rec)
	answers := map[string][]sent{}
	for i, s := range rec.allSent() {
		cmd := []string{"/help", "/about", "/emergency"}[s.Chat-10_000]
		answers[cmd] = append(answers[cmd], rec.allSent()[i])
	}
	for range b.N {
		b.StopTimer()
		peer := func(same bool) time.Duration {
			runtime.GC()
			api := newFakeAPI(b)
			api.light = true
			burst(api, 10_000, chats)
			var replies map[string][]sent
			if same {
				replies = answers
			}
			_, cpu := runPeer(b, api, chats, replies)
			api.release()
			return cpu
		}
		// Three rounds, the three bots in turn, and the median of each:
		// this machine is shared, and one slow moment must not decide.
		var echoes, peers, ours []time.Duration
		var took time.Duration
		for range cpuRounds {
			echoes = append(echoes, peer(false))
			peers = append(peers, peer(true))
			runtime.GC()
			api := newFakeAPI(b)
			api.light = true
			burst(api, 10_000, chats)
			b.StartTimer()
			t, cpu := runWhereto(b, api)
			b.StopTimer()
			checkOneEach(b, api, 10_000, chats)
			api.release()
			ours, took = append(ours, cpu), t
		}
		echoCPU, peerCPU, cpu := median(echoes), median(peers), median(ours)

		ratio := float64(cpu) / float64(peerCPU)
		b.ReportMetric(float64(cpu.Microseconds())/chats, "whereto-cpu-µs/update")
		b.ReportMetric(float64(peerCPU.Microseconds())/chats, "peer-cpu-µs/update")
		b.ReportMetric(float64(echoCPU.Microseconds())/chats, "echo-cpu-µs/update")
		b.ReportMetric(ratio, "cpu-ratio")
		b.ReportMetric(float64(cpu)/float64(echoCPU), "cpu-ratio-to-echo")
		b.ReportMetric(float64(chats)/took.Seconds(), "whereto-updates/s")
		if ratio > cpuRatioGuard {
			b.Errorf("whereto used %.2f times the peer's CPU per update (%d µs against %d; %d for a plain echo), want at most %.1f", ratio, cpu.Microseconds()/chats, peerCPU.Microseconds()/chats, echoCPU.Microseconds()/chats, cpuRatioGuard)
		}
		b.StartTimer()
	}
}

// cpuRounds is how many times BenchmarkCPUAgainstPeer runs each bot.
const cpuRounds = 3

// median is the middle of ds (the upper one of an even count).
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// cpuRatioGuard is the ratio to the peer above which BenchmarkCPUAgainstPeer
// fails.
const cpuRatioGuard = 2.0

// runPeer is the peer of BenchmarkCPUAgainstPeer: the smallest bot the
// library makes easy. It answers n updates, each with replies[its text]
// (HTML, with their buttons) or, if replies is nil, with its text as
// plain text, and returns how long it took and the process's CPU time
// meanwhile.
func runPeer(b *testing.B, api *fakeAPI, n int, replies map[string][]sent) (took, cpu time.Duration) {
	start, cpu0 := time.Now(), cpuTime()
	peer, err := tgbotapi.NewBotAPIWithAPIEndpoint(testToken, api.endpoint())
	if err != nil {
		b.Fatal(err)
	}
	u := tgbotapi.NewUpdate(0)
	u.Timeout = 1
	updates := peer.GetUpdatesChan(u)
	for answered := 0; answered < n; {
		up := <-updates
		if up.Message == nil {
			continue
		}
		out := []tgbotapi.MessageConfig{tgbotapi.NewMessage(up.Message.Chat.ID, up.Message.Text)}
		if replies != nil {
			out = out[:0]
			for _, r := range replies[up.Message.Text] {
				mc := tgbotapi.NewMessage(up.Message.Chat.ID, r.Text)
				mc.ParseMode = r.ParseMode
				mc.DisableWebPagePreview = true
				if r.Markup != nil {
					mc.ReplyMarkup = *r.Markup
				}
				out = append(out, mc)
			}
		}
		for _, mc := range out {
			if _, err := peer.Send(mc); err != nil {
				b.Fatal(err)
			}
		}
		answered++
	}
	took, cpu = time.Since(start), cpuTime()-cpu0
	peer.StopReceivingUpdates()
	return took, cpu
}

// BenchmarkLimiter: 300 replies to 300 chats with the default limits (30
// a second in all, 1 a second a chat with bursts of 3). No one-second
// window may carry more than 30 sends, as the fake Telegram receives them,
// and the average must stay at or above 27 a second. It takes about ten
// seconds.
//
//	go test -run '^$' -bench Limiter -benchtime 1x ./bot/telegram
func BenchmarkLimiter(b *testing.B) {
	const chats, perChat = 300, 1
	for range b.N {
		b.StopTimer()
		api := newFakeAPI(b)
		api.light = true
		for c := range chats {
			api.text(int64(20_000+c), "/help")
		}
		lastID := api.nextUpdateID()
		b.StartTimer()
		h := newHarness(b, options{api: api, cfg: func(c *telegram.Config) {
			c.GlobalRate, c.PerChatRate, c.PerChatBurst = 0, 0, 0 // the defaults
		}})
		h.awaitHandled(lastID)
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
