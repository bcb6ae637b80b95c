package slack

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory"
)

// index is an inverted index over one directory snapshot, so that a look-up
// costs microseconds however many services there are. directory.Search
// scans and re-tokenises every service on every call (about 10 ms at 10,000
// services); this index tokenises once per snapshot. It follows Search's
// rules (an exact id; words of the id, name and keywords score 10, words of
// the organisation and description 2; multi-word keywords found in the
// query score 10; the name containing the whole query scores 100) and adds
// prefix matching of a query word of four letters or more against id, name
// and keyword words (6), so "safeguard" finds the safeguarding hub.
//
// An index is immutable once built and safe for concurrent use.
type index struct {
	dir *directory.Directory
	// byID maps a service id to its position in dir.Services.
	byID map[string]int32
	// strong and weak map a word to the services (positions, ascending)
	// whose id, name or keywords (strong) or organisation or description
	// (weak) contain it.
	strong map[string][]int32
	weak   map[string][]int32
	// vocab is the sorted set of strong words, for prefix matching.
	vocab []string
	// phrases maps the first word of each multi-word keyword to the
	// keywords starting with it.
	phrases map[string][]phrase
	// names are the services' names, lower-cased.
	names []string
	// routes lists the active services on each route, best first (order,
	// then id), as directory.ServicesFor does; inactive and temporarily
	// closed services are never recommended.
	routes map[directory.Route][]int32
	// closed lists the services on each route that are not active, in
	// directory order, so an answer can say why they are not shown.
	closed map[directory.Route][]int32
	// contacts maps a contact's look-up key (contactKey) to the services
	// (positions, ascending, each once) that have it.
	contacts map[string][]int32

	scratch sync.Pool // *searchScratch
}

// phrase is one multi-word keyword of a service, as words.
type phrase struct {
	words []string
	svc   int32
}

// searchScratch holds per-query working arrays, reused through a pool so a
// query allocates almost nothing. Only the entries listed in touched are
// non-zero between uses.
type searchScratch struct {
	score   []int32
	covered []uint16
	stamp   []uint32
	touched []int32
}

// Scores, as in directory.Search, plus prefix matches.
const (
	scoreID     = 1000
	scoreName   = 100
	scoreStrong = 10
	scorePhrase = 10
	scorePrefix = 6
	scoreWeak   = 2
	// minPrefix is the shortest query word matched as a prefix.
	minPrefix = 4
	// maxPrefixWords bounds how many vocabulary words one prefix may
	// expand to, so that a short prefix cannot make a query slow.
	maxPrefixWords = 64
)

// isStopWord reports words too common in look-ups ("what is the number
// for...") to say anything about which service is meant. The list is
// directory.Search's.
func isStopWord(w string) bool {
	switch w {
	case "a", "an", "and", "the", "to", "for", "of", "in", "on", "i", "me", "my",
		"is", "it", "what", "whats", "where", "who", "how", "do", "can", "number",
		"contact", "phone", "email", "details", "please", "find", "get", "about", "with":
		return true
	}
	return false
}

// rawWords lower-cases s and splits it into words of letters and digits.
// ASCII text (most of it) takes a fast path.
func rawWords(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			})
		}
	}
	var out []string
	var b []byte
	flush := func() {
		if len(b) > 0 {
			out = append(out, string(b))
			b = b[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			flush()
		}
	}
	flush()
	return out
}

// searchWords is rawWords without stop words.
func searchWords(s string) []string {
	f := rawWords(s)
	out := f[:0]
	for _, w := range f {
		if !isStopWord(w) {
			out = append(out, w)
		}
	}
	return out
}

