package directory

import (
	"fmt"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo, such as a scratch container.
)

// TimeZone is the zone every opening time is written in. Times are local
// wall-clock times, so opening hours stay right across the clock changes.
const TimeZone = "Europe/London"

var london = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		// time/tzdata is linked in, so this cannot fail; fall back to UTC
		// rather than crash a service that people in danger rely on.
		return time.UTC
	}
	return loc
})

// London returns the Europe/London location.
func London() *time.Location { return london() }

// UKDay is t's date in the UK, "YYYY-MM-DD": the day a service is
// verified on, a conversation is counted in, and stale ages run from.
func UKDay(t time.Time) string { return t.In(London()).Format(time.DateOnly) }

// Weekday names used in opening periods, Sunday first as in time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Schedule is a service's opening hours in Europe/London local time:
// weekly periods, what happens on bank holidays, and dated exceptions.
//
// A service open round the clock has one weekly period on every day from
// "00:00" to "24:00" and BankHolidays "open" (AlwaysOpen returns it).
type Schedule struct {
	Weekly []Period `json:"weekly"`
	// BankHolidays says whether the service keeps its weekly hours on bank
	// holidays ("open") or is closed then (BankHolidaysClosed, the default
	// when empty). The bank holidays are England and Wales's, by rule, with
	// the directory's listed changes once Directory.Prepare has linked the
	// schedule (see Directory.HolidaysIn).
	BankHolidays string `json:"bank_holidays,omitempty"`
	// Exceptions override the weekly hours and bank holidays on a date.
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Note explains the hours, e.g. that they are a default staff should
	// confirm.
	Note string `json:"note,omitempty"`

	// holidays is the directory's listed bank holidays, linked by
	// Directory.Prepare; nil means the rule alone.
	holidays *calendar
}

// Bank holiday policies for Schedule.BankHolidays.
const (
	BankHolidaysClosed = "closed"
	BankHolidaysOpen   = "open"
)

