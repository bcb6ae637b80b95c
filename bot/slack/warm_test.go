package slack

import (
	"os"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/triage"
)

// TestMain builds the classifier for the default directory's routes once,
// before any test: under -race on a busy machine that takes seconds, and
// no test's deadline should be spent on it. Every test that uses those
// routes then finds it built.
func TestMain(m *testing.M) {
	if d, err := directory.Default(); err == nil {
		_ = triage.Warm(d)
	}
	os.Exit(m.Run())
}
