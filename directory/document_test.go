package directory_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory"
)

// planPath is the Luton Community Safety Partnership Plan 2020-2024 as text.
// It lives beside the repository (/work/shared/seed), not in it.
const planPath = "../../shared/seed/luton-csp-plan-2020-2024.txt"

func TestDefaultIsValid(t *testing.T) {
	d := mustDefault(t)
	if err := d.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
	if got, want := d.Schema, directory.SchemaVersion; got != want {
		t.Errorf("Schema = %d, want %d", got, want)
	}
	for _, s := range d.Services {
		if err := s.Validate(); err != nil {
			t.Errorf("service %q: Validate() = %v, want nil", s.ID, err)
		}
	}
}

func TestDefaultIsFresh(t *testing.T) {
	a := mustDefault(t)
	a.Services[0].Contacts[0].Value = "changed"
	a.Partnership.About[0] = "changed"
	b := mustDefault(t)
	if got := b.Services[0].Contacts[0].Value; got == "changed" {
		t.Errorf("second Default() sees a change made to the first")
	}
	if got := b.Partnership.About[0]; got == "changed" {
		t.Errorf("second Default() sees a change made to the first's About")
	}
}

// page10 returns the plan text from the line starting "Page 10" to the end,
// skipping the test if the plan is not beside the repository.
func page10(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(planPath)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("partnership plan not found at %s (it lives in /work/shared/seed, outside the repository); skipping the check against page 10", planPath)
	}
	if err != nil {
		t.Fatalf("reading plan: %v", err)
	}
	text := string(b)
	i := strings.Index(text, "\nPage 10")
	if strings.HasPrefix(text, "Page 10") {
		i = 0
	} else if i < 0 {
		t.Fatalf("%s has no line starting %q", planPath, "Page 10")
	}
	return text[i:]
}

