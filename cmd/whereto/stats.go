package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

const statsHelp = `Usage: whereto stats [--days N] [--format table|csv|json] [flags]

How many conversations ended on each route, per day, for the last N days
up to and including today; days are counted in Europe/London time. Only
counts are kept (a day, a route, a number), so nothing personal can be
exported.

  whereto stats --days 30 --format csv > whereto-stats.csv

While 'whereto serve' runs it holds the database file, so stats asks the
running service for the counts (on loopback, with the token serve keeps
beside the database; see 'whereto directory backup').`

// maxStatsDays bounds --days: ten years.
const maxStatsDays = 3660

func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fset := newFlags("stats", stderr, &c, true, statsHelp)
	days := fset.Int("days", 7, "number of days, up to and including today (1 to 3660)")
	format := fset.String("format", "table", "output format: table, csv or json")
	if err := parse(fset, args); err != nil {
		return helpOK(err)
	}
	if fset.NArg() > 0 {
		fset.Usage()
		return errUsage
	}
	if *days < 1 || *days > maxStatsDays {
		fmt.Fprintf(stderr, "whereto stats: --days %d: use 1 to %d\n", *days, maxStatsDays)
		return errUsage
	}
	if !slices.Contains([]string{"table", "csv", "json"}, *format) {
		fmt.Fprintf(stderr, "whereto stats: --format %q: use table, csv or json\n", *format)
		return errUsage
	}
	clock, err := c.clock()
	if err != nil {
		return err
	}
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s, so nothing has been counted yet ('whereto serve' creates it; use -db or WHERETO_DB for another file)", path)
	}
	from, to := dayRange(clock(), *days)
	var rows []directory.StatRow
	// Columns: the stored directory's routes, or (through a running
	// serve) the default's; any other route counted follows them.
	var routes []directory.Route
	if def, err := directory.Default(); err == nil {
		routes = def.RouteIDs()
	}
	st, err := bolt.Open(path, &bolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	switch {
	case errors.Is(err, bolt.ErrInUse):
		rows, err = statsThroughServe(ctx, path, from[0], to)
		if err != nil {
			return fmt.Errorf("%w; use the whereto_conversations_ended_total metric instead", err)
		}
	case err != nil:
		return err
	default:
		routes = st.Directory().RouteIDs()
		rows, err = st.Stats(ctx, from[0], to)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	rep := newStatsReport(routes, from, rows)
	switch *format {
	case "csv":
		return rep.writeCSV(stdout)
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.writeTable(stdout, path)
}

// dayRange returns the n days ("YYYY-MM-DD", oldest first) ending on now's
// day in Europe/London, and the last of them.
func dayRange(now time.Time, n int) (days []string, last string) {
	l := now.In(directory.London())
	for i := n - 1; i >= 0; i-- {
		// Noon, so that no daylight-saving change moves the date.
		d := time.Date(l.Year(), l.Month(), l.Day()-i, 12, 0, 0, 0, directory.London())
		days = append(days, d.Format(time.DateOnly))
	}
	return days, days[len(days)-1]
}

// statsReport is the output of 'whereto stats': every day of the range,
// every route, zeros included.
type statsReport struct {
	From     string            `json:"from"`
	To       string            `json:"to"`
	TimeZone string            `json:"time_zone"`
	Routes   []string          `json:"routes"`
	Days     []statsDay        `json:"days"`
	Totals   map[string]uint64 `json:"totals"`
	Total    uint64            `json:"total"`
}

// statsDay is one day's counts by route.
type statsDay struct {
	Day    string            `json:"day"`
	Counts map[string]uint64 `json:"counts"`
	Total  uint64            `json:"total"`
}

// newStatsReport lays rows out over days: the routes of the directory in
// menu order, then any other route found in rows.
func newStatsReport(routes []directory.Route, days []string, rows []directory.StatRow) statsReport {
	rep := statsReport{
		From: days[0], To: days[len(days)-1], TimeZone: "Europe/London",
		Totals: map[string]uint64{},
	}
	rep.Routes = directory.StatRoutes(routes, rows, false)
	byDay := map[string]map[string]uint64{}
	for _, r := range rows {
		if byDay[r.Day] == nil {
			byDay[r.Day] = map[string]uint64{}
		}
		byDay[r.Day][r.Route] += r.Count
	}
	for _, r := range rep.Routes {
		rep.Totals[r] = 0
	}
	for _, d := range days {
		sd := statsDay{Day: d, Counts: map[string]uint64{}}
		for _, r := range rep.Routes {
			n := byDay[d][r]
			sd.Counts[r] = n
			sd.Total += n
			rep.Totals[r] += n
		}
		rep.Total += sd.Total
		rep.Days = append(rep.Days, sd)
	}
	return rep
}

// writeCSV writes one row per day and route: day,route,count.
func (rep statsReport) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"day", "route", "count"})
	for _, d := range rep.Days {
		for _, r := range rep.Routes {
			_ = cw.Write([]string{d.Day, r, strconv.FormatUint(d.Counts[r], 10)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTable writes a day per row and a route per column, with totals.
func (rep statsReport) writeTable(w io.Writer, path string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	line := func(first string, cells []uint64) {
		fmt.Fprintf(tw, "%s\t", first)
		for _, n := range cells {
			fmt.Fprintf(tw, "%d\t", n)
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "DAY\t")
	for _, r := range rep.Routes {
		fmt.Fprintf(tw, "%s\t", r)
	}
	fmt.Fprintln(tw, "TOTAL\t")
	for _, d := range rep.Days {
		var cells []uint64
		for _, r := range rep.Routes {
			cells = append(cells, d.Counts[r])
		}
		line(d.Day, append(cells, d.Total))
	}
	var cells []uint64
	for _, r := range rep.Routes {
		cells = append(cells, rep.Totals[r])
	}
	line("TOTAL", append(cells, rep.Total))
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nConversations that ended on each route, %s to %s (Europe/London days), from %s.\n", rep.From, rep.To, path)
	return err
}
