// Package lang holds every word whereto says to a resident, in one message
// catalogue file per language (en.toml, pl.toml, ro.toml, ur.toml,
// pa.toml, bn.toml), and looks them up by stable key: T(English, "menu").
//
// Why go-i18n (github.com/nicksnyder/go-i18n/v2) and not
// golang.org/x/text/message: go-i18n keeps each language in one plain
// TOML file that a translator or a native-speaker reviewer can read and
// edit on its own, with comments; it knows CLDR plural forms (one, few,
// many, other) per language; its files are data loaded at start, so a new
// language needs no code generation step (x/text/message's catalogues are
// Go code built by gotext, or set up in code, one call per string); and a
// missing key is simply a key one file has and another lacks, which a
// test can check.
//
// English (en.toml) is the source every other file is held to, and the
// fallback for any key another language lacks. Every translated message
// carries a review mark (its description: UNREVIEWED until a native
// speaker confirms it) and the hash of the English it was made from
// (scripts/stamp writes it), so that Reviews can list what a reader who
// speaks the language still has to check. Lookups are map reads of strings built once at
// start, so they cost next to nothing per message; only plural messages
// (N) go through go-i18n's template at run time, and they are rare.
//
// A key the catalogue lacks is a bug that the tests catch; at run time T
// returns the key itself rather than fail a person in danger.
package lang

import (
	"crypto/sha1"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Lang names a language by its BCP 47 code, as the catalogue files are
// named: "en" for en.toml.
type Lang string

// English is the language of en.toml, the one every other file is held
// to, and the fallback.
const English Lang = "en"

//go:embed *.toml
var files embed.FS

// catalogue is one language's words.
type catalogue struct {
	plain  map[string]string // key: text, for messages without plural forms
	plural map[string]bool   // keys of messages with plural forms
	hashes map[string]string // SourceHash of each message
	loc    *i18n.Localizer
	// marks are each message's review mark (its description) and hash,
	// the SourceHash of the English it was translated from.
	marks map[string]mark
}

// mark is what a translation says of its own review.
type mark struct {
	description, hash string
}

var (
	bundle     *i18n.Bundle
	catalogues map[Lang]*catalogue
)

func init() {
	var err error
	bundle, catalogues, err = load(files)
	if err != nil {
		// The catalogue is embedded: a bad file fails every test and
		// never reaches a running bot.
		panic(err)
	}
}

// load parses every *.toml file in fsys, one per language.
func load(fsys fs.FS) (*i18n.Bundle, map[Lang]*catalogue, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, nil, err
	}
	cs := map[Lang]*catalogue{}
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, err
		}
		mf, err := b.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, nil, fmt.Errorf("lang: parse %s: %w", name, err)
		}
		l := Lang(strings.TrimSuffix(name, ".toml"))
		c := &catalogue{plain: map[string]string{}, plural: map[string]bool{}, hashes: map[string]string{}, marks: map[string]mark{}}
		for _, m := range mf.Messages {
			c.marks[m.ID] = mark{m.Description, m.Hash}
			c.hashes[m.ID] = sourceHash(m)
			if m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != "" {
				c.plural[m.ID] = true
				continue
			}
			c.plain[m.ID] = m.Other
		}
		cs[l] = c
	}
	if cs[English] == nil {
		return nil, nil, fmt.Errorf("lang: no %s.toml", English)
	}
	for l, c := range cs {
		c.loc = i18n.NewLocalizer(b, string(l), string(English))
	}
	return b, cs, nil
}

// T returns the words for key in language l, or in English if l lacks
// them. With args, the words are a format for fmt.Sprintf (%s in order).
func T(l Lang, key string, args ...any) string {
	s, ok := text(l, key)
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func text(l Lang, key string) (string, bool) {
	if c := catalogues[l]; c != nil {
		if s, ok := c.plain[key]; ok {
			return s, true
		}
	}
	s, ok := catalogues[English].plain[key]
	return s, ok
}

// N returns the plural message key for the count n in language l (or
// English): "1 message" or "3 messages", with {{.Count}} filled in.
func N(l Lang, key string, n int) string {
	c := catalogues[l]
	if c == nil || !c.plural[key] {
		c = catalogues[English]
	}
	s, err := c.loc.Localize(&i18n.LocalizeConfig{
		MessageID:    key,
		PluralCount:  n,
		TemplateData: map[string]any{"Count": n},
	})
	if err != nil {
		return key
	}
	return s
}

// Find returns the language with a catalogue that code names: a BCP 47
// tag like "pl", "pl-PL" or "PA_in" (Telegram sends the app's language
// this way). ok is false for a language without a catalogue and for "".
func Find(code string) (l Lang, ok bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(code)), "-")
	base, _, _ = strings.Cut(base, "_")
	if base == "" {
		return "", false
	}
	if _, ok := catalogues[Lang(base)]; ok {
		return Lang(base), true
	}
	return "", false
}

