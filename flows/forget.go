package flows

import (
	"fmt"
	"strings"
)

// ForgetReport says what /forget could and could not delete.
type ForgetReport struct {
	HadSession        bool // a saved conversation state existed and was deleted
	CanDeleteMessages bool // the channel can delete messages (Telegram private chat)
	Deleted           int  // messages deleted
	TooOld            int  // messages the platform no longer lets us delete (older than 48 hours)
	Failed            int  // messages that could not be deleted for another reason
}

// The words of the reply to /forget. Each is one short sentence or two, so
// that the reply can say exactly what happened and nothing more.
const (
	forgotSession   = "I deleted what I remembered about this chat."
	forgotNoSession = "I had nothing saved about this chat. I clear chats after a few hours."
	forgotDeleted   = "I also deleted %s from this chat."
	forgotNoneLeft  = "There were no messages for me to delete."
	forgotExpired   = "I no longer know which messages are mine. So I cannot delete them."
	forgotTooOld    = "%s too old for me to delete."
	forgotFailed    = "I could not delete %s."
	forgotDeleteApp = "To remove them, delete this chat in your app."
	forgotCannot    = "I can't delete the messages here. You can clear them from your screen."
	forgotNeverKeep = "I never keep what you type. Send /start to begin again."
	// forgotDanger is the emergency line when the directory cannot give
	// it: 999 is right everywhere in the UK.
	forgotDanger = "If you are in danger now, call 999."
)

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
	var paras []string
	if r.HadSession {
		paras = append(paras, forgotSession)
	} else {
		paras = append(paras, forgotNoSession)
	}
	if r.CanDeleteMessages {
		var p []string
		if r.Deleted > 0 {
			p = append(p, fmt.Sprintf(forgotDeleted, forgotCount(r.Deleted)))
		}
		if r.TooOld > 0 {
			verb := " are"
			if r.TooOld == 1 {
				verb = " is"
			}
			p = append(p, fmt.Sprintf(forgotTooOld, forgotCount(r.TooOld)+verb))
		}
		if r.Failed > 0 {
			p = append(p, fmt.Sprintf(forgotFailed, forgotCount(r.Failed)))
		}
		switch {
		case r.TooOld > 0 || r.Failed > 0:
			p = append(p, forgotDeleteApp)
		case r.Deleted == 0 && !r.HadSession:
			// The record of which messages are ours expires with the
			// conversation: older messages may still be on the screen.
			p = append(p, forgotExpired, forgotDeleteApp)
		case r.Deleted == 0:
			p = append(p, forgotNoneLeft)
		}
		paras = append(paras, strings.Join(p, " "))
	} else {
		paras = append(paras, forgotCannot)
	}
	paras = append(paras, forgotNeverKeep, forgotDangerLine(dir))
	return forgotTurn(dir, Reply{Text: strings.Join(paras, "\n\n")})
}

// forgotTurn finishes the reply as the /forget turn does, with the menu's
// choices; if that fails (a broken directory), the reply goes without them.
func forgotTurn(dir Directory, r Reply) (replies []Reply) {
	defer func() {
		if recover() != nil {
			replies = []Reply{r}
		}
	}()
	c := &conv{dir: dir, forget: true}
	c.say(r)
	return c.turn().Replies
}

// messages is "1 message" or "n messages".
func forgotCount(n int) string {
	if n == 1 {
		return "1 message"
	}
	return fmt.Sprintf("%d messages", n)
}

// forgotDangerLine is the directory's emergency line, or the 999 line if
// the directory cannot give it.
func forgotDangerLine(dir Directory) (line string) {
	defer func() {
		if recover() != nil {
			line = forgotDanger
		}
	}()
	if dir == nil {
		return forgotDanger
	}
	return (&conv{dir: dir}).emergencyLine()
}
