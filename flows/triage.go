package flows

import (
	"strings"

	"github.com/whereto-bot/whereto/directory"
)

// Triage is what a free-text message says about where to send a person.
type Triage struct {
	// Route is the best route, or directory.RouteUnclear.
	Route directory.Route
	// Confidence is between 0 and 1; 1 for danger.
	Confidence float64
	// Second is another concern the message names, or "" if none; after
	// danger it is the route to offer once the person is safe.
	Second directory.Route
	// Script is the writing system when the message is not in Latin script
	// ("arabic", "gurmukhi", "bengali", ...), else "".
	Script string
}

// Classify reads free text and says which route it needs. Danger rules run
// first and win over everything; then a keyword classifier picks among the
// other routes, answering directory.RouteUnclear rather than guessing when
// the evidence is thin. It is pure and safe on any input.
func Classify(text string) Triage {
	c := clean(text)
	t := Triage{Route: directory.RouteUnclear, Script: nonLatinScript(c.text)}
	n := normalise(c.text)
	lx := compiled()
	m := lx.match(n)
	route, conf, second := classifyRoutes(m)
	if danger(lx, n, c.text, m) {
		t.Route, t.Confidence = directory.RouteEmergency, 1
		// A crime in progress is reported by the 999 call itself; other
		// concerns (hate crime, a child at risk) are offered afterwards.
		if route != directory.RouteUnclear && route != directory.RouteReportCrime {
			t.Second = route
		}
		return t
	}
	t.Route, t.Confidence, t.Second = route, conf, second
	return t
}

// negations are phrases that say there is no danger; they are removed
// before the danger rules run so that "nobody is in danger" is not danger.
var negations = []string{
	"not an emergency", "not a emergency", "no emergency", "isnt an emergency",
	"not urgent", "no one is in danger", "nobody is in danger", "not in danger",
	"no danger", "no one is hurt", "nobody is hurt", "no one was hurt",
	"nobody was hurt", "no one hurt", "nobody hurt", "not happening now",
	"not happening right now", "not injured", "no one injured", "nobody injured",
	"not right now",
}

// immediate phrases mean danger whatever the tense.
var immediate = []string{
	"cannot breathe", "not breathing", "stopped breathing", "unconscious",
	"on fire", "house is burning", "is burning", "fire in", "smoke everywhere",
	"kill myself", "killing myself", "end my life", "suicidal",
	"take my own life", "overdose", "overdosed", "bleeding", "in danger",
	"emergency", "in progress", "happening now", "happening right now",
	"going on now", "going on right now", "999", "sos",
	"not safe", "unsafe", "dying",
}

// present phrases mean danger unless the message places them in the past
// ("last week") without saying it is still going on.
var present = []string{
	// attacks
	"being attacked", "attacking", "attacked me", "hitting me", "hitting her",
	"hitting him", "beating me", "beating her", "beating him", "beating up",
	"punching", "kicking me", "strangling", "choking", "hurting me",
	"hurting her", "hurting him", "fighting", "a fight", "assaulting",
	"being assaulted", "being robbed", "robbing", "mugging me", "grabbed me",
	// intrusion
	"trying to get in", "trying to break in", "breaking in", "break in",
	"breaking into", "kicking the door", "kicking my door", "kicking down",
	"in my house", "in the house", "in my home", "in my garden",
	"someone is inside", "somebody is inside", "following me", "chasing me", "wont leave",
	"will not leave",
	// threats
	"going to kill", "kill me", "kill you", "kill her", "kill him",
	"going to hurt", "hurt me", "threatening to kill", "threatening me",
	"threatening to hurt", "wants to kill", "will kill", "gonna kill",
	// indirect
	"screaming", "glass breaking", "smashing", "gunshot", "gunshots",
	"shots fired", "shooting", "stabbing", "stabbed", "been stabbed",
	"been shot", "has a gun", "has a knife", "with a knife", "with a gun",
	"got a knife", "got a gun", "holding a knife", "waving a knife",
	"machete", "weapon", "knife", "gun", "blade", "crowbar", "baseball bat",
	"locked in", "kidnapped", "taken my child", "taken my son",
	"taken my daughter", "missing child", "child is missing",
	"left alone", "home alone",
}

// pastMarkers place an event in the past.
var pastMarkers = []string{
	"yesterday", "last night", "last week", "last month", "last year",
	"last weekend", "last time", "ago", "earlier", "the other day",
	"in the past", "used to", "previously", "back in", "this morning",
	"few days", "few weeks", "weeks", "months", "years",
}

// nowMarkers say an event is still happening.
var nowMarkers = []string{
	"now", "right now", "still", "currently", "at the moment", "tonight",
	"outside", "here", "coming", "on his way", "on her way", "on their way",
}

