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
	code   string // BCP 47: "pl"
	common map[string]bool
	danger []string // normalised phrases: danger now
	check  []string // harm that may be now: ask
	help   []string // a cry for help: ask when it is most of the message
	now    []string // words that place things now
	past   []string // phrases that place things in the past
	calm   []string // phrases that say it is over, or nobody is in danger
	gone   []string // phrases that say a person is missing: ask
}

// parseLanguages reads the files in languages/: "## name" sections with a
// "code:" line, a "common:" line of space-separated words, and "danger:",
// "check:", "help:", "now:", "past:", "calm:" and "missing:" lines of
// phrases separated by " | " (or single words separated by spaces).
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
			case "code":
				l.code = strings.TrimSpace(val)
				if !validCode(l.code) {
					return nil, fmt.Errorf("languages line %d: bad code %q", n, l.code)
				}
			case "danger":
				l.danger = append(l.danger, phrases(val)...)
			case "check":
				l.check = append(l.check, phrases(val)...)
			case "help":
				l.help = append(l.help, phrases(val)...)
			case "now":
				l.now = append(l.now, phrases(val)...)
			case "past":
				l.past = append(l.past, phrases(val)...)
			case "calm":
				l.calm = append(l.calm, phrases(val)...)
			case "missing":
				l.gone = append(l.gone, phrases(val)...)
			default:
				return nil, fmt.Errorf("languages line %d: unknown key %q", n, key)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, l := range out {
		if l.code == "" {
			return nil, fmt.Errorf("languages: %s has no code", l.name)
		}
	}
	return out, nil
}

// phrases splits a list of phrases separated by " | ", or of single words
// separated by spaces, and normalises each.
func phrases(val string) []string {
	sep := " "
	if strings.Contains(val, "|") {
		sep = "|"
	}
	var out []string
	for _, p := range strings.Split(val, sep) {
		if p := normalise(p); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// validCode reports whether s looks like a BCP 47 primary language code.
func validCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// Und is Result.Lang for a message in a script or language whatever it
// is cannot place (Chinese, Tamil, Latin letters of no language it knows).
const Und = "und"

// scriptLanguage names the language a script most likely means for a
// Luton resident, as a BCP 47 code: "" for Latin script (any language,
// English included), "latin-extended" for Latin with Polish or Romanian
// letters, Und for a script it does not read.
func scriptLanguage(s string) string {
	switch nonLatinScript(s) {
	case "":
		return ""
	case "latin-extended":
		return "latin-extended"
	case "arabic":
		return arabicScriptLanguage(s)
	case "gurmukhi":
		return "pa"
	case "bengali":
		return "bn"
	case "devanagari":
		return "hi"
	}
	return Und
}

// arabicScriptLanguage tells Urdu from Arabic, both written in the
// Arabic script: Arabic has letters Urdu never uses (teh marbuta, alef
// with hamza, the Arabic yeh and kaf). Urdu, Luton's most written
// language after English, is the answer otherwise, since a short Urdu
// message ("مدد") may hold no letter only Urdu uses.
func arabicScriptLanguage(s string) string {
	if strings.ContainsAny(s, "ٹڈڑںےھۓ") {
		return "ur"
	}
	if strings.ContainsAny(s, "ةيكىأإ") {
		return "ar"
	}
	return "ur"
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

// detectLanguage returns the BCP 47 code of the language of the cleaned
// text raw when it is not English: by script, or by common words of a
// known language (m, from the lexicon) outnumbering English ones. hint is
// the language the conversation is in ("" for none): one common word of it
// is then enough. It returns "en" for plain English (three frequent
// English words or more), "" for Latin text it cannot place.
func detectLanguage(lx *lexicon, raw string, m *matches, hint string) string {
	script := scriptLanguage(raw)
	switch script {
	case "":
	case "latin-extended", Und:
		// Latin with Polish or Romanian letters, or a script whereto does
		// not read (Cyrillic): one common word places it.
		if best := commonWordLanguage(lx, m, 1, hint); best != "" {
			return best
		}
		if m.english >= 2 {
			// English with a greeting or a name in another language
			// ("Dzień dobry, somebody took money from my account"):
			// the English is what says where to go. Common words of
			// the other language did not outnumber the English ones.
			return "en"
		}
		return Und
	default:
		return script
	}
	if hint != "" && lx.latin[hint] {
		if best := commonWordLanguage(lx, m, 1, hint); best == hint {
			return best
		}
	}
	if best := commonWordLanguage(lx, m, 2, ""); best != "" {
		return best
	}
	if m.english >= 3 {
		// Plainly English: a conversation the bot started in another
		// language by itself follows.
		return "en"
	}
	return ""
}

// commonWordLanguage returns the language with at least need common words
// and more of them than English words, or "". The hint wins a tie.
func commonWordLanguage(lx *lexicon, m *matches, need int, hint string) string {
	best, bestN := "", 0
	for i, code := range lx.languages {
		if m.common[i] > bestN || (m.common[i] == bestN && bestN > 0 && code == hint) {
			best, bestN = code, m.common[i]
		}
	}
	if bestN >= need && bestN > m.english {
		return best
	}
	return ""
}

// foreignDanger says how close danger is from the danger words of the
// other languages. All languages count: a Punjabi speaker may write a word
// the Urdu list has. A danger word is danger now; a check word ("he beats
// me") is danger now with a word placing it now, else a question; a cry
// for help is the same when it is most of a short message, and nothing
// otherwise ("I need help with drinking" is not danger). When
// the message was not recognised as another language (anywhere), only
// danger words of five letters or more and phrases count, since short
// ones may be English ("agg") or slang.
//
// A message that says it is past ("wczoraj", yesterday) or over ("teraz
// jest spokój", it is calm now) is asked about rather than sent to 999,
// even with a word for "now" in it: "dwa dni temu mnie uderzył, teraz
// jest w pracy" (two days ago he hit me, now he is at work) uses "now"
// for what followed. Word lists cannot read tense or "not" as the English
// rules do, so they never silence danger, only soften it.
//
// A check word told in the past is still asked about ("Wczoraj mnie pobił,
// a on mówi, że mnie zabije": the threat goes on), and so is a missing
// person, however long ago they went.
func foreignDanger(m *matches, anywhere bool) Danger {
	d := foreignDangerWords(m, anywhere)
	if d == DangerNow && (m.any[listForeignCalm] || m.any[listForeignPast]) {
		d = DangerCheck
	}
	if m.any[listForeignMissing] && !anywhere {
		d = stronger(d, DangerCheck)
	}
	return d
}

// foreignDangerWords is foreignDanger from the danger, check, help and now
// words alone.
func foreignDangerWords(m *matches, anywhere bool) Danger {
	switch {
	case anywhere && m.any[listForeignDangerLong]:
		return DangerNow
	case anywhere:
		return DangerNone
	case m.any[listForeignDanger]:
		return DangerNow
	case m.any[listForeignCheck] && m.any[listForeignNow]:
		return DangerNow
	case m.any[listForeignCheck]:
		return DangerCheck
	case m.any[listForeignHelp] && m.any[listForeignNow]:
		return DangerNow
	case m.any[listForeignHelp] && m.words <= 3:
		// "pomocy!", "madad karo": as a bare "help" in English, asked.
		return DangerCheck
	}
	return DangerNone
}