// buildIndex indexes d. It does not modify or retain anything but d, which
// must not be modified afterwards (store snapshots never are).
func buildIndex(d *directory.Directory) *index {
	n := len(d.Services)
	ix := &index{
		dir:      d,
		byID:     make(map[string]int32, n),
		strong:   make(map[string][]int32),
		weak:     make(map[string][]int32),
		phrases:  make(map[string][]phrase),
		names:    make([]string, n),
		routes:   make(map[directory.Route][]int32),
		closed:   make(map[directory.Route][]int32),
		contacts: make(map[string][]int32),
	}
	add := func(m map[string][]int32, words []string, i int32) {
		slices.Sort(words)
		for _, w := range slices.Compact(words) {
			m[w] = append(m[w], i)
		}
	}
	for i, s := range d.Services {
		i32 := int32(i)
		if _, dup := ix.byID[s.ID]; !dup {
			ix.byID[s.ID] = i32
		}
		ix.names[i] = strings.ToLower(s.Name)
		add(ix.strong, searchWords(s.ID+" "+s.Name+" "+strings.Join(s.Keywords, " ")), i32)
		add(ix.weak, searchWords(s.Organisation+" "+s.Description), i32)
		for _, k := range s.Keywords {
			if ws := rawWords(k); len(ws) > 1 {
				ix.phrases[ws[0]] = append(ix.phrases[ws[0]], phrase{words: ws, svc: i32})
			}
		}
		for _, r := range s.Routes {
			if s.Active() {
				ix.routes[r.Route] = append(ix.routes[r.Route], i32)
			} else {
				ix.closed[r.Route] = append(ix.closed[r.Route], i32)
			}
		}
		for _, c := range s.Contacts {
			for _, k := range directory.ContactKeys(c.Kind, c.Value) {
				if l := ix.contacts[k]; len(l) == 0 || l[len(l)-1] != i32 {
					ix.contacts[k] = append(l, i32)
				}
			}
		}
	}
	ix.vocab = make([]string, 0, len(ix.strong))
	for w := range ix.strong {
		ix.vocab = append(ix.vocab, w)
	}
	slices.Sort(ix.vocab)
	for r, svcs := range ix.routes {
		order := func(i int32) int {
			for _, ref := range d.Services[i].Routes {
				if ref.Route == r {
					return ref.Order
				}
			}
			return 0
		}
		slices.SortStableFunc(svcs, func(a, b int32) int {
			if oa, ob := order(a), order(b); oa != ob {
				return oa - ob
			}
			return strings.Compare(d.Services[a].ID, d.Services[b].ID)
		})
	}
	ix.scratch.New = func() any {
		return &searchScratch{score: make([]int32, n), covered: make([]uint16, n), stamp: make([]uint32, n)}
	}
	return ix
}

// service returns the service with the given id.
func (ix *index) service(id string) (directory.Service, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return directory.Service{}, false
	}
	return ix.dir.Services[i], true
}

// at returns the services at positions.
func (ix *index) at(pos []int32) []directory.Service {
	out := make([]directory.Service, len(pos))
	for k, i := range pos {
		out[k] = ix.dir.Services[i]
	}
	return out
}

// searchResult is what a query matched, best first, as positions in the
// directory. Full hits matched every meaningful word of the query on a
// service's id, name or keywords (or the name contains the whole query):
// the query names the service. Partial hits matched at least one such
// word. Only the best maxShown of each are kept; the totals count all.
type searchResult struct {
	full, partial           []int32
	fullTotal, partialTotal int
}

// maxShown is how many services an answer shows: one card and a short list.
const maxShown = maxOthers + 1

// ranked is a search hit.
type ranked struct {
	i     int32
	score int32
}

// better orders hits: higher score first, then directory order (as
// directory.Search's stable sort).
func better(a, b ranked) bool {
	return a.score > b.score || (a.score == b.score && a.i < b.i)
}

// topK keeps the best k hits, in order, in a small sorted slice.
type topK struct {
	k    int
	hits []ranked
}

func (t *topK) add(h ranked) {
	if len(t.hits) == t.k && !better(h, t.hits[len(t.hits)-1]) {
		return
	}
	pos := len(t.hits)
	for pos > 0 && better(h, t.hits[pos-1]) {
		pos--
	}
	if len(t.hits) < t.k {
		t.hits = append(t.hits, ranked{})
	}
	copy(t.hits[pos+1:], t.hits[pos:len(t.hits)-1])
	t.hits[pos] = h
}

