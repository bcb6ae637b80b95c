package directory_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// The flag has its own name so that it cannot clash with -update flags of
// other test files in this package.
var updateORUK = flag.Bool("update-oruk", false, "rewrite the golden files in testdata/openreferral")

// orukEveryField returns the default directory plus services that use every
// field whereto has, in the combinations the mapping must tell apart.
func orukEveryField(t testing.TB) *directory.Directory {
	t.Helper()
	d := mustDefault(t)
	d.Services = append(d.Services, orukExtraServices()...)
	if err := d.Validate(); err != nil {
		t.Fatalf("test directory is invalid: %v", err)
	}
	d.Prepare()
	return d
}

func orukExtraServices() []directory.Service {
	return []directory.Service{
		{
			ID:           "every-field",
			Name:         "Every field & more",
			Organisation: "Bedfordshire Fire & Rescue",
			Description:  "A service that uses every field: <b>not</b> HTML.",
			Contacts: []directory.Contact{
				{Kind: directory.KindWeb, Value: "https://example.org/report", Label: "Report online", Note: "Takes ten minutes", Hours: directory.InHours,
					Translations: map[string]directory.ContactWords{"pl": {Label: "Zgłoś online", Note: "Zajmie to dziesięć minut", Reviewed: true}, "bn": {Note: "দশ মিনিট লাগে"}}},
				{Kind: directory.KindPhone, Value: "01582 547 653", Label: "Office — hours", Note: "Ask for the duty officer", Hours: directory.InHours,
					Translations: map[string]directory.ContactWords{"ur": {Label: "دفتر — اوقات"}, "ro": {Label: "Birou", Note: "Cereți ofițerul de serviciu"}}},
				{Kind: directory.KindPhone, Value: "0300 300 8123", Hours: directory.OutOfHours},
				{Kind: directory.KindText, Value: "18001 101", Note: "For people who cannot hear or speak"},
				{Kind: directory.KindEmail, Value: "first@example.org", Label: "Email"},
				{Kind: directory.KindWeb, Value: "https://example.org/second"},
				{Kind: directory.KindEmail, Value: "second@example.org", Note: "Replies within a week", Hours: directory.OutOfHours,
					Translations: map[string]directory.ContactWords{"pa": {Note: "ਇੱਕ ਹਫ਼ਤੇ ਵਿੱਚ ਜਵਾਬ", Reviewed: true}}},
				{Kind: directory.KindText, Value: "60066", Label: "SMS", Note: "SMS"},
				{Kind: directory.KindPhone, Value: "101", Label: "X — Y", Note: "Y"},
			},
			Hours: &directory.Schedule{
				Weekly: []directory.Period{
					{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Opens: "09:00", Closes: "17:00"},
					{Days: []string{"sun", "sat"}, Opens: "10:00", Closes: "24:00"},
				},
				BankHolidays: directory.BankHolidaysOpen,
				Exceptions: []directory.Exception{
					{Date: "2026-12-24", Opens: "09:00", Closes: "13:00", Note: "Christmas Eve"},
					{Date: "2026-12-31", Closed: true},
				},
				Note: "Confirm these with the office",
			},
			Areas:    []string{"LU1", "LU2", "MK40"},
			AreaName: "Luton and Bedford",
			Routes: []directory.RouteRef{
				{Route: directory.Route("safeguarding"), Order: 5},
				{Route: directory.Route("environmental"), Order: 90, Fallback: true},
			},
			Keywords:     []string{"every", "field", "every"},
			Source:       "Written for the tests",
			Verified:     "2026-11-25",
			Status:       directory.StatusTemporarilyClosed,
			Alert:        "Phone lines are busy after the storm; use the online form",
			Review:       "Needs verification by the partnership before launch",
			Interpreters: true,
			Translations: map[string]directory.ServiceWords{
				"pl": {Description: "Usługa, która używa każdego pola: <b>nie</b> HTML.", Reviewed: true},
				"ur": {Description: "ایک سروس جو ہر خانہ استعمال کرتی ہے۔"},
			},
		},
		{
			ID:       "inactive-national",
			Name:     "Inactive, with an area name but no areas",
			Contacts: []directory.Contact{{Kind: directory.KindEmail, Value: "only@example.org"}},
			Hours: &directory.Schedule{
				Weekly:       []directory.Period{{Days: []string{"wed"}, Opens: "00:00", Closes: "24:00"}},
				BankHolidays: directory.BankHolidaysClosed,
			},
			AreaName: "England and Wales",
			Routes:   []directory.RouteRef{{Route: directory.Route("victim-support"), Order: 0}},
			Source:   "Written for the tests",
			Status:   directory.StatusInactive,
		},
	}
}

// orukExport returns d as Open Referral UK JSON.
func orukExport(t testing.TB, d *directory.Directory) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := d.ExportOpenReferral(&b); err != nil {
		t.Fatalf("ExportOpenReferral() error: %v", err)
	}
	return b.Bytes()
}

// orukParse parses data and fails the test on a document error.
func orukParse(t testing.TB, data []byte) (*directory.Directory, []directory.RecordResult) {
	t.Helper()
	d, results, err := directory.ParseOpenReferral(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ParseOpenReferral() error: %v", err)
	}
	return d, results
}

// orukNormalise makes empty slices nil and links the bank holidays, so that
// services read back compare equal to the originals with reflect.DeepEqual.
func orukNormalise(services []directory.Service, holidays []directory.Holiday) []directory.Service {
	d := &directory.Directory{BankHolidays: holidays, Services: make([]directory.Service, len(services))}
	for i, s := range services {
		s = s.Clone()
		for _, p := range []*[]string{&s.Areas, &s.Keywords} {
			if len(*p) == 0 {
				*p = nil
			}
		}
		if len(s.Contacts) == 0 {
			s.Contacts = nil
		}
		if len(s.Routes) == 0 {
			s.Routes = nil
		}
		if h := s.Hours; h != nil {
			if len(h.Exceptions) == 0 {
				h.Exceptions = nil
			}
			if len(h.Weekly) == 0 {
				h.Weekly = nil
			}
		}
		d.Services[i] = s
	}
	d.Prepare()
	return d.Services
}

