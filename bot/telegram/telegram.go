package telegram

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows/lang"
)

// channelName is the Message.Channel of updates from Telegram, and the
// channel name in logs and metrics.
const channelName = "telegram"

// Names under which the bot keeps its state in the Store.
const (
	// CursorName is the cursor holding the next update id to poll for.
	CursorName = "telegram-offset"
	// SecretSetting is the setting holding a generated webhook secret.
	SecretSetting = "telegram-webhook-secret"
	// msgLogPrefix + chat id is the session key of a chat's message ids.
	msgLogPrefix = "telegram-msgs:"
)

// Defaults for the zero fields of Config.
const (
	DefaultGlobalRate    = 30
	DefaultPerChatRate   = 1
	DefaultPerChatBurst  = 3
	DefaultMaxBody       = 1 << 20
	DefaultSeenTTL       = 48 * time.Hour
	DefaultPollTimeout   = 30 * time.Second
	DefaultShutdownGrace = 5 * time.Second
	DefaultMaxTries      = 5
	DefaultRetryBase     = 500 * time.Millisecond
	DefaultMaxBacklog    = 1000
	DefaultWorkers       = 64
	DefaultWebhookConns  = 40
	// DefaultFailingAfter is how long sends may fail, with none getting
	// through, before Ready reports the bot degraded.
	DefaultFailingAfter = time.Minute
)

// Bounds of Config.WebhookSecret, in characters of A-Z a-z 0-9 _ -.
// Telegram accepts 1 to 256; whereto asks for at least 16, since the
// secret is all that tells Telegram's requests from anyone's (a generated
// one has 64).
const (
	MinWebhookSecretLen = 16
	MaxWebhookSecretLen = 256
)

// ErrInvalidConfig is wrapped by the errors of Config.Validate.
var ErrInvalidConfig = errors.New("telegram: invalid configuration")

// Errors returned by New.
var (
	// ErrNoToken is returned when Config.Token is empty.
	ErrNoToken = errors.New("telegram: no bot token (set TELEGRAM_BOT_TOKEN)")
	// ErrUnauthorized is returned when Telegram refuses the token (getMe
	// answers 401, or 404 for a token of the wrong shape). The message
	// never contains the token.
	ErrUnauthorized = errors.New("telegram: the bot token was refused; check TELEGRAM_BOT_TOKEN (from @BotFather)")
)

// Handler runs one message through the conversation; *bot.Runner
// implements it. Its error is non-nil only when ctx ended before the
// message was handled. A Handler that also has Urgent(bot.Message) bool
// (as *bot.Runner does) lets the bot answer messages that may be about
// danger first.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) (bot.Response, error)
}

// Store is the durable state the bot needs; *bolt.Store implements it.
type Store interface {
	// Cursor and SetCursor keep the polling offset; SetCursor is durable.
	Cursor(ctx context.Context, name string) (int64, bool, error)
	SetCursor(ctx context.Context, name string, v int64) error
	// The inbox holds updates from when they are received until they are
	// answered (namespace InboxNamespace).
	bot.Inbox
	// Setting and SetSetting keep a generated webhook secret.
	Setting(ctx context.Context, name string) ([]byte, bool, error)
	SetSetting(ctx context.Context, name string, value []byte) error
	// Session, PutSession and DeleteSession keep each private chat's
	// message ids (never text) for /forget; DeleteSession is durable.
	Session(ctx context.Context, key string, now time.Time) ([]byte, bool, error)
	PutSession(ctx context.Context, key string, data []byte, expires time.Time) error
	DeleteSession(ctx context.Context, key string) error
}

