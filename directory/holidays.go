package directory

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Holiday is a bank holiday listed in the directory. The bank holidays of
// England and Wales are computed by rule for every year (see
// Directory.HolidaysIn), so the list holds only what the rule cannot know,
// and may be empty:
//
//   - a one-off holiday:
//     {"date": "2023-05-08", "name": "Bank holiday for the coronation of King Charles III"}
//   - a holiday moved to another day, which is then a bank holiday while the
//     day it replaces is not:
//     {"date": "2020-05-08", "name": "Early May bank holiday (VE day)", "replaces": "2020-05-04"}
//   - a holiday cancelled, the name saying which:
//     {"date": "2031-05-05", "name": "Early May bank holiday", "cancel": true}
//
// Listing a day the rule already gives is harmless (the listed name is
// used), so GOV.UK's published list can be imported as it stands.
type Holiday struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
	// Replaces, when set, is the date (YYYY-MM-DD) of the bank holiday by
	// rule that this one moves: that date is then not a bank holiday.
	Replaces string `json:"replaces,omitempty"`
	// Cancel means Date is not a bank holiday although the rule makes it
	// one.
	Cancel bool `json:"cancel,omitempty"`
}

// Bank holiday names as GOV.UK writes them.
const (
	holidayNewYear      = "New Year's Day"
	holidayGoodFriday   = "Good Friday"
	holidayEasterMonday = "Easter Monday"
	holidayEarlyMay     = "Early May bank holiday"
	holidaySpring       = "Spring bank holiday"
	holidaySummer       = "Summer bank holiday"
	holidayChristmas    = "Christmas Day"
	holidayBoxing       = "Boxing Day"
	substituteDay       = " (substitute day)"
)

// HolidaysIn returns the bank holidays of year in date order: those of
// England and Wales by rule, with the additions, moves and cancellations
// listed in d.BankHolidays applied (the rule's days, less those cancelled or
// replaced, plus the listed ones). Only Date and Name are set. It never runs
// out of years, works on a Directory whether prepared or not and with an
// empty list, and returns a new slice on each call.
//
// The rule is today's: New Year's Day, Good Friday, Easter Monday (Easter by
// the Gregorian calendar), the first and last Mondays of May, the last
// Monday of August, Christmas Day and Boxing Day, with a substitute weekday
// for any of New Year's Day, Christmas Day and Boxing Day that falls on a
// weekend. Years before 1978 had other rules.
func (d *Directory) HolidaysIn(year int) []Holiday {
	return newCalendar(d.BankHolidays).year(year)
}

// calendar is a directory's listed holidays indexed for the rule. It is
// built once by Prepare and never changed, so any number of goroutines may
// read it. A nil *calendar is the rule alone.
type calendar struct {
	listed  map[int]string // date key → name, for the listed holidays
	removed map[int]bool   // date keys of rule holidays cancelled or replaced
}

// newCalendar indexes hs. Entries with a malformed date or replaces (which
// Validate rejects) are ignored.
func newCalendar(hs []Holiday) *calendar {
	c := &calendar{}
	for _, h := range hs {
		day, ok := parseCivil(h.Date)
		if !ok {
			continue
		}
		if h.Cancel {
			if c.removed == nil {
				c.removed = map[int]bool{}
			}
			c.removed[day.key()] = true
			continue
		}
		if c.listed == nil {
			c.listed = map[int]string{}
		}
		c.listed[day.key()] = h.Name
		if from, ok := parseCivil(h.Replaces); ok {
			if c.removed == nil {
				c.removed = map[int]bool{}
			}
			c.removed[from.key()] = true
		}
	}
	return c
}

// holiday returns the name of the bank holiday on day, if it is one. A
// listed holiday wins over a cancellation or move of the same date.
func (c *calendar) holiday(day civil) (string, bool) {
	if c != nil {
		if name, ok := c.listed[day.key()]; ok {
			return name, true
		}
		if c.removed[day.key()] {
			return "", false
		}
	}
	return ruleHoliday(day)
}

