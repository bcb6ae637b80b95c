package telegram_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Identity of the fake bot.
const (
	testToken   = "123456789:AAF-TESTtokenSECRETabcdefghijk_lmnop"
	testBotID   = 4242
	testBotName = "whereto_test_bot"
)

// fakeAPI is a Bot API server on loopback, just faithful enough for the
// real tgbotapi client: it implements getMe, getUpdates (with offsets
// confirming updates, and long polling), sendMessage (checking the HTML,
// the 4,096-character and 64-byte callback_data limits as Telegram does),
// editMessageReplyMarkup, answerCallbackQuery, deleteMessage,
// setMyCommands, setWebhook and deleteWebhook, and records every call.
// Faults (status codes, 429 with retry_after, closed connections) can be
// queued per method.
type fakeAPI struct {
	t   testing.TB
	srv *httptest.Server

	mu      sync.Mutex
	wake    chan struct{} // closed and replaced when updates are added
	changed chan struct{} // closed and replaced after every call, and when an offset is confirmed
	// onCall, if set, is called as each call arrives, with whether a
	// queued fault answers it, before it is answered.
	onCall      func(method string, faulted bool)
	updates     []fakeUpdate
	nextUpdate  int
	nextMsg     int
	confirmed   int // the highest offset seen in a getUpdates
	sent        []sent
	calls       map[string]int
	callLog     []string
	edits       []edit
	answered    []string
	deleted     []deleted
	deleteTries []deleted         // every deleteMessage asked for, deleted or not
	commands    map[string]string // by language_code ("" for everyone else)
	webhook     url.Values
	faults      map[string][]fault
	alive       map[[2]int64]bool // chat, message id -> exists
	// holdSends, if set, is called before a sendMessage is answered; if
	// it returns false the message is not sent and nothing is answered
	// (the bot gave up on the request while it was held).
	holdSends func(r *http.Request) bool
	// light keeps only the first 160 bytes of each sent text (benchmarks).
	light bool
	// perChat holds when each message to a chat was sent.
	perChat map[int64][]time.Time
}

// fakeUpdate is a queued update and its JSON, encoded once.
type fakeUpdate struct {
	id   int
	json []byte
}

// sent is one message the bot sent.
type sent struct {
	Chat      int64
	ID        int
	Text      string
	ParseMode string
	Markup    *tgbotapi.InlineKeyboardMarkup
	At        time.Time
	// ReplyTo is the message it replies to (reply_to_message_id), or 0.
	ReplyTo int
}

type edit struct {
	Chat   int64
	ID     int
	Markup string
}

type deleted struct {
	Chat int64
	ID   int
}

// fault is what the fake does instead of answering a call.
type fault struct {
	status     int
	retryAfter int
	close      bool // hijack and close the connection: a network error
}

