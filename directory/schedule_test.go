package directory_test

import (
	"encoding/json"
	"slices"
	"strings"
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
		{"in hours Friday 15:59", london(2026, time.March, 6, 15, 59), true, []string{inHours, email}},
		{"last hour Friday 16:59 adds the out-of-hours number", london(2026, time.March, 6, 16, 59), true, []string{inHours, email, outHours}},
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
		// 16:00Z is 17:00 local; the last hour starts at 15:00Z.
		{"in hours BST Friday 14:59Z", time.Date(2026, time.October, 23, 14, 59, 0, 0, time.UTC), true, []string{inHours, email}},
		{"last hour BST Friday 15:00Z", time.Date(2026, time.October, 23, 15, 0, 0, 0, time.UTC), true, []string{inHours, email, outHours}},
		{"last hour BST Friday 15:59Z", time.Date(2026, time.October, 23, 15, 59, 0, 0, time.UTC), true, []string{inHours, email, outHours}},
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
		{"open round the clock", directory.AlwaysOpen(), "24 hours a day, every day"},
		{"open round the clock in two periods a day",
			directory.Schedule{BankHolidays: directory.BankHolidaysOpen, Weekly: []directory.Period{
				period("12:00", "24:00", "mon", "tue", "wed", "thu", "fri", "sat", "sun"),
				period("00:00", "12:00", "sun", "mon", "tue", "wed", "thu", "fri", "sat"),
			}},
			"24 hours a day, every day"},
		{"open round the clock but closed on bank holidays",
			directory.Schedule{Weekly: []directory.Period{period("00:00", "24:00", "mon", "tue", "wed", "thu", "fri", "sat", "sun")}},
			"24 hours a day, every day except bank holidays"},
		{"all day but not every day",
			directory.Schedule{BankHolidays: directory.BankHolidaysOpen, Weekly: []directory.Period{period("00:00", "24:00", "mon", "tue", "wed", "thu", "fri", "sat")}},
			"mon-sat 00:00-24:00"},
		{"every day but not all day",
			directory.Schedule{BankHolidays: directory.BankHolidaysOpen, Weekly: []directory.Period{period("00:00", "23:59", "mon", "tue", "wed", "thu", "fri", "sat", "sun")}},
			"mon-sun 00:00-23:59"},
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

// TestContactsAtLastHour checks that in the hour before a service closes
// its out-of-hours contacts come after the in-hours ones, across the
// boundaries, in winter and summer time and on the nights the clocks change.
func TestContactsAtLastHour(t *testing.T) {
	const (
		inHours  = "01582 000 001"
		outHours = "0300 000 002"
		email    = "office@example.org"
	)
	service := func(weekly ...directory.Period) directory.Service {
		return directory.Service{
			Hours: &directory.Schedule{Weekly: weekly},
			Contacts: []directory.Contact{
				{Kind: directory.KindPhone, Value: inHours, Hours: directory.InHours},
				{Kind: directory.KindPhone, Value: outHours, Hours: directory.OutOfHours},
				{Kind: directory.KindEmail, Value: email},
			},
		}
	}
	weekdays := []string{"mon", "tue", "wed", "thu", "fri"}
	office := service(directory.Period{Days: weekdays, Opens: "09:00", Closes: "17:00"})
	lunch := service(
		directory.Period{Days: weekdays, Opens: "09:00", Closes: "12:00"},
		directory.Period{Days: weekdays, Opens: "13:00", Closes: "17:00"},
	)
	joined := service(
		directory.Period{Days: weekdays, Opens: "09:00", Closes: "12:00"},
		directory.Period{Days: weekdays, Opens: "12:00", Closes: "17:00"},
	)
	overnight := service(
		directory.Period{Days: []string{"mon"}, Opens: "18:00", Closes: "24:00"},
		directory.Period{Days: []string{"tue"}, Opens: "00:00", Closes: "02:00"},
	)
	untilMidnight := service(directory.Period{Days: []string{"mon"}, Opens: "18:00", Closes: "24:00"})
	// 2026-10-25 and 2026-03-29 are the Sundays the clocks change at 01:00Z.
	autumnNight := service(directory.Period{Days: []string{"sun"}, Opens: "00:00", Closes: "02:00"})
	springNight := service(directory.Period{Days: []string{"sun"}, Opens: "00:00", Closes: "02:30"})
	allHours := directory.Service{Contacts: office.Contacts}
	always := directory.AlwaysOpen()
	allHours.Hours = &always

	var (
		in      = []string{inHours, email}
		closing = []string{inHours, email, outHours}
		out     = []string{outHours, email}
	)
	utc := func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2026, month, day, hour, min, 0, 0, time.UTC)
	}
	tests := []struct {
		name string
		svc  directory.Service
		at   time.Time
		want []string
	}{
		// Wednesday 25 November 2026, GMT.
		{"winter 15:59 is in hours", office, london(2026, time.November, 25, 15, 59), in},
		{"winter 16:00 starts the last hour", office, london(2026, time.November, 25, 16, 0), closing},
		{"winter 16:59 is the last hour", office, london(2026, time.November, 25, 16, 59), closing},
		{"winter 16:59:59 is the last hour", office, time.Date(2026, time.November, 25, 16, 59, 59, 0, directory.London()), closing},
		{"winter 17:00 is out of hours", office, london(2026, time.November, 25, 17, 0), out},
		// Wednesday 1 July 2026, BST: London 16:00 is 15:00Z.
		{"summer 15:59 is in hours", office, london(2026, time.July, 1, 15, 59), in},
		{"summer 16:00 starts the last hour", office, london(2026, time.July, 1, 16, 0), closing},
		{"summer 16:59 is the last hour", office, london(2026, time.July, 1, 16, 59), closing},
		{"summer 17:00 is out of hours", office, london(2026, time.July, 1, 17, 0), out},
		{"summer 15:00Z is 16:00 BST, the last hour", office, utc(time.July, 1, 15, 0), closing},
		{"summer 14:59Z is 15:59 BST, in hours", office, utc(time.July, 1, 14, 59), in},
		// Monday 30 March 2026, the first weekday of summer time.
		{"after spring forward 15:59 BST is in hours", office, london(2026, time.March, 30, 15, 59), in},
		{"after spring forward 16:00 BST starts the last hour", office, london(2026, time.March, 30, 16, 0), closing},
		{"after spring forward 17:00 BST is out of hours", office, london(2026, time.March, 30, 17, 0), out},
		// A closing for lunch is a close: out-of-hours contacts apply then.
		{"before lunch is the last hour", lunch, london(2026, time.November, 25, 11, 30), closing},
		{"at lunch is out of hours", lunch, london(2026, time.November, 25, 12, 30), out},
		{"periods that meet are one opening", joined, london(2026, time.November, 25, 11, 30), in},
		{"periods that meet close at the end", joined, london(2026, time.November, 25, 16, 30), closing},
		// Monday 23 November 2026 evening into Tuesday.
		{"open past midnight: 23:30 is not the last hour", overnight, london(2026, time.November, 23, 23, 30), in},
		{"open past midnight: 01:00 starts the last hour", overnight, london(2026, time.November, 24, 1, 0), closing},
		{"open past midnight: 02:00 is out of hours", overnight, london(2026, time.November, 24, 2, 0), out},
		{"closes at 24:00: 23:00 starts the last hour", untilMidnight, london(2026, time.November, 23, 23, 0), closing},
		{"closes at 24:00: 22:59 is in hours", untilMidnight, london(2026, time.November, 23, 22, 59), in},
		{"closes at 24:00: Tuesday 00:00 is out of hours", untilMidnight, london(2026, time.November, 24, 0, 0), out},
		// Autumn back: 01:00-02:00 BST is followed by 01:00-02:00 GMT, so
		// a 02:00 close is two hours after 01:00 BST. The hour is real time.
		{"autumn back 00:30Z (01:30 BST) is 90 minutes before 02:00", autumnNight, utc(time.October, 25, 0, 30), in},
		{"autumn back 00:59Z (01:59 BST) is 61 minutes before 02:00", autumnNight, utc(time.October, 25, 0, 59), in},
		{"autumn back 01:00Z (01:00 GMT) starts the last hour", autumnNight, utc(time.October, 25, 1, 0), closing},
		{"autumn back 01:59Z (01:59 GMT) is the last hour", autumnNight, utc(time.October, 25, 1, 59), closing},
		{"autumn back 02:00Z (02:00 GMT) is out of hours", autumnNight, utc(time.October, 25, 2, 0), out},
		// Spring forward: 01:00 GMT becomes 02:00 BST, so a 02:30 close
		// is 01:30Z and its last hour starts at 00:30 GMT.
		{"spring forward 00:29Z (00:29 GMT) is 61 minutes before 02:30 BST", springNight, utc(time.March, 29, 0, 29), in},
		{"spring forward 00:30Z (00:30 GMT) starts the last hour", springNight, utc(time.March, 29, 0, 30), closing},
		{"spring forward 01:29Z (02:29 BST) is the last hour", springNight, utc(time.March, 29, 1, 29), closing},
		{"spring forward 01:30Z (02:30 BST) is out of hours", springNight, utc(time.March, 29, 1, 30), out},
		// Open round the clock: never a last hour.
		{"24 hours at 23:59", allHours, london(2026, time.November, 25, 23, 59), in},
		{"24 hours on Christmas Day", allHours, london(2026, time.December, 25, 23, 30), in},
		{"24 hours on the autumn back night", allHours, utc(time.October, 25, 1, 30), in},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contactValues(tt.svc.ContactsAt(tt.at)); !slices.Equal(got, tt.want) {
				t.Errorf("ContactsAt(%v) = %q, want %q", tt.at.In(directory.London()), got, tt.want)
			}
			_, why := tt.svc.HoursAt(tt.at)
			if got, want := strings.Contains(why, "closes within the hour"), slices.Equal(tt.want, closing); got != want {
				t.Errorf("HoursAt(%v) reason %q: says closing soon %v, want %v", tt.at.In(directory.London()), why, got, want)
			}
		})
	}
}

