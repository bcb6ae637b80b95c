package directory

import (
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a directory, at a JSON-like path such as
// "services[3].contacts[1].value".
type Problem struct {
	Path string
	Msg  string
}

func (p Problem) String() string { return p.Path + ": " + p.Msg }

// ValidationError lists every problem found in a directory. It wraps
// ErrInvalid.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

type problems []Problem

func (ps *problems) add(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Limits on the size of a directory, checked by Validate. They keep a
// reply readable in a chat window and a directory small enough to hold in
// memory and to review; lengths count characters (runes), not bytes.
const (
	// MaxServiceName is the most characters a service name may have.
	MaxServiceName = 120
	// MaxDescription is the most characters a service description may
	// have.
	MaxDescription = 600
	// MaxAlert is the most characters a service alert may have.
	MaxAlert = 300
	// MaxContactText is the most characters a contact's label or note may
	// have.
	MaxContactText = 200
	// MaxContacts is the most contacts a service may have.
	MaxContacts = 10
	// MaxKeywords is the most keywords a service may have.
	MaxKeywords = 50
	// MaxServices is the most services a directory may have: twice the
	// 10,000 that search, validation and import are measured at
	// (docs/PERFORMANCE.md), far beyond any partnership's directory.
	MaxServices = 20000
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	districtPattern = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?$`)
	datePattern     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Validate checks the whole directory and returns nil or a
// *ValidationError (wrapping ErrInvalid) listing every problem, each with
// its path. It checks ids, required fields, phone numbers, URLs, emails,
// opening hours, postcode districts, dates and routes, that every route has
// a service, and that the emergency route's first service has a phone
// number available at all times.
func (d *Directory) Validate() error {
	var ps problems
	switch {
	case d.Schema > SchemaVersion:
		ps.add("schema", "version %d is newer than this whereto understands (%d)", d.Schema, SchemaVersion)
	case d.Schema < 0:
		ps.add("schema", "version %d is not a version", d.Schema)
	}
	checkText(&ps, "partnership.name", d.Partnership.Name, true)
	checkText(&ps, "partnership.area", d.Partnership.Area, true)
	checkText(&ps, "partnership.source", d.Partnership.Source, false)
	if d.Partnership.Website != "" {
		if err := checkURL(d.Partnership.Website); err != nil {
			ps.add("partnership.website", "%q %v", d.Partnership.Website, err)
		}
	}
	for i, a := range d.Partnership.About {
		checkText(&ps, fmt.Sprintf("partnership.about[%d]", i), a, true)
	}
	checkTranslations(&ps, "partnership", d.Partnership.Translations, func(tp string, w PartnershipWords) {
		if len(w.About) == 0 {
			ps.add(tp+".about", "is empty")
		}
		for i, a := range w.About {
			checkText(&ps, fmt.Sprintf("%s.about[%d]", tp, i), a, true)
		}
	})
	validateHolidays(&ps, d.BankHolidays)
	if len(d.Services) > MaxServices {
		ps.add("services", "has %d services, more than the %d a directory may have", len(d.Services), MaxServices)
	}
	seen := map[string]int{}
	for i, s := range d.Services {
		path := fmt.Sprintf("services[%d]", i)
		validateService(&ps, path, s)
		if s.ID == "" {
			continue
		}
		if j, dup := seen[s.ID]; dup {
			ps.add(path+".id", "%q is also the id of services[%d]", s.ID, j)
		} else {
			seen[s.ID] = i
		}
	}
	d.validateRoutes(&ps)
	for _, r := range d.RouteIDs() {
		var served []Service
		for _, s := range d.ServicesFor(r) {
			if ref, _ := s.RouteRef(r); s.Active() && !ref.Fallback {
				served = append(served, s)
			}
		}
		if len(served) == 0 {
			ps.add("routes", "route %q has no active service", r)
			continue
		}
		if r == RouteEmergency && !alwaysPhone(served[0]) {
			ps.add("routes", "route %q: its first active service %q has no phone number available at all times", r, served[0].ID)
		}
		if r == RouteEmergency && served[0].Local() {
			ps.add("routes", "route %q: its first active service %q must serve everywhere (no areas)", r, served[0].ID)
		}
	}
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// Validate checks one service on its own, with paths relative to it
// ("contacts[1].value"). It does not check routes that need the whole
// directory.
func (s Service) Validate() error {
	var ps problems
	validateService(&ps, "", s)
	if len(ps) > 0 {
		for i := range ps {
			ps[i].Path = strings.TrimPrefix(ps[i].Path, ".")
		}
		return &ValidationError{Problems: ps}
	}
	return nil
}

func alwaysPhone(s Service) bool {
	for _, c := range s.Contacts {
		if c.Kind == KindPhone && c.Hours == Always {
			return true
		}
	}
	return false
}

func validateService(ps *problems, path string, s Service) {
	switch {
	case s.ID == "":
		ps.add(path+".id", "is empty")
	case !idPattern.MatchString(s.ID):
		ps.add(path+".id", "%q must be lower-case letters, digits and single hyphens", s.ID)
	}
	checkText(ps, path+".name", s.Name, true)
	checkLength(ps, path+".name", s.Name, MaxServiceName)
	checkText(ps, path+".organisation", s.Organisation, false)
	checkText(ps, path+".description", s.Description, false)
	checkLength(ps, path+".description", s.Description, MaxDescription)
	checkText(ps, path+".source", s.Source, true)
	switch s.Status {
	case "", StatusActive, StatusInactive, StatusTemporarilyClosed:
	default:
		ps.add(path+".status", "%q is not %q, %q or %q", s.Status, StatusActive, StatusInactive, StatusTemporarilyClosed)
	}
	checkText(ps, path+".alert", s.Alert, false)
	checkLength(ps, path+".alert", s.Alert, MaxAlert)
	checkText(ps, path+".area_name", s.AreaName, false)
	checkText(ps, path+".review", s.Review, false)
	if s.Verified != "" && !isDate(s.Verified) {
		ps.add(path+".verified", "%q is not a date (YYYY-MM-DD)", s.Verified)
	}
	switch {
	case len(s.Contacts) == 0:
		ps.add(path+".contacts", "a service needs at least one contact")
	case len(s.Contacts) > MaxContacts:
		ps.add(path+".contacts", "has %d contacts, more than the %d a service may have", len(s.Contacts), MaxContacts)
	}
	for j, c := range s.Contacts {
		cp := fmt.Sprintf("%s.contacts[%d]", path, j)
		validateContact(ps, cp, c)
		if c.Hours != Always && s.Hours == nil {
			ps.add(cp+".hours", "%q needs the service to have opening hours", c.Hours)
		}
	}
	if s.Hours != nil {
		validateSchedule(ps, path+".hours", *s.Hours)
	}
	for j, a := range s.Areas {
		if !districtPattern.MatchString(a) {
			ps.add(fmt.Sprintf("%s.areas[%d]", path, j), "%q is not a postcode district (like LU1)", a)
		}
	}
	if len(s.Routes) == 0 {
		ps.add(path+".routes", "a service needs at least one route")
	}
	var routes []Route
	for j, r := range s.Routes {
		rp := fmt.Sprintf("%s.routes[%d]", path, j)
		switch {
		case r.Route == "":
			ps.add(rp+".route", "is empty")
		case !ValidRouteID(string(r.Route)):
			ps.add(rp+".route", "%q is not a route id", r.Route)
		case slices.Contains(routes, r.Route):
			ps.add(rp+".route", "%q is listed twice", r.Route)
		}
		routes = append(routes, r.Route)
		if r.Order < 0 {
			ps.add(rp+".order", "%d is negative", r.Order)
		}
		for k, w := range r.When {
			wp := fmt.Sprintf("%s.when[%d]", rp, k)
			checkText(ps, wp, w, true)
			if w != strings.ToLower(w) {
				ps.add(wp, "%q must be lower case", w)
			}
		}
	}
	if len(s.Keywords) > MaxKeywords {
		ps.add(path+".keywords", "has %d keywords, more than the %d a service may have", len(s.Keywords), MaxKeywords)
	}
	for j, k := range s.Keywords {
		checkText(ps, fmt.Sprintf("%s.keywords[%d]", path, j), k, true)
	}
	checkTranslations(ps, path, s.Translations, func(tp string, w ServiceWords) {
		checkText(ps, tp+".description", w.Description, true)
		checkLength(ps, tp+".description", w.Description, MaxDescription)
	})
}

// checkText rejects text that would render badly or confuse a person:
// invalid UTF-8, control characters, and (if required) emptiness.
func checkText(ps *problems, path, s string, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		ps.add(path, "is empty")
	case !utf8.ValidString(s):
		ps.add(path, "is not valid UTF-8")
	case strings.ContainsFunc(s, isControl):
		ps.add(path, "contains a control character")
	}
}

// isControl reports characters that must not appear in directory text: C0
// and C1 controls, line and paragraph separators, and the bidirectional
// overrides that can make text display differently from what it says.
func isControl(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// checkLength rejects text longer than max characters.
func checkLength(ps *problems, path, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		ps.add(path, "is %d characters long, more than %d", n, max)
	}
}

func validateContact(ps *problems, path string, c Contact) {
	checkText(ps, path+".label", c.Label, false)
	checkLength(ps, path+".label", c.Label, MaxContactText)
	checkText(ps, path+".note", c.Note, false)
	checkLength(ps, path+".note", c.Note, MaxContactText)
	checkTranslations(ps, path, c.Translations, func(tp string, w ContactWords) {
		if strings.TrimSpace(w.Label) == "" && strings.TrimSpace(w.Note) == "" {
			ps.add(tp, "has neither a label nor a note")
		}
		for _, f := range []struct{ name, translated, english string }{{"label", w.Label, c.Label}, {"note", w.Note, c.Note}} {
			if f.translated == "" {
				continue
			}
			fp := tp + "." + f.name
			checkText(ps, fp, f.translated, false)
			checkLength(ps, fp, f.translated, MaxContactText)
			if strings.TrimSpace(f.english) == "" {
				ps.add(fp, "the contact has no English %s to translate", f.name)
			}
		}
	})
	switch c.Hours {
	case Always, InHours, OutOfHours:
	default:
		ps.add(path+".hours", "%q is not one of %q, %q or empty (always)", c.Hours, InHours, OutOfHours)
	}
	v := c.Value
	if checkText(ps, path+".value", v, true); v != strings.TrimSpace(v) {
		ps.add(path+".value", "%q has spaces at the start or end", v)
		return
	}
	switch c.Kind {
	case KindPhone:
		if !IsUKPhone(v) {
			ps.add(path+".value", "%q is not a UK phone number", v)
		}
	case KindText:
		if !IsUKPhone(v) && !isShortCode(v) {
			ps.add(path+".value", "%q is not a UK number or SMS short code", v)
		}
	case KindWeb:
		if err := checkURL(v); err != nil {
			ps.add(path+".value", "%q %v", v, err)
		}
	case KindEmail:
		if !IsEmail(v) {
			ps.add(path+".value", "%q is not an email address", v)
		}
	default:
		ps.add(path+".kind", "%q is not one of phone, text, web, email", c.Kind)
	}
}

func validateSchedule(ps *problems, path string, h Schedule) {
	if len(h.Weekly) == 0 {
		ps.add(path+".weekly", "opening hours need at least one period")
	}
	checkText(ps, path+".note", h.Note, false)
	switch h.BankHolidays {
	case "", BankHolidaysClosed, BankHolidaysOpen:
	default:
		ps.add(path+".bank_holidays", "%q is not %q or %q", h.BankHolidays, BankHolidaysClosed, BankHolidaysOpen)
	}
	dates := map[string]int{}
	for i, e := range h.Exceptions {
		ep := fmt.Sprintf("%s.exceptions[%d]", path, i)
		switch {
		case !isDate(e.Date):
			ps.add(ep+".date", "%q is not a date (YYYY-MM-DD)", e.Date)
		default:
			if j, dup := dates[e.Date]; dup {
				ps.add(ep+".date", "%q is also exceptions[%d]", e.Date, j)
			}
			dates[e.Date] = i
		}
		checkText(ps, ep+".note", e.Note, false)
		if e.Closed {
			if e.Opens != "" || e.Closes != "" {
				ps.add(ep, "a closed day has no opening times")
			}
			continue
		}
		opens, err := parseClock(e.Opens)
		if err != nil {
			ps.add(ep+".opens", "%v (or set closed)", err)
		}
		closes, err2 := parseClock(e.Closes)
		if err2 != nil {
			ps.add(ep+".closes", "%v (or set closed)", err2)
		}
		if err == nil && err2 == nil && closes <= opens {
			ps.add(ep+".closes", "%q is not after opens %q", e.Closes, e.Opens)
		}
	}
	for i, p := range h.Weekly {
		pp := fmt.Sprintf("%s.weekly[%d]", path, i)
		if len(p.Days) == 0 {
			ps.add(pp+".days", "is empty")
		}
		for j, d := range p.Days {
			if !slices.Contains(dayNames[:], d) {
				ps.add(fmt.Sprintf("%s.days[%d]", pp, j), "%q is not a day (mon, tue, wed, thu, fri, sat, sun)", d)
			}
		}
		opens, err := parseClock(p.Opens)
		if err != nil {
			ps.add(pp+".opens", "%v", err)
		}
		closes, err2 := parseClock(p.Closes)
		if err2 != nil {
			ps.add(pp+".closes", "%v", err2)
		}
		if err == nil && err2 == nil && closes <= opens {
			ps.add(pp+".closes", "%q is not after opens %q", p.Closes, p.Opens)
		}
	}
}

// isDate reports whether s is a real calendar date written YYYY-MM-DD.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && datePattern.MatchString(s)
}

// IsUKPhone reports whether s is a UK phone number a person can dial: the
// emergency and service numbers 999, 112, 101, 105, 111, 119 and 159 (Stop
// Scams UK); the
// European 116 numbers (116 xxx); Relay UK prefixes (18000, or 18001/18002
// before a number); or a national number of 10 or 11 digits starting 01, 02,
// 03, 05, 07, 08 or 09 (freephone 0800 also as 0800 1111). Spaces, hyphens
// and a leading +44 are allowed.
func IsUKPhone(s string) bool {
	d, ok := phoneDigits(s)
	if !ok {
		return false
	}
	switch d {
	case "999", "112", "101", "105", "111", "119", "159", "18000":
		return true
	}
	if len(d) == 6 && strings.HasPrefix(d, "116") {
		return true
	}
	if (strings.HasPrefix(d, "18001") || strings.HasPrefix(d, "18002")) && len(d) > 5 {
		rest := d[5:]
		return rest != "18000" && IsUKPhone(rest) && !strings.HasPrefix(rest, "1800")
	}
	return isNational(d)
}

func isNational(d string) bool {
	if len(d) < 2 || d[0] != '0' {
		return false
	}
	switch d[1] {
	case '1', '2', '3', '5', '7', '8', '9':
	default:
		return false
	}
	if d == "08001111" { // Childline's short freephone number
		return true
	}
	return len(d) == 10 || len(d) == 11
}

// phoneDigits strips the separators people write in numbers and turns +44
// into 0. It fails on any other character, such as a letter O for a zero.
func phoneDigits(s string) (string, bool) {
	s = strings.Trim(s, " ")
	if strings.HasPrefix(s, "+44") {
		s = "0" + strings.TrimPrefix(strings.Trim(strings.TrimPrefix(s, "+44"), " "), "(0)")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// isShortCode reports whether s is an SMS short code (5 or 6 digits).
func isShortCode(s string) bool {
	d, ok := phoneDigits(s)
	return ok && (len(d) == 5 || len(d) == 6) && d[0] != '0'
}

// checkURL accepts absolute http and https URLs with a host that has a dot,
// written in their canonical escaped form (as url.Parse(s).String() writes
// them), so that what a person is shown is exactly where the link goes and
// no quote or angle bracket reaches a rendered message.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || strings.ContainsFunc(s, unicode.IsSpace) || !utf8.ValidString(s) {
		return fmt.Errorf("is not a URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("is not an http or https URL")
	}
	host := u.Hostname()
	if host == "" || !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return fmt.Errorf("has no host name")
	}
	if u.User != nil {
		return fmt.Errorf("must not carry a user name or password")
	}
	if canon := u.String(); canon != s {
		return fmt.Errorf("is not written in canonical form; write it as %q", canon)
	}
	return nil
}

// IsEmail reports whether s is a bare email address (no display name) with
// a domain that has a dot.
func IsEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.ContainsAny(domain, "[]") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
