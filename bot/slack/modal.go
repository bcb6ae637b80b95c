package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/directory"
)

// callbackEdit is the callback id of the edit and add forms.
const callbackEdit = "whereto_edit"

// actionValue is the action id of every input in the form.
const actionValue = "v"

// Form modes.
const (
	modeEdit = "edit"
	modeAdd  = "add"
)

// Block ids of the form's inputs. Validation problems are shown on them.
const (
	blockID          = "id"
	blockName        = "name"
	blockOrg         = "organisation"
	blockDescription = "description"
	blockContacts    = "contacts"
	blockHours       = "hours"
	blockHoursNote   = "hours_note"
	blockAreas       = "areas"
	blockAreaName    = "area_name"
	blockRoutes      = "routes"
	blockKeywords    = "keywords"
	blockSource      = "source"
	blockVerified    = "verified"
	blockStatus      = "status"
	blockAlert       = "alert"
	blockReview      = "review"
)

// maxInput is Slack's limit on a plain-text input's length.
const maxInput = 3000

// formMeta is the form's private_metadata: what it edits and where to
// answer. Slack keeps it and returns it with the submission.
type formMeta struct {
	Mode string `json:"m"`
	ID   string `json:"id,omitempty"`
	// Fingerprint is the service's fingerprint when the form was opened, to
	// refuse a save over someone else's change.
	Fingerprint string `json:"f,omitempty"`
	Channel     string `json:"c,omitempty"`
	ResponseURL string `json:"r,omitempty"`
}

