package directory

import (
	"encoding/json"
	"reflect"
	"strconv"
)

// Fields of a service, as ChangedFields names them, in the order a person
// reads a service. Hours is split into its parts, since an edit form shows
// some of them and not others.
const (
	FieldID                = "id"
	FieldName              = "name"
	FieldOrganisation      = "organisation"
	FieldDescription       = "description"
	FieldTranslations      = "translations"
	FieldContacts          = "contacts"
	FieldInterpreters      = "interpreters"
	FieldHoursWeekly       = "hours.weekly"
	FieldHoursNote         = "hours.note"
	FieldHoursBankHolidays = "hours.bank_holidays"
	FieldHoursExceptions   = "hours.exceptions"
	FieldAreas             = "areas"
	FieldAreaName          = "area_name"
	FieldRoutes            = "routes"
	FieldKeywords          = "keywords"
	FieldSource            = "source"
	FieldStatus            = "status"
	FieldAlert             = "alert"
	FieldReview            = "review"
	FieldVerified          = "verified"
)

// serviceFields lists every field of a service with its value, in
// ChangedFields' order. A test holds that it covers every field of
// Service and Schedule.
func serviceFields(s *Service) []struct {
	name  string
	value any
} {
	var h Schedule
	if s.Hours != nil {
		h = *s.Hours
	}
	status := s.Status
	if status == "" {
		status = StatusActive // the same thing
	}
	bank := h.BankHolidays
	if bank == "" && s.Hours != nil {
		bank = BankHolidaysClosed // the documented default
	}
	return []struct {
		name  string
		value any
	}{
		{FieldID, s.ID}, {FieldName, s.Name}, {FieldOrganisation, s.Organisation},
		{FieldDescription, s.Description}, {FieldTranslations, translationsOf(s)}, {FieldContacts, contactsWithoutTranslations(s.Contacts)},
		{FieldInterpreters, s.Interpreters},
		{FieldHoursWeekly, h.Weekly}, {FieldHoursNote, h.Note},
		{FieldHoursBankHolidays, bank}, {FieldHoursExceptions, h.Exceptions},
		{FieldAreas, s.Areas}, {FieldAreaName, s.AreaName}, {FieldRoutes, s.Routes},
		{FieldKeywords, s.Keywords}, {FieldSource, s.Source}, {FieldStatus, status},
		{FieldAlert, s.Alert}, {FieldReview, s.Review}, {FieldVerified, s.Verified},
	}
}

// ChangedFields names the fields (Field*) that differ between two
// versions of a service, in the order of the Field constants. An empty
// list and a missing one are the same, and so are an empty status and
// "active". A translation, of the description or of a contact's label or
// note, added, removed, changed or marked reviewed changes
// FieldTranslations, and not FieldContacts. It returns nil when either
// version is nil (an addition or a removal changes the whole service).
func ChangedFields(before, after *Service) []string {
	if before == nil || after == nil {
		return nil
	}
	a, b := serviceFields(before), serviceFields(after)
	var out []string
	for i := range a {
		if !sameValue(a[i].value, b[i].value) {
			out = append(out, a[i].name)
		}
	}
	return out
}

// sameValue compares two field values as stored: by their JSON, with an
// empty slice or map equal to a missing one.
func sameValue(x, y any) bool {
	if empty(x) && empty(y) {
		return true
	}
	jx, err1 := json.Marshal(x)
	jy, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(jx) == string(jy)
}

func empty(v any) bool {
	r := reflect.ValueOf(v)
	return (r.Kind() == reflect.Slice || r.Kind() == reflect.Map) && r.Len() == 0
}

// translationsOf gathers every translation of a service, the description's
// and its contacts', keyed by what they translate ("service",
// "contacts[1]"), leaving out the empty ones.
func translationsOf(s *Service) map[string]any {
	m := map[string]any{}
	if len(s.Translations) > 0 {
		m["service"] = s.Translations
	}
	for i, c := range s.Contacts {
		if len(c.Translations) > 0 {
			m["contacts["+strconv.Itoa(i)+"]"] = c.Translations
		}
	}
	return m
}

// contactsWithoutTranslations returns cs without their translations, which
// FieldTranslations covers.
func contactsWithoutTranslations(cs []Contact) []Contact {
	out := make([]Contact, len(cs))
	for i, c := range cs {
		c.Translations = nil
		out[i] = c
	}
	return out
}
