package telegram_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// TestEditedMessage: in a private chat an edited message is read as a new
// message at the step the conversation is at: its answer is the answer
// the same words get as a new message in a chat that went the same way.
// In a group, and when the edit leaves no words, it is not answered.
// Either way /forget still deletes each message once.
func TestEditedMessage(t *testing.T) {
	tests := []struct {
		name string
		chat int64
		// before are said first.
		before []string
		// original is the message then edited to edited; with photo it
		// is a photo's caption. With unseen the original never reached
		// the bot (it came before the ids kept for /forget).
		original, edited string
		photo, unseen    bool
		// none means the edit is not answered.
		none bool
	}{
		{
			name:     "a corrected postcode is read as the answer to the postcode question",
			chat:     201,
			before:   []string{"fly tipping on my road"},
			original: "LUI",
			edited:   "LU1",
		},
		{
			name:     "an edit at the menu is read as new words, danger first",
			chat:     202,
			before:   []string{"/start"},
			original: "hello",
			edited:   "someone is breaking into my house right now",
		},
		{
			name:     "an edit of a message from before the kept ids is read too",
			chat:     203,
			original: "hi",
			edited:   "/help",
			unseen:   true,
		},
		{
			name:     "an edit that takes a caption away is not answered",
			chat:     204,
			original: "someone dumped a load of rubbish outside my house",
			edited:   "",
			photo:    true,
			none:     true,
		},
		{
			name:     "an edit in a group is not answered",
			chat:     -205,
			original: "/help",
			edited:   "/about",
			none:     true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, options{})
			for _, text := range tt.before {
				h.say(tt.chat, text)
			}
			m := h.api.message(tt.chat, tt.original, time.Now())
			if tt.photo {
				m.Text, m.Caption = "", tt.original
				m.Photo = []tgbotapi.PhotoSize{{FileID: "p"}}
			}
			if strings.HasPrefix(tt.original, "/") {
				m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Length: utf16Len(tt.original)}}
			}
			if !tt.unseen {
				h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
			}

			e := *m
			e.EditDate = int(time.Now().Unix())
			e.Entities = nil
			if tt.photo {
				e.Caption = tt.edited
			} else {
				e.Text = tt.edited
			}
			if strings.HasPrefix(tt.edited, "/") {
				e.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Length: utf16Len(tt.edited)}}
			}
			before := len(h.api.sentTo(tt.chat))
			h.awaitHandled(h.api.addUpdate(tgbotapi.Update{EditedMessage: &e}))
			answer := h.api.sentTo(tt.chat)[before:]
			text := visible(answer)
			if tt.none && len(answer) != 0 {
				t.Errorf("the edit was answered:\n%s", text)
			}
			if !tt.none {
				// A chat that goes the same way, with the edited words as
				// a new message.
				control := tt.chat + 1000
				for _, text := range tt.before {
					h.say(control, text)
				}
				if !tt.unseen {
					h.say(control, tt.original)
				}
				want := h.say(control, tt.edited)
				if len(answer) == 0 || shown(answer) != shown(want) {
					t.Errorf("the edit was answered:\n%s\nwant, as for a new message:\n%s", shown(answer), shown(want))
				}
			}
			if strings.Contains(text, "edited") {
				t.Errorf("answer mentions editing:\n%s", text)
			}
			if tt.chat < 0 {
				return
			}

			// /forget deletes every message once, the edited one included.
			reply := h.say(tt.chat, "/forget")
			tried, gone := h.api.deletesIn(tt.chat)
			for i, id := range tried {
				if slices.Contains(tried[:i], id) {
					t.Errorf("message %d was deleted twice", id)
				}
			}
			if !slices.Contains(gone, m.MessageID) {
				t.Errorf("the edited message %d was not deleted (deleted %v)", m.MessageID, gone)
			}
			if len(tried) != len(gone) {
				t.Errorf("tried to delete %v, of which only %v existed", tried, gone)
			}
			if got := visible(reply); strings.Contains(got, "could not") || strings.Contains(got, "too old") {
				t.Errorf("forget reply:\n%s", got)
			}
		})
	}
}

// shown is what a person sees of messages: their text and buttons.
func shown(msgs []sent) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(visible([]sent{m}))
		b.WriteString(strings.Join(buttons(m), " | "))
		b.WriteString("\n")
	}
	return b.String()
}
