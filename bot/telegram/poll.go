package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pollLimit is the most updates one getUpdates returns (Telegram's
// maximum), and so the most updates in flight while polling.
const pollLimit = 100

// cursorEvery is how often, at most, the offset is stored while polling
// (and once more when Run stops). A stored offset that lags is harmless:
// Telegram itself forgets updates below the last offset it was asked
// for, and answered updates above the stored one are skipped as Seen.
const cursorEvery = time.Second

// idlePoll is how often the poller looks for new updates while earlier
// ones are still being answered (a long poll would return at once with the
// unconfirmed ones).
const idlePoll = 250 * time.Millisecond

// allowedUpdates are the update kinds the bot asks for.
func allowedUpdates() []string { return []string{"message", "edited_message", "callback_query"} }

// window tracks the updates received and not yet confirmed, to compute the
// offset: the lowest update id not yet answered. Telegram forgets every
// update below the offset of a getUpdates call, so the poller only ever
// asks with this offset, and stores it: an update is confirmed to Telegram
// only once it, and every update before it, has been answered.
type window struct {
	mu sync.Mutex
	// ids are the update ids received and not below next, ascending; done
	// marks those answered.
	ids  []int
	done map[int]bool
	next int // the offset
	// progress is signalled (without blocking) whenever an update finishes.
	progress chan struct{}
}

func newWindow(offset int) *window {
	return &window{done: map[int]bool{}, next: offset, progress: make(chan struct{}, 1)}
}

// offset is the lowest update id not yet answered (or the next to come).
func (w *window) offset() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.next
}

// size is how many received updates are above the offset (answered or
// not): a getUpdates returns them again before any new one.
func (w *window) size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.ids)
}

// known reports whether an update id was received already (or answered:
// below the offset).
func (w *window) known(id int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id < w.next {
		return true
	}
	i := sort.SearchInts(w.ids, id)
	return i < len(w.ids) && w.ids[i] == id
}

// add records a newly received update id; it reports false if the id was
// already received (or answered: below the offset).
func (w *window) add(id int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id < w.next {
		return false
	}
	i := sort.SearchInts(w.ids, id)
	if i < len(w.ids) && w.ids[i] == id {
		return false
	}
	w.ids = append(w.ids, 0)
	copy(w.ids[i+1:], w.ids[i:])
	w.ids[i] = id
	return true
}

// finish records the outcome of an update; an answered one at the bottom
// of the window moves the offset up.
func (w *window) finish(id int, handled bool) {
	w.mu.Lock()
	if handled {
		w.done[id] = true
	}
	for len(w.ids) > 0 && w.done[w.ids[0]] {
		delete(w.done, w.ids[0])
		w.next = w.ids[0] + 1
		w.ids = w.ids[1:]
	}
	if len(w.ids) > 0 {
		w.next = w.ids[0]
	}
	w.mu.Unlock()
	select {
	case w.progress <- struct{}{}:
	default:
	}
}

// runPolling is Run in polling mode.
func (b *Bot) runPolling(ctx context.Context, d *dispatcher) error {
	// getUpdates is refused (409) while a webhook is set.
	if err := b.request(ctx, "deleteWebhook", 0, classFree, tgbotapi.DeleteWebhookConfig{}); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if codeOf(err) == http.StatusUnauthorized {
			return fmt.Errorf("%w (deleteWebhook answered 401)", ErrUnauthorized)
		}
		b.log.Warn("deleteWebhook failed; polling anyway", "err", err)
	} else {
		b.setReady(nil) // the API answers; a failing getUpdates says otherwise
	}
	start := 0
	if v, ok, err := b.store.Cursor(ctx, CursorName); err != nil {
		return fmt.Errorf("telegram: reading the update offset: %w", err)
	} else if ok {
		start = int(v)
	}
	w := newWindow(start)
	d.onDone = func(j *job) { w.finish(j.in.update, j.handled) }
	b.disp.Store(d)

	err := b.poll(ctx, d, w)

	b.disp.Store(nil)
	d.stop(b.cfg.ShutdownGrace)
	// Store where to start next time, even though ctx is done.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	off := w.offset()
	if serr := b.store.SetCursor(sctx, CursorName, int64(off)); serr != nil {
		b.log.Error("storing the update offset failed", "offset", off, "err", serr)
		err = errors.Join(err, fmt.Errorf("telegram: storing the update offset: %w", serr))
	}
	b.log.Info("stopped polling", "offset", off)
	return err
}