// Config configures a Bot. Only Token is required; the zero value of every
// other field means its documented default. The service fills it from
// TELEGRAM_BOT_TOKEN and the WHERETO_TELEGRAM_* variables.
type Config struct {
	// Token is the bot's token from @BotFather. It is a secret: it never
	// appears in a log line or an error from this package.
	Token string
	// Endpoint is the Bot API URL format, with a %s for the token and one
	// for the method (tgbotapi's format). Default tgbotapi.APIEndpoint
	// (https://api.telegram.org/bot%s/%s); WHERETO_TELEGRAM_API_ENDPOINT
	// sets another, for a self-hosted Bot API server or a test fake.
	Endpoint string
	// WebhookURL, if set, switches from long polling to a webhook: Run
	// registers it, and updates arrive through Handlers. It must be the
	// public https URL at which the service's /telegram/webhook is reached.
	WebhookURL string
	// WebhookSecret is the secret Telegram sends in every webhook request
	// (MinWebhookSecretLen to MaxWebhookSecretLen of A-Z a-z 0-9 _ -).
	// Empty in webhook mode: one is
	// generated (32 random bytes, hex) and kept in the Store, so it stays
	// the same across restarts.
	WebhookSecret string
	// HTTPClient makes the Bot API requests. Default: a client keeping up
	// to 128 idle connections to the API (the standard client keeps 2,
	// and up to 100 updates are answered at once).
	HTTPClient *http.Client
	// Logger receives the bot's own log lines: update ids, a keyed hash of
	// the chat id, methods, error codes and timings, never text, names or
	// the token. The caller adds the channel key (serve passes a logger
	// With("channel", "telegram")), so lines carry it once. Default:
	// discard.
	Logger *slog.Logger
	// Metrics is told about retries, rate-limit waits and failed sends.
	// Nil means none.
	Metrics bot.Metrics
	// GlobalRate is the most messages, edits and deletions sent per second
	// in all (default 30), kept in every window of 1.05 seconds; negative
	// means no limit (a self-hosted API, a benchmark).
	GlobalRate float64
	// PerChatRate is the average number of new messages per second to one
	// chat (default 1), with bursts of up to PerChatBurst (default 3);
	// negative means no limit.
	PerChatRate  float64
	PerChatBurst int
	// MaxBacklog bounds the answers waiting (default 1,000; a chat has at
	// most MaxQueued+1, merged beyond that). While it is reached, polling
	// leaves updates at Telegram, and the webhook answers 429 at once
	// without reading or queuing the update (Telegram sends it again).
	// The webhook checks before it reads a request, so requests arriving
	// together can each pass: the bound is approximate by at most
	// WebhookConnections.
	MaxBacklog int
	// Workers is how many answers are worked on at once (default 64): a
	// fixed pool, whatever the load. Chats take turns; messages that may
	// be about danger, and chats' first messages, go first.
	Workers int
	// WebhookConnections is the max_connections given to setWebhook: how
	// many requests Telegram makes at once (default 40; 1 to 100).
	WebhookConnections int
	// MaxBody is the largest webhook request body read (default 1 MiB);
	// a larger one is refused with 413.
	MaxBody int64
	// SessionTTL is how long a private chat's message ids are kept after
	// its last message, for /forget (default bot.DefaultSessionTTL, the
	// runner's session lifetime).
	SessionTTL time.Duration
	// SeenTTL is how long an answered update id is remembered (default 48
	// hours; Telegram keeps an unconfirmed update for 24).
	SeenTTL time.Duration
	// PollTimeout is the long-poll wait of getUpdates (default 30 s).
	PollTimeout time.Duration
	// ShutdownGrace is how long Run, once its context is done, lets
	// updates already being answered finish (default 5 s). Updates not
	// started by then are handed back to Telegram.
	ShutdownGrace time.Duration
	// MaxTries bounds the tries of a call failing with 5xx or network
	// errors (default 5); RetryBase is the first backoff (default 500 ms),
	// doubling each try.
	MaxTries  int
	RetryBase time.Duration
	// Now returns the current time (default time.Now): the age of messages
	// for /forget, the expiry of remembered ids and message ids, and the
	// DoublePressWindow of buttons.
	Now func() time.Time
}

