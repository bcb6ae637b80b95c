package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Events API envelope types.
const (
	eventURLVerification = "url_verification"
	eventCallback        = "event_callback"
)

// eventNamespace is the MarkSeen namespace of handled Events API ids, and
// seenFor how long an id is remembered (Slack retries within minutes).
const (
	eventNamespace = "slack-event"
	seenFor        = 24 * time.Hour
)

// eventEnvelope is an Events API request body (HTTP) or events_api payload
// (Socket Mode), read for the fields whereto uses.
type eventEnvelope struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"`
	TeamID    string `json:"team_id"`
	EventID   string `json:"event_id"`
	Event     struct {
		Type        string `json:"type"`
		SubType     string `json:"subtype"`
		User        string `json:"user"`
		BotID       string `json:"bot_id"`
		Text        string `json:"text"`
		Channel     string `json:"channel"`
		ChannelType string `json:"channel_type"`
		TS          string `json:"ts"`
		ThreadTS    string `json:"thread_ts"`
	} `json:"event"`
}

func parseEvent(body []byte) (eventEnvelope, error) {
	var e eventEnvelope
	if err := json.Unmarshal(body, &e); err != nil {
		return e, fmt.Errorf("events API body: %w", err)
	}
	return e, nil
}

// handleEvent decides what to do with an app mention or a direct message:
// a look-up (or help) posted in reply, in the mention's thread. Anything
// else, and messages from bots (whereto's own replies included), get
// nothing. The work is all after the acknowledgement: it returns it, or nil.
func (h *handler) handleEvent(e eventEnvelope) func(context.Context) {
	ev := e.Event
	if ev.BotID != "" || ev.SubType != "" || ev.User == "" || ev.Channel == "" {
		return nil
	}
	if bu := h.botUser.Load(); bu != nil && ev.User == *bu {
		return nil
	}
	thread := ""
	switch {
	case ev.Type == "app_mention":
		thread = ev.ThreadTS
		if thread == "" {
			thread = ev.TS
		}
	case ev.Type == "message" && ev.ChannelType == "im":
	default:
		return nil
	}
	team, user, channel, text := e.TeamID, ev.User, ev.Channel, ev.Text
	return func(ctx context.Context) {
		start := time.Now()
		ix := h.index()
		q := cleanQuery(text)
		name := "lookup"
		var r *reply
		if ac, needsService, ok := parseAdmin(q); ok {
			if _, exists := ix.service(ac.id); exists || !needsService {
				name = ac.verb
				r = textReply("Directory admin commands work with the slash command: `/whereto " + esc(strings.ToLower(q)) + "`.")
			}
		}
		if r == nil {
			switch strings.ToLower(q) {
			case "", verbHelp:
				name, r = verbHelp, helpReply(false)
			default:
				a := lookUp(ix, q)
				r = answerReply(ix, a, h.now(), false)
				h.metrics.MessageHandled(channelName, string(a.Route), time.Since(start))
			}
		}
		err := h.send.post(ctx, channel, thread, r)
		level := slog.LevelInfo
		attrs := []slog.Attr{slog.String("team", team), slog.String("user", user), slog.String("event", ev.Type),
			slog.String("command", name), slog.Duration("took", time.Since(start))}
		if err != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("err", err.Error()))
		}
		h.log.LogAttrs(ctx, level, "slack event", attrs...)
	}
}