// urgentHelp phrases are cries for help. With urgency (an exclamation mark,
// "now", "please", repetition) they are danger.
var urgentHelp = []string{
	"help me", "help us", "please help", "somebody help", "someone help",
	"need help now", "help help", "need the police", "call the police",
	"send the police", "send police", "call an ambulance", "need an ambulance",
}

// urgency words turn a cry for help into danger.
var urgency = []string{"now", "please", "quick", "quickly", "urgent", "asap"}

// danger applies the danger rules to the normalised text n (raw is the
// cleaned original, for punctuation). It is tuned for recall: a false alarm
// costs a line of text, a miss can cost a life.
func danger(lx *lexicon, n, raw string, m *matches) bool {
	if m.any[listNegation] {
		for _, neg := range lx.negations {
			n = strings.ReplaceAll(n, neg, " ")
		}
		m = lx.match(n)
	}
	if m.any[listImmediate] {
		return true
	}
	if m.any[listUrgentHelp] && (strings.Contains(raw, "!") || m.any[listUrgency] || strings.Count(n, " help ") > 1) {
		return true
	}
	if m.words <= 2 && strings.Contains(n, " help ") {
		return true
	}
	if m.any[listPresent] {
		past := m.any[listPast] || strings.Contains(n, " last ")
		return !past || m.any[listNow]
	}
	return false
}

// keyword is one piece of evidence for a route. Phrases match whole words;
// prefixes (ending in '*') match the start of a word.
type keyword struct {
	phrase string
	weight float64
}

