package telegram

import (
	"context"
	"slices"
	"sync"
	"time"
)

// globalMargin widens the one-second window of the global limit a little,
// so that jitter on the way to Telegram (scheduling, the network) cannot
// squeeze GlobalRate+1 sends into one second as Telegram sees them.
const globalMargin = 0.05

// limiter paces outgoing calls. Globally: at most GlobalRate sends in any
// window of 1.05 seconds (a sliding log of the last grants), at least half
// the average interval apart, so sends are spread out, not fired in
// bursts, and a late timer is caught up with rather than lost. For new
// messages, also a token bucket per chat (PerChatRate a second, bursts of
// PerChatBurst). Waiting calls are granted round-robin between chats, not
// first come first served, so one chat with a long answer cannot hold up
// everyone else's first reply.
//
// It needs no goroutine: whoever changes the state (a new waiter, a
// cancelled one, the timer) grants what can be granted and arms one timer
// for the next grant. It reads the time and arms its timer through clock
// only, so a test can drive it with a fake clock and see each grant at the
// time it was made. It is safe for concurrent use; a nil *limiter grants
// everything at once.
type limiter struct {
	// clock is the limiter's time; realClock unless a test sets it before
	// the first wait.
	clock clock
	// global is the sliding-window limit, nil for none.
	global *slidingLimit
	// chat is the interval of a chat's bucket and tol its burst tolerance
	// ((burst-1)*chat), as a "theoretical arrival time" (GCRA): the
	// earliest a send conforms is tat minus tol, and each send pushes tat
	// one interval on. chat 0 means unlimited.
	chat, tol time.Duration

	mu    sync.Mutex
	lanes map[int64]*lane
	// ring holds the chats with waiters, in turn order: a chat granted a
	// send goes to the back.
	ring   []int64
	timer  clockTimer
	grants int
}

// clock is where the limiter reads the time and arms its timer.
type clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed, and returns
	// a timer that can be stopped or reset.
	AfterFunc(d time.Duration, f func()) clockTimer
}

// clockTimer is the part of *time.Timer the limiter uses.
type clockTimer interface {
	Reset(d time.Duration) bool
	Stop() bool
}

// realClock is the time package's clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) clockTimer { return time.AfterFunc(d, f) }

// slidingLimit allows n grants in any window of span, at least gap apart.
type slidingLimit struct {
	n         int
	span, gap time.Duration
	// times holds the last n grant times: a ring, oldest at head once full.
	times []time.Time
	head  int
	last  time.Time
}

func newSlidingLimit(rate float64) *slidingLimit {
	n := max(int(rate), 1)
	span := time.Duration(float64(n) / rate * float64(time.Second) * (1 + globalMargin))
	return &slidingLimit{n: n, span: span, gap: span / time.Duration(2*n)}
}

// at is the earliest time, not before now, a grant may happen.
func (s *slidingLimit) at(now time.Time) time.Time {
	t := later(now, s.last.Add(s.gap))
	if len(s.times) == s.n {
		t = later(t, s.times[s.head].Add(s.span))
	}
	return t
}

// take records a grant at now.
func (s *slidingLimit) take(now time.Time) {
	s.last = now
	if len(s.times) < s.n {
		s.times = append(s.times, now)
		return
	}
	s.times[s.head] = now
	s.head = (s.head + 1) % s.n
}

// lane is one chat's bucket and its waiting calls, oldest first.
type lane struct {
	tat     time.Time
	waiters []*waiter
}

type waiter struct {
	perChat bool
	// first: the send answers a message that may be about danger, or a
	// chat's first message; it goes ahead of other chats' sends.
	first   bool
	ready   chan struct{}
	granted bool // set, under mu, when ready is closed
}

// newLimiter returns a limiter for the rates (per second; <= 0 means
// unlimited), or nil if neither is limited.
func newLimiter(globalRate, chatRate float64, burst int) *limiter {
	if globalRate <= 0 && chatRate <= 0 {
		return nil
	}
	l := &limiter{clock: realClock{}, lanes: map[int64]*lane{}}
	if globalRate > 0 {
		l.global = newSlidingLimit(globalRate)
	}
	if chatRate > 0 {
		l.chat = time.Duration(float64(time.Second) / chatRate)
		l.tol = time.Duration(max(burst, 1)-1) * l.chat
	}
	return l
}

