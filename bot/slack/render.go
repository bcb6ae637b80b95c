package slack

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

// Slack's limits that rendering keeps within.
const (
	maxSectionText = 3000 // characters in a section's text
	maxHeaderText  = 150  // characters in a header
	maxButtonValue = 2000 // bytes in a button's value
	maxOthers      = 8    // services in the short list after the first card
)

// Action ids of the buttons whereto puts in messages.
const (
	actionPostCard      = "post_card"
	actionRemoveConfirm = "remove_confirm"
	actionRemoveCancel  = "remove_cancel"
)

// reply is one message for Slack, in no transport's terms: the body of an
// immediate answer, a response_url post, or a chat.postMessage. Text is the
// notification fallback and is already escaped.
type reply struct {
	Text      string
	Blocks    []slack.Block
	InChannel bool
	// ReplaceOriginal and DeleteOriginal apply to response_url posts.
	ReplaceOriginal bool
	DeleteOriginal  bool
}

// webhook returns r as the JSON body Slack takes for an immediate answer
// (HTTP response or Socket Mode ack) and for response_url.
func (r *reply) webhook() *slack.WebhookMessage {
	m := &slack.WebhookMessage{
		Text:            r.Text,
		ResponseType:    slack.ResponseTypeEphemeral,
		ReplaceOriginal: r.ReplaceOriginal,
		DeleteOriginal:  r.DeleteOriginal,
	}
	if r.InChannel {
		m.ResponseType = slack.ResponseTypeInChannel
	}
	if len(r.Blocks) > 0 {
		m.Blocks = &slack.Blocks{BlockSet: r.Blocks}
	}
	return m
}

// mrkdwnEscaper escapes the three characters Slack gives meaning to in
// text: with them escaped, nobody can inject a mention (<!channel>, <@U1>)
// or a link (<https://evil|x>) through directory or user text.
var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// esc escapes s for mrkdwn.
func esc(s string) string { return mrkdwnEscaper.Replace(s) }

// escClip escapes s for mrkdwn, cutting it (at a rune, never inside an
// escape) so that the result is at most max bytes, with "…" when cut.
func escClip(s string, max int) string {
	e := esc(s)
	if len(e) <= max {
		return e
	}
	var b strings.Builder
	for _, r := range s {
		var piece string
		switch r {
		case '&':
			piece = "&amp;"
		case '<':
			piece = "&lt;"
		case '>':
			piece = "&gt;"
		default:
			piece = string(r)
		}
		if b.Len()+len(piece)+len("…") > max {
			break
		}
		b.WriteString(piece)
	}
	return b.String() + "…"
}

// clip cuts plain text to at most max runes, with "…" when cut.
func clip(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// mrkdwn returns a verbatim mrkdwn text object: Slack applies only the
// explicit markup in it (which esc neutralises in untrusted parts) and does
// not turn bare names or addresses into mentions or links.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, true)
}

// plain returns a plain-text object, which Slack never parses for markup.
func plain(text string, max int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, clip(text, max), false, false)
}

// section returns a section with mrkdwn text cut to Slack's limit. The text
// must already be escaped; cutting is at a line end where possible.
func section(text string) *slack.SectionBlock {
	if len(text) > maxSectionText {
		cut := strings.LastIndexByte(text[:maxSectionText-len("\n…")], '\n')
		if cut < 0 {
			cut = maxSectionText - len("\n…")
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
			// Never leave half an escape such as "&am".
			if amp := strings.LastIndexByte(text[:cut], '&'); amp >= 0 && !strings.Contains(text[amp:cut], ";") {
				cut = amp
			}
		}
		text = text[:cut] + "\n…"
	}
	return slack.NewSectionBlock(mrkdwn(text), nil, nil)
}

func contextBlock(texts ...string) *slack.ContextBlock {
	els := make([]slack.MixedElement, 0, len(texts))
	for _, t := range texts {
		els = append(els, mrkdwn(t))
	}
	return slack.NewContextBlock("", els...)
}

