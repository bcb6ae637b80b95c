package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
)

// pollLimit is the most updates one getUpdates returns (Telegram's
// maximum).
const pollLimit = 100

// cursorEvery is how often, at most, the offset is stored while polling
// (and once more when Run stops). A stored offset that lags is harmless:
// Telegram itself forgets updates below the last offset it was asked
// for, and updates it sends again are skipped by the inbox (held, or
// answered and remembered as done).
const cursorEvery = time.Second

// allowedUpdates are the update kinds the bot asks for.
func allowedUpdates() []string { return []string{"message", "edited_message", "callback_query"} }

// runPolling is Run in polling mode.
func (b *Bot) runPolling(ctx context.Context, d *dispatcher) error {
	// getUpdates is refused (409) while a webhook is set.
	answers := true
	if err := b.request(ctx, "deleteWebhook", 0, classFree, tgbotapi.DeleteWebhookConfig{}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if codeOf(err) == http.StatusUnauthorized {
			return fmt.Errorf("%w (deleteWebhook answered 401)", ErrUnauthorized)
		}
		b.log.Warn("deleteWebhook failed; polling anyway", "err", err)
		answers = false
	}
	offset := 0
	if v, ok, err := b.store.Cursor(ctx, CursorName); err != nil {
		return fmt.Errorf("telegram: reading the update offset: %w", err)
	} else if ok {
		offset = int(v)
	}
	b.disp.Store(d)
	top, err := b.resume(ctx, d)
	if err != nil {
		b.disp.Store(nil)
		d.stop(b.cfg.ShutdownGrace)
		return err
	}
	next, err := b.store.InboxNext(ctx, InboxNamespace)
	if err != nil {
		b.disp.Store(nil)
		d.stop(b.cfg.ShutdownGrace)
		return fmt.Errorf("telegram: reading the inbox: %w", err)
	}
	// Past every update ever taken: Telegram never sends one of them
	// again, so answered updates need no done marks while polling.
	offset = max(offset, int(top)+1, int(next))
	if answers {
		b.setReady(nil) // the API answers; a failing getUpdates says otherwise
	}

	offset, err = b.poll(ctx, d, offset)

	b.disp.Store(nil)
	d.stop(b.cfg.ShutdownGrace)
	// Store where to start next time, even though ctx is done.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if serr := b.store.SetCursor(sctx, CursorName, int64(offset)); serr != nil {
		b.log.Error("storing the update offset failed", "offset", offset, "err", serr)
		err = errors.Join(err, fmt.Errorf("telegram: storing the update offset: %w", serr))
	}
	b.log.Info("stopped polling", "offset", offset)
	return err
}

// poll is the polling loop. Each getUpdates asks from the offset past
// every update already in the inbox, which confirms them to Telegram: so
// the bot never fetches again what it holds, and a slow chat never holds
// up the window. It returns the offset reached, and an error only if
// Telegram refuses the token.
func (b *Bot) poll(ctx context.Context, d *dispatcher, offset int) (int, error) {
	stored, storedAt := offset, time.Now()
	failures := 0
	fail := func(what string, err error) bool {
		failures++
		b.setReady(fmt.Errorf("telegram: %s failing (%d in a row): %w", what, failures, err))
		if failures == 1 || failures%10 == 0 {
			b.log.Warn(what+" failed; retrying", "err", err, "failures", failures)
		}
		return sleep(ctx, b.backoff(min(failures, 7))) == nil
	}
	for ctx.Err() == nil {
		// While the backlog is full, updates wait at Telegram, not here.
		if !d.awaitRoom(ctx, b.cfg.MaxBacklog) {
			break
		}
		updates, next, err := b.getUpdates(ctx, offset, b.cfg.PollTimeout)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if codeOf(err) == http.StatusUnauthorized {
				return offset, fmt.Errorf("%w (getUpdates answered 401)", ErrUnauthorized)
			}
			if codeOf(err) == http.StatusConflict {
				b.log.Error("another process is taking this bot's updates (409): is a second whereto running with the same token?", "err", err)
			}
			if !fail("getUpdates", err) {
				break
			}
			continue
		}
		ins := make([]inbound, 0, len(updates))
		for _, u := range updates {
			if in, ok := b.convert(u); ok {
				ins = append(ins, in)
			}
		}
		if err := b.take(ctx, d, ins); err != nil {
			// Not confirmed: Telegram sends them again.
			if ctx.Err() != nil || !fail("the inbox", err) {
				break
			}
			continue
		}
		if failures > 0 {
			b.log.Info("polling works again", "after_failures", failures)
			failures = 0
		}
		b.setReady(nil)
		offset = next
		if offset != stored && time.Since(storedAt) >= cursorEvery {
			storedAt = time.Now()
			if err := b.store.SetCursor(ctx, CursorName, int64(offset)); err != nil {
				if ctx.Err() != nil {
					break
				}
				b.log.Error("storing the update offset failed", "offset", offset, "err", err)
			} else {
				stored = offset
			}
		}
	}
	return offset, nil
}

// awaitRoom waits until fewer than limit jobs are queued or being
// answered; it returns false if ctx ended first.
func (d *dispatcher) awaitRoom(ctx context.Context, limit int) bool {
	for d.backlog() >= limit {
		select {
		case <-ctx.Done():
			return false
		case <-d.room:
		}
	}
	return ctx.Err() == nil
}

// getUpdates asks for up to pollLimit updates from offset, waiting up to
// timeout for one to come. It returns them and the offset after them. An
// update that cannot be decoded is skipped (logged and counted), not
// fetched again for ever.
func (b *Bot) getUpdates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, int, error) {
	p := tgbotapi.Params{}
	p.AddNonZero("offset", offset)
	p.AddNonZero("limit", pollLimit)
	p.AddNonZero("timeout", int((timeout+time.Second-1)/time.Second)) // whole seconds, rounded up
	if err := p.AddInterface("allowed_updates", allowedUpdates()); err != nil {
		return nil, offset, err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout+callTimeout)
	defer cancel()
	resp, err := b.api(cctx).MakeRequest("getUpdates", p)
	if err != nil {
		return nil, offset, b.red.classify("getUpdates", err)
	}
	raws, err := splitArray(resp.Result)
	if err != nil {
		return nil, offset, b.red.classify("getUpdates", err)
	}
	out := make([]tgbotapi.Update, 0, len(raws))
	next := offset
	for _, raw := range raws {
		id, err := updateID(raw)
		if err != nil {
			return nil, offset, b.red.classify("getUpdates", err)
		}
		next = max(next, id+1)
		if id < offset {
			continue // Telegram confirmed it already
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			b.log.Error("skipping an update that cannot be read", "update", id, "err", err)
			b.metrics.UpdatesSkipped(channelName, bot.SkipUndecodable, 1)
			continue
		}
		out = append(out, u)
	}
	return out, next, nil
}

// updateID reads the update_id of a raw update without decoding the rest.
func updateID(raw []byte) (int, error) {
	v, err := topInts(raw, "update_id")
	if err != nil {
		return 0, err
	}
	return int(v[0]), nil
}
