package triage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDetectLanguage holds the language detector to any input: mixed
// languages, scripts it does not read, transliteration with typos, invalid
// UTF-8. It never panics, it names a language it knows (or Und, or ""),
// and the whole decision still answers.
func FuzzDetectLanguage(f *testing.F) {
	for _, s := range []string{
		"", "a", "mój mąż mnie bije", "mera shohar mujhe marta hai", "meraa shohr mujy maarta he",
		"میرا فون چوری ہو گیا", "ਮੇਰਾ ਫੋਨ ਚੋਰੀ ਹੋ ਗਿਆ", "আমার ফোন চুরি হয়ে গেছে", "mi-a fost furată geanta",
		"hola me robaron", "我的手机被偷了", "தயவு செய்து உதவுங்கள்", "سرق هاتفي", "привет помогите",
		"my bike was stolen ale moj rower też", "pomocy help madad", "\xff\xfe", "ą\u0301ę", strings.Repeat("ਮ", 5000),
	} {
		f.Add(s)
	}
	known := map[string]bool{"": true, "en": true, Und: true}
	lx := compiled()
	for _, code := range lx.languages {
		known[code] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := clean(s)
		n := normalise(withoutAddresses(c.text))
		got := detectLanguage(lx, c.text, lx.match(n), "")
		if !known[got] && got != "hi" && got != "ar" {
			t.Fatalf("detectLanguage(%q) = %q, not a language it knows", s, got)
		}
		for _, hint := range []string{"pl", "ur"} {
			_ = detectLanguage(lx, c.text, lx.match(n), hint)
		}
		r := Classify(s)
		if r.Route == "" || r.Danger == "" || !utf8.ValidString(r.Lang) {
			t.Fatalf("Classify(%q) = %+v", s, r)
		}
	})
}

// TestLanguageFiles checks that every language file has a code, and
// that the languages the classifier reads have danger, check and now
// words and a glossary.
func TestLanguageFiles(t *testing.T) {
	langs, err := parseLanguages(languagesData)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range langs {
		if seen[l.code] {
			t.Errorf("%s: code %q given twice", l.name, l.code)
		}
		seen[l.code] = true
		if len(l.common) < 10 {
			t.Errorf("%s: %d common words, want at least 10", l.name, len(l.common))
		}
		if !trainedLanguages[l.code] {
			continue
		}
		if len(l.danger) == 0 || len(l.check) == 0 || len(l.now) == 0 || len(l.help) == 0 {
			t.Errorf("%s: danger %d, check %d, now %d, help %d words; want some of each", l.name, len(l.danger), len(l.check), len(l.now), len(l.help))
		}
		if len(glossaryForms(l.code)) < 300 {
			t.Errorf("%s: %d glossary forms, want at least 300", l.name, len(glossaryForms(l.code)))
		}
	}
	for code := range trainedLanguages {
		if !seen[code] {
			t.Errorf("training/%s.txt has no languages/%s.txt to recognise it", code, code)
		}
	}
	for _, bad := range []string{"## x\ncommon: a b\n", "## x\ncode: Polish\n", "common: a\n", "## x\ncode: xx\nwords: a\n"} {
		if _, err := parseLanguages(bad); err == nil {
			t.Errorf("parseLanguages(%q) = nil error", bad)
		}
	}
	if _, _, err := parseGlossary("form form\n"); err == nil {
		t.Error("parseGlossary without ' = ' = nil error")
	}
}
