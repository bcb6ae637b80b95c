package triage

import (
	"hash/fnv"
	"iter"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/whereto-bot/whereto/directory"
)

// Danger is how close danger is, as a message tells it.
type Danger string

// Danger tiers.
const (
	// DangerNow: the message says danger is happening now or has only
	// just happened. The answer is "Call 999 now."
	DangerNow Danger = "now"
	// DangerCheck: danger is possible but the message does not say when
	// ("he hits me", a bare "help"). The answer leads with the 999 line
	// and asks once whether it is happening now.
	DangerCheck Danger = "check"
	// DangerNone: nothing in the message suggests danger now.
	DangerNone Danger = "none"
)

// Routes is what the classifier needs of a directory: its routes, with
// their examples. *directory.Directory has it.
type Routes interface {
	RouteList() []directory.RouteInfo
}

// Result is what a free-text message says about where to send a person.
type Result struct {
	// Route is the best route: directory.RouteEmergency when Danger is
	// DangerNow, else the concern the message is about, or
	// directory.RouteUnclear.
	Route directory.Route
	// Danger is never empty.
	Danger Danger
	// Confidence is between 0 and 1; 1 when danger rules fired.
	Confidence float64
	// Second is another concern the message names, or "" if none; after
	// danger it is the route to offer once the person is safe.
	Second directory.Route
	// Lang is the BCP 47 code of the message's language: "en" for plain
	// English; "pl", "ur", "pa", "bn", "ro"; "es" or "ar" for languages it
	// recognises but does not read; Und for a script or language it
	// cannot place; "" for Latin text too short to tell (read as English).
	Lang string
}

// classifier is everything Classify needs for one set of routes: the
// danger and language lexicon, the model trained on the built-in examples
// and the directory's own, and the model's class labels (emergency first,
// unclear last). It never changes after it is built, so it is safe for
// concurrent use.
type classifier struct {
	lx     *lexicon
	model  *model
	labels []directory.Route
	// th are the decision thresholds; nil is defaultThresholds (the
	// experiments try others).
	th *thresholds
}

// MinRouteExamples is how many examples a route needs, from the built-in
// training data and the directory together, to be learnt. A route with
// fewer is left out of the model: people still reach it from the menu and
// by deep link, and the classifier never names it.
const MinRouteExamples = 5

// directoryExampleWeight is how many times a directory's own example
// counts in training. A directory's examples are the partnership's word
// on where its residents' messages go: a route it adds (noise, say) must
// win over the built-in examples of a neighbouring route that say the
// same things (noisy neighbours, told as report-crime), which outnumber
// the new route's few.
const directoryExampleWeight = 3

// buildClassifier trains a model for routes: the built-in examples of
// those routes (training/*.txt) and each route's own examples.
func buildClassifier(routes []directory.RouteInfo, opt trainOptions) (*classifier, error) {
	candidates := []directory.Route{directory.RouteEmergency}
	for _, r := range routes {
		if r.ID != directory.RouteEmergency && r.ID != directory.RouteUnclear {
			candidates = append(candidates, r.ID)
		}
	}
	candidates = append(candidates, directory.RouteUnclear)
	all, err := parseTraining(trainingData, candidates)
	if err != nil {
		return nil, err
	}
	count := make([]int, len(candidates))
	for _, ex := range all {
		count[ex.class]++
	}
	for _, r := range routes {
		class := labelIndex(candidates, r.ID)
		count[class] += len(r.Examples)
		for _, e := range r.Examples {
			for range directoryExampleWeight {
				all = append(all, trainingExample{class, e, ""})
			}
		}
	}
	// The classes: emergency, the routes with enough examples, unclear.
	var labels []directory.Route
	remap := make([]int, len(candidates))
	for c, r := range candidates {
		remap[c] = -1
		if count[c] >= MinRouteExamples || r == directory.RouteEmergency || r == directory.RouteUnclear {
			remap[c] = len(labels)
			labels = append(labels, r)
		}
	}
	examples := all[:0]
	for _, ex := range all {
		if c := remap[ex.class]; c >= 0 {
			examples = append(examples, trainingExample{c, ex.text, ex.lang})
		}
	}
	lx := compiled()
	if lx.langErr != nil {
		return nil, lx.langErr
	}
	return &classifier{lx: lx, model: trainModel(examples, len(labels), lx, opt), labels: labels}, nil
}

// classifiers caches the classifier of each set of routes, so that the
// model is trained once per set (in tens of milliseconds), not per
// message. It holds the few most recent sets: a directory's routes change
// rarely, when staff import new ones.
var classifiers = &classifierCache{}

type classifierCache struct {
	mu      sync.Mutex
	entries []*classifierBuild // oldest first
}

// classifierBuild is one set of routes' classifier, built once.
type classifierBuild struct {
	key uint64
	// first and n identify the slice the build was asked for: a
	// directory snapshot never changes, so the same slice needs no
	// hashing.
	first *directory.RouteInfo
	n     int
	once  sync.Once
	cl    *classifier
	err   error
}

const classifierCacheSize = 4

// get returns the classifier for routes, building it on first use.
// Concurrent callers for the same routes wait for one build.
func (cc *classifierCache) get(routes []directory.RouteInfo) (*classifier, error) {
	var first *directory.RouteInfo
	if len(routes) > 0 {
		first = &routes[0]
	}
	cc.mu.Lock()
	var b *classifierBuild
	for _, e := range cc.entries {
		if first != nil && e.first == first && e.n == len(routes) {
			b = e
			break
		}
	}
	if b == nil {
		key := routesKey(routes)
		for _, e := range cc.entries {
			if e.key == key {
				// The same routes in a new snapshot (a staff edit):
				// remember its slice, so the next message needs no hash.
				b, e.first, e.n = e, first, len(routes)
				break
			}
		}
		if b == nil {
			b = &classifierBuild{key: key, first: first, n: len(routes)}
			if len(cc.entries) >= classifierCacheSize {
				cc.entries = cc.entries[1:]
			}
			cc.entries = append(cc.entries, b)
		}
	}
	cc.mu.Unlock()
	b.once.Do(func() { b.cl, b.err = buildClassifier(routes, defaultTrainOptions) })
	return b.cl, b.err
}

// routesKey fingerprints what a classifier learns from: route ids and
// examples.
func routesKey(routes []directory.RouteInfo) uint64 {
	h := fnv.New64a()
	for _, r := range routes {
		h.Write([]byte(r.ID))
		h.Write([]byte{0})
		for _, e := range r.Examples {
			h.Write([]byte(e))
			h.Write([]byte{1})
		}
		h.Write([]byte{2})
	}
	return h.Sum64()
}

// defaultRoutes are the routes of the embedded default directory, for
// Classify without a directory.
var defaultRoutes = sync.OnceValues(func() ([]directory.RouteInfo, error) {
	d, err := directory.Default()
	if err != nil {
		return nil, err
	}
	return d.RouteList(), nil
})

// Warm builds the classifier for dir's routes now (it is otherwise built
// on first use, in tens of milliseconds) and reports whether the data it
// learns from is sound. A service calls it at start-up so that the first
// person does not wait.
func Warm(dir Routes) error {
	_, err := classifiers.get(dir.RouteList())
	return err
}

// Decision thresholds, chosen on out-of-fold predictions over the training
// file (docs/CLASSIFIER.md), never on the evaluation sets.
const (
	// dangerNowProb is the model's emergency probability that counts as
	// danger now on its own, when the message does not place events in
	// the past; dangerCheckProb makes the bot ask.
	dangerNowProb   = 0.60
	dangerCheckProb = 0.15
	// doubtNowProb: when the danger rules read "now" but the model gives
	// danger less than this, the bot may ask instead of saying "Call 999
	// now" (see doubted).
	doubtNowProb = 0.10
	// doubtUnderWayProb is doubtNowProb for an attack told under way
	// (see underWay): the model must be surer still before the bot asks.
	doubtUnderWayProb = 0.05
	// minConfidence is the confidence below which Classify answers unclear
	// and the bot asks instead of guessing.
	minConfidence = 0.20
	// secondProb is the share a second concern needs to be offered;
	// afterDangerProb the share a concern needs to be offered after the
	// 999 answer (the message is about danger, so the model's second
	// guess is weaker evidence).
	secondProb      = 0.30
	afterDangerProb = 0.50
)

// Hint is what the caller knows of a message's language.
type Hint struct {
	// Lang is the language the conversation is in, a BCP 47 code ("" or
	// "en" for English): a short message that could be it is read as it,
	// so that "nóż" in a Polish conversation is Polish.
	Lang string
	// Force reads every message as Lang, whatever its words (whereto
	// route --lang).
	Force bool
}

// Classify reads free text and says which route it needs, with the routes
// of the embedded default directory. ClassifyFor uses a directory's own.
func Classify(text string) Result {
	routes, _ := defaultRoutes()
	return classify(clean(text), routes, Hint{})
}

// ClassifyFor reads free text and says which of dir's routes it needs.
// Danger comes first: the danger rules (tuned for recall, aware of tense
// and negation), the model's emergency class, and danger words in the
// other languages Luton residents write in. Then the model picks among the
// other routes, answering directory.RouteUnclear rather than guessing when
// it is not confident. It is pure, safe on any input, and safe for
// concurrent use.
func ClassifyFor(dir Routes, text string) Result {
	return classify(clean(text), dir.RouteList(), Hint{})
}

// ClassifyMessage is ClassifyFor on a message already cleaned (Clean), so
// that the conversation, which cleans each message first, does not clean
// it twice, with what the caller knows of its language.
func ClassifyMessage(dir Routes, msg Message, h Hint) Result {
	return classify(msg.c, dir.RouteList(), h)
}

// Reads reports whether the classifier reads language code (a BCP 47
// code; "" is English): whether it has training examples in it.
func Reads(code string) bool { return code == "" || code == "en" || trainedLanguages[code] }

