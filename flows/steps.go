package flows

import (
	"fmt"
	"strings"

	"github.com/whereto-bot/whereto/directory"
)

// Choice IDs. A button's meaning is in its ID, never only in the state, so
// that a button pressed after the session expired still does the right
// thing. IDs stay under Telegram's 64-byte callback limit.
const (
	choiceMenu   = "menu"
	choiceReport = "report"
	choiceFind   = "find"
	choiceWords  = "words"
	prefixRoute  = "go:"
	prefixSvc    = "svc:"
	prefixArea   = "area:" // "area:skip:ROUTE": answer ROUTE without a postcode
)

// choicesFor returns the buttons shown in state s, in order.
func (c *conv) choicesFor(s State) []Choice {
	back := Choice{choiceMenu, "Back to the menu"}
	switch s.Step {
	case StepStart, StepMenu:
		return []Choice{
			{prefixRoute + string(directory.RouteEmergency), routeOffer[directory.RouteEmergency]},
			{choiceReport, "Report something"},
			{prefixRoute + string(directory.RouteVictimSupport), routeOffer[directory.RouteVictimSupport]},
			{prefixRoute + string(directory.RouteSafeguarding), routeOffer[directory.RouteSafeguarding]},
			{choiceFind, "Find a contact"},
			{choiceWords, "Tell me in your own words"},
		}
	case StepReport:
		return []Choice{
			{prefixRoute + string(directory.RouteReportCrime), "A crime or anti-social behaviour"},
			{prefixRoute + string(directory.RouteEnvironmental), "Fly-tipping, graffiti, litter or another environmental problem"},
			{prefixRoute + string(directory.RouteHateCrime), "A hate crime: targeted because of who they are"},
			back,
		}
	case StepCrimeNow, StepHateNow, StepSafeNow:
		return []Choice{
			{string(s.Step) + ":yes", "Yes, right now"},
			{string(s.Step) + ":no", "No"},
		}
	case StepCrimeHate:
		return []Choice{
			{string(s.Step) + ":yes", "Yes"},
			{string(s.Step) + ":no", "No"},
			{string(s.Step) + ":unsure", "Not sure"},
		}
	case StepOwnWords:
		return []Choice{back}
	case StepFind:
		var out []Choice
		if len(s.Found) > 0 {
			for _, id := range s.Found {
				if svc, err := c.dir.Service(id); err == nil {
					out = append(out, Choice{prefixSvc + svc.ID, svc.Name})
				}
			}
		} else {
			// In menu order, whatever order the store keeps them in.
			seen := map[string]bool{}
			for _, r := range directory.Routes() {
				for _, svc := range c.dir.ServicesFor(r) {
					if !seen[svc.ID] {
						seen[svc.ID] = true
						out = append(out, Choice{prefixSvc + svc.ID, svc.Name})
					}
				}
			}
		}
		return append(out, back)
	case StepAnswered:
		var out []Choice
		if s.Then != "" && s.Then != s.Route {
			out = append(out, Choice{prefixRoute + string(s.Then), routeOffer[s.Then]})
		}
		if next, ok := afterRoute[s.Route]; ok && next != s.Then {
			out = append(out, Choice{prefixRoute + string(next), routeOffer[next]})
		}
		if s.Route == directory.RouteEnvironmental {
			out = append(out, Choice{choiceReport, "Report something else"})
		}
		return append(out, Choice{choiceMenu, "Start again"})
	case StepShown:
		return []Choice{{choiceFind, "Find another contact"}, {choiceMenu, "Start again"}}
	case StepArea:
		return []Choice{{prefixArea + "skip:" + string(s.Route), "Skip"}}
	}
	return nil
}

// question is what the bot asks in state s.
func (c *conv) question(s State) string {
	switch s.Step {
	case StepStart, StepMenu:
		return msgMenu
	case StepReport:
		return msgReport
	case StepCrimeNow:
		return msgCrimeNow
	case StepCrimeHate:
		return msgCrimeHate
	case StepHateNow:
		return msgHateNow
	case StepSafeNow:
		return msgSafeNow
	case StepOwnWords:
		return msgOwnWords
	case StepFind:
		if len(s.Found) > 0 {
			return msgFound
		}
		return msgFind
	case StepAnswered, StepShown:
		return msgAnythingElse
	case StepArea:
		return msgArea + "\n\n" + c.emergencyLine()
	}
	return ""
}

// ask moves to state s and asks its question.
func (c *conv) ask(s State) {
	c.out = s
	c.say(Reply{Text: c.question(s)})
}

