package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

// maxQueryBytes bounds the text a look-up reads. Staff look contacts up in
// a few words; the bound keeps a pasted essay from costing anything.
const maxQueryBytes = 1000

// answerKind says how a look-up found its services.
type answerKind int

const (
	answerNone      answerKind = iota // nothing matched
	answerID                          // the query is a service id
	answerName                        // the query names services (name or keywords)
	answerSituation                   // the classifier read the query as a situation
	answerPartial                     // some words matched services' names or keywords
	answerContact                     // the query is a phone number, email or web address of services
)

// answer is the result of a look-up: the services to show, best first (at
// most maxShown), and how many matched in all.
type answer struct {
	kind     answerKind
	services []directory.Service
	total    int
	// route and second are the classifier's routes for answerSituation.
	route, second directory.Route
	// closed are the services on route that are not active and would
	// have come before the first one shown: an answer explains them.
	closed []directory.Service
}

// cleanQuery makes text safe to look up: valid UTF-8, Slack's entity
// escapes (&amp; &lt; &gt;) undone, user and channel mentions and other
// <...> markup dropped, control characters removed, spaces collapsed, and
// at most maxQueryBytes long.
func cleanQuery(text string) string {
	if len(text) > 4*maxQueryBytes {
		text = text[:4*maxQueryBytes]
	}
	text = strings.ToValidUTF8(text, " ")
	// Drop Slack markup such as <@U123>, <#C123|name>, <!here>; a link's
	// label is kept.
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '>')
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		inner := text[i+1 : i+j]
		k := strings.IndexByte(inner, '|')
		switch {
		case k >= 0 && !strings.HasPrefix(inner, "@") && !strings.HasPrefix(inner, "#") && !strings.HasPrefix(inner, "!"):
			b.WriteString(" " + inner[k+1:] + " ")
		case strings.HasPrefix(inner, "http://"), strings.HasPrefix(inner, "https://"):
			// A link without a label: its address, to look up.
			b.WriteString(" " + inner + " ")
		case strings.HasPrefix(inner, "mailto:"):
			b.WriteString(" " + strings.TrimPrefix(inner, "mailto:") + " ")
		case strings.HasPrefix(inner, "tel:"):
			b.WriteString(" " + strings.TrimPrefix(inner, "tel:") + " ")
		default:
			b.WriteByte(' ')
		}
		text = text[i+j+1:]
	}
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(b.String())
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return text
}

// lookUp finds what text asks for in the indexed directory: an exact
// service id; then services with the phone number (however spaced), email
// or web address it is; then services the text names (every word on a service's id,
// name or keywords); then the situation the classifier reads in it (its
// route's services, then those of a second concern; for danger the
// emergency service comes first); then services matching some of its
// words. It is pure and safe for concurrent use.
func lookUp(ix *index, text string) answer {
	q := cleanQuery(text)
	if q == "" {
		return answer{}
	}
	lower := strings.ToLower(q)
	if s, ok := ix.service(lower); ok {
		return answer{kind: answerID, services: []directory.Service{s}, total: 1}
	}
	if found := ix.ix.ByContact(q); len(found) > 0 {
		return answer{kind: answerContact, services: found[:min(len(found), maxShown)], total: len(found)}
	}
	res := ix.ix.Match(lower, maxShown)
	if len(res.Full) > 0 {
		return answer{kind: answerName, services: res.Full, total: res.FullTotal}
	}
	if t := flows.ClassifyFor(ix.dir, q); t.Route != directory.RouteUnclear && t.Route != "" {
		if a := situation(ix, t.Route, t.Second); a.total > 0 {
			return a
		}
	}
	if len(res.Partial) > 0 {
		return answer{kind: answerPartial, services: res.Partial, total: res.PartialTotal}
	}
	return answer{}
}

// situation answers a route (and a second concern's) with their active
// services, best first, each once.
func situation(ix *index, route, second directory.Route) answer {
	a := answer{kind: answerSituation, route: route, second: second}
	for s := range ix.ix.Active(route) {
		a.total++
		if len(a.services) < maxShown {
			a.services = append(a.services, *s)
		}
	}
	if second != "" && second != directory.RouteUnclear && second != route {
		for s := range ix.ix.Active(second) {
			if _, onFirst := s.RouteRef(route); onFirst {
				continue
			}
			a.total++
			if len(a.services) < maxShown {
				a.services = append(a.services, *s)
			}
		}
	}
	if len(a.services) > 0 {
		lead, onRoute := a.services[0].RouteRef(route)
		for s := range ix.ix.Inactive(route) {
			if ref, _ := s.RouteRef(route); (!onRoute || ref.Order <= lead.Order) && !ref.Fallback && len(a.closed) < maxClosedShown {
				a.closed = append(a.closed, *s)
			}
		}
	}
	return a
}

// maxClosedShown bounds the closed services an answer explains.
const maxClosedShown = 3

// emergencyContact returns the number to call in danger, from the
// directory's emergency route (its first active service that is not a
// fallback), or 999 if the directory is broken.
func emergencyContact(ix *index) directory.Contact {
	c, _ := ix.dir.EmergencyContact()
	return c
}
