package slack

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

// Tests of what staff found using the Slack app (issue 14).

// closeService marks id closed in the store, with an alert.
func (e *testEnv) closeService(id string, st directory.Status, alert string) {
	e.t.Helper()
	s := e.service(id)
	s.Status, s.Alert = st, alert
	if err := e.store.PutService(context.Background(), "seed", s); err != nil {
		e.t.Fatal(err)
	}
}

// backUpMASH puts the signpost hub on the safeguarding route after MASH,
// so that MASH can close and the route keep an active service.
func (e *testEnv) backUpMASH() {
	e.t.Helper()
	s := e.service("signpost-hub")
	s.Routes = append(s.Routes, directory.RouteRef{Route: "safeguarding", Order: 2})
	if err := e.store.PutService(context.Background(), "seed", s); err != nil {
		e.t.Fatal(err)
	}
}

// fallbackText is an answer's notification text.
func fallbackText(m map[string]any) string {
	s, _ := m["text"].(string)
	return s
}

func TestClosedServiceIsNeverOfferedToCall(t *testing.T) {
	for _, st := range []directory.Status{directory.StatusTemporarilyClosed, directory.StatusInactive} {
		t.Run(string(st), func(t *testing.T) {
			e := newEnv(t)
			e.backUpMASH()
			e.closeService("mash", st, "Phones are down today; email instead.")
			m := e.command(testOther, "mash")
			all := joined(m)
			for _, bad := range []string{"Call now", "Use now", "use now"} {
				if strings.Contains(all, bad) {
					t.Errorf("closed card shows %q:\n%s", bad, all)
				}
			}
			if want := "*Closed: " + string(st) + ".*"; !strings.Contains(all, want) {
				t.Errorf("card lacks %q:\n%s", want, all)
			}
			if got := fallbackText(m); strings.Contains(got, "0300") || !strings.Contains(got, "closed") {
				t.Errorf("notification text %q: want it closed and without a number", got)
			}
		})
	}

	t.Run("a route look-up leads with the next open service and explains the closed one", func(t *testing.T) {
		e := newEnv(t)
		e.closeService("police-online", directory.StatusTemporarilyClosed, "The online form is down; call 101.")
		m := e.command(testOther, "my bike was stolen")
		blocks, _ := m["blocks"].([]any)
		var header string
		for _, b := range blocks {
			if bm := b.(map[string]any); bm["type"] == "header" {
				header = joined(bm)
				break
			}
		}
		if !strings.Contains(header, "Bedfordshire Police: 101") {
			t.Errorf("first card %q, want the 101 line (the next active service)", header)
		}
		all := joined(m)
		if want := "*Bedfordshire Police: report online is closed* (temporarily closed): The online form is down; call 101."; !strings.Contains(all, want) {
			t.Errorf("answer lacks %q:\n%s", want, all)
		}
	})
}

func TestNotificationTextDoesNotRepeatTheNumber(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ query, want string }{
		{"police-non-emergency", "Bedfordshire Police: 101"},
		{"mash", "Multi-Agency Safeguarding Hub (MASH): 0300 300 8123"},
	}
	for _, tc := range tests {
		if got := fallbackText(e.command(testOther, tc.query)); got != tc.want {
			t.Errorf("%s: text %q, want %q", tc.query, got, tc.want)
		}
	}
}

func TestLogLinesNameTheChannelOnce(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, func(c *Config) {
		// As whereto serve passes it.
		c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)).With("channel", "slack")
	})
	e.command(testOther, "mash")
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no logs")
	}
	for _, l := range lines {
		if n := strings.Count(l, `"channel":`); n != 1 {
			t.Errorf("%d channel keys in %s", n, l)
		}
	}
}

func TestLookUpByContact(t *testing.T) {
	e := newEnv(t)
	tests := []struct{ query, want string }{
		{"0300 300 8123", "mash"},
		{"03003008123", "mash"},
		{"0300-300-8123", "mash"},
		{"+44 300 300 8123", "mash"},
		{"01582547653", "mash"},
		{"mash@luton.gov.uk", "mash"},
		{"MASH@Luton.gov.uk", "mash"},
		{"<mailto:mash@luton.gov.uk|mash@luton.gov.uk>", "mash"},
		{"https://www.report-it.org.uk", "report-it"},
		{"<https://www.report-it.org.uk/>", "report-it"},
		{"report-it.org.uk", "report-it"},
		{"www.bedfordshire.police.uk/report", "police-online"},
		{"0800 0282 887", "signpost-hub"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			all := joined(e.command(testOther, tc.query))
			if !strings.Contains(all, "id: `"+tc.want+"`") {
				t.Errorf("%q does not find %s:\n%s", tc.query, tc.want, all)
			}
		})
	}
}