func newFakeAPI(t testing.TB) *fakeAPI {
	f := &fakeAPI{
		t:          t,
		wake:       make(chan struct{}),
		changed:    make(chan struct{}),
		nextUpdate: 1000,
		nextMsg:    500,
		calls:      map[string]int{},
		faults:     map[string][]fault{},
		alive:      map[[2]int64]bool{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is the tgbotapi endpoint format pointing at the fake.
func (f *fakeAPI) endpoint() string { return f.srv.URL + "/bot%s/%s" }

// fail queues n faults for method.
func (f *fakeAPI) fail(method string, n int, ft fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults[method] = append(f.faults[method], ft)
	}
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		apiError(w, 404, "Not Found", 0)
		return
	}
	if err := r.ParseForm(); err != nil {
		apiError(w, 400, "Bad Request: bad form", 0)
		return
	}
	defer f.notify() // whatever the call changed
	f.mu.Lock()
	f.calls[method]++
	f.callLog = append(f.callLog, method)
	var ft *fault
	if q := f.faults[method]; len(q) > 0 {
		ft = &q[0]
		f.faults[method] = q[1:]
	}
	onCall := f.onCall
	f.notifyLocked()
	f.mu.Unlock()
	if onCall != nil {
		onCall(method, ft != nil)
	}
	if token != testToken {
		apiError(w, 401, "Unauthorized", 0)
		return
	}
	if ft != nil {
		switch {
		case ft.close:
			hj, ok := w.(http.Hijacker)
			if !ok {
				panic("no hijacker")
			}
			conn, _, err := hj.Hijack()
			if err == nil {
				conn.Close()
			}
		case ft.status == 429:
			apiError(w, 429, fmt.Sprintf("Too Many Requests: retry after %d", ft.retryAfter), ft.retryAfter)
		case ft.status >= 500 && ft.retryAfter < 0:
			// A proxy's HTML error page: not JSON at all.
			w.WriteHeader(ft.status)
			fmt.Fprint(w, "<html>Bad Gateway</html>")
		default:
			apiError(w, ft.status, http.StatusText(ft.status), 0)
		}
		return
	}
	switch method {
	case "getMe":
		ok200(w, tgbotapi.User{ID: testBotID, IsBot: true, FirstName: "whereto", UserName: testBotName})
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage":
		f.sendMessage(w, r)
	case "editMessageReplyMarkup":
		chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
		id, _ := strconv.Atoi(r.Form.Get("message_id"))
		f.mu.Lock()
		f.edits = append(f.edits, edit{Chat: chat, ID: id, Markup: r.Form.Get("reply_markup")})
		f.mu.Unlock()
		ok200(w, true)
	case "answerCallbackQuery":
		f.mu.Lock()
		f.answered = append(f.answered, r.Form.Get("callback_query_id"))
		f.mu.Unlock()
		ok200(w, true)
	case "deleteMessage":
		chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
		id, _ := strconv.Atoi(r.Form.Get("message_id"))
		f.mu.Lock()
		f.deleteTries = append(f.deleteTries, deleted{chat, id})
		key := [2]int64{chat, int64(id)}
		exists := f.alive[key]
		delete(f.alive, key)
		if exists {
			f.deleted = append(f.deleted, deleted{chat, id})
		}
		f.mu.Unlock()
		if !exists {
			apiError(w, 400, "Bad Request: message to delete not found", 0)
			return
		}
		ok200(w, true)
	case "setMyCommands":
		f.mu.Lock()
		if f.commands == nil {
			f.commands = map[string]string{}
		}
		f.commands[r.Form.Get("language_code")] = r.Form.Get("commands")
		f.mu.Unlock()
		ok200(w, true)
	case "setWebhook":
		f.mu.Lock()
		f.webhook = r.Form
		f.mu.Unlock()
		ok200(w, true)
	case "deleteWebhook":
		ok200(w, true)
	default:
		apiError(w, 404, "Not Found: method not found", 0)
	}
}

func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	limit, _ := strconv.Atoi(r.Form.Get("limit"))
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		f.mu.Lock()
		if offset > f.confirmed {
			f.confirmed = offset
			f.notifyLocked() // while the poll is held open
		}
		// Updates below the offset are confirmed: Telegram forgets them.
		drop := 0
		for drop < len(f.updates) && f.updates[drop].id < f.confirmed {
			drop++
		}
		f.updates = f.updates[drop:]
		n := min(limit, len(f.updates))
		var out []byte
		if n > 0 {
			out = append(out, '[')
			for i, u := range f.updates[:n] {
				if i > 0 {
					out = append(out, ',')
				}
				out = append(out, u.json...)
			}
			out = append(out, ']')
		}
		wake := f.wake
		f.mu.Unlock()
		if n > 0 || timeout == 0 {
			if n == 0 {
				out = []byte("[]")
			}
			okRaw(w, out)
			return
		}
		select {
		case <-wake:
		case <-deadline:
			okRaw(w, []byte("[]"))
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (f *fakeAPI) sendMessage(w http.ResponseWriter, r *http.Request) {
	chat, err := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	if err != nil {
		apiError(w, 400, "Bad Request: chat not found", 0)
		return
	}
	text := r.Form.Get("text")
	if strings.TrimSpace(text) == "" {
		apiError(w, 400, "Bad Request: message text is empty", 0)
		return
	}
	mode := r.Form.Get("parse_mode")
	visible := utf16Len(text)
	if mode == "HTML" {
		visible, err = checkHTML(text)
		if err != nil {
			apiError(w, 400, "Bad Request: can't parse entities: "+err.Error(), 0)
			return
		}
	} else if mode != "" {
		apiError(w, 400, "Bad Request: unsupported parse_mode in fake", 0)
		return
	}
	if visible > 4096 {
		apiError(w, 400, "Bad Request: message is too long", 0)
		return
	}
	var markup *tgbotapi.InlineKeyboardMarkup
	if rm := r.Form.Get("reply_markup"); rm != "" {
		markup = &tgbotapi.InlineKeyboardMarkup{}
		if err := json.Unmarshal([]byte(rm), markup); err != nil {
			apiError(w, 400, "Bad Request: can't parse reply keyboard markup JSON object", 0)
			return
		}
		for _, row := range markup.InlineKeyboard {
			for _, b := range row {
				if b.Text == "" {
					apiError(w, 400, "Bad Request: text buttons are unallowed in the inline keyboard", 0)
					return
				}
				if b.CallbackData != nil && (len(*b.CallbackData) > 64 || *b.CallbackData == "") {
					apiError(w, 400, "Bad Request: BUTTON_DATA_INVALID", 0)
					return
				}
				if b.URL != nil && !strings.HasPrefix(*b.URL, "https://") && !strings.HasPrefix(*b.URL, "http://") {
					apiError(w, 400, "Bad Request: BUTTON_URL_INVALID", 0)
					return
				}
			}
		}
	}
	var replyTo int
	if v := r.Form.Get("reply_to_message_id"); v != "" {
		if replyTo, err = strconv.Atoi(v); err != nil || replyTo <= 0 {
			apiError(w, 400, "Bad Request: wrong reply_to_message_id", 0)
			return
		}
		f.mu.Lock()
		exists := f.alive[[2]int64{chat, int64(replyTo)}]
		f.mu.Unlock()
		if !exists && r.Form.Get("allow_sending_without_reply") != "true" {
			apiError(w, 400, "Bad Request: message to be replied not found", 0)
			return
		}
	}
	f.mu.Lock()
	hold := f.holdSends
	f.mu.Unlock()
	if hold != nil && !hold(r) {
		return
	}
	now := time.Now()
	f.mu.Lock()
	f.nextMsg++
	id := f.nextMsg
	rec := sent{Chat: chat, ID: id, Text: text, ParseMode: mode, Markup: markup, At: now, ReplyTo: replyTo}
	if f.light {
		rec.Text, rec.Markup = strings.Clone(text[:min(len(text), 160)]), nil
	}
	f.sent = append(f.sent, rec)
	if f.perChat == nil {
		f.perChat = map[int64][]time.Time{}
	}
	f.perChat[chat] = append(f.perChat[chat], now)
	f.alive[[2]int64{chat, int64(id)}] = true
	f.mu.Unlock()
	if f.light {
		// Benchmarks: the fields the bot reads, without echoing the text
		// and keyboard back as Telegram does.
		okRaw(w, []byte(fmt.Sprintf(`{"message_id":%d,"date":%d,"chat":{"id":%d,"type":%q}}`, id, now.Unix(), chat, chatType(chat))))
		return
	}
	m := tgbotapi.Message{MessageID: id, Date: int(now.Unix()), Chat: &tgbotapi.Chat{ID: chat, Type: chatType(chat)}, Text: text, ReplyMarkup: markup}
	ok200(w, m)
}

// chatType: negative ids are groups, as on Telegram.
func chatType(chat int64) string {
	if chat < 0 {
		return "supergroup"
	}
	return "private"
}

func ok200(w http.ResponseWriter, result any) {
	raw, err := json.Marshal(result)
	if err != nil {
		panic(err)
	}
	okRaw(w, raw)
}

func okRaw(w http.ResponseWriter, result []byte) {
	w.Header().Set("Content-Type", "application/json")
	b := make([]byte, 0, len(result)+32)
	b = append(b, `{"ok":true,"result":`...)
	b = append(b, result...)
	b = append(b, '}')
	_, _ = w.Write(b)
}

func apiError(w http.ResponseWriter, code int, desc string, retryAfter int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	body := map[string]any{"ok": false, "error_code": code, "description": desc}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// checkHTML parses text as Telegram's HTML parse mode does, strictly: only
// its tags, properly nested, and only &lt; &gt; &amp; &quot; and numeric
// entities; a bare < > or & is an error. It returns the visible length in
// UTF-16 code units.
func checkHTML(s string) (int, error) {
	allowed := map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
		"s": true, "strike": true, "del": true, "a": true, "code": true, "pre": true, "tg-spoiler": true, "span": true, "blockquote": true}
	var stack []string
	n := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return 0, errors.New("unclosed start tag")
			}
			tag := s[i+1 : i+j]
			closing := strings.HasPrefix(tag, "/")
			name := strings.ToLower(strings.Fields(strings.TrimPrefix(tag, "/") + " ")[0])
			if !allowed[name] {
				return 0, fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
			}
			if closing {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return 0, fmt.Errorf("unexpected end tag at byte offset %d", i)
				}
				stack = stack[:len(stack)-1]
			} else {
				stack = append(stack, name)
			}
			i += j + 1
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 || j > 10 {
				return 0, fmt.Errorf("bare & at byte offset %d", i)
			}
			ent := s[i+1 : i+j]
			switch {
			case ent == "lt", ent == "gt", ent == "amp", ent == "quot":
			case strings.HasPrefix(ent, "#x"):
				if _, err := strconv.ParseUint(ent[2:], 16, 32); err != nil {
					return 0, fmt.Errorf("bad entity at byte offset %d", i)
				}
			case strings.HasPrefix(ent, "#"):
				if _, err := strconv.ParseUint(ent[1:], 10, 32); err != nil {
					return 0, fmt.Errorf("bad entity at byte offset %d", i)
				}
			default:
				return 0, fmt.Errorf("unsupported entity %q at byte offset %d", ent, i)
			}
			n++
			i += j + 1
		case '>':
			return 0, fmt.Errorf("bare > at byte offset %d", i)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			n += utf16.RuneLen(r)
			i += size
		}
	}
	if len(stack) > 0 {
		return 0, errors.New("unclosed tag " + stack[len(stack)-1])
	}
	return n, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// addUpdate queues an update, giving it the next id, and wakes long polls.
