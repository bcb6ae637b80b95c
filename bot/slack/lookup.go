package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

// maxQueryBytes bounds the text a look-up reads. Staff look contacts up in
// a few words; the bound keeps a pasted essay from costing anything.
const maxQueryBytes = 1000

// cleanQuery makes text safe to look up: valid UTF-8, Slack's entity
// escapes (&amp; &lt; &gt;) undone, user and channel mentions and other
// <...> markup dropped, control characters removed, spaces collapsed, and
// at most maxQueryBytes long.
func cleanQuery(text string) string {
	if len(text) > 4*maxQueryBytes {
		text = text[:4*maxQueryBytes]
	}
	text = strings.ToValidUTF8(text, " ")
	// Drop Slack markup such as <@U123>, <#C123|name>, <!here>; a link's
	// label is kept.
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '<')
		if i < 0 {
			b.WriteString(text)
			break
		}
		j := strings.IndexByte(text[i:], '>')
		if j < 0 {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		inner := text[i+1 : i+j]
		k := strings.IndexByte(inner, '|')
		switch {
		case k >= 0 && !strings.HasPrefix(inner, "@") && !strings.HasPrefix(inner, "#") && !strings.HasPrefix(inner, "!"):
			b.WriteString(" " + inner[k+1:] + " ")
		case strings.HasPrefix(inner, "http://"), strings.HasPrefix(inner, "https://"):
			// A link without a label: its address, to look up.
			b.WriteString(" " + inner + " ")
		case strings.HasPrefix(inner, "mailto:"):
			b.WriteString(" " + strings.TrimPrefix(inner, "mailto:") + " ")
		case strings.HasPrefix(inner, "tel:"):
			b.WriteString(" " + strings.TrimPrefix(inner, "tel:") + " ")
		default:
			b.WriteByte(' ')
		}
		text = text[i+j+1:]
	}
	text = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(b.String())
	text = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, text)
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxQueryBytes {
		cut := maxQueryBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return text
}

// lookUp finds what Slack text asks for in the indexed directory: the
// text without Slack's markup (cleanQuery), looked up by the staff
// look-up policy (staff.LookUp), at most maxShown services. It is pure and
// safe for concurrent use.
func lookUp(ix *index, text string) staff.Answer {
	return staff.LookUp(ix.dir, ix.ix, cleanQuery(text), maxShown)
}

// emergencyContact returns the number to call in danger, from the
// directory's emergency route (its first active service that is not a
// fallback), or 999 if the directory is broken.
func emergencyContact(ix *index) directory.Contact {
	c, _ := ix.dir.EmergencyContact()
	return c
}
