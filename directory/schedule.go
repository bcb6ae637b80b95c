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

// Weekday names used in opening periods, Sunday first as in time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Schedule is a service's opening hours in Europe/London local time:
// weekly periods, what happens on bank holidays, and dated exceptions.
type Schedule struct {
	Weekly []Period `json:"weekly"`
	// BankHolidays says whether the service keeps its weekly hours on bank
	// holidays ("open") or is closed then (BankHolidaysClosed, the default
	// when empty).
	BankHolidays string `json:"bank_holidays,omitempty"`
	// Exceptions override the weekly hours and bank holidays on a date.
	Exceptions []Exception `json:"exceptions,omitempty"`
	// Note explains the hours, e.g. that they are a default staff should
	// confirm.
	Note string `json:"note,omitempty"`

	// holidays is the directory's bank holiday calendar, linked by
	// Directory.Prepare; nil means no bank holidays are known.
	holidays *calendar
}

// HolidaysKnownUntil returns the last bank holiday in the directory's
// calendar (YYYY-MM-DD), or "" if it has none. After that date opening hours
// no longer account for bank holidays: staff should add the next years.
func (d *Directory) HolidaysKnownUntil() string {
	last := ""
	for _, h := range d.BankHolidays {
		last = max(last, h.Date)
	}
	return last
}

// HolidaysRunOut reports whether the calendar ends within the next six
// months of now, with the warning to give staff.
func (d *Directory) HolidaysRunOut(now time.Time) (bool, string) {
	last := d.HolidaysKnownUntil()
	soon := now.In(London()).AddDate(0, 6, 0).Format(time.DateOnly)
	if last >= soon {
		return false, ""
	}
	if last == "" {
		return true, "the directory lists no bank holidays: services' opening hours ignore them"
	}
	return true, "the directory's bank holidays end on " + last + ": add the next years' (an import with a longer bank_holidays list) so out-of-hours numbers stay right"
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

// Holiday is one bank holiday.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}

// calendar indexes bank holidays by date.
type calendar struct {
	byDate map[string]string
}

func newCalendar(hs []Holiday) *calendar {
	c := &calendar{byDate: make(map[string]string, len(hs))}
	for _, h := range hs {
		c.byDate[h.Date] = h.Name
	}
	return c
}

// Prepare links every schedule in d to d's bank holidays, so that opening
// hours account for them, and indexes the services for Search. Parse and
// the store call it; call it yourself after building or changing a
// Directory by hand, before sharing it. A prepared directory must not be
// changed (Clone it first).
func (d *Directory) Prepare() {
	d.search = buildSearchIndex(d)
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

// OpenAt reports whether the schedule is open at instant t, judged in
// Europe/London local time. Malformed periods (which Validate rejects) never
// count as open.
func (s Schedule) OpenAt(t time.Time) bool {
	open, _ := s.At(t)
	return open
}

// At reports whether the schedule is open at instant t and why, in words
// for staff: "weekly hours (mon-fri 09:00-17:00)", "bank holiday (Christmas
// Day)", "exception on 2026-12-24: closes at 13:00". Dated exceptions come
// first, then bank holidays, then the weekly hours.
func (s Schedule) At(t time.Time) (open bool, why string) {
	local := t.In(London())
	date := local.Format(time.DateOnly)
	minute := local.Hour()*60 + local.Minute()
	for _, e := range s.Exceptions {
		if e.Date != date {
			continue
		}
		reason := "exception on " + date
		if e.Note != "" {
			reason += " (" + e.Note + ")"
		}
		if e.Closed {
			return false, reason + ": closed all day"
		}
		opens, err1 := parseClock(e.Opens)
		closes, err2 := parseClock(e.Closes)
		if err1 != nil || err2 != nil {
			return false, reason + ": hours unreadable, treated as closed"
		}
		return minute >= opens && minute < closes, reason + ": open " + e.Opens + "-" + e.Closes
	}
	if name, ok := s.holiday(date); ok && s.BankHolidays != BankHolidaysOpen {
		return false, "bank holiday (" + name + ")"
	}
	day := dayNames[local.Weekday()]
	for _, p := range s.Weekly {
		if !slices.Contains(p.Days, day) {
			continue
		}
		opens, err1 := parseClock(p.Opens)
		closes, err2 := parseClock(p.Closes)
		if err1 != nil || err2 != nil {
			continue
		}
		if minute >= opens && minute < closes {
			return true, "weekly hours (" + s.String() + ")"
		}
	}
	return false, "outside weekly hours (" + s.String() + ")"
}

func (s Schedule) holiday(date string) (string, bool) {
	if s.holidays == nil {
		return "", false
	}
	name, ok := s.holidays.byDate[date]
	return name, ok
}

// String describes the schedule for people, e.g. "mon-fri 09:00-17:00".
func (s Schedule) String() string {
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
// Day)"). A service without a schedule is always in hours.
func (s Service) HoursAt(t time.Time) (in bool, why string) {
	if s.Hours == nil {
		return true, "no opening hours: every contact applies at all times"
	}
	return s.Hours.At(t)
}

// ContactsAt returns the contacts a person should be given at instant t, in
// the directory's order: always-available contacts, plus the in-hours or the
// out-of-hours ones depending on the schedule.
func (s Service) ContactsAt(t time.Time) []Contact {
	in := s.InHours(t)
	out := make([]Contact, 0, len(s.Contacts))
	for _, c := range s.Contacts {
		switch {
		case c.Hours == Always,
			c.Hours == InHours && in,
			c.Hours == OutOfHours && !in:
			out = append(out, c)
		}
	}
	return out
}