// userIDPattern matches Slack user ids, which are safe to put in a mention.
var userIDPattern = regexp.MustCompile(`^[UW][A-Z0-9]{2,30}$`)

// who renders an audit "who": a Slack user id as a mention, anything else
// (such as "seed") escaped.
func who(id string) string {
	if userIDPattern.MatchString(id) {
		return "<@" + id + ">"
	}
	return "_" + esc(id) + "_"
}

// link renders a URL from the directory (validated http or https) as a
// mrkdwn link with an escaped label. A "|" would end the URL early, so it
// is percent-encoded.
func link(u, label string) string {
	target := strings.ReplaceAll(esc(u), "|", "%7C")
	return "<" + target + "|" + esc(label) + ">"
}

// emailLink renders an email address as a mailto link, or as escaped text
// if it holds characters that would break the link markup.
func emailLink(addr string) string {
	if strings.ContainsAny(addr, "|<>&\" ") {
		return esc(addr)
	}
	return "<mailto:" + url.PathEscape(addr) + "|" + esc(addr) + ">"
}

// contactValue renders a contact's value: numbers bold, web and email as
// links.
func contactValue(c directory.Contact) string {
	switch c.Kind {
	case directory.KindWeb:
		return link(c.Value, c.Value)
	case directory.KindEmail:
		return emailLink(c.Value)
	default:
		return "*" + esc(c.Value) + "*"
	}
}

// routeTitle names a route for staff: its label from the directory.
func routeTitle(d *directory.Directory, r directory.Route) string {
	if ri, ok := d.Route(r); ok {
		return esc(ri.Label)
	}
	return esc(string(r))
}

// londonTime formats t in Europe/London for people, e.g. "Wed 25 Nov 22:00".
func londonTime(t time.Time) string {
	return t.In(directory.London()).Format("Mon 2 Jan 15:04")
}

// today returns the date of t in Europe/London, "YYYY-MM-DD".
func today(t time.Time) string { return directory.UKDay(t) }

// useNow returns the contact to use at now: the first phone number
// available then, else the first text number, else the first contact
// available then.
func useNow(s directory.Service, now time.Time) (directory.Contact, bool) {
	avail := s.ContactsAt(now)
	for _, kind := range []directory.ContactKind{directory.KindPhone, directory.KindText} {
		for _, c := range avail {
			if c.Kind == kind {
				return c, true
			}
		}
	}
	if len(avail) > 0 {
		return avail[0], true
	}
	return directory.Contact{}, false
}

// cardOptions say how a card is shown.
type cardOptions struct {
	// postIDs, when set, adds a "Post to channel" button that posts the
	// card (and the short list) for these service ids.
	postIDs []string
	// sharedBy names who posted the card to the channel.
	sharedBy string
}

