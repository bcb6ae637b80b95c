package directory_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// holiday is a bank holiday as the tables below write it.
type holiday struct{ date, name string }

func holidays(hs []directory.Holiday) []holiday {
	out := make([]holiday, len(hs))
	for i, h := range hs {
		out[i] = holiday{h.Date, h.Name}
	}
	return out
}

// publishedHolidays are GOV.UK's published bank holidays for England and
// Wales, 2025 to 2028, as default.json listed them.
var publishedHolidays = map[int][]holiday{
	2025: {
		{"2025-01-01", "New Year's Day"},
		{"2025-04-18", "Good Friday"},
		{"2025-04-21", "Easter Monday"},
		{"2025-05-05", "Early May bank holiday"},
		{"2025-05-26", "Spring bank holiday"},
		{"2025-08-25", "Summer bank holiday"},
		{"2025-12-25", "Christmas Day"},
		{"2025-12-26", "Boxing Day"},
	},
	2026: {
		{"2026-01-01", "New Year's Day"},
		{"2026-04-03", "Good Friday"},
		{"2026-04-06", "Easter Monday"},
		{"2026-05-04", "Early May bank holiday"},
		{"2026-05-25", "Spring bank holiday"},
		{"2026-08-31", "Summer bank holiday"},
		{"2026-12-25", "Christmas Day"},
		{"2026-12-28", "Boxing Day (substitute day)"},
	},
	2027: {
		{"2027-01-01", "New Year's Day"},
		{"2027-03-26", "Good Friday"},
		{"2027-03-29", "Easter Monday"},
		{"2027-05-03", "Early May bank holiday"},
		{"2027-05-31", "Spring bank holiday"},
		{"2027-08-30", "Summer bank holiday"},
		{"2027-12-27", "Christmas Day (substitute day)"},
		{"2027-12-28", "Boxing Day (substitute day)"},
	},
	2028: {
		{"2028-01-03", "New Year's Day (substitute day)"},
		{"2028-04-14", "Good Friday"},
		{"2028-04-17", "Easter Monday"},
		{"2028-05-01", "Early May bank holiday"},
		{"2028-05-29", "Spring bank holiday"},
		{"2028-08-28", "Summer bank holiday"},
		{"2028-12-25", "Christmas Day"},
		{"2028-12-26", "Boxing Day"},
	},
}

