package bolt

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// never is a flush interval long enough that only Flush and Close write.
const never = time.Hour

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func TestSessionPutGet(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		flush    bool
		expires  time.Time
		now      time.Time
		wantData string
		wantOK   bool
	}{
		{"buffered", false, t0.Add(time.Hour), t0, "step=2", true},
		{"flushed", true, t0.Add(time.Hour), t0, "step=2", true},
		{"buffered, expired", false, t0.Add(time.Hour), t0.Add(time.Hour), "", false},
		{"flushed, expired", true, t0.Add(time.Hour), t0.Add(2 * time.Hour), "", false},
		{"flushed, one second before expiry", true, t0.Add(time.Hour), t0.Add(time.Hour - time.Second), "step=2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, testPath(t), &Options{FlushInterval: never})
			if err := s.PutSession(ctx, "telegram:42", []byte("step=2"), tc.expires); err != nil {
				t.Fatal(err)
			}
			if tc.flush {
				if err := s.Flush(ctx); err != nil {
					t.Fatal(err)
				}
			}
			data, ok, err := s.Session(ctx, "telegram:42", tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if string(data) != tc.wantData || ok != tc.wantOK {
				t.Errorf("Session = %q, %v; want %q, %v", data, ok, tc.wantData, tc.wantOK)
			}
		})
	}

	t.Run("missing", func(t *testing.T) {
		s := openStore(t, testPath(t), nil)
		if data, ok, err := s.Session(ctx, "telegram:1", t0); data != nil || ok || err != nil {
			t.Errorf("Session = %q, %v, %v; want nil, false, nil", data, ok, err)
		}
	})

	t.Run("newer buffered value wins over a flushed one", func(t *testing.T) {
		s := openStore(t, testPath(t), &Options{FlushInterval: never})
		if err := s.PutSession(ctx, "k", []byte("old"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.PutSession(ctx, "k", []byte("new"), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if data, _, _ := s.Session(ctx, "k", t0); string(data) != "new" {
			t.Errorf("Session = %q, want %q", data, "new")
		}
	})

	t.Run("empty key", func(t *testing.T) {
		s := openStore(t, testPath(t), nil)
		if err := s.PutSession(ctx, "", []byte("x"), t0.Add(time.Hour)); err == nil {
			t.Error("PutSession with an empty key: err = nil, want an error")
		}
	})
}

func TestSessionReturnsCopy(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), &Options{FlushInterval: never})
	in := []byte("abc")
	if err := s.PutSession(ctx, "k", in, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X' // the caller reuses its buffer
	for _, flushed := range []bool{false, true} {
		if flushed {
			if err := s.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
		got, _, err := s.Session(ctx, "k", t0)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "abc" {
			t.Errorf("flushed=%v: Session = %q, want %q", flushed, got, "abc")
		}
		got[1] = 'Y' // the caller changes what it got
		again, _, _ := s.Session(ctx, "k", t0)
		if string(again) != "abc" {
			t.Errorf("flushed=%v: after changing the result, Session = %q, want %q", flushed, again, "abc")
		}
	}
}

func TestDeleteSessionDurable(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, &Options{FlushInterval: never})
	for _, k := range []string{"flushed", "buffered", "both"} {
		if err := s.PutSession(ctx, k, []byte(k), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if k == "buffered" {
			continue
		}
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// "both" has a flushed value and a newer buffered one.
	if err := s.PutSession(ctx, "both", []byte("newer"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"flushed", "buffered", "both", "never-existed"} {
		if err := s.DeleteSession(ctx, k); err != nil {
			t.Fatalf("DeleteSession(%q): %v", k, err)
		}
		if _, ok, _ := s.Session(ctx, k, t0); ok {
			t.Errorf("Session(%q) found after DeleteSession", k)
		}
	}
	closeStore(t, s)
	s = openStore(t, path, nil)
	for _, k := range []string{"flushed", "buffered", "both"} {
		if _, ok, _ := s.Session(ctx, k, t0); ok {
			t.Errorf("after reopen, Session(%q) found, want it deleted for good", k)
		}
	}
}

func TestPendingSessionsSurviveClose(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, &Options{FlushInterval: never})
	for i := range 10 {
		if err := s.PutSession(ctx, fmt.Sprintf("console:%d", i), []byte{byte(i)}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	closeStore(t, s) // no Flush: Close writes the buffer
	s = openStore(t, path, nil)
	for i := range 10 {
		data, ok, err := s.Session(ctx, fmt.Sprintf("console:%d", i), t0)
		if err != nil || !ok || len(data) != 1 || data[0] != byte(i) {
			t.Errorf("session %d after reopen = %v, %v, %v; want [%d], true, nil", i, data, ok, err, i)
		}
	}
}

func TestSweepSessions(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, &Options{FlushInterval: never})
	put := func(key string, expires time.Time) {
		t.Helper()
		if err := s.PutSession(ctx, key, []byte(key), expires); err != nil {
			t.Fatal(err)
		}
	}
	put("flushed-expired", t0.Add(-time.Minute))
	put("flushed-live", t0.Add(time.Hour))
	put("ended-after-flush", t0.Add(time.Hour))
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	put("buffered-expired", t0.Add(-time.Minute))
	put("buffered-live", t0.Add(time.Hour))
	put("ended-after-flush", t0.Add(-time.Minute)) // a newer, expired value

	n, err := s.SweepSessions(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n, 3; got != want {
		t.Errorf("SweepSessions = %d, want %d", got, want)
	}
	closeStore(t, s)
	s = openStore(t, path, &Options{FlushInterval: never})
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"flushed-expired", false},
		{"flushed-live", true},
		{"buffered-expired", false},
		{"buffered-live", true},
		{"ended-after-flush", false},
	} {
		// Look an hour back, when everything was live: swept sessions must
		// be gone from the file, not merely expired.
		if _, ok, _ := s.Session(ctx, tc.key, t0.Add(-2*time.Hour)); ok != tc.want {
			t.Errorf("after sweep and reopen, Session(%q) found = %v, want %v", tc.key, ok, tc.want)
		}
	}
	if n, err := s.SweepSessions(ctx, t0); n != 0 || err != nil {
		t.Errorf("second sweep = %d, %v; want 0, nil", n, err)
	}
}

// TestConcurrentSessions runs under -race: writers and readers on their own
// keys while flushes run, each always reading back its latest value.
func TestConcurrentSessions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), &Options{FlushInterval: time.Millisecond})
	const goroutines, rounds = 16, 200

	stop := make(chan struct{})
	var flusher sync.WaitGroup
	flusher.Add(1)
	go func() {
		defer flusher.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.Flush(ctx); err != nil {
				t.Error(err)
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("telegram:%d", g)
			for i := range rounds {
				want := fmt.Sprintf("%d/%d", g, i)
				if err := s.PutSession(ctx, key, []byte(want), t0.Add(time.Hour)); err != nil {
					t.Error(err)
					return
				}
				if err := s.CountRoute(ctx, "2024-05-01", "report-crime"); err != nil {
					t.Error(err)
					return
				}
				got, ok, err := s.Session(ctx, key, t0)
				if err != nil || !ok || string(got) != want {
					t.Errorf("Session(%q) = %q, %v, %v; want %q, true, nil", key, got, ok, err, want)
					return
				}
				if i%50 == 0 {
					if _, err := s.Stats(ctx, "2024-05-01", "2024-05-01"); err != nil {
						t.Error(err)
						return
					}
				}
			}
			if err := s.DeleteSession(ctx, key); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	flusher.Wait()

	rows, err := s.Stats(ctx, "2024-05-01", "2024-05-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Count != goroutines*rounds {
		t.Errorf("Stats = %+v, want one row counting %d", rows, goroutines*rounds)
	}
	for g := range goroutines {
		if _, ok, _ := s.Session(ctx, fmt.Sprintf("telegram:%d", g), t0); ok {
			t.Errorf("session %d still there after DeleteSession", g)
		}
	}
}
