package triage

import (
	"bufio"
	"embed"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"

	"github.com/whereto-bot/whereto/directory"
)

// The route classifier: a multinomial logistic regression over sparse
// binary features of a message (stemmed words, word pairs, character
// trigrams for typos, and the keyword lexicon's route evidence), trained at
// start-up from the examples in training/*.txt. Everything is deterministic:
// the same file gives the same model, bit for bit.

// The classes of a model are the directory's routes: emergency first (class
// 0), the other routes in directory order, and unclear last.

// labelIndex returns the class of route r among labels, or -1.
func labelIndex(labels []directory.Route, r directory.Route) int {
	return slices.Index(labels, r)
}

// trainingExample is one labelled line of the training file.
type trainingExample struct {
	class int
	text  string
	lang  string // the training file's language ("en"), or "" (a directory's own)
}

// parseTraining reads the training file: "## label" section headers, then
// "- message" lines; '#' lines are comments. Sections of routes not among
// labels are skipped (a directory may not have every route the built-in
// data knows); an unknown label that is not a route id is an error.
func parseTraining(data string, labels []directory.Route) ([]trainingExample, error) {
	var out []trainingExample
	class, skip := -1, false
	lang := ""
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "## "):
			label := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "## "), "route:"))
			if !directory.ValidRouteID(label) {
				return nil, fmt.Errorf("training line %d: %q is not a route id", n, label)
			}
			class = labelIndex(labels, directory.Route(label))
			skip = class < 0
		case strings.HasPrefix(line, langMarker):
			lang = strings.TrimSpace(strings.TrimPrefix(line, langMarker))
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "- "):
			if class < 0 && !skip {
				return nil, fmt.Errorf("training line %d: example before any section", n)
			}
			if skip {
				continue
			}
			out = append(out, trainingExample{class, strings.TrimPrefix(line, "- "), lang})
		default:
			return nil, fmt.Errorf("training line %d: want \"## label\" or \"- example\"", n)
		}
	}
	return out, sc.Err()
}

// langMarker starts the line concat puts before each training file:
// "#! lang pl". To any other reader it is a comment.
const langMarker = "#! lang "

// featurizer turns normalised text into feature hashes. It knows the stems
// of every word seen in training, so a message's known words cost a map
// look-up; only unknown words are stemmed, at most maxStems per message so
// that a long message stays fast (character trigrams still cover the rest).
type featurizer struct {
	stems map[string]string
	opt   trainOptions
}

const maxStems = 8

// maxTrigramWords bounds how many words of a message give character
// trigrams and word pairs: enough for any real description, and it keeps
// a long message fast (its later words still count as words).
const maxTrigramWords = 80

// Feature kinds, mixed into the hash so that a word and a trigram with the
// same letters are different features.
const (
	featWord byte = iota + 1
	featPair
	featTrigram
	featKeyword
	featLength
	featQuadgram
)

// A feature hash keeps its kind in the top byte.
func withKind(h uint64, kind byte) uint64 { return h&^(0xff<<56) | uint64(kind)<<56 }

func kindOf(h uint64) byte { return byte(h >> 56) }

func hashString(kind byte, s string) uint64 {
	h := uint64(14695981039346656037) ^ uint64(kind)
	h *= 1099511628211
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return withKind(h, kind)
}

func hashPair(a, b uint64) uint64 {
	h := a*31 + b
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return withKind(h, featPair)
}

func (fz *featurizer) stem(w string, budget *int) string {
	if s, ok := fz.stems[w]; ok {
		return s
	}
	if *budget <= 0 || len(w) > 24 || !printableASCII(w) {
		// The English stemmer knows nothing of other alphabets; their
		// letter n-grams stand in for stems.
		return w
	}
	*budget--
	return english.Stem(w, false)
}

