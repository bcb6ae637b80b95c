package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// maxAckBytes keeps a Socket Mode acknowledgement under Slack's 20 KB
// limit (the library refuses 20 KB or more) with room for the envelope.
const maxAckBytes = 20*1024 - 512

// ackTimeout bounds queueing an acknowledgement for the connection.
const ackTimeout = 5 * time.Second

// socketEvents is the Socket Mode event loop. It is the only reader of the
// client's events and gives every envelope to exactly one path, which
// acknowledges it once: events and buttons at once, then the work; slash
// commands and form submissions as soon as their answer is ready (the
// answer travels in the acknowledgement). Work runs on the pool; when the
// pool is full the envelope is still acknowledged. It returns when ctx is
// done.
func (a *App) socketEvents(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-a.socket.Events:
			if !ok {
				return
			}
			a.socketEvent(ctx, evt)
		}
	}
}

func (a *App) socketEvent(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.setSocketErr(nil)
		a.log.Info("slack socket mode connected")
	case socketmode.EventTypeConnectionError:
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok && ce.ErrorObj != nil {
			a.setSocketErr(fmt.Errorf("%w: %v", ErrNotConnected, ce.ErrorObj))
			a.log.Warn("slack socket mode connection failed", slog.String("err", ce.ErrorObj.Error()), slog.Int("attempt", ce.Attempt))
		}
	case socketmode.EventTypeInvalidAuth:
		a.setSocketErr(fmt.Errorf("%w: app token refused", ErrAuth))
		a.log.Error("slack: socket mode authentication failed")
	case socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack socket mode error", slog.String("event", string(evt.Type)))
	case socketmode.EventTypeErrorBadMessage:
		a.ackBadMessage(evt)
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slack.SlashCommand); ok && evt.Request != nil {
			a.socketCommand(evt.Request.EnvelopeID, cmd)
		} else {
			a.ackRequest(evt.Request)
		}
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && evt.Request != nil {
			a.socketInteractive(evt.Request.EnvelopeID, &cb)
		} else {
			a.ackRequest(evt.Request)
		}
	case socketmode.EventTypeEventsAPI:
		a.socketEventsAPI(evt.Request)
	default:
		// hello, disconnect and anything new: acknowledge any envelope so
		// that Slack does not resend it.
		if evt.Type != socketmode.EventTypeHello && evt.Type != socketmode.EventTypeDisconnect {
			a.ackRequest(evt.Request)
		}
	}
}

// acker acknowledges one envelope at most once.
type acker struct {
	a    *App
	id   string
	once sync.Once
}

// ack sends the acknowledgement with payload (nil for none). Later calls
// do nothing.
func (k *acker) ack(payload any) {
	k.once.Do(func() {
		ctx, cancel := context.WithTimeout(k.a.life, ackTimeout)
		defer cancel()
		if err := k.a.socket.AckCtx(ctx, k.id, payload); err != nil {
			k.a.log.Error("slack: socket mode acknowledgement failed", slog.String("envelope", k.id), slog.String("err", err.Error()))
		}
	})
}

func (a *App) acker(envelopeID string) *acker { return &acker{a: a, id: envelopeID} }

func (a *App) ackRequest(req *socketmode.Request) {
	if req != nil && req.EnvelopeID != "" {
		a.acker(req.EnvelopeID).ack(nil)
	}
}

// ackBadMessage acknowledges an envelope the library could not parse, by
// the envelope id read from the raw message; unacknowledged, Slack would
// resend it again and again.
func (a *App) ackBadMessage(evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var env struct {
		EnvelopeID string `json:"envelope_id"`
		Type       string `json:"type"`
	}
	if err := json.Unmarshal(bad.Message, &env); err != nil || env.EnvelopeID == "" {
		a.log.Warn("slack: unreadable socket mode message without an envelope id")
		return
	}
	a.log.Warn("slack: socket mode message not understood; acknowledged", slog.String("envelope", env.EnvelopeID), slog.String("type", env.Type))
	a.acker(env.EnvelopeID).ack(nil)
}

