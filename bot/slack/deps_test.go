package slack

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies holds the layering: the Slack adapter never reaches the
// store's package or bbolt (it sees the store through Store), nor another
// platform's SDK.
func TestDependencies(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"bbolt", "/directory/bolt", "telegram", "prometheus"} {
			if strings.Contains(dep, banned) {
				t.Errorf("bot/slack depends on %s", dep)
			}
		}
	}
}
