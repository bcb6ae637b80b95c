package flows_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

func defaultDir(t testing.TB) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var afternoon = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// allStates is every step the conversation can be in, with the routes that
// change its buttons.
func allStates() []flows.State {
	states := []flows.State{
		{}, {Step: flows.StepMenu}, {Step: flows.StepGroup, Group: "report"},
		{Step: flows.StepGroup, Group: "support"}, {Step: flows.StepGroup, Group: "worried"},
		{Step: flows.StepNow, Route: "domestic-abuse"}, {Step: flows.StepNow, Route: directory.RouteUnclear},
		{Step: flows.StepOwnWords}, {Step: flows.StepFind}, {Step: flows.StepShown},
		{Step: flows.StepFind, Found: []string{"mash", "police-non-emergency"}},
		{Step: flows.StepArea, Route: "environmental"},
		{Step: flows.StepArea, Route: "safeguarding", Then: "hate-crime"},
		{Step: flows.StepLanguage}, {Step: flows.StepMenu, Lang: "ur"},
		{Step: flows.StepAnswered, Route: "fraud", Lang: "pl", LangChosen: true},
	}
	routes, _ := directory.Default()
	for _, r := range routes.RouteIDs() {
		states = append(states, flows.State{Step: flows.StepAnswered, Route: r})
		states = append(states, flows.State{Step: flows.StepAnswered, Route: r, Then: "victim-support"})
	}
	return states
}

// TestEveryButtonIsHandled presses every button any state shows and checks
// that none of them falls through to "lost track".
func TestEveryButtonIsHandled(t *testing.T) {
	dir := defaultDir(t)
	for _, s := range allStates() {
		for _, ch := range buttonsOf(t, s, dir) {
			got := flows.Next(s, flows.Input{Choice: ch.ID}, dir, afternoon)
			if strings.Contains(flows.RenderText(got.Replies), "lost track") {
				t.Errorf("state %+v: button %q (%s) was not understood", s, ch.ID, ch.Label)
			}
			if len(got.Replies) == 0 {
				t.Errorf("state %+v: button %q gave no reply", s, ch.ID)
			}
		}
	}
}

// buttonsOf returns the buttons shown in state s: empty text re-asks the
// current question, with its buttons.
func buttonsOf(t *testing.T, s flows.State, dir *directory.Directory) []flows.Choice {
	t.Helper()
	turn := flows.Next(s, flows.Input{Text: " "}, dir, afternoon)
	last := turn.Replies[len(turn.Replies)-1]
	return last.Choices
}

func TestTypedNumbersAndLabelsChoose(t *testing.T) {
	dir := defaultDir(t)
	for _, s := range allStates() {
		buttons := buttonsOf(t, s, dir)
		for i, b := range buttons {
			byButton := flows.Next(s, flows.Input{Choice: b.ID}, dir, afternoon)
			byNumber := flows.Next(s, flows.Input{Text: itoa(i + 1)}, dir, afternoon)
			byLabel := flows.Next(s, flows.Input{Text: strings.ToUpper(b.Label) + "."}, dir, afternoon)
			if !reflect.DeepEqual(byButton, byNumber) {
				t.Errorf("state %+v: typing %d differs from tapping %q", s, i+1, b.ID)
			}
			if !reflect.DeepEqual(byButton, byLabel) {
				t.Errorf("state %+v: typing %q differs from tapping %q", s, b.Label, b.ID)
			}
		}
	}
}

func TestEveryTurnEndsWithButtons(t *testing.T) {
	dir := defaultDir(t)
	inputs := []flows.Input{{Text: "/start"}, {Text: "hello"}, {Text: ""}, {Text: "1"}, {Text: "/forget"}, {Text: "knife outside now"}, {Choice: "bogus"}}
	for _, s := range allStates() {
		for _, in := range inputs {
			turn := flows.Next(s, in, dir, afternoon)
			if len(turn.Replies) == 0 {
				t.Fatalf("state %+v input %+v: no replies", s, in)
			}
			for i, r := range turn.Replies[:len(turn.Replies)-1] {
				if len(r.Choices) > 0 {
					t.Errorf("state %+v input %+v: reply %d of %d has buttons; only the last may", s, in, i, len(turn.Replies))
				}
			}
			if !turn.Forget && len(turn.Replies[len(turn.Replies)-1].Choices) == 0 {
				t.Errorf("state %+v input %+v: last reply has no buttons", s, in)
			}
		}
	}
}

