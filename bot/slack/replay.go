package slack

import (
	"container/heap"
	"errors"
	"sync"
	"time"
)

// signatureWindow is how far a request's timestamp may be from now, either
// way: Slack's rule, and what slack.SecretsVerifier checks.
const signatureWindow = 5 * time.Minute

// maxRemembered bounds the signatures a replayGuard keeps. Only requests
// that passed the signature check are remembered, so only Slack (or a copy
// of what Slack sent) can fill it: 10,000 inside five minutes is 33
// commands or button presses a second, far beyond a partnership's staff.
// About 150 bytes each, so at most about 1.5 MB.
const maxRemembered = 10_000

// Why a replayGuard refuses a request.
var (
	// errReplayed: this signature was accepted before, within the window.
	errReplayed = errors.New("slack: request already accepted (a replay)")
	// errStale: the timestamp is more than signatureWindow from now.
	errStale = errors.New("slack: request timestamp outside the 5-minute window")
	// errTooMany: maxRemembered signatures are held and none has expired.
	errTooMany = errors.New("slack: too many signed requests within 5 minutes to remember")
)

// replayGuard accepts each signed request once. Slack signs
// "v0:timestamp:body", so a signature names one request; the guard
// remembers each accepted signature until its timestamp leaves the
// window, after which the signature check refuses the request anyway.
//
// Memory is bounded twice: entries are pruned as they expire (oldest
// expiry first, from a heap), and at most maxRemembered are held. When
// that many are held and none has expired, a new request is refused
// (errTooMany, answered 503) rather than the oldest forgotten: forgetting
// one would let that request be replayed, silently, while refusing costs
// a retry of a genuine request in a burst that cannot happen at the
// partnership's scale. Safe for concurrent use.
type replayGuard struct {
	now func() time.Time
	max int

	mu      sync.Mutex
	seen    map[string]time.Time // signature: when it may be forgotten
	expires expiryHeap
}

func newReplayGuard(now func() time.Time, max int) *replayGuard {
	return &replayGuard{now: now, max: max, seen: make(map[string]time.Time)}
}

// accept reports whether the request signed sig at ts may be handled, and
// remembers sig if so. It returns errStale for a timestamp outside the
// window by the guard's own clock (so nothing is remembered for longer
// than the window), errReplayed for a signature accepted before, and
// errTooMany when full.
func (g *replayGuard) accept(sig string, ts time.Time) error {
	now := g.now()
	if d := now.Sub(ts); d > signatureWindow || d < -signatureWindow {
		return errStale
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prune(now)
	if _, ok := g.seen[sig]; ok {
		return errReplayed
	}
	if len(g.seen) >= g.max {
		return errTooMany
	}
	// Past ts+window the timestamp check refuses the request by itself.
	exp := ts.Add(signatureWindow)
	g.seen[sig] = exp
	heap.Push(&g.expires, expiry{sig, exp})
	return nil
}

// prune forgets signatures whose window has passed at now. The caller
// holds g.mu.
func (g *replayGuard) prune(now time.Time) {
	for len(g.expires) > 0 && now.After(g.expires[0].at) {
		e := heap.Pop(&g.expires).(expiry)
		delete(g.seen, e.sig)
	}
}

// remembered returns how many signatures are held.
func (g *replayGuard) remembered() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.seen)
}

type expiry struct {
	sig string
	at  time.Time
}

// expiryHeap is a min-heap of expiries (container/heap).
type expiryHeap []expiry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