// card renders one service in full: name, what it is for, every contact
// (those to use at now marked), opening hours and whether it is open, areas
// served, when it was last verified and its source.
func card(s directory.Service, now time.Time, opt cardOptions) []slack.Block {
	blocks := []slack.Block{slack.NewHeaderBlock(plain(s.Name, maxHeaderText))}
	if !s.Active() {
		blocks = append(blocks, section("*Closed: "+statusText(s)+".* Do not refer anyone to it at the moment; whereto does not recommend it."))
	}
	if s.Alert != "" {
		blocks = append(blocks, section("*Notice:* "+escClip(s.Alert, 1000)))
	}

	var about strings.Builder
	if s.Description != "" {
		about.WriteString(escClip(s.Description, 1500))
	}
	if s.Organisation != "" {
		if about.Len() > 0 {
			about.WriteString("\n")
		}
		about.WriteString("_" + escClip(s.Organisation, 300) + "_")
	}
	if about.Len() > 0 {
		blocks = append(blocks, section(about.String()))
	}

	var ct strings.Builder
	in, why := s.HoursAt(now)
	if c, ok := useNow(s, now); ok && s.Active() {
		verb := "Use now"
		if c.Kind == directory.KindPhone {
			verb = "Call now"
		}
		fmt.Fprintf(&ct, "*%s:* %s", verb, contactValue(c))
		if c.Label != "" && !nameHas(c.Value, c.Label) {
			fmt.Fprintf(&ct, " (%s)", escClip(c.Label, 200))
		}
		ct.WriteString("\n")
	}
	if s.Hours != nil {
		state := "*open now*"
		if !in {
			state = "*closed now*: out of office hours"
		}
		if !strings.Contains(why, "weekly hours") {
			state += " (" + escClip(why, 200) + ")"
		}
		fmt.Fprintf(&ct, "Office hours: %s (UK time); %s, %s\n", esc(staff.WeeklyText(s.Hours.Weekly)), state, londonTime(now))
		if s.Hours.Note != "" {
			fmt.Fprintf(&ct, "_%s_\n", escClip(s.Hours.Note, 400))
		}
	}
	restricted := false
	for _, c := range s.Contacts {
		restricted = restricted || c.Hours != directory.Always
	}
	for _, c := range s.Contacts {
		ct.WriteString("• ")
		if c.Label != "" && !strings.EqualFold(strings.TrimSpace(c.Label), strings.TrimSpace(c.Value)) {
			ct.WriteString(escClip(c.Label, 200) + ": ")
		}
		ct.WriteString(contactValue(c))
		available := c.Hours == directory.Always || (c.Hours == directory.InHours) == in
		switch {
		case c.Hours == directory.InHours:
			ct.WriteString(" (office hours)")
		case c.Hours == directory.OutOfHours:
			ct.WriteString(" (out of hours)")
		}
		if restricted && c.Hours != directory.Always && s.Active() {
			if available {
				ct.WriteString("  ← *use now*")
			} else {
				ct.WriteString("  _not now_")
			}
		}
		ct.WriteString("\n")
		if c.Note != "" {
			fmt.Fprintf(&ct, "    _%s_\n", escClip(c.Note, 500))
		}
	}
	blocks = append(blocks, section(strings.TrimRight(ct.String(), "\n")))

	areas := "everywhere"
	switch {
	case s.AreaName != "":
		areas = escClip(s.AreaName, 300)
	case len(s.Areas) > 0:
		areas = escClip(strings.Join(s.Areas, ", "), 500)
	}
	verified := "*not yet verified*"
	if s.Verified != "" {
		verified = "last verified " + esc(s.Verified)
		if d, err := time.ParseInLocation(time.DateOnly, s.Verified, directory.London()); err == nil {
			days := int(now.Sub(d).Hours() / 24)
			if days >= 0 {
				verified += fmt.Sprintf(" (%d days ago)", days)
			}
			if s.Outdated(directory.StaleCutoff(now, directory.StaleAfterDays)) {
				verified += ": *due for a check*"
			}
		}
	}
	blocks = append(blocks, contextBlock(
		"Areas: "+areas,
		verified,
		"Source: "+escClip(s.Source, 500),
		"id: `"+esc(s.ID)+"`",
	))
	if s.Review != "" {
		blocks = append(blocks, contextBlock("*To check:* "+escClip(s.Review, 500)))
	}
	if opt.sharedBy != "" {
		blocks = append(blocks, contextBlock("Shared by "+who(opt.sharedBy)+" with /whereto"))
	}
	if len(opt.postIDs) > 0 {
		value := strings.Join(opt.postIDs, ",")
		for len(value) > maxButtonValue {
			opt.postIDs = opt.postIDs[:len(opt.postIDs)-1]
			value = strings.Join(opt.postIDs, ",")
		}
		btn := slack.NewButtonBlockElement(actionPostCard, value, plain("Post to channel", 75))
		blocks = append(blocks, slack.NewActionBlock("card_actions", btn))
	}
	return blocks
}

