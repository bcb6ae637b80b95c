package directory

import "time"

// Audit actions, the values of AuditEntry.Action.
const (
	ActionSeed   = "seed"   // the service came with the seed directory
	ActionPut    = "put"    // a staff member added or replaced the service
	ActionDelete = "delete" // a staff member deleted the service
	// ActionRefused records an attempt to change the service by someone
	// not allowed to; Before and After are nil.
	ActionRefused = "refused"
)

// AuditEntry is one change to the directory: who made it, when, and the
// service before and after. A store writes each entry in the same
// transaction as its change and never modifies it. Its JSON form is the
// stored form.
type AuditEntry struct {
	// Seq orders entries; it increases by at least one per entry.
	Seq uint64 `json:"seq"`
	// Who is the person (or "seed") responsible, as the caller named them.
	Who string `json:"who"`
	// At is when the change was committed, in UTC.
	At time.Time `json:"at"`
	// Service is the id of the service changed; empty for a change to the
	// directory as a whole (an import's partnership, calendar or routes).
	Service string `json:"service"`
	// Action is ActionSeed, ActionPut, ActionDelete or ActionRefused.
	Action string `json:"action"`
	// Note says more, e.g. what a refused attempt tried ("edit").
	Note string `json:"note,omitempty"`
	// Before is the service before the change; nil when it was added.
	Before *Service `json:"before,omitempty"`
	// After is the service after the change; nil when it was deleted.
	After *Service `json:"after,omitempty"`
}

// Undoable reports whether the change can be reverted: a put or a delete.
// Loading the seed has nothing before it, and a refused attempt changed
// nothing.
func (e AuditEntry) Undoable() bool { return e.Action == ActionPut || e.Action == ActionDelete }

// Limits on the refused attempts a store writes, so that someone not
// allowed to change the directory cannot fill the audit log. They are
// counted over the audit log itself, so a restart does not reset them.
const (
	// RefusalWindow is the period the limits apply to: any RefusalWindow
	// before an attempt.
	RefusalWindow = time.Hour
	// RefusalsPerService is how many refused attempts by one person on
	// one service are written in a RefusalWindow.
	RefusalsPerService = 3
	// RefusalsPerPerson is how many refused attempts by one person, on
	// any services, are written in a RefusalWindow.
	RefusalsPerPerson = 10
)

// RefusalTally decides whether a refused attempt is over the limits
// above. Create it with NewRefusalTally for the attempt, then give Add the
// audit log's entries newest first until it says done. The zero value is
// not usable.
type RefusalTally struct {
	who, service          string
	since                 time.Time
	perService, perPerson int
}

// NewRefusalTally returns a tally for the refused attempt e (its Who,
// Service and At).
func NewRefusalTally(e AuditEntry) *RefusalTally {
	return &RefusalTally{who: e.Who, service: e.Service, since: e.At.Add(-RefusalWindow)}
}

// Add counts one earlier entry (only who, service, action and at are
// read). over says the attempt is over a limit; done says no older entry
// can change the answer (over, or this entry is older than the window).
func (t *RefusalTally) Add(who, service, action string, at time.Time) (over, done bool) {
	if !at.After(t.since) {
		return false, true
	}
	if action != ActionRefused || who != t.who {
		return false, false
	}
	t.perPerson++
	if service == t.service {
		t.perService++
	}
	if t.perService >= RefusalsPerService || t.perPerson >= RefusalsPerPerson {
		return true, true
	}
	return false, false
}
