package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// MarkSeen records that the id in namespace ns (such as a Telegram update
// id) has been handled, until expires. It reports true if the id was not
// already marked (or its mark had expired), false if it was: the caller
// should then not handle it again. The mark is durable when MarkSeen
// returns. Concurrent calls are grouped into one transaction (db.Batch), so
// a burst of marks costs one fsync, not one each.
func (s *Store) MarkSeen(ctx context.Context, ns, id string, expires time.Time) (bool, error) {
	if err := s.enter(ctx, true); err != nil {
		return false, err
	}
	defer s.life.RUnlock()
	key := ns + ":" + id
	if err := checkKey("seen key", key); err != nil {
		return false, err
	}
	var first bool
	err := s.db.Batch(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketSeen))
		now := time.Now().Unix()
		if v := b.Get([]byte(key)); len(v) == 8 && int64(binary.BigEndian.Uint64(v)) > now {
			first = false
			return nil
		}
		first = true
		return b.Put([]byte(key), putUint64(uint64(expires.Unix())))
	})
	if err != nil {
		return false, fmt.Errorf("store: mark seen %q: %w", key, mapClosed(err))
	}
	return first, nil
}

// Seen reports whether the id in namespace ns is marked and the mark has
// not expired at now.
func (s *Store) Seen(ctx context.Context, ns, id string, now time.Time) (bool, error) {
	if err := s.enter(ctx, false); err != nil {
		return false, err
	}
	defer s.life.RUnlock()
	var seen bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketSeen))
		if b == nil {
			return nil
		}
		v := b.Get([]byte(ns + ":" + id))
		seen = len(v) == 8 && int64(binary.BigEndian.Uint64(v)) > now.Unix()
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: seen %q: %w", ns+":"+id, mapClosed(err))
	}
	return seen, nil
}

// SweepSeen deletes marks that expired before now and returns how many.
func (s *Store) SweepSeen(ctx context.Context, now time.Time) (int, error) {
	if err := s.enter(ctx, true); err != nil {
		return 0, err
	}
	defer s.life.RUnlock()
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketSeen))
		var dead [][]byte
		err := b.ForEach(func(k, v []byte) error {
			if len(v) != 8 || int64(binary.BigEndian.Uint64(v)) <= now.Unix() {
				dead = append(dead, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range dead {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: sweep seen: %w", mapClosed(err))
	}
	return n, nil
}

// Setting returns the named setting's value and true, or false if it was
// never set. Settings are small values the service keeps for itself, such
// as a generated webhook secret.
func (s *Store) Setting(ctx context.Context, name string) ([]byte, bool, error) {
	if err := s.enter(ctx, false); err != nil {
		return nil, false, err
	}
	defer s.life.RUnlock()
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketSettings))
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(name)); v != nil {
			out = append([]byte{}, v...)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: setting %q: %w", name, mapClosed(err))
	}
	return out, out != nil, nil
}

// SetSetting stores value under name, durably.
func (s *Store) SetSetting(ctx context.Context, name string, value []byte) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	if err := checkKey("setting name", name); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketSettings)).Put([]byte(name), value)
	})
	if err != nil {
		return fmt.Errorf("store: set setting %q: %w", name, mapClosed(err))
	}
	return nil
}
