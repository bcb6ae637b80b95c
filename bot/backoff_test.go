package bot_test

import (
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
)

func TestBackoffWait(t *testing.T) {
	b := bot.Backoff{Base: time.Second, Max: 5 * time.Second}
	tests := []struct {
		name string
		n    int
		want time.Duration // the wait before jitter
	}{
		{"first retry waits up to base", 1, time.Second},
		{"second retry doubles", 2, 2 * time.Second},
		{"third retry doubles again", 3, 4 * time.Second},
		{"fourth retry is capped", 4, 5 * time.Second},
		{"a huge retry count is capped without overflow", 1 << 20, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 200 {
				if got := b.Wait(tt.n); got < tt.want/2 || got > tt.want {
					t.Fatalf("Wait(%d) = %v, want between %v and %v", tt.n, got, tt.want/2, tt.want)
				}
			}
		})
	}
	if got := (bot.Backoff{}).Wait(3); got != 0 {
		t.Errorf("zero Backoff waits %v, want 0", got)
	}
}

func TestLogIDs(t *testing.T) {
	ids := bot.NewLogIDs()
	a, b := ids.ID("telegram:42"), ids.ID("telegram:43")
	if got := ids.ID("telegram:42"); got != a {
		t.Errorf("same key gave %q then %q, want the same id", a, got)
	}
	if a == b {
		t.Errorf("two keys gave the same id %q", a)
	}
	if len(a) != 16 {
		t.Errorf("id %q has %d characters, want 16", a, len(a))
	}
	if other := bot.NewLogIDs().ID("telegram:42"); other == a {
		t.Errorf("two LogIDs gave the same id %q for one key, want different keys", a)
	}
}