// choose acts on a button ID (tapped, or typed as a number or label).
func (c *conv) choose(id string) {
	then := c.in.Then
	switch id {
	case choiceMenu:
		c.ask(State{Step: StepMenu})
		return
	case choiceReport:
		c.ask(State{Step: StepReport})
		return
	case choiceFind:
		c.ask(State{Step: StepFind})
		return
	case choiceWords:
		c.ask(State{Step: StepOwnWords})
		return
	case "crime-now:yes":
		c.answer(directory.RouteEmergency, then)
	case "crime-now:no":
		c.ask(State{Step: StepCrimeHate, Then: then})
	case "crime-hate:yes":
		c.answer(directory.RouteHateCrime, then)
	case "crime-hate:no":
		c.answer(directory.RouteReportCrime, then)
	case "crime-hate:unsure":
		c.answer(directory.RouteReportCrime, directory.RouteHateCrime)
	case "hate-now:yes":
		c.answer(directory.RouteEmergency, directory.RouteHateCrime)
	case "hate-now:no":
		c.answer(directory.RouteHateCrime, then)
	case "safe-now:yes":
		c.answer(directory.RouteEmergency, directory.RouteSafeguarding)
	case "safe-now:no":
		c.answer(directory.RouteSafeguarding, then)
	default:
		switch {
		case strings.HasPrefix(id, prefixRoute):
			if r := directory.Route(strings.TrimPrefix(id, prefixRoute)); r.Known() {
				c.enterRoute(r)
				return
			}
		case strings.HasPrefix(id, prefixSvc):
			if svc, err := c.dir.Service(strings.TrimPrefix(id, prefixSvc)); err == nil {
				c.show(svc)
				return
			}
		case strings.HasPrefix(id, prefixArea+"skip:"):
			if r := directory.Route(strings.TrimPrefix(id, prefixArea+"skip:")); r.Known() {
				c.area, c.noArea = "", true
				c.answer(r, then)
				return
			}
		}
		c.say(Reply{Text: msgLostTrack + "\n\n" + c.emergencyLine()})
		c.ask(State{Step: StepMenu})
	}
}

// enterRoute starts a route: routes where the answer depends on whether
// anyone is in danger ask that first; the others answer at once.
func (c *conv) enterRoute(r directory.Route) { c.enterRouteThen(r, "") }

func (c *conv) enterRouteThen(r, then directory.Route) {
	switch r {
	case directory.RouteReportCrime:
		c.ask(State{Step: StepCrimeNow, Then: then})
	case directory.RouteHateCrime:
		c.ask(State{Step: StepHateNow, Then: then})
	case directory.RouteSafeguarding:
		c.ask(State{Step: StepSafeNow, Then: then})
	default:
		c.answer(r, then)
	}
}

// answer shows route r's services in order, with the contacts that apply
// now, then offers the natural next step (and then, a second concern).
// When the route's best service is local and the person's area is not
// known, it first asks for the postcode district.
func (c *conv) answer(r, then directory.Route) {
	rec := recommend(c.dir, r, c.area)
	if rec.needArea && c.area == "" && !c.noArea {
		c.ask(State{Step: StepArea, Route: r, Then: then})
		return
	}
	if r == directory.RouteEmergency {
		c.say(Reply{Text: fmt.Sprintf(msgCallNow, c.emergencyNumber())})
	} else {
		c.say(Reply{Text: routeIntro[r]})
	}
	for _, note := range rec.notes {
		c.say(Reply{Text: note})
	}
	for _, svc := range rec.shown {
		c.say(c.serviceReply(svc))
	}
	c.route = r
	c.out = State{Step: StepAnswered, Route: r, Then: then}
	if then == r {
		c.out.Then = ""
	}
	if r == directory.RouteEmergency {
		c.say(Reply{Text: msgAfterDanger})
		return
	}
	c.say(Reply{Text: c.emergencyLine() + "\n\n" + msgAnythingElse})
}

// recommendation is what a route's answer shows a person in an area.
type recommendation struct {
	shown []directory.Service
	// notes explain services left out that the person would have expected
	// (closed, or not for their area).
	notes []string
	// needArea is set when the route's best service is local, so the
	// person's area changes the answer.
	needArea bool
}

// recommend chooses route r's services for someone in district (""
// unknown, which means the partnership's own area): active services that
// serve the district, in order; fallback services only when nothing else
// serves them.
func recommend(dir Directory, r directory.Route, district string) recommendation {
	var rec recommendation
	var fallbacks []directory.Service
	first := true
	for _, svc := range dir.ServicesFor(r) {
		ref, _ := svc.RouteRef(r)
		if ref.Fallback {
			if svc.Active() && svc.Serves(district) {
				fallbacks = append(fallbacks, svc)
			}
			continue
		}
		wasFirst := first && svc.Active()
		if svc.Active() {
			first = false
		}
		if wasFirst && svc.Local() && r != directory.RouteEmergency {
			rec.needArea = true
		}
		switch {
		case !svc.Active():
			if first {
				rec.notes = append(rec.notes, fmt.Sprintf(msgClosed, svc.Name, statusWords(svc.Status)))
			}
		case !svc.Serves(district):
			if wasFirst || len(rec.shown) == 0 {
				where := svc.AreaName
				if where == "" {
					where = strings.Join(svc.Areas, ", ")
				}
				rec.notes = append(rec.notes, fmt.Sprintf(msgNotYourArea, svc.Name, where, district))
			}
		default:
			rec.shown = append(rec.shown, svc)
		}
	}
	if len(rec.shown) == 0 || (district != "" && len(rec.notes) > 0 && !anyLocalShown(rec.shown)) {
		rec.shown = append(rec.shown, fallbacks...)
	}
	return rec
}

