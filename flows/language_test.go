package flows_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

// lastChoices are the buttons of a turn.
func lastChoices(turn flows.Turn) []flows.Choice {
	return turn.Replies[len(turn.Replies)-1].Choices
}

func hasChoice(cs []flows.Choice, id string) bool {
	for _, c := range cs {
		if c.ID == id {
			return true
		}
	}
	return false
}

func TestLanguageCommandOffersEveryLanguage(t *testing.T) {
	dir := defaultDir(t)
	for _, cmd := range []string{"/language", "/LANGUAGE", "/language@whereto_bot"} {
		turn := flows.Next(flows.State{Step: flows.StepMenu}, flows.Input{Text: cmd}, dir, afternoon)
		if turn.State.Step != flows.StepLanguage {
			t.Fatalf("%s: step %q, want %q", cmd, turn.State.Step, flows.StepLanguage)
		}
		cs := lastChoices(turn)
		for _, l := range lang.Languages() {
			found := false
			for _, c := range cs {
				if c.ID == "lang:"+string(l) && c.Label == lang.T(l, "language_name") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no button for %s (%q) in %v", cmd, l, lang.T(l, "language_name"), cs)
			}
		}
	}
}

func TestChoosingALanguage(t *testing.T) {
	dir := defaultDir(t)
	for _, l := range lang.Languages()[1:] {
		t.Run(string(l), func(t *testing.T) {
			turn := flows.Next(flows.State{Step: flows.StepLanguage}, flows.Input{Choice: "lang:" + string(l)}, dir, afternoon)
			if turn.State.Lang != l || !turn.State.LangChosen {
				t.Fatalf("state lang %q chosen %v, want %q chosen", turn.State.Lang, turn.State.LangChosen, l)
			}
			text := flows.RenderText(turn.Replies)
			if !strings.Contains(text, lang.T(l, "language_set")) || !strings.Contains(text, lang.T(l, "menu")) {
				t.Errorf("reply is not in %s:\n%s", l, text)
			}
			if !hasChoice(lastChoices(turn), "lang:en") {
				t.Errorf("no one-tap English button: %v", lastChoices(turn))
			}
			// Every turn after keeps the language and the English button,
			// whatever the person does.
			st := turn.State
			for _, in := range []flows.Input{{Text: "2"}, {Text: "/help"}, {Choice: "go:fraud"}, {Text: "hello"}, {Text: "someone dumped a sofa in the alley"}} {
				turn = flows.Next(st, in, dir, afternoon)
				if turn.State.Lang != l {
					t.Fatalf("after %+v: lang %q, want %q (chosen languages stay)", in, turn.State.Lang, l)
				}
				if !hasChoice(lastChoices(turn), "lang:en") {
					t.Errorf("after %+v: no English button", in)
				}
				st = turn.State
			}
			// One tap back to English.
			turn = flows.Next(st, flows.Input{Choice: "lang:en"}, dir, afternoon)
			if turn.State.Lang != "" || hasChoice(lastChoices(turn), "lang:en") {
				t.Errorf("after English: lang %q, English button %v", turn.State.Lang, hasChoice(lastChoices(turn), "lang:en"))
			}
			if text := flows.RenderText(turn.Replies); !strings.Contains(text, lang.T(lang.English, "language_set")) {
				t.Errorf("English reply:\n%s", text)
			}
		})
	}
}

func TestAppLanguageIsAHint(t *testing.T) {
	dir := defaultDir(t)
	turn := flows.Next(flows.State{}, flows.Input{Text: "/start", Lang: "pl-PL"}, dir, afternoon)
	if turn.State.Lang != "pl" || turn.State.LangChosen {
		t.Fatalf("lang %q chosen %v, want pl, not chosen", turn.State.Lang, turn.State.LangChosen)
	}
	if text := flows.RenderText(turn.Replies); !strings.Contains(text, lang.T("pl", "menu")) {
		t.Errorf("welcome not in Polish:\n%s", text)
	}
	// An app language whereto does not speak: English.
	turn = flows.Next(flows.State{}, flows.Input{Text: "/start", Lang: "de"}, dir, afternoon)
	if turn.State.Lang != "" {
		t.Errorf("German app: lang %q, want English", turn.State.Lang)
	}
	// A language the person chose wins over the app's.
	turn = flows.Next(flows.State{Step: flows.StepMenu, LangChosen: true}, flows.Input{Text: "/start", Lang: "pl"}, dir, afternoon)
	if turn.State.Lang != "" {
		t.Errorf("chose English, Polish app: lang %q, want English", turn.State.Lang)
	}
}

func TestALanguageItCannotRead(t *testing.T) {
	dir := defaultDir(t)
	for _, text := range []string{"hola, me robaron el bolso ayer en el parque", "我的手机被偷了", "என் தொலைபேசி திருடப்பட்டது"} {
		turn := flows.Next(flows.State{Step: flows.StepMenu}, flows.Input{Text: text}, dir, afternoon)
		out := flows.RenderText(turn.Replies)
		if !strings.Contains(out, lang.T(lang.English, "not_english")) {
			t.Errorf("%q: no honest reply:\n%s", text, out)
		}
		if turn.State.Step != flows.StepLanguage || !hasChoice(lastChoices(turn), "lang:pl") {
			t.Errorf("%q: the languages it reads are not offered", text)
		}
	}
}

