package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"html"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// The store the bot is given is *bolt.Store.
var _ telegram.Store = (*bolt.Store)(nil)

// The runner is the bot's handler.
var _ telegram.Handler = (*bot.Runner)(nil)

// noon is a Wednesday, in office hours.
var noon = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// syncBuffer is a bytes.Buffer safe for concurrent writes (log output).
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

// countMetrics counts what the bot reports.
type countMetrics struct {
	failed, retried, limited atomic.Int64
	waited                   atomic.Int64 // nanoseconds
	mu                       sync.Mutex
	skipped                  map[string]int
}

func (m *countMetrics) MessageHandled(string, string, time.Duration) {}
func (m *countMetrics) SendFailed(string)                            { m.failed.Add(1) }
func (m *countMetrics) SendRetried(string)                           { m.retried.Add(1) }
func (m *countMetrics) UpdatesSkipped(_ string, reason string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.skipped == nil {
		m.skipped = map[string]int{}
	}
	m.skipped[reason] += n
}

// skippedFor is how many updates were skipped for reason.
func (m *countMetrics) skippedFor(reason string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.skipped[reason]
}

func (m *countMetrics) RateLimited(_ string, d time.Duration) {
	m.limited.Add(1)
	m.waited.Add(int64(d))
}

// harness is a Bot running against a fake Bot API, with a real runner
// (default directory unless given, sessions in memory) and a real bbolt
// store in a temporary directory.
type harness struct {
	t       testing.TB
	api     *fakeAPI
	bot     *telegram.Bot
	store   *bolt.Store
	runner  *bot.Runner
	logs    *syncBuffer
	metrics *countMetrics
	cancel  context.CancelFunc
	done    chan error
}

type options struct {
	// cfg adjusts the config after the test defaults are set.
	cfg func(*telegram.Config)
	// dir replaces the default directory.
	dir *directory.Directory
	// api and store are reused instead of new ones (restart tests).
	api   *fakeAPI
	store *bolt.Store
	// noRun leaves Run to the test.
	noRun bool
	// handler, if set, wraps the runner: the bot is given what it returns.
	handler func(*bot.Runner) telegram.Handler
}

func openStore(t testing.TB) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "whereto.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newRunner(t testing.TB, dir *directory.Directory) *bot.Runner {
	t.Helper()
	if dir == nil {
		d, err := directory.Default()
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	r := bot.NewRunner(bot.StaticDirectory{D: dir}, &bot.MemorySessions{})
	r.Now = func() time.Time { return noon }
	return r
}

// testConfig is the configuration tests start from: the fake's endpoint,
// no rate limits, short waits.
func testConfig(api *fakeAPI, logs *syncBuffer, m *countMetrics) telegram.Config {
	return telegram.Config{
		Token:         testToken,
		Endpoint:      api.endpoint(),
		Logger:        slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Metrics:       m,
		GlobalRate:    -1,
		PerChatRate:   -1,
		PollTimeout:   2 * time.Second,
		ShutdownGrace: 2 * time.Second,
		RetryBase:     5 * time.Millisecond,
	}
}

func newHarness(t testing.TB, o options) *harness {
	t.Helper()
	h := &harness{t: t, api: o.api, store: o.store, logs: &syncBuffer{}, metrics: &countMetrics{}}
	if h.api == nil {
		h.api = newFakeAPI(t)
	}
	if h.store == nil {
		h.store = openStore(t)
	}
	h.runner = newRunner(t, o.dir)
	cfg := testConfig(h.api, h.logs, h.metrics)
	if o.cfg != nil {
		o.cfg(&cfg)
	}
	var handler telegram.Handler = h.runner
	if o.handler != nil {
		handler = o.handler(h.runner)
	}
	b, err := telegram.New(context.Background(), cfg, handler, h.store)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.bot = b
	if !o.noRun {
		h.run()
	}
	return h
}

// run starts Run; the test's cleanup stops it.
func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.bot.Run(ctx) }()
	h.t.Cleanup(func() { _ = h.stop() })
	waitFor(h.t, "the bot to be ready", 5*time.Second, func() bool { return h.bot.Ready() == nil })
}

// stop cancels Run and returns its error.
func (h *harness) stop() error {
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		return err
	case <-time.After(15 * time.Second):
		return errors.New("Run did not return within 15 s of cancel")
	}
}

