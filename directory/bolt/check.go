package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/whereto-bot/whereto/directory"
)

// ErrDamaged is returned, wrapped with what is wrong and where, when a
// database file or one of its records cannot be read: by CheckFile for a
// truncated file, a page that fails bbolt's consistency check or a record
// that does not decode, and by History for an audit entry that does not
// decode.
var ErrDamaged = errors.New("store: database file is damaged")

// maxCheckProblems bounds how many consistency problems CheckFile names.
const maxCheckProblems = 5

// CheckFile checks the whereto database file at path without changing it,
// as restore must before swapping a backup in. The file is opened
// read-only and must be complete (not shorter than its meta page says),
// pass bbolt's consistency check over every bucket, have every record of
// the meta, services and audit buckets decode as the store reads it, and
// hold a seeded, valid directory. It returns that directory.
//
// A damaged file gives an error wrapping ErrDamaged; a file from a newer
// whereto, ErrSchema; an invalid directory, *directory.ValidationError; a
// file another process holds, ErrInUse. A panic inside bbolt on a corrupt
// file is recovered and reported as ErrDamaged. Nothing is left open.
func CheckFile(path string) (d *directory.Directory, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("%w: %s is empty", ErrDamaged, path)
	}
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("%w: %s: reading it failed: %v", ErrDamaged, path, r)
		}
	}()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: DefaultTimeout, ReadOnly: true})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s", ErrInUse, path)
		}
		return nil, fmt.Errorf("%w: %s does not open as a database: %v", ErrDamaged, path, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("store: check %s: close: %w", path, cerr)
		}
	}()
	err = db.View(func(tx *bbolt.Tx) error {
		// A file cut short would make bbolt read past its end: refuse it
		// before walking any page.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("%w: %s is truncated: %d bytes, its meta page says %d", ErrDamaged, path, fi.Size(), tx.Size())
		}
		if err := consistency(tx); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, path, err)
		}
		if err := checkSchema(tx, path); err != nil {
			return err
		}
		if err := decodeRecords(tx); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, path, err)
		}
		if m := tx.Bucket([]byte(bucketMeta)); m == nil || m.Get([]byte(keySeeded)) == nil {
			return errNotSeeded(path)
		}
		var err error
		d, err = loadDirectory(tx)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, path, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("store: %s holds an invalid directory: %w", path, err)
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
func decodeAudit(k, v []byte) (AuditEntry, error) {
	var e AuditEntry
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
