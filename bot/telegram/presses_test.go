package telegram

import (
	"strconv"
	"testing"
	"time"
)

func TestPressesRepeat(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	k := pressKey{chat: 1, msg: 10, data: "report"}
	tests := []struct {
		name string
		key  pressKey
		at   time.Time
		want bool
	}{
		{"same instant", k, t0, true},
		{"just inside the window", k, t0.Add(DoublePressWindow - time.Nanosecond), true},
		{"exactly the window later", k, t0.Add(DoublePressWindow), false},
		{"after the window", k, t0.Add(time.Hour), false},
		{"the clock went back", k, t0.Add(-time.Second), false},
		{"another chat", pressKey{chat: 2, msg: 10, data: "report"}, t0, false},
		{"another message", pressKey{chat: 1, msg: 11, data: "report"}, t0, false},
		{"another button", pressKey{chat: 1, msg: 10, data: "go:emergency"}, t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPresses()
			p.record(k, t0)
			if got := p.repeat(tt.key, tt.at); got != tt.want {
				t.Errorf("repeat at %v = %v, want %v", tt.at.Sub(t0), got, tt.want)
			}
		})
	}
}

// TestPressesBounded: presses are dropped once their window is over, and
// never more than maxPresses are kept, however fast they come.
func TestPressesBounded(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		n    int
		step time.Duration // between presses
		// then is when the next press comes, after the last; want is the
		// presses kept after it.
		then time.Duration
		want int
	}{
		{"a few within the window are kept", 10, 100 * time.Millisecond, 0, 11},
		{"all expire after the window", 10, 100 * time.Millisecond, DoublePressWindow, 1},
		{"a flood at one instant is capped", 3 * maxPresses, 0, 0, maxPresses},
		{"a steady stream keeps only the window", 10000, 10 * time.Millisecond, 0, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPresses()
			at := t0
			for i := range tt.n {
				k := pressKey{chat: int64(i), msg: 1, data: "report"}
				if p.repeat(k, at) {
					t.Fatalf("press %d taken for a repeat", i)
				}
				p.record(k, at)
				if p.size() > maxPresses || len(p.order) > maxPresses {
					t.Fatalf("after %d presses: %d kept, %d in order; want at most %d", i+1, p.size(), len(p.order), maxPresses)
				}
				at = at.Add(tt.step)
			}
			at = at.Add(tt.then - tt.step)
			p.record(pressKey{chat: -1, msg: 1, data: strconv.Itoa(tt.n)}, at)
			if got := p.size(); got != tt.want {
				t.Errorf("%d presses kept, want %d", got, tt.want)
			}
			if len(p.order) != p.size() {
				t.Errorf("%d in order, %d in the map; want the same", len(p.order), p.size())
			}
		})
	}
}
