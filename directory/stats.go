package directory

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// StatRow is the number of conversations that ended on Route on Day. Its
// JSON form is what `whereto stats --format json` and the running
// service's stats endpoint give.
type StatRow struct {
	Day   string `json:"day"` // "YYYY-MM-DD", Europe/London
	Route string `json:"route"`
	Count uint64 `json:"count"`
}

// CheckDay returns an error unless day is a real "YYYY-MM-DD" date.
func CheckDay(day string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return fmt.Errorf("day %q is not a date (YYYY-MM-DD)", day)
	}
	return nil
}

// SortStatRows sorts rows by day, then route: the order Stats returns.
func SortStatRows(rows []StatRow) {
	slices.SortFunc(rows, func(a, b StatRow) int {
		if c := strings.Compare(a.Day, b.Day); c != 0 {
			return c
		}
		return strings.Compare(a.Route, b.Route)
	})
}

// RouteStrings returns routes as strings, in order: metric labels, table
// columns and CLI output take route ids as plain strings.
func RouteStrings(routes []Route) []string {
	out := make([]string, len(routes))
	for i, r := range routes {
		out[i] = string(r)
	}
	return out
}

// StatRoutes returns the columns of a stats table: the routes of known
// (the directory's, in menu order), then any other route of rows (one no
// longer defined) by name. With usedOnly, only routes with a count in
// rows are kept.
func StatRoutes(known []Route, rows []StatRow, usedOnly bool) []string {
	used := map[string]bool{}
	for _, r := range rows {
		if r.Count > 0 {
			used[r.Route] = true
		}
	}
	var out []string
	for _, r := range known {
		if !usedOnly || used[string(r)] {
			out = append(out, string(r))
		}
	}
	var extra []string
	for r := range used {
		if !slices.Contains(out, r) && !slices.Contains(known, Route(r)) {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}
