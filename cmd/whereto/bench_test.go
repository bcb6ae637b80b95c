package main

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// syncSessions writes every session change through to disk at once: the
// design the store's write-behind buffer avoids, kept here to measure it.
type syncSessions struct{ *bolt.Store }

func (s syncSessions) PutSession(ctx context.Context, key string, data []byte, exp time.Time) error {
	if err := s.Store.PutSession(ctx, key, data, exp); err != nil {
		return err
	}
	return s.Store.Flush(ctx)
}

// BenchmarkMessage measures one message through the whole core: the
// runner's per-conversation lock, the session read from and written to the
// bbolt store, flows.Next, and the route count. "write-behind" is how
// whereto runs; "fsync-per-message" flushes after every message.
func BenchmarkMessage(b *testing.B) {
	script := []string{"/start", "2", "1", "no", "no", "1"}
	for _, mode := range []string{"write-behind", "fsync-per-message"} {
		b.Run(mode, func(b *testing.B) {
			st, err := bolt.Open(filepath.Join(b.TempDir(), "bench.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			var sessions bot.Sessions = st
			if mode == "fsync-per-message" {
				sessions = syncSessions{st}
			}
			r := bot.NewRunner(st, sessions)
			r.Counter = st
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				conv := strconv.Itoa(i / len(script) % 1000)
				_, err := r.Handle(ctx, bot.Message{Channel: "bench", Conversation: conv, Text: script[i%len(script)]})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
