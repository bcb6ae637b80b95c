package slack

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// maxBody bounds a request body. Slack's largest (a submitted form) is a
// few tens of kilobytes.
const maxBody = 1 << 20

// HTTP endpoint patterns, as Handlers returns them.
const (
	PathCommands    = "POST /slack/commands"
	PathEvents      = "POST /slack/events"
	PathInteractive = "POST /slack/interactive"
)

// Handlers returns the HTTP endpoints for Slack's requests when a signing
// secret is configured (none otherwise): slash commands, the Events API
// and interactivity. Every request's signature and timestamp (at most five
// minutes from now, either way) are checked before anything else; a
// request that fails gets 401 and has no effect. A slash command or an
// interactive payload is accepted once: the same signed request again
// within the five minutes (a replay) gets 401 too. Events are not held to
// this: Slack retries an event it thinks was not received, and their
// event ids are de-duplicated instead (serveEvent).
func (a *App) Handlers() map[string]http.Handler {
	if a.cfg.SigningSecret == "" {
		return nil
	}
	return map[string]http.Handler{
		PathCommands:    a.verified("command", true, a.serveCommand),
		PathEvents:      a.verified("event", false, a.serveEvent),
		PathInteractive: a.verified("interactive", true, a.serveInteractive),
	}
}

// verified checks a request's signature (slack.NewSecretsVerifier checks
// the headers and the timestamp, then the HMAC of the body), reading the
// body once and at most maxBody bytes, and, when once is set, that the
// signature was not accepted before (a.replay); then it passes the verified
// body on.
func (a *App) verified(kind string, once bool, next func(http.ResponseWriter, *http.Request, []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
		if err != nil {
			a.unauthorized(w, r, kind, "signature headers: "+err.Error())
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			a.unauthorized(w, r, kind, "body unreadable or too large")
			return
		}
		if _, err := sv.Write(body); err != nil {
			a.unauthorized(w, r, kind, "signature: "+err.Error())
			return
		}
		if err := sv.Ensure(); err != nil {
			a.unauthorized(w, r, kind, "signature does not match")
			return
		}
		if once && !a.acceptOnce(w, r, kind) {
			return
		}
		next(w, r, body)
	})
}

// acceptOnce records a verified request's signature, and refuses (and
// answers) a request whose signature was accepted before. The signature is
// remembered as the bytes its hex stands for, so that the same signature
// in capitals is the same request.
func (a *App) acceptOnce(w http.ResponseWriter, r *http.Request, kind string) bool {
	sig, err := hex.DecodeString(strings.TrimPrefix(r.Header.Get("X-Slack-Signature"), "v0="))
	ts, terr := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64)
	if err != nil || terr != nil {
		// The verifier has parsed both already.
		a.unauthorized(w, r, kind, "signature headers unreadable")
		return false
	}
	switch err := a.replay.accept(string(sig), time.Unix(ts, 0)); {
	case err == nil:
		return true
	case errors.Is(err, errTooMany):
		a.log.LogAttrs(r.Context(), slog.LevelError, "slack: too many signed requests to remember; request refused",
			slog.String("request", kind), slog.Int("remembered", a.replay.remembered()))
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return false
	case errors.Is(err, errReplayed):
		a.unauthorized(w, r, kind, "replayed: this signed request was accepted before")
		return false
	default:
		a.unauthorized(w, r, kind, err.Error())
		return false
	}
}

func (a *App) unauthorized(w http.ResponseWriter, r *http.Request, kind, why string) {
	a.log.LogAttrs(r.Context(), slog.LevelWarn, "slack request refused",
		slog.String("request", kind), slog.String("reason", why), slog.String("remote", r.RemoteAddr))
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// writeReply writes an immediate answer, or an empty acknowledgement.
func writeReply(w http.ResponseWriter, r *reply) {
	if r == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, r.webhook())
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v) // the client has gone if this fails
}

