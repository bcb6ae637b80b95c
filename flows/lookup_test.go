package flows

import "testing"

// TestLooksLikeLookup: a short question about a contact, a service's
// name, or a telephone number alone (whatever its length in words) is
// tried as a look-up first; a long message about what happened is not.
func TestLooksLikeLookup(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"0300 300 8123", true},
		{"+44 (0)1582 547 653", true},
		{"01582-547-653", true},
		{"mash phone number", true},
		{"samaritans", true},
		{"0 1 2 3 4 5 6 7 8 9 a", false},
		{"someone rang me from 0300 300 8123 saying they were my bank and asked me to move my savings", false},
		{"my neighbour keeps dumping rubbish in the alley behind our house and the foxes get into it", false},
	} {
		if got := looksLikeLookup(tc.text); got != tc.want {
			t.Errorf("looksLikeLookup(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
