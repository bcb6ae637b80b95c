package directory

import (
	"slices"
	"strings"
	"time"
)

// StaleAfterDays is how many days after its last verification a service
// is due for a check, unless the caller says otherwise.
const StaleAfterDays = 180

// StaleCutoff returns the UK date (YYYY-MM-DD) days before now: a
// verification before it is too old.
func StaleCutoff(now time.Time, days int) string {
	return UKDay(now.In(London()).AddDate(0, 0, -days))
}

// Outdated reports whether s was never verified or last verified before
// cutoff (a StaleCutoff).
func (s Service) Outdated(cutoff string) bool { return s.Verified == "" || s.Verified < cutoff }

// Stale reports whether s needs checking against its source: it is
// Outdated, or it is marked for review (Review says what the partnership
// must still confirm, so a service with an open question is not checked
// however recently someone verified the rest of it).
func (s Service) Stale(cutoff string) bool { return s.Outdated(cutoff) || s.Review != "" }

// Stale returns the services of d that need checking at now, with
// verifications older than days counting as outdated: never verified
// first, then the oldest verification first, then those only marked for
// review; by id within each. The caller owns the slice, not the services'
// shared fields.
func (d *Directory) Stale(now time.Time, days int) []Service {
	cutoff := StaleCutoff(now, days)
	var out []Service
	for _, s := range d.Services {
		if s.Stale(cutoff) {
			out = append(out, s)
		}
	}
	rank := func(s Service) string {
		if s.Outdated(cutoff) {
			return s.Verified // "" (never) sorts first
		}
		return "~" // after every date
	}
	slices.SortStableFunc(out, func(a, b Service) int {
		if c := strings.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}
