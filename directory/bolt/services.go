package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// PutService adds svc, or replaces the service with the same ID, on behalf
// of who (a staff member's name or id, kept in the audit log). The whole
// resulting directory is validated first: an invalid service, or one whose
// change leaves a route without a service, is rejected with an error
// wrapping *directory.ValidationError and nothing changes. The change and
// its audit entry are written durably in one transaction; Directory returns
// the new snapshot once PutService returns. svc is copied, so the caller may
// reuse it.
func (s *Store) PutService(ctx context.Context, who string, svc directory.Service) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	err := s.edit(func(d *directory.Directory) (directory.AuditEntry, error) {
		return d.Put(who, svc), nil
	})
	if err != nil {
		return fmt.Errorf("store: put service %q: %w", svc.ID, err)
	}
	return nil
}

// DeleteService deletes the service with the given id on behalf of who. It
// returns an error wrapping directory.ErrNotFound if there is none, and one
// wrapping *directory.ValidationError if the directory would be invalid
// without it (for example, it is the only service on a route); then nothing
// changes. The deletion and its audit entry are written durably in one
// transaction.
func (s *Store) DeleteService(ctx context.Context, who, id string) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	err := s.edit(func(d *directory.Directory) (directory.AuditEntry, error) {
		return d.Delete(who, id)
	})
	if err != nil {
		return fmt.Errorf("store: delete service %q: %w", id, err)
	}
	return nil
}

// edit runs one directory change in a write transaction: it loads the
// stored directory, lets change modify it and describe the change, validates
// the result, writes the changed service and the audit entry, and after the
// commit installs the result as the snapshot. The caller holds s.life.
func (s *Store) edit(change func(d *directory.Directory) (directory.AuditEntry, error)) error {
	s.editMu.Lock()
	defer s.editMu.Unlock()
	var next *directory.Directory
	err := s.db.Update(func(tx *bbolt.Tx) error {
		d, err := loadDirectory(tx)
		if err != nil {
			return err
		}
		e, err := change(d)
		if err != nil {
			return err
		}
		if err := d.Validate(); err != nil {
			return err
		}
		b := tx.Bucket([]byte(bucketServices))
		if e.After != nil {
			v, err := json.Marshal(e.After)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(e.Service), v); err != nil {
				return err
			}
		} else if err := b.Delete([]byte(e.Service)); err != nil {
			return err
		}
		e.At = time.Now().UTC()
		if err := appendAudit(tx, &e); err != nil {
			return err
		}
		next = d
		return nil
	})
	if err != nil {
		return mapClosed(err)
	}
	next.Prepare()
	s.dir.Store(next)
	return nil
}

// History returns the audit entries for the service with the given id,
// oldest first, or every entry when id is empty. A service with no entries
// gives an empty slice and no error. An audit entry that does not decode
// (a damaged file) gives an error wrapping ErrDamaged that names the entry,
// never a panic. The caller owns the result.
func (s *Store) History(ctx context.Context, id string) ([]directory.AuditEntry, error) {
	if err := s.enter(ctx, false); err != nil {
		return nil, err
	}
	defer s.life.RUnlock()
	var out []directory.AuditEntry
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketAudit))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			e, err := decodeAudit(k, v)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrDamaged, err)
			}
			if id != "" && e.Service != id {
				return nil
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: history of %q: %w", id, mapClosed(err))
	}
	return out, nil
}

// maxRefusalScan bounds how many audit entries, newest first, are read to
// count a person's recent refusals. Refusals are counted among the newest
// entries, so only more than this many entries within one RefusalWindow
// (a large import) can let a few more through; the cost of a refusal
// stays bounded however large the log grows.
const maxRefusalScan = 5000

// RecordRefusal writes an audit entry saying that who tried to change the
// service id (what they tried, e.g. "edit", goes in Note) and was refused,
// and reports whether it wrote one. Within the limits above it writes the
// entry, durably, and returns true. Beyond them it writes nothing and
// returns false and no error: the attempt is the caller's to count or log.
// The directory is never changed. An audit entry that does not decode
// gives an error wrapping ErrDamaged.
func (s *Store) RecordRefusal(ctx context.Context, who, id, what string) (bool, error) {
	if err := s.enter(ctx, true); err != nil {
		return false, err
	}
	defer s.life.RUnlock()
	recorded, err := s.recordRefusal(directory.AuditEntry{Who: who, At: time.Now().UTC(), Service: id, Action: directory.ActionRefused, Note: what})
	if err != nil {
		return false, fmt.Errorf("store: record refusal for %q: %w", id, mapClosed(err))
	}
	return recorded, nil
}

// recordRefusal writes e, a refusal with its time set, unless its person
// is over a limit at e.At. A read comes first, so that an attempt over the
// limit costs no write (and no fsync); the count is taken again in the
// write, where a concurrent refusal may have been added.
func (s *Store) recordRefusal(e directory.AuditEntry) (bool, error) {
	var over bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		over, err = refusalsOver(tx, e)
		return err
	})
	if err != nil || over {
		return false, err
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		var err error
		if over, err = refusalsOver(tx, e); err != nil || over {
			return err
		}
		return appendAudit(tx, &e)
	})
	if err != nil {
		return false, err
	}
	return !over, nil
}

