//go:build experiment

package triage

// The experiments behind the classifier's design, kept so that anyone can
// rerun them (docs/CLASSIFIER.md has the figures). They measure and print;
// they have nothing to pass or fail, so they are not tests: they exist
// only with the experiment build tag, and a command runs them:
//
//	go run -tags experiment ./scripts/experiment [options|thresholds|danger-errors]
//
// Everything here is k-fold cross-validation on the training file only.
// No evaluation set is read.

import (
	"fmt"
	"io"
	"slices"

	"github.com/whereto-bot/whereto/directory"
)

// experimentLabels are the classifier's classes for the embedded default
// directory: emergency, the other routes, unclear.
func experimentLabels() ([]directory.Route, error) {
	d, err := directory.Default()
	if err != nil {
		return nil, err
	}
	labels := []directory.Route{directory.RouteEmergency}
	for _, r := range d.RouteIDs() {
		if r != directory.RouteEmergency {
			labels = append(labels, r)
		}
	}
	return append(labels, directory.RouteUnclear), nil
}

// split returns fold's test examples (every k-th) and the rest.
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

// oof is one training example's out-of-fold outcome.
type oof struct {
	class int
	p     []float64
	rule  Danger
	at    timing
	neg   bool
}

// outOfFold trains k models, each without one fold, and predicts the
// fold.
func outOfFold(opt trainOptions, k int) ([]directory.Route, []oof, error) {
	labels, err := experimentLabels()
	if err != nil {
		return nil, nil, err
	}
	ex, err := parseTraining(trainingData, labels)
	if err != nil {
		return nil, nil, err
	}
	lx := compiled()
	var out []oof
	for fold := 0; fold < k; fold++ {
		train, test := split(ex, k, fold)
		m := trainModel(train, len(labels), lx, opt)
		for _, e := range test {
			c := clean(e.text)
			n := normalise(c.text)
			mt := lx.match(n)
			out = append(out, oof{class: e.class, p: first(m.predict(n, mt, e.lang)), rule: danger(lx, n, c.text, mt), at: when(n, mt), neg: mt.any[listNegation]})
		}
	}
	return labels, out, nil
}

// ExperimentOptions compares feature sets by 5-fold accuracy of the
// model alone (the best non-danger class, or emergency), one line a set
// written to w.
func ExperimentOptions(w io.Writer) error {
	type variant struct {
		name string
		opt  trainOptions
	}
	base := defaultTrainOptions
	var vs []variant
	for _, norm := range []bool{false, true} {
		for _, idf := range []bool{false, true} {
			for _, quad := range []float32{0, 0.1, 0.2} {
				for _, rate := range []float32{0.2, 0.5} {
					o := base
					o.normalize, o.idf, o.quadgrams, o.quadgramValue, o.rate = norm, idf, quad > 0, quad, rate
					if norm {
						o.trigramValue = 0.3
					}
					vs = append(vs, variant{fmt.Sprintf("normalize=%v idf=%v quadgrams=%.1f rate=%.1f", norm, idf, quad, rate), o})
				}
			}
		}
	}
	for _, v := range vs {
		_, res, err := outOfFold(v.opt, 5)
		if err != nil {
			return err
		}
		correct := 0
		for _, r := range res {
			best := 0
			for c := range r.p {
				if r.p[c] > r.p[best] {
					best = c
				}
			}
			if best == r.class {
				correct++
			}
		}
		if _, err := fmt.Fprintf(w, "%s cv5=%.3f\n", v.name, float64(correct)/float64(len(res))); err != nil {
			return err
		}
	}
	return nil
}