// fits reports whether payload can travel in an acknowledgement.
func fits(payload any) bool {
	b, err := json.Marshal(payload)
	return err == nil && len(b) < maxAckBytes
}

// socketCommand answers a slash command in its acknowledgement (or, when
// the answer is too big for one, through its response_url), then does the
// follow-up work.
func (a *App) socketCommand(envelopeID string, sc slack.SlashCommand) {
	c := command{
		TeamID: sc.TeamID, UserID: sc.UserID, ChannelID: sc.ChannelID,
		Text: sc.Text, ResponseURL: sc.ResponseURL, TriggerID: sc.TriggerID,
	}
	k := a.acker(envelopeID)
	ok := a.work.goTry(a.life, func(ctx context.Context) {
		actx, cancel := context.WithTimeout(ctx, ackBudget)
		res := a.h.handleCommand(actx, c)
		cancel()
		ctx, cancel = context.WithTimeout(ctx, laterTimeout)
		defer cancel()
		switch {
		case res.reply == nil:
			k.ack(nil)
		case fits(res.reply.webhook()):
			k.ack(res.reply.webhook())
		default:
			k.ack(nil)
			if err := a.h.send.notify(ctx, c.ResponseURL, c.ChannelID, c.UserID, res.reply); err != nil {
				a.log.Error("slack: sending a large answer failed", slog.String("user", c.UserID), slog.String("command", res.name), slog.String("err", err.Error()))
			}
		}
		if res.later != nil {
			res.later(ctx)
		}
	})
	if !ok {
		k.ack(busyReply().webhook())
	}
}

// socketInteractive handles a button or a form submission.
func (a *App) socketInteractive(envelopeID string, cb *slack.InteractionCallback) {
	in := newInteraction(cb)
	k := a.acker(envelopeID)
	switch in.Type {
	case slack.InteractionTypeViewSubmission:
		ok := a.work.goTry(a.life, func(ctx context.Context) {
			actx, cancel := context.WithTimeout(ctx, ackBudget)
			vr := a.h.handleViewSubmission(actx, in)
			cancel()
			if vr.resp != nil {
				k.ack(vr.resp)
			} else {
				k.ack(nil)
			}
			if vr.later != nil {
				ctx, cancel := context.WithTimeout(ctx, laterTimeout)
				defer cancel()
				vr.later(ctx)
			}
		})
		if !ok {
			k.ack(errorsOn(blockName, "whereto is busy right now; nothing was saved. Please press Save again in a moment.").resp)
		}
	case slack.InteractionTypeBlockActions:
		k.ack(nil)
		if fn := a.h.handleBlockAction(in); fn != nil && !a.schedule(fn) {
			a.log.Warn("slack: busy; button not handled", slog.String("user", in.UserID), slog.String("action", in.ActionID))
		}
	default:
		k.ack(nil)
	}
}

// socketEventsAPI acknowledges an Events API envelope, then handles the
// event once (its event id is remembered; Slack redelivers envelopes).
func (a *App) socketEventsAPI(req *socketmode.Request) {
	if req == nil {
		return
	}
	a.acker(req.EnvelopeID).ack(nil)
	e, err := parseEvent(req.Payload)
	if err != nil || e.Type != eventCallback {
		return
	}
	fn := a.h.handleEvent(e)
	if fn == nil {
		return
	}
	retry := fmt.Sprint(req.RetryAttempt)
	ok := a.work.goTry(a.life, func(ctx context.Context) {
		if !a.firstTime(ctx, e, retry) {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, laterTimeout)
		defer cancel()
		fn(ctx)
	})
	if !ok {
		a.log.Warn("slack: busy; event dropped", slog.String("team", e.TeamID), slog.String("event_id", e.EventID))
	}
}
