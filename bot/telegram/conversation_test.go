package telegram_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/directory"
)

func TestStartupRegistersCommands(t *testing.T) {
	h := newHarness(t, options{})
	if got := h.bot.Name(); got != "telegram" {
		t.Errorf("Name() = %q", got)
	}
	if got := h.bot.Username(); got != testBotName {
		t.Errorf("Username() = %q, want %q", got, testBotName)
	}
	h.api.mu.Lock()
	raw := h.api.commands
	h.api.mu.Unlock()
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
		t.Fatalf("setMyCommands commands = %q: %v", raw, err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Command)
	}
	if got, want := strings.Join(names, ","), "start,help,emergency,forget,about"; got != want {
		t.Errorf("commands = %s, want %s", got, want)
	}
	if got := len(h.bot.Handlers()); got != 0 {
		t.Errorf("polling mode has %d HTTP handlers, want none", got)
	}
}

// TestEveryRoute walks a whole conversation to each route by pressing
// buttons, as a person would: each press is answered, its question's
// buttons are taken off, and the answer names the route's contacts.
func TestEveryRoute(t *testing.T) {
	h := newHarness(t, options{})
	tests := []struct {
		route   directory.Route
		presses []string
		want    []string // in the final answer
		link    string   // a URL button on the answer
	}{
		{directory.RouteEmergency, []string{"go:emergency"}, []string{"Call 999 now.", "press 55"}, ""},
		{directory.Route("report-crime"), []string{"report", "go:report-crime", "crime-now:no", "crime-hate:no"}, []string{"101"}, "https://www.bedfordshire.police.uk/report"},
		{directory.Route("environmental"), []string{"report", "go:environmental"}, []string{"01582 510 330"}, "https://www.luton.gov.uk"},
		{directory.Route("hate-crime"), []string{"report", "go:hate-crime", "hate-now:no"}, []string{"101"}, "https://www.report-it.org.uk"},
		{directory.Route("safeguarding"), []string{"go:safeguarding", "safe-now:no"}, []string{"01582 547 653", "mash@luton.gov.uk"}, ""},
		{directory.Route("victim-support"), []string{"go:victim-support"}, []string{"0800 0282 887"}, ""},
	}
	for i, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			chat := int64(100 + i)
			h.t = t
			welcome := h.say(chat, "/start")
			if len(welcome) != 1 {
				t.Fatalf("/start sent %d messages, want 1 (welcome and menu merged):\n%s", len(welcome), joined(welcome))
			}
			if !strings.Contains(welcome[0].Text, "call 999") {
				t.Errorf("welcome lacks the 999 line:\n%s", welcome[0].Text)
			}
			answeredBefore := h.api.count("answerCallbackQuery")
			msgs := welcome
			var pressed []sent
			for _, data := range tt.presses {
				on := last(t, msgs)
				pressed = append(pressed, on)
				msgs = h.press(on, data)
			}
			msgs = h.throughArea(msgs)
			if got := h.api.count("answerCallbackQuery") - answeredBefore; got != len(tt.presses) {
				t.Errorf("%d callback queries answered, want %d", got, len(tt.presses))
			}
			text := joined(msgs)
			for _, want := range tt.want {
				if !strings.Contains(text, want) {
					t.Errorf("answer lacks %q:\n%s", want, text)
				}
			}
			if tt.route != directory.RouteEmergency && !strings.Contains(text, "call 999") {
				t.Errorf("answer lacks the 999 line:\n%s", text)
			}
			if tt.link != "" {
				found := false
				for _, m := range msgs {
					found = found || hasButton(m, tt.link)
				}
				if !found {
					t.Errorf("no URL button for %s in the answer", tt.link)
				}
			}
			for _, m := range msgs {
				if m.ParseMode != "HTML" {
					t.Errorf("message %d sent with parse mode %q, want HTML", m.ID, m.ParseMode)
				}
			}
			if last(t, msgs).Markup == nil {
				t.Errorf("the last message of the answer has no buttons")
			}
			// Each pressed message lost its callback buttons.
			h.api.mu.Lock()
			edits := append([]edit(nil), h.api.edits...)
			h.api.mu.Unlock()
			for _, p := range pressed {
				found := false
				for _, e := range edits {
					if e.Chat == p.Chat && e.ID == p.ID {
						found = true
						if strings.Contains(e.Markup, "callback_data") {
							t.Errorf("edit of message %d keeps callback buttons: %s", p.ID, e.Markup)
						}
					}
				}
				if !found {
					t.Errorf("the buttons of pressed message %d were not taken off", p.ID)
				}
			}
		})
	}
}

