package telegram

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows"
)

// msgUnreadable is what the adapter adds in front of the conversation's
// own answer to a message with no words.
const msgUnreadable = "I can only read text messages and buttons."

// job is one update being answered.
type job struct {
	in   inbound
	done chan struct{}
	// handled is set before done is closed: true once the update has been
	// answered (or skipped as answered before), false if it was handed
	// back unanswered because the bot is stopping.
	handled bool
}

// dispatcher answers updates: one goroutine per chat with work, taking
// that chat's updates in the order they were submitted, so different chats
// run in parallel and each chat in order.
type dispatcher struct {
	b *Bot
	// ctx is the context of the work; cancel ends it when the shutdown
	// grace period is over.
	ctx    context.Context
	cancel context.CancelFunc
	// onDone, if set, is told about every finished job (the poller's
	// offset bookkeeping). It is called without d.mu held.
	onDone func(j *job)

	mu     sync.Mutex
	queues map[int64][]*job // present while the chat's goroutine runs
	// jobs holds the jobs submitted and not finished, by update id, and
	// finished ones until their mark is on disk, so that a redelivery in
	// between is not answered again.
	jobs     map[int]*job
	stopping bool
	wg       sync.WaitGroup // chat goroutines
}

func newDispatcher(b *Bot) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &dispatcher{b: b, ctx: ctx, cancel: cancel, queues: map[int64][]*job{}, jobs: map[int]*job{}}
}

// submit queues an update behind its chat's earlier ones. If the update
// is already queued or running, it returns that job. ok is false once the
// dispatcher is stopping.
func (d *dispatcher) submit(in inbound) (j *job, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if j, ok := d.jobs[in.update]; ok {
		return j, true
	}
	if d.stopping {
		return nil, false
	}
	j = &job{in: in, done: make(chan struct{})}
	d.jobs[in.update] = j
	q, running := d.queues[in.chat]
	d.queues[in.chat] = append(q, j)
	if !running {
		d.wg.Add(1)
		go d.work(in.chat)
	}
	return j, true
}

// work answers chat's updates until its queue is empty.
func (d *dispatcher) work(chat int64) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		q := d.queues[chat]
		if len(q) == 0 || d.stopping {
			delete(d.queues, chat)
			for _, j := range q {
				d.finishLocked(j, false, false)
			}
			d.mu.Unlock()
			for _, j := range q {
				d.notify(j)
			}
			return
		}
		j := q[0]
		d.queues[chat] = q[1:]
		d.mu.Unlock()

		handled, mark := d.b.processSafely(d.ctx, j.in)

		// The update is finished (the offset may move past it, a webhook
		// request may return) before its mark is written: the mark only
		// protects it until Telegram is told not to send it again. The
		// chat's next update waits for the mark, so that a crash can
		// catch at most one answered and unmarked update per chat.
		d.mu.Lock()
		d.finishLocked(j, handled, mark)
		d.mu.Unlock()
		d.notify(j)
		if mark {
			d.b.markSeen(j.in)
			d.mu.Lock()
			if d.jobs[j.in.update] == j {
				delete(d.jobs, j.in.update)
			}
			d.mu.Unlock()
		}
	}
}

// finishLocked records the job's outcome and wakes whoever waits on it.
// A job whose mark is being written stays in d.jobs until it is written.
func (d *dispatcher) finishLocked(j *job, handled, marking bool) {
	if !marking {
		delete(d.jobs, j.in.update)
	}
	j.handled = handled
	close(j.done)
}

func (d *dispatcher) notify(j *job) {
	if d.onDone != nil {
		d.onDone(j)
	}
}

// stop takes no more updates, hands back those not started, lets those
// running finish for up to grace, then cancels them, and waits for every
// chat goroutine to end (and so every mark to be written).
func (d *dispatcher) stop(grace time.Duration) {
	d.mu.Lock()
	d.stopping = true
	d.mu.Unlock()
	finished := make(chan struct{})
	go func() { d.wg.Wait(); close(finished) }()
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-finished:
	case <-t.C:
		d.b.log.Warn("shutdown grace period over: cancelling updates still being answered; they come again after a restart")
		d.cancel()
		<-finished
	}
	d.cancel()
}

// cosmeticTimeout bounds calls that only tidy the chat (answering a
// button's spinner, taking old buttons off), so that retries and rate
// limits on them never delay an answer.
const cosmeticTimeout = 2 * time.Second

// processSafely is process with a recovered panic: the update counts as
// answered (a poison update must not block the chat, or the offset, for
// ever) and only the panic's type is logged.
func (b *Bot) processSafely(ctx context.Context, in inbound) (handled, mark bool) {
	defer func() {
		if p := recover(); p != nil {
			b.logFor(in).Error("panic while answering an update", "panic_type", fmt.Sprintf("%T", p))
			handled, mark = true, true
			b.apologise(ctx, in)
		}
	}()
	return b.process(ctx, in)
}

