package directory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file maps the directory onto Open Referral UK, the UK profile of the
// Human Services Data Specification (HSDS) 3.0. docs/DIRECTORY.md has the
// mapping as a table; keep the two in step.

// Format names a directory file format.
type Format string

// Formats DetectFormat tells apart.
const (
	// FormatWhereto is whereto's own JSON document, read by Parse and
	// written by Export.
	FormatWhereto Format = "whereto"
	// FormatOpenReferral is Open Referral UK (HSDS 3) JSON, read by
	// ParseOpenReferral and written by ExportOpenReferral.
	FormatOpenReferral Format = "openreferral"
)

// ErrFormat is returned by DetectFormat and ParseOpenReferral for a document
// that is neither whereto's format nor Open Referral UK JSON, or is the wrong
// one of the two.
var ErrFormat = errors.New("directory: not a whereto or Open Referral UK document")

// OpenReferralTaxonomy is the taxonomy_id of the taxonomy terms whereto uses
// in HSDS attributes for what the standard has no field for (routes,
// keywords, source, review, contact labels, notes and hours). Attributes from
// other taxonomies are ignored on import.
const OpenReferralTaxonomy = "whereto"

// Taxonomy term names in the whereto taxonomy. Route and fallback terms are
// prefixes followed by a route id ("route:report-crime").
const (
	termRoute        = "route:"
	termFallback     = "fallback:"
	termWhen         = "when:"
	termKeyword      = "keyword"
	termSource       = "source"
	termReview       = "review"
	termAreaName     = "area-name"
	termBankHolidays = "bank-holidays"
	termContactOrder = "contact-order"
	termURL          = "url"
	termEmail        = "email"
	termContactLabel = "contact-label"
	termContactNote  = "contact-note"
	termContactHours = "contact-hours"
	termTranslation  = "description:"
	termReviewed     = "reviewed:"
	termInterpreters = "interpreters"
	// Translations of a contact's words, followed by a language code
	// ("contact-label:pl").
	termContactLabelIn    = "contact-label:"
	termContactNoteIn     = "contact-note:"
	termContactReviewedIn = "contact-reviewed:"
)

// interpretationServices is the HSDS interpretation_services text written
// for a service with interpreters, for other directories' readers. Import
// reads the interpreters attribute and ignores interpretation_services,
// whatever its type: other publishers' free text does not say that
// saying the language's name is enough.
const interpretationServices = "Say the name of your language in English and the service will find an interpreter."

// termDescription is the taxonomy term description HSDS requires, for a
// term name of the whereto taxonomy.
func termDescription(name string) string {
	switch {
	case strings.HasPrefix(name, termRoute):
		return "whereto recommends the service on route " + strings.TrimPrefix(name, termRoute) + "; the value is its order, lowest first"
	case strings.HasPrefix(name, termFallback):
		return "On route " + strings.TrimPrefix(name, termFallback) + ", shown only to people whom no other service on the route serves"
	case strings.HasPrefix(name, termWhen):
		return "On route " + strings.TrimPrefix(name, termWhen) + ", offered first only to people whose message uses this word"
	case strings.HasPrefix(name, termTranslation):
		return "The description in language " + strings.TrimPrefix(name, termTranslation)
	case strings.HasPrefix(name, termReviewed):
		return "The description in language " + strings.TrimPrefix(name, termReviewed) + " was confirmed by a native speaker"
	case strings.HasPrefix(name, termContactLabelIn):
		return "What the contact named by link_id is for, in language " + strings.TrimPrefix(name, termContactLabelIn)
	case strings.HasPrefix(name, termContactNoteIn):
		return "The instruction shown with the contact named by link_id, in language " + strings.TrimPrefix(name, termContactNoteIn)
	case strings.HasPrefix(name, termContactReviewedIn):
		return "The words of the contact named by link_id in language " + strings.TrimPrefix(name, termContactReviewedIn) + " were confirmed by a native speaker"
	}
	switch name {
	case termKeyword:
		return "A word people use to find the service"
	case termSource:
		return "Where the details were copied from"
	case termReview:
		return "What the partnership must still check before relying on the entry"
	case termAreaName:
		return "The area served, as people say it"
	case termBankHolidays:
		return "Whether the weekly schedules apply on bank holidays (open) or not (closed)"
	case termContactOrder:
		return "The order in which the contacts are offered, by id"
	case termURL:
		return "A further web address for the service; link_id names the contact"
	case termEmail:
		return "A further email address for the service; link_id names the contact"
	case termContactLabel:
		return "What the contact named by link_id is for"
	case termContactNote:
		return "An instruction shown with the contact named by link_id"
	case termContactHours:
		return "When the contact named by link_id applies: in-hours or out-of-hours of the service's schedules"
	case termInterpreters:
		return "The service finds an interpreter when a caller says the name of their language in English"
	}
	return ""
}

// The HSDS 3.0 objects whereto writes and reads. Field order is the order
// of the written JSON. Fields whereto does not use are not declared, so
// that the many other fields of Open Referral UK feeds are ignored.
type (
	orService struct {
		ID                     string          `json:"id"`
		Name                   string          `json:"name"`
		Description            string          `json:"description,omitempty"`
		URL                    string          `json:"url,omitempty"`
		Email                  string          `json:"email,omitempty"`
		Status                 string          `json:"status"`
		InterpretationServices json.RawMessage `json:"interpretation_services,omitempty"`
		AssuredDate            string          `json:"assured_date,omitempty"`
		Alert                  string          `json:"alert,omitempty"`
		Organization           *orOrganization `json:"organization,omitempty"`
		Phones                 []orPhone       `json:"phones,omitempty"`
		Schedules              []orSchedule    `json:"schedules,omitempty"`
		ServiceAreas           []orServiceArea `json:"service_areas,omitempty"`
		Attributes             []orAttribute   `json:"attributes,omitempty"`
	}
	orOrganization struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	orPhone struct {
		ID          string `json:"id"`
		Number      string `json:"number"`
		Type        string `json:"type,omitempty"`
		Description string `json:"description,omitempty"`
	}
	orSchedule struct {
		ID        string `json:"id"`
		ValidFrom string `json:"valid_from,omitempty"`
		ValidTo   string `json:"valid_to,omitempty"`
		Freq      string `json:"freq,omitempty"`
		// Interval is read (HSDS types it as a number, some feeds write a
		// string) and never written.
		Interval    json.RawMessage `json:"interval,omitempty"`
		ByDay       string          `json:"byday,omitempty"`
		OpensAt     string          `json:"opens_at,omitempty"`
		ClosesAt    string          `json:"closes_at,omitempty"`
		Description string          `json:"description,omitempty"`
		Notes       string          `json:"notes,omitempty"`
	}
	orServiceArea struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
		Extent      string `json:"extent,omitempty"`
		ExtentType  string `json:"extent_type,omitempty"`
	}
	orAttribute struct {
		ID             string         `json:"id"`
		LinkID         string         `json:"link_id"`
		LinkEntity     string         `json:"link_entity"`
		TaxonomyTermID string         `json:"taxonomy_term_id"`
		Value          string         `json:"value"`
		TaxonomyTerm   orTaxonomyTerm `json:"taxonomy_term"`
	}
	orTaxonomyTerm struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		TaxonomyID  string `json:"taxonomy_id"`
		// Vocabulary is Open Referral UK 2's name for the taxonomy; read,
		// never written.
		Vocabulary string `json:"vocabulary,omitempty"`
	}
)