func TestDeepLink(t *testing.T) {
	h := newHarness(t, options{})
	msgs := h.say(7, "/start hate-crime")
	m := last(t, msgs)
	if !strings.Contains(m.Text, "Is anyone in danger or hurt right now?") || !hasButton(m, "hate-now:no") {
		t.Fatalf("/start hate-crime answered:\n%s\nbuttons %v", joined(msgs), buttons(m))
	}
	msgs = h.throughArea(h.press(m, "hate-now:no"))
	if !strings.Contains(joined(msgs), "report-it.org.uk") {
		t.Errorf("hate crime answer lacks True Vision:\n%s", joined(msgs))
	}
}

func TestDangerTextMidFlow(t *testing.T) {
	h := newHarness(t, options{})
	msgs := h.say(8, "/start")
	msgs = h.press(last(t, msgs), "report")
	msgs = h.press(last(t, msgs), "go:report-crime")
	if !strings.Contains(last(t, msgs).Text, "Is it happening now") {
		t.Fatalf("not at the crime-now question:\n%s", joined(msgs))
	}
	msgs = h.say(8, "hes outside my house with a knife right now")
	text := joined(msgs)
	if !strings.HasPrefix(msgs[0].Text, "Call 999 now.") || !strings.Contains(text, "press 55") {
		t.Errorf("danger text mid-flow did not get the 999 answer first:\n%s", text)
	}
}

// TestMarkupInDirectory sends a directory entry made of every character
// that means something in Telegram's HTML or MarkdownV2: it must arrive,
// as HTML, exactly as written.
func TestMarkupInDirectory(t *testing.T) {
	const nasty = "< > & _ * [ ] ( ) ~ \\ ` # + - = | { } . ! &amp; <b>bold?</b> &#39; \" '"
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	d = d.Clone()
	for i, s := range d.Services {
		if s.ID == "council-environmental" {
			d.Services[i].Name = "Council " + nasty
			d.Services[i].Description = "Report it " + nasty
			for j := range d.Services[i].Contacts {
				d.Services[i].Contacts[j].Label = "Label " + nasty
				d.Services[i].Contacts[j].Note = "Note " + nasty
			}
		}
	}
	h := newHarness(t, options{dir: d})
	msgs := h.throughArea(h.say(9, "fly tipping on my road"))
	text := joined(msgs)
	for _, m := range msgs {
		if m.ParseMode != "HTML" {
			t.Fatalf("message sent as %q (the HTML was refused and the plain fallback used):\n%s", m.ParseMode, text)
		}
	}
	// The fake parsed the HTML as Telegram does; what a person sees is the
	// unescaped text.
	if !strings.Contains(text, "<b>Council &lt; &gt; &amp; _ * [ ] ( ) ~ \\ ` # + - = | { } . ! &amp;amp; &lt;b&gt;bold?&lt;/b&gt;") {
		t.Errorf("heading not escaped as expected:\n%s", text)
	}
	if !strings.Contains(text, "01582 510 330") {
		t.Errorf("the phone number is missing:\n%s", text)
	}
	// Button labels are plain text in the Bot API: not escaped.
	var labels []string
	for _, m := range msgs {
		if m.Markup != nil {
			for _, row := range m.Markup.InlineKeyboard {
				for _, b := range row {
					labels = append(labels, b.Text)
				}
			}
		}
	}
	if !strings.Contains(strings.Join(labels, "|"), "Label "+nasty) {
		t.Errorf("link button label changed: %q", labels)
	}
}

// TestLongDirectoryEntry: a description far over 4,096 characters is
// split into messages that Telegram accepts, the buttons on the last.
func TestLongDirectoryEntry(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	d = d.Clone()
	long := strings.Repeat("Fly-tipping & graffiti <report> ", 400) // ~13,000 characters, one line
	for i, s := range d.Services {
		if s.ID == "council-environmental" {
			d.Services[i].Description = long
		}
	}
	h := newHarness(t, options{dir: d})
	msgs := h.throughArea(h.say(10, "fly tipping on my road"))
	if len(msgs) < 4 {
		t.Fatalf("sent %d messages, want the long one split into several", len(msgs))
	}
	var parts []string
	for i, m := range msgs {
		if n := len([]rune(m.Text)); n > telegram.MaxText {
			t.Errorf("message %d is %d characters", i, n)
		}
		if m.ParseMode != "HTML" {
			t.Errorf("message %d fell back to plain text", i)
		}
		parts = append(parts, m.Text)
	}
	// A line too long for one message is cut at a space, which the cut
	// takes out.
	if c := strings.Count(strings.Join(parts, " "), "Fly-tipping &amp; graffiti &lt;report&gt;"); c != 400 {
		t.Errorf("the description arrived with %d of 400 repetitions intact", c)
	}
	if last(t, msgs).Markup == nil {
		t.Error("the last message has no buttons")
	}
}