// apologise sends, best effort, the apology that carries 999, so that a
// fault never leaves a person without the number.
func (b *Bot) apologise(ctx context.Context, in inbound) {
	defer func() {
		if p := recover(); p != nil {
			b.logFor(in).Error("panic while apologising", "panic_type", fmt.Sprintf("%T", p))
		}
	}()
	actx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, om := range render(flows.Apology(nil), func(string, int) {}) {
		if _, err := b.sendMessage(actx, b.logFor(in), in.chat, in.replyTo(), om); err != nil {
			b.logFor(in).Error("sending the apology failed", "err", err)
			return
		}
	}
}

// process answers one update. handled is false only when ctx ended before
// the answer was complete: the update is then not marked and comes again
// after a restart (at least once). Send failures after the last retry are
// logged and counted, and the update counts as answered: retrying it
// later would repeat the replies that did go out. mark says the update
// must now be marked answered (MarkSeen), which the caller does.
//
// Order: skip the update if it was answered before (Seen); answer the
// callback query; skip a button pressed again within DoublePressWindow;
// run the conversation; after /forget in a private chat, delete the
// chat's messages and say what was and was not deleted; send every reply
// in order; only then mark the update answered (the dispatcher does, after
// letting the offset move past the update).
//
// In a group, every message of the answer is a reply to the person's
// message (to the bot's message whose button was pressed, for a button):
// other people's messages can fall between the bot's, which come at most
// one a second in a chat after a short burst and may be split at 4,096
// characters, so each part shows whom it answers. Private chats have one
// person and are not threaded.
func (b *Bot) process(ctx context.Context, in inbound) (handled, mark bool) {
	start := time.Now()
	log := b.logFor(in)
	now := b.cfg.Now()
	id := strconv.Itoa(in.update)
	if seen, err := b.store.Seen(ctx, SeenNamespace, id, now); err != nil {
		log.Error("checking whether the update was answered failed; answering it", "err", err)
	} else if seen {
		log.Info("update already answered before a restart; skipped")
		return true, false
	}

	if in.callbackID != "" {
		// Stops the button's spinner. Cosmetic, so one quick try: the
		// answer must not wait on it.
		cctx, cancel := context.WithTimeout(ctx, cosmeticTimeout)
		if err := b.request(cctx, "answerCallbackQuery", in.chat, classFree, tgbotapi.NewCallback(in.callbackID, "")); err != nil {
			log.Warn("answering the button press failed", "err", err)
		}
		cancel()
	}
	if in.kind == kindAnswerOnly {
		return true, true
	}
	press := pressKey{chat: in.chat, msg: in.pressed, data: in.choice}
	if in.kind == kindChoice && b.presses.repeat(press, now) {
		log.Info("the same button pressed again at once; answered the first press only")
		return true, true
	}

	m := bot.Message{Channel: channelName, Conversation: strconv.FormatInt(in.chat, 10)}
	var prefix string
	switch in.kind {
	case kindText:
		m.Text = in.text
	case kindChoice:
		m.Choice = in.choice
	case kindUnreadable:
		// /help is the conversation's own short answer that carries the
		// 999 line from the directory, and the menu.
		m.Text = "/help"
		prefix = msgUnreadable
	}
	resp, err := b.h.Handle(ctx, m)
	if err != nil {
		return false, false
	}
	if in.kind == kindChoice {
		b.presses.record(press, now)
	}
	replies := resp.Replies
	if prefix != "" {
		replies = append([]flows.Reply{{Text: prefix}}, replies...)
	}

	var msgs *msgLog
	if in.private {
		msgs = b.loadMsgLog(ctx, log, in.chat, now)
		if in.msgID != 0 {
			msgs.add(in.msgID, in.date)
		}
	}
	if resp.Forget && in.private {
		report := resp.Forgotten
		report.CanDeleteMessages = true
		report.Deleted, report.TooOld, report.Failed = b.forget(ctx, log, in.chat, msgs, now)
		replies = resp.ForgetReplies(report)
		msgs = nil // the forget reply itself is not remembered
	}
	replyTo := in.replyTo()

	out := render(replies, func(what string, n int) {
		log.Warn("left a button out", "button", what, "bytes", n)
	})
	sent, failed := 0, 0
	for _, om := range out {
		msg, err := b.sendMessage(ctx, log, in.chat, replyTo, om)
		if err != nil {
			if ctx.Err() != nil {
				b.saveMsgLog(log, in.chat, msgs, now)
				log.Warn("stopped while answering; the update will be answered again after a restart", "sent", sent)
				return false, false
			}
			failed++
			b.metrics.SendFailed(channelName)
			log.Error("gave up sending a reply", "err", err, "part", sent+failed, "of", len(out))
			continue
		}
		sent++
		if msgs != nil {
			msgs.add(msg.MessageID, msg.Date)
		}
	}
	b.saveMsgLog(log, in.chat, msgs, now)
	if in.kind == kindChoice {
		// Tidying the pressed message's buttons comes after the answer
		// (it may be 999) and never holds it up.
		cctx, cancel := context.WithTimeout(ctx, cosmeticTimeout)
		b.clearButtons(cctx, log, in)
		cancel()
	}
	log.Debug("update answered", "kind", int(in.kind), "sent", sent, "failed", failed, "forget", resp.Forget, "duration", time.Since(start))
	return true, true
}

