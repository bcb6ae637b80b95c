// Package web is the web chat: the resident conversation in a browser,
// on the council's or the partnership's own website, with no account.
//
// It is a bot.HTTPChannel on the service's shared listener:
//
//	GET  /chat              a new conversation: the welcome, or a route's
//	                        answer for a deep link (/chat?start=hate-crime)
//	POST /chat              one turn: a typed message, a button, or "Clear
//	                        this conversation"; the answer is a whole page
//	GET  /chat/widget.js    a script for other sites: a button that opens
//	                        the same chat in a panel (an iframe)
//	GET  /chat/chat.js      the page's script and style (files, so that the
//	GET  /chat/chat.css     Content-Security-Policy needs no 'unsafe-inline')
//
// # Two ways to use it
//
// Without JavaScript the page is a server-rendered form: each answer is a
// new page, each button a form button that posts, each link an ordinary
// link. The script only makes it smoother: it posts the same forms with
// fetch, appends the new messages to an ARIA live region so that screen
// readers announce them, and moves focus back to the message box. Both
// paths get the same HTML from the same handler.
//
// # Privacy
//
// A conversation is named by a random 128-bit id that travels in the form
// (never in a cookie, never in a URL), sealed with an HMAC and an expiry
// (the session TTL, renewed at each turn): a forged or altered id is
// refused before the conversation sees it, and nothing is stored for it.
// The page sets no cookies and the script stores nothing in the browser.
// Messages travel only in POST bodies, so no proxy or server log sees them
// in a URL; this package logs status, timing and the kind of request,
// never what was typed. The runner stores only the conversation's state.
//
// The quick exit is a link to a neutral site (by default the BBC weather
// page) that the script turns into location.replace on a click or the
// Escape key, so that Back does not return to the chat; without
// JavaScript it is a plain link, and the page says so.
//
// # Safety on the open internet
//
// Every page carries a strict Content-Security-Policy (scripts and styles
// from this origin only, no inline code, frame-ancestors from
// Config.Origins), the body of a POST is limited (Config.MaxBody), and each
// client address (IPv6 by /64) may make Config.Rate conversation requests a
// second after a burst of Config.Burst; beyond it the answer is a 429 page
// that says to wait, with 999 on it. Everything shown is escaped by
// html/template.
package web
