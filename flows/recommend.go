package flows

import (
	"slices"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

// maxAlternatives is how many services a route's answer shows after the
// first; the rest are behind [More options].
const maxAlternatives = 2

// recommendation is what a route's answer shows a person in an area.
type recommendation struct {
	// main is the one service to use now; nil if none serves the person.
	main *directory.Service
	// alts are at most maxAlternatives others that fit; rest the others.
	alts, rest []directory.Service
	// notes explain services left out that the person would have expected
	// (closed, or not for their area).
	notes []string
	// needArea is set when the route's best service is local, so the
	// person's area changes the answer.
	needArea bool
}

// recommend chooses route r's services for someone in district (""
// unknown, which means the partnership's own area; AreaAway a place no
// local service covers) whose message fits the services in fits: active
// services that serve the district, in order; a service with When words
// comes among the first only if the message fits it; fallback services
// only when no local service serves them.
func recommend(dir Directory, l lang.Lang, r directory.Route, district string, fits []string) recommendation {
	var rec recommendation
	var fallbacks, ready, later []directory.Service
	first := true
	for _, svc := range dir.ServicesFor(r) {
		ref, _ := svc.RouteRef(r)
		if ref.Fallback {
			if svc.Active() && svc.Serves(district) {
				fallbacks = append(fallbacks, svc)
			}
			continue
		}
		wasFirst := first && svc.Active() && len(ref.When) == 0
		if wasFirst {
			first = false
			if svc.Local() {
				rec.needArea = true
			}
		}
		switch {
		case !svc.Active():
			if first && len(ref.When) == 0 {
				rec.notes = append(rec.notes, tr(l, "closed", svc.Name, statusWords(l, svc.Status)))
			}
		case !svc.Serves(district):
			if wasFirst {
				rec.notes = append(rec.notes, tr(l, "not_your_area", svc.Name, areaName(svc)))
			}
		case len(ref.When) == 0 || slices.Contains(fits, svc.ID):
			ready = append(ready, svc)
		default:
			later = append(later, svc)
		}
	}
	if len(ready) == 0 || (district != "" && len(rec.notes) > 0 && !anyLocal(ready)) {
		ready = append(fallbacks, ready...)
	}
	if len(ready) == 0 {
		ready, later = later, nil
	}
	if len(ready) > 0 {
		m := ready[0]
		rec.main = &m
		// Services the message fits come before the others.
		others := ready[1:]
		slices.SortStableFunc(others, func(a, b directory.Service) int {
			fa, fb := slices.Contains(fits, a.ID), slices.Contains(fits, b.ID)
			switch {
			case fa && !fb:
				return -1
			case fb && !fa:
				return 1
			}
			return 0
		})
		n := min(len(others), maxAlternatives)
		rec.alts = others[:n]
		rec.rest = append(slices.Clone(others[n:]), later...)
	}
	return rec
}

func anyLocal(ss []directory.Service) bool {
	for _, s := range ss {
		if s.Local() {
			return true
		}
	}
	return false
}

func statusWords(l lang.Lang, s directory.Status) string {
	if s == directory.StatusInactive {
		return tr(l, "not_available")
	}
	return tr(l, "closed_now")
}

// fitting returns the ids of route r's services whose When words the
// normalised message n uses.
func fitting(dir Directory, r directory.Route, n string) []string {
	var out []string
	words := strings.Fields(n)
	for _, svc := range dir.ServicesFor(r) {
		ref, _ := svc.RouteRef(r)
		for _, w := range ref.When {
			if hasPhrase(words, w) {
				out = append(out, svc.ID)
				break
			}
		}
	}
	return out
}

// hasPhrase reports whether words contain the phrase p (normalised the
// same way); a trailing '*' on p matches the start of its last word.
func hasPhrase(words []string, p string) bool {
	p, prefix := strings.CutSuffix(p, "*")
	pw := strings.Fields(triage.Normalise(p))
	if len(pw) == 0 {
		return false
	}
	last := len(pw) - 1
	for i := 0; i+len(pw) <= len(words); i++ {
		ok := true
		for j, w := range pw {
			got := words[i+j]
			if (j == last && prefix && !strings.HasPrefix(got, w)) || ((j != last || !prefix) && got != w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// lookupPhrases say the person wants a contact, not a route.
var lookupPhrases = []string{
	"what is the", "what is", "whats the", "whats", "what are", "who are",
	"who is", "phone number for", "phone number of", "number for",
	"number of", "contact details for", "contact details", "contact for",
	"how do i contact", "how can i contact", "how do i call", "how do i ring",
	"tell me about", "website for", "email for", "phone number", "number",
	"contact", "details",
}

// lookupFiller are words that say nothing about which service.
var lookupFiller = map[string]bool{
	"the": true, "a": true, "an": true, "please": true, "pls": true,
	"for": true, "of": true, "to": true, "phone": true, "tel": true,
	"email": true, "website": true, "call": true, "ring": true, "s": true,
	"me": true, "give": true, "i": true, "need": true, "want": true,
	"can": true, "you": true, "get": true, "luton": true, "uk": true,
}

// maxLookupBytes is the longest message read as a question about a
// contact.
const maxLookupBytes = 80

// looksLikeLookup reports whether text asks for a contact ("what is the
// MASH?", "number for the council") or is only a name or number.
func looksLikeLookup(text string) bool {
	if len(text) > maxLookupBytes {
		return false // a question about a contact is short
	}
	if directory.QueryContactKeys(text) != nil {
		return true // "0300 300 8123": whose number is this?
	}
	n := " " + triage.Normalise(text) + " "
	for _, p := range lookupPhrases {
		if strings.Contains(n, " "+p+" ") {
			return true
		}
	}
	return len(strings.Fields(lookupQuery(text))) <= 2
}

// lookupQuery is what is left of text once the asking words are gone.
func lookupQuery(text string) string {
	n := " " + triage.Normalise(text) + " "
	for _, p := range lookupPhrases {
		n = strings.ReplaceAll(n, " "+p+" ", " ")
	}
	var kept []string
	for _, w := range strings.Fields(n) {
		if !lookupFiller[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// named returns the services that q names: by a contact's number or
// address, or by the words of the service's name before any colon
// ("Samaritans", "MASH", "Luton Council"). Several are returned in
// directory order when q is a word many names share ("police").
func named(dir Directory, q string) []directory.Service {
	keys := directory.QueryContactKeys(q)
	var out []directory.Service
	qw := strings.Fields(q)
	for _, svc := range dir.List() {
		if !svc.Active() {
			continue
		}
		match := false
		for _, ct := range svc.Contacts {
			for _, k := range directory.ContactKeys(ct.Kind, ct.Value) {
				match = match || slices.Contains(keys, k)
			}
		}
		head, _, _ := strings.Cut(svc.Name, ":")
		hw := strings.Fields(triage.Normalise(head))
		switch {
		case match:
		case len(qw) > 0 && slices.Equal(hw, qw):
			match = true
		case len(qw) == 1 && len(hw) <= 4 && slices.Contains(hw, qw[0]) && len(qw[0]) >= 3:
			match = true
		}
		if match {
			out = append(out, svc)
		}
	}
	return out
}

// scheduleWords says a schedule's weekly hours in plain words: "Monday to
// Friday, 9am to 5pm".
func scheduleWords(l lang.Lang, h directory.Schedule) string {
	var parts []string
	for _, p := range h.Weekly {
		parts = append(parts, daysWords(l, p.Days)+", "+tr(l, "time_range", clockWords(l, p.Opens), clockWords(l, p.Closes)))
	}
	s := strings.Join(parts, "; ")
	if h.BankHolidays != directory.BankHolidaysOpen {
		s += tr(l, "bank_holidays")
	}
	return s
}

var weekOrder = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// daysWords names a list of days: "Monday to Friday", "Saturday and
// Sunday", "every day".
func daysWords(l lang.Lang, days []string) string {
	idx := make([]int, 0, len(days))
	for _, d := range days {
		if i := slices.Index(weekOrder, d); i >= 0 {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	switch {
	case len(idx) == 7:
		return tr(l, "all_week")
	case len(idx) == 0:
		return ""
	case len(idx) == 1:
		return dayWord(l, weekOrder[idx[0]])
	case len(idx) == 2:
		return tr(l, "day_list", dayWord(l, weekOrder[idx[0]]), dayWord(l, weekOrder[idx[1]]))
	}
	if idx[len(idx)-1]-idx[0] == len(idx)-1 {
		return tr(l, "day_range", dayWord(l, weekOrder[idx[0]]), dayWord(l, weekOrder[idx[len(idx)-1]]))
	}
	names := make([]string, len(idx))
	for i, d := range idx {
		names[i] = dayWord(l, weekOrder[d])
	}
	return tr(l, "day_list", strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// clockWords says "09:00" as "9am", "17:30" as "5:30pm", "24:00" as
// "midnight".
func clockWords(l lang.Lang, s string) string {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return tr(l, "midnight")
		}
		return s
	}
	if t.Minute() == 0 && t.Hour() == 0 {
		return tr(l, "midnight")
	}
	if l != lang.English {
		// "9am" is English; the 24-hour clock reads the same in every
		// other language whereto speaks.
		return t.Format("15:04")
	}
	if t.Minute() == 0 {
		return t.Format("3pm")
	}
	return t.Format("3:04pm")
}

// Recommendation is where a single message leads: the route, how close
// danger is, the services in the order they would be shown, and the
// contact details a person would be given at that moment, most useful
// first.
type Recommendation struct {
	Route      directory.Route
	Danger     triage.Danger
	Confidence float64
	Services   []string
	Contacts   []string
	// Lang is the language the message is in, a BCP 47 code: "en" for
	// English (or Latin text of no language whereto knows), triage.Und
	// for a script it cannot place.
	Lang string
}

// Recommend classifies text with dir's routes and resolves the route
// against the directory at instant now, as the conversation would for
// someone in the partnership's area who said nothing more. For
// directory.RouteUnclear it names no services: the bot would ask instead.
// h says what is known of the message's language (whereto route --lang).
func Recommend(text string, dir Directory, now time.Time, h triage.Hint) Recommendation {
	t := triage.ClassifyMessage(dir, triage.Clean(text), h)
	rec := Recommendation{Route: t.Route, Danger: t.Danger, Confidence: t.Confidence, Services: []string{}, Contacts: []string{}, Lang: t.Lang}
	if rec.Lang == "" {
		rec.Lang = string(lang.English)
	}
	if t.Route == directory.RouteUnclear {
		return rec
	}
	seen := map[string]bool{}
	add := func(svc directory.Service) {
		rec.Services = append(rec.Services, svc.ID)
		for _, ct := range svc.ContactsAt(now) {
			if !seen[ct.Value] {
				seen[ct.Value] = true
				rec.Contacts = append(rec.Contacts, ct.Value)
			}
		}
	}
	if t.Route == directory.RouteEmergency {
		for _, svc := range dir.ServicesFor(t.Route) {
			if svc.Active() {
				add(svc)
			}
		}
		return rec
	}
	// As the conversation would show it to someone who skipped the
	// place question: the partnership's own area.
	r := recommend(dir, lang.English, t.Route, "", fitting(dir, t.Route, triage.Normalise(triage.Clean(text).Text())))
	if r.main != nil {
		add(*r.main)
	}
	for _, svc := range r.alts {
		add(svc)
	}
	return rec
}
