package triage

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// Phrase lists the triage rules ask about.
const (
	listNegation = iota
	listImmediate
	listPresent
	listPast
	listNow
	listUrgentHelp
	listUrgency
	listNeedsNow
	listChildWho
	listChildRisk
	listWeakNow
	listConsequence
	listHypothetical
	listShortDanger
	listIdeation
	listHabit
	listChildPlace
	listHabitMarker
	listStrongUrgency
	listMeans
	listIdiom
	listIntruder
	listPlaceIn
	listMissing
	listThereIs
	listSettled
	listAlarm
	listFollowed
	listSince
	listLongHabit
	listUnreachable
	listPursuer
	listHarmless
	listReassured
	listAlarmCall
	listDiscovered
	listFear
	listEveryday
	listWarning
	listNumb
	listLater
	listPresence
	listForeignDanger     // danger words of the other languages
	listForeignDangerLong // those of five letters or more, or phrases
	listForeignCheck      // words of harm that may be now, in the other languages
	listForeignNow        // words placing things now, in the other languages
	listForeignHelp       // cries for help, in the other languages
	listForeignPast       // phrases placing things in the past, in the other languages
	listForeignCalm       // phrases saying it is over or nobody is in danger, in the other languages
	listForeignMissing    // phrases saying a person is missing, in the other languages
	listEnglish           // frequent English words
	listCommon            // common words of another language (route = its index)
	listCount
)

// maxLanguages bounds the languages in languages/.
const maxLanguages = 32

// entry is one phrase, split into words; if prefix, its last word matches
// any word it begins.
type entry struct {
	words  []string
	prefix bool
	list   int
	route  int // -1-i for the common words of language i, else -1
	weight float64
}

// lexicon is every phrase the rules use, indexed by first word so that a
// message is matched in one pass over its words. It is built once and never
// changed, so it is safe for concurrent use.
type lexicon struct {
	entries []entry
	byFirst map[string][]int // exact first word -> entries
	// byPair holds the phrases of two words or more (whose second word is
	// not a prefix) by their first two: the other languages' danger lists
	// hold thousands of phrases, many starting with the same word.
	byPair   map[[2]string][]int
	prefixed map[string][]int // one-word prefix entries, by their first three bytes
	removed  []string         // negations and idioms, padded, for removal
	denials  []string         // negations alone, padded
	// scratch lends match its word list and hit marks, so that a long
	// message does not allocate them each time.
	scratch   sync.Pool
	languages []string        // codes of the languages in languages/, by index
	latin     map[string]bool // codes of those also written in Latin letters
	langErr   error           // why languages/ could not be read
}

// compiled returns the lexicon, built on first use.
var compiled = sync.OnceValue(func() *lexicon {
	lx := &lexicon{byFirst: map[string][]int{}, byPair: map[[2]string][]int{}, prefixed: map[string][]int{}, latin: map[string]bool{}}
	add := func(list, route int, phrase string, weight float64) {
		p, prefix := strings.CutSuffix(phrase, "*")
		words := strings.Fields(normalise(p))
		if len(words) == 0 {
			return
		}
		i := len(lx.entries)
		lx.entries = append(lx.entries, entry{words: words, prefix: prefix, list: list, route: route, weight: weight})
		if prefix && len(words) == 1 {
			key := words[0][:min(3, len(words[0]))]
			lx.prefixed[key] = append(lx.prefixed[key], i)
			return
		}
		if len(words) >= 2 && !(prefix && len(words) == 2) {
			key := [2]string{words[0], words[1]}
			lx.byPair[key] = append(lx.byPair[key], i)
			return
		}
		lx.byFirst[words[0]] = append(lx.byFirst[words[0]], i)
	}
	// Keyed by list, so that a list cannot land under another's name.
	lists := map[int][]string{
		listNegation: negations, listImmediate: immediate, listPresent: present,
		listPast: pastMarkers, listNow: nowMarkers, listUrgentHelp: urgentHelp,
		listUrgency: urgency, listNeedsNow: needsNow, listChildWho: childWho,
		listChildRisk: childRisk, listWeakNow: weakNow, listConsequence: consequence,
		listHypothetical: hypothetical, listShortDanger: shortDanger,
		listIdeation: ideation, listHabit: habit, listChildPlace: childPlace,
		listHabitMarker: habitMarkers, listStrongUrgency: strongUrgency,
		listMeans: means, listIdiom: idioms, listIntruder: intruders,
		listPlaceIn: placesIn, listMissing: missing, listThereIs: thereIs,
		listSettled: settled, listAlarm: alarm, listFollowed: followed,
		listSince: sinceMarkers, listLongHabit: longHabit,
		listUnreachable: unreachable, listPursuer: pursuers,
		listHarmless: harmless, listReassured: reassured, listAlarmCall: alarmCalls,
		listDiscovered: discovered, listFear: fears, listEveryday: everyday,
		listWarning: warnings, listNumb: numb, listLater: later,
		listPresence: presence,
	}
	for _, list := range slices.Sorted(maps.Keys(lists)) {
		phrases := lists[list]
		for _, p := range phrases {
			add(list, -1, p, 1)
		}
	}
	for w := range englishWords {
		add(listEnglish, -1, w, 1)
	}
	langs, err := parseLanguages(languagesData)
	if err == nil && len(langs) > maxLanguages {
		err = fmt.Errorf("languages: %d languages, at most %d", len(langs), maxLanguages)
	}
	if err != nil {
		lx.langErr = err
		langs = nil
	}
	english := englishVocabulary()
	for i, l := range langs {
		// The glossary's word forms are common words of the language
		// too, unless English has them ("bike", "police" typed in a
		// Roman Urdu message say nothing of its language).
		for _, w := range glossaryForms(l.code) {
			if !english[w] && len([]rune(w)) > 2 && !l.common[w] {
				l.common[w] = true
			}
		}
		lx.languages = append(lx.languages, l.code)
		for w := range l.common {
			add(listCommon, i, w, 1)
			lx.entries[len(lx.entries)-1].route = -1 - i
			if printableASCII(w) {
				lx.latin[l.code] = true
			}
		}
		for _, f := range []struct {
			list    int
			phrases []string
		}{{listForeignCheck, l.check}, {listForeignNow, l.now}, {listForeignHelp, l.help},
			{listForeignPast, l.past}, {listForeignCalm, l.calm}, {listForeignMissing, l.gone}} {
			for _, p := range f.phrases {
				add(f.list, -1, p, 1)
			}
		}
		for _, p := range l.danger {
			add(listForeignDanger, -1, p, 1)
			if len(strings.TrimSpace(p)) >= 5 {
				add(listForeignDangerLong, -1, p, 1)
			}
		}
	}
	lx.denials = padded(negations)
	removed := slices.Concat(negations, idioms)
	for _, p := range slices.Clone(removed) {
		for _, t := range denialTimes {
			removed = append(removed, p+" "+t)
		}
	}
	lx.removed = padded(removed)
	// Longest first, so that "not in danger right now" goes whole.
	slices.SortStableFunc(lx.removed, func(a, b string) int { return len(b) - len(a) })
	return lx
})

