package triage

import (
	"bufio"
	"fmt"
	"strings"
)

// language is what whereto knows of one language its residents write in:
// common words, to recognise a message in it, and danger words, so that a
// cry for help is answered with 999 even though whereto reads only English.
type language struct {
	name   string
	common map[string]bool
	danger []string // normalised phrases, padded with spaces
}

// parseLanguages reads languages.txt: "## name" sections with a
// "common:" line of space-separated words and a "danger:" line of phrases
// separated by " | " (or single words separated by spaces).
func parseLanguages(data string) ([]language, error) {
	var out []language
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "## "):
			out = append(out, language{name: strings.TrimSpace(line[3:]), common: map[string]bool{}})
		case strings.HasPrefix(line, "#"):
		case len(out) == 0:
			return nil, fmt.Errorf("languages line %d: before any section", n)
		default:
			key, val, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("languages line %d: want \"common:\" or \"danger:\"", n)
			}
			l := &out[len(out)-1]
			switch strings.TrimSpace(key) {
			case "common":
				for _, w := range strings.Fields(normalise(val)) {
					l.common[w] = true
				}
			case "danger":
				sep := " "
				if strings.Contains(val, "|") {
					sep = "|"
				}
				for _, p := range strings.Split(val, sep) {
					if p := normalise(p); strings.TrimSpace(p) != "" {
						l.danger = append(l.danger, p)
					}
				}
			default:
				return nil, fmt.Errorf("languages line %d: unknown key %q", n, key)
			}
		}
	}
	return out, sc.Err()
}

// scriptLanguage names the language a non-Latin script most likely means
// for a Luton resident, or "" for Latin script.
func scriptLanguage(s string) string {
	switch nonLatinScript(s) {
	case "":
		return ""
	case "latin-extended":
		return "latin-extended"
	case "arabic":
		return "urdu"
	case "gurmukhi":
		return "punjabi"
	case "bengali":
		return "bengali"
	case "devanagari":
		return "hindi"
	}
	return "other"
}

// englishWords are frequent English words; a message with several of them
// is English whatever else it contains.
var englishWords = map[string]bool{
	"the": true, "and": true, "is": true, "are": true, "was": true, "my": true,
	"i": true, "you": true, "he": true, "she": true, "they": true, "it": true,
	"to": true, "of": true, "in": true, "on": true, "at": true, "with": true,
	"someone": true, "there": true, "have": true, "has": true, "been": true,
	"this": true, "that": true, "what": true, "not": true, "me": true, "a": true,
	"help": true, "please": true, "police": true, "am": true, "we": true,
}

// detectLanguage returns the name of the language of the cleaned text raw
// when it is not English: by script, or by common words of a known
// language (m, from the lexicon) outnumbering English ones. It returns ""
// for English or text it cannot place.
func detectLanguage(lx *lexicon, raw string, m *matches) string {
	script := scriptLanguage(raw)
	switch script {
	case "":
	case "latin-extended":
		if best := commonWordLanguage(lx, m, 1); best != "" {
			return best
		}
		return "other"
	default:
		return script
	}
	return commonWordLanguage(lx, m, 2)
}

// commonWordLanguage returns the language with at least need common words
// and more of them than English words, or "".
func commonWordLanguage(lx *lexicon, m *matches, need int) string {
	best, bestN := "", 0
	for i, name := range lx.languages {
		if m.common[i] > bestN {
			best, bestN = name, m.common[i]
		}
	}
	if bestN >= need && bestN > m.english {
		return best
	}
	return ""
}

// foreignDanger reports whether the message holds a danger word of any
// known language. All languages count: a Punjabi speaker may write a word
// the Urdu list has. When the message was not recognised as another
// language (anywhere), only words of five letters or more and phrases
// count, since short ones may be English ("agg") or slang.
func foreignDanger(m *matches, anywhere bool) bool {
	if anywhere {
		return m.any[listForeignDangerLong]
	}
	return m.any[listForeignDanger]
}
