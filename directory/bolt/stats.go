package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/whereto-bot/whereto/directory"
)

// dayLen is the length of a "YYYY-MM-DD" day, the prefix of a stats key.
const dayLen = len(time.DateOnly)

// checkDay rejects anything but a real "YYYY-MM-DD" date.
func checkDay(day string) error {
	if err := directory.CheckDay(day); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// CountRoute adds one to the count for route on day ("YYYY-MM-DD"). Counts
// are anonymous: a day, a route and a number, nothing else. Like PutSession
// it only buffers, and the next flush writes it; Stats includes buffered
// counts. It returns an error for a malformed day or an empty route, and
// ErrReadOnly on a read-only store.
func (s *Store) CountRoute(ctx context.Context, day string, route string) error {
	if err := s.enter(ctx, true); err != nil {
		return err
	}
	defer s.life.RUnlock()
	if err := checkDay(day); err != nil {
		return err
	}
	if err := checkKey("route", route); err != nil {
		return err
	}
	s.mu.Lock()
	s.counts[day+":"+route]++
	s.mu.Unlock()
	return nil
}

// Stats returns the counts for every day from fromDay to toDay inclusive
// ("YYYY-MM-DD"; an empty fromDay means from the first day counted, an empty
// toDay to the last), sorted by day and then route, including counts not
// yet flushed. It returns an error for a malformed day. The caller owns the
// result.
func (s *Store) Stats(ctx context.Context, fromDay, toDay string) ([]directory.StatRow, error) {
	if err := s.enter(ctx, false); err != nil {
		return nil, err
	}
	defer s.life.RUnlock()
	for _, d := range []string{fromDay, toDay} {
		if d == "" {
			continue
		}
		if err := checkDay(d); err != nil {
			return nil, err
		}
	}
	inRange := func(day string) bool {
		return (fromDay == "" || day >= fromDay) && (toDay == "" || day <= toDay)
	}

	// Holding flushMu means no batch is between the buffer and the file, so
	// every count is in exactly one of them.
	s.flushMu.Lock()
	defer s.flushMu.Unlock()

	sums := make(map[string]uint64)
	s.mu.Lock()
	for k, n := range s.counts {
		if inRange(k[:dayLen]) {
			sums[k] += n
		}
	}
	s.mu.Unlock()

	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket([]byte(bucketStats))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var k, v []byte
		if fromDay == "" {
			k, v = c.First()
		} else {
			k, v = c.Seek([]byte(fromDay))
		}
		for ; k != nil; k, v = c.Next() {
			if len(k) <= dayLen || k[dayLen] != ':' || len(v) != 8 {
				return fmt.Errorf("malformed stats entry %q", k)
			}
			if toDay != "" && bytes.Compare(k[:dayLen], []byte(toDay)) > 0 {
				break
			}
			sums[string(k)] += binary.BigEndian.Uint64(v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: stats: %w", mapClosed(err))
	}

	rows := make([]directory.StatRow, 0, len(sums))
	for k, n := range sums {
		rows = append(rows, directory.StatRow{Day: k[:dayLen], Route: k[dayLen+1:], Count: n})
	}
	directory.SortStatRows(rows)
	return rows, nil
}
