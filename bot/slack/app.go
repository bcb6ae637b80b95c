package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/triage"
)

// Defaults for the zero fields of Config.
const (
	DefaultWorkers     = 32
	DefaultHTTPTimeout = 10 * time.Second
	// DefaultAPIURL is Slack's Web API.
	DefaultAPIURL = slack.APIURL
)

// The forms of Config.Admins and Config.AdminGroup. Slack's ids today are
// 9 or 11 characters; 20 after the first letter leaves room for them to
// grow while still refusing a token or a name pasted by mistake.
const (
	// AdminIDPattern is a user id: U or W, then 2 to 20 of A-Z 0-9.
	AdminIDPattern = `^[UW][A-Z0-9]{2,20}$`
	// AdminGroupPattern is a user group id: S, then 2 to 20 of A-Z 0-9.
	AdminGroupPattern = `^S[A-Z0-9]{2,20}$`
)

var (
	adminIDRE    = regexp.MustCompile(AdminIDPattern)
	adminGroupRE = regexp.MustCompile(AdminGroupPattern)
)

// ErrInvalidConfig is wrapped by the errors of Config.Validate.
var ErrInvalidConfig = errors.New("slack: invalid configuration")

// Timings of the app's own work.
const (
	// laterTimeout bounds one piece of work after an acknowledgement.
	laterTimeout = 30 * time.Second
	// ackBudget bounds the work done before acknowledging (Slack waits 3s).
	ackBudget = 2500 * time.Millisecond
	// drainTimeout is how long Run waits for work in flight at shutdown.
	drainTimeout = 10 * time.Second
)

// Config configures the Slack app. BotToken is required, and AppToken
// (Socket Mode) or SigningSecret (HTTP mode), or both. The zero value of
// every other field means its documented default.
type Config struct {
	// BotToken is the bot user OAuth token (xoxb-...), SLACK_BOT_TOKEN.
	BotToken string
	// AppToken is an app-level token with connections:write (xapp-...),
	// SLACK_APP_TOKEN. When set, Run connects with Socket Mode.
	AppToken string
	// SigningSecret verifies HTTP requests from Slack,
	// SLACK_SIGNING_SECRET. When set, Handlers returns the HTTP endpoints.
	SigningSecret string
	// APIURL is the Web API base URL, ending in "/" (default Slack's,
	// https://slack.com/api/), WHERETO_SLACK_API_URL. response_url posts
	// are accepted to hooks.slack.com and to this URL's host.
	APIURL string
	// Admins are the Slack user ids (U...) that may change the directory,
	// WHERETO_SLACK_ADMINS.
	Admins []string
	// AdminGroup is a Slack user group id (S...) whose members may also
	// change the directory, WHERETO_SLACK_ADMIN_GROUP. Needs the
	// usergroups:read scope.
	AdminGroup string
	// AuditChannel, if set, is the channel (id or name) every directory
	// change is posted to, WHERETO_SLACK_AUDIT_CHANNEL.
	AuditChannel string
	// Logger receives the app's logs: ids, command names and timings,
	// never what anyone typed. Nil discards. The app adds no "channel"
	// attribute: the caller names the channel (whereto serve passes a
	// logger carrying channel=slack), so that no line has the key twice.
	Logger *slog.Logger
	// Metrics receives send failures, retries and rate-limit waits, and
	// one MessageHandled per look-up. Nil means none.
	Metrics bot.Metrics
	// Now is the clock for answers: office hours, "verified today",
	// staleness and stats days. Nil means time.Now. Request signatures,
	// their replay check and event de-duplication always use the real
	// clock.
	Now func() time.Time
	// HTTPClient makes the Web API and response_url calls. Nil means a
	// client with a DefaultHTTPTimeout timeout.
	HTTPClient *http.Client
	// Workers bounds the work done after acknowledgements (opening forms,
	// posting, answering events). Zero means DefaultWorkers.
	Workers int
}

// Validate checks the values set in c against the rules of this package:
// the forms of the tokens (xoxb-, xapp-), APIURL (an http or https URL
// ending in "/"), each of Admins (AdminIDPattern; blank entries are
// skipped, spaces trimmed) and AdminGroup (AdminGroupPattern). Empty fields
// are not checked: New requires the tokens. The error wraps
// ErrInvalidConfig, one per problem (errors.Join), and never contains a
// token or the signing secret.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.BotToken != "" && !strings.HasPrefix(c.BotToken, "xoxb-") {
		bad("the bot token must be a bot user token (xoxb-...)")
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		bad("the app token must be an app-level token (xapp-...)")
	}
	if c.APIURL != "" {
		api, err := url.Parse(c.APIURL)
		if err != nil || (api.Scheme != "https" && api.Scheme != "http") || api.Host == "" || api.User != nil {
			// The URL itself is not repeated: it may carry a password.
			bad("the API URL is not an http or https URL without a user name or password")
		} else if !strings.HasSuffix(c.APIURL, "/") {
			bad("the API URL must end with \"/\"")
		}
	}
	for _, a := range c.Admins {
		if a = strings.TrimSpace(a); a != "" && !adminIDRE.MatchString(a) {
			bad("admin %q is not a Slack user id (like U012AB3CD)", a)
		}
	}
	if g := strings.TrimSpace(c.AdminGroup); g != "" && !adminGroupRE.MatchString(g) {
		bad("admin group %q is not a Slack user group id (like S012AB3CD)", g)
	}
	return errors.Join(errs...)
}

