package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/whereto-bot/whereto/directory"
)

// Errors returned by Open and by the methods of Store. Test for them with
// errors.Is; most come back wrapped with the path or the argument at fault.
var (
	// ErrInUse is returned by Open when another process (or another Store in
	// this one) holds the database file and the lock was not granted within
	// Options.Timeout. The wrapped message names the file.
	ErrInUse = errors.New("store: database file is in use by another process")
	// ErrSchema is returned by Open when the file was written by a newer
	// whereto (its meta schema is above SchemaVersion). The file is left
	// untouched.
	ErrSchema = errors.New("store: database was written by a newer version of whereto")
	// ErrReadOnly is directory.ErrReadOnly: returned by every method that
	// writes when the store was opened with Options.ReadOnly.
	ErrReadOnly = directory.ErrReadOnly
	// ErrClosed is directory.ErrClosed: returned by every method (except
	// Path, Directory and Close) called after Close.
	ErrClosed = directory.ErrClosed
)

// Store implements the directory package's store contract.
var _ directory.Store = (*Store)(nil)

// SchemaVersion is the version of the file layout described in the package
// documentation, stored in meta "schema". Open refuses a file with a higher
// version.
const SchemaVersion = 1

// Defaults for the zero fields of Options.
const (
	DefaultTimeout       = time.Second
	DefaultFlushInterval = time.Second
)

// Bucket and meta key names; see the package documentation. They are
// constants (converted at each use) so that no package state is mutable.
const (
	bucketMeta     = "meta"
	bucketServices = "services"
	bucketAudit    = "audit"
	bucketSessions = "sessions"
	bucketStats    = "stats"
	bucketCursors  = "cursors"
	bucketSeen     = "seen"
	bucketSettings = "settings"
	bucketInbox    = "inbox"

	keySchema      = "schema"
	keySeeded      = "seeded"
	keyPartnership = "partnership"
	keyHolidays    = "bank_holidays"
	keyRoutes      = "routes"
)

// allBuckets returns the buckets Open creates.
func allBuckets() []string {
	return []string{bucketMeta, bucketServices, bucketAudit, bucketSessions, bucketStats, bucketCursors, bucketSeen, bucketSettings, bucketInbox}
}

// Options configure Open. The zero value (and a nil *Options) means
// defaults.
type Options struct {
	// Timeout is how long Open waits for the file lock before returning
	// ErrInUse. Zero or negative means DefaultTimeout (1s). bbolt's own
	// "wait forever" is never used.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock: several read-only stores
	// may share a file, but not with a writer. Nothing is ever written, not
	// even the seed; the file must exist (the error wraps fs.ErrNotExist
	// otherwise) and must have been seeded by a read-write Open. Write
	// methods return ErrReadOnly.
	ReadOnly bool
	// Seed is loaded into a file that has never been seeded. Nil means
	// directory.Default(). It is validated first and is not retained.
	Seed *directory.Directory
	// FlushInterval is how often buffered sessions and stats are written.
	// Zero or negative means DefaultFlushInterval (1s).
	FlushInterval time.Duration
}

