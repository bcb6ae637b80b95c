package telegram_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/service"
)

// Targets of BenchmarkWebhookFlood (issue 15).
const (
	webhookFloodRSSMax    = 150 << 20              // resident memory stays under
	webhookFloodHealthMax = 100 * time.Millisecond // every /healthz answered within
)

// Shape of the flood in BenchmarkWebhookFlood.
const (
	wfChats       = 4500 // chats sending wfPerChat messages each
	wfPerChat     = 10
	wfSingles     = 5000 // chats sending one message
	wfUpdates     = wfChats*wfPerChat + wfSingles
	wfPosters     = 64                    // concurrent clients posting
	wfProbeEvery  = 50 * time.Millisecond // /healthz probes and memory samples
	wfProbeTail   = time.Second           // probing goes on this long after the last post
	wfSecret      = "webhook_flood_secret_0123456789"
	wfMultiChat0  = int64(100_000) // first id of the chats sending several messages
	wfSingleChat0 = int64(200_000) // first id of the chats sending one
)

// wfTexts is what a chat sending several messages says, in order; every
// 100th such chat says wfDanger fourth.
var wfTexts = [wfPerChat]string{
	"/start", "someone dumped a mattress in our street", "/help", "my bike was stolen from outside the shops",
	"LU1", "/about", "where do I report graffiti on the bus shelter", "I think I was scammed when I bought a phone online",
	"/emergency", "thanks",
}

const wfDanger = "he has a knife and he is at my door now"

// wfPost is one update of the flood: update id i+1 is wfSchedule[i].
type wfPost struct {
	chat int64
	text string
}

// BenchmarkWebhookFlood: the bot in webhook mode, with Telegram's limits
// (the defaults: 30 messages a second in all, one a second to a chat),
// run by the real service on loopback, so that the webhook and /healthz
// share one listener as in production. 64 clients post 50,000 updates as
// fast as they can (4,500 chats sending 10 messages, 5,000 sending one,
// mixed at random, each chat's in order) and do not send the refused ones
// again: a 429 means the backlog (MaxBacklog) is full, and Telegram would
// send the update later. Meanwhile /healthz is asked every 50 ms on a new
// connection (as a supervisor's probe is) and the resident set, heap and
// goroutines are sampled every 50 ms.
//
// Targets (issue 15): resident memory stays under 150 MB and /healthz
// answers in under 100 ms throughout. The resident set is the whole
// test process's: the fake Bot API and the 64 clients run in it too, so
// the bot's own share is smaller.
//
// It then stops the service (the backlog is not worked off: what was not
// answered is handed back and stays in the inbox) and checks that no
// accepted update was lost: each is either answered, and marked done, or
// still in the inbox; none refused was taken; and every chat with an
// update marked done was sent an answer.
//
//	go test -run '^$' -bench WebhookFlood -benchtime 1x ./bot/telegram
func BenchmarkWebhookFlood(b *testing.B) {
	for range b.N {
		runWebhookFlood(b)
	}
}

