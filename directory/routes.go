package directory

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// RouteInfo defines a route: what people are shown of it and how the
// conversation treats it. Routes are data: a partnership adds a route by
// adding a RouteInfo, services on it and examples for the classifier, with
// no change to the code. Only the emergency route has a meaning the code
// relies on (RouteEmergency).
type RouteInfo struct {
	// ID is the route id ([a-z0-9-], at most MaxRouteID bytes). It is part
	// of the public interface (CLI output, stats, deep links) and should
	// never change once people use it.
	ID Route `json:"id"`
	// Label is a short button label in a resident's words ("Report a
	// scam").
	Label string `json:"label"`
	// Description says in one plain line when the route is right. It
	// documents the route for the people who keep the directory (it is
	// exported and imported with it); residents see Label and Intro.
	Description string `json:"description"`
	// Intro is said before the route's services ("To report a crime that
	// is not an emergency:"). Empty means no intro.
	Intro string `json:"intro,omitempty"`
	// Group is the id of the menu group (Directory.Menu) the route is
	// listed under. Empty lists it on the main menu itself.
	Group string `json:"group,omitempty"`
	// DangerCheck marks routes where danger can be close (domestic abuse,
	// a child at risk, thoughts of suicide): their answers carry the line
	// "If you are in danger now, call 999". Whatever the route, a message
	// whose danger is possible but not clear is first asked whether it is
	// happening now.
	DangerCheck bool `json:"danger_check,omitempty"`
	// Where says whether the answer depends on the area and so which
	// question to ask when the route's best service is local: WhereHappened
	// ("Where did it happen?") or WhereLives ("Where does the person
	// live?"). Empty: the area never changes the answer; the question is
	// not asked.
	Where Where `json:"where,omitempty"`
	// Next are routes offered after this route's answer, in order.
	Next []Route `json:"next,omitempty"`
	// Examples are messages in people's own words that belong on this
	// route. The classifier learns from them, beside its built-in
	// training data; a new route needs some (MinRouteExamples) unless the
	// built-in data already covers it.
	Examples []string `json:"examples,omitempty"`
	// Translations are Label and Intro in other languages, by language
	// code ("pl"). LabelIn and IntroIn read them.
	Translations map[string]RouteWords `json:"translations,omitempty"`
}

// Where names the place question of a route.
type Where string

// Place questions.
const (
	WhereNone     Where = ""
	WhereHappened Where = "happened"
	WhereLives    Where = "lives"
)

// MenuGroup is an entry of the main menu that opens a list of routes.
type MenuGroup struct {
	// ID is referred to by RouteInfo.Group.
	ID string `json:"id"`
	// Label is the button ("Report something").
	Label string `json:"label"`
	// Question is asked above the group's routes ("What do you want to
	// report?").
	Question string `json:"question"`
	// Translations are Label and Question in other languages, by language
	// code ("pl"). LabelIn and QuestionIn read them.
	Translations map[string]GroupWords `json:"translations,omitempty"`
}

// Limits on route definitions.
const (
	// MaxRouteID is the longest route id: it travels in button data, which
	// Telegram limits to 64 bytes.
	MaxRouteID = 40
	// MaxRouteLabel is the longest button label, in runes.
	MaxRouteLabel = 60
	// MaxRoutes bounds the routes of one directory.
	MaxRoutes = 40
	// MaxRouteExamples bounds the examples of one route.
	MaxRouteExamples = 2000
)

// ValidID reports whether s has the shape of a service id: lower-case
// letters, digits and single hyphens ("mash", "police-non-emergency").
func ValidID(s string) bool { return idPattern.MatchString(s) }

// ValidRouteID reports whether s has the shape of a route id: lower-case
// letters, digits and single hyphens, at most MaxRouteID bytes. Training
// files and evaluation sets use it for their labels.
func ValidRouteID(s string) bool { return len(s) <= MaxRouteID && idPattern.MatchString(s) }

