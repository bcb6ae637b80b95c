package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

// Directory is what the conversation needs to know about services and
// routes. It is satisfied by *directory.Directory.
type Directory interface {
	ServicesFor(r directory.Route) []directory.Service
	Service(id string) (directory.Service, error)
	List() []directory.Service
	Search(query string) []directory.Service
	About() directory.Partnership
	EmergencyContact() (directory.Contact, bool)
	Route(r directory.Route) (directory.RouteInfo, bool)
	RouteList() []directory.RouteInfo
	MenuGroups() []directory.MenuGroup
	Places() *directory.Places
}

// Step is where a conversation is: which question, if any, it waits on.
type Step string

// Steps. The zero value is a conversation that has not started.
const (
	StepStart    Step = ""
	StepMenu     Step = "menu"  // the main menu is showing
	StepGroup    Step = "group" // a menu group's routes are showing
	StepNow      Step = "now"   // "Is this happening now?"
	StepOwnWords Step = "own-words"
	StepFind     Step = "find"     // choosing or naming a service to look up
	StepAnswered Step = "answered" // a route's services were shown
	StepShown    Step = "shown"    // one service was shown from Find
	StepMore     Step = "more"     // the rest of a route's services were shown
	StepArea     Step = "area"     // "Where did it happen?" before Route's answer
	StepLanguage Step = "language" // choosing a language
)

// State is everything the bot remembers about a conversation between
// messages. It never holds what the person typed, so it is safe to store.
type State struct {
	Step Step `json:"step,omitempty"`
	// Route is the route answered (StepAnswered) or asked about (StepNow,
	// StepArea).
	Route directory.Route `json:"route,omitempty"`
	// Then is a second concern to offer once the first is dealt with.
	Then directory.Route `json:"then,omitempty"`
	// Group is the menu group shown at StepGroup.
	Group string `json:"group,omitempty"`
	// Found lists the service ids offered at StepFind after a search.
	Found []string `json:"found,omitempty"`
	// Fits lists the ids of services whose words the person's message
	// used (RouteRef.When): never the words themselves.
	Fits []string `json:"fits,omitempty"`
	// Area is the postcode district of the place the person gave ("LU5"),
	// never the full postcode, or AreaAway for a place outside every
	// known district. NoArea is set when they skipped the question, Home
	// when they said it is in the partnership's own area.
	Area   string `json:"area,omitempty"`
	NoArea bool   `json:"no_area,omitempty"`
	Home   bool   `json:"home,omitempty"`
	// Asked is set once the bot has asked a question about the current
	// concern, so that it never asks a second before answering.
	Asked bool `json:"asked,omitempty"`
	// Lang is the language the bot writes in (a catalogue's code, "pl");
	// empty is English. LangChosen is set when the person chose it with
	// a button or /language: it then stays until they change it. A
	// language the bot picked itself, from the person's words or their
	// app's language, follows the words they write.
	Lang       lang.Lang `json:"lang,omitempty"`
	LangChosen bool      `json:"lang_chosen,omitempty"`
	// Offer are languages offered with a button after the answer, for a
	// message in English letters in a language with a script of its own
	// (Punjabi): the bot cannot tell which script the person reads.
	Offer []lang.Lang `json:"offer,omitempty"`
}

// AreaAway is State.Area for a place outside the districts the directory
// knows: no local service serves it.
const AreaAway = "*"

// Input is one thing the person did: typed text, or tapped a button.
type Input struct {
	// Text is what they typed, exactly as received (it may be anything).
	Text string
	// Choice is the ID of the button they tapped; it wins over Text.
	Choice string
	// Lang is the language the person's app is set to, if the channel
	// knows it (Telegram's language_code, "pl" or "pl-PL"): the bot
	// starts in it when it has it and nothing else says otherwise.
	Lang string
}

// Choice is a button: an ID the adapter sends back in Input.Choice, and a
// label for people.
type Choice struct {
	ID    string
	Label string
}

// Link is a button that opens a web page.
type Link struct {
	Label string
	URL   string
}

// Reply is one message from the bot, free of any platform's types. Text is
// plain (adapters escape it); Heading, when set, is shown emphasised above
// it. Choices are only ever on the last reply of a turn.
type Reply struct {
	Heading  string
	Text     string
	Links    []Link
	Choices  []Choice
	Services []string // ids of the services this reply names
}

