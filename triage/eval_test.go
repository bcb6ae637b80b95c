package triage_test

import (
	"os"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/triage"
)

// evaluate classifies every message of a labelled file in testdata.
func evaluate(t *testing.T, file string) triage.Report {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	examples, err := triage.ParseExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := triage.Evaluate(dir, examples)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// holds fails the test for every missed emergency (if all must be found),
// for an emergency recall below minRecall, or an accuracy below minAcc.
func holds(t *testing.T, rep triage.Report, allEmergencies bool, minRecall, minAcc float64) {
	t.Helper()
	if allEmergencies {
		for _, m := range rep.Misses {
			if m.Route == directory.RouteEmergency && m.Danger == triage.DangerNone {
				t.Errorf("missed emergency (line %d): got %s", m.Line, m.Got)
			}
		}
	}
	if got := rep.EmergencyRecall(); got < minRecall {
		t.Errorf("emergency recall = %.1f%%, want at least %.0f%%", 100*got, 100*minRecall)
	}
	if got := rep.Accuracy(); got < minAcc {
		t.Errorf("accuracy = %.1f%%, want at least %.0f%%", 100*got, 100*minAcc)
	}
}

// TestEvaluationSet holds the classifier to its bar on the held-out set in
// testdata/eval.tsv, written separately from the training examples: every
// emergency found, and at least 90% overall.
func TestEvaluationSet(t *testing.T) {
	holds(t, evaluate(t, "eval.tsv"), true, 1, 0.90)
}

// TestDangerDevelopmentSet holds every emergency of testdata/dev-danger.tsv
// (170 ways people write when in danger now, and 90 hard negatives, written
// by another author); its misses were read to find kinds of danger the
// rules lacked, so it guards against losing them again.
func TestDangerDevelopmentSet(t *testing.T) {
	holds(t, evaluate(t, "dev-danger.tsv"), true, 1, 0.85)
}
