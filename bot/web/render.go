package web

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// message is one chat bubble as the page template shows it.
type message struct {
	// Mine is set for what the person wrote (echoed back, escaped);
	// otherwise it is the bot's.
	Mine bool
	// Lang and Dir are the message's language and direction: the bot's
	// replies are in the conversation's language (so that a screen
	// reader reads Urdu as Urdu, right to left); the person's own words
	// get dir="auto" and no lang, since only they know it.
	Lang, Dir string
	// Words are the page's words in the bot's language, for the screen
	// reader's "You wrote:" and "(opens in a new tab)".
	Words   *words
	Heading string
	Paras   []para
	Links   []link
}

// para is one paragraph: segments of text and links, with line breaks.
type para struct {
	Segs []seg
	// Danger marks the paragraph that carries the emergency number, shown
	// emphasised.
	Danger bool
}

// seg is a piece of a paragraph: plain text, a link (Href), or a line
// break.
type seg struct {
	Text  string
	Href  template.URL // set only for hrefs built here from checked parts
	Break bool
}

// link is a reply's link button.
type link struct {
	Label string
	URL   string // http(s) only; html/template checks it again
}

// renderReplies turns a turn's replies into bubbles. Choices are not
// here: the page shows the last reply's choices as the form's buttons.
func renderReplies(replies []flows.Reply, l lang.Lang) []message {
	out := make([]message, 0, len(replies))
	for _, r := range replies {
		if r.Heading == "" && r.Text == "" && len(r.Links) == 0 {
			continue
		}
		m := message{Lang: string(l), Dir: dirOf(l), Words: wordsIn[pageLang(l)], Heading: r.Heading, Paras: paragraphs(r.Text)}
		for _, l := range r.Links {
			u, err := url.Parse(l.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				continue // as Telegram does: the address is in the text anyway
			}
			label := l.Label
			if strings.TrimSpace(label) == "" {
				label = l.URL
			}
			m.Links = append(m.Links, link{Label: label, URL: l.URL})
		}
		out = append(out, m)
	}
	return out
}

// choicesOf returns the last reply's choices (flows puts them only there).
func choicesOf(replies []flows.Reply) []flows.Choice {
	var out []flows.Choice
	for _, r := range replies {
		for _, c := range r.Choices {
			if c.ID != "" && len(c.ID) <= maxChoice {
				if strings.TrimSpace(c.Label) == "" {
					c.Label = c.ID
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// mine is the bubble for what the person typed.
func mine(text string, w *words) message {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var segs []seg
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			segs = append(segs, seg{Break: true})
		}
		segs = append(segs, seg{Text: strings.TrimRight(line, "\r")})
	}
	return message{Mine: true, Dir: "auto", Words: w, Paras: []para{{Segs: segs}}}
}

// textMessage is a bubble of the bot's with plain paragraphs (the page's
// own words: error pages, notes).
func textMessage(l lang.Lang, text string) message {
	l = pageLang(l)
	return message{Lang: string(l), Dir: dirOf(l), Words: wordsIn[l], Paras: paragraphs(text)}
}

// paragraphs splits text on blank lines, and each paragraph into lines,
// turning web addresses, email addresses and UK phone numbers into links
// (tel: links tap to call on a phone).
func paragraphs(text string) []para {
	var out []para
	for _, p := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		var pa para
		for i, line := range strings.Split(p, "\n") {
			if i > 0 {
				pa.Segs = append(pa.Segs, seg{Break: true})
			}
			segs, danger := linkify(line)
			pa.Segs = append(pa.Segs, segs...)
			pa.Danger = pa.Danger || danger
		}
		out = append(out, pa)
	}
	return out
}

// linkable finds candidates: web addresses, email addresses, and runs of
// digits with the separators people write in phone numbers.
var linkable = regexp.MustCompile(`https?://[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\+?\(?\d[\d ()-]*\d`)

// linkify splits one line into text and links. danger reports whether it
// names an emergency number (999 or 112).
func linkify(line string) (segs []seg, danger bool) {
	var found [][]int
	// Each kind of link needs a digit, an @ or "http"; half the lines of
	// a reply have none, and the regular expression is costly.
	if strings.ContainsAny(line, "0123456789@") || strings.Contains(line, "http") {
		found = linkable.FindAllStringIndex(line, -1)
	}
	last := 0
	for _, loc := range found {
		s, e := loc[0], loc[1]
		cand := line[s:e]
		var href string
		switch {
		case strings.HasPrefix(cand, "http"):
			// Sentence punctuation after an address is not part of it.
			trimmed := strings.TrimRight(cand, ".,;:!?)")
			e -= len(cand) - len(trimmed)
			cand = trimmed
			if u, err := url.Parse(cand); err == nil && u.Host != "" {
				href = u.String()
			}
		case strings.Contains(cand, "@"):
			cand = strings.TrimRight(cand, ".")
			e = s + len(cand)
			href = "mailto:" + cand
		default:
			cand = strings.TrimRight(cand, " -(")
			e = s + len(cand)
			if directory.IsUKPhone(cand) {
				href = "tel:" + telDigits(cand)
				switch telDigits(cand) {
				case "999", "112":
					danger = true
				}
			}
		}
		if href == "" {
			continue
		}
		if s > last {
			segs = append(segs, seg{Text: line[last:s]})
		}
		segs = append(segs, seg{Text: cand, Href: safeHref(href)})
		last = e
	}
	if last < len(line) {
		segs = append(segs, seg{Text: line[last:]})
	}
	return segs, danger
}

// safeHref is an href that html/template may trust. tel: and mailto: are
// built here from digits or a checked address; web addresses are passed
// as plain strings elsewhere so that html/template filters them, but the
// ones in replies come from the validated directory, so they are checked
// for scheme here as well.
func safeHref(h string) template.URL {
	switch {
	case strings.HasPrefix(h, "tel:"), strings.HasPrefix(h, "mailto:"):
		if strings.ContainsAny(h, "\"'<> \t\n") {
			return ""
		}
		return template.URL(h)
	case strings.HasPrefix(h, "https://"), strings.HasPrefix(h, "http://"):
		return template.URL(h)
	}
	return ""
}

// telDigits is a number as a tel: link wants it: digits, with + for an
// international number.
func telDigits(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