// Route returns the definition of route r, and false if the directory does
// not define it.
func (d *Directory) Route(r Route) (RouteInfo, bool) {
	for _, ri := range d.Routes {
		if ri.ID == r {
			return ri, true
		}
	}
	return RouteInfo{}, false
}

// Knows reports whether the directory defines route r.
func (d *Directory) Knows(r Route) bool {
	_, ok := d.Route(r)
	return ok
}

// RouteIDs returns the ids of the directory's routes in menu order. The
// caller owns the returned slice.
func (d *Directory) RouteIDs() []Route {
	out := make([]Route, len(d.Routes))
	for i, ri := range d.Routes {
		out[i] = ri.ID
	}
	return out
}

// RouteList returns the route definitions in menu order. The caller must
// not modify the returned slice.
func (d *Directory) RouteList() []RouteInfo { return d.Routes }

// MenuGroups returns the menu groups in order. The caller must not modify
// the returned slice.
func (d *Directory) MenuGroups() []MenuGroup { return d.Menu }

// Clone returns a deep copy of ri.
func (ri RouteInfo) Clone() RouteInfo {
	c := ri
	c.Next = slices.Clone(ri.Next)
	c.Examples = slices.Clone(ri.Examples)
	c.Translations = maps.Clone(ri.Translations)
	return c
}

// Clone returns a deep copy of g.
func (g MenuGroup) Clone() MenuGroup {
	g.Translations = maps.Clone(g.Translations)
	return g
}

func cloneMenu(gs []MenuGroup) []MenuGroup {
	if gs == nil {
		return nil
	}
	out := make([]MenuGroup, len(gs))
	for i, g := range gs {
		out[i] = g.Clone()
	}
	return out
}

func cloneRoutes(rs []RouteInfo) []RouteInfo {
	if rs == nil {
		return nil
	}
	out := make([]RouteInfo, len(rs))
	for i, r := range rs {
		out[i] = r.Clone()
	}
	return out
}

// validateRoutes checks the route definitions and the menu, and that every
// service's routes are defined. It needs the whole directory.
func (d *Directory) validateRoutes(ps *problems) {
	if len(d.Routes) == 0 {
		ps.add("routes", "a directory needs its routes")
		return
	}
	if len(d.Routes) > MaxRoutes {
		ps.add("routes", "%d routes is more than %d", len(d.Routes), MaxRoutes)
	}
	groups := map[string]int{}
	for i, g := range d.Menu {
		gp := fmt.Sprintf("menu[%d]", i)
		checkID(ps, gp, "menu", g.ID, groups, i)
		checkLabel(ps, gp+".label", g.Label)
		checkText(ps, gp+".question", g.Question, true)
		checkTranslations(ps, gp, g.Translations, func(tp string, w GroupWords) {
			checkLabel(ps, tp+".label", w.Label)
			checkText(ps, tp+".question", w.Question, false)
		})
	}
	ids := map[string]int{}
	for i, r := range d.Routes {
		rp := fmt.Sprintf("routes[%d]", i)
		if r.ID == RouteUnclear {
			ps.add(rp+".id", "%q is what the bot says when it cannot tell; it is not a route", r.ID)
		} else {
			checkID(ps, rp, "routes", string(r.ID), ids, i)
		}
		checkLabel(ps, rp+".label", r.Label)
		checkText(ps, rp+".description", r.Description, true)
		checkText(ps, rp+".intro", r.Intro, false)
		checkTranslations(ps, rp, r.Translations, func(tp string, w RouteWords) {
			checkLabel(ps, tp+".label", w.Label)
			checkText(ps, tp+".intro", w.Intro, false)
		})
		if _, ok := groups[r.Group]; r.Group != "" && !ok {
			ps.add(rp+".group", "%q is not a menu group", r.Group)
		}
		switch r.Where {
		case WhereNone, WhereHappened, WhereLives:
		default:
			ps.add(rp+".where", "%q is not %q, %q or empty", r.Where, WhereHappened, WhereLives)
		}
		if len(r.Examples) > MaxRouteExamples {
			ps.add(rp+".examples", "%d examples is more than %d", len(r.Examples), MaxRouteExamples)
		}
		for j, e := range r.Examples {
			checkText(ps, fmt.Sprintf("%s.examples[%d]", rp, j), e, true)
		}
	}
	for i, dist := range d.PlaceNames.Districts {
		if !districtPattern.MatchString(dist) {
			ps.add(fmt.Sprintf("places.districts[%d]", i), "%q is not a postcode district (like LU1)", dist)
		}
	}
	for name, dist := range d.PlaceNames.Towns {
		tp := fmt.Sprintf("places.towns[%q]", name)
		checkText(ps, tp, name, true)
		if name != strings.ToLower(name) {
			ps.add(tp, "a town's name must be lower case")
		}
		if dist != "" && !slices.Contains(d.PlaceNames.Districts, dist) {
			ps.add(tp, "%q is not one of places.districts", dist)
		}
	}
	if _, ok := ids[string(RouteEmergency)]; !ok {
		ps.add("routes", "the %q route is required", RouteEmergency)
	}
	for i, r := range d.Routes {
		for j, n := range r.Next {
			if _, ok := ids[string(n)]; !ok || n == r.ID {
				ps.add(fmt.Sprintf("routes[%d].next[%d]", i, j), "%q is not another route", n)
			}
		}
	}
	for i, s := range d.Services {
		for j, ref := range s.Routes {
			if _, ok := ids[string(ref.Route)]; !ok && ValidRouteID(string(ref.Route)) {
				ps.add(fmt.Sprintf("services[%d].routes[%d].route", i, j), "%q is not a route (want one of %s)", ref.Route, d.routeList())
			}
		}
	}
}