// features calls emit with the feature hashes of the normalised text n.
// Features repeat when words repeat; the model counts each once.
func (fz *featurizer) features(n string, m *matches, lang string, emit func(uint64)) {
	gl := glossary().features[lang] // nil for English and the unknown
	if gl == nil {
		gl = glossary().any
	}
	budget := maxStems
	var prev uint64
	words := 0
	for w := range strings.FieldsSeq(n) {
		words++
		s := fz.stem(w, &budget)
		wh := hashString(featWord, s)
		emit(wh)
		if fz.opt.glossary {
			// A word of another language gives its English words too,
			// so that what the model learnt from English applies. Only
			// the message's own language's glossary: a Roman Urdu "aur"
			// (and) is not the Romanian "aur" (gold).
			for _, h := range gl[w] {
				emit(h)
			}
		}
		if prev != 0 && words <= maxTrigramWords && (fz.opt.pairs || fz.opt.englishPairs && (lang == "" || lang == "en")) {
			emit(hashPair(prev, wh))
		}
		prev = wh
		// Character trigrams of the word with boundary marks tolerate
		// typos: "grafitti" shares most trigrams with "graffiti".
		if !printableASCII(w) {
			// Letters of more than one byte (ą, ș, and every letter of
			// Urdu, Gurmukhi and Bengali): n-grams of letters, not
			// bytes, and 4-grams too, which carry the inflected endings
			// of Polish and Romanian and the short words of the scripts.
			if fz.opt.trigrams && words <= maxTrigramWords {
				runeGrams(w, emit)
			}
			continue
		}
		if len(w) >= 3 && fz.opt.trigrams && words <= maxTrigramWords && !(fz.opt.commonNoTrigrams && englishWords[w]) {
			for i := -1; i+2 <= len(w); i++ {
				emit(hashTrigram(w, i))
			}
			if fz.opt.quadgrams {
				for i := -1; i+3 <= len(w); i++ {
					emit(hashQuadgram(w, i))
				}
			}
		}
	}
	if m != nil && fz.opt.keywords {
		for l, on := range m.any {
			// The other languages' danger words are rules, not features:
			// as features the model would learn danger from them alone
			// and lean less on the words English shares with them. The
			// everyday senses of danger words (for the rules' doubt) and
			// the lists after them (warnings, numbness, later, presence:
			// the rules' own, added after the model was tuned) are not
			// features either.
			if on && (l < listEveryday || l > listForeignHelp) {
				emit(withKind(hashPair(keywordBase, uint64(1000+l)), featKeyword))
			}
		}
	}
	switch {
	case words <= 2:
		emit(withKind(hashPair(keywordBase, 1), featLength))
	case words > 40:
		emit(withKind(hashPair(keywordBase, 2), featLength))
	}
}

// keywordBase seeds the hashes of keyword and length features.
const keywordBase = 0x9e3779b97f4a7c15

