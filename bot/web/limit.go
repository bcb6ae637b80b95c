package web

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client address. IPv6 addresses are
// grouped by /64, since one household or host usually holds a whole /64.
// It keeps at most max addresses; past that, new addresses share one
// bucket until idle ones are swept. Safe for concurrent use.
type limiter struct {
	rate  rate.Limit
	burst int
	max   int

	mu       sync.Mutex
	m        map[netip.Addr]*visitor
	overflow *rate.Limiter
}

type visitor struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiter(r rate.Limit, burst, max int) *limiter {
	return &limiter{rate: r, burst: burst, max: max, m: map[netip.Addr]*visitor{}, overflow: rate.NewLimiter(r, burst)}
}

// allow takes one token for addr at now. When none is left it returns
// false and how long until one is.
func (l *limiter) allow(addr netip.Addr, now time.Time) (bool, time.Duration) {
	if l.rate == rate.Inf {
		return true, 0
	}
	key := bucketKey(addr)
	l.mu.Lock()
	v, ok := l.m[key]
	var rl *rate.Limiter
	switch {
	case ok:
		v.seen = now
		rl = v.l
	case len(l.m) < l.max:
		rl = rate.NewLimiter(l.rate, l.burst)
		l.m[key] = &visitor{l: rl, seen: now}
	default:
		rl = l.overflow
	}
	l.mu.Unlock()
	if rl.AllowN(now, 1) {
		return true, 0
	}
	wait := time.Second
	if l.rate > 0 {
		wait = time.Duration(math.Ceil(float64(time.Second) / float64(l.rate)))
	}
	return false, wait
}

// sweep forgets addresses idle long enough for their bucket to be full
// again: keeping them would change nothing.
func (l *limiter) sweep(now time.Time) {
	idle := time.Minute
	if l.rate > 0 {
		if full := time.Duration(float64(l.burst) / float64(l.rate) * float64(time.Second)); full > idle {
			idle = full
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range l.m {
		if now.Sub(v.seen) > idle {
			delete(l.m, k)
		}
	}
}

// size is the number of addresses tracked, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

func bucketKey(a netip.Addr) netip.Addr {
	a = a.Unmap()
	if a.Is6() {
		p, err := a.Prefix(64)
		if err == nil {
			return p.Addr()
		}
	}
	return a
}

// clientAddr is the address a request came from: the peer, or, when the
// peer is a trusted proxy, the right-most address in X-Forwarded-For that
// is not itself a trusted proxy. ok is false if no address can be read.
func clientAddr(r *http.Request, trusted []netip.Prefix) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer, true
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A malformed hop: what lies left of it cannot be trusted.
			return peer, true
		}
		a = a.Unmap()
		if !isTrusted(a, trusted) {
			return a, true
		}
		peer = a
	}
	return peer, true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