func TestDangerFromEveryStep(t *testing.T) {
	dir := defaultDir(t)
	for _, s := range allStates() {
		turn := flows.Next(s, flows.Input{Text: "he is kicking the door in and says he will kill me"}, dir, afternoon)
		if turn.Route != directory.RouteEmergency {
			t.Errorf("state %+v: danger gave route %q, want emergency", s, turn.Route)
		}
		text := flows.RenderText(turn.Replies)
		// In English, unless the person chose another language: a
		// plainly English message turns a language the bot chose
		// itself back to English.
		want := lang.English
		if s.LangChosen {
			want = s.Lang
		}
		if !strings.HasPrefix(text, lang.T(want, "call_now", "999")) || !strings.Contains(text, "55") {
			t.Errorf("state %+v: emergency answer lacks 999 or the Silent Solution:\n%s", s, text)
		}
	}
}

// TestEveryRouteAnswerShowsItsServices reaches each route and checks the
// services: the first and the alternatives that need no particular words,
// with the rest behind More options, and the 999 line exactly where danger
// can be close.
func TestEveryRouteAnswerShowsItsServices(t *testing.T) {
	dir := defaultDir(t)
	for _, r := range dir.RouteIDs() {
		t.Run(string(r), func(t *testing.T) {
			turn := flows.Next(flows.State{}, flows.Input{Text: "/start " + string(r)}, dir, afternoon)
			for i := 0; turn.Route == ""; i++ {
				if i > 5 {
					t.Fatalf("no answer after %d turns; stuck at %q", i, turn.State.Step)
				}
				// Answer "no" to the danger question the route asks first,
				// and give a Luton postcode when asked.
				answer := "no"
				if turn.State.Step == flows.StepArea {
					answer = "LU1 1AA"
				}
				turn = flows.Next(turn.State, flows.Input{Text: answer}, dir, afternoon)
			}
			if turn.Route != r {
				t.Fatalf("route = %q, want %q", turn.Route, r)
			}
			var named []string
			for _, rep := range turn.Replies {
				named = append(named, rep.Services...)
			}
			var want []string
			for _, s := range dir.ServicesFor(r) {
				if ref, _ := s.RouteRef(r); !ref.Fallback && len(ref.When) == 0 && len(want) < 3 {
					want = append(want, s.ID)
				}
			}
			if r == directory.RouteEmergency {
				want = named // every emergency service is shown
			}
			if !reflect.DeepEqual(named, want) {
				t.Errorf("services named = %v, want %v", named, want)
			}
			ri, _ := dir.Route(r)
			text := flows.RenderText(turn.Replies)
			if r == directory.RouteEmergency {
				if !strings.HasPrefix(text, "Call 999 now.") || strings.Contains(text, "If you are in danger now") {
					t.Errorf("emergency answer does not start with the number, or repeats the 999 line:\n%s", text)
				}
				return
			}
			if n := strings.Count(text, "call 999") + strings.Count(text, "Call 999"); ri.DangerCheck && n != 1 || !ri.DangerCheck && n != 0 {
				t.Errorf("answer for %s says 999 %d times (danger_check %v):\n%s", r, n, ri.DangerCheck, text)
			}
		})
	}
}