// year returns the bank holidays of y in date order.
func (c *calendar) year(y int) []Holiday {
	rule := ruleYear(y)
	out := make([]Holiday, 0, len(rule)+2)
	for _, h := range rule {
		if name, ok := c.holiday(h.date); ok {
			out = append(out, Holiday{Date: h.date.String(), Name: name})
		}
	}
	if c != nil {
		for k, name := range c.listed {
			day := civilOfKey(k)
			if day.y != y || slices.ContainsFunc(rule[:], func(r ruleDay) bool { return r.date == day }) {
				continue
			}
			out = append(out, Holiday{Date: day.String(), Name: name})
		}
	}
	slices.SortFunc(out, func(a, b Holiday) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// ruleDay is one bank holiday given by the rule.
type ruleDay struct {
	date civil
	name string
}

// ruleHoliday returns the name of the bank holiday on day by the England
// and Wales rule, if it is one. It works out only day's month.
func ruleHoliday(day civil) (string, bool) {
	var hs [2]ruleDay
	switch day.m {
	case time.January:
		hs[0] = newYearHoliday(day.y)
	case time.March, time.April:
		hs[0], hs[1] = easterHolidays(day.y)
	case time.May:
		hs[0], hs[1] = mayHolidays(day.y)
	case time.August:
		hs[0] = summerHoliday(day.y)
	case time.December:
		hs[0], hs[1] = christmasHolidays(day.y)
	default:
		return "", false
	}
	for _, h := range hs {
		if h.date == day && h.name != "" {
			return h.name, true
		}
	}
	return "", false
}

// ruleYear returns the eight bank holidays of England and Wales in year y
// by rule, in date order.
func ruleYear(y int) [8]ruleDay {
	var hs [8]ruleDay
	hs[0] = newYearHoliday(y)
	hs[1], hs[2] = easterHolidays(y)
	hs[3], hs[4] = mayHolidays(y)
	hs[5] = summerHoliday(y)
	hs[6], hs[7] = christmasHolidays(y)
	return hs
}

// newYearHoliday returns New Year's Day, or its substitute on Monday if it
// falls on a weekend.
func newYearHoliday(y int) ruleDay {
	switch day := (civil{y, time.January, 1}); day.weekday() {
	case time.Saturday:
		return ruleDay{civil{y, time.January, 3}, holidayNewYear + substituteDay}
	case time.Sunday:
		return ruleDay{civil{y, time.January, 2}, holidayNewYear + substituteDay}
	default:
		return ruleDay{day, holidayNewYear}
	}
}

// easterHolidays returns Good Friday and Easter Monday.
func easterHolidays(y int) (goodFriday, easterMonday ruleDay) {
	easter := easterSunday(y)
	return ruleDay{easter.addDays(-2), holidayGoodFriday}, ruleDay{easter.addDays(1), holidayEasterMonday}
}

// mayHolidays returns the Early May and Spring bank holidays: the first
// and last Mondays of May.
func mayHolidays(y int) (early, spring ruleDay) {
	return ruleDay{firstMonday(y, time.May), holidayEarlyMay}, ruleDay{lastMonday(y, time.May), holidaySpring}
}

// summerHoliday returns the Summer bank holiday: the last Monday of August.
func summerHoliday(y int) ruleDay {
	return ruleDay{lastMonday(y, time.August), holidaySummer}
}

// christmasHolidays returns Christmas Day and Boxing Day in date order. One
// that falls on a weekend moves to the next weekday that is not already a
// holiday.
func christmasHolidays(y int) (first, second ruleDay) {
	christmas := ruleDay{civil{y, time.December, 25}, holidayChristmas}
	boxing := ruleDay{civil{y, time.December, 26}, holidayBoxing}
	switch christmas.date.weekday() {
	case time.Friday: // Boxing Day on Saturday: Monday 28.
		boxing = ruleDay{civil{y, time.December, 28}, holidayBoxing + substituteDay}
	case time.Saturday: // Christmas on Monday 27, Boxing Day on Tuesday 28.
		christmas = ruleDay{civil{y, time.December, 27}, holidayChristmas + substituteDay}
		boxing = ruleDay{civil{y, time.December, 28}, holidayBoxing + substituteDay}
	case time.Sunday: // Boxing Day keeps Monday 26; Christmas on Tuesday 27.
		return boxing, ruleDay{civil{y, time.December, 27}, holidayChristmas + substituteDay}
	}
	return christmas, boxing
}

// easterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the Anonymous Gregorian algorithm, as Meeus gives it).
func easterSunday(y int) civil {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return civil{y, time.Month(n / 31), n%31 + 1}
}

// firstMonday returns the first Monday of month m in year y.
func firstMonday(y int, m time.Month) civil {
	first := civil{y, m, 1}
	return first.addDays((8 - int(first.weekday())) % 7)
}

// lastMonday returns the last Monday of month m in year y.
func lastMonday(y int, m time.Month) civil {
	last := civil{y, m + 1, 1}.addDays(-1)
	return last.addDays(-((int(last.weekday()) + 6) % 7))
}

// civil is a date on the calendar, without a time of day or a zone.
type civil struct {
	y int
	m time.Month
	d int
}

// dateOf returns t's date in t's location.
func dateOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

// parseCivil reads a date written YYYY-MM-DD.
func parseCivil(s string) (civil, bool) {
	if len(s) != len(time.DateOnly) {
		return civil{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return civil{}, false
	}
	return dateOf(t), true
}

// key packs the date into one int that sorts as the date does (for years 0
// to 9999).
func (c civil) key() int { return c.y*10000 + int(c.m)*100 + c.d }

func civilOfKey(k int) civil { return civil{k / 10000, time.Month(k / 100 % 100), k % 100} }

// addDays returns the date n days after c (before, for negative n),
// normalising c first.
func (c civil) addDays(n int) civil {
	return dateOf(time.Date(c.y, c.m, c.d+n, 12, 0, 0, 0, time.UTC))
}

func (c civil) weekday() time.Weekday {
	return time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC).Weekday()
}

// String writes c as YYYY-MM-DD.
func (c civil) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, c.m, c.d) }

