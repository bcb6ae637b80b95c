package bolt

import (
	"context"
	"encoding/binary"
	"fmt"

	"go.etcd.io/bbolt"
)

// Cursor returns the value of the named cursor (such as the Telegram update
// offset) and true, or false if it has never been set.
func (s *Store) Cursor(ctx context.Context, name string) (int64, bool, error) {
	if err := s.enter(ctx, false); err != nil {
		return 0, false, err
	}
	defer s.life.RUnlock()
	var v int64
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketCursors))
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(name))
		switch {
		case raw == nil:
			return nil
		case len(raw) != 8:
			return fmt.Errorf("stored value is %d bytes, want 8", len(raw))
		}
		v, ok = int64(binary.BigEndian.Uint64(raw)), true
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("store: cursor %q: %w", name, mapClosed(err))
	}
	return v, ok, nil
}

// SetCursor sets the named cursor to v, durably: the value is on disk
// (fsynced) when SetCursor returns, so a restart resumes from it. It
// returns an error for an empty name and ErrReadOnly on a read-only store.
func (s *Store) SetCursor(ctx context.Context, name string, v int64) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	if err := checkKey("cursor name", name); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketCursors)).Put([]byte(name), putUint64(uint64(v)))
	})
	if err != nil {
		return fmt.Errorf("store: set cursor %q: %w", name, mapClosed(err))
	}
	return nil
}
