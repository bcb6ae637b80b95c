package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
)

// SecretHeader is the header in which Telegram sends the webhook secret.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// runWebhook is Run in webhook mode.
func (b *Bot) runWebhook(ctx context.Context, d *dispatcher) error {
	allowed, _ := json.Marshal(allowedUpdates())
	p := map[string]string{
		"url":             b.cfg.WebhookURL,
		"secret_token":    string(b.secret),
		"allowed_updates": string(allowed),
		"max_connections": strconv.Itoa(b.cfg.WebhookConnections),
	}
	if err := b.raw(ctx, "setWebhook", p); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if codeOf(err) == http.StatusUnauthorized {
			return fmt.Errorf("%w (setWebhook answered 401)", ErrUnauthorized)
		}
		return fmt.Errorf("telegram: registering the webhook: %w", err)
	}
	b.disp.Store(d)
	if _, err := b.resume(ctx, d); err != nil {
		b.disp.Store(nil)
		d.stop(b.cfg.ShutdownGrace)
		return err
	}
	b.setReady(nil)
	b.log.Info("webhook registered; taking updates")
	<-ctx.Done()
	b.disp.Store(nil)
	b.setReady(errors.New("telegram: stopping"))
	d.stop(b.cfg.ShutdownGrace)
	b.log.Info("stopped taking webhook updates")
	return nil
}

// serveWebhook takes one update from Telegram. A request without the
// right secret header gets 401 and nothing else is read. While the
// backlog is full (MaxBacklog) the answer is 429 at once, before the body
// is read: Telegram sends the update again later, and nothing piles up
// here. The body is read up to MaxBody (413 beyond). The update is
// written to the inbox and answered 200 once it is on disk; it is
// answered from there. An update the library cannot decode is answered
// 200 too (logged and counted), as polling skips it: otherwise Telegram
// would send it again for ever. 503 means the bot is not running, or the
// inbox could not be written: Telegram sends the update again.
func (b *Bot) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), b.secret) != 1 || len(b.secret) == 0 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	d := b.disp.Load()
	if d == nil {
		unavailable(w)
		return
	}
	if d.backlog() >= b.cfg.MaxBacklog {
		b.metrics.UpdatesSkipped(channelName, bot.SkipBacklog, 1)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many updates waiting; send it again later", http.StatusTooManyRequests)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the request", http.StatusBadRequest)
		return
	}
	id, err := updateID(body)
	if err != nil {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	var u tgbotapi.Update
	if err := json.Unmarshal(body, &u); err != nil {
		b.log.Error("skipping an update that cannot be read", "update", id, "err", err)
		b.metrics.UpdatesSkipped(channelName, bot.SkipUndecodable, 1)
		w.WriteHeader(http.StatusOK)
		return
	}
	in, ok := b.convert(u)
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := b.take(r.Context(), d, []inbound{in}); err != nil {
		b.log.Error("could not take a webhook update; Telegram will send it again", "update", id, "err", err)
		unavailable(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func unavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, "try again later", http.StatusServiceUnavailable)
}
