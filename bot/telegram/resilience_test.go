package telegram_test

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
)

// TestFloodControl429 gets a 429 with retry_after 1 on the first reply:
// the bot waits the second out and sends it, counting the wait.
func TestFloodControl429(t *testing.T) {
	h := newHarness(t, options{})
	h.api.fail("sendMessage", 1, fault{status: 429, retryAfter: 1})
	start := time.Now()
	msgs := h.say(1, "/help")
	took := time.Since(start)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Commands:") {
		t.Fatalf("after a 429 the bot sent:\n%s", joined(msgs))
	}
	if took < time.Second {
		t.Errorf("answered after %v: retry_after (1 s) not waited", took)
	}
	if h.metrics.limited.Load() < 1 || time.Duration(h.metrics.waited.Load()) < time.Second {
		t.Errorf("rate-limit wait not counted: %d waits, %v", h.metrics.limited.Load(), time.Duration(h.metrics.waited.Load()))
	}
	if h.metrics.retried.Load() != 1 || h.metrics.failed.Load() != 0 {
		t.Errorf("retried %d, failed %d; want 1, 0", h.metrics.retried.Load(), h.metrics.failed.Load())
	}
}

// TestServerErrorsThenSuccess: a 500, a proxy's HTML 502 and a dropped
// connection, then success: the reply goes out once.
func TestServerErrorsThenSuccess(t *testing.T) {
	h := newHarness(t, options{})
	h.api.fail("sendMessage", 1, fault{status: 500})
	h.api.fail("sendMessage", 1, fault{status: 502, retryAfter: -1})
	h.api.fail("sendMessage", 1, fault{close: true})
	msgs := h.say(2, "/help")
	if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Commands:") {
		t.Fatalf("after 5xx errors the bot sent:\n%s", joined(msgs))
	}
	if got := h.metrics.retried.Load(); got != 3 {
		t.Errorf("retries counted: %d, want 3", got)
	}
	if got := h.metrics.failed.Load(); got != 0 {
		t.Errorf("failures counted: %d, want 0", got)
	}
}

// TestGiveUpIsLoggedAndCounted: when every try fails the bot gives up
// after MaxTries, logs it (ids only) and counts it, sends the rest of the
// turn, and does not answer the update again.
func TestGiveUpIsLoggedAndCounted(t *testing.T) {
	h := newHarness(t, options{})
	h.api.fail("sendMessage", telegram.DefaultMaxTries, fault{status: 500})
	msgs := h.say(3, "/start")
	if len(msgs) != 0 {
		t.Fatalf("sent %d messages, want none (the only one failed)", len(msgs))
	}
	if got := h.metrics.failed.Load(); got != 1 {
		t.Errorf("failed sends counted: %d, want 1", got)
	}
	if got := h.metrics.retried.Load(); got != telegram.DefaultMaxTries-1 {
		t.Errorf("retries counted: %d, want %d", got, telegram.DefaultMaxTries-1)
	}
	if !strings.Contains(h.logs.String(), "gave up sending a reply") {
		t.Errorf("giving up was not logged:\n%s", h.logs.String())
	}
	// The next message is answered normally; the failed one is not redone.
	if msgs := h.say(3, "/help"); len(msgs) != 1 {
		t.Errorf("next message got %d replies, want 1", len(msgs))
	}
}

// TestHTMLRefusedFallsBackToPlainText: if Telegram ever refuses a reply
// (400), it is sent again as plain text rather than lost.
func TestHTMLRefusedFallsBackToPlainText(t *testing.T) {
	h := newHarness(t, options{})
	h.api.fail("sendMessage", 1, fault{status: 400})
	msgs := h.say(4, "/help")
	if len(msgs) != 1 || msgs[0].ParseMode != "" || !strings.Contains(msgs[0].Text, "I don't keep") && !strings.Contains(msgs[0].Text, "Commands:") {
		t.Fatalf("fallback sent:\n%s (parse mode %q)", joined(msgs), msgs[0].ParseMode)
	}
	if strings.Contains(msgs[0].Text, "&#39;") {
		t.Errorf("plain fallback carries HTML entities:\n%s", msgs[0].Text)
	}
}

