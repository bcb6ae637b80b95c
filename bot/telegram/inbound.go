package telegram

import (
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// inKind is what an update asks of the bot.
type inKind int

const (
	// kindText: words to hand to the conversation (a message, a command,
	// or the caption of a photo or file).
	kindText inKind = iota
	// kindChoice: a button was pressed.
	kindChoice
	// kindUnreadable: a sticker, photo, voice note, location... with no
	// words.
	kindUnreadable
	// kindAnswerOnly: a callback query to answer and nothing else (a
	// button on an inline message, or with no data).
	kindAnswerOnly
)

// inbound is one update, reduced to what the bot acts on. It holds the
// person's words only until they are handed to the conversation, and is
// never logged or stored.
type inbound struct {
	kind   inKind
	update int
	// chat is the conversation (0 for kindAnswerOnly without a message).
	chat    int64
	private bool
	// msgID and date identify the person's message (0 for a button), kept
	// so that /forget can delete it, and in a group threaded to. For an
	// edited message they are the original's: the same message.
	msgID int
	date  int64
	// text is the words (kindText) and choice the button's data
	// (kindChoice).
	text, choice string
	// callbackID is the callback query to answer; pressed is the message
	// whose button was pressed and pressedMarkup its keyboard.
	callbackID    string
	pressed       int
	pressedMarkup *tgbotapi.InlineKeyboardMarkup
	// lang is the person's app language (language_code), in a private
	// chat only: a hint for the conversation's language.
	lang string
}

// replyTo is the message the bot's answer replies to: in a group, the
// person's message, or the bot's message whose button was pressed; in a
// private chat, none (0).
func (in inbound) replyTo() int {
	switch {
	case in.private:
		return 0
	case in.kind == kindChoice:
		return in.pressed
	}
	return in.msgID
}

// convert reduces an update to what the bot will do with it. ok is false
// for updates the bot does not answer: service messages (members joining,
// pins), channel posts, group messages not addressed to the bot, and
// update kinds it did not ask for.
//
// In a group or supergroup only commands (for this bot, or for no bot in
// particular), messages that mention the bot and replies to the bot's own
// messages are answered; the mention is taken out of the text. Buttons
// are answered everywhere.
//
// An edited message in a private chat is read as a new message, at the
// step the conversation is at: the person changed what they said, and the
// answer should follow. In a group, edits are not answered: there they are
// mostly typos fixed in a conversation among people, and answering each
// would be noise.
func (b *Bot) convert(u tgbotapi.Update) (inbound, bool) {
	in := inbound{update: u.UpdateID}
	switch {
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		in.callbackID = q.ID
		if q.Message == nil || q.Message.Chat == nil || q.Data == "" {
			in.kind = kindAnswerOnly
			return in, true
		}
		in.kind = kindChoice
		in.chat = q.Message.Chat.ID
		in.private = q.Message.Chat.Type == "private"
		in.choice = q.Data
		in.pressed = q.Message.MessageID
		in.pressedMarkup = q.Message.ReplyMarkup
		if in.private && q.From != nil {
			in.lang = q.From.LanguageCode
		}
		return in, true
	case u.Message != nil:
		return b.convertMessage(in, u.Message, false)
	case u.EditedMessage != nil:
		return b.convertMessage(in, u.EditedMessage, true)
	}
	return in, false
}

func (b *Bot) convertMessage(in inbound, m *tgbotapi.Message, edited bool) (inbound, bool) {
	if m.Chat == nil {
		return in, false
	}
	in.chat = m.Chat.ID
	// An edited message keeps its id and its first date (Telegram's 48
	// hours to delete it run from then); the id log holds each id once.
	in.msgID = m.MessageID
	in.date = int64(m.Date)
	switch m.Chat.Type {
	case "private":
		in.private = true
		if m.From != nil {
			in.lang = m.From.LanguageCode
		}
	case "group", "supergroup":
	default: // channels
		return in, false
	}
	text, entities := m.Text, m.Entities
	if text == "" && m.Caption != "" {
		text, entities = m.Caption, m.CaptionEntities
	}
	if !in.private {
		// Groups: no replies to stickers or edits, which would be noise.
		if text == "" || edited {
			return in, false
		}
		t, ok := b.addressed(m, text, entities)
		if !ok {
			return in, false
		}
		text = t
		if text == "" {
			// Only a mention: treat it as asking what the bot does.
			text = "/help"
		}
	}
	switch {
	case text != "":
		in.kind = kindText
		in.text = text
	case edited:
		// An edit that leaves no words (a photo's caption taken off, a
		// file replaced) says nothing new.
		return in, false
	case hasContent(m):
		in.kind = kindUnreadable
	default:
		return in, false
	}
	return in, true
}

// hasContent reports whether a message without text carries something a
// person sent (as opposed to a service message such as a member joining).
func hasContent(m *tgbotapi.Message) bool {
	return m.Sticker != nil || len(m.Photo) > 0 || m.Voice != nil || m.Video != nil ||
		m.VideoNote != nil || m.Audio != nil || m.Document != nil || m.Animation != nil ||
		m.Location != nil || m.Venue != nil || m.Contact != nil || m.Poll != nil ||
		m.Dice != nil || m.Game != nil
}

// addressed reports whether a group message is for this bot and returns
// its text with the bot's mention taken out.
func (b *Bot) addressed(m *tgbotapi.Message, text string, entities []tgbotapi.MessageEntity) (string, bool) {
	name := strings.ToLower(b.self.UserName)
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		if _, at, ok := strings.Cut(cmd, "@"); ok {
			return text, name != "" && strings.ToLower(at) == name
		}
		return text, true
	}
	toMe := m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.self.ID
	units := utf16.Encode([]rune(text))
	var cut [][2]int // UTF-16 ranges of mentions of the bot
	for _, e := range entities {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(units) {
			continue
		}
		switch e.Type {
		case "mention":
			s := string(utf16.Decode(units[e.Offset : e.Offset+e.Length]))
			if name != "" && strings.EqualFold(strings.TrimPrefix(s, "@"), name) {
				cut = append(cut, [2]int{e.Offset, e.Offset + e.Length})
			}
		case "text_mention":
			if e.User != nil && e.User.ID == b.self.ID {
				cut = append(cut, [2]int{e.Offset, e.Offset + e.Length})
			}
		}
	}
	if len(cut) == 0 && !toMe {
		return "", false
	}
	if len(cut) == 0 {
		return strings.TrimSpace(text), true
	}
	var out []uint16
	prev := 0
	for _, c := range cut {
		if c[0] < prev {
			continue
		}
		out = append(out, units[prev:c[0]]...)
		prev = c[1]
	}
	out = append(out, units[prev:]...)
	return strings.Join(strings.Fields(string(utf16.Decode(out))), " "), true
}