// App is the Slack channel: the staff look-up and the directory admin
// commands, over Socket Mode, signed HTTP requests, or both. Create it with
// New, mount Handlers (HTTP mode) on the service's listener, and call Run
// once. All methods are safe for concurrent use.
type App struct {
	cfg    Config
	h      *handler
	api    *slack.Client
	socket *socketmode.Client // nil without an AppToken
	work   *pool
	log    *slog.Logger
	// replay remembers the signatures of accepted slash commands and
	// interactive payloads, on the real clock, as the signature check is.
	replay *replayGuard

	// life is the lifetime of follow-up work; Run cancels it when it
	// returns, after draining.
	life context.Context
	stop context.CancelFunc
	ran  atomic.Bool

	mu sync.Mutex
	// botErr is the bot token's refusal by auth.test, if any.
	botErr error
	// socketErr is why Socket Mode is not connected (nil when it is),
	// wrapping ErrAuth when the app token was refused.
	socketErr error

	// retry paces attempts after an authentication or connection
	// failure.
	retry bot.Backoff
}

var _ bot.HTTPChannel = (*App)(nil)

// Sentinel errors reported by Ready.
var (
	// ErrNotConnected is reported by Ready while Socket Mode is not
	// connected (before the first connection, and between attempts).
	ErrNotConnected = errors.New("slack: socket mode not connected")
	// ErrAuth wraps authentication failures (a wrong or revoked token).
	ErrAuth = errors.New("slack: authentication failed")
)

// New checks cfg and returns the app, reading the directory from dir and
// keeping the audit log, refusals and handled event ids in st (a
// *bolt.Store: New(cfg, st, st)). It makes no network calls; Run does.
func New(cfg Config, dir DirectorySource, st Store) (*App, error) {
	if dir == nil || st == nil {
		return nil, errors.New("slack: New needs a directory source and a store")
	}
	if cfg.BotToken == "" {
		return nil, errors.New("slack: a bot token (SLACK_BOT_TOKEN, xoxb-...) is required")
	}
	if cfg.AppToken == "" && cfg.SigningSecret == "" {
		return nil, errors.New("slack: set an app token (SLACK_APP_TOKEN, Socket Mode) or a signing secret (SLACK_SIGNING_SECRET, HTTP mode)")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	api, err := url.Parse(cfg.APIURL)
	if err != nil {
		return nil, errors.New("slack: the API URL does not parse") // Validate checked it
	}
	var adminIDs []string
	for _, a := range cfg.Admins {
		if a = strings.TrimSpace(a); a != "" {
			adminIDs = append(adminIDs, a)
		}
	}
	cfg.Admins = adminIDs
	cfg.AdminGroup = strings.TrimSpace(cfg.AdminGroup)
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Metrics == nil {
		cfg.Metrics = bot.NopMetrics{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: DefaultHTTPTimeout}
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}

	logger := cfg.Logger
	client := slack.New(cfg.BotToken,
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(cfg.HTTPClient),
		slack.OptionAppLevelToken(cfg.AppToken),
		slack.OptionLog(slogWriter{logger}),
	)
	send := &sender{
		api:             client,
		http:            cfg.HTTPClient,
		metrics:         cfg.Metrics,
		log:             logger,
		responseOrigins: []string{"https://hooks.slack.com", api.Scheme + "://" + api.Host},
		maxWait:         30 * time.Second,
	}
	a := &App{
		cfg:    cfg,
		api:    client,
		work:   newPool(cfg.Workers),
		log:    logger,
		replay: newReplayGuard(time.Now, maxRemembered),
		retry:  bot.Backoff{Base: time.Second, Max: 5 * time.Minute},
	}
	a.life, a.stop = context.WithCancel(context.Background())
	a.h = &handler{
		dir:   dir,
		store: st,
		admins: &admins{
			users: cfg.Admins, group: cfg.AdminGroup, api: client, log: logger, clock: time.Now,
		},
		send:         send,
		now:          cfg.Now,
		log:          logger,
		metrics:      cfg.Metrics,
		auditChannel: cfg.AuditChannel,
	}
	if cfg.AppToken != "" {
		a.socket = socketmode.New(client, socketmode.OptionLog(slogWriter{logger}))
		a.socketErr = ErrNotConnected
	}
	return a, nil
}

// Name returns "slack".
func (a *App) Name() string { return channelName }

// Ready returns nil while the app can answer: in Socket Mode, while
// connected; in HTTP mode, unless a token was refused. It returns an error
// wrapping ErrAuth after an authentication failure (until a later attempt
// succeeds) and ErrNotConnected while Socket Mode is connecting.
func (a *App) Ready() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return errors.Join(a.botErr, a.socketErr)
}