// Turn is the outcome of one input.
type Turn struct {
	State   State
	Replies []Reply
	// Route is set when this turn showed a route's services: the event
	// counted in the anonymous statistics.
	Route directory.Route
	// Danger is how close danger was in the person's words this turn
	// (triage.DangerNone for buttons and commands).
	Danger triage.Danger
	// Forget asks the runner to delete the session now and, where the
	// platform allows, the conversation's messages.
	Forget bool
}

// Next is the conversation: given the state, what the person did, the
// directory and the current time, it returns the next state and the replies.
// It has no side effects and the same arguments always give the same turn.
//
// Danger outranks everything: typed text that reads as danger now gets the
// 999 answer at once, from any step. Buttons carry their meaning in their
// IDs, so a button from an expired or restarted session still works.
func Next(s State, in Input, dir Directory, now time.Time) Turn {
	c := &conv{dir: dir, now: now, in: s, area: s.Area, noArea: s.NoArea, home: s.Home, fits: s.Fits, asked: s.Asked, danger: triage.DangerNone,
		lang: lang.Of(string(s.Lang)), chosen: s.LangChosen, offer: s.Offer}
	if s.Lang == "" && !s.LangChosen && in.Lang != "" {
		// The app's language, until the person's words say otherwise.
		c.lang = lang.Of(in.Lang)
	}
	if in.Choice != "" {
		c.choose(in.Choice)
		return c.turn()
	}
	msg := triage.Clean(in.Text)
	if msg.Truncated() {
		c.say(Reply{Text: c.tr("truncated")})
	}
	text := msg.Text()
	if strings.HasPrefix(text, "/") {
		c.command(text)
		return c.turn()
	}
	if id, ok := c.typedChoice(text); ok {
		c.choose(id)
		return c.turn()
	}
	c.freeText(msg)
	return c.turn()
}

// conv accumulates one turn.
type conv struct {
	dir     Directory
	now     time.Time
	in      State
	out     State
	replies []Reply
	route   directory.Route
	danger  triage.Danger
	forget  bool
	// area, noArea and home carry where the person said it is (or their
	// choice not to say) through the conversation; fits the services
	// their words fit; asked whether a question was asked already.
	area   string
	noArea bool
	home   bool
	fits   []string
	asked  bool
	// lang is the language the bot writes in this turn; chosen whether
	// the person chose it.
	lang   lang.Lang
	chosen bool
	// interpreterSaid is set once the interpreter line is said;
	// langNote when the bot switched language by itself this turn.
	interpreterSaid, langNote bool
	// offer are the languages offered with buttons, for a message in
	// English letters whose script is not known, until the person
	// chooses a language; offerNew is set on the turn the offer is made.
	offer    []lang.Lang
	offerNew bool
	// recs memoises recommend within the turn: the answer, its buttons and
	// More options ask for the same one.
	recs []memoRec
}

type memoRec struct {
	route    directory.Route
	district string
	fits     string
	rec      recommendation
}

// recommend is the package's recommend, computed once a turn for the
// same route, place and fitting services.
func (c *conv) recommend(r directory.Route, district string, fits []string) recommendation {
	key := strings.Join(fits, ",")
	for _, m := range c.recs {
		if m.route == r && m.district == district && m.fits == key {
			return m.rec
		}
	}
	rec := recommend(c.dir, c.lang, r, district, fits)
	c.recs = append(c.recs, memoRec{r, district, key, rec})
	return rec
}

func (c *conv) say(rs ...Reply) { c.replies = append(c.replies, rs...) }

// turn finishes the turn: the last reply carries the choices of the state
// the conversation is now in, so that typed numbers always match what was
// shown.
func (c *conv) turn() Turn {
	if c.out.Step == StepStart && !c.forget {
		c.out.Step = StepMenu
	}
	if !c.forget {
		c.out.Area, c.out.NoArea, c.out.Home = c.area, c.noArea, c.home
		if c.out.Step == StepNow || c.out.Step == StepArea || c.out.Step == StepAnswered {
			c.out.Fits = c.fits
		}
		if c.out.Step == StepNow || c.out.Step == StepArea {
			c.out.Asked = true
		}
	}
	c.out.Lang, c.out.LangChosen = c.lang, c.chosen
	if c.lang == lang.English {
		c.out.Lang = ""
	}
	if c.langNote {
		c.say(Reply{Text: c.tr("language_detected")})
	}
	if c.chosen {
		c.offer = nil
	}
	if c.offerNew && len(c.offer) > 0 && c.out.Step != StepLanguage {
		var names []string
		for _, l := range c.offer {
			names = append(names, lang.T(l, "language_name"))
		}
		c.say(Reply{Text: c.tr("language_offer", strings.Join(names, " / "))})
	}
	if !c.forget {
		c.out.Offer = c.offer
	}
	choices := c.buttons(c.out)
	if len(c.replies) == 0 {
		c.say(Reply{})
	}
	last := &c.replies[len(c.replies)-1]
	last.Choices = append(last.Choices, choices...)
	return Turn{State: c.out, Replies: c.replies, Route: c.route, Danger: c.danger, Forget: c.forget}
}

