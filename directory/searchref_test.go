package directory

// The look-up before the one index (Index): kept here only as the
// reference the index must agree with.

import (
	"slices"
	"strings"
	"unicode"
)

// refStopWords are words too common in look-ups ("what is the number
// for...") to say anything about which service is meant.
var refStopWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "to": true, "for": true,
	"of": true, "in": true, "on": true, "i": true, "me": true, "my": true,
	"is": true, "it": true, "what": true, "whats": true, "where": true,
	"who": true, "how": true, "do": true, "can": true, "number": true,
	"contact": true, "phone": true, "email": true, "details": true,
	"please": true, "find": true, "get": true, "about": true, "with": true,
}

// searchWords lower-cases s and splits it into words of letters and digits,
// dropping stop words.
func refWords(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := f[:0]
	for _, w := range f {
		if !refStopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// refIndex is an inverted index of a directory's services, built by
// Prepare so that a look-up costs the query's words, not the directory's
// size.
type refIndex struct {
	byID    map[string]int
	words   map[string][]refPosting
	phrases map[string][]int // multi-word keywords -> services
	names   []string         // lower-case names
}

// refMaxResults bounds what Search returns: nobody reads further.
const refMaxResults = 50

type refPosting struct {
	svc    int
	weight int
}

func buildRefIndex(d *Directory) *refIndex {
	ix := &refIndex{byID: map[string]int{}, words: map[string][]refPosting{}, phrases: map[string][]int{}}
	for i, s := range d.Services {
		ix.byID[s.ID] = i
		ix.names = append(ix.names, strings.ToLower(s.Name))
		weights := map[string]int{}
		for _, w := range refWords(s.Organisation + " " + s.Description) {
			weights[w] = 2
		}
		for _, w := range refWords(s.ID + " " + s.Name + " " + strings.Join(s.Keywords, " ")) {
			weights[w] = 10
		}
		for w, wt := range weights {
			ix.words[w] = append(ix.words[w], refPosting{i, wt})
		}
		for _, k := range s.Keywords {
			if k = strings.ToLower(k); strings.Contains(k, " ") {
				ix.phrases[k] = append(ix.phrases[k], i)
			}
		}
	}
	return ix
}

// Search returns the services that match query, best first: an exact id
// first, then services whose id, name or keywords contain the query's words,
// then those whose organisation or description do. It returns nil when
// nothing matches or the query has no meaningful words. On a prepared
// directory (Prepare) it uses an index and takes microseconds whatever the
// directory's size.
func refSearch(d *Directory, ix *refIndex, query string) []Service {
	q := strings.TrimSpace(strings.ToLower(query))
	if q == "" {
		return nil
	}
	scores := make([]int, len(d.Services))
	var touched []int
	add := func(i, w int) {
		if scores[i] == 0 {
			touched = append(touched, i)
		}
		scores[i] += w
	}
	if i, ok := ix.byID[q]; ok {
		add(i, 1000)
	}
	for _, w := range refWords(q) {
		for _, p := range ix.words[w] {
			add(p.svc, p.weight)
		}
	}
	for phrase, svcs := range ix.phrases {
		if strings.Contains(q, phrase) {
			for _, i := range svcs {
				add(i, 10)
			}
		}
	}
	if len(q) > 2 {
		// A name containing the whole query is a strong match; only
		// services that matched a word can contain it.
		for _, i := range touched {
			if strings.Contains(ix.names[i], q) {
				scores[i] += 100
			}
		}
	}
	if len(touched) == 0 {
		return nil
	}
	best := 0
	for _, i := range touched {
		best = max(best, scores[i])
	}
	// A passing mention in a description is noise next to a match on a
	// name or keyword.
	floor := 1
	if best >= 10 {
		floor = 10
	}
	hits := touched[:0]
	for _, i := range touched {
		if scores[i] >= floor {
			hits = append(hits, i)
		}
	}
	byScore := func(a, b int) int {
		if scores[a] != scores[b] {
			return scores[b] - scores[a]
		}
		return a - b
	}
	if len(hits) > refMaxResults {
		hits = refTopK(hits, refMaxResults, byScore)
	}
	slices.SortFunc(hits, byScore)
	out := make([]Service, len(hits))
	for k, i := range hits {
		out[k] = d.Services[i]
	}
	return out
}

// topK returns the k best of xs by cmp (unordered), partitioning in place.
func refTopK(xs []int, k int, cmp func(a, b int) int) []int {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for cmp(xs[i], pivot) < 0 {
				i++
			}
			for cmp(xs[j], pivot) > 0 {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return xs[:k]
		}
	}
	return xs[:k]
}
