package console

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultWidth is the width replies are wrapped to when Chat.Width is 0:
// the classic terminal's 80 columns.
const DefaultWidth = 80

// wrap folds each line of text longer than width columns at spaces, never
// inside a word, so that a web address, an email address or a phone number
// ("0800 0282 887", whose spaces do not count) is never cut; one longer
// than the width gets a line of its own and overflows it. A line that
// starts with indentation, a list number ("  1. ") or a bullet ("- ")
// continues under its first word, so that numbered choices stay readable.
// A mark that is not a word ("==", a dash) stays with a word. Blank lines
// and lines that fit are left as they are. Width is counted in
// characters (runes), which is columns for the scripts whereto writes in.
// A width of 0 or less means no wrapping.
func wrap(text string, width int) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/width*8)
	for text != "" {
		line, rest, nl := strings.Cut(text, "\n")
		wrapLine(&b, line, width)
		if nl {
			b.WriteByte('\n')
		}
		text = rest
	}
	return b.String()
}

// wrapLine writes one line, folded to width.
func wrapLine(b *strings.Builder, line string, width int) {
	if utf8.RuneCountInString(line) <= width {
		b.WriteString(line)
		return
	}
	lead := hanging(line)
	// Only spaces and tabs separate words: a no-break space stays put.
	units := unbreakable(strings.FieldsFunc(line[len(lead):], func(r rune) bool { return r == ' ' || r == '\t' }))
	cont := strings.Repeat(" ", utf8.RuneCountInString(lead))
	if len(cont) > width/2 {
		// A hanging indent that would leave too narrow a column.
		cont = ""
	}
	b.WriteString(lead)
	col, empty := utf8.RuneCountInString(lead), true
	for _, u := range units {
		n := utf8.RuneCountInString(u)
		if !empty && col+1+n > width {
			b.WriteByte('\n')
			b.WriteString(cont)
			col, empty = len(cont), true
		}
		if !empty {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(u)
		col += n
		empty = false
	}
}

// hanging returns the start of line under which its continuation lines
// go: leading spaces, then a list number ("12. ") or a bullet ("- ", "* ",
// "• ") with the spaces after it.
func hanging(line string) string {
	i := len(line) - len(strings.TrimLeft(line, " "))
	rest := line[i:]
	marker := 0
	switch {
	case strings.HasPrefix(rest, "- "), strings.HasPrefix(rest, "* "):
		marker = 1
	case strings.HasPrefix(rest, "• "):
		marker = len("•")
	default:
		d := 0
		for d < len(rest) && d < 3 && rest[d] >= '0' && rest[d] <= '9' {
			d++
		}
		if d > 0 && strings.HasPrefix(rest[d:], ". ") {
			marker = d + 1
		}
	}
	if marker == 0 {
		return line[:i]
	}
	j := i + marker
	j += len(line[j:]) - len(strings.TrimLeft(line[j:], " "))
	return line[:j]
}

// unbreakable joins the words of a phone number ("0808", "2000", "247")
// into one unit, so that a line is never folded inside it.
func unbreakable(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); {
		u := words[i]
		j := i + 1
		if phoneStart(u) {
			for j < len(words) && !endsSentence(words[j-1]) && phonePart(words[j]) {
				u += " " + words[j]
				j++
			}
		}
		out = append(out, u)
		i = j
	}
	// A mark that is not a word ("==" around a heading, a dash) goes with
	// the word before it, or after it at the start.
	for i := 0; i < len(out); {
		switch {
		case len(out) == 1 || !mark(out[i]):
			i++
		case i == 0:
			out[1] = out[0] + " " + out[1]
			out = out[1:]
		default:
			out[i-1] += " " + out[i]
			out = append(out[:i], out[i+1:]...)
		}
	}
	return out
}

// mark reports whether w has no letter or digit.
func mark(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// phoneStart reports whether w can begin a UK phone number: 0 or +, maybe
// in brackets, then digits.
func phoneStart(w string) bool {
	w = strings.TrimPrefix(w, "(")
	return (strings.HasPrefix(w, "0") || strings.HasPrefix(w, "+")) && phonePart(w)
}

// phonePart reports whether w is a group of a phone number: digits, with
// brackets, a dash or a leading +, and perhaps a punctuation mark after.
func phonePart(w string) bool {
	w = strings.TrimRight(w, ".,;:)")
	w = strings.TrimLeft(w, "(+")
	digit := false
	for _, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digit
}

// endsSentence reports whether a word ends with punctuation that ends a
// phone number too ("247." in "call 0808 2000 247. Then").
func endsSentence(w string) bool {
	return strings.HasSuffix(w, ".") || strings.HasSuffix(w, ",") || strings.HasSuffix(w, ";") || strings.HasSuffix(w, ":")
}
