package directory

import (
	"context"
	"errors"
)

// The store contract: what a place that keeps the directory (directory/bolt
// on disk, directory/memory in tests) does, so that front ends (Slack, the
// CLI, a web admin later) depend on these interfaces and not on a store.
// Each is small; a front end asks for the ones it uses. The contract tests
// in directory/storetest hold every implementation to the documentation
// below.

// Errors of the store contract, tested with errors.Is. Implementations
// wrap them with the path or argument at fault.
var (
	// ErrReadOnly is returned by every method that writes when the store
	// was opened read-only.
	ErrReadOnly = errors.New("store: opened read-only")
	// ErrClosed is returned by every method (except Directory and Close)
	// called after Close.
	ErrClosed = errors.New("store: closed")
	// ErrDamaged is returned, wrapped with what is wrong and where, when
	// stored data does not read back (an audit entry that does not
	// decode, a damaged file).
	ErrDamaged = errors.New("store: database file is damaged")
)

// Source gives the current directory snapshot. It never fails and stays
// valid after the store is closed. The snapshot is shared and prepared:
// callers must not modify it (Clone it first). Each change replaces the
// snapshot rather than changing it, so a new pointer means a new version.
type Source interface {
	Directory() *Directory
}

// Editor changes the directory. Every change is validated as a whole
// directory first: an invalid result is refused with an error wrapping
// *ValidationError and nothing changes. Each change is written together
// with its audit entries (naming who), durably, before the method returns;
// the Source's snapshot shows it from then on. Arguments are copied.
type Editor interface {
	// PutService adds svc, or replaces the service with its id (audit
	// action ActionPut).
	PutService(ctx context.Context, who string, svc Service) error
	// DeleteService removes the service with the given id (ActionDelete);
	// an error wrapping ErrNotFound if there is none.
	DeleteService(ctx context.Context, who, id string) error
	// Import merges in by the rule of Directory.Merge in one change,
	// with an audit entry per change, and returns Merge's results.
	Import(ctx context.Context, who string, in *Directory) ([]ImportResult, error)
}

// AuditLog reads the audit log and records refused attempts.
type AuditLog interface {
	// History returns the audit entries of the service with the given id,
	// oldest first (every entry when id is empty); none is not an error.
	// Seq increases along the list. The caller owns the result.
	History(ctx context.Context, id string) ([]AuditEntry, error)
	// RecordRefusal audits an attempt by who to change the service id
	// (what they tried in Note) that was refused, and reports whether it
	// wrote it: within the limits of RefusalTally it does; beyond them it
	// writes nothing and returns false and no error. The directory never
	// changes.
	RecordRefusal(ctx context.Context, who, id, what string) (bool, error)
}

// Counter counts conversations per day and route, anonymously.
type Counter interface {
	// CountRoute adds one to the count of route on day ("YYYY-MM-DD"). It
	// may buffer; Stats sees buffered counts. An error for a malformed day
	// or an empty route.
	CountRoute(ctx context.Context, day, route string) error
	// Stats returns the counts from fromDay to toDay inclusive (an empty
	// bound is open), sorted by day and then route (SortStatRows). An
	// error for a malformed day. The caller owns the result.
	Stats(ctx context.Context, fromDay, toDay string) ([]StatRow, error)
}

// Store is the whole contract. Implementations are safe for concurrent
// use.
type Store interface {
	Source
	Editor
	AuditLog
	Counter
	// Close releases the store, writing what it buffered. A second Close
	// returns nil.
	Close() error
}
