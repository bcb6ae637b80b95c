package flows

import (
	"strconv"
	"strings"
)

// RenderText writes replies as plain text, the way the terminal chat and the
// golden transcripts show them: the heading on its own line, the text, web
// links not already in the text, and choices numbered from 1 so that typing
// the number chooses. Replies are separated by blank lines.
func RenderText(replies []Reply) string {
	var b strings.Builder
	n := 0
	for i, r := range replies {
		if i > 0 {
			b.WriteString("\n")
		}
		if r.Heading != "" {
			b.WriteString("== " + r.Heading + " ==\n")
		}
		if r.Text != "" {
			b.WriteString(r.Text)
			b.WriteString("\n")
		}
		for _, l := range r.Links {
			if !strings.Contains(r.Text, l.URL) {
				b.WriteString(l.Label + ": " + l.URL + "\n")
			}
		}
		for _, ch := range r.Choices {
			n++
			b.WriteString("  " + strconv.Itoa(n) + ". " + ch.Label + "\n")
		}
	}
	return b.String()
}