func TestNonTextMessages(t *testing.T) {
	h := newHarness(t, options{})
	kinds := map[string]func(m *tgbotapi.Message){
		"sticker":  func(m *tgbotapi.Message) { m.Sticker = &tgbotapi.Sticker{FileID: "s"} },
		"photo":    func(m *tgbotapi.Message) { m.Photo = []tgbotapi.PhotoSize{{FileID: "p"}} },
		"voice":    func(m *tgbotapi.Message) { m.Voice = &tgbotapi.Voice{FileID: "v"} },
		"location": func(m *tgbotapi.Message) { m.Location = &tgbotapi.Location{Latitude: 51.88, Longitude: -0.42} },
		"contact":  func(m *tgbotapi.Message) { m.Contact = &tgbotapi.Contact{PhoneNumber: "07700900000", FirstName: "A"} },
		"document": func(m *tgbotapi.Message) { m.Document = &tgbotapi.Document{FileID: "d"} },
	}
	chat := int64(20)
	for name, set := range kinds {
		t.Run(name, func(t *testing.T) {
			chat++
			m := h.api.message(chat, "", time.Now())
			set(m)
			before := len(h.api.sentTo(chat))
			h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
			msgs := h.api.sentTo(chat)[before:]
			text := visible(msgs)
			if !strings.HasPrefix(text, "I can only read text messages and buttons.") || !strings.Contains(text, "call 999") {
				t.Errorf("%s answered:\n%s", name, text)
			}
			if last(t, msgs).Markup == nil {
				t.Errorf("%s: no menu buttons", name)
			}
		})
	}
	t.Run("photo with caption", func(t *testing.T) {
		m := h.api.message(30, "", time.Now())
		m.Photo = []tgbotapi.PhotoSize{{FileID: "p"}}
		m.Caption = "someone dumped a load of rubbish outside my house"
		before := len(h.api.sentTo(30))
		h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
		if text := joined(h.throughArea(h.api.sentTo(30)[before:])); !strings.Contains(text, "01582 510 330") {
			t.Errorf("the caption was not read:\n%s", text)
		}
	})
	t.Run("service message ignored", func(t *testing.T) {
		m := h.api.message(32, "", time.Now())
		m.NewChatMembers = []tgbotapi.User{{ID: 5}}
		h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
		if n := len(h.api.sentTo(32)); n != 0 {
			t.Errorf("a service message got %d replies", n)
		}
	})
}

// TestExpiredSessionButton presses buttons of a conversation the bot no
// longer remembers (expired, or a restart with a fresh session store): the
// button still works, an unknown one gets a friendly restart, and every
// press is answered.
func TestExpiredSessionButton(t *testing.T) {
	h := newHarness(t, options{})
	old := sent{Chat: 40, ID: 1, At: time.Now().Add(-3 * time.Hour), Markup: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{
		{tgbotapi.NewInlineKeyboardButtonData("No", "crime-now:no")},
		{tgbotapi.NewInlineKeyboardButtonData("?", "svc:no-such-service")},
	}}}
	msgs := h.press(old, "crime-now:no")
	if !strings.Contains(joined(msgs), "Was anyone targeted") {
		t.Errorf("an old button did not carry on the conversation:\n%s", joined(msgs))
	}
	msgs = h.press(old, "svc:no-such-service")
	text := visible(msgs)
	if !strings.Contains(text, "Let's start again") || !hasButton(last(t, msgs), "go:emergency") {
		t.Errorf("an unknown button did not get a friendly restart:\n%s", text)
	}
	if got := h.api.count("answerCallbackQuery"); got != 2 {
		t.Errorf("%d callback queries answered, want 2", got)
	}
}

