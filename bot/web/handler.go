package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// The page's own words, shown around the conversation's, live in the
// message catalogue (flows/lang, keys web.*) with the conversation's, so
// that they are translated with it.

// tr returns the page's words for key in language l (a literal key, so
// that the catalogue's tests can find it).
func tr(l lang.Lang, key string, args ...any) string {
	return lang.T(l, key, args...)
}

// pageData is what page.html shows.
type pageData struct {
	Title, Version, ExitURL string
	// Token is the conversation's sealed id; empty on a page that offers
	// only to start again.
	Token    string
	Embed    bool
	Messages []message
	Choices  []flows.Choice
	NetError message

	// Lang and Dir are the page's language and direction: the
	// conversation's, English until it has one.
	Lang lang.Lang
	Dir  string
	// The page's own words (see tr), in Lang.
	Words *words
}

type words struct {
	Exit, ExitNote, ExitNoJS, TypeLabel, Send, Clear, Choices, Log, You, Bot, NewTab, StartAgain, Language string
	// English is "Language" in English, shown beside Language in any
	// other language, so that someone who cannot read the page finds it.
	English string
}

// wordsIn are the page's words in each language, built once.
var wordsIn = func() map[lang.Lang]*words {
	out := map[lang.Lang]*words{}
	for _, l := range lang.Languages() {
		w := &words{
			Exit: tr(l, "web.exit"), ExitNote: tr(l, "web.exit_note"), ExitNoJS: tr(l, "web.exit_no_js"), TypeLabel: tr(l, "web.type_label"), Send: tr(l, "web.send"),
			Clear: tr(l, "web.clear"), Choices: tr(l, "web.choices"), Log: tr(l, "web.log"), You: tr(l, "web.you"), Bot: tr(l, "web.bot"), NewTab: tr(l, "web.new_tab"),
			StartAgain: tr(l, "web.start_again"), Language: tr(l, "web.language"),
		}
		if l != lang.English {
			w.English = tr(lang.English, "web.language")
		}
		out[l] = w
	}
	return out
}()

// pageLang is the language of a page: l if whereto speaks it, else
// English.
func pageLang(l lang.Lang) lang.Lang {
	if wordsIn[l] == nil {
		return lang.English
	}
	return l
}

// dirOf is the HTML dir of language l.
func dirOf(l lang.Lang) string {
	if lang.RTL(l) {
		return "rtl"
	}
	return "ltr"
}

// serveStart is GET /chat: a new conversation, greeted with /start or,
// for a deep link (?start=route), with that route's first step. It never
// reads a message: messages travel only in POST bodies.
func (c *Chat) serveStart(w http.ResponseWriter, r *http.Request) {
	embed := r.URL.Query().Get("embed") == "1"
	if !c.allow(w, r, embed) {
		return
	}
	text := "/start"
	if s := r.URL.Query().Get("start"); s != "" && len(s) <= maxStart && isRouteID(s) {
		text += " " + s
	}
	// ?lang=pl (a poster's link, or the widget on a Polish page) starts
	// the chat in that language, as a Telegram app's language does.
	m := bot.Message{Text: text}
	if l, ok := lang.Find(r.URL.Query().Get("lang")); ok {
		m.Lang = string(l)
	}
	c.turn(w, r, newID(), m, embed, "")
}

// serveTurn is POST /chat: one turn of a conversation.
func (c *Chat) serveTurn(w http.ResponseWriter, r *http.Request) {
	if !c.allow(w, r, false) {
		return
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		c.refuse(w, r, http.StatusUnsupportedMediaType, "content_type", false)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, c.cfg.MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", false)
			return
		}
		c.refuse(w, r, http.StatusBadRequest, "bad_form", false)
		return
	}
	f := r.PostForm
	embed := f.Get("embed") == "1"
	id := newID()
	if tok := f.Get("c"); tok != "" {
		got, err := c.seal.open(tok, c.cfg.Now())
		switch {
		case errors.Is(err, errForged):
			c.refuse(w, r, http.StatusBadRequest, "bad_token", embed)
			return
		case err == nil:
			id = got
		}
		// An expired token: the conversation ended with its session; this
		// message begins a new one (buttons carry their meaning, so an old
		// button still works).
	}
	m := bot.Message{}
	var echo string
	switch {
	case f.Get("forget") != "":
		m.Text = "/forget"
	case f.Get("choice") != "":
		m.Choice = f.Get("choice")
		if len(m.Choice) > maxChoice {
			c.refuse(w, r, http.StatusBadRequest, "bad_form", embed)
			return
		}
	default:
		m.Text = f.Get("text")
		echo = m.Text
	}
	cleared := -1 // the script cleared this many messages from the page
	if s := f.Get("cleared"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 100_000 {
			cleared = n
		}
	}
	c.turnWith(w, r, id, m, embed, echo, cleared)
}

