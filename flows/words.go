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

// tr returns the words for key in language l, formatted with args as
// fmt.Sprintf does.
func tr(l lang.Lang, key string, args ...any) string {
	return lang.T(l, key, args...)
}

// trn returns the plural message key in language l for the count n.
func trn(l lang.Lang, key string, n int) string {
	return lang.N(l, key, n)
}

// tr is tr in the conversation's language.
func (c *conv) tr(key string, args ...any) string { return lang.T(c.lang, key, args...) }

// trn is trn in the conversation's language.
func (c *conv) trn(key string, n int) string { return lang.N(c.lang, key, n) }

// dayWord names a day ("mon") for people.
func dayWord(l lang.Lang, day string) string {
	switch day {
	case "mon":
		return tr(l, "day.mon")
	case "tue":
		return tr(l, "day.tue")
	case "wed":
		return tr(l, "day.wed")
	case "thu":
		return tr(l, "day.thu")
	case "fri":
		return tr(l, "day.fri")
	case "sat":
		return tr(l, "day.sat")
	case "sun":
		return tr(l, "day.sun")
	}
	return day
}

// Apology is said when something went wrong inside whereto while handling
// a message. It always carries the emergency line, so that a fault never
// leaves a person in danger without the number.
func Apology(dir Directory, l lang.Lang) (replies []Reply) {
	defer func() {
		if recover() != nil {
			// The directory itself is broken; 999 is right everywhere in
			// the UK, and this is the one place it is not read from data.
			replies = []Reply{{Text: tr(l, "apology") + "\n\n" + tr(l, "danger_line", "999")}}
		}
	}()
	c := &conv{dir: dir, lang: l}
	return []Reply{{Text: c.tr("apology") + "\n\n" + c.emergencyLine()}}
}

// ForgetFailed is said when /forget could not delete the session.
func ForgetFailed(dir Directory, l lang.Lang) []Reply {
	c := &conv{dir: dir, lang: l}
	return []Reply{{Text: c.tr("forget_failed") + "\n\n" + c.emergencyLine()}}
}

// Strings returns every fixed string the bot may say to a resident in
// English (not the directory's data): the whole English catalogue, for
// the readability and word-limit tests.
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