// containsToken reports whether value occurs in text not as part of a longer
// word or number (so "101" does not match inside "01582 510 330 101x").
func containsToken(text, value string) bool {
	for off := 0; ; {
		i := strings.Index(text[off:], value)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(value)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		off = start + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// nationalServices are the national services the partnership's product
// owner listed (issue 6), with their contact values exactly as given there.
// Each must be marked for review before launch.
var nationalServices = map[string][]string{
	"crimestoppers":           {"0800 555 111"},
	"victim-support-line":     {"08 08 16 89 111"},
	"domestic-abuse-helpline": {"0808 2000 247"},
	"relay-uk":                {"18000", "18001 101"},
	"report-fraud":            {"https://reportfraud.police.uk", "0300 123 2040"},
	// "gov.uk's find-your-local-council page".
	"find-local-council": {"https://www.gov.uk/find-local-council"},
	// The national lines of the routes added in December 2026, as the
	// issue that added them gives their numbers.
	"mens-advice-line":        {"0808 8010 327"},
	"galop":                   {"0800 999 5428"},
	"rape-crisis":             {"0808 500 2222"},
	"find-a-sarc":             {"https://www.nhs.uk/service-search/other-health-services/rape-and-sexual-assault-referral-centres"},
	"revenge-porn-helpline":   {"0345 6000 459"},
	"modern-slavery-helpline": {"08000 121 700"},
	"samaritans":              {"116 123"},
	"nhs-111-mental-health":   {"111"},
	"shout":                   {"85258"},
	"frank":                   {"0300 123 6600"},
	"act-early":               {"0800 011 3764"},
	"anti-terrorist-hotline":  {"0800 789 321", "https://www.gov.uk/ACT"},
	"stop-scams-159":          {"159"},
	"childline":               {"0800 1111", "https://www.childline.org.uk"},
}

// localToConfirm are local entries still marked for review: the details
// are the plan's, but the page to send people to is for the partnership
// to give.
var localToConfirm = map[string]bool{"luton-asb-case-review": true}

func TestDefaultNationalServices(t *testing.T) {
	d := mustDefault(t)
	for id, want := range nationalServices {
		s, err := d.Service(id)
		if err != nil {
			t.Errorf("national service %q missing", id)
			continue
		}
		var got []string
		for _, c := range s.Contacts {
			got = append(got, c.Value)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s contacts = %q, want %q", id, got, want)
		}
		// Nobody has confirmed these numbers with the services: the source
		// says where they come from and they carry no verified date until
		// the partnership checks them.
		if s.Review == "" || s.Verified != "" || !strings.Contains(s.Source, "not in the 2020-2024 plan") || s.Local() {
			t.Errorf("%s: review %q, verified %q, source %q, areas %v: want a review mark, no verified date, a source saying it is not in the plan, and no areas", id, s.Review, s.Verified, s.Source, s.Areas)
		}
		if strings.Contains(strings.ToLower(s.Source), "given by") {
			t.Errorf("%s: source %q says someone gave the details; nobody did", id, s.Source)
		}
	}
	for _, s := range d.Services {
		if _, national := nationalServices[s.ID]; s.Review != "" && !national && !localToConfirm[s.ID] {
			t.Errorf("%s is marked for review but is not a listed national service", s.ID)
		}
	}
}

func TestDefaultMatchesPlanPage10(t *testing.T) {
	page := page10(t)
	d := mustDefault(t)
	// Contacts that are not on page 10 as such. The emergencySMS text
	// contact is national guidance; its number, 999, is still on the page.
	textExceptions := map[string]bool{"police-emergency/Text 999": true}
	for _, s := range d.Services {
		if s.Review != "" {
			continue // national services: TestDefaultNationalServices
		}
		for i, c := range s.Contacts {
			want := c.Value
			switch c.Kind {
			case directory.KindPhone, directory.KindEmail:
			case directory.KindWeb:
				if !strings.HasPrefix(want, "https://") {
					t.Errorf("%s contacts[%d]: web value %q does not start with https://", s.ID, i, c.Value)
				}
				want = strings.TrimPrefix(want, "https://")
			case directory.KindText:
				if !textExceptions[s.ID+"/"+c.Label] {
					t.Errorf("%s contacts[%d]: text contact %q (%s) is not an allowed exception", s.ID, i, c.Value, c.Label)
				}
			default:
				t.Errorf("%s contacts[%d]: unexpected kind %q", s.ID, i, c.Kind)
			}
			if !containsToken(page, want) {
				t.Errorf("%s contacts[%d]: %q (%s) does not occur on page 10 of the plan", s.ID, i, want, c.Kind)
			}
		}
	}
}

func TestDefaultRoutes(t *testing.T) {
	tests := []struct {
		route directory.Route
		want  []string
	}{
		{directory.RouteEmergency, []string{"police-emergency", "relay-uk"}},
		{"report-crime", []string{"police-online", "police-non-emergency", "crimestoppers"}},
		{"environmental", []string{"council-environmental", "find-local-council"}},
		{"hate-crime", []string{"report-it", "police-non-emergency", "police-online"}},
		{"fraud", []string{"report-fraud", "stop-scams-159", "police-non-emergency"}},
		{"asb-case-review", []string{"luton-asb-case-review", "police-non-emergency"}},
		{"victim-support", []string{"signpost-hub", "victim-support-line", "domestic-abuse-helpline"}},
		{"domestic-abuse", []string{"domestic-abuse-helpline", "signpost-hub", "mens-advice-line", "galop", "police-non-emergency", "police-online"}},
		{"sexual-violence", []string{"rape-crisis", "find-a-sarc", "revenge-porn-helpline", "police-non-emergency", "police-online"}},
		{"mental-health", []string{"samaritans", "nhs-111-mental-health", "shout"}},
		{"drugs-alcohol", []string{"frank"}},
		{"safeguarding", []string{"mash", "domestic-abuse-helpline", "childline", "find-local-council"}},
		{"exploitation", []string{"modern-slavery-helpline", "crimestoppers", "police-non-emergency"}},
		{"radicalisation", []string{"act-early", "anti-terrorist-hotline"}},
		{directory.RouteUnclear, []string{}},
	}
	d := mustDefault(t)
	for _, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			got := []string{}
			for _, s := range d.ServicesFor(tt.route) {
				got = append(got, s.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ServicesFor(%q) = %q, want %q", tt.route, got, tt.want)
			}
		})
	}
	t.Run("every route is tested", func(t *testing.T) {
		rows := map[directory.Route]bool{}
		for _, tt := range tests {
			rows[tt.route] = true
		}
		for _, r := range mustDefault(t).RouteIDs() {
			if !rows[r] {
				t.Errorf("route %q has no row in this table", r)
			}
		}
	})
}

