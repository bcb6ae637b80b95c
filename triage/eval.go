package triage

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
	// Lang is the language the set says the example is in (a "# lang:
	// CODE" comment line above it), or "".
	Lang string
}

// ParseExamples reads an evaluation set: one example per line,
// "ROUTE<TAB>MESSAGE", where ROUTE is a route id or "unclear". Blank lines
// and lines starting with '#' are skipped; a "# lang: CODE" line says the
// examples below it are in that language. It fails on the first malformed
// line, naming it.
func ParseExamples(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	lang := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if code, ok := strings.CutPrefix(line, "# lang:"); ok {
			lang = strings.TrimSpace(code)
			continue
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, text, ok := strings.Cut(line, "\t")
		r := directory.Route(strings.TrimSpace(label))
		switch {
		case !ok:
			return nil, fmt.Errorf("line %d: want ROUTE<TAB>MESSAGE", n)
		case !directory.ValidRouteID(string(r)):
			return nil, fmt.Errorf("line %d: %q is not a route id or unclear", n, label)
		}
		out = append(out, Example{Route: r, Text: text, Line: n, Lang: lang})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Report is how Classify did on an evaluation set. An example's outcome
// is the route the person ends on: emergency when Classify said danger is
// now, and for an emergency it asked about (check), since the person
// answers "Yes, now" and is told to call 999; otherwise the route, which a
// person asked about and not in danger reaches with "No".
type Report struct {
	Total, Correct int
	// Emergencies counts the examples labelled emergency; Caught those
	// read as danger now or asked about (check), CaughtNow those read as
	// now.
	Emergencies, Caught, CaughtNow int
	// Others counts the other examples; FalseNow those told "Call 999
	// now", FalseCheck those asked whether it is happening now.
	Others, FalseNow, FalseCheck int
	// Confusion counts [want][got].
	Confusion map[directory.Route]map[directory.Route]int
	// Misses are the examples classified wrongly.
	Misses []Miss
	// ByLang has the totals of each language the set names ("# lang:"
	// lines), when it names any.
	ByLang map[string]*LangTotals

	labels []directory.Route
}

// LangTotals are a report's totals for one language.
type LangTotals struct {
	Total, Correct      int
	Emergencies, Caught int
	// Detected counts the examples read as written in this language.
	Detected int
}

// Miss is one wrongly classified example.
type Miss struct {
	Example
	Got    directory.Route
	Danger Danger
}

// Labels is the order reports list routes in: dir's routes, then unclear.
func Labels(dir Routes) []directory.Route {
	var out []directory.Route
	for _, r := range dir.RouteList() {
		out = append(out, r.ID)
	}
	return append(out, directory.RouteUnclear)
}

// Evaluate classifies every example with dir's routes and counts the
// outcome. An example labelled with a route dir does not have is an error.
func Evaluate(dir Routes, examples []Example) (Report, error) {
	return tally(Labels(dir), examples, func(text string) Result { return ClassifyFor(dir, text) })
}

// tally classifies every example with classify and counts the outcome
// over labels (the routes a report lists, unclear last).
func tally(labels []directory.Route, examples []Example, classify func(string) Result) (Report, error) {
	rep := Report{Confusion: map[directory.Route]map[directory.Route]int{}}
	rep.labels = labels
	for _, want := range rep.labels {
		rep.Confusion[want] = map[directory.Route]int{}
	}
	for _, ex := range examples {
		if rep.Confusion[ex.Route] == nil {
			return Report{}, fmt.Errorf("line %d: %q is not one of the directory's routes", ex.Line, ex.Route)
		}
		t := classify(ex.Text)
		got := t.Route
		if ex.Route == directory.RouteEmergency && t.Danger == DangerCheck {
			got = directory.RouteEmergency
		}
		rep.Total++
		if ex.Route == directory.RouteEmergency {
			rep.Emergencies++
			if t.Danger != DangerNone {
				rep.Caught++
			}
			if t.Danger == DangerNow {
				rep.CaughtNow++
			}
		} else {
			rep.Others++
			switch t.Danger {
			case DangerNow:
				rep.FalseNow++
			case DangerCheck:
				rep.FalseCheck++
			}
		}
		rep.Confusion[ex.Route][got]++
		if ex.Lang != "" {
			if rep.ByLang == nil {
				rep.ByLang = map[string]*LangTotals{}
			}
			lt := rep.ByLang[ex.Lang]
			if lt == nil {
				lt = &LangTotals{}
				rep.ByLang[ex.Lang] = lt
			}
			lt.Total++
			if got == ex.Route {
				lt.Correct++
			}
			if ex.Route == directory.RouteEmergency {
				lt.Emergencies++
				if t.Danger != DangerNone {
					lt.Caught++
				}
			}
			if t.Lang == ex.Lang || (t.Lang == "" || t.Lang == "en") && ex.Lang == "en" {
				lt.Detected++
			}
		}
		if got == ex.Route {
			rep.Correct++
		} else {
			rep.Misses = append(rep.Misses, Miss{Example: ex, Got: got, Danger: t.Danger})
		}
	}
	return rep, nil
}

// EmergencyRecall is the share of emergencies read as danger now or
// asked about; NowRate and CheckRate the shares of other examples told
// "Call 999 now" or asked.
func (r Report) EmergencyRecall() float64 { return ratio(r.Caught, r.Emergencies) }

// NowRate: see EmergencyRecall.
func (r Report) NowRate() float64 { return ratio(r.FalseNow, r.Others) }

// CheckRate: see EmergencyRecall.
func (r Report) CheckRate() float64 { return ratio(r.FalseCheck, r.Others) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
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
	fmt.Fprintf(tw, "accuracy\t%.1f%%\t\n", 100*r.Accuracy())
	fmt.Fprintf(tw, "emergency recall (now or check)\t%.1f%%\t(%d of %d; %d now)\t\n", 100*r.EmergencyRecall(), r.Caught, r.Emergencies, r.CaughtNow)
	fmt.Fprintf(tw, "\"call 999 now\" on others\t%.1f%%\t(%d of %d)\t\n", 100*r.NowRate(), r.FalseNow, r.Others)
	fmt.Fprintf(tw, "asked \"happening now?\" on others\t%.1f%%\t(%d of %d)\t\n\n", 100*r.CheckRate(), r.FalseCheck, r.Others)
	if len(r.ByLang) > 0 {
		fmt.Fprintf(tw, "language\texamples\taccuracy\temergency recall\tlanguage detected\t\n")
		codes := make([]string, 0, len(r.ByLang))
		for code := range r.ByLang {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			lt := r.ByLang[code]
			fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t%.1f%% (%d of %d)\t%.1f%%\t\n", code, lt.Total, 100*ratio(lt.Correct, lt.Total),
				100*ratio(lt.Caught, lt.Emergencies), lt.Caught, lt.Emergencies, 100*ratio(lt.Detected, lt.Total))
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "route\tprecision\trecall\tsupport\t\n")
	labels := r.labels
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
