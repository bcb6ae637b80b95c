package triage

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxReadBytes is how much of a message triage reads. Longer messages are
// read up to this point and the person is told so; nobody describes an
// emergency in more than 16 KB, and the bound keeps triage time flat.
const MaxReadBytes = 16 << 10

// cleaned is a message made safe to look at: valid UTF-8, no control or
// invisible formatting characters, trimmed, and at most MaxReadBytes long.
type cleaned struct {
	text      string
	truncated bool
}

// clean prepares raw input. It never fails: invalid bytes become spaces.
func clean(raw string) cleaned {
	var c cleaned
	if len(raw) > MaxReadBytes {
		raw = raw[:MaxReadBytes]
		c.truncated = true
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, " ")
	}
	if strings.IndexByte(raw, 0x1b) >= 0 {
		raw = stripEscapes(raw)
	}
	if printableASCII(raw) {
		c.text = strings.TrimSpace(raw)
		return c
	}
	raw = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
			return ' '
		}
		return r
	}, raw)
	c.text = strings.TrimSpace(raw)
	return c
}

// quotes folds curly quotes and backticks into apostrophes. A Replacer is
// safe for concurrent use and never changes.
var quotes = strings.NewReplacer("’", "'", "‘", "'", "`", "'")

// stripEscapes removes terminal escape sequences (ESC [ ... final byte),
// which pasted text can carry, so "\x1b[31mgraffiti" reads as "graffiti".
func stripEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j // skip the final byte too
		}
		b.WriteByte(' ')
	}
	return b.String()
}

// normalise lower-cases text, folds curly quotes, expands common
// contractions and text-speak, and reduces everything that is not a letter
// or digit to single spaces, with a space at each end so that phrases can be
// matched on word boundaries with strings.Contains(" "+phrase+" ").
func normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := true
	if printableASCII(s) {
		// The common case, byte by byte.
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\'' || c == '`':
				continue
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
				space = false
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				b.WriteByte(c)
				space = false
			default:
				if !space {
					b.WriteByte(' ')
					space = true
				}
			}
		}
		return finishNormalise(&b, space)
	}
	// NFC, so that a letter typed as one code point or as a letter and a
	// mark (Bengali ড় or ড়, Polish ą) reads the same.
	s = norm.NFC.String(strings.ToLower(s))
	s = quotes.Replace(s)
	for _, r := range s {
		switch {
		case r == '\'':
			// Drop apostrophes so "can't" and "cant" read the same.
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			b.WriteRune(r)
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return finishNormalise(&b, space)
}

// finishNormalise closes the padded text and applies the text-speak table,
// in one pass over the words.
func finishNormalise(b *strings.Builder, space bool) string {
	if !space {
		b.WriteByte(' ')
	}
	out := b.String()
	changed := false
	for w := range strings.FieldsSeq(out) {
		if _, ok := speak[w]; ok {
			changed = true
			break
		}
	}
	if !changed {
		return out
	}
	words := strings.Fields(out)
	var r strings.Builder
	r.Grow(len(out) + 16)
	r.WriteByte(' ')
	for i := 0; i < len(words); i++ {
		if repl, n := speakAt(words, i); n > 0 {
			r.WriteString(repl)
			i += n - 1
		} else {
			r.WriteString(words[i])
		}
		r.WriteByte(' ')
	}
	return r.String()
}

// speakEntry is a text-speak spelling, as words, and what it reads as.
type speakEntry struct {
	words []string
	repl  string
}

// speak indexes textSpeak by first word.
var speak = func() map[string][]speakEntry {
	by := map[string][]speakEntry{}
	for _, sub := range textSpeak {
		ws := strings.Fields(sub[0])
		by[ws[0]] = append(by[ws[0]], speakEntry{ws, strings.TrimSpace(sub[1])})
	}
	return by
}()

// speakAt returns what the text-speak at words[i] reads as, and how many
// words it spans (0 for none).
func speakAt(words []string, i int) (string, int) {
	for _, e := range speak[words[i]] {
		if wordsAt(words, i, e.words) {
			return e.repl, len(e.words)
		}
	}
	return "", 0
}

// textSpeak maps common spellings onto the words the rules use. Each entry
// is matched on word boundaries (the surrounding spaces).
var textSpeak = [][2]string{
	{" u ", " you "},
	{" ur ", " your "},
	{" r ", " are "},
	{" pls ", " please "},
	{" plz ", " please "},
	{" hes ", " he is "},
	{" shes ", " she is "},
	{" theyre ", " they are "},
	{" theres ", " there is "},
	{" im ", " i am "},
	{" ive ", " i have "},
	{" weve ", " we have "},
	{" theyve ", " they have "},
	{" youve ", " you have "},
	{" cant ", " cannot "},
	{" can not ", " cannot "},
	{" wont ", " will not "},
	{" dont ", " do not "},
	{" gonna ", " going to "},
	{" gna ", " going to "},
	{" wanna ", " want to "},
	{" rn ", " right now "},
	{" atm ", " at the moment "},
	{" neighbour ", " neighbor "},
	{" neighbours ", " neighbors "},
}

// latinNotEnglish are letters used in Polish and Romanian (both written by
// Luton residents) and not in English words.
const latinNotEnglish = "ąćęłńśźżșțăşţĄĆĘŁŃŚŹŻȘȚĂŞŢ"

// nonLatinScript says which writing system most letters of s are in, so
// that a message in Urdu, Punjabi or Bengali script can be answered
// honestly; "latin-extended" for Latin text with Polish or Romanian
// letters. It returns "" for text that may be English.
func nonLatinScript(s string) string {
	if printableASCII(s) {
		return ""
	}
	if strings.ContainsAny(s, latinNotEnglish) {
		return "latin-extended"
	}
	// The first few hundred letters settle the script of any message.
	const enough = 400
	names := [...]string{"latin", "arabic", "gurmukhi", "bengali", "devanagari", "other"}
	var counts [len(names)]int
	letters := 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case r < 0x250 || unicode.Is(unicode.Latin, r):
			counts[0]++
		case unicode.Is(unicode.Arabic, r):
			counts[1]++
		case unicode.Is(unicode.Gurmukhi, r):
			counts[2]++
		case unicode.Is(unicode.Bengali, r):
			counts[3]++
		case unicode.Is(unicode.Devanagari, r):
			counts[4]++
		default:
			counts[5]++
		}
		if letters >= enough {
			break
		}
	}
	if letters == 0 || counts[0]*2 > letters {
		return ""
	}
	best := 1
	for i := 2; i < len(counts); i++ {
		if counts[i] > counts[best] {
			best = i
		}
	}
	return names[best]
}