func (f *fakeAPI) addUpdate(u tgbotapi.Update) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextUpdate++
	u.UpdateID = f.nextUpdate
	raw, err := json.Marshal(u)
	if err != nil {
		panic(err)
	}
	f.updates = append(f.updates, fakeUpdate{id: u.UpdateID, json: raw})
	close(f.wake)
	f.wake = make(chan struct{})
	return u.UpdateID
}

// message builds a person's message in chat (private for positive ids).
func (f *fakeAPI) message(chat int64, text string, date time.Time) *tgbotapi.Message {
	f.mu.Lock()
	f.nextMsg++
	id := f.nextMsg
	f.alive[[2]int64{chat, int64(id)}] = true
	f.mu.Unlock()
	return &tgbotapi.Message{
		MessageID: id,
		From:      &tgbotapi.User{ID: chat, FirstName: "Resident"},
		Date:      int(date.Unix()),
		Chat:      &tgbotapi.Chat{ID: chat, Type: chatType(chat)},
		Text:      text,
	}
}

// text queues a text message from chat and returns the update id.
func (f *fakeAPI) text(chat int64, text string) int {
	m := f.message(chat, text, time.Now())
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: utf16Len(cmd)}}
	}
	return f.addUpdate(tgbotapi.Update{Message: m})
}