// ruleHolidays are the bank holidays for 2029 to 2040 written out from the
// rules, with Easter from the table in TestEasterSundays. They cover
// Christmas on every weekday and weekend day, and New Year's Day on a
// Saturday (2033, 2039) and a Sunday (2034, 2040).
var ruleHolidays = map[int][]holiday{
	2029: {
		{"2029-01-01", "New Year's Day"},
		{"2029-03-30", "Good Friday"},
		{"2029-04-02", "Easter Monday"},
		{"2029-05-07", "Early May bank holiday"},
		{"2029-05-28", "Spring bank holiday"},
		{"2029-08-27", "Summer bank holiday"},
		{"2029-12-25", "Christmas Day"},
		{"2029-12-26", "Boxing Day"},
	},
	2030: {
		{"2030-01-01", "New Year's Day"},
		{"2030-04-19", "Good Friday"},
		{"2030-04-22", "Easter Monday"},
		{"2030-05-06", "Early May bank holiday"},
		{"2030-05-27", "Spring bank holiday"},
		{"2030-08-26", "Summer bank holiday"},
		{"2030-12-25", "Christmas Day"},
		{"2030-12-26", "Boxing Day"},
	},
	2031: {
		{"2031-01-01", "New Year's Day"},
		{"2031-04-11", "Good Friday"},
		{"2031-04-14", "Easter Monday"},
		{"2031-05-05", "Early May bank holiday"},
		{"2031-05-26", "Spring bank holiday"},
		{"2031-08-25", "Summer bank holiday"},
		{"2031-12-25", "Christmas Day"},
		{"2031-12-26", "Boxing Day"},
	},
	2032: {
		{"2032-01-01", "New Year's Day"},
		{"2032-03-26", "Good Friday"},
		{"2032-03-29", "Easter Monday"},
		{"2032-05-03", "Early May bank holiday"},
		{"2032-05-31", "Spring bank holiday"},
		{"2032-08-30", "Summer bank holiday"},
		{"2032-12-27", "Christmas Day (substitute day)"},
		{"2032-12-28", "Boxing Day (substitute day)"},
	},
	2033: {
		{"2033-01-03", "New Year's Day (substitute day)"},
		{"2033-04-15", "Good Friday"},
		{"2033-04-18", "Easter Monday"},
		{"2033-05-02", "Early May bank holiday"},
		{"2033-05-30", "Spring bank holiday"},
		{"2033-08-29", "Summer bank holiday"},
		{"2033-12-26", "Boxing Day"},
		{"2033-12-27", "Christmas Day (substitute day)"},
	},
	2034: {
		{"2034-01-02", "New Year's Day (substitute day)"},
		{"2034-04-07", "Good Friday"},
		{"2034-04-10", "Easter Monday"},
		{"2034-05-01", "Early May bank holiday"},
		{"2034-05-29", "Spring bank holiday"},
		{"2034-08-28", "Summer bank holiday"},
		{"2034-12-25", "Christmas Day"},
		{"2034-12-26", "Boxing Day"},
	},
	2035: {
		{"2035-01-01", "New Year's Day"},
		{"2035-03-23", "Good Friday"},
		{"2035-03-26", "Easter Monday"},
		{"2035-05-07", "Early May bank holiday"},
		{"2035-05-28", "Spring bank holiday"},
		{"2035-08-27", "Summer bank holiday"},
		{"2035-12-25", "Christmas Day"},
		{"2035-12-26", "Boxing Day"},
	},
	2036: {
		{"2036-01-01", "New Year's Day"},
		{"2036-04-11", "Good Friday"},
		{"2036-04-14", "Easter Monday"},
		{"2036-05-05", "Early May bank holiday"},
		{"2036-05-26", "Spring bank holiday"},
		{"2036-08-25", "Summer bank holiday"},
		{"2036-12-25", "Christmas Day"},
		{"2036-12-26", "Boxing Day"},
	},
	2037: {
		{"2037-01-01", "New Year's Day"},
		{"2037-04-03", "Good Friday"},
		{"2037-04-06", "Easter Monday"},
		{"2037-05-04", "Early May bank holiday"},
		{"2037-05-25", "Spring bank holiday"},
		{"2037-08-31", "Summer bank holiday"},
		{"2037-12-25", "Christmas Day"},
		{"2037-12-28", "Boxing Day (substitute day)"},
	},
	2038: {
		{"2038-01-01", "New Year's Day"},
		{"2038-04-23", "Good Friday"},
		{"2038-04-26", "Easter Monday"},
		{"2038-05-03", "Early May bank holiday"},
		{"2038-05-31", "Spring bank holiday"},
		{"2038-08-30", "Summer bank holiday"},
		{"2038-12-27", "Christmas Day (substitute day)"},
		{"2038-12-28", "Boxing Day (substitute day)"},
	},
	2039: {
		{"2039-01-03", "New Year's Day (substitute day)"},
		{"2039-04-08", "Good Friday"},
		{"2039-04-11", "Easter Monday"},
		{"2039-05-02", "Early May bank holiday"},
		{"2039-05-30", "Spring bank holiday"},
		{"2039-08-29", "Summer bank holiday"},
		{"2039-12-26", "Boxing Day"},
		{"2039-12-27", "Christmas Day (substitute day)"},
	},
	2040: {
		{"2040-01-02", "New Year's Day (substitute day)"},
		{"2040-03-30", "Good Friday"},
		{"2040-04-02", "Easter Monday"},
		{"2040-05-07", "Early May bank holiday"},
		{"2040-05-28", "Spring bank holiday"},
		{"2040-08-27", "Summer bank holiday"},
		{"2040-12-25", "Christmas Day"},
		{"2040-12-26", "Boxing Day"},
	},
}