// ExportOpenReferral writes d as Open Referral UK JSON: an indented array of
// HSDS 3.0 service objects, one per service in directory order, each with
// its organization, phones, schedules, service areas and whereto's
// attributes embedded. The output is deterministic: ids derive from service
// ids and positions, and keys follow a fixed order. Partnership and bank
// holidays are not part of it. d should be valid; fields of an invalid
// directory that the mapping has no place for are left out. It returns only
// write errors.
func (d *Directory) ExportOpenReferral(w io.Writer) error {
	out := make([]orService, len(d.Services))
	for i, s := range d.Services {
		out[i] = toOpenReferral(s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// numberedID is an id derived from a service id: "mash-phone-1". Phones
// and texts are numbered among the phones, web and email contacts among
// their kind, schedules and attributes in their lists.
func numberedID(sid, infix string, n int) string {
	return sid + "-" + infix + "-" + strconv.Itoa(n)
}

func toOpenReferral(s Service) orService {
	o := orService{
		ID:          s.ID,
		Name:        s.Name,
		Description: s.Description,
		Status:      string(s.Status),
		AssuredDate: s.Verified,
		Alert:       s.Alert,
	}
	if s.Status == "" {
		o.Status = string(StatusActive)
	}
	if s.Interpreters {
		o.InterpretationServices, _ = json.Marshal(interpretationServices)
	}
	if s.Organisation != "" {
		id := slug(s.Organisation)
		if id == "" {
			id = s.ID + "-organization"
		}
		// HSDS requires an organization description; whereto has none, so
		// the name stands in.
		o.Organization = &orOrganization{ID: id, Name: s.Organisation, Description: s.Organisation}
	}

	attrs := attributeWriter{sid: s.ID}
	for _, r := range s.Routes {
		name := termRoute + string(r.Route)
		attrs.add(s.ID, "service", name, strconv.Itoa(r.Order))
		if r.Fallback {
			attrs.add(s.ID, "service", termFallback+string(r.Route), "true")
		}
		for _, w := range r.When {
			attrs.add(s.ID, "service", termWhen+string(r.Route), w)
		}
	}
	for _, k := range s.Keywords {
		attrs.add(s.ID, "service", termKeyword, k)
	}
	if s.Source != "" {
		attrs.add(s.ID, "service", termSource, s.Source)
	}
	if s.Review != "" {
		attrs.add(s.ID, "service", termReview, s.Review)
	}
	if s.AreaName != "" && len(s.Areas) == 0 {
		attrs.add(s.ID, "service", termAreaName, s.AreaName)
	}
	if s.Hours != nil && s.Hours.BankHolidays != "" {
		attrs.add(s.ID, "service", termBankHolidays, s.Hours.BankHolidays)
	}
	if s.Interpreters {
		attrs.add(s.ID, "service", termInterpreters, "true")
	}

	// Contacts: phones and texts become phones; the first web and email
	// contacts become the service's url and email, further ones attributes.
	ids := make([]string, len(s.Contacts))
	var phones, webs, emails []string
	for i, c := range s.Contacts {
		switch c.Kind {
		case KindPhone, KindText:
			ids[i] = numberedID(s.ID, "phone", len(phones)+1)
			phones = append(phones, ids[i])
			typ := "voice"
			if c.Kind == KindText {
				typ = "text"
			}
			o.Phones = append(o.Phones, orPhone{ID: ids[i], Number: c.Value, Type: typ, Description: phoneDescription(c.Label, c.Note)})
		case KindWeb:
			ids[i] = numberedID(s.ID, "web", len(webs)+1)
			webs = append(webs, ids[i])
			if len(webs) == 1 {
				o.URL = c.Value
			}
		case KindEmail:
			ids[i] = numberedID(s.ID, "email", len(emails)+1)
			emails = append(emails, ids[i])
			if len(emails) == 1 {
				o.Email = c.Value
			}
		}
	}
	canonical := slices.Concat(phones, webs, emails)
	if written := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == "" }); !slices.Equal(written, canonical) {
		attrs.add(s.ID, "service", termContactOrder, strings.Join(written, " "))
	}
	for i, c := range s.Contacts {
		id := ids[i]
		switch {
		case id == "":
			continue
		case c.Kind == KindWeb && id != webs[0]:
			attrs.add(id, "service", termURL, c.Value)
		case c.Kind == KindEmail && id != emails[0]:
			attrs.add(id, "service", termEmail, c.Value)
		}
		entity := "service"
		if c.Kind == KindPhone || c.Kind == KindText {
			entity = "phone"
		} else if c.Label != "" {
			attrs.add(id, entity, termContactLabel, c.Label)
		}
		if c.Note != "" {
			attrs.add(id, entity, termContactNote, c.Note)
		}
		if c.Hours != Always {
			attrs.add(id, entity, termContactHours, string(c.Hours))
		}
		for _, lang := range slices.Sorted(maps.Keys(c.Translations)) {
			w := c.Translations[lang]
			if w.Label != "" {
				attrs.add(id, entity, termContactLabelIn+lang, w.Label)
			}
			if w.Note != "" {
				attrs.add(id, entity, termContactNoteIn+lang, w.Note)
			}
			if w.Reviewed {
				attrs.add(id, entity, termContactReviewedIn+lang, "true")
			}
		}
	}
	for _, lang := range slices.Sorted(maps.Keys(s.Translations)) {
		w := s.Translations[lang]
		attrs.add(s.ID, "service", termTranslation+lang, w.Description)
		if w.Reviewed {
			attrs.add(s.ID, "service", termReviewed+lang, "true")
		}
	}
	o.Attributes = attrs.list

	if h := s.Hours; h != nil {
		n := 0
		next := func() string { n++; return numberedID(s.ID, "schedule", n) }
		for _, p := range h.Weekly {
			days := make([]string, len(p.Days))
			for j, d := range p.Days {
				days[j] = icalDay(d)
			}
			o.Schedules = append(o.Schedules, orSchedule{
				ID:          next(),
				Freq:        "WEEKLY",
				ByDay:       strings.Join(days, ","),
				OpensAt:     p.Opens,
				ClosesAt:    hsdsClose(p.Closes),
				Description: weeklyDescription(p, h.BankHolidays),
				Notes:       h.Note,
			})
		}
		for _, e := range h.Exceptions {
			sc := orSchedule{ID: next(), ValidFrom: e.Date, ValidTo: e.Date, Description: "closed", Notes: e.Note}
			if !e.Closed {
				sc.OpensAt, sc.ClosesAt = e.Opens, e.Closes
				sc.Description = "open " + e.Opens + "-" + e.Closes
			}
			o.Schedules = append(o.Schedules, sc)
		}
	}
	for _, a := range s.Areas {
		o.ServiceAreas = append(o.ServiceAreas, orServiceArea{
			ID:          s.ID + "-area-" + a,
			Name:        a,
			Description: s.AreaName,
			Extent:      a,
			ExtentType:  "text",
		})
	}
	return o
}

// attributeWriter numbers the attributes of one service.
type attributeWriter struct {
	sid  string
	list []orAttribute
}

func (w *attributeWriter) add(linkID, entity, term, value string) {
	termID := OpenReferralTaxonomy + ":" + term
	w.list = append(w.list, orAttribute{
		ID:             numberedID(w.sid, "attribute", len(w.list)+1),
		LinkID:         linkID,
		LinkEntity:     entity,
		TaxonomyTermID: termID,
		Value:          value,
		TaxonomyTerm: orTaxonomyTerm{
			ID:          termID,
			Name:        term,
			Description: termDescription(term),
			TaxonomyID:  OpenReferralTaxonomy,
		},
	})
}

// phoneSeparator joins a phone's label and note in its description. The
// note is also written as a contact-note attribute, which tells the reader
// where the label ends.
const phoneSeparator = " — "

func phoneDescription(label, note string) string {
	switch {
	case note == "":
		return label
	case label == "":
		return note
	}
	return label + phoneSeparator + note
}

// phoneLabel undoes phoneDescription given the note.
func phoneLabel(description, note string) string {
	switch {
	case note == "":
		return description
	case strings.HasSuffix(description, phoneSeparator+note):
		return strings.TrimSuffix(description, phoneSeparator+note)
	case description == note:
		return ""
	}
	return description
}

func weeklyDescription(p Period, bankHolidays string) string {
	out := daysString(p.Days) + " " + p.Opens + "-" + p.Closes + ", Europe/London local time"
	if bankHolidays == BankHolidaysOpen {
		return out + "; also on bank holidays"
	}
	return out + "; closed on bank holidays"
}

// icalDays are the RFC 5545 weekday codes, in dayNames order.
var icalDays = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

func icalDay(d string) string {
	if i := slices.Index(dayNames[:], d); i >= 0 {
		return icalDays[i]
	}
	return strings.ToUpper(d)
}

// slug turns a name into lower-case letters and digits joined by single
// hyphens: "GOV.UK" becomes "gov-uk".
func slug(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	return b.String()
}

// DetectFormat tells whereto's format from Open Referral UK JSON by reading
// the start of data: whereto's document is an object with "schema",
// "partnership" or "bank_holidays", or whose services have whereto fields
// such as "routes"; Open Referral UK is an array of services, or an object
// with "contents" (a paginated API page) or with "services" holding HSDS
// service objects. It returns an error wrapping ErrFormat for anything else.
//
// Once the format is known, it checks the whole of data with CheckJSON, so
// that every reader of either format refuses invalid UTF-8, repeated keys
// and trailing data: the error then wraps ErrMalformed.
func DetectFormat(data []byte) (Format, error) {
	f, err := detectFormat(data)
	if err != nil {
		return "", err
	}
	if err := CheckJSON(data); err != nil {
		return "", err
	}
	return f, nil
}

// detectFormat is DetectFormat without the strict check.
func detectFormat(data []byte) (Format, error) {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte(utf8BOM))))
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	switch tok {
	case json.Delim('['):
		if !dec.More() {
			return FormatOpenReferral, nil
		}
		var first json.RawMessage
		if err := dec.Decode(&first); err != nil {
			return "", fmt.Errorf("%w: %v", ErrFormat, err)
		}
		if bytes.HasPrefix(first, []byte("{")) {
			return FormatOpenReferral, nil
		}
		return "", fmt.Errorf("%w: an array, but not of service objects", ErrFormat)
	case json.Delim('{'):
	default:
		return "", fmt.Errorf("%w: not a JSON object or array", ErrFormat)
	}
	sawServices := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrFormat, err)
		}
		switch tok {
		case "schema", "partnership", "bank_holidays":
			return FormatWhereto, nil
		case "contents", "total_items", "total_pages", "page_number":
			return FormatOpenReferral, nil
		case "services":
			f, err := detectServices(dec)
			if err != nil {
				return "", err
			}
			if f != "" {
				return f, nil
			}
			sawServices = true
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", fmt.Errorf("%w: %v", ErrFormat, err)
			}
		}
	}
	if sawServices {
		// Services with neither format's own fields (only id, name and
		// the like): a bare HSDS list.
		return FormatOpenReferral, nil
	}
	return "", fmt.Errorf("%w: an object without \"services\" or \"contents\"", ErrFormat)
}

