package bolt_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

func openTemp(t *testing.T) (*bolt.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st, path
}

func TestMarkSeen(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	later := time.Now().Add(time.Hour)
	first, err := st.MarkSeen(ctx, "telegram", "42", later)
	if err != nil || !first {
		t.Fatalf("first MarkSeen = %v, %v; want true, nil", first, err)
	}
	again, err := st.MarkSeen(ctx, "telegram", "42", later)
	if err != nil || again {
		t.Fatalf("second MarkSeen = %v, %v; want false, nil", again, err)
	}
	if other, _ := st.MarkSeen(ctx, "slack", "42", later); !other {
		t.Error("namespaces are not separate")
	}
	// Durable across a reopen.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if seen, err := st2.Seen(ctx, "telegram", "42", time.Now()); err != nil || !seen {
		t.Errorf("Seen after reopen = %v, %v; want true", seen, err)
	}
	// An expired mark does not count, and is swept.
	if first, _ := st2.MarkSeen(ctx, "old", "1", time.Now().Add(-time.Minute)); !first {
		t.Error("MarkSeen of a new id = false")
	}
	if again, _ := st2.MarkSeen(ctx, "old", "1", time.Now().Add(-time.Minute)); !again {
		t.Error("an expired mark still counted as seen")
	}
	n, err := st2.SweepSeen(ctx, time.Now())
	if err != nil || n != 1 {
		t.Errorf("SweepSeen = %d, %v; want 1, nil", n, err)
	}
	if seen, _ := st2.Seen(ctx, "telegram", "42", time.Now()); !seen {
		t.Error("sweep removed a live mark")
	}
}

func TestMarkSeenConcurrentExactlyOnce(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	var mu sync.Mutex
	firsts := map[string]int{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprint((i + g) % 60)
				first, err := st.MarkSeen(ctx, "u", id, time.Now().Add(time.Hour))
				if err != nil {
					t.Error(err)
					return
				}
				if first {
					mu.Lock()
					firsts[id]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for id, n := range firsts {
		if n != 1 {
			t.Errorf("id %s handled %d times, want once", id, n)
		}
	}
	if len(firsts) != 57 {
		t.Errorf("%d distinct ids marked, want 57", len(firsts))
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	if _, ok, err := st.Setting(ctx, "webhook-secret"); ok || err != nil {
		t.Fatalf("unset setting: ok=%v err=%v", ok, err)
	}
	if err := st.SetSetting(ctx, "webhook-secret", []byte("s3cret")); err != nil {
		t.Fatal(err)
	}
	v, ok, err := st.Setting(ctx, "webhook-secret")
	if err != nil || !ok || string(v) != "s3cret" {
		t.Errorf("Setting = %q, %v, %v", v, ok, err)
	}
	if err := st.SetSetting(ctx, "", []byte("x")); err == nil {
		t.Error("empty setting name accepted")
	}
}

func TestRecordRefusal(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	before := len(st.Directory().Services)
	if recorded, err := st.RecordRefusal(ctx, "U123", "mash", "edit"); err != nil || !recorded {
		t.Fatalf("RecordRefusal: recorded %v, err %v; want recorded", recorded, err)
	}
	h, err := st.History(ctx, "mash")
	if err != nil {
		t.Fatal(err)
	}
	last := h[len(h)-1]
	if last.Action != directory.ActionRefused || last.Who != "U123" || last.Note != "edit" || last.Before != nil || last.After != nil {
		t.Errorf("last entry = %+v", last)
	}
	if len(st.Directory().Services) != before {
		t.Error("refusal changed the directory")
	}
}

func BenchmarkMarkSeenParallel(b *testing.B) {
	path := filepath.Join(b.TempDir(), "w.db")
	st, err := bolt.Open(path, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var n int64
	var mu sync.Mutex
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			n++
			id := fmt.Sprint(n)
			mu.Unlock()
			if _, err := st.MarkSeen(ctx, "bench", id, time.Now().Add(time.Hour)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
