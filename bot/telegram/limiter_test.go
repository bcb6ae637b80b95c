package telegram

import (
	"context"
	"errors"
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

// fakeClock is a limiter clock that moves only when fire is called. Its
// armed channel is signalled each time a timer is set or reset, so that a
// test can tell when a waiter has queued behind the limit (clear it first).
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	armed  chan struct{}
}

type fakeTimer struct {
	c      *fakeClock
	at     time.Time
	f      func()
	active bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), armed: make(chan struct{}, 1)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) clockTimer {
	t := &fakeTimer{c: c, f: f}
	c.mu.Lock()
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	t.Reset(d)
	return t
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	was := t.active
	t.at, t.active = t.c.now.Add(d), true
	t.c.mu.Unlock()
	select {
	case t.c.armed <- struct{}{}:
	default:
	}
	return was
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.active = false
	return was
}

// clearArmed forgets earlier timer signals.
func (c *fakeClock) clearArmed() {
	select {
	case <-c.armed:
	default:
	}
}

// fire moves the time to the earliest armed timer and runs it (in the
// caller's goroutine, so its grants are made when fire returns). It
// reports false, and moves nothing, when no timer is armed.
func (c *fakeClock) fire() bool {
	c.mu.Lock()
	var next *fakeTimer
	for _, t := range c.timers {
		if t.active && (next == nil || t.at.Before(next.at)) {
			next = t
		}
	}
	if next == nil {
		c.mu.Unlock()
		return false
	}
	next.active = false
	c.now = later(c.now, next.at)
	c.mu.Unlock()
	next.f()
	return true
}

// newFakeLimiter is newLimiter on a fake clock.
func newFakeLimiter(t *testing.T, globalRate, chatRate float64, burst int) (*limiter, *fakeClock) {
	t.Helper()
	l := newLimiter(globalRate, chatRate, burst)
	c := newFakeClock()
	l.clock = c
	t.Cleanup(l.stop)
	return l, c
}

// grant is one waiter and the time it was granted.
type grant struct {
	chat int64
	w    *waiter
	at   time.Time // zero until granted
}

// grants queues waiters with add and records when each is granted.
type grants struct {
	l   *limiter
	c   *fakeClock
	all []*grant
}

// add queues a call for chat at the clock's time.
func (g *grants) add(chat int64, perChat bool) *grant {
	return g.addAs(chat, perChat, false)
}

// addAs is add with or without priority.
func (g *grants) addAs(chat int64, perChat, first bool) *grant {
	w, _ := g.l.add(chat, perChat, first, g.c.Now())
	gr := &grant{chat: chat, w: w}
	g.all = append(g.all, gr)
	g.note()
	return gr
}

// note stamps the waiters granted since the last note with the time now.
func (g *grants) note() {
	now := g.c.Now()
	for _, gr := range g.all {
		if !gr.at.IsZero() {
			continue
		}
		select {
		case <-gr.w.ready:
			gr.at = now
		default:
		}
	}
}

// fire runs the limiter's next timer and notes the grants it made; false
// when no timer is armed.
func (g *grants) fire() bool {
	if !g.c.fire() {
		return false
	}
	g.note()
	return true
}

// drain fires timers until every waiter is granted, at most limit times.
func (g *grants) drain(t *testing.T, limit int) {
	t.Helper()
	for range limit {
		if g.pending() == 0 {
			return
		}
		if !g.fire() {
			t.Fatalf("%d waiters wait with no timer armed", g.pending())
		}
	}
	t.Fatalf("%d waiters still wait after %d timers", g.pending(), limit)
}

func (g *grants) pending() int {
	n := 0
	for _, gr := range g.all {
		if gr.at.IsZero() {
			n++
		}
	}
	return n
}

// order is the chats in the order they were granted; grants at the same
// instant (possible only without a global limit) keep the order they were
// added in.
func (g *grants) order() []int64 {
	s := slices.Clone(g.all)
	slices.SortStableFunc(s, func(a, b *grant) int { return a.at.Compare(b.at) })
	var out []int64
	for _, gr := range s {
		out = append(out, gr.chat)
	}
	return out
}