func (t *topK) positions() []int32 {
	out := make([]int32, len(t.hits))
	for i, h := range t.hits {
		out[i] = h.i
	}
	return out
}

// search matches the lower-cased, trimmed query q. Partial hits need at
// least one strong word: a passing mention in a description is noise.
func (ix *index) search(q string) searchResult {
	if q == "" || len(ix.dir.Services) == 0 {
		return searchResult{}
	}
	words := searchWords(q)
	if len(words) > 64 {
		words = words[:64] // a look-up is a few words; bound the work
	}
	sc := ix.scratch.Get().(*searchScratch)
	defer func() {
		for _, i := range sc.touched {
			sc.score[i], sc.covered[i], sc.stamp[i] = 0, 0, 0
		}
		sc.touched = sc.touched[:0]
		ix.scratch.Put(sc)
	}()
	touch := func(i int32) {
		if sc.score[i] == 0 && sc.stamp[i] == 0 && sc.covered[i] == 0 {
			sc.touched = append(sc.touched, i)
		}
	}
	// Words may repeat in a query; count each distinct word once.
	distinct := slices.Clone(words)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	for wi, w := range distinct {
		mark := uint32(wi + 1)
		strongHit := func(i int32, points int32) {
			if sc.stamp[i] == mark {
				return
			}
			touch(i)
			sc.stamp[i] = mark
			sc.score[i] += points
			sc.covered[i]++
		}
		for _, i := range ix.strong[w] {
			strongHit(i, scoreStrong)
		}
		if len(w) >= minPrefix {
			lo := sort.SearchStrings(ix.vocab, w)
			for k := lo; k < len(ix.vocab) && k-lo < maxPrefixWords && strings.HasPrefix(ix.vocab[k], w); k++ {
				if ix.vocab[k] == w {
					continue
				}
				for _, i := range ix.strong[ix.vocab[k]] {
					strongHit(i, scorePrefix)
				}
			}
		}
		for _, i := range ix.weak[w] {
			if sc.stamp[i] != mark {
				touch(i)
				sc.stamp[i] = mark
				sc.score[i] += scoreWeak
			}
		}
	}
	raw := rawWords(q)
	for k, w := range raw {
		for _, p := range ix.phrases[w] {
			if k+len(p.words) <= len(raw) && slices.Equal(raw[k:k+len(p.words)], p.words) {
				touch(p.svc)
				sc.score[p.svc] += scorePhrase
			}
		}
	}
	need := uint16(len(distinct))
	exact, hasExact := ix.byID[q]
	full, partial := topK{k: maxShown}, topK{k: maxShown}
	var res searchResult
	for _, i := range sc.touched {
		h := ranked{i: i, score: sc.score[i]}
		isFull := need > 0 && sc.covered[i] >= need
		// A name containing the whole query ranks first. Only full hits
		// can (the name holds every word of the query), so only they are
		// checked; a word cut short is found by prefix matching.
		if isFull && len(q) > 2 && strings.Contains(ix.names[i], q) {
			h.score += scoreName
		}
		if hasExact && i == exact {
			h.score += scoreID
			isFull = true
		}
		switch {
		case isFull:
			full.add(h)
			res.fullTotal++
		case h.score >= scoreStrong:
			partial.add(h)
			res.partialTotal++
		}
	}
	res.full, res.partial = full.positions(), partial.positions()
	return res
}

// indexCache keeps the index of the latest directory snapshot. The store
// replaces its snapshot on every edit, so the snapshot's pointer identifies
// its version; a new pointer means a rebuild. Safe for concurrent use.
type indexCache struct {
	cur atomic.Pointer[index]
	mu  sync.Mutex // serialises rebuilds
}

// get returns the index of d, building it if d is not the indexed snapshot.
func (c *indexCache) get(d *directory.Directory) *index {
	if ix := c.cur.Load(); ix != nil && ix.dir == d {
		return ix
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ix := c.cur.Load(); ix != nil && ix.dir == d {
		return ix
	}
	ix := buildIndex(d)
	c.cur.Store(ix)
	return ix
}