// say sends text from chat and returns what the bot sent to chat in
// answer, once the update is handled.
func (h *harness) say(chat int64, text string) []sent {
	h.t.Helper()
	before := len(h.api.sentTo(chat))
	id := h.api.text(chat, text)
	h.awaitHandled(id)
	return h.api.sentTo(chat)[before:]
}

// press presses a button on message s and returns the answer.
func (h *harness) press(s sent, data string) []sent {
	h.t.Helper()
	if !hasButton(s, data) {
		h.t.Fatalf("message %d has no button %q; it has %v", s.ID, data, buttons(s))
	}
	before := len(h.api.sentTo(s.Chat))
	id := h.api.press(s, data)
	h.awaitHandled(id)
	return h.api.sentTo(s.Chat)[before:]
}

// awaitHandled waits until update id is answered: confirmed to the fake
// Telegram (which the bot does once the update is in its inbox, and
// queued) and nothing held any more.
func (h *harness) awaitHandled(id int) {
	h.t.Helper()
	h.awaitHandledWithin(id, 10*time.Second)
}

// awaitHandledWithin is awaitHandled with another bound, for bursts of
// thousands of updates (polling waits while the backlog is full, so the
// last update is taken only once most are answered).
func (h *harness) awaitHandledWithin(id int, d time.Duration) {
	h.t.Helper()
	h.api.await(h.t, "the update to be taken", d, func() bool { return h.api.confirmedPast(id) })
	h.awaitIdleWithin(d)
}

// awaitIdle waits until the bot holds no update: every update taken so
// far is answered.
func (h *harness) awaitIdle() {
	h.t.Helper()
	h.awaitIdleWithin(10 * time.Second)
}

func (h *harness) awaitIdleWithin(d time.Duration) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := h.bot.WaitIdle(ctx); err != nil {
		h.t.Fatalf("the bot still holds %d updates after %v", h.bot.Pending(), d)
	}
}

// throughArea answers the postcode question if the bot just asked it: by
// typing a district in a private chat, by pressing Skip in a group (where
// plain text is not for the bot). It returns the answer that follows, or
// msgs unchanged.
func (h *harness) throughArea(msgs []sent) []sent {
	h.t.Helper()
	if len(msgs) == 0 {
		return msgs
	}
	m := msgs[len(msgs)-1]
	for _, b := range buttons(m) {
		if strings.HasPrefix(b, "area:skip:") {
			if m.Chat < 0 {
				return h.press(m, b)
			}
			return h.say(m.Chat, "LU1")
		}
	}
	return msgs
}

func buttons(s sent) []string {
	var out []string
	if s.Markup == nil {
		return nil
	}
	for _, row := range s.Markup.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.CallbackData != nil:
				out = append(out, *b.CallbackData)
			case b.URL != nil:
				out = append(out, *b.URL)
			}
		}
	}
	return out
}

// callbackData is the data of the callback buttons on s (not links).
func callbackData(s sent) []string {
	var out []string
	if s.Markup != nil {
		for _, row := range s.Markup.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData != nil {
					out = append(out, *b.CallbackData)
				}
			}
		}
	}
	return out
}

// firstChoice is the data of the first callback button on s.
func firstChoice(t testing.TB, s sent) string {
	t.Helper()
	data := callbackData(s)
	if len(data) == 0 {
		t.Fatalf("message %d has no callback button:\n%s", s.ID, s.Text)
	}
	return data[0]
}

func hasButton(s sent, data string) bool {
	for _, b := range buttons(s) {
		if b == data {
			return true
		}
	}
	return false
}

func last(t testing.TB, msgs []sent) sent {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("the bot sent nothing")
	}
	return msgs[len(msgs)-1]
}

// visible is every message's text as a person sees it: tags taken out,
// entities decoded.
func visible(msgs []sent) string {
	var b strings.Builder
	for _, m := range msgs {
		t := m.Text
		if m.ParseMode == "HTML" {
			t = html.UnescapeString(tags.ReplaceAllString(t, ""))
		}
		b.WriteString(t)
		b.WriteString("\n---\n")
	}
	return b.String()
}

var tags = regexp.MustCompile(`<[^>]*>`)

// joined is every message's text, one after the other.
func joined(msgs []sent) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text)
		b.WriteString("\n---\n")
	}
	return b.String()
}
