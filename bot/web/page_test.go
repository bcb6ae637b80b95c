package web

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// TestPiecesMakeThePage checks that the pages written in pieces (the frame
// rendered once, then each page's messages and foot) are page.html's
// "page", byte for byte.
func TestPiecesMakeThePage(t *testing.T) {
	f := newFixture(t, Config{})
	welcome, err := f.runner.Handle(t.Context(), bot.Message{Channel: ChannelName, Conversation: newID().String(), Text: "/start"})
	if err != nil {
		t.Fatal(err)
	}
	sealed := f.chat.seal.seal(newID(), f.clock().Add(f.chat.cfg.SessionTTL))
	for _, l := range lang.Languages() {
		w := wordsIn[l]
		for _, tc := range []struct {
			name  string
			embed bool
			token string
			msgs  []message
			chs   []flows.Choice
		}{
			{"welcome", false, sealed, renderReplies(welcome.Replies, l), choicesOf(welcome.Replies)},
			{"embedded, with what was typed", true, sealed, []message{mine("<b>me</b> & \"you\"\nline two", w), textMessage(l, "Email mash@luton.gov.uk")}, []flows.Choice{{ID: "a&b", Label: "<Yes>"}}},
			{"refusal, no token", false, "", []message{textMessage(l, "Too fast.\n\nIf you are in danger now, call 999.")}, nil},
			{"embedded refusal", true, "", nil, nil},
		} {
			t.Run(string(l)+"/"+tc.name, func(t *testing.T) {
				data := f.chat.data(tc.embed, l)
				data.Token, data.Messages, data.Choices = tc.token, tc.msgs, tc.chs
				var got, want bytes.Buffer
				if err := f.chat.render(&got, &data); err != nil {
					t.Fatal(err)
				}
				fr, err := f.chat.currentFrame()
				if err != nil {
					t.Fatal(err)
				}
				data.Title = fr.byLang[l].title
				if err := f.chat.tpl.ExecuteTemplate(&want, "page", data); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Errorf("pieces differ from the page:\ngot:\n%s\nwant:\n%s", got.String(), want.String())
				}
				if !strings.Contains(got.String(), `<html lang="`+string(l)+`" dir="`+dirOf(l)+`">`) {
					t.Errorf("the page is not marked %s", l)
				}
			})
		}
	}
}

// changingDirectory is a DirectorySource whose directory can be replaced,
// as the store's is after an edit.
type changingDirectory struct {
	d atomic.Pointer[directory.Directory]
}

func (c *changingDirectory) Directory() *directory.Directory { return c.d.Load() }

func TestTitleFollowsTheDirectory(t *testing.T) {
	f := newFixture(t, Config{})
	src := &changingDirectory{}
	src.d.Store(testDirectory(t))
	c, err := New(Config{Directory: src}, f.runner)
	if err != nil {
		t.Fatal(err)
	}
	f.chat, f.h = c, c.Handler()
	if body := f.get(t, "/chat").body; !strings.Contains(body, "<title>Where to report or get help in Luton</title>") {
		t.Fatalf("the title does not name Luton:\n%s", body)
	}
	edited := *testDirectory(t)
	edited.Partnership.Area = "Dunstable"
	src.d.Store(&edited)
	body := f.get(t, "/chat").body
	for _, want := range []string{"<title>Where to report or get help in Dunstable</title>", "<h1>Where to report or get help in Dunstable</h1>"} {
		if !strings.Contains(body, want) {
			t.Errorf("after the directory changed, the page lacks %s", want)
		}
	}
}