// fingerprint identifies a service's content.
func fingerprint(s directory.Service) string {
	b, _ := json.Marshal(s) // a Service always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// formField describes one input of the form.
type formField struct {
	block, label, hint, placeholder string
	multiline, optional             bool
	// choices, when set, makes the input a select of these values.
	choices []directory.Status
}

// statusChoices are the status select's options, in order.
func statusChoices() []directory.Status {
	return []directory.Status{directory.StatusActive, directory.StatusInactive, directory.StatusTemporarilyClosed}
}

// formFields lists the form's inputs; routes names the directory's routes
// for the routes field's hint.
func formFields(routes string) []formField {
	return []formField{
		{block: blockName, label: "Name"},
		{block: blockOrg, label: "Organisation", optional: true},
		{block: blockDescription, label: "What it is for", multiline: true, optional: true},
		{block: blockContacts, label: "Contacts", multiline: true,
			hint:        "One per line: kind | value | label | hours | note. kind is phone, text, web or email; hours is in-hours, out-of-hours or always (the default). A label cannot contain |.",
			placeholder: "phone | 01582 510 330 | Office hours | in-hours"},
		{block: blockHours, label: "Office hours (UK time)", optional: true,
			hint:        "Periods separated by ; e.g. mon-fri 09:00-17:00; sat 10:00-13:00. Empty: the service does not have office hours.",
			placeholder: "mon-fri 09:00-17:00"},
		{block: blockHoursNote, label: "Note on the hours", optional: true},
		{block: blockAreas, label: "Areas served", optional: true,
			hint: "Postcode districts, e.g. LU1 LU2. Empty: everywhere."},
		{block: blockAreaName, label: "Areas served, in words", optional: true,
			hint: "How people would say it, e.g. Luton (LU1 to LU4)."},
		{block: blockRoutes, label: "Routes", multiline: true,
			hint: "One per line: route and order (1 is shown first), e.g. safeguarding 1; add fallback for a service shown only where no local one serves. Add when: word / word to offer it first only to people who use one of the words. Routes: " + routes + "."},
		{block: blockKeywords, label: "Keywords", optional: true,
			hint: "Separated by commas, e.g. fly tipping, litter."},
		{block: blockSource, label: "Source", hint: "Where these details come from."},
		{block: blockStatus, label: "Status", optional: true, choices: statusChoices(),
			hint: "A service that is not active is never recommended: its routes fall back to the next service, and its card says it is closed."},
		{block: blockAlert, label: "Alert", optional: true,
			hint: "A short notice shown with the service, e.g. Phone lines are busy after the storm; use the online form. Empty: none."},
		{block: blockReview, label: "Still to check", optional: true,
			hint: "What the partnership must still confirm before relying on this entry. Staff see it; residents do not. Empty: nothing."},
	}
}

// routeNames lists the ids of d's routes.
func routeNames(d *directory.Directory) string {
	return strings.Join(directory.RouteStrings(d.RouteIDs()), ", ")
}

// fieldText renders a service's value for a form input.
func fieldText(s directory.Service, block string) string {
	switch block {
	case blockID:
		return s.ID
	case blockName:
		return s.Name
	case blockOrg:
		return s.Organisation
	case blockDescription:
		return s.Description
	case blockContacts:
		return contactsText(s.Contacts)
	case blockHours:
		if s.Hours == nil {
			return ""
		}
		return weeklyText(s.Hours.Weekly)
	case blockHoursNote:
		if s.Hours == nil {
			return ""
		}
		return s.Hours.Note
	case blockAreas:
		return strings.Join(s.Areas, " ")
	case blockAreaName:
		return s.AreaName
	case blockRoutes:
		return routesText(s.Routes)
	case blockKeywords:
		return strings.Join(s.Keywords, ", ")
	case blockSource:
		return s.Source
	case blockVerified:
		return s.Verified
	case blockStatus:
		if s.Status == "" {
			return string(directory.StatusActive)
		}
		return string(s.Status)
	case blockAlert:
		return s.Alert
	case blockReview:
		return s.Review
	}
	return ""
}

// contactsText writes contacts one a line: kind | value | label | hours |
// note, leaving out empty trailing fields.
func contactsText(cs []directory.Contact) string {
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

func routesText(rs []directory.RouteRef) string {
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

// editModal builds the edit (or, for an empty service and modeAdd, the
// add) form, filled with s.
func editModal(meta formMeta, s directory.Service, routes string) (slack.ModalViewRequest, error) {
	md, err := json.Marshal(meta)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	title := "Edit service"
	var blocks []slack.Block
	if meta.Mode == modeAdd {
		title = "Add a service"
		blocks = append(blocks, input(formField{block: blockID, label: "Id",
			hint: "Lower-case letters, digits and hyphens, e.g. youth-hub. It cannot be changed later."}, ""))
	} else {
		blocks = append(blocks, section("Editing `"+esc(s.ID)+"`. Every change is recorded with your name; `/whereto history "+esc(s.ID)+"` lists them."))
	}
	for _, f := range formFields(routes) {
		text := fieldText(s, f.block)
		if len(text) > maxInput {
			return slack.ModalViewRequest{}, fmt.Errorf("field %s is %d characters, more than a Slack form takes (%d)", f.block, len(text), maxInput)
		}
		blocks = append(blocks, input(f, text))
	}
	dp := slack.NewDatePickerBlockElement(actionValue)
	dp.InitialDate = s.Verified
	verified := slack.NewInputBlock(blockVerified, plain("Last verified", 2000),
		plain("When the details were last confirmed with the service. Empty: not yet verified.", 2000), dp)
	verified.Optional = true
	blocks = append(blocks, verified)
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(title, 24),
		Submit:          plain("Save", 24),
		Close:           plain("Cancel", 24),
		CallbackID:      callbackEdit,
		PrivateMetadata: string(md),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}, nil
}

func input(f formField, initial string) *slack.InputBlock {
	if len(f.choices) > 0 {
		var opts []*slack.OptionBlockObject
		var chosen *slack.OptionBlockObject
		for _, c := range f.choices {
			o := slack.NewOptionBlockObject(string(c), plain(string(c), 75), nil)
			opts = append(opts, o)
			if string(c) == initial {
				chosen = o
			}
		}
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Choose", 150), actionValue, opts...)
		sel.InitialOption = chosen
		b := slack.NewInputBlock(f.block, plain(f.label, 2000), plain(f.hint, 2000), sel)
		b.Optional = f.optional
		return b
	}
	var ph *slack.TextBlockObject
	if f.placeholder != "" {
		ph = plain(f.placeholder, 150)
	}
	el := slack.NewPlainTextInputBlockElement(ph, actionValue)
	el.InitialValue = initial
	el.Multiline = f.multiline
	el.MaxLength = maxInput
	var hint *slack.TextBlockObject
	if f.hint != "" {
		hint = plain(f.hint, 2000)
	}
	b := slack.NewInputBlock(f.block, plain(f.label, 2000), hint, el)
	b.Optional = f.optional
	return b
}

// formProblems collects messages per block id.
type formProblems map[string][]string

func (p formProblems) add(block, format string, args ...any) {
	p[block] = append(p[block], fmt.Sprintf(format, args...))
}

// slackErrors turns the problems into the errors of a view_submission
// response, one message per block, cut to a readable length.
func (p formProblems) slackErrors() map[string]string {
	out := make(map[string]string, len(p))
	for block, msgs := range p {
		out[block] = clip(strings.Join(msgs, "; "), 500)
	}
	return out
}

// parsedForm is a submitted form: the service it describes and, for
// contacts and routes, the form line each entry came from.
type parsedForm struct {
	svc          directory.Service
	contactLines []int
	routeLines   []int
}

// parseForm reads a submitted form into a service. Text that is exactly
// what the form showed keeps the original value (orig, the service being
// edited), so an untouched field never changes. Problems of form (a contact
// line without a value, a route order that is not a number) are returned
// per block; the directory's own validation runs afterwards.
func parseForm(state *slack.ViewState, meta formMeta, orig directory.Service) (parsedForm, formProblems) {
	ps := formProblems{}
	get := func(block string) string {
		if state == nil {
			return ""
		}
		a, ok := state.Values[block][actionValue]
		if !ok {
			return ""
		}
		switch block {
		case blockVerified:
			return a.SelectedDate
		case blockStatus:
			return a.SelectedOption.Value
		}
		return a.Value
	}
	var f parsedForm
	s := orig.Clone()
	if meta.Mode == modeAdd {
		s = directory.Service{ID: strings.TrimSpace(get(blockID))}
	}
	unchanged := func(block string) bool {
		return meta.Mode == modeEdit && get(block) == fieldText(orig, block)
	}
	for _, f := range []struct {
		block string
		field *string
	}{
		{blockName, &s.Name}, {blockOrg, &s.Organisation}, {blockDescription, &s.Description},
		{blockSource, &s.Source}, {blockVerified, &s.Verified}, {blockAreaName, &s.AreaName},
		{blockAlert, &s.Alert}, {blockReview, &s.Review},
	} {
		if !unchanged(f.block) {
			*f.field = strings.TrimSpace(get(f.block))
		}
	}
	if !unchanged(blockStatus) {
		// Only the select's values reach here from Slack; anything else
		// is left for Validate to report.
		switch st := directory.Status(strings.ToLower(strings.TrimSpace(get(blockStatus)))); st {
		case "", directory.StatusActive:
			s.Status = "" // active is the default
		default:
			s.Status = st
		}
	}

	if !unchanged(blockContacts) {
		s.Contacts, f.contactLines = parseContacts(get(blockContacts), ps)
	} else {
		for i := range s.Contacts {
			f.contactLines = append(f.contactLines, i+1)
		}
	}
	if !unchanged(blockHours) || !unchanged(blockHoursNote) {
		s.Hours = parseHours(get(blockHours), strings.TrimSpace(get(blockHoursNote)), ps)
		if s.Hours != nil && orig.Hours != nil {
			// Keep what the form does not show: bank holiday policy and
			// dated exceptions.
			kept := orig.Hours.Clone()
			kept.Weekly, kept.Note = s.Hours.Weekly, s.Hours.Note
			s.Hours = &kept
		}
	}
	if !unchanged(blockAreas) {
		s.Areas = nil
		for _, a := range strings.FieldsFunc(get(blockAreas), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
			s.Areas = append(s.Areas, strings.ToUpper(a))
		}
	}
	if !unchanged(blockRoutes) {
		s.Routes, f.routeLines = parseRoutes(get(blockRoutes), ps)
	} else {
		for i := range s.Routes {
			f.routeLines = append(f.routeLines, i+1)
		}
	}
	if !unchanged(blockKeywords) {
		s.Keywords = nil
		for _, k := range strings.Split(get(blockKeywords), ",") {
			if k = strings.TrimSpace(k); k != "" {
				s.Keywords = append(s.Keywords, k)
			}
		}
	}
	f.svc = s
	return f, ps
}

// parseContacts reads one contact a line; it returns the contacts and the
// form line (1-based) of each.
func parseContacts(text string, ps formProblems) ([]directory.Contact, []int) {
	var cs []directory.Contact
	var lines []int
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.SplitN(line, "|", 5)
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		if len(f) < 2 || f[1] == "" {
			ps.add(blockContacts, "Line %d: write the kind and the value separated by |, like phone | 101", n+1)
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
	return cs, lines
}

// weeklyText writes weekly periods as parseHours reads them: "mon-fri
// 09:00-17:00; sat 10:00-13:00", runs of days as ranges, Monday first.
func weeklyText(ps []directory.Period) string {
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

// parseHours reads "mon-fri 09:00-17:00; sat 10:00-13:00" (the form
// Schedule.String writes). Empty text means no office hours; then a note
// is a problem.
func parseHours(text, note string, ps formProblems) *directory.Schedule {
	var periods []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			periods = append(periods, p)
		}
	}
	if len(periods) == 0 {
		if note != "" {
			ps.add(blockHoursNote, "A note needs office hours to go with it")
		}
		return nil
	}
	sched := &directory.Schedule{Note: note}
	order := dayOrder()
	for n, p := range periods {
		sp := strings.LastIndexByte(p, ' ')
		if sp < 0 {
			ps.add(blockHours, "Period %d: write the days and the times, like mon-fri 09:00-17:00", n+1)
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
			ps.add(blockHours, "Period %d: the times must be like 09:00-17:00", n+1)
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
				ps.add(blockHours, "Period %d: %q is not a day or a range of days like mon-fri", n+1, d)
				ok = false
			}
		}
		if !ok {
			continue
		}
		sched.Weekly = append(sched.Weekly, directory.Period{Days: slices.Compact(days), Opens: pad(m[1]), Closes: pad(m[2])})
	}
	return sched
}

// pad writes "9:00" as "09:00".
func pad(clock string) string {
	if len(clock) == 4 {
		return "0" + clock
	}
	return clock
}

// parseRoutes reads "route order [fallback]" entries, one a line (or
// separated by commas). A missing order is 1.
func parseRoutes(text string, ps formProblems) ([]directory.RouteRef, []int) {
	var rs []directory.RouteRef
	var lines []int
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
					ps.add(blockRoutes, "Entry %d: the order %q is not a whole number", n, f[1])
					continue
				}
				ref.Order = o
			default:
				ps.add(blockRoutes, "Entry %d: write a route and its order, like safeguarding 1 (and fallback, for a service shown only where no local one serves)", n)
				continue
			}
			rs = append(rs, ref)
			lines = append(lines, n)
		}
	}
	return rs, lines
}

