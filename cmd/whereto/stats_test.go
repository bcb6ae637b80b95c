package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory/bolt"
)

// seedStats creates db with the given counts (day, route, times).
func seedStats(t testing.TB, db string, counts []struct {
	day, route string
	n          int
}) {
	t.Helper()
	st, err := bolt.Open(db, nil)
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	for _, c := range counts {
		for range c.n {
			if err := st.CountRoute(context.Background(), c.day, c.route); err != nil {
				t.Fatalf("CountRoute: %v", err)
			}
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

func statsFixture(t *testing.T) string {
	t.Helper()
	db := testDB(t)
	seedStats(t, db, []struct {
		day, route string
		n          int
	}{
		{"2026-11-22", "environmental", 9}, // outside a 3-day window ending on the 25th
		{"2026-11-23", "environmental", 2},
		{"2026-11-23", "safeguarding", 1},
		{"2026-11-25", "emergency", 3},
		{"2026-11-25", "environmental", 1},
		{"2026-11-26", "hate-crime", 5}, // after the window
	})
	return db
}

func TestStatsFormats(t *testing.T) {
	db := statsFixture(t)
	tests := []struct {
		name   string
		format string
		want   string
	}{
		{"csv has a row per day and route, zeros included", "csv", `day,route,count
2026-11-23,emergency,0
2026-11-23,report-crime,0
2026-11-23,environmental,2
2026-11-23,hate-crime,0
2026-11-23,fraud,0
2026-11-23,asb-case-review,0
2026-11-23,victim-support,0
2026-11-23,domestic-abuse,0
2026-11-23,sexual-violence,0
2026-11-23,mental-health,0
2026-11-23,drugs-alcohol,0
2026-11-23,safeguarding,1
2026-11-23,exploitation,0
2026-11-23,radicalisation,0
2026-11-24,emergency,0
2026-11-24,report-crime,0
2026-11-24,environmental,0
2026-11-24,hate-crime,0
2026-11-24,fraud,0
2026-11-24,asb-case-review,0
2026-11-24,victim-support,0
2026-11-24,domestic-abuse,0
2026-11-24,sexual-violence,0
2026-11-24,mental-health,0
2026-11-24,drugs-alcohol,0
2026-11-24,safeguarding,0
2026-11-24,exploitation,0
2026-11-24,radicalisation,0
2026-11-25,emergency,3
2026-11-25,report-crime,0
2026-11-25,environmental,1
2026-11-25,hate-crime,0
2026-11-25,fraud,0
2026-11-25,asb-case-review,0
2026-11-25,victim-support,0
2026-11-25,domestic-abuse,0
2026-11-25,sexual-violence,0
2026-11-25,mental-health,0
2026-11-25,drugs-alcohol,0
2026-11-25,safeguarding,0
2026-11-25,exploitation,0
2026-11-25,radicalisation,0
`},
		{"table has a day per row, a route per column and totals", "table", `         DAY  emergency  report-crime  environmental  hate-crime  fraud  asb-case-review  victim-support  domestic-abuse  sexual-violence  mental-health  drugs-alcohol  safeguarding  exploitation  radicalisation  TOTAL
  2026-11-23          0             0              2           0      0                0               0               0                0              0              0             1             0               0      3
  2026-11-24          0             0              0           0      0                0               0               0                0              0              0             0             0               0      0
  2026-11-25          3             0              1           0      0                0               0               0                0              0              0             0             0               0      4
       TOTAL          3             0              3           0      0                0               0               0                0              0              0             1             0               0      7

Conversations that ended on each route, 2026-11-23 to 2026-11-25 (Europe/London days), from ` + db + `.
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "", "stats", "-db", db, "--days", "3", "--at", wedNight, "--format", tt.format)
			if err != nil {
				t.Fatalf("stats: %v\n%s", err, stderr)
			}
			if stdout != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", stdout, tt.want)
			}
		})
	}
}

func TestStatsJSON(t *testing.T) {
	db := statsFixture(t)
	stdout, stderr, err := run(t, "", "stats", "-db", db, "--days", "3", "--at", wedNight, "--format", "json")
	if err != nil {
		t.Fatalf("stats: %v\n%s", err, stderr)
	}
	var rep statsReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("decoding: %v\n%s", err, stdout)
	}
	if rep.From != "2026-11-23" || rep.To != "2026-11-25" || rep.TimeZone != "Europe/London" {
		t.Errorf("range: got %s to %s in %s, want 2026-11-23 to 2026-11-25 in Europe/London", rep.From, rep.To, rep.TimeZone)
	}
	if len(rep.Days) != 3 || rep.Days[2].Counts["emergency"] != 3 || rep.Days[0].Total != 3 {
		t.Errorf("days: got %+v", rep.Days)
	}
	if rep.Totals["environmental"] != 3 || rep.Total != 7 {
		t.Errorf("totals: got %v and %d, want environmental 3 and 7 in all", rep.Totals, rep.Total)
	}
}

// Days are London days: at 23:30 UTC on 30 June it is already 1 July in
// London (BST).
func TestStatsCountsLondonDays(t *testing.T) {
	db := testDB(t)
	seedStats(t, db, []struct {
		day, route string
		n          int
	}{{"2026-06-30", "emergency", 1}, {"2026-07-01", "safeguarding", 2}})
	stdout, _, err := run(t, "", "stats", "-db", db, "--days", "1", "--at", "2026-06-30T23:30:00Z", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "2026-07-01,safeguarding,2") || strings.Contains(stdout, "2026-06-30") {
		t.Errorf("got:\n%s\nwant 1 July only", stdout)
	}
}

func TestStatsErrors(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		hold      bool
		noDB      bool
		wantUsage bool
		want      string
	}{
		{name: "no database yet", noDB: true, want: "nothing has been counted yet"},
		{name: "held by serve", hold: true, want: "no running 'whereto serve' answers for it"},
		{name: "zero days", args: []string{"--days", "0"}, wantUsage: true, want: "--days 0: use 1 to 3660"},
		{name: "an unknown format", args: []string{"--format", "xml"}, wantUsage: true, want: `--format "xml": use table, csv or json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			if !tt.noDB {
				seedStats(t, db, nil)
			}
			if tt.hold {
				holdDB(t, db)
			}
			_, stderr, err := run(t, "", append([]string{"stats", "-db", db}, tt.args...)...)
			if err == nil {
				t.Fatalf("stats: got success, want an error")
			}
			if got := errors.Is(err, errUsage); got != tt.wantUsage {
				t.Errorf("usage error: got %v, want %v (%v)", got, tt.wantUsage, err)
			}
			if msg := err.Error() + stderr; !strings.Contains(msg, tt.want) {
				t.Errorf("got %q, want it to contain %q", msg, tt.want)
			}
			if tt.noDB {
				mustNotExist(t, db)
			}
		})
	}
}