func TestBadToken(t *testing.T) {
	api := newFakeAPI(t)
	logs := &syncBuffer{}
	const bad = "987654321:WRONG-token-that-must-not-leak"
	cfg := testConfig(api, logs, &countMetrics{})
	cfg.Token = bad
	_, err := telegram.New(t.Context(), cfg, newRunner(t, nil), openStore(t))
	if !errors.Is(err, telegram.ErrUnauthorized) {
		t.Fatalf("New with a refused token: %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), bad) || strings.Contains(err.Error(), "WRONG") {
		t.Errorf("the error contains the token: %v", err)
	}
	if strings.Contains(logs.String(), "WRONG") {
		t.Errorf("the logs contain the token:\n%s", logs.String())
	}
	cfg.Token = ""
	if _, err := telegram.New(t.Context(), cfg, newRunner(t, nil), openStore(t)); !errors.Is(err, telegram.ErrNoToken) {
		t.Errorf("New with no token: %v, want ErrNoToken", err)
	}
}

func TestUnreachableAPI(t *testing.T) {
	api := newFakeAPI(t)
	api.srv.Close() // nothing listens there any more
	cfg := testConfig(api, &syncBuffer{}, &countMetrics{})
	_, err := telegram.New(t.Context(), cfg, newRunner(t, nil), openStore(t))
	if err == nil || errors.Is(err, telegram.ErrUnauthorized) {
		t.Fatalf("New against a closed server: %v", err)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the error contains the token: %v", err)
	}
}

// TestTokenNeverLogged runs the bot through an API outage (5xx answers,
// an HTML error page, dropped connections, on getUpdates and on sends),
// with debug logging, and checks that the token reaches no log line, no
// error, no Ready() text and nothing written to the process's stderr
// (where tgbotapi's own logger writes by default).
func TestTokenNeverLogged(t *testing.T) {
	// Capture stderr for the whole test (not parallel).
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	captured := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		captured <- string(b)
	}()
	restore := func() string {
		os.Stderr = stderr
		w.Close()
		return <-captured
	}
	defer func() {
		if os.Stderr == w {
			restore()
		}
	}()

	h := newHarness(t, options{})
	// Ready() is read as the first getUpdates after each outage arrives,
	// before it is answered: the bot has seen only failures since the
	// outage began, so Ready must report it then.
	var (
		mu        sync.Mutex
		outage    bool
		readyErrs []string
		readyOK   int // Ready() nil at the end of an outage
	)
	h.api.mu.Lock()
	h.api.onCall = func(method string, faulted bool) {
		if method != "getUpdates" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if faulted {
			outage = true
			return
		}
		if outage {
			outage = false
			if err := h.bot.Ready(); err != nil {
				readyErrs = append(readyErrs, err.Error())
			} else {
				readyOK++
			}
		}
	}
	h.api.mu.Unlock()
	const outages = 4
	for i := range outages {
		h.api.fail("getUpdates", 2, fault{status: 502, retryAfter: -1})
		h.api.fail("getUpdates", 2, fault{close: true})
		h.api.fail("getUpdates", 1, fault{status: 500})
		h.api.fail("sendMessage", 2, fault{close: true})
		h.api.fail("sendMessage", 1, fault{status: 503})
		h.api.fail("answerCallbackQuery", 1, fault{close: true})
		h.awaitHandled(h.api.text(int64(80+i), "/help"))
	}
	runErr := h.stop()
	out := restore()

	mu.Lock()
	if len(readyErrs) != outages || readyOK != 0 {
		t.Errorf("Ready() reported %d of %d outages (nil at the end of %d)", len(readyErrs), outages, readyOK)
	}
	mu.Unlock()
	logs := h.logs.String()
	if !strings.Contains(logs, "getUpdates failed") {
		t.Errorf("the outage was not logged:\n%s", logs)
	}
	all := strings.Join([]string{logs, out, strings.Join(readyErrs, "\n"), errString(runErr)}, "\n")
	for _, part := range []string{testToken, "TESTtokenSECRET", "123456789:"} {
		if strings.Contains(all, part) {
			t.Errorf("%q reached the output:\n%s", part, all)
		}
	}
	if !strings.Contains(logs, "<token>") && !strings.Contains(logs, "EOF") {
		t.Logf("logs (no URL seen, fine):\n%s", logs)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestRestartMidBurst stops the bot in the middle of a burst (some
// updates answered, some in flight, some not yet received) and starts a
// new one on the same store: nothing is lost or repeated, and each chat is
// answered in its order (messages sent faster than they are answered are
// merged: see checkAnswered).
func TestRestartMidBurst(t *testing.T) {
	api := newFakeAPI(t)
	store := openStore(t)
	const chats = 40
	cmds := []string{"/help", "/about", "/emergency"}
	for _, cmd := range cmds {
		for c := range chats {
			api.text(int64(1000+c), cmd)
		}
	}
	total := chats * len(cmds)
	// The first bot answers a third of the updates; the rest wait in the
	// handler, so the stop lands mid-burst (and between updates, however
	// busy the machine): they are cancelled when the grace period ends.
	h1 := newHarness(t, options{api: api, store: store, handler: func(r *bot.Runner) telegram.Handler {
		return &gatedHandler{h: r, n: int64(total / 3)}
	}})
	api.await(t, "a third of the replies", 10*time.Second, func() bool { return len(api.allSent()) >= total/3 })
	if err := h1.stop(); err != nil {
		t.Fatalf("first Run: %v", err)
	}
	first := len(api.allSent())
	if first >= total {
		t.Fatalf("the first bot answered everything (%d) before it was stopped; the test proves nothing", first)
	}
	t.Logf("first bot sent %d of %d replies before stopping", first, total)

	h2 := newHarness(t, options{api: api, store: store})
	h2.awaitHandled(api.nextUpdateID())

	// Stopping drains the bot, so anything extra has been sent by then.
	if err := h2.stop(); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if lost, repeated := checkAnswered(t, api, chats, cmds); lost > 0 || repeated > 0 {
		t.Errorf("%d chats lost an answer, %d answers repeated; a clean stop loses and repeats nothing", lost, repeated)
	}
}

// gatedHandler passes the first n messages to its handler and holds every
// later one until the bot's work is cancelled, when it is handed back.
type gatedHandler struct {
	h      telegram.Handler
	n      int64
	passed atomic.Int64
}

func (g *gatedHandler) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	if g.passed.Add(1) > g.n {
		<-ctx.Done()
		return bot.Response{}, ctx.Err()
	}
	return g.h.Handle(ctx, m)
}

func (f *fakeAPI) nextUpdateID() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.nextUpdate
}

// answerKinds maps how an answer starts to the command it answers.
func answerKinds() map[string]string {
	return map[string]string{"I can tell you where": "/help", "<b>Luton Community Safety Partnership</b>": "/about", "Call 999 now.": "/emergency", "Hello.": "/start"}
}

// sentByChat is every message sent so far, by chat, in order.
func (f *fakeAPI) sentByChat() map[int64][]sent {
	out := map[int64][]sent{}
	for _, m := range f.allSent() {
		out[m.Chat] = append(out[m.Chat], m)
	}
	return out
}

// withoutMergedNote is text without the note that starts an answer to
// several messages merged into one.
func withoutMergedNote(text string) string {
	if strings.HasPrefix(text, "You sent a few messages at once.") {
		if _, rest, ok := strings.Cut(text, "\n"); ok {
			return strings.TrimLeft(rest, "\n")
		}
	}
	return text
}

// checkAnswered checks what chats 1000 to 1000+chats-1, each of which sent
// cmds in order, were answered. Messages sent faster than they could be
// answered are merged (the last answered, or one about danger), so a chat
// may get fewer answers than commands; but its answers must follow the
// commands' order, and its last answer must be to its last command (cmds
// must end with the most urgent one). It returns the chats whose last
// command went unanswered (lost) and the answers given twice in a row
// (repeated after a crash).
func checkAnswered(t *testing.T, api *fakeAPI, chats int, cmds []string) (lost, repeated int) {
	t.Helper()
	kinds := answerKinds()
	byChat := api.sentByChat()
	for c := range chats {
		chat := int64(1000 + c)
		var got []string
		for _, m := range byChat[chat] {
			for prefix, cmd := range kinds {
				if strings.HasPrefix(withoutMergedNote(m.Text), prefix) {
					if n := len(got); n > 0 && got[n-1] == cmd {
						repeated++
						continue
					}
					got = append(got, cmd)
				}
			}
		}
		at := -1
		inOrder := true
		for _, g := range got {
			i := slices.Index(cmds, g)
			if i <= at {
				inOrder = false
			}
			at = i
		}
		switch {
		case len(got) == 0 || got[len(got)-1] != cmds[len(cmds)-1]:
			lost++
			t.Errorf("chat %d got answers %v to %v: the last command is not answered last", chat, got, cmds)
		case !inOrder:
			t.Errorf("chat %d got answers %v to %v: out of order", chat, got, cmds)
		}
	}
	return lost, repeated
}

// TestShutdownGraceCancels: work that cannot finish within the grace
// period (a send that keeps failing) is cancelled, handed back, and
// answered by the next run.
func TestShutdownGraceCancels(t *testing.T) {
	api := newFakeAPI(t)
	store := openStore(t)
	api.fail("sendMessage", 1, fault{status: 429, retryAfter: 30})
	h1 := newHarness(t, options{api: api, store: store, cfg: func(c *telegram.Config) { c.ShutdownGrace = 200 * time.Millisecond }})
	id := api.text(5, "/help")
	api.await(t, "the 429", 5*time.Second, func() bool { return api.count("sendMessage") == 1 })
	start := time.Now()
	if err := h1.stop(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("stopping took %v with a 200 ms grace period", took)
	}
	// Telegram may forget it: the inbox holds it.
	held, err := store.InboxPending(t.Context(), telegram.InboxNamespace)
	if err != nil || len(held) != 1 || held[0].ID != int64(id) {
		t.Fatalf("the inbox holds %v (%v), want update %d", held, err, id)
	}
	h2 := newHarness(t, options{api: api, store: store})
	h2.awaitHandled(id)
	if n := len(api.sentTo(5)); n != 1 {
		t.Errorf("chat got %d answers, want 1", n)
	}
}

// TestStopLeavesNoGoroutines: after Run returns, nothing of the bot keeps
// running (chat goroutines, timers, idle connections).
func TestStopLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	api := newFakeAPI(t)
	store := openStore(t)
	h := newHarness(t, options{api: api, store: store, cfg: func(c *telegram.Config) { c.GlobalRate = 0 }})
	for i := range 20 {
		h.api.text(int64(300+i%5), "/help")
	}
	h.awaitHandled(api.nextUpdateID())
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	api.srv.Close()
	_ = store.Close()
	waitFor(t, "goroutines to end", 5*time.Second, func() bool { return runtime.NumGoroutine() <= before+1 })
}
