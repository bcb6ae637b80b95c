package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// Directory is what the conversation needs to know about services. It is
// satisfied by *directory.Directory.
type Directory interface {
	ServicesFor(r directory.Route) []directory.Service
	Service(id string) (directory.Service, error)
	List() []directory.Service
	Search(query string) []directory.Service
	About() directory.Partnership
	EmergencyContact() (directory.Contact, bool)
}

// Step is where a conversation is: which question, if any, it waits on.
type Step string

// Steps. The zero value is a conversation that has not started.
const (
	StepStart     Step = ""
	StepMenu      Step = "menu"       // the main menu is showing
	StepReport    Step = "report"     // what kind of thing to report
	StepCrimeNow  Step = "crime-now"  // is the crime happening now / anyone in danger?
	StepCrimeHate Step = "crime-hate" // was it because of who they are?
	StepHateNow   Step = "hate-now"   // hate crime: anyone in danger now?
	StepSafeNow   Step = "safe-now"   // safeguarding: in danger now?
	StepOwnWords  Step = "own-words"  // waiting for a description in their words
	StepFind      Step = "find"       // choosing or naming a service to look up
	StepAnswered  Step = "answered"   // a route's services were shown
	StepShown     Step = "shown"      // one service was shown from Find
	StepArea      Step = "area"       // asking for the postcode district before Route's answer
)

// State is everything the bot remembers about a conversation between
// messages: the step and the routes in play. It never holds what the person
// typed, so it is safe to store.
type State struct {
	Step Step `json:"step,omitempty"`
	// Route is the route answered (StepAnswered).
	Route directory.Route `json:"route,omitempty"`
	// Then is a second concern to offer once the first is dealt with.
	Then directory.Route `json:"then,omitempty"`
	// Found lists the service ids offered at StepFind after a search.
	Found []string `json:"found,omitempty"`
	// Area is the postcode district the person gave ("LU1"), never the
	// full postcode; NoArea is set when they chose to skip the question.
	Area   string `json:"area,omitempty"`
	NoArea bool   `json:"no_area,omitempty"`
}

// Input is one thing the person did: typed text, or tapped a button.
type Input struct {
	// Text is what they typed, exactly as received (it may be anything).
	Text string
	// Choice is the ID of the button they tapped; it wins over Text.
	Choice string
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
	c := &conv{dir: dir, now: now, in: s, area: s.Area, noArea: s.NoArea}
	if in.Choice != "" {
		c.choose(in.Choice)
		return c.turn()
	}
	msg := clean(in.Text)
	if msg.truncated {
		c.say(Reply{Text: msgTruncated})
	}
	text := msg.text
	if strings.HasPrefix(text, "/") {
		c.command(text)
		return c.turn()
	}
	if id, ok := c.typedChoice(text); ok {
		c.choose(id)
		return c.turn()
	}
	if c.in.Step == StepArea {
		if district, err := directory.PostcodeDistrict(text); err == nil {
			c.area, c.noArea = district, false
			c.answer(c.in.Route, c.in.Then)
			return c.turn()
		}
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
	forget  bool
	// area and noArea carry the person's postcode district (or their
	// choice not to give it) through the conversation.
	area   string
	noArea bool
}

func (c *conv) say(r Reply) { c.replies = append(c.replies, r) }

// turn finishes the turn: the last reply carries the choices of the state
// the conversation is now in, so that typed numbers always match what was
// shown.
func (c *conv) turn() Turn {
	if c.out.Step == StepStart && !c.forget {
		c.out.Step = StepMenu
	}
	if !c.forget {
		c.out.Area, c.out.NoArea = c.area, c.noArea
	}
	choices := c.choicesFor(c.out)
	if len(c.replies) == 0 {
		c.say(Reply{})
	}
	last := &c.replies[len(c.replies)-1]
	last.Choices = append(last.Choices, choices...)
	return Turn{State: c.out, Replies: c.replies, Route: c.route, Forget: c.forget}
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
		c.area, c.noArea = "", false
		if r := directory.Route(strings.ToLower(arg)); r.Known() {
			c.enterRoute(r)
			return
		}
		c.welcome()
	case "help":
		c.say(Reply{Text: c.helpText()})
		c.out = State{Step: StepMenu}
	case "forget":
		c.forget = true
		c.say(Reply{Text: msgForgotten + "\n\n" + c.emergencyLine()})
		c.out = State{}
	case "about":
		c.about()
	case "emergency", "999":
		c.answer(directory.RouteEmergency, "")
	default:
		c.say(Reply{Text: msgUnknownCommand + "\n\n" + c.helpText()})
		c.out = State{Step: StepMenu}
	}
}

