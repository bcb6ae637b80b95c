package flows_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

// Plain words: everything a resident reads is held to a reading age of
// about 9 (Flesch-Kincaid grade 6 at most), and answers to word limits.

const (
	maxGrade     = 6.0
	maxMainWords = 60  // the first answer: intro and the first service
	maxTurnWords = 120 // everything the bot says in one turn
)

var (
	urlOrEmail = regexp.MustCompile(`\S+@\S+|https?://\S+|\S+\.(uk|com|org)\S*`)
	number     = regexp.MustCompile(`\+?\d[\d ]*\d|\d`)
)

// syllables estimates the syllables of an English word: groups of vowels,
// less a silent final e, at least one.
func syllables(w string) int {
	w = strings.ToLower(w)
	n, prev := 0, false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prev {
			n++
		}
		prev = v
	}
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && n > 1 {
		n--
	}
	if strings.HasSuffix(w, "ed") && n > 1 && !strings.HasSuffix(w, "ted") && !strings.HasSuffix(w, "ded") {
		n--
	}
	return max(n, 1)
}

// grade is the Flesch-Kincaid grade of text, with numbers, web addresses
// and emails left out (people do not read them as words).
func grade(text string) (g float64, words int) {
	text = urlOrEmail.ReplaceAllString(text, " ")
	text = number.ReplaceAllString(text, " ")
	sentences := 0
	syl := 0
	for _, s := range regexp.MustCompile(`[.!?:;\n]+`).Split(text, -1) {
		ws := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
		if len(ws) == 0 {
			continue
		}
		sentences++
		for _, w := range ws {
			words++
			syl += syllables(w)
		}
	}
	if words == 0 {
		return 0, 0
	}
	return 0.39*float64(words)/float64(sentences) + 11.8*float64(syl)/float64(words) - 15.59, words
}

// residentTexts is every fixed string and every piece of directory data a
// resident may read, except the names of services (which are not ours to
// change).
func residentTexts(t *testing.T) map[string]string {
	d := defaultDir(t)
	out := map[string]string{}
	for i, s := range flows.Strings() {
		out[fmt.Sprintf("flows string %d", i)] = strings.NewReplacer("%s", "Luton", "%d", "2").Replace(s)
	}
	for _, r := range d.RouteList() {
		out["route "+string(r.ID)+" label"] = r.Label
		out["route "+string(r.ID)+" description"] = r.Description
		out["route "+string(r.ID)+" intro"] = r.Intro
	}
	for _, g := range d.MenuGroups() {
		out["menu "+g.ID+" label"] = g.Label
		out["menu "+g.ID+" question"] = g.Question
	}
	for _, s := range d.Services {
		out["service "+s.ID+" description"] = s.Description
		for i, c := range s.Contacts {
			out[fmt.Sprintf("service %s contact %d note", s.ID, i)] = c.Note
		}
	}
	for i, p := range d.About().About {
		out[fmt.Sprintf("about %d", i)] = p
	}
	return out
}

// TestPlainWords holds every text of ten words or more to grade 6, and
// all the shorter ones (labels, buttons) together to grade 6 too.
func TestPlainWords(t *testing.T) {
	var short []string
	for name, text := range residentTexts(t) {
		g, words := grade(text)
		if words < 10 {
			short = append(short, text)
			continue
		}
		if g > maxGrade {
			t.Errorf("%s: grade %.1f, want at most %.0f: %q", name, g, maxGrade, text)
		}
	}
	if g, _ := grade(strings.Join(short, ".\n")); g > maxGrade {
		t.Errorf("short texts together: grade %.1f, want at most %.0f", g, maxGrade)
	}
}

// TestNoJargon keeps agency words out of what residents read, except
// where a service's own name holds them.
func TestNoJargon(t *testing.T) {
	jargon := []string{"safeguarding", "multi-agency", "exploitation", "environmental crime", "emergencysms", "text relay", "mon-fri", "tap "}
	for name, text := range residentTexts(t) {
		l := strings.ToLower(text)
		for _, j := range jargon {
			if strings.Contains(l, j) && !(j == "emergencysms" && strings.Contains(name, "police-emergency")) {
				t.Errorf("%s uses %q: %q", name, j, text)
			}
		}
	}
}

// TestWordLimits replays every golden transcript and the scripted
// conversations at two times of day and checks each turn: the bot's text
// (buttons not counted) at most maxTurnWords, and a route's first answer
// (its intro and first service) at most maxMainWords.
func TestWordLimits(t *testing.T) {
	dir := defaultDir(t)
	files, _ := filepath.Glob("testdata/transcripts/*.txt")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{afternoon, time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)} {
			var st flows.State
			for _, line := range strings.Split(string(data), "\n") {
				if !strings.HasPrefix(line, "> ") {
					continue
				}
				in := strings.TrimPrefix(line, "> ")
				input := flows.Input{Text: in}
				if strings.HasPrefix(in, "[") {
					input = flows.Input{Choice: strings.Trim(in, "[]")}
				}
				turn := flows.Next(st, input, dir, at)
				st = turn.State
				checkTurn(t, filepath.Base(file)+" "+in, turn, dir)
			}
		}
	}
}

func checkTurn(t *testing.T, name string, turn flows.Turn, dir *directory.Directory) {
	t.Helper()
	total, main := 0, 0
	inMain := true
	for _, r := range turn.Replies {
		n := len(strings.Fields(r.Heading)) + len(strings.Fields(r.Text))
		total += n
		if inMain {
			main += n
		}
		if r.Heading != "" {
			inMain = false
		}
	}
	if total > maxTurnWords {
		t.Errorf("%s: the turn says %d words, want at most %d", name, total, maxTurnWords)
	}
	if turn.Route != "" && turn.Route != directory.RouteEmergency && main > maxMainWords {
		t.Errorf("%s: the main answer is %d words, want at most %d", name, main, maxMainWords)
	}
}
