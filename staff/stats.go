package staff

import (
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// WeekTable is the anonymous counts of a period as a table: a row per
// week (Monday start, UK dates), a column per route that has any count.
type WeekTable struct {
	// From and To are the period's first and last day.
	From, To time.Time
	// Routes are the columns: the directory's routes in its order, then
	// others by name (directory.StatRoutes).
	Routes []string
	// Weeks are the rows' Mondays, oldest first; Counts[i][j] is week i's
	// count for Routes[j], and Sums[i] the week's total.
	Weeks  []time.Time
	Counts [][]uint64
	Sums   []uint64
	// Total is the whole period's count; Hidden how many older weeks were
	// left out to keep to the rows asked for.
	Total  uint64
	Hidden int
}

// WeekStart is the Monday of day's week.
func WeekStart(day time.Time) time.Time {
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// WeeklyStats puts the daily counts of the days days from from (a
// directory.StatRow day, YYYY-MM-DD) into weeks, keeping the latest
// maxRows weeks (all if maxRows is 0). known are the directory's routes.
// Rows with an unreadable day or no count are left out.
func WeeklyStats(known []directory.Route, rows []directory.StatRow, from string, days, maxRows int) WeekTable {
	start, _ := time.Parse(time.DateOnly, from)
	t := WeekTable{From: start, To: start.AddDate(0, 0, days-1)}
	byWeek := map[time.Time]map[string]uint64{}
	for _, r := range rows {
		d, err := time.Parse(time.DateOnly, r.Day)
		if err != nil || r.Count == 0 {
			continue
		}
		w := WeekStart(d)
		if byWeek[w] == nil {
			byWeek[w] = map[string]uint64{}
		}
		byWeek[w][r.Route] += r.Count
		t.Total += r.Count
	}
	t.Routes = directory.StatRoutes(known, rows, true)
	for w := WeekStart(start); !w.After(t.To); w = w.AddDate(0, 0, 7) {
		t.Weeks = append(t.Weeks, w)
	}
	if maxRows > 0 && len(t.Weeks) > maxRows {
		t.Hidden = len(t.Weeks) - maxRows
		t.Weeks = t.Weeks[t.Hidden:]
	}
	for _, w := range t.Weeks {
		row := make([]uint64, len(t.Routes))
		var sum uint64
		for j, r := range t.Routes {
			row[j] = byWeek[w][r]
			sum += row[j]
		}
		t.Counts = append(t.Counts, row)
		t.Sums = append(t.Sums, sum)
	}
	return t
}
