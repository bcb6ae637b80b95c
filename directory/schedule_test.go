package directory_test

import (
	"slices"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// london returns t as a wall-clock time in Europe/London.
func london(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, directory.London())
}

func contactValues(cs []directory.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Value
	}
	return out
}

func TestMASHContactsAt(t *testing.T) {
	const (
		inHours  = "01582 547 653"
		outHours = "0300 300 8123"
		email    = "mash@luton.gov.uk"
	)
	tests := []struct {
		name string
		at   time.Time
		open bool
		want []string
	}{
		{"in hours Monday 10:00", london(2026, time.March, 2, 10, 0), true, []string{inHours, email}},
		{"in hours Monday 09:00 exactly", london(2026, time.March, 2, 9, 0), true, []string{inHours, email}},
		{"in hours Friday 16:59", london(2026, time.March, 6, 16, 59), true, []string{inHours, email}},
		{"out of hours Monday 17:00 exactly", london(2026, time.March, 2, 17, 0), false, []string{outHours, email}},
		{"out of hours Monday 08:59", london(2026, time.March, 2, 8, 59), false, []string{outHours, email}},
		{"out of hours Saturday noon", london(2026, time.March, 7, 12, 0), false, []string{outHours, email}},
		{"out of hours Sunday noon", london(2026, time.March, 8, 12, 0), false, []string{outHours, email}},
		// 2026-03-29 is the spring-forward Sunday: the next Monday is BST,
		// so 08:30Z is 09:30 in London.
		{"in hours after spring forward", time.Date(2026, time.March, 30, 8, 30, 0, 0, time.UTC), true, []string{inHours, email}},
		// 2026-10-25 is the autumn-back Sunday: the next Monday is GMT, so
		// 08:30Z is 08:30 in London.
		{"out of hours after autumn back", time.Date(2026, time.October, 26, 8, 30, 0, 0, time.UTC), false, []string{outHours, email}},
		// The Friday before autumn back is still BST: 15:59Z is 16:59 local,
		// 16:00Z is 17:00 local.
		{"in hours BST Friday 15:59Z", time.Date(2026, time.October, 23, 15, 59, 0, 0, time.UTC), true, []string{inHours, email}},
		{"out of hours BST Friday 16:00Z", time.Date(2026, time.October, 23, 16, 0, 0, 0, time.UTC), false, []string{outHours, email}},
		// A time given in another zone is judged in London: 10:00 in New
		// York on a Monday is 15:00 in London.
		{"in hours from another zone", time.Date(2026, time.March, 2, 10, 0, 0, 0, time.FixedZone("EST", -5*3600)), true, []string{inHours, email}},
		{"out of hours Sunday 23:30Z", time.Date(2026, time.March, 1, 23, 30, 0, 0, time.UTC), false, []string{outHours, email}},
	}
	d := mustDefault(t)
	mash, err := d.Service("mash")
	if err != nil {
		t.Fatalf(`Service("mash") error: %v`, err)
	}
	if mash.Hours == nil {
		t.Fatal("mash has no opening hours, want mon-fri 09:00-17:00")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mash.Hours.OpenAt(tt.at); got != tt.open {
				t.Errorf("OpenAt(%v) = %v, want %v", tt.at.In(directory.London()), got, tt.open)
			}
			if got := mash.InHours(tt.at); got != tt.open {
				t.Errorf("InHours(%v) = %v, want %v", tt.at.In(directory.London()), got, tt.open)
			}
			if got := contactValues(mash.ContactsAt(tt.at)); !slices.Equal(got, tt.want) {
				t.Errorf("ContactsAt(%v) = %q, want %q", tt.at.In(directory.London()), got, tt.want)
			}
		})
	}
}