func TestScheduleClosesAt(t *testing.T) {
	weekdays := []string{"mon", "tue", "wed", "thu", "fri"}
	office := directory.Schedule{Weekly: []directory.Period{{Days: weekdays, Opens: "09:00", Closes: "17:00"}}}
	overnight := directory.Schedule{Weekly: []directory.Period{
		{Days: []string{"mon"}, Opens: "18:00", Closes: "24:00"},
		{Days: []string{"tue"}, Opens: "00:00", Closes: "02:00"},
	}}
	nightToHalfOne := directory.Schedule{Weekly: []directory.Period{{Days: []string{"sun"}, Opens: "00:00", Closes: "01:30"}}}
	always := directory.AlwaysOpen()
	alwaysBut := directory.AlwaysOpen()
	alwaysBut.Exceptions = []directory.Exception{{Date: "2026-11-28", Closed: true, Note: "move"}}
	tests := []struct {
		name  string
		sched directory.Schedule
		at    time.Time
		want  time.Time // zero: not ok
	}{
		{"open: today's close", office, london(2026, time.November, 25, 10, 0), london(2026, time.November, 25, 17, 0)},
		{"in another zone: the close in that zone", office, time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC),
			time.Date(2026, time.July, 1, 16, 0, 0, 0, time.UTC)},
		{"closed: none", office, london(2026, time.November, 25, 17, 0), time.Time{}},
		{"closed on a bank holiday: none", office, london(2035, time.December, 25, 10, 0), time.Time{}},
		{"past midnight: the next day's close", overnight, london(2026, time.November, 23, 20, 0), london(2026, time.November, 24, 2, 0)},
		// 2026-10-25: the clocks show 01:00-01:59 twice, BST then GMT.
		{"clocks going back: a 01:30 close in BST", nightToHalfOne, time.Date(2026, time.October, 25, 0, 10, 0, 0, time.UTC),
			time.Date(2026, time.October, 25, 0, 30, 0, 0, time.UTC)},
		{"clocks going back: a 01:30 close again in GMT", nightToHalfOne, time.Date(2026, time.October, 25, 1, 10, 0, 0, time.UTC),
			time.Date(2026, time.October, 25, 1, 30, 0, 0, time.UTC)},
		// 2026-03-29: the clocks jump from 01:00 GMT to 02:00 BST.
		{"clocks going forward past a 01:30 close: the jump", nightToHalfOne, time.Date(2026, time.March, 29, 0, 10, 0, 0, time.UTC),
			time.Date(2026, time.March, 29, 1, 0, 0, 0, time.UTC)},
		{"open round the clock: none", always, london(2026, time.November, 25, 10, 0), time.Time{}},
		{"open round the clock but a closed day: its midnight", alwaysBut, london(2026, time.November, 25, 10, 0), london(2026, time.November, 28, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.sched.ClosesAt(tt.at)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("ClosesAt(%v) = %v, %v; want %v", tt.at, got, ok, tt.want)
			}
			if ok && got.Location() != tt.at.Location() {
				t.Errorf("ClosesAt(%v) = %v, not in the location of its argument", tt.at, got)
			}
		})
	}
}

