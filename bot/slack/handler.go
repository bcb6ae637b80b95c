package slack

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
)

// handler decides what to do with a request, in no transport's terms: the
// HTTP and Socket Mode transports copy a request's values into a command,
// an event or an interaction, call the handler, send back the immediate
// answer and run the follow-up work it returns on their worker pool.
// Authorisation lives in admins and sending in sender; the handler holds
// what a decision needs. Safe for concurrent use.
type handler struct {
	dir          DirectorySource
	store        Store
	admins       *admins
	send         *sender
	now          func() time.Time
	log          *slog.Logger
	metrics      bot.Metrics
	auditChannel string
	// botUser is the app's bot user id, once auth.test has told it; its
	// own messages are never answered.
	botUser atomic.Pointer[string]
	// unrecorded counts refused attempts the store did not write.
	unrecorded refusalCounts
}

// refusalCounts counts, by service id, refused attempts that the store did
// not write because they were over its limit, since the app started. Ids
// not in the directory are counted together under "", so there are never
// more counts than services. Safe for concurrent use.
type refusalCounts struct {
	mu sync.Mutex
	n  map[string]uint64
}

func (c *refusalCounts) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = make(map[string]uint64)
	}
	c.n[id]++
}

func (c *refusalCounts) get(id string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// command is a slash command, its values copied out of the request.
type command struct {
	TeamID, UserID, ChannelID, Text, ResponseURL, TriggerID string
}

// result is what handling a request decided: the immediate answer (nil
// for an empty acknowledgement) and work to do after acknowledging.
type result struct {
	reply *reply
	later func(ctx context.Context)
	// essential marks later work without which the request does nothing
	// (opening a form): when it cannot be scheduled, the transport answers
	// "busy" instead of reply. Other later work (audit posts) is best
	// effort.
	essential bool
	// name is the command's name for logs and metrics, never its text.
	name string
}

// busyReply is the answer when the worker pool is full.
func busyReply() *reply {
	return textReply("whereto is busy right now: please try again in a moment.")
}

func (h *handler) index() *index { return newIndex(h.dir.Directory()) }

// Command verbs.
const (
	verbHelp    = "help"
	verbEdit    = "edit"
	verbAdd     = "add"
	verbRemove  = "remove"
	verbVerify  = "verify"
	verbHistory = "history"
	verbRevert  = "revert"
	verbStale   = "stale"
	verbStats   = "stats"
)

var (
	numPattern = regexp.MustCompile(`^[0-9]{1,9}$`)
)

// adminCommand is a parsed admin command.
type adminCommand struct {
	verb string
	id   string // the service, for verbs that take one
	num  int    // revert's change, stats' days (0: default)
}

// parseAdmin reads text as an admin command. ok is false when text is not
// shaped like one (then it is a look-up: "remove graffiti" looks up
// graffiti removal). needsService says the command names a service, which
// must exist for the text to count as a command for a non-admin.
func parseAdmin(text string) (c adminCommand, needsService, ok bool) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return c, false, false
	}
	c.verb = strings.ToLower(f[0])
	args := f[1:]
	switch c.verb {
	case verbEdit, verbRemove, verbVerify, verbHistory:
		if len(args) != 1 || !directory.ValidID(strings.ToLower(args[0])) {
			return c, false, false
		}
		c.id = strings.ToLower(args[0])
		return c, true, true
	case verbRevert:
		if len(args) != 2 || !directory.ValidID(strings.ToLower(args[0])) || !numPattern.MatchString(strings.TrimPrefix(args[1], "#")) {
			return c, false, false
		}
		c.id = strings.ToLower(args[0])
		c.num, _ = strconv.Atoi(strings.TrimPrefix(args[1], "#"))
		return c, true, true
	case verbAdd, verbStale:
		return c, false, len(args) == 0
	case verbStats:
		switch {
		case len(args) == 0:
			return c, false, true
		case len(args) == 1 && numPattern.MatchString(args[0]):
			c.num, _ = strconv.Atoi(args[0])
			if c.num < 1 || c.num > maxDays {
				c.num = badDays
			}
			return c, false, true
		case len(args) == 1:
			// "stats abc", "stats -3": a command with a bad argument,
			// answered with its usage rather than looked up.
			c.num = badDays
			return c, false, true
		}
	}
	return c, false, false
}

// handleCommand answers a slash command. It returns quickly (well within
// Slack's 3 seconds): look-ups are in memory, and the only writes are single
// store transactions.
func (h *handler) handleCommand(ctx context.Context, c command) result {
	start := time.Now()
	text := strings.TrimSpace(strings.ToValidUTF8(c.Text, " "))
	ix := h.index()
	var res result
	lower := strings.ToLower(text)
	if ac, needsService, ok := parseAdmin(text); ok {
		_, exists := ix.service(ac.id)
		admin := h.admins.is(ctx, c.UserID)
		switch {
		case admin:
			res = h.admin(ctx, c, ix, ac)
		case needsService && !exists:
			ok = false // not a command after all: look it up
		default:
			res = h.refuse(ctx, c.UserID, ac.id, ac.verb)
		}
		if !ok {
			res = h.lookUpCommand(c, ix, text)
		}
	} else if lower == "" || lower == verbHelp {
		res = result{name: verbHelp, reply: helpReply(h.admins.is(ctx, c.UserID))}
	} else {
		res = h.lookUpCommand(c, ix, text)
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "slack command",
		slog.String("team", c.TeamID), slog.String("user", c.UserID),
		slog.String("command", res.name), slog.Duration("took", time.Since(start)))
	return res
}

// lookUpCommand answers a look-up command.
func (h *handler) lookUpCommand(c command, ix *index, text string) result {
	start := time.Now()
	a := lookUp(ix, text)
	// An answer in a channel can be shared there; in a direct message
	// there is nobody to share it with.
	postable := c.ChannelID != "" && !strings.HasPrefix(c.ChannelID, "D")
	r := answerReply(ix, a, h.now(), postable)
	h.metrics.MessageHandled(channelName, string(a.Route), time.Since(start))
	return result{name: "lookup", reply: r}
}

// refuse tells a non-admin no, and records the attempt: in the audit log
// while the store's limit allows, else in h.unrecorded. Every attempt is
// logged.
func (h *handler) refuse(ctx context.Context, user, id, verb string) result {
	recorded, err := h.store.RecordRefusal(ctx, user, id, verb)
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "slack: recording a refused admin action failed",
			slog.String("user", user), slog.String("command", verb), slog.String("err", err.Error()))
	} else if !recorded {
		key := ""
		if _, ok := h.index().service(id); ok {
			key = id
		}
		h.unrecorded.add(key)
	}
	h.log.LogAttrs(ctx, slog.LevelWarn, "slack admin action refused",
		slog.String("user", user), slog.String("command", verb), slog.String("service", id),
		slog.Bool("recorded", recorded))
	return result{name: verb + "-refused", reply: refusedReply()}
}

func refusedReply() *reply {
	return textReply("Only directory admins can change the directory or see its records. Ask one of them if something needs changing; this attempt has been recorded.")
}