// utf8BOM is the byte order mark some tools put before JSON.
const utf8BOM = "\xef\xbb\xbf"

// detectServices reads a "services" array and reports the format its first
// decisive item belongs to, or "" if none is.
func detectServices(dec *json.Decoder) (Format, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if tok != json.Delim('[') {
		return "", fmt.Errorf("%w: \"services\" is not an array", ErrFormat)
	}
	for dec.More() {
		var item map[string]json.RawMessage
		if err := dec.Decode(&item); err != nil {
			return "", fmt.Errorf("%w: \"services\" holds something other than objects: %v", ErrFormat, err)
		}
		for k := range item {
			switch k {
			// Fields of a whereto service that HSDS services lack.
			case "routes", "keywords", "source", "verified", "organisation", "areas", "area_name", "review", "hours":
				return FormatWhereto, nil
			}
		}
		for k := range item {
			switch k {
			// Fields of an HSDS service that whereto services lack.
			case "phones", "schedules", "service_areas", "service_at_locations", "organization", "organization_id",
				"url", "email", "attributes", "assured_date", "eligibility_description", "languages", "last_modified":
				return FormatOpenReferral, nil
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return "", fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return "", nil
}

// RecordResult is the outcome of reading one service record of an Open
// Referral UK document.
type RecordResult struct {
	// Index is the record's position in the document's list of services.
	Index int
	// ID is the record's id as written, possibly empty.
	ID string
	// Err is nil if the service was read, or a *RecordError saying why it
	// was rejected.
	Err error
}

// RecordError says why an Open Referral UK record was rejected: every
// problem found, at HSDS paths within the record ("phones[0].number"). It
// wraps ErrInvalid.
type RecordError struct {
	Index    int
	ID       string
	Problems []Problem
}

// Error writes one line per problem, each naming the record:
// services[2] "mash": phones[0].number: "01582 51O 330" is not a UK phone number
func (e *RecordError) Error() string {
	prefix := "services[" + strconv.Itoa(e.Index) + "]"
	if e.ID != "" {
		prefix += " " + strconv.Quote(e.ID)
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		if p.Path == "" {
			lines[i] = prefix + ": " + p.Msg
		} else {
			lines[i] = prefix + ": " + p.String()
		}
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *RecordError) Unwrap() error { return ErrInvalid }

// ParseOpenReferral reads Open Referral UK JSON (an array of HSDS 3
// services, or an object with "services" or "contents") into whereto
// services. It returns one RecordResult per service record, in document
// order, and a Directory holding the services read, in the same order, with
// Schema set and Partnership and BankHolidays empty: the caller merges them
// into a directory and validates that. Each service read passes
// Service.Validate; a record that does not, or that uses HSDS in a way
// whereto cannot represent, or repeats an earlier record's id, is rejected
// with a *RecordError and left out. Fields whereto does not use, and
// attributes of other taxonomies, are ignored. The error is non-nil only
// when the document as a whole cannot be read: not JSON, too large, not Open
// Referral UK (ErrFormat), or whereto's own format (ErrFormat; use Parse).
func ParseOpenReferral(r io.Reader) (*Directory, []RecordResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err != nil {
		return nil, nil, fmt.Errorf("directory: reading Open Referral UK JSON: %w", err)
	}
	if len(data) > maxDocument {
		return nil, nil, fmt.Errorf("directory: reading Open Referral UK JSON: larger than %d MiB", maxDocument>>20)
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	format, err := DetectFormat(data)
	if err != nil {
		return nil, nil, err
	}
	if format != FormatOpenReferral {
		return nil, nil, fmt.Errorf("%w: this is whereto's own format, not Open Referral UK", ErrFormat)
	}
	records, decodeProblems, err := openReferralRecords(data)
	if err != nil {
		return nil, nil, err
	}

	d := &Directory{Schema: SchemaVersion}
	results := make([]RecordResult, len(records))
	seen := make(map[string]int, len(records))
	for i, o := range records {
		var ps []Problem
		var id string
		switch {
		case decodeProblems[i] != nil:
			id, ps = decodeProblems[i].id, []Problem{decodeProblems[i].problem}
		case o == nil:
			ps = []Problem{{Msg: "is null, not a service object"}}
		default:
			id = o.ID
		}
		results[i] = RecordResult{Index: i, ID: id}
		var s Service
		if ps == nil {
			s, ps = o.service()
		}
		if id != "" {
			if j, dup := seen[id]; dup {
				ps = append(ps, Problem{Path: "id", Msg: fmt.Sprintf("%q is also the id of services[%d]", id, j)})
			} else {
				seen[id] = i
			}
		}
		if len(ps) > 0 {
			results[i].Err = &RecordError{Index: i, ID: id, Problems: ps}
			continue
		}
		d.Services = append(d.Services, s)
	}
	return d, results, nil
}

// decodeProblem is why a record did not decode as an HSDS service.
type decodeProblem struct {
	id      string
	problem Problem
}

// openReferralRecords decodes the service records of a document that
// DetectFormat judged to be Open Referral UK: a nil record was null, and
// problems[i], if not nil, says why record i did not decode. It decodes the
// whole list in one pass and, only if that fails, record by record.
func openReferralRecords(data []byte) (records []*orService, problems []*decodeProblem, err error) {
	array := false
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		array = true
	}
	if array {
		if json.Unmarshal(data, &records) == nil {
			return records, make([]*decodeProblem, len(records)), nil
		}
	} else {
		var page struct {
			Services *[]*orService `json:"services"`
			Contents *[]*orService `json:"contents"`
		}
		if json.Unmarshal(data, &page) == nil {
			switch {
			case page.Services != nil:
				records = *page.Services
			case page.Contents != nil:
				records = *page.Contents
			default:
				return nil, nil, fmt.Errorf("%w: no \"services\" or \"contents\" list", ErrFormat)
			}
			return records, make([]*decodeProblem, len(records)), nil
		}
	}

	// Some record has fields of the wrong JSON type, or the document is
	// not JSON: find which.
	var raws []json.RawMessage
	if array {
		err = json.Unmarshal(data, &raws)
	} else {
		var page struct {
			Services *[]json.RawMessage `json:"services"`
			Contents *[]json.RawMessage `json:"contents"`
		}
		err = json.Unmarshal(data, &page)
		switch {
		case err != nil:
		case page.Services != nil:
			raws = *page.Services
		case page.Contents != nil:
			raws = *page.Contents
		default:
			return nil, nil, fmt.Errorf("%w: no \"services\" or \"contents\" list", ErrFormat)
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("directory: reading Open Referral UK JSON: %w", err)
	}
	records = make([]*orService, len(raws))
	problems = make([]*decodeProblem, len(raws))
	for i, raw := range raws {
		if string(raw) == "null" {
			continue
		}
		var o orService
		if err := json.Unmarshal(raw, &o); err != nil {
			problems[i] = &decodeProblem{id: probeID(raw), problem: jsonProblem(err)}
			continue
		}
		records[i] = &o
	}
	return records, problems, nil
}

// probeID returns the id of a record that did not decode as a service, if
// it has a string id.
func probeID(raw json.RawMessage) string {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	var id string
	if json.Unmarshal(raw, &p) == nil && json.Unmarshal(p.ID, &id) == nil {
		return id
	}
	return ""
}

// jsonProblem describes a record that does not have the JSON types of an
// HSDS service.
func jsonProblem(err error) Problem {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return Problem{Msg: "reading JSON: " + err.Error()}
	}
	if te.Field == "" {
		return Problem{Msg: "is a JSON " + te.Value + ", not a service object"}
	}
	want := "a string"
	if te.Type != nil {
		switch te.Type.Kind() {
		case reflect.Slice:
			want = "an array"
		case reflect.Struct, reflect.Pointer, reflect.Map:
			want = "an object"
		}
	}
	return Problem{Path: te.Field, Msg: "is a JSON " + te.Value + ", want " + want}
}

// source records where each part of a service read from Open Referral UK
// came from, so that Service.Validate's paths can be given as HSDS paths.
// Indices are -1 where absent.
type source struct {
	contacts     []contactSource
	weekly       []int // schedules index of each weekly period
	exceptions   []int // schedules index of each exception
	routes       []int // attributes index of each route
	keywords     []int
	areas        []int // service_areas index of each area
	src, review  int
	areaName     int  // attributes index of area-name
	areaNameArea bool // area name read from service_areas descriptions
	bankHolidays int
	interpreters int
	translations map[string]int // attributes index of each description:<lang>
}

type contactSource struct {
	phone     int // phones index, or -1
	valueAttr int // attributes index of a further url or email, or -1
	kind      ContactKind
	label     int // attributes index of contact-label
	note      int
	hours     int
	// Attributes index of each contact-label:<lang>, contact-note:<lang>
	// and contact-reviewed:<lang>, by language.
	labelIn, noteIn, reviewedIn map[string]int
}

func attrPath(k int, field string) string {
	return "attributes[" + strconv.Itoa(k) + "]" + field
}

// paths maps Service.Validate's paths to HSDS paths in the record.
func (src *source) paths() map[string]string {
	m := map[string]string{
		"id":           "id",
		"name":         "name",
		"organisation": "organization.name",
		"description":  "description",
		"status":       "status",
		"alert":        "alert",
		"verified":     "assured_date",
		"contacts":     "phones, url and email",
		"routes":       `attributes "route:…"`,
		"source":       `attribute "source"`,
		"hours":        "schedules",
		"hours.weekly": "schedules",
	}
	if src.src >= 0 {
		m["source"] = attrPath(src.src, ".value")
	}
	if src.review >= 0 {
		m["review"] = attrPath(src.review, ".value")
	}
	switch {
	case src.areaName >= 0:
		m["area_name"] = attrPath(src.areaName, ".value")
	case src.areaNameArea && len(src.areas) > 0:
		m["area_name"] = fmt.Sprintf("service_areas[%d].description", src.areas[0])
	}
	if src.bankHolidays >= 0 {
		m["hours.bank_holidays"] = attrPath(src.bankHolidays, ".value")
	}
	if len(src.weekly) > 0 {
		m["hours.note"] = fmt.Sprintf("schedules[%d].notes", src.weekly[0])
	}
	for i, c := range src.contacts {
		cp := fmt.Sprintf("contacts[%d]", i)
		var at, value, label, kind string
		switch {
		case c.phone >= 0:
			at = fmt.Sprintf("phones[%d]", c.phone)
			value, label, kind = at+".number", at+".description", at+".type"
		case c.valueAttr >= 0:
			at = attrPath(c.valueAttr, "")
			value = at + ".value"
		default: // the service's url or email
			at = string(c.kind)
			if c.kind == KindWeb {
				at = "url"
			}
			value = at
		}
		m[cp], m[cp+".value"] = at, value
		if kind != "" {
			m[cp+".kind"] = kind
		}
		if c.label >= 0 {
			label = attrPath(c.label, ".value")
		}
		if label != "" {
			m[cp+".label"] = label
		}
		switch {
		case c.note >= 0:
			m[cp+".note"] = attrPath(c.note, ".value")
		case c.phone >= 0:
			m[cp+".note"] = label
		}
		if c.hours >= 0 {
			m[cp+".hours"] = attrPath(c.hours, ".value")
		}
		for _, in := range []struct {
			field string
			at    map[string]int
		}{{"note", c.noteIn}, {"label", c.labelIn}} {
			for lang, k := range in.at {
				tp := fmt.Sprintf("%s.translations[%q]", cp, lang)
				m[tp], m[tp+"."+in.field] = attrPath(k, ".taxonomy_term.name"), attrPath(k, ".value")
			}
		}
	}
	for i, j := range src.weekly {
		wp, sp := fmt.Sprintf("hours.weekly[%d]", i), fmt.Sprintf("schedules[%d]", j)
		m[wp], m[wp+".days"], m[wp+".opens"], m[wp+".closes"] = sp, sp+".byday", sp+".opens_at", sp+".closes_at"
	}
	for i, j := range src.exceptions {
		ep, sp := fmt.Sprintf("hours.exceptions[%d]", i), fmt.Sprintf("schedules[%d]", j)
		m[ep], m[ep+".date"], m[ep+".opens"], m[ep+".closes"], m[ep+".note"] = sp, sp+".valid_from", sp+".opens_at", sp+".closes_at", sp+".notes"
	}
	for i, k := range src.routes {
		rp := fmt.Sprintf("routes[%d]", i)
		m[rp], m[rp+".route"], m[rp+".order"] = attrPath(k, ""), attrPath(k, ".taxonomy_term.name"), attrPath(k, ".value")
	}
	for i, k := range src.keywords {
		m[fmt.Sprintf("keywords[%d]", i)] = attrPath(k, ".value")
	}
	for i, j := range src.areas {
		m[fmt.Sprintf("areas[%d]", i)] = fmt.Sprintf("service_areas[%d].name", j)
	}
	for lang, k := range src.translations {
		tp := fmt.Sprintf("translations[%q]", lang)
		m[tp], m[tp+".description"] = attrPath(k, ".taxonomy_term.name"), attrPath(k, ".value")
	}
	return m
}

// translate gives a Service.Validate path as an HSDS path: the longest
// mapped prefix, then the rest unchanged.
func translate(m map[string]string, p string) string {
	if v, ok := m[p]; ok {
		return v
	}
	for i := len(p) - 1; i > 0; i-- {
		if p[i] != '.' && p[i] != '[' {
			continue
		}
		if v, ok := m[p[:i]]; ok {
			return v + p[i:]
		}
	}
	return p
}

// isWhereto reports whether a taxonomy term is one of whereto's.
func (t orTaxonomyTerm) isWhereto() bool {
	return t.TaxonomyID == OpenReferralTaxonomy || t.Vocabulary == OpenReferralTaxonomy
}

// pendingContact is a contact being read, with its id in the record and
// where its parts came from.
type pendingContact struct {
	c   Contact
	id  string
	src contactSource
}

// pendingContactAttr is a contact label, note or hours attribute, or a
// translation of a label or note, applied once every contact is known.
type pendingContactAttr struct {
	k    int
	term string
}

// service converts an HSDS service into a whereto service. It returns the
// problems that make the record unusable, with HSDS paths; none means s
// passes Service.Validate.
func (o *orService) service() (Service, []Problem) {
	var ps []Problem
	add := func(path, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	s := Service{
		ID:          o.ID,
		Name:        o.Name,
		Description: o.Description,
		Alert:       o.Alert,
		Verified:    o.AssuredDate,
	}
	src := source{src: -1, review: -1, areaName: -1, bankHolidays: -1, interpreters: -1}
	if o.Organization != nil {
		s.Organisation = o.Organization.Name
	}
	switch st := strings.ToLower(strings.TrimSpace(o.Status)); st {
	case "", string(StatusActive):
		// Active is whereto's default, written as no status.
	case "defunct":
		s.Status = StatusInactive
	case string(StatusInactive), string(StatusTemporarilyClosed):
		s.Status = Status(st)
	default:
		s.Status = Status(o.Status) // for Validate to report as written
	}
	if t, err := time.Parse(time.RFC3339, o.AssuredDate); err == nil {
		s.Verified = t.Format(time.DateOnly)
	}

	// Contacts in canonical order: phones, then web, then email.
	type contact = pendingContact
	var contacts []contact
	for j, p := range o.Phones {
		c := Contact{Kind: KindPhone, Value: p.Number}
		switch t := strings.ToLower(strings.TrimSpace(p.Type)); t {
		case "", "voice", "cell":
		case "text", "textphone":
			c.Kind = KindText
		case "fax", "pager", "video":
			continue // not a way whereto sends people
		default:
			add(fmt.Sprintf("phones[%d].type", j), "%q is not voice, cell, text, textphone, fax, pager or video", p.Type)
			continue
		}
		contacts = append(contacts, contact{c: c, id: p.ID, src: contactSource{phone: j, valueAttr: -1, kind: c.Kind, label: -1, note: -1, hours: -1}})
	}
	var webs, emails []contact
	if o.URL != "" {
		webs = append(webs, contact{c: Contact{Kind: KindWeb, Value: o.URL}, id: numberedID(o.ID, "web", 1), src: contactSource{phone: -1, valueAttr: -1, kind: KindWeb, label: -1, note: -1, hours: -1}})
	}
	if o.Email != "" {
		emails = append(emails, contact{c: Contact{Kind: KindEmail, Value: o.Email}, id: numberedID(o.ID, "email", 1), src: contactSource{phone: -1, valueAttr: -1, kind: KindEmail, label: -1, note: -1, hours: -1}})
	}

	var (
		fallbacks     []int // attribute indices
		whens         []int // attribute indices
		reviewed      []int // attribute indices
		order         = -1
		contactAttrs  []pendingContactAttr
		singleAt      = map[string]int{}
		areaNameValue string
	)
	single := func(k int, term string) bool {
		if j, dup := singleAt[term]; dup {
			add(attrPath(k, ".taxonomy_term.name"), "%q is also attributes[%d]; a service has one", term, j)
			return false
		}
		singleAt[term] = k
		return true
	}
	for k, a := range o.Attributes {
		if !a.TaxonomyTerm.isWhereto() {
			continue
		}
		term := a.TaxonomyTerm.Name
		switch {
		case strings.HasPrefix(term, termRoute):
			n, err := strconv.Atoi(a.Value)
			if err != nil {
				add(attrPath(k, ".value"), "%q is not a whole number (the order on the route)", a.Value)
			}
			s.Routes = append(s.Routes, RouteRef{Route: Route(strings.TrimPrefix(term, termRoute)), Order: n})
			src.routes = append(src.routes, k)
		case strings.HasPrefix(term, termFallback):
			fallbacks = append(fallbacks, k)
		case strings.HasPrefix(term, termWhen):
			whens = append(whens, k)
		case term == termKeyword:
			s.Keywords = append(s.Keywords, a.Value)
			src.keywords = append(src.keywords, k)
		case term == termSource:
			if single(k, term) {
				s.Source, src.src = a.Value, k
			}
		case term == termReview:
			if single(k, term) {
				s.Review, src.review = a.Value, k
			}
		case term == termAreaName:
			if single(k, term) {
				areaNameValue, src.areaName = a.Value, k
			}
		case term == termBankHolidays:
			if single(k, term) {
				src.bankHolidays = k
			}
		case term == termInterpreters:
			if single(k, term) {
				src.interpreters = k
			}
		case term == termContactOrder:
			if single(k, term) {
				order = k
			}
		case term == termURL, term == termEmail:
			kind := KindWeb
			if term == termEmail {
				kind = KindEmail
			}
			if a.LinkID == "" {
				add(attrPath(k, ".link_id"), "is empty; it names the contact")
				continue
			}
			c := contact{c: Contact{Kind: kind, Value: a.Value}, id: a.LinkID, src: contactSource{phone: -1, valueAttr: k, kind: kind, label: -1, note: -1, hours: -1}}
			if kind == KindWeb {
				webs = append(webs, c)
			} else {
				emails = append(emails, c)
			}
		case term == termContactLabel, term == termContactNote, term == termContactHours,
			strings.HasPrefix(term, termContactLabelIn), strings.HasPrefix(term, termContactNoteIn), strings.HasPrefix(term, termContactReviewedIn):
			contactAttrs = append(contactAttrs, pendingContactAttr{k: k, term: term})
		case strings.HasPrefix(term, termTranslation):
			if single(k, term) {
				lang := strings.TrimPrefix(term, termTranslation)
				if s.Translations == nil {
					s.Translations, src.translations = map[string]ServiceWords{}, map[string]int{}
				}
				s.Translations[lang], src.translations[lang] = ServiceWords{Description: a.Value}, k
			}
		case strings.HasPrefix(term, termReviewed):
			if single(k, term) {
				reviewed = append(reviewed, k)
			}
		default:
			add(attrPath(k, ".taxonomy_term.name"), "%q is not a whereto term", term)
		}
	}
	contacts = slices.Concat(contacts, webs, emails)

	byID := make(map[string]int, len(contacts))
	for i, c := range contacts {
		if c.id == "" {
			continue
		}
		if j, dup := byID[c.id]; dup {
			add(contactPath(c.src, ".id"), "%q is also the id of %s", c.id, contactPath(contacts[j].src, ""))
			continue
		}
		byID[c.id] = i
	}
	for _, pa := range contactAttrs {
		a := o.Attributes[pa.k]
		i, ok := byID[a.LinkID]
		if !ok {
			add(attrPath(pa.k, ".link_id"), "%q is not a phone, url or email of this service", a.LinkID)
			continue
		}
		c := &contacts[i]
		var at *int
		switch pa.term {
		case termContactLabel:
			c.c.Label, at = a.Value, &c.src.label
		case termContactNote:
			c.c.Note, at = a.Value, &c.src.note
		case termContactHours:
			c.c.Hours, at = Availability(a.Value), &c.src.hours
		default:
			c.translationAttr(pa, a, add)
			continue
		}
		if *at >= 0 {
			add(attrPath(pa.k, ".taxonomy_term.name"), "%q for %q is also attributes[%d]", pa.term, a.LinkID, *at)
		}
		*at = pa.k
	}
	for i := range contacts {
		c := &contacts[i]
		for _, lang := range slices.Sorted(maps.Keys(c.src.reviewedIn)) {
			k := c.src.reviewedIn[lang]
			a := o.Attributes[k]
			if a.Value != "true" {
				add(attrPath(k, ".value"), "%q is not true", a.Value)
			}
			w, ok := c.c.Translations[lang]
			if !ok {
				add(attrPath(k, ".taxonomy_term.name"), "%q, but the contact %q has no %q or %q attribute", a.TaxonomyTerm.Name, a.LinkID, termContactLabelIn+lang, termContactNoteIn+lang)
				continue
			}
			w.Reviewed = true
			c.c.Translations[lang] = w
		}
	}
	for i := range contacts {
		if c := &contacts[i]; c.src.phone >= 0 && c.src.label < 0 {
			c.c.Label = phoneLabel(o.Phones[c.src.phone].Description, c.c.Note)
		}
	}
	if order >= 0 {
		contacts = reorder(contacts, strings.Fields(o.Attributes[order].Value), func(c contact) string { return c.id }, func(format string, args ...any) {
			add(attrPath(order, ".value"), format, args...)
		})
	}
	for _, c := range contacts {
		s.Contacts = append(s.Contacts, c.c)
		src.contacts = append(src.contacts, c.src)
	}

	for _, k := range whens {
		a := o.Attributes[k]
		r := Route(strings.TrimPrefix(a.TaxonomyTerm.Name, termWhen))
		i := slices.IndexFunc(s.Routes, func(ref RouteRef) bool { return ref.Route == r })
		if i < 0 {
			add(attrPath(k, ".taxonomy_term.name"), "%q, but the service has no %q attribute", a.TaxonomyTerm.Name, termRoute+string(r))
			continue
		}
		s.Routes[i].When = append(s.Routes[i].When, a.Value)
	}
	for _, k := range fallbacks {
		a := o.Attributes[k]
		r := Route(strings.TrimPrefix(a.TaxonomyTerm.Name, termFallback))
		if a.Value != "true" {
			add(attrPath(k, ".value"), "%q is not true", a.Value)
		}
		i := slices.IndexFunc(s.Routes, func(ref RouteRef) bool { return ref.Route == r })
		if i < 0 {
			add(attrPath(k, ".taxonomy_term.name"), "%q, but the service has no %q attribute", a.TaxonomyTerm.Name, termRoute+string(r))
			continue
		}
		s.Routes[i].Fallback = true
	}
	for _, k := range reviewed {
		a := o.Attributes[k]
		lang := strings.TrimPrefix(a.TaxonomyTerm.Name, termReviewed)
		if a.Value != "true" {
			add(attrPath(k, ".value"), "%q is not true", a.Value)
		}
		w, ok := s.Translations[lang]
		if !ok {
			add(attrPath(k, ".taxonomy_term.name"), "%q, but the service has no %q attribute", a.TaxonomyTerm.Name, termTranslation+lang)
			continue
		}
		w.Reviewed = true
		s.Translations[lang] = w
	}

	if k := src.interpreters; k >= 0 {
		if a := o.Attributes[k]; a.Value != "true" {
			add(attrPath(k, ".value"), "%q is not true", a.Value)
		}
		s.Interpreters = true
	}

	s.Hours = o.schedule(&src, add)
	if src.bankHolidays >= 0 {
		if s.Hours == nil {
			s.Hours = &Schedule{}
		}
		s.Hours.BankHolidays = o.Attributes[src.bankHolidays].Value
	}

	for j, a := range o.ServiceAreas {
		s.Areas = append(s.Areas, a.Name)
		src.areas = append(src.areas, j)
	}
	switch {
	case src.areaName >= 0:
		s.AreaName = areaNameValue
	case len(o.ServiceAreas) > 0:
		// Without the attribute, the areas' common description names them.
		d := o.ServiceAreas[0].Description
		if !slices.ContainsFunc(o.ServiceAreas, func(a orServiceArea) bool { return a.Description != d }) {
			s.AreaName, src.areaNameArea = d, true
		}
	}

	if err := s.Validate(); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			add("", "%v", err)
			return s, ps
		}
		m := src.paths()
		reported := make(map[string]bool, len(ps))
		for _, p := range ps {
			reported[p.Path] = true
		}
		for _, p := range ve.Problems {
			p.Path = translate(m, p.Path)
			if !reported[p.Path] {
				ps = append(ps, p)
			}
		}
	}
	return s, ps
}

// translationAttr applies a contact-label:<lang> or contact-note:<lang>
// attribute to the contact, and records where it and a
// contact-reviewed:<lang> came from; reviews are applied once every
// label and note is known.
func (c *pendingContact) translationAttr(pa pendingContactAttr, a orAttribute, add func(path, format string, args ...any)) {
	prefix, lang, _ := strings.Cut(pa.term, ":")
	var at *map[string]int
	switch prefix + ":" {
	case termContactLabelIn:
		at = &c.src.labelIn
	case termContactNoteIn:
		at = &c.src.noteIn
	default:
		at = &c.src.reviewedIn
	}
	if j, dup := (*at)[lang]; dup {
		add(attrPath(pa.k, ".taxonomy_term.name"), "%q for %q is also attributes[%d]", pa.term, a.LinkID, j)
		return
	}
	if *at == nil {
		*at = map[string]int{}
	}
	(*at)[lang] = pa.k
	if at == &c.src.reviewedIn {
		return
	}
	if c.c.Translations == nil {
		c.c.Translations = map[string]ContactWords{}
	}
	w := c.c.Translations[lang]
	if at == &c.src.labelIn {
		w.Label = a.Value
	} else {
		w.Note = a.Value
	}
	c.c.Translations[lang] = w
}

// contactPath names where a contact came from in the record.
func contactPath(c contactSource, field string) string {
	switch {
	case c.phone >= 0:
		return fmt.Sprintf("phones[%d]%s", c.phone, field)
	case c.valueAttr >= 0:
		if field == ".id" {
			field = ".link_id"
		}
		return attrPath(c.valueAttr, field)
	case c.kind == KindWeb:
		return "url"
	}
	return "email"
}

// reorder puts items in the order of ids, which must name each item once.
func reorder[T any](items []T, ids []string, id func(T) string, bad func(format string, args ...any)) []T {
	at := make(map[string]int, len(items))
	for i, it := range items {
		at[id(it)] = i
	}
	out := make([]T, 0, len(items))
	used := make(map[string]bool, len(ids))
	for _, want := range ids {
		i, ok := at[want]
		switch {
		case !ok:
			bad("%q is not a phone, url or email of this service", want)
			return items
		case used[want]:
			bad("%q is listed twice", want)
			return items
		}
		used[want] = true
		out = append(out, items[i])
	}
	if len(out) != len(items) {
		for _, it := range items {
			if !used[id(it)] {
				bad("does not list %q", id(it))
				break
			}
		}
		return items
	}
	return out
}

// schedule converts the record's schedules: WEEKLY rules become weekly
// periods, one-day dated schedules exceptions; schedules with only a
// description are ignored. It returns nil if there are none.
func (o *orService) schedule(src *source, add func(path, format string, args ...any)) *Schedule {
	var h Schedule
	found := false
	for j, sc := range o.Schedules {
		sp := fmt.Sprintf("schedules[%d]", j)
		freq := strings.ToUpper(strings.TrimSpace(sc.Freq))
		switch {
		case freq == "WEEKLY" || freq == "" && sc.ByDay != "":
			if !intervalOne(sc.Interval) {
				add(sp+".interval", "%s is not 1; whereto reads weekly hours only", sc.Interval)
			}
			p := Period{Days: []string{}, Opens: clock(sc.OpensAt), Closes: closeClock(sc.ClosesAt)}
			for code := range strings.SplitSeq(sc.ByDay, ",") {
				code = strings.ToUpper(strings.TrimSpace(code))
				i := slices.Index(icalDays[:], code)
				if i < 0 {
					if sc.ByDay != "" {
						add(sp+".byday", "%q is not a day (MO, TU, WE, TH, FR, SA, SU)", code)
					}
					continue
				}
				p.Days = append(p.Days, dayNames[i])
			}
			if len(h.Weekly) == 0 {
				h.Note = sc.Notes
			}
			h.Weekly = append(h.Weekly, p)
			src.weekly = append(src.weekly, j)
			found = true
		case freq != "":
			add(sp+".freq", "%q is not WEEKLY; whereto reads weekly hours and one-day exceptions", sc.Freq)
		case sc.ValidFrom != "" || sc.ValidTo != "":
			if sc.ValidTo != sc.ValidFrom {
				add(sp+".valid_to", "%q is not valid_from %q; whereto reads a dated schedule as one day's exception", sc.ValidTo, sc.ValidFrom)
			}
			e := Exception{Date: sc.ValidFrom, Opens: clock(sc.OpensAt), Closes: clock(sc.ClosesAt), Note: sc.Notes}
			e.Closed = e.Opens == "" && e.Closes == ""
			h.Exceptions = append(h.Exceptions, e)
			src.exceptions = append(src.exceptions, j)
			found = true
		case sc.OpensAt != "" || sc.ClosesAt != "":
			add(sp, "has opening times but neither freq WEEKLY with byday nor valid_from and valid_to")
		}
	}
	if !found {
		return nil
	}
	return &h
}

// hsdsClose writes a closing time for HSDS, whose times are of one day:
// whereto's "24:00" (midnight at the end of the day) becomes "23:59:59".
func hsdsClose(s string) string {
	if s == "24:00" {
		return "23:59:59"
	}
	return s
}

// closeClock reads an HSDS closing time: "23:59:59", what hsdsClose
// writes, is the end of the day ("24:00"); otherwise as clock (a real
// 23:59 close stays 23:59).
func closeClock(s string) string {
	if s == "23:59:59" {
		return "24:00"
	}
	return clock(s)
}

// clock reads an HSDS time: "HH:MM", or "HH:MM:00" as some feeds write it.
// Anything else is returned as it is, for Validate to report.
func clock(s string) string {
	if len(s) == 8 && strings.HasSuffix(s, ":00") && s[2] == ':' {
		return s[:5]
	}
	return s
}

// intervalOne reports whether an HSDS interval is absent or 1.
func intervalOne(raw json.RawMessage) bool {
	switch s := strings.Trim(string(raw), `" `); s {
	case "", "null", "1":
		return true
	default:
		f, err := strconv.ParseFloat(s, 64)
		return err == nil && f == 1
	}
}
