package directory

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Translations. The words residents read (a route's label and intro, a
// menu group's label and question, a service's description, a contact's
// label and note, the partnership's about) may be given in other
// languages beside the English of the main fields. Each translations map
// is keyed by a language code: two or three lower-case ASCII letters
// ("pl", "ro", "ur", "pa", "bn"), never "en", since English is the main
// fields. Service names, contact values (numbers, addresses) and ids are
// never translated. A translation is unreviewed
// until a native speaker has confirmed it (Reviewed); UnreviewedTranslations
// lists those still to confirm. The *In accessors fall back to English for
// a language with no translation, or an empty one.

// RouteWords are a route's words in one language (RouteInfo.Translations).
type RouteWords struct {
	// Label is the button; required, at most MaxRouteLabel characters.
	Label string `json:"label"`
	// Intro is said before the route's services; empty means the English
	// intro is said.
	Intro string `json:"intro,omitempty"`
	// Reviewed is true once a native speaker has confirmed the words.
	Reviewed bool `json:"reviewed,omitempty"`
}

// GroupWords are a menu group's words in one language
// (MenuGroup.Translations).
type GroupWords struct {
	// Label is the button; required, at most MaxRouteLabel characters.
	Label string `json:"label"`
	// Question is asked above the group's routes; empty means the English
	// question is asked.
	Question string `json:"question,omitempty"`
	// Reviewed is true once a native speaker has confirmed the words.
	Reviewed bool `json:"reviewed,omitempty"`
}

// ServiceWords are a service's words in one language
// (Service.Translations).
type ServiceWords struct {
	// Description says what the service is for; required, at most
	// MaxDescription characters.
	Description string `json:"description"`
	// Reviewed is true once a native speaker has confirmed the words.
	Reviewed bool `json:"reviewed,omitempty"`
}

// ContactWords are a contact's words in one language
// (Contact.Translations). Either may be left out, but not both: a
// translation may give the label only, or the note only.
type ContactWords struct {
	// Label says what the contact is for; at most MaxContactText
	// characters, and only where the contact has an English Label. Empty
	// means the English label is shown.
	Label string `json:"label,omitempty"`
	// Note is the instruction shown with the contact; at most
	// MaxContactText characters, and only where the contact has an
	// English Note. Empty means the English note is shown.
	Note string `json:"note,omitempty"`
	// Reviewed is true once a native speaker has confirmed the words.
	Reviewed bool `json:"reviewed,omitempty"`
}

// PartnershipWords are the partnership's words in one language
// (Partnership.Translations).
type PartnershipWords struct {
	// About is the partnership's paragraphs; at least one, none empty.
	About []string `json:"about"`
	// Reviewed is true once a native speaker has confirmed the words.
	Reviewed bool `json:"reviewed,omitempty"`
}

// LabelIn returns the route's label in language lang, or its English
// Label if it has none in lang.
func (ri RouteInfo) LabelIn(lang string) string {
	return orEnglish(ri.Translations[lang].Label, ri.Label)
}

// IntroIn returns the route's intro in language lang, or its English Intro
// if it has none in lang.
func (ri RouteInfo) IntroIn(lang string) string {
	return orEnglish(ri.Translations[lang].Intro, ri.Intro)
}

// LabelIn returns the group's label in language lang, or its English Label
// if it has none in lang.
func (g MenuGroup) LabelIn(lang string) string { return orEnglish(g.Translations[lang].Label, g.Label) }

// QuestionIn returns the group's question in language lang, or its English
// Question if it has none in lang.
func (g MenuGroup) QuestionIn(lang string) string {
	return orEnglish(g.Translations[lang].Question, g.Question)
}

// DescriptionIn returns the service's description in language lang, or
// its English Description if it has none in lang.
func (s Service) DescriptionIn(lang string) string {
	return orEnglish(s.Translations[lang].Description, s.Description)
}

// LabelIn returns the contact's label in language lang, or its English
// Label if it has none in lang.
func (c Contact) LabelIn(lang string) string { return orEnglish(c.Translations[lang].Label, c.Label) }

// NoteIn returns the contact's note in language lang, or its English Note
// if it has none in lang.
func (c Contact) NoteIn(lang string) string { return orEnglish(c.Translations[lang].Note, c.Note) }

// AboutIn returns the partnership's paragraphs in language lang, or its
// English About if it has none in lang. The caller must not modify the
// returned slice.
func (p Partnership) AboutIn(lang string) []string {
	if w := p.Translations[lang].About; slices.ContainsFunc(w, func(a string) bool { return strings.TrimSpace(a) != "" }) {
		return w
	}
	return p.About
}

// orEnglish returns translated unless it is blank, and english then.
func orEnglish(translated, english string) string {
	if strings.TrimSpace(translated) == "" {
		return english
	}
	return translated
}

// Clone returns a deep copy of p.
func (p Partnership) Clone() Partnership {
	p.About = slices.Clone(p.About)
	if p.Translations != nil {
		ts := make(map[string]PartnershipWords, len(p.Translations))
		for lang, w := range p.Translations {
			w.About = slices.Clone(w.About)
			ts[lang] = w
		}
		p.Translations = ts
	}
	return p
}

// What a translation is of: the values of UnreviewedTranslation.What, in
// the order UnreviewedTranslations lists them.
const (
	TranslationOfPartnership = "partnership"
	TranslationOfMenu        = "menu"
	TranslationOfRoute       = "route"
	TranslationOfService     = "service"
	// TranslationOfContact is a contact's label and note. Its ID is the
	// service id, a slash and the contact's index among the service's
	// contacts, from 0 ("police-emergency/1", as in the path
	// services[i].contacts[1]); ContactTranslationID writes it.
	TranslationOfContact = "contact"
)

// ContactTranslationID returns the UnreviewedTranslation ID of the
// translations of contact index i (from 0) of service serviceID:
// "police-emergency/1". It names the contact as long as the service's
// contacts keep their order.
func ContactTranslationID(serviceID string, i int) string {
	return serviceID + "/" + strconv.Itoa(i)
}

// UnreviewedTranslation names one translation no native speaker has
// confirmed yet.
type UnreviewedTranslation struct {
	// Lang is the language code ("pl").
	Lang string `json:"lang"`
	// What is TranslationOfPartnership, TranslationOfMenu,
	// TranslationOfRoute, TranslationOfService or TranslationOfContact.
	What string `json:"what"`
	// ID is the menu group, route or service id, or for a contact
	// ContactTranslationID ("police-emergency/1"); empty for the
	// partnership.
	ID string `json:"id,omitempty"`
}

// UnreviewedTranslations returns every translation of d not yet reviewed:
// by language, then the partnership, menu groups, routes, services and
// contacts, by id within each. It returns nil when every translation is reviewed. The
// caller owns the slice.
func (d *Directory) UnreviewedTranslations() []UnreviewedTranslation {
	var out []UnreviewedTranslation
	add := func(what, id, lang string, reviewed bool) {
		if !reviewed {
			out = append(out, UnreviewedTranslation{Lang: lang, What: what, ID: id})
		}
	}
	for lang, w := range d.Partnership.Translations {
		add(TranslationOfPartnership, "", lang, w.Reviewed)
	}
	for _, g := range d.Menu {
		for lang, w := range g.Translations {
			add(TranslationOfMenu, g.ID, lang, w.Reviewed)
		}
	}
	for _, r := range d.Routes {
		for lang, w := range r.Translations {
			add(TranslationOfRoute, string(r.ID), lang, w.Reviewed)
		}
	}
	for _, s := range d.Services {
		for lang, w := range s.Translations {
			add(TranslationOfService, s.ID, lang, w.Reviewed)
		}
		for i, c := range s.Contacts {
			for lang, w := range c.Translations {
				add(TranslationOfContact, ContactTranslationID(s.ID, i), lang, w.Reviewed)
			}
		}
	}
	rank := []string{TranslationOfPartnership, TranslationOfMenu, TranslationOfRoute, TranslationOfService, TranslationOfContact}
	slices.SortStableFunc(out, func(a, b UnreviewedTranslation) int {
		return cmp.Or(
			strings.Compare(a.Lang, b.Lang),
			cmp.Compare(slices.Index(rank, a.What), slices.Index(rank, b.What)),
			strings.Compare(a.ID, b.ID),
		)
	})
	return out
}

// validLanguage reports whether code has the shape of a language code: two
// or three lower-case ASCII letters.
func validLanguage(code string) bool {
	if len(code) < 2 || len(code) > 3 {
		return false
	}
	for i := range len(code) {
		if code[i] < 'a' || code[i] > 'z' {
			return false
		}
	}
	return true
}

// checkTranslations checks the language codes of the translations of the
// thing at path, and has check check each translation's words, with its
// path (`routes[2].translations["pl"]`), in language order.
func checkTranslations[W any](ps *problems, path string, ts map[string]W, check func(path string, w W)) {
	for _, lang := range slices.Sorted(maps.Keys(ts)) {
		tp := fmt.Sprintf("%s.translations[%q]", path, lang)
		switch {
		case lang == "en":
			ps.add(tp, `English is the main fields; "en" is not a translation`)
		case !validLanguage(lang):
			ps.add(tp, "%q is not a language code (2 or 3 lower-case letters, like \"pl\")", lang)
		}
		check(tp, ts[lang])
	}
}
