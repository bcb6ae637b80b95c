package flows

import (
	"strings"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
	"github.com/whereto-bot/whereto/triage"
)

// Urgent reports whether a message may be about danger: typed words that
// read as danger now or as possible danger (triage.DangerNow,
// triage.DangerCheck), the /emergency command, or a button that says it is happening now or asks
// for the emergency answer. A channel answers urgent messages first when
// it has more to answer than it can send at once; it is a matter of order,
// never of what is answered. It is cheap (one classification), pure and
// safe on any input; a nil dir means the default routes.
func Urgent(dir Directory, in Input) bool {
	if in.Choice != "" {
		return in.Choice == prefixRoute+string(directory.RouteEmergency) ||
			strings.HasPrefix(in.Choice, prefixNow) && strings.HasSuffix(in.Choice, ":yes")
	}
	t := strings.TrimSpace(in.Text)
	if strings.HasPrefix(t, "/") {
		cmd, _, _ := strings.Cut(strings.ToLower(t[1:]), " ")
		cmd, _, _ = strings.Cut(cmd, "@")
		return cmd == "emergency" || cmd == "999"
	}
	if t == "" {
		return false
	}
	if dir == nil {
		return triage.Classify(in.Text).Danger != triage.DangerNone
	}
	return triage.ClassifyFor(dir, in.Text).Danger != triage.DangerNone
}

// Merged is the note said before the answer when a person sent several
// messages faster than they could be answered and only one is answered:
// the last one, or, when an earlier one may be about danger, that one
// (urgent).
func Merged(urgent bool, l lang.Lang) Reply {
	if urgent {
		return Reply{Text: tr(l, "merged_urgent")}
	}
	return Reply{Text: tr(l, "merged")}
}
