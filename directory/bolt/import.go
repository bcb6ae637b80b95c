package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// Import merges in into the stored directory on behalf of who, by the rule
// of directory.Directory.Merge: a service with a new id is added, one with
// a known id replaces it, services not in the file are kept; the
// partnership, calendar and routes are replaced when in has them. The
// merged directory is validated as a whole first, and the whole import is
// one transaction: any problem (an invalid record, a route left without a
// service) and nothing changes; the error wraps *directory.ValidationError.
// Every change gets an audit entry in that transaction. It returns one
// result per service of the file, in file order.
func (s *Store) Import(ctx context.Context, who string, in *directory.Directory) ([]directory.ImportResult, error) {
	if err := s.enter(ctx, true); err != nil {
		return nil, err
	}
	defer s.life.RUnlock()
	s.editMu.Lock()
	defer s.editMu.Unlock()
	var results []directory.ImportResult
	var next *directory.Directory
	err := s.db.Update(func(tx *bbolt.Tx) error {
		d, err := loadDirectory(tx)
		if err != nil {
			return err
		}
		var entries []directory.AuditEntry
		results, entries = d.Merge(who, in)
		if err := d.Validate(); err != nil {
			return err
		}
		if err := writeDirectory(tx, d); err != nil {
			return err
		}
		at := time.Now().UTC()
		for i := range entries {
			entries[i].At = at
			if err := appendAudit(tx, &entries[i]); err != nil {
				return err
			}
		}
		next = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: import: %w", mapClosed(err))
	}
	next.Prepare()
	s.dir.Store(next)
	return results, nil
}

// writeDirectory writes every service, the partnership and the calendar.
func writeDirectory(tx *bbolt.Tx, d *directory.Directory) error {
	sb := tx.Bucket([]byte(bucketServices))
	for _, svc := range d.Services {
		v, err := json.Marshal(svc)
		if err != nil {
			return err
		}
		if err := sb.Put([]byte(svc.ID), v); err != nil {
			return err
		}
	}
	p, err := json.Marshal(d.Partnership)
	if err != nil {
		return err
	}
	if err := tx.Bucket([]byte(bucketMeta)).Put([]byte(keyPartnership), p); err != nil {
		return err
	}
	if err := putHolidays(tx, d.BankHolidays); err != nil {
		return err
	}
	return putRoutes(tx, d)
}

// Backup writes a consistent copy of the database to w, from one read
// transaction: writers go on meanwhile and the copy is the file as it was
// when Backup began. The inbox is left out: it holds what people typed,
// only until it is answered, and a backup is kept for long. Backup copies
// every other bucket (with its sequence, which numbers the audit log)
// into a new file in the system's temporary directory, writes that file
// to w and removes it. It returns the number of bytes written.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := s.enter(ctx, false); err != nil {
		return 0, err
	}
	defer s.life.RUnlock()
	tmp, err := os.CreateTemp("", "whereto-backup-*.db")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	path := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(path)
	dst, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	err = s.db.View(func(src *bbolt.Tx) error {
		return dst.Update(func(out *bbolt.Tx) error {
			return src.ForEach(func(name []byte, b *bbolt.Bucket) error {
				if string(name) == bucketInbox {
					_, err := out.CreateBucket(name) // empty, as Open makes it
					return err
				}
				return copyBucket(out, name, b)
			})
		})
	})
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", mapClosed(err))
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// copyBucket copies bucket b, keys, values and sequence, into tx as name.
// whereto's buckets hold no nested buckets.
func copyBucket(tx *bbolt.Tx, name []byte, b *bbolt.Bucket) error {
	out, err := tx.CreateBucket(name)
	if err != nil {
		return err
	}
	if err := out.SetSequence(b.Sequence()); err != nil {
		return err
	}
	out.FillPercent = 1 // keys come in order: pack the pages
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			return fmt.Errorf("bucket %s holds a nested bucket %q", name, k)
		}
		return out.Put(k, v)
	})
}