// ExperimentThresholds chooses the decision thresholds on out-of-fold
// predictions: for each, the whole decision (rules and model) is scored
// as the bot would answer, one line written to w.
func ExperimentThresholds(w io.Writer) error {
	labels, res, err := outOfFold(defaultTrainOptions, 5)
	if err != nil {
		return err
	}
	unclear := len(labels) - 1
	for _, now := range []float64{0.5, 0.6, 0.7, 0.8} {
		for _, check := range []float64{0.1, 0.15, 0.2, 0.3} {
			for _, conf := range []float64{0.2, 0.3, 0.4} {
				th := thresholds{now, check, conf}
				var em, caught, others, fnow, fcheck, correct int
				for _, r := range res {
					d := decideWith(labels, r.p, r.rule, r.at, r.neg, th)
					got := slices.Index(labels, d.Route)
					if got < 0 {
						got = unclear
					}
					if got == r.class {
						correct++
					}
					if r.class == 0 {
						em++
						if d.Danger != DangerNone {
							caught++
						}
						continue
					}
					others++
					switch d.Danger {
					case DangerNow:
						fnow++
					case DangerCheck:
						fcheck++
					}
				}
				if _, err := fmt.Fprintf(w, "now=%.2f check=%.2f conf=%.2f acc=%.3f recall=%.3f now-on-others=%.3f check-on-others=%.3f\n",
					now, check, conf, float64(correct)/float64(len(res)), float64(caught)/float64(em), float64(fnow)/float64(others), float64(fcheck)/float64(others)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ExperimentDangerErrors writes to w the training examples the whole
// decision gets wrong on danger, out of fold: missed emergencies and
// others told to call 999 now. Reading them is how the rules' kinds of
// danger were found; they come from the training file only.
func ExperimentDangerErrors(w io.Writer) error {
	labels, res, err := outOfFold(defaultTrainOptions, 5)
	if err != nil {
		return err
	}
	ex, err := parseTraining(trainingData, labels)
	if err != nil {
		return err
	}
	// outOfFold visits fold by fold; rebuild the same order.
	var texts []trainingExample
	for fold := 0; fold < 5; fold++ {
		_, test := split(ex, 5, fold)
		texts = append(texts, test...)
	}
	for i, r := range res {
		d := decide(labels, r.p, r.rule, r.at, r.neg)
		var err error
		switch {
		case r.class == 0 && d.Danger == DangerNone:
			_, err = fmt.Fprintf(w, "MISSED\t%s\t%q\n", d.Route, texts[i].text)
		case r.class != 0 && d.Danger == DangerNow:
			_, err = fmt.Fprintf(w, "FALSE-NOW\t%s\trule=%s\t%q\n", labels[r.class], r.rule, texts[i].text)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func first(p []float64, _ int) []float64 { return p }

// ExperimentLanguages measures the whole decision (danger rules, language
// detection, the model) per training file, 5-fold: each fold's model is
// trained on every language's other examples. It says how each language
// does on examples like its training lines; the blind sets say how it
// does on new ones.
func ExperimentLanguages(w io.Writer) error {
	labels, err := experimentLabels()
	if err != nil {
		return err
	}
	ents, err := trainingFiles.ReadDir("training")
	if err != nil {
		return err
	}
	var ex []trainingExample
	var langOf []string
	for _, e := range ents {
		buf, err := trainingFiles.ReadFile("training/" + e.Name())
		if err != nil {
			return err
		}
		got, err := parseTraining(string(buf), labels)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		ex = append(ex, got...)
		for range got {
			langOf = append(langOf, fileLang(e.Name()))
		}
	}
	type totals struct{ n, right, emerg, caught, others, falseNow, falseCheck, detected, unclear int }
	by := map[string]*totals{}
	var misses []string
	const k = 5
	lx := compiled()
	for fold := 0; fold < k; fold++ {
		var train []trainingExample
		var test []int
		for i, e := range ex {
			if i%k == fold {
				test = append(test, i)
			} else {
				train = append(train, e)
			}
		}
		cl := &classifier{lx: lx, model: trainModel(train, len(labels), lx, defaultTrainOptions), labels: labels}
		for _, i := range test {
			e, code := ex[i], langOf[i]
			t := cl.classify(clean(e.text), Hint{})
			want := labels[e.class]
			got := t.Route
			if want == directory.RouteEmergency && t.Danger == DangerCheck {
				got = directory.RouteEmergency
			}
			tt := by[code]
			if tt == nil {
				tt = &totals{}
				by[code] = tt
			}
			tt.n++
			if got == want {
				tt.right++
			} else if got == directory.RouteUnclear {
				tt.unclear++
			}
			if want == directory.RouteEmergency {
				tt.emerg++
				if t.Danger != DangerNone {
					tt.caught++
				} else {
					misses = append(misses, fmt.Sprintf("missed emergency [%s, read as %q %s]: %s", code, t.Lang, t.Route, e.text))
				}
			} else {
				tt.others++
				if t.Danger == DangerCheck {
					tt.falseCheck++
				}
				if t.Danger == DangerNow {
					tt.falseNow++
					misses = append(misses, fmt.Sprintf("999 on %s [%s]: %s", want, code, e.text))
				}
			}
			if t.Lang == code || code == "en" && (t.Lang == "" || t.Lang == "en") {
				tt.detected++
			}
		}
	}
	for _, m := range misses {
		if _, err := fmt.Fprintln(w, m); err != nil {
			return err
		}
	}
	codes := make([]string, 0, len(by))
	for c := range by {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		t := by[c]
		if _, err := fmt.Fprintf(w, "%s examples=%d accuracy=%.3f emergency-recall=%.3f (%d/%d) call-999-now-on-others=%.3f asked-on-others=%.3f detected=%.3f wrongly-unclear=%.3f\n",
			c, t.n, ratio(t.right, t.n), ratio(t.caught, t.emerg), t.caught, t.emerg, ratio(t.falseNow, t.others), ratio(t.falseCheck, t.others), ratio(t.detected, t.n), ratio(t.unclear, t.n)); err != nil {
			return err
		}
	}
	return nil
}
