package flows

import (
	"sort"

	"github.com/whereto-bot/whereto/flows/lang"
)

// Everything the bot says that is not a contact detail or a route's own
// words (which are data, in the directory) lives in the message catalogue,
// flows/lang/en.toml, so that wording can be reviewed, and translated, in
// one place. Sentences are short and the words common: a test holds every
// string to a reading age of about 9.
//
// Code names words by their catalogue key, always as a string literal
// (tr("menu")), so that the catalogue's tests can find every key in use.

// tr returns the words for key, formatted with args as fmt.Sprintf does.
// Until a conversation carries its language (issue 12), flows speaks
// English.
func tr(key string, args ...any) string {
	return lang.T(lang.English, key, args...)
}

// trn returns the plural message key for the count n.
func trn(key string, n int) string {
	return lang.N(lang.English, key, n)
}

// dayWords names days for people.
var dayWords = map[string]string{
	"mon": tr("day.mon"), "tue": tr("day.tue"), "wed": tr("day.wed"), "thu": tr("day.thu"),
	"fri": tr("day.fri"), "sat": tr("day.sat"), "sun": tr("day.sun"),
}

// Apology is said when something went wrong inside whereto while handling
// a message. It always carries the emergency line, so that a fault never
// leaves a person in danger without the number.
func Apology(dir Directory) (replies []Reply) {
	defer func() {
		if recover() != nil {
			// The directory itself is broken; 999 is right everywhere in
			// the UK, and this is the one place it is not read from data.
			replies = []Reply{{Text: tr("apology") + "\n\n" + tr("danger_line", "999")}}
		}
	}()
	c := &conv{dir: dir}
	return []Reply{{Text: tr("apology") + "\n\n" + c.emergencyLine()}}
}

// ForgetFailed is said when /forget could not delete the session.
func ForgetFailed(dir Directory) []Reply {
	c := &conv{dir: dir}
	return []Reply{{Text: tr("forget_failed") + "\n\n" + c.emergencyLine()}}
}

// Strings returns every fixed string the bot may say to a resident (not
// the directory's data): the whole English catalogue, for the readability
// and word-limit tests.
func Strings() []string {
	texts := lang.Texts(lang.English)
	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = texts[k]
	}
	return out
}
