// Package flows is the resident conversation: a pure function from (state,
// what the person did, the directory, the time) to (next state, replies).
// It does no I/O, keeps no clock, logs nothing and draws no random numbers,
// so a whole conversation replays identically as a golden transcript
// (testdata/transcripts, rewritten with go test ./flows -update).
//
// # Steps
//
// A conversation opens with a welcome that says to call 999 in an emergency
// and how the Silent Solution works, then a menu:
//
//   - Someone is in danger right now: the 999 answer.
//   - Report something: a crime or anti-social behaviour; fly-tipping and
//     other environmental problems; a hate crime.
//   - Get support after a crime: the victim-support route.
//   - Worried about a child or an adult: the safeguarding route.
//   - Find a contact: every service by name, or typed words searched.
//   - Tell me in your own words: free text, classified.
//
// Routes ask only what changes the answer. Crime asks whether it is
// happening now or anyone is in danger (yes: 999), then whether anyone was
// targeted for who they are (yes: hate crime; not sure: crime, with hate
// crime offered). Hate crime and safeguarding ask about danger now first.
// Environmental problems and victim support answer at once.
//
// When the best active service of a route serves only some postcode
// districts (never on the emergency route), the conversation first asks for
// the first half of the postcode; "skip" keeps the partnership's own area.
// Services that are not active or do not cover the district are left out,
// with a plain sentence saying so, and the route's fallback services (such
// as GOV.UK's find-your-local-council page) stand in when nothing else
// serves the person. Only the district is kept, in the session.
//
// An answer lists the route's services in the directory's order, each with
// the contacts that apply at that moment (a service with opening hours
// shows its in-hours or its out-of-hours number, in Europe/London time),
// ends with the emergency line, and offers the natural next step: support
// after reporting, reporting after support, and any second concern the
// person named.
//
// # Safety rules
//
// Typed text is read by Classify before anything else but commands and the
// buttons on screen: danger now gets the 999 answer from any step. When it
// cannot tell, Classify says unclear and the bot asks; it never guesses
// silently. Buttons carry their meaning in their IDs, so a button pressed
// after the session expired still works. Nothing the person typed is ever
// echoed back or put in the State.
//
// Commands: /start [route] (restart, or jump into a route: a deep link),
// /help, /about, /forget (the runner deletes the session), /emergency.
package flows
