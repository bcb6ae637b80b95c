package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
)

// InboxNamespace is the namespace of Telegram updates in the bot.Inbox,
// and of their done marks.
const InboxNamespace = "telegram"

// stored is what the inbox keeps of an update: what the bot acts on
// (inbound), not the update. Names, usernames and the rest of the update
// are never written. Field names are short: the entry is written once per
// message.
type stored struct {
	Kind     inKind                         `json:"k"`
	Chat     int64                          `json:"c,omitempty"`
	Private  bool                           `json:"p,omitempty"`
	MsgID    int                            `json:"m,omitempty"`
	Date     int64                          `json:"d,omitempty"`
	Text     string                         `json:"t,omitempty"`
	Choice   string                         `json:"ch,omitempty"`
	Callback string                         `json:"cb,omitempty"`
	Pressed  int                            `json:"pr,omitempty"`
	Markup   *tgbotapi.InlineKeyboardMarkup `json:"mk,omitempty"`
	Lang     string                         `json:"l,omitempty"`
}

func encodeInbound(in inbound) ([]byte, error) {
	return json.Marshal(stored{
		Kind: in.kind, Chat: in.chat, Private: in.private, MsgID: in.msgID, Date: in.date,
		Text: in.text, Choice: in.choice, Callback: in.callbackID, Pressed: in.pressed, Markup: in.pressedMarkup, Lang: in.lang,
	})
}

func decodeInbound(it bot.InboxItem) (inbound, error) {
	var s stored
	if err := json.Unmarshal(it.Data, &s); err != nil {
		return inbound{}, err
	}
	if s.Kind < kindText || s.Kind > kindAnswerOnly {
		return inbound{}, fmt.Errorf("unknown kind %d", s.Kind)
	}
	return inbound{
		kind: s.Kind, update: int(it.ID), chat: s.Chat, private: s.Private, msgID: s.MsgID, date: s.Date,
		text: s.Text, choice: s.Choice, callbackID: s.Callback, pressed: s.Pressed, pressedMarkup: s.Markup, lang: s.Lang,
	}, nil
}

// take writes updates to the inbox in one durable write and queues those
// the inbox did not hold already (nor had answered). It returns an error
// only if the write failed: nothing was queued then, and the updates must
// not be confirmed to Telegram.
func (b *Bot) take(ctx context.Context, d *dispatcher, ins []inbound) error {
	if len(ins) == 0 {
		return nil
	}
	items := make([]bot.InboxItem, 0, len(ins))
	byID := make(map[int64]inbound, len(ins))
	for _, in := range ins {
		data, err := encodeInbound(in)
		if err != nil {
			return fmt.Errorf("telegram: encoding update %d: %w", in.update, err)
		}
		items = append(items, bot.InboxItem{ID: int64(in.update), Data: data})
		byID[int64(in.update)] = in
	}
	fresh, err := b.store.InboxPut(ctx, InboxNamespace, items)
	if err != nil {
		return fmt.Errorf("telegram: writing updates to the inbox: %w", err)
	}
	for _, it := range fresh {
		in := byID[it.ID]
		if !d.submit(in, b.urgent(in)) {
			break // stopping: the rest stay in the inbox
		}
	}
	return nil
}

// resume queues what the inbox holds from an earlier run (updates
// confirmed to Telegram and not answered before a stop or a crash). It
// returns the highest update id held, or -1.
func (b *Bot) resume(ctx context.Context, d *dispatcher) (int64, error) {
	items, err := b.store.InboxPending(ctx, InboxNamespace)
	if err != nil {
		return -1, fmt.Errorf("telegram: reading the inbox: %w", err)
	}
	top := int64(-1)
	var bad []int64
	for _, it := range items {
		top = max(top, it.ID)
		in, err := decodeInbound(it)
		if err != nil {
			b.log.Error("an inbox entry cannot be read; dropped", "update", it.ID, "err", err)
			bad = append(bad, it.ID)
			continue
		}
		d.submit(in, b.urgent(in))
	}
	if len(bad) > 0 {
		if err := b.store.InboxDone(ctx, InboxNamespace, bad, b.keepDone()); err != nil {
			b.log.Error("dropping unreadable inbox entries failed", "err", err)
		}
	}
	if len(items) > 0 {
		b.log.Info("answering updates held from the last run", "updates", len(items))
	}
	return top, nil
}

// urgent reports whether an update may be about danger, by the handler's
// Urgent if it has one (*bot.Runner does).
func (b *Bot) urgent(in inbound) bool {
	t, ok := b.h.(interface{ Urgent(bot.Message) bool })
	if !ok {
		return false
	}
	switch in.kind {
	case kindText:
		return t.Urgent(bot.Message{Channel: channelName, Text: in.text})
	case kindChoice:
		return t.Urgent(bot.Message{Channel: channelName, Choice: in.choice})
	}
	return false
}

// inboxDone takes answered updates out of the inbox, durably (in names
// the first of them in the log). It has its own context: it runs even
// while the bot stops, since the replies are out and forgetting that
// would repeat them after a restart.
func (b *Bot) inboxDone(in inbound, ids []int64) {
	mctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.store.InboxDone(mctx, InboxNamespace, ids, b.keepDone()); err != nil {
		b.logFor(in).Error("taking answered updates out of the inbox failed; a restart may answer them again", "err", err, "updates", len(ids))
	}
}

// WaitIdle waits until the bot holds no update (every update taken in is
// answered or handed back), or ctx ends. It returns at once when the bot
// is not running.
func (b *Bot) WaitIdle(ctx context.Context) error {
	if d := b.disp.Load(); d != nil {
		return d.waitIdle(ctx)
	}
	return nil
}

// keepDone is until when answered updates are remembered: SeenTTL in
// webhook mode, where Telegram sends an update again if it did not get
// the 200; not at all while polling, where the offset, moved past every
// update taken (InboxNext), means Telegram never sends one again.
func (b *Bot) keepDone() time.Time {
	if b.cfg.WebhookURL == "" {
		return time.Time{}
	}
	return b.cfg.Now().Add(b.cfg.SeenTTL)
}

// Pending returns how many updates the bot holds and has not answered
// yet (queued, merged or being answered), 0 when it is not running.
func (b *Bot) Pending() int {
	if d := b.disp.Load(); d != nil {
		return d.pending()
	}
	return 0
}
