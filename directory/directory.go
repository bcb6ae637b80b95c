// Package directory is whereto's vocabulary: the services a partnership
// signposts people to, how to contact them, when they are open, which
// situations (routes) they serve, and the rules a directory must follow.
//
// It imports only the standard library. Storage lives in directory/bolt,
// conversation in flows.
package directory

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// SchemaVersion is the version of the JSON document format written by
// Export and read by Parse. A document with a higher version is refused.
const SchemaVersion = 1

// Sentinel errors.
var (
	// ErrNotFound is returned when a service id is not in the directory.
	ErrNotFound = errors.New("directory: service not found")
	// ErrInvalid wraps every validation failure; errors.As to *ValidationError
	// gives the individual problems.
	ErrInvalid = errors.New("directory: invalid")
	// ErrSchema is returned for a document written by a newer whereto.
	ErrSchema = errors.New("directory: unsupported schema version")
)

// Route is the id of a reporting or support route. Route ids are part of the
// public interface (CLI output, stats, tests) and never change.
type Route string

// The two routes the code itself knows. Every other route is defined in the
// directory document (RouteInfo). Unclear is what triage says when it
// cannot tell; it is never a route of a service.
const (
	RouteEmergency Route = "emergency"
	RouteUnclear   Route = "unclear"
)

// ContactKind says how a person reaches a service through a Contact.
type ContactKind string

// Contact kinds. They map onto Open Referral UK: phone (type voice), text
// (phone type text), web (service url) and email.
const (
	KindPhone ContactKind = "phone"
	KindText  ContactKind = "text"
	KindWeb   ContactKind = "web"
	KindEmail ContactKind = "email"
)

// Availability says when a contact should be offered, relative to the
// service's opening hours.
type Availability string

// Availabilities. The zero value means always.
const (
	Always     Availability = ""
	InHours    Availability = "in-hours"
	OutOfHours Availability = "out-of-hours"
)

// Contact is one way to reach a service.
type Contact struct {
	Kind ContactKind `json:"kind"`
	// Value is the phone number, URL or email address, exactly as a person
	// should dial, open or write it.
	Value string `json:"value"`
	// Label says what the contact is for, e.g. "Office hours".
	Label string `json:"label,omitempty"`
	// Note is an instruction shown with the contact, e.g. how the Silent
	// Solution works.
	Note string `json:"note,omitempty"`
	// Hours restricts the contact to the service's opening hours or to the
	// time outside them. Empty means always.
	Hours Availability `json:"hours,omitempty"`
	// Translations are Label and Note in other languages, by language code
	// ("pl"); Value is never translated. LabelIn and NoteIn read them.
	Translations map[string]ContactWords `json:"translations,omitempty"`
}

// RouteRef places a service on a route. Lower Order is recommended first.
type RouteRef struct {
	Route Route `json:"route"`
	Order int   `json:"order"`
	// Fallback services are shown only to people whom no other active
	// service on the route serves (someone outside the area).
	Fallback bool `json:"fallback,omitempty"`
	// When, if set, lists words that make the service fit a message
	// ("partner", "husband"): the service is offered among the first
	// choices only when the person's message used one of them, and
	// otherwise only under "More options". Words match whole words of the
	// message; a trailing '*' matches the start of a word.
	When []string `json:"when,omitempty"`
}