// command handles /start, /help, /forget, /about and /emergency. A
// /start payload naming a route jumps straight into it (deep links).
func (c *conv) command(text string) {
	name, arg, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	// Telegram appends the bot's name in groups: /help@whereto_bot.
	name, _, _ = strings.Cut(strings.ToLower(name), "@")
	arg = strings.TrimSpace(arg)
	switch name {
	case "start":
		c.area, c.noArea, c.home, c.fits, c.asked = "", false, false, nil, false
		if r := directory.Route(strings.ToLower(arg)); c.knows(r) {
			c.enterRoute(r, "")
			return
		}
		c.welcome()
	case "help":
		c.say(Reply{Text: c.helpText()})
		c.out = State{Step: StepMenu}
	case "forget":
		c.forget = true
		for _, r := range Forgotten(c.dir, ForgetReport{HadSession: true}) {
			r.Choices = nil // the turn adds the menu's
			c.say(r)
		}
		c.out = State{}
	case "about":
		c.about()
	case "emergency", "999":
		c.answer(directory.RouteEmergency, "")
	case "language", "lang", "jezyk", "język", "limba":
		c.ask(State{Step: StepLanguage})
	default:
		c.say(Reply{Text: c.tr("unknown_cmd") + "\n\n" + c.helpText()})
		c.out = State{Step: StepMenu}
	}
}

// knows reports whether r is one of the directory's routes.
func (c *conv) knows(r directory.Route) bool {
	_, ok := c.dir.Route(r)
	return ok
}

// typedChoice matches typed text against the buttons of the current step:
// a number from the list, a button's label, or a yes/no answer.
func (c *conv) typedChoice(text string) (string, bool) {
	// At StepStart the menu's buttons apply: a person whose session
	// expired still sees the menu they were last shown.
	choices := c.buttons(c.in)
	t := strings.TrimSuffix(strings.TrimSpace(text), ".")
	if isDigits(t) {
		if i, err := strconv.Atoi(t); err == nil && i >= 1 && i <= len(choices) {
			return choices[i-1].ID, true
		}
	}
	n := triage.Normalise(text)
	for _, ch := range choices {
		if n == triage.Normalise(ch.Label) {
			return ch.ID, true
		}
	}
	ans := yesNo(n)
	switch c.in.Step {
	case StepArea:
		if ans == "skip" || ans == "no" || ans == "unsure" {
			return prefixArea + "skip:" + string(c.in.Route), true
		}
		return "", false
	}
	if ans != "" {
		for _, ch := range choices {
			if strings.HasSuffix(ch.ID, ":"+ans) {
				return ch.ID, true
			}
		}
	}
	return "", false
}

// yesNo reads a short yes/no answer; it returns "yes", "no", "unsure",
// "skip" or "".
func yesNo(n string) string {
	switch strings.TrimSpace(n) {
	case "yes", "y", "yeah", "yep", "yh", "ye", "yes it is", "yes they are", "yes he is", "yes she is", "it is", "correct", "yes please", "yes now", "now", "right now", "yes right now":
		return "yes"
	case "no", "n", "nope", "nah", "no it is not", "no its not", "not really", "no they are not", "no one", "nobody", "not now", "no not now", "no im safe", "no i am safe", "no im safe now", "no i am safe now", "im safe", "i am safe", "im safe now", "i am safe now", "no it was", "its over", "it is over", "no its over":
		return "no"
	case "not sure", "dont know", "do not know", "unsure", "maybe", "idk", "i dont know", "i do not know":
		return "unsure"
	case "skip", "skip it", "no thanks", "rather not", "id rather not say", "prefer not to say":
		return "skip"
	}
	return ""
}

// saysSafe reports whether normalised text says no one is in danger now:
// a negation ("no one is in danger", "nobody is hurt"), or an answer that
// starts with no.
func saysSafe(n string) bool {
	if triage.SaysNoDanger(n) {
		return true
	}
	f := strings.Fields(n)
	return len(f) > 0 && (f[0] == "no" || f[0] == "nope" || f[0] == "nah" || f[0] == "not")
}

// isDigits reports whether s is a short run of ASCII digits.
func isDigits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