var (
	indexedPath = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](?:\.(.*))?$`)
	servicePath = regexp.MustCompile(`^services\[\d+\]\.?`)
	periodPath  = regexp.MustCompile(`weekly\[(\d+)\]`)
)

// mapProblems puts validation problems (from Service.Validate, or the
// store's whole-directory validation) on the form's blocks. blocks are the
// ids of the inputs the form has; a problem for anything else goes on the
// name.
func mapProblems(vps []directory.Problem, f parsedForm, blocks []string, ps formProblems) {
	for _, p := range vps {
		path := servicePath.ReplaceAllString(p.Path, "")
		block, msg := path, p.Msg
		if m := indexedPath.FindStringSubmatch(path); m != nil {
			i, _ := strconv.Atoi(m[2])
			block = m[1]
			switch block {
			case blockContacts:
				line := i + 1
				if i < len(f.contactLines) {
					line = f.contactLines[i]
				}
				msg = fmt.Sprintf("Line %d: %s", line, fieldName(m[3], msg))
			case blockRoutes:
				entry := i + 1
				if i < len(f.routeLines) {
					entry = f.routeLines[i]
				}
				msg = fmt.Sprintf("Entry %d: %s", entry, msg)
			case blockKeywords:
				msg = fmt.Sprintf("Keyword %d %s", i+1, msg)
			}
		} else if strings.HasPrefix(path, "hours") {
			block = blockHours
			if path == "hours.note" {
				block = blockHoursNote
			} else if m := periodPath.FindStringSubmatch(path); m != nil {
				i, _ := strconv.Atoi(m[1])
				msg = fmt.Sprintf("Period %d: %s", i+1, msg)
			}
		}
		if !slices.Contains(blocks, block) {
			msg = block + ": " + msg
			block = blockName
		}
		ps.add(block, "%s", msg)
	}
}

// fieldName prefixes a contact problem with the part of the line at fault.
func fieldName(field, msg string) string {
	switch field {
	case "label", "note", "hours", "kind":
		return field + " " + msg
	}
	return msg
}

// formBlocks lists the input block ids of a form in mode.
func formBlocks(mode string) []string {
	var out []string
	if mode == modeAdd {
		out = append(out, blockID)
	}
	for _, f := range formFields("") {
		out = append(out, f.block)
	}
	return append(out, blockVerified)
}