// Service is one place a person can be sent: a phone line, a reporting
// website, a hub. Its shape follows Open Referral UK (service, organization,
// phone, schedule, service_area) so that the standard can be mapped onto it.
type Service struct {
	// ID is a stable slug ([a-z0-9-]) used in links, stats and the CLI.
	ID           string `json:"id"`
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	// Description says what the service is for, in a sentence or two.
	Description string    `json:"description,omitempty"`
	Contacts    []Contact `json:"contacts"`
	// Interpreters is true when the service finds an interpreter for a
	// caller who says the name of their language in English.
	Interpreters bool `json:"interpreters,omitempty"`
	// Hours are the service's opening hours. Nil means the service does not
	// distinguish in-hours and out-of-hours contacts.
	Hours *Schedule `json:"hours,omitempty"`
	// Areas are the postcode districts served (e.g. "LU1"). Empty means
	// everywhere.
	Areas []string `json:"areas,omitempty"`
	// AreaName describes Areas for people ("Luton (LU1 to LU4)").
	AreaName string     `json:"area_name,omitempty"`
	Routes   []RouteRef `json:"routes"`
	// Keywords help staff and residents find the service by name.
	Keywords []string `json:"keywords,omitempty"`
	// Source says where the contact details were copied from.
	Source string `json:"source"`
	// Verified is the date (YYYY-MM-DD) the details were last confirmed
	// against the source; empty means never.
	Verified string `json:"verified,omitempty"`
	// Status is StatusActive (the default when empty), StatusInactive or
	// StatusTemporarilyClosed. Only active services are recommended.
	Status Status `json:"status,omitempty"`
	// Alert is a short-term notice shown with the service ("phone lines
	// are busy after the storm; use the online form").
	Alert string `json:"alert,omitempty"`
	// Review, when set, says what the partnership must still check before
	// relying on the entry ("needs verification by the partnership before
	// launch"). Staff see it; residents do not.
	Review string `json:"review,omitempty"`
	// Translations are the resident-facing words of the service in other
	// languages, by language code ("pl"); the name and contacts are never
	// translated. DescriptionIn reads them.
	Translations map[string]ServiceWords `json:"translations,omitempty"`
}

// Status is a service's availability, as Open Referral UK's service status.
type Status string

// Statuses.
const (
	StatusActive            Status = "active"
	StatusInactive          Status = "inactive"
	StatusTemporarilyClosed Status = "temporarily closed"
)

// RouteRef returns the service's place on route r, and false if it is not
// on it.
func (s Service) RouteRef(r Route) (RouteRef, bool) {
	for _, ref := range s.Routes {
		if ref.Route == r {
			return ref, true
		}
	}
	return RouteRef{}, false
}

// Active reports whether the service may be recommended.
func (s Service) Active() bool { return s.Status == "" || s.Status == StatusActive }

// Serves reports whether the service covers the postcode district (as
// returned by PostcodeDistrict). A service with no areas serves everywhere;
// an empty district (unknown) is served by every service.
func (s Service) Serves(district string) bool {
	return len(s.Areas) == 0 || district == "" || slices.Contains(s.Areas, district)
}

// Local reports whether the service serves only some areas.
func (s Service) Local() bool { return len(s.Areas) > 0 }

// Partnership describes who runs this copy of whereto; /about shows it.
type Partnership struct {
	Name string `json:"name"`
	// Area is the place served, as a person would say it ("Luton").
	Area string `json:"area"`
	// Website is the partnership's page, if any.
	Website string `json:"website,omitempty"`
	// About is a few short paragraphs: what the partnership is and its
	// priorities.
	About  []string `json:"about,omitempty"`
	Source string   `json:"source,omitempty"`
	// Translations are About in other languages, by language code ("pl");
	// the name, area and website are never translated. AboutIn reads
	// them.
	Translations map[string]PartnershipWords `json:"translations,omitempty"`
}

// Directory is the whole document: the partnership and its services. It is
// the format of Export and Parse, and of the embedded default.
type Directory struct {
	Schema      int         `json:"schema"`
	Partnership Partnership `json:"partnership"`
	// BankHolidays change the England and Wales bank holidays, which are
	// computed by rule (HolidaysIn): one-off holidays, moved days
	// (Replaces) and cancelled ones (Cancel). It may be empty.
	BankHolidays []Holiday `json:"bank_holidays,omitempty"`
	// Routes are the situations the directory signposts, in menu order.
	Routes []RouteInfo `json:"routes"`
	// Menu groups routes on the main menu.
	Menu []MenuGroup `json:"menu,omitempty"`
	// PlaceNames are the districts and towns the conversation recognises
	// when it asks where something happened.
	PlaceNames PlaceNames `json:"places"`
	Services   []Service  `json:"services"`

	// index is the look-up index built by Prepare; nil until then.
	index *Index
	// places is the place finder built by Prepare; nil until then.
	places *Places
}

