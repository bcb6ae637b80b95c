package telegram_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
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
	menus := maps.Clone(h.api.commands)
	h.api.mu.Unlock()
	// A menu in every language, each in its own words; English for
	// everyone else (no language code).
	for _, l := range lang.Languages() {
		code := string(l)
		if l == lang.English {
			code = ""
		}
		raw, ok := menus[code]
		if !ok {
			t.Errorf("no command menu for %q", code)
			continue
		}
		var cmds []tgbotapi.BotCommand
		if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
			t.Fatalf("setMyCommands commands = %q: %v", raw, err)
		}
		var names []string
		for _, c := range cmds {
			names = append(names, c.Command)
		}
		if got, want := strings.Join(names, ","), "start,help,emergency,language,forget,about"; got != want {
			t.Errorf("%q: commands = %s, want %s", code, got, want)
		}
		if got, want := cmds[0].Description, lang.T(l, "telegram.command.start"); got != want {
			t.Errorf("%q: /start is %q, want %q", code, got, want)
		}
	}
	if len(menus) != len(lang.Languages()) {
		t.Errorf("%d command menus, want %d", len(menus), len(lang.Languages()))
	}
	if got := len(h.bot.Handlers()); got != 0 {
		t.Errorf("polling mode has %d HTTP handlers, want none", got)
	}
}

// routeWants are what each route's answer must hold, beyond what every
// answer holds: the first service's contacts and the link buttons.
var routeWants = map[directory.Route]struct {
	want []string // in the final answer
	link string   // a URL button on the answer
}{
	directory.RouteEmergency: {[]string{"Call 999 now.", "press 55"}, ""},
	"report-crime":           {[]string{"<b>Bedfordshire Police: report online</b>", "Or:", "Police non-emergency line: Call 101"}, "https://www.bedfordshire.police.uk/report"},
	"environmental":          {[]string{"<b>Luton Council: fly-tipping, litter and graffiti</b>", "Call 01582 510 330"}, "https://www.luton.gov.uk"},
	"hate-crime":             {[]string{"<b>True Vision: report hate crime</b>", "Police non-emergency line: Call 101"}, "https://www.report-it.org.uk"},
	"fraud":                  {[]string{"<b>Report Fraud</b>", "Call 0300 123 2040"}, "https://reportfraud.police.uk"},
	"victim-support":         {[]string{"<b>Signpost Hub</b>", "Call 0800 0282 887"}, ""},
	"domestic-abuse":         {[]string{"<b>National Domestic Abuse Helpline</b>", "Call 0808 2000 247"}, ""},
	"sexual-violence":        {[]string{"<b>Rape Crisis 24/7 Support Line</b>", "Call 0808 500 2222"}, ""},
	"mental-health":          {[]string{"<b>Samaritans</b>", "Call 116 123"}, ""},
	"safeguarding":           {[]string{"<b>MASH: Multi-Agency Safeguarding Hub</b>", "Call 01582 547 653", "mash@luton.gov.uk"}, ""},
	"exploitation":           {[]string{"Call 08000 121 700"}, ""},
}

// dangerLine is the 999 line that ends the answers of danger_check routes.
const dangerLine = "If you are in danger now, call 999."

