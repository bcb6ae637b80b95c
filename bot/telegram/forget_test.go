package telegram_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot/telegram"
)

// testClock is a clock for Config.Now that moves only when told.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sayAt sends text from chat as a message dated at, and returns the message
// and the answer once the update is handled.
func (h *harness) sayAt(chat int64, text string, at time.Time) (*tgbotapi.Message, []sent) {
	h.t.Helper()
	m := h.api.message(chat, text, at)
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
	}
	before := len(h.api.sentTo(chat))
	h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
	return m, h.api.sentTo(chat)[before:]
}

func ids(msgs []sent) []int {
	var out []int
	for _, m := range msgs {
		out = append(out, m.ID)
	}
	return out
}

const deleteInApp = "To remove them, delete this chat in your app."

var deletedCount = regexp.MustCompile(`I also deleted (\d+) messages? from this chat`)

// TestForget: /forget deletes the session and, in a private chat, the
// conversation's messages (the person's and the bot's, the /forget
// included) that Telegram still lets a bot delete, forgets their ids, and
// then says truthfully what it deleted and what it could not.
func TestForget(t *testing.T) {
	tests := []struct {
		name string
		chat int64
		// setup talks before /forget, at the clock's time now. It returns
		// the ids /forget must delete (besides the /forget itself and
		// the bot's answers, which are checked anyway) and those it must
		// not try.
		setup func(h *harness, now time.Time) (del, keep []int)
		// refuse is how many deleteMessage calls Telegram refuses (403).
		refuse  int
		want    []string
		notWant []string
	}{
		{
			name: "recent messages and a saved conversation are all deleted",
			chat: 301,
			setup: func(h *harness, now time.Time) (del, keep []int) {
				m, answer := h.sayAt(301, "/start", now)
				del = append(ids(answer), m.MessageID)
				q := last(h.t, answer)
				del = append(del, ids(h.press(q, firstChoice(h.t, q)))...)
				return del, nil
			},
			want:    []string{"I deleted what I remembered about this chat.", "I never keep what you type.", "999"},
			notWant: []string{deleteInApp, "too old", "could not", "nothing saved"},
		},
		{
			name:    "with no saved conversation it says so",
			chat:    302,
			setup:   func(*harness, time.Time) (del, keep []int) { return nil, nil },
			want:    []string{"I had nothing saved about this chat.", "I also deleted 1 message from this chat.", "999"},
			notWant: []string{"I deleted what I remembered", deleteInApp},
		},
		{
			name: "a message over 48 hours old is left and the person told how to remove it",
			chat: 303,
			setup: func(h *harness, now time.Time) (del, keep []int) {
				old, answer := h.sayAt(303, "/help", now.Add(-49*time.Hour))
				recent, answer2 := h.sayAt(303, "/about", now.Add(-47*time.Hour))
				return append(append(ids(answer), recent.MessageID), ids(answer2)...), []int{old.MessageID}
			},
			want:    []string{"I deleted what I remembered", "1 message is too old for me to delete.", deleteInApp},
			notWant: []string{"could not", "nothing saved"},
		},
		{
			name: "a deletion Telegram refuses is reported",
			chat: 304,
			setup: func(h *harness, now time.Time) (del, keep []int) {
				_, answer := h.sayAt(304, "/start", now)
				return ids(answer), nil
			},
			refuse:  1,
			want:    []string{"I could not delete 1 message.", deleteInApp},
			notWant: []string{"too old"},
		},
		{
			name: "in a group nothing is deleted and it says so",
			chat: -305,
			setup: func(h *harness, now time.Time) (del, keep []int) {
				m, answer := h.sayAt(-305, "/start", now)
				return nil, append(ids(answer), m.MessageID)
			},
			want:    []string{"I deleted what I remembered", "I can't delete the messages here.", "999"},
			notWant: []string{"I also deleted", deleteInApp},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Now().Truncate(time.Second)
			clk := newTestClock(now)
			h := newHarness(t, options{cfg: func(c *telegram.Config) { c.Now = clk.Now }})
			del, keep := tt.setup(h, now)
			if tt.refuse > 0 {
				h.api.fail("deleteMessage", tt.refuse, fault{status: 403})
			}
			before := h.api.sentTo(tt.chat)
			forget, reply := h.sayAt(tt.chat, "/forget", now)
			if len(reply) != 1 {
				t.Fatalf("/forget answered with %d messages, want 1:\n%s", len(reply), joined(reply))
			}
			text := visible(reply)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("reply says %q:\n%s", w, text)
				}
			}
			tried, gone := h.api.deletesIn(tt.chat)
			for i, id := range tried {
				if slices.Contains(tried[:i], id) {
					t.Errorf("message %d was deleted twice", id)
				}
			}
			if slices.Contains(tried, reply[0].ID) {
				t.Error("the forget reply itself was deleted")
			}
			for _, id := range keep {
				if slices.Contains(tried, id) {
					t.Errorf("message %d was deleted, or tried; want it left (tried %v)", id, tried)
				}
			}
			if tt.chat < 0 {
				if len(tried) != 0 {
					t.Errorf("deleted %v in a group", tried)
				}
				return
			}
			// Every message of the chat the bot could delete is gone: the
			// bot's answers, the person's, and the /forget.
			del = append(del, forget.MessageID)
			for _, m := range before {
				if !slices.Contains(keep, m.ID) {
					del = append(del, m.ID)
				}
			}
			var missed []int
			for _, id := range del {
				if !slices.Contains(gone, id) {
					missed = append(missed, id)
				}
			}
			if len(missed) != tt.refuse {
				t.Errorf("messages %v were not deleted (deleted: %v); want %d left by refusals", missed, gone, tt.refuse)
			}
			// The count said is the count deleted.
			said := 0
			if m := deletedCount.FindStringSubmatch(text); m != nil {
				said, _ = strconv.Atoi(m[1])
			}
			if said != len(gone) {
				t.Errorf("reply says %d messages deleted, Telegram deleted %d:\n%s", said, len(gone), text)
			}
			// Refused calls are answered before the fake records them.
			if got, want := h.api.count("deleteMessage")-len(tried), tt.refuse; got != want {
				t.Errorf("%d deletions refused, want %d", got, want)
			}
			if len(tried) != len(gone) {
				t.Errorf("tried to delete %v, of which only %v existed", tried, gone)
			}
			if _, ok, _ := h.store.Session(t.Context(), "telegram-msgs:"+strconv.FormatInt(tt.chat, 10), clk.Now()); ok {
				t.Error("message ids still kept after /forget")
			}
			// Nothing about the chat is in the logs but a hash.
			if logs := h.logs.String(); strings.Contains(logs, fmt.Sprintf(`"chat":%d`, tt.chat)) || strings.Contains(logs, "I deleted") {
				t.Errorf("logs carry the chat id or text:\n%s", logs)
			}
		})
	}
}
