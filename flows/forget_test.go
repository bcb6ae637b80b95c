package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

func forgetDir(t testing.TB) *directory.Directory { return defaultDir(t) }

var forgetNow = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

const forgetDeleteInApp = "delete this chat in your app"

func TestForgetReply(t *testing.T) {
	dir := forgetDir(t)
	tests := []struct {
		name    string
		r       flows.ForgetReport
		want    []string
		notWant []string
	}{
		{
			name:    "session deleted, nothing to delete on screen",
			r:       flows.ForgetReport{HadSession: true},
			want:    []string{"I deleted what I remembered about this chat.", "I can't delete the messages here."},
			notWant: []string{"nothing saved", forgetDeleteInApp, "message from", "messages from"},
		},
		{
			name:    "session had expired",
			r:       flows.ForgetReport{},
			want:    []string{"I had nothing saved about this chat.", "after a few hours"},
			notWant: []string{"I deleted what I remembered", forgetDeleteInApp},
		},
		{
			name:    "every message deleted",
			r:       flows.ForgetReport{HadSession: true, CanDeleteMessages: true, Deleted: 12},
			want:    []string{"I deleted what I remembered", "I also deleted 12 messages from this chat."},
			notWant: []string{forgetDeleteInApp, "too old", "could not", "can't delete"},
		},
		{
			name:    "one message deleted",
			r:       flows.ForgetReport{CanDeleteMessages: true, Deleted: 1},
			want:    []string{"I had nothing saved", "I also deleted 1 message from this chat."},
			notWant: []string{forgetDeleteInApp, "1 messages"},
		},
		{
			name:    "no messages left to delete",
			r:       flows.ForgetReport{HadSession: true, CanDeleteMessages: true},
			want:    []string{"There were no messages for me to delete."},
			notWant: []string{forgetDeleteInApp, "I also deleted"},
		},
		{
			name:    "session expired in a chat where messages can be deleted",
			r:       flows.ForgetReport{CanDeleteMessages: true},
			want:    []string{"I had nothing saved", "I no longer know which messages are mine.", "To remove them, " + forgetDeleteInApp + "."},
			notWant: []string{"There were no messages for me to delete."},
		},
		{
			name:    "one message too old",
			r:       flows.ForgetReport{HadSession: true, CanDeleteMessages: true, Deleted: 5, TooOld: 1},
			want:    []string{"I also deleted 5 messages", "1 message is too old for me to delete.", "To remove them, " + forgetDeleteInApp + "."},
			notWant: []string{"could not"},
		},
		{
			name: "some too old and some failed",
			r:    flows.ForgetReport{HadSession: true, CanDeleteMessages: true, Deleted: 2, TooOld: 3, Failed: 2},
			want: []string{"3 messages are too old for me to delete.", "I could not delete 2 messages.", forgetDeleteInApp},
		},
		{
			name:    "all failed",
			r:       flows.ForgetReport{CanDeleteMessages: true, Failed: 1},
			want:    []string{"I could not delete 1 message.", forgetDeleteInApp},
			notWant: []string{"I also deleted", "no messages"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			replies := flows.Forgotten(dir, tt.r)
			text := flows.RenderText(replies)
			for _, w := range append(tt.want, "I never keep what you type.", "call 999", "press 55", "/start") {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q; got:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("reply says %q; got:\n%s", w, text)
				}
			}
			if strings.Contains(strings.ToLower(text), "tap") {
				t.Errorf("reply says tap; got:\n%s", text)
			}
			// Short sentences: every sentence of ours (all but the
			// emergency line, whose wording is the directory's) is at
			// most 12 words.
			paras := strings.Split(replies[len(replies)-1].Text, "\n\n")
			if len(paras) < 3 {
				t.Fatalf("reply has %d paragraphs, want at least 3; got:\n%s", len(paras), text)
			}
			for _, p := range paras[:len(paras)-1] {
				for _, s := range strings.SplitAfter(p, ". ") {
					if n := len(strings.Fields(s)); n > 12 {
						t.Errorf("sentence of %d words, want at most 12: %q", n, s)
					}
				}
			}
			// The menu to begin again: buttons that each work, once each.
			choices := replies[len(replies)-1].Choices
			if len(choices) == 0 {
				t.Error("the reply has no buttons to begin again")
			}
			seen := map[string]bool{}
			for _, c := range choices {
				if seen[c.ID] {
					t.Errorf("button %q shown twice", c.ID)
				}
				seen[c.ID] = true
				if turn := flows.Next(flows.State{}, flows.Input{Choice: c.ID}, dir, forgetNow); len(turn.Replies) == 0 {
					t.Errorf("button %q (%s) gets no answer", c.ID, c.Label)
				}
			}
		})
	}
}

func TestForgetReplyWithoutDirectory(t *testing.T) {
	var broken *directory.Directory
	for name, dir := range map[string]flows.Directory{"nil": nil, "nil pointer": broken} {
		t.Run(name, func(t *testing.T) {
			text := flows.RenderText(flows.Forgotten(dir, flows.ForgetReport{HadSession: true}))
			if !strings.Contains(text, "call 999") || !strings.Contains(text, "I deleted what I remembered") {
				t.Errorf("reply = %q, want the report and 999", text)
			}
		})
	}
}
