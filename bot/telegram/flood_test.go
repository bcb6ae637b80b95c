package telegram_test

import (
	"flag"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot/telegram"
)

var floodFor = flag.Duration("flood-duration", 60*time.Second, "how long BenchmarkFlood's flooding chat sends")

// Targets of BenchmarkFlood (issue 15).
const (
	floodDangerMax = 2 * time.Second // every danger message answered within
	floodOtherMax  = 5 * time.Second // every other chat's message answered within
	floodDrainMax  = 5 * time.Second // the flooding chat's last message answered within, after it stops
)

// BenchmarkFlood: with Telegram's limits (the defaults: 30 messages a
// second in all, one a second to a chat with bursts of 3), one chat sends 5
// messages a second for -flood-duration (60 s) while 50 other chats hold
// ordinary conversations (a message, the answer, 3 to 6 seconds of
// thought) and 10 send danger messages (one every 2 to 8 seconds). In
// polling mode and in webhook mode it checks that every danger message is
// answered within 2 s and every other chat's within 5 s, that the
// flooding chat is answered no faster than its budget (one a second, with
// bursts of 3) and, since at most
// MaxQueued of its messages wait, that its last message is answered
// within 5 s of it, and that this last answer is to its last message.
//
//	go test -run '^$' -bench Flood -benchtime 1x ./bot/telegram
func BenchmarkFlood(b *testing.B) {
	for _, mode := range []string{"polling", "webhook"} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				runFlood(b, mode == "webhook")
			}
		})
	}
}

// floodSender sends a text message from a chat and returns when.
type floodSender func(chat int64, text string) time.Time

