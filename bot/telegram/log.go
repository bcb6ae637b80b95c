package telegram

import (
	"context"
	"log/slog"
)

// updateLog writes the log lines about one update. Each line carries the
// update id and the keyed hash of the chat id, computed only when a line
// is actually written (most updates write none).
type updateLog struct {
	b      *Bot
	update int
	chat   int64
}

func (b *Bot) logFor(in inbound) updateLog { return updateLog{b: b, update: in.update, chat: in.chat} }

func (l updateLog) log(level slog.Level, msg string, args ...any) {
	ctx := context.Background()
	if !l.b.log.Enabled(ctx, level) {
		return
	}
	l.b.log.Log(ctx, level, msg, append([]any{"update", l.update, "chat", l.b.hash(l.chat)}, args...)...)
}

func (l updateLog) Debug(msg string, args ...any) { l.log(slog.LevelDebug, msg, args...) }
func (l updateLog) Info(msg string, args ...any)  { l.log(slog.LevelInfo, msg, args...) }
func (l updateLog) Warn(msg string, args ...any)  { l.log(slog.LevelWarn, msg, args...) }
func (l updateLog) Error(msg string, args ...any) { l.log(slog.LevelError, msg, args...) }