// shortList renders services after the first as one line each: name, the
// contact to use now, and the id to look up for the full card. more is
// how many others matched but are not listed.
func shortList(title string, svcs []directory.Service, more int, now time.Time) slack.Block {
	var b strings.Builder
	b.WriteString(title + "\n")
	if len(svcs) > maxOthers {
		more += len(svcs) - maxOthers
		svcs = svcs[:maxOthers]
	}
	for _, s := range svcs {
		fmt.Fprintf(&b, "• *%s*", escClip(s.Name, 150))
		if !s.Active() {
			b.WriteString(": _closed (" + statusText(s) + ")_")
		} else if c, ok := useNow(s, now); ok && !nameHas(s.Name, c.Value) {
			b.WriteString(": " + contactValue(c))
		}
		fmt.Fprintf(&b, " (`/whereto %s`)\n", esc(s.ID))
	}
	if more > 0 {
		fmt.Fprintf(&b, "…and %d more: add words to narrow it down.", more)
	}
	return section(strings.TrimRight(b.String(), "\n"))
}

// dangerLine is the emergency number from the directory, with its note
// (the Silent Solution).
func dangerLine(ix *index) string {
	c := emergencyContact(ix)
	line := "*If someone is in danger now:* call *" + esc(c.Value) + "*."
	if c.Note != "" {
		line += " " + escClip(c.Note, 400)
	}
	return line
}

// answerReply renders a look-up answer. With postable set (an ephemeral
// answer in a channel) the first card carries a "Post to channel" button.
func answerReply(ix *index, a staff.Answer, now time.Time, postable bool) *reply {
	if a.Kind == staff.KindNone || len(a.Services) == 0 {
		return notFoundReply(ix)
	}
	first := a.Services[0]
	var opt cardOptions
	if postable {
		for _, s := range a.Services {
			opt.postIDs = append(opt.postIDs, s.ID)
		}
	}
	r := &reply{}
	var blocks []slack.Block
	switch a.Kind {
	case staff.KindSituation:
		intro := "This sounds like *" + routeTitle(ix.dir, a.Route) + "*"
		if a.Second != "" && a.Second != directory.RouteUnclear {
			intro += ", and also *" + routeTitle(ix.dir, a.Second) + "*"
		}
		intro += ". The services for it, best first:"
		blocks = append(blocks, contextBlock(intro))
		if len(a.Closed) > 0 {
			blocks = append(blocks, section(closedText(a.Closed)))
		}
	case staff.KindPartial:
		blocks = append(blocks, contextBlock("Nothing matches all of that; these services match some of the words:"))
	}
	blocks = append(blocks, card(first, now, opt)...)
	if len(a.Services) > 1 {
		blocks = append(blocks, slack.NewDividerBlock(), shortList("*Also:*", a.Services[1:], max(0, a.Total-len(a.Services)), now))
	}
	// Every answer carries the emergency line, unless it is the
	// emergency service itself: staff pass these contacts on to people
	// who may be in danger.
	if !isEmergencyService(first) {
		blocks = append(blocks, contextBlock(dangerLine(ix)))
	}
	r.Blocks = blocks
	r.Text = notificationText(first, now)
	return r
}

// servicesReply renders services given by id (the "Post to channel"
// button): the first in full, the others as a short list.
func servicesReply(ix *index, svcs []directory.Service, now time.Time, sharedBy string) *reply {
	r := &reply{InChannel: true}
	r.Blocks = card(svcs[0], now, cardOptions{sharedBy: sharedBy})
	if len(svcs) > 1 {
		r.Blocks = append(r.Blocks, slack.NewDividerBlock(), shortList("*Also:*", svcs[1:], 0, now))
	}
	if !isEmergencyService(svcs[0]) {
		r.Blocks = append(r.Blocks, contextBlock(dangerLine(ix)))
	}
	r.Text = notificationText(svcs[0], now)
	return r
}