// matchScratch is match's reusable memory.
type matchScratch struct {
	words []string
	hit   []bool
	hits  []int // the entries hit, so that only they are cleared
}

// matches is what a message contains: which lists it touches and its word
// count.
type matches struct {
	any   [listCount]bool
	words int
	// common counts the distinct common words of each language; english
	// the distinct frequent English words.
	common  [maxLanguages]int
	english int
}

// match finds every phrase of the lexicon in the normalised text n.
func (lx *lexicon) match(n string) *matches {
	buf, _ := lx.scratch.Get().(*matchScratch)
	if buf == nil {
		buf = &matchScratch{hit: make([]bool, len(lx.entries))}
	}
	defer func() {
		// Only the entries this message hit: the lexicon has thousands
		// (every language's danger words), a message hits a few.
		for _, i := range buf.hits {
			buf.hit[i] = false
		}
		buf.hits = buf.hits[:0]
		buf.words = buf.words[:0]
		lx.scratch.Put(buf)
	}()
	for w := range strings.FieldsSeq(n) {
		buf.words = append(buf.words, w)
	}
	words, hit := buf.words, buf.hit
	m := &matches{words: len(words)}
	record := func(i, at int) {
		if hit[i] {
			return
		}
		if lx.entries[i].list == listNegation && deniedAt(words, lx.entries[i].words, at) {
			// "i am not safe right now": not a denial of danger.
			return
		}
		hit[i] = true
		buf.hits = append(buf.hits, i)
		e := &lx.entries[i]
		switch {
		case e.list == listCommon:
			m.common[-1-e.route]++
		case e.list == listEnglish:
			m.english++
		default:
			m.any[e.list] = true
		}
	}
	for at, w := range words {
		for _, i := range lx.byFirst[w] {
			if !hit[i] && lx.entries[i].matchAt(words, at) {
				record(i, at)
			}
		}
		if at+1 < len(words) {
			for _, i := range lx.byPair[[2]string{w, words[at+1]}] {
				if !hit[i] && lx.entries[i].matchAt(words, at) {
					record(i, at)
				}
			}
		}
		for _, i := range lx.prefixed[w[:min(3, len(w))]] {
			if !hit[i] && strings.HasPrefix(w, lx.entries[i].words[0]) {
				record(i, at)
			}
		}
	}
	return m
}

// deniedAt reports whether the denial phrase p, found at words[at], is
// itself denied: "i am not safe right now", "i do not feel safe at the
// moment", "i am not feeling safe", "i do not feel i am safe right now",
// "he isnt ok right now".
func deniedAt(words, p []string, at int) bool {
	if p[0] == "not" {
		return false
	}
	for j := at - 1; j >= 0 && j >= at-5; j-- {
		switch {
		case notWords[words[j]]:
			return true
		case !between[words[j]]:
			return false
		}
	}
	return false
}

// notWords deny what follows them; between may stand between such a word
// and the denial it denies.
var (
	notWords = words("not never isnt arent wasnt werent wouldnt cannot dont doesnt didnt")
	between  = words("i am is are be being feel felt feeling he she we they it its you think sure if believe say really that totally")
)

// matchAt reports whether e's words start at words[at].
func (e *entry) matchAt(words []string, at int) bool {
	if at+len(e.words) > len(words) {
		return false
	}
	last := len(e.words) - 1
	for j, w := range e.words {
		got := words[at+j]
		if j == last && e.prefix {
			if !strings.HasPrefix(got, w) {
				return false
			}
			continue
		}
		if got != w {
			return false
		}
	}
	return true
}