// hashGram hashes the n bytes of " "+w+" " starting at i+1 (i may be -1,
// the leading space), without building the padded string.
func hashGram(kind byte, w string, i, n int) uint64 {
	h := uint64(14695981039346656037) ^ uint64(kind)
	h *= 1099511628211
	for k := i; k < i+n; k++ {
		c := byte(' ')
		if k >= 0 && k < len(w) {
			c = w[k]
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return withKind(h, kind)
}

// runeGrams emits the letter 3- and 4-grams of " "+w+" ", for a word
// with letters of more than one byte, as trigram and quadgram features.
func runeGrams(w string, emit func(uint64)) {
	var rs [maxGramRunes + 2]int32
	n := 0
	rs[n] = ' '
	n++
	for _, r := range w {
		if n == len(rs)-1 {
			break
		}
		rs[n] = r
		n++
	}
	rs[n] = ' '
	n++
	if n < 4 { // one letter: "ਮ"
		return
	}
	for size, kind := range [...]byte{3: featTrigram, 4: featQuadgram} {
		if kind == 0 {
			continue
		}
		for i := 0; i+size <= n; i++ {
			h := uint64(14695981039346656037) ^ uint64(kind)
			h *= 1099511628211
			for _, r := range rs[i : i+size] {
				h ^= uint64(r)
				h *= 1099511628211
			}
			emit(withKind(h, kind))
		}
	}
}

// maxGramRunes bounds the letters of a word that give n-grams.
const maxGramRunes = 30

// hashTrigram and hashQuadgram are the character 3- and 4-grams.
func hashTrigram(w string, i int) uint64  { return hashGram(featTrigram, w, i, 3) }
func hashQuadgram(w string, i int) uint64 { return hashGram(featQuadgram, w, i, 4) }

// model is a trained linear classifier: weights per feature and class.
type model struct {
	fz      featurizer
	index   map[uint64]int32 // feature hash -> row in weights
	values  []float32        // each row's feature value
	weights []float32        // rows of stride, the first k in use
	bias    []float32
	k       int // classes
	// stride is k rounded up to a multiple of 8: scoreRows sums eight
	// classes at a time, and with 15 or 16 classes a feature's row is
	// one 64-byte cache line.
	stride int
	// seenPool lends predict a bitset of the feature rows a long message
	// has counted, so that long messages do not allocate one each.
	seenPool sync.Pool
}

// seenSet is a pooled bitset and the rows set in it, to clear them.
type seenSet struct {
	bits []uint64
	set  []int32
}

// value is the feature value of a hash's kind.
func (o trainOptions) value(h uint64) float32 {
	switch kindOf(h) {
	case featTrigram:
		return o.trigramValue
	case featQuadgram:
		return o.quadgramValue
	case featPair:
		return o.pairValue
	case featKeyword:
		return o.keywordValue
	}
	return 1
}

// trainOptions are the training settings; defaultTrainOptions were chosen
// by cross-validation on the training file (see docs/CLASSIFIER.md).
type trainOptions struct {
	epochs   int
	rate     float32
	trigrams bool // character trigrams
	pairs    bool // adjacent word pairs
	keywords bool // the lexicon's route evidence
	// quadgrams adds character 4-grams; normalize scales each message's
	// features to unit length (as TF-IDF pipelines do), so that long and
	// short messages weigh alike; idf weighs features by their inverse
	// document frequency.
	quadgrams, normalize, idf bool
	// glossary adds, for a word of another language in glossary/*.txt,
	// the English words it means.
	glossary bool
	// Feature values by kind (a word counts 1).
	trigramValue, pairValue, keywordValue, quadgramValue float32
	// englishPairs adds word pairs to English messages only;
	// commonNoTrigrams leaves out the trigrams of frequent English words
	// ("the", "and"), which say nothing of a typo.
	englishPairs, commonNoTrigrams bool
	// shrink passes over, for an epoch, an example the model already got
	// near certain when it was last visited.
	shrink bool
	// minGradient is the smallest gradient trainModel applies to a
	// class's weights: once the class is near certain for an example,
	// its weights would barely move, and skipping them keeps training
	// fast as the model converges.
	minGradient float32
}

var defaultTrainOptions = trainOptions{epochs: 4, rate: 0.2, trigrams: true, keywords: true,
	normalize: true, idf: true, glossary: true, trigramValue: 0.3, pairValue: 0.5, keywordValue: 1,
	englishPairs: true, commonNoTrigrams: true, shrink: true, minGradient: 5e-2}

// trainModel fits the classifier to examples. The lexicon gives the keyword
// features. It is deterministic: examples are visited in a fixed shuffled
// order.
func trainModel(examples []trainingExample, k int, lx *lexicon, opt trainOptions) *model {
	m := &model{fz: featurizer{stems: map[string]string{}, opt: opt}, index: map[uint64]int32{}, k: k, stride: (k + 7) &^ 7, bias: make([]float32, k)}
	// Reading the examples is independent from one example to the next,
	// so it is shared out over the processors; the ids of the features
	// are then given in example order, so the model is the same however
	// many there are.
	texts := make([]string, len(examples))
	lms := make([]*matches, len(examples))
	inParallel(len(examples), func(i int) {
		texts[i] = normalise(clean(examples[i].text).text)
		lms[i] = lx.match(texts[i])
	})
	// Stems of every training word, computed once.
	var words []string
	for _, t := range texts {
		for w := range strings.FieldsSeq(t) {
			if _, ok := m.fz.stems[w]; !ok && len(w) <= 24 {
				m.fz.stems[w] = w
				if printableASCII(w) {
					words = append(words, w)
				}
			}
		}
	}
	stems := make([]string, len(words))
	inParallel(len(words), func(i int) { stems[i] = english.Stem(words[i], false) })
	for i, w := range words {
		m.fz.stems[w] = stems[i]
	}
	// Each example's distinct feature hashes, in order.
	hashes := make([][]uint64, len(examples))
	inParallel(len(examples), func(i int) {
		hs := make([]uint64, 0, 128)
		m.fz.features(texts[i], lms[i], examples[i].lang, func(h uint64) { hs = append(hs, h) })
		slices.Sort(hs)
		hashes[i] = slices.Compact(hs)
	})
	total := 0
	for _, hs := range hashes {
		total += len(hs)
	}
	m.index = make(map[uint64]int32, total/4)
	rows := make([]int32, total)
	vecs := make([][]int32, len(examples))
	for i, hs := range hashes {
		row := rows[:len(hs):len(hs)]
		rows = rows[len(hs):]
		for j, h := range hs {
			id, ok := m.index[h]
			if !ok {
				id = int32(len(m.index))
				m.index[h] = id
				m.values = append(m.values, opt.value(h))
			}
			row[j] = id
		}
		vecs[i] = row
	}
	if opt.idf {
		df := make([]int, len(m.values))
		for _, x := range vecs {
			for _, f := range x {
				df[f]++
			}
		}
		n := float64(len(vecs))
		for f := range m.values {
			m.values[f] *= float32(math.Log((1+n)/(1+float64(df[f]))) + 1)
		}
	}
	scale := make([]float32, len(vecs))
	for i, x := range vecs {
		scale[i] = m.scaleOf(x)
	}
	m.weights = make([]float32, len(m.index)*m.stride)
	// AdaGrad on the softmax loss with L2, over a fixed permutation.
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	seed := uint64(42)
	for i := len(order) - 1; i > 0; i-- {
		seed = seed*6364136223846793005 + 1442695040888963407
		j := int(seed>>33) % (i + 1)
		order[i], order[j] = order[j], order[i]
	}
	g2 := make([]float32, len(m.weights))
	bg2 := make([]float32, k)
	scores := make([]float32, m.stride)
	probs := make([]float64, k)
	grads := make([]float32, k)
	active := make([]int, 0, k)
	// learnt marks the examples whose every class was near certain when
	// last visited: nothing but the bias moved for them. With shrink they
	// are passed over in the next epoch (as SVM solvers shrink their
	// problem), and every example is visited in the last.
	learnt := make([]bool, len(examples))
	for epoch := range opt.epochs {
		last := epoch == opt.epochs-1
		for _, i := range order {
			if opt.shrink && learnt[i] && !last {
				learnt[i] = false
				continue
			}
			x, y, sc := vecs[i], examples[i].class, scale[i]
			m.scoreRows(x, sc, scores)
			for c := range probs {
				probs[c] = float64(scores[c])
			}
			softmax(probs)
			active = active[:0]
			for c := range k {
				g := float32(probs[c])
				if c == y {
					g--
				}
				grads[c] = g
				bg2[c] += g * g
				m.bias[c] -= opt.rate * g / float32(math.Sqrt(float64(bg2[c]))+1e-8)
				if g > -opt.minGradient && g < opt.minGradient {
					// The class is already near certain for this example:
					// its weights would barely move. Skipping them keeps
					// training fast as the model converges.
					continue
				}
				active = append(active, c)
			}
			learnt[i] = len(active) == 0
			// Feature by feature, so that a feature's weights for every
			// class are updated together in memory; each weight moves
			// once an example, so the order changes nothing.
			for _, f := range x {
				v := m.values[f] * sc
				at := int(f) * m.stride
				row := m.weights[at : at+k]
				acc := g2[at : at+k]
				for _, c := range active {
					gk := grads[c] * v
					a := acc[c] + gk*gk
					acc[c] = a
					row[c] -= opt.rate * gk / (float32(math.Sqrt(float64(a))) + 1e-8)
				}
			}
		}
	}
	return m
}

// inParallel calls f(i) for every i below n, shared out in contiguous
// runs over the processors, and returns when all are done.
func inParallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				f(i)
			}
		})
	}
	wg.Wait()
}