// TestHolidaysInByRule compares the rule, with no listed holidays, with the
// tables for every year from 2025 to 2040.
func TestHolidaysInByRule(t *testing.T) {
	empty := &directory.Directory{}
	for year := 2025; year <= 2040; year++ {
		want, ok := publishedHolidays[year]
		if !ok {
			want = ruleHolidays[year]
		}
		if got := holidays(empty.HolidaysIn(year)); !slices.Equal(got, want) {
			t.Errorf("HolidaysIn(%d) =\n%q\nwant\n%q", year, got, want)
		}
	}
}

// TestEasterSundays checks Good Friday and Easter Monday against a table of
// Easter Sundays.
func TestEasterSundays(t *testing.T) {
	easter := map[int]string{
		2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16",
		2029: "2029-04-01", 2030: "2030-04-21", 2031: "2031-04-13", 2032: "2032-03-28",
		2033: "2033-04-17", 2034: "2034-04-09", 2035: "2035-03-25", 2036: "2036-04-13",
		2037: "2037-04-05", 2038: "2038-04-25", 2039: "2039-04-10", 2040: "2040-04-01",
		// The earliest and latest Easters of the Gregorian calendar.
		1818: "1818-03-22", 2285: "2285-03-22", 1943: "1943-04-25",
	}
	empty := &directory.Directory{}
	for year, sunday := range easter {
		day, err := time.Parse(time.DateOnly, sunday)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, h := range empty.HolidaysIn(year) {
			got[h.Name] = h.Date
		}
		if want := day.AddDate(0, 0, -2).Format(time.DateOnly); got["Good Friday"] != want {
			t.Errorf("%d: Good Friday %q, want %q (Easter Sunday %s)", year, got["Good Friday"], want, sunday)
		}
		if want := day.AddDate(0, 0, 1).Format(time.DateOnly); got["Easter Monday"] != want {
			t.Errorf("%d: Easter Monday %q, want %q (Easter Sunday %s)", year, got["Easter Monday"], want, sunday)
		}
	}
}

// specialHolidays are the one-off changes of 2020 to 2023 as a directory
// lists them: the Early May bank holiday of 2020 moved to Friday 8 May for
// VE day; the Spring bank holiday of 2022 moved to Thursday 2 June beside
// the Platinum Jubilee; two one-off days.
var specialHolidays = []directory.Holiday{
	{Date: "2020-05-08", Name: "Early May bank holiday (VE day)", Replaces: "2020-05-04"},
	{Date: "2022-06-02", Name: "Spring bank holiday", Replaces: "2022-05-30"},
	{Date: "2022-06-03", Name: "Platinum Jubilee bank holiday"},
	{Date: "2022-09-19", Name: "Bank Holiday for the State Funeral of Queen Elizabeth II"},
	{Date: "2023-05-08", Name: "Bank holiday for the coronation of King Charles III"},
}

