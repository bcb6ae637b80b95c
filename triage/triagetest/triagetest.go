// Package triagetest helps the tests of packages that classify messages
// with the default directory's routes. Each such package runs its tests
// through Main:
//
//	func TestMain(m *testing.M) { triagetest.Main(m) }
package triagetest

import (
	"os"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/triage"
)

// Main builds the classifier for the default directory's routes once,
// before any test, then runs the tests and exits with their status. Under
// -race on a busy machine the build takes seconds, and no test's deadline
// should be spent on it: every test that uses those routes finds it built.
func Main(m *testing.M) {
	if d, err := directory.Default(); err == nil {
		_ = triage.Warm(d)
	}
	os.Exit(m.Run())
}
