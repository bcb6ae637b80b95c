package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/flows/lang"
)

// Message is one thing a person did in a chat, in no platform's terms.
type Message struct {
	// Channel names the adapter: "console", "telegram", "slack".
	Channel string
	// Conversation identifies the chat within the channel.
	Conversation string
	// Text is what they typed; Choice is the ID of a button they tapped.
	Text   string
	Choice string
	// Merged says whether the channel folded other messages of the person
	// into this one, sent faster than they could be answered: the answer
	// then starts by saying so.
	Merged Merge
	// Lang is the language the person's app is set to, when the channel
	// knows it (Telegram's language_code): a hint, never a choice.
	Lang string
}

// Merge says which of several messages, sent faster than they could be
// answered, a channel kept to answer (the others are not answered).
type Merge int

const (
	// NotMerged: the message is answered on its own.
	NotMerged Merge = iota
	// MergedLast: this is the last of several; the earlier ones are not
	// answered.
	MergedLast
	// MergedUrgent: this one may be about danger; the others, later ones
	// included, are not answered.
	MergedUrgent
)

// key is the session key of the message's conversation.
func (m Message) key() string { return m.Channel + ":" + m.Conversation }

// Response is what the adapter should do with a handled message.
type Response struct {
	Replies []flows.Reply
	// Route is set when the conversation reached a route on this message.
	Route directory.Route
	// Forget is set when the person asked to be forgotten: the session is
	// already deleted; an adapter that can also delete the chat's messages
	// should do so now, then send ForgetReplies of what it deleted instead
	// of Replies.
	Forget bool
	// Forgotten is, when Forget is set, what the runner deleted: HadSession.
	// Replies already say so (flows.Forgotten). The message counts and
	// CanDeleteMessages are the adapter's to fill in.
	Forgotten flows.ForgetReport
	// Lang is the language the replies are in: the conversation's
	// language after this message ("" is English). Adapters mark the
	// replies with it (a web page's lang and dir attributes).
	Lang lang.Lang

	// dir is the directory the message was answered from, for
	// ForgetReplies.
	dir flows.Directory
}

// ForgetReplies returns the reply to /forget for report (flows.Forgotten),
// worded from the directory the message was answered with. An adapter that
// deleted messages after a forget turn sends these instead of Replies, with
// Forgotten's HadSession and its own counts. On a zero Response it still
// answers, with 999 as the emergency number.
func (r Response) ForgetReplies(report flows.ForgetReport) []flows.Reply {
	if report.Lang == "" {
		report.Lang = r.Lang
	}
	return flows.Forgotten(r.dir, report)
}

// Sessions keeps each conversation's state between messages. The data is
// opaque to it, and never contains what people typed.
type Sessions interface {
	// Session returns the data stored for key, or false if there is none or
	// it expired before now.
	Session(ctx context.Context, key string, now time.Time) ([]byte, bool, error)
	// PutSession stores data for key until expires. It may buffer.
	PutSession(ctx context.Context, key string, data []byte, expires time.Time) error
	// DeleteSession removes key at once and durably.
	DeleteSession(ctx context.Context, key string) error
}

// Counter records anonymous counts of conversations per route and day.
type Counter interface {
	CountRoute(ctx context.Context, day string, route string) error
}

// DirectorySource gives the current directory. The store implements it;
// the returned directory must not be modified.
type DirectorySource interface {
	Directory() *directory.Directory
}

// StaticDirectory is a DirectorySource that always returns the same
// directory.
type StaticDirectory struct{ D *directory.Directory }

// Directory returns s.D.
func (s StaticDirectory) Directory() *directory.Directory { return s.D }

// DefaultSessionTTL is how long a conversation is remembered after its last
// message.
const DefaultSessionTTL = 2 * time.Hour

// Runner handles messages for every channel. Create it with NewRunner; set
// the optional fields before the first Handle. It is safe for concurrent
// use.
type Runner struct {
	dir      DirectorySource
	sessions Sessions

	// Counter, if set, counts conversations per route and day.
	Counter Counter
	// TTL is how long a session lives after its last message; default
	// DefaultSessionTTL.
	TTL time.Duration
	// Now returns the current time; default time.Now. Tests and the --at
	// flag set it.
	Now func() time.Time
	// Logger receives one line per message (ids, step, route, timing; never
	// text); default discards.
	Logger *slog.Logger
	// Metrics, if set, is told about every handled message.
	Metrics Metrics

	logIDs LogIDs
	locks  keyLocks
}

// NewRunner returns a Runner that reads the directory from dir and keeps
// sessions in sessions.
func NewRunner(dir DirectorySource, sessions Sessions) *Runner {
	return &Runner{dir: dir, sessions: sessions, logIDs: NewLogIDs(), locks: keyLocks{m: map[string]*keyLock{}}}
}

