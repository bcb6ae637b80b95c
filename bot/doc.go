// Package bot is the channel-neutral core between the chat platforms and
// the conversation in flows: a Message comes in from an adapter (terminal,
// Telegram, Slack), the Runner loads the conversation's state, runs
// flows.Next, stores the new state and counts the route, and hands the
// replies back for the adapter to render.
//
// The Runner serialises each conversation (messages of one chat are handled
// one at a time, in order) while different chats run in parallel. It never
// stores or logs what people type: sessions hold only the step, and logs
// carry a keyed hash of the chat id, the step, the route and timings.
package bot
