// Package slack is whereto's Slack app for council, police and partner
// staff: a fast contact look-up, and directory editing for admins with
// every change audited. It is the only package that imports slack-go.
//
// # Transports
//
// With an app token the app connects with Socket Mode (no public URL
// needed); with a signing secret it serves signed HTTP requests on the
// paths Handlers returns; with both, it does both. Either way a request is
// copied into a transport-neutral value (a command, an event, an
// interaction), decided on by the handler, acknowledged, and any slow work
// (opening a form, posting, answering an event) runs afterwards on a
// bounded worker pool, with the app's lifetime context, never the
// request's.
//
// HTTP requests are verified (signature and a timestamp at most five
// minutes old) before anything else, their body read once with a size
// limit; the interactive payload is read from the verified body only.
// Events are handled once per event id (remembered in the store for a
// day), so Slack's retries are acknowledged and ignored.
//
// In Socket Mode one loop reads the client's events and acknowledges each
// envelope exactly once: events and buttons at once, slash commands and
// form submissions with their answer (an answer too big for Slack's 20 KB
// acknowledgement goes through the command's response_url instead), and
// messages the library cannot parse by their envelope id. The library's
// RunContext gives up for good on an authentication error; Run starts it
// again with backoff and reports the failure on Ready.
//
// # Look-up
//
// "/whereto WORDS", a mention or a direct message: an exact service id;
// else the services the words name (every word on a service's id, name or
// keywords, found with an in-memory index of the directory snapshot); else
// the situation the resident classifier (triage.Classify) reads in them,
// answered with that route's services, and a second concern's; else
// services matching some of the words; else "nothing found" with the
// emergency number. The first service is shown as a full card (every
// contact, the one to use now marked, office hours, areas, last verified,
// source), the rest as a short list.
//
// # Admin
//
// Admins (listed user ids, or members of a user group) can edit, add,
// remove, verify and revert services and see the history, stale services
// and usage figures. Forms are validated with the directory's own
// validation, problems shown on their fields; the store writes each change
// with its audit entry in one transaction. Anyone else who tries is told
// no and the attempt is recorded.
//
// # Privacy
//
// Logs carry Slack team and user ids, command names, event ids and
// timings, never what anyone typed.
package slack
