package bot

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff with jitter, for an adapter retrying its
// platform's API or reconnecting to it. It is a value; safe for concurrent
// use.
type Backoff struct {
	// Base is the longest wait before the first retry; it doubles with
	// each retry up to Max. Both must be positive.
	Base, Max time.Duration
}

// Wait returns the wait before retry n (from 1): Base doubled n-1 times,
// at most Max, drawn at random from the upper half of that ([d/2, d]) so
// that many clients retrying after an outage do not return in step. It is
// 0 when Base or Max is not positive.
func (b Backoff) Wait(n int) time.Duration {
	d := min(b.Base, b.Max)
	if d <= 0 {
		return 0
	}
	for i := 1; i < n && d < b.Max; i++ {
		if d > b.Max/2 {
			d = b.Max
			break
		}
		d *= 2
	}
	return d/2 + rand.N(d/2+1)
}
