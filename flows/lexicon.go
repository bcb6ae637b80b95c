package flows

import (
	"strings"
	"sync"

	"github.com/whereto-bot/whereto/directory"
)

// Phrase lists the triage rules ask about. Route keyword lists follow them,
// one per route, in directory.Routes order.
const (
	listNegation = iota
	listImmediate
	listPresent
	listPast
	listNow
	listUrgentHelp
	listUrgency
	listRoutes
)

// entry is one phrase, split into words; if prefix, its last word matches
// any word it begins.
type entry struct {
	words  []string
	prefix bool
	list   int
	route  int // index into directory.Routes(), or -1
	weight float64
}

// lexicon is every phrase the rules use, indexed by first word so that a
// message is matched in one pass over its words. It is built once and never
// changed, so it is safe for concurrent use.
type lexicon struct {
	entries   []entry
	byFirst   map[string][]int // exact first word -> entries
	prefixed  []int            // one-word prefix entries
	negations []string         // padded negation phrases, for removal
}

// compiled returns the lexicon, built on first use.
var compiled = sync.OnceValue(func() *lexicon {
	lx := &lexicon{byFirst: map[string][]int{}}
	add := func(list, route int, phrase string, weight float64) {
		p, prefix := strings.CutSuffix(phrase, "*")
		words := strings.Fields(normalise(p))
		if len(words) == 0 {
			return
		}
		i := len(lx.entries)
		lx.entries = append(lx.entries, entry{words: words, prefix: prefix, list: list, route: route, weight: weight})
		if prefix && len(words) == 1 {
			lx.prefixed = append(lx.prefixed, i)
			return
		}
		lx.byFirst[words[0]] = append(lx.byFirst[words[0]], i)
	}
	lists := [][]string{negations, immediate, present, pastMarkers, nowMarkers, urgentHelp, urgency}
	for list, phrases := range lists {
		for _, p := range phrases {
			add(list, -1, p, 1)
		}
	}
	for i, r := range directory.Routes() {
		for _, k := range routeKeywords[r] {
			add(listRoutes, i, k.phrase, k.weight)
		}
	}
	for _, neg := range negations {
		lx.negations = append(lx.negations, normalise(neg))
	}
	return lx
})

// matches is what a message contains: which lists it touches, the keyword
// score of each route (each phrase counted once), and its word count.
type matches struct {
	any   [listRoutes]bool
	score [6]float64
	words int
}

// match finds every phrase of the lexicon in the normalised text n.
func (lx *lexicon) match(n string) *matches {
	words := strings.Fields(n)
	m := &matches{words: len(words)}
	hit := make([]bool, len(lx.entries))
	record := func(i int) {
		if hit[i] {
			return
		}
		hit[i] = true
		e := &lx.entries[i]
		if e.route >= 0 {
			m.score[e.route] += e.weight
		} else {
			m.any[e.list] = true
		}
	}
	for at, w := range words {
		for _, i := range lx.byFirst[w] {
			if !hit[i] && lx.entries[i].matchAt(words, at) {
				record(i)
			}
		}
		for _, i := range lx.prefixed {
			if !hit[i] && strings.HasPrefix(w, lx.entries[i].words[0]) {
				record(i)
			}
		}
	}
	return m
}

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