func TestServicesForOrdersByOrderThenID(t *testing.T) {
	d := mustDefault(t)
	// Two services at the same order on report-crime: ties break by id.
	i := slices.IndexFunc(d.Services, func(s directory.Service) bool { return s.ID == "police-non-emergency" })
	d.Services[i].Routes[0].Order = 1
	var got []string
	for _, s := range d.ServicesFor(directory.Route("report-crime")) {
		got = append(got, s.ID)
	}
	if want := []string{"police-non-emergency", "police-online", "crimestoppers"}; !slices.Equal(got, want) {
		t.Errorf("ServicesFor(report-crime) = %q, want %q", got, want)
	}
}

// exportedText returns the default directory as Export writes it.
func exported(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := mustDefault(t).Export(&b); err != nil {
		t.Fatalf("Export() error: %v", err)
	}
	return b.Bytes()
}

func TestParseRejects(t *testing.T) {
	doc := string(exported(t))
	tests := []struct {
		name    string
		in      string
		invalid bool // errors.Is(err, ErrInvalid)
		schema  bool // errors.Is(err, ErrSchema)
	}{
		{"unknown top-level field", strings.Replace(doc, `"schema": 1,`, `"schema": 1, "colour": "blue",`, 1), false, false},
		{"misspelt service field", strings.Replace(doc, `"keywords":`, `"keyword":`, 1), false, false},
		{"second document", doc + doc, false, false},
		{"trailing garbage", doc + "x", false, false},
		{"schema 2", strings.Replace(doc, `"schema": 1,`, `"schema": 2,`, 1), false, true},
		{"invalid content", strings.Replace(doc, `"01582 510 330"`, `"01582 51O 330"`, 1), true, false},
		{"empty input", "", false, false},
		{"not an object", `[]`, false, false},
		{"null document", `null`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in == doc {
				t.Fatalf("test input is the unchanged export; did a Replace miss?")
			}
			d, err := directory.Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Parse() = %v, nil; want an error", d)
			}
			if d != nil {
				t.Errorf("Parse() directory = %v, want nil on error", d)
			}
			if got := errors.Is(err, directory.ErrInvalid); got != tt.invalid {
				t.Errorf("errors.Is(%v, ErrInvalid) = %v, want %v", err, got, tt.invalid)
			}
			if got := errors.Is(err, directory.ErrSchema); got != tt.schema {
				t.Errorf("errors.Is(%v, ErrSchema) = %v, want %v", err, got, tt.schema)
			}
		})
	}
}