// Exception is a dated change to a schedule: closed all day, or open
// Opens-Closes that day instead of the weekly hours.
type Exception struct {
	Date   string `json:"date"` // YYYY-MM-DD, Europe/London
	Closed bool   `json:"closed,omitempty"`
	Opens  string `json:"opens,omitempty"`
	Closes string `json:"closes,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Prepare links every schedule in d to d's listed bank holidays (one-off
// days, moves and cancellations; the rule's days apply to every schedule
// without it) and indexes the services for Search. Parse and
// the store call it; call it yourself after building or changing a
// Directory by hand, before sharing it. A prepared directory must not be
// changed (Clone it first).
func (d *Directory) Prepare() {
	d.index = buildIndex(d)
	d.places = NewPlaces(d.PlaceNames.Districts, d.PlaceNames.Towns)
	cal := newCalendar(d.BankHolidays)
	for i := range d.Services {
		if h := d.Services[i].Hours; h != nil {
			linked := *h
			linked.holidays = cal
			d.Services[i].Hours = &linked
		}
	}
}

// Period is one opening window on the listed days: Opens inclusive, Closes
// exclusive, both "HH:MM" (Closes may be "24:00").
type Period struct {
	Days   []string `json:"days"`
	Opens  string   `json:"opens"`
	Closes string   `json:"closes"`
}

// Clone returns a deep copy of s (sharing the immutable bank holiday
// calendar).
func (s Schedule) Clone() Schedule {
	c := s
	c.Weekly = make([]Period, len(s.Weekly))
	for i, p := range s.Weekly {
		c.Weekly[i] = Period{Days: slices.Clone(p.Days), Opens: p.Opens, Closes: p.Closes}
	}
	c.Exceptions = slices.Clone(s.Exceptions)
	return c
}

// AlwaysOpen returns a schedule open 24 hours a day, every day, bank
// holidays included. In a directory file it is
//
//	{"weekly": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "opens": "00:00", "closes": "24:00"}], "bank_holidays": "open"}
func AlwaysOpen() Schedule {
	return Schedule{
		Weekly:       []Period{{Days: []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, Opens: "00:00", Closes: "24:00"}},
		BankHolidays: BankHolidaysOpen,
	}
}

// IsAlwaysOpen reports whether s is open at every moment but on its dated
// exceptions: its weekly periods cover every minute of every day (in any
// number of periods) and it keeps them on bank holidays.
func (s Schedule) IsAlwaysOpen() bool {
	return s.BankHolidays == BankHolidaysOpen && s.allWeek()
}

// allWeek reports whether the weekly periods cover every minute of the week.
func (s Schedule) allWeek() bool {
	for _, name := range dayNames {
		if (day{weekly: s.Weekly, name: name}).openUntil(0) < minutesPerDay {
			return false
		}
	}
	return true
}

// OutOfHoursNotice is how long before a service closes that ContactsAt
// gives its out-of-hours contacts as well as its in-hours ones.
const OutOfHoursNotice = time.Hour

// OpenAt reports whether the schedule is open at instant t, judged in
// Europe/London local time. Malformed periods (which Validate rejects) never
// count as open.
func (s Schedule) OpenAt(t time.Time) bool {
	local := t.In(London())
	date, minute := dateOf(local), minuteOf(local)
	return s.day(date).openUntil(minute) > minute
}

// ClosesAt returns the instant at which the schedule closes after t, if it
// is open at t and closes within the next seven days; ok is false if it is
// closed at t or stays open longer (a service open round the clock).
// Openings that meet, such as 09:00-12:00 and 12:00-17:00, or Monday
// 18:00-24:00 and Tuesday 00:00-02:00, are one opening. The instant is in
// t's location. Times are wall-clock times in Europe/London, so on the night
// the clocks go back 01:30 BST is 90 minutes before a 02:00 close.
func (s Schedule) ClosesAt(t time.Time) (closes time.Time, ok bool) {
	closes, ok = s.closing(t.In(London()), 7*24*time.Hour)
	if !ok {
		return time.Time{}, false
	}
	return closes.In(t.Location()), true
}

// closing returns when the opening that local (a London time) falls in
// ends, if the schedule is open then and it ends within limit.
func (s Schedule) closing(local time.Time, limit time.Duration) (time.Time, bool) {
	date, minute := dateOf(local), minuteOf(local)
	end := s.day(date).openUntil(minute)
	if end == minute {
		return time.Time{}, false
	}
	return s.closeAfter(local, date, end, limit)
}

// closeAfter returns when an opening that goes on until minute end of date
// ends, if that is within limit of local.
func (s Schedule) closeAfter(local time.Time, date civil, end int, limit time.Duration) (time.Time, bool) {
	for {
		at := nextWall(local, date, end)
		if at.Sub(local) > limit {
			return time.Time{}, false
		}
		if end < minutesPerDay {
			return at, true
		}
		// Open until midnight: the opening goes on if the next day opens
		// at 00:00.
		date = date.addDays(1)
		if end = s.day(date).openUntil(0); end == 0 {
			return at, true
		}
	}
}

// nextWall returns the first instant after local at which the clocks in
// London reach minute (up to minutesPerDay) of date. When the clocks go
// back and show that time twice, it is the first of the two still to come;
// when they go forward past it, it is the moment they jump.
func nextWall(local time.Time, date civil, minute int) time.Time {
	if minute == minutesPerDay {
		date, minute = date.addDays(1), 0
	}
	shows := func(at time.Time) bool {
		wall := at.In(London())
		return dateOf(wall) == date && minuteOf(wall) == minute
	}
	at := time.Date(date.y, date.m, date.d, minute/60, minute%60, 0, 0, London())
	switch {
	case !shows(at): // skipped when the clocks went forward
		start, _ := at.ZoneBounds()
		return start
	case shows(at.Add(-time.Hour)) && at.Add(-time.Hour).After(local):
		return at.Add(-time.Hour)
	case shows(at.Add(time.Hour)) && !at.After(local):
		return at.Add(time.Hour)
	}
	return at
}

// At reports whether the schedule is open at instant t and why, in words
// for staff: "weekly hours (mon-fri 09:00-17:00)", "bank holiday (Christmas
// Day)", "exception on 2026-12-24 (Christmas Eve): open 09:00-13:00". Dated
// exceptions come
// first, then bank holidays, then the weekly hours. In the last hour before
// a close (OutOfHoursNotice) the reason ends "; closes within the hour, at
// 17:00".
func (s Schedule) At(t time.Time) (open bool, why string) {
	local := t.In(London())
	date, minute := dateOf(local), minuteOf(local)
	d := s.day(date)
	end := d.openUntil(minute)
	open = end > minute
	switch d.by {
	case byException:
		e := d.exc
		why = "exception on " + e.Date
		if e.Note != "" {
			why += " (" + e.Note + ")"
		}
		switch _, _, ok := clockSpan(e.Opens, e.Closes); {
		case e.Closed:
			why += ": closed all day"
		case !ok:
			why += ": hours unreadable, treated as closed"
		default:
			why += ": open " + e.Opens + "-" + e.Closes
		}
	case byHoliday:
		why = "bank holiday (" + d.holiday + ")"
	default:
		if open {
			why = "weekly hours (" + s.String() + ")"
		} else {
			why = "outside weekly hours (" + s.String() + ")"
		}
	}
	if open {
		if closes, soon := s.closeAfter(local, date, end, OutOfHoursNotice); soon {
			why += "; closes within the hour, at " + closes.Format("15:04")
		}
	}
	return open, why
}

// dayBy says what decides a date's opening hours.
type dayBy int

const (
	byWeekly    dayBy = iota // the weekly periods for its weekday
	byException              // a dated exception
	byHoliday                // a bank holiday the service closes for
)

// day is one date's opening hours.
type day struct {
	by      dayBy
	weekly  []Period   // byWeekly: the schedule's periods
	name    string     // byWeekly: the weekday, as in dayNames
	exc     *Exception // byException
	holiday string     // byHoliday: its name
}

// day returns what decides the opening hours on date: its exception, else
// a bank holiday the schedule closes for, else the weekly hours.
func (s Schedule) day(date civil) day {
	for i := range s.Exceptions {
		if date.is(s.Exceptions[i].Date) {
			return day{by: byException, exc: &s.Exceptions[i]}
		}
	}
	if s.BankHolidays != BankHolidaysOpen {
		if name, ok := s.holidays.holiday(date); ok {
			return day{by: byHoliday, holiday: name}
		}
	}
	return day{weekly: s.Weekly, name: dayNames[date.weekday()]}
}

// openUntil returns the minute of the day (up to minutesPerDay) at which
// the opening that minute falls in ends, joining periods that meet or
// overlap; minute itself if the day is closed then. Unreadable times (which
// Validate rejects) never open.
func (d day) openUntil(minute int) int {
	switch d.by {
	case byHoliday:
		return minute
	case byException:
		if opens, closes, ok := clockSpan(d.exc.Opens, d.exc.Closes); ok && !d.exc.Closed && opens <= minute && minute < closes {
			return closes
		}
		return minute
	}
	end := minute
	for grew := true; grew; {
		grew = false
		for _, p := range d.weekly {
			if !slices.Contains(p.Days, d.name) {
				continue
			}
			if opens, closes, ok := clockSpan(p.Opens, p.Closes); ok && opens <= end && end < closes {
				end, grew = closes, true
			}
		}
	}
	return end
}

// minutesPerDay is "24:00" in minutes.
const minutesPerDay = 24 * 60

// minuteOf returns the wall-clock minute of the day of t in t's location.
func minuteOf(t time.Time) int {
	h, m, _ := t.Clock()
	return h*60 + m
}

// clockSpan reads an opening's times; ok is false if either is unreadable.
func clockSpan(opens, closes string) (o, c int, ok bool) {
	o, err1 := parseClock(opens)
	c, err2 := parseClock(closes)
	return o, c, err1 == nil && err2 == nil
}

// String describes the weekly hours for people, e.g. "mon-fri 09:00-17:00";
// a schedule open round the clock is "24 hours a day, every day" (with
// " except bank holidays" if it closes on them).
func (s Schedule) String() string {
	if s.allWeek() {
		if s.BankHolidays == BankHolidaysOpen {
			return "24 hours a day, every day"
		}
		return "24 hours a day, every day except bank holidays"
	}
	var out string
	for i, p := range s.Weekly {
		if i > 0 {
			out += "; "
		}
		out += daysString(p.Days) + " " + p.Opens + "-" + p.Closes
	}
	return out
}

// daysString writes a run of consecutive weekdays as "mon-fri".
func daysString(days []string) string {
	idx := make([]int, 0, len(days))
	for _, d := range days {
		if i := slices.Index(dayNames[:], d); i >= 0 {
			// Monday first for people: sun sorts last.
			idx = append(idx, (i+6)%7)
		}
	}
	slices.Sort(idx)
	name := func(i int) string { return dayNames[(i+1)%7] }
	var out string
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if out != "" {
			out += ","
		}
		switch {
		case j == i:
			out += name(idx[i])
		default:
			out += name(idx[i]) + "-" + name(idx[j])
		}
		i = j + 1
	}
	return out
}

// parseClock turns "HH:MM" into minutes after midnight; "24:00" is 1440.
func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("%q is not a time (HH:MM)", s)
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a time (HH:MM)", s)
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}

// InHours reports whether s is within its opening hours at t. A service
// without a schedule is always in hours.
func (s Service) InHours(t time.Time) bool {
	if s.Hours == nil {
		return true
	}
	return s.Hours.OpenAt(t)
}

// HoursAt is InHours with the reason, for staff ("bank holiday (Christmas
// Day)"; see Schedule.At). A service without a schedule is always in hours.
func (s Service) HoursAt(t time.Time) (in bool, why string) {
	if s.Hours == nil {
		return true, "no opening hours: every contact applies at all times"
	}
	return s.Hours.At(t)
}

// ContactsAt returns the contacts a person should be given at instant t,
// judged in Europe/London local time:
//
//   - out of hours: the always-available and out-of-hours contacts, in the
//     directory's order;
//   - in hours: the always-available and in-hours contacts in the
//     directory's order, then, in the last hour before the service closes
//     (OutOfHoursNotice: from 16:00:00 for a 17:00 close), its out-of-hours
//     contacts in the directory's order, so that someone at 16:59 already
//     has the number they will need at 17:00.
//
// The close is the end of the opening t falls in, whatever follows it (a
// lunch break too: out-of-hours contacts are what apply whenever the
// service is closed); the hour is real time, also across a clock change. A
// service open round the clock never reaches its last hour, and a service
// without a schedule is always in hours. The result is a new slice.
func (s Service) ContactsAt(t time.Time) []Contact {
	in, closing := true, false
	if s.Hours != nil {
		local := t.In(London())
		date, minute := dateOf(local), minuteOf(local)
		end := s.Hours.day(date).openUntil(minute)
		if in = end > minute; in {
			_, closing = s.Hours.closeAfter(local, date, end, OutOfHoursNotice)
		}
	}
	out := make([]Contact, 0, len(s.Contacts))
	for _, c := range s.Contacts {
		switch {
		case c.Hours == Always,
			c.Hours == InHours && in,
			c.Hours == OutOfHours && !in:
			out = append(out, c)
		}
	}
	if closing {
		for _, c := range s.Contacts {
			if c.Hours == OutOfHours {
				out = append(out, c)
			}
		}
	}
	return out
}