// poll is the polling loop; it returns nil when ctx is done, or an error
// if Telegram refuses the token.
func (b *Bot) poll(ctx context.Context, d *dispatcher, w *window) error {
	stored, storedAt := w.offset(), time.Now()
	failures := 0
	for ctx.Err() == nil {
		timeout := b.cfg.PollTimeout
		if w.size() > 0 {
			timeout = 0
		}
		updates, err := b.getUpdates(ctx, w.offset(), timeout, w.known)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			failures++
			b.setReady(fmt.Errorf("telegram: getUpdates failing (%d in a row): %w", failures, err))
			if codeOf(err) == http.StatusUnauthorized {
				return fmt.Errorf("%w (getUpdates answered 401)", ErrUnauthorized)
			}
			if codeOf(err) == http.StatusConflict {
				b.log.Error("another process is taking this bot's updates (409): is a second whereto running with the same token?", "err", err)
			} else if failures == 1 || failures%10 == 0 {
				b.log.Warn("getUpdates failed; retrying", "err", err, "failures", failures)
			}
			if sleep(ctx, b.backoff(min(failures, 7))) != nil {
				return nil
			}
			continue
		}
		if failures > 0 {
			b.log.Info("getUpdates works again", "after_failures", failures)
			failures = 0
		}
		b.setReady(nil)

		fresh := 0
		for _, u := range updates {
			if !w.add(u.UpdateID) {
				continue
			}
			fresh++
			in, ok := b.convert(u)
			if !ok {
				w.finish(u.UpdateID, true)
				continue
			}
			if _, ok := d.submit(in); !ok {
				w.finish(u.UpdateID, false)
			}
		}
		if off := w.offset(); off != stored && time.Since(storedAt) >= cursorEvery {
			storedAt = time.Now()
			if err := b.store.SetCursor(ctx, CursorName, int64(off)); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				b.log.Error("storing the update offset failed", "offset", off, "err", err)
			} else {
				stored = off
			}
		}
		b.awaitRoom(ctx, w, fresh > 0)
	}
	return nil
}

// awaitRoom waits until polling again is worth it: at once if nothing is
// in flight (the next call is a long poll), or if the last call brought
// new updates and half the window is free; otherwise when updates finish,
// or every idlePoll while something is in flight and there is room (a
// slow chat must not keep new messages of other chats waiting long).
func (b *Bot) awaitRoom(ctx context.Context, w *window, fresh bool) {
	deadline := time.Now().Add(idlePoll)
	for {
		n := w.size()
		if n == 0 || (fresh && n <= pollLimit/2) {
			return
		}
		wait := time.Until(deadline)
		if n < pollLimit && wait <= 0 {
			return
		}
		if n >= pollLimit {
			wait = time.Hour // only progress can make room
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.progress:
			fresh = true
		case <-t.C:
		}
		t.Stop()
	}
}

// getUpdates asks for up to pollLimit updates from offset, waiting up to
// timeout for one to come, and returns those for which known is false.
// getUpdates answers the updates in flight again, with the new ones after
// them; only the new ones are decoded in full.
func (b *Bot) getUpdates(ctx context.Context, offset int, timeout time.Duration, known func(id int) bool) ([]tgbotapi.Update, error) {
	p := tgbotapi.Params{}
	p.AddNonZero("offset", offset)
	p.AddNonZero("limit", pollLimit)
	p.AddNonZero("timeout", int((timeout+time.Second-1)/time.Second)) // whole seconds, rounded up
	if err := p.AddInterface("allowed_updates", allowedUpdates()); err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout+callTimeout)
	defer cancel()
	resp, err := b.api(cctx).MakeRequest("getUpdates", p)
	if err != nil {
		return nil, b.red.classify("getUpdates", err)
	}
	raws, err := splitArray(resp.Result)
	if err != nil {
		return nil, b.red.classify("getUpdates", err)
	}
	var out []tgbotapi.Update
	for _, raw := range raws {
		id, err := updateID(raw)
		if err != nil {
			return nil, b.red.classify("getUpdates", err)
		}
		if known(id) {
			continue
		}
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			// Skipped (an empty update is not answered), not retried for
			// ever.
			b.log.Error("skipping an update that cannot be read", "update", id, "err", err)
			u = tgbotapi.Update{UpdateID: id}
		}
		out = append(out, u)
	}
	return out, nil
}

// updateID reads the update_id of a raw update without decoding the rest.
func updateID(raw []byte) (int, error) {
	v, err := topInts(raw, "update_id")
	if err != nil {
		return 0, err
	}
	return int(v[0]), nil
}