func TestInterpreterLine(t *testing.T) {
	dir := defaultDir(t)
	for _, l := range lang.Languages() {
		turn := flows.Next(flows.State{Step: flows.StepMenu, Lang: l, LangChosen: true}, flows.Input{Text: "/emergency"}, dir, afternoon)
		out := flows.RenderText(turn.Replies)
		has := strings.Contains(out, lang.T(l, "interpreter"))
		if l == lang.English && has {
			t.Errorf("English: the interpreter line is for other languages:\n%s", out)
		}
		if l != lang.English && !has {
			t.Errorf("%s: 999 answer has no interpreter line:\n%s", l, out)
		}
		if !strings.HasPrefix(out, lang.T(l, "call_now", "999")) {
			t.Errorf("%s: 999 answer does not start with the number:\n%s", l, out)
		}
	}
}

func TestTranslatedDirectoryWords(t *testing.T) {
	dir := defaultDir(t)
	for _, l := range lang.Languages()[1:] {
		turn := flows.Next(flows.State{Step: flows.StepMenu, Lang: l, LangChosen: true}, flows.Input{Text: "/start"}, dir, afternoon)
		for _, c := range lastChoices(turn) {
			if c.ID == "lang:en" {
				continue
			}
			for _, g := range dir.MenuGroups() {
				if c.ID == "grp:"+g.ID && c.Label == g.Label {
					t.Errorf("%s: menu button %q is in English", l, c.Label)
				}
			}
		}
	}
}

// The bot speaks exactly the languages the classifier reads.
func TestEveryLanguageIsRead(t *testing.T) {
	var spoken []string
	for _, l := range lang.Languages()[1:] {
		spoken = append(spoken, string(l))
	}
	if got := triage.Languages(); !slices.Equal(got, spoken) {
		t.Errorf("the classifier reads %v; the bot speaks %v", got, spoken)
	}
}

// TestScriptOfTheMessage: Punjabi in Gurmukhi and Urdu in English letters
// are answered in their own script; Punjabi in English letters, whose
// writer may read Gurmukhi or Urdu script, is answered in English with a
// button for each, until one is chosen.
func TestScriptOfTheMessage(t *testing.T) {
	dir := defaultDir(t)
	for _, tc := range []struct {
		text  string
		lang  lang.Lang
		offer []lang.Lang
	}{
		{"ਸਾਡੀ ਗਲੀ ਵਿੱਚ ਕਿਸੇ ਨੇ ਪੁਰਾਣਾ ਸੋਫਾ ਸੁੱਟ ਦਿੱਤਾ ਹੈ", "pa", nil},
		{"hamari gali mein kisi ne purana sofa aur gadde phenk diye hain", "ur", nil},
		{"sadi gali vich kisi ne purana sofa te gadde sutt ditte ne", "", []lang.Lang{"pa", "ur"}},
	} {
		turn := flows.Next(flows.State{}, flows.Input{Text: tc.text}, dir, afternoon)
		if turn.State.Lang != tc.lang || !slices.Equal(turn.State.Offer, tc.offer) {
			t.Errorf("%q: lang %q offer %v, want %q offer %v", tc.text, turn.State.Lang, turn.State.Offer, tc.lang, tc.offer)
			continue
		}
		for _, l := range tc.offer {
			if !hasChoice(lastChoices(turn), "lang:"+string(l)) {
				t.Errorf("%q: no button for %s in %v", tc.text, l, lastChoices(turn))
			}
		}
		if tc.offer == nil {
			continue
		}
		// Choosing one ends the offer and writes in it from then on.
		next := flows.Next(turn.State, flows.Input{Choice: "lang:ur"}, dir, afternoon)
		if next.State.Lang != "ur" || !next.State.LangChosen || next.State.Offer != nil {
			t.Errorf("after choosing Urdu: lang %q chosen %v offer %v", next.State.Lang, next.State.LangChosen, next.State.Offer)
		}
	}
}

// TestScriptOfferEnds: the Punjabi and Urdu buttons are not shown twice at
// the language menu, and end once a message in a script of its own shows
// which the person reads.
func TestScriptOfferEnds(t *testing.T) {
	dir := defaultDir(t)
	turn := flows.Next(flows.State{}, flows.Input{Text: "sadi gali vich kisi ne purana sofa te gadde sutt ditte ne"}, dir, afternoon)
	if len(turn.State.Offer) == 0 {
		t.Fatalf("no offer: %+v", turn.State)
	}
	menu := flows.Next(turn.State, flows.Input{Text: "/language"}, dir, afternoon)
	seen := map[string]int{}
	for _, c := range lastChoices(menu) {
		seen[c.ID]++
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("/language shows %s %d times", id, n)
		}
	}
	next := flows.Next(turn.State, flows.Input{Text: "ਸਾਡੀ ਗਲੀ ਵਿੱਚ ਕਿਸੇ ਨੇ ਪੁਰਾਣਾ ਸੋਫਾ ਸੁੱਟ ਦਿੱਤਾ ਹੈ"}, dir, afternoon)
	if next.State.Lang != "pa" || next.State.Offer != nil || hasChoice(lastChoices(next), "lang:ur") {
		t.Errorf("after Gurmukhi: lang %q offer %v buttons %v", next.State.Lang, next.State.Offer, lastChoices(next))
	}
}