// serveCommand answers a slash command in its HTTP response; follow-up
// work goes to the pool.
func (a *App) serveCommand(w http.ResponseWriter, r *http.Request, body []byte) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if vals.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	c := command{
		TeamID:      vals.Get("team_id"),
		UserID:      vals.Get("user_id"),
		ChannelID:   vals.Get("channel_id"),
		Text:        vals.Get("text"),
		ResponseURL: vals.Get("response_url"),
		TriggerID:   vals.Get("trigger_id"),
	}
	ctx, cancel := context.WithTimeout(r.Context(), ackBudget)
	res := a.h.handleCommand(ctx, c)
	cancel()
	rep := res.reply
	if res.later != nil && !a.schedule(res.later) {
		if res.essential {
			rep = busyReply()
		} else {
			a.log.LogAttrs(r.Context(), slog.LevelWarn, "slack: busy; follow-up work dropped",
				slog.String("user", c.UserID), slog.String("command", res.name))
		}
	}
	writeReply(w, rep)
}

// serveEvent answers url_verification and handles app mentions and direct
// messages once each: an event id already handled (Slack's retries, with
// X-Slack-Retry-Num) is acknowledged and ignored.
func (a *App) serveEvent(w http.ResponseWriter, r *http.Request, body []byte) {
	e, err := parseEvent(body)
	if err != nil {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	switch e.Type {
	case eventURLVerification:
		writeJSON(w, map[string]string{"challenge": e.Challenge})
		return
	case eventCallback:
	default:
		w.WriteHeader(http.StatusOK)
		return
	}
	fn := a.h.handleEvent(e)
	if fn == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	if !a.work.reserve() {
		// Not marked as seen, so Slack's retry will be handled.
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "slack: busy; event left for Slack to retry",
			slog.String("team", e.TeamID), slog.String("event_id", e.EventID))
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if !a.firstTime(r.Context(), e, r.Header.Get("X-Slack-Retry-Num")) {
		a.work.release()
		w.WriteHeader(http.StatusOK)
		return
	}
	a.work.run(a.life, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, laterTimeout)
		defer cancel()
		fn(ctx)
	})
	w.WriteHeader(http.StatusOK)
}

// firstTime marks an event id as handled and reports whether it was new.
// If the store cannot say, the event is handled: a duplicate answer is
// better than none.
func (a *App) firstTime(ctx context.Context, e eventEnvelope, retry string) bool {
	if e.EventID == "" {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	fresh, err := a.h.store.MarkSeen(ctx, eventNamespace, e.EventID, time.Now().Add(seenFor))
	if err != nil {
		a.log.LogAttrs(ctx, slog.LevelError, "slack: recording an event id failed", slog.String("event_id", e.EventID), slog.String("err", err.Error()))
		return true
	}
	if !fresh {
		a.log.LogAttrs(ctx, slog.LevelInfo, "slack event already handled; ignored",
			slog.String("team", e.TeamID), slog.String("event_id", e.EventID), slog.String("retry", retry))
	}
	return fresh
}

// serveInteractive handles buttons and form submissions. The payload is
// read from the verified body only (never the URL's query), so a signed
// request cannot carry a payload smuggled in beside it.
func (a *App) serveInteractive(w http.ResponseWriter, r *http.Request, body []byte) {
	vals, err := url.ParseQuery(string(body))
	payload := vals.Get("payload")
	if err != nil || payload == "" {
		http.Error(w, "no payload", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(payload), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	in := newInteraction(&cb)
	switch in.Type {
	case slack.InteractionTypeViewSubmission:
		ctx, cancel := context.WithTimeout(r.Context(), ackBudget)
		vr := a.h.handleViewSubmission(ctx, in)
		cancel()
		if vr.later != nil && !a.schedule(vr.later) {
			a.log.LogAttrs(r.Context(), slog.LevelWarn, "slack: busy; confirmation dropped", slog.String("user", in.UserID))
		}
		if vr.resp != nil {
			writeJSON(w, vr.resp)
			return
		}
		w.WriteHeader(http.StatusOK)
	case slack.InteractionTypeBlockActions:
		if fn := a.h.handleBlockAction(in); fn != nil && !a.schedule(fn) {
			a.log.LogAttrs(r.Context(), slog.LevelWarn, "slack: busy; button not handled",
				slog.String("user", in.UserID), slog.String("action", in.ActionID))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}
