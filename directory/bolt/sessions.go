package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// maxKey is the longest session key or cursor name accepted (bbolt's own
// limit is 32 KiB; ours is far below it and far above any real key).
const maxKey = 1024

// checkKey rejects keys bbolt cannot store, before they reach the buffer
// where they would fail every later flush.
func checkKey(what, key string) error {
	switch {
	case key == "":
		return fmt.Errorf("store: %s is empty", what)
	case len(key) > maxKey:
		return fmt.Errorf("store: %s is longer than %d bytes", what, maxKey)
	}
	return nil
}

// Session returns the data of the session stored under key ("channel:chat")
// and true, or false if there is none or it has expired at now. A value
// buffered by PutSession is found before it is flushed. The returned slice is
// a copy the caller owns. Session data is opaque to the store and, by the
// caller's contract, never contains what a person typed.
func (s *Store) Session(ctx context.Context, key string, now time.Time) ([]byte, bool, error) {
	if err := s.enter(ctx, false); err != nil {
		return nil, false, err
	}
	defer s.life.RUnlock()

	s.mu.Lock()
	v, ok := s.pending[key]
	if !ok {
		v, ok = s.flushing[key]
	}
	if ok {
		data, live := decodeSession(v, now)
		s.mu.Unlock()
		return data, live, nil
	}
	s.mu.Unlock()

	var data []byte
	var live bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket([]byte(bucketSessions)); b != nil {
			data, live = decodeSession(b.Get([]byte(key)), now)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: reading a session: %w", mapClosed(err))
	}
	return data, live, nil
}

// decodeSession returns a copy of the data in stored value v and true, or
// nil and false if v is missing, malformed or expired at now.
func decodeSession(v []byte, now time.Time) ([]byte, bool) {
	if len(v) < 8 || expired(v, now) {
		return nil, false
	}
	return append([]byte{}, v[8:]...), true
}

// expired reports whether the stored session value v has expired at now. A
// session expires at the start of its expiry second.
func expired(v []byte, now time.Time) bool {
	return now.Unix() >= int64(binary.BigEndian.Uint64(v))
}

// PutSession stores data under key ("channel:chat") until expires, kept to
// the second (rounded down). It only buffers: the value is written by the
// next flush (background, Flush or Close), so a crash can lose the last
// interval of updates; Session sees it at once. data is copied. It must not
// contain what a person typed (see the package documentation). It returns
// ErrReadOnly on a read-only store.
func (s *Store) PutSession(ctx context.Context, key string, data []byte, expires time.Time) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	if err := checkKey("session key", key); err != nil {
		return err
	}
	v := make([]byte, 8+len(data))
	binary.BigEndian.PutUint64(v, uint64(expires.Unix()))
	copy(v[8:], data)
	s.mu.Lock()
	s.pending[key] = v
	s.mu.Unlock()
	return nil
}

// DeleteSession removes the session stored under key, from the buffer and
// durably from the file, before it returns: it backs /forget. Deleting a
// session that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, key string) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	// Holding flushMu keeps a flush in progress from writing the session
	// back after it has been deleted.
	s.flushMu.Lock()
	defer s.flushMu.Unlock()
	s.mu.Lock()
	delete(s.pending, key)
	s.mu.Unlock()
	if key == "" {
		return nil
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketSessions)).Delete([]byte(key))
	})
	if err != nil {
		return fmt.Errorf("store: deleting a session: %w", mapClosed(err))
	}
	return nil
}

// SweepSessions deletes every session that has expired at now, from the
// buffer and durably from the file, and returns how many sessions it
// deleted. A buffered value that has expired also removes the older value
// under its key in the file.
func (s *Store) SweepSessions(ctx context.Context, now time.Time) (int, error) {
	if err := s.enter(ctx, true); err != nil {
		return 0, err
	}
	defer s.life.RUnlock()
	s.flushMu.Lock()
	defer s.flushMu.Unlock()

	gone := make(map[string][]byte)
	s.mu.Lock()
	for k, v := range s.pending {
		if expired(v, now) {
			delete(s.pending, k)
			gone[k] = v
		}
	}
	s.mu.Unlock()

	n := len(gone)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketSessions))
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			_, wasBuffered := gone[string(k)]
			switch {
			case wasBuffered:
				keys = append(keys, append([]byte{}, k...))
			case len(v) < 8 || expired(v, now):
				keys = append(keys, append([]byte{}, k...))
				n++
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Deleting while iterating with ForEach is not allowed.
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Keep the expired values buffered so that an older value in the
		// file does not come back; the next sweep retries.
		s.mu.Lock()
		for k, v := range gone {
			if _, newer := s.pending[k]; !newer {
				s.pending[k] = v
			}
		}
		s.mu.Unlock()
		return 0, fmt.Errorf("store: sweep sessions: %w", mapClosed(err))
	}
	return n, nil
}