func runWebhookFlood(b *testing.B) {
	b.StopTimer()
	api := newFakeAPI(b)
	api.light = true
	h := newHarness(b, options{api: api, noRun: true, cfg: func(c *telegram.Config) {
		c.WebhookURL = hookURL
		c.WebhookSecret = wfSecret
		c.GlobalRate, c.PerChatRate, c.PerChatBurst = 0, 0, 0 // Telegram's, the defaults
		c.MaxBacklog = 0                                      // the default, 1,000
		// As in production: info level, where the bot writes nothing per
		// update.
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	svc := service.New(h.store, prometheus.NewRegistry())
	svc.Listener = ln
	svc.Channels = []bot.Channel{h.bot}
	var panics wfCounter
	svc.Panics = &panics
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	svcDone := make(chan error, 1)
	go func() { svcDone <- svc.Run(ctx) }()
	waitFor(b, "the bot to be ready", 10*time.Second, func() bool { return h.bot.Ready() == nil })

	schedule := wfSchedule()
	runtime.GC()
	rssBefore, _, _ := procRSS()

	// Memory and goroutines, every wfProbeEvery until stopped.
	var peakRSS, peakAnon, peakFile, peakHeap, peakG atomic.Uint64
	stopSampling := every(wfProbeEvery, func() {
		rss, anon, file := procRSS()
		maxInto(&peakRSS, rss)
		maxInto(&peakAnon, anon)
		maxInto(&peakFile, file)
		maxInto(&peakHeap, heapObjects())
		maxInto(&peakG, uint64(runtime.NumGoroutine()))
	})
	defer stopSampling()

	// /healthz, every wfProbeEvery on a new connection, until stopped.
	probe := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var probeMu sync.Mutex
	var healthLat []time.Duration
	var healthBad int
	var worstConnect time.Duration // of the slowest probe: until connected
	stopProbing := every(wfProbeEvery, func() {
		start := time.Now()
		var connected time.Time
		trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected = time.Now() }}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, base+"/healthz", nil)
		if err != nil {
			panic(err) // a constant URL
		}
		resp, err := probe.Do(req)
		ok := err == nil && resp.StatusCode == http.StatusOK
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		took := time.Since(start)
		probeMu.Lock()
		if took > maxOf(healthLat) && !connected.IsZero() {
			worstConnect = connected.Sub(start)
		}
		healthLat = append(healthLat, took)
		if !ok {
			healthBad++
		}
		probeMu.Unlock()
	})
	defer stopProbing()

	// The flood.
	tr := &http.Transport{MaxIdleConns: wfPosters, MaxIdleConnsPerHost: wfPosters}
	client := &http.Client{Timeout: 30 * time.Second, Transport: tr}
	defer tr.CloseIdleConnections()
	sched0, stw0 := schedHists()
	var next atomic.Int64
	var refused, other, failed atomic.Int64
	acceptedBy := make([][]int64, wfPosters)
	b.StartTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range wfPosters {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(schedule)) {
					return
				}
				id := i + 1
				code, err := wfPostUpdate(client, base, id, schedule[i])
				switch {
				case err != nil:
					failed.Add(1)
				case code == http.StatusOK:
					acceptedBy[w] = append(acceptedBy[w], id)
				case code == http.StatusTooManyRequests:
					refused.Add(1)
				default:
					other.Add(1)
				}
			}
		})
	}
	wg.Wait()
	postTook := time.Since(start)
	b.StopTimer()
	time.Sleep(wfProbeTail)
	stopProbing()
	stopSampling()
	sched1, stw1 := schedHists()

	// Stop: the service stops taking requests, then the bot hands back
	// what it has not answered.
	stopBegan := time.Now()
	stop()
	select {
	case err := <-svcDone:
		if err != nil {
			b.Errorf("service stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		b.Fatal("the service did not stop within 30 s")
	}
	stopTook := time.Since(stopBegan)

	accepted := map[int64]bool{}
	for _, ids := range acceptedBy {
		for _, id := range ids {
			accepted[id] = true
		}
	}
	if n := failed.Load() + other.Load(); n > 0 {
		b.Errorf("%d posts failed and %d were answered with neither 200 nor 429", failed.Load(), other.Load())
	}
	if got := int64(len(accepted)) + refused.Load() + failed.Load() + other.Load(); got != wfUpdates {
		b.Errorf("%d posts accounted for, want %d", got, wfUpdates)
	}
	if got, want := h.metrics.skippedFor(bot.SkipBacklog), int(refused.Load()); got != want {
		b.Errorf("the bot counted %d updates refused for a full backlog; the clients got %d 429s", got, want)
	}
	if n := panics.n.Load(); n > 0 {
		b.Errorf("%d HTTP handlers panicked", n)
	}

	// Nothing accepted lost: each accepted update is in the inbox or
	// marked done. Putting every accepted id again must take none, since
	// InboxPut leaves out what the inbox holds and what is marked done.
	vctx := context.Background()
	pending, err := h.store.InboxPending(vctx, telegram.InboxNamespace)
	if err != nil {
		b.Fatal(err)
	}
	held := map[int64]bool{}
	for _, it := range pending {
		held[it.ID] = true
		if !accepted[it.ID] {
			b.Errorf("update %d is in the inbox but was not accepted", it.ID)
		}
	}
	again := make([]bot.InboxItem, 0, len(accepted))
	for id := range accepted {
		again = append(again, bot.InboxItem{ID: id, Data: []byte(`{}`)})
	}
	if fresh, err := h.store.InboxPut(vctx, telegram.InboxNamespace, again); err != nil {
		b.Fatal(err)
	} else if len(fresh) > 0 {
		b.Errorf("%d accepted updates are neither in the inbox nor answered (lost), such as %d", len(fresh), fresh[0].ID)
	}
	// Accepted and not held is, given the check above, marked done: it
	// was answered, so its chat got a message.
	answered, unsent := 0, 0
	for id := range accepted {
		if held[id] {
			continue
		}
		answered++
		if api.sentCount(schedule[id-1].chat) == 0 {
			unsent++
		}
	}
	if unsent > 0 {
		b.Errorf("%d updates are marked done but their chat was sent nothing", unsent)
	}

	probeMu.Lock()
	lat, bad, connect := healthLat, healthBad, worstConnect
	probeMu.Unlock()
	if bad > 0 {
		b.Errorf("%d of %d /healthz probes failed", bad, len(lat))
	}
	if len(lat) == 0 {
		b.Error("no /healthz probe ran")
	}
	hMax := maxOf(lat)
	if hMax >= webhookFloodHealthMax {
		slow := 0
		for _, d := range lat {
			if d >= webhookFloodHealthMax {
				slow++
			}
		}
		b.Errorf("/healthz took %v at worst (%v of it connecting; %d of %d probes %v or more), want under %v",
			hMax.Round(time.Millisecond), connect.Round(time.Millisecond), slow, len(lat), webhookFloodHealthMax, webhookFloodHealthMax)
	}
	if rss := peakRSS.Load(); rss >= webhookFloodRSSMax {
		b.Errorf("resident set reached %.1f MB, want under %d MB", mb(rss), webhookFloodRSSMax>>20)
	}

	// Goroutines waiting to run, and the world stopped, during the flood:
	// whether a slow probe was the whole process held up.
	schedP99, schedMax := histDiff(sched0, sched1, 0.99), histDiff(sched0, sched1, 1)
	stwMax := histDiff(stw0, stw1, 1)
	if b.Failed() {
		// A failed benchmark's metrics are not printed.
		b.Logf("accepted %d, refused %d, answered %d, left in the inbox %d; peak RSS %.1f MB (anon %.1f, file %.1f, heap %.1f; %.1f before); "+
			"/healthz max %v, p99 %v over %d probes; goroutines max %d; runnable-wait p99 %v, max %v; stop-the-world max %v; posting took %v",
			len(accepted), refused.Load(), answered, len(pending), mb(peakRSS.Load()), mb(peakAnon.Load()), mb(peakFile.Load()), mb(peakHeap.Load()), mb(rssBefore),
			hMax, quantile(lat, 0.99), len(lat), peakG.Load(), schedP99, schedMax, stwMax, postTook)
	}
	b.ReportMetric(float64(len(accepted)), "updates-accepted")
	b.ReportMetric(float64(refused.Load()), "updates-refused-429")
	b.ReportMetric(float64(answered), "updates-answered")
	b.ReportMetric(float64(len(pending)), "updates-left-in-inbox")
	b.ReportMetric(float64(len(api.allSent())), "messages-sent")
	b.ReportMetric(mb(peakRSS.Load()), "peak-RSS-MB")
	b.ReportMetric(mb(rssBefore), "RSS-before-MB")
	b.ReportMetric(mb(peakAnon.Load()), "peak-RssAnon-MB")
	b.ReportMetric(mb(peakFile.Load()), "peak-RssFile-MB")
	b.ReportMetric(mb(peakHeap.Load()), "peak-heap-MB")
	b.ReportMetric(ms(hMax), "healthz-max-ms")
	b.ReportMetric(ms(quantile(lat, 0.99)), "healthz-p99-ms")
	b.ReportMetric(ms(quantile(lat, 0.5)), "healthz-p50-ms")
	b.ReportMetric(float64(len(lat)), "healthz-probes")
	b.ReportMetric(float64(peakG.Load()), "max-goroutines")
	b.ReportMetric(ms(schedP99), "runnable-wait-p99-ms")
	b.ReportMetric(ms(schedMax), "runnable-wait-max-ms")
	b.ReportMetric(ms(stwMax), "stop-the-world-max-ms")
	b.ReportMetric(postTook.Seconds(), "post-seconds")
	b.ReportMetric(float64(wfUpdates)/postTook.Seconds(), "posts/s")
	b.ReportMetric(stopTook.Seconds(), "stop-seconds")
	api.release()
}

// wfSchedule returns the flood's updates in the order they are posted:
// each chat's messages in its order, the chats mixed at random (the same
// mix every run).
func wfSchedule() []wfPost {
	slots := make([]int64, 0, wfUpdates)
	for c := range wfChats {
		for range wfPerChat {
			slots = append(slots, wfMultiChat0+int64(c))
		}
	}
	for s := range wfSingles {
		slots = append(slots, wfSingleChat0+int64(s))
	}
	rng := rand.New(rand.NewPCG(15, 50_000))
	rng.Shuffle(len(slots), func(i, j int) { slots[i], slots[j] = slots[j], slots[i] })
	said := map[int64]int{}
	out := make([]wfPost, len(slots))
	for i, chat := range slots {
		var text string
		if chat >= wfSingleChat0 {
			text = wfTexts[int(chat)%wfPerChat]
		} else {
			k := said[chat]
			said[chat]++
			text = wfTexts[k]
			if k == 3 && (chat-wfMultiChat0)%100 == 0 {
				text = wfDanger
			}
		}
		out[i] = wfPost{chat: chat, text: text}
	}
	return out
}

// wfPostUpdate posts update id to the webhook and returns the status.
// The body is built here, not beforehand, so that the load generator does
// not hold 50,000 bodies in the memory measured.
func wfPostUpdate(client *http.Client, base string, id int64, p wfPost) (int, error) {
	body, err := json.Marshal(tgbotapi.Update{UpdateID: int(id), Message: &tgbotapi.Message{
		MessageID: int(id), Date: int(time.Now().Unix()), Text: p.text,
		Chat: &tgbotapi.Chat{ID: p.chat, Type: "private"}, From: &tgbotapi.User{ID: p.chat, FirstName: "Resident"},
	}})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, base+"/telegram/webhook", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretHeader, wfSecret)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // so that the connection is kept
	resp.Body.Close()
	return resp.StatusCode, nil
}