func TestGroupChat(t *testing.T) {
	h := newHarness(t, options{})
	const group = -1001
	// A plain message in a group is not for the bot.
	id := h.api.text(group, "anyone know when the bins are collected")
	h.awaitHandled(id)
	if n := len(h.api.sentTo(group)); n != 0 {
		t.Fatalf("answered a plain group message (%d messages)", n)
	}
	// A command for another bot is not either.
	h.awaitHandled(h.api.text(group, "/help@some_other_bot"))
	if n := len(h.api.sentTo(group)); n != 0 {
		t.Fatalf("answered another bot's command (%d messages)", n)
	}
	// Stickers in a group are ignored.
	m := h.api.message(group, "", time.Now())
	m.Sticker = &tgbotapi.Sticker{FileID: "s"}
	h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
	if n := len(h.api.sentTo(group)); n != 0 {
		t.Fatalf("answered a sticker in a group (%d messages)", n)
	}
	// Commands, for this bot or for no bot in particular, are answered.
	if msgs := h.say(group, "/help@"+testBotName); !strings.Contains(joined(msgs), "Commands:") {
		t.Errorf("/help@bot answered:\n%s", joined(msgs))
	}
	if msgs := h.say(group, "/emergency"); !strings.Contains(joined(msgs), "Call 999 now.") {
		t.Errorf("/emergency answered:\n%s", joined(msgs))
	}
	// A mention is answered, with the mention taken out of the text.
	text := "@" + testBotName + " someone dumped a load of rubbish outside my house"
	mm := h.api.message(group, text, time.Now())
	mm.Entities = []tgbotapi.MessageEntity{{Type: "mention", Offset: 0, Length: len(testBotName) + 1}}
	before := len(h.api.sentTo(group))
	h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: mm}))
	if got := joined(h.throughArea(h.api.sentTo(group)[before:])); !strings.Contains(got, "01582 510 330") {
		t.Errorf("mention answered:\n%s", got)
	}
	// A reply to the bot's own message is answered too.
	botMsg := last(t, h.api.sentTo(group))
	rm := h.api.message(group, "graffiti all over the bus shelter", time.Now())
	rm.ReplyToMessage = &tgbotapi.Message{MessageID: botMsg.ID, From: &tgbotapi.User{ID: testBotID, IsBot: true}, Chat: rm.Chat}
	before = len(h.api.sentTo(group))
	h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: rm}))
	if got := joined(h.throughArea(h.api.sentTo(group)[before:])); !strings.Contains(got, "01582 510 330") {
		t.Errorf("reply to the bot answered:\n%s", got)
	}
}

func TestShutdownStoresOffset(t *testing.T) {
	h := newHarness(t, options{})
	var lastID int
	for i := range 5 {
		lastID = h.api.text(int64(60+i), "/help")
	}
	h.awaitHandled(lastID)
	if err := h.stop(); err != nil {
		t.Fatalf("Run returned %v", err)
	}
	v, ok, err := h.store.Cursor(t.Context(), telegram.CursorName)
	if err != nil || !ok || v != int64(lastID+1) {
		t.Errorf("stored offset = %d, %v, %v; want %d", v, ok, err, lastID+1)
	}
	if err := h.bot.Ready(); err == nil {
		t.Error("Ready() = nil after Run returned")
	}
}

func TestRunTwice(t *testing.T) {
	h := newHarness(t, options{})
	if err := h.bot.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("second Run = %v", err)
	}
}

// TestPerChatOrder: many messages from a few chats at once are answered
// in each chat's order.
func TestPerChatOrder(t *testing.T) {
	h := newHarness(t, options{})
	cmds := []string{"/help", "/about", "/emergency", "/start"}
	marks := []string{"I can tell you where", "<b>Luton Community Safety Partnership</b>", "Call 999 now.", "Hello."}
	var lastID int
	for round := range 5 {
		for chat := int64(70); chat < 75; chat++ {
			lastID = h.api.text(chat, cmds[round%len(cmds)])
		}
	}
	h.awaitHandled(lastID)
	for chat := int64(70); chat < 75; chat++ {
		var got []string
		for _, m := range h.api.sentTo(chat) {
			for i, mark := range marks {
				if strings.HasPrefix(m.Text, mark) {
					got = append(got, cmds[i])
				}
			}
		}
		want := "/help /about /emergency /start /help"
		if strings.Join(got, " ") != want {
			t.Errorf("chat %d answered in the order %v, want %s", chat, got, want)
		}
	}
}

func ExampleNew() {
	// In cmd/whereto (sketch):
	//
	//	tg, err := telegram.New(ctx, telegram.Config{
	//		Token:      os.Getenv("TELEGRAM_BOT_TOKEN"),
	//		Endpoint:   os.Getenv("WHERETO_TELEGRAM_API_ENDPOINT"),
	//		WebhookURL: os.Getenv("WHERETO_TELEGRAM_WEBHOOK_URL"),
	//		Logger:     logger,
	//		Metrics:    metrics,
	//	}, runner, store)
	//	if errors.Is(err, telegram.ErrUnauthorized) { ... exit non-zero ... }
	//	go tg.Run(ctx)
	fmt.Println("see docs/TELEGRAM.md")
	// Output: see docs/TELEGRAM.md
}