// TestHolidaysInWithListedChanges checks the rule with the one-off changes
// against GOV.UK's published lists for 2020, 2022 and 2023.
func TestHolidaysInWithListedChanges(t *testing.T) {
	d := &directory.Directory{BankHolidays: specialHolidays}
	tests := []struct {
		year int
		want []holiday
	}{
		{2020, []holiday{
			{"2020-01-01", "New Year's Day"},
			{"2020-04-10", "Good Friday"},
			{"2020-04-13", "Easter Monday"},
			{"2020-05-08", "Early May bank holiday (VE day)"},
			{"2020-05-25", "Spring bank holiday"},
			{"2020-08-31", "Summer bank holiday"},
			{"2020-12-25", "Christmas Day"},
			{"2020-12-28", "Boxing Day (substitute day)"},
		}},
		{2021, []holiday{
			{"2021-01-01", "New Year's Day"},
			{"2021-04-02", "Good Friday"},
			{"2021-04-05", "Easter Monday"},
			{"2021-05-03", "Early May bank holiday"},
			{"2021-05-31", "Spring bank holiday"},
			{"2021-08-30", "Summer bank holiday"},
			{"2021-12-27", "Christmas Day (substitute day)"},
			{"2021-12-28", "Boxing Day (substitute day)"},
		}},
		{2022, []holiday{
			{"2022-01-03", "New Year's Day (substitute day)"},
			{"2022-04-15", "Good Friday"},
			{"2022-04-18", "Easter Monday"},
			{"2022-05-02", "Early May bank holiday"},
			{"2022-06-02", "Spring bank holiday"},
			{"2022-06-03", "Platinum Jubilee bank holiday"},
			{"2022-08-29", "Summer bank holiday"},
			{"2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"},
			{"2022-12-26", "Boxing Day"},
			{"2022-12-27", "Christmas Day (substitute day)"},
		}},
		{2023, []holiday{
			{"2023-01-02", "New Year's Day (substitute day)"},
			{"2023-04-07", "Good Friday"},
			{"2023-04-10", "Easter Monday"},
			{"2023-05-01", "Early May bank holiday"},
			{"2023-05-08", "Bank holiday for the coronation of King Charles III"},
			{"2023-05-29", "Spring bank holiday"},
			{"2023-08-28", "Summer bank holiday"},
			{"2023-12-25", "Christmas Day"},
			{"2023-12-26", "Boxing Day"},
		}},
		{2026, publishedHolidays[2026]},
	}
	for _, tt := range tests {
		if got := holidays(d.HolidaysIn(tt.year)); !slices.Equal(got, tt.want) {
			t.Errorf("HolidaysIn(%d) =\n%q\nwant\n%q", tt.year, got, tt.want)
		}
	}

	t.Run("a cancelled holiday", func(t *testing.T) {
		d := &directory.Directory{BankHolidays: []directory.Holiday{{Date: "2031-05-05", Name: "Early May bank holiday", Cancel: true}}}
		got := holidays(d.HolidaysIn(2031))
		want := slices.DeleteFunc(slices.Clone(ruleHolidays[2031]), func(h holiday) bool { return h.date == "2031-05-05" })
		if len(want) != 7 || !slices.Equal(got, want) {
			t.Errorf("HolidaysIn(2031) = %q, want %q", got, want)
		}
	})
	t.Run("the published list listed again changes nothing", func(t *testing.T) {
		var listed []directory.Holiday
		for year := 2025; year <= 2028; year++ {
			for _, h := range publishedHolidays[year] {
				listed = append(listed, directory.Holiday{Date: h.date, Name: h.name})
			}
		}
		d := &directory.Directory{BankHolidays: listed}
		for year := 2025; year <= 2028; year++ {
			if got := holidays(d.HolidaysIn(year)); !slices.Equal(got, publishedHolidays[year]) {
				t.Errorf("HolidaysIn(%d) = %q, want %q", year, got, publishedHolidays[year])
			}
		}
	})
	t.Run("a listed name wins over the rule's", func(t *testing.T) {
		d := &directory.Directory{BankHolidays: []directory.Holiday{{Date: "2030-12-25", Name: "Christmas"}}}
		if got := d.HolidaysIn(2030)[6]; got.Date != "2030-12-25" || got.Name != "Christmas" {
			t.Errorf("HolidaysIn(2030)[6] = %+v, want the listed name", got)
		}
	})
}

// TestListedHolidaysInOpeningHours checks that a prepared directory's
// schedules follow the listed moves and one-off days.
func TestListedHolidaysInOpeningHours(t *testing.T) {
	d := mustDefault(t)
	d.BankHolidays = specialHolidays
	d.Prepare()
	mash, err := d.Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		at      time.Time
		wantIn  bool
		wantWhy string
	}{
		{"the day Early May 2020 moved from is a working day", london(2020, time.May, 4, 10, 0), true, "weekly hours"},
		{"the day it moved to is a bank holiday", london(2020, time.May, 8, 10, 0), false, "bank holiday (Early May bank holiday (VE day))"},
		{"the day Spring 2022 moved from is a working day", london(2022, time.May, 30, 10, 0), true, "weekly hours"},
		{"the day it moved to is a bank holiday", london(2022, time.June, 2, 10, 0), false, "bank holiday (Spring bank holiday)"},
		{"the Platinum Jubilee", london(2022, time.June, 3, 10, 0), false, "bank holiday (Platinum Jubilee bank holiday)"},
		{"the State Funeral", london(2022, time.September, 19, 10, 0), false, "bank holiday (Bank Holiday for the State Funeral of Queen Elizabeth II)"},
		{"the Coronation", london(2023, time.May, 8, 10, 0), false, "bank holiday (Bank holiday for the coronation of King Charles III)"},
		{"the rule goes on", london(2026, time.December, 28, 10, 0), false, "bank holiday (Boxing Day (substitute day))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, why := mash.HoursAt(tt.at)
			if in != tt.wantIn || !strings.HasPrefix(why, tt.wantWhy) {
				t.Errorf("HoursAt(%v) = %v, %q; want %v, %q...", tt.at, in, why, tt.wantIn, tt.wantWhy)
			}
		})
	}
}

