package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// DirectorySource gives the current directory snapshot. The store
// implements it. The snapshot must not be modified; a new snapshot (a new
// pointer) is returned after each change.
type DirectorySource interface {
	Directory() *directory.Directory
}

// Store is what the Slack app needs from the whereto store, as methods of
// *bolt.Store (directory/bolt) have them. E and R are the store's audit
// entry and stats row types (bolt.AuditEntry and bolt.StatRow): they are
// type parameters so that this package need not import the store, and Go
// infers them, so New(cfg, st, st) just works with a *bolt.Store. The app
// reads E and R through their JSON form (seq, who, at, service, action,
// note, before, after; Day, Route, Count), which is the store's file format
// and therefore stable.
//
// Every change (PutService, DeleteService) must be written together with
// its audit entry, naming who made it; History must return those entries
// oldest first. Implementations must be safe for concurrent use.
type Store[E, R any] interface {
	// MarkSeen records that id in namespace ns was handled, until expires,
	// and reports whether it was new.
	MarkSeen(ctx context.Context, ns, id string, expires time.Time) (bool, error)
	// PutService adds or replaces a service, validating the whole
	// directory (an error wrapping *directory.ValidationError if invalid).
	PutService(ctx context.Context, who string, svc directory.Service) error
	// DeleteService removes a service (directory.ErrNotFound, or a
	// *directory.ValidationError if the directory would be invalid).
	DeleteService(ctx context.Context, who, id string) error
	// RecordRefusal audits an attempt by who to change id that was
	// refused, and reports whether it did: a store may write only a few
	// per person and service (bolt writes 3 an hour) and return false,
	// nil for the rest, which the app counts instead.
	RecordRefusal(ctx context.Context, who, id, what string) (bool, error)
	// History returns the audit entries of a service, oldest first.
	History(ctx context.Context, id string) ([]E, error)
	// Stats returns conversation counts per day and route, days inclusive.
	Stats(ctx context.Context, fromDay, toDay string) ([]R, error)
}

// auditEntry is this package's reading of one audit entry (bolt.AuditEntry).
type auditEntry struct {
	Seq     uint64             `json:"seq"`
	Who     string             `json:"who"`
	At      time.Time          `json:"at"`
	Service string             `json:"service"`
	Action  string             `json:"action"`
	Note    string             `json:"note,omitempty"`
	Before  *directory.Service `json:"before,omitempty"`
	After   *directory.Service `json:"after,omitempty"`
}

// Audit actions, as the store writes them.
const (
	actionSeed    = "seed"
	actionPut     = "put"
	actionDelete  = "delete"
	actionRefused = "refused"
)

// statRow is this package's reading of one stats row (bolt.StatRow).
type statRow struct {
	Day   string
	Route string
	Count uint64
}

// errStoreShape is returned when the store's audit or stats rows do not
// read as expected: a store whose types changed shape.
var errStoreShape = errors.New("slack: store rows have an unexpected shape")

// store is the non-generic view of a Store that the rest of the package
// uses.
type store interface {
	MarkSeen(ctx context.Context, ns, id string, expires time.Time) (bool, error)
	PutService(ctx context.Context, who string, svc directory.Service) error
	DeleteService(ctx context.Context, who, id string) error
	RecordRefusal(ctx context.Context, who, id, what string) (bool, error)
	history(ctx context.Context, id string) ([]auditEntry, error)
	stats(ctx context.Context, fromDay, toDay string) ([]statRow, error)
}

// storeAdapter turns a Store[E, R] into a store.
type storeAdapter[E, R any] struct{ Store[E, R] }

func (s storeAdapter[E, R]) history(ctx context.Context, id string) ([]auditEntry, error) {
	in, err := s.History(ctx, id)
	if err != nil {
		return nil, err
	}
	out, err := reshape[auditEntry](in)
	if err != nil {
		return nil, err
	}
	for _, e := range out {
		if e.Seq == 0 || e.Action == "" {
			return nil, fmt.Errorf("%w: audit entry without seq or action", errStoreShape)
		}
	}
	return out, nil
}

func (s storeAdapter[E, R]) stats(ctx context.Context, fromDay, toDay string) ([]statRow, error) {
	in, err := s.Stats(ctx, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	out, err := reshape[statRow](in)
	if err != nil {
		return nil, err
	}
	for _, r := range out {
		if r.Day == "" || r.Route == "" {
			return nil, fmt.Errorf("%w: stats row without day or route", errStoreShape)
		}
	}
	return out, nil
}

// reshape converts a slice of one struct type to another through JSON.
func reshape[T, F any](in []F) ([]T, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errStoreShape, err)
	}
	var out []T
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("%w: %v", errStoreShape, err)
	}
	return out, nil
}
