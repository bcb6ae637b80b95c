package flows

import (
	"slices"
	"strings"
	"unicode"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

// Choice IDs. A button's meaning is in its ID, never only in the state, so
// that a button pressed after the session expired still does the right
// thing. IDs stay under Telegram's 64-byte callback limit (route ids are at
// most directory.MaxRouteID bytes).
const (
	choiceMenu  = "menu"
	choiceFind  = "find"
	choiceWords = "words"
	prefixGroup = "grp:"  // "grp:report": a menu group's routes
	prefixRoute = "go:"   // "go:fraud": into a route
	prefixSvc   = "svc:"  // "svc:mash": one service
	prefixNow   = "now:"  // "now:ROUTE:yes" / "now:ROUTE:no": is it happening now?
	prefixArea  = "area:" // "area:skip:ROUTE", "area:home:ROUTE", "area:away:ROUTE"
	prefixMore  = "more:" // "more:ROUTE": the rest of a route's services
	prefixLang  = "lang:" // "lang:pl": write in this language
)

// buttons returns the buttons shown in state s: its own, and in a
// language other than English always one tap back to English.
func (c *conv) buttons(s State) []Choice {
	out := c.choicesFor(s)
	for _, l := range s.Offer {
		if l != c.lang && s.Step != StepLanguage { // the language menu has them all
			out = append(out, Choice{prefixLang + string(l), lang.T(l, "language_name")})
		}
	}
	if c.lang != lang.English && s.Step != StepLanguage {
		out = append(out, Choice{prefixLang + string(lang.English), lang.T(lang.English, "language_name")})
	}
	return out
}

// choicesFor returns the buttons of state s, in order.
func (c *conv) choicesFor(s State) []Choice {
	back := Choice{choiceMenu, c.tr("back_to_menu")}
	switch s.Step {
	case StepStart, StepMenu:
		return c.menuChoices()
	case StepGroup:
		var out []Choice
		for _, r := range c.dir.RouteList() {
			if r.Group == s.Group && r.Group != "" {
				out = append(out, Choice{prefixRoute + string(r.ID), r.LabelIn(string(c.lang))})
			}
		}
		return append(out, back)
	case StepNow:
		return []Choice{
			{prefixNow + string(s.Route) + ":yes", c.tr("danger_yes")},
			{prefixNow + string(s.Route) + ":no", c.tr("danger_no")},
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
			// In route order, whatever order the store keeps them in.
			seen := map[string]bool{}
			for _, r := range c.dir.RouteList() {
				for _, svc := range c.dir.ServicesFor(r.ID) {
					if !seen[svc.ID] && svc.Active() {
						seen[svc.ID] = true
						out = append(out, Choice{prefixSvc + svc.ID, svc.Name})
					}
				}
			}
		}
		return append(out, back)
	case StepAnswered:
		var out []Choice
		if len(c.rest(s)) > 0 {
			out = append(out, Choice{prefixMore + string(s.Route), c.tr("more_options")})
		}
		if s.Area == "" && !s.Home && s.Route != directory.RouteEmergency {
			// Answered for the partnership's area without asking: one tap
			// gives the answer for somewhere else.
			if rec := c.recommend(s.Route, "", s.Fits); rec.main != nil && rec.main.Local() {
				where, _, _ := strings.Cut(areaName(*rec.main), " (")
				out = append(out, Choice{prefixArea + "away:" + string(s.Route), c.tr("not_in_area", where)})
			}
		}
		offered := map[directory.Route]bool{s.Route: true}
		offer := func(r directory.Route) {
			if ri, ok := c.dir.Route(r); ok && !offered[r] {
				offered[r] = true
				out = append(out, Choice{prefixRoute + string(r), ri.LabelIn(string(c.lang))})
			}
		}
		if s.Then != "" {
			offer(s.Then)
		}
		if ri, ok := c.dir.Route(s.Route); ok {
			for _, n := range ri.Next {
				if len(out) >= 3 {
					break
				}
				offer(n)
			}
		}
		return append(out, Choice{choiceMenu, c.tr("start_again")})
	case StepShown:
		return []Choice{{choiceFind, c.tr("find_another")}, {choiceMenu, c.tr("start_again")}}
	case StepMore:
		var out []Choice
		if ri, ok := c.dir.Route(s.Route); ok {
			for _, n := range ri.Next {
				if nr, ok := c.dir.Route(n); ok && len(out) < 2 {
					out = append(out, Choice{prefixRoute + string(n), nr.LabelIn(string(c.lang))})
				}
			}
		}
		return append(out, Choice{choiceMenu, c.tr("start_again")})
	case StepLanguage:
		var out []Choice
		for _, l := range lang.Languages() {
			out = append(out, Choice{prefixLang + string(l), lang.T(l, "language_name")})
		}
		return append(out, back)
	case StepArea:
		r := string(s.Route)
		return []Choice{
			{prefixArea + "home:" + r, c.tr("in_area", c.dir.About().Area)},
			{prefixArea + "away:" + r, c.tr("elsewhere")},
			{prefixArea + "skip:" + r, c.tr("skip")},
		}
	}
	return nil
}

// menuChoices is the main menu: the emergency route, the menu groups and
// routes outside any group, then finding a contact and free text.
func (c *conv) menuChoices() []Choice {
	var out []Choice
	if ri, ok := c.dir.Route(directory.RouteEmergency); ok {
		out = append(out, Choice{prefixRoute + string(ri.ID), ri.LabelIn(string(c.lang))})
	}
	for _, g := range c.dir.MenuGroups() {
		out = append(out, Choice{prefixGroup + g.ID, g.LabelIn(string(c.lang))})
	}
	for _, r := range c.dir.RouteList() {
		if r.Group == "" && r.ID != directory.RouteEmergency {
			out = append(out, Choice{prefixRoute + string(r.ID), r.LabelIn(string(c.lang))})
		}
	}
	return append(out, Choice{choiceFind, c.tr("find_contact")}, Choice{choiceWords, c.tr("own_words_btn")})
}

// question is what the bot asks in state s.
func (c *conv) question(s State) string {
	switch s.Step {
	case StepStart, StepMenu:
		return c.tr("menu")
	case StepGroup:
		for _, g := range c.dir.MenuGroups() {
			if g.ID == s.Group {
				return g.QuestionIn(string(c.lang))
			}
		}
		return c.tr("menu")
	case StepNow:
		return c.dangerLine() + "\n\n" + c.tr("danger_check")
	case StepOwnWords:
		return c.tr("own_words")
	case StepLanguage:
		return c.tr("language_choose")
	case StepFind:
		if len(s.Found) > 0 {
			return c.tr("found")
		}
		return c.tr("find")
	case StepAnswered, StepShown, StepMore:
		return c.tr("anything_else")
	case StepArea:
		if ri, _ := c.dir.Route(s.Route); ri.Where == directory.WhereLives {
			return c.tr("where_lives")
		}
		return c.tr("where_happened")
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
		c.fits, c.asked = nil, false
		c.ask(State{Step: StepMenu})
		return
	case choiceFind:
		c.ask(State{Step: StepFind})
		return
	case choiceWords:
		c.fits, c.asked = nil, false
		c.ask(State{Step: StepOwnWords})
		return
	case "report": // the menu button of earlier versions
		id = prefixGroup + "report"
	}
	switch {
	case strings.HasPrefix(id, prefixGroup):
		g := strings.TrimPrefix(id, prefixGroup)
		for _, mg := range c.dir.MenuGroups() {
			if mg.ID == g {
				c.fits, c.asked = nil, false
				c.ask(State{Step: StepGroup, Group: g})
				return
			}
		}
	case strings.HasPrefix(id, prefixRoute):
		if r := directory.Route(strings.TrimPrefix(id, prefixRoute)); c.knows(r) {
			if c.in.Step == StepMenu || c.in.Step == StepGroup || c.in.Step == StepStart {
				// From the menu: answer at once for the partnership's own
				// area, and offer the answer for elsewhere as a button,
				// rather than ask first.
				c.fits, c.asked = nil, true
			}
			c.enterRoute(r, "")
			return
		}
	case strings.HasPrefix(id, prefixSvc):
		if svc, err := c.dir.Service(strings.TrimPrefix(id, prefixSvc)); err == nil {
			c.show(svc)
			return
		}
	case strings.HasPrefix(id, prefixNow):
		rest := strings.TrimPrefix(id, prefixNow)
		r, ans, _ := strings.Cut(rest, ":")
		route := directory.Route(r)
		switch {
		case ans == "yes":
			c.answer(directory.RouteEmergency, route)
			return
		case ans == "no" && c.knows(route) && route != directory.RouteEmergency:
			c.asked = true
			c.answer(route, then)
			return
		case ans == "no":
			c.say(Reply{Text: c.tr("what_about")})
			c.out = State{Step: StepMenu}
			return
		}
	case strings.HasPrefix(id, prefixArea):
		kind, r, _ := strings.Cut(strings.TrimPrefix(id, prefixArea), ":")
		if route := directory.Route(r); c.knows(route) {
			switch kind {
			case "skip":
				c.area, c.noArea, c.home = "", true, false
			case "home":
				c.area, c.noArea, c.home = "", true, true
			case "away":
				c.area, c.noArea, c.home = AreaAway, false, false
			}
			c.answer(route, then)
			return
		}
	case strings.HasPrefix(id, prefixMore):
		if r := directory.Route(strings.TrimPrefix(id, prefixMore)); c.knows(r) {
			c.more(r)
			return
		}
	case strings.HasPrefix(id, prefixLang):
		if l, ok := lang.Find(strings.TrimPrefix(id, prefixLang)); ok {
			c.lang, c.chosen = l, true
			c.say(Reply{Text: c.tr("language_set")})
			// What the person was reading, again in the language they
			// chose: an answer, or the question they were asked.
			switch {
			case c.in.Step == StepAnswered && c.knows(c.in.Route):
				c.answer(c.in.Route, c.in.Then)
			case c.in.Step == StepNow || c.in.Step == StepArea:
				c.reask()
			default:
				c.ask(State{Step: StepMenu})
			}
			return
		}
	case strings.HasSuffix(id, "-now:yes"):
		// The danger question's button of earlier versions.
		c.answer(directory.RouteEmergency, "")
		return
	}
	c.say(Reply{Text: c.tr("lost_track")})
	c.ask(State{Step: StepMenu})
}

// freeText handles words that are not a command or a button.
func (c *conv) freeText(msg triage.Message) {
	text := msg.Text()
	if text == "" {
		c.say(Reply{Text: c.tr("empty")})
		c.reask()
		return
	}
	t := triage.ClassifyMessage(c.dir, msg, triage.Hint{Lang: string(c.lang)})
	c.follow(t.Lang, text)
	c.danger = t.Danger
	if t.Danger == triage.DangerNow {
		c.answer(directory.RouteEmergency, t.Second)
		return
	}
	if c.in.Step == StepNow && saysSafe(triage.Normalise(text)) {
		// "nobody is hurt", "not now", "no, he left": an answer to the
		// question, never a new message (danger now in the same words
		// was answered above).
		c.choose(prefixNow + string(c.in.Route) + ":no")
		return
	}
	if !triage.Reads(t.Lang) {
		// A language it cannot read: say so, offer the ones it can, and
		// the 999 line (danger words of every language were read above).
		c.say(Reply{Text: c.tr("not_english")})
		c.out = State{Step: StepLanguage}
		return
	}
	// Where, if the message says (a postcode, a town), so that the bot
	// need not ask.
	place, isPlace := c.dir.Places().Find(text)
	if isPlace {
		c.setPlace(place)
	}
	if c.in.Step == StepArea && t.Danger == triage.DangerNone && isPlace {
		c.answer(c.in.Route, c.in.Then)
		return
	}
	if t.Danger == triage.DangerNone && !isPlace && (c.in.Step == StepFind || looksLikeLookup(text)) {
		if c.lookup(text, c.in.Step == StepFind) {
			return
		}
	}
	if c.in.Step == StepArea && t.Danger == triage.DangerNone && (t.Route == directory.RouteUnclear || directory.LooksLikePostcode(text)) {
		c.say(Reply{Text: c.tr("unknown_place")})
		c.reask()
		return
	}
	if c.in.Step != StepNow || t.Route != c.in.Route {
		c.fits, c.asked = nil, false
	}
	if t.Route != directory.RouteUnclear {
		c.fits = fitting(c.dir, t.Route, triage.Normalise(text))
	}
	if t.Danger == triage.DangerCheck {
		c.ask(State{Step: StepNow, Route: t.Route, Then: t.Second})
		c.danger = triage.DangerCheck
		return
	}
	if t.Route == directory.RouteUnclear {
		if c.lookup(text, false) {
			return
		}
		if c.in.Step == StepStart {
			c.welcome()
			return
		}
		if c.in.Step == StepNow {
			c.say(Reply{Text: c.tr("please_choose")})
			c.reask()
			return
		}
		c.say(Reply{Text: c.tr("unclear")})
		c.out = State{Step: StepMenu}
		return
	}
	c.enterRoute(t.Route, t.Second)
}

// setPlace remembers where the person said it is.
func (c *conv) setPlace(p directory.Place) {
	switch {
	case p.Away:
		c.area, c.noArea, c.home = AreaAway, false, false
	default:
		c.area, c.noArea, c.home = p.District, false, false
	}
}

// reask repeats the question of the current step.
func (c *conv) reask() {
	if q := c.question(c.in); q != "" {
		c.say(Reply{Text: q})
	}
	c.out = c.in
	if c.out.Step == StepStart {
		c.out.Step = StepMenu
	}
}

// enterRoute answers route r (then is a second concern to offer after).
func (c *conv) enterRoute(r, then directory.Route) { c.answer(r, then) }

// answer shows route r: the one thing to do now first (the best service
// for this person, at this hour, with its number), then at most two other
// services that fit, and the rest behind [More options]. When the best
// service is local and the answer depends on the place, it first asks
// where, unless it has asked a question already.
func (c *conv) answer(r, then directory.Route) {
	if then == r {
		then = ""
	}
	if r == directory.RouteEmergency {
		c.emergency(then)
		return
	}
	ri, _ := c.dir.Route(r)
	rec := c.recommend(r, c.area, c.fits)
	if rec.needArea && ri.Where != directory.WhereNone && c.area == "" && !c.noArea && !c.asked {
		c.ask(State{Step: StepArea, Route: r, Then: then})
		return
	}
	var head strings.Builder
	head.WriteString(ri.IntroIn(string(c.lang)))
	for _, note := range rec.notes {
		if head.Len() > 0 {
			head.WriteString("\n\n")
		}
		head.WriteString(note)
	}
	if head.Len() > 0 {
		c.say(Reply{Text: head.String()})
	}
	if rec.main != nil {
		rep := c.serviceReply(*rec.main, false)
		if rec.main.Local() && c.area == "" && !c.home {
			rep.Text += "\n" + c.tr("covers", areaName(*rec.main))
		}
		c.say(rep)
	}
	var tail strings.Builder
	var links []Link
	var ids []string
	if len(rec.alts) > 0 {
		tail.WriteString(c.tr("or"))
		offers := false
		for _, svc := range rec.alts {
			line, l := c.shortLine(svc)
			tail.WriteString("\n" + line)
			links = append(links, l...)
			ids = append(ids, svc.ID)
			offers = offers || svc.Interpreters
		}
		tail.WriteString(c.interpreter(offers))
	}
	if ri.DangerCheck {
		if tail.Len() > 0 {
			tail.WriteString("\n\n")
		}
		tail.WriteString(c.dangerLine())
	}
	if tail.Len() > 0 {
		c.say(Reply{Text: tail.String(), Links: links, Services: ids})
	}
	c.route = r
	c.out = State{Step: StepAnswered, Route: r, Then: then}
}

// emergency is the 999 answer: the number first, how to call it without
// speaking or hearing, then the concern to come back to.
func (c *conv) emergency(then directory.Route) {
	ct := c.local(c.emergencyContact())
	var b strings.Builder
	b.WriteString(c.tr("call_now", ct.Value))
	offers := false
	for _, svc := range c.dir.ServicesFor(directory.RouteEmergency) {
		offers = offers || (svc.Active() && svc.Interpreters)
	}
	b.WriteString(c.interpreter(offers))
	if ct.Note != "" {
		b.WriteString("\n" + ct.Note)
	}
	var ids []string
	var links []Link
	for _, svc := range c.dir.ServicesFor(directory.RouteEmergency) {
		if ref, _ := svc.RouteRef(directory.RouteEmergency); !svc.Active() || ref.Fallback {
			continue
		}
		ids = append(ids, svc.ID)
		for _, other := range svc.ContactsAt(c.now) {
			other = c.local(other)
			if other.Value == ct.Value && other.Kind == ct.Kind {
				continue
			}
			switch {
			case other.Note != "" && strings.Contains(other.Note, other.Value):
				// The note says how to use the number ("you can text 999,
				// but only if ..."): it is the line.
				b.WriteString("\n" + other.Note)
			default:
				b.WriteString("\n" + c.contactLine(other))
				if other.Note != "" {
					b.WriteString(" " + other.Note)
				}
			}
			if other.Kind == directory.KindWeb {
				links = append(links, Link{Label: svc.Name, URL: other.Value})
			}
		}
	}
	c.say(Reply{Text: b.String(), Links: links, Services: ids})
	c.say(Reply{Text: c.tr("after_danger")})
	c.route = directory.RouteEmergency
	c.danger = triage.DangerNow
	c.out = State{Step: StepAnswered, Route: directory.RouteEmergency, Then: then}
}

// more shows the rest of route r's services, briefly.
func (c *conv) more(r directory.Route) {
	s := State{Step: StepAnswered, Route: r, Area: c.area, NoArea: c.noArea, Home: c.home, Fits: c.fits}
	rest := c.rest(s)
	var b strings.Builder
	var links []Link
	var ids []string
	b.WriteString(c.tr("other_options"))
	for _, svc := range rest {
		line, l := c.shortLine(svc)
		b.WriteString("\n" + line)
		links = append(links, l...)
		ids = append(ids, svc.ID)
	}
	if len(rest) == 0 {
		b.Reset()
		b.WriteString(c.tr("anything_else"))
	}
	c.say(Reply{Text: b.String(), Links: links, Services: ids})
	c.route = r
	c.out = State{Step: StepMore, Route: r}
}

// rest returns the services of a route answer that were not shown: those
// behind [More options].
func (c *conv) rest(s State) []directory.Service {
	if s.Route == directory.RouteEmergency || s.Route == "" {
		return nil
	}
	return c.recommend(s.Route, s.Area, s.Fits).rest
}

// show answers with one service, from Find or a question about it.
func (c *conv) show(svc directory.Service) {
	c.say(c.serviceReply(svc, true))
	c.out = State{Step: StepShown}
}

// lookup answers a question about a contact ("what is the MASH?",
// "samaritans", "101", "phone number for the council"). anyMatch accepts
// any search result (at StepFind); otherwise the words must name a
// service. It reports false when nothing matched.
func (c *conv) lookup(text string, anyMatch bool) bool {
	q := lookupQuery(text)
	if q == "" {
		return false
	}
	var found []directory.Service
	if anyMatch {
		found = c.dir.Search(q)
	} else {
		found = named(c.dir, q)
	}
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

// serviceReply describes one service: its contacts for now, its hours, and
// (with describe) what it is for.
func (c *conv) serviceReply(svc directory.Service, describe bool) Reply {
	var b strings.Builder
	if d := svc.DescriptionIn(string(c.lang)); describe && d != "" {
		b.WriteString(d + "\n")
	}
	if svc.Alert != "" {
		b.WriteString(c.tr("notice") + svc.Alert + "\n")
	}
	var links []Link
	contacts := svc.ContactsAt(c.now)
	for i, ct := range contacts {
		ct = c.local(ct)
		if i > 0 || b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(c.contactLine(ct))
		if ct.Note != "" && ct.Note != ct.Label {
			b.WriteString("\n" + ct.Note)
		}
		if ct.Kind == directory.KindWeb {
			label := ct.Label
			if label == "" {
				label = svc.Name
			}
			links = append(links, Link{Label: label, URL: ct.Value})
		}
	}
	b.WriteString(c.interpreter(svc.Interpreters))
	if h := c.hoursLine(svc, contacts); h != "" {
		b.WriteString("\n" + h)
	}
	return Reply{Heading: svc.Name, Text: b.String(), Links: links, Services: []string{svc.ID}}
}

// shortLine is one line for an alternative: the service's name and the
// first contact to use now.
func (c *conv) shortLine(svc directory.Service) (string, []Link) {
	cts := svc.ContactsAt(c.now)
	if len(cts) == 0 {
		return "- " + svc.Name, nil
	}
	ct := cts[0]
	var links []Link
	if ct.Kind == directory.KindWeb {
		links = append(links, Link{Label: svc.Name, URL: ct.Value})
	}
	v := c.contactValue(ct)
	if ct.Kind == directory.KindWeb {
		v = ct.Value
	}
	return "- " + svc.Name + ": " + v, links
}

// hoursLine says when a service with a phone can be called: open now or
// not, its hours in plain words, and which number to use.
func (c *conv) hoursLine(svc directory.Service, contacts []directory.Contact) string {
	hasPhone, hasWeb, hasOOH := false, false, false
	for _, ct := range contacts {
		switch {
		case ct.Kind == directory.KindPhone && ct.Hours == directory.OutOfHours:
			hasOOH, hasPhone = true, true
		case ct.Kind == directory.KindPhone:
			hasPhone = true
		case ct.Kind == directory.KindWeb:
			hasWeb = true
		}
	}
	if !hasPhone {
		return ""
	}
	if svc.Hours == nil {
		if alwaysLabel(contacts) {
			return ""
		}
		if hasWeb {
			return c.tr("hours_unknown") + c.tr("check_website")
		}
		return c.tr("hours_unknown")
	}
	if svc.Hours.IsAlwaysOpen() {
		if alwaysLabel(contacts) {
			return ""
		}
		return c.tr("open_always")
	}
	hours := scheduleWords(c.lang, *svc.Hours)
	in, why := svc.HoursAt(c.now)
	switch {
	case in && hasOOH:
		line := c.tr("open_now", hours)
		if closes, ok := svc.Hours.ClosesAt(c.now); ok {
			line += c.tr("closes_at", clockWords(c.lang, closes.In(directory.London()).Format("15:04")))
		}
		return line
	case in:
		return c.tr("open_now", hours)
	case strings.HasPrefix(why, "bank holiday") || strings.HasPrefix(why, "exception"):
		line := c.tr("closed_today", why)
		if hasOOH {
			line += c.tr("use_ooh")
		}
		return line
	default:
		line := c.tr("closed_hours", hours)
		if hasOOH {
			line += c.tr("use_ooh")
		}
		return line
	}
}

// alwaysLabel reports whether a contact's own label already says it is
// open day and night ("24/7 helpline", "Free, day or night").
func alwaysLabel(cts []directory.Contact) bool {
	for _, ct := range cts {
		l := strings.ToLower(ct.Label + " " + ct.Note)
		if strings.Contains(l, "24/7") || strings.Contains(l, "day or night") || strings.Contains(l, "day and night") {
			return true
		}
	}
	return false
}

// contactLine writes one contact as people act on it: "Call 0808 2000
// 247 (24/7 helpline)", "Website: https://...".
func (c *conv) contactLine(ct directory.Contact) string {
	line := c.contactValue(ct)
	if ct.Label != "" && ct.Kind != directory.KindWeb && ct.Kind != directory.KindEmail && !strings.EqualFold(ct.Label, "phone") && !strings.EqualFold(ct.Label, line) {
		line += " (" + ct.Label + ")"
	}
	if ct.Kind == directory.KindWeb && ct.Label != "" && !strings.EqualFold(ct.Label, c.tr("website")) {
		line = ct.Label + ": " + ct.Value
	}
	return line
}

// contactValue is a contact's value with the verb to use it.
func (c *conv) contactValue(ct directory.Contact) string {
	switch ct.Kind {
	case directory.KindPhone:
		return c.tr("call", ct.Value)
	case directory.KindText:
		return c.tr("text", ct.Value)
	case directory.KindEmail:
		return c.tr("email") + ": " + ct.Value
	default:
		return c.tr("website") + ": " + ct.Value
	}
}

// areaName describes a local service's area for people.
func areaName(s directory.Service) string {
	if s.AreaName != "" {
		return s.AreaName
	}
	return strings.Join(s.Areas, ", ")
}

// emergencyContact is the number to call in danger, from the directory
// (999 if the directory is broken).
func (c *conv) emergencyContact() directory.Contact {
	ct, _ := c.dir.EmergencyContact()
	return ct
}

// dangerLine is the one line that answers where danger may be close
// carry: "If you are in danger now, call 999."
func (c *conv) dangerLine() string {
	return c.tr("danger_line", c.emergencyContact().Value)
}

// emergencyLine is the danger line with, from the directory, how to call
// without speaking (the Silent Solution). The welcome and apologies carry
// it.
func (c *conv) emergencyLine() string {
	ct := c.local(c.emergencyContact())
	line := c.tr("danger_line", ct.Value)
	if ct.Note != "" {
		line += " " + ct.Note
	}
	return line
}

// local is a contact with its label and note in the conversation's
// language, where the directory has them.
func (c *conv) local(ct directory.Contact) directory.Contact {
	// English is the main fields: no "en" translation exists.
	ct.Label, ct.Note = ct.LabelIn(string(c.lang)), ct.NoteIn(string(c.lang))
	return ct
}

// interpreter is the line, once a turn and only in a language other than
// English, that says a caller can ask for an interpreter: for a service
// that finds one (offers). It starts with a line break; "" otherwise.
func (c *conv) interpreter(offers bool) string {
	if !offers || c.lang == lang.English || c.interpreterSaid {
		return ""
	}
	c.interpreterSaid = true
	return "\n" + c.tr("interpreter")
}

// code is the conversation's language as the directory names it ("pl"),
// for its translated words; "" for English.
func (c *conv) code() string {
	if c.lang == lang.English {
		return ""
	}
	return string(c.lang)
}

// follow switches to the language a message was written in, when the
// person has not chosen one and the bot speaks it. The turn says so at
// its end, after the answer, so that the thing to do comes first.
func (c *conv) follow(code, text string) {
	l, ok := lang.Find(code)
	if !ok || c.chosen || l == c.lang {
		return
	}
	if offer := latinOffers[l]; offer != nil && !hasOwnScript(text) {
		// Written in English letters: which script the person reads is
		// not known, so the bot stays in its language and offers both.
		c.offer, c.offerNew = offer, !slices.Equal(offer, c.offer)
		return
	}
	c.lang = l
	c.langNote = l != lang.English
	c.offer = nil // the message's script answered the question
}

// latinOffers are languages with a script of their own that people also
// write in English letters, and the languages offered when they do. Punjabi
// in English letters does not say whether its writer reads Gurmukhi (most
// Sikh families) or Urdu script (most Pakistani and Kashmiri families,
// Luton's largest Punjabi-speaking group), so the bot does not answer in
// Gurmukhi: it answers in the conversation's language and offers both.
var latinOffers = map[lang.Lang][]lang.Lang{"pa": {"pa", "ur"}}

// hasOwnScript reports whether text has a letter of a script other than
// Latin.
func hasOwnScript(text string) bool {
	for _, r := range text {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}

// welcome greets a new conversation and shows the menu.
func (c *conv) welcome() {
	p := c.dir.About()
	c.say(Reply{Text: c.tr("welcome", p.Area) + "\n\n" + c.emergencyLine() + "\n\n" + c.tr("privacy")})
	c.ask(State{Step: StepMenu})
}

// about says who runs the service and what it helps with, from the
// directory.
func (c *conv) about() {
	p := c.dir.About()
	var b strings.Builder
	b.WriteString(strings.Join(p.AboutIn(string(c.lang)), "\n\n"))
	if b.Len() == 0 {
		b.WriteString(c.tr("about_run", p.Name))
	}
	// What it helps with, as the menu offers it: danger now, each menu
	// group with its routes, and routes outside any group.
	var labels []string
	for _, ch := range c.menuChoices() {
		if strings.HasPrefix(ch.ID, prefixRoute) || strings.HasPrefix(ch.ID, prefixGroup) {
			labels = append(labels, "- "+ch.Label)
		}
	}
	b.WriteString("\n\n" + c.tr("about_routes") + "\n" + strings.Join(labels, "\n"))
	var links []Link
	if p.Website != "" {
		b.WriteString("\n\n" + c.tr("about_website", p.Website))
		links = append(links, Link{Label: p.Name, URL: p.Website})
	}
	c.say(Reply{Heading: p.Name, Text: b.String(), Links: links})
	c.ask(State{Step: StepMenu})
}

// helpText explains what the bot does and its commands.
func (c *conv) helpText() string {
	p := c.dir.About()
	return c.tr("help_intro", p.Area) + "\n\n" + c.tr("help_commands") + "\n\n" + c.emergencyLine()
}