// TestClosedOnFarChristmas checks that office hours closed on bank holidays
// are closed on Christmas Day years ahead with no holidays listed: in a
// schedule never linked to a directory, and in a prepared directory with
// an empty list.
func TestClosedOnFarChristmas(t *testing.T) {
	weekdays := []string{"mon", "tue", "wed", "thu", "fri"}
	alone := directory.Service{Hours: &directory.Schedule{
		Weekly:       []directory.Period{{Days: weekdays, Opens: "09:00", Closes: "17:00"}},
		BankHolidays: directory.BankHolidaysClosed,
	}}
	d := mustDefault(t)
	d.BankHolidays = nil
	d.Prepare()
	mash, err := d.Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		at      time.Time
		wantIn  bool
		wantWhy string
	}{
		{"Christmas Day 2035, a Tuesday", london(2035, time.December, 25, 10, 0), false, "bank holiday (Christmas Day)"},
		{"Boxing Day 2035", london(2035, time.December, 26, 10, 0), false, "bank holiday (Boxing Day)"},
		{"the day after, a Thursday", london(2035, time.December, 27, 10, 0), true, "weekly hours"},
		{"Christmas Day 2040, a Tuesday", london(2040, time.December, 25, 10, 0), false, "bank holiday (Christmas Day)"},
		{"New Year's Day 2040 on Monday 2 January", london(2040, time.January, 2, 10, 0), false, "bank holiday (New Year's Day (substitute day))"},
		{"Christmas Day 2033 on Tuesday 27 December", london(2033, time.December, 27, 10, 0), false, "bank holiday (Christmas Day (substitute day))"},
		{"Boxing Day 2033 on Monday 26 December", london(2033, time.December, 26, 10, 0), false, "bank holiday (Boxing Day)"},
		{"Good Friday 2035", london(2035, time.March, 23, 10, 0), false, "bank holiday (Good Friday)"},
	}
	for _, tt := range tests {
		for svcName, svc := range map[string]directory.Service{"unlinked": alone, "empty list": mash} {
			t.Run(tt.name+" "+svcName, func(t *testing.T) {
				in, why := svc.HoursAt(tt.at)
				if in != tt.wantIn || !strings.HasPrefix(why, tt.wantWhy) {
					t.Errorf("HoursAt(%v) = %v, %q; want %v, %q...", tt.at, in, why, tt.wantIn, tt.wantWhy)
				}
			})
		}
	}
}

// TestHolidayJSON checks that a bank_holidays list written before moves
// and cancellations existed reads and writes as it did, and that the new
// fields round-trip.
func TestHolidayJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want directory.Holiday
	}{
		{"a plain holiday", `{"date":"2026-12-25","name":"Christmas Day"}`,
			directory.Holiday{Date: "2026-12-25", Name: "Christmas Day"}},
		{"a move", `{"date":"2020-05-08","name":"Early May bank holiday (VE day)","replaces":"2020-05-04"}`,
			directory.Holiday{Date: "2020-05-08", Name: "Early May bank holiday (VE day)", Replaces: "2020-05-04"}},
		{"a cancellation", `{"date":"2031-05-05","name":"Early May bank holiday","cancel":true}`,
			directory.Holiday{Date: "2031-05-05", Name: "Early May bank holiday", Cancel: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			dec.DisallowUnknownFields()
			var got directory.Holiday
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("decoded %+v, want %+v", got, tt.want)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, []byte(tt.in)) {
				t.Errorf("encoded %s, want %s", out, tt.in)
			}
		})
	}
}

func BenchmarkHolidaysIn(b *testing.B) {
	d := &directory.Directory{BankHolidays: specialHolidays}
	b.ReportAllocs()
	for b.Loop() {
		d.HolidaysIn(2022)
	}
}
