package telegram_test

import (
	"context"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/flows"
)

// twoPartHandler puts a reply with a link in front of the runner's answer,
// so that every answer is at least two Telegram messages (a link button
// ends a message).
type twoPartHandler struct{ h telegram.Handler }

func (t twoPartHandler) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	resp, err := t.h.Handle(ctx, m)
	resp.Replies = append([]flows.Reply{{Text: "First part.", Links: []flows.Link{{Label: "Website", URL: "https://example.org/"}}}}, resp.Replies...)
	return resp, err
}

// TestGroupRepliesThreaded: in a group or supergroup every message of an
// answer replies to the person's message (to the bot's question, for a
// button), and is sent even if the person's message is gone; in a private
// chat nothing is threaded.
func TestGroupRepliesThreaded(t *testing.T) {
	tests := []struct {
		name string
		chat int64
		// ask sends something and returns the id the answer must reply
		// to (0: none) and the answer.
		ask func(h *harness, chat int64) (replyTo int, answer []sent)
	}{
		{
			name: "a command in a group",
			chat: -501,
			ask: func(h *harness, chat int64) (int, []sent) {
				m, answer := h.sayAt(chat, "/help", time.Now())
				return m.MessageID, answer
			},
		},
		{
			name: "a mention in a group",
			chat: -502,
			ask: func(h *harness, chat int64) (int, []sent) {
				text := "@" + testBotName + " worried about a child"
				m := h.api.message(chat, text, time.Now())
				m.Entities = []tgbotapi.MessageEntity{{Type: "mention", Offset: 0, Length: len(testBotName) + 1}}
				before := len(h.api.sentTo(chat))
				h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
				return m.MessageID, h.api.sentTo(chat)[before:]
			},
		},
		{
			name: "a button in a group replies to the question",
			chat: -503,
			ask: func(h *harness, chat int64) (int, []sent) {
				_, welcome := h.sayAt(chat, "/start", time.Now())
				q := last(h.t, welcome)
				return q.ID, h.press(q, firstChoice(h.t, q))
			},
		},
		{
			name: "a command in a group whose message was deleted meanwhile",
			chat: -504,
			ask: func(h *harness, chat int64) (int, []sent) {
				m := h.api.message(chat, "/emergency", time.Now())
				m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Length: len("/emergency")}}
				h.api.mu.Lock()
				delete(h.api.alive, [2]int64{chat, int64(m.MessageID)})
				h.api.mu.Unlock()
				before := len(h.api.sentTo(chat))
				h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
				return m.MessageID, h.api.sentTo(chat)[before:]
			},
		},
		{
			name: "a private chat is not threaded",
			chat: 505,
			ask: func(h *harness, chat int64) (int, []sent) {
				_, answer := h.sayAt(chat, "/help", time.Now())
				return 0, answer
			},
		},
		{
			name: "a button in a private chat is not threaded",
			chat: 506,
			ask: func(h *harness, chat int64) (int, []sent) {
				_, welcome := h.sayAt(chat, "/start", time.Now())
				q := last(h.t, welcome)
				return 0, h.press(q, firstChoice(h.t, q))
			},
		},
	}
	h := newHarness(t, options{handler: func(r *bot.Runner) telegram.Handler { return twoPartHandler{r} }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			replyTo, answer := tt.ask(h, tt.chat)
			if len(answer) < 2 {
				t.Fatalf("answer is %d message, want at least 2:\n%s", len(answer), joined(answer))
			}
			for i, m := range answer {
				if m.ReplyTo != replyTo {
					t.Errorf("message %d of %d replies to %d, want %d:\n%s", i+1, len(answer), m.ReplyTo, replyTo, m.Text)
				}
				if m.ParseMode != "HTML" {
					t.Errorf("message %d fell back to plain text", i+1)
				}
			}
		})
	}
}
