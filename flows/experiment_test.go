package flows

// The experiments behind the classifier's design, kept so that anyone can
// rerun them (docs/CLASSIFIER.md has the figures):
//
//	WHERETO_EXPERIMENT=1 go test ./flows -run TestExperiment -v
//
// They are skipped otherwise. CV is k-fold cross-validation on the training
// file only; the evaluation sets are read by TestExperimentEval (totals) and
// TestExperimentEvalMisses (the evaluation set's misses; never the blind
// holdout's).

import (
	"fmt"
	"math"
	"os"
	"testing"
)

func cvAccuracy(t *testing.T, ex []trainingExample, opt trainOptions, k int) float64 {
	lx := compiled()
	correct := 0
	for fold := 0; fold < k; fold++ {
		train, test := split(ex, k, fold)
		m := trainModel(train, lx, opt)
		for _, e := range test {
			n := normalise(clean(e.text).text)
			p := m.predict(n, lx.match(n))
			best := 0
			for c := range p {
				if p[c] > p[best] {
					best = c
				}
			}
			if best == e.class {
				correct++
			}
		}
	}
	return float64(correct) / float64(len(ex))
}

func TestExperimentCV(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	ex, err := parseTraining(trainingData)
	if err != nil {
		t.Fatal(err)
	}
	for _, tv := range []float32{0, 0.05, 0.1, 0.2} {
		for _, pv := range []float32{0, 0.3, 0.6} {
			for _, kv := range []float32{0, 0.5, 1, 2} {
				opt := trainOptions{epochs: 20, rate: 0.2, trigrams: tv > 0, pairs: pv > 0, keywords: kv > 0, trigramValue: tv, pairValue: pv, keywordValue: kv}
				fmt.Printf("tri=%.2f pair=%.1f kw=%.1f cv5=%.3f\n", tv, pv, kv, cvAccuracy(t, ex, opt, 5))
			}
		}
	}
}

