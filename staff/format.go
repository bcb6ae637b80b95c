package staff

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/whereto-bot/whereto/directory"
)

// The text format of the fields of a service that staff edit as text:
// contacts, routes and office hours. A staff front end shows a service in
// it and reads it back; each Parse function reads what its Text function
// writes.

// ContactsText writes contacts one a line: kind | value | label | hours |
// note, leaving out empty trailing fields.
func ContactsText(cs []directory.Contact) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		hours := string(c.Hours)
		if hours == "" && c.Note != "" {
			hours = "always"
		}
		f := []string{string(c.Kind), c.Value, c.Label, hours, c.Note}
		for len(f) > 2 && f[len(f)-1] == "" {
			f = f[:len(f)-1]
		}
		lines[i] = strings.Join(f, " | ")
	}
	return strings.Join(lines, "\n")
}

func RoutesText(rs []directory.RouteRef) string {
	lines := make([]string, len(rs))
	for i, r := range rs {
		lines[i] = fmt.Sprintf("%s %d", r.Route, r.Order)
		if r.Fallback {
			lines[i] += " fallback"
		}
		if len(r.When) > 0 {
			lines[i] += " when: " + strings.Join(r.When, " / ")
		}
	}
	return strings.Join(lines, "\n")
}

// ParseContacts reads ContactsText: one contact a line. It returns the
// contacts, the line (1-based) of each, and what could not be read.
func ParseContacts(text string) (cs []directory.Contact, lines []int, problems []string) {
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.SplitN(line, "|", 5)
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 2 || f[1] == "" {
			problems = append(problems, fmt.Sprintf("Line %d: write the kind and the value separated by |, like phone | 101", n+1))
			continue
		}
		for len(f) < 5 {
			f = append(f, "")
		}
		hours := directory.Availability(strings.ToLower(f[3]))
		if hours == "always" {
			hours = directory.Always
		}
		cs = append(cs, directory.Contact{
			Kind:  directory.ContactKind(strings.ToLower(f[0])),
			Value: f[1],
			Label: f[2],
			Hours: hours,
			Note:  f[4],
		})
		lines = append(lines, n+1)
	}
	return cs, lines, problems
}

// WeeklyText writes weekly periods as ParseHours reads them: "mon-fri
// 09:00-17:00; sat 10:00-13:00", runs of days as ranges, Monday first.
func WeeklyText(ps []directory.Period) string {
	order := dayOrder()
	parts := make([]string, len(ps))
	for i, p := range ps {
		var idx []int
		for _, d := range p.Days {
			if j := slices.Index(order, d); j >= 0 {
				idx = append(idx, j)
			}
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		var days []string
		for k := 0; k < len(idx); {
			j := k
			for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
				j++
			}
			if j == k {
				days = append(days, order[idx[k]])
			} else {
				days = append(days, order[idx[k]]+"-"+order[idx[j]])
			}
			k = j + 1
		}
		parts[i] = strings.Join(days, ",") + " " + p.Opens + "-" + p.Closes
	}
	return strings.Join(parts, "; ")
}

// dayOrder is the weekdays Monday first, as people write ranges.
func dayOrder() []string { return []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} }

var clockPattern = regexp.MustCompile(`^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$`)

// ParseHours reads WeeklyText, "mon-fri 09:00-17:00; sat 10:00-13:00",
// and a note for the hours. Empty text means no office hours; then a note
// is a problem. It returns the schedule, what could not be read of the
// hours, and of the note.
func ParseHours(text, note string) (sched *directory.Schedule, hoursProblems, noteProblems []string) {
	var periods []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			periods = append(periods, p)
		}
	}
	if len(periods) == 0 {
		if note != "" {
			noteProblems = append(noteProblems, "A note needs office hours to go with it")
		}
		return nil, nil, noteProblems
	}
	sched = &directory.Schedule{Note: note}
	order := dayOrder()
	for n, p := range periods {
		sp := strings.LastIndexByte(p, ' ')
		if sp < 0 {
			hoursProblems = append(hoursProblems, fmt.Sprintf("Period %d: write the days and the times, like mon-fri 09:00-17:00", n+1))
			continue
		}
		daySpec := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(p[:sp])), " ", "")
		m := clockPattern.FindStringSubmatch(strings.TrimSpace(p[sp+1:]))
		if m == nil {
			// Allow "09:00 - 17:00": take the times from the end.
			if i := strings.IndexAny(p, "0123456789"); i > 0 {
				daySpec = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(p[:i])), " ", "")
				m = clockPattern.FindStringSubmatch(strings.TrimSpace(p[i:]))
			}
		}
		if m == nil {
			hoursProblems = append(hoursProblems, fmt.Sprintf("Period %d: the times must be like 09:00-17:00", n+1))
			continue
		}
		var days []string
		ok := true
		for _, d := range strings.Split(daySpec, ",") {
			from, to, isRange := strings.Cut(d, "-")
			i, j := slices.Index(order, from), slices.Index(order, to)
			switch {
			case !isRange && i >= 0:
				days = append(days, from)
			case isRange && i >= 0 && j >= i:
				days = append(days, order[i:j+1]...)
			default:
				hoursProblems = append(hoursProblems, fmt.Sprintf("Period %d: %q is not a day or a range of days like mon-fri", n+1, d))
				ok = false
			}
		}
		if !ok {
			continue
		}
		sched.Weekly = append(sched.Weekly, directory.Period{Days: slices.Compact(days), Opens: pad(m[1]), Closes: pad(m[2])})
	}
	return sched, hoursProblems, nil
}

