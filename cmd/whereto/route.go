package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/whereto-bot/whereto/bot/console"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

const routeHelp = `Usage: whereto route [flags] < messages.txt

Read messages, one per line, and print one JSON object per line saying
where each leads:

  {"text":"...","route":"environmental","danger":"none",
   "services":["council-environmental"],
   "contacts":["01582 510 330","https://www.luton.gov.uk"],"confidence":0.93,
   "lang":"en"}

route is one of the directory's route ids (whereto directory routes lists
them) or unclear. danger is "now" (the answer is "Call 999 now"), "check"
(danger is possible: the bot asks whether it is happening now) or "none".
contacts are what the person would be shown at that moment, most useful
first. lang is the language the message is in (en, pl, ro, ur, pa, bn; the
code of another language whereto recognises but cannot read, such as es;
or und). --lang reads every message as one language instead. Nothing is
stored.

With --eval FILE it instead reads a labelled set (ROUTE<TAB>MESSAGE per
line, '#' comments) and prints accuracy, emergency recall (now or check),
how often others were told to call 999 or asked, per-route precision and
recall and a confusion matrix; -v lists every misclassified example.

  echo "someone dumped a mattress in the alley" | whereto route
  echo "ktoś wyrzucił śmieci przy garażach" | whereto route
  echo "nóż" | whereto route --lang pl`

// routeLine is one line of route's output.
type routeLine struct {
	Text       string   `json:"text"`
	Route      string   `json:"route"`
	Danger     string   `json:"danger"`
	Services   []string `json:"services"`
	Contacts   []string `json:"contacts"`
	Confidence float64  `json:"confidence"`
	Lang       string   `json:"lang"`
}

func runRoute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c common
	var evalFile string
	var verbose bool
	var force string
	fs := newFlags("route", stderr, &c, true, routeHelp)
	fs.StringVar(&force, "lang", "", "read every message as this language ("+langList()+") instead of detecting it")
	fs.StringVar(&evalFile, "eval", "", "evaluate on a labelled file (ROUTE<TAB>MESSAGE per line) and print accuracy, per-route precision and recall, and a confusion matrix")
	fs.BoolVar(&verbose, "v", false, "with --eval, also list every misclassified example")
	if err := parse(fs, args); err != nil {
		return helpOK(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	hint, err := forcedLang(force)
	if err != nil {
		return err
	}
	clock, err := c.clock()
	if err != nil {
		return err
	}
	dir, _, err := readDirectory(&c)
	if err != nil {
		return err
	}
	if evalFile != "" {
		return runEval(dir, evalFile, verbose, stdout)
	}
	lines := console.NewLineReader(stdin, flows.MaxReadBytes)
	defer lines.Close()
	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for {
		text, ok, err := lines.Next(ctx)
		if err != nil {
			return errors.Join(err, w.Flush())
		}
		if !ok {
			break
		}
		rec := flows.Recommend(text, dir, clock(), hint)
		out := routeLine{
			Text:       text,
			Route:      string(rec.Route),
			Danger:     string(rec.Danger),
			Services:   rec.Services,
			Contacts:   rec.Contacts,
			Confidence: math.Round(rec.Confidence*1000) / 1000,
			Lang:       rec.Lang,
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		// One line in, one line out: flush so a person typing at a
		// terminal (or a program reading a pipe) sees each answer now.
		if err := w.Flush(); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing output: %w", err)
	}
	return nil
}

// langList names the languages whereto speaks, for help texts: "en, bn,
// pa, pl, ro, ur".
func langList() string {
	var codes []string
	for _, l := range lang.Languages() {
		codes = append(codes, string(l))
	}
	return strings.Join(codes, ", ")
}

// forcedLang turns a --lang flag into a classifier hint that forces the
// language; "" forces nothing.
func forcedLang(code string) (triage.Hint, error) {
	if code == "" {
		return triage.Hint{}, nil
	}
	l, ok := lang.Find(code)
	if !ok || !triage.Reads(string(l)) {
		return triage.Hint{}, fmt.Errorf("--lang %q: whereto speaks %s", code, langList())
	}
	return triage.Hint{Lang: string(l), Force: true}, nil
}

// runEval prints how the classifier does on a labelled file.
func runEval(dir triage.Routes, path string, verbose bool, stdout io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--eval: %w", err)
	}
	defer f.Close()
	examples, err := triage.ParseExamples(f)
	if err != nil {
		return fmt.Errorf("--eval %s: %w", path, err)
	}
	rep, err := triage.Evaluate(dir, examples)
	if err != nil {
		return fmt.Errorf("--eval %s: %w", path, err)
	}
	if err := rep.Write(stdout); err != nil {
		return err
	}
	if verbose {
		rep.SortMisses()
		fmt.Fprintf(stdout, "\nmisclassified (%d):\n", len(rep.Misses))
		for _, m := range rep.Misses {
			fmt.Fprintf(stdout, "line %d\t%s -> %s (%s)\t%q\n", m.Line, m.Route, m.Got, m.Danger, m.Text)
		}
	}
	return nil
}
