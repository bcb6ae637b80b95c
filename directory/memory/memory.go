// Package memory is the directory store contract (directory.Store) held in
// memory: for tests, and to prove the contract complete beside
// directory/bolt. Nothing survives Close. The same contract tests
// (directory/storetest) run against both.
package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// Store is a directory store in memory. Create it with New. All methods
// are safe for concurrent use.
type Store struct {
	// dir is the current snapshot, replaced after each change.
	dir atomic.Pointer[directory.Directory]
	// Now is the clock of audit entries; nil means time.Now. Set it
	// before first use.
	Now func() time.Time

	mu     sync.Mutex // guards the fields below and serialises changes
	closed bool
	audit  []directory.AuditEntry
	counts map[string]uint64 // "day:route"
}

var _ directory.Store = (*Store)(nil)

// New returns a store holding seed (validated, copied and prepared), with
// one audit entry per service, as a new bolt file gets. A nil seed means
// directory.Default().
func New(seed *directory.Directory) (*Store, error) {
	if seed == nil {
		var err error
		if seed, err = directory.Default(); err != nil {
			return nil, err
		}
	}
	if err := seed.Validate(); err != nil {
		return nil, fmt.Errorf("memory: seed directory: %w", err)
	}
	d := seed.Clone()
	slices.SortFunc(d.Services, func(a, b directory.Service) int { return strings.Compare(a.ID, b.ID) })
	d.Prepare()
	s := &Store{counts: map[string]uint64{}}
	at := time.Now().UTC()
	for _, svc := range d.Services {
		after := svc.Clone()
		s.audit = append(s.audit, directory.AuditEntry{Seq: uint64(len(s.audit) + 1), Who: "seed", At: at, Service: svc.ID, Action: directory.ActionSeed, After: &after})
	}
	s.dir.Store(d)
	return s, nil
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Directory returns the current snapshot (directory.Source).
func (s *Store) Directory() *directory.Directory { return s.dir.Load() }

// enter locks s for a call, or says why not.
func (s *Store) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return directory.ErrClosed
	}
	return nil
}

// change applies edit to a copy of the directory, validates it, appends
// its audit entries and installs it.
func (s *Store) change(ctx context.Context, edit func(d *directory.Directory) ([]directory.AuditEntry, error)) error {
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	d := s.dir.Load().Clone()
	entries, err := edit(d)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	at := s.now()
	for _, e := range entries {
		s.appendAudit(e, at)
	}
	d.Prepare()
	s.dir.Store(d)
	return nil
}

func (s *Store) appendAudit(e directory.AuditEntry, at time.Time) {
	e.Seq, e.At = uint64(len(s.audit)+1), at
	s.audit = append(s.audit, e)
}

// PutService adds or replaces svc (directory.Editor).
func (s *Store) PutService(ctx context.Context, who string, svc directory.Service) error {
	err := s.change(ctx, func(d *directory.Directory) ([]directory.AuditEntry, error) {
		return []directory.AuditEntry{d.Put(who, svc)}, nil
	})
	if err != nil {
		return fmt.Errorf("memory: put service %q: %w", svc.ID, err)
	}
	return nil
}

// DeleteService removes the service id (directory.Editor).
func (s *Store) DeleteService(ctx context.Context, who, id string) error {
	err := s.change(ctx, func(d *directory.Directory) ([]directory.AuditEntry, error) {
		e, err := d.Delete(who, id)
		return []directory.AuditEntry{e}, err
	})
	if err != nil {
		return fmt.Errorf("memory: delete service %q: %w", id, err)
	}
	return nil
}

// Import merges in (directory.Editor).
func (s *Store) Import(ctx context.Context, who string, in *directory.Directory) ([]directory.ImportResult, error) {
	var results []directory.ImportResult
	err := s.change(ctx, func(d *directory.Directory) ([]directory.AuditEntry, error) {
		var entries []directory.AuditEntry
		results, entries = d.Merge(who, in)
		return entries, nil
	})
	if err != nil {
		return nil, fmt.Errorf("memory: import: %w", err)
	}
	return results, nil
}

// History returns the audit entries of id, or all (directory.AuditLog).
func (s *Store) History(ctx context.Context, id string) ([]directory.AuditEntry, error) {
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	var out []directory.AuditEntry
	for _, e := range s.audit {
		if id == "" || e.Service == id {
			out = append(out, clone(e))
		}
	}
	return out, nil
}

// clone copies e's services, so the caller owns what History returns.
func clone(e directory.AuditEntry) directory.AuditEntry {
	if e.Before != nil {
		b := e.Before.Clone()
		e.Before = &b
	}
	if e.After != nil {
		a := e.After.Clone()
		e.After = &a
	}
	return e
}

// RecordRefusal audits a refused attempt within the limits
// (directory.AuditLog).
func (s *Store) RecordRefusal(ctx context.Context, who, id, what string) (bool, error) {
	if err := s.enter(ctx); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	e := directory.AuditEntry{Who: who, At: s.now(), Service: id, Action: directory.ActionRefused, Note: what}
	tally := directory.NewRefusalTally(e)
	for _, prev := range slices.Backward(s.audit) {
		if over, done := tally.Add(prev.Who, prev.Service, prev.Action, prev.At); done {
			if over {
				return false, nil
			}
			break
		}
	}
	s.appendAudit(e, e.At)
	return true, nil
}

// CountRoute adds one to route's count on day (directory.Counter).
func (s *Store) CountRoute(ctx context.Context, day, route string) error {
	if err := directory.CheckDay(day); err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	if route == "" {
		return fmt.Errorf("memory: route is empty")
	}
	if err := s.enter(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.counts[day+":"+route]++
	return nil
}

// Stats returns the counts from fromDay to toDay (directory.Counter).
func (s *Store) Stats(ctx context.Context, fromDay, toDay string) ([]directory.StatRow, error) {
	for _, d := range []string{fromDay, toDay} {
		if d != "" {
			if err := directory.CheckDay(d); err != nil {
				return nil, fmt.Errorf("memory: %w", err)
			}
		}
	}
	if err := s.enter(ctx); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	rows := []directory.StatRow{}
	for k, n := range s.counts {
		day, route := k[:10], k[11:]
		if (fromDay == "" || day >= fromDay) && (toDay == "" || day <= toDay) {
			rows = append(rows, directory.StatRow{Day: day, Route: route, Count: n})
		}
	}
	directory.SortStatRows(rows)
	return rows, nil
}

// Close closes the store; later calls but Directory and Close return
// directory.ErrClosed. A second Close returns nil.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}