// closedText explains the services a route would have led with that are
// closed, so that staff know why another leads.
func closedText(closed []directory.Service) string {
	var b strings.Builder
	for i, s := range closed {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "*%s is closed* (%s)", escClip(s.Name, 150), statusText(s))
		if s.Alert != "" {
			b.WriteString(": " + escClip(s.Alert, 500))
		}
		b.WriteString(". The next open service is shown instead.")
	}
	return b.String()
}

// statusText says in words why a service that is not active is closed,
// escaped: "temporarily closed" or "inactive".
func statusText(s directory.Service) string {
	if s.Active() {
		return "active"
	}
	return esc(string(s.Status))
}

// nameHas reports whether a service's name already holds part (a contact's
// value or label), ignoring case and spaces, so that a message does not
// read "Police: 101: 101".
func nameHas(name, part string) bool {
	squash := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	p := squash(part)
	return p != "" && strings.Contains(squash(name), p)
}

// notificationText is a card's notification fallback, escaped: the name
// and the contact to use now (unless the name already says it), or, for a
// service that is not active, that it is closed and never a number.
func notificationText(s directory.Service, now time.Time) string {
	text := escClip(s.Name, 150)
	if !s.Active() {
		return text + " (closed: " + statusText(s) + ")"
	}
	c, ok := useNow(s, now)
	if !ok || nameHas(s.Name, c.Value) {
		return text
	}
	return text + ": " + escClip(c.Value, 200)
}

// notFoundReply says nothing matched, points to help, and gives the
// emergency number.
func notFoundReply(ix *index) *reply {
	text := "I could not find a service or a situation for that. Try a service's name or id (`mash`, `101`), " +
		"a keyword, or a few words about what happened (`fly tipping`, `child at risk`). `/whereto help` lists the commands."
	blocks := []slack.Block{section(text), section(dangerLine(ix))}
	return &reply{Text: "Nothing found. " + dangerLineText(ix), Blocks: blocks}
}

// dangerLineText is dangerLine without markup, for notification text.
func dangerLineText(ix *index) string {
	c := emergencyContact(ix)
	return "If someone is in danger now, call " + esc(c.Value) + "."
}

// textReply is a plain message (already escaped).
func textReply(text string) *reply {
	return &reply{Text: text, Blocks: []slack.Block{section(text)}}
}

// helpReply lists the commands.
func helpReply(admin bool) *reply {
	lines := []string{
		"*whereto* finds the right contact for a situation, fast.",
		"• `/whereto mash`: a service by id, name or keyword",
		"• `/whereto 0300 300 8123`, `/whereto mash@luton.gov.uk`: the service with that number, email or web address",
		"• `/whereto fly tipping`, `/whereto child at risk`: a situation, read by the same classifier residents use",
		"• mention @whereto or send it a direct message with the same words",
		"Answers are only shown to you; *Post to channel* shares one.",
	}
	if admin {
		lines = append(lines,
			"",
			"*Directory admins*",
			"• `/whereto edit ID`: change a service (opens a form)",
			"• `/whereto add`: add a service",
			"• `/whereto remove ID`: remove a service (asks first)",
			"• `/whereto verify ID`: mark a service's details as checked today",
			"• `/whereto history ID`: every change to a service, numbered",
			"• `/whereto revert ID CHANGE`: undo change number CHANGE",
			"• `/whereto stale`: services not verified in the last 180 days",
			"• `/whereto stats [DAYS]`: conversations per route per week (default 7 days, at most 366)",
		)
	} else {
		lines = append(lines, "Directory admins can also edit, add, remove and verify services.")
	}
	return textReply(strings.Join(lines, "\n"))
}

// isEmergencyService reports whether s is on the emergency route, whose
// card already says what to do in danger.
func isEmergencyService(s directory.Service) bool {
	_, ok := s.RouteRef(directory.RouteEmergency)
	return ok
}
