package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SecretHeader is the header in which Telegram sends the webhook secret.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// webhookWait is how long a webhook request waits for its update to be
// answered before telling Telegram to deliver it again later (503). An
// update redelivered while still being answered waits for the same answer;
// one redelivered after it was answered is acknowledged at once (Seen).
const webhookWait = 20 * time.Second

// runWebhook is Run in webhook mode.
func (b *Bot) runWebhook(ctx context.Context, d *dispatcher) error {
	allowed, _ := json.Marshal(allowedUpdates())
	p := map[string]string{
		"url":             b.cfg.WebhookURL,
		"secret_token":    string(b.secret),
		"allowed_updates": string(allowed),
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
// right secret header gets 401 and nothing else is read. The body is read
// up to MaxBody (413 beyond). The answer is 200 once the update has been
// answered (or was answered before, or is not for the bot), and 503 if the
// bot is not running or stopping, or answering takes too long: Telegram
// then delivers it again, so an update is never lost.
func (b *Bot) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), b.secret) != 1 || len(b.secret) == 0 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, b.cfg.MaxBody)
	var u tgbotapi.Update
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	d := b.disp.Load()
	if d == nil {
		unavailable(w)
		return
	}
	in, ok := b.convert(u)
	if !ok {
		w.WriteHeader(http.StatusOK)
		return
	}
	j, ok := d.submit(in)
	if !ok {
		unavailable(w)
		return
	}
	t := time.NewTimer(webhookWait)
	defer t.Stop()
	select {
	case <-j.done:
		if j.handled {
			w.WriteHeader(http.StatusOK)
			return
		}
		unavailable(w)
	case <-t.C:
		unavailable(w)
	case <-r.Context().Done():
	}
}

func unavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, "try again later", http.StatusServiceUnavailable)
}