// markSeen remembers that the update was answered, durably. It has its own
// context: it runs even while the bot stops, since the replies are out
// and forgetting that would repeat them after a restart.
func (b *Bot) markSeen(in inbound) {
	mctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	exp := b.cfg.Now().Add(b.cfg.SeenTTL)
	if _, err := b.store.MarkSeen(mctx, SeenNamespace, strconv.Itoa(in.update), exp); err != nil {
		b.logFor(in).Error("remembering an answered update failed; a restart may answer it again", "err", err)
	}
}

// sendMessage sends one rendered message, as a reply to message replyTo if
// it is not 0 (sent all the same if that message is gone). If Telegram
// refuses it with a 400 (which escaping should make impossible, but a
// person must never be left without the answer), it is sent once more as
// plain text, without URL buttons.
func (b *Bot) sendMessage(ctx context.Context, log updateLog, chat int64, replyTo int, om outMessage) (sentMessage, error) {
	mc := tgbotapi.NewMessage(chat, om.html)
	mc.ParseMode = tgbotapi.ModeHTML
	mc.DisableWebPagePreview = true
	if om.keyboard != nil {
		mc.ReplyMarkup = *om.keyboard
	}
	threadTo(&mc, replyTo)
	msg, err := b.send(ctx, chat, mc)
	if err == nil || codeOf(err) != 400 {
		return msg, err
	}
	log.Warn("Telegram refused a reply; sending it as plain text", "err", err)
	mc = tgbotapi.NewMessage(chat, om.plain())
	mc.DisableWebPagePreview = true
	if om.plainKeyboard != nil {
		mc.ReplyMarkup = *om.plainKeyboard
	}
	threadTo(&mc, replyTo)
	return b.send(ctx, chat, mc)
}

// threadTo makes mc a reply to message id, if id is not 0. Telegram sends
// it even if that message was deleted meanwhile: the answer matters more
// than the thread.
func threadTo(mc *tgbotapi.MessageConfig, id int) {
	if id != 0 {
		mc.ReplyToMessageID = id
		mc.AllowSendingWithoutReply = true
	}
}

// sentMessage is what the bot keeps of a message it sent.
type sentMessage struct {
	MessageID int
	Date      int64
}

// send sends one message. It reads only the id and date out of Telegram's
// answer: decoding the whole Message, as tgbotapi's Send does, costs more
// than the rest of the call. An answer it cannot read is not an error (the
// message was sent; sending it again would repeat it): the id is then 0,
// and /forget cannot delete that message.
func (b *Bot) send(ctx context.Context, chat int64, mc tgbotapi.MessageConfig) (sentMessage, error) {
	var msg sentMessage
	var readErr error
	err := b.call(ctx, "sendMessage", chat, classChat, func(api *tgbotapi.BotAPI) error {
		resp, err := api.Request(mc)
		if err != nil {
			return err
		}
		v, err := topInts(resp.Result, "message_id", "date")
		if err != nil {
			readErr = err
			return nil
		}
		msg = sentMessage{MessageID: int(v[0]), Date: v[1]}
		return nil
	})
	if err == nil && readErr != nil {
		b.log.Warn("sent a message but could not read its id", "err", readErr)
		msg = sentMessage{}
	}
	return msg, err
}

// clearButtons takes the callback buttons off the message whose button was
// pressed, so old questions do not pile up answerable buttons (they would
// still work: a button's meaning is in its id). URL buttons stay.
func (b *Bot) clearButtons(ctx context.Context, log updateLog, in inbound) {
	if in.pressedMarkup == nil || in.pressed == 0 {
		return
	}
	keep := [][]tgbotapi.InlineKeyboardButton{}
	changed := false
	for _, row := range in.pressedMarkup.InlineKeyboard {
		var r []tgbotapi.InlineKeyboardButton
		for _, btn := range row {
			if btn.URL != nil {
				r = append(r, btn)
			} else {
				changed = true
			}
		}
		if len(r) > 0 {
			keep = append(keep, r)
		}
	}
	if !changed {
		return
	}
	edit := tgbotapi.NewEditMessageReplyMarkup(in.chat, in.pressed, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: keep})
	if err := b.request(ctx, "editMessageReplyMarkup", in.chat, classGlobal, edit); err != nil {
		// 400 "message is not modified" (pressed twice) and the like.
		log.Debug("could not take the buttons off the pressed message", "err", err)
	}
}