// is reports whether s is c written YYYY-MM-DD, without allocating.
func (c civil) is(s string) bool {
	if len(s) != 10 || c.y < 0 || c.y > 9999 {
		return false
	}
	var b [10]byte
	b[0], b[1], b[2], b[3] = digit(c.y/1000), digit(c.y/100), digit(c.y/10), digit(c.y)
	b[4], b[5], b[6] = '-', digit(int(c.m)/10), digit(int(c.m))
	b[7], b[8], b[9] = '-', digit(c.d/10), digit(c.d)
	return string(b[:]) == s
}

func digit(n int) byte { return byte('0' + n%10) }

// validateHolidays checks a directory's bank_holidays list: each date a
// real YYYY-MM-DD date, listed once and named; replaces, when set, a date
// the rule makes a bank holiday, not the entry's own and replaced by no
// other entry; cancel only of a date the rule makes a bank holiday, and not
// together with replaces.
func validateHolidays(ps *problems, hs []Holiday) {
	dates := map[string]int{}
	replaced := map[string]int{}
	for i, h := range hs {
		hp := fmt.Sprintf("bank_holidays[%d]", i)
		dateOK := isDate(h.Date)
		switch j, dup := dates[h.Date]; {
		case !dateOK:
			ps.add(hp+".date", "%q is not a date (YYYY-MM-DD)", h.Date)
		case dup:
			ps.add(hp+".date", "%q is also bank_holidays[%d]", h.Date, j)
		default:
			dates[h.Date] = i
		}
		checkText(ps, hp+".name", h.Name, true)
		switch {
		case h.Cancel && h.Replaces != "":
			ps.add(hp+".replaces", "a cancelled holiday replaces nothing: set cancel or replaces, not both")
		case h.Cancel:
			if dateOK && !isRuleHoliday(h.Date) {
				ps.add(hp+".cancel", "%q is not a bank holiday by the England and Wales rule, so there is nothing to cancel", h.Date)
			}
		case h.Replaces == "":
		case !isDate(h.Replaces):
			ps.add(hp+".replaces", "%q is not a date (YYYY-MM-DD)", h.Replaces)
		case h.Replaces == h.Date:
			ps.add(hp+".replaces", "%q is the holiday's own date", h.Replaces)
		case !isRuleHoliday(h.Replaces):
			ps.add(hp+".replaces", "%q is not a bank holiday by the England and Wales rule, so there is nothing to move", h.Replaces)
		default:
			if j, dup := replaced[h.Replaces]; dup {
				ps.add(hp+".replaces", "%q is also replaced by bank_holidays[%d]", h.Replaces, j)
			} else {
				replaced[h.Replaces] = i
			}
		}
	}
}

// isRuleHoliday reports whether date (YYYY-MM-DD) is a bank holiday by the
// England and Wales rule.
func isRuleHoliday(date string) bool {
	day, ok := parseCivil(date)
	if !ok {
		return false
	}
	_, ok = ruleHoliday(day)
	return ok
}