// Handle runs one message through the conversation and returns the replies.
// Messages of the same conversation are handled one at a time, in the order
// Handle is called. A storage failure is logged and does not stop the
// answer (a lost session is cheap; a person without an answer is not). A
// panic inside the conversation is recovered and answered with an apology
// that carries the emergency number. The returned error is non-nil only when
// ctx is done before the message was handled.
func (r *Runner) Handle(ctx context.Context, m Message) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	start := time.Now()
	key := m.key()
	unlock := r.locks.lock(key)
	defer unlock()

	now := r.now()
	dir := r.dir.Directory()
	log := r.logger().With("channel", m.Channel, "chat", r.logIDs.ID(key))

	state, had := r.load(ctx, log, key, now)
	turn, ok := r.next(log, state, m, dir, now)
	resp := Response{Replies: turn.Replies, Route: turn.Route, Forget: turn.Forget, Lang: turn.State.Lang}
	if m.Merged != NotMerged && !turn.Forget {
		resp.Replies = append([]flows.Reply{flows.Merged(m.Merged == MergedUrgent, resp.Lang)}, resp.Replies...)
	}
	if dir != nil {
		resp.dir = dir
	}
	if !ok {
		return resp, nil
	}
	switch {
	case turn.Forget:
		if err := r.sessions.DeleteSession(ctx, key); err != nil {
			log.Error("forget failed", "err", err)
			resp.Replies = flows.ForgetFailed(dir, resp.Lang)
			resp.Forget = false
			break
		}
		resp.Forgotten = flows.ForgetReport{HadSession: had}
		resp.Replies = resp.ForgetReplies(resp.Forgotten)
	default:
		r.save(ctx, log, key, turn.State, now)
	}
	if turn.Route != "" && r.Counter != nil {
		day := directory.UKDay(now)
		if err := r.Counter.CountRoute(ctx, day, string(turn.Route)); err != nil {
			log.Error("counting route failed", "route", turn.Route, "err", err)
		}
	}
	took := time.Since(start)
	if r.Metrics != nil {
		r.Metrics.MessageHandled(m.Channel, string(turn.Route), took)
	}
	log.Info("message handled",
		"input", inputKind(m),
		"from_step", string(state.Step),
		"step", string(turn.State.Step),
		"route", string(turn.Route),
		"forget", turn.Forget,
		"replies", len(resp.Replies),
		"duration", took)
	return resp, nil
}

// Urgent reports whether m may be about danger (flows.Urgent), with the
// current directory's routes. A channel with more to answer than it can
// send at once answers urgent messages first. It never fails: a fault
// counts as urgent.
func (r *Runner) Urgent(m Message) (urgent bool) {
	defer func() {
		if recover() != nil {
			urgent = true
		}
	}()
	in := flows.Input{Text: m.Text, Choice: m.Choice}
	if d := r.dir.Directory(); d != nil {
		return flows.Urgent(d, in)
	}
	return flows.Urgent(nil, in)
}

// next calls flows.Next, turning a panic into an apology. ok is false after
// a panic: nothing is stored then.
func (r *Runner) next(log *slog.Logger, s flows.State, m Message, dir *directory.Directory, now time.Time) (turn flows.Turn, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			// The stack names code, not input; the panic value could echo
			// input, so only its type is logged.
			log.Error("conversation panicked", "panic_type", fmt.Sprintf("%T", p), "stack", string(debug.Stack()))
			turn, ok = flows.Turn{Replies: flows.Apology(dir, s.Lang), State: flows.State{Lang: s.Lang}}, false
		}
	}()
	return flows.Next(s, flows.Input{Text: m.Text, Choice: m.Choice, Lang: m.Lang}, dir, now), true
}

// load returns the conversation's state. had is false only when the store
// said there was no session (or it had expired): after a storage error, or
// with unreadable data, there may be one, and /forget must not say there
// was nothing to delete.
func (r *Runner) load(ctx context.Context, log *slog.Logger, key string, now time.Time) (s flows.State, had bool) {
	data, ok, err := r.sessions.Session(ctx, key, now)
	if err != nil {
		log.Error("loading session failed; starting afresh", "err", err)
		return flows.State{}, true
	}
	if !ok {
		return flows.State{}, false
	}
	if err := json.Unmarshal(data, &s); err != nil {
		log.Error("session unreadable; starting afresh", "err", err)
		return flows.State{}, true
	}
	return s, true
}

func (r *Runner) save(ctx context.Context, log *slog.Logger, key string, s flows.State, now time.Time) {
	data, err := json.Marshal(s)
	if err != nil {
		log.Error("encoding session failed", "err", err)
		return
	}
	if err := r.sessions.PutSession(ctx, key, data, now.Add(r.ttl())); err != nil {
		log.Error("saving session failed", "err", err)
	}
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) ttl() time.Duration {
	if r.TTL > 0 {
		return r.TTL
	}
	return DefaultSessionTTL
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func inputKind(m Message) string {
	switch {
	case m.Choice != "":
		return "button"
	case len(m.Text) > 0 && m.Text[0] == '/':
		return "command"
	}
	return "text"
}

// keyLocks is a lock per conversation, created on demand and dropped when
// nobody holds or waits for it.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*keyLock
}

type keyLock struct {
	mu sync.Mutex
	n  int // holders and waiters
}

func (k *keyLocks) lock(key string) (unlock func()) {
	k.mu.Lock()
	l, ok := k.m[key]
	if !ok {
		l = &keyLock{}
		k.m[key] = l
	}
	l.n++
	k.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.n--
		if l.n == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