func (a *App) setBotErr(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.botErr = err
}

func (a *App) setSocketErr(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.socketErr = err
}

func (a *App) connected() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.socketErr == nil
}

// Run runs the app until ctx is done. In Socket Mode it connects, and
// reconnects with backoff (1s doubling to 5 minutes, with jitter) when the
// connection fails for good, an authentication failure included (reported
// on Ready and in the log). In HTTP mode it checks the bot token and then
// waits: requests arrive through Handlers. When ctx is done it stops taking
// work, waits up to 10 seconds for work in flight, and returns nil. Run
// must be called at most once.
func (a *App) Run(ctx context.Context) error {
	if !a.ran.CompareAndSwap(false, true) {
		return errors.New("slack: Run called twice")
	}
	defer a.stop()
	var wg sync.WaitGroup
	wg.Go(func() {
		// Build the classifier for the directory's routes now, not on the
		// first look-up; beside auth.test, which need not wait for it.
		if err := triage.Warm(a.h.dir.Directory()); err != nil {
			a.log.Warn("slack: building the classifier failed", slog.String("err", err.Error()))
		}
	})
	wg.Go(func() { a.checkBotToken(ctx) })
	if a.socket != nil {
		wg.Go(func() { a.socketEvents(ctx) })
		a.runSocket(ctx)
	}
	<-ctx.Done()
	wg.Wait()
	drain, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	if err := a.work.close(drain); err != nil {
		a.log.Warn("slack: work still running at shutdown was cancelled")
	}
	return nil
}

// checkBotToken calls auth.test until it succeeds, learning the bot's user
// id (so that its own messages are ignored) and reporting a refused token.
func (a *App) checkBotToken(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, DefaultHTTPTimeout)
		resp, err := a.api.AuthTestContext(cctx)
		cancel()
		if err == nil {
			user := resp.UserID
			a.h.botUser.Store(&user)
			a.setBotErr(nil)
			a.log.Info("slack bot token accepted", slog.String("team", resp.TeamID), slog.String("bot_user", resp.UserID))
			return
		}
		if ctx.Err() != nil {
			return
		}
		if isAuthError(err) {
			a.setBotErr(fmt.Errorf("%w: bot token: %v", ErrAuth, err))
			a.log.Error("slack: the bot token was refused; retrying", slog.String("err", err.Error()))
		} else {
			a.log.Warn("slack: auth.test failed; retrying", slog.String("err", err.Error()))
		}
		if !sleep(ctx, a.retry.Wait(attempt+1)) {
			return
		}
	}
}

// runSocket runs Socket Mode until ctx is done, starting again with backoff
// whenever the library gives up (it does for good on an authentication
// error).
func (a *App) runSocket(ctx context.Context) {
	for attempt := 0; ; attempt++ {
		// RunContext always returns an error (ctx's, or why it stopped).
		err := a.socket.RunContext(ctx)
		if ctx.Err() != nil {
			return
		}
		if a.connected() {
			attempt = 0
		}
		if isAuthError(err) {
			a.setSocketErr(fmt.Errorf("%w: app token: %v", ErrAuth, err))
			a.log.Error("slack: socket mode authentication failed; retrying", slog.String("err", err.Error()), slog.Int("attempt", attempt+1))
		} else {
			a.setSocketErr(fmt.Errorf("%w: %v", ErrNotConnected, err))
			a.log.Warn("slack: socket mode stopped; reconnecting", slog.String("err", err.Error()), slog.Int("attempt", attempt+1))
		}
		if !sleep(ctx, a.retry.Wait(attempt+1)) {
			return
		}
	}
}

// sleep waits d or until ctx is done, reporting whether it waited.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// isAuthError reports errors that mean a token was refused.
func isAuthError(err error) bool {
	var se slack.SlackErrorResponse
	code := err.Error()
	if errors.As(err, &se) {
		code = se.Err
	}
	switch code {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	var sc slack.StatusCodeError
	return errors.As(err, &sc) && (sc.Code == http.StatusUnauthorized || sc.Code == http.StatusForbidden || sc.Code == http.StatusNotFound)
}

// schedule runs fn after the acknowledgement on the worker pool, if a slot
// is free.
func (a *App) schedule(fn func(context.Context)) bool {
	return a.work.goTry(a.life, func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, laterTimeout)
		defer cancel()
		fn(ctx)
	})
}

// slogWriter adapts the library's logger (an Output method) to slog, at
// debug level: the library logs connection details, and whereto never
// turns on its debug mode, which would log payloads.
type slogWriter struct{ l *slog.Logger }

func (w slogWriter) Output(_ int, s string) error {
	w.l.Debug("slack-go: " + strings.TrimSpace(s))
	return nil
}