func TestEditFormStatusIsASelectAndChangesAreDiffed(t *testing.T) {
	e := newEnv(t)
	e.backUpMASH()
	e.run()
	opened := e.openForm(testAdmin, "edit mash")
	var sel map[string]any
	for _, b := range opened.JSON["view"].(map[string]any)["blocks"].([]any) {
		if bm := b.(map[string]any); bm["block_id"] == blockStatus {
			sel = bm["element"].(map[string]any)
		}
	}
	if sel["type"] != "static_select" {
		t.Fatalf("status element %v, want a static_select", sel["type"])
	}
	var values []string
	for _, o := range sel["options"].([]any) {
		values = append(values, o.(map[string]any)["value"].(string))
	}
	if got, want := strings.Join(values, ","), "active,inactive,temporarily closed"; got != want {
		t.Errorf("status options %q, want %q", got, want)
	}
	if v := sel["initial_option"].(map[string]any)["value"]; v != "active" {
		t.Errorf("status initially %v, want active", v)
	}

	before := e.service("mash")
	contacts := strings.Replace(staff.ContactsText(before.Contacts), "0300 300 8123", "0300 300 8124", 1)
	status, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{
		blockContacts: contacts,
		blockStatus:   "temporarily closed",
		blockAlert:    "Phones down until noon.",
		blockReview:   "Confirm the new number.",
	}))
	if status != http.StatusOK || resp != nil {
		t.Fatalf("submission: status %d, answer %v", status, resp)
	}
	got := e.service("mash")
	if got.Status != directory.StatusTemporarilyClosed || got.Alert != "Phones down until noon." || got.Review != "Confirm the new number." {
		t.Fatalf("saved status %q alert %q review %q", got.Status, got.Alert, got.Review)
	}
	audit := formBlocksText(t, e.fake.waitCalls(t, "chat.postMessage", 1)[0])
	for _, want := range []string{
		"• contacts: “phone | 0300 300 8123 | Out of office hours | out-of-hours” → “phone | 0300 300 8124 | Out of office hours | out-of-hours”",
		"• status: “active” → “temporarily closed”",
		"• alert: “(empty)” → “Phones down until noon.”",
		"• still to check: “(empty)” → “Confirm the new number.”",
	} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit post lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, "01582 547 653") || strings.Contains(audit, "mash@luton.gov.uk") {
		t.Errorf("audit post shows unchanged contact lines:\n%s", audit)
	}
	history := joined(e.command(testAdmin, "history mash"))
	if !strings.Contains(history, "changed contacts, status, alert, still to check") {
		t.Errorf("history:\n%s", history)
	}
}

func TestStatsIsWeeklyAndCompact(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for w := 0; w < 40; w++ {
		if err := e.store.CountRoute(ctx, today(night.AddDate(0, 0, -7*w)), "safeguarding"); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.CountRoute(ctx, "2026-11-24", "environmental"); err != nil {
		t.Fatal(err)
	}
	t.Run("a week a row, routes with counts as columns", func(t *testing.T) {
		all := joined(e.command(testAdmin, "stats 14"))
		for _, want := range []string{"week of", "safeguarding", "environmental", "total", "2026-11-16", "2026-11-23", "3 in all"} {
			if !strings.Contains(all, want) {
				t.Errorf("stats 14 lack %q:\n%s", want, all)
			}
		}
		if strings.Contains(all, "hate-crime") || strings.Contains(all, "2026-11-24") {
			t.Errorf("stats 14 show a route without counts or a day row:\n%s", all)
		}
	})
	t.Run("a long period shows 20 weeks and how to get the rest", func(t *testing.T) {
		all := joined(e.command(testAdmin, "stats 366"))
		rows := 0
		for _, l := range strings.Split(all, "\n") {
			if len(l) > 10 && l[4] == '-' && l[7] == '-' && l[10] == ' ' {
				rows++
			}
		}
		if rows != maxStatsRows {
			t.Errorf("%d week rows, want %d:\n%s", rows, maxStatsRows, all)
		}
		if !strings.Contains(all, "whereto stats --days 366 --format csv") {
			t.Errorf("no pointer to the full figures:\n%s", all)
		}
	})
	for _, arg := range []string{"abc", "-3", "99999", "0"} {
		t.Run("stats "+arg+" gets the usage", func(t *testing.T) {
			all := joined(e.command(testAdmin, "stats "+arg))
			if !strings.Contains(all, "Usage: `/whereto stats`") || strings.Contains(all, "Nothing found") {
				t.Errorf("stats %s:\n%s", arg, all)
			}
		})
	}
}

func TestRoutesWhenWordsFromTheForm(t *testing.T) {
	e := newEnv(t)
	e.run()
	opened := e.openForm(testAdmin, "edit signpost-hub")
	status, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{
		blockRoutes: "victim-support 1\nsafeguarding 3 when: my wife / male",
	}))
	if status != http.StatusOK || resp != nil {
		t.Fatalf("submission: status %d, answer %v", status, resp)
	}
	ref, ok := e.service("signpost-hub").RouteRef("safeguarding")
	if !ok || ref.Order != 3 || strings.Join(ref.When, "|") != "my wife|male" {
		t.Errorf("route %+v (%v), want safeguarding 3 when my wife / male", ref, ok)
	}
}
