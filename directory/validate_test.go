package directory_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// isUKPhoneTests is shared by TestIsUKPhone and the FuzzIsUKPhone seed corpus.
var isUKPhoneTests = []struct {
	in   string
	want bool
}{
	// Emergency, service and European numbers.
	{"999", true},
	{"112", true},
	{"101", true},
	{"111", true},
	{"105", true},
	{"116 123", true},
	{"116000", true},
	// National numbers, freephone included.
	{"0800 0282 887", true},
	{"0800 555 111", true},
	{"0800 1111", true},
	{"0300 300 8123", true},
	{"01582 547 653", true},
	{"01582 510 330", true},
	{"08 08 16 89 111", true},
	{"0808 2000 247", true},
	{"020 7946 0000", true},
	{"+44 1582 510330", true},
	{"+44 (0)1582 510330", true},
	{"07700 900123", true},
	// Relay UK.
	{"18000", true},
	{"18001 101", true},
	{"18001 0300 123 2040", true},

	{"", false},
	{"01582 51O 330", false}, // letter O for a zero
	{"1234", false},
	{"0800", false},
	{"01582 510 3300 9", false},
	{"441582510330", false},
	{"abc", false},
	{"999 999", false},
	{"116 12", false},
	{"18001", false},
	{"18001 18000", false},
	{"+1 202 555 0100", false},
	{"0 1582 510 330 1", false},
	{"06123 456789", false}, // 06 is not used
	{"04123 456789", false}, // nor is 04
}

