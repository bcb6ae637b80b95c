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
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
			past, now := tense(n, mt)
			out = append(out, oof{class: e.class, p: first(m.predict(n, mt, e.lang)), rule: danger(lx, n, c.text, mt), at: when(past, now, mt), neg: mt.any[listNegation]})
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
				th := thresholds{now, check, conf, 0}
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

// ExperimentDoubt chooses doubtNowProb, out of fold over every training
// file: for each value, the English messages (all, and the outsiders'
// alone) scored as the bot would answer them, a line each: accuracy,
// emergencies reached, emergencies told "call 999 now", and others told
// "call 999 now" or asked.
func ExperimentDoubt(w io.Writer) error {
	for _, doubt := range []float64{0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2} {
		th := defaultThresholds
		th.doubtNow = doubt
		by, _, err := languageOutOfFold(defaultTrainOptions, &th)
		if err != nil {
			return err
		}
		for _, key := range []string{"en", outsidersKey} {
			t := by[key]
			if _, err := fmt.Fprintf(w, "doubt=%.2f %-12s n=%d accuracy=%.3f recall=%.3f (%d/%d) now-on-emergencies=%.3f (%d) now-on-others=%.3f (%d) asked-on-others=%.3f\n",
				doubt, key, t.n, ratio(t.right, t.n), ratio(t.caught, t.emerg), t.caught, t.emerg, ratio(t.caughtNow, t.emerg), t.caughtNow, ratio(t.falseNow, t.others), t.falseNow, ratio(t.falseCheck, t.others)); err != nil {
				return err
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
	by, misses, err := languageOutOfFold(defaultTrainOptions, nil)
	if err != nil {
		return err
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
		var b strings.Builder
		for _, r := range slices.Sorted(maps.Keys(t.routes)) {
			fmt.Fprintf(&b, " %s=%.2f", r, ratio(t.routes[r][1], t.routes[r][0]))
		}
		if _, err := fmt.Fprintf(w, "%s recall by route:%s\n", c, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// langTotals are one language's out-of-fold outcomes.
type langTotals struct {
	n, right, emerg, caught, caughtNow, others, falseNow, falseCheck, detected, unclear int
	routes                                                                              map[directory.Route][2]int // examples, right
}

// add counts the decision t on an example of route want written in the
// language code.
func (tt *langTotals) add(want directory.Route, t Result, code string) {
	got := t.Route
	if want == directory.RouteEmergency && t.Danger == DangerCheck {
		got = directory.RouteEmergency
	}
	tt.n++
	rt := tt.routes[want]
	rt[0]++
	if got == want {
		rt[1]++
		tt.right++
	} else if got == directory.RouteUnclear {
		tt.unclear++
	}
	tt.routes[want] = rt
	if want == directory.RouteEmergency {
		tt.emerg++
		if t.Danger != DangerNone {
			tt.caught++
		}
		if t.Danger == DangerNow {
			tt.caughtNow++
		}
	} else {
		tt.others++
		switch t.Danger {
		case DangerCheck:
			tt.falseCheck++
		case DangerNow:
			tt.falseNow++
		}
	}
	if t.Lang == code || code == "en" && (t.Lang == "" || t.Lang == "en") {
		tt.detected++
	}
}

// languageOutOfFold is the whole decision, 5-fold out of fold over every
// training file, by language, with the model trained with opt; and the
// emergencies missed and others told "call 999 now".
func languageOutOfFold(opt trainOptions, th *thresholds) (map[string]*langTotals, []string, error) {
	labels, err := experimentLabels()
	if err != nil {
		return nil, nil, err
	}
	ents, err := trainingFiles.ReadDir("training")
	if err != nil {
		return nil, nil, err
	}
	var ex []trainingExample
	var langOf []string
	// outsider marks the examples of en-sets*.txt, written by authors who
	// never saw the rules: the nearest the training data has to residents'
	// own words, tallied again under outsidersKey.
	var outsider []bool
	for _, e := range ents {
		buf, err := trainingFiles.ReadFile("training/" + e.Name())
		if err != nil {
			return nil, nil, err
		}
		got, err := parseTraining(string(buf), labels)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		for i := range got {
			got[i].lang = fileLang(e.Name())
		}
		ex = append(ex, got...)
		for range got {
			langOf = append(langOf, fileLang(e.Name()))
			outsider = append(outsider, strings.HasPrefix(e.Name(), "en-sets"))
		}
	}
	by := map[string]*langTotals{}
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
		cl := &classifier{lx: lx, model: trainModel(train, len(labels), lx, opt), labels: labels, th: th}
		for _, i := range test {
			e, code := ex[i], langOf[i]
			t := cl.classify(clean(e.text), Hint{})
			want := labels[e.class]
			keys := []string{code}
			if outsider[i] {
				keys = append(keys, outsidersKey)
			}
			for _, key := range keys {
				if by[key] == nil {
					by[key] = &langTotals{routes: map[directory.Route][2]int{}}
				}
				by[key].add(want, t, code)
			}
			switch {
			case want == directory.RouteEmergency && t.Danger == DangerNone:
				misses = append(misses, fmt.Sprintf("missed emergency [%s, read as %q %s]: %s", code, t.Lang, t.Route, e.text))
			case want != directory.RouteEmergency && t.Danger == DangerNow:
				misses = append(misses, fmt.Sprintf("999 on %s [%s]: %s", want, code, e.text))
			}
		}
	}
	return by, misses, nil
}

// outsidersKey is languageOutOfFold's tally of the English examples from
// en-sets*.txt, besides their count under "en".
const outsidersKey = "en:outsiders"

// ExperimentTraining compares training settings (epochs, the gradient
// floor, word pairs, trigrams, 4-grams, shrinking) by the whole decision
// out of fold, a line a setting: English accuracy, emergency recall and
// "call 999 now" and asking on others, the other languages' mean
// accuracy, the accuracy on the outsiders' English examples alone
// (en-sets*.txt), and the time to train on every example once.
func ExperimentTraining(w io.Writer) error {
	labels, err := experimentLabels()
	if err != nil {
		return err
	}
	all, err := parseTraining(trainingData, labels)
	if err != nil {
		return err
	}
	type variant struct {
		name string
		opt  trainOptions
	}
	var vs []variant
	// with adds the default options changed by set.
	with := func(name string, set func(*trainOptions)) {
		opt := defaultTrainOptions
		set(&opt)
		vs = append(vs, variant{name, opt})
	}
	for _, epochs := range []int{3, 4, 5, 6} {
		for _, floor := range []float32{1e-2, 5e-2, 1e-1, 2e-1} {
			with(fmt.Sprintf("epochs=%d min-gradient=%.0e", epochs, floor), func(o *trainOptions) { o.epochs, o.minGradient = epochs, floor })
		}
	}
	for _, epochs := range []int{8, 12} {
		with(fmt.Sprintf("epochs=%d", epochs), func(o *trainOptions) { o.epochs = epochs })
	}
	with("no word pairs", func(o *trainOptions) { o.englishPairs = false })
	with("trigrams of common words", func(o *trainOptions) { o.commonNoTrigrams = false })
	with("no shrinking", func(o *trainOptions) { o.shrink = false })
	with("word pairs in every language", func(o *trainOptions) { o.pairs = true })
	for _, pair := range []float32{0.3, 0.7, 1.0} {
		with(fmt.Sprintf("word pairs %.1f", pair), func(o *trainOptions) { o.pairValue = pair })
	}
	for _, tri := range []float32{0.2, 0.45} {
		with(fmt.Sprintf("trigrams %.2f", tri), func(o *trainOptions) { o.trigramValue = tri })
	}
	for _, quad := range []float32{0.2, 0.3, 0.5} {
		with(fmt.Sprintf("character 4-grams %.1f", quad), func(o *trainOptions) { o.quadgrams, o.quadgramValue = true, quad })
	}
	with("learning rate 0.3", func(o *trainOptions) { o.rate = 0.3 })
	with("danger lists' features twice as strong", func(o *trainOptions) { o.keywordValue *= 2 })
	for _, v := range vs {
		start := time.Now()
		trainModel(all, len(labels), compiled(), v.opt)
		took := time.Since(start)
		by, _, err := languageOutOfFold(v.opt, nil)
		if err != nil {
			return err
		}
		en := by["en"]
		other, n := 0.0, 0
		for c, t := range by {
			if c != "en" && c != outsidersKey {
				other += ratio(t.right, t.n)
				n++
			}
		}
		fmt.Fprintf(w, "%-32s build=%v en-accuracy=%.3f en-recall=%.3f en-now=%.3f en-asked=%.3f others-accuracy=%.3f outsiders=%.3f\n",
			v.name, took.Round(time.Millisecond), ratio(en.right, en.n), ratio(en.caught, en.emerg), ratio(en.falseNow, en.others), ratio(en.falseCheck, en.others), other/float64(n), ratio(by[outsidersKey].right, by[outsidersKey].n))
	}
	return nil
}

// devSets are the development sets (read while tuning; never the blind
// ones, which are named blind*), for ExperimentSets: every other set in
// triage/testdata.
func devSets() ([]string, error) {
	paths, err := filepath.Glob("triage/testdata/*.tsv")
	var out []string
	for _, p := range paths {
		if name := filepath.Base(p); !strings.HasPrefix(name, "blind") {
			out = append(out, name)
		}
	}
	if err == nil && len(out) == 0 {
		err = errors.New("no development sets in triage/testdata (run from the repository's root)")
	}
	return out, err
}

// readDevSet reads testdata/name as training examples for labels.
func readDevSet(name string, labels []directory.Route) ([]trainingExample, []Example, error) {
	f, err := os.Open("triage/testdata/" + name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	exs, err := ParseExamples(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []trainingExample
	for _, e := range exs {
		lang := e.Lang
		if lang == "" {
			lang = "en"
		}
		out = append(out, trainingExample{labelIndex(labels, e.Route), e.Text, lang})
	}
	return out, exs, nil
}

// leaveOneSetOut calls f for each development set with its examples, a
// classifier trained on the training files alone and one trained on them
// and every other development set.
func leaveOneSetOut(f func(set string, examples []Example, labels []directory.Route, only, with *classifier)) error {
	labels, err := experimentLabels()
	if err != nil {
		return err
	}
	base, err := parseTraining(trainingData, labels)
	if err != nil {
		return err
	}
	names, err := devSets()
	if err != nil {
		return err
	}
	sets := map[string][]trainingExample{}
	evals := map[string][]Example{}
	for _, s := range names {
		sets[s], evals[s], err = readDevSet(s, labels)
		if err != nil {
			return err
		}
	}
	lx := compiled()
	only := &classifier{lx: lx, model: trainModel(base, len(labels), lx, defaultTrainOptions), labels: labels}
	for _, s := range names {
		train := slices.Clone(base)
		for _, o := range names {
			if o != s {
				train = append(train, sets[o]...)
			}
		}
		with := &classifier{lx: lx, model: trainModel(train, len(labels), lx, defaultTrainOptions), labels: labels}
		f(s, evals[s], labels, only, with)
	}
	return nil
}

// ExperimentSets asks whether the development sets, written by other
// authors, teach the model what its own examples do not: each set is
// scored by a model trained on the training files alone, and by one
// trained on them and every other development set.
func ExperimentSets(w io.Writer) error {
	return leaveOneSetOut(func(s string, examples []Example, labels []directory.Route, only, with *classifier) {
		for _, v := range []struct {
			name string
			cl   *classifier
		}{{"training only", only}, {"with other sets", with}} {
			r := evaluateWith(v.cl, labels, examples)
			fmt.Fprintf(w, "%-22s %-16s n=%d accuracy=%.3f recall=%.3f (%d/%d) now-on-others=%.3f asked=%.3f\n", s, v.name, r.Total, r.Accuracy(), r.EmergencyRecall(), r.Caught, r.Emergencies, r.NowRate(), r.CheckRate())
		}
	})
}

// evaluateWith is Evaluate with the classifier cl.
func evaluateWith(cl *classifier, labels []directory.Route, examples []Example) Report {
	r, err := tally(labels, examples, func(text string) Result { return cl.classify(clean(text), Hint{}) })
	if err != nil {
		panic(err) // the examples were read with these labels
	}
	return r
}

// ExperimentSetMisses prints, for each development set scored by a model
// trained on the training files and the other sets, the emergencies
// missed and the others told "call 999 now".
func ExperimentSetMisses(w io.Writer) error {
	return leaveOneSetOut(func(s string, examples []Example, _ []directory.Route, _, with *classifier) {
		for _, e := range examples {
			t := with.classify(clean(e.Text), Hint{})
			switch {
			case e.Route == directory.RouteEmergency && t.Danger == DangerNone:
				fmt.Fprintf(w, "%s:%d missed (%s): %s\n", s, e.Line, t.Route, e.Text)
			case e.Route != directory.RouteEmergency && t.Danger == DangerNow:
				fmt.Fprintf(w, "%s:%d 999 on %s: %s\n", s, e.Line, e.Route, e.Text)
			}
		}
	})
}
