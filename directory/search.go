package directory

import (
	"slices"
	"strings"
	"unicode"
)

// searchStopWords are words too common in look-ups ("what is the number
// for...") to say anything about which service is meant.
var searchStopWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "to": true, "for": true,
	"of": true, "in": true, "on": true, "i": true, "me": true, "my": true,
	"is": true, "it": true, "what": true, "whats": true, "where": true,
	"who": true, "how": true, "do": true, "can": true, "number": true,
	"contact": true, "phone": true, "email": true, "details": true,
	"please": true, "find": true, "get": true, "about": true, "with": true,
}

// searchWords lower-cases s and splits it into words of letters and digits,
// dropping stop words.
func searchWords(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := f[:0]
	for _, w := range f {
		if !searchStopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// Search returns the services that match query, best first: an exact id
// first, then services whose id, name or keywords contain the query's words,
// then those whose organisation or description do. It returns nil when
// nothing matches or the query has no meaningful words.
func (d *Directory) Search(query string) []Service {
	q := strings.TrimSpace(strings.ToLower(query))
	words := searchWords(q)
	if q == "" {
		return nil
	}
	type scored struct {
		score int
		i     int
	}
	var hits []scored
	for i, s := range d.Services {
		score := 0
		if s.ID == q {
			score += 1000
		}
		if name := strings.ToLower(s.Name); len(q) > 2 && strings.Contains(name, q) {
			score += 100
		}
		strong := s.ID + " " + strings.ToLower(s.Name) + " " + strings.ToLower(strings.Join(s.Keywords, " "))
		weak := strings.ToLower(s.Organisation + " " + s.Description)
		strongWords := searchWords(strong)
		weakWords := searchWords(weak)
		for _, w := range words {
			switch {
			case slices.Contains(strongWords, w):
				score += 10
			case slices.Contains(weakWords, w):
				score += 2
			}
		}
		for _, k := range s.Keywords {
			if k = strings.ToLower(k); strings.Contains(k, " ") && strings.Contains(q, k) {
				score += 10
			}
		}
		if score > 0 {
			hits = append(hits, scored{score, i})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return b.score - a.score })
	// A passing mention in a description is noise next to a match on a
	// name or keyword.
	floor := 0
	if hits[0].score >= 10 {
		floor = 10
	}
	var out []Service
	for _, h := range hits {
		if h.score >= floor {
			out = append(out, d.Services[h.i])
		}
	}
	return out
}
