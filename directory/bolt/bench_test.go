package bolt

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkPutSessionGet measures one buffered write and one read of a
// session, the cost the bot pays per chat message.
func BenchmarkPutSessionGet(b *testing.B) {
	ctx := context.Background()
	s := openStore(b, testPath(b), &Options{FlushInterval: never})
	data := []byte(`{"step":"route","choices":["report-crime"]}`)
	expires := time.Now().Add(time.Hour)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.PutSession(ctx, "telegram:12345", data, expires); err != nil {
			b.Fatal(err)
		}
		if _, ok, err := s.Session(ctx, "telegram:12345", now); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkFlush100Sessions measures writing 100 buffered sessions in one
// transaction (one fsync).
func BenchmarkFlush100Sessions(b *testing.B) {
	ctx := context.Background()
	s := openStore(b, testPath(b), &Options{FlushInterval: never})
	data := []byte(`{"step":"route","choices":["report-crime"]}`)
	expires := time.Now().Add(time.Hour)
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = "telegram:" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range keys {
			if err := s.PutSession(ctx, k, data, expires); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Flush(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetCursor measures a durable, synchronous write (one fsync each).
func BenchmarkSetCursor(b *testing.B) {
	ctx := context.Background()
	s := openStore(b, testPath(b), nil)
	b.ReportAllocs()
	var i int64
	for b.Loop() {
		i++
		if err := s.SetCursor(ctx, "telegram", i); err != nil {
			b.Fatal(err)
		}
	}
}