func orukCompareServices(t *testing.T, got, want []directory.Service, holidays []directory.Holiday) {
	t.Helper()
	got, want = orukNormalise(got, holidays), orukNormalise(want, holidays)
	if len(got) != len(want) {
		t.Fatalf("read %d services, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			gj, _ := json.MarshalIndent(got[i], "", "  ")
			wj, _ := json.MarshalIndent(want[i], "", "  ")
			t.Errorf("service %d (%s) read back differs:\n got %s\nwant %s", i, want[i].ID, gj, wj)
		}
	}
}

func TestOpenReferralRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		dir  func(testing.TB) *directory.Directory
	}{
		{"default directory", mustDefault},
		{"every field", orukEveryField},
		{"empty directory", func(testing.TB) *directory.Directory { return &directory.Directory{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.dir(t)
			first := orukExport(t, want)
			got, results := orukParse(t, first)

			if got, want := len(results), len(want.Services); got != want {
				t.Fatalf("len(results) = %d, want %d", got, want)
			}
			for i, r := range results {
				if r.Err != nil || r.Index != i || r.ID != want.Services[i].ID {
					t.Errorf("results[%d] = {%d %q %v}, want {%d %q <nil>}", i, r.Index, r.ID, r.Err, i, want.Services[i].ID)
				}
			}
			if got.Partnership.Name != "" || got.BankHolidays != nil {
				t.Errorf("ParseOpenReferral filled the partnership or bank holidays: %+v %v", got.Partnership, got.BankHolidays)
			}
			orukCompareServices(t, got.Services, want.Services, want.BankHolidays)

			second := orukExport(t, got)
			if !bytes.Equal(first, second) {
				t.Errorf("export, parse, export changed the document:\n first %s\nsecond %s", first, second)
			}
		})
	}
}

// TestExportOpenReferralGolden compares the export with the files in
// testdata/openreferral. Rewrite them with go test ./directory -update-oruk
// and read the diff in review.
func TestExportOpenReferralGolden(t *testing.T) {
	tests := []struct {
		file string
		dir  func(testing.TB) *directory.Directory
	}{
		{"default.json", mustDefault},
		{"every-field.json", func(testing.TB) *directory.Directory {
			return &directory.Directory{Services: orukExtraServices()}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := orukExport(t, tt.dir(t))
			path := filepath.Join("testdata", "openreferral", tt.file)
			if *updateORUK {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./directory -run TestExportOpenReferralGolden -update-oruk)", err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) || i < len(wl); i++ {
					var g, w string
					if i < len(gl) {
						g = gl[i]
					}
					if i < len(wl) {
						w = wl[i]
					}
					if g != w {
						t.Fatalf("%s differs from the export at line %d:\n got %s\nwant %s\n(rewrite with -update-oruk if the change is intended)", path, i+1, g, w)
					}
				}
			}
		})
	}
}

// TestExportOpenReferralRequiredFields checks the fields HSDS 3.0 requires
// on the objects the export writes.
func TestExportOpenReferralRequiredFields(t *testing.T) {
	var doc []map[string]any
	if err := json.Unmarshal(orukExport(t, orukEveryField(t)), &doc); err != nil {
		t.Fatal(err)
	}
	required := func(path string, obj any, keys ...string) {
		t.Helper()
		m, ok := obj.(map[string]any)
		if !ok {
			t.Errorf("%s is %T, want an object", path, obj)
			return
		}
		for _, k := range keys {
			if s, ok := m[k].(string); !ok || s == "" {
				t.Errorf("%s.%s = %#v, want a non-empty string", path, k, m[k])
			}
		}
	}
	list := func(m map[string]any, key string) []any {
		l, _ := m[key].([]any)
		return l
	}
	ids := map[string]string{}
	unique := func(path string, obj any) {
		t.Helper()
		id, _ := obj.(map[string]any)["id"].(string)
		if prev, dup := ids[id]; dup && !strings.HasPrefix(path, "services") {
			t.Errorf("%s.id = %q, also the id of %s", path, id, prev)
		}
		ids[id] = path
	}
	for i, s := range doc {
		sp := fmt.Sprintf("services[%d]", i)
		required(sp, s, "id", "name", "status")
		switch st := s["status"]; st {
		case "active", "inactive", "defunct", "temporarily closed":
		default:
			t.Errorf("%s.status = %q, not in the HSDS enum", sp, st)
		}
		if o, ok := s["organization"]; ok {
			required(sp+".organization", o, "id", "name", "description")
		}
		for j, p := range list(s, "phones") {
			pp := fmt.Sprintf("%s.phones[%d]", sp, j)
			required(pp, p, "id", "number", "type")
			unique(pp, p)
		}
		for j, sc := range list(s, "schedules") {
			pp := fmt.Sprintf("%s.schedules[%d]", sp, j)
			required(pp, sc, "id")
			unique(pp, sc)
			if _, ok := sc.(map[string]any)["timezone"]; ok {
				t.Errorf("%s has a timezone; HSDS 3.0 types it as a UTC offset, which Europe/London is not", pp)
			}
		}
		for j, a := range list(s, "service_areas") {
			pp := fmt.Sprintf("%s.service_areas[%d]", sp, j)
			required(pp, a, "id", "name")
			unique(pp, a)
		}
		for j, a := range list(s, "attributes") {
			pp := fmt.Sprintf("%s.attributes[%d]", sp, j)
			required(pp, a, "id", "link_id", "link_entity", "taxonomy_term_id")
			required(pp+".taxonomy_term", a.(map[string]any)["taxonomy_term"], "id", "name", "description", "taxonomy_id")
			unique(pp, a)
		}
	}
}

// orukAttr writes a whereto attribute.
func orukAttr(term, value, linkID string) string {
	return fmt.Sprintf(`{"id": "attr-%s", "link_id": %s, "link_entity": "service", "value": %s, "taxonomy_term": {"id": "whereto:%s", "name": %s, "taxonomy_id": "whereto"}}`,
		term, strconv.Quote(linkID), strconv.Quote(value), term, strconv.Quote(term))
}

