package console_test

import (
	"testing"

	"github.com/whereto-bot/whereto/triage/triagetest"
)

// TestMain builds the classifier once, before any test (triagetest.Main).
func TestMain(m *testing.M) { triagetest.Main(m) }