func TestOfficeHoursChooseTheNumber(t *testing.T) {
	dir := defaultDir(t)
	tests := []struct {
		name, at, want, notWant string
	}{
		{"weekday morning", "2026-11-23T10:00:00Z", "01582 547 653", "0300 300 8123"},
		{"weekday night", "2026-11-25T21:30:00Z", "0300 300 8123", "01582 547 653"},
		{"saturday", "2026-11-28T12:00:00Z", "0300 300 8123", "01582 547 653"},
		{"summer time 09:30 BST is 08:30 UTC", "2026-06-01T08:30:00Z", "01582 547 653", "0300 300 8123"},
		{"closing time", "2026-11-23T17:00:00Z", "0300 300 8123", "01582 547 653"},
		{"christmas day 2035 by the rule", "2035-12-25T11:00:00Z", "0300 300 8123", "01582 547 653"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			turn := flows.Next(flows.State{Area: "LU2"}, flows.Input{Choice: "now:safeguarding:no"}, dir, now)
			text := flows.RenderText(turn.Replies)
			if !strings.Contains(text, tt.want) || strings.Contains(text, tt.notWant) {
				t.Errorf("at %s: want %s and not %s in:\n%s", tt.at, tt.want, tt.notWant, text)
			}
		})
	}
}

// TestBadInput feeds hostile and odd input at every step: the bot answers
// clearly, never panics, and never echoes the input back.
func TestBadInput(t *testing.T) {
	dir := defaultDir(t)
	const marker = "Zq7marker"
	tests := []struct {
		name string
		text string
		want string // in the reply; "key:K" for catalogue key K in the conversation's language
	}{
		{"empty", "", "key:empty"},
		{"whitespace only", " \t \u00a0 \u2003 ", "key:empty"},
		{"over 100 KB", strings.Repeat("rubbish "+marker+" ", 13000), "key:truncated"},
		{"invalid UTF-8", "\xff\xfe\xfd " + marker + " \xc3\x28", ""},
		{"control characters", "\x00\x07\x1b[31m" + marker + "\x1b[0m\r\n", ""},
		{"emoji", "😱😱😱 " + marker, ""},
		{"right-to-left", "میرا فون چوری ہو گیا " + marker, ""},
		{"a script it cannot read", "我的手机昨天在公园里被偷了，请帮帮我 " + marker, "key:not_english"},
		{"Arabic", "سرق هاتفي في الحديقة " + marker, "key:not_english"},
		{"bidi override", "\u202e" + marker + " tfel ot thgir", ""},
		{"markup", "<b>" + marker + "</b> *x* _y_ [z](http://e.x) `c` &amp;", ""},
		{"only numbers", "4242424242 " + marker, ""},
		{"a url", "https://example.com/" + marker, ""},
		{"a phone number", "07700 900123 " + marker, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range allStates() {
				turn := flows.Next(s, flows.Input{Text: tt.text}, dir, afternoon)
				text := flows.RenderText(turn.Replies)
				if strings.Contains(text, marker) {
					t.Fatalf("state %+v: reply echoes the input:\n%s", s, text)
				}
				if !utf8.ValidString(text) {
					t.Fatalf("state %+v: reply is not valid UTF-8", s)
				}
				if strings.ContainsAny(text, "\x00\x1b\u202e") {
					t.Fatalf("state %+v: reply contains control characters", s)
				}
				want := tt.want
				if key, ok := strings.CutPrefix(want, "key:"); ok {
					// In the conversation's language.
					want = lang.T(lang.Of(string(s.Lang)), key)
				}
				if want != "" && !strings.Contains(text, want) {
					t.Errorf("state %+v: reply lacks %q:\n%s", s, want, text)
				}
			}
		})
	}
}

func TestNextIsDeterministic(t *testing.T) {
	dir := defaultDir(t)
	for _, s := range allStates() {
		for _, in := range []flows.Input{{Text: "my bike was nicked"}, {Text: "2"}, {Choice: "go:safeguarding"}} {
			a := flows.Next(s, in, dir, afternoon)
			b := flows.Next(s, in, dir, afternoon)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("state %+v input %+v: two calls differ", s, in)
			}
		}
	}
}

