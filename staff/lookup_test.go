package staff_test

import (
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestLookUpPolicy(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := d.Index()
	tests := []struct {
		name, query string
		want        staff.Kind
		first       string // the first service's id, if set
	}{
		{"nothing is asked", "", staff.KindNone, ""},
		{"a service id finds that service", "mash", staff.KindID, "mash"},
		{"a phone number however spaced finds its services", "03003008123", staff.KindContact, ""},
		{"a keyword finds its services", "lonely", staff.KindName, ""},
		{"a situation finds its route's services", "someone dumped a mattress in the alley", staff.KindSituation, ""},
		{"words of nothing find nothing", "zzqx vvbnm", staff.KindNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := staff.LookUp(d, ix, tt.query, 4)
			if a.Kind != tt.want {
				t.Fatalf("LookUp(%q).Kind = %v, want %v (%+v)", tt.query, a.Kind, tt.want, a)
			}
			if len(a.Services) > 4 || a.Total < len(a.Services) {
				t.Errorf("LookUp(%q) shows %d of %d services, want at most 4 of at least as many", tt.query, len(a.Services), a.Total)
			}
			if tt.first != "" && (len(a.Services) == 0 || a.Services[0].ID != tt.first) {
				t.Errorf("LookUp(%q) first service: got %v, want %s", tt.query, a.Services, tt.first)
			}
		})
	}
}
