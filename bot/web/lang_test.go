package web

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/flows/lang"
)

// The page, every message and the page's own words are in the
// conversation's language, marked with lang and dir.
func TestPageLanguage(t *testing.T) {
	f := newFixture(t, Config{})
	tests := []struct {
		target string
		want   lang.Lang
		dir    string
	}{
		{"/chat", lang.English, "ltr"},
		{"/chat?lang=ur", "ur", "rtl"},
		{"/chat?lang=pl-PL", "pl", "ltr"},
		{"/chat?lang=bn&start=hate-crime", "bn", "ltr"},
		{"/chat?lang=xx", lang.English, "ltr"},
		{"/chat?lang=%3Cscript%3E", lang.English, "ltr"},
	}
	for _, tt := range tests {
		res := f.get(t, tt.target)
		if res.code != 200 {
			t.Fatalf("%s: %d", tt.target, res.code)
		}
		mark := `lang="` + string(tt.want) + `" dir="` + tt.dir + `"`
		if !strings.Contains(res.body, "<html "+mark+">") {
			t.Errorf("%s: the page is not marked %s", tt.target, mark)
		}
		if !strings.Contains(res.body, `class="msg bot" `+mark) {
			t.Errorf("%s: the bot's messages are not marked %s", tt.target, mark)
		}
		for _, key := range []string{"web.send", "web.exit", "web.language"} {
			if w := html.EscapeString(lang.T(tt.want, key)); !strings.Contains(res.body, w) {
				t.Errorf("%s: the page lacks %q", tt.target, w)
			}
		}
		if strings.Contains(res.body, "<script>") {
			t.Errorf("%s: a lang parameter reached the page as markup", tt.target)
		}
	}
	// The language button and the English button work without script.
	res := f.get(t, "/chat?lang=ur")
	tok := tokenOf(t, res.body)
	res = f.post(t, url.Values{"c": {tok}, "l": {"ur"}, "text": {"/language"}})
	if !strings.Contains(res.body, ">Polski</button>") || !strings.Contains(res.body, ">English</button>") {
		t.Errorf("/language offers no languages:\n%s", res.body)
	}
	res = f.post(t, url.Values{"c": {tokenOf(t, res.body)}, "choice": {"lang:pl"}})
	if !strings.Contains(res.body, `<html lang="pl" dir="ltr">`) || !strings.Contains(res.body, html.EscapeString(lang.T("pl", "language_set"))) {
		t.Errorf("choosing Polish:\n%s", res.body)
	}
}

// A refused request is answered in the language of the page it came
// from, with 999.
func TestRefusalLanguage(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.post(t, url.Values{"c": {"forged-token"}, "l": {"ro"}, "text": {"ajutor"}})
	if res.code != 400 {
		t.Fatalf("a forged token: %d", res.code)
	}
	for _, want := range []string{`<html lang="ro" dir="ltr">`, html.EscapeString(lang.T("ro", "web.bad_token")), "999"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the Romanian refusal lacks %q:\n%s", want, res.body)
		}
	}
}

// The widget carries its words in every language, and picks one.
func TestWidgetLabels(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.get(t, "/chat/widget.js")
	if res.code != 200 {
		t.Fatalf("widget.js: %d", res.code)
	}
	if strings.Contains(res.body, "__LABELS__") {
		t.Fatal("the labels were not filled in")
	}
	for _, l := range lang.Languages() {
		for _, key := range []string{"web.widget_open", "web.widget_close"} {
			if w := lang.T(l, key); !strings.Contains(res.body, w) {
				t.Errorf("widget.js lacks %s %q", l, w)
			}
		}
	}
	if !strings.Contains(res.body, `"ur":{"open":`) || !strings.Contains(res.body, `"dir":"rtl"`) {
		t.Errorf("widget.js does not mark Urdu right to left")
	}
}