// press queues a press of the button with data on message s.
func (f *fakeAPI) press(s sent, data string) int {
	f.mu.Lock()
	f.nextUpdate++ // a unique query id
	qid := "q" + strconv.Itoa(f.nextUpdate)
	f.mu.Unlock()
	msg := &tgbotapi.Message{MessageID: s.ID, Date: int(s.At.Unix()), Chat: &tgbotapi.Chat{ID: s.Chat, Type: chatType(s.Chat)}, Text: "…", ReplyMarkup: s.Markup}
	return f.addUpdate(tgbotapi.Update{CallbackQuery: &tgbotapi.CallbackQuery{
		ID: qid, From: &tgbotapi.User{ID: s.Chat}, Message: msg, ChatInstance: "ci", Data: data,
	}})
}

// deletesIn returns the message ids of chat that the bot asked to delete
// (tried) and those that were deleted (gone), in order.
func (f *fakeAPI) deletesIn(chat int64) (tried, gone []int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.deleteTries {
		if d.Chat == chat {
			tried = append(tried, d.ID)
		}
	}
	for _, d := range f.deleted {
		if d.Chat == chat {
			gone = append(gone, d.ID)
		}
	}
	return tried, gone
}

// answeredCount is the number of callback queries answered so far.
func (f *fakeAPI) answeredCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.answered)
}