// Validate checks the values set in c against the rules of this package:
// Endpoint (two %s), WebhookURL (an absolute http or https URL) and
// WebhookSecret (MinWebhookSecretLen to MaxWebhookSecretLen of A-Z a-z
// 0-9 _ -). Empty fields are not checked: New requires the Token and
// fills the defaults. The error wraps ErrInvalidConfig, one per problem
// (errors.Join), and never contains the secret or the token.
func (c Config) Validate() error {
	var errs []error
	if c.Endpoint != "" && strings.Count(c.Endpoint, "%s") != 2 {
		errs = append(errs, fmt.Errorf("%w: API endpoint %q must have two %%s (token, method), like %q", ErrInvalidConfig, c.Endpoint, tgbotapi.APIEndpoint))
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			// The URL itself is not repeated: it may carry credentials.
			errs = append(errs, fmt.Errorf("%w: the webhook URL is not an absolute http(s) URL", ErrInvalidConfig))
		}
	}
	if c.WebhookConnections > 100 {
		errs = append(errs, fmt.Errorf("%w: webhook connections %d: Telegram allows 1 to 100", ErrInvalidConfig, c.WebhookConnections))
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		errs = append(errs, fmt.Errorf("%w: webhook secret must be %d to %d of A-Z a-z 0-9 _ -", ErrInvalidConfig, MinWebhookSecretLen, MaxWebhookSecretLen))
	}
	return errors.Join(errs...)
}