// routeKeywords is the first, deliberately simple classifier: evidence per
// route, weighted by how specific it is.
var routeKeywords = map[directory.Route][]keyword{
	directory.RouteEnvironmental: {
		{"fly tip*", 3}, {"flytip*", 3}, {"fly tipped", 3}, {"dumped", 2}, {"dumping", 2},
		{"rubbish", 2}, {"litter*", 2}, {"graffiti", 3}, {"dog fouling", 3}, {"dog poo", 3},
		{"dog mess", 3}, {"abandoned car", 3}, {"abandoned vehicle", 3}, {"abandoned van", 3},
		{"parking", 2}, {"parked", 1.5}, {"bins", 1.5}, {"bin bags", 2}, {"waste", 2},
		{"mattress*", 2}, {"fridge", 1}, {"sofa", 1}, {"tyres", 1.5}, {"needles", 1.5},
		{"environmental", 3}, {"mess", 1}, {"spray paint*", 2}, {"tagging", 2},
		{"overflowing", 1.5}, {"fouling", 3}, {"pavement", 1}, {"blocking my drive", 2},
		{"noise", 1}, {"burning rubbish", 2}, {"pest*", 1}, {"rats", 1.5},
	},
	directory.RouteHateCrime: {
		{"hate crime", 4}, {"hate incident", 4}, {"racis*", 3}, {"racial*", 3},
		{"homophob*", 3}, {"transphob*", 3}, {"islamophob*", 3}, {"antisemit*", 3},
		{"anti semit*", 3}, {"because of my race", 3}, {"because of my religion", 3},
		{"because i am gay", 3}, {"because i am black", 3}, {"because i am muslim", 3},
		{"because i am disabled", 3}, {"because i am trans", 3}, {"because of my disability", 3},
		{"because of who", 2}, {"my skin", 2}, {"colour", 1}, {"religion", 2}, {"religious", 2},
		{"mosque", 2}, {"synagogue", 2}, {"gurdwara", 2}, {"temple", 1.5}, {"church", 1},
		{"headscarf", 2}, {"hijab", 2}, {"turban", 2}, {"slur*", 2}, {"go back to", 2},
		{"gay", 1.5}, {"lesbian", 1.5}, {"trans", 1.5}, {"transgender", 2}, {"disabled", 1},
		{"disability", 1.5}, {"wheelchair", 1}, {"muslim", 1.5}, {"jewish", 1.5}, {"sikh", 1.5},
		{"hindu", 1.5}, {"black", 1}, {"asian", 1}, {"polish", 1}, {"foreigner", 1.5},
		{"immigrant*", 1.5}, {"targeted", 1.5}, {"hate", 1.5}, {"hostility", 2},
	},
	directory.RouteSafeguarding: {
		{"safeguarding", 4}, {"child", 2}, {"children", 2}, {"kid", 2}, {"kids", 2},
		{"baby", 2}, {"toddler", 2}, {"teenager", 1.5}, {"girl", 1}, {"boy", 1},
		{"pupil", 2}, {"student", 1}, {"grandchild", 2}, {"niece", 1}, {"nephew", 1},
		{"neglect*", 3}, {"abuse", 2}, {"abused", 2}, {"abusing", 2}, {"groom*", 3},
		{"exploit*", 3}, {"cuckoo*", 3}, {"county lines", 3}, {"vulnerable", 2.5},
		{"elderly", 2}, {"old lady", 1.5}, {"old man", 1.5}, {"dementia", 2},
		{"carer", 2}, {"care home", 2}, {"not being fed", 3}, {"not fed", 2},
		{"bruises", 2}, {"bruised", 2}, {"self harm*", 2}, {"at risk", 2.5},
		{"radicalis*", 3}, {"forced marriage", 3}, {"fgm", 3}, {"modern slavery", 3},
		{"trafficked", 3}, {"trafficking", 3}, {"unsafe at home", 3}, {"social services", 3},
		{"social worker", 3}, {"worried about", 1.5}, {"concerned about", 1.5},
		{"mash", 4}, {"domestic abuse", 2}, {"domestic violence", 2}, {"coercive", 2},
		{"controlling", 1.5}, {"under 18", 1.5}, {"underage", 2}, {"school", 1},
	},
	directory.RouteVictimSupport: {
		{"support", 2}, {"someone to talk to", 3}, {"talk to someone", 3}, {"cope", 2.5},
		{"coping", 2.5}, {"counsel*", 2.5}, {"upset", 1.5}, {"scared", 1.5}, {"anxious", 1.5},
		{"anxiety", 1.5}, {"traumatis*", 2.5}, {"trauma", 2.5}, {"cannot sleep", 2},
		{"struggling", 2}, {"victim", 2}, {"victims", 2}, {"affected by", 2}, {"after a crime", 2},
		{"after the crime", 2}, {"since the", 1}, {"since i was", 1.5}, {"advice", 1},
		{"help after", 2}, {"emotional", 2}, {"feel", 1}, {"feeling", 1}, {"shaken", 2},
		{"signpost", 4}, {"bereaved", 2.5}, {"grief", 2}, {"court", 1.5}, {"witness", 1},
		{"what now", 1}, {"need help", 1}, {"get help", 1},
	},
	directory.RouteReportCrime: {
		{"report a crime", 3}, {"report crime", 3}, {"crime", 1.5}, {"stole*", 2.5}, {"steal*", 2.5},
		{"stolen", 2.5}, {"theft", 2.5}, {"thief", 2.5}, {"nicked", 2.5}, {"pinched", 2},
		{"burgl*", 3}, {"broke in", 3}, {"broken into", 3}, {"robbed", 3}, {"robbery", 3},
		{"mugged", 3}, {"assault*", 2.5}, {"attacked", 2}, {"punched", 2}, {"vandal*", 2.5},
		{"criminal damage", 3}, {"smashed", 1.5}, {"keyed", 2}, {"drug*", 2.5}, {"dealing", 2.5},
		{"dealer*", 2.5}, {"weed", 2}, {"cannabis", 2}, {"anti social", 3}, {"antisocial", 3},
		{"asb", 3}, {"youths", 2}, {"gang", 1.5}, {"fraud", 2.5}, {"scam*", 2.5},
		{"harass*", 2.5}, {"stalk*", 2.5}, {"threat*", 2}, {"shoplift*", 3}, {"intelligence", 2},
		{"information about", 1.5}, {"suspicious", 2}, {"police", 1.5}, {"report", 1},
		{"car broken", 3}, {"catalytic", 3}, {"bike", 1}, {"phone", 0.5}, {"wallet", 1.5},
		{"purse", 1.5}, {"handbag", 1.5}, {"speeding", 1.5}, {"nuisance", 1.5},
		{"motorbikes", 1.5}, {"off road bikes", 2}, {"loud music", 1.5},
		{"knife", 2.5}, {"gun", 2.5}, {"weapon", 2.5}, {"pulled a knife", 3}, {"threatened", 2},
	},
}

// classifyRoutes scores the non-emergency routes from the keyword matches.
// Confidence is the top score's share of the total, damped when the
// evidence is thin; below a floor the answer is unclear. A second route is
// returned when its evidence is strong on its own.
func classifyRoutes(m *matches) (directory.Route, float64, directory.Route) {
	routes := directory.Routes()
	best, second := -1, -1
	total := 0.0
	for i, s := range m.score {
		if s <= 0 {
			continue
		}
		total += s
		switch {
		case best < 0 || s > m.score[best]:
			best, second = i, best
		case second < 0 || s > m.score[second]:
			second = i
		}
	}
	if best < 0 {
		return directory.RouteUnclear, 0, ""
	}
	top := m.score[best]
	// Thin evidence (a single weak word) is damped towards zero.
	strength := min(top/3, 1)
	conf := top / total * strength
	if conf < minConfidence {
		return directory.RouteUnclear, conf, ""
	}
	var other directory.Route
	if second >= 0 && m.score[second] >= 2.5 {
		other = routes[second]
	}
	return routes[best], conf, other
}

// minConfidence is the confidence below which Classify answers unclear and
// the bot asks instead of guessing.
const minConfidence = 0.4
