package telegram_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
)

// heldHandler holds the first message until released, so that a test can
// queue more behind it.
type heldHandler struct {
	h       telegram.Handler
	release chan struct{}
	n       atomic.Int64
}

func (g *heldHandler) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	if g.n.Add(1) == 1 {
		select {
		case <-g.release:
		case <-ctx.Done():
			return bot.Response{}, ctx.Err()
		}
	}
	return g.h.Handle(ctx, m)
}

func (g *heldHandler) Urgent(m bot.Message) bool { return g.h.(*bot.Runner).Urgent(m) }

// TestFloodIsMerged: messages sent while the first is being answered are
// answered once, by the answer to the last, with a note saying so; one
// that may be about danger wins over later ones; /forget is answered on
// its own, in its place.
func TestFloodIsMerged(t *testing.T) {
	for _, tc := range []struct {
		name  string
		then  []string
		wants []string // what the answers after the first start with, in order
	}{
		{"the last is answered", []string{"hello", "hi", "anyone there", "/about"},
			[]string{"You sent a few messages at once. This is my answer to the last one."}},
		{"danger wins", []string{"hello", "he has a knife and is kicking my door in", "ok", "thanks"},
			[]string{"You sent a few messages at once. This is my answer to the one that may be about danger."}},
		{"forget in its place", []string{"hello", "/forget", "/about"},
			[]string{"Sorry, I am not sure what you mean", "I deleted", "<b>Luton Community Safety Partnership</b>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &heldHandler{release: make(chan struct{})}
			h := newHarness(t, options{handler: func(r *bot.Runner) telegram.Handler { g.h = r; return g }})
			chat := int64(42)
			first := h.api.text(chat, "/help")
			h.api.await(t, "the first message to be taken", 5*time.Second, func() bool { return h.api.confirmedPast(first) })
			var last int
			for _, text := range tc.then {
				last = h.api.text(chat, text)
			}
			h.api.await(t, "the rest to be taken", 5*time.Second, func() bool { return h.api.confirmedPast(last) })
			close(g.release)
			h.awaitIdle()
			msgs := h.api.sentTo(chat)
			if len(msgs) == 0 || !strings.HasPrefix(msgs[0].Text, "I can tell you where") {
				t.Fatalf("the first message was not answered first:\n%s", joined(msgs))
			}
			rest := msgs[1:]
			var starts []string
			for _, m := range rest {
				for _, w := range tc.wants {
					if strings.HasPrefix(m.Text, w) {
						starts = append(starts, w)
					}
				}
			}
			if strings.Join(starts, "|") != strings.Join(tc.wants, "|") {
				t.Errorf("answers after the first:\n%s\nwant them to start with %q", joined(rest), tc.wants)
			}
			if tc.name == "danger wins" && !strings.Contains(joined(rest), "Call 999 now.") {
				t.Errorf("the merged answer to a danger message lacks 999:\n%s", joined(rest))
			}
			if got := h.metrics.skippedFor("merged"); got == 0 && tc.name != "forget in its place" {
				t.Error("merged updates were not counted")
			}
		})
	}
}

// TestReadyDegradedWhenSendsFail: while every send fails (5xx after every
// retry), the bot stays ready for a minute, then says it is degraded; one
// send that gets through makes it ready again.
func TestReadyDegradedWhenSendsFail(t *testing.T) {
	var now atomic.Int64
	now.Store(noon.UnixNano())
	h := newHarness(t, options{cfg: func(c *telegram.Config) {
		c.Now = func() time.Time { return time.Unix(0, now.Load()) }
		c.MaxTries = 2
	}})
	h.api.fail("sendMessage", 2, fault{status: 502})
	h.say(1, "/help")
	if err := h.bot.Ready(); err != nil {
		t.Fatalf("not ready right after a failed send: %v", err)
	}
	now.Add(int64(61 * time.Second))
	err := h.bot.Ready()
	if err == nil || !strings.Contains(err.Error(), "degraded") || !strings.Contains(err.Error(), "502") {
		t.Fatalf("Ready after a minute of failed sends = %v, want degraded, with the error", err)
	}
	h.say(1, "/help")
	if err := h.bot.Ready(); err != nil {
		t.Errorf("still not ready after a send got through: %v", err)
	}
}