// scaleOf is the factor that gives the feature rows x unit length when the
// model normalizes, else 1.
func (m *model) scaleOf(x []int32) float32 {
	if !m.fz.opt.normalize || len(x) == 0 {
		return 1
	}
	sum := 0.0
	for _, f := range x {
		v := float64(m.values[f])
		sum += v * v
	}
	if sum == 0 {
		return 1
	}
	return float32(1 / math.Sqrt(sum))
}

// scoreRows writes the linear scores of the feature rows x, scaled by
// scale, into out (of at least stride). It sums eight classes at a time
// in locals, which the compiler keeps in registers, rather than adding
// into out feature after feature; each class's sum is still taken in the
// order of x. The rows' padding is never trained, so it scores zero.
func (m *model) scoreRows(x []int32, scale float32, out []float32) {
	for lo := 0; lo < m.stride; lo += 8 {
		var s0, s1, s2, s3, s4, s5, s6, s7 float32
		for _, f := range x {
			at := int(f)*m.stride + lo
			w := m.weights[at : at+8 : at+8]
			v := m.values[f]
			s0 += v * w[0]
			s1 += v * w[1]
			s2 += v * w[2]
			s3 += v * w[3]
			s4 += v * w[4]
			s5 += v * w[5]
			s6 += v * w[6]
			s7 += v * w[7]
		}
		o := out[lo : lo+8 : lo+8]
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = s0, s1, s2, s3, s4, s5, s6, s7
	}
	for c := range out[:m.k] {
		out[c] = m.bias[c] + scale*out[c]
	}
}

