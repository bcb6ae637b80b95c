package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// testPath returns a path for a database file that does not exist yet, in
// a subdirectory that does not exist either (Open creates it).
func testPath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "data", "whereto.db")
}

// openStore opens path with opts and closes the store when the test ends.
func openStore(t testing.TB, path string, opts *Options) *Store {
	t.Helper()
	s, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// closeStore closes s and fails the test on error.
func closeStore(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// defaultSorted returns directory.Default() with its services in id order,
// the order the store keeps them in.
func defaultSorted(t testing.TB) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(d.Services, func(a, b directory.Service) int { return strings.Compare(a.ID, b.ID) })
	return d
}

// rawUpdate changes the file at path directly with bbolt; the store must be
// closed.
func rawUpdate(t testing.TB, path string, fn func(tx *bbolt.Tx) error) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestOpenCreatesAndSeeds(t *testing.T) {
	path := testPath(t)
	s := openStore(t, path, nil)

	if got, want := s.Directory(), defaultSorted(t); !sameDirectory(got, want) {
		t.Errorf("Directory() = %+v, want the default directory %+v", got, want)
	}
	if got, want := s.Path(), path; got != want {
		t.Errorf("Path() = %q, want %q", got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
		t.Errorf("file mode = %v, want %v", got, want)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := di.Mode().Perm(), os.FileMode(0o700); got != want {
		t.Errorf("directory mode = %v, want %v", got, want)
	}
	h, err := s.History(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(h), len(s.Directory().Services); got != want {
		t.Errorf("seed audit entries = %d, want %d (one per service)", got, want)
	}
	for _, e := range h {
		if e.Action != directory.ActionSeed || e.Who != "seed" || e.Before != nil || e.After == nil {
			t.Errorf("seed entry %+v, want action and who %q, no before, an after", e, "seed")
		}
	}
}

func TestOpenSeed(t *testing.T) {
	custom := defaultSorted(t)
	custom.Partnership.Name = "Elsewhere Community Safety Partnership"
	custom.Partnership.Area = "Elsewhere"
	invalid := defaultSorted(t)
	invalid.Services[0].Contacts[0].Value = "not a number"

	t.Run("custom seed is loaded", func(t *testing.T) {
		s := openStore(t, testPath(t), &Options{Seed: custom})
		if got, want := s.Directory(), custom; !sameDirectory(got, want) {
			t.Errorf("Directory() = %+v, want %+v", got, want)
		}
	})
	t.Run("invalid seed is refused", func(t *testing.T) {
		_, err := Open(testPath(t), &Options{Seed: invalid})
		var verr *directory.ValidationError
		if !errors.As(err, &verr) {
			t.Fatalf("Open with an invalid seed: err = %v, want a *directory.ValidationError", err)
		}
	})
	t.Run("seeded file ignores a later seed", func(t *testing.T) {
		path := testPath(t)
		closeStore(t, openStore(t, path, nil))
		s := openStore(t, path, &Options{Seed: custom})
		if got, want := s.Directory().Partnership.Name, defaultSorted(t).Partnership.Name; got != want {
			t.Errorf("partnership = %q, want %q (the first seed)", got, want)
		}
	})
}

func TestReopenKeepsStaffEdits(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, nil)
	mash, err := s.Directory().Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	mash.Contacts[0].Value = "01582 000 000"
	if err := s.PutService(ctx, "alice", mash); err != nil {
		t.Fatalf("PutService: %v", err)
	}
	if err := s.DeleteService(ctx, "alice", "police-online"); err != nil {
		t.Fatalf("DeleteService: %v", err)
	}
	closeStore(t, s)

	for i := range 2 { // the second reopen checks that nothing re-seeds later either
		s = openStore(t, path, nil)
		got, err := s.Directory().Service("mash")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := got.Contacts[0].Value, "01582 000 000"; got != want {
			t.Errorf("reopen %d: mash phone = %q, want the staff edit %q", i, got, want)
		}
		if _, err := s.Directory().Service("police-online"); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("reopen %d: police-online: err = %v, want ErrNotFound (deleted stays deleted)", i, err)
		}
		closeStore(t, s)
	}
}

func TestOpenInUse(t *testing.T) {
	path := testPath(t)
	openStore(t, path, nil)

	for _, tc := range []struct {
		name string
		opts *Options
	}{
		{"read-write", nil},
		{"read-only", &Options{ReadOnly: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			s, err := Open(path, tc.opts)
			elapsed := time.Since(start)
			if err == nil {
				s.Close()
				t.Fatal("second Open succeeded, want ErrInUse")
			}
			if !errors.Is(err, ErrInUse) {
				t.Errorf("err = %v, want ErrInUse", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("err = %q, want it to name %q", err, path)
			}
			if elapsed > 3*time.Second {
				t.Errorf("Open took %v, want under 3s", elapsed)
			}
		})
	}
}

func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()

	t.Run("missing file", func(t *testing.T) {
		path := testPath(t)
		_, err := Open(path, &Options{ReadOnly: true})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Errorf("err = %q, want it to name %q", err, path)
		}
		if _, serr := os.Stat(filepath.Dir(path)); !errors.Is(serr, fs.ErrNotExist) {
			t.Errorf("read-only Open created %s", filepath.Dir(path))
		}
	})

	t.Run("never seeded", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "empty.db")
		rawUpdate(t, path, func(*bbolt.Tx) error { return nil })
		_, err := Open(path, &Options{ReadOnly: true})
		if err == nil || !strings.Contains(err.Error(), "no directory") {
			t.Errorf("err = %v, want one saying the file holds no directory", err)
		}
	})

	t.Run("seeded file", func(t *testing.T) {
		path := testPath(t)
		closeStore(t, openStore(t, path, nil))
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r1 := openStore(t, path, &Options{ReadOnly: true})
		r2 := openStore(t, path, &Options{ReadOnly: true}) // shared lock
		if got, want := r2.Directory(), defaultSorted(t); !sameDirectory(got, want) {
			t.Errorf("Directory() = %+v, want %+v", got, want)
		}
		svc := r1.Directory().Services[0]
		writes := map[string]error{
			"PutService":    r1.PutService(ctx, "bob", svc),
			"DeleteService": r1.DeleteService(ctx, "bob", svc.ID),
			"PutSession":    r1.PutSession(ctx, "k", nil, time.Now().Add(time.Hour)),
			"DeleteSession": r1.DeleteSession(ctx, "k"),
			"CountRoute":    r1.CountRoute(ctx, "2024-01-01", "emergency"),
			"SetCursor":     r1.SetCursor(ctx, "c", 1),
		}
		_, sweepErr := r1.SweepSessions(ctx, time.Now())
		writes["SweepSessions"] = sweepErr
		for name, err := range writes {
			if !errors.Is(err, ErrReadOnly) {
				t.Errorf("%s: err = %v, want ErrReadOnly", name, err)
			}
		}
		if _, err := r1.History(ctx, svc.ID); err != nil {
			t.Errorf("History: %v", err)
		}
		if _, _, err := r1.Session(ctx, "k", time.Now()); err != nil {
			t.Errorf("Session: %v", err)
		}
		closeStore(t, r1)
		closeStore(t, r2)
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before, after) {
			t.Error("read-only use changed the file")
		}
	})
}

