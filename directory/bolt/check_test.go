package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// seededFile returns the path of a closed, seeded database file.
func seededFile(t *testing.T) string {
	t.Helper()
	path := testPath(t)
	closeStore(t, openStore(t, path, nil))
	return path
}

// bucketRootPage returns the page id of a bucket's root, which must not be
// inline, and the file's page size.
func bucketRootPage(t *testing.T, path, bucket string) (pgid uint64, pageSize int) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		pgid = uint64(tx.Bucket([]byte(bucket)).Root())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pgid == 0 {
		t.Fatalf("bucket %s is inline: no page to corrupt", bucket)
	}
	return pgid, db.Info().PageSize
}

// corruptPage overwrites the id in the header of the services bucket's
// root page, as a misdirected write would.
func corruptPage(t *testing.T, path string) {
	t.Helper()
	pgid, size := bucketRootPage(t, path, bucketServices)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var id [8]byte
	binary.LittleEndian.PutUint64(id[:], pgid+7777)
	if _, err := f.WriteAt(id[:], int64(pgid)*int64(size)); err != nil {
		t.Fatal(err)
	}
}

// putRaw writes one raw value into a bucket through bbolt.
func putRaw(t *testing.T, path, bucket string, k, v []byte) {
	t.Helper()
	rawUpdate(t, path, func(tx *bbolt.Tx) error { return tx.Bucket([]byte(bucket)).Put(k, v) })
}

func TestCheckFile(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   error  // nil: the file passes
		msg    string // in the error
	}{
		{name: "whole file passes", damage: func(*testing.T, string) {}},
		{name: "truncated refused", want: ErrDamaged, msg: "truncated", damage: func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "cut inside the meta pages refused", want: ErrDamaged, msg: "does not open", damage: func(t *testing.T, path string) {
			if err := os.Truncate(path, 100); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "empty refused", want: ErrDamaged, msg: "empty", damage: func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "junk refused", want: ErrDamaged, msg: "does not open", damage: func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("junk", 5000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "corrupted page refused", want: ErrDamaged, msg: "consistency check failed", damage: corruptPage},
		{name: "audit entry not JSON refused", want: ErrDamaged, msg: "audit entry #9999 does not decode", damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketAudit, putUint64(9999), []byte(`{"seq":9999,"who":`))
		}},
		{name: "audit key not a sequence refused", want: ErrDamaged, msg: "not an 8-byte sequence", damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketAudit, []byte("x"), []byte(`{}`))
		}},
		{name: "service not JSON refused", want: ErrDamaged, msg: `service "mash" does not decode`, damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketServices, []byte("mash"), []byte(`{"id":"mash",`))
		}},
		{name: "service under another id refused", want: ErrDamaged, msg: `has id "mash"`, damage: func(t *testing.T, path string) {
			rawUpdate(t, path, func(tx *bbolt.Tx) error {
				b := tx.Bucket([]byte(bucketServices))
				return b.Put([]byte("zz-copy"), b.Get([]byte("mash")))
			})
		}},
		{name: "partnership not JSON refused", want: ErrDamaged, msg: `meta "partnership" does not decode`, damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketMeta, []byte(keyPartnership), []byte(`[`))
		}},
		{name: "seeded mark not a time refused", want: ErrDamaged, msg: `meta "seeded"`, damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketMeta, []byte(keySeeded), []byte(`yesterday`))
		}},
		{name: "newer schema refused", want: ErrSchema, damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketMeta, []byte(keySchema), []byte("99"))
		}},
		{name: "invalid directory refused", want: directory.ErrInvalid, damage: func(t *testing.T, path string) {
			putRaw(t, path, bucketServices, []byte("mash"), []byte(`{"id":"mash"}`))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := seededFile(t)
			tt.damage(t, path)
			before, _ := os.ReadFile(path)
			d, err := CheckFile(path)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CheckFile: %v", err)
				}
				if got, want := len(d.Services), len(defaultSorted(t).Services); got != want {
					t.Errorf("services: got %d, want %d", got, want)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckFile: got %v, want %v", err, tt.want)
			}
			if d != nil {
				t.Errorf("CheckFile returned a directory with its error")
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), path) && tt.want == ErrDamaged {
				t.Errorf("error %q: want it to name %s and say %q", err, path, tt.msg)
			}
			after, _ := os.ReadFile(path)
			if string(before) != string(after) {
				t.Errorf("CheckFile changed the file")
			}
		})
	}
}

func TestCheckFileMissing(t *testing.T) {
	_, err := CheckFile(testPath(t))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CheckFile of a missing file: got %v, want fs.ErrNotExist", err)
	}
}

// TestHistoryDamagedEntry: an audit entry that does not decode is reported
// with an error naming it, on a read-write and a read-only store, never a
// panic.
func TestHistoryDamagedEntry(t *testing.T) {
	tests := []struct {
		name  string
		key   []byte
		value []byte
		msg   string
	}{
		{"truncated JSON reported", putUint64(5000), []byte(`{"seq":5000,"service":"mash"`), "audit entry #5000 does not decode"},
		{"wrong type reported", putUint64(5001), []byte(`{"seq":"x","at":12}`), "audit entry #5001 does not decode"},
		{"not JSON reported", putUint64(5002), []byte{0xff, 0x00, 0x01}, "audit entry #5002 does not decode"},
		{"empty value reported", putUint64(5003), []byte{}, "audit entry #5003 does not decode"},
		{"short key reported", []byte{1, 2}, []byte(`{}`), "not an 8-byte sequence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := seededFile(t)
			putRaw(t, path, bucketAudit, tt.key, tt.value)
			for _, ro := range []bool{false, true} {
				s := openStore(t, path, &Options{ReadOnly: ro})
				for _, id := range []string{"", "mash"} {
					got, err := s.History(context.Background(), id)
					if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tt.msg) {
						t.Errorf("read-only %v, History(%q): got %v, want ErrDamaged saying %q", ro, id, err, tt.msg)
					}
					if got != nil {
						t.Errorf("History(%q) returned entries with its error", id)
					}
				}
				closeStore(t, s)
			}
		})
	}
}
