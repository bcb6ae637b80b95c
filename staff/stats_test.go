package staff_test

import (
	"slices"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestWeeklyStats(t *testing.T) {
	known := []directory.Route{"emergency", "fraud", "hate-crime"}
	rows := []directory.StatRow{
		{Day: "2026-11-02", Route: "fraud", Count: 2},      // Monday of week 1
		{Day: "2026-11-08", Route: "fraud", Count: 1},      // Sunday of week 1
		{Day: "2026-11-09", Route: "hate-crime", Count: 4}, // week 2
		{Day: "2026-11-10", Route: "old-route", Count: 1},  // a route since removed
		{Day: "not a day", Route: "fraud", Count: 9},
		{Day: "2026-11-11", Route: "emergency", Count: 0},
	}
	tab := staff.WeeklyStats(known, rows, "2026-11-02", 14, 0)
	if tab.Total != 8 || len(tab.Weeks) != 2 || tab.Hidden != 0 {
		t.Fatalf("total %d, weeks %v, hidden %d; want 8, two weeks, none hidden", tab.Total, tab.Weeks, tab.Hidden)
	}
	if !slices.Equal(tab.Routes, []string{"fraud", "hate-crime", "old-route"}) {
		t.Errorf("routes %v: the directory's with counts, in its order, then others", tab.Routes)
	}
	if !slices.Equal(tab.Counts[0], []uint64{3, 0, 0}) || !slices.Equal(tab.Counts[1], []uint64{0, 4, 1}) || !slices.Equal(tab.Sums, []uint64{3, 5}) {
		t.Errorf("counts %v sums %v", tab.Counts, tab.Sums)
	}
	// A long period keeps the latest weeks.
	long := staff.WeeklyStats(known, rows, "2026-01-05", 365, 20)
	if len(long.Weeks) != 20 || long.Hidden != 33 || !long.Weeks[19].Equal(staff.WeekStart(long.To)) {
		t.Errorf("a year: %d weeks shown, %d hidden, last %v", len(long.Weeks), long.Hidden, long.Weeks[len(long.Weeks)-1])
	}
	if got := staff.WeekStart(time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)); got.Format(time.DateOnly) != "2026-11-02" {
		t.Errorf("WeekStart(Sunday 8 November) = %v, want Monday 2 November", got)
	}
}