// checkID checks the id of list[i] (a route or a menu group): present,
// shaped as an id, at most MaxRouteID bytes, and not the id of an earlier
// entry, which seen records.
func checkID(ps *problems, path, list, id string, seen map[string]int, i int) {
	switch {
	case id == "":
		ps.add(path+".id", "is empty")
	case !ValidRouteID(id):
		ps.add(path+".id", "%q must be up to %d lower-case letters, digits and single hyphens", id, MaxRouteID)
	default:
		if j, dup := seen[id]; dup {
			ps.add(path+".id", "%q is also %s[%d]", id, list, j)
		}
		seen[id] = i
	}
}

func checkLabel(ps *problems, path, s string) {
	checkText(ps, path, s, true)
	if n := len([]rune(s)); n > MaxRouteLabel {
		ps.add(path, "is %d characters; a button label has at most %d", n, MaxRouteLabel)
	}
}

func (d *Directory) routeList() string {
	names := make([]string, len(d.Routes))
	for i, r := range d.Routes {
		names[i] = string(r.ID)
	}
	return strings.Join(names, ", ")
}

// AdoptRoutes gives d the route definitions and menu of def, for a
// directory kept before routes were data (it has services but no routes):
// the routes of def that one of d's services is on, and the emergency
// route, with follow-ups and menu groups to routes d does not keep left
// out.
func (d *Directory) AdoptRoutes(def *Directory) {
	used := map[Route]bool{RouteEmergency: true}
	for _, s := range d.Services {
		for _, ref := range s.Routes {
			used[ref.Route] = true
		}
	}
	d.Routes = nil
	groups := map[string]bool{}
	for _, r := range def.Routes {
		if !used[r.ID] {
			continue
		}
		r = r.Clone()
		r.Next = slices.DeleteFunc(r.Next, func(n Route) bool { return !used[n] })
		d.Routes = append(d.Routes, r)
		groups[r.Group] = true
	}
	if len(d.PlaceNames.Districts) == 0 {
		d.PlaceNames = def.PlaceNames
	}
	d.Menu = nil
	for _, g := range def.Menu {
		if groups[g.ID] {
			d.Menu = append(d.Menu, g.Clone())
		}
	}
}