// Regression: Parse once used dec.More() to refuse data after the document,
// which reports false before a stray ']' or '}', so such a file was
// accepted.
func TestParseRejectsTrailingBracket(t *testing.T) {
	doc := string(exported(t))
	for _, tail := range []string{"}", "]", "\n}\n"} {
		if _, err := directory.Parse(strings.NewReader(doc + tail)); err == nil {
			t.Errorf("Parse(document + %q) error = nil, want an error (trailing data is not JSON)", tail)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	doc := string(exported(t))
	tests := []struct {
		name string
		in   string
	}{
		{"export", doc},
		{"trailing whitespace", doc + "\n\n  \t"},
		{"missing schema means current", strings.Replace(doc, `"schema": 1,`, ``, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := directory.Parse(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("Parse() error: %v", err)
			}
			if got, want := d.Schema, directory.SchemaVersion; got != want {
				t.Errorf("Schema = %d, want %d", got, want)
			}
		})
	}
}

func TestExportParseRoundTrip(t *testing.T) {
	want := mustDefault(t)
	// Exercise the optional fields that default.json leaves out.
	for i := range want.Services {
		if want.Services[i].ID == "mash" {
			want.Services[i].Areas = []string{"LU1", "LU2"}
			want.Services[i].Verified = "2025-11-01"
			want.Services[i].Alert = "Phone lines are busy; email if you can."
			want.Services[i].Status = directory.StatusActive
		}
	}

	var b bytes.Buffer
	if err := want.Export(&b); err != nil {
		t.Fatalf("Export() error: %v", err)
	}
	got, err := directory.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("Parse(Export()) error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", "  ")
		wj, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("Parse(Export(d)) != d\n got %s\nwant %s", gj, wj)
	}

	var b2 bytes.Buffer
	if err := got.Export(&b2); err != nil {
		t.Fatalf("second Export() error: %v", err)
	}
	if !bytes.Equal(b.Bytes(), b2.Bytes()) {
		t.Errorf("Export is not stable across a round trip:\n first %s\nsecond %s", b.Bytes(), b2.Bytes())
	}
	if !strings.Contains(b.String(), "Modern Slavery & Exploitation") {
		t.Errorf("Export escaped HTML characters; want & written as is")
	}
}

func TestExportWritesCurrentSchema(t *testing.T) {
	d := mustDefault(t)
	d.Schema = 0
	var b bytes.Buffer
	if err := d.Export(&b); err != nil {
		t.Fatalf("Export() error: %v", err)
	}
	var head struct{ Schema int }
	if err := json.Unmarshal(b.Bytes(), &head); err != nil {
		t.Fatalf("unmarshal export: %v", err)
	}
	if got, want := head.Schema, directory.SchemaVersion; got != want {
		t.Errorf("exported schema = %d, want %d", got, want)
	}
	if got := d.Schema; got != 0 {
		t.Errorf("Export changed d.Schema to %d, want it left at 0", got)
	}
}

func TestCloneIsDeep(t *testing.T) {
	orig := mustDefault(t)
	mash := serviceIndex(t, orig, "mash")
	orig.Services[mash].Areas = []string{"LU1", "LU2"}
	snapshot := mustDefault(t)
	snapshot.Services[mash].Areas = []string{"LU1", "LU2"}

	c := orig.Clone()
	if ej, _ := json.Marshal(c); string(ej) != string(must(json.Marshal(orig))) {
		t.Fatalf("Clone() is not equal to the original")
	}
	cm := &c.Services[mash]
	cm.Contacts[0].Value = "0000"
	cm.Contacts = append(cm.Contacts, directory.Contact{Kind: directory.KindPhone, Value: "101"})
	cm.Areas[0] = "XX1"
	cm.Routes[0].Order = 99
	cm.Keywords[0] = "changed"
	cm.Hours.Note = "changed"
	cm.Hours.Weekly[0].Opens = "00:00"
	cm.Hours.Weekly[0].Days[0] = "sun"
	c.Partnership.About[0] = "changed"
	c.Partnership.Name = "changed"
	c.Services[0].Name = "changed"
	c.Services = append(c.Services, directory.Service{ID: "extra"})

	if !reflect.DeepEqual(orig, snapshot) {
		gj, _ := json.MarshalIndent(orig, "", "  ")
		t.Errorf("changing the clone changed the original:\n%s", gj)
	}
}

func TestServiceCloneIsDeep(t *testing.T) {
	d := mustDefault(t)
	orig, err := d.Service("mash")
	if err != nil {
		t.Fatalf(`Service("mash") error: %v`, err)
	}
	want := mustDefault(t).Services[serviceIndex(t, d, "mash")]

	c := orig.Clone()
	c.Contacts[1].Hours = directory.Always
	c.Hours.Weekly[0].Days[4] = "sat"
	c.Hours.Weekly[0].Closes = "18:00"
	c.Routes[0].Route = directory.RouteEmergency
	c.Keywords[1] = "changed"

	if !reflect.DeepEqual(orig, want) {
		t.Errorf("changing the service clone changed the original")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// exportedText returns the default directory as Export writes it.
func exportedText(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := mustDefault(t).Export(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// lineOf returns the 1-based line of the first occurrence of sub in s.
func lineOf(t *testing.T, s, sub string) int {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("%q not found", sub)
	}
	return strings.Count(s[:i], "\n") + 1
}

func TestParseStrictJSON(t *testing.T) {
	doc := exportedText(t)
	replaceOnce := func(old, new string) string {
		if !strings.Contains(doc, old) {
			t.Fatalf("%q not in the exported document", old)
		}
		return strings.Replace(doc, old, new, 1)
	}
	tests := []struct {
		name string
		doc  string
		msg  string // in the error, with "at line N" where N is line
		line int
	}{
		{"duplicate service id refused", replaceOnce(`"id": "mash"`, `"id": "mash", "id": "evil-mash"`),
			`key "id" is given twice in the same object`, lineOf(t, doc, `"id": "mash"`)},
		{"duplicate differing in case refused", replaceOnce(`"id": "mash"`, `"id": "mash", "ID": "evil-mash"`),
			`key "ID" repeats "id"`, lineOf(t, doc, `"id": "mash"`)},
		{"duplicate top-level key refused", strings.Replace(doc, "{", `{"schema": 1, "schema": 1,`, 1),
			`key "schema" is given twice`, 1},
		{"duplicate deep in a schedule refused", replaceOnce(`"opens": "`, `"opens": "09:00", "opens": "`),
			`key "opens" is given twice`, lineOf(t, doc, `"opens": "`)},
		{"trailing document refused", doc + `{"schema": 1}`, "unexpected data after the JSON document", strings.Count(doc, "\n") + 1},
		{"trailing junk refused", doc + "\n\nx", "unexpected data after the JSON document", strings.Count(doc, "\n") + 3},
		{"invalid UTF-8 refused", replaceOnce(`"id": "mash"`, "\"id\": \"ma\xffsh\""),
			"not valid UTF-8", lineOf(t, doc, `"id": "mash"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := directory.Parse(strings.NewReader(tt.doc))
			if !errors.Is(err, directory.ErrMalformed) {
				t.Fatalf("Parse: got %v, want ErrMalformed", err)
			}
			if want := fmt.Sprintf("at line %d,", tt.line); !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), want) {
				t.Errorf("Parse error %q: want it to say %q and %q", err, tt.msg, want)
			}
			// Import and validate read files through DetectFormat first.
			if _, err := directory.DetectFormat([]byte(tt.doc)); !errors.Is(err, directory.ErrMalformed) {
				t.Errorf("DetectFormat: got %v, want ErrMalformed", err)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		msg  string // "" means accepted
	}{
		{"same key in sibling objects accepted", `[{"a": 1}, {"a": 2}, {"b": {"a": 3}}]`, ""},
		{"same key at different depths accepted", `{"a": {"a": {"a": 1}}}`, ""},
		{"keys as array values accepted", `{"a": ["a", "a"], "b": "a"}`, ""},
		{"empty object and array accepted", `{"a": {}, "b": [], "c": [[], {}]}`, ""},
		{"byte order mark accepted", "\xef\xbb\xbf{\"a\": 1}", ""},
		{"trailing white space accepted", "{\"a\": 1}\n\t \r\n", ""},
		{"scalar document accepted", `5`, ""},
		{"syntax error left to the decoder", `{"a": }`, ""},
		{"empty left to the decoder", ``, ""},
		{"duplicate after a nested object refused", `{"a": {"b": 1}, "c": [1, {"d": 2}], "a": 3}`, `at line 1, column 37: key "a" is given twice`},
		{"duplicate inside an array item refused", "[{\"x\": 1},\n {\"y\": 1, \"y\": 2}]", `at line 2, column 11: key "y" is given twice`},
		{"escaped duplicate refused", `{"id": 1, "\u0069d": 2}`, `key "id" is given twice`},
		{"second value refused", `{} {}`, "at line 1, column 4: unexpected data after the JSON document"},
		{"second scalar refused", `1 2`, "unexpected data after the JSON document"},
		{"invalid UTF-8 refused", "{\"a\":\n \"\xc3\x28\"}", "at line 2, column 3: the bytes are not valid UTF-8"},
		{"surrogate bytes refused", "{\"a\": \"\xed\xa0\x80\"}", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := directory.CheckJSON([]byte(tt.doc))
			if tt.msg == "" {
				if err != nil {
					t.Errorf("CheckJSON: %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, directory.ErrMalformed) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("CheckJSON: got %v, want ErrMalformed saying %q", err, tt.msg)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte(" "), 64<<20+1)
	if _, err := directory.Parse(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("Parse: got %v, want larger than 64 MiB", err)
	}
	if _, _, err := directory.ParseOpenReferral(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("ParseOpenReferral: got %v, want larger than 64 MiB", err)
	}
}
