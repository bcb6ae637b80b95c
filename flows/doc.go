// Package flows is the resident conversation: a pure function from (state,
// what the person did, the directory, the time) to (next state, replies).
// It does no I/O, keeps no clock, logs nothing and draws no random numbers,
// so a whole conversation replays identically as a golden transcript
// (testdata/transcripts, rewritten with go test ./flows -update).
//
// Routes are the directory's data (directory.RouteInfo): their labels,
// intros, menu groups, whether danger can be close (DangerCheck), whether
// the answer depends on the place (Where) and their follow-ups. Only the
// emergency route has a meaning here.
//
// # Steps
//
// A conversation opens with a welcome that says to call 999 in danger and
// how to call without speaking, then the menu: "Someone is in danger now"
// (the 999 answer), one button per menu group (its routes as a list), any
// route outside a group, "Find a contact" and "Tell me in your own words".
//
// Free text is read by the classifier (package triage): danger now gets
// "Call 999 now." from any step; danger possible but not clear gets the
// 999 line and one question, "Is this happening now?" ([Yes, now] gives
// 999, [No, I am safe now] gives the route); a name, a number or "what is X?" shows that
// service; unclear asks which is closest, never guessing silently.
//
// A route's answer is the one service to use now (the first active one
// that serves the place, with the contacts that apply at this hour in
// Europe/London time), then at most two more, those whose When words the
// message used first, and the rest behind [More options]. The line "If you
// are in danger now, call 999." closes the answers of routes where danger
// can be close, once. At most one question comes before an answer: a route
// whose answer depends on the place and whose best service is local asks
// "Where did it happen?" or "Where does the person live?" for free text,
// unless the message already said (a town, a postcode, a district) or a
// question was asked already; from the menu it answers for the
// partnership's own area and offers [Not in ...?]. Services that are
// closed or do not cover the place are left out with a plain sentence,
// and fallbacks (GOV.UK's find-your-local-council) stand in. Only the
// postcode district is kept, in the session.
//
// # Safety rules
//
// Buttons carry their meaning in their IDs, so a button pressed after the
// session expired still works. Nothing the person typed is ever echoed
// back or put in the State (it keeps service ids the message fitted, never
// words). Every fault answer carries the emergency number.
//
// Commands: /start [route] (restart, or jump into a route: a deep link),
// /help, /about, /forget (the runner deletes the session and says what it
// deleted), /emergency.
package flows