// Of is Find, with English for a language without a catalogue.
func Of(code string) Lang {
	if l, ok := Find(code); ok {
		return l
	}
	return English
}

// RTL reports whether l is written right to left (Urdu).
func RTL(l Lang) bool {
	switch l {
	case "ur", "ar", "fa", "ps", "he", "yi", "ckb", "sd":
		return true
	}
	return false
}

// sourceHash identifies the words of a message: "sha1-" and the first 16
// hex digits of the SHA-1 of its forms (zero, one, two, few, many, other)
// joined by U+001F. A translation's hash is the English message's at the
// time it was translated, so a change to the English shows.
func sourceHash(m *i18n.Message) string {
	sum := sha1.Sum([]byte(strings.Join([]string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other}, "\x1f")))
	return "sha1-" + hex.EncodeToString(sum[:])[:16]
}

// Unreviewed is the review mark (a message's description) of a
// translation no native speaker has confirmed yet; a reviewer replaces it
// with who reviewed it and when.
const Unreviewed = "UNREVIEWED"

// Review is one translation that needs a reader who speaks the language.
type Review struct {
	Lang    Lang
	Key     string
	English string // the English words now (the "other" form of a plural)
	Text    string // the translation now (likewise)
	// Reason is "unreviewed" (still marked UNREVIEWED), "english changed"
	// (the English words changed since it was translated: its hash is not
	// the English message's), or "missing" (the language lacks the key;
	// the English is shown).
	Reason string
}

// Reviews lists the translations of language l (every language but
// English if l is "") that need a review, by language then key.
func Reviews(l Lang) []Review { return reviews(catalogues, l) }

func reviews(cs map[Lang]*catalogue, l Lang) []Review {
	var out []Review
	en := cs[English]
	var codes []Lang
	for code := range cs {
		if code != English && (l == "" || code == l) {
			codes = append(codes, code)
		}
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	var keys []string
	for k := range en.marks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, code := range codes {
		c := cs[code]
		for _, key := range keys {
			r := Review{Lang: code, Key: key, English: words(en, key), Text: words(c, key)}
			mk, ok := c.marks[key]
			switch {
			case !ok:
				r.Reason, r.Text = "missing", ""
			case mk.hash != en.hashes[key]:
				r.Reason = "english changed"
			case strings.HasPrefix(mk.description, Unreviewed):
				r.Reason = "unreviewed"
			default:
				continue
			}
			out = append(out, r)
		}
	}
	return out
}

// words is a message's text, or its plural form for a count of 2.
func words(c *catalogue, key string) string {
	if s, ok := c.plain[key]; ok {
		return s
	}
	if c.plural[key] {
		s, err := c.loc.Localize(&i18n.LocalizeConfig{MessageID: key, PluralCount: 2, TemplateData: map[string]any{"Count": 2}})
		if err == nil {
			return s
		}
	}
	return ""
}

// SourceHashes returns the hash of each English message, for the tool
// that stamps translations with the English they were made from.
func SourceHashes() map[string]string {
	return maps.Clone(catalogues[English].hashes)
}

// Languages returns the languages with a catalogue, English first.
func Languages() []Lang {
	var ls []Lang
	for l := range catalogues {
		if l != English {
			ls = append(ls, l)
		}
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i] < ls[j] })
	return append([]Lang{English}, ls...)
}

// Keys returns every key of language l's catalogue, sorted.
func Keys(l Lang) []string {
	c := catalogues[l]
	if c == nil {
		return nil
	}
	var keys []string
	for k := range c.plain {
		keys = append(keys, k)
	}
	for k := range c.plural {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Texts returns every text of language l by key, for tests of the words
// themselves (reading age, jargon). A plural message gives its forms for
// 1 and 2 as key#1 and key#2.
func Texts(l Lang) map[string]string {
	c := catalogues[l]
	if c == nil {
		return nil
	}
	out := map[string]string{}
	for k, s := range c.plain {
		out[k] = s
	}
	for k := range c.plural {
		out[k+"#1"] = N(l, k, 1)
		out[k+"#2"] = N(l, k, 2)
	}
	return out
}