// TestEveryRoute walks a whole conversation to each route of the default
// directory by pressing buttons, as a person would (the menu, the route's
// group, the route, and the place question where it is asked): each press
// is answered, its question's buttons are taken off, and the answer
// starts with the route's intro, names the route's contacts, offers at
// most two alternatives, and carries the 999 line exactly when the route
// is a danger_check route.
func TestEveryRoute(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	for r := range routeWants {
		if !d.Knows(r) {
			t.Errorf("routeWants names %q, which the default directory does not define", r)
		}
	}
	h := newHarness(t, options{dir: d})
	for i, route := range d.RouteIDs() {
		ri, _ := d.Route(route)
		t.Run(string(route), func(t *testing.T) {
			chat := int64(100 + i)
			h.t = t
			welcome := h.say(chat, "/start")
			if len(welcome) != 1 {
				t.Fatalf("/start sent %d messages, want 1 (welcome and menu merged):\n%s", len(welcome), joined(welcome))
			}
			if !strings.Contains(welcome[0].Text, "call 999") {
				t.Errorf("welcome lacks the 999 line:\n%s", welcome[0].Text)
			}
			var presses []string
			if ri.Group != "" {
				presses = append(presses, "grp:"+ri.Group)
			}
			presses = append(presses, "go:"+string(route))
			answeredBefore := h.api.count("answerCallbackQuery")
			msgs := welcome
			var pressed []sent
			for _, data := range presses {
				on := last(t, msgs)
				pressed = append(pressed, on)
				msgs = h.press(on, data)
			}
			if ri.Where != directory.WhereNone && route != directory.RouteEmergency {
				// From the menu the answer comes at once, for the
				// partnership's own area, with one button for elsewhere.
				q := last(t, msgs)
				if !hasButton(q, "area:away:"+string(route)) {
					t.Errorf("no button for somewhere else after the answer of a route with where %q; got:\n%s\nbuttons %v", ri.Where, joined(msgs), buttons(q))
				}
			}
			msgs = h.throughArea(msgs)
			if got := h.api.count("answerCallbackQuery") - answeredBefore; got != len(presses) {
				t.Errorf("%d callback queries answered, want %d", got, len(presses))
			}
			text := joined(msgs)
			if ri.Intro != "" && !strings.HasPrefix(visible(msgs), ri.Intro) {
				t.Errorf("answer does not start with the route's intro %q:\n%s", ri.Intro, text)
			}
			for _, want := range routeWants[route].want {
				if !strings.Contains(text, want) {
					t.Errorf("answer lacks %q:\n%s", want, text)
				}
			}
			if route != directory.RouteEmergency {
				if !strings.Contains(text, "<b>") {
					t.Errorf("answer names no service in a heading:\n%s", text)
				}
				if got, want := strings.Contains(text, dangerLine), ri.DangerCheck; got != want {
					t.Errorf("answer has the 999 line %v, want %v (danger_check):\n%s", got, want, text)
				}
				if n := alternatives(text); n > 2 {
					t.Errorf("answer lists %d alternatives after \"Or:\", want at most 2:\n%s", n, text)
				}
			}
			if link := routeWants[route].link; link != "" {
				found := false
				for _, m := range msgs {
					found = found || hasButton(m, link)
				}
				if !found {
					t.Errorf("no URL button for %s in the answer", link)
				}
			}
			for _, m := range msgs {
				if m.ParseMode != "HTML" {
					t.Errorf("message %d sent with parse mode %q, want HTML", m.ID, m.ParseMode)
				}
			}
			if end := last(t, msgs); !hasButton(end, "menu") {
				t.Errorf("the last message of the answer has no Start again button: %v", buttons(end))
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

// alternatives counts the "- " lines after the first "Or:" line of text,
// up to the end of that message.
func alternatives(text string) int {
	_, after, ok := strings.Cut(text, "Or:\n")
	if !ok {
		return 0
	}
	after, _, _ = strings.Cut(after, "\n---\n")
	n := 0
	for _, line := range strings.Split(after, "\n") {
		if strings.HasPrefix(line, "- ") {
			n++
		}
	}
	return n
}

// TestDeepLink: /start with a route id (a poster's t.me link) goes
// straight into that route, asking only what the route asks; an unknown
// one gets the welcome.
func TestDeepLink(t *testing.T) {
	h := newHarness(t, options{})
	t.Run("a route without questions answers at once", func(t *testing.T) {
		h.t = t
		msgs := h.say(7, "/start hate-crime")
		text := joined(msgs)
		if !strings.HasPrefix(visible(msgs), "This is a hate crime.") || !strings.Contains(text, "<b>True Vision: report hate crime</b>") {
			t.Errorf("/start hate-crime answered:\n%s", text)
		}
		found := false
		for _, m := range msgs {
			found = found || hasButton(m, "https://www.report-it.org.uk")
		}
		if !found || !hasButton(last(t, msgs), "go:victim-support") {
			t.Errorf("/start hate-crime lacks the True Vision link or Help after a crime:\n%s", text)
		}
		if strings.Contains(text, "Is this happening now?") {
			t.Errorf("a deep link was asked the danger question, which only unclear words get:\n%s", text)
		}
	})
	t.Run("a route with a place question asks it first", func(t *testing.T) {
		h.t = t
		msgs := h.say(8, "/start safeguarding")
		m := last(t, msgs)
		if !strings.Contains(m.Text, "Where does the person live?") || !hasButton(m, "area:skip:safeguarding") {
			t.Fatalf("/start safeguarding answered:\n%s\nbuttons %v", joined(msgs), buttons(m))
		}
		msgs = h.press(m, "area:skip:safeguarding")
		if text := joined(msgs); !strings.Contains(text, "<b>MASH: Multi-Agency Safeguarding Hub</b>") || !strings.Contains(text, dangerLine) {
			t.Errorf("safeguarding answer after Skip:\n%s", text)
		}
	})
	t.Run("an unknown route gets the welcome", func(t *testing.T) {
		h.t = t
		msgs := h.say(9, "/start nothing-like-this")
		if text := visible(msgs); !strings.HasPrefix(text, "Hello.") || !hasButton(last(t, msgs), "go:emergency") {
			t.Errorf("/start nothing-like-this answered:\n%s", text)
		}
	})
}

// TestDangerTextMidFlow: danger typed while a question waits for its
// answer gets the 999 answer first.
func TestDangerTextMidFlow(t *testing.T) {
	h := newHarness(t, options{})
	h.say(8, "/start")
	msgs := h.say(8, "someone has dumped a sofa in the alley")
	if !strings.Contains(last(t, msgs).Text, "Where did it happen?") {
		t.Fatalf("not at the place question:\n%s", joined(msgs))
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

// TestLongDirectoryEntry: a description far over 4,096 characters (shown
// when the service is chosen from Find a contact) is split into messages
// that Telegram accepts, the buttons on the last.
func TestLongDirectoryEntry(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	d = d.Clone()
	long := strings.Repeat("Fly-tipping & graffiti <report> ", 400) // ~13,000 characters, one line
	found := false
	for i, s := range d.Services {
		if s.ID == "council-environmental" {
			d.Services[i].Description = long
			found = true
		}
	}
	if !found {
		t.Fatal("the default directory has no service council-environmental")
	}
	h := newHarness(t, options{dir: d})
	msgs := h.say(10, "/start")
	msgs = h.press(last(t, msgs), "find")
	msgs = h.press(last(t, msgs), "svc:council-environmental")
	if len(msgs) < 4 {
		t.Fatalf("sent %d messages, want the long one split into several:\n%s", len(msgs), joined(msgs))
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
	if !strings.Contains(parts[0], "<b>Luton Council: fly-tipping, litter and graffiti</b>") {
		t.Errorf("the first part lacks the service's name:\n%.300s", parts[0])
	}
	if !strings.Contains(joined(msgs), "01582 510 330") {
		t.Errorf("the phone number is missing after the long description")
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
// buttons still work, an earlier version's danger button still gives the
// 999 answer, an unknown one gets a friendly restart, and every press is
// answered.
func TestExpiredSessionButton(t *testing.T) {
	h := newHarness(t, options{})
	presses := []struct {
		data string
		want []string // in what follows, as a person sees it
	}{
		{"now:report-crime:no", []string{"To report a crime when it is not an emergency:", "Police non-emergency line: Call 101"}},
		{"area:skip:environmental", []string{"Luton Council: fly-tipping, litter and graffiti", "01582 510 330"}},
		{"more:report-crime", []string{"Other places that can help:", "Crimestoppers"}},
		{"crime-now:yes", []string{"Call 999 now.", "press 55"}},
		{"svc:no-such-service", []string{"Sorry, I lost track of where we were.", "Let us start again.", "What do you want to do?"}},
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, p := range presses {
		rows = append(rows, []tgbotapi.InlineKeyboardButton{tgbotapi.NewInlineKeyboardButtonData("?", p.data)})
	}
	old := sent{Chat: 40, ID: 1, At: time.Now().Add(-3 * time.Hour), Markup: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}}
	for _, p := range presses {
		msgs := h.press(old, p.data)
		text := visible(msgs)
		for _, want := range p.want {
			if !strings.Contains(text, want) {
				t.Errorf("old button %q: answer lacks %q:\n%s", p.data, want, text)
			}
		}
		if p.data == "svc:no-such-service" && !hasButton(last(t, msgs), "go:emergency") {
			t.Errorf("the friendly restart has no menu: %v", buttons(last(t, msgs)))
		}
	}
	if got := h.api.count("answerCallbackQuery"); got != len(presses) {
		t.Errorf("%d callback queries answered, want %d", got, len(presses))
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
	cmds := []string{"/help", "/about", "/start", "/emergency"}
	const chats = 5
	var lastID int
	for _, cmd := range cmds {
		for c := range chats {
			lastID = h.api.text(int64(1000+c), cmd)
		}
	}
	h.awaitHandled(lastID)
	if lost, repeated := checkAnswered(t, h.api, chats, cmds); lost > 0 || repeated > 0 {
		t.Errorf("%d lost, %d repeated", lost, repeated)
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

// A person whose Telegram app is in Polish is answered in Polish from the
// first message, with one tap back to English; the language follows the
// chat through the inbox (the hint is stored with the update).
func TestAppLanguageFromTelegram(t *testing.T) {
	h := newHarness(t, options{})
	const chat = 4242
	got := startInAppLanguage(h, chat, "pl")
	if len(got) == 0 {
		t.Fatal("no answer")
	}
	last := got[len(got)-1]
	if !strings.Contains(last.Text, lang.T("pl", "menu")) {
		t.Errorf("answer is not in Polish: %q", last.Text)
	}
	if !hasButton(last, "lang:en") {
		t.Errorf("no English button: %v", buttons(last))
	}
	// The English button switches the chat to English.
	after := h.press(last, "lang:en")
	if len(after) == 0 || !strings.Contains(after[len(after)-1].Text, lang.T(lang.English, "menu")) {
		t.Errorf("after English: %v", after)
	}
}

// An Urdu-speaking person's chat is answered in Urdu, every line marked
// right to left.
func TestUrduRightToLeft(t *testing.T) {
	h := newHarness(t, options{})
	const chat = 4343
	got := startInAppLanguage(h, chat, "ur")
	if len(got) == 0 {
		t.Fatal("no answer")
	}
	for _, s := range got {
		for _, l := range strings.Split(s.Text, "\n") {
			if l != "" && !strings.HasPrefix(l, "\u200f") {
				t.Errorf("a line is not marked right to left: %q", l)
			}
		}
	}
	if !strings.Contains(got[len(got)-1].Text, lang.T("ur", "menu")) {
		t.Errorf("not in Urdu: %q", got[len(got)-1].Text)
	}
}

// startInAppLanguage sends /start from chat as a person whose Telegram
// app is in language code, and returns what the bot sent.
func startInAppLanguage(h *harness, chat int64, code string) []sent {
	h.t.Helper()
	m := h.api.message(chat, "/start", time.Now())
	m.From.LanguageCode = code
	m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len("/start")}}
	h.awaitHandled(h.api.addUpdate(tgbotapi.Update{Message: m}))
	return h.api.sentTo(chat)
}