// Languages returns the codes of the languages the classifier reads
// besides English, sorted.
func Languages() []string {
	out := make([]string, 0, len(trainedLanguages))
	for code := range trainedLanguages {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// stronger returns the closer of two dangers.
func stronger(a, b Danger) Danger {
	if a == DangerNow || b == DangerNow {
		return DangerNow
	}
	if a == DangerCheck || b == DangerCheck {
		return DangerCheck
	}
	return DangerNone
}

// classify is Classify on text already cleaned.
func classify(c cleaned, routes []directory.RouteInfo, h Hint) Result {
	cl, err := classifiers.get(routes)
	if err != nil {
		// Only a broken build or directory gets here (tests guard the
		// data): keep the danger rules working.
		cl = &classifier{lx: compiled()}
	}
	return cl.classify(c, h)
}

// classify is the whole decision with this classifier's model.
func (cl *classifier) classify(c cleaned, h Hint) Result {
	n := normalise(withoutAddresses(c.text))
	t := Result{Route: directory.RouteUnclear, Danger: DangerNone}
	m := cl.lx.match(n)
	hint := h.Lang
	if hint == "en" {
		hint = ""
	}
	if h.Force {
		t.Lang = hint
	} else {
		t.Lang = detectLanguage(cl.lx, c.text, m, hint)
	}
	english := t.Lang == "" || t.Lang == "en"
	rule := stronger(danger(cl.lx, n, c.text, m), foreignDanger(m, english))
	if !english && rule != DangerNow {
		// The English danger rules, on the message's words in English
		// as the glossary gives them: "jest siny i nie oddycha" reads
		// "is blue and not breathing".
		// Word for word, tense and negation are lost ("was" and "is"
		// may be one word), so it only ever asks: "Is this happening
		// now?".
		if en, ok := gloss(n, t.Lang); ok && danger(cl.lx, en, en, cl.lx.match(en)) != DangerNone {
			rule = stronger(rule, DangerCheck)
		}
	}
	if cl.model == nil || !Reads(t.Lang) {
		// A language it does not read: only danger words count.
		t.Danger = rule
		if rule == DangerNow {
			t.Route, t.Confidence = directory.RouteEmergency, 1
		}
		return t
	}
	p, known := cl.model.predict(n, m, t.Lang)
	lang := t.Lang
	// A negation silences the model's danger, unless the message also
	// says it is happening now, outside the negation ("not in danger right
	// now" says no such thing); an idiom only keeps it from saying now.
	past, saysNow := tense(n, m)
	negated := m.any[listNegation] || m.any[listIdiom]
	at := when(past, saysNow, m)
	if negated {
		rest := cl.lx.withoutNegations(n)
		negated = !nowIn(rest, cl.lx.match(rest))
	}
	if negated && cl.lx.partialDenial(n, m) {
		// A denial of one clause: the model may ask about the rest,
		// never say "now".
		negated, at = false, max(at, timeHabit)
	}
	if negated && !m.any[listNegation] {
		// An idiom alone is not a denial: it sets its own words aside
		// ("the fire door is open" is no fire), and the model may ask
		// about the rest ("one of our residents with dementia is not in
		// her room"), never say "now".
		negated, at = false, max(at, timeHabit)
	}
	th := defaultThresholds
	if cl.th != nil {
		th = *cl.th
	}
	if rule == DangerNone && english && past && p[0] >= th.dangerCheck && cl.lx.clauseNow(c.text) {
		rule = DangerCheck
	}
	if rule == DangerNow && english && cl.lx.doubted(n, c.text, m, p[0], th.doubtNow, past) {
		rule = DangerCheck
	}
	t = decideWith(cl.labels, p, rule, at, negated, th)
	t.Lang = lang
	if known == 0 && t.Danger != DangerNow {
		// Not one word the model has seen: whatever it says is a guess.
		t.Route, t.Second = directory.RouteUnclear, ""
	}
	return t
}

// clauseNow reports whether a clause of the cleaned text raw, read alone,
// says danger now: a message that speaks of the past may still tell
// danger now in another clause ("someone broke in last night and they are
// back now trying the back door", "the garage is on fire, last year it
// nearly happened too"). The past of one clause is not the whole
// message's.
func (lx *lexicon) clauseNow(raw string) bool {
	parts := clauseBreaks.Split(raw, -1)
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		n := normalise(p)
		if n == "" {
			continue
		}
		if danger(lx, n, p, lx.match(n)) == DangerNow {
			return true
		}
	}
	return false
}

// clauseBreaks are where one clause ends and another begins.
var clauseBreaks = regexp.MustCompile(`[.,;!?]+|(?i)\b(?:and|but|then|so)\b`)

// timing is when a message places events, as far as the model's danger
// is concerned.
type timing int

const (
	// timeUnsaid: the message does not say when.
	timeUnsaid timing = iota
	// timeHabit: it happens again and again, or has gone on a long time.
	timeHabit
	// timePast: it is over, or the message asks about danger rather than
	// reporting it.
	timePast
)

// when reads how a message places events: in the past (or hypothetical),
// as a habit, or unsaid; a message that says it is going on now is
// unsaid, so that the model may still read danger.
func when(past, saysNow bool, m *matches) timing {
	switch {
	case saysNow:
		return timeUnsaid
	case past:
		return timePast
	case m.any[listHabitMarker], m.any[listForeignPast], m.any[listForeignCalm], m.any[listReassured], m.any[listDiscovered]:
		// The other languages' past and calm phrases are word lists,
		// blind to "not" and to what came after: they make the model's
		// danger a question, never silence it.
		return timeHabit
	}
	return timeUnsaid
}

// tense reads when a message places events: past is set when it speaks of
// the past or a hypothetical; saysNow when it says they are going on now
// ("right now", or a "now" that is not only about what followed).
func tense(n string, m *matches) (past, saysNow bool) {
	return timePassed(n, m) || m.any[listSince] || m.any[listHypothetical], nowIn(n, m)
}

// timePassed reports whether the normalised text n places events in a
// time gone by: a past marker, or "last" before a time ("last tuesday").
// "since i left work" is not counted here: it lasts until now.
func timePassed(n string, m *matches) bool {
	return m.any[listPast] || lastTime(n)
}

// lastTime reports whether the normalised text n names a time gone by
// with "last" ("last tuesday"), other than minutes.
func lastTime(n string) bool {
	if !strings.Contains(n, "last ") {
		return false
	}
	prev := ""
	for w := range strings.FieldsSeq(n) {
		if prev == "last" && (goneWords[w] || seasons[w]) {
			return true
		}
		prev = w
	}
	return false
}

// seasons and feasts follow "last" as times gone by.
var seasons = words("night summer winter spring autumn christmas easter eid diwali term time")

// nowIn reports whether the normalised text n says its events go on now:
// a "now" phrase ("right now", "tonight"), a time in minutes, or a bare
// "now" that no consequence phrase accounts for, in a message with no
// settled phrase.
func nowIn(n string, m *matches) bool {
	return m.any[listNow] || recent(n) || justGot(n) || (m.any[listWeakNow] && !m.any[listSettled] && freeNow(n))
}

// doers start what someone is doing after a "now" ("now hes choking me").
var doers = words("he she they hes shes theyre someone somebody his her there theres")

// nowDoing reports whether the normalised text n has a "now" followed by
// someone doing something ("and now hes attacking me", "now theyre trying
// to break in"), or an attack under way followed by "now" ("hitting me
// now"): that "now" is this minute, even in a message about something
// that has gone on for months.
func nowDoing(n string) bool {
	if !strings.Contains(n, "now ") {
		return false
	}
	ws := strings.Fields(n)
	for j, w := range ws {
		if w != "now" || j+1 >= len(ws) || !doers[ws[j+1]] {
			continue
		}
		for k := j + 1; k < len(ws) && k <= j+4; k++ {
			holds := (ws[k] == "has" || ws[k] == "got") && k+1 < len(ws) && held[ws[k+1]]
			if strings.HasSuffix(ws[k], "ing") || doings[ws[k]] || holds {
				return true
			}
		}
	}
	// And the other way round: an attack under way, then "now" ("he is
	// drunk and hitting me now").
	for i, p := range phrasesIn(ws, presentWords) {
		if end := i + len(p); end < len(ws) && ws[end] == "now" || end+1 < len(ws) && ws[end+1] == "now" {
			return true
		}
	}
	return false
}

var doings = words("pulled wont")

// held start what someone has in hand ("now he has a knife", "has got my
// phone").
var held = words("a an got my his her the")

// justGot reports whether the normalised text n says something was just
// done to someone ("i just got kicked in the head", "just got threatened"),
// as against "just got home".
func justGot(n string) bool {
	return afterJust(n, func(aux, verb, _ string) bool {
		return aux == "got" && (strings.HasSuffix(verb, "ed") || done[verb])
	})
}

// afterJust reports whether the normalised text n has "just got" or "just
// been", then a verb and the word after it ("" at the end), that ok
// accepts.
func afterJust(n string, ok func(aux, verb, next string) bool) bool {
	if !strings.Contains(n, "just got ") && !strings.Contains(n, "just been ") {
		return false
	}
	ws := strings.Fields(n)
	for j := 0; j+2 < len(ws); j++ {
		if ws[j] != "just" || ws[j+1] != "got" && ws[j+1] != "been" {
			continue
		}
		next := ""
		if j+3 < len(ws) {
			next = ws[j+3]
		}
		if ok(ws[j+1], ws[j+2], next) {
			return true
		}
	}
	return false
}

// done are past participles that do not end in -ed.
var done = words("hit shot cut bitten beaten run knocked taken stolen stabbed thrown")

// attacked are what may just have been done to someone: "i just got
// kicked in the head" is danger now.
var attacked = words("kicked punched stabbed hit shot beaten attacked mugged robbed " +
	"jumped glassed slashed grabbed pushed threatened spiked raped assaulted " +
	"knocked bitten headbutted battered cut snatched run thrown")

// justAttacked reports whether the normalised text n says someone was
// just attacked ("just got kicked", "has just been stabbed").
func justAttacked(n string) bool {
	return afterJust(n, func(_, verb, next string) bool { return attacked[verb] && !figurative[next] })
}

// goneWords name a time gone by.
var goneWords = words("yesterday last ago earlier week weeks month months year years " +
	"monday tuesday wednesday thursday friday saturday sunday weekend")

// timeGone reports whether the normalised text n names a time gone by
// ("last month", "on saturday"), as against a past tense alone ("got
// kicked").
func timeGone(n string) bool { return hasWordIn(n, goneWords) }

// hasWordIn reports whether the normalised text n has a word of set.
func hasWordIn(n string, set map[string]bool) bool {
	for w := range strings.FieldsSeq(n) {
		if set[w] {
			return true
		}
	}
	return false
}

// figurative words after an attack verb make it an everyday phrase ("just
// got robbed of my sleep", "knocked back", "battered at fifa", "hit for
// six", "threatened with eviction").
var figurative = words("of off back out at for up with")

// nowPhrase is a consequence phrase as words, and where its "now" is.
type nowPhrase struct {
	words []string
	at    int
}

// consequenceWords are the consequence phrases as words.
var consequenceWords = func() (out []nowPhrase) {
	for _, ws := range phraseWords(consequence) {
		out = append(out, nowPhrase{ws, slices.Index(ws, "now")})
	}
	return out
}()

// phraseWords splits each phrase into its normalised words, for the rules
// that ask where in a message a phrase stands.
func phraseWords(phrases []string) [][]string {
	out := make([][]string, len(phrases))
	for i, p := range phrases {
		out[i] = strings.Fields(normalise(p))
	}
	return out
}

// wordsAt reports whether the words ws have the phrase p starting at i.
func wordsAt(ws []string, i int, p []string) bool {
	return i >= 0 && i+len(p) <= len(ws) && slices.Equal(ws[i:i+len(p)], p)
}

// freeNow reports whether the normalised text n has a "now" that is not
// part of a consequence phrase.
func freeNow(n string) bool {
	ws := strings.Fields(n)
	for j, w := range ws {
		if w != "now" {
			continue
		}
		taken := false
		for _, p := range consequenceWords {
			if p.at >= 0 && wordsAt(ws, j-p.at, p.words) {
				taken = true
				break
			}
		}
		for k := max(0, j-3); k < j && !taken; k++ {
			// "he lives in birmingham now": where someone lives now.
			taken = livesWords[ws[k]]
		}
		if !taken {
			return true
		}
	}
	return false
}

// livesWords say where someone lives, up to three words before a "now".
var livesWords = words("lives living live")

// minuteUnits are the units of a time that has only just passed.
var minuteUnits = words("min mins minute minutes secs seconds")

// quantities are the words that count minutes ("a minute", "ten mins",
// "a few minutes"); digits count too.
var quantities = words("a one few couple of several two three four five ten fifteen twenty thirty forty")

// counted reports whether w counts minutes: a number or a quantity word.
func counted(w string) bool {
	if quantities[w] {
		return true
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// recent reports whether the normalised text n places events in the last
// minutes: "a minute ago", "5 mins ago", "for the last 10 mins", "the
// past few minutes". Whatever the number, minutes are now, as far as
// danger goes.
func recent(n string) bool {
	if !strings.Contains(n, " min") && !strings.Contains(n, " sec") {
		return false
	}
	words := strings.Fields(n)
	for i, w := range words {
		switch w {
		case "ago":
			if i > 1 && minuteUnits[words[i-1]] && counted(words[i-2]) {
				return true
			}
		case "last", "past":
			// "the last 10 mins", "the past few minutes"; never "at the
			// last minute".
			for k := i + 1; k < min(i+4, len(words)); k++ {
				if minuteUnits[words[k]] && k > i+1 && counted(words[k-1]) {
					return true
				}
			}
		}
	}
	return false
}

// thresholds are the decision thresholds, as arguments for tuning;
// doubtNow is classify's, before decideWith.
type thresholds struct {
	dangerNow, dangerCheck, minConfidence, doubtNow float64
}

var defaultThresholds = thresholds{dangerNowProb, dangerCheckProb, minConfidence, doubtNowProb}

// decide turns the model's probabilities and the danger rules into a
// triage.
func decide(labels []directory.Route, p []float64, rule Danger, at timing, negated bool) Result {
	return decideWith(labels, p, rule, at, negated, defaultThresholds)
}

// decideWith is decide with its thresholds as an argument.
func decideWith(labels []directory.Route, p []float64, rule Danger, at timing, negated bool, th thresholds) Result {
	k := len(labels)
	const emergency = 0
	unclear := k - 1
	// The best and second-best concerns other than danger, with the
	// probabilities renormalised without the emergency class.
	rest := 1 - p[emergency]
	if rest < 1e-9 {
		rest = 1e-9
	}
	best, second := -1, -1
	for c := 1; c < k; c++ {
		switch {
		case best < 0 || p[c] > p[best]:
			best, second = c, best
		case second < 0 || p[c] > p[second]:
			second = c
		}
	}
	// The model's own reading of danger: now only when the message does
	// not place it in the past or make it a habit; asked about unless it
	// is past or denied.
	tier := rule
	switch {
	case negated || tier == DangerNow:
	case tier == DangerCheck:
		// A rule saw possible danger and the model is sure of it, with
		// nothing placing it in the past or making it a habit: the
		// rule's question must not hide the model's "now" ("emergency he
		// is here").
		if p[emergency] >= th.dangerNow && at == timeUnsaid {
			tier = DangerNow
		}
	case at != timePast:
		switch {
		case p[emergency] >= th.dangerNow && at == timeUnsaid:
			tier = DangerNow
		case p[emergency] >= th.dangerCheck:
			tier = DangerCheck
		}
	case p[emergency] >= th.dangerNow:
		// The words place it in the past, but the model is as sure as
		// it must be to say "now" on its own: the rules and the model
		// disagree, so ask ("a man is following me since i got off the
		// bus").
		tier = DangerCheck
	}
	conf := p[best] / rest
	concern := labels[best]
	if best == unclear || conf < th.minConfidence {
		concern = directory.RouteUnclear
	}
	if tier == DangerNow {
		t := Result{Route: directory.RouteEmergency, Danger: DangerNow, Confidence: 1}
		if rule == DangerNone {
			t.Confidence = p[emergency]
		}
		// Another concern (a hate crime, a child at risk) is offered
		// once the person is safe.
		if best != unclear && p[best]/rest >= afterDangerProb {
			t.Second = labels[best]
		}
		return t
	}
	t := Result{Route: concern, Danger: tier, Confidence: conf}
	if concern != directory.RouteUnclear && second >= 0 && second != unclear && p[second]/rest >= secondProb {
		t.Second = labels[second]
	}
	return t
}

// negations are phrases that say there is no danger; they are removed
// before the danger rules run so that "nobody is in danger" is not danger,
// and a message that has one is asked nothing: it said it is safe.
var negations = []string{
	"not an emergency", "not a emergency", "no emergency", "isnt an emergency",
	"is not an emergency", "not urgent", "no one is in danger",
	"nobody is in danger", "no one in danger", "nobody in danger", "not in danger",
	"no danger", "no one is hurt", "nobody is hurt", "no one was hurt",
	"nobody was hurt", "no one hurt", "nobody hurt", "no one got hurt",
	"nobody got hurt", "no ones hurt", "noone is hurt", "noone hurt",
	"not happening now", "not happening right now", "not injured",
	"no one is hurting her", "no one is hurting him", "no one is hurting them",
	"nobody is hurting her", "nobody is hurting him", "nobody is hurting them",
	"no one is hurting her right now", "no one is hurting him right now",
	"nobody is hurting her right now", "nobody is hurting him right now",
	"no one injured", "nobody injured", "no injuries", "not right now",
	"i am safe", "im safe", "i am safe now", "we are safe", "were safe",
	"everyone is safe", "everyone is ok", "everyone is okay",
	"no one is in immediate danger", "not in immediate danger",

	"not in danger right now", "not in danger now", "not in any danger",
	"nobody is in danger right now", "no one is in danger right now",
	"safe for now", "safe at the moment", "safe right now", "ok right now",
	"okay right now", "not tonight", "but safe", "ok for now", "fine for now",
	"quiet at the moment", "its quiet now", "im ok now", "were ok now",
	// a fire that is over
	"brigade put it out", "firefighters put it out", "fire was put out",
	// thoughts, with no plan to act on them
	"i am not going to do anything", "i will not do anything",
	"i am not going to do anything tonight", "i will not do anything tonight",
	"i am not going to do anything today", "i am safe tonight",
	"not going to do anything tonight",
	"i am not going to act on", "i am not going to hurt myself",
	"didnt touch anything", "did not touch anything",
	"is not missing", "isnt missing",
}

// idioms use danger words for everyday things ("screaming the house
// down", "my back is killing me"); like negations they are removed before
// the danger rules run.
var idioms = []string{
	// cutting that is not a wound, orders that are not danger, games
	"cut us off", "cut me off", "cut you off", "cut him off", "cut her off",
	"cut you in", "cut you short", "emergency order", "emergency injunction",
	"emergency non molestation", "emergency protection order",
	"hide and seek", "im hiding my", "i am hiding my", "im hiding the",
	"im hiding presents",
	// getting in that is not breaking in
	"get in shape", "get in touch", "get into uni", "get into university",
	"get into college", "get into the team", "get into a school",
	"get into the school",
	// the person who hurt them is away, or calm for now: taken out, with
	// their "now", but no denial of what else the message says ("hes at
	// work now but his brother is here with a gun")
	"now he is at work", "now hes at work", "now she is at work",
	"now shes at work", "hes at work now", "he is at work now",
	"shes at work now", "she is at work now", "hes being nice at the moment",
	"he is being nice at the moment", "shes being nice at the moment",
	"she is being nice at the moment", "its calm at the moment",
	"it is calm at the moment", "im ok at the moment", "i am ok at the moment",
	"were ok at the moment", "we are ok at the moment", "not like tonight",
	"nothing happening now", "nothing is happening now",
	"nothing happening right now", "he is at work at the moment",
	"she is at work at the moment", "he is at work right now",
	"she is at work right now", "he is away working", "she is away working",
	"he is out at the moment", "she is out at the moment", "away with work",
	"hes away working", "shes away working",
	// danger words for money
	"strangling me with the rent", "strangling me with rent",
	"strangling me with debt", "strangling me with bills",
	"strangling me with fees", "killing me with the rent",
	"killing me with rent", "killing me with bills", "killing me with the bills",
	"bleeding me dry", "bleeding money", "bleeding cash",
	// passive thoughts of dying, for mental-health, not a body in danger
	"sleeping and not waking up", "sleep and not wake up",
	"go to sleep and not wake up", "fall asleep and not wake up",
	"sleep and never wake up",
	"fire drill", "fire alarm test",
	// smoke that is not a fire
	"cannabis smoke", "weed smoke", "cigarette smoke", "smoke from their weed",
	// following on social media
	"following me on", "followed me on", "follow me on", "following us on",
	"following me online",
	"screaming the house down", "is killing me", "are killing me",
	"killing me lol", "will kill me if", "would kill me if", "gonna kill me if",
	"going to kill me if", "kill for a", "dying to",
	"dying for a", "killing it", "shot a photo", "shot a video",
	"photo shoot", "fire alarm test", "fire drill", "fire safety",
	"fire door", "fire doors", "got fired", "fired me", "been fired",
	"heart attack survivor", "survived a heart attack", "fire brigade open day",
	"emergency dentist", "emergency appointment", "emergency vet",
	"emergency contact", "emergency number", "emergency plumber",
	"emergency electrician", "emergency locksmith", "emergency housing",
	"attack on titan", "panic attack", "panic attacks", "knife drawer",
	"knife block", "bread knife", "butter knife", "my finger",
	"water gun", "nerf gun", "glue gun", "gun shop", "blood test",
	"blood tests", "give blood", "blood donation", "nosebleed", "nose bleed",
	"case is coming up", "case coming up", "trial is coming up", "trial coming up",
	"hearing is coming up", "hearing coming up", "date is coming up",
	"shooting game", "shooting games", "shooter game",
}

// immediate phrases mean danger now whatever the tense: a body in danger
// or an act already under way.
var immediate = []string{
	// breathing, consciousness, poisoning
	"cannot breathe", "can not breathe", "not breathing", "stopped breathing",
	"struggling to breathe", "cannot breath", "cannot get my breath",
	"cannot catch my breath", "chest pain", "heart attack", "having a stroke",
	"unconscious", "not waking up", "will not wake",
	"cannot wake", "going blue", "turning blue", "lips are blue", "gone blue",
	"lips is blue", "lips are grey", "lips is grey", "lips gone grey",
	"lips going grey", "lips have gone", "no wake up", "not wake up",
	"took everything in",
	"turned blue", "choking on", "not moving", "wont wake", "stopped moving",
	"hanging in", "hanging from", "found him hanging", "found her hanging",
	"holding him", "holding her", "holding my son", "holding my daughter",
	"holding my child", "holding my kids", "holding my children",
	"holding my brother", "holding my sister", "holding my friend",
	"holding my wife", "holding my husband", "holding my mum",
	"holding my dad", "holding my family", "ransom", "kidnap",
	// acts of self-harm already taken
	"too many pills", "took pills", "taken pills", "took a load of",
	"too many tablets", "taken all my pills", "took all my pills",
	"taken all my tablets", "took all my tablets", "taken all my meds",
	"took all my meds", "overdose",
	"overdosed", "od d", "packet of pills", "whole packet", "going to jump",
	"about to jump", "jump off", "swallowed", "drank bleach", "been poisoned",
	"on the train tracks", "on the tracks", "on the railway line",
	"my last message", "goodbye everyone", "goodbye forever",
	// dying, bleeding
	"he is dying", "she is dying", "someone is dying", "somebody is dying",
	"they are dying", "baby is dying", "bleeding", "lots of blood",
	"blood everywhere", "do not know where i am", "dont know where i am",
	"cannot stand up", "cant stand up", "cannot get up", "can not get up",
	"hostage", "held hostage",
	// said outright
	"in danger now", "in danger right now", "in progress", "happening now",
	"happening right now", "going on now", "going on right now",
	"sos", "call an ambulance", "need an ambulance",
}

// ideation phrases are thoughts of suicide or self-harm. They are danger
// now only when the message says it is now ("tonight", "right now"); said
// without a time they lead to support with the 999 line, not to 999.
var ideation = []string{
	"kill myself", "killing myself", "end my life", "end it all", "suicidal",
	"suicide", "commit suicide", "no reason to live", "ending it all",
	"ending my life", "hurt myself", "harm myself", "take my own life",
	"want to die", "do not want to be here", "dont want to be here",
	"want to jump", "cut myself", "cutting myself", "ending it", "end it",
	"going to take them all", "going to take all of them", "take the whole packet",
}

// warnings are signs that a plan to end a life has been made ready,
// which say nothing of when and are as often said of something harmless
// ("i've written a suicide note", "said my goodbyes"; a goodbye at the
// airport too), or a last word ("i just wanted someone to know"): the bot
// asks, unless the message places them in the past.
var warnings = []string{
	"written my goodbye", "wrote my goodbye", "goodbye letters", "suicide note",
	"said my goodbyes", "saying my goodbyes", "wanted someone to know",
	"want someone to know", "goodbye letter",
}

// numb phrases are a body gone numb ("i cannot feel my legs": after a
// stabbing, or after three hours on a train): the bot asks, whatever
// led to it ("after he pushed me down the stairs"), and it is danger
// now with a word placing it now.
var numb = []string{
	"cannot feel my legs", "cannot feel my arms", "cannot feel his legs",
	"cannot feel her legs", "cannot feel his arms", "cannot feel her arms",
	"cannot move my legs", "cannot move his legs", "cannot move her legs",
}

// means are ways to end a life; said with thoughts of suicide they make
// it danger now ("i dont want to be here and ive got the rope ready").
var means = []string{
	"rope", "noose", "pills", "tablets", "bridge", "ledge", "tracks",
	"razor", "blade", "knife", "engine running", "car running", "bottle of",
	"jump", "overdose", "top of the", "multi storey", "roof", "cliff",
}

// present phrases describe danger as it happens (an attack under way,
// someone getting in, fire): danger now unless the message places them in
// the past or says they happen habitually.
var present = []string{
	// attacks under way
	"being attacked", "attacking me", "attacking her", "attacking him",
	"hitting me", "hitting her", "hitting him", "beating me",
	"beating her", "beating him", "beating up", "punching", "kicking me",
	"strangling", "choking", "hurting me", "hurting her", "mauling", "savaging",
	"hurting him", "fighting", "a fight", "grabbing", "attacking",
	"hitting my", "beating my", "hurting my", "kicking my", "punching my",
	"hitting mum", "hitting dad",
	"into people", "ramming", "driving at people", "on the ledge",
	"on the railings", "to the edge", "over the edge", "legs over",
	"edge of the platform", "into his car", "into their car", "into his van",
	"attacking my", "strangling my",
	"put him in", "put her in", "snatched", "on the ground", "dog attacking",
	"dogs attacking", "petrol bomb", "firebomb", "fire bomb", "molotov",
	"assaulting", "being assaulted", "being robbed", "robbing me", "mugging me",
	"being stabbed", "being beaten", "being hit", "being hurt",
	"being followed", "pressing something",
	"been slashed", "fight at", "fight in", "fight on",
	"armed robbery", "robbery happening", "trying the door",
	"trying the handle", "trying the window", "trying the skylight",
	"trying doors", "trying the doors", "on the roof", "in the loft",
	"have broken in", "have broken into", "has broken in", "has broken into",
	"something burning", "burning through",

	"being thrown", "thrown about", "thrown around", "being dragged",
	"fight outside", "massive fight", "big fight", "fight going on",
	"got a bottle", "with a bottle", "glassed", "badly hurt", "badly injured",
	"seriously hurt", "cut himself", "cut herself",
	"battering", "stamping on", "slashing", "kicking off", "dragging",
	"pinning him", "pinning her", "pinning me", "pinned him down",
	"pinned her down", "pinned me down", "slapping", "headbutting",
	"throttling",
	"bundled into", "forcing her", "forcing him",

	"barricaded myself", "barricaded ourselves", "barricaded in",
	"barricaded the door", "barricaded us", "barricaded me", "im hiding",
	"i am hiding", "we are hiding", "were hiding in", "hiding from him",
	"hiding from her", "hiding from them", "fire next door", "fire upstairs",
	"fire downstairs",
	"locked me in", "locked her in",
	"locked him in", "locked us in", "locked us all in", "locked them in",
	"locked them all in", "is hurt bad", "hes hurt bad", "shes hurt bad",
	"hurt really bad", "is hurt badly",
	"took my phone",
	// someone getting in
	"trying to get in", "trying to break in", "breaking in", "breaking into",
	"kicking the door", "kicking my door", "kicking down", "kicking in",
	"throwing knives", "throwing a knife",
	"smashing the door", "smashing my door", "climbing in", "climbing through",
	"climbing over", "climbing up", "in my loft", "in the attic", "in my attic",
	"someone moving", "someone downstairs", "someone upstairs",
	"someone in the house",
	"somebody in the house", "someones in", "stranger in my",
	"intruder", "someone is inside", "somebody is inside",
	"following me", "chasing me",
	"will not let her out", "will not let him out", "will not let me out",
	"wont let her out", "wont let him out", "wont let me out",
	// fire and gas
	"on fire", "set fire", "set on fire", "fire spreading", "its spreading",
	"is spreading", "spreading to", "fire is out of control",
	"fire out of control", "smoke coming",
	"smoke pouring", "house is burning",
	"is burning", "fire in", "smoke everywhere", "smell of gas", "gas leak",
	"flames", "smell gas", "gas smell", "smells of gas", "hissing", "fitting",
	// weapons used or shown
	"gunshot", "gunshots", "shots fired", "shooting", "stabbing", "stabbed",
	"been stabbed", "been shot", "has a gun", "has a knife", "with a knife",
	"with a gun", "got a knife", "got a gun", "holding a knife",
	"waving a knife", "pulled a knife", "with a machete", "has a machete",
	"with a bat", "with a baseball bat", "with a hammer", "with a crowbar",
	"threw acid", "acid attack", "gang with knives", "men with knives",
	"lads with knives", "boys with knives", "gang with machetes",
	"men with machetes", "lads with machetes",
	// other signs
	"screaming", "glass breaking", "smashing", "locked in", "kidnapped",
	"collapsing",
	"taken my child", "taken my son", "taken my daughter", "missing child",
	"child is missing", "spiked", "collapsed", "seizure", "having a fit",
	"head injury", "passed out", "carrying her",
	"carrying him", "into a car", "into a van", "into the car", "into the van",
}

// followed phrases say someone is being followed or watched, and has
// been for a while ("a car has been behind me since i left work"): the
// "since" that starts it does not make it past.
var followed = []string{
	"follow me since", "following me since", "followed me since",
	"following us since", "followed us since", "behind me since",
	"behind us since", "been following me", "been following us",
	"walking behind me",
	"same way as me", "stops when i stop", "stop when i stop",
	"watching my house", "watching the house", "watching our house",
	"watching the door", "watching my door", "waiting for me outside",
	"waiting outside my", "following me again", "following us again",
	"following me all the way", "followed me all the way", "following me home",
	"followed me home",
}

// pursuers are who may follow or watch someone: a stranger, a vehicle, an
// ex. "My mum is waiting for me outside" and "my family have been behind me
// since the assault" have none.
var pursuers = []string{
	"man", "men", "guy", "guys", "bloke", "blokes", "lad", "lads", "someone",
	"somebody", "stranger", "strangers", "car", "van", "gang", "group", "ex",
	"woman", "person", "motorbike", "moped", "boys", "people", "two men",
	"stalker", "stalkers", "husband", "boyfriend", "partner", "abuser",
	"dealer", "dealers", "youths", "teenagers", "exs", "boy", "girl",
}

// harmless words give following or waiting an everyday reason: social
// media ("following me on instagram"), a camera, a lift, a delivery, an
// animal.
var harmless = []string{
	"instagram", "insta", "facebook", "tiktok", "snapchat", "snap", "twitter",
	"online", "social media", "youtube", "account", "followers", "doorbell",
	"camera", "app", "to drop", "to pick", "pick me up", "pick up", "lift",
	"parcel", "deliver", "delivery", "to view", "inspection", "for the bus",
	"to open", "to return", "so i could", "to play", "puppy", "dog", "cat",
	"kitten",
}

// alarm words name an emergency without saying what it is ("its an
// emergency", "999"). People use them for urgent everyday things too
// ("emergency! someone dumped a sofa"), so they are danger now only with a
// word that places it now, and otherwise make the bot ask.
var alarm = []string{"emergency", "999"}

// alarmCalls speak of calling 999 rather than of an emergency ("do i call
// 999 or 101", "i rang 999 by mistake"): alarm words in them say nothing.
var alarmCalls = []string{
	"999 or 101", "101 or 999", "rang 999", "called 999", "phoned 999",
	"rung 999", "ring 999", "call 999", "999 call", "999 calls", "text 999",
	"999 by mistake", "999 by accident", "on hold", "road closure",
	"emergency services",
}

// intruders are who may be getting in ("someone in my garden").
var intruders = []string{"someone in my", "somebody in my", "someone in the", "somebody in the", "man in my", "men in my", "stranger in my", "someones in my", "someone is in my", "somebody is in my"}

// placesIn are where someone getting in is danger ("someone in my
// garden").
var placesIn = []string{"house", "garden", "flat", "home", "room", "loft", "attic", "shed", "kitchen", "bedroom", "hallway", "back garden"}

// habit phrases describe violence or threats without saying when ("he hits
// me", "she says she will kill me"): danger now if the message says now;
// otherwise possible, so the bot asks once whether it is happening now.
var habit = []string{
	"hits me", "hit me", "hits her", "hits him", "beats me", "beat me",
	"beats her", "hurts me", "punches me", "kicks me", "chokes me",
	"strangles me", "slaps me", "slapping me", "pushes me", "pushed me",
	"attacks me", "violent", "going to kill", "kill me", "kill you", "kill her",
	"kill him", "kill us", "going to hurt", "hurt me", "threatening to kill",
	"threatening to hurt", "threatening to stab", "threatening to shoot",
	"threatening to burn", "threatens to kill", "threatened to kill",
	"wants to kill", "will kill", "gonna kill", "going to stab",
	"threatening me", "threatening us", "threatens me", "not safe",
	"will cut me", "will cut you", "will cut her", "will cut him",
	"will cut us", "gonna cut me", "gonna cut you", "gonna cut her",
	"gonna cut him", "gonna cut us", "going to cut me", "going to cut you",
	"going to cut her", "going to cut him", "going to cut us", "cut your throat",
	"cut her throat", "cut his throat", "cut my throat", "will cut my face",
	"gonna cut my face", "going to cut my face",
	"scared for my life", "fear for my life", "afraid for my life",
	"knife", "gun", "machete", "weapon", "blade", "crowbar", "baseball bat",
	"with a hammer", "with an axe", "swinging a hammer", "waving a hammer",
	"got a hammer", "has a hammer", "swinging an axe", "waving an axe",
	"got an axe", "has an axe", "with a bat",
	"acid", "raped me", "raping", "touching me", "forcing me", "slashed",
	"being kept", "kept in a", "took my passport", "will not let me go",
	"wont let me go", "cannot leave", "throwing stones", "throwing bricks",
	"throwing bottles", "throwing stuff at", "throwing things at",
	"throwing rocks", "will not let me leave", "wont let me leave",
	"grabbed me", "attacked me", "grabbed my", "grabbed him", "grabbed her",
	"kicking", "something sharp", "being held", "holding us", "wont let us leave",
	"will not let us leave", "wont let us go", "will not let us go",
	"wont let us out", "will not let us out", "lock me in", "locks me in",
	"lock us in", "locks us in",
}

// needsNow phrases are danger only when the message says it is happening
// now ("he's outside my house now").
var needsNow = []string{
	"will not leave me", "wont leave me", "will not go away", "refusing to leave",
	"outside my house", "outside my door", "outside the house", "banging on",
	"outside our house", "outside our door",
	"shouting", "left alone", "home alone", "on his own", "on her own",
	"drunk and", "high and", "in my house", "in the house", "in my home",
	"in my garden", "in my flat", "at knifepoint", "knifepoint",
	"at gunpoint",
}

// childWho and childRisk together describe a child at risk ("my 5 year
// old ... cant find her"); childPlace makes it danger now ("little boy on
// his own by the dual carriageway").
var childWho = []string{
	"child", "children", "kid", "kids", "boy", "girl", "toddler", "baby",
	"son", "daughter", "year old", "years old", "yr old", "little one", "infant",
	"sons", "daughters", "childs", "babys", "toddlers", "nans", "grandads",
	// adults who cannot keep themselves safe
	"dementia", "alzheimers", "grandad", "granddad", "grandpa", "grandma",
	"granny", "nan", "nana", "elderly", "autistic", "learning disability",
	"learning disabilities", "learning difficulties", "learning difficulty",
	"special needs", "vulnerable",
}

// missing phrases say a person cannot be found: with someone who cannot
// keep themselves safe, a risk whenever it began.
var missing = []string{
	"cannot find", "cant find", "can not find", "missing", "not come home",
	"hasnt come home", "not home yet", "no one has seen", "nobody has seen",
	"wandered off", "walked out", "should have been home", "didnt come home",
	"did not come home", "never came home", "not come back", "didnt come back",
	"did not come back", "hasnt come back", "phone is off",
	"nobody knows where", "no one knows where", "nobody know where",
	"no one know where", "noone knows where", "slipped away", "ran off from",
	"run off from", "got lost", "dont know where he",
	"dont know where she", "do not know where he", "do not know where she",
	"didnt come out", "did not come out", "been gone since",
	"not in her bed", "not in his bed", "isnt in her bed", "isnt in his bed",
	"wasnt in her bed", "wasnt in his bed", "didnt get off the",
	"did not get off the", "never got off the", "never done this",
	"never do like this", "never gone off",
}

// unreachable phrases say someone did not arrive or cannot be reached:
// with someone who cannot keep themselves safe, missing, unless the
// message is about a thing or a service that did not come ("my child
// benefit never arrived", "childrens services are not answering").
var unreachable = []string{
	"never arrived", "not arrived", "hasnt arrived", "didnt arrive",
	"did not arrive", "isnt back", "is not back", "arent back", "not back",
	"never turned up", "not turned up", "hasnt turned up", "didnt turn up",
	"did not turn up", "not answering", "isnt answering", "aint answering",
	"not picking up", "not pick up", "wont pick up", "not answered",
	"phone off", "phone is dead", "phone switched off", "phone is switched off",
	"phones switched off", "phones off", "straight to voicemail",
}

// errands are things and services that may not arrive or answer: next to
// an unreachable phrase (two words before it, three after), it is the
// errand that did not come ("my child benefit never arrived", "not
// answering my texts"), not a person.
var errands = words(
	"benefit benefits pension credit parcel package delivery post letter " +
		"email emails texts text messages results xbox payment refund money " +
		"council services service teacher carer carers landlord police gp " +
		"doctor dentist appointment appointments order paper maintenance " +
		"application worker taxi engineer plumber contractor builder builders " +
		"office train bus uni exam exams passport books check")

// stops end the words an errand may be read from ("...went to her gp
// appointment and never arrived").
var stops = words("and but then so because")

// substances are what a small child may swallow, as words and phrases;
// swallowing verbs say they did (with a child, danger now unless the
// message places it before), taking verbs that they may have, as people
// take their own medicine. The substance must follow the verb within four
// words: "ate his dinner then played on his tablet" is not it.
var substances = []string{
	"bleach", "battery", "batteries", "detergent", "washing capsule",
	"washing capsules", "washing tablet", "washing tablets", "laundry pod",
	"laundry pods", "dishwasher tablet", "heart tablet", "medicine", "tablets", "pills",
	"paracetamol", "ibuprofen", "calpol", "methadone", "antifreeze", "poison",
	"rat poison", "nail polish remover", "white spirit", "e liquid",
	"cleaning fluid", "cleaning products", "cleaning spray", "magnets",
	"magnet", "weed", "drugs",
}

var swallowing = words("swallowed ate eaten drank drunk chewed")

var taking = words("took taken eat")

// words makes a set of space-separated words.
func words(s string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(s) {
		set[w] = true
	}
	return set
}

// substanceWords are the substances as words.
var substanceWords = phraseWords(substances)

// swallowedIn reports whether the words ws have a verb of verbs followed,
// within four words, by a substance; medicinal says whether drugs taken
// for fun (weed, drugs) count.
func swallowedIn(ws []string, verbs map[string]bool, medicinal bool) bool {
	for i, w := range ws {
		if !verbs[w] {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4; j++ {
			for _, p := range substanceWords {
				if medicinal && (p[0] == "weed" || p[0] == "drugs") {
					continue
				}
				if wordsAt(ws, j, p) {
					return true
				}
			}
		}
	}
	return false
}

// unreachableWords are the unreachable phrases as words.
var unreachableWords = phraseWords(unreachable)

// unreachableIn reports whether the words ws have an unreachable phrase
// with no errand next to it.
func unreachableIn(ws []string) bool {
	for i, p := range phrasesIn(ws, unreachableWords) {
		errand := false
		for j := i - 1; j >= 0 && j >= i-2 && !stops[ws[j]]; j-- {
			errand = errand || errands[ws[j]]
		}
		for j := i + len(p); j < len(ws) && j < i+len(p)+3 && !stops[ws[j]]; j++ {
			errand = errand || errands[ws[j]]
		}
		if !errand {
			return true
		}
	}
	return false
}

// phrasesIn yields where in the words ws each of phrases stands, and the
// phrase, in word order.
func phrasesIn(ws []string, phrases [][]string) iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		for i := range ws {
			for _, p := range phrases {
				if wordsAt(ws, i, p) && !yield(i, p) {
					return
				}
			}
		}
	}
}

// immediateWords are the immediate phrases as words.
var immediateWords = phraseWords(immediate)

// bodyNow reports whether the words ws tell a body in danger in the
// present tense: an auxiliary of the present at most three words before
// an immediate phrase, with no word of the past between ("he is not
// breathing", "she is still bleeding"). Then the past in the message is
// what led to it ("after a fight", "my drink was spiked"), not the
// danger itself.
func bodyNow(ws []string) bool {
	for i := range phrasesIn(ws, immediateWords) {
		for j := i - 1; j >= 0 && j >= i-3 && !pastAux[ws[j]]; j-- {
			if presentAux[ws[j]] {
				return true
			}
		}
	}
	return false
}

// pastAux end bodyNow's look back: "he was not breathing".
var pastAux = words("was were had been did")

// presentWords are the present phrases that start with a verb in -ing
// ("trying to get in", "smashing"), and presentAuxWords those with an
// auxiliary of the present as their first or second word ("i am
// hiding"), as words.
var presentWords, presentAuxWords = func() (ing []([]string), aux []nowPhrase) {
	for _, p := range phraseWords(present) {
		switch {
		case strings.HasSuffix(p[0], "ing"):
			ing = append(ing, p)
		case presentAux[p[0]]:
			aux = append(aux, nowPhrase{p, 0})
		case len(p) > 1 && presentAux[p[1]]:
			aux = append(aux, nowPhrase{p, 1})
		}
	}
	return ing, aux
}()

// hasPresentAux is a cheap test that the normalised text n has one of
// presentAux, before progressive splits it into words.
func hasPresentAux(n string) bool { return hasWordIn(n, presentAux) }

// presentAux are the words that make the verb after them happen now
// (normalise spells out "hes" and "im"): "he is trying to get in", "they
// are smashing", "i am hiding".
var presentAux = words("is are am")

// presentFiller may stand between the auxiliary and the verb: "he is
// still trying", "they are now smashing".
var presentFiller = words("still now just actually literally all really currently")

// violentToPerson reports whether the words ws tell violence done to a
// person in the present tense: an auxiliary of the present, then a
// violent verb in -ing, then a person ("he is hitting the kids", "my
// partner is beating our child").
func violentToPerson(ws []string) bool {
	for i, w := range ws {
		if !presentAux[w] {
			continue
		}
		if j := verbAfter(ws, i); j < len(ws) && violentIng[ws[j]] && personAt(ws, j+1) {
			return true
		}
	}
	return false
}

// violentIng are violent verbs in -ing.
var violentIng = words("hitting beating punching kicking strangling choking slapping battering hurting attacking bashing stabbing")

// harmDone are the participles of an attack: "is being [sexually]
// assaulted" is an attack under way.
var harmDone = words("assaulted attacked beaten stabbed raped hit hurt robbed mugged kicked punched strangled choked dragged kidnapped abducted shot battered glassed slashed bitten chased touched groped")

// verbAfter is the index of the verb after the auxiliary ws[i], past at
// most two fillers ("he is still hitting"), or len(ws).
func verbAfter(ws []string, i int) int {
	j := i + 1
	for j < len(ws) && j <= i+2 && presentFiller[ws[j]] {
		j++
	}
	return j
}

// progressive reports whether the words ws say an attack is going on as
// they are written: an auxiliary of the present, then a present phrase
// in -ing ("he is trying to get in") or "being" and the participle of an
// attack ("she is being sexually assaulted"). The grammar places it now
// whatever the rest of the message says of the past ("we split up last
// year, he is trying to get in"); "were" is not among the auxiliaries
// ("they were fighting" may be long over).
func progressive(ws []string) bool {
	for i, w := range ws {
		if !presentAux[w] {
			continue
		}
		for _, p := range presentAuxWords {
			if wordsAt(ws, i-p.at, p.words) {
				return true
			}
		}
		j := verbAfter(ws, i)
		if j >= len(ws) {
			continue
		}
		if ws[j] == "being" {
			for k := j + 1; k < len(ws) && k <= j+3; k++ {
				if harmDone[ws[k]] {
					return true
				}
			}
			continue
		}
		for _, p := range presentWords {
			if wordsAt(ws, j, p) {
				return true
			}
		}
	}
	return false
}

var childRisk = []string{
	"on his own", "on her own", "alone", "wandering", "cannot find",
	"cant find", "can not find", "missing", "lost", "fell",
	"should have been home", "not come home", "hasnt come home",
	"not home yet", "no one has seen", "none of his", "none of her",
	// with someone who may harm them
	"man she met online", "man he met online", "men she met online",
	"guy she met online", "guy he met online", "with a stranger",
	"strangers car", "off with a man", "off with an older man",
	"off with some men",
}

var childPlace = []string{
	"carriageway", "main road", "motorway", "in the road", "hot car",
	"near the river", "near the canal", "in the water", "on the road",
	"by the road",
}

// thereIs phrases say who is there, in the present tense ("there is a
// man outside with a gun"): with a danger phrase and no word of the past,
// or of "if", it is now, whatever else the message says ("I saw it").
var thereIs = []string{
	"there is a man", "there is a guy", "there is a woman", "there is someone",
	"there is somebody", "there are men", "there are people", "there are some",
	"there is a group", "there is a gang",
}

// pastMarkers place an event in the past.
var pastMarkers = []string{
	"yesterday", "last night", "last week", "last month", "last year",
	"last weekend", "last time", "ago", "earlier", "the other day",
	"in the past", "used to", "previously", "back in", "this morning",
	"is over now", "its over now", "are over now", "its all over",
	"have all gone", "theyve all gone", "they have all gone",
	"few days", "few weeks", "after the",
	"after being", "after a", "after seeing", "after my", "after he",
	"after she", "on monday", "on tuesday", "on wednesday", "on thursday",
	"on friday", "on saturday", "on sunday", "was stabbed", "got stabbed",
	"were stabbed", "was attacked", "got attacked", "was robbed",
	"got robbed", "was mugged", "got mugged", "was assaulted", "was burgled",
	"got burgled", "knife crime", "knifepoint", "was spiked", "got spiked",
	"was raped", "got raped", "was hit", "got hit", "got beaten",
	"was beaten", "when i was", "as a child", "as a kid", "i know who", "i know whos", "know whos",
	"know who did", "reported it", "i reported", "we reported",
	"police are dealing", "crime number", "court case",
	// passive past: what was done to someone
	"was snatched", "got snatched", "was pushed", "got pushed", "was punched",
	"got punched", "was kicked", "got kicked", "was grabbed", "got grabbed",
	"was threatened", "got threatened", "was followed", "was broken into",
	"got broken into", "were broken into", "was smashed", "got smashed",
	"was set on fire", "were set on fire", "got set on fire", "survived", "complaints about", "second complaint",
	"third complaint", "fourth complaint", "fifth complaint", "fight is over",
	"fights over", "fight has finished", "fight is finished", "house broken in",
	"find house broken", "been burgled", "been broken into", "door forced",
	"reported being", "in january", "in february", "in march",
	"in april", "in june", "in july", "in august", "in september",
	"in october", "in november", "in december", "last spring",
	"last summer", "last autumn", "last winter",
	// reported before, again and again
	"reports about", "reports of", "reported this", "reported them",
	"reported him", "reported her", "reported the", "my reports",
	"all my reports",
}

// sinceMarkers start a time that lasts until now ("since i left work"):
// past for most rules ("i have been scared since the attack"), but not for
// someone still being followed.
var sinceMarkers = []string{"ever since", "since the", "since i", "since my", "since he", "since she", "since they", "since we"}

// longHabit phrases say something has gone on for days or more, or
// happens again and again: a person followed like this is being stalked,
// not in danger this minute.
var longHabit = []string{
	"every weekend", "every night", "every day", "every week", "every evening",
	"every morning", "all the time", "always", "constantly", "regularly",
	"often", "for months", "for weeks", "for years", "weeks", "months",
	"years", "most evenings", "most nights", "most days", "most weekends",
	"sometimes", "again and again",
}

// habitMarkers say something happens again and again, or has gone on for a
// long time: not necessarily now, not safely past.
var habitMarkers = slices.Concat(longHabit, []string{
	"has been going on", "keeps going missing", "goes missing", "go missing",
	"keeps", "keep", "when he drinks", "when she drinks", "when he is drunk",
	"when hes drunk", "when he gets", "when she gets", "has been", "have been",
	"every time", "over and over", "most of the time", "all night", "all time",
	"second time", "third time", "fourth time", "fifth time",
	"2 times", "3 times", "4 times", "5 times", "two times", "three times",
	"four times", "five times", "several times", "many times", "few times",
	// told by someone else: not seen happening now
	"told me that", "told me she", "told me he", "told me they", "told her that",
	"told her she", "told her he", "told us that", "told me his", "told me her",
	"told us he", "told us she", "told us his", "told us her", "told us they",
})

// nowMarkers say an event is still happening.
var nowMarkers = []string{
	"minutes ago", "mins ago", "min ago", "seconds ago", "just now",
	"just happened", "right now", "currently", "at the moment", "tonight", "still there",
	"still here", "still outside", "still in the", "still inside",
	"is coming", "are coming", "coming to get", "coming for", "coming back to",
	"on his way", "on her way", "on their way", "as we speak", "as i type",
	"hurry", "quick", "rn", "just been", "has just", "have just",
	"just hit", "just saw", "just smashed", "just broke", "just now", "again now",
	// a crime of seconds ago
	"just robbed", "just mugged", "just stabbed", "just attacked",
	"just assaulted", "just punched", "just kicked", "just grabbed",
	"just snatched", "just stole", "just nicked", "just threatened",
	"just shot", "just jumped", "just glassed", "just chased", "just beat",
	"just beaten", "still running",
	"still chasing",
	"in an hour", "any minute", "when he gets home", "when she gets home",
	"when they get here", "an hour ago", "half an hour ago",
	// still where the danger is
	"still behind", "still following", "still near", "still nearby",
	"still around", "still watching", "still waiting", "still sat",
	"still going on", "still in there", "still in the house", "still got the",
	"still has the", "happening again", "lying there", "lying on the floor",
	"still sitting", "still standing",
}

// weakNow is "now", which says an event goes on unless it only says what
// followed ("... two weeks ago and now im scared").
var weakNow = []string{"now"}

// consequence phrases use "now" for what followed an event, for what the
// person wants next or for how things are once it is over. Each holds the
// word "now", and cancels only its own: "i am out of hospital now and i
// want to kill myself now" still says now.
var consequence = []string{
	"now i am", "now i", "now my", "now our", "for months now",
	"for weeks now", "for years now", "out now",
	"gone now", "over now", "safe now", "fine now", "ok now", "okay now",
	"left now", "calm now", "stopped now", "all good now", "now gone",
	"a year now", "year now", "years now", "months now", "weeks now",
	"while now", "home now", "own now", "now wont", "now cant", "now dont",
	"now doesnt", "now shes scared", "now hes scared", "what can i do now",
	"what do i do now", "what now",
	// "now" of what the person wants next, not of what happened
	"report it now", "report this now", "report them now", "report him now",
	"report her now", "report now", "happens now", "counselling now",
	"support now", "for me now", "with me now", "talk now", "advice now",
	// "now" of where things stand once it is over
	"better now", "calmed down now", "all calm now", "quiet now",
	"at work now", "asleep now", "in bed now", "out of hospital now",
	"home from hospital now", "in prison now", "in jail now",
	"at school now", "scared to go out now", "scared to go outside now",
	"frightened to go out now", "mums now", "sisters now", "friends now",
	"parents now", "brothers now", "nans now", "now she wants", "now he wants",
	"now they want", "now we want", "out of prison now", "out of jail now",
	"released now", "live now", "living now", "lives now", "separated now",
	"now hes started", "now shes started", "now the same feelings",
	"now the same thoughts", "now the feelings",
	"now those feelings", "now the thoughts", "clean now", "sober now",
	"in recovery now", "in therapy now", "in rehab now", "in treatment now",
	"in counselling now", "shell now", "burnt out now", "burned out now",
	"now he says", "now she says", "now they say", "now they are saying",
	"now seeing", "now under the", "now in therapy", "now getting help",
	"now on medication", "back now", "finished now",
}

// settled phrases say a message's events are over or long-running
// ("since then", "it calmed down"): with one, a bare "now" anywhere in it
// is not taken as danger now.
var settled = []string{
	"since then", "going on for", "its out", "calmed down", "all calm",
	"using again", "drinking again", "i escaped", "escaped from",
	"got away from",
	"they have gone", "theyve gone", "everyones gone", "all gone",
}

// presence phrases say someone is somewhere now, in the present tense
// ("he is outside", "they are at the door"): with a weapon or an attack
// beside them, that is now whatever the message says of the past ("he is
// outside with a knife, he got out of prison last month").
var presence = []string{
	"is outside", "are outside", "is at my door", "is at the door",
	"are at the door", "are at my door", "is at my window", "is in my house",
	"is in the house", "is in my flat", "is in the flat", "is downstairs",
	"is upstairs", "is in my garden", "is in the garden", "is waiting outside",
	"are waiting outside", "is here with", "are here with", "is outside my",
	"are outside my", "is banging on", "is at the window",
}

// nowHere are phrases that place things this minute whatever else the
// message says of the future, padded.
var nowHere = padded([]string{"right now", "tonight", "as we speak", "at the moment", "still outside", "still there", "still here", "just"})

// later phrases place what the message fears in the future ("he gets out
// of prison next month"): a "now" beside them is not this minute, unless
// a phrase says so ("right now", "tonight"), so the rules ask.
var later = []string{
	"next week", "next month", "next year", "next weekend", "in a few weeks",
	"in a few months", "out of prison next", "out of prison soon",
	"gets out of prison", "released from prison", "being released",
	"coming out of prison", "due out",
}

// fears speak of danger that may come one day ("im scared she will
// overdose one day"): a body in danger told so asks.
var fears = []string{
	"one day", "scared she will", "scared he will", "scared shell",
	"scared hell", "worried she will", "worried he will", "worried shell",
	"worried hell", "afraid she will", "afraid he will",
}

// discovered phrases tell of coming upon what happened ("got home and
// found the back door forced"): it may be over or going on ("woke up to
// find the house on fire"), so the rules read it as they find it, and the
// model's danger only asks.
var discovered = []string{
	"got home and found", "came home to find", "came back to find",
	"returned to find", "woke up to find", "got back and found",
	"came home and found", "found out", "come back and find",
	"came back and found", "come home and find",
}

// reassured phrases say the person the message is about is safe where they
// are ("he is at his dads", "she went to school"): the model's danger only
// asks.
var reassured = []string{
	"is safe", "safe at home", "hes at his", "shes at her", "he is at his",
	"she is at her", "went to school", "is fine", "gp says", "sleeps with me",
	"not missing", "at football", "at training", "at work", "found her safe",
	"found him safe", "found them safe", "found her and shes", "found him and hes",
	"is home safe", "got home safe", "came back this morning", "came home safe",
	"back home safe", "is back home",
}

// hypothetical phrases ask about danger rather than report it.
var hypothetical = []string{
	"what should i do if", "what do i do if", "what to do if", "what if", "if someone",
	"if somebody", "if i saw", "if i see", "who would i tell",
	"what happens if", "how do i report", "how can i report",
	"should i report", "is it a crime", "awareness", "talk at school",
	"i saw", "saw a", "witnessed", "what happens when",
	"what counts as", "or 999", "for a non emergency", "when should i call",
	"should i call", "would i be allowed", "where can i", "how do i",
	"who do i", "who can i", "what number", "phone number", "number for",
	"talks about", "talking about", "talked about", "going on about",
	"posts about", "posting about", "one day", "difference between",
	"just asking", "is 999 only", "only for emergencies", "how do the police",
	"how do police", "can i report", "should i still report", "can i still report",
	"talk of",
}

// shortDanger words in a message of at most three words ("fire", "knife!!",
// "help") make danger possible: the bot asks whether it is happening now.
var shortDanger = []string{
	"fire", "knife", "gun", "help", "stabbed", "attack", "attacked",
	"ambulance", "burglar", "burglars", "intruder", "rape", "emergency",
	"999", "hepl", "hlep", "halp", "hellp", "helpp", "heelp",
	"raped", "shot", "bleeding", "danger", "hurt", "police",
}

// urgentHelp phrases are cries for help: possible danger with "please" or
// an exclamation mark, danger now with "now", "quick" or "hurry".
var urgentHelp = []string{
	"help me", "help us", "please help", "somebody help", "someone help",
	"need help now", "help help", "need the police", "call the police",
	"make him stop", "make her stop", "make them stop", "make it stop",
	"send the police", "send police", "call an ambulance", "need an ambulance",
}

// urgency words make a cry for help possible danger; strongUrgency words
// make it danger now.
var urgency = []string{"please", "pls", "plz", "urgent"}

var strongUrgency = []string{"now", "quick", "quickly", "asap", "hurry", "right now"}

// partialDenial reports whether the message denies danger in one clause
// only: a denial, then "but" and something else ("im safe right now but he
// has a knife"), in a message that is not about something going on and on.
func (lx *lexicon) partialDenial(n string, m *matches) bool {
	return m.any[listNegation] && !m.any[listHabitMarker] && lx.butAfterDenial(n)
}

// butAfterDenial reports whether the normalised text n has a "but" after
// its first denial ("no one is hurt but he is kicking the door in").
func (lx *lexicon) butAfterDenial(n string) bool {
	p := " " + n + " "
	first := -1
	for _, neg := range lx.denials {
		if i := strings.Index(p, neg); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		return false
	}
	i := strings.Index(p[first:], " but ")
	if i < 0 {
		return false
	}
	// "not in danger but i want advice": a request, not a danger.
	after := strings.Fields(p[first+i+5:])
	return len(after) > 0 && !requests[after[0]] && !(len(after) > 1 && after[0] == "i" && requests[after[1]])
}

// requests start a clause that asks for something.
var requests = words("want need would like how where who what can could please wanna")

// withoutNegations is the normalised text n with its negations and idioms
// taken out.
func (lx *lexicon) withoutNegations(n string) string {
	return without(n, lx.removed)
}

// denialTimes are times a denial may end with, taken out with it: "not in
// danger tonight" says no more of tonight than that. Only "tonight": "i'm
// not in danger at the moment but a man is attacking a woman outside" says
// the attack is now.
var denialTimes = []string{"tonight"}

// padded are phrases as they stand in normalised text, with a space
// either side, for without.
func padded(phrases []string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = " " + strings.TrimSpace(normalise(p)) + " "
	}
	return out
}

// without is the normalised text n with every padded phrase taken out.
func without(n string, phrases []string) string {
	n = " " + n + " "
	for _, p := range phrases {
		for strings.Contains(n, p) {
			n = strings.ReplaceAll(n, p, " ")
		}
	}
	return strings.TrimSpace(n)
}

// everyday are phrases of danger now that are as often said of everyday
// things: "screaming" (a baby teething), "fighting" (over the remote, a
// case in court), "kicking off" (about homework), "on fire" (a shop's
// sales), "snatched" (a bag at the market, long gone). Danger that rests
// on them alone may be doubted by the model.
var everyday = []string{
	"screaming", "fighting", "a fight", "kicking off", "smashing", "spiked",
	"grabbing", "dragging", "on fire", "hissing", "fitting", "on the roof",
	"in the loft", "in the attic", "someone moving", "flames", "is burning",
	"thrown about", "thrown around", "on the ground", "punching", "shooting",
	"collapsing", "snatched",
}

// everydayWords are the everyday phrases, padded.
var everydayWords = padded(everyday)

// doubted reports whether the model's doubt turns the rules' "now" in
// the English message n (raw the cleaned original, m its matches) into a
// question: the model gives danger less than line, and the message also
// speaks of the past ("was assaulted last month and now she wont go out"),
// its danger rests on words with an everyday sense alone ("the boss is
// screaming at them") or on a bare "now" alone ("now they make me work,
// i cannot leave"). The model has learnt from every kind of message
// the rules were written for and from their look-alikes; still, a present
// "they locked us in" stays danger now however sure the model is that it
// reads like exploitation, thoughts of suicide are never doubted, and a
// body in danger (not breathing, unconscious) only when told in the past
// with nothing but a bare "now". Between doubtUnderWayProb and the line
// the doubt is weaker: an attack under way ("he hit me last week and now
// he is strangling me", "now hes at the door") or an everyday word done
// to a person ("snatched my son") stays danger now. The bot then asks,
// leading with 999, rather than tell a stranger to call it.
func (lx *lexicon) doubted(n, raw string, m *matches, pNow, line float64, past bool) bool {
	if pNow >= line || m.any[listIdeation] {
		return false
	}
	if pNow >= doubtUnderWayProb && (lx.underWay(n, raw) || everydayToPerson(n)) {
		// Closer to the line, an attack under way or an everyday word
		// done to a person ("snatched my son") stays danger now.
		return false
	}
	if m.any[listImmediate] {
		// A body in danger only when the message places it in the past
		// and its "now" is a bare one: "my brother overdosed at
		// christmas, survived, now wants to get clean".
		return past && lx.bareNowOnly(n, raw, m)
	}
	return past || lx.everydayOnly(n, raw, m) || lx.bareNowOnly(n, raw, m)
}

// bareNowOnly reports whether the rules' danger in the normalised text n
// (raw the cleaned original, m its matches) rests on a bare "now" alone:
// no phrase that places things now ("right now", "just now", "tonight",
// minutes), and without the word the rules would not say "now". A bare
// "now" is as often "these days" ("now they make him work in a car wash,
// he cant leave") or what followed ("i gave my password and now my
// account is ordering things, please help") as this minute.
func (lx *lexicon) bareNowOnly(n, raw string, m *matches) bool {
	return m.any[listWeakNow] && !m.any[listNow] && !lx.nowWithout(n, raw, bareNow)
}

// nowWithout reports whether the rules still say "now" of the normalised
// text n (raw the cleaned original) with the padded phrases taken out.
func (lx *lexicon) nowWithout(n, raw string, phrases []string) bool {
	rest := without(n, phrases)
	return danger(lx, rest, raw, lx.match(rest)) == DangerNow
}

// hasPhrase reports whether the normalised text n has one of the padded
// phrases.
func hasPhrase(n string, phrases []string) bool {
	p := " " + n + " "
	for _, ph := range phrases {
		if strings.Contains(p, ph) {
			return true
		}
	}
	return false
}

// hedged reports whether every "emergency" in the normalised text n is
// in a hedge ("not sure if its an emergency but ..."): a hedge is not an
// alarm, and says nothing of the rest of the message.
func hedged(n string) bool {
	rest := without(n, hedges)
	return !strings.Contains(rest, "emergency") && !strings.Contains(rest, "999")
}

// hedges are ways of doubting that a message is an emergency, padded.
var hedges = padded([]string{
	"if its an emergency", "if it is an emergency", "if this is an emergency",
	"if thats an emergency", "if this counts as an emergency",
	"if its an emergency or not", "whether its an emergency",
	"is it an emergency", "is this an emergency", "is that an emergency",
	"count as an emergency", "counts as an emergency", "classed as an emergency",
})

// deniedIdeation are thoughts of suicide denied, padded: the rules read
// the message without them ("i am not going to kill myself but i feel
// like i am drowning at the moment"). Only the thought is set aside, not
// the rest of the message, and the model is not silenced, as a denial of
// danger would silence it: "i will not kill myself, i have already taken
// 40 paracetamol" and "i am not going to kill myself, he is outside with a
// knife" are danger now.
var deniedIdeation = padded([]string{
	"i am not going to kill myself", "i will not kill myself",
	"not going to kill myself", "i would never kill myself",
})

// bareNow is the word "now", and butWord "but", padded.
var bareNow, butWord = padded([]string{"now"}), padded([]string{"but"})

// everydayOnly reports whether the rules' danger in the normalised text
// n (raw the cleaned original, m its matches) rests on everyday phrases
// alone: without them, the rules would not say "now".
func (lx *lexicon) everydayOnly(n, raw string, m *matches) bool {
	return m.any[listEveryday] && !lx.nowWithout(n, raw, everydayWords)
}

// withoutEveryday is the normalised text n without its everyday phrases,
// but for those done to a person: "snatched my bag" is everyday, "snatched
// my son" an abduction; "punching the wall" is anger, "punching her" an
// attack.
func withoutEveryday(n string) string {
	ws := strings.Fields(n)
	out := make([]string, 0, len(ws))
	for i := 0; i < len(ws); {
		if k := everydayAt(ws, i); k > 0 && !personAt(ws, i+k) {
			i += k
			continue
		}
		out = append(out, ws[i])
		i++
	}
	return strings.Join(out, " ")
}

// everydayToPerson reports whether the normalised text n has an everyday
// phrase done to a person ("snatched my son", "punching her").
func everydayToPerson(n string) bool {
	ws := strings.Fields(n)
	for i := range ws {
		if k := everydayAt(ws, i); k > 0 && personAt(ws, i+k) {
			return true
		}
	}
	return false
}

// everydayAt is the length in words of the everyday phrase that starts at
// ws[i], or 0.
func everydayAt(ws []string, i int) int {
	for _, p := range everydayPhraseWords {
		if wordsAt(ws, i, p) {
			return len(p)
		}
	}
	return 0
}

// everydayPhraseWords are the everyday phrases as words.
var everydayPhraseWords = phraseWords(everyday)

// personAt reports whether ws[i] starts a person: "me", "him", "someone",
// "my son", "a woman", or "her" at the end of a clause ("grabbing her",
// not "snatched her bag").
func personAt(ws []string, i int) bool {
	if i >= len(ws) {
		return false
	}
	w := ws[i]
	switch {
	case personWords[w]:
		return true
	case w == "her":
		return i+1 == len(ws) || figurative[ws[i+1]] || stops[ws[i+1]] || presentFiller[ws[i+1]] || clauseEnds[ws[i+1]]
	case personDeterminers[w]:
		return i+1 < len(ws) && personNouns[ws[i+1]]
	}
	return false
}

// The words personAt reads.
var (
	personWords       = words("me him them us someone somebody people")
	personDeterminers = words("my a an the his her our their your this that")
	personNouns       = words("child children kid kids boy boys girl girls toddler baby son sons daughter daughters " +
		"wife husband partner mum mom mother dad father brother sister friend woman women man men lady " +
		"nan grandad grandma girlfriend boyfriend neighbour neighbours student pupil teenager " +
		"niece nephew cousin grandson granddaughter stepson stepdaughter twins")
	clauseEnds = words("in into to from around about over down again i he she they we")
)

// danger applies the danger rules to the normalised text n (raw is the
// cleaned original, for punctuation) and says how close danger is. It is
// tuned for recall with two tiers: "now" only when the message says danger
// is happening now, "check" when it is possible but the message does not
// say when.
func danger(lx *lexicon, n, raw string, m *matches) Danger {
	d, _ := dangerUnderWay(lx, n, raw, m)
	return d
}

// underWay reports whether the normalised text n (raw the cleaned
// original) tells an attack under way, in words that are not everyday
// ones: in the present tense ("he is hitting me now", "he keeps hitting
// me, he is hitting me now"), or someone there now with a weapon or
// violence ("my ex is outside with a knife"). The model's doubt never
// questions such a "now"; "the boss is screaming at them" it may.
func (lx *lexicon) underWay(n, raw string) bool {
	rest := withoutEveryday(n)
	_, u := dangerUnderWay(lx, rest, raw, lx.match(rest))
	return u
}

// dangerUnderWay is danger, and whether the message tells an attack under
// way (see underWay).
func dangerUnderWay(lx *lexicon, n, raw string, m *matches) (Danger, bool) {
	negated := m.any[listNegation]
	partly := lx.partialDenial(n, m)
	if negated || m.any[listIdiom] {
		n = lx.withoutNegations(n)
		m = lx.match(n)
	}
	if m.any[listIdeation] {
		if rest := without(n, deniedIdeation); len(rest) < len(n) {
			n, m = rest, lx.match(rest)
		}
	}
	gone, saysNow := timePassed(n, m), nowIn(n, m)
	pastTime := gone || m.any[listSince]
	// A bare "now" in a message about something that goes on and on
	// ("they watch him all the time, now he cant leave") may mean "these
	// days"; a phrase that places it now ("right now", "tonight", a time
	// in minutes) may not.
	strongNow := m.any[listNow] || recent(n) || nowDoing(n)
	habitual := m.any[listHabitMarker]
	if m.any[listThereIs] && !pastTime && !habitual && !strings.Contains(n, " if ") {
		saysNow = true
	}
	placedNow := strongNow || saysNow && !habitual
	if m.any[listImmediate] {
		// A body in danger is danger now, unless the message says it was
		// before ("last week i nearly took an overdose") or happens at
		// times ("i cant breathe sometimes"): then the bot asks.
		if (pastTime || habitual || m.any[listFear]) && !saysNow && !bodyNow(strings.Fields(n)) {
			return DangerCheck, false
		}
		return DangerNow, false
	}
	hypo := m.any[listHypothetical]
	quiet := pastTime || habitual || hypo
	tier := DangerNone
	raise := func(d Danger) {
		if d == DangerNow || tier == DangerNone {
			tier = d
		}
	}
	if m.any[listUrgentHelp] {
		switch {
		case m.any[listStrongUrgency] || saysNow:
			raise(DangerNow)
		case m.any[listUrgency] || strings.Contains(raw, "!") || strings.Count(n, " help ") > 1:
			raise(DangerCheck)
		}
	}
	switch {
	case m.any[listIdeation] && (saysNow || m.any[listMeans]) && !pastTime:
		raise(DangerNow)
	case m.any[listPresent] && placedNow:
		raise(DangerNow)
	case m.any[listPresent] && !quiet:
		raise(DangerNow)
	case m.any[listPresent] && habitual && !pastTime && !hypo:
		raise(DangerCheck)
	}
	switch {
	case m.any[listNumb] && placedNow, m.any[listWarning] && m.any[listMeans] && !pastTime && !hypo:
		// "i cannot feel my legs right now"; "i've written a suicide
		// note and i have the pills here": a plan and its means.
		raise(DangerNow)
	case m.any[listNumb] && !hypo, m.any[listWarning] && !pastTime && !hypo:
		raise(DangerCheck)
	}
	// An attack told in the present tense is now whatever the message
	// says of the past; with a habit ("he keeps banging on the door, i am
	// hiding") only if the message also says now ("he keeps hitting me,
	// he is hitting me now").
	heldNow := !habitual || strongNow || saysNow
	attackNow := false
	if (m.any[listPresent] || strings.Contains(n, "being ")) && !hypo && hasPresentAux(n) && progressive(strings.Fields(n)) {
		// "he was violent in the past, now he is trying to get in": the
		// past is the story, the attack is now.
		attackNow = true
		if heldNow {
			raise(DangerNow)
		} else {
			raise(DangerCheck)
		}
	}
	if !hypo && hasWordIn(n, violentIng) && violentToPerson(strings.Fields(n)) {
		// "my partner is beating our child", "he is hitting the kids":
		// without a word placing it now it may be "is beating me at
		// fifa" or "is hitting me up", so the bot asks.
		if strongNow {
			raise(DangerNow)
		} else {
			raise(DangerCheck)
		}
	}
	switch {
	case !m.any[listPresence] || hypo:
	case m.any[listPresent] && heldNow:
		// Someone there now with a weapon shown or an attack: "my ex
		// who hit me last year is outside with a knife".
		raise(DangerNow)
		attackNow = true
	case m.any[listPresent] || m.any[listHabit]:
		// There now, with violence told without a time or a habit ("my
		// ex is outside my house, he beat me up last year"): ask.
		raise(DangerCheck)
	}
	switch {
	case m.any[listHabit] && placedNow:
		raise(DangerNow)
	case m.any[listHabit] && !pastTime && !hypo:
		raise(DangerCheck)
	}
	if m.any[listNeedsNow] && placedNow {
		raise(DangerNow)
	}
	if justAttacked(n) && !hypo && (!timeGone(n) || strongNow) {
		raise(DangerNow)
	}
	switch {
	case !m.any[listFollowed] || !m.any[listPursuer] || m.any[listHarmless] || hypo:
	case saysNow || !gone && !m.any[listLongHabit]:
		raise(DangerNow)
	default:
		raise(DangerCheck)
	}
	if m.any[listIntruder] && m.any[listPlaceIn] && !quiet {
		raise(DangerNow)
	}
	var missingNow, swallowed, took bool
	if m.any[listChildWho] {
		ws := strings.Fields(n)
		missingNow = (m.any[listMissing] || m.any[listUnreachable] && unreachableIn(ws)) && !m.any[listReassured]
		swallowed = swallowedIn(ws, swallowing, false)
		took = swallowedIn(ws, taking, true)
	}
	if m.any[listChildWho] && (m.any[listChildRisk] || missingNow || swallowed || took) {
		switch {
		case saysNow || ((m.any[listChildPlace] || swallowed) && !quiet):
			raise(DangerNow)
		case !pastTime && !hypo, (missingNow || swallowed) && !hypo:
			// Missing goes on until the person is found: "went out two
			// hours ago and we cant find him" is missing now. What a
			// child swallowed this morning may still harm them.
			raise(DangerCheck)
		}
	}
	switch {
	case !m.any[listAlarm] || pastTime || hypo || hedged(n):
	case saysNow || tier == DangerCheck && !m.any[listLongHabit]:
		// "emergency" with another sign of danger ("emergency my
		// daughter is missing") is danger now.
		raise(DangerNow)
	case m.any[listAlarmCall]:
		// Talk of calling 999, with nothing else: nothing.
	default:
		raise(DangerCheck)
	}
	if m.words <= 3 && m.any[listShortDanger] {
		if m.any[listStrongUrgency] || saysNow {
			raise(DangerNow)
		} else {
			raise(DangerCheck)
		}
	}
	if tier == DangerNow && m.any[listLater] && !attackNow && !recent(n) && !hasPhrase(n, nowHere) {
		// "the man who beat me up is coming out of prison next month":
		// "is coming" is next month, not now; "right now" would be now.
		tier = DangerCheck
	}
	if negated && !saysNow {
		sameBreath := !m.any[listHabitMarker] && !hasPhrase(n, butWord)
		if tier != DangerNone && (partly || attackNow || sameBreath) {
			// "im safe right now but he has a knife and is outside my
			// window": the denial is of one clause; ask. So too when an
			// attack is told in the present tense ("no one is hurt yet,
			// he is smashing the windows with a machete"), or danger
			// beside the denial, with no "but" (which the denial would
			// have answered: "not in danger but i want advice about my
			// violent ex"), in a message that is not about something
			// going on and on ("i am safe he has a gun in the house"): a
			// denial never silences danger told in the same breath.
			return DangerCheck, attackNow
		}
		// The person said no one is in danger: believe them.
		return DangerNone, false
	}
	// Someone there now ("he hit me last week and now hes at the door")
	// is under way too, for the model's doubt.
	return tier, attackNow || m.any[listPresence] && placedNow && !hypo
}
