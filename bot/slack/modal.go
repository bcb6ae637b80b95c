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
	"github.com/whereto-bot/whereto/staff"
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
		return staff.ContactsText(s.Contacts)
	case blockHours:
		if s.Hours == nil {
			return ""
		}
		return staff.WeeklyText(s.Hours.Weekly)
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
		return staff.RoutesText(s.Routes)
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

// addAll puts messages on a block.
func (p formProblems) addAll(block string, msgs []string) {
	if len(msgs) > 0 {
		p[block] = append(p[block], msgs...)
	}
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
	staff.UnreviewChangedDescription(orig, &s)
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
		var probs []string
		s.Contacts, f.contactLines, probs = staff.ParseContacts(get(blockContacts))
		// The form does not show the contacts' translations: keep them.
		s.Contacts = staff.KeepContactTranslations(orig.Contacts, s.Contacts)
		ps.addAll(blockContacts, probs)
	} else {
		for i := range s.Contacts {
			f.contactLines = append(f.contactLines, i+1)
		}
	}
	if !unchanged(blockHours) || !unchanged(blockHoursNote) {
		var hp, np []string
		s.Hours, hp, np = staff.ParseHours(get(blockHours), strings.TrimSpace(get(blockHoursNote)))
		ps.addAll(blockHours, hp)
		ps.addAll(blockHoursNote, np)
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
		var probs []string
		s.Routes, f.routeLines, probs = staff.ParseRoutes(get(blockRoutes))
		ps.addAll(blockRoutes, probs)
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