// every runs f now and then every d, one call at a time, until stop is
// called; stop waits for a call in progress and may be called again.
func every(d time.Duration, f func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			f()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }); <-finished }
}

func maxInto(peak *atomic.Uint64, v uint64) {
	for {
		old := peak.Load()
		if v <= old || peak.CompareAndSwap(old, v) {
			return
		}
	}
}

// procRSS is the process's current resident set (VmRSS) and its
// anonymous (RssAnon: heaps, stacks) and file-backed (RssFile: the
// binary, the database's memory map) parts, in bytes; zeros if unknown.
func procRSS() (rss, anon, file uint64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "RssAnon":
			anon = kb << 10
		case "RssFile":
			file = kb << 10
		}
	}
	return rss, anon, file
}

// heapObjects is the memory held by live and unswept heap objects, read
// without stopping the world (runtime.ReadMemStats would, every sample).
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// schedHists returns the runtime's histograms, since the process
// started, of how long goroutines waited to run once runnable, and of
// stop-the-world pauses.
func schedHists() (sched, stw *metrics.Float64Histogram) {
	s := []metrics.Sample{{Name: "/sched/latencies:seconds"}, {Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram || s[1].Value.Kind() != metrics.KindFloat64Histogram {
		return nil, nil
	}
	return s[0].Value.Float64Histogram(), s[1].Value.Float64Histogram()
}

// histDiff is the q quantile (1: the largest) of what was counted between
// two snapshots of one histogram, as the upper bound of its bucket.
func histDiff(before, after *metrics.Float64Histogram, q float64) time.Duration {
	if before == nil || after == nil || len(before.Counts) != len(after.Counts) {
		return 0
	}
	var total uint64
	for i := range after.Counts {
		total += after.Counts[i] - before.Counts[i]
	}
	if total == 0 {
		return 0
	}
	need := uint64(q * float64(total))
	var seen uint64
	for i := range after.Counts {
		seen += after.Counts[i] - before.Counts[i]
		if seen >= need && after.Counts[i] > before.Counts[i] {
			upper := after.Buckets[i+1]
			if math.IsInf(upper, 1) {
				upper = after.Buckets[i]
			}
			return time.Duration(upper * float64(time.Second))
		}
	}
	return 0
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

// wfCounter counts the service's handler panics.
type wfCounter struct{ n atomic.Int64 }

func (c *wfCounter) Inc() { c.n.Add(1) }
