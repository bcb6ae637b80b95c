package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/bot"
)

// MaxInboxItem is the largest Data an inbox item may hold (a Telegram
// update is at most a few kilobytes; a webhook body is read up to 1 MiB).
const MaxInboxItem = 1 << 20

var _ bot.Inbox = (*Store)(nil)

// inboxKey is the key of item id in namespace ns: the namespace, a colon,
// and the id as 20 decimal digits, so that keys sort by id.
func inboxKey(ns string, id int64) []byte {
	return fmt.Appendf(nil, "%s:%020d", ns, id)
}

// seenKey is the mark of a done id: the key MarkSeen uses, so that marks
// written by earlier versions are honoured.
func seenKey(ns string, id int64) []byte {
	return strconv.AppendInt([]byte(ns+":"), id, 10)
}

func checkInboxNS(ns string) error {
	if err := checkKey("inbox namespace", ns); err != nil {
		return err
	}
	if bytes.IndexByte([]byte(ns), ':') >= 0 {
		return fmt.Errorf("store: inbox namespace %q has a colon", ns)
	}
	return nil
}

// InboxPut stores items durably and returns those it took: items already
// in the inbox, or marked done (InboxDone, MarkSeen) and not expired, are
// left out. Concurrent calls are grouped into one transaction (db.Batch),
// so a burst of webhook requests costs one fsync, not one each. Ids must
// not be negative, and Data at most MaxInboxItem bytes.
func (s *Store) InboxPut(ctx context.Context, ns string, items []bot.InboxItem) ([]bot.InboxItem, error) {
	if err := s.enter(ctx, true); err != nil {
		return nil, err
	}
	defer s.life.RUnlock()
	if err := checkInboxNS(ns); err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.ID < 0 {
			return nil, fmt.Errorf("store: inbox item id %d is negative", it.ID)
		}
		if len(it.Data) > MaxInboxItem {
			return nil, fmt.Errorf("store: inbox item %d is %d bytes, more than %d", it.ID, len(it.Data), MaxInboxItem)
		}
	}
	if len(items) == 0 {
		return nil, nil
	}
	var fresh []bot.InboxItem
	err := s.db.Batch(func(tx *bbolt.Tx) error {
		fresh = fresh[:0] // Batch may run this function again
		in, seen := tx.Bucket([]byte(bucketInbox)), tx.Bucket([]byte(bucketSeen))
		now := time.Now().Unix()
		cur := tx.Bucket([]byte(bucketCursors))
		next := int64(0)
		if v := cur.Get(inboxNextKey(ns)); len(v) == 8 {
			next = int64(getUint64(v))
		}
		for _, it := range items {
			next = max(next, it.ID+1)
			if v := seen.Get(seenKey(ns, it.ID)); len(v) == 8 && int64(binary.BigEndian.Uint64(v)) > now {
				continue
			}
			k := inboxKey(ns, it.ID)
			if in.Get(k) != nil {
				continue
			}
			if err := in.Put(k, it.Data); err != nil {
				return err
			}
			fresh = append(fresh, it)
		}
		return cur.Put(inboxNextKey(ns), putUint64(uint64(next)))
	})
	if err != nil {
		return nil, fmt.Errorf("store: inbox put: %w", mapClosed(err))
	}
	return fresh, nil
}

// InboxDone deletes ids from the inbox and marks them done until keep (no
// mark if keep is zero), durably, in one transaction. Callers group ids
// themselves (the Telegram channel writes the answers of 10 ms at once),
// so it does not wait to be grouped with other calls as InboxPut does.
func (s *Store) InboxDone(ctx context.Context, ns string, ids []int64, keep time.Time) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	if err := checkInboxNS(ns); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	exp := putUint64(uint64(keep.Unix()))
	err := s.db.Update(func(tx *bbolt.Tx) error {
		in, seen := tx.Bucket([]byte(bucketInbox)), tx.Bucket([]byte(bucketSeen))
		for _, id := range ids {
			if err := in.Delete(inboxKey(ns, id)); err != nil {
				return err
			}
			if keep.IsZero() {
				continue
			}
			if err := seen.Put(seenKey(ns, id), exp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: inbox done: %w", mapClosed(err))
	}
	return nil
}

// inboxNextKey is the cursors-bucket key of InboxNext.
func inboxNextKey(ns string) []byte { return []byte("inbox-next:" + ns) }

// InboxNext returns one past the highest id InboxPut ever took in ns, or
// 0. InboxPut moves it in the same transaction as it writes the items.
func (s *Store) InboxNext(ctx context.Context, ns string) (int64, error) {
	if err := s.enter(ctx, false); err != nil {
		return 0, err
	}
	defer s.life.RUnlock()
	if err := checkInboxNS(ns); err != nil {
		return 0, err
	}
	var next int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket([]byte(bucketCursors)); b != nil {
			if v := b.Get(inboxNextKey(ns)); len(v) == 8 {
				next = int64(getUint64(v))
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: inbox next: %w", mapClosed(err))
	}
	return next, nil
}

// InboxPending returns the items held in ns, lowest id first. An entry
// whose key is not an inbox key (a damaged file) is skipped.
func (s *Store) InboxPending(ctx context.Context, ns string) ([]bot.InboxItem, error) {
	if err := s.enter(ctx, false); err != nil {
		return nil, err
	}
	defer s.life.RUnlock()
	if err := checkInboxNS(ns); err != nil {
		return nil, err
	}
	var out []bot.InboxItem
	prefix := []byte(ns + ":")
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketInbox))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			id, err := strconv.ParseInt(string(k[len(prefix):]), 10, 64)
			if err != nil || id < 0 {
				continue
			}
			out = append(out, bot.InboxItem{ID: id, Data: append([]byte(nil), v...)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: inbox pending: %w", mapClosed(err))
	}
	return out, nil
}
