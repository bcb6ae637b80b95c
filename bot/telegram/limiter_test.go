package telegram

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// queued returns how many calls wait for chat.
func (l *limiter) queued(chat int64) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ln := l.lanes[chat]; ln != nil {
		return len(ln.waiters)
	}
	return 0
}

// TestLimiterGlobalWindow: no window of one second holds more than the
// rate, sends are spread out, and the rate is used in full.
func TestLimiterGlobalWindow(t *testing.T) {
	l := newLimiter(50, -1, 0)
	var mu sync.Mutex
	var times []time.Time
	var wg sync.WaitGroup
	for i := range 120 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := l.wait(t.Context(), int64(i%10), true); err != nil {
				t.Error(err)
			}
			mu.Lock()
			times = append(times, time.Now())
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; i < len(times); i++ {
		for j < len(times) && times[j].Sub(times[i]) < time.Second {
			j++
		}
		most = max(most, j-i)
	}
	if most > 50 {
		t.Errorf("%d grants in one second at 50/s", most)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < l.global.gap-time.Millisecond {
			t.Errorf("grants %d and %d only %v apart, want at least %v", i-1, i, gap, l.global.gap)
			break
		}
	}
	// 120 grants: the 101st waits two windows (2.1 s) after the first.
	if span := times[len(times)-1].Sub(times[0]); span < 2100*time.Millisecond || span > 5*time.Second {
		t.Errorf("120 grants at 50/s took %v, want a little over 2 s", span)
	}
}

// TestLimiterCatchesUp: a grant delayed (a late timer, a slow caller) does
// not lower the rate: the window lets the next ones catch up.
func TestLimiterCatchesUp(t *testing.T) {
	s := newSlidingLimit(10) // 10 in 1.05 s, 52.5 ms apart at least
	now := time.Now()
	for range 10 {
		now = s.at(now).Add(20 * time.Millisecond) // each one 20 ms late
		s.take(now)
	}
	// The 11th may go one window after the 1st, not 10 late intervals on.
	first := s.times[s.head]
	if got, want := s.at(now), first.Add(s.span); !got.Equal(later(want, now.Add(s.gap))) {
		t.Errorf("11th grant at %v after the first, want %v", got.Sub(first), s.span)
	}
}

func TestLimiterPerChatBurst(t *testing.T) {
	l := newLimiter(-1, 20, 3) // 50 ms apart after a burst of 3
	start := time.Now()
	var at []time.Duration
	for range 6 {
		if _, err := l.wait(t.Context(), 1, true); err != nil {
			t.Fatal(err)
		}
		at = append(at, time.Since(start))
	}
	for i := range 3 {
		if at[i] > 20*time.Millisecond {
			t.Errorf("burst send %d waited %v", i, at[i])
		}
	}
	if at[5] < 140*time.Millisecond {
		t.Errorf("6th send after %v, want about 150 ms (3 beyond the burst, 50 ms apart)", at[5])
	}
	// Another chat is not held up, and non-message calls skip the chat
	// budget.
	if w, _ := l.wait(t.Context(), 2, true); w > 20*time.Millisecond {
		t.Errorf("another chat waited %v", w)
	}
	if w, _ := l.wait(t.Context(), 1, false); w > 20*time.Millisecond {
		t.Errorf("an edit waited %v on the chat budget", w)
	}
}

// TestLimiterRoundRobin: a chat with a long queue does not hold up the
// first sends of chats that come after it.
func TestLimiterRoundRobin(t *testing.T) {
	l := newLimiter(50, -1, 0)
	var mu sync.Mutex
	var order []int64
	var wg sync.WaitGroup
	grant := func(chat int64) {
		defer wg.Done()
		if _, err := l.wait(t.Context(), chat, true); err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		order = append(order, chat)
		mu.Unlock()
	}
	// arrived counts the calls for chat that are queued or granted.
	arrived := func(chat int64) int {
		mu.Lock()
		n := 0
		for _, c := range order {
			if c == chat {
				n++
			}
		}
		mu.Unlock()
		return n + l.queued(chat)
	}
	// Chat 1 queues 20 sends; then chats 2, 3 and 4 one each.
	for i := range 20 {
		wg.Add(1)
		go grant(1)
		waitArrived(t, func() int { return arrived(1) }, i+1)
	}
	// When each later chat arrives, note how many sends were granted.
	arrivedAt := map[int64]int{}
	for chat := int64(2); chat <= 4; chat++ {
		mu.Lock()
		arrivedAt[chat] = len(order)
		mu.Unlock()
		wg.Add(1)
		go grant(chat)
		waitArrived(t, func() int { return arrived(chat) }, 1)
	}
	wg.Wait()
	for chat := int64(2); chat <= 4; chat++ {
		pos := slices.Index(order, chat)
		// Round-robin: after it arrives, a chat waits at most one turn of
		// each chat queued (4), plus one send in flight.
		if waited := pos - arrivedAt[chat]; waited > 5 {
			t.Errorf("chat %d arrived after %d sends and was served at %d of %v; round-robin should serve it within a turn", chat, arrivedAt[chat], pos, order)
		}
	}
}

func waitArrived(t *testing.T, n func() int, atLeast int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for n() < atLeast {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %d calls arrive", atLeast)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func TestLimiterCancel(t *testing.T) {
	l := newLimiter(1, -1, 0) // one in 1.05 s
	if _, err := l.wait(t.Context(), 1, true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.wait(ctx, 2, true); err == nil {
		t.Fatal("a cancelled wait was granted")
	}
	if n := l.queued(2); n != 0 {
		t.Errorf("cancelled waiter still queued (%d)", n)
	}
	// The next caller still gets the slot in due time.
	start := time.Now()
	if _, err := l.wait(t.Context(), 3, true); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 1100*time.Millisecond {
		t.Errorf("next wait took %v", d)
	}
}

func TestLimiterOff(t *testing.T) {
	if l := newLimiter(-1, -1, 0); l != nil {
		t.Fatal("no limits should give a nil limiter")
	}
	var l *limiter
	if w, err := l.wait(t.Context(), 1, true); w != 0 || err != nil {
		t.Errorf("nil limiter waited %v, %v", w, err)
	}
}

func TestWindowOffset(t *testing.T) {
	w := newWindow(10)
	for _, id := range []int{10, 11, 12, 14} {
		if !w.add(id) {
			t.Fatalf("add(%d) = false", id)
		}
	}
	if w.add(11) || w.add(9) {
		t.Error("a known or confirmed id was added again")
	}
	w.finish(11, true)
	w.finish(14, true)
	if got := w.offset(); got != 10 {
		t.Errorf("offset %d, want 10 (10 still unanswered)", got)
	}
	w.finish(10, true)
	if got := w.offset(); got != 12 {
		t.Errorf("offset %d, want 12", got)
	}
	w.finish(12, false) // handed back
	if got := w.offset(); got != 12 {
		t.Errorf("offset %d after a hand-back, want 12", got)
	}
	w.finish(12, true)
	if got, size := w.offset(), w.size(); got != 15 || size != 0 {
		t.Errorf("offset %d size %d, want 15 and 0", got, size)
	}
}
