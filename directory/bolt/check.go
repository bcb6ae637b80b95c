package bolt

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// ErrDamaged is returned, wrapped with what is wrong and where, when a
// database file or one of its records cannot be read: by CopyChecked for a
// truncated file, a page that fails bbolt's consistency check or a record
// that does not decode, and by History and RecordRefusal for an audit
// entry that does not decode. It is directory.ErrDamaged.
var ErrDamaged = directory.ErrDamaged

// maxCheckProblems bounds how many consistency problems CopyChecked names.
const maxCheckProblems = 5

// CopyChecked copies a whereto database file, read once from src to its
// end, into a new file in dir (mode 0600, synced, named
// ".whereto-restore-*"), and checks the copy: it must be complete (not
// shorter than its meta page says), pass bbolt's consistency check over
// every bucket, have every record of the meta, services and audit buckets
// decode as the store reads it, and hold a seeded, valid directory. It
// returns the copy's path and that directory. The copy is what was checked,
// so renaming it over a database (in the same folder, so the rename is
// atomic) installs exactly what passed; the caller renames it or removes
// it.
//
// A damaged file gives an error wrapping ErrDamaged; a file from a newer
// whereto, ErrSchema; a file holding no directory yet, or an invalid one,
// an error saying so (*directory.ValidationError for an invalid one).
// A panic inside bbolt on a corrupt file is recovered and reported as
// ErrDamaged. On any error the copy is removed and nothing is left open.
func CopyChecked(src io.Reader, dir string) (path string, d *directory.Directory, err error) {
	f, err := os.CreateTemp(dir, ".whereto-restore-*")
	if err != nil {
		return "", nil, fmt.Errorf("store: copy for checking: %w", err)
	}
	path = f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(path)
			path, d = "", nil
		}
	}()
	size, err := io.Copy(f, src)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return path, nil, fmt.Errorf("store: copy for checking: %w", err)
	}
	d, err = checkCopy(path, size)
	return path, d, err
}

// checkCopy checks the file at path, size bytes long, which nothing else
// has open: see CopyChecked. A fault while reading the mapped file (a page
// that points past its end) is turned into a panic on this goroutine and
// recovered, like any panic of bbolt's here; bbolt's own check recovers its
// panics itself.
func checkCopy(path string, size int64) (d *directory.Directory, err error) {
	if size == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrDamaged)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("%w: reading it failed: %v", ErrDamaged, r)
		}
	}()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultTimeout, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("%w: it does not open as a database: %v", ErrDamaged, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("store: check: close: %w", cerr)
		}
	}()
	err = db.View(func(tx *bbolt.Tx) error {
		// A file cut short would make bbolt read past its end: refuse it
		// before walking any page.
		if tx.Size() > size {
			return fmt.Errorf("%w: it is truncated: %d bytes, its meta page says %d", ErrDamaged, size, tx.Size())
		}
		if err := consistency(tx); err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if err := checkSchema(tx, "the file"); err != nil {
			return err
		}
		if err := decodeRecords(tx); err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if m := tx.Bucket([]byte(bucketMeta)); m == nil || m.Get([]byte(keySeeded)) == nil {
			return fmt.Errorf("%w: the file was never opened read-write", errSeedless)
		}
		var err error
		d, err = loadDirectory(tx)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("store: the file holds an invalid directory: %w", err)
	}
	return d, nil
}

// consistency runs bbolt's check over the whole file (every bucket and
// page) and joins the first few problems it reports. It drains the check
// so that its goroutine has finished before the transaction closes.
func consistency(tx *bbolt.Tx) error {
	var msgs []string
	n := 0
	for cerr := range tx.Check() {
		n++
		if len(msgs) < maxCheckProblems {
			msgs = append(msgs, cerr.Error())
		}
	}
	if n == 0 {
		return nil
	}
	if n > len(msgs) {
		msgs = append(msgs, fmt.Sprintf("and %d more", n-len(msgs)))
	}
	return fmt.Errorf("consistency check failed: %s", strings.Join(msgs, "; "))
}

// decodeRecords decodes every record of the meta, services and audit
// buckets as the store reads them, and returns the first that does not.
func decodeRecords(tx *bbolt.Tx) error {
	if meta := tx.Bucket([]byte(bucketMeta)); meta != nil {
		err := meta.ForEach(func(k, v []byte) error {
			if v == nil {
				return fmt.Errorf("meta %q is a bucket, not a value", k)
			}
			var err error
			switch string(k) {
			case keySchema:
				_, err = strconv.Atoi(string(v))
			case keySeeded:
				_, err = time.Parse(time.RFC3339, string(v))
			case keyPartnership:
				err = json.Unmarshal(v, new(directory.Partnership))
			case keyHolidays:
				err = json.Unmarshal(v, new([]directory.Holiday))
			case keyRoutes:
				err = json.Unmarshal(v, new(storedRoutes))
			}
			if err != nil {
				return fmt.Errorf("meta %q does not decode: %v", k, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if b := tx.Bucket([]byte(bucketServices)); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			var svc directory.Service
			if err := json.Unmarshal(v, &svc); err != nil {
				return fmt.Errorf("service %q does not decode: %v", k, err)
			}
			if svc.ID != string(k) {
				return fmt.Errorf("service stored under %q has id %q", k, svc.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if b := tx.Bucket([]byte(bucketAudit)); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			if _, err := decodeAudit(k, v); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// decodeAudit decodes one audit record, taking Seq from its key. An error
// names the entry.
func decodeAudit(k, v []byte) (directory.AuditEntry, error) {
	var e directory.AuditEntry
	if len(k) != 8 {
		return e, fmt.Errorf("audit key %x is not an 8-byte sequence number", k)
	}
	seq := getUint64(k)
	if v == nil {
		return e, fmt.Errorf("audit entry #%d is a bucket, not a value", seq)
	}
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("audit entry #%d does not decode: %v", seq, err)
	}
	e.Seq = seq
	return e, nil
}