// printableASCII reports whether s holds only printable ASCII characters
// and spaces, the common case that needs no Unicode handling.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// withoutAddresses drops web and email addresses from text: their letters
// say nothing about what happened, and would read as words.
func withoutAddresses(text string) string {
	if !strings.Contains(text, "://") && !strings.Contains(text, "www.") && !strings.Contains(text, "@") {
		return text
	}
	f := strings.Fields(text)
	kept := f[:0]
	for _, w := range f {
		if !strings.Contains(w, "://") && !strings.HasPrefix(strings.ToLower(w), "www.") && !strings.Contains(w, "@") {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// Message is a message made safe to read (Clean): the conversation cleans
// each message once, tells the person when it was cut, and hands it to
// ClassifyMessage.
type Message struct {
	c cleaned
}

// Clean prepares raw input: valid UTF-8, no control or invisible
// formatting characters or terminal escapes, trimmed, and at most
// MaxReadBytes long. It never fails: invalid bytes become spaces.
func Clean(raw string) Message { return Message{clean(raw)} }

// Text is the cleaned text.
func (m Message) Text() string { return m.c.text }

// Truncated reports whether the raw text was longer than MaxReadBytes and
// only its first part is read.
func (m Message) Truncated() bool { return m.c.truncated }

// Normalise is the form the rules match phrases on, and the conversation
// matches button labels and service names on: lower case, curly quotes
// folded, common contractions and text-speak expanded, everything that is
// not a letter or digit reduced to single spaces, with a space at each
// end.
func Normalise(s string) string { return normalise(s) }

// SaysNoDanger reports whether the normalised text n (Normalise) holds one
// of the phrases that say no one is in danger ("nobody is hurt", "not
// right now"), the same phrases that stop the danger rules.
func SaysNoDanger(n string) bool { return compiled().match(n).any[listNegation] }
