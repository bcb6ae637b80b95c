package telegram

import (
	"html"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/flows"
)

// Telegram's limits, which tgbotapi does not check.
const (
	// MaxText is the longest message text Telegram accepts, in UTF-16 code
	// units after entity parsing. Rendered messages are measured before
	// parsing (with their tags and entities), which is never shorter, so
	// a part that fits here always fits there.
	MaxText = 4096
	// MaxCallbackData is the most bytes a button's callback_data may hold.
	MaxCallbackData = 64
)

// outMessage is one Telegram message to send.
type outMessage struct {
	// html is the text in Telegram's HTML parse mode; plainLines are the
	// same lines with no markup, sent instead if Telegram refuses the
	// HTML (see plain).
	html       string
	plainLines []string
	// keyboard is the inline keyboard (URL and callback buttons) or nil;
	// plainKeyboard holds its callback buttons only, for the fallback.
	keyboard, plainKeyboard *tgbotapi.InlineKeyboardMarkup
}

// plain is the message's text without markup.
func (m outMessage) plain() string { return strings.Join(m.plainLines, "\n") }

// line is one line of a message: plain text, shown bold for a heading.
type line struct {
	text string
	bold bool
}

// render turns one turn's replies into Telegram messages, in order.
//
// Replies are merged into one message until a reply carries buttons (its
// links as URL buttons, its choices as callback buttons): a button then
// sits under the text it belongs to. Fewer messages keep a turn within
// Telegram's one-message-a-second pace for a chat. Every piece of text is
// HTML-escaped; headings are bold; phone numbers stay plain text, which
// Telegram makes tappable. A message longer than MaxText is split on line
// boundaries (a single longer line at a space), never inside a tag or an
// entity; its keyboard goes on the last part. A choice whose ID is longer
// than MaxCallbackData is left out and reported through dropped, and so is
// a link that is not http(s), whose address is in the text anyway.
func render(replies []flows.Reply, dropped func(what string, n int)) []outMessage {
	var out []outMessage
	var lines []line
	for _, r := range replies {
		if len(lines) > 0 && (r.Heading != "" || r.Text != "") {
			lines = append(lines, line{})
		}
		if r.Heading != "" {
			lines = append(lines, line{text: r.Heading, bold: true})
		}
		if r.Text != "" {
			for _, l := range strings.Split(r.Text, "\n") {
				lines = append(lines, line{text: l})
			}
		}
		if len(r.Links) == 0 && len(r.Choices) == 0 {
			continue
		}
		kb, plainKB := keyboards(r, dropped)
		out = append(out, split(lines, kb, plainKB)...)
		lines = nil
	}
	if len(lines) > 0 {
		out = append(out, split(lines, nil, nil)...)
	}
	return out
}

// keyboards builds a reply's inline keyboard, one button a row (labels are
// sentences): links first, then choices. Button labels are plain text in
// the Bot API (no parse mode applies), so they are not escaped.
func keyboards(r flows.Reply, dropped func(string, int)) (kb, plainKB *tgbotapi.InlineKeyboardMarkup) {
	var rows, choiceRows [][]tgbotapi.InlineKeyboardButton
	for _, l := range r.Links {
		u, err := url.Parse(l.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			dropped("link", len(l.URL))
			continue
		}
		label := l.Label
		if strings.TrimSpace(label) == "" {
			label = l.URL
		}
		rows = append(rows, []tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardButtonURL(label, l.URL)})
	}
	for _, c := range r.Choices {
		if len(c.ID) > MaxCallbackData || c.ID == "" {
			dropped("choice", len(c.ID))
			continue
		}
		label := c.Label
		if strings.TrimSpace(label) == "" {
			label = c.ID
		}
		choiceRows = append(choiceRows, []tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardButtonData(label, c.ID)})
	}
	rows = append(rows, choiceRows...)
	if len(rows) > 0 {
		kb = &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	if len(choiceRows) > 0 {
		plainKB = &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: choiceRows}
	}
	return kb, plainKB
}