func softmax(p []float64) {
	top := p[0]
	for _, v := range p {
		top = max(top, v)
	}
	sum := 0.0
	for i, v := range p {
		p[i] = math.Exp(v - top)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// predict returns the probability of each class for the normalised text
// n, whose lexicon matches are lm, and how many of the message's words the
// model knows (with none, the probabilities say nothing about it). Each
// feature counts once, however often it occurs.
func (m *model) predict(n string, lm *matches, lang string) ([]float64, int) {
	known := 0
	// The scores are linear in the features, so the sums are kept apart
	// from the bias and scaled once the message's length is known.
	p := make([]float64, 2*m.k)
	p, raw := p[:m.k], p[m.k:]
	sumsq := 0.0
	// Feature ids already counted: a small list for short messages, a
	// bitset once it grows.
	var small [64]int32
	seen := small[:0]
	var bits []uint64
	var pooled *seenSet
	defer func() {
		if pooled != nil {
			for _, id := range pooled.set {
				pooled.bits[id>>6] = 0
			}
			pooled.set = pooled.set[:0]
			m.seenPool.Put(pooled)
		}
	}()
	m.fz.features(n, lm, lang, func(h uint64) {
		id, ok := m.index[h]
		if !ok {
			return
		}
		switch {
		case bits != nil:
			if bits[id>>6]&(1<<(id&63)) != 0 {
				return
			}
			bits[id>>6] |= 1 << (id & 63)
		case len(seen) < cap(seen):
			if slices.Contains(seen, id) {
				return
			}
			seen = append(seen, id)
		default:
			pooled, _ = m.seenPool.Get().(*seenSet)
			if pooled == nil {
				pooled = &seenSet{bits: make([]uint64, (len(m.values)+63)/64)}
			}
			bits = pooled.bits
			for _, s := range seen {
				bits[s>>6] |= 1 << (s & 63)
			}
			pooled.set = append(pooled.set, seen...)
			if bits[id>>6]&(1<<(id&63)) != 0 {
				return
			}
			bits[id>>6] |= 1 << (id & 63)
		}
		if pooled != nil {
			pooled.set = append(pooled.set, id)
		}
		if kindOf(h) == featWord {
			known++
		}
		w := m.weights[int(id)*m.stride : int(id)*m.stride+m.k]
		v := float64(m.values[id])
		sumsq += v * v
		for c := range m.k {
			raw[c] += v * float64(w[c])
		}
	})
	scale := 1.0
	if m.fz.opt.normalize && sumsq > 0 {
		scale = 1 / math.Sqrt(sumsq)
	}
	for c := range m.k {
		p[c] = float64(m.bias[c]) + scale*raw[c]
	}
	softmax(p)
	return p, known
}

//go:embed training/*.txt
var trainingFiles embed.FS

//go:embed languages/*.txt
var languageFiles embed.FS

//go:embed glossary/*.txt
var glossaryFiles embed.FS

// glossary is what glossary/*.txt says of the words of each other
// language (normalised), by language code: for each form, the word
// features of the English words it means (stemmed), and those English
// words themselves.
type glossaryData struct {
	features map[string]map[string][]uint64
	english  map[string]map[string]string
	// any is every language's features for the forms English does not
	// have, for a message whose language is not known.
	any map[string][]uint64
}

// glossary is the glossary, read on first use.
var glossary = sync.OnceValue(func() glossaryData {
	g := glossaryData{features: map[string]map[string][]uint64{}, english: map[string]map[string]string{}}
	ents, err := glossaryFiles.ReadDir("glossary")
	if err != nil {
		panic(err) // embedded: every test would fail
	}
	for _, e := range ents {
		code, ok := strings.CutSuffix(e.Name(), ".txt")
		if !ok || !validCode(code) {
			continue // README.txt
		}
		buf, err := glossaryFiles.ReadFile("glossary/" + e.Name())
		if err != nil {
			panic(err)
		}
		g.features[code], g.english[code], err = parseGlossary(string(buf))
		if err != nil {
			panic(fmt.Errorf("%s: %w", e.Name(), err))
		}
	}
	english := englishVocabulary()
	g.any = map[string][]uint64{}
	for _, f := range g.features {
		for w, hs := range f {
			if english[w] {
				continue
			}
			for _, h := range hs {
				if !slices.Contains(g.any[w], h) {
					g.any[w] = append(g.any[w], h)
				}
			}
		}
	}
	return g
})

// parseGlossary reads glossary lines: "form form ... = english words",
// '#' comments and blank lines skipped. A form given twice keeps the
// English of its first line, and the features of both.
func parseGlossary(data string) (map[string][]uint64, map[string]string, error) {
	features, english := map[string][]uint64{}, map[string]string{}
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		forms, en, ok := strings.Cut(line, "=")
		words := strings.Fields(normalise(en))
		if !ok || len(words) == 0 || strings.TrimSpace(forms) == "" {
			return nil, nil, fmt.Errorf("glossary line %d: want \"form form ... = english words\"", n+1)
		}
		var hs []uint64
		for _, e := range words {
			hs = append(hs, hashString(featWord, englishStem(e)))
		}
		for _, f := range strings.Fields(normalise(forms)) {
			for _, h := range hs {
				if !slices.Contains(features[f], h) {
					features[f] = append(features[f], h)
				}
			}
			if _, ok := english[f]; !ok {
				english[f] = strings.Join(words, " ")
			}
		}
	}
	return features, english, nil
}

// gloss returns the normalised text n with every word the glossary of
// language lang knows replaced by its English words, padded as normalise
// pads, and whether it knew any.
func gloss(n, lang string) (string, bool) {
	g := glossary().english[lang]
	if g == nil {
		return n, false
	}
	var b strings.Builder
	b.WriteByte(' ')
	known := false
	for w := range strings.FieldsSeq(n) {
		if e, ok := g[w]; ok {
			b.WriteString(e)
			known = true
		} else {
			b.WriteString(w)
		}
		b.WriteByte(' ')
	}
	return b.String(), known
}

// glossaryForms returns the word forms of glossary/CODE.txt, normalised,
// as the parsed glossary holds them.
func glossaryForms(code string) []string {
	return slices.Collect(maps.Keys(glossary().english[code]))
}

// englishVocabulary is every word of the English training examples,
// normalised: words a message in another language may share with English
// and that so say nothing of its language. It is read once; the lexicon
// and the glossary both ask for it.
var englishVocabulary = sync.OnceValue(func() map[string]bool {
	ents, err := trainingFiles.ReadDir("training")
	if err != nil {
		panic(err) // embedded
	}
	out := map[string]bool{}
	for _, e := range ents {
		if fileLang(e.Name()) != "en" {
			continue
		}
		buf, err := trainingFiles.ReadFile("training/" + e.Name())
		if err != nil {
			panic(err) // embedded
		}
		for line := range strings.SplitSeq(string(buf), "\n") {
			if text, ok := strings.CutPrefix(line, "- "); ok {
				for w := range strings.FieldsSeq(normalise(text)) {
					out[w] = true
				}
			}
		}
	}
	for w := range englishWords {
		out[w] = true
	}
	return out
})

// englishStem is the English stem of an English word, as features use.
func englishStem(w string) string { return english.Stem(w, false) }

// trainingData is every file in training/ (en.txt, then the other
// languages' files in name order), one after another: each is a list of
// "## route" sections, so together they are one.
var trainingData = concat(trainingFiles, "training", "en.txt", true)

// fileLang is the language of a training file: its name up to the first
// '-' or '.' ("pa.txt", "pa-2.txt": "pa"), so that a language's examples
// may be split over several files.
func fileLang(name string) string {
	code, _, _ := strings.Cut(strings.TrimSuffix(name, ".txt"), "-")
	return code
}

// trainedLanguages are the codes of the languages with a training file
// besides English: the languages the classifier reads.
var trainedLanguages = func() map[string]bool {
	ents, err := trainingFiles.ReadDir("training")
	if err != nil {
		panic(err)
	}
	out := map[string]bool{}
	for _, e := range ents {
		if code := fileLang(e.Name()); code != "en" {
			out[code] = true
		}
	}
	return out
}()

// languagesData is every file in languages/, in name order.
var languagesData = concat(languageFiles, "languages", "", false)

// concat joins the files of dir in fsys, first before the rest (which are
// in name order), each ending in a newline; with marked, each after a
// langMarker line naming its language (the file's name without .txt).
func concat(fsys embed.FS, dir, first string, marked bool) string {
	ents, err := fsys.ReadDir(dir)
	if err != nil {
		panic(err) // embedded: every test would fail
	}
	names := []string{}
	if first != "" {
		names = append(names, first)
	}
	for _, e := range ents {
		if e.Name() != first {
			names = append(names, e.Name())
		}
	}
	var b strings.Builder
	for _, name := range names {
		buf, err := fsys.ReadFile(dir + "/" + name)
		if err != nil {
			panic(err)
		}
		if marked {
			b.WriteString(langMarker + fileLang(name) + "\n")
		}
		b.Write(buf)
		if len(buf) > 0 && buf[len(buf)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
