package directory_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/whereto-bot/whereto/directory"
)

func FuzzIsUKPhone(f *testing.F) {
	for _, tt := range isUKPhoneTests {
		f.Add(tt.in)
	}
	f.Add("+44")
	f.Add("+44 (0)")
	f.Add("18001 18001 101")
	f.Add("18002 116 123")
	f.Fuzz(func(t *testing.T, s string) {
		if !directory.IsUKPhone(s) {
			return
		}
		// An accepted number holds no control characters: Validate would
		// otherwise pass a value that cannot be dialled or shown as is.
		// testdata/fuzz/FuzzIsUKPhone keeps the crashers that found this.
		for _, r := range s {
			if unicode.IsControl(r) {
				t.Fatalf("IsUKPhone(%q) = true, but it contains control character %q", s, r)
			}
		}
		// Otherwise an accepted number is digits and separators, with at
		// most a leading +44, and has at least three digits.
		digits := 0
		for _, r := range strings.TrimPrefix(strings.TrimSpace(s), "+44") {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r == ' ' || r == '-' || r == '(' || r == ')' || unicode.IsSpace(r):
			default:
				t.Fatalf("IsUKPhone(%q) = true, but it contains %q", s, r)
			}
		}
		if digits < 3 {
			t.Fatalf("IsUKPhone(%q) = true with only %d digits", s, digits)
		}
	})
}

func FuzzValidate(f *testing.F) {
	for _, tt := range isUKPhoneTests {
		f.Add(tt.in, "https://www.luton.gov.uk", "mash@luton.gov.uk", "mash", "09:00", "17:00", "LU1", "2026-01-02")
	}
	for _, tt := range isEmailTests {
		f.Add("101", "www.luton.gov.uk", tt.in, "a--b", "9:00", "24:00", "LU 1", "2026-13-01")
	}
	f.Add("01582 51O 330", "https://localhost", "a@b", "MASH", "17:00", "09:00", "lu1", "")
	f.Add("\xff", "ftp://x.org", "\x00", "", "24:30", "25:00", "", "0000-00-00")
	f.Fuzz(func(t *testing.T, phone, url, email, id, opens, closes, area, verified string) {
		d, err := directory.Default()
		if err != nil {
			t.Fatal(err)
		}
		var mash *directory.Service
		for i := range d.Services {
			if d.Services[i].ID == "mash" {
				mash = &d.Services[i]
			}
		}
		mash.ID = id
		mash.Contacts[0].Value = phone
		mash.Contacts[2].Value = email
		mash.Contacts = append(mash.Contacts, directory.Contact{Kind: directory.KindWeb, Value: url})
		mash.Hours.Weekly[0].Opens = opens
		mash.Hours.Weekly[0].Closes = closes
		mash.Areas = []string{area}
		mash.Verified = verified
		mash.Name = id

		for _, err := range []error{d.Validate(), mash.Validate()} {
			if err == nil {
				continue
			}
			var ve *directory.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, directory.ErrInvalid) {
				t.Fatalf("Validate() error %v (%T) is not a *ValidationError wrapping ErrInvalid", err, err)
			}
			if len(ve.Problems) == 0 {
				t.Fatalf("Validate() returned a ValidationError with no problems")
			}
			for _, p := range ve.Problems {
				if p.Path == "" || strings.HasPrefix(p.Path, ".") {
					t.Fatalf("problem %q has a bad path", p.String())
				}
			}
		}

		// Whatever Validate says, the schedule and contacts must not panic.
		now := time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC)
		_ = mash.Hours.OpenAt(now)
		_ = mash.Hours.String()
		_ = mash.ContactsAt(now)

		// A valid directory survives Export and Parse, and a second
		// export is identical to the first. testdata/fuzz/FuzzValidate
		// keeps the crasher that found a web contact with invalid UTF-8
		// (see TestValidateRejectsInvalidUTF8InWebContact).
		if d.Validate() != nil {
			return
		}
		var b1, b2 bytes.Buffer
		if err := d.Export(&b1); err != nil {
			t.Fatalf("Export() error: %v", err)
		}
		p, err := directory.Parse(bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("Parse(Export(valid)) error: %v\n%s", err, b1.Bytes())
		}
		if err := p.Export(&b2); err != nil {
			t.Fatalf("second Export() error: %v", err)
		}
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatalf("Export(Parse(Export(d))) differs from Export(d)")
		}
	})
}