// nbPredict trains multinomial naive Bayes (binary features, Laplace alpha)
// on train and returns accuracy on test.
func nbAccuracy(train, test []trainingExample, opt trainOptions, alpha float64, centroid bool) int {
	lx := compiled()
	fz := featurizer{stems: map[string]string{}, opt: opt}
	counts := map[uint64]*[labelCount]float64{}
	var total [labelCount]float64
	var prior [labelCount]float64
	uniq := func(n string) map[uint64]float64 {
		out := map[uint64]float64{}
		fz.features(n, lx.match(n), func(h uint64) {
			out[h] = float64(opt.value(h))
		})
		return out
	}
	for _, e := range train {
		prior[e.class]++
		f := uniq(normalise(clean(e.text).text))
		norm := 0.0
		for _, v := range f {
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for h, v := range f {
			if counts[h] == nil {
				counts[h] = &[labelCount]float64{}
			}
			if centroid {
				v /= norm
			}
			counts[h][e.class] += v
			total[e.class] += v
		}
	}
	V := float64(len(counts))
	correct := 0
	for _, e := range test {
		var score [labelCount]float64
		for c := range labelCount {
			if !centroid {
				score[c] = math.Log(prior[c] / float64(len(train)))
			}
		}
		for h, v := range uniq(normalise(clean(e.text).text)) {
			cs := counts[h]
			if cs == nil {
				continue
			}
			for c := range labelCount {
				if centroid {
					score[c] += v * cs[c] / prior[c]
				} else {
					score[c] += v * math.Log((cs[c]+alpha)/(total[c]+alpha*V))
				}
			}
		}
		best := 0
		for c := range score {
			if score[c] > score[best] {
				best = c
			}
		}
		if best == e.class {
			correct++
		}
	}
	return correct
}

func TestExperimentNB(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	ex, _ := parseTraining(trainingData)
	opt := trainOptions{trigrams: true, keywords: true, trigramValue: 0.1, keywordValue: 1}
	for _, alg := range []string{"nb-0.1", "nb-0.5", "nb-1", "centroid"} {
		correct := 0
		for fold := 0; fold < 5; fold++ {
			train, test := split(ex, 5, fold)
			alpha := map[string]float64{"nb-0.1": 0.1, "nb-0.5": 0.5, "nb-1": 1}[alg]
			correct += nbAccuracy(train, test, opt, alpha, alg == "centroid")
		}
		fmt.Printf("%s cv5=%.3f\n", alg, float64(correct)/float64(len(ex)))
	}
	fmt.Printf("logistic-regression cv5=%.3f\n", cvAccuracy(t, ex, defaultTrainOptions, 5))
	plain := defaultTrainOptions
	plain.trigrams, plain.pairs, plain.keywords = false, false, false
	fmt.Printf("logistic-regression-words-only cv5=%.3f\n", cvAccuracy(t, ex, plain, 5))
}

func TestExperimentThresholds(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	ex, _ := parseTraining(trainingData)
	lx := compiled()
	k := 10
	type oof struct {
		p          [labelCount]float64
		rule, past bool
		class      int
	}
	var rows []oof
	for fold := 0; fold < k; fold++ {
		train, test := split(ex, k, fold)
		m := trainModel(train, lx, defaultTrainOptions)
		for _, e := range test {
			c := clean(e.text)
			n := normalise(c.text)
			mm := lx.match(n)
			rows = append(rows, oof{m.predict(n, mm), danger(lx, n, c.text, mm), pastOnly(n, mm), e.class})
		}
	}
	for _, dp := range []float64{0.1, 0.15, 0.2, 0.3, 0.4, 0.5} {
		for _, dpp := range []float64{0.5, 0.75, 0.9} {
			for _, mc := range []float64{0.3, 0.4, 0.45, 0.5, 0.6} {
				correct, emMiss, fp, ruleOnlyMiss := 0, 0, 0, 0
				for _, r := range rows {
					md := r.p[0] >= dp && !r.past || r.p[0] >= dpp
					tr := decideWith(r.p, r.rule, r.past, dp, dpp, mc)
					got := labelIndex(tr.Route)
					if got == r.class {
						correct++
					}
					if r.class == 0 && got != 0 {
						emMiss++
					}
					if r.class != 0 && got == 0 {
						fp++
					}
					if r.class == 0 && !r.rule && !md {
						ruleOnlyMiss++
					}
				}
				fmt.Printf("dp=%.2f dpp=%.2f mc=%.2f acc=%.3f emMiss=%d fp=%d\n", dp, dpp, mc, float64(correct)/float64(len(rows)), emMiss, fp)
			}
		}
	}
}

func TestExperimentErrors(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	ex, _ := parseTraining(trainingData)
	lx := compiled()
	k := 10
	labels := classLabels()
	for fold := 0; fold < k; fold++ {
		train, test := split(ex, k, fold)
		m := trainModel(train, lx, defaultTrainOptions)
		for _, e := range test {
			c := clean(e.text)
			n := normalise(c.text)
			mm := lx.match(n)
			rule := danger(lx, n, c.text, mm)
			p := m.predict(n, mm)
			tr := decide(p, rule, pastOnly(n, mm))
			got := labelIndex(tr.Route)
			if got != e.class && (e.class == 0 || got == 0) {
				fmt.Printf("want=%s got=%s rule=%v pE=%.2f | %s\n", labels[e.class], tr.Route, rule, p[0], e.text)
			}
		}
	}
}

func TestExperimentEval(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	for _, f := range []string{"testdata/eval.tsv", "testdata/holdout.tsv"} {
		fh, _ := os.Open(f)
		ex, err := ParseExamples(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		rep := Evaluate(ex)
		fmt.Printf("%s: acc=%.3f emRecall=%.3f emPrec=%.3f\n", f, rep.Accuracy(), rep.Recall("emergency"), rep.Precision("emergency"))
		if os.Getenv("SHOW") != "" && f == "testdata/eval.tsv" {
			rep.Write(os.Stdout)
		}
	}
}

func TestExperimentEvalMisses(t *testing.T) {
	if os.Getenv("WHERETO_EXPERIMENT") == "" {
		t.Skip()
	}
	fh, _ := os.Open("testdata/eval.tsv")
	ex, _ := ParseExamples(fh)
	fh.Close()
	rep := Evaluate(ex)
	rep.SortMisses()
	for _, m := range rep.Misses {
		if os.Getenv("ALL") != "" || m.Route == "emergency" || m.Got == "emergency" {
			fmt.Printf("MISS want=%s got=%s | %s\n", m.Route, m.Got, m.Text)
		}
	}
}

// split is fold number fold of a k-fold cross-validation: every k-th
// example for testing, the rest for training.
func split(ex []trainingExample, k, fold int) (train, test []trainingExample) {
	for i, e := range ex {
		if i%k == fold {
			test = append(test, e)
		} else {
			train = append(train, e)
		}
	}
	return train, test
}
