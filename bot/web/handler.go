package web

import (
	"bytes"
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

// tr returns the page's words for key (a literal, so that the catalogue's
// tests can find it). Until a chat carries its language, the page is in
// English.
func tr(key string, args ...any) string {
	return lang.T(lang.English, key, args...)
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

	// The page's own words (see tr).
	Words words
}

type words struct {
	Exit, ExitNote, ExitNoJS, TypeLabel, Send, Clear, Choices, Log, You, Bot, NewTab, StartAgain string
}

var pageWords = words{
	Exit: tr("web.exit"), ExitNote: tr("web.exit_note"), ExitNoJS: tr("web.exit_no_js"), TypeLabel: tr("web.type_label"), Send: tr("web.send"),
	Clear: tr("web.clear"), Choices: tr("web.choices"), Log: tr("web.log"), You: tr("web.you"), Bot: tr("web.bot"), NewTab: tr("web.new_tab"),
	StartAgain: tr("web.start_again"),
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
	c.turn(w, r, newID(), bot.Message{Text: text}, embed, "")
}

// serveTurn is POST /chat: one turn of a conversation.
func (c *Chat) serveTurn(w http.ResponseWriter, r *http.Request) {
	if !c.allow(w, r, false) {
		return
	}
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "application/x-www-form-urlencoded" {
		c.refuse(w, r, http.StatusUnsupportedMediaType, "content_type", false, tr("web.bad_form"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, c.cfg.MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", false, tr("web.too_long"))
			return
		}
		c.refuse(w, r, http.StatusBadRequest, "bad_form", false, tr("web.bad_form"))
		return
	}
	f := r.PostForm
	embed := f.Get("embed") == "1"
	id := newID()
	if tok := f.Get("c"); tok != "" {
		got, err := c.seal.open(tok, c.cfg.Now())
		switch {
		case errors.Is(err, errForged):
			c.refuse(w, r, http.StatusBadRequest, "bad_token", embed, tr("web.bad_token"))
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
			c.refuse(w, r, http.StatusBadRequest, "bad_form", embed, tr("web.bad_form"))
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
		c.refuse(w, r, http.StatusServiceUnavailable, "cancelled", embed, tr("web.broken"))
		return
	}
	replies := resp.Replies
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
			extra = append(extra, textMessage(tr("web.history_note")))
		}
		echo = ""
	}
	data := c.data(embed)
	data.Token = c.seal.seal(id, c.cfg.Now().Add(c.cfg.SessionTTL))
	if strings.TrimSpace(echo) != "" {
		data.Messages = append(data.Messages, mine(echo))
	}
	data.Messages = append(data.Messages, renderReplies(replies)...)
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
	text := tr("web.too_fast")
	if r.Method == http.MethodPost && r.Header.Get("X-Whereto-Script") == "" {
		text = tr("web.too_fast_no_js")
	}
	c.refuse(w, r, http.StatusTooManyRequests, "rate_limited", embed, text)
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

// refuse writes a page with the status, the words and the 999 line, and
// a link to start again; it counts the refusal, never reading the body.
func (c *Chat) refuse(w http.ResponseWriter, r *http.Request, status int, why string, embed bool, text string) {
	c.cfg.Metrics.UpdatesSkipped(ChannelName, skipReason(why), 1)
	c.cfg.Logger.Debug("web request refused", "status", status, "reason", why)
	data := c.data(embed)
	data.Messages = []message{textMessage(text + "\n\n" + tr("web.danger"))}
	c.write(w, r, status, data)
}

// data is the page's frame: everything but the conversation.
func (c *Chat) data(embed bool) pageData {
	title := tr("web.title")
	if c.cfg.Directory != nil {
		if d := c.cfg.Directory.Directory(); d != nil && d.About().Area != "" {
			title = tr("web.title_area", d.About().Area)
		}
	}
	return pageData{
		Title: title, Version: c.version, ExitURL: c.cfg.ExitURL, Embed: embed, Words: pageWords,
		NetError: textMessage(tr("web.net_error") + "\n\n" + tr("web.danger")),
	}
}

// write renders data with the page's security headers. A page that fails
// to render (a bug) is answered with plain text that still carries 999.
func (c *Chat) write(w http.ResponseWriter, r *http.Request, status int, data pageData) {
	var buf bytes.Buffer
	if err := c.page.Execute(&buf, data); err != nil {
		c.cfg.Logger.Error("rendering the chat page failed", "err", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(tr("web.broken") + " " + tr("web.danger") + "\n")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	h := w.Header()
	h.Set("Content-Security-Policy", c.csp)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
	if len(c.cfg.Origins) == 0 {
		h.Set("X-Frame-Options", "SAMEORIGIN") // for browsers without frame-ancestors
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
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