func (c Config) withDefaults() Config {
	if c.Endpoint == "" {
		c.Endpoint = tgbotapi.APIEndpoint
	}
	if c.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 128
		c.HTTPClient = &http.Client{Transport: t}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Metrics == nil {
		c.Metrics = bot.NopMetrics{}
	}
	if c.GlobalRate == 0 {
		c.GlobalRate = DefaultGlobalRate
	}
	if c.PerChatRate == 0 {
		c.PerChatRate = DefaultPerChatRate
	}
	if c.PerChatBurst <= 0 {
		c.PerChatBurst = DefaultPerChatBurst
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxBacklog <= 0 {
		c.MaxBacklog = DefaultMaxBacklog
	}
	if c.Workers <= 0 {
		c.Workers = DefaultWorkers
	}
	if c.WebhookConnections <= 0 {
		c.WebhookConnections = DefaultWebhookConns
	}
	if c.SessionTTL <= 0 {
		c.SessionTTL = bot.DefaultSessionTTL
	}
	if c.SeenTTL <= 0 {
		c.SeenTTL = DefaultSeenTTL
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = DefaultPollTimeout
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	if c.MaxTries <= 0 {
		c.MaxTries = DefaultMaxTries
	}
	if c.RetryBase <= 0 {
		c.RetryBase = DefaultRetryBase
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Bot is the Telegram channel: it takes updates (long polling, or a
// webhook), hands each to the Handler as a bot.Message, and sends the
// replies back through one rate limiter. Create it with New, then call Run
// once. It satisfies bot.HTTPChannel.
type Bot struct {
	cfg     Config
	h       Handler
	store   Store
	log     *slog.Logger
	metrics bot.Metrics
	red     redactor

	base   *tgbotapi.BotAPI
	client tgbotapi.HTTPClient
	self   tgbotapi.User
	lim    *limiter
	// presses are the buttons answered in the last DoublePressWindow.
	presses *presses
	secret  []byte
	// logIDs names chats in log lines; retry paces retried calls.
	logIDs bot.LogIDs
	retry  bot.Backoff

	started atomic.Bool
	// disp is the dispatcher while Run takes updates; nil before and after.
	disp atomic.Pointer[dispatcher]

	readyMu  sync.Mutex
	readyErr error
	// failingSince is when sends began to fail with none getting through
	// since (zero while they work), and failure the last error's text.
	failingSince time.Time
	failure      string
}

var (
	_ bot.Channel     = (*Bot)(nil)
	_ bot.HTTPChannel = (*Bot)(nil)
)

// New checks the token with getMe (retrying network errors and 5xx
// answers, up to MaxTries), registers the bot's commands (/start, /help,
// /emergency, /forget, /about) and, in webhook mode, settles the webhook
// secret. It returns ErrNoToken, an error wrapping ErrUnauthorized
// when Telegram refuses the token, or an error naming what else failed;
// no error ever contains the token. A failure to register the commands is
// logged, not returned: the bot works without the menu.
//
// New also replaces tgbotapi's process-wide logger with one that drops
// everything (once per process).
func New(ctx context.Context, cfg Config, h Handler, store Store) (*Bot, error) {
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, ErrNoToken
	}
	if h == nil || store == nil {
		return nil, errors.New("telegram: New needs a handler and a store")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	silenceLibrary()
	b := &Bot{
		cfg:     cfg,
		h:       h,
		store:   store,
		log:     cfg.Logger,
		metrics: cfg.Metrics,
		red:     newRedactor(cfg.Token),
		client:  cfg.HTTPClient,
		lim:     newLimiter(cfg.GlobalRate, cfg.PerChatRate, cfg.PerChatBurst),
		presses: newPresses(),
		logIDs:  bot.NewLogIDs(),
		retry:   bot.Backoff{Base: cfg.RetryBase, Max: maxRetryWait},
	}
	b.readyErr = errors.New("telegram: not running yet")

	// What tgbotapi.NewBotAPIWithClient does, with retries and a context.
	b.base = &tgbotapi.BotAPI{Token: cfg.Token, Client: b.client, Buffer: 100}
	b.base.SetAPIEndpoint(cfg.Endpoint)
	err := b.call(ctx, "getMe", 0, classFree, func(api *tgbotapi.BotAPI) error {
		var err error
		b.self, err = api.GetMe()
		return err
	})
	if err != nil {
		switch codeOf(err) {
		case http.StatusUnauthorized:
			return nil, fmt.Errorf("%w (getMe answered 401)", ErrUnauthorized)
		case http.StatusNotFound:
			return nil, fmt.Errorf("%w (getMe answered 404: a malformed token, or a wrong API endpoint)", ErrUnauthorized)
		}
		return nil, fmt.Errorf("telegram: cannot reach the Bot API: %w", err)
	}
	b.base.Self = b.self // Debug stays false: it would log message text

	// The command menu, in every language the catalogue has: Telegram
	// shows each person the one for their app's language, and English
	// (no language code) to everyone else.
	for _, l := range lang.Languages() {
		cmds := tgbotapi.SetMyCommandsConfig{Commands: commandMenu(l)}
		if l != lang.English {
			cmds.LanguageCode = string(l)
		}
		if err := b.request(ctx, "setMyCommands", 0, classFree, cmds); err != nil {
			b.log.Warn("could not register the command menu", "lang", string(l), "err", err)
		}
	}

	if cfg.WebhookURL != "" {
		secret, err := b.webhookSecret(ctx)
		if err != nil {
			return nil, err
		}
		b.secret = secret
	}
	b.log.Info("connected to the Bot API", "bot", b.self.UserName, "mode", b.mode())
	return b, nil
}

// commandMenu is the / menu in language l.
func commandMenu(l lang.Lang) []tgbotapi.BotCommand {
	return []tgbotapi.BotCommand{
		{Command: "start", Description: tr(l, "telegram.command.start")},
		{Command: "help", Description: tr(l, "telegram.command.help")},
		{Command: "emergency", Description: tr(l, "telegram.command.emergency")},
		{Command: "language", Description: tr(l, "telegram.command.language")},
		{Command: "forget", Description: tr(l, "telegram.command.forget")},
		{Command: "about", Description: tr(l, "telegram.command.about")},
	}
}

func (b *Bot) mode() string {
	if b.cfg.WebhookURL != "" {
		return "webhook"
	}
	return "polling"
}

// validSecret reports whether s may be a webhook secret_token.
func validSecret(s string) bool {
	if len(s) < MinWebhookSecretLen || len(s) > MaxWebhookSecretLen {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// webhookSecret returns the configured secret, or the one kept in the
// store, or a new one, stored for next time.
func (b *Bot) webhookSecret(ctx context.Context) ([]byte, error) {
	if b.cfg.WebhookSecret != "" {
		return []byte(b.cfg.WebhookSecret), nil
	}
	v, ok, err := b.store.Setting(ctx, SecretSetting)
	if err != nil {
		return nil, fmt.Errorf("telegram: reading the webhook secret: %w", err)
	}
	if ok && validSecret(string(v)) {
		return v, nil
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	secret := []byte(hex.EncodeToString(raw))
	if err := b.store.SetSetting(ctx, SecretSetting, secret); err != nil {
		return nil, fmt.Errorf("telegram: keeping the webhook secret: %w", err)
	}
	b.log.Info("generated a webhook secret and kept it in the store")
	return secret, nil
}

// Name returns "telegram".
func (b *Bot) Name() string { return channelName }

// Username returns the bot's Telegram username (without @), as getMe
// reported it: for deep links, https://t.me/<username>?start=<route>.
func (b *Bot) Username() string { return b.self.UserName }

// Ready returns nil while the bot is taking updates: polling, with the last
// getUpdates answered, or with its webhook registered. Otherwise it returns
// an error saying why not, never containing the token.
//
// It also reports the bot degraded when sends have failed (given up, or
// held back by 429s) for longer than a minute with none getting through:
// updates are taken then, but people are not being answered.
func (b *Bot) Ready() error {
	b.readyMu.Lock()
	defer b.readyMu.Unlock()
	if b.readyErr != nil {
		return b.readyErr
	}
	if !b.failingSince.IsZero() {
		if d := b.cfg.Now().Sub(b.failingSince); d > DefaultFailingAfter {
			return fmt.Errorf("telegram: degraded: no message sent for %s; last error: %s", d.Round(time.Second), b.failure)
		}
	}
	return nil
}

// sendWorked and sendFailed keep the sending health Ready reports.
func (b *Bot) sendWorked() {
	b.readyMu.Lock()
	b.failingSince, b.failure = time.Time{}, ""
	b.readyMu.Unlock()
}

func (b *Bot) sendFailed(err error) {
	b.readyMu.Lock()
	if b.failingSince.IsZero() {
		b.failingSince = b.cfg.Now()
	}
	b.failure = err.Error()
	b.readyMu.Unlock()
}

func (b *Bot) setReady(err error) {
	b.readyMu.Lock()
	b.readyErr = err
	b.readyMu.Unlock()
}

// Handlers returns, in webhook mode, the webhook handler at
// "POST /telegram/webhook"; in polling mode, no handlers.
func (b *Bot) Handlers() map[string]http.Handler {
	if b.cfg.WebhookURL == "" {
		return map[string]http.Handler{}
	}
	return map[string]http.Handler{"POST /telegram/webhook": http.HandlerFunc(b.serveWebhook)}
}

// Run takes updates until ctx is done: by long polling (its own loop over
// getUpdates, after deleting any webhook), or in webhook mode by
// registering the webhook and answering what Handlers receives. Updates of
// one chat are answered one at a time, in order; different chats in
// parallel. When ctx is done it stops taking updates, lets those being
// answered finish for up to ShutdownGrace, hands the rest back to Telegram
// (they come again after a restart), and stores the polling offset. It
// returns nil then, or an error if the bot cannot keep running (Telegram
// refuses the token, or the webhook cannot be registered). Run may be
// called once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	defer b.lim.stop()
	defer b.cfg.HTTPClient.CloseIdleConnections()
	d := newDispatcher(b)
	var err error
	if b.cfg.WebhookURL != "" {
		err = b.runWebhook(ctx, d)
	} else {
		err = b.runPolling(ctx, d)
	}
	if err != nil {
		b.setReady(err)
	} else {
		b.setReady(errors.New("telegram: stopped"))
	}
	return err
}

// hash is the log id of a chat (bot.LogIDs): stable while the process
// runs, so one chat's lines can be followed, and not reversible.
func (b *Bot) hash(chat int64) string {
	return b.logIDs.ID(strconv.FormatInt(chat, 10))
}