// Service returns the service with the given id, or ErrNotFound.
func (d *Directory) Service(id string) (Service, error) {
	for _, s := range d.Services {
		if s.ID == id {
			return s, nil
		}
	}
	return Service{}, ErrNotFound
}

// ServicesFor returns the services on route r, best first (by Order, then
// id). It returns nil for an unknown route.
func (d *Directory) ServicesFor(r Route) []Service {
	type ranked struct {
		order int
		s     Service
	}
	var rs []ranked
	for _, s := range d.Services {
		for _, ref := range s.Routes {
			if ref.Route == r {
				rs = append(rs, ranked{ref.Order, s})
				break
			}
		}
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.order != b.order {
			return a.order - b.order
		}
		return strings.Compare(a.s.ID, b.s.ID)
	})
	out := make([]Service, len(rs))
	for i, r := range rs {
		out[i] = r.s
	}
	return out
}

// Clone returns a deep copy of d, so that callers may change it without
// affecting a shared snapshot.
func (d *Directory) Clone() *Directory {
	c := *d
	c.index = nil // the copy may change; Prepare it again
	c.Partnership = d.Partnership.Clone()
	c.BankHolidays = slices.Clone(d.BankHolidays)
	c.Routes = cloneRoutes(d.Routes)
	c.Menu = cloneMenu(d.Menu)
	c.places = nil
	c.PlaceNames.Districts = slices.Clone(d.PlaceNames.Districts)
	c.PlaceNames.Towns = maps.Clone(d.PlaceNames.Towns)
	c.Services = make([]Service, len(d.Services))
	for i, s := range d.Services {
		c.Services[i] = s.Clone()
	}
	return &c
}

// Clone returns a deep copy of s.
func (s Service) Clone() Service {
	c := s
	c.Contacts = cloneContacts(s.Contacts)
	c.Areas = slices.Clone(s.Areas)
	c.Routes = make([]RouteRef, len(s.Routes))
	for i, r := range s.Routes {
		r.When = slices.Clone(r.When)
		c.Routes[i] = r
	}
	if s.Routes == nil {
		c.Routes = nil
	}
	c.Keywords = slices.Clone(s.Keywords)
	c.Translations = maps.Clone(s.Translations)
	if s.Hours != nil {
		h := s.Hours.Clone()
		c.Hours = &h
	}
	return c
}

// Clone returns a deep copy of c.
func (c Contact) Clone() Contact {
	c.Translations = maps.Clone(c.Translations)
	return c
}

func cloneContacts(cs []Contact) []Contact {
	if cs == nil {
		return nil
	}
	out := make([]Contact, len(cs))
	for i, c := range cs {
		out[i] = c.Clone()
	}
	return out
}

// EmergencyContact returns the number people are told to call in danger:
// the first phone available at all times of the emergency route's first
// active service that is not a fallback (Validate guarantees there is one,
// serving everywhere). If the directory is broken it returns 999, the one
// number right everywhere in the UK, and false.
func (d *Directory) EmergencyContact() (Contact, bool) {
	for _, s := range d.ServicesFor(RouteEmergency) {
		if ref, _ := s.RouteRef(RouteEmergency); !s.Active() || ref.Fallback {
			continue
		}
		for _, c := range s.Contacts {
			if c.Kind == KindPhone && c.Hours == Always {
				return c, true
			}
		}
		break
	}
	return Contact{Kind: KindPhone, Value: "999"}, false
}

// List returns every service in the directory, in stored order. The caller
// must not modify the returned slice.
func (d *Directory) List() []Service { return d.Services }

// About returns who runs this directory.
func (d *Directory) About() Partnership { return d.Partnership }