func TestScheduleOpenAt(t *testing.T) {
	tests := []struct {
		name  string
		sched directory.Schedule
		at    time.Time
		want  bool
	}{
		{"open Monday 23:59 until 24:00",
			directory.Schedule{Weekly: []directory.Period{{Days: []string{"mon"}, Opens: "18:00", Closes: "24:00"}}},
			london(2026, time.March, 2, 23, 59), true},
		{"closed Tuesday 00:00 after Monday until 24:00",
			directory.Schedule{Weekly: []directory.Period{{Days: []string{"mon"}, Opens: "18:00", Closes: "24:00"}}},
			london(2026, time.March, 3, 0, 0), false},
		{"open all day 00:00-24:00 at midnight",
			directory.Schedule{Weekly: []directory.Period{{Days: []string{"sun"}, Opens: "00:00", Closes: "24:00"}}},
			london(2026, time.March, 8, 0, 0), true},
		{"open in second period",
			directory.Schedule{Weekly: []directory.Period{
				{Days: []string{"mon"}, Opens: "09:00", Closes: "12:00"},
				{Days: []string{"mon"}, Opens: "13:00", Closes: "17:00"},
			}},
			london(2026, time.March, 2, 13, 30), true},
		{"closed at lunch between periods",
			directory.Schedule{Weekly: []directory.Period{
				{Days: []string{"mon"}, Opens: "09:00", Closes: "12:00"},
				{Days: []string{"mon"}, Opens: "13:00", Closes: "17:00"},
			}},
			london(2026, time.March, 2, 12, 30), false},
		{"closed when period is malformed",
			directory.Schedule{Weekly: []directory.Period{{Days: []string{"mon"}, Opens: "9:00", Closes: "17:00"}}},
			london(2026, time.March, 2, 10, 0), false},
		{"closed when day name is wrong",
			directory.Schedule{Weekly: []directory.Period{{Days: []string{"Mon"}, Opens: "09:00", Closes: "17:00"}}},
			london(2026, time.March, 2, 10, 0), false},
		{"closed with no periods", directory.Schedule{}, london(2026, time.March, 2, 10, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sched.OpenAt(tt.at); got != tt.want {
				t.Errorf("OpenAt(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
}

func TestScheduleString(t *testing.T) {
	period := func(opens, closes string, days ...string) directory.Period {
		return directory.Period{Days: days, Opens: opens, Closes: closes}
	}
	tests := []struct {
		name  string
		sched directory.Schedule
		want  string
	}{
		{"weekdays as a range",
			directory.Schedule{Weekly: []directory.Period{period("09:00", "17:00", "mon", "tue", "wed", "thu", "fri")}},
			"mon-fri 09:00-17:00"},
		{"days in any order",
			directory.Schedule{Weekly: []directory.Period{period("09:00", "17:00", "fri", "mon", "wed", "tue", "thu")}},
			"mon-fri 09:00-17:00"},
		{"weekend with Sunday last",
			directory.Schedule{Weekly: []directory.Period{period("10:00", "14:00", "sun", "sat")}},
			"sat-sun 10:00-14:00"},
		{"gaps as a list",
			directory.Schedule{Weekly: []directory.Period{period("09:00", "12:00", "mon", "wed", "thu")}},
			"mon,wed-thu 09:00-12:00"},
		{"periods joined by semicolons",
			directory.Schedule{Weekly: []directory.Period{
				period("09:00", "17:00", "mon", "tue", "wed", "thu", "fri"),
				period("10:00", "24:00", "sat"),
			}},
			"mon-fri 09:00-17:00; sat 10:00-24:00"},
		{"empty schedule", directory.Schedule{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sched.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("default mash", func(t *testing.T) {
		d := mustDefault(t)
		mash, err := d.Service("mash")
		if err != nil {
			t.Fatalf(`Service("mash") error: %v`, err)
		}
		if got, want := mash.Hours.String(), "mon-fri 09:00-17:00"; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	})
}

func TestContactsAtPreservesOrder(t *testing.T) {
	s := directory.Service{
		Hours: &directory.Schedule{Weekly: []directory.Period{{Days: []string{"mon"}, Opens: "09:00", Closes: "17:00"}}},
		Contacts: []directory.Contact{
			{Kind: directory.KindEmail, Value: "a@example.org"},
			{Kind: directory.KindPhone, Value: "01582 000 001", Hours: directory.OutOfHours},
			{Kind: directory.KindPhone, Value: "01582 000 002", Hours: directory.InHours},
			{Kind: directory.KindWeb, Value: "https://example.org"},
			{Kind: directory.KindPhone, Value: "01582 000 003", Hours: directory.InHours},
			{Kind: directory.KindPhone, Value: "01582 000 004", Hours: directory.OutOfHours},
		},
	}
	tests := []struct {
		name string
		at   time.Time
		want []string
	}{
		{"in hours", london(2026, time.March, 2, 10, 0),
			[]string{"a@example.org", "01582 000 002", "https://example.org", "01582 000 003"}},
		{"out of hours", london(2026, time.March, 2, 18, 0),
			[]string{"a@example.org", "01582 000 001", "https://example.org", "01582 000 004"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contactValues(s.ContactsAt(tt.at)); !slices.Equal(got, tt.want) {
				t.Errorf("ContactsAt = %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("every contact without hours", func(t *testing.T) {
		s := s
		s.Hours = nil
		s.Contacts = []directory.Contact{
			{Kind: directory.KindPhone, Value: "101"},
			{Kind: directory.KindWeb, Value: "https://example.org"},
		}
		if !s.InHours(london(2026, time.March, 8, 3, 0)) {
			t.Errorf("InHours without a schedule = false, want true")
		}
		got := contactValues(s.ContactsAt(london(2026, time.March, 8, 3, 0)))
		if want := []string{"101", "https://example.org"}; !slices.Equal(got, want) {
			t.Errorf("ContactsAt = %q, want %q", got, want)
		}
	})
}

func TestLondon(t *testing.T) {
	if got, want := directory.London().String(), directory.TimeZone; got != want {
		t.Errorf("London() = %q, want %q", got, want)
	}
}
