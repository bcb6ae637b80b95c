package telegram

import (
	"sync"
	"time"
)

// DoublePressWindow is how soon after a press of a button a press of the
// same button (same chat, same message, same callback data) is taken as
// the same press said twice, an impatient second press or a double click,
// and not answered again. A press exactly DoublePressWindow later is a new
// one.
const DoublePressWindow = 2 * time.Second

// maxPresses bounds the presses remembered. At Telegram's 30 messages a
// second, about 60 answered presses fit in the window; the bound only
// matters under a flood, and then forgetting one early costs at most an
// answer sent twice.
const maxPresses = 4096

// pressKey is one button: where it was pressed and what it says.
type pressKey struct {
	chat int64
	msg  int
	data string
}

// presses remembers the buttons pressed in the last DoublePressWindow, in
// memory only (a restart forgets them; Seen still stops a repeated
// update). It never holds more than maxPresses, and drops each press once
// its window is over. Safe for concurrent use.
type presses struct {
	mu   sync.Mutex
	last map[pressKey]time.Time
	// order holds the remembered presses oldest first, for pruning; a key
	// pressed again appears twice, and only its newest entry counts.
	order []pressed
}

type pressed struct {
	key pressKey
	at  time.Time
}

func newPresses() *presses { return &presses{last: map[pressKey]time.Time{}} }

// repeat reports whether a press of k at now comes less than
// DoublePressWindow after the last answered press of k. A press that seems
// to come before it (the clock went back) is answered.
func (p *presses) repeat(k pressKey, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prune(now)
	at, ok := p.last[k]
	if !ok {
		return false
	}
	d := now.Sub(at)
	return d >= 0 && d < DoublePressWindow
}

// record remembers that a press of k was answered at now.
func (p *presses) record(k pressKey, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last[k] = now
	p.order = append(p.order, pressed{k, now})
	p.prune(now)
}

// prune drops presses whose window is over, and the oldest beyond
// maxPresses.
func (p *presses) prune(now time.Time) {
	n := 0
	for n < len(p.order) {
		e := p.order[n]
		if len(p.order)-n <= maxPresses && now.Sub(e.at) < DoublePressWindow {
			break
		}
		if at, ok := p.last[e.key]; ok && at.Equal(e.at) {
			delete(p.last, e.key)
		}
		n++
	}
	if n > 0 {
		clear(p.order[:n]) // let the strings go
		p.order = p.order[n:]
	}
}

// size is the number of presses remembered (tests).
func (p *presses) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.last)
}
