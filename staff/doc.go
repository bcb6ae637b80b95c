// Package staff is what a staff front end decides, whatever it is drawn
// in: how a look-up finds services (LookUp), how a change's history is
// split (SplitHistory), which lines of a field a change touched
// (LineDiff), what reverting a change does (PlanRevert), and the text
// format of the fields staff edit as text: contacts, routes, office hours
// (ContactsText and ParseContacts, and so on), and usage figures by week
// (WeeklyStats). bot/slack renders these as Block Kit; a web admin page would
// render the same answers without copying the rules.
//
// It is pure: no I/O, no clock, no logging; it reads the directory
// (package directory) and the classifier (package triage) and is safe for
// concurrent use.
package staff
