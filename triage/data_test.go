package triage

import (
	"cmp"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// TestTrainingData checks the training file: every label has enough
// examples, and the model builds from it.
func TestTrainingData(t *testing.T) {
	labels := testLabels(t)
	examples, err := parseTraining(trainingData, labels)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[int]int{}
	for _, e := range examples {
		counts[e.class]++
	}
	for i, l := range labels {
		if counts[i] < 55 {
			t.Errorf("training examples for %s = %d, want at least 55", l, counts[i])
		}
	}
	if err := Warm(testDirectory(t)); err != nil {
		t.Fatalf("Warm: %v", err)
	}
}

// TestEvaluationSetsAreSeparate checks that no message of an evaluation set
// is a copy or near-copy of a training example (word overlap of 80% or
// more), so the sets measure generalisation, and that the evaluation set
// has what the classifier's bar needs: 300 messages, every label, 60
// emergencies and 30 hard negatives.
func TestEvaluationSetsAreSeparate(t *testing.T) {
	examples, err := parseTraining(trainingData, testLabels(t))
	if err != nil {
		t.Fatal(err)
	}
	train := make([]map[string]bool, len(examples))
	for i, e := range examples {
		train[i] = wordSet(e.text)
	}
	near := newNearIndex(train, 0.8)
	// The blind sets are checked here for near-copies only (a failure
	// names the training line, never the blind message); no test scores
	// them, so that nobody tunes against them by running the suite.
	// Every set in testdata, whatever its name: a set added there is
	// checked without anyone remembering to list it.
	files, err := filepath.Glob("testdata/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no evaluation sets in testdata (%v)", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		set, err := ParseExamples(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range set {
			w := wordSet(ex.Text)
			for _, i := range near.similar(w) {
				t.Errorf("%s line %d is a near-copy (%.0f%% of words) of training example %q", file, ex.Line, 100*jaccard(w, train[i]), examples[i].text)
			}
		}
		if file != "testdata/eval.tsv" {
			continue
		}
		labels := map[directory.Route]int{}
		for _, ex := range set {
			labels[ex.Route]++
		}
		if len(set) < 300 {
			t.Errorf("%s has %d messages, want at least 300", file, len(set))
		}
		for _, l := range []directory.Route{"emergency", "report-crime", "environmental", "hate-crime", "safeguarding", "victim-support", "unclear"} {
			if labels[l] == 0 {
				t.Errorf("%s has no %s message", file, l)
			}
		}
		if labels[directory.RouteEmergency] < 60 {
			t.Errorf("%s has %d emergencies, want at least 60", file, labels[directory.RouteEmergency])
		}
		if n := hardNegatives(string(data)); n < 30 {
			t.Errorf("%s has %d hard negatives, want at least 30", file, n)
		}
	}
}

// hardNegatives counts the messages under "# hard negatives" comments, up
// to the next comment that is not about hard negatives.
func hardNegatives(data string) int {
	n, in := 0, false
	for _, line := range strings.Split(data, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
			in = strings.Contains(strings.ToLower(line), "hard negative")
		case in && strings.Contains(line, "\t"):
			n++
		}
	}
	return n
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(normalise(s)) {
		out[w] = true
	}
	return out
}

// nearIndex finds the word sets whose Jaccard similarity to a set is at
// least t without comparing every pair (prefix filtering): with the words
// of every set in one order, rarest first, two sets that similar share a
// word among the first |X| - floor(t|X|) + 1 of either. Only the sets
// sharing such a word are compared.
type nearIndex struct {
	sets  []map[string]bool
	t     float64
	freq  map[string]int
	posts map[string][]int // word -> the sets that have it in their prefix
}

func newNearIndex(sets []map[string]bool, t float64) *nearIndex {
	x := &nearIndex{sets: sets, t: t, freq: map[string]int{}, posts: map[string][]int{}}
	for _, s := range sets {
		for w := range s {
			x.freq[w]++
		}
	}
	for i, s := range sets {
		for _, w := range x.prefix(s) {
			x.posts[w] = append(x.posts[w], i)
		}
	}
	return x
}

// prefix is the first words of s, rarest first (ties by the word).
func (x *nearIndex) prefix(s map[string]bool) []string {
	ws := slices.Collect(maps.Keys(s))
	slices.SortFunc(ws, func(a, b string) int {
		return cmp.Or(cmp.Compare(x.freq[a], x.freq[b]), strings.Compare(a, b))
	})
	return ws[:min(len(ws), len(ws)-int(math.Floor(x.t*float64(len(ws))))+1)]
}

// similar lists, in order, the sets whose similarity to s is at least t.
func (x *nearIndex) similar(s map[string]bool) []int {
	seen := map[int]bool{}
	var out []int
	for _, w := range x.prefix(s) {
		for _, i := range x.posts[w] {
			if !seen[i] {
				seen[i] = true
				if jaccard(s, x.sets[i]) >= x.t {
					out = append(out, i)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestNearIndex checks the prefix filter against every pair, on the
// evaluation set and a slice of the training file.
func TestNearIndex(t *testing.T) {
	examples, err := parseTraining(trainingData, testLabels(t))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	set, err := ParseExamples(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	var sets []map[string]bool
	for _, e := range examples[:3000] {
		sets = append(sets, wordSet(e.text))
	}
	// Lower lines than the test's, so that there are pairs to find.
	for _, th := range []float64{0.5, 0.8} {
		x := newNearIndex(sets, th)
		found := 0
		for _, ex := range set {
			w := wordSet(ex.Text)
			var want []int
			for i, s := range sets {
				if jaccard(w, s) >= th {
					want = append(want, i)
				}
			}
			if got := x.similar(w); !slices.Equal(got, want) {
				t.Errorf("line %d at %.1f: prefix filter found %v, every pair %v", ex.Line, th, got, want)
			}
			found += len(want)
		}
		if th == 0.5 && found == 0 {
			t.Error("no similar pairs at 0.5: the check compares nothing")
		}
	}
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