// orukService writes an Open Referral UK service that whereto reads: one
// phone, one route, a source. extra fields come last and replace the
// defaults with the same key (a document may not repeat a key).
func orukService(id, extra string) string {
	return orukObject([][2]string{
		{"id", strconv.Quote(id)},
		{"name", strconv.Quote("Name of " + id)},
		{"status", `"active"`},
		{"phones", fmt.Sprintf(`[{"id": "%s-phone-1", "number": "101", "type": "voice"}]`, id)},
		{"attributes", "[" + orukAttr("route:report-crime", "1", id) + ", " + orukAttr("source", "test", id) + "]"},
	}, extra)
}

// orukObject writes a JSON object of the base fields (key and raw value, in
// order) that extra (raw "key": value fields) does not give, then extra.
func orukObject(base [][2]string, extra string) string {
	var given map[string]json.RawMessage
	if extra != "" {
		if err := json.Unmarshal([]byte("{"+extra+"}"), &given); err != nil {
			panic(fmt.Sprintf("test fields %s: %v", extra, err))
		}
	}
	var fields []string
	for _, f := range base {
		if _, ok := given[f[0]]; !ok {
			fields = append(fields, strconv.Quote(f[0])+": "+f[1])
		}
	}
	if extra != "" {
		fields = append(fields, extra)
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

func orukDoc(services ...string) string { return "[" + strings.Join(services, ",\n") + "]" }

// orukOutcomes writes one line per record: "read" or the rejection.
func orukOutcomes(results []directory.RecordResult) []string {
	var out []string
	for _, r := range results {
		if r.Err == nil {
			out = append(out, fmt.Sprintf("services[%d] %q: read", r.Index, r.ID))
			continue
		}
		out = append(out, strings.Split(r.Err.Error(), "\n")...)
	}
	return out
}

func TestParseOpenReferralRecords(t *testing.T) {
	weekly := func(fields string) string {
		return `"schedules": [` + orukObject([][2]string{{"id", `"s1"`}, {"freq", `"WEEKLY"`}, {"byday", `"MO,TU"`}, {"opens_at", `"09:00"`}, {"closes_at", `"17:00"`}}, fields) + `]`
	}
	attrs := func(a ...string) string {
		return `"attributes": [` + orukAttr("route:report-crime", "1", "a") + ", " + orukAttr("source", "test", "a") + ", " + strings.Join(a, ", ") + `]`
	}
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "reads a record and ignores fields and taxonomies whereto does not use",
			doc: orukDoc(orukService("a", `"languages": [{"id": "l", "name": "English"}], "cost_options": [],
				"last_modified": "2026-01-01T00:00:00.000Z", "phones": [{"id": "p", "number": "101", "extension": 12, "languages": []}],
				`+attrs(`{"id": "x", "value": "", "taxonomy_term": {"id": "lga-1", "name": "Crime", "taxonomy_id": "esd"}}`))),
			want: []string{`services[0] "a": read`},
		},
		{
			name: "rejects a record without an id",
			doc:  orukDoc(orukService("", "")),
			want: []string{`services[0]: id: is empty`},
		},
		{
			name: "rejects a record without a name",
			doc:  orukDoc(orukService("a", `"name": " "`)),
			want: []string{`services[0] "a": name: is empty`},
		},
		{
			name: "rejects a misspelt phone number and reads the other records",
			doc: orukDoc(orukService("a", ""), orukService("b", ""),
				orukService("mash", `"phones": [{"id": "p", "number": "01582 51O 330", "type": "voice"}]`)),
			want: []string{
				`services[0] "a": read`,
				`services[1] "b": read`,
				`services[2] "mash": phones[0].number: "01582 51O 330" is not a UK phone number`,
			},
		},
		{
			// Which routes exist is the directory's to say: the import
			// that merges the records checks them (bolt's import tests).
			name: "rejects a route that is not a route id",
			doc:  orukDoc(orukService("a", `"attributes": [`+orukAttr("route:Burglary_1", "1", "a")+", "+orukAttr("source", "test", "a")+`]`)),
			want: []string{`services[0] "a": attributes[0].taxonomy_term.name: "Burglary_1" is not a route id`},
		},
		{
			name: "rejects a route order that is not a number",
			doc:  orukDoc(orukService("a", `"attributes": [`+orukAttr("route:report-crime", "first", "a")+", "+orukAttr("source", "test", "a")+`]`)),
			want: []string{`services[0] "a": attributes[0].value: "first" is not a whole number (the order on the route)`},
		},
		{
			name: "rejects a fallback for a route the service is not on",
			doc:  orukDoc(orukService("a", attrs(orukAttr("fallback:safeguarding", "true", "a")))),
			want: []string{`services[0] "a": attributes[2].taxonomy_term.name: "fallback:safeguarding", but the service has no "route:safeguarding" attribute`},
		},
		{
			name: "rejects a term whereto does not know",
			doc:  orukDoc(orukService("a", attrs(orukAttr("colour", "blue", "a")))),
			want: []string{`services[0] "a": attributes[2].taxonomy_term.name: "colour" is not a whereto term`},
		},
		{
			name: "rejects a second source",
			doc:  orukDoc(orukService("a", attrs(orukAttr("source", "again", "a")))),
			want: []string{`services[0] "a": attributes[2].taxonomy_term.name: "source" is also attributes[1]; a service has one`},
		},
		{
			name: "reads translated descriptions, reviewed or not",
			doc:  orukDoc(orukService("a", attrs(orukAttr("description:pl", "Opis", "a"), orukAttr("reviewed:pl", "true", "a"), orukAttr("description:bn", "বিবরণ", "a")))),
			want: []string{`services[0] "a": read`},
		},
		{
			name: "rejects a translation whose language is not a code",
			doc:  orukDoc(orukService("a", attrs(orukAttr("description:Polish", "Opis", "a")))),
			want: []string{`services[0] "a": attributes[2].taxonomy_term.name: "Polish" is not a language code (2 or 3 lower-case letters, like "pl")`},
		},
		{
			name: "rejects an English translation",
			doc:  orukDoc(orukService("a", attrs(orukAttr("description:en", "Description", "a")))),
			want: []string{`services[0] "a": attributes[2].taxonomy_term.name: English is the main fields; "en" is not a translation`},
		},
		{
			name: "rejects an empty translation",
			doc:  orukDoc(orukService("a", attrs(orukAttr("description:pl", " ", "a")))),
			want: []string{`services[0] "a": attributes[2].value: is empty`},
		},
		{
			name: "rejects a second translation in one language",
			doc:  orukDoc(orukService("a", attrs(orukAttr("description:pl", "Opis", "a"), orukAttr("description:pl", "Inny", "a")))),
			want: []string{`services[0] "a": attributes[3].taxonomy_term.name: "description:pl" is also attributes[2]; a service has one`},
		},
		{
			name: "rejects a review of no translation, and a review that is not true",
			doc:  orukDoc(orukService("a", attrs(orukAttr("reviewed:ro", "true", "a"), orukAttr("description:pl", "Opis", "a"), orukAttr("reviewed:pl", "yes", "a")))),
			want: []string{
				`services[0] "a": attributes[2].taxonomy_term.name: "reviewed:ro", but the service has no "description:ro" attribute`,
				`services[0] "a": attributes[4].value: "yes" is not true`,
			},
		},
		{
			name: "rejects a plain HSDS record without whereto's attributes",
			doc:  orukDoc(orukService("a", `"attributes": []`)),
			want: []string{
				`services[0] "a": attribute "source": is empty`,
				`services[0] "a": attributes "route:…": a service needs at least one route`,
			},
		},
		{
			name: "rejects a record without any contact",
			doc:  orukDoc(orukService("a", `"phones": [{"id": "f", "number": "01582 000000", "type": "fax"}]`)),
			want: []string{`services[0] "a": phones, url and email: a service needs at least one contact`},
		},
		{
			name: "rejects an unknown phone type",
			doc:  orukDoc(orukService("a", `"url": "https://example.org", "phones": [{"id": "p", "number": "101", "type": "mobile"}]`)),
			want: []string{`services[0] "a": phones[0].type: "mobile" is not voice, cell, text, textphone, fax, pager or video`},
		},
		{
			name: "rejects a url that is not one",
			doc:  orukDoc(orukService("a", `"url": "www.example.org"`)),
			want: []string{`services[0] "a": url: "www.example.org" is not an http or https URL`},
		},
		{
			name: "rejects a further email that is not one",
			doc:  orukDoc(orukService("a", `"email": "a@example.org", `+attrs(orukAttr("email", "not an address", "a-email-2")))),
			want: []string{`services[0] "a": attributes[2].value: "not an address" is not an email address`},
		},
		{
			name: "rejects a bad byday",
			doc:  orukDoc(orukService("a", `"schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "MO,XX", "opens_at": "09:00", "closes_at": "17:00"}]`)),
			want: []string{`services[0] "a": schedules[0].byday: "XX" is not a day (MO, TU, WE, TH, FR, SA, SU)`},
		},
		{
			name: "rejects a weekly schedule without days",
			doc:  orukDoc(orukService("a", `"schedules": [{"id": "s1", "freq": "WEEKLY", "opens_at": "09:00", "closes_at": "17:00"}]`)),
			want: []string{`services[0] "a": schedules[0].byday: is empty`},
		},
		{
			name: "rejects a bad opening time",
			doc:  orukDoc(orukService("a", weekly(`"opens_at": "9am"`))),
			want: []string{`services[0] "a": schedules[0].opens_at: "9am" is not a time (HH:MM)`},
		},
		{
			name: "rejects a time with a UTC offset",
			doc:  orukDoc(orukService("a", weekly(`"closes_at": "17:00Z"`))),
			want: []string{`services[0] "a": schedules[0].closes_at: "17:00Z" is not a time (HH:MM)`},
		},
		{
			name: "rejects closing before opening",
			doc:  orukDoc(orukService("a", weekly(`"opens_at": "17:00", "closes_at": "09:00"`))),
			want: []string{`services[0] "a": schedules[0].closes_at: "09:00" is not after opens "17:00"`},
		},
		{
			name: "rejects a monthly schedule",
			doc:  orukDoc(orukService("a", `"schedules": [{"id": "s1", "freq": "MONTHLY", "byday": "1MO", "opens_at": "09:00", "closes_at": "17:00"}]`)),
			want: []string{`services[0] "a": schedules[0].freq: "MONTHLY" is not WEEKLY; whereto reads weekly hours and one-day exceptions`},
		},
		{
			name: "rejects a fortnightly schedule",
			doc:  orukDoc(orukService("a", weekly(`"interval": 2`))),
			want: []string{`services[0] "a": schedules[0].interval: 2 is not 1; whereto reads weekly hours only`},
		},
		{
			name: "rejects a dated schedule longer than a day",
			doc: orukDoc(orukService("a", `"schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
				{"id": "s2", "valid_from": "2026-12-24", "valid_to": "2026-12-31"}]`)),
			want: []string{`services[0] "a": schedules[1].valid_to: "2026-12-31" is not valid_from "2026-12-24"; whereto reads a dated schedule as one day's exception`},
		},
		{
			name: "rejects an exception with a bad date",
			doc: orukDoc(orukService("a", `"schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"},
				{"id": "s2", "valid_from": "2026-02-30", "valid_to": "2026-02-30"}]`)),
			want: []string{`services[0] "a": schedules[1].valid_from: "2026-02-30" is not a date (YYYY-MM-DD)`},
		},
		{
			name: "rejects opening times without a rule",
			doc:  orukDoc(orukService("a", `"schedules": [{"id": "s1", "opens_at": "09:00", "closes_at": "17:00"}]`)),
			want: []string{`services[0] "a": schedules[0]: has opening times but neither freq WEEKLY with byday nor valid_from and valid_to`},
		},
		{
			name: "rejects contact hours without schedules",
			doc:  orukDoc(orukService("a", attrs(orukAttr("contact-hours", "in-hours", "a-phone-1")))),
			want: []string{`services[0] "a": attributes[2].value: "in-hours" needs the service to have opening hours`},
		},
		{
			name: "rejects contact hours that are neither",
			doc:  orukDoc(orukService("a", weekly(`"notes": ""`)+", "+attrs(orukAttr("contact-hours", "weekends", "a-phone-1")))),
			want: []string{`services[0] "a": attributes[2].value: "weekends" is not one of "in-hours", "out-of-hours" or empty (always)`},
		},
		{
			name: "rejects a contact attribute for a contact the service lacks",
			doc:  orukDoc(orukService("a", attrs(orukAttr("contact-note", "hello", "a-phone-9")))),
			want: []string{`services[0] "a": attributes[2].link_id: "a-phone-9" is not a phone, url or email of this service`},
		},
		{
			name: "reads contact translations of a label or a note, reviewed or not",
			doc: orukDoc(orukService("a", `"phones": [{"id": "a-phone-1", "number": "999", "type": "voice", "description": "Emergency — Press 55."}], `+attrs(
				orukAttr("contact-note", "Press 55.", "a-phone-1"), orukAttr("contact-label:pl", "Nagły wypadek", "a-phone-1"), orukAttr("contact-reviewed:pl", "true", "a-phone-1"),
				orukAttr("contact-note:pl", "Naciśnij 55.", "a-phone-1"), orukAttr("contact-note:ur", "55 دبائیں۔", "a-phone-1")))),
			want: []string{`services[0] "a": read`},
		},
		{
			name: "rejects a translated contact label or note the English lacks",
			doc:  orukDoc(orukService("a", attrs(orukAttr("contact-label:pl", "Telefon", "a-phone-1"), orukAttr("contact-note:ro", "Sună.", "a-phone-1")))),
			want: []string{
				`services[0] "a": attributes[2].value: the contact has no English label to translate`,
				`services[0] "a": attributes[3].value: the contact has no English note to translate`,
			},
		},
		{
			name: "rejects a contact translation whose language is not a code, or is English",
			doc: orukDoc(orukService("a", `"phones": [{"id": "a-phone-1", "number": "101", "type": "voice", "description": "Phone"}], `+attrs(
				orukAttr("contact-label:Polish", "Telefon", "a-phone-1"), orukAttr("contact-label:en", "Phone", "a-phone-1")))),
			want: []string{
				`services[0] "a": attributes[2].taxonomy_term.name: "Polish" is not a language code (2 or 3 lower-case letters, like "pl")`,
				`services[0] "a": attributes[3].taxonomy_term.name: English is the main fields; "en" is not a translation`,
			},
		},
		{
			name: "rejects a second contact translation, a review of none, a review that is not true, and a translation of no contact",
			doc: orukDoc(orukService("a", `"phones": [{"id": "a-phone-1", "number": "101", "type": "voice", "description": "Phone"}], `+attrs(
				orukAttr("contact-label:pl", "Telefon", "a-phone-1"), orukAttr("contact-label:pl", "Zadzwoń", "a-phone-1"),
				orukAttr("contact-reviewed:ro", "true", "a-phone-1"), orukAttr("contact-reviewed:pl", "yes", "a-phone-1"),
				orukAttr("contact-label:bn", "ফোন", "a-phone-2")))),
			want: []string{
				`services[0] "a": attributes[3].taxonomy_term.name: "contact-label:pl" for "a-phone-1" is also attributes[2]`,
				`services[0] "a": attributes[6].link_id: "a-phone-2" is not a phone, url or email of this service`,
				`services[0] "a": attributes[5].value: "yes" is not true`,
				`services[0] "a": attributes[4].taxonomy_term.name: "contact-reviewed:ro", but the contact "a-phone-1" has no "contact-label:ro" or "contact-note:ro" attribute`,
			},
		},
		{
			name: "reads interpreters, and ignores interpretation_services of any type",
			doc:  orukDoc(orukService("a", `"interpretation_services": 5, `+attrs(orukAttr("interpreters", "true", "a")))),
			want: []string{`services[0] "a": read`},
		},
		{
			name: "rejects interpreters that is not true, or given twice",
			doc:  orukDoc(orukService("a", attrs(orukAttr("interpreters", "yes", "a"), orukAttr("interpreters", "true", "a")))),
			want: []string{
				`services[0] "a": attributes[3].taxonomy_term.name: "interpreters" is also attributes[2]; a service has one`,
				`services[0] "a": attributes[2].value: "yes" is not true`,
			},
		},
		{
			name: "rejects a contact order that leaves a contact out",
			doc:  orukDoc(orukService("a", `"url": "https://example.org", `+attrs(orukAttr("contact-order", "a-web-1", "a")))),
			want: []string{`services[0] "a": attributes[2].value: does not list "a-phone-1"`},
		},
		{
			name: "rejects a contact order naming an unknown contact",
			doc:  orukDoc(orukService("a", attrs(orukAttr("contact-order", "a-phone-1 a-web-1", "a")))),
			want: []string{`services[0] "a": attributes[2].value: "a-web-1" is not a phone, url or email of this service`},
		},
		{
			name: "rejects a service area that is not a postcode district",
			doc:  orukDoc(orukService("a", `"service_areas": [{"id": "x", "name": "LU1"}, {"id": "y", "name": "Luton"}]`)),
			want: []string{`services[0] "a": service_areas[1].name: "Luton" is not a postcode district (like LU1)`},
		},
		{
			name: "rejects a status HSDS does not have",
			doc:  orukDoc(orukService("a", `"status": "Closed"`)),
			want: []string{`services[0] "a": status: "Closed" is not "active", "inactive" or "temporarily closed"`},
		},
		{
			name: "rejects an assured date that is not a date",
			doc:  orukDoc(orukService("a", `"assured_date": "last week"`)),
			want: []string{`services[0] "a": assured_date: "last week" is not a date (YYYY-MM-DD)`},
		},
		{
			name: "rejects control characters in the organisation",
			doc:  orukDoc(orukService("a", `"organization": {"id": "o", "name": "Luton\nCouncil"}`)),
			want: []string{`services[0] "a": organization.name: contains a control character`},
		},
		{
			name: "rejects a repeated id and keeps the first",
			doc:  orukDoc(orukService("a", ""), orukService("a", "")),
			want: []string{`services[0] "a": read`, `services[1] "a": id: "a" is also the id of services[0]`},
		},
		{
			name: "rejects records that are not objects",
			doc:  orukDoc(orukService("a", ""), `42`, `null`, `"b"`),
			want: []string{
				`services[0] "a": read`,
				`services[1]: is a JSON number, not a service object`,
				`services[2]: is null, not a service object`,
				`services[3]: is a JSON string, not a service object`,
			},
		},
		{
			name: "rejects a null record among good ones",
			doc:  orukDoc(orukService("a", ""), `null`),
			want: []string{`services[0] "a": read`, `services[1]: is null, not a service object`},
		},
		{
			name: "rejects fields of the wrong JSON type",
			doc:  orukDoc(orukService("a", `"name": 5`), orukService("b", `"phones": {"number": "101"}`)),
			want: []string{
				`services[0] "a": name: is a JSON number, want a string`,
				`services[1] "b": phones: is a JSON object, want an array`,
			},
		},
		{
			name: "reports every problem of a record",
			doc:  orukDoc(orukService("a", `"name": "", "url": "ftp://example.org", "service_areas": [{"id": "x", "name": "lu1"}]`)),
			want: []string{
				`services[0] "a": name: is empty`,
				`services[0] "a": url: "ftp://example.org" is not an http or https URL`,
				`services[0] "a": service_areas[0].name: "lu1" is not a postcode district (like LU1)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, results := orukParse(t, []byte(tt.doc))
			got := orukOutcomes(results)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("outcomes:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
			read := 0
			for _, r := range results {
				if r.Err == nil {
					read++
					continue
				}
				var re *directory.RecordError
				if !errors.Is(r.Err, directory.ErrInvalid) || !errors.As(r.Err, &re) || re.Index != r.Index || re.ID != r.ID {
					t.Errorf("results[%d].Err = %#v, want a *RecordError for the record wrapping ErrInvalid", r.Index, r.Err)
				}
			}
			if got, want := len(d.Services), read; got != want {
				t.Errorf("len(Services) = %d, want %d (the records read)", got, want)
			}
		})
	}
}

// TestParseOpenReferralFields checks how HSDS values that whereto's export
// never writes are read.
func TestParseOpenReferralFields(t *testing.T) {
	base := func() directory.Service {
		return directory.Service{
			ID:       "a",
			Name:     "Name of a",
			Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "101"}},
			Routes:   []directory.RouteRef{{Route: directory.Route("report-crime"), Order: 1}},
			Source:   "test",
		}
	}
	weekdays := []string{"mon", "tue", "wed", "thu", "fri"}
	tests := []struct {
		name  string
		extra string
		want  func(s *directory.Service)
	}{
		{"status active is the default", `"status": "Active"`, func(s *directory.Service) {}},
		{"status missing is active", `"status": null`, func(s *directory.Service) {}},
		{"status defunct is inactive", `"status": "defunct"`, func(s *directory.Service) { s.Status = directory.StatusInactive }},
		{"status temporarily closed", `"status": "temporarily closed"`, func(s *directory.Service) { s.Status = directory.StatusTemporarilyClosed }},
		{"assured date and time is a date", `"assured_date": "2026-03-01T12:30:00Z"`, func(s *directory.Service) { s.Verified = "2026-03-01" }},
		{"organization name", `"organization": {"id": "x", "name": "Luton Council", "description": "The council"}`, func(s *directory.Service) { s.Organisation = "Luton Council" }},
		{
			"phone types and descriptions",
			`"phones": [{"id": "1", "number": "01582 547 653", "type": "cell", "description": "Mobile — ask for Sam"},
				{"id": "2", "number": "01582 000 000", "type": "fax"},
				{"id": "3", "number": "18001 101", "type": "Textphone"},
				{"id": "4", "number": "60066", "type": "text", "description": "SMS"},
				{"id": "5", "number": "999"}]`,
			func(s *directory.Service) {
				s.Contacts = []directory.Contact{
					{Kind: directory.KindPhone, Value: "01582 547 653", Label: "Mobile — ask for Sam"},
					{Kind: directory.KindText, Value: "18001 101"},
					{Kind: directory.KindText, Value: "60066", Label: "SMS"},
					{Kind: directory.KindPhone, Value: "999"},
				}
			},
		},
		{
			"url and email follow the phones",
			`"email": "a@example.org", "url": "https://example.org"`,
			func(s *directory.Service) {
				s.Contacts = append(s.Contacts,
					directory.Contact{Kind: directory.KindWeb, Value: "https://example.org"},
					directory.Contact{Kind: directory.KindEmail, Value: "a@example.org"})
			},
		},
		{
			"weekly times with seconds, days in lower case, and description-only schedules",
			`"schedules": [{"id": "s", "description": "Ring first"},
				{"id": "w", "freq": "weekly", "byday": "mo, tu,we,TH,Fr", "opens_at": "09:00:00", "closes_at": "17:30:00", "notes": "Approximate", "timezone": 0},
				{"id": "x", "valid_from": "2026-12-25", "valid_to": "2026-12-25", "description": "Christmas"}]`,
			func(s *directory.Service) {
				s.Hours = &directory.Schedule{
					Weekly:     []directory.Period{{Days: weekdays, Opens: "09:00", Closes: "17:30"}},
					Exceptions: []directory.Exception{{Date: "2026-12-25", Closed: true}},
					Note:       "Approximate",
				}
			},
		},
		{
			"byday without freq is weekly",
			`"schedules": [{"id": "w", "byday": "SA", "opens_at": "10:00", "closes_at": "12:00"}]`,
			func(s *directory.Service) {
				s.Hours = &directory.Schedule{Weekly: []directory.Period{{Days: []string{"sat"}, Opens: "10:00", Closes: "12:00"}}}
			},
		},
		{
			"areas with a common description name the area",
			`"service_areas": [{"id": "1", "name": "LU1", "description": "Luton"}, {"id": "2", "name": "LU2", "description": "Luton"}]`,
			func(s *directory.Service) { s.Areas, s.AreaName = []string{"LU1", "LU2"}, "Luton" },
		},
		{
			"areas with different descriptions leave the area unnamed",
			`"service_areas": [{"id": "1", "name": "LU1", "description": "North"}, {"id": "2", "name": "LU2", "description": "South"}]`,
			func(s *directory.Service) { s.Areas = []string{"LU1", "LU2"} },
		},
		{
			"ORUK 2 vocabulary marks whereto terms too",
			`"attributes": [{"id": "1", "value": "2", "taxonomy_term": {"id": "t", "name": "route:hate-crime", "vocabulary": "whereto"}},
				{"id": "2", "value": "s", "taxonomy_term": {"id": "u", "name": "source", "vocabulary": "whereto"}}]`,
			func(s *directory.Service) {
				s.Routes = []directory.RouteRef{{Route: directory.Route("hate-crime"), Order: 2}}
				s.Source = "s"
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, results := orukParse(t, []byte(orukDoc(orukService("a", tt.extra))))
			if len(results) != 1 || results[0].Err != nil {
				t.Fatalf("results = %v, want one record read", orukOutcomes(results))
			}
			want := base()
			tt.want(&want)
			orukCompareServices(t, d.Services, []directory.Service{want}, nil)
		})
	}
}

func TestParseOpenReferralDocument(t *testing.T) {
	svc := orukService("a", "")
	var whereto bytes.Buffer
	if err := mustDefault(t).Export(&whereto); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		doc     string
		wantIDs []string
		records int // results wanted
		wantErr error
	}{
		{"array", "[" + svc + "]", []string{"a"}, 1, nil},
		{"object with services", `{"services": [` + svc + `]}`, []string{"a"}, 1, nil},
		{"API page with contents", `{"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [` + svc + `]}`, []string{"a"}, 1, nil},
		{"byte order mark", "\xef\xbb\xbf[" + svc + "]", []string{"a"}, 1, nil},
		{"object with a record of the wrong types", `{"services": [` + svc + `, {"id": "b", "name": 5}]}`, []string{"a"}, 2, nil},
		{"API page with a record of the wrong types", `{"contents": [{"id": "b", "phones": "101"}, ` + svc + `]}`, []string{"a"}, 2, nil},
		{"empty array", "[]", nil, 0, nil},
		{"whereto's own format", whereto.String(), nil, 0, directory.ErrFormat},
		{"not JSON", "id,name\na,b\n", nil, 0, directory.ErrFormat},
		{"empty", "", nil, 0, directory.ErrFormat},
		{"object without services", `{"name": "x"}`, nil, 0, directory.ErrFormat},
		{"services not a list", `{"services": 5}`, nil, 0, directory.ErrFormat},
		{"array of strings", `["a", "b"]`, nil, 0, directory.ErrFormat},
		{"trailing garbage", "[" + svc + "] ]", nil, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, results, err := directory.ParseOpenReferral(strings.NewReader(tt.doc))
			switch {
			case tt.name == "trailing garbage":
				if err == nil {
					t.Errorf("ParseOpenReferral() error = nil, want an error")
				}
				return
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("ParseOpenReferral() error = %v, want %v", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatalf("ParseOpenReferral() error: %v", err)
			}
			var ids []string
			for _, s := range d.Services {
				ids = append(ids, s.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("read %v, want %v", ids, tt.wantIDs)
			}
			if got, want := len(results), tt.records; got != want {
				t.Errorf("len(results) = %d, want %d", got, want)
			}
			if d.Schema != directory.SchemaVersion {
				t.Errorf("Schema = %d, want %d", d.Schema, directory.SchemaVersion)
			}
		})
	}
}

func TestDetectFormat(t *testing.T) {
	var whereto bytes.Buffer
	if err := mustDefault(t).Export(&whereto); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want directory.Format // "" for an error
	}{
		{"whereto export", whereto.String(), directory.FormatWhereto},
		{"open referral export", string(orukExport(t, mustDefault(t))), directory.FormatOpenReferral},
		{"whereto without schema", `{"services": [{"id": "a", "contacts": [], "routes": []}]}`, directory.FormatWhereto},
		{"whereto schema only", `{"schema": 1}`, directory.FormatWhereto},
		{"services with HSDS fields", `{"services": [{"id": "a", "contacts": [], "phones": []}]}`, directory.FormatOpenReferral},
		{"decided by a later service", `{"services": [{"id": "a"}, {"id": "b", "routes": []}]}`, directory.FormatWhereto},
		{"services with only shared fields", `{"services": [{"id": "a", "name": "b"}]}`, directory.FormatOpenReferral},
		{"API page", `{"total_items": 0, "contents": []}`, directory.FormatOpenReferral},
		{"array", `[{"id": "a"}]`, directory.FormatOpenReferral},
		{"empty array", ` [ ] `, directory.FormatOpenReferral},
		{"byte order mark", "\xef\xbb\xbf[]", directory.FormatOpenReferral},
		{"empty object", `{}`, ""},
		{"array of numbers", `[1, 2]`, ""},
		{"string", `"services"`, ""},
		{"empty", ``, ""},
		{"CSV", "id,name\n", ""},
		{"services not an array", `{"services": {"id": "a"}}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := directory.DetectFormat([]byte(tt.doc))
			if tt.want == "" {
				if !errors.Is(err, directory.ErrFormat) {
					t.Errorf("DetectFormat() = %q, %v; want an error wrapping ErrFormat", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("DetectFormat() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func FuzzParseOpenReferral(f *testing.F) {
	f.Add(orukExport(f, mustDefault(f)))
	f.Add(orukExport(f, &directory.Directory{Services: orukExtraServices()}))
	f.Add([]byte(orukDoc(orukService("a", ""), orukService("a", `"name": 5`), `null`)))
	f.Add([]byte(`{"contents": [` + orukService("b", `"schedules": [{"id": "s", "byday": "MO,XX", "opens_at": "9", "valid_from": "x"}]`) + `]}`))
	f.Add([]byte(orukService("c", `"url": "https://example.org", "attributes": [`+orukAttr("contact-order", "c-web-1 c-web-1", "c")+`]`)))
	f.Add([]byte(`{"services": [{"id": "a", "routes": []}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, results, err := directory.ParseOpenReferral(bytes.NewReader(data))
		if err != nil {
			return
		}
		var read []string
		for i, r := range results {
			if r.Index != i {
				t.Fatalf("results[%d].Index = %d", i, r.Index)
			}
			if r.Err == nil {
				read = append(read, r.ID)
			} else if r.Err.Error() == "" {
				t.Fatalf("results[%d] rejected without a reason", i)
			}
		}
		if len(read) != len(d.Services) {
			t.Fatalf("%d records read, but %d services", len(read), len(d.Services))
		}
		for i, s := range d.Services {
			if s.ID != read[i] {
				t.Fatalf("Services[%d].ID = %q, want %q", i, s.ID, read[i])
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("service %q was read but is invalid: %v", s.ID, err)
			}
		}
		// What was read survives a round trip exactly.
		first := orukExport(t, d)
		again, results2 := orukParse(t, first)
		for _, r := range results2 {
			if r.Err != nil {
				t.Fatalf("re-reading the export of what was read: %v\nexport: %s", r.Err, first)
			}
		}
		if !reflect.DeepEqual(orukNormalise(again.Services, nil), orukNormalise(d.Services, nil)) {
			t.Fatalf("services changed across export and parse\nexport: %s", first)
		}
		if second := orukExport(t, again); !bytes.Equal(first, second) {
			t.Fatalf("export not stable:\n first %s\nsecond %s", first, second)
		}
	})
}

// orukGenerated returns a valid directory of n services shaped like real
// ones: phones, some with office hours, web and email contacts, areas,
// routes and keywords.
func orukGenerated(tb testing.TB, n int) *directory.Directory {
	tb.Helper()
	d := mustDefault(tb)
	d.Services = d.Services[:0]
	routes := d.RouteIDs()
	for i := range n {
		id := fmt.Sprintf("service-%05d", i)
		r := routes[i%len(routes)]
		s := directory.Service{
			ID:           id,
			Name:         fmt.Sprintf("Service %d", i),
			Organisation: fmt.Sprintf("Organisation %d", i%97),
			Description:  "Help for people affected by crime in the area, by phone, online or by email.",
			Contacts: []directory.Contact{
				{Kind: directory.KindPhone, Value: fmt.Sprintf("01582 %06d", i), Label: "Phone", Note: "Calls are free."},
				{Kind: directory.KindWeb, Value: "https://example.org/" + id, Label: "Report online"},
				{Kind: directory.KindEmail, Value: id + "@example.org"},
			},
			Routes:   []directory.RouteRef{{Route: r, Order: i}},
			Keywords: []string{"support", "crime", fmt.Sprintf("k%d", i%13)},
			Source:   "Generated for the benchmark",
			Verified: "2026-11-25",
		}
		if r != directory.RouteEmergency {
			s.Areas = []string{"LU1", "LU2", "LU3", "LU4"}
			s.AreaName = "Luton"
		}
		if i%3 == 1 {
			s.Contacts = append(s.Contacts,
				directory.Contact{Kind: directory.KindPhone, Value: "0300 300 8123", Label: "Office hours", Hours: directory.InHours})
			s.Hours = &directory.Schedule{
				Weekly:     []directory.Period{{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Opens: "09:00", Closes: "17:00"}},
				Exceptions: []directory.Exception{{Date: "2026-12-24", Opens: "09:00", Closes: "13:00"}},
			}
		}
		d.Services = append(d.Services, s)
	}
	if err := d.Validate(); err != nil {
		tb.Fatalf("generated directory is invalid: %v", err)
	}
	return d
}

func BenchmarkExportOpenReferral10k(b *testing.B) {
	d := orukGenerated(b, 10_000)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := d.ExportOpenReferral(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

func BenchmarkParseOpenReferral10k(b *testing.B) {
	data := orukExport(b, orukGenerated(b, 10_000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		orukParse(b, data)
	}
}

// BenchmarkImportOpenReferral10k is what an import costs before storage:
// parse, merge into the directory, validate the whole (target under 2 s).
func BenchmarkImportOpenReferral10k(b *testing.B) {
	base := orukGenerated(b, 10_000)
	data := orukExport(b, base)
	for b.Loop() {
		read, _ := orukParse(b, data)
		merged := &directory.Directory{Schema: base.Schema, Partnership: base.Partnership, BankHolidays: base.BankHolidays, Routes: base.Routes, Menu: base.Menu, PlaceNames: base.PlaceNames, Services: read.Services}
		if err := merged.Validate(); err != nil {
			b.Fatal(err)
		}
		merged.Prepare()
	}
}

func TestParseOpenReferralStrictJSON(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		msg  string
	}{
		{"duplicate id refused", orukDoc(orukService("a", `"id": "a", "id": "evil-a"`)), `key "id" is given twice`},
		{"duplicate deep in an attribute refused", orukDoc(orukService("a", `"phones": [{"id": "p", "number": "101", "number": "999"}]`)), `key "number" is given twice`},
		{"trailing data refused", orukDoc(orukService("a", "")) + "\n[]", "at line 2, column 1: unexpected data after the JSON document"},
		{"invalid UTF-8 refused", orukDoc(orukService("a", "\"description\": \"caf\xe9\"")), "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := directory.ParseOpenReferral(strings.NewReader(tt.doc))
			if !errors.Is(err, directory.ErrMalformed) || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "at line") {
				t.Errorf("ParseOpenReferral: got %v, want ErrMalformed at a line saying %q", err, tt.msg)
			}
		})
	}
}
