package flows

import (
	"strings"

	"github.com/whereto-bot/whereto/flows/lang"
)

// ForgetReport says what /forget could and could not delete.
type ForgetReport struct {
	HadSession        bool // a saved conversation state existed and was deleted
	CanDeleteMessages bool // the channel can delete messages (Telegram private chat)
	Deleted           int  // messages deleted
	TooOld            int  // messages the platform no longer lets us delete (older than 48 hours)
	Failed            int  // messages that could not be deleted for another reason
	// Lang is the language the conversation was in; "" is English.
	Lang lang.Lang
}

// Forgotten returns the reply to /forget: plain words, reading age about 9,
// short sentences, saying what was deleted and what was not, and what the
// person can do about what was not (delete the chat in their app only when
// some messages remain), that whereto never keeps what they type, and the
// emergency line.
//
// The last reply carries the menu's choices, as the /forget turn itself
// does, so that a number typed next still matches what was shown. Forgotten
// never panics: with a nil or broken directory the emergency line says 999.
func Forgotten(dir Directory, r ForgetReport) []Reply {
	l := lang.Of(string(r.Lang))
	var paras []string
	if r.HadSession {
		paras = append(paras, tr(l, "forget.session"))
	} else {
		paras = append(paras, tr(l, "forget.no_session"))
	}
	if r.CanDeleteMessages {
		var p []string
		if r.Deleted > 0 {
			p = append(p, trn(l, "forget.deleted", r.Deleted))
		}
		if r.TooOld > 0 {
			p = append(p, trn(l, "forget.too_old", r.TooOld))
		}
		if r.Failed > 0 {
			p = append(p, trn(l, "forget.failed", r.Failed))
		}
		switch {
		case r.TooOld > 0 || r.Failed > 0:
			p = append(p, tr(l, "forget.delete_app"))
		case r.Deleted == 0 && !r.HadSession:
			// The record of which messages are ours expires with the
			// conversation: older messages may still be on the screen.
			p = append(p, tr(l, "forget.expired"), tr(l, "forget.delete_app"))
		case r.Deleted == 0:
			p = append(p, tr(l, "forget.none_left"))
		}
		paras = append(paras, strings.Join(p, " "))
	} else {
		paras = append(paras, tr(l, "forget.cannot"))
	}
	paras = append(paras, tr(l, "forget.never_keep"), forgotDangerLine(dir, l))
	return forgotTurn(dir, l, Reply{Text: strings.Join(paras, "\n\n")})
}

// forgotTurn finishes the reply as the /forget turn does, with the menu's
// choices; if that fails (a broken directory), the reply goes without them.
func forgotTurn(dir Directory, l lang.Lang, r Reply) (replies []Reply) {
	defer func() {
		if recover() != nil {
			replies = []Reply{r}
		}
	}()
	c := &conv{dir: dir, lang: l, forget: true}
	c.say(r)
	return c.turn().Replies
}

// forgotDangerLine is the directory's emergency line, or the 999 line if
// the directory cannot give it.
func forgotDangerLine(dir Directory, l lang.Lang) (line string) {
	defer func() {
		if recover() != nil {
			line = tr(l, "forget.danger")
		}
	}()
	if dir == nil {
		return tr(l, "forget.danger")
	}
	return (&conv{dir: dir, lang: l}).emergencyLine()
}