func TestOpenNewerSchema(t *testing.T) {
	path := testPath(t)
	closeStore(t, openStore(t, path, nil))
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketMeta)).Put([]byte(keySchema), []byte("2"))
	})

	for _, readOnly := range []bool{false, true} {
		_, err := Open(path, &Options{ReadOnly: readOnly})
		if !errors.Is(err, ErrSchema) {
			t.Errorf("Open(ReadOnly: %v): err = %v, want ErrSchema", readOnly, err)
		}
	}
	// The file was closed (its lock released) and left as it was.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("file still locked after ErrSchema: %v", err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		if got, want := string(tx.Bucket([]byte(bucketMeta)).Get([]byte(keySchema))), "2"; got != want {
			t.Errorf("schema = %q, want %q (untouched)", got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenInvalidStoredDirectory(t *testing.T) {
	path := testPath(t)
	closeStore(t, openStore(t, path, nil))
	rawUpdate(t, path, func(tx *bbolt.Tx) error {
		// The only service on the environmental route disappears.
		return tx.Bucket([]byte(bucketServices)).Delete([]byte("council-environmental"))
	})
	_, err := Open(path, nil)
	var verr *directory.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want a *directory.ValidationError", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("err = %q, want it to name %q", err, path)
	}
}

// everyMethod calls each context-taking method of s and returns their
// errors by name.
func everyMethod(ctx context.Context, s *Store) map[string]error {
	svc := s.Directory().Services[0]
	errs := map[string]error{
		"PutService":    s.PutService(ctx, "x", svc),
		"DeleteService": s.DeleteService(ctx, "x", svc.ID),
		"PutSession":    s.PutSession(ctx, "k", []byte("v"), time.Now().Add(time.Hour)),
		"DeleteSession": s.DeleteSession(ctx, "k"),
		"Flush":         s.Flush(ctx),
		"CountRoute":    s.CountRoute(ctx, "2024-01-01", "emergency"),
		"SetCursor":     s.SetCursor(ctx, "c", 1),
	}
	_, errs["History"] = s.History(ctx, svc.ID)
	_, _, errs["Session"] = s.Session(ctx, "k", time.Now())
	_, errs["SweepSessions"] = s.SweepSessions(ctx, time.Now())
	_, errs["Stats"] = s.Stats(ctx, "", "")
	_, _, errs["Cursor"] = s.Cursor(ctx, "c")
	return errs
}

func TestClosed(t *testing.T) {
	s := openStore(t, testPath(t), nil)
	closeStore(t, s)
	if err := s.Close(); err != nil {
		t.Errorf("second Close: err = %v, want nil", err)
	}
	for name, err := range everyMethod(context.Background(), s) {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", name, err)
		}
	}
	if s.Directory() == nil {
		t.Error("Directory() after Close = nil, want the last snapshot")
	}
}

func TestContextCancelled(t *testing.T) {
	s := openStore(t, testPath(t), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, err := range everyMethod(ctx, s) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want context.Canceled", name, err)
		}
	}
	// Nothing happened.
	if _, ok, _ := s.Session(context.Background(), "k", time.Now()); ok {
		t.Error("PutSession with a cancelled context stored the session")
	}
	if got, want := len(s.Directory().Services), len(defaultSorted(t).Services); got != want {
		t.Errorf("services = %d, want %d", got, want)
	}
}

func TestBackgroundFlush(t *testing.T) {
	s := openStore(t, testPath(t), &Options{FlushInterval: 5 * time.Millisecond})
	ctx := context.Background()
	if err := s.PutSession(ctx, "tg:1", []byte("step"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CountRoute(ctx, "2024-05-01", "emergency"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		s.mu.Lock()
		n := len(s.pending) + len(s.counts) + len(s.flushing)
		s.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("buffer still holds %d entries after 3s, want the flusher to have written them", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var got []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		got = append([]byte{}, tx.Bucket([]byte(bucketSessions)).Get([]byte("tg:1"))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 8 || string(got[8:]) != "step" {
		t.Errorf("stored session = %q, want expiry then %q", got, "step")
	}
}

// sameDirectory compares two directories by what they hold (their JSON),
// not by the look-up index each one builds for itself.
func sameDirectory(a, b *directory.Directory) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}
