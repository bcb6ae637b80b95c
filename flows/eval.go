package flows

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/whereto-bot/whereto/directory"
)

// Example is one labelled message of an evaluation set.
type Example struct {
	Route directory.Route
	Text  string
	Line  int
}

// ParseExamples reads an evaluation set: one example per line,
// "ROUTE<TAB>MESSAGE", where ROUTE is a route id or "unclear". Blank lines
// and lines starting with '#' are skipped. It fails on the first malformed
// line, naming it.
func ParseExamples(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		r := directory.Route(strings.TrimSpace(label))
		switch {
		case !ok:
			return nil, fmt.Errorf("line %d: want ROUTE<TAB>MESSAGE", n)
		case r != directory.RouteUnclear && !r.Known():
			return nil, fmt.Errorf("line %d: %q is not a route or unclear", n, label)
		}
		out = append(out, Example{Route: r, Text: text, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Report is how Classify did on an evaluation set.
type Report struct {
	Total, Correct int
	// Confusion counts [want][got].
	Confusion map[directory.Route]map[directory.Route]int
	// Misses are the examples classified wrongly.
	Misses []Miss
}

// Miss is one wrongly classified example.
type Miss struct {
	Example
	Got directory.Route
}

// Labels is the order reports list routes in: the routes, then unclear.
func Labels() []directory.Route { return append(directory.Routes(), directory.RouteUnclear) }

// Evaluate classifies every example with Classify and counts the outcome.
func Evaluate(examples []Example) Report {
	rep := Report{Confusion: map[directory.Route]map[directory.Route]int{}}
	for _, want := range Labels() {
		rep.Confusion[want] = map[directory.Route]int{}
	}
	for _, ex := range examples {
		got := Classify(ex.Text).Route
		rep.Total++
		rep.Confusion[ex.Route][got]++
		if got == ex.Route {
			rep.Correct++
		} else {
			rep.Misses = append(rep.Misses, Miss{Example: ex, Got: got})
		}
	}
	return rep
}

// Accuracy is the share of examples classified correctly.
func (r Report) Accuracy() float64 {
	if r.Total == 0 {
		return 0
	}
	return float64(r.Correct) / float64(r.Total)
}

// Recall is the share of examples labelled route that were classified as
// route; Precision the share of examples classified as route that were
// labelled route. Both are 0 when undefined.
func (r Report) Recall(route directory.Route) float64 {
	total := 0
	for _, n := range r.Confusion[route] {
		total += n
	}
	if total == 0 {
		return 0
	}
	return float64(r.Confusion[route][route]) / float64(total)
}

// Precision: see Recall.
func (r Report) Precision(route directory.Route) float64 {
	total := 0
	for _, row := range r.Confusion {
		total += row[route]
	}
	if total == 0 {
		return 0
	}
	return float64(r.Confusion[route][route]) / float64(total)
}

// Write prints the report: accuracy, per-route precision and recall, and
// the confusion matrix (rows: the label; columns: what Classify said).
func (r Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "examples\t%d\t\n", r.Total)
	fmt.Fprintf(tw, "accuracy\t%.1f%%\t\n\n", 100*r.Accuracy())
	fmt.Fprintf(tw, "route\tprecision\trecall\tsupport\t\n")
	labels := Labels()
	for _, l := range labels {
		support := 0
		for _, n := range r.Confusion[l] {
			support += n
		}
		fmt.Fprintf(tw, "%s\t%.1f%%\t%.1f%%\t%d\t\n", l, 100*r.Precision(l), 100*r.Recall(l), support)
	}
	fmt.Fprintf(tw, "\nlabel \\ got\t")
	for _, l := range labels {
		fmt.Fprintf(tw, "%s\t", short(l))
	}
	fmt.Fprintln(tw)
	for _, want := range labels {
		fmt.Fprintf(tw, "%s\t", want)
		for _, got := range labels {
			fmt.Fprintf(tw, "%d\t", r.Confusion[want][got])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// short abbreviates a route id for a matrix column.
func short(r directory.Route) string {
	parts := strings.Split(string(r), "-")
	if len(parts) == 1 {
		return string(r)[:min(len(r), 5)]
	}
	s := ""
	for _, p := range parts {
		s += p[:min(len(p), 3)]
	}
	return s
}

// SortMisses orders misses by label, then line.
func (r *Report) SortMisses() {
	slices.SortFunc(r.Misses, func(a, b Miss) int {
		if c := strings.Compare(string(a.Route), string(b.Route)); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
}
