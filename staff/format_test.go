package staff_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestParseHours(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // WeeklyText of the result, or a problem
	}{
		{"mon-fri 09:00-17:00", "mon-fri 09:00-17:00"},
		{"Mon-Fri 9:00-17:00; sat 10:00-13:00", "mon-fri 09:00-17:00; sat 10:00-13:00"},
		{"mon, wed, fri 08:00 - 20:00", "mon,wed,fri 08:00-20:00"},
		{"sat-sun 00:00-24:00\nmon 09:00-12:00", "sat-sun 00:00-24:00; mon 09:00-12:00"},
		{"fri-mon 09:00-17:00", `problem: "fri-mon" is not a day`},
		{"weekdays 09:00-17:00", `problem: "weekdays" is not a day`},
		{"mon-fri", "problem: write the days and the times"},
		{"mon-fri 9am-5pm", "problem: the times must be like"},
		{"09:00-17:00", "problem: write the days and the times"},
	} {
		h, probs, _ := staff.ParseHours(tc.in, "")
		got := ""
		if len(probs) > 0 {
			got = "problem: " + strings.Join(probs, "; ")
		} else if h != nil {
			got = staff.WeeklyText(h.Weekly)
		}
		if !strings.HasPrefix(strings.ReplaceAll(got, "Period 1: ", ""), tc.want) {
			t.Errorf("parseHours(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFormatRoundTrip: what each Text function writes, its Parse function
// reads back to the same values.
func TestFormatRoundTrip(t *testing.T) {
	cs := []directory.Contact{
		{Kind: directory.KindPhone, Value: "0300 300 8123", Label: "Office", Hours: directory.InHours},
		{Kind: directory.KindPhone, Value: "01582 547 653", Label: "Out of hours", Hours: directory.OutOfHours, Note: "Evenings, weekends and bank holidays"},
		{Kind: directory.KindWeb, Value: "https://www.luton.gov.uk"},
	}
	got, lines, probs := staff.ParseContacts(staff.ContactsText(cs))
	if len(probs) > 0 || !reflect.DeepEqual(got, cs) || !slices.Equal(lines, []int{1, 2, 3}) {
		t.Errorf("contacts round trip: %+v %v %v", got, lines, probs)
	}
	rs := []directory.RouteRef{
		{Route: "safeguarding", Order: 1},
		{Route: "domestic-abuse", Order: 3, When: []string{"i am a man", "male"}},
		{Route: "victim-support", Order: 80, Fallback: true},
	}
	gr, _, probs := staff.ParseRoutes(staff.RoutesText(rs))
	if len(probs) > 0 || !reflect.DeepEqual(gr, rs) {
		t.Errorf("routes round trip: %+v %v\n%s", gr, probs, staff.RoutesText(rs))
	}
	for _, bad := range []struct{ contacts, routes string }{
		{"phone", "safeguarding one"},
		{"phone |", "safeguarding 1 2 3"},
	} {
		if _, _, p := staff.ParseContacts(bad.contacts); len(p) != 1 {
			t.Errorf("ParseContacts(%q) problems %v, want one", bad.contacts, p)
		}
		if _, _, p := staff.ParseRoutes(bad.routes); len(p) != 1 {
			t.Errorf("ParseRoutes(%q) problems %v, want one", bad.routes, p)
		}
	}
	if _, _, np := staff.ParseHours("", "closed on Sundays"); len(np) != 1 {
		t.Errorf("a note without hours: problems %v, want one", np)
	}
}

func TestKeepContactTranslations(t *testing.T) {
	phone := func(value, label, note string, tr map[string]directory.ContactWords) directory.Contact {
		return directory.Contact{Kind: directory.KindPhone, Value: value, Label: label, Note: note, Translations: tr}
	}
	pl := map[string]directory.ContactWords{"pl": {Label: "Całą dobę", Note: "Powiedz 55", Reviewed: true}}
	tests := []struct {
		name          string
		before, after []directory.Contact
		want          []directory.Contact
	}{
		{"the same contact keeps them, reviewed",
			[]directory.Contact{phone("999", "24/7", "Say 55", pl)},
			[]directory.Contact{phone("999", "24/7", "Say 55", nil)},
			[]directory.Contact{phone("999", "24/7", "Say 55", pl)}},
		{"a changed note keeps them, unreviewed",
			[]directory.Contact{phone("999", "24/7", "Say 55", pl)},
			[]directory.Contact{phone("999", "24/7", "Press 55", nil)},
			[]directory.Contact{phone("999", "24/7", "Press 55", map[string]directory.ContactWords{"pl": {Label: "Całą dobę", Note: "Powiedz 55"}})}},
		{"a note taken off takes its translation with it",
			[]directory.Contact{phone("999", "24/7", "Say 55", pl)},
			[]directory.Contact{phone("999", "24/7", "", nil)},
			[]directory.Contact{phone("999", "24/7", "", map[string]directory.ContactWords{"pl": {Label: "Całą dobę"}})}},
		{"a new number has none",
			[]directory.Contact{phone("999", "24/7", "Say 55", pl)},
			[]directory.Contact{phone("101", "24/7", "Say 55", nil)},
			[]directory.Contact{phone("101", "24/7", "Say 55", nil)}},
		{"moved down the list, still found",
			[]directory.Contact{phone("999", "", "Say 55", map[string]directory.ContactWords{"ro": {Note: "Spune 55"}})},
			[]directory.Contact{phone("101", "", "", nil), phone("999", "", "Say 55", nil)},
			[]directory.Contact{phone("101", "", "", nil), phone("999", "", "Say 55", map[string]directory.ContactWords{"ro": {Note: "Spune 55"}})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := staff.KeepContactTranslations(tt.before, tt.after)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestUnreviewChangedDescription(t *testing.T) {
	before := directory.Service{Description: "Call us.", Translations: map[string]directory.ServiceWords{"pl": {Description: "Zadzwoń.", Reviewed: true}}}
	same := before.Clone()
	staff.UnreviewChangedDescription(before, &same)
	if !same.Translations["pl"].Reviewed {
		t.Error("an unchanged description lost its review")
	}
	changed := before.Clone()
	changed.Description = "Write to us."
	staff.UnreviewChangedDescription(before, &changed)
	if w := changed.Translations["pl"]; w.Reviewed || w.Description != "Zadzwoń." {
		t.Errorf("a changed description: %+v, want the translation kept, unreviewed", w)
	}
	if !before.Translations["pl"].Reviewed {
		t.Error("the original was changed")
	}
}
