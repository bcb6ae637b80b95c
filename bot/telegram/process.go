package telegram

import (
	"context"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// tr returns the adapter's words for key in language l, from the message
// catalogue (flows/lang, keys telegram.*). The key is always a literal, so
// that the catalogue's tests can find it.
func tr(l lang.Lang, key string) string {
	return lang.T(l, key)
}

// cosmeticTimeout bounds calls that only tidy the chat (answering a
// button's spinner, taking old buttons off), so that retries and rate
// limits on them never delay an answer.
const cosmeticTimeout = 2 * time.Second

// processSafely is process with a recovered panic: the update counts as
// answered (a poison update must not block the chat, or the offset, for
// ever) and only the panic's type is logged.
func (b *Bot) processSafely(ctx context.Context, j *job) (handled bool) {
	defer func() {
		if p := recover(); p != nil {
			b.logFor(j.in).Error("panic while answering an update", "panic_type", fmt.Sprintf("%T", p))
			handled = true
			b.apologise(ctx, j.in)
		}
	}()
	return b.process(ctx, j)
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
	for _, om := range render(flows.Apology(nil, lang.Of(in.lang)), func(string, int) {}) {
		if _, err := b.sendMessage(actx, b.logFor(in), in.chat, in.replyTo(), om); err != nil {
			b.logFor(in).Error("sending the apology failed", "err", err)
			return
		}
	}
}

// process answers one job: an update, or several of one chat merged.
// handled is false only when ctx ended before the answer was complete: the
// job's updates then stay in the inbox and are answered after a restart
// (at least once). Send failures after the last retry are logged and
// counted, and the job counts as answered: answering it again later would
// repeat the replies that did go out.
//
// Order: answer the callback queries (stopping the spinners, merged-away
// presses too); skip a button pressed again within DoublePressWindow; run
// the conversation; after /forget in a private chat, delete the chat's
// messages and say what was and was not deleted; send every reply in
// order. The dispatcher then takes the job out of the inbox.
//
// In a group, every message of the answer is a reply to the person's
// message (to the bot's message whose button was pressed, for a button):
// other people's messages can fall between the bot's, which come at most
// one a second in a chat after a short burst and may be split at 4,096
// characters, so each part shows whom it answers. Private chats have one
// person and are not threaded.
func (b *Bot) process(ctx context.Context, j *job) (handled bool) {
	in := j.in
	start := time.Now()
	log := b.logFor(in)
	now := b.cfg.Now()
	for _, cb := range j.callbacks {
		b.answerCallback(ctx, log, in.chat, cb)
	}
	if in.callbackID != "" {
		b.answerCallback(ctx, log, in.chat, in.callbackID)
	}
	if in.kind == kindAnswerOnly {
		return true
	}
	press := pressKey{chat: in.chat, msg: in.pressed, data: in.choice}
	if in.kind == kindChoice && j.merged == bot.NotMerged && b.presses.repeat(press, now) {
		log.Info("the same button pressed again at once; answered the first press only")
		return true
	}

	m := bot.Message{Channel: channelName, Conversation: strconv.FormatInt(in.chat, 10), Merged: j.merged, Lang: in.lang}
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
	}
	resp, err := b.h.Handle(ctx, m)
	if err != nil {
		return false
	}
	if in.kind == kindUnreadable {
		// The adapter's words go in front of the conversation's own
		// answer, in its language.
		prefix = tr(resp.Lang, "telegram.unreadable")
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
		for _, mm := range j.msgs {
			msgs.add(int(mm[0]), mm[1])
		}
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
	if lang.RTL(resp.Lang) {
		replies = rightToLeft(replies)
	}

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
				return false
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
	log.Debug("update answered", "kind", int(in.kind), "merged", len(j.ids), "sent", sent, "failed", failed, "forget", resp.Forget, "duration", time.Since(start))
	return true
}

// answerCallback stops a pressed button's spinner. Cosmetic, so one quick
// try: the answer must not wait on it.
func (b *Bot) answerCallback(ctx context.Context, log updateLog, chat int64, id string) {
	cctx, cancel := context.WithTimeout(ctx, cosmeticTimeout)
	defer cancel()
	if err := b.request(cctx, "answerCallbackQuery", chat, classFree, tgbotapi.NewCallback(id, "")); err != nil {
		log.Warn("answering the button press failed", "err", err)
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