func TestForget(t *testing.T) {
	dir := defaultDir(t)
	turn := flows.Next(flows.State{Step: flows.StepNow, Route: "domestic-abuse", Then: "hate-crime"}, flows.Input{Text: "/forget"}, dir, afternoon)
	if !turn.Forget {
		t.Fatal("Forget = false, want true")
	}
	if !reflect.DeepEqual(turn.State, flows.State{}) {
		t.Errorf("state after /forget = %+v, want empty", turn.State)
	}
	if text := flows.RenderText(turn.Replies); !strings.Contains(text, "deleted") || !strings.Contains(text, "999") {
		t.Errorf("forget reply = %q", text)
	}
}

func TestCommandsInGroupForm(t *testing.T) {
	dir := defaultDir(t)
	a := flows.Next(flows.State{}, flows.Input{Text: "/help@whereto_bot"}, dir, afternoon)
	b := flows.Next(flows.State{}, flows.Input{Text: "/help"}, dir, afternoon)
	if !reflect.DeepEqual(a, b) {
		t.Error("/help@bot differs from /help")
	}
}

func TestRecommend(t *testing.T) {
	dir := defaultDir(t)
	night := time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		text     string
		route    directory.Route
		services []string
		contacts []string
	}{
		{"a man with a knife is outside now", directory.RouteEmergency, []string{"police-emergency", "relay-uk"}, []string{"999", "18000", "18001 101"}},
		{"fly tipping in the alley", "environmental", []string{"council-environmental"}, []string{"01582 510 330", "https://www.luton.gov.uk"}},
		{"worried about a child being neglected", "safeguarding", []string{"mash"}, []string{"0300 300 8123", "mash@luton.gov.uk"}},
		{"my partner hits me and i am a man", "domestic-abuse", []string{"domestic-abuse-helpline", "mens-advice-line", "signpost-hub"}, []string{"0808 2000 247", "0808 8010 327", "0800 0282 887", "info@signpostforbedfordshire.com"}},
		{"i was scammed by a fake parcel text", "fraud", []string{"report-fraud", "stop-scams-159"}, []string{"https://reportfraud.police.uk", "0300 123 2040", "159"}},
		{"hello", directory.RouteUnclear, []string{}, []string{}},
	}
	for _, tt := range tests {
		got := flows.Recommend(tt.text, dir, night, triage.Hint{})
		if got.Route != tt.route || !reflect.DeepEqual(got.Services, tt.services) || !reflect.DeepEqual(got.Contacts, tt.contacts) {
			t.Errorf("Recommend(%q) = %+v, want route %s services %v contacts %v", tt.text, got, tt.route, tt.services, tt.contacts)
		}
	}
}

func FuzzNext(f *testing.F) {
	for _, s := range []string{"", "1", "9", "/start hate-crime", "/forget", "help", "\xff", "fly tipping", "yes", "no"} {
		f.Add(s, "", 0)
	}
	f.Add("", "go:emergency", 3)
	f.Add("", "svc:mash", 8)
	dir := defaultDir(f)
	states := allStates()
	f.Fuzz(func(t *testing.T, text, choice string, state int) {
		if state < 0 {
			state = -state
		}
		s := states[state%len(states)]
		turn := flows.Next(s, flows.Input{Text: text, Choice: choice}, dir, afternoon)
		if len(turn.Replies) == 0 {
			t.Fatal("no replies")
		}
	})
}

func BenchmarkNext(b *testing.B) {
	dir := defaultDir(b)
	cases := []struct {
		name string
		s    flows.State
		in   flows.Input
	}{
		{"button", flows.State{Step: flows.StepNow, Route: "safeguarding"}, flows.Input{Choice: "now:safeguarding:no"}},
		{"typed number", flows.State{Step: flows.StepMenu}, flows.Input{Text: "2"}},
		{"free text", flows.State{Step: flows.StepOwnWords}, flows.Input{Text: "someone has dumped an old mattress and bin bags in the alley behind our house"}},
		{"danger", flows.State{Step: flows.StepNow}, flows.Input{Text: "theres a man with a knife outside the shop NOW"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				flows.Next(c.s, c.in, dir, afternoon)
			}
		})
	}
}
