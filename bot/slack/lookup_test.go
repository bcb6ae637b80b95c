package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

// stateOf is the form state Slack would send for s's fields as the form
// shows them.
func stateOf(s directory.Service, mode string) *slack.ViewState {
	st := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{}}
	for _, b := range formBlocks(mode) {
		a := slack.BlockAction{Value: fieldText(s, b)}
		switch b {
		case blockVerified:
			a = slack.BlockAction{SelectedDate: s.Verified}
		case blockStatus:
			a = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: fieldText(s, b)}}
		}
		st.Values[b] = map[string]slack.BlockAction{actionValue: a}
	}
	return st
}

func sameService(t *testing.T, got, want directory.Service) {
	t.Helper()
	g, _ := json.Marshal(normalised(got))
	w, _ := json.Marshal(normalised(want))
	if string(g) != string(w) {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

// Every service of the default directory survives the form: shown, read
// back field by field (add mode parses every field), it is the same
// service, apart from what the form does not carry.
func TestFormRoundTrip(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Services {
		t.Run(s.ID, func(t *testing.T) {
			f, ps := parseForm(stateOf(s, modeAdd), formMeta{Mode: modeAdd}, directory.Service{})
			if len(ps) > 0 {
				t.Fatalf("problems: %v", ps)
			}
			// Add mode reads every field the form has from its text.
			for _, b := range formBlocks(modeAdd) {
				if got, want := fieldText(f.svc, b), fieldText(s, b); got != want {
					t.Errorf("%s: %q, want %q", b, got, want)
				}
			}
			if err := f.svc.Validate(); err != nil {
				t.Errorf("read back, it is invalid: %v", err)
			}

			// Edit mode keeps everything, including what the form does
			// not show (status, alert, review, bank holiday policy...).
			f, ps = parseForm(stateOf(s, modeEdit), formMeta{Mode: modeEdit, ID: s.ID}, s)
			if len(ps) > 0 {
				t.Fatalf("edit problems: %v", ps)
			}
			sameService(t, f.svc, s)
		})
	}
}

func TestEditKeepsWhatTheFormDoesNotShow(t *testing.T) {
	s := directory.Service{
		ID: "x", Name: "X", Source: "S", Status: directory.StatusTemporarilyClosed, Alert: "Lines busy", Review: "Check",
		Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "101", Hours: directory.InHours}},
		Hours: &directory.Schedule{Weekly: []directory.Period{{Days: []string{"mon"}, Opens: "09:00", Closes: "17:00"}},
			BankHolidays: directory.BankHolidaysOpen, Exceptions: []directory.Exception{{Date: "2026-12-24", Closed: true}}},
		Routes: []directory.RouteRef{{Route: directory.Route("safeguarding"), Order: 90, Fallback: true}},
	}
	st := stateOf(s, modeEdit)
	st.Values[blockHours][actionValue] = slack.BlockAction{Value: "mon-tue 09:00-17:00"}
	st.Values[blockRoutes][actionValue] = slack.BlockAction{Value: "safeguarding 80 fallback\nhate-crime 2"}
	f, ps := parseForm(st, formMeta{Mode: modeEdit, ID: "x"}, s)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	g := f.svc
	if g.Status != s.Status || g.Alert != s.Alert || g.Review != s.Review {
		t.Errorf("status/alert/review lost: %+v", g)
	}
	if g.Hours.BankHolidays != directory.BankHolidaysOpen || len(g.Hours.Exceptions) != 1 || len(g.Hours.Weekly[0].Days) != 2 {
		t.Errorf("hours: %+v", g.Hours)
	}
	if len(g.Routes) != 2 || !g.Routes[0].Fallback || g.Routes[0].Order != 80 || g.Routes[1].Fallback {
		t.Errorf("routes: %+v", g.Routes)
	}
}

func TestCleanQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  fly   tipping \n", "fly tipping"},
		{"<@U123> mash", "mash"},
		{"<!channel> <!here|@here> 101", "101"},
		{"<https://evil.example|click> me", "click me"},
		{"<#C123|general> mash", "mash"},
		{"a &amp; b &lt;c&gt;", "a & b <c>"},
		{"bad \xff\xfe utf8", "bad utf8"},
		{"unclosed < bracket", "unclosed < bracket"},
		{"zero\u200bwidth", "zero width"},
	} {
		if got := cleanQuery(tc.in); got != tc.want {
			t.Errorf("cleanQuery(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := cleanQuery(strings.Repeat("é", 5000)); len(got) > maxQueryBytes || !strings.HasSuffix(got, "é") {
		t.Errorf("long query cut to %d bytes, ending %q", len(got), got[len(got)-2:])
	}
}

// buildIndex prepares d again (a test changed it) and returns its index.
func buildIndex(d *directory.Directory) *index {
	d.Prepare()
	return newIndex(d)
}

// The index answers as directory.Search does, where Search finds
// something (it adds prefix matching).
func TestIndexAgreesWithSearch(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := buildIndex(d)
	for _, q := range []string{"mash", "101", "police", "fly tipping", "hate crime", "signpost", "true vision",
		"report-it", "999", "council", "luton council", "victim support", "silent solution", "anti-social behaviour", "emergency"} {
		want := d.Search(q)
		res := ix.ix.Match(strings.ToLower(q), maxShown)
		got := append(res.Full, res.Partial...)
		if len(want) == 0 {
			continue
		}
		if len(got) == 0 || got[0].ID != want[0].ID {
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			t.Errorf("%q: index first %v, Search first %s", q, ids, want[0].ID)
		}
	}
	if res := ix.ix.Match("safeguard", maxShown); len(res.Full) == 0 || res.Full[0].ID != "mash" {
		t.Errorf("prefix: %+v", res)
	}
}

func TestInactiveServicesAreNotRecommended(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Services {
		if d.Services[i].ID == "mash" {
			d.Services[i].Status = directory.StatusTemporarilyClosed
			d.Services[i].Alert = "Phones down <!channel>"
		}
	}
	ix := buildIndex(d)
	a := lookUp(ix, "child at risk")
	for _, s := range a.Services {
		if s.ID == "mash" {
			t.Errorf("a closed service recommended for a situation: %v", a.Services)
		}
	}
	a = lookUp(ix, "mash")
	if a.Kind != staff.KindID {
		t.Fatalf("look-up by id: %+v", a)
	}
	all := joined(mustJSON(t, answerReply(ix, a, night, false).webhook()))
	for _, want := range []string{"*Closed: temporarily closed.*", "*Notice:* Phones down &lt;!channel&gt;"} {
		if !strings.Contains(all, want) {
			t.Errorf("card lacks %q:\n%s", want, all)
		}
	}
}

func mustJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEscClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"a<b>&c", 100, "a&lt;b&gt;&amp;c"},
		{"<<<<", 12, "&lt;&lt;…"},
		{"ééé", 5, "é…"},
	} {
		if got := escClip(tc.in, tc.max); got != tc.want || len(got) > tc.max {
			t.Errorf("escClip(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	long := strings.Repeat("&", 5000)
	if s := section(esc(long)); len(s.Text.Text) > maxSectionText || strings.HasSuffix(strings.TrimSuffix(s.Text.Text, "\n…"), "&am") {
		t.Errorf("section cut badly: %d bytes, ends %q", len(s.Text.Text), s.Text.Text[len(s.Text.Text)-8:])
	}
}

// TestEveryAnswerCarriesTheEmergencyLine: answers by id, name, part of the
// words or situation, and cards posted to a channel, all say what to do in
// danger, with the number from the directory even when a retired or
// fallback service sorts first on the emergency route.
func TestEveryAnswerCarriesTheEmergencyLine(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	d = d.Clone()
	d.Services = append(d.Services, directory.Service{
		ID: "old-line", Name: "Old line", Source: "test", Status: directory.StatusInactive,
		Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "0800 123 4567"}},
		Routes:   []directory.RouteRef{{Route: directory.RouteEmergency, Order: 0}},
	}, directory.Service{
		ID: "web-fallback", Name: "Web fallback", Source: "test",
		Contacts: []directory.Contact{{Kind: directory.KindWeb, Value: "https://example.org"}},
		Routes:   []directory.RouteRef{{Route: directory.RouteEmergency, Order: 0, Fallback: true}},
	})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	d.Prepare()
	ix := buildIndex(d)
	for _, q := range []string{"mash", "101", "domestic abuse", "victim", "child at risk", "fly tipping", "qwerty nothing here"} {
		all := joined(mustJSON(t, answerReply(ix, lookUp(ix, q), night, true).webhook()))
		if !strings.Contains(all, "call *999*") && !strings.Contains(all, "call 999") {
			t.Errorf("%q: no 999 line:\n%s", q, all)
		}
		if strings.Contains(all, "0800 123 4567") {
			t.Errorf("%q: the retired line is given", q)
		}
	}
	mash, _ := d.Service("mash")
	posted := joined(mustJSON(t, servicesReply(ix, []directory.Service{mash}, night, "U0123ABCD").webhook()))
	if !strings.Contains(posted, "call *999*") {
		t.Errorf("a card posted to a channel has no 999 line:\n%s", posted)
	}
}
