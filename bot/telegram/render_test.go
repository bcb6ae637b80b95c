package telegram

import (
	"context"
	"errors"
	"html"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/flows"
)

func noDrop(t *testing.T) func(string, int) {
	return func(what string, n int) { t.Errorf("dropped a %s of %d bytes", what, n) }
}

func TestRenderMergesUntilButtons(t *testing.T) {
	replies := []flows.Reply{
		{Text: "Intro."},
		{Heading: "Service A", Text: "About A.\n\nPhone: 01582 510 330", Links: []flows.Link{{Label: "A online", URL: "https://a.example"}}},
		{Heading: "Service B", Text: "Phone: 101"},
		{Text: "Anything else?", Choices: []flows.Choice{{ID: "menu", Label: "Start again"}}},
	}
	out := render(replies, noDrop(t))
	if len(out) != 2 {
		t.Fatalf("%d messages, want 2: %+v", len(out), out)
	}
	if want := "Intro.\n\n<b>Service A</b>\nAbout A.\n\nPhone: 01582 510 330"; out[0].html != want {
		t.Errorf("first message:\n%q\nwant\n%q", out[0].html, want)
	}
	if b := out[0].keyboard.InlineKeyboard; len(b) != 1 || *b[0][0].URL != "https://a.example" {
		t.Errorf("first keyboard: %+v", b)
	}
	if out[0].plainKeyboard != nil {
		t.Error("a URL-only keyboard has a plain fallback keyboard")
	}
	if want := "<b>Service B</b>\nPhone: 101\n\nAnything else?"; out[1].html != want {
		t.Errorf("second message:\n%q\nwant\n%q", out[1].html, want)
	}
	if b := out[1].keyboard.InlineKeyboard; len(b) != 1 || *b[0][0].CallbackData != "menu" {
		t.Errorf("second keyboard: %+v", b)
	}
}

func TestRenderEscapesEverything(t *testing.T) {
	const nasty = `< > & _ * [ ] ( ) ~ \ ` + "`" + ` # + - = | { } . ! " '`
	out := render([]flows.Reply{{Heading: nasty, Text: nasty, Choices: []flows.Choice{{ID: "x", Label: nasty}}}}, noDrop(t))
	got := out[0].html
	if strings.ContainsAny(strings.ReplaceAll(strings.ReplaceAll(got, "<b>", ""), "</b>", ""), "<>") {
		t.Errorf("unescaped angle bracket in %q", got)
	}
	if want := "<b>" + html.EscapeString(nasty) + "</b>\n" + html.EscapeString(nasty); got != want {
		t.Errorf("html = %q, want %q", got, want)
	}
	if want := nasty + "\n" + nasty; out[0].plain() != want {
		t.Errorf("plain = %q, want %q", out[0].plain(), want)
	}
	if l := out[0].keyboard.InlineKeyboard[0][0].Text; l != nasty {
		t.Errorf("button label %q: labels are plain text and must not be escaped", l)
	}
}

func TestRenderDropsBadButtons(t *testing.T) {
	var dropped []string
	out := render([]flows.Reply{{
		Text:    "x",
		Links:   []flows.Link{{Label: "bad", URL: "javascript:alert(1)"}, {Label: "ok", URL: "https://ok.example"}},
		Choices: []flows.Choice{{ID: strings.Repeat("x", MaxCallbackData+1), Label: "too long"}, {ID: strings.Repeat("y", MaxCallbackData), Label: "fits"}},
	}}, func(what string, n int) { dropped = append(dropped, what) })
	if got := strings.Join(dropped, ","); got != "link,choice" {
		t.Errorf("dropped %s, want link,choice", got)
	}
	rows := out[0].keyboard.InlineKeyboard
	if len(rows) != 2 || *rows[0][0].URL != "https://ok.example" || *rows[1][0].CallbackData != strings.Repeat("y", 64) {
		t.Errorf("keyboard: %+v", rows)
	}
}

func TestRenderSplitsLongText(t *testing.T) {
	// Many short lines, each with entities near where a cut could fall.
	var b strings.Builder
	for i := range 600 {
		b.WriteString("line & <more> ")
		b.WriteString(strings.Repeat("é", i%7))
		b.WriteString("\n")
	}
	text := strings.TrimSuffix(b.String(), "\n")
	out := render([]flows.Reply{{Heading: "Head", Text: text, Choices: []flows.Choice{{ID: "menu", Label: "Menu"}}}}, noDrop(t))
	if len(out) < 2 {
		t.Fatalf("%d messages, want a split", len(out))
	}
	var plain []string
	for i, m := range out {
		if n := utf16Len(m.html); n > MaxText {
			t.Errorf("part %d is %d UTF-16 units", i, n)
		}
		if strings.Count(m.html, "&") != strings.Count(m.html, ";") {
			t.Errorf("part %d cuts an entity", i)
		}
		if (m.keyboard != nil) != (i == len(out)-1) {
			t.Errorf("part %d keyboard = %v", i, m.keyboard != nil)
		}
		plain = append(plain, m.plain())
	}
	if got := strings.Join(plain, "\n"); got != "Head\n"+text {
		t.Error("split lost or changed text")
	}
}

