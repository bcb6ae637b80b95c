//go:build experiment

// Command experiment reruns the experiments behind the classifier's
// design (docs/CLASSIFIER.md): k-fold cross-validation on the training
// file only; no evaluation set is read. They measure and print, with
// nothing to pass or fail, so they are a command and not tests, and they
// exist only with the experiment build tag:
//
//	go run -tags experiment ./scripts/experiment options        # feature sets
//	go run -tags experiment ./scripts/experiment thresholds     # decision thresholds
//	go run -tags experiment ./scripts/experiment danger-errors  # danger mistakes, out of fold
//	go run -tags experiment ./scripts/experiment languages      # the whole decision per language, out of fold
//	go run -tags experiment ./scripts/experiment sets           # each development set, with and without the others in training
//	go run -tags experiment ./scripts/experiment set-misses     # each development set's missed emergencies and false "now", the others in training
//	go run -tags experiment ./scripts/experiment training       # training settings (epochs, feature weights), out of fold
//	go run -tags experiment ./scripts/experiment doubt          # when the model's doubt turns the rules' "now" into a question, out of fold
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/whereto-bot/whereto/triage"
)

var experiments = map[string]func(io.Writer) error{
	"options":       triage.ExperimentOptions,
	"thresholds":    triage.ExperimentThresholds,
	"danger-errors": triage.ExperimentDangerErrors,
	"languages":     triage.ExperimentLanguages,
	"sets":          triage.ExperimentSets,
	"set-misses":    triage.ExperimentSetMisses,
	"training":      triage.ExperimentTraining,
	"doubt":         triage.ExperimentDoubt,
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "experiment:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) != 1 || experiments[args[0]] == nil {
		return errors.New("usage: go run -tags experiment ./scripts/experiment " + strings.Join(slices.Sorted(maps.Keys(experiments)), "|"))
	}
	w := bufio.NewWriter(stdout)
	return errors.Join(experiments[args[0]](w), w.Flush())
}