// refusalsOver reports whether e's person already has RefusalsPerService
// refusals on e's service, or RefusalsPerPerson on any, written in the
// RefusalWindow before e.At. It reads the audit log newest first and stops
// at the first entry older than the window, or after maxRefusalScan.
func refusalsOver(tx *bbolt.Tx, e directory.AuditEntry) (bool, error) {
	b := tx.Bucket([]byte(bucketAudit))
	if b == nil {
		return false, nil
	}
	tally := directory.NewRefusalTally(e)
	read := 0
	c := b.Cursor()
	for k, v := c.Last(); k != nil && read < maxRefusalScan; k, v = c.Prev() {
		read++
		// Only these fields are needed; Before and After are skipped.
		var r struct {
			Who     string    `json:"who"`
			At      time.Time `json:"at"`
			Service string    `json:"service"`
			Action  string    `json:"action"`
		}
		if len(k) != 8 || v == nil {
			_, err := decodeAudit(k, v) // says which
			return false, fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if err := json.Unmarshal(v, &r); err != nil {
			return false, fmt.Errorf("%w: audit entry #%d does not decode: %v", ErrDamaged, getUint64(k), err)
		}
		if over, done := tally.Add(r.Who, r.Service, r.Action, r.At); done {
			return over, nil
		}
	}
	return false, nil
}

// appendAudit gives e the bucket's next sequence number and writes it.
func appendAudit(tx *bbolt.Tx, e *directory.AuditEntry) error {
	b := tx.Bucket([]byte(bucketAudit))
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put(putUint64(seq), v)
}

// seed writes the seed directory (directory.Default when d is nil) into a
// never-seeded file: services, partnership, one audit entry per service and
// the "seeded" mark, all in the caller's transaction.
func seed(tx *bbolt.Tx, d *directory.Directory) error {
	if d == nil {
		var err error
		if d, err = directory.Default(); err != nil {
			return err
		}
	}
	if err := d.Validate(); err != nil {
		return fmt.Errorf("seed directory: %w", err)
	}
	at := time.Now().UTC()
	sb := tx.Bucket([]byte(bucketServices))
	for _, svc := range d.Services {
		v, err := json.Marshal(svc)
		if err != nil {
			return err
		}
		if err := sb.Put([]byte(svc.ID), v); err != nil {
			return err
		}
		e := directory.AuditEntry{Who: "seed", At: at, Service: svc.ID, Action: directory.ActionSeed, After: &svc}
		if err := appendAudit(tx, &e); err != nil {
			return err
		}
	}
	meta := tx.Bucket([]byte(bucketMeta))
	p, err := json.Marshal(d.Partnership)
	if err != nil {
		return err
	}
	if err := meta.Put([]byte(keyPartnership), p); err != nil {
		return err
	}
	if err := putHolidays(tx, d.BankHolidays); err != nil {
		return err
	}
	if err := putRoutes(tx, d); err != nil {
		return err
	}
	return meta.Put([]byte(keySeeded), []byte(at.Format(time.RFC3339)))
}

// putHolidays stores the bank holiday calendar in meta.
func putHolidays(tx *bbolt.Tx, hs []directory.Holiday) error {
	v, err := json.Marshal(hs)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyHolidays), v)
}

// storedRoutes is the value of meta "routes".
type storedRoutes struct {
	Routes []directory.RouteInfo `json:"routes"`
	Menu   []directory.MenuGroup `json:"menu,omitempty"`
	Places directory.PlaceNames  `json:"places"`
}

// putRoutes stores the route definitions and the menu in meta.
func putRoutes(tx *bbolt.Tx, d *directory.Directory) error {
	v, err := json.Marshal(storedRoutes{Routes: d.Routes, Menu: d.Menu, Places: d.PlaceNames})
	if err != nil {
		return err
	}
	return tx.Bucket([]byte(bucketMeta)).Put([]byte(keyRoutes), v)
}

// loadDirectory decodes the stored directory: the partnership and the
// services in key (id) order. It does not validate. The result shares no
// memory with the transaction.
func loadDirectory(tx *bbolt.Tx) (*directory.Directory, error) {
	d := &directory.Directory{Schema: directory.SchemaVersion}
	holidaysStored, routesStored := false, false
	if meta := tx.Bucket([]byte(bucketMeta)); meta != nil {
		if v := meta.Get([]byte(keyPartnership)); v != nil {
			if err := json.Unmarshal(v, &d.Partnership); err != nil {
				return nil, fmt.Errorf("stored partnership: %w", err)
			}
		}
		if v := meta.Get([]byte(keyHolidays)); v != nil {
			if err := json.Unmarshal(v, &d.BankHolidays); err != nil {
				return nil, fmt.Errorf("stored bank holidays: %w", err)
			}
			holidaysStored = true
		}
		if v := meta.Get([]byte(keyRoutes)); v != nil {
			var sr storedRoutes
			if err := json.Unmarshal(v, &sr); err != nil {
				return nil, fmt.Errorf("stored routes: %w", err)
			}
			d.Routes, d.Menu, d.PlaceNames = sr.Routes, sr.Menu, sr.Places
			routesStored = true
		}
	}
	if !holidaysStored {
		// A file seeded before the calendar was kept in the store: use
		// the calendar shipped with the default data.
		if def, err := directory.Default(); err == nil {
			d.BankHolidays = def.BankHolidays
		}
	}
	defer d.Prepare()
	b := tx.Bucket([]byte(bucketServices))
	if b == nil {
		return d, nil
	}
	err := b.ForEach(func(k, v []byte) error {
		var svc directory.Service
		if err := json.Unmarshal(v, &svc); err != nil {
			return fmt.Errorf("stored service %q: %w", k, err)
		}
		d.Services = append(d.Services, svc)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !routesStored {
		// A file written before routes were data: the default routes
		// that its services are on.
		if def, err := directory.Default(); err == nil {
			d.AdoptRoutes(def)
		}
	}
	return d, nil
}
