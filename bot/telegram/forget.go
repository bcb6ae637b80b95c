package telegram

import (
	"context"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxMsgLog bounds the message ids kept for one chat; the oldest go first.
// A conversation is a few dozen messages; sessions expire after hours.
const maxMsgLog = 1000

// deleteWindow is how old a message may be and still be deleted by a bot
// (Telegram: 48 hours), less a margin for clocks and the time deleting
// takes.
const deleteWindow = 48*time.Hour - 10*time.Minute

// msgLog is a private chat's message ids, the person's and the bot's, with
// the Unix time each was sent: all /forget needs, and never any text. It is
// kept with the store's sessions under "telegram-msgs:<chat>" and expires
// like a session, SessionTTL after the chat's last message.
type msgLog struct {
	// m holds [message id, unix time] pairs, oldest first.
	m [][2]int64
}

// add records a message id, once: an edited message comes again with the
// id it had, and deleting it twice would count it twice.
func (l *msgLog) add(id int, date int64) {
	if l == nil || id == 0 {
		return
	}
	for i := len(l.m) - 1; i >= 0; i-- {
		if l.m[i][0] == int64(id) {
			return
		}
	}
	l.m = append(l.m, [2]int64{int64(id), date})
	if n := len(l.m) - maxMsgLog; n > 0 {
		l.m = append(l.m[:0], l.m[n:]...)
	}
}

// msgLogVersion is the first byte of an encoded msgLog.
const msgLogVersion = 1

// encode writes the log as a version byte, then each id and time as
// varints: a conversation of a hundred messages is about a kilobyte.
func (l *msgLog) encode() []byte {
	b := make([]byte, 1, 1+len(l.m)*12)
	b[0] = msgLogVersion
	for _, e := range l.m {
		b = binary.AppendVarint(b, e[0])
		b = binary.AppendVarint(b, e[1])
	}
	return b
}

func decodeMsgLog(b []byte) (*msgLog, error) {
	if len(b) == 0 || b[0] != msgLogVersion {
		return nil, errors.New("unknown message id log version")
	}
	l := &msgLog{}
	b = b[1:]
	for len(b) > 0 {
		id, n := binary.Varint(b)
		if n <= 0 {
			return nil, errors.New("truncated message id log")
		}
		date, m := binary.Varint(b[n:])
		if m <= 0 {
			return nil, errors.New("truncated message id log")
		}
		l.m = append(l.m, [2]int64{id, date})
		b = b[n+m:]
	}
	return l, nil
}

func msgLogKey(chat int64) string { return msgLogPrefix + strconv.FormatInt(chat, 10) }

// loadMsgLog returns the chat's message ids; an empty log if there are
// none or they cannot be read (which is logged).
func (b *Bot) loadMsgLog(ctx context.Context, log updateLog, chat int64, now time.Time) *msgLog {
	l := &msgLog{}
	data, ok, err := b.store.Session(ctx, msgLogKey(chat), now)
	if err != nil {
		log.Error("reading the chat's message ids failed", "err", err)
		return l
	}
	if ok {
		d, err := decodeMsgLog(data)
		if err != nil {
			log.Error("the chat's message ids are unreadable; starting afresh", "err", err)
			return l
		}
		l = d
	}
	return l
}

// saveMsgLog keeps the chat's message ids for SessionTTL more. A nil log
// (after /forget, or in a group) saves nothing.
func (b *Bot) saveMsgLog(log updateLog, chat int64, l *msgLog, now time.Time) {
	if l == nil || len(l.m) == 0 {
		return
	}
	data := l.encode()
	// The buffered write is cheap; it must happen even if the work
	// context has just ended, or sent messages would escape /forget.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.store.PutSession(ctx, msgLogKey(chat), data, now.Add(b.cfg.SessionTTL)); err != nil {
		log.Error("saving the chat's message ids failed", "err", err)
	}
}

// forget deletes the conversation's messages that Telegram still lets a
// bot delete (in a private chat, under 48 hours old), newest first, then
// the list of their ids, and says how it went: deleted, tooOld (not tried:
// past Telegram's 48 hours) and failed (refused or not reached). A message
// already gone (the person deleted it) is in none of them: nothing of it
// remains. Only counts are logged. If ctx ends, it stops and returns the
// counts so far, keeping the list.
func (b *Bot) forget(ctx context.Context, log updateLog, chat int64, l *msgLog, now time.Time) (deleted, tooOld, failed int) {
	gone := 0
	for i := len(l.m) - 1; i >= 0; i-- {
		id, date := l.m[i][0], l.m[i][1]
		if date > 0 && now.Sub(time.Unix(date, 0)) > deleteWindow {
			tooOld++
			continue
		}
		err := b.request(ctx, "deleteMessage", chat, classGlobal, tgbotapi.NewDeleteMessage(chat, int(id)))
		switch {
		case err == nil:
			deleted++
		case ctx.Err() != nil:
			log.Warn("stopped while deleting the conversation's messages", "deleted", deleted)
			return deleted, tooOld, failed
		case alreadyGone(err):
			gone++
		default:
			failed++
			log.Warn("deleting a message failed", "err", err)
		}
	}
	if err := b.store.DeleteSession(ctx, msgLogKey(chat)); err != nil {
		log.Error("deleting the chat's message ids failed", "err", err)
	}
	log.Info("forget: deleted the conversation's messages", "deleted", deleted, "too_old", tooOld, "gone", gone, "failed", failed)
	return deleted, tooOld, failed
}

// alreadyGone reports whether a deleteMessage failed because the message
// no longer exists (Telegram: 400 "message to delete not found").
func alreadyGone(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.code == 400 && strings.Contains(strings.ToLower(ae.text), "not found")
}