// turn handles m in conversation id and writes the page.
func (c *Chat) turn(w http.ResponseWriter, r *http.Request, id convID, m bot.Message, embed bool, echo string) {
	c.turnWith(w, r, id, m, embed, echo, -1)
}

func (c *Chat) turnWith(w http.ResponseWriter, r *http.Request, id convID, m bot.Message, embed bool, echo string, cleared int) {
	m.Channel, m.Conversation = ChannelName, id.String()
	resp, err := c.h.Handle(r.Context(), m)
	if err != nil {
		// The request was cancelled: the client has gone.
		c.refuse(w, r, http.StatusServiceUnavailable, "cancelled", embed)
		return
	}
	replies := resp.Replies
	l := pageLang(resp.Lang)
	var extra []message
	if resp.Forget {
		// The session is deleted: the conversation goes on under a new id,
		// so that the old one names nothing.
		id = newID()
		if cleared >= 0 {
			// The script took the messages off the page; say so truly.
			report := resp.Forgotten
			report.CanDeleteMessages = true
			report.Deleted = cleared
			replies = resp.ForgetReplies(report)
		} else {
			extra = append(extra, textMessage(l, tr(l, "web.history_note")))
		}
		echo = ""
	}
	data := c.data(embed, l)
	data.Token = c.seal.seal(id, c.cfg.Now().Add(c.cfg.SessionTTL))
	if strings.TrimSpace(echo) != "" {
		data.Messages = append(data.Messages, mine(echo, data.Words))
	}
	data.Messages = append(data.Messages, renderReplies(replies, l)...)
	data.Messages = append(data.Messages, extra...)
	data.Choices = choicesOf(replies)
	c.write(w, r, http.StatusOK, data)
}

// allow applies the rate limit; when it refuses, it has written the 429
// page and returns false.
func (c *Chat) allow(w http.ResponseWriter, r *http.Request, embed bool) bool {
	addr, ok := clientAddr(r, c.cfg.TrustedProxies)
	if !ok {
		return true // no address to count (not over TCP): nothing to limit by
	}
	allowed, wait := c.limit.allow(addr, c.cfg.Now())
	if allowed {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	c.refuse(w, r, http.StatusTooManyRequests, "rate_limited", embed)
	return false
}

// skipReason is the metric's reason (bot.Skip*) for a refusal's why,
// which the log line keeps in full.
func skipReason(why string) string {
	switch why {
	case "rate_limited":
		return bot.SkipRateLimited
	case "content_type", "too_large", "bad_form", "bad_token":
		return bot.SkipBadRequest
	}
	return why
}

// refuse writes a page with the status, what went wrong and the 999
// line, and a link to start again; it counts the refusal, never reading
// the body. The page is in the language the page that sent the request
// was in (its "l" field or query), or English.
func (c *Chat) refuse(w http.ResponseWriter, r *http.Request, status int, why string, embed bool) {
	c.cfg.Metrics.UpdatesSkipped(ChannelName, skipReason(why), 1)
	c.cfg.Logger.Debug("web request refused", "status", status, "reason", why)
	l := requestLang(r)
	data := c.data(embed, l)
	data.Messages = []message{textMessage(l, refusalWords(l, why, r)+"\n\n"+tr(l, "web.danger"))}
	c.write(w, r, status, data)
}

// refusalWords says, in language l, why a request was refused.
func refusalWords(l lang.Lang, why string, r *http.Request) string {
	switch why {
	case "too_large":
		return tr(l, "web.too_long")
	case "bad_token":
		return tr(l, "web.bad_token")
	case "cancelled":
		return tr(l, "web.broken")
	case "rate_limited":
		if r.Method == http.MethodPost && r.Header.Get("X-Whereto-Script") == "" {
			return tr(l, "web.too_fast_no_js") // the page will be left by Back
		}
		return tr(l, "web.too_fast")
	}
	return tr(l, "web.bad_form")
}

// requestLang is the page language a request names: the "l" field of a
// form it already parsed, or of its query; English otherwise. It never
// reads a body.
func requestLang(r *http.Request) lang.Lang {
	v := r.URL.Query().Get("l")
	if r.PostForm != nil && r.PostForm.Get("l") != "" {
		v = r.PostForm.Get("l")
	}
	return lang.Of(v)
}

// isRouteID reports whether s looks like a route id: lower-case letters,
// digits and hyphens. flows decides whether the route exists.
func isRouteID(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-') {
			return false
		}
	}
	return s != ""
}