func TestIsUKPhone(t *testing.T) {
	for _, tt := range isUKPhoneTests {
		name := "rejects"
		if tt.want {
			name = "accepts"
		}
		t.Run(fmt.Sprintf("%s %q", name, tt.in), func(t *testing.T) {
			if got := directory.IsUKPhone(tt.in); got != tt.want {
				t.Errorf("IsUKPhone(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

var isEmailTests = []struct {
	in   string
	want bool
}{
	{"mash@luton.gov.uk", true},
	{"info@signpostforbedfordshire.com", true},
	{"first.last+tag@example.co.uk", true},

	{"", false},
	{"Name <a@b.com>", false}, // display name
	{"<a@b.com>", false},      // angle brackets
	{"a@b", false},            // domain without a dot
	{"a@", false},
	{"@b.com", false},
	{"a b@c.com", false},
	{"a@b.com ", false}, // trailing space
	{" a@b.com", false}, // leading space
	{"a@b.com.", false},
	{"a@.b.com", false},
	{"a@b..com", false},
	{"a@b.com (comment)", false},
	{"a@@b.com", false},
	{"mailto:a@b.com", false},
}

func TestIsEmail(t *testing.T) {
	for _, tt := range isEmailTests {
		name := "rejects"
		if tt.want {
			name = "accepts"
		}
		t.Run(fmt.Sprintf("%s %q", name, tt.in), func(t *testing.T) {
			if got := directory.IsEmail(tt.in); got != tt.want {
				t.Errorf("IsEmail(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// mustDefault returns a fresh copy of the embedded directory.
func mustDefault(t testing.TB) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatalf("Default() error: %v", err)
	}
	return d
}

// serviceIndex returns the index of the service with the given id, so that
// tests do not depend on the order of default.json.
func serviceIndex(t testing.TB, d *directory.Directory, id string) int {
	t.Helper()
	i := slices.IndexFunc(d.Services, func(s directory.Service) bool { return s.ID == id })
	if i < 0 {
		t.Fatalf("default directory has no service %q", id)
	}
	return i
}

// problemStrings returns the String() of every problem in err, or fails the
// test if err is not a *ValidationError wrapping ErrInvalid.
func problemStrings(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	if !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("errors.Is(%v, ErrInvalid) = false, want true", err)
	}
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(%T, *ValidationError) = false, want true", err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

const routeWant = "(want one of emergency, report-crime, environmental, hate-crime, fraud, asb-case-review, victim-support, domestic-abuse, sexual-violence, mental-health, drugs-alcohol, safeguarding, exploitation, radicalisation)"

func TestDirectoryValidate(t *testing.T) {
	// Each case changes one thing in the default directory and returns the
	// exact problems Validate must report, computing indices from the data.
	tests := []struct {
		name   string
		mutate func(t *testing.T, d *directory.Directory) []string
	}{
		{"default is valid", func(t *testing.T, d *directory.Directory) []string {
			return nil
		}},
		{"rejects phone with letter O", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Contacts[0].Value = "01582 51O 330"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "01582 51O 330" is not a UK phone number`, i)}
		}},
		{"rejects bad text number", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[1].Value = "99"
			return []string{fmt.Sprintf(`services[%d].contacts[1].value: "99" is not a UK number or SMS short code`, i)}
		}},
		{"accepts SMS short code for text", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[1].Value = "88111"
			return nil
		}},
		{"rejects URL without scheme", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Contacts[1].Value = "www.luton.gov.uk"
			return []string{fmt.Sprintf(`services[%d].contacts[1].value: "www.luton.gov.uk" is not an http or https URL`, i)}
		}},
		{"rejects ftp URL", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Contacts[0].Value = "ftp://x.org"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "ftp://x.org" is not an http or https URL`, i)}
		}},
		{"rejects URL host without dot", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Contacts[0].Value = "https://localhost"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "https://localhost" has no host name`, i)}
		}},
		{"rejects URL with user info", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Contacts[0].Value = "https://user:pw@www.bedfordshire.police.uk/report"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "https://user:pw@www.bedfordshire.police.uk/report" must not carry a user name or password`, i)}
		}},
		{"rejects URL with surrounding space", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Contacts[0].Value = " https://www.bedfordshire.police.uk/report"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: " https://www.bedfordshire.police.uk/report" has spaces at the start or end`, i)}
		}},
		{"rejects email with display name", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Contacts[2].Value = "MASH <mash@luton.gov.uk>"
			return []string{fmt.Sprintf(`services[%d].contacts[2].value: "MASH <mash@luton.gov.uk>" is not an email address`, i)}
		}},
		{"rejects unknown contact kind", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Contacts[0].Kind = "fax"
			return []string{fmt.Sprintf(`services[%d].contacts[0].kind: "fax" is not one of phone, text, web, email`, i)}
		}},
		{"rejects unknown route", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Routes[0].Route = directory.RouteUnclear
			return []string{fmt.Sprintf(`services[%d].routes[0].route: "unclear" is not a route %s`, i, routeWant)}
		}},
		{"rejects route listed twice", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-non-emergency")
			d.Services[i].Routes = append(d.Services[i].Routes, directory.RouteRef{Route: directory.Route("report-crime"), Order: 3})
			return []string{fmt.Sprintf(`services[%d].routes[%d].route: "report-crime" is listed twice`, i, len(d.Services[i].Routes)-1)}
		}},
		{"rejects negative order", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Routes[0].Order = -1
			return []string{fmt.Sprintf(`services[%d].routes[0].order: -1 is negative`, i)}
		}},
		{"rejects duplicate id naming the first", func(t *testing.T, d *directory.Directory) []string {
			first := serviceIndex(t, d, "mash")
			dup := serviceIndex(t, d, "signpost-hub")
			if dup < first {
				t.Fatalf("test assumes signpost-hub (%d) comes after mash (%d)", dup, first)
			}
			d.Services[dup].ID = "mash"
			return []string{fmt.Sprintf(`services[%d].id: "mash" is also the id of services[%d]`, dup, first)}
		}},
		{"rejects route with no service", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services = slices.Delete(d.Services, i, i+1)
			j := serviceIndex(t, d, "domestic-abuse-helpline")
			d.Services[j].Routes = d.Services[j].Routes[:1] // domestic-abuse only
			k := serviceIndex(t, d, "childline")
			d.Services = slices.Delete(d.Services, k, k+1)
			return []string{`routes: route "safeguarding" has no active service`}
		}},
		{"rejects route served only by a fallback", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Status = directory.StatusTemporarilyClosed
			return []string{`routes: route "environmental" has no active service`}
		}},
		{"rejects service with no routes", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Routes = nil
			return []string{
				fmt.Sprintf(`services[%d].routes: a service needs at least one route`, i),
				`routes: route "environmental" has no active service`,
			}
		}},
		{"rejects emergency service without a phone", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-emergency")
			d.Services[i].Contacts[0].Kind = directory.KindText // "999" is a valid text number
			return []string{`routes: route "emergency": its first active service "police-emergency" has no phone number available at all times`}
		}},
		{"rejects emergency route led by a web service", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Routes = append(d.Services[i].Routes, directory.RouteRef{Route: directory.RouteEmergency, Order: 0})
			return []string{
				`routes: route "emergency": its first active service "police-online" has no phone number available at all times`,
				`routes: route "emergency": its first active service "police-online" must serve everywhere (no areas)`,
			}
		}},
		{"rejects in-hours contact without service hours", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Contacts[0].Hours = directory.InHours
			return []string{fmt.Sprintf(`services[%d].contacts[0].hours: "in-hours" needs the service to have opening hours`, i)}
		}},
		{"rejects unknown availability", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Contacts[0].Hours = "sometimes"
			return []string{fmt.Sprintf(`services[%d].contacts[0].hours: "sometimes" is not one of "in-hours", "out-of-hours" or empty (always)`, i)}
		}},
		{"rejects no contacts", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Contacts = nil
			return []string{fmt.Sprintf(`services[%d].contacts: a service needs at least one contact`, i)}
		}},
		{"rejects bad day name", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Days[0] = "monday"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].days[0]: "monday" is not a day (mon, tue, wed, thu, fri, sat, sun)`, i)}
		}},
		{"rejects empty days", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Days = nil
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].days: is empty`, i)}
		}},
		{"rejects schedule with no periods", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly = nil
			return []string{fmt.Sprintf(`services[%d].hours.weekly: opening hours need at least one period`, i)}
		}},
		{"rejects single-digit hour", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Opens = "9:00"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].opens: "9:00" is not a time (HH:MM)`, i)}
		}},
		{"rejects hour 25", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Closes = "25:00"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].closes: "25:00" is not a time of day`, i)}
		}},
		{"rejects 24:30", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Closes = "24:30"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].closes: "24:30" is not a time of day`, i)}
		}},
		{"accepts closing at 24:00", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Closes = "24:00"
			return nil
		}},
		{"rejects closes before opens", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Closes = "08:00"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].closes: "08:00" is not after opens "09:00"`, i)}
		}},
		{"rejects closes equal to opens", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Hours.Weekly[0].Closes = "09:00"
			return []string{fmt.Sprintf(`services[%d].hours.weekly[0].closes: "09:00" is not after opens "09:00"`, i)}
		}},
		{"rejects area with space", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Areas = []string{"LU1", "LU 1"}
			return []string{fmt.Sprintf(`services[%d].areas[1]: "LU 1" is not a postcode district (like LU1)`, i)}
		}},
		{"accepts postcode districts", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Areas = []string{"LU1", "LU7", "MK45", "W1A", "E1"}
			return nil
		}},
		{"rejects month 13", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "signpost-hub")
			d.Services[i].Verified = "2026-13-01"
			return []string{fmt.Sprintf(`services[%d].verified: "2026-13-01" is not a date (YYYY-MM-DD)`, i)}
		}},
		{"rejects 29 February in a common year", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "signpost-hub")
			d.Services[i].Verified = "2026-02-29"
			return []string{fmt.Sprintf(`services[%d].verified: "2026-02-29" is not a date (YYYY-MM-DD)`, i)}
		}},
		{"accepts verified date", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "signpost-hub")
			d.Services[i].Verified = "2024-02-29"
			return nil
		}},
		{"rejects empty name", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Name = " \t"
			return []string{fmt.Sprintf(`services[%d].name: is empty`, i)}
		}},
		{"rejects empty source", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Source = ""
			return []string{fmt.Sprintf(`services[%d].source: is empty`, i)}
		}},
		{"rejects empty keyword", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "report-it")
			d.Services[i].Keywords[1] = ""
			return []string{fmt.Sprintf(`services[%d].keywords[1]: is empty`, i)}
		}},
		{"rejects control character in description", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "council-environmental")
			d.Services[i].Description = "Report fly-tipping.\nAnd litter."
			return []string{fmt.Sprintf(`services[%d].description: contains a control character`, i)}
		}},
		{"rejects DEL in contact note", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "signpost-hub")
			d.Services[i].Contacts[0].Note = "Calls are free\x7f"
			return []string{fmt.Sprintf(`services[%d].contacts[0].note: contains a control character`, i)}
		}},
		{"rejects invalid UTF-8 in name", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "signpost-hub")
			d.Services[i].Name = "Signpost \xff Hub"
			return []string{fmt.Sprintf(`services[%d].name: is not valid UTF-8`, i)}
		}},
		{"rejects upper-case id", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].ID = "MASH"
			return []string{fmt.Sprintf(`services[%d].id: "MASH" must be lower-case letters, digits and single hyphens`, i)}
		}},
		{"rejects double hyphen in id", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].ID = "a--b"
			return []string{fmt.Sprintf(`services[%d].id: "a--b" must be lower-case letters, digits and single hyphens`, i)}
		}},
		{"rejects empty id", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].ID = ""
			return []string{fmt.Sprintf(`services[%d].id: is empty`, i)}
		}},
		{"rejects newer schema", func(t *testing.T, d *directory.Directory) []string {
			d.Schema = directory.SchemaVersion + 1
			return []string{fmt.Sprintf(`schema: version %d is newer than this whereto understands (%d)`, directory.SchemaVersion+1, directory.SchemaVersion)}
		}},
		{"rejects empty partnership name", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.Name = ""
			return []string{`partnership.name: is empty`}
		}},
		{"rejects empty partnership area", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.Area = "  "
			return []string{`partnership.area: is empty`}
		}},
		{"rejects partnership website without scheme", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.Website = "www.luton.gov.uk"
			return []string{`partnership.website: "www.luton.gov.uk" is not an http or https URL`}
		}},
		{"rejects empty about paragraph", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.About = append(d.Partnership.About, "")
			return []string{fmt.Sprintf(`partnership.about[%d]: is empty`, len(d.Partnership.About)-1)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDefault(t)
			want := tt.mutate(t, d)
			got := problemStrings(t, d.Validate())
			if !slices.Equal(got, want) {
				t.Errorf("Validate() problems:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestDirectoryValidateReportsEveryProblem(t *testing.T) {
	d := mustDefault(t)
	council := serviceIndex(t, d, "council-environmental")
	mash := serviceIndex(t, d, "mash")
	d.Partnership.Name = ""
	d.Services[council].Contacts[0].Value = "01582 51O 330"
	d.Services[mash].Contacts[2].Value = "a@b"
	d.Services[mash].Hours.Weekly[0].Opens = "9:00"

	err := d.Validate()
	if !errors.Is(err, directory.ErrInvalid) {
		t.Fatalf("errors.Is(err, ErrInvalid) = false, want true (err = %v)", err)
	}
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(err, *ValidationError) = false, want true (err = %T)", err)
	}
	want := []string{
		`partnership.name: is empty`,
		fmt.Sprintf(`services[%d].contacts[0].value: "01582 51O 330" is not a UK phone number`, council),
		fmt.Sprintf(`services[%d].contacts[2].value: "a@b" is not an email address`, mash),
		fmt.Sprintf(`services[%d].hours.weekly[0].opens: "9:00" is not a time (HH:MM)`, mash),
	}
	if got := problemStrings(t, err); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
	if got, want := err.Error(), strings.Join(want, "\n"); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestDirectoryValidateWrappedError(t *testing.T) {
	d := mustDefault(t)
	d.Partnership.Name = ""
	err := fmt.Errorf("loading: %w", d.Validate())
	if !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("errors.Is(wrapped, ErrInvalid) = false, want true")
	}
	var ve *directory.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(wrapped, *ValidationError) = false, want true")
	}
	if got, want := len(ve.Problems), 1; got != want {
		t.Errorf("len(Problems) = %d, want %d", got, want)
	}
	if errors.Is(err, directory.ErrSchema) || errors.Is(err, directory.ErrNotFound) {
		t.Errorf("validation error matches ErrSchema or ErrNotFound, want only ErrInvalid")
	}
}

func TestServiceValidate(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		mutate func(s *directory.Service)
		want   []string
	}{
		{"default mash is valid", "mash", func(s *directory.Service) {}, nil},
		{"reports relative contact path", "mash", func(s *directory.Service) {
			s.Contacts[0].Value = "01582 54T 653"
		}, []string{`contacts[0].value: "01582 54T 653" is not a UK phone number`}},
		{"reports relative id path", "mash", func(s *directory.Service) {
			s.ID = ""
		}, []string{`id: is empty`}},
		{"reports relative hours path", "mash", func(s *directory.Service) {
			s.Hours.Weekly[0].Days = []string{"mon", "funday"}
		}, []string{`hours.weekly[0].days[1]: "funday" is not a day (mon, tue, wed, thu, fri, sat, sun)`}},
		{"reports every problem", "council-environmental", func(s *directory.Service) {
			s.Name = ""
			s.Contacts[1].Value = "https://localhost"
			s.Areas = []string{"lu1"}
		}, []string{
			`name: is empty`,
			`contacts[1].value: "https://localhost" has no host name`,
			`areas[0]: "lu1" is not a postcode district (like LU1)`,
		}},
		{"ignores whole-directory route checks", "police-emergency", func(s *directory.Service) {
			s.Contacts[0].Kind = directory.KindText
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDefault(t)
			s, err := d.Service(tt.id)
			if err != nil {
				t.Fatalf("Service(%q) error: %v", tt.id, err)
			}
			tt.mutate(&s)
			got := problemStrings(t, s.Validate())
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate() problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDirectoryServiceNotFound(t *testing.T) {
	d := mustDefault(t)
	_, err := d.Service("no-such-service")
	if !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("Service(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestRouteKnown(t *testing.T) {
	d := mustDefault(t)
	for _, r := range d.RouteIDs() {
		if !d.Knows(r) {
			t.Errorf("Knows(%q) = false, want true", r)
		}
	}
	for _, r := range []directory.Route{directory.RouteUnclear, "", "Emergency"} {
		if d.Knows(r) {
			t.Errorf("Knows(%q) = true, want false", r)
		}
	}
}

// Regression: IsUKPhone once trimmed any white space, so numbers holding
// tabs, carriage returns or newlines were accepted.
func TestIsUKPhoneRejectsControlCharacters(t *testing.T) {
	for _, in := range []string{"\t999", "999\n", "+44\r1582 510330", "01582 510 330\r\n", "\v101"} {
		if directory.IsUKPhone(in) {
			t.Errorf("IsUKPhone(%q) = true, want false (control character)", in)
		}
	}
}

// Regression: contact values were not checked as text and url.Parse
// accepts bytes that are not UTF-8, so a web contact with invalid UTF-8
// passed Validate and changed on an Export round trip.
func TestValidateRejectsInvalidUTF8InWebContact(t *testing.T) {
	d := mustDefault(t)
	i := serviceIndex(t, d, "police-online")
	d.Services[i].Contacts[0].Value = "https://www.luton.gov.uk/\xff"
	if err := d.Validate(); err == nil {
		t.Errorf("Validate() with web contact %q = nil, want a problem at services[%d].contacts[0].value", d.Services[i].Contacts[0].Value, i)
	}
}

func TestDirectoryValidateLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // characters, not bytes
	tests := []struct {
		name   string
		mutate func(t *testing.T, d *directory.Directory) []string
	}{
		{"name at the limit accepted", func(t *testing.T, d *directory.Directory) []string {
			d.Services[serviceIndex(t, d, "mash")].Name = long(directory.MaxServiceName)
			return nil
		}},
		{"name over the limit rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Name = long(directory.MaxServiceName + 1)
			return []string{fmt.Sprintf("services[%d].name: is 121 characters long, more than 120", i)}
		}},
		{"description over the limit rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Description = long(directory.MaxDescription + 1)
			return []string{fmt.Sprintf("services[%d].description: is 601 characters long, more than 600", i)}
		}},
		{"alert over the limit rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Alert = long(directory.MaxAlert + 1)
			return []string{fmt.Sprintf("services[%d].alert: is 301 characters long, more than 300", i)}
		}},
		{"contact label and note over the limit rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Contacts[0].Label = long(directory.MaxContactText + 1)
			d.Services[i].Contacts[0].Note = long(directory.MaxContactText + 1)
			return []string{
				fmt.Sprintf("services[%d].contacts[0].label: is 201 characters long, more than 200", i),
				fmt.Sprintf("services[%d].contacts[0].note: is 201 characters long, more than 200", i),
			}
		}},
		{"too many contacts rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			c := d.Services[i].Contacts[0]
			d.Services[i].Contacts = nil
			for range directory.MaxContacts + 1 {
				d.Services[i].Contacts = append(d.Services[i].Contacts, c)
			}
			return []string{fmt.Sprintf("services[%d].contacts: has 11 contacts, more than the 10 a service may have", i)}
		}},
		{"too many keywords rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "mash")
			d.Services[i].Keywords = nil
			for k := range directory.MaxKeywords + 1 {
				d.Services[i].Keywords = append(d.Services[i].Keywords, fmt.Sprintf("word%d", k))
			}
			return []string{fmt.Sprintf("services[%d].keywords: has 51 keywords, more than the 50 a service may have", i)}
		}},
		{"too many services rejected", func(t *testing.T, d *directory.Directory) []string {
			s := d.Services[serviceIndex(t, d, "mash")]
			for k := len(d.Services); k <= directory.MaxServices; k++ {
				c := s.Clone()
				c.ID = fmt.Sprintf("extra-%d", k)
				d.Services = append(d.Services, c)
			}
			return []string{fmt.Sprintf("services: has %d services, more than the %d a directory may have", directory.MaxServices+1, directory.MaxServices)}
		}},
		{"canonical URL accepted", func(t *testing.T, d *directory.Directory) []string {
			d.Services[serviceIndex(t, d, "police-online")].Contacts[0].Value = "https://example.org/a%20b?q=1#top"
			return nil
		}},
		{"URL with markup rejected with its canonical form", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Contacts[0].Value = `https://example.org/"><b>`
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "https://example.org/\"><b>" is not written in canonical form; write it as "https://example.org/%%22%%3E%%3Cb%%3E"`, i)}
		}},
		{"partnership website not canonical rejected", func(t *testing.T, d *directory.Directory) []string {
			d.Partnership.Website = "https://example.org/a b"
			return []string{`partnership.website: "https://example.org/a b" is not a URL`}
		}},
		{"URL with unescaped non-ASCII path rejected", func(t *testing.T, d *directory.Directory) []string {
			i := serviceIndex(t, d, "police-online")
			d.Services[i].Contacts[0].Value = "https://example.org/café"
			return []string{fmt.Sprintf(`services[%d].contacts[0].value: "https://example.org/café" is not written in canonical form; write it as "https://example.org/caf%%C3%%A9"`, i)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDefault(t).Clone()
			want := tt.mutate(t, d)
			got := problemStrings(t, d.Validate())
			if !slices.Equal(got, want) {
				t.Errorf("Validate():\n got %q\nwant %q", got, want)
			}
		})
	}
}
