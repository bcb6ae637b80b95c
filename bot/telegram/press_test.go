package telegram_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
)

// countingHandler passes messages to the real runner and counts the button
// presses it was given, per chat.
type countingHandler struct {
	h       telegram.Handler
	mu      sync.Mutex
	presses map[string]int
}

func (c *countingHandler) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	if m.Choice != "" {
		c.mu.Lock()
		c.presses[m.Conversation]++
		c.mu.Unlock()
	}
	return c.h.Handle(ctx, m)
}

func (c *countingHandler) count(conv string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.presses[conv]
}

// TestDoublePress: a second press of the same button (same chat, message
// and data) less than telegram.DoublePressWindow after the first is
// answered (the spinner stops) but does not run the conversation again; a
// press at exactly the window, another button, or the same data on
// another message is handled. Time is the bot's injected clock.
func TestDoublePress(t *testing.T) {
	if telegram.DoublePressWindow != 2*time.Second {
		t.Fatalf("DoublePressWindow = %v, want 2s", telegram.DoublePressWindow)
	}
	tests := []struct {
		name string
		// after is the time between the presses; other and otherMsg make
		// the second press another button, or the same on another
		// message.
		after           time.Duration
		other, otherMsg bool
		wantRun         bool
	}{
		{"same button at once is ignored", 0, false, false, false},
		{"same button 1.999 s later is ignored", 1999 * time.Millisecond, false, false, false},
		{"same button exactly 2 s later is new", 2 * time.Second, false, false, true},
		{"same button 3 s later is new", 3 * time.Second, false, false, true},
		{"another button within 2 s is handled", 500 * time.Millisecond, true, false, true},
		{"the same data on another message within 2 s is handled", 500 * time.Millisecond, false, true, true},
	}
	clk := newTestClock(time.Now())
	var counter *countingHandler
	h := newHarness(t, options{
		cfg: func(c *telegram.Config) { c.Now = clk.Now },
		handler: func(r *bot.Runner) telegram.Handler {
			counter = &countingHandler{h: r, presses: map[string]int{}}
			return counter
		},
	})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			chat := int64(400 + i)
			conv := strconv.FormatInt(chat, 10)
			_, welcome := h.sayAt(chat, "/start", time.Now())
			first := last(t, welcome)
			data := callbackData(first)
			if len(data) < 2 {
				t.Fatalf("the welcome has %d buttons, want at least 2", len(data))
			}
			if got := h.press(first, data[0]); len(got) == 0 || counter.count(conv) != 1 {
				t.Fatalf("the first press was not handled (%d messages, %d presses)", len(got), counter.count(conv))
			}
			clk.Add(tt.after)
			second, press := first, data[0]
			if tt.other {
				press = data[1]
			}
			if tt.otherMsg {
				second.ID++ // the same buttons on another message
			}
			answered := h.api.answeredCount()
			got := h.press(second, press)
			if ran := counter.count(conv) == 2; ran != tt.wantRun {
				t.Errorf("second press ran the conversation: %v, want %v", ran, tt.wantRun)
			}
			if ran := len(got) > 0; ran != tt.wantRun {
				t.Errorf("second press answered with %d messages; want answered: %v", len(got), tt.wantRun)
			}
			if n := h.api.answeredCount() - answered; n != 1 {
				t.Errorf("second press: %d callback queries answered, want 1 (the spinner must stop)", n)
			}
		})
	}
}