func runFlood(b *testing.B, webhook bool) {
	api := newFakeAPI(b)
	api.light = true
	limits := func(c *telegram.Config) {
		c.GlobalRate, c.PerChatRate, c.PerChatBurst = 0, 0, 0 // Telegram's, the defaults
		c.PollTimeout = 5 * time.Second
	}
	var send floodSender
	var h *harness
	if webhook {
		hh, s := webhookHarness(b, options{api: api, cfg: limits})
		h = hh
		secret := api.webhookParam("secret_token")
		var ids atomic.Int64
		send = func(chat int64, text string) time.Time {
			at := time.Now()
			id := int(ids.Add(1))
			for {
				code := post(b, s, secret, updateJSON(b, id, chat, text))
				if code == http.StatusOK {
					return at
				}
				if code != http.StatusTooManyRequests {
					b.Errorf("webhook answered %d", code)
					return at
				}
			}
		}
	} else {
		h = newHarness(b, options{api: api, cfg: limits})
		send = func(chat int64, text string) time.Time {
			at := time.Now()
			api.text(chat, text)
			return at
		}
	}

	const flooder = int64(500)
	ordinary := []string{
		"someone dumped a mattress in our street", "my bike was stolen from outside the shops last week",
		"I think I was scammed when I bought a phone online", "/help", "my neighbours play loud music every night",
		"where do I report graffiti on the bus shelter", "I am worried about a child next door, she is always alone",
	}
	danger := []string{
		"he has a knife and he is at my door now", "my husband is hitting me right now help",
		"there is a man with a gun outside the shop", "someone is breaking into my house right now",
	}
	deadline := time.Now().Add(*floodFor)
	var mu sync.Mutex
	var dangerLat, otherLat []time.Duration
	record := func(list *[]time.Duration, d time.Duration) {
		mu.Lock()
		*list = append(*list, d)
		mu.Unlock()
	}
	// ask sends text from chat and waits for the first message of the
	// answer, returning how long it took (or the limit, if none came).
	ask := func(chat int64, text string, limit time.Duration) time.Duration {
		n := api.sentCount(chat)
		at := send(chat, text)
		ok := awaitSent(api, chat, n+1, 3*limit)
		if !ok {
			return 3 * limit
		}
		return api.sendTimes(chat)[n].Sub(at)
	}

	b.ResetTimer()
	var wg sync.WaitGroup
	var floodSent []time.Time
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for i := 0; time.Now().Before(deadline); i++ {
			floodSent = append(floodSent, send(flooder, []string{"/help", "/about"}[i%2]))
			<-tick.C
		}
		floodSent = append(floodSent, send(flooder, "/start"))
	})
	for c := range 50 {
		chat := int64(1000 + c)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(chat), 1))
			time.Sleep(time.Duration(rng.IntN(3000)) * time.Millisecond) // people arrive over time
			for i := 0; time.Now().Before(deadline); i++ {
				record(&otherLat, ask(chat, ordinary[(c+i)%len(ordinary)], floodOtherMax))
				time.Sleep(3*time.Second + time.Duration(rng.IntN(3000))*time.Millisecond) // reading, thinking, typing
			}
		})
	}
	for c := range 10 {
		chat := int64(2000 + c)
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(chat), 2))
			for i := 0; ; i++ {
				time.Sleep(2*time.Second + time.Duration(rng.IntN(6000))*time.Millisecond)
				if !time.Now().Before(deadline) {
					return
				}
				record(&dangerLat, ask(chat, danger[(c+i)%len(danger)], floodDangerMax))
			}
		})
	}
	wg.Wait()
	lastFlood := floodSent[len(floodSent)-1]
	drained := awaitSentAfter(api, flooder, lastFlood, "Hello.", floodDrainMax*3)
	b.StopTimer()
	_ = h.stop()

	// The flooding chat's budget, a bucket of one a second with bursts of
	// 3: any n+1 messages to it span at least n-2 seconds.
	times := api.sendTimes(flooder)
	for i := range times {
		for j := i + telegram.DefaultPerChatBurst; j < len(times); j++ {
			need := time.Duration(j-i-telegram.DefaultPerChatBurst+1) * time.Second
			if got := times[j].Sub(times[i]); got < need-50*time.Millisecond {
				b.Errorf("the flooding chat got %d messages in %v; at one a second with bursts of %d they need %v", j-i+1, got.Round(time.Millisecond), telegram.DefaultPerChatBurst, need)
				break
			}
		}
	}
	span := lastFlood.Sub(floodSent[0]) + floodDrainMax
	if limit := int(span.Seconds()) + telegram.DefaultPerChatBurst; len(times) > limit {
		b.Errorf("the flooding chat got %d messages in %v; at one a second that is at most %d", len(times), span.Round(time.Second), limit)
	}
	if drained < 0 {
		b.Errorf("the flooding chat's last message (/start) was not answered within %v of it", 3*floodDrainMax)
	} else if drained > floodDrainMax {
		b.Errorf("the flooding chat's last message was answered %v after it, want within %v", drained.Round(time.Millisecond), floodDrainMax)
	}
	dMax, oMax := maxOf(dangerLat), maxOf(otherLat)
	if dMax > floodDangerMax {
		b.Errorf("a danger message waited %v for its answer (of %d), want within %v", dMax.Round(time.Millisecond), len(dangerLat), floodDangerMax)
	}
	if oMax > floodOtherMax {
		b.Errorf("an ordinary message waited %v for its answer (of %d), want within %v", oMax.Round(time.Millisecond), len(otherLat), floodOtherMax)
	}
	b.ReportMetric(ms(quantile(dangerLat, 0.5)), "danger-p50-ms")
	b.ReportMetric(ms(dMax), "danger-max-ms")
	b.ReportMetric(ms(quantile(otherLat, 0.5)), "other-p50-ms")
	b.ReportMetric(ms(quantile(otherLat, 0.99)), "other-p99-ms")
	b.ReportMetric(ms(oMax), "other-max-ms")
	b.ReportMetric(float64(len(floodSent)), "flood-msgs")
	b.ReportMetric(float64(len(times)), "flood-answers")
	b.ReportMetric(ms(drained), "flood-drain-ms")
	b.ReportMetric(float64(len(dangerLat)), "danger-msgs")
	b.ReportMetric(float64(len(otherLat)), "other-msgs")
}

// awaitSent waits until chat has n messages, up to timeout.
func awaitSent(api *fakeAPI, chat int64, n int, timeout time.Duration) bool {
	return api.within(timeout, func() bool { return api.sentCount(chat) >= n })
}

// awaitSentAfter waits, up to timeout, for a message to chat sent after
// since whose text (without a merged note) starts with prefix, and
// returns how long after since it was sent, or -1.
func awaitSentAfter(api *fakeAPI, chat int64, since time.Time, prefix string, timeout time.Duration) time.Duration {
	found := time.Duration(-1)
	api.within(timeout, func() bool {
		for _, m := range api.sentTo(chat) {
			if m.At.After(since) && strings.HasPrefix(withoutMergedNote(m.Text), prefix) {
				found = m.At.Sub(since)
				return true
			}
		}
		return false
	})
	return found
}

func maxOf(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return slices.Max(ds)
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
