package directory_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/storetest"
)

// translated returns the default directory with storetest's translations.
func translated(t testing.TB) *directory.Directory {
	t.Helper()
	d := mustDefault(t)
	storetest.Translate(d)
	return d
}

// routeIndex returns the index of route id in d.Routes.
func routeIndex(t testing.TB, d *directory.Directory, id directory.Route) int {
	t.Helper()
	i := slices.IndexFunc(d.Routes, func(r directory.RouteInfo) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("directory has no route %q", id)
	}
	return i
}

func TestValidateTranslations(t *testing.T) {
	// Each case changes the translated default directory and returns the
	// exact problems Validate must report.
	tests := []struct {
		name   string
		mutate func(t *testing.T, d *directory.Directory) []string
	}{
		{"accepts translations in several scripts", func(t *testing.T, d *directory.Directory) []string {
			return nil
		}},
		{"accepts a 3-letter code and a label of exactly 60 characters", func(t *testing.T, d *directory.Directory) []string {
			i := routeIndex(t, d, "fraud")
			d.Routes[i].Translations = map[string]directory.RouteWords{"fil": {Label: strings.Repeat("ż", directory.MaxRouteLabel)}}
			return nil
		}},
		{"accepts a route translation without an intro", func(t *testing.T, d *directory.Directory) []string {
			i := routeIndex(t, d, "report-crime")
			d.Routes[i].Translations["ro"] = directory.RouteWords{Label: "O infracțiune"}
			return nil
		}},
		{"rejects a language code that is not lower case", func(t *testing.T, d *directory.Directory) []string {
			i := routeIndex(t, d, "fraud")
			d.Routes[i].Translations = map[string]directory.RouteWords{"PL": {Label: "Oszustwo"}}
			return []string{`routes[4].translations["PL"]: "PL" is not a language code (2 or 3 lower-case letters, like "pl")`}
		}},
		{"rejects language codes of the wrong length or with other characters", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Translations = map[string]directory.ServiceWords{
				"p": {Description: "x"}, "pol": {Description: "x"}, "polski": {Description: "x"}, "p1": {Description: "x"}, "pl-PL": {Description: "x"}, "": {Description: "x"},
			}
			return []string{
				servicePath(i, `translations[""]: "" is not a language code (2 or 3 lower-case letters, like "pl")`),
				servicePath(i, `translations["p"]: "p" is not a language code (2 or 3 lower-case letters, like "pl")`),
				servicePath(i, `translations["p1"]: "p1" is not a language code (2 or 3 lower-case letters, like "pl")`),
				servicePath(i, `translations["pl-PL"]: "pl-PL" is not a language code (2 or 3 lower-case letters, like "pl")`),
				servicePath(i, `translations["polski"]: "polski" is not a language code (2 or 3 lower-case letters, like "pl")`),
			}
		}},
		{"rejects English as a translation", func(t *testing.T, d *directory.Directory) []string {
			d.Menu[0].Translations["en"] = directory.GroupWords{Label: "Report it"}
			return []string{`menu[0].translations["en"]: English is the main fields; "en" is not a translation`}
		}},
		{"rejects an empty translated label", func(t *testing.T, d *directory.Directory) []string {
			i := routeIndex(t, d, "report-crime")
			d.Routes[i].Translations["ro"] = directory.RouteWords{Label: " ", Intro: "Pentru a raporta:"}
			d.Menu[0].Translations["bn"] = directory.GroupWords{}
			return []string{
				`menu[0].translations["bn"].label: is empty`,
				`routes[1].translations["ro"].label: is empty`,
			}
		}},
		{"rejects a translated label longer than a button's", func(t *testing.T, d *directory.Directory) []string {
			d.Menu[0].Translations["pl"] = directory.GroupWords{Label: strings.Repeat("ż", directory.MaxRouteLabel+1)}
			return []string{`menu[0].translations["pl"].label: is 61 characters; a button label has at most 60`}
		}},
		{"rejects control characters and invalid UTF-8", func(t *testing.T, d *directory.Directory) []string {
			i := routeIndex(t, d, directory.RouteEmergency)
			d.Routes[i].Translations["ur"] = directory.RouteWords{Label: "کوئی\u202e خطرے میں"}
			j := routeIndex(t, d, "report-crime")
			d.Routes[j].Translations["ro"] = directory.RouteWords{Label: "O infracțiune", Intro: "Pentru\na raporta:"}
			d.Menu[0].Translations["pl"] = directory.GroupWords{Label: "Zgłoś", Question: "Co\x00?"}
			k := serviceIndex(t, d, "police-non-emergency")
			d.Services[k].Translations["bn"] = directory.ServiceWords{Description: "\xffবিবরণ"}
			d.Partnership.Translations["ur"] = directory.PartnershipWords{About: []string{"Despre\u2028noi"}}
			return []string{
				`partnership.translations["ur"].about[0]: contains a control character`,
				servicePath(k, `translations["bn"].description: is not valid UTF-8`),
				`menu[0].translations["pl"].question: contains a control character`,
				`routes[0].translations["ur"].label: contains a control character`,
				`routes[1].translations["ro"].intro: contains a control character`,
			}
		}},
		{"rejects an empty or too long service description", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-non-emergency")
			d.Services[i].Translations["bn"] = directory.ServiceWords{Reviewed: true}
			d.Services[i].Translations["pl"] = directory.ServiceWords{Description: strings.Repeat("ą", directory.MaxDescription+1)}
			return []string{
				servicePath(i, `translations["bn"].description: is empty`),
				servicePath(i, `translations["pl"].description: is 601 characters long, more than 600`),
			}
		}},
		{"accepts a contact translation of the note only or the label only", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[0].Translations["ro"] = directory.ContactWords{Note: "Dacă nu poți vorbi, sună la 999, ascultă, apoi apasă 55."}
			d.Services[i].Contacts[0].Translations["bn"] = directory.ContactWords{Label: "জরুরি অবস্থা", Reviewed: true}
			return nil
		}},
		{"rejects a contact translation with neither label nor note", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[0].Translations["pa"] = directory.ContactWords{Reviewed: true}
			d.Services[i].Contacts[1].Translations = map[string]directory.ContactWords{"ro": {Label: " ", Note: "\t"}}
			return []string{
				servicePath(i, `contacts[0].translations["pa"]: has neither a label nor a note`),
				servicePath(i, `contacts[1].translations["ro"]: has neither a label nor a note`),
				servicePath(i, `contacts[1].translations["ro"].note: contains a control character`),
			}
		}},
		{"rejects a translated label or note the English lacks", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Contacts[1].Translations["pl"] = directory.ContactWords{Label: "Po godzinach pracy", Note: "Tylko w nagłych sprawach."}
			d.Services[i].Contacts[2].Label = ""
			d.Services[i].Contacts[2].Translations = map[string]directory.ContactWords{"ur": {Label: "ای میل"}}
			return []string{
				servicePath(i, `contacts[1].translations["pl"].note: the contact has no English note to translate`),
				servicePath(i, `contacts[2].translations["ur"].label: the contact has no English label to translate`),
			}
		}},
		{"rejects contact translations with a bad key, control characters, invalid UTF-8 or too long", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[0].Translations = map[string]directory.ContactWords{
				"en":  {Label: "Emergency"},
				"PL":  {Label: "Nagły wypadek"},
				"ro":  {Label: "Urgen\u202eță", Note: strings.Repeat("ă", directory.MaxContactText+1)},
				"bn":  {Note: "\xffনোট"},
				"fil": {Label: strings.Repeat("ż", directory.MaxContactText)},
			}
			return []string{
				servicePath(i, `contacts[0].translations["PL"]: "PL" is not a language code (2 or 3 lower-case letters, like "pl")`),
				servicePath(i, `contacts[0].translations["bn"].note: is not valid UTF-8`),
				servicePath(i, `contacts[0].translations["en"]: English is the main fields; "en" is not a translation`),
				servicePath(i, `contacts[0].translations["ro"].label: contains a control character`),
				servicePath(i, `contacts[0].translations["ro"].note: is 201 characters long, more than 200`),
			}
		}},
		{"rejects a partnership translation without paragraphs or with an empty one", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.Translations["pl"] = directory.PartnershipWords{Reviewed: true}
			d.Partnership.Translations["ro"] = directory.PartnershipWords{About: []string{"Despre noi.", ""}}
			return []string{
				`partnership.translations["pl"].about: is empty`,
				`partnership.translations["ro"].about[1]: is empty`,
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := translated(t)
			want := tt.mutate(t, d)
			if got := problemStrings(t, d.Validate()); !slices.Equal(got, want) {
				t.Errorf("problems:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// servicePath is the path of rest in services[i].
func servicePath(i int, rest string) string { return fmt.Sprintf("services[%d].%s", i, rest) }

// Service.Validate reports a translation's problems relative to the
// service.
func TestServiceValidateTranslations(t *testing.T) {
	s, _ := mustDefault(t).Service("mash")
	s.Translations = map[string]directory.ServiceWords{"en": {Description: "x"}, "ur": {}}
	s.Contacts[0].Translations = map[string]directory.ContactWords{"pa": {Note: "ਨੋਟ"}}
	want := []string{
		`contacts[0].translations["pa"].note: the contact has no English note to translate`,
		`translations["en"]: English is the main fields; "en" is not a translation`,
		`translations["ur"].description: is empty`,
	}
	if got := problemStrings(t, s.Validate()); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
}

func TestTranslationFallbacks(t *testing.T) {
	route := directory.RouteInfo{ID: "fraud", Label: "A scam or fraud", Intro: "Report it here:", Translations: map[string]directory.RouteWords{
		"pl": {Label: "Oszustwo", Intro: "Zgłoś to tutaj:"},
		"ro": {Label: "O înșelătorie"}, // no intro
		"bn": {Label: " ", Intro: ""},  // blank: as none
	}}
	group := directory.MenuGroup{ID: "report", Label: "Report something", Question: "What do you want to report?", Translations: map[string]directory.GroupWords{
		"ur": {Label: "کچھ رپورٹ کریں", Question: "آپ کیا رپورٹ کرنا چاہتے ہیں؟"},
		"pa": {Label: "ਕੁਝ ਦੱਸੋ"}, // no question
	}}
	svc := directory.Service{ID: "mash", Description: "Protects children.", Translations: map[string]directory.ServiceWords{
		"bn": {Description: "শিশুদের রক্ষা করে।"},
		"pl": {Description: ""},
	}}
	contact := directory.Contact{Kind: directory.KindPhone, Value: "999", Label: "Emergency", Note: "If you cannot speak, press 55.", Translations: map[string]directory.ContactWords{
		"pl": {Label: "Nagły wypadek", Note: "Jeśli nie możesz mówić, naciśnij 55."},
		"ur": {Note: "اگر آپ بول نہیں سکتے تو 55 دبائیں۔"}, // no label
		"pa": {Label: "ਐਮਰਜੈਂਸੀ"},                          // no note
		"bn": {Label: " ", Note: ""},                       // blank: as none
	}}
	about := []string{"Run by the people who keep Luton safe."}
	part := directory.Partnership{About: about, Translations: map[string]directory.PartnershipWords{
		"ro": {About: []string{"Condus de oamenii care țin Luton în siguranță."}},
		"pl": {About: []string{}},
		"ur": {About: []string{" "}},
	}}
	tests := []struct {
		name      string
		got, want any
	}{
		{"route label translated", route.LabelIn("pl"), "Oszustwo"},
		{"route intro translated", route.IntroIn("pl"), "Zgłoś to tutaj:"},
		{"route intro not translated falls back", route.IntroIn("ro"), "Report it here:"},
		{"route blank label falls back", route.LabelIn("bn"), "A scam or fraud"},
		{"route in English", route.LabelIn("en"), "A scam or fraud"},
		{"route in no language", route.LabelIn(""), "A scam or fraud"},
		{"route in an unknown language", route.IntroIn("xx"), "Report it here:"},
		{"group label translated", group.LabelIn("ur"), "کچھ رپورٹ کریں"},
		{"group question translated", group.QuestionIn("ur"), "آپ کیا رپورٹ کرنا چاہتے ہیں؟"},
		{"group question not translated falls back", group.QuestionIn("pa"), "What do you want to report?"},
		{"group in an unknown language", group.LabelIn("ro"), "Report something"},
		{"service description translated", svc.DescriptionIn("bn"), "শিশুদের রক্ষা করে।"},
		{"service empty description falls back", svc.DescriptionIn("pl"), "Protects children."},
		{"service with no translations", directory.Service{Description: "x"}.DescriptionIn("pl"), "x"},
		{"contact label translated", contact.LabelIn("pl"), "Nagły wypadek"},
		{"contact note translated", contact.NoteIn("pl"), "Jeśli nie możesz mówić, naciśnij 55."},
		{"contact note only: label falls back", contact.LabelIn("ur"), "Emergency"},
		{"contact note only: note translated", contact.NoteIn("ur"), "اگر آپ بول نہیں سکتے تو 55 دبائیں۔"},
		{"contact label only: note falls back", contact.NoteIn("pa"), "If you cannot speak, press 55."},
		{"contact blank label falls back", contact.LabelIn("bn"), "Emergency"},
		{"contact in an unknown language", contact.NoteIn("xx"), "If you cannot speak, press 55."},
		{"contact with no translations", directory.Contact{Label: "Phone"}.LabelIn("pl"), "Phone"},
		{"contact with neither label nor note", directory.Contact{Value: "101"}.NoteIn("pl"), ""},
		{"about translated", part.AboutIn("ro"), []string{"Condus de oamenii care țin Luton în siguranță."}},
		{"about with no paragraphs falls back", part.AboutIn("pl"), about},
		{"about with only blank paragraphs falls back", part.AboutIn("ur"), about},
		{"about in English", part.AboutIn("en"), about},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !reflect.DeepEqual(tt.got, tt.want) {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

// Unreviewed translations by language, then partnership, menu, routes,
// services and contacts, by id within each.
func TestUnreviewedTranslations(t *testing.T) {
	d := translated(t)
	type row = directory.UnreviewedTranslation
	want := []row{
		{Lang: "bn", What: directory.TranslationOfMenu, ID: "report"},
		{Lang: "bn", What: directory.TranslationOfService, ID: "police-non-emergency"},
		{Lang: "bn", What: directory.TranslationOfContact, ID: "mash/1"},
		{Lang: "pa", What: directory.TranslationOfRoute, ID: "emergency"},
		{Lang: "pl", What: directory.TranslationOfMenu, ID: "report"},
		{Lang: "pl", What: directory.TranslationOfService, ID: "police-non-emergency"},
		{Lang: "ro", What: directory.TranslationOfRoute, ID: "report-crime"},
		{Lang: "ur", What: directory.TranslationOfPartnership},
		{Lang: "ur", What: directory.TranslationOfRoute, ID: "emergency"},
		{Lang: "ur", What: directory.TranslationOfService, ID: "mash"},
		{Lang: "ur", What: directory.TranslationOfContact, ID: "police-emergency/0"},
	}
	for range 3 { // map order must not show
		if got := d.UnreviewedTranslations(); !slices.Equal(got, want) {
			t.Fatalf("UnreviewedTranslations:\n got %v\nwant %v", got, want)
		}
	}
	// The default's translations are drafts that no native speaker has
	// confirmed yet: every one is listed.
	def := mustDefault(t)
	n := len(def.Partnership.Translations)
	for _, g := range def.Menu {
		n += len(g.Translations)
	}
	for _, r := range def.Routes {
		n += len(r.Translations)
	}
	contacts := 0
	for _, s := range def.Services {
		n += len(s.Translations)
		for _, c := range s.Contacts {
			contacts += len(c.Translations)
		}
	}
	n += contacts
	if got := def.UnreviewedTranslations(); contacts == 0 || len(got) != n {
		t.Errorf("the default has %d translations (%d of contacts), all unreviewed; listed %d", n, contacts, len(got))
	}
	b, _ := json.Marshal(want[7])
	if got := string(b); got != `{"lang":"ur","what":"partnership"}` {
		t.Errorf("JSON of a partnership row = %s", got)
	}
	if got := directory.ContactTranslationID("police-emergency", 1); got != "police-emergency/1" {
		t.Errorf("ContactTranslationID = %q", got)
	}
}

func TestTranslationsExportParseRoundTrip(t *testing.T) {
	want := translated(t)
	var b bytes.Buffer
	if err := want.Export(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"translations": {`, `"reviewed": true`, "ਕੋਈ ਹੁਣ ਖ਼ਤਰੇ ਵਿੱਚ ਹੈ", "কিছু জানান", "کوئی ابھی خطرے میں ہے", "infracțiune", "অফিসের সময়ের পরে", "naciśnij 55"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("export lacks %q", s)
		}
	}
	got, err := directory.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("Parse(Export()): %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(Export(d)) != d")
	}
}

func TestParseRejectsBadTranslations(t *testing.T) {
	export := func(t *testing.T) string {
		var b bytes.Buffer
		d := mustDefault(t)
		d.Menu[0].Translations = nil
		for i := range d.Services {
			for j := range d.Services[i].Contacts {
				d.Services[i].Contacts[j].Translations = nil
			}
		}
		if err := d.Export(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"an unknown field in a translation", `"label": "Report something",`,
			`"label": "Report something", "translations": {"pl": {"label": "Zgłoś", "labl": "x"}},`, `unknown field "labl"`},
		{"a translation that is null", `"label": "Report something",`,
			`"label": "Report something", "translations": {"pl": null},`, `menu[0].translations["pl"].label: is empty`},
		{"English as a translation", `"label": "Report something",`,
			`"label": "Report something", "translations": {"en": {"label": "Report"}},`, `menu[0].translations["en"]: English is the main fields`},
		{"an unknown field in a contact translation", `"label": "Non-emergency"`,
			`"label": "Non-emergency", "translations": {"pl": {"label": "Zwykła sprawa", "value": "112"}}`, `unknown field "value"`},
		{"a contact translation that is null", `"label": "Non-emergency"`,
			`"label": "Non-emergency", "translations": {"pl": null}`, `contacts[0].translations["pl"]: has neither a label nor a note`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := export(t)
			if !strings.Contains(doc, tt.old) {
				t.Fatalf("export has no %q", tt.old)
			}
			doc = strings.Replace(doc, tt.old, tt.new, 1)
			_, err := directory.Parse(strings.NewReader(doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// Clones share no translation with the original.
func TestCloneCopiesTranslations(t *testing.T) {
	orig := translated(t)
	want := jsonOf(t, orig)
	c := orig.Clone()
	c.Partnership.Translations["pl"].About[0] = "changed"
	c.Partnership.Translations["ro"] = directory.PartnershipWords{About: []string{"nou"}}
	c.Menu[0].Translations["pl"] = directory.GroupWords{Label: "changed"}
	c.Routes[0].Translations["pl"] = directory.RouteWords{Label: "changed"}
	c.Services[serviceIndex(t, c, "mash")].Translations["ur"] = directory.ServiceWords{Description: "changed"}
	c.Services[serviceIndex(t, c, "mash")].Contacts[1].Translations["bn"] = directory.ContactWords{Label: "changed"}
	if got := jsonOf(t, orig); got != want {
		t.Errorf("changing the clone's translations changed the original")
	}

	s, _ := orig.Service("police-non-emergency")
	sc := s.Clone()
	delete(sc.Translations, "pl")
	pe, _ := orig.Service("police-emergency")
	pc0 := pe.Clone()
	pc0.Contacts[0].Translations["ur"] = directory.ContactWords{Note: "changed"}
	ct := pe.Contacts[0].Clone()
	delete(ct.Translations, "pl")
	r, _ := orig.Route(directory.RouteEmergency)
	rc := r.Clone()
	rc.Translations["pa"] = directory.RouteWords{Label: "changed"}
	gc := orig.Menu[0].Clone()
	gc.Translations["bn"] = directory.GroupWords{Label: "changed"}
	pc := orig.Partnership.Clone()
	pc.Translations["ur"].About[0] = "changed"
	if got := jsonOf(t, orig); got != want {
		t.Errorf("changing a service, contact, route, group or partnership clone changed the original")
	}
}

func TestChangedFieldsTranslations(t *testing.T) {
	base := directory.Service{ID: "x", Description: "English", Translations: map[string]directory.ServiceWords{"pl": {Description: "Polski"}},
		Contacts: []directory.Contact{
			{Kind: directory.KindPhone, Value: "101", Label: "Phone", Translations: map[string]directory.ContactWords{"pl": {Label: "Telefon"}}},
			{Kind: directory.KindWeb, Value: "https://example.org", Label: "Online"},
		}}
	tests := []struct {
		name   string
		change func(s *directory.Service)
		want   []string
	}{
		{"none", func(s *directory.Service) {}, nil},
		{"a translation changed", func(s *directory.Service) { s.Translations["pl"] = directory.ServiceWords{Description: "Inny"} }, []string{directory.FieldTranslations}},
		{"a translation reviewed", func(s *directory.Service) {
			s.Translations["pl"] = directory.ServiceWords{Description: "Polski", Reviewed: true}
		}, []string{directory.FieldTranslations}},
		{"a translation added", func(s *directory.Service) {
			s.Translations["bn"] = directory.ServiceWords{Description: "বাংলা"}
		}, []string{directory.FieldTranslations}},
		{"every translation removed", func(s *directory.Service) { s.Translations = nil }, []string{directory.FieldTranslations}},
		{"the English changed", func(s *directory.Service) { s.Description = "New" }, []string{directory.FieldDescription}},
		{"a contact translation changed", func(s *directory.Service) {
			s.Contacts[0].Translations["pl"] = directory.ContactWords{Label: "Zadzwoń"}
		}, []string{directory.FieldTranslations}},
		{"a contact translation reviewed", func(s *directory.Service) {
			s.Contacts[0].Translations["pl"] = directory.ContactWords{Label: "Telefon", Reviewed: true}
		}, []string{directory.FieldTranslations}},
		{"a contact translation added", func(s *directory.Service) {
			s.Contacts[1].Translations = map[string]directory.ContactWords{"ro": {Label: "Pe internet"}}
		}, []string{directory.FieldTranslations}},
		{"a contact's translations removed", func(s *directory.Service) { s.Contacts[0].Translations = nil }, []string{directory.FieldTranslations}},
		{"a contact's English changed", func(s *directory.Service) { s.Contacts[0].Label = "Call" }, []string{directory.FieldContacts}},
		{"a contact's value changed", func(s *directory.Service) { s.Contacts[1].Value = "https://example.org/new" }, []string{directory.FieldContacts}},
		{"the contacts swapped", func(s *directory.Service) {
			s.Contacts[0], s.Contacts[1] = s.Contacts[1], s.Contacts[0]
		}, []string{directory.FieldTranslations, directory.FieldContacts}},
		{"interpreters", func(s *directory.Service) { s.Interpreters = true }, []string{directory.FieldInterpreters}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := base.Clone(), base.Clone()
			tt.change(&after)
			if got := directory.ChangedFields(&before, &after); !slices.Equal(got, tt.want) {
				t.Errorf("ChangedFields = %v, want %v", got, tt.want)
			}
		})
	}
	empty := directory.Service{ID: "x", Translations: map[string]directory.ServiceWords{}, Contacts: []directory.Contact{{Value: "101", Translations: map[string]directory.ContactWords{}}}}
	none := directory.Service{ID: "x", Contacts: []directory.Contact{{Value: "101"}}}
	if got := directory.ChangedFields(&empty, &none); got != nil {
		t.Errorf("no translations and an empty map: %v, want no change", got)
	}
	if !directory.SameService(empty, none) {
		t.Error("SameService: no translations and an empty map differ")
	}
}

// The import rule sees a translation change as a change, and an import
// of the same translations (however they were written) as none.
func TestMergeTranslations(t *testing.T) {
	d := translated(t)
	notes := func(es []directory.AuditEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Note)
		}
		return out
	}

	d.Routes[routeIndex(t, d, "fraud")].Translations = nil
	same := translated(t)
	same.Partnership.About = append([]string{}, same.Partnership.About...)
	same.Routes[routeIndex(t, same, "fraud")].Translations = map[string]directory.RouteWords{} // as none
	res, entries := d.Clone().Merge("me", same)
	if len(entries) != 0 || slices.ContainsFunc(res, func(r directory.ImportResult) bool { return r.Outcome != directory.ImportUnchanged }) {
		t.Errorf("the same translations again: entries %v", notes(entries))
	}

	in := translated(t)
	in.Partnership.Translations["pl"] = directory.PartnershipWords{About: []string{"Nowy."}, Reviewed: true}
	in.Menu[0].Translations["bn"] = directory.GroupWords{Label: "কিছু জানান", Reviewed: true}
	mash := serviceIndex(t, in, "mash")
	in.Services[mash].Translations["ur"] = directory.ServiceWords{Description: "نیا", Reviewed: true}
	in.Services = in.Services[mash : mash+1]
	m := d.Clone()
	res, entries = m.Merge("me", in)
	if want := []directory.ImportResult{{ID: "mash", Outcome: directory.ImportChanged}}; !slices.Equal(res, want) {
		t.Errorf("results %v, want %v", res, want)
	}
	if got, want := notes(entries), []string{"import", "import: partnership", "import: routes"}; !slices.Equal(got, want) {
		t.Errorf("entries %q, want %q", got, want)
	}
	if got := directory.ChangedFields(entries[0].Before, entries[0].After); !slices.Equal(got, []string{directory.FieldTranslations}) {
		t.Errorf("changed fields %v", got)
	}
	if got := m.Partnership.AboutIn("pl"); !slices.Equal(got, []string{"Nowy."}) {
		t.Errorf("merged about in pl = %q", got)
	}
	in.Partnership.Translations["pl"].About[0] = "changed after the merge"
	in.Menu[0].Translations["bn"] = directory.GroupWords{Label: "changed"}
	if m.Partnership.AboutIn("pl")[0] != "Nowy." || m.Menu[0].LabelIn("bn") != "কিছু জানান" {
		t.Error("the merged directory shares translations with the imported one")
	}
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
	if got := len(m.UnreviewedTranslations()); got != len(d.UnreviewedTranslations())-2 {
		t.Errorf("%d unreviewed after reviewing two, want %d", got, len(d.UnreviewedTranslations())-2)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