func TestAlwaysOpen(t *testing.T) {
	s := directory.AlwaysOpen()
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"weekly":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"opens":"00:00","closes":"24:00"}],"bank_holidays":"open"}`
	if string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	var back directory.Schedule
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if !back.IsAlwaysOpen() {
		t.Errorf("IsAlwaysOpen() after a JSON round trip = false, want true")
	}
	closedOnHolidays := back.Clone()
	closedOnHolidays.BankHolidays = ""
	if closedOnHolidays.IsAlwaysOpen() {
		t.Errorf("IsAlwaysOpen() when closed on bank holidays = true, want false")
	}
	if (directory.Schedule{}).IsAlwaysOpen() {
		t.Errorf("IsAlwaysOpen() of an empty schedule = true, want false")
	}

	for _, at := range []time.Time{
		london(2026, time.November, 25, 0, 0),
		london(2026, time.November, 29, 23, 59),
		time.Date(2026, time.March, 29, 1, 0, 0, 0, time.UTC),    // spring forward
		time.Date(2026, time.October, 25, 1, 30, 0, 0, time.UTC), // autumn back
		london(2040, time.December, 25, 12, 0),
	} {
		if !s.OpenAt(at) {
			t.Errorf("OpenAt(%v) = false, want true", at)
		}
	}

	// A directory may use it: Validate accepts it as it stands.
	d := mustDefault(t)
	for i := range d.Services {
		if d.Services[i].ID == "mash" {
			d.Services[i].Hours = &s
		}
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Validate with MASH open round the clock: %v", err)
	}
}