func FuzzParse(f *testing.F) {
	var b bytes.Buffer
	d, err := directory.Default()
	if err != nil {
		f.Fatal(err)
	}
	if err := d.Export(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte(`null`))
	f.Add([]byte(`{"schema":2}`))
	f.Add([]byte(`{"schema":-1,"services":[{"id":"x","hours":{"weekly":[{"days":["mon"],"opens":"24:00","closes":"24:00"}]}}]}`))
	// Route data: a route with examples, a follow-up, a group and a
	// place question; a broken one.
	f.Add([]byte(`{"partnership":{"name":"p","area":"a"},"menu":[{"id":"g","label":"G","question":"Q?"}],"routes":[{"id":"emergency","label":"Danger","description":"d","next":["noise"]},{"id":"noise","label":"Noise","description":"d","group":"g","where":"lives","examples":["loud music"]}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1},{"route":"noise","order":1,"when":["music*"]}]}]}`))
	f.Add([]byte("{\n\"routes\": [\n{\"id\": \"noise\",, }\n]}"))
	// Translations, one reviewed, one in another script, one bad.
	f.Add([]byte(`{"partnership":{"name":"p","area":"a","translations":{"pl":{"about":["O nas."],"reviewed":true}}},"menu":[{"id":"g","label":"G","question":"Q?","translations":{"ur":{"label":"گروپ"}}}],"routes":[{"id":"emergency","label":"Danger","description":"d","translations":{"pa":{"label":"ਖ਼ਤਰਾ","intro":"ਹੁਣੇ ਕਾਲ ਕਰੋ:"},"EN":{"label":"x"}}}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1}],"translations":{"bn":{"description":"বিবরণ"}}}]}`))
	// Contact translations (a note only, a label only, one bad) and
	// interpreters.
	f.Add([]byte(`{"partnership":{"name":"p","area":"a"},"routes":[{"id":"emergency","label":"Danger","description":"d"}],"services":[{"id":"s","name":"s","source":"s","interpreters":true,"contacts":[{"kind":"phone","value":"999","label":"Emergency","note":"Press 55.","translations":{"ur":{"note":"55 دبائیں۔"},"pl":{"label":"Nagły wypadek","reviewed":true},"bn":{}}}],"routes":[{"route":"emergency","order":1}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := directory.Parse(bytes.NewReader(data))
		if err != nil {
			if d != nil {
				t.Fatalf("Parse returned a directory with error %v", err)
			}
			var syn *json.SyntaxError
			if errors.As(err, &syn) && !strings.Contains(err.Error(), " at line ") {
				t.Fatalf("a syntax error does not say where: %v", err)
			}
			return
		}
		for _, r := range d.RouteList() {
			if _, ok := d.Route(r.ID); !ok {
				t.Fatalf("route %q listed but not found", r.ID)
			}
		}
		if !d.Knows(directory.RouteEmergency) {
			t.Fatal("Parse accepted a directory without the emergency route")
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("Parse accepted a directory that Validate rejects: %v", err)
		}
		var b1, b2 bytes.Buffer
		if err := d.Export(&b1); err != nil {
			t.Fatalf("Export() error: %v", err)
		}
		p, err := directory.Parse(bytes.NewReader(b1.Bytes()))
		if err != nil {
			t.Fatalf("Parse(Export(Parse(data))) error: %v", err)
		}
		if err := p.Export(&b2); err != nil {
			t.Fatalf("second Export() error: %v", err)
		}
		if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
			t.Fatalf("export not stable:\n%s\n%s", b1.Bytes(), b2.Bytes())
		}
		for _, r := range d.RouteIDs() {
			if len(d.ServicesFor(r)) == 0 {
				t.Fatalf("Parse accepted a directory with no service on %q", r)
			}
		}
		for _, s := range d.Services {
			_ = s.ContactsAt(time.Date(2026, time.March, 2, 10, 0, 0, 0, time.UTC))
			if s.Hours != nil {
				_ = s.Hours.String()
			}
		}
	})
}
