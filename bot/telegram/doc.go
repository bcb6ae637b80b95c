// Package telegram is whereto's Telegram channel, on
// github.com/go-telegram-bot-api/telegram-bot-api/v5 (v5.5.1), which no
// other package imports. Platform types stay here: an update becomes a
// bot.Message{Channel: "telegram", Conversation: chat id, Text or Choice}
// for the Handler (*bot.Runner), and the bot.Response comes back as
// Telegram messages.
//
// # Taking updates
//
// Long polling is the default: the bot's own loop over getUpdates (not the
// library's GetUpdatesChan, which confirms updates to Telegram before they
// are handled). With Config.WebhookURL set, Run registers a webhook with a
// secret token and Handlers serves it; a request without the right
// X-Telegram-Bot-Api-Secret-Token (compared in constant time) gets 401 and
// nothing else is read, and the body is read up to Config.MaxBody.
//
// Every update taken is first written to the inbox (bot.Inbox, on the
// store), and only then confirmed to Telegram (the next getUpdates asks
// past it; the webhook answers 200). A fixed pool of Config.Workers
// answers from there: chats take turns, each chat's messages one at a
// time and in order, and messages that may be about danger, and chats'
// first messages, go first. Messages a chat sends faster than they can be
// answered are merged (at most MaxQueued wait): the last is answered, or
// one that may be about danger, and the answer says so; /forget is never
// merged away. At most Config.MaxBacklog answers wait: beyond that polling
// waits and the webhook answers 429.
//
// An edited message in a private chat is read as a new message at the
// step the conversation is at; in a group, edits are not answered. A
// second press of the same button (same chat, message and data) within
// DoublePressWindow (2 s, by Config.Now) is answered, so its spinner
// stops, but does not run the conversation again.
//
// # Never lose, never repeat
//
// An update is on disk before Telegram is told it was received, and
// leaves the inbox only after its replies are sent: a crash in between
// makes the next run answer it again, where taking it out first would
// make it never be answered. A repeated answer is harmless; a lost one,
// to someone in danger, is not. A chat's next message waits for the
// previous one to leave the inbox, so a crash (kill -9, power loss)
// repeats at most one answer per chat, and only answers whose sends were
// in flight; a normal stop finishes or leaves in the inbox every update
// and answers none twice. Polling starts again after the highest update
// ever put in the inbox (InboxNext), so Telegram never sends an answered
// update again; in webhook mode answered updates are remembered for
// SeenTTL, in case Telegram sends one again.
//
// # Sending
//
// Every reply goes through one limiter: at most Config.GlobalRate sends in
// any window of 1.05 seconds, spread out, and for new messages a token
// bucket per chat (Config.PerChatRate, bursts of Config.PerChatBurst),
// granted round-robin between chats rather than first come first served. A 429
// waits its retry_after; 5xx and network errors back off exponentially
// with jitter, up to Config.MaxTries; then the failure is logged (ids, not
// text) and counted (bot.Metrics.SendFailed).
//
// Replies are rendered in Telegram HTML with every piece of text escaped;
// choices become an inline keyboard, links URL buttons. Messages over
// 4,096 characters are split on line boundaries. In a group every message
// of an answer is a reply to the person's message (or to the question
// whose button was pressed), so that it shows whom it answers among other
// people's messages; private chats are not threaded.
//
// # Privacy
//
// Nothing a person typed is stored or logged. Logs carry update ids, a
// keyed hash of the chat id, methods, error codes and timings. For /forget,
// a private chat's message ids (never text) are kept with the sessions,
// expiring like them. /forget there deletes those messages that are under
// 48 hours old, then replies with flows.Forgotten: what it deleted, what
// is too old or was refused, and, only if some remain, to delete the chat
// in the app. In a group it deletes no messages and says so. The bot token never appears in a log line or an
// error: the library's own logger is replaced by one that drops everything,
// and errors are stripped of the request URL.
//
// See docs/TELEGRAM.md for setup and operation.
package telegram