func TestRenderSplitsOneHugeLine(t *testing.T) {
	for _, word := range []string{"word ", "&", "𝕏", "x"} {
		line := strings.Repeat(word, 9000)
		out := render([]flows.Reply{{Heading: line, Text: line}}, noDrop(t))
		var plain strings.Builder
		for i, m := range out {
			if n := utf16Len(m.html); n > MaxText {
				t.Errorf("%q: part %d is %d UTF-16 units", word, i, n)
			}
			if strings.Count(m.html, "<b>") != strings.Count(m.html, "</b>") {
				t.Errorf("%q: part %d has unbalanced tags", word, i)
			}
			plain.WriteString(strings.ReplaceAll(m.plain(), "\n", ""))
		}
		want := strings.ReplaceAll(line+line, " ", "")
		if got := strings.ReplaceAll(plain.String(), " ", ""); got != want {
			t.Errorf("%q: text changed by the split (%d vs %d bytes)", word, len(got), len(want))
		}
	}
}

func TestRenderEmpty(t *testing.T) {
	if out := render(nil, noDrop(t)); len(out) != 0 {
		t.Errorf("nothing rendered as %+v", out)
	}
	out := render([]flows.Reply{{Choices: []flows.Choice{{ID: "menu", Label: "Menu"}}}}, noDrop(t))
	if len(out) != 1 || out[0].html != chooseText {
		t.Errorf("buttons without text rendered as %+v", out)
	}
}

// TestLibraryErrorsCarryTheToken shows the trap this package contains:
// tgbotapi's network errors quote the request URL, token included. Our
// classify keeps only the cause, redacted.
func TestLibraryErrorsCarryTheToken(t *testing.T) {
	const token = "111:SECRET-token"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	defer ln.Close()
	api := &tgbotapi.BotAPI{Token: token, Client: &http.Client{Timeout: 2 * time.Second}}
	api.SetAPIEndpoint("http://" + ln.Addr().String() + "/bot%s/%s")
	_, raw := api.GetMe()
	if raw == nil || !strings.Contains(raw.Error(), token) {
		t.Fatalf("expected the library's error to quote the token (the trap), got %v", raw)
	}
	r := newRedactor(token)
	got := r.classify("getMe", raw)
	if strings.Contains(got.Error(), "SECRET") {
		t.Errorf("classified error still has the token: %v", got)
	}
	var ae *apiError
	if !errors.As(got, &ae) || !ae.transient() {
		t.Errorf("a dropped connection should be transient: %#v", got)
	}
	// And the error holds nothing from which the URL could be fished.
	var ue interface{ Timeout() bool }
	if errors.As(got, &ue) {
		t.Error("classified error wraps the net/http error")
	}
	if c := r.classify("x", context.Canceled); !errors.Is(c, context.Canceled) {
		t.Errorf("classify lost context.Canceled: %v", c)
	}
}

func TestRedactForms(t *testing.T) {
	r := newRedactor("12:a/b c")
	for _, s := range []string{"x 12:a/b c y", "x 12:a%2Fb%20c y", "x 12%3Aa%2Fb+c y"} {
		if got := r.redact(s); got != "x <token> y" {
			t.Errorf("redact(%q) = %q", s, got)
		}
	}
}

// In Urdu every line starts right to left, also those that begin with an
// English name or a number; the words are untouched.
func TestRightToLeft(t *testing.T) {
	in := []flows.Reply{{Heading: "Bedfordshire Police", Text: "اگر آپ\n- Police non-emergency line: 101\n\n999", Choices: []flows.Choice{{ID: "menu", Label: "مینو"}}}}
	got := rightToLeft(in)
	if want := "\u200fBedfordshire Police"; got[0].Heading != want {
		t.Errorf("heading %q, want %q", got[0].Heading, want)
	}
	if want := "\u200fاگر آپ\n\u200f- Police non-emergency line: 101\n\n\u200f999"; got[0].Text != want {
		t.Errorf("text %q, want %q", got[0].Text, want)
	}
	if in[0].Text != "اگر آپ\n- Police non-emergency line: 101\n\n999" {
		t.Error("the replies given were changed")
	}
	if again := rightToLeft(got); again[0].Text != got[0].Text {
		t.Error("marking twice added a second mark")
	}
	out := render(got, noDrop(t))
	if len(out) != 1 || !strings.Contains(out[0].html, "\u200f999") {
		t.Errorf("rendered: %+v", out)
	}
}