// typedChoice matches typed text against the buttons of the current step:
// a number from the list, a button's label, or a yes/no answer.
func (c *conv) typedChoice(text string) (string, bool) {
	// At StepStart the menu's buttons apply: a person whose session
	// expired still sees the menu they were last shown.
	choices := c.choicesFor(c.in)
	t := strings.TrimSuffix(strings.TrimSpace(text), ".")
	if isDigits(t) {
		if i, err := strconv.Atoi(t); err == nil && i >= 1 && i <= len(choices) {
			return choices[i-1].ID, true
		}
	}
	n := normalise(text)
	for _, ch := range choices {
		if n == normalise(ch.Label) {
			return ch.ID, true
		}
	}
	if ans := yesNo(n); ans != "" {
		if c.in.Step == StepArea && (ans == "skip" || ans == "no" || ans == "unsure") {
			return prefixArea + "skip:" + string(c.in.Route), true
		}
		for _, ch := range choices {
			if strings.HasSuffix(ch.ID, ":"+ans) {
				return ch.ID, true
			}
		}
	}
	return "", false
}

// yesNo reads a short yes/no answer; it returns "yes", "no", "unsure" or "".
func yesNo(n string) string {
	switch strings.TrimSpace(n) {
	case "yes", "y", "yeah", "yep", "yh", "ye", "yes it is", "yes they are", "yes he is", "yes she is", "it is", "correct", "yes please":
		return "yes"
	case "no", "n", "nope", "nah", "no it is not", "no its not", "not really", "no they are not", "no one", "nobody":
		return "no"
	case "not sure", "dont know", "do not know", "unsure", "maybe", "idk", "i dont know", "i do not know":
		return "unsure"
	case "skip", "skip it", "no thanks", "rather not", "id rather not say", "prefer not to say":
		return "skip"
	}
	return ""
}

// freeText handles words that are not a command or a button.
func (c *conv) freeText(msg cleaned) {
	text := msg.text
	if text == "" {
		c.say(Reply{Text: msgEmpty + "\n\n" + c.emergencyLine()})
		c.reask()
		return
	}
	t := classify(msg)
	if t.Route == directory.RouteEmergency {
		c.answer(directory.RouteEmergency, t.Second)
		return
	}
	if t.Language != "" {
		c.say(Reply{Text: msgNotEnglish + "\n\n" + c.emergencyLine()})
		c.out = State{Step: StepMenu}
		return
	}
	if c.in.Step == StepFind {
		if c.find(text) {
			return
		}
	}
	if c.in.Step == StepArea && t.Route == directory.RouteUnclear {
		c.say(Reply{Text: msgNotPostcode + "\n\n" + c.emergencyLine()})
		c.reask()
		return
	}
	if t.Route == directory.RouteUnclear {
		if c.in.Step == StepStart {
			c.welcome()
			return
		}
		if c.in.Step == StepCrimeNow || c.in.Step == StepHateNow || c.in.Step == StepSafeNow || c.in.Step == StepCrimeHate {
			c.say(Reply{Text: msgPleaseChoose})
			c.reask()
			return
		}
		c.say(Reply{Text: msgUnclear + "\n\n" + c.emergencyLine()})
		c.out = State{Step: StepMenu}
		return
	}
	c.enterRouteThen(t.Route, t.Second)
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
