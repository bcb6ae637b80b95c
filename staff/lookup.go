package staff

import (
	"strings"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/triage"
)

// Kind says how a look-up found its services.
type Kind int

// The ways a look-up finds services, in the order LookUp tries them.
const (
	KindNone      Kind = iota // nothing matched
	KindID                    // the query is a service id
	KindContact               // the query is a phone number, email or web address of services
	KindName                  // the query names services (name or keywords)
	KindSituation             // the classifier read the query as a situation
	KindPartial               // some words matched services' names or keywords
)

// MaxClosed bounds the closed services a situation's answer explains.
const MaxClosed = 3

// Answer is the result of a look-up.
type Answer struct {
	Kind Kind
	// Services are the services to show, best first, at most the limit
	// LookUp was given; Total is how many matched in all.
	Services []directory.Service
	Total    int
	// Route and Second are the classifier's routes for KindSituation.
	Route, Second directory.Route
	// Closed are services on Route that are not active and would have
	// come before the first one shown (at most MaxClosed): an answer
	// explains them.
	Closed []directory.Service
}

// LookUp finds what query asks for in the directory d, whose look-up index
// is ix (d.Index()): an exact service id; then services with the phone
// number (however spaced), email or web address it is; then services the
// query names (every word on a service's id, name or keywords); then the
// situation the classifier reads in it (its route's active services, then
// those of a second concern); then services matching some of its words.
// It shows at most limit services. query is already cleaned of the
// front end's markup; "" finds nothing. It is pure and safe for concurrent
// use.
func LookUp(d *directory.Directory, ix *directory.Index, query string, limit int) Answer {
	if query == "" {
		return Answer{}
	}
	lower := strings.ToLower(query)
	if s, ok := ix.Service(lower); ok {
		return Answer{Kind: KindID, Services: []directory.Service{s}, Total: 1}
	}
	if found := ix.ByContact(query); len(found) > 0 {
		return Answer{Kind: KindContact, Services: found[:min(len(found), limit)], Total: len(found)}
	}
	res := ix.Match(lower, limit)
	if len(res.Full) > 0 {
		return Answer{Kind: KindName, Services: res.Full, Total: res.FullTotal}
	}
	if t := triage.ClassifyFor(d, query); t.Route != directory.RouteUnclear && t.Route != "" {
		if a := situation(ix, t.Route, t.Second, limit); a.Total > 0 {
			return a
		}
	}
	if len(res.Partial) > 0 {
		return Answer{Kind: KindPartial, Services: res.Partial, Total: res.PartialTotal}
	}
	return Answer{}
}

// situation answers a route (and a second concern's) with their active
// services, best first, each once.
func situation(ix *directory.Index, route, second directory.Route, limit int) Answer {
	a := Answer{Kind: KindSituation, Route: route, Second: second}
	for s := range ix.Active(route) {
		a.Total++
		if len(a.Services) < limit {
			a.Services = append(a.Services, *s)
		}
	}
	if second != "" && second != directory.RouteUnclear && second != route {
		for s := range ix.Active(second) {
			if _, onFirst := s.RouteRef(route); onFirst {
				continue
			}
			a.Total++
			if len(a.Services) < limit {
				a.Services = append(a.Services, *s)
			}
		}
	}
	if len(a.Services) > 0 {
		lead, onRoute := a.Services[0].RouteRef(route)
		for s := range ix.Inactive(route) {
			if ref, _ := s.RouteRef(route); (!onRoute || ref.Order <= lead.Order) && !ref.Fallback && len(a.Closed) < MaxClosed {
				a.Closed = append(a.Closed, *s)
			}
		}
	}
	return a
}