// chooseText is sent when a message has buttons but no text, which
// Telegram refuses. flows always says something; this is a safety net.
const chooseText = "Please choose:"

// split packs lines into messages of at most MaxText, keyboard on the last.
func split(lines []line, kb, plainKB *tgbotapi.InlineKeyboardMarkup) []outMessage {
	// Drop trailing and leading blank lines: Telegram trims them anyway.
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].text) == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	}
	if len(lines) == 0 {
		if kb == nil {
			return nil
		}
		lines = []line{{text: chooseText}}
	}
	var out []outMessage
	var h strings.Builder
	var plain []string
	size := 0
	flush := func() {
		if h.Len() > 0 {
			out = append(out, outMessage{html: h.String(), plainLines: plain})
		}
		h = strings.Builder{}
		plain = nil
		size = 0
	}
	add := func(s, p string, n int) {
		if size > 0 && size+1+n > MaxText {
			flush()
		}
		if size == 0 {
			h.Grow(min(MaxText, 1024))
		} else {
			h.WriteByte('\n')
			size++
		}
		h.WriteString(s)
		plain = append(plain, p)
		size += n
	}
	for _, l := range lines {
		s := renderLine(l)
		if n := utf16Len(s); n <= MaxText {
			add(s, l.text, n)
			continue
		}
		for _, piece := range pieces(l) {
			s := renderLine(piece)
			add(s, piece.text, utf16Len(s))
		}
	}
	flush()
	last := &out[len(out)-1]
	last.keyboard, last.plainKeyboard = kb, plainKB
	return out
}

// renderLine is a line in Telegram HTML.
func renderLine(l line) string {
	s := html.EscapeString(l.text)
	if l.bold && strings.TrimSpace(l.text) != "" {
		return "<b>" + s + "</b>"
	}
	return s
}

// pieces cuts a line whose rendering is longer than MaxText into parts
// that fit, at the last space before the limit (or at a character boundary
// if there is none). Cutting the plain text before escaping it means a cut
// never falls inside an entity or a tag.
func pieces(l line) []line {
	var out []line
	rest := l.text
	for rest != "" {
		// Find the longest prefix whose rendering fits.
		cut, lastSpace, size := 0, -1, 0
		if l.bold {
			size = len("<b></b>")
		}
		for i, r := range rest {
			n := utf16Len(html.EscapeString(string(r)))
			if size+n > MaxText {
				break
			}
			size += n
			cut = i + utf8.RuneLen(r)
			if r == ' ' {
				lastSpace = i
			}
		}
		if cut < len(rest) && lastSpace > 0 {
			cut = lastSpace
		}
		if cut == 0 { // cannot happen with MaxText > one escaped rune; be safe
			cut = len(rest)
		}
		out = append(out, line{text: rest[:cut], bold: l.bold})
		rest = strings.TrimLeft(rest[cut:], " ")
	}
	return out
}

// utf16Len is the length of s in UTF-16 code units, as Telegram counts.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s[i:] {
				n += utf16.RuneLen(r)
			}
			return n
		}
		n++
	}
	return n
}

// rlm is the right-to-left mark.
const rlm = "\u200f"

// rightToLeft returns the replies with a right-to-left mark at the start
// of every line, for a conversation in a right-to-left language (Urdu).
// Telegram lays out each line by its first strong letter, so a line that
// starts with a service's English name or a number ("- Police
// non-emergency line: 101 ...") would run left to right among the Urdu;
// the mark keeps every line right to left. The replies are copied.
func rightToLeft(replies []flows.Reply) []flows.Reply {
	mark := func(s string) string {
		if s == "" {
			return s
		}
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if l != "" && !strings.HasPrefix(l, rlm) {
				lines[i] = rlm + l
			}
		}
		return strings.Join(lines, "\n")
	}
	out := make([]flows.Reply, len(replies))
	for i, r := range replies {
		r.Heading, r.Text = mark(r.Heading), mark(r.Text)
		out[i] = r
	}
	return out
}
