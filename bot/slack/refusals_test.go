package slack

import (
	"fmt"
	"strings"
	"testing"
)

// TestHistoryShowsRefusalsApart: refused attempts, however many, never
// push changes out of /whereto history: changes are listed on their own,
// and refusals get a count and their latest few. Attempts over the
// store's limit are counted, not written.
func TestHistoryShowsRefusalsApart(t *testing.T) {
	e := newEnv(t)
	e.run()
	changes := len(e.auditOf("mash"))
	for i := range maxHistory {
		if all := joined(e.command(testAdmin, "verify mash")); !strings.Contains(all, "Marked") {
			t.Fatalf("verify %d: %s", i, all)
		}
	}
	changes += maxHistory
	// Forty people try once each: all recorded. One tries ten times:
	// three recorded (the store's limit), seven counted.
	for i := range 40 {
		e.command(fmt.Sprintf("UNOT%d", i), "edit mash")
	}
	for range 10 {
		e.command(testOther, "remove mash")
	}
	const recorded, unrecorded = 43, 7
	if got := len(e.auditOf("mash")); got != changes+recorded {
		t.Fatalf("audit entries %d, want %d (the changes and %d refusals)", got, changes+recorded, recorded)
	}

	all, _ := e.command(testAdmin, "history mash")["text"].(string)
	for _, want := range []string{
		fmt.Sprintf("*Changes to `mash`*, newest first (%d in all):", changes),
		fmt.Sprintf("…and %d older.", changes-maxHistory),
		fmt.Sprintf("*Refused attempts* by people who are not admins (nothing was changed): %d recorded, and %d more since whereto last started, over the limit on recorded attempts, only logged. The latest:", recorded, unrecorded),
		"Undo a change with `/whereto revert mash NUMBER`.",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("history lacks %q:\n%s", want, all)
		}
	}
	listed, refused, _ := strings.Cut(all, "*Refused attempts*")
	if got := strings.Count(listed, "• *"); got != maxHistory || strings.Contains(listed, "was refused") {
		t.Errorf("%d entries listed as changes, want %d changes and no refusal:\n%s", got, maxHistory, all)
	}
	if got := strings.Count(refused, "• *"); got != maxRefusalsShown {
		t.Errorf("%d refusals listed, want %d:\n%s", got, maxRefusalsShown, all)
	}
	if got := strings.Count(refused, "was refused (tried to remove)"); got != maxRefusalsShown {
		t.Errorf("the refusals listed are not the latest:\n%s", all)
	}

	t.Run("refusals within the limit show no count of unrecorded ones", func(t *testing.T) {
		e.command("UNOTSTALE", "verify report-it")
		all, _ := e.command(testAdmin, "history report-it")["text"].(string)
		for _, want := range []string{"*Changes to `report-it`*", "*Refused attempts* by people who are not admins (nothing was changed): 1 recorded. The latest:"} {
			if !strings.Contains(all, want) {
				t.Errorf("history lacks %q:\n%s", want, all)
			}
		}
		if strings.Contains(all, "more since whereto last started") {
			t.Errorf("history counts unrecorded attempts that did not happen:\n%s", all)
		}
	})
}
