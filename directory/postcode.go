package directory

import (
	"errors"
	"strings"
)

// ErrPostcode is returned by PostcodeDistrict for text that is not a UK
// postcode or postcode district.
var ErrPostcode = errors.New("directory: not a UK postcode")

// PostcodeDistrict returns the district (outward code) of a UK postcode or
// district written any usual way: "LU1", "lu1 3ab", "LU13AB", " Lu2 ".
// It returns ErrPostcode for anything else.
func PostcodeDistrict(s string) (string, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if len(s) < 2 || len(s) > 7 {
		return "", ErrPostcode
	}
	// A full postcode ends with the inward code: a digit and two letters.
	if len(s) >= 5 {
		in := s[len(s)-3:]
		if isDigit(in[0]) && isLetter(in[1]) && isLetter(in[2]) {
			s = s[:len(s)-3]
		}
	}
	if !districtPattern.MatchString(s) {
		return "", ErrPostcode
	}
	return s, nil
}

func isDigit(b byte) bool  { return b >= '0' && b <= '9' }
func isLetter(b byte) bool { return b >= 'A' && b <= 'Z' }
