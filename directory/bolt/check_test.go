package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

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
func corruptPage(t *testing.T, path string) { corruptRoot(t, path, bucketServices) }

// corruptRoot overwrites the id in the header of a bucket's root page.
func corruptRoot(t *testing.T, path, bucket string) {
	t.Helper()
	pgid, size := bucketRootPage(t, path, bucket)
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

func TestCopyChecked(t *testing.T) {
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
		{name: "corrupted audit page refused", want: ErrDamaged, msg: "consistency check failed", damage: func(t *testing.T, path string) {
			corruptRoot(t, path, bucketAudit)
		}},
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
		{name: "never seeded refused", want: errSeedless, msg: "holds no directory", damage: func(t *testing.T, path string) {
			rawUpdate(t, path, func(tx *bbolt.Tx) error { return tx.Bucket([]byte(bucketMeta)).Delete([]byte(keySeeded)) })
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
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			copyPath, d, err := CopyChecked(bytes.NewReader(before), dir)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("CopyChecked: %v", err)
				}
				if got, want := len(d.Services), len(defaultSorted(t).Services); got != want {
					t.Errorf("services: got %d, want %d", got, want)
				}
				if filepath.Dir(copyPath) != dir || !strings.HasPrefix(filepath.Base(copyPath), ".whereto-restore-") {
					t.Errorf("copy at %s, want .whereto-restore-* in %s", copyPath, dir)
				}
				copied, err := os.ReadFile(copyPath)
				if err != nil || !bytes.Equal(copied, before) {
					t.Errorf("the copy differs from what was read (%v)", err)
				}
				if fi, err := os.Stat(copyPath); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("the copy's mode: %v (%v), want 0600", fi.Mode(), err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("CopyChecked: got %v, want %v", err, tt.want)
			}
			if d != nil || copyPath != "" {
				t.Errorf("CopyChecked returned a copy or a directory with its error")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q: want it to say %q", err, tt.msg)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("a refused copy was left behind: %v", left)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Errorf("the file checked changed")
			}
		})
	}
}

// TestCopyCheckedReadsOnce: the source is read once, to its end, and a
// source that fails part-way leaves no copy.
func TestCopyCheckedReadsOnce(t *testing.T) {
	data, err := os.ReadFile(seededFile(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("read once", func(t *testing.T) {
		src := &countingReader{r: bytes.NewReader(data)}
		path, _, err := CopyChecked(src, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if src.n != int64(len(data)) || src.eofs != 1 {
			t.Errorf("read %d bytes to %d ends, want %d bytes to one end", src.n, src.eofs, len(data))
		}
		if err := os.Remove(path); err != nil {
			t.Error(err)
		}
	})
	t.Run("a failing source leaves nothing", func(t *testing.T) {
		dir := t.TempDir()
		boom := errors.New("disk read error")
		_, _, err := CopyChecked(io.MultiReader(bytes.NewReader(data[:4096]), iotest.ErrReader(boom)), dir)
		if !errors.Is(err, boom) {
			t.Errorf("CopyChecked: got %v, want the read error", err)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("a copy was left behind: %v", left)
		}
	})
}

// countingReader counts the bytes read and the ends reached.
type countingReader struct {
	r       io.Reader
	n, eofs int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err == io.EOF {
		c.eofs++
	}
	return n, err
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
