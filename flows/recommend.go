package flows

import (
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// Recommendation is where a single message leads: the route, the services
// in the order they would be shown, and the contact details a person would
// be given at that moment, most useful first.
type Recommendation struct {
	Route      directory.Route
	Confidence float64
	Services   []string
	Contacts   []string
}

// Recommend classifies text and resolves the route against the directory at
// instant now, as the conversation would for someone in the partnership's
// area. For directory.RouteUnclear it names no services: the bot would ask
// instead.
func Recommend(text string, dir Directory, now time.Time) Recommendation {
	t := Classify(text)
	rec := Recommendation{Route: t.Route, Confidence: t.Confidence, Services: []string{}, Contacts: []string{}}
	if t.Route == directory.RouteUnclear {
		return rec
	}
	seen := map[string]bool{}
	// As the conversation would show it to someone who skipped the
	// postcode question: the partnership's own area.
	for _, svc := range recommend(dir, t.Route, "").shown {
		rec.Services = append(rec.Services, svc.ID)
		for _, ct := range svc.ContactsAt(now) {
			if !seen[ct.Value] {
				seen[ct.Value] = true
				rec.Contacts = append(rec.Contacts, ct.Value)
			}
		}
	}
	return rec
}