// Store is an open whereto database. All its methods are safe for
// concurrent use. Close it to write buffered sessions and stats and release
// the file.
type Store struct {
	path     string
	db       *bbolt.DB
	readOnly bool

	// dir is the current directory snapshot, replaced after each committed
	// edit.
	dir atomic.Pointer[directory.Directory]
	// editMu serialises directory edits with the replacement of dir, so a
	// slower commit never installs an older snapshot over a newer one.
	editMu sync.Mutex

	// life is held shared by every method while it runs and exclusively by
	// Close, so Close waits for in-flight calls and later calls see closed.
	life   sync.RWMutex
	closed bool

	// flushMu is held while a batch is written, and by the operations that
	// must not interleave with one (DeleteSession, SweepSessions, Stats).
	flushMu sync.Mutex

	// mu guards the write-behind buffer below.
	mu sync.Mutex
	// pending holds session values (encoded as stored) not yet handed to a
	// flush; flushing holds the batch a flush is writing right now, so that
	// readers still find it until it has committed.
	pending  map[string][]byte
	flushing map[string][]byte
	// counts holds stats increments not yet written, by stats key.
	counts map[string]uint64
	// flushErr is the last error of the background flusher, reported by the
	// next Flush or Close.
	flushErr error

	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// Open opens (creating it if needed) the whereto database at path and
// returns a Store with the directory loaded. A nil opts means defaults.
//
// A read-write Open creates missing parent directories (mode 0700) and the
// file (mode 0600), creates the buckets, and seeds a file that has never
// been seeded. It starts a background flusher for buffered sessions and
// stats; Close stops it.
//
// Open returns an error wrapping ErrInUse (naming the file) when the lock
// is not granted within opts.Timeout, ErrSchema for a file written by a
// newer whereto, fs.ErrNotExist for a read-only Open of a missing file, and
// an error wrapping *directory.ValidationError when the stored directory is
// invalid. On error nothing is left open.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}

	if o.ReadOnly {
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("store: no database at %s to open read-only: %w", path, fs.ErrNotExist)
		case err != nil:
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		case fi.Size() == 0:
			return nil, errNotSeeded(path)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create directory for %s: %w", path, err)
	}

	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: o.Timeout, ReadOnly: o.ReadOnly})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (is another whereto, such as 'whereto serve', using it?)", ErrInUse, path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// MarkSeen groups concurrent marks with db.Batch. bbolt's default 10 ms
	// wait for a batch to fill would cap a burst at a few thousand marks a
	// second; 1 ms still groups a burst into one fsync.
	db.MaxBatchDelay = time.Millisecond

	var dir *directory.Directory
	if o.ReadOnly {
		err = db.View(func(tx *bbolt.Tx) error {
			if err := checkSchema(tx, path); err != nil {
				return err
			}
			if m := tx.Bucket([]byte(bucketMeta)); m == nil || m.Get([]byte(keySeeded)) == nil {
				return errNotSeeded(path)
			}
			var err error
			dir, err = loadDirectory(tx)
			return err
		})
	} else {
		err = db.Update(func(tx *bbolt.Tx) error {
			if err := checkSchema(tx, path); err != nil {
				return err
			}
			for _, name := range allBuckets() {
				if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
					return fmt.Errorf("create bucket %s: %w", name, err)
				}
			}
			meta := tx.Bucket([]byte(bucketMeta))
			if meta.Get([]byte(keySchema)) == nil {
				if err := meta.Put([]byte(keySchema), []byte(strconv.Itoa(SchemaVersion))); err != nil {
					return err
				}
			}
			if meta.Get([]byte(keySeeded)) == nil {
				if err := seed(tx, o.Seed); err != nil {
					return err
				}
			}
			var err error
			dir, err = loadDirectory(tx)
			return err
		})
	}
	if err == nil {
		if verr := dir.Validate(); verr != nil {
			err = fmt.Errorf("stored directory is invalid: %w", verr)
		}
	}
	if err != nil {
		_ = db.Close() // the open error is the one that matters
		if errors.Is(err, ErrSchema) || errors.Is(err, errSeedless) {
			return nil, err
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	s := &Store{
		path:     path,
		db:       db,
		readOnly: o.ReadOnly,
		pending:  make(map[string][]byte),
		counts:   make(map[string]uint64),
	}
	s.dir.Store(dir)
	if !o.ReadOnly {
		s.stop = make(chan struct{})
		s.done = make(chan struct{})
		go s.flushLoop(o.FlushInterval)
	}
	return s, nil
}

// errSeedless marks the error of a read-only Open of a file that holds no
// directory yet.
var errSeedless = errors.New("store: database holds no directory yet")

func errNotSeeded(path string) error {
	return fmt.Errorf("%w: %s (open it once without read-only to load the default directory)", errSeedless, path)
}

// checkSchema returns ErrSchema if the file's meta schema is newer than
// SchemaVersion. A file without one (new, or never opened read-write) passes.
func checkSchema(tx *bbolt.Tx, path string) error {
	meta := tx.Bucket([]byte(bucketMeta))
	if meta == nil {
		return nil
	}
	v := meta.Get([]byte(keySchema))
	if v == nil {
		return nil
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return fmt.Errorf("meta schema %q is not a number: %w", v, err)
	}
	if n > SchemaVersion {
		return fmt.Errorf("%w: %s has schema %d, this whereto reads up to %d", ErrSchema, path, n, SchemaVersion)
	}
	return nil
}

// Path returns the path the store was opened with.
func (s *Store) Path() string { return s.path }

// Directory returns the current directory snapshot. It never touches the
// file and stays valid after Close. The snapshot is shared: callers must not
// modify it, and should Clone it first if they want to. Each edit replaces
// the snapshot rather than changing it, so a caller holding one sees a
// consistent directory.
func (s *Store) Directory() *directory.Directory { return s.dir.Load() }

// Close stops the background flusher, writes buffered sessions and stats,
// and closes the file. It waits for method calls in progress. It returns
// any error the background flusher has not yet reported, joined with the
// errors of the final flush and of closing. A second Close returns nil.
func (s *Store) Close() error {
	if s.stop != nil {
		s.stopOnce.Do(func() {
			close(s.stop)
			<-s.done
		})
	}
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var flushErr error
	if !s.readOnly {
		flushErr = s.flush()
	}
	s.mu.Lock()
	bgErr := s.flushErr
	s.flushErr = nil
	s.mu.Unlock()
	closeErr := s.db.Close()
	if closeErr != nil {
		closeErr = fmt.Errorf("store: close %s: %w", s.path, closeErr)
	}
	return errors.Join(bgErr, flushErr, closeErr)
}

// enter checks ctx and the store's state at the start of a method and, on
// success, holds s.life shared; the caller must defer s.life.RUnlock().
// Write methods pass write=true to get ErrReadOnly on a read-only store.
func (s *Store) enter(ctx context.Context, write bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.life.RLock()
	if s.closed {
		s.life.RUnlock()
		return ErrClosed
	}
	if write && s.readOnly {
		s.life.RUnlock()
		return ErrReadOnly
	}
	return nil
}

// Flush writes buffered sessions and stats in one transaction. It returns
// the error of that write joined with any error of the background flusher
// not yet reported. On a write error the batch stays buffered (newer values
// win) and is retried by the next flush. Flush on a read-only store does
// nothing.
func (s *Store) Flush(ctx context.Context) error {
	if err := s.enter(ctx, false); err != nil {
		return err
	}
	defer s.life.RUnlock()
	err := s.flush()
	s.mu.Lock()
	bgErr := s.flushErr
	s.flushErr = nil
	s.mu.Unlock()
	return errors.Join(bgErr, err)
}

// flushLoop calls flush every interval until s.stop is closed, keeping the
// last error for Flush or Close to report.
func (s *Store) flushLoop(interval time.Duration) {
	defer close(s.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		s.life.RLock()
		if s.closed {
			s.life.RUnlock()
			return
		}
		err := s.flush()
		s.life.RUnlock()
		if err != nil {
			s.mu.Lock()
			s.flushErr = err
			s.mu.Unlock()
		}
	}
}

// flush writes the buffer in one transaction. The caller holds s.life.
func (s *Store) flush() error {
	s.flushMu.Lock()
	defer s.flushMu.Unlock()

	s.mu.Lock()
	if len(s.pending) == 0 && len(s.counts) == 0 {
		s.mu.Unlock()
		return nil
	}
	sessions, counts := s.pending, s.counts
	s.flushing = sessions
	s.pending = make(map[string][]byte, min(len(sessions), 1024))
	s.counts = make(map[string]uint64, min(len(counts), 1024))
	s.mu.Unlock()

	err := s.db.Update(func(tx *bbolt.Tx) error {
		sb := tx.Bucket([]byte(bucketSessions))
		for k, v := range sessions {
			if err := sb.Put([]byte(k), v); err != nil {
				return fmt.Errorf("writing a session: %w", err)
			}
		}
		st := tx.Bucket([]byte(bucketStats))
		for k, n := range counts {
			key := []byte(k)
			if old := st.Get(key); len(old) == 8 {
				n += getUint64(old)
			}
			if err := st.Put(key, putUint64(n)); err != nil {
				return fmt.Errorf("stats %q: %w", k, err)
			}
		}
		return nil
	})

	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushing = nil
	if err != nil {
		// Put the batch back under anything buffered since, which is newer.
		for k, v := range sessions {
			if _, newer := s.pending[k]; !newer {
				s.pending[k] = v
			}
		}
		for k, n := range counts {
			s.counts[k] += n
		}
		return fmt.Errorf("store: flush %s: %w", s.path, mapClosed(err))
	}
	return nil
}

// mapClosed turns bbolt's "database not open" into ErrClosed.
func mapClosed(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}

func putUint64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func getUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
