package directory

import (
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Index is the one look-up index of a directory snapshot: its services by
// id, by the words of their names, keywords and descriptions, by their
// contacts (phone numbers however spaced, emails, web addresses), and by
// route. Prepare builds it; Directory.Index returns it. Search (the
// resident's "Find a contact") and Match (staff look-ups) score with the
// same rules:
//
//   - the query is an id: 1000;
//   - each meaningful word of the query (stop words such as "the",
//     "number" and "phone" are dropped) on a service's id, name or
//     keywords: 10; only on its organisation or description: 2; a word
//     repeated in the query counts each time;
//   - a multi-word keyword found in the query: 10;
//   - the service's name contains the whole query (of three bytes or
//     more): 100.
//
// Match adds prefix matching: a query word of four letters or more that
// begins a word of an id, name or keywords scores 6, so "safeguard" finds
// the safeguarding hub.
//
// An Index is immutable once built and safe for concurrent use. It holds
// positions in its directory's Services, so the directory must not change
// after Prepare (stores replace a snapshot rather than change it).
type Index struct {
	services []Service
	// byID maps a service id to its position.
	byID map[string]int32
	// strong and weak map a word to the services (positions, ascending)
	// whose id, name or keywords (strong) or organisation or description
	// (weak) contain it.
	strong map[string][]int32
	weak   map[string][]int32
	// vocab is the sorted set of strong words, for prefix matching.
	vocab []string
	// phrases maps what comes before the first space of each multi-word
	// keyword to the keywords starting with it.
	phrases map[string][]phrase
	// names are the services' names, lower-cased.
	names []string
	// active lists the active services on each route, best first (order,
	// then id), as ServicesFor orders them; inactive lists the others, in
	// directory order.
	active, inactive map[Route][]int32
	// contacts maps a contact's look-up key (ContactKeys) to the services
	// (positions, ascending, each once) that have it.
	contacts map[string][]int32

	// scratch holds *searchScratch for reuse. It has no New function, so
	// that two indexes of equal directories are reflect.DeepEqual.
	scratch sync.Pool
}

// phrase is one multi-word keyword of a service.
type phrase struct {
	text string // lower-cased, as written
	svc  int32
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

// Scores; see Index.
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
	// maxQueryWords bounds the words of a query that are scored: a
	// look-up is a few words.
	maxQueryWords = 64
	// maxSearchResults bounds what Search returns: nobody reads further.
	maxSearchResults = 50
)

// isStopWord reports words too common in look-ups ("what is the number
// for...") to say anything about which service is meant.
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

// phraseHeads returns, once each, what may come before the first space of
// a multi-word keyword contained in q: every suffix of each part of q
// that a space ends ("bisexual abuse" holds the keyword "sexual abuse").
func phraseHeads(q string) []string {
	var out []string
	start := 0
	for i := 0; i < len(q); i++ {
		if q[i] != ' ' {
			continue
		}
		for j := start; j <= i; j++ {
			out = append(out, q[j:i])
		}
		start = i + 1
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Index returns d's look-up index: the one Prepare built, or, on a
// directory that was not prepared, a new one each call.
func (d *Directory) Index() *Index {
	if d.index != nil {
		return d.index
	}
	return buildIndex(d)
}

// buildIndex indexes d's services.
func buildIndex(d *Directory) *Index {
	n := len(d.Services)
	ix := &Index{
		services: d.Services,
		byID:     make(map[string]int32, n),
		strong:   make(map[string][]int32),
		weak:     make(map[string][]int32),
		phrases:  make(map[string][]phrase),
		names:    make([]string, n),
		active:   make(map[Route][]int32),
		inactive: make(map[Route][]int32),
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
			if k = strings.ToLower(k); strings.Contains(k, " ") {
				head := k[:strings.IndexByte(k, ' ')]
				ix.phrases[head] = append(ix.phrases[head], phrase{text: k, svc: i32})
			}
		}
		for _, r := range s.Routes {
			if s.Active() {
				ix.active[r.Route] = append(ix.active[r.Route], i32)
			} else {
				ix.inactive[r.Route] = append(ix.inactive[r.Route], i32)
			}
		}
		for _, c := range s.Contacts {
			for _, k := range ContactKeys(c.Kind, c.Value) {
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
	for r, svcs := range ix.active {
		order := func(i int32) int {
			ref, _ := d.Services[i].RouteRef(r)
			return ref.Order
		}
		slices.SortStableFunc(svcs, func(a, b int32) int {
			if oa, ob := order(a), order(b); oa != ob {
				return oa - ob
			}
			return strings.Compare(d.Services[a].ID, d.Services[b].ID)
		})
	}
	return ix
}

// Service returns the service with the given id, and whether there is one.
func (ix *Index) Service(id string) (Service, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Service{}, false
	}
	return ix.services[i], true
}

// at returns the services at positions.
func (ix *Index) at(pos []int32) []Service {
	out := make([]Service, len(pos))
	for k, i := range pos {
		out[k] = ix.services[i]
	}
	return out
}

// Active yields the active services on route r, best first (by order,
// then id): the services that may be recommended on it. Inactive and
// temporarily closed services never are. The services are the snapshot's
// own: read them, do not modify them.
func (ix *Index) Active(r Route) iter.Seq[*Service] { return ix.each(ix.active[r]) }

// Inactive yields the services on route r that are not active, in
// directory order, so that an answer can say why they are not shown. The
// services are the snapshot's own: read them, do not modify them.
func (ix *Index) Inactive(r Route) iter.Seq[*Service] { return ix.each(ix.inactive[r]) }

// each yields the services at positions.
func (ix *Index) each(pos []int32) iter.Seq[*Service] {
	return func(yield func(*Service) bool) {
		for _, i := range pos {
			if !yield(&ix.services[i]) {
				return
			}
		}
	}
}

// ByContact returns the services that have the contact q is, if q is a
// phone number (however spaced, +44 too), an email or a web address
// (QueryContactKeys), in directory order; nil otherwise.
func (ix *Index) ByContact(q string) []Service {
	for _, k := range QueryContactKeys(q) {
		if pos := ix.contacts[k]; len(pos) > 0 {
			return ix.at(pos)
		}
	}
	return nil
}

// Matches is what Match found, best first. Full matches have every
// meaningful word of the query on their id, name or keywords (or are the
// query's id): the query names them. Partial matches have at least one
// such word. Only the best few of each are kept; the totals count all.
type Matches struct {
	Full, Partial           []Service
	FullTotal, PartialTotal int
}

// ranked is a search hit.
type ranked struct {
	i     int32
	score int32
}

// better orders hits: higher score first, then directory order.
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

// Match scores the services against query with prefix matching (see
// Index) and returns the best limit full and partial matches. A partial
// match needs a score of at least 10: a passing mention in a description
// is noise.
func (ix *Index) Match(query string, limit int) Matches {
	full, partial := topK{k: limit}, topK{k: limit}
	var m Matches
	ix.score(query, true, func(h ranked, isFull bool) {
		switch {
		case isFull:
			full.add(h)
			m.FullTotal++
		case h.score >= scoreStrong:
			partial.add(h)
			m.PartialTotal++
		}
	})
	m.Full, m.Partial = ix.at(full.positions()), ix.at(partial.positions())
	return m
}

// Search returns the services that match query, best first: an exact id
// first, then services whose id, name or keywords contain the query's
// words, then those whose organisation or description do (see Index; no
// prefix matching). When anything matched on a name or keyword, matches
// only in descriptions are left out. It returns at most 50, and nil when
// nothing matches or the query has no meaningful words. On a prepared
// directory it takes microseconds whatever the directory's size.
func (d *Directory) Search(query string) []Service {
	ix := d.Index()
	// Matches on a name or keyword, and all matches: the second is
	// used only when there is none of the first.
	strong, all := topK{k: maxSearchResults}, topK{k: maxSearchResults}
	ix.score(query, false, func(h ranked, _ bool) {
		if h.score >= scoreStrong {
			strong.add(h)
		} else if len(strong.hits) == 0 {
			all.add(h)
		}
	})
	if len(strong.hits) == 0 {
		strong = all
	}
	if len(strong.hits) == 0 {
		return nil
	}
	return ix.at(strong.positions())
}

// score scores every service query touches and calls visit for each, with
// its score and whether it is a full match (every meaningful word on its
// id, name or keywords, or the query is its id). prefix adds prefix
// matching. The query is trimmed and lower-cased first.
func (ix *Index) score(query string, prefix bool, visit func(h ranked, full bool)) {
	q := strings.TrimSpace(strings.ToLower(query))
	if q == "" || len(ix.services) == 0 {
		return
	}
	words := searchWords(q)
	if len(words) > maxQueryWords {
		words = words[:maxQueryWords]
	}
	sc, _ := ix.scratch.Get().(*searchScratch)
	if sc == nil {
		n := len(ix.services)
		sc = &searchScratch{score: make([]int32, n), covered: make([]uint16, n), stamp: make([]uint32, n)}
	}
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
	// Each distinct word is looked up once and scores as often as the
	// query has it.
	distinct := slices.Clone(words)
	slices.Sort(distinct)
	distinct = slices.Compact(distinct)
	times := func(w string) int32 {
		n := int32(0)
		for _, x := range words {
			if x == w {
				n++
			}
		}
		return n
	}
	for wi, w := range distinct {
		mark := uint32(wi + 1)
		n := times(w)
		strongHit := func(i int32, points int32) {
			if sc.stamp[i] == mark {
				return
			}
			touch(i)
			sc.stamp[i] = mark
			sc.score[i] += points * n
			sc.covered[i]++
		}
		for _, i := range ix.strong[w] {
			strongHit(i, scoreStrong)
		}
		if prefix && len(w) >= minPrefix {
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
				sc.score[i] += scoreWeak * n
			}
		}
	}
	for _, head := range phraseHeads(q) {
		for _, p := range ix.phrases[head] {
			if strings.Contains(q, p.text) {
				touch(p.svc)
				sc.score[p.svc] += scorePhrase
			}
		}
	}
	need := uint16(len(distinct))
	exact, hasExact := ix.byID[q]
	if hasExact {
		touch(exact)
	}
	for _, i := range sc.touched {
		h := ranked{i: i, score: sc.score[i]}
		isFull := need > 0 && sc.covered[i] >= need
		if len(q) > 2 && strings.Contains(ix.names[i], q) {
			h.score += scoreName
		}
		if hasExact && i == exact {
			h.score += scoreID
			isFull = true
		}
		visit(h, isFull)
	}
}