func anyLocalShown(ss []directory.Service) bool {
	for _, s := range ss {
		if s.Local() {
			return true
		}
	}
	return false
}

func statusWords(s directory.Status) string {
	if s == directory.StatusInactive {
		return "not available at the moment"
	}
	return string(s)
}

// show answers with one service, from Find.
func (c *conv) show(svc directory.Service) {
	c.say(c.serviceReply(svc))
	c.out = State{Step: StepShown}
	c.say(Reply{Text: c.emergencyLine() + "\n\n" + msgAnythingElse})
}

// find searches the directory for text at StepFind. It reports false when
// nothing matched, so the text can be read as a description instead.
func (c *conv) find(text string) bool {
	found := c.dir.Search(text)
	switch len(found) {
	case 0:
		return false
	case 1:
		c.show(found[0])
		return true
	}
	const most = 5
	ids := make([]string, 0, most)
	for _, s := range found[:min(len(found), most)] {
		ids = append(ids, s.ID)
	}
	c.ask(State{Step: StepFind, Found: ids})
	return true
}

// serviceReply describes one service: what it is for, its contacts for
// now, and its opening hours when they decide which number to use.
func (c *conv) serviceReply(svc directory.Service) Reply {
	var b strings.Builder
	if svc.Description != "" {
		b.WriteString(svc.Description)
		b.WriteString("\n")
	}
	if svc.Alert != "" {
		b.WriteString(msgNotice + svc.Alert + "\n")
	}
	var links []Link
	contacts := svc.ContactsAt(c.now)
	for _, ct := range contacts {
		b.WriteString("\n")
		b.WriteString(contactLine(ct))
		if ct.Note != "" {
			b.WriteString("\n")
			b.WriteString(ct.Note)
		}
		if ct.Kind == directory.KindWeb {
			label := ct.Label
			if label == "" {
				label = svc.Name
			}
			links = append(links, Link{Label: label, URL: ct.Value})
		}
	}
	if svc.Hours != nil {
		hours := svc.Hours.String() + ", UK time"
		b.WriteString("\n\n")
		in, why := svc.HoursAt(c.now)
		switch {
		case in:
			b.WriteString(fmt.Sprintf(msgInHours, hours))
		default:
			if strings.HasPrefix(why, "bank holiday") || strings.HasPrefix(why, "exception") {
				b.WriteString(fmt.Sprintf(msgClosedToday, why))
			} else {
				b.WriteString(fmt.Sprintf(msgOutOfHours, hours))
			}
			for _, ct := range contacts {
				if ct.Hours == directory.OutOfHours && ct.Kind == directory.KindPhone {
					b.WriteString(msgUseOOH)
					break
				}
			}
		}
	}
	return Reply{Heading: svc.Name, Text: b.String(), Links: links, Services: []string{svc.ID}}
}

// contactLine writes one contact as "Phone (Out of office hours): 0300 ...".
func contactLine(ct directory.Contact) string {
	word := kindWord[ct.Kind]
	if ct.Label != "" && !strings.EqualFold(ct.Label, word) {
		word += " (" + ct.Label + ")"
	}
	return word + ": " + ct.Value
}

// emergencyContact is the number to call in danger, from the directory
// (999 if the directory is broken).
func (c *conv) emergencyContact() directory.Contact {
	ct, _ := c.dir.EmergencyContact()
	return ct
}

func (c *conv) emergencyNumber() string { return c.emergencyContact().Value }

// emergencyLine is the line every answer that can matter in danger carries:
// the emergency number and, from the directory, how to call it without
// speaking (the Silent Solution).
func (c *conv) emergencyLine() string {
	ct := c.emergencyContact()
	line := fmt.Sprintf(msgDangerLine, ct.Value)
	if ct.Note != "" {
		line += " " + ct.Note
	}
	return line
}

// welcome greets a new conversation and shows the menu.
func (c *conv) welcome() {
	p := c.dir.About()
	c.say(Reply{Text: fmt.Sprintf(msgWelcome, p.Area, p.Name) + "\n\n" + c.emergencyLine() + "\n\n" + msgPrivacy})
	c.ask(State{Step: StepMenu})
}

// about says who runs the service and what it is for.
func (c *conv) about() {
	p := c.dir.About()
	text := strings.Join(p.About, "\n\n")
	var links []Link
	if p.Website != "" {
		text += "\n\nWebsite: " + p.Website
		links = append(links, Link{Label: p.Name, URL: p.Website})
	}
	c.say(Reply{Heading: p.Name, Text: text, Links: links})
	c.ask(State{Step: StepMenu})
}

// helpText explains what the bot does and its commands.
func (c *conv) helpText() string {
	p := c.dir.About()
	return fmt.Sprintf(msgHelpIntro, p.Area) + "\n\n" + fmt.Sprintf(msgHelpCommands, p.Name) + "\n\n" + c.emergencyLine()
}
