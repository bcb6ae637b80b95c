package directory

import (
	"slices"
	"strings"
)

// Place is where a person says something happened or someone lives, as
// far as the directory needs it: a postcode district, or Away for a place
// known to be outside every district the directory knows.
type Place struct {
	// District is the postcode district ("LU5"); empty when Away.
	District string
	// Name is the place as the person may say it ("Dunstable", "LU5").
	Name string
	// Away is set for a place outside the districts the directory knows
	// (a town further away, "London").
	Away bool
}

// Places knows the postcode districts of an area and its neighbours and
// the towns in them, so that "i live in dunstable", "LU2." and "my postcode
// is lu2 7ab" are read as places, and "ZZ99" is not. It never changes once
// built, so it is safe for concurrent use.
type Places struct {
	districts map[string]bool
	towns     []town // longest name first
}

type town struct {
	words    []string
	name     string
	district string // "" for a place known to be away
}

// NewPlaces returns a Places for the known districts (outward codes such
// as "LU1") and towns (lower-case name -> district, or "" for a town that
// is away from every known district).
func NewPlaces(districts []string, towns map[string]string) *Places {
	p := &Places{districts: map[string]bool{}}
	for _, d := range districts {
		p.districts[strings.ToUpper(d)] = true
	}
	for name, d := range towns {
		p.towns = append(p.towns, town{words: strings.Fields(placeWords(name)), name: name, district: d})
	}
	slices.SortFunc(p.towns, func(a, b town) int {
		if len(a.words) != len(b.words) {
			return len(b.words) - len(a.words)
		}
		return strings.Compare(a.name, b.name)
	})
	return p
}

// PlaceNames is the place data of a directory document: the postcode
// districts of the area and its neighbours, and towns people name, each
// with a district in it ("" for a town known to be further away).
type PlaceNames struct {
	Districts []string          `json:"districts"`
	Towns     map[string]string `json:"towns,omitempty"`
}

// Places returns the directory's place finder. Prepare builds it once; an
// unprepared directory builds one on each call (correct, only slower).
func (d *Directory) Places() *Places {
	if d.places != nil {
		return d.places
	}
	return NewPlaces(d.PlaceNames.Districts, d.PlaceNames.Towns)
}

// Find reads a place from text: a full postcode ("LU2 7AB"), a district
// ("LU2.", "lu2"), or a town's name, alone or inside a sentence. It
// returns false when the text names no place it knows; a postcode-shaped
// district that does not exist ("ZZ99") is not a place. It reads the text
// once, word by word.
func (p *Places) Find(text string) (Place, bool) {
	words := strings.Fields(placeWords(text))
	for _, w := range words {
		// "lu2" or "lu27ab" (a postcode written without its space).
		if d, ok := p.district(w); ok {
			return Place{District: d, Name: d}, true
		}
	}
	for _, t := range p.towns {
		for i := 0; i+len(t.words) <= len(words); i++ {
			if slices.Equal(words[i:i+len(t.words)], t.words) {
				return Place{District: t.district, Name: t.name, Away: t.district == ""}, true
			}
		}
	}
	return Place{}, false
}

// district reads one lower-case word as a known district, written alone
// ("lu2") or as a whole postcode without its space ("lu27ab").
func (p *Places) district(w string) (string, bool) {
	d, err := PostcodeDistrict(w)
	return d, err == nil && p.districts[d]
}

// LooksLikePostcode reports whether text holds something shaped like a
// postcode or district (so that an unknown one can be told apart from
// words that are no place at all).
func LooksLikePostcode(text string) bool {
	for _, w := range strings.Fields(placeWords(text)) {
		if _, err := PostcodeDistrict(w); err == nil {
			return true
		}
	}
	return false
}

// placeWords lower-cases text and turns everything but letters and digits
// into spaces.
func placeWords(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return ' '
	}, s)
}