// TestLimiterGlobalWindow: no window of one second holds more than the
// rate, grants are spread out, and the rate is used in full. Grant times
// are the limiter's own (a fake clock), not when a goroutine woke.
func TestLimiterGlobalWindow(t *testing.T) {
	l, c := newFakeLimiter(t, 50, -1, 0)
	g := &grants{l: l, c: c}
	for i := range 120 {
		g.add(int64(i%10), true)
	}
	g.drain(t, 1000)
	var times []time.Time
	for _, gr := range g.all {
		times = append(times, gr.at)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	most := 0
	for i, j := 0, 0; i < len(times); i++ {
		for j < len(times) && times[j].Sub(times[i]) < time.Second {
			j++
		}
		most = max(most, j-i)
	}
	if most != 50 {
		t.Errorf("at most %d grants in one second at 50/s, want 50", most)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < l.global.gap {
			t.Errorf("grants %d and %d only %v apart, want at least %v", i-1, i, gap, l.global.gap)
			break
		}
	}
	// 120 grants: the 101st waits two windows (2.1 s) after the first, and
	// the 19 after it follow a gap (10.5 ms) apart.
	want := 2*l.global.span + 19*l.global.gap
	if span := times[len(times)-1].Sub(times[0]); span != want {
		t.Errorf("120 grants at 50/s took %v, want %v", span, want)
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

// TestLimiterLateTimer: when the timer fires late, the waiters it finds
// due are granted at once, and the window catches up.
func TestLimiterLateTimer(t *testing.T) {
	l, c := newFakeLimiter(t, 10, -1, 0) // 10 in 1.05 s, 52.5 ms apart
	g := &grants{l: l, c: c}
	first := g.add(1, true)
	second := g.add(1, true)
	if first.at.IsZero() || !second.at.IsZero() {
		t.Fatalf("first granted %v, second %v; want only the first at once", !first.at.IsZero(), !second.at.IsZero())
	}
	// The timer fires 200 ms late: the clock is past it when it runs.
	c.mu.Lock()
	c.now = c.now.Add(l.global.gap + 200*time.Millisecond)
	c.mu.Unlock()
	g.fire()
	if got, want := second.at.Sub(first.at), l.global.gap+200*time.Millisecond; got != want {
		t.Errorf("second grant %v after the first, want %v (when the late timer ran)", got, want)
	}
	third := g.add(1, true)
	g.drain(t, 10)
	if got, want := third.at.Sub(second.at), l.global.gap; got != want {
		t.Errorf("third grant %v after the second, want %v", got, want)
	}
}

func TestLimiterPerChatBurst(t *testing.T) {
	l, c := newFakeLimiter(t, -1, 20, 3) // 50 ms apart after a burst of 3
	g := &grants{l: l, c: c}
	start := c.Now()
	for range 6 {
		g.add(1, true)
	}
	g.drain(t, 10)
	for i, gr := range g.all {
		want := time.Duration(max(i-2, 0)) * 50 * time.Millisecond
		if got := gr.at.Sub(start); got != want {
			t.Errorf("send %d granted after %v, want %v (a burst of 3, then 50 ms apart)", i, got, want)
		}
	}
	// Another chat is not held up, and non-message calls skip the chat
	// budget: both are granted at once, through wait.
	if w, err := l.wait(t.Context(), 2, true); w != 0 || err != nil {
		t.Errorf("another chat waited %v, %v; want 0, nil", w, err)
	}
	if w, err := l.wait(t.Context(), 1, false); w != 0 || err != nil {
		t.Errorf("an edit waited %v, %v on the chat budget; want 0, nil", w, err)
	}
	// A new message to chat 1 waits its turn, and wait says how long.
	c.clearArmed()
	done := make(chan time.Duration, 1)
	go func() {
		w, err := l.wait(t.Context(), 1, true)
		if err != nil {
			t.Error(err)
		}
		done <- w
	}()
	<-c.armed // the new waiter's timer
	c.fire()
	if got := <-done; got != 50*time.Millisecond {
		t.Errorf("seventh send waited %v, want 50ms", got)
	}
}

// TestLimiterRoundRobin: a chat with a long queue does not hold up the
// first sends of chats that come after it.
func TestLimiterRoundRobin(t *testing.T) {
	l, c := newFakeLimiter(t, 50, -1, 0)
	g := &grants{l: l, c: c}
	// Chat 1 queues 20 sends; then, while they go, chats 2, 3 and 4 one
	// each.
	for range 20 {
		g.add(1, true)
	}
	arrivedAt := map[int64]int{}
	for chat := int64(2); chat <= 4; chat++ {
		for range 3 {
			g.fire()
		}
		arrivedAt[chat] = len(g.all) - g.pending()
		g.add(chat, true)
	}
	g.drain(t, 100)
	order := g.order()
	for chat := int64(2); chat <= 4; chat++ {
		pos := slices.Index(order, chat)
		// Round-robin: after it arrives, a chat waits at most one turn of
		// each chat queued (4).
		if waited := pos - arrivedAt[chat]; waited < 0 || waited > 4 {
			t.Errorf("chat %d arrived after %d sends and was served at %d of %v; round-robin should serve it within a turn", chat, arrivedAt[chat], pos, order)
		}
	}
}

// TestLimiterCancel: a call whose context ends while it waits is taken
// out of the queue without spending the slot, and the next caller gets the
// slot when it comes due.
func TestLimiterCancel(t *testing.T) {
	l, c := newFakeLimiter(t, 1, -1, 0) // one in 1.05 s
	g := &grants{l: l, c: c}
	first := g.add(1, true)
	if first.at.IsZero() {
		t.Fatal("the first call was not granted at once")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c.clearArmed()
	errc := make(chan error, 1)
	go func() {
		_, err := l.wait(ctx, 2, true)
		errc <- err
	}()
	<-c.armed // the call for chat 2 waits behind the limit
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait returned %v, want context.Canceled", err)
	}
	if n := l.queued(2); n != 0 {
		t.Errorf("cancelled waiter still queued (%d)", n)
	}
	// The next caller still gets the slot in due time: one window after
	// the first, not two.
	next := g.add(3, true)
	g.drain(t, 10)
	if got, want := next.at.Sub(first.at), l.global.span; got != want {
		t.Errorf("next call granted %v after the first, want %v", got, want)
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

// TestLimiterPriority: with many chats waiting for the global budget, a
// send with priority (danger, or a chat's first message) is granted
// next, not after a turn of every other chat; it still keeps to its own
// chat's budget.
func TestLimiterPriority(t *testing.T) {
	l, c := newFakeLimiter(t, 10, 1, 1)
	g := &grants{l: l, c: c}
	for chat := int64(1); chat <= 30; chat++ {
		g.add(chat, true)
	}
	urgent := g.addAs(99, true, true)
	g.fire()
	g.fire()
	if urgent.at.IsZero() {
		t.Fatalf("a send with priority was not among the next two grants, with %d others waiting", g.pending())
	}
	// Its chat's own budget still holds: a second send to chat 99 waits a
	// second even with priority.
	again := g.addAs(99, true, true)
	g.drain(t, 200)
	if gap := again.at.Sub(urgent.at); gap < time.Second {
		t.Errorf("two sends to one chat %v apart with priority; the chat's budget is one a second", gap)
	}
}