// wait blocks until a send to chat may go (perChat: a new message, which
// also spends the chat's budget). It returns how long it waited (0 if it
// was granted at once) or ctx.Err() if ctx ended first, in which case
// nothing is spent.
//
// A send for a context marked withPriority goes ahead of other chats'
// sends waiting for the global budget (granted round-robin among
// themselves); it still keeps to its own chat's budget, which is
// Telegram's.
func (l *limiter) wait(ctx context.Context, chat int64, perChat bool) (time.Duration, error) {
	if l == nil || (l.global == nil && (!perChat || l.chat == 0)) {
		return 0, ctx.Err()
	}
	start := l.clock.Now()
	w, atOnce := l.add(chat, perChat, hasPriority(ctx), start)
	if atOnce {
		return 0, nil
	}
	select {
	case <-w.ready:
		return l.clock.Now().Sub(start), nil
	case <-ctx.Done():
		if l.cancel(chat, w) {
			return l.clock.Now().Sub(start), nil
		}
		return l.clock.Now().Sub(start), ctx.Err()
	}
}

// add queues a waiter for chat at now and grants what may go. The waiter's
// ready channel is closed when it is granted; atOnce reports that this
// happened before add returned.
func (l *limiter) add(chat int64, perChat, first bool, now time.Time) (w *waiter, atOnce bool) {
	w = &waiter{perChat: perChat, first: first, ready: make(chan struct{})}
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.lanes[chat]
	if ln == nil {
		ln = &lane{}
		l.lanes[chat] = ln
	}
	if len(ln.waiters) == 0 {
		l.ring = append(l.ring, chat)
	}
	ln.waiters = append(ln.waiters, w)
	l.scheduleLocked(now)
	return w, w.granted
}

// cancel takes w out of chat's queue, unless it was granted meanwhile:
// then it reports true, and the grant stands.
func (l *limiter) cancel(chat int64, w *waiter) (granted bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w.granted {
		return true
	}
	l.removeLocked(chat, w)
	l.scheduleLocked(l.clock.Now())
	return false
}

// scheduleLocked grants every waiter that may go at now, first those with
// priority, then the others, each in ring order, and arms the timer for
// the next one.
func (l *limiter) scheduleLocked(now time.Time) {
	for len(l.ring) > 0 {
		if l.global != nil {
			if at := l.global.at(now); at.After(now) {
				l.armLocked(at.Sub(now))
				return
			}
		}
		var earliest time.Time
		granted := false
		for pass := 0; pass < 2 && !granted; pass++ {
			for i, chat := range l.ring {
				ln := l.lanes[chat]
				w := ln.waiters[0]
				if pass == 0 && !w.first {
					continue
				}
				if w.perChat && l.chat > 0 {
					if at := ln.tat.Add(-l.tol); at.After(now) {
						if earliest.IsZero() || at.Before(earliest) {
							earliest = at
						}
						continue
					}
					ln.tat = later(ln.tat, now).Add(l.chat)
				}
				if l.global != nil {
					l.global.take(now)
				}
				w.granted = true
				close(w.ready)
				ln.waiters = ln.waiters[1:]
				l.ring = slices.Delete(l.ring, i, i+1)
				if len(ln.waiters) > 0 {
					l.ring = append(l.ring, chat)
				}
				granted = true
				l.grants++
				break
			}
		}
		if !granted {
			l.armLocked(earliest.Sub(now))
			return
		}
	}
	if l.grants >= 1024 {
		l.grants = 0
		l.pruneLocked(now)
	}
}

// pruneLocked forgets chats with no waiters whose bucket is full again.
func (l *limiter) pruneLocked(now time.Time) {
	for chat, ln := range l.lanes {
		if len(ln.waiters) == 0 && !ln.tat.After(now) {
			delete(l.lanes, chat)
		}
	}
}

func (l *limiter) removeLocked(chat int64, w *waiter) {
	ln := l.lanes[chat]
	if ln == nil {
		return
	}
	if i := slices.Index(ln.waiters, w); i >= 0 {
		ln.waiters = slices.Delete(ln.waiters, i, i+1)
	}
	if len(ln.waiters) == 0 {
		if i := slices.Index(l.ring, chat); i >= 0 {
			l.ring = slices.Delete(l.ring, i, i+1)
		}
	}
}

func (l *limiter) armLocked(d time.Duration) {
	if l.timer == nil {
		l.timer = l.clock.AfterFunc(d, l.tick)
		return
	}
	l.timer.Reset(d)
}

func (l *limiter) tick() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scheduleLocked(l.clock.Now())
}

// stop releases the timer. Waiters still blocked stay blocked until their
// context ends.
func (l *limiter) stop() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// priorityKey marks a context whose sends go first (withPriority).
type priorityKey struct{}

// withPriority returns ctx marked so that its sends go ahead of other
// chats' in the limiter: an answer to a message that may be about danger,
// or to a chat's first message.
func withPriority(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, true)
}

func hasPriority(ctx context.Context) bool {
	v, _ := ctx.Value(priorityKey{}).(bool)
	return v
}