// holdAfter lets n messages be sent, then holds every further sendMessage
// until the bot gives up on it (its request is cancelled, or its process
// killed: nothing is sent) or the test ends (it is sent then). A bot
// stopped after n sends has sent exactly n, however busy the machine.
func (f *fakeAPI) holdAfter(t testing.TB, n int) {
	gate := make(chan struct{})
	t.Cleanup(func() { close(gate) }) // before the server closes: it waits for held requests
	var passed atomic.Int64
	f.mu.Lock()
	defer f.mu.Unlock()
	f.holdSends = func(r *http.Request) bool {
		if passed.Add(1) <= int64(n) {
			return true
		}
		select {
		case <-gate:
			return true
		case <-r.Context().Done():
			return false
		}
	}
}

// release drops what the fake recorded (benchmarks, between runs).
func (f *fakeAPI) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent, f.updates, f.alive, f.callLog, f.perChat = nil, nil, map[[2]int64]bool{}, nil, nil
}

// sendTimes returns when each message to chat was sent, in order.
func (f *fakeAPI) sendTimes(chat int64) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.perChat[chat]...)
}

// sentCount is how many messages were sent to chat.
func (f *fakeAPI) sentCount(chat int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.perChat[chat])
}

// allSent returns a copy of every sendMessage so far.
func (f *fakeAPI) allSent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sent...)
}

// sentTo returns the messages sent to chat, in order.
func (f *fakeAPI) sentTo(chat int64) []sent {
	var out []sent
	for _, s := range f.allSent() {
		if s.Chat == chat {
			out = append(out, s)
		}
	}
	return out
}

func (f *fakeAPI) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// confirmedPast reports whether Telegram would now consider update id
// confirmed: a getUpdates asked for an offset above it.
func (f *fakeAPI) confirmedPast(id int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.confirmed > id
}

// notify wakes everything waiting in await.
func (f *fakeAPI) notify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notifyLocked()
}

func (f *fakeAPI) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// await waits until cond, which must depend only on what the fake
// records, holds, checking it after each call the fake takes; it fails the
// test if the timeout passes first.
func (f *fakeAPI) await(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	if !f.within(timeout, cond) {
		t.Fatalf("timed out after %v waiting for %s", timeout, what)
	}
}

// within is await that reports whether cond came to hold in time, for
// callers that measure rather than fail.
func (f *fakeAPI) within(timeout time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		changed := f.changed
		f.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-changed:
		case <-deadline.C:
			return false
		}
	}
}

// waitFor polls cond until it holds or the timeout passes. It is for
// states nothing signals (the bot's Ready, the number of goroutines); for
// what the fake records, use fakeAPI.await.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
