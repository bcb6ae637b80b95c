package flows_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointOneWay holds the layering: the conversation, the
// classifier and the directory never reach storage, the bot core or a chat
// platform's SDK, and the classifier never reaches the conversation.
func TestDependenciesPointOneWay(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	tests := []struct {
		pkgs   []string
		banned []string
	}{
		{[]string{"../flows", "../triage", "../staff", "../directory"}, []string{"bbolt", "/bot", "telegram", "slack", "prometheus"}},
		{[]string{"../triage", "../directory"}, []string{"whereto/flows"}},
		{[]string{"../bot", "../bot/console"}, []string{"bbolt", "/directory/bolt", "telegram", "slack"}},
	}
	for _, tt := range tests {
		out, err := exec.Command(goBin, append([]string{"list", "-deps"}, tt.pkgs...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range tt.banned {
				if strings.Contains(dep, banned) {
					t.Errorf("%v depends on %s", tt.pkgs, dep)
				}
			}
		}
	}
}
