package directory

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// searchQueries are look-ups to compare Search with the reference: every
// id, name, keyword and description word of the default directory, the
// lines people typed in the conversation's transcripts, and random
// mixtures of those words.
func searchQueries(t *testing.T, d *Directory) []string {
	var qs, words []string
	for _, s := range d.Services {
		qs = append(qs, s.ID, s.Name, strings.ToUpper(s.Name), s.Organisation, "what is the number for "+s.Name)
		qs = append(qs, s.Keywords...)
		words = append(words, strings.Fields(s.Name+" "+s.Description+" "+strings.Join(s.Keywords, " "))...)
	}
	files, _ := filepath.Glob("../flows/testdata/transcripts/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if q, ok := strings.CutPrefix(l, "> "); ok {
				qs = append(qs, q)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		n := 1 + r.IntN(4)
		var q []string
		for range n {
			q = append(q, words[r.IntN(len(words))])
		}
		qs = append(qs, strings.Join(q, " "))
	}
	return append(qs, "", " ", "the", "mash mash", "anti-social behaviour", "men's advice line", "999", "0300 300 8123")
}

// Search over the one index answers as the look-up it replaced did.
func TestSearchAgreesWithReference(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	qs := searchQueries(t, d)
	if len(qs) < 3000 {
		t.Fatalf("only %d queries", len(qs))
	}
	ids := func(ss []Service) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	ref := buildRefIndex(d)
	for _, q := range qs {
		got, want := ids(d.Search(q)), ids(refSearch(d, ref, q))
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
}

// Match finds what a query names, and prefixes of words.
func TestMatch(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := d.Index()
	for _, tc := range []struct{ q, first string }{
		{"mash", "mash"}, {"safeguard", "mash"}, {"true vision", "report-it"},
	} {
		m := ix.Match(tc.q, 5)
		if len(m.Full) == 0 || m.Full[0].ID != tc.first {
			t.Errorf("Match(%q).Full = %v, want %s first", tc.q, m.Full, tc.first)
		}
	}
	if m := ix.Match("zzzz qqqq", 5); m.FullTotal+m.PartialTotal != 0 {
		t.Errorf("Match of nonsense = %+v", m)
	}
	if got := ix.ByContact("0300 300 8123"); len(got) == 0 || got[0].ID != "mash" {
		t.Errorf("ByContact = %v", got)
	}
}