// pad writes "9:00" as "09:00".
func pad(clock string) string {
	if len(clock) == 4 {
		return "0" + clock
	}
	return clock
}

// ParseRoutes reads RoutesText: "route order [fallback] [when: word /
// word]" entries, one a line (or separated by commas). A missing order is
// 1. It returns the entries, the number (1-based) of each, and what could
// not be read.
func ParseRoutes(text string) (rs []directory.RouteRef, lines []int, problems []string) {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		var when []string
		entries := strings.Split(line, ",")
		if head, words, ok := strings.Cut(line, "when:"); ok {
			// "route order when: word / word": one entry, its words
			// separated by slashes (they may hold commas).
			entries = []string{head}
			for _, w := range strings.Split(words, "/") {
				if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
					when = append(when, w)
				}
			}
		}
		for _, entry := range entries {
			f := strings.FieldsFunc(entry, func(r rune) bool { return r == ' ' || r == ':' || r == '=' || r == '\t' })
			if len(f) == 0 {
				continue
			}
			n++
			ref := directory.RouteRef{Route: directory.Route(strings.ToLower(f[0])), Order: 1, When: when}
			if len(f) == 3 && strings.EqualFold(f[2], "fallback") {
				ref.Fallback = true
				f = f[:2]
			}
			switch len(f) {
			case 1:
			case 2:
				o, err := strconv.Atoi(f[1])
				if err != nil {
					problems = append(problems, fmt.Sprintf("Entry %d: the order %q is not a whole number", n, f[1]))
					continue
				}
				ref.Order = o
			default:
				problems = append(problems, fmt.Sprintf("Entry %d: write a route and its order, like safeguarding 1 (and fallback, for a service shown only where no local one serves)", n))
				continue
			}
			rs = append(rs, ref)
			lines = append(lines, n)
		}
	}
	return rs, lines, problems
}

// KeepContactTranslations gives the contacts read from a form (after) the
// translations of the contacts they replace (before), which the form does
// not show: a contact with the same kind and value keeps its translations.
// Where its English label or note changed, the translation of that one no
// longer says the same: it is kept, so that nothing is lost, but marked
// unreviewed, so that `whereto directory unreviewed` lists it for a reader.
func KeepContactTranslations(before, after []directory.Contact) []directory.Contact {
	for i := range after {
		a := &after[i]
		for _, b := range before {
			if b.Kind != a.Kind || b.Value != a.Value || len(b.Translations) == 0 || len(a.Translations) > 0 {
				continue
			}
			a.Translations = make(map[string]directory.ContactWords, len(b.Translations))
			for l, w := range b.Translations {
				if (w.Label != "" && b.Label != a.Label) || (w.Note != "" && b.Note != a.Note) {
					w.Reviewed = false
				}
				if a.Label == "" {
					w.Label = "" // nothing left to translate
				}
				if a.Note == "" {
					w.Note = ""
				}
				if w.Label != "" || w.Note != "" {
					a.Translations[l] = w
				}
			}
			if len(a.Translations) == 0 {
				a.Translations = nil
			}
			break
		}
	}
	return after
}

// UnreviewChangedDescription marks the translations of after's description
// unreviewed when its English description differs from before's: they are
// kept, but a reader must check that they still say the same.
func UnreviewChangedDescription(before directory.Service, after *directory.Service) {
	if before.Description == after.Description || len(after.Translations) == 0 {
		return
	}
	ts := make(map[string]directory.ServiceWords, len(after.Translations))
	for l, w := range after.Translations {
		w.Reviewed = false
		ts[l] = w
	}
	after.Translations = ts
}
