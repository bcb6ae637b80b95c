package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/slack"
	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/bot/web"
	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/metrics"
	"github.com/whereto-bot/whereto/service"
)

const serveHelp = `Usage: whereto serve [--check] [flags]

Run whereto as a service: every chat channel that has credentials in the
environment, the web chat (/chat, unless WHERETO_WEB=off), and one HTTP
listener for health checks (/healthz, /readyz), Prometheus metrics
(/metrics), the web chat and the channels' webhooks. With no channel
configured it still runs, and says in its log which variables would turn
each channel on. SIGINT or SIGTERM stops it cleanly within 10 seconds; a
second signal exits at once.

  whereto serve --check    check the configuration and the database, print
                           what would run (never a secret), and exit

Settings come from flags and environment variables; a flag wins. Secrets
come from the environment only: TELEGRAM_BOT_TOKEN,
WHERETO_TELEGRAM_WEBHOOK_SECRET, SLACK_BOT_TOKEN, SLACK_APP_TOKEN and
SLACK_SIGNING_SECRET. Logs are JSON lines unless standard error is a
terminal, and never carry what people type.`

// channelDeps is what a channel is built from.
type channelDeps struct {
	Runner  *bot.Runner
	Store   *bolt.Store
	Logger  *slog.Logger
	Metrics bot.Metrics
}

// channelBuilder builds the configured channels. Tests pass their own to
// add a fake channel.
type channelBuilder func(ctx context.Context, cfg serveConfig, deps channelDeps) ([]bot.Channel, error)

// channelBuilt reports whether this build includes the named channel's
// package. Add its name here when the package lands and buildChannels
// builds it.
func channelBuilt(name string) bool {
	switch name {
	case "telegram", "slack", "web":
		return true
	}
	return false
}

// buildChannels returns a channel for each platform configured in cfg,
// and logs which are on, which are off and what would turn them on.
func buildChannels(ctx context.Context, cfg serveConfig, deps channelDeps) ([]bot.Channel, error) {
	var chans []bot.Channel
	for _, p := range planChannels(cfg) {
		switch {
		case !p.on:
			deps.Logger.Info("channel off", "channel", p.name, "turn_on", p.how)
			continue
		case !p.built:
			deps.Logger.Error("channel configured but not in this build of whereto: it stays off", "channel", p.name)
			continue
		}
		deps.Logger.Info("channel on", "channel", p.name, "mode", p.how)
		switch p.name {
		case "telegram":
			tc := cfg.Telegram
			tg, err := telegram.New(ctx, telegram.Config{
				Token:         tc.Token.Value(),
				Endpoint:      tc.APIEndpoint,
				WebhookURL:    tc.WebhookURL,
				WebhookSecret: tc.WebhookSecret.Value(),
				GlobalRate:    tc.Rates.Global,
				PerChatRate:   tc.Rates.Chat,
				PerChatBurst:  tc.Rates.Burst,
				MaxBacklog:    tc.Backlog,
				Logger:        deps.Logger.With("channel", "telegram"),
				Metrics:       deps.Metrics,
				SessionTTL:    cfg.SessionTTL,
				// Within the service's 8 s stop budget after the HTTP drain.
				ShutdownGrace: 3 * time.Second,
			}, deps.Runner, deps.Store)
			if err != nil {
				return nil, fmt.Errorf("telegram: %w", err)
			}
			chans = append(chans, tg)
		case "slack":
			sc := cfg.Slack
			app, err := slack.New(slack.Config{
				BotToken:      sc.BotToken.Value(),
				AppToken:      sc.AppToken.Value(),
				SigningSecret: sc.SigningSecret.Value(),
				APIURL:        sc.APIURL,
				Admins:        sc.Admins,
				AdminGroup:    sc.AdminGroup,
				AuditChannel:  sc.AuditChannel,
				Logger:        deps.Logger.With("channel", "slack"),
				Metrics:       deps.Metrics,
			}, deps.Store, deps.Store)
			if err != nil {
				return nil, fmt.Errorf("slack: %w", err)
			}
			chans = append(chans, app)
		case "web":
			wc := cfg.Web
			key, err := web.LoadKey(ctx, deps.Store)
			if err != nil {
				return nil, err
			}
			chat, err := web.New(web.Config{
				ExitURL:        wc.ExitURL,
				Origins:        wc.Origins,
				TrustedProxies: wc.TrustedProxies,
				SessionTTL:     cfg.SessionTTL,
				Key:            key,
				Directory:      deps.Store,
				Logger:         deps.Logger.With("channel", "web"),
				Metrics:        deps.Metrics,
			}, deps.Runner)
			if err != nil {
				return nil, fmt.Errorf("web: %w", err)
			}
			chans = append(chans, chat)
		}
	}
	return chans, nil
}

// channelPlan says whether a channel would run, and how.
type channelPlan struct {
	name  string
	on    bool   // configured
	built bool   // in this build
	how   string // what runs when on; what turns it on when off
}

// planChannels describes each channel for cfg, for the log and --check.
// It never includes a secret.
func planChannels(cfg serveConfig) []channelPlan {
	tg := channelPlan{name: "telegram", on: cfg.Telegram.Enabled(), built: channelBuilt("telegram")}
	if !tg.on {
		tg.how = "set TELEGRAM_BOT_TOKEN (long polling; add WHERETO_TELEGRAM_WEBHOOK_URL for a webhook)"
	} else {
		t := cfg.Telegram
		tg.how = "long polling"
		if t.WebhookURL != "" {
			from := "generated and kept in the database"
			if t.WebhookSecret != "" {
				from = "from WHERETO_TELEGRAM_WEBHOOK_SECRET"
			}
			tg.how = fmt.Sprintf("webhook %s (served at /telegram/webhook; secret token %s)", showURL(t.WebhookURL), from)
		}
		api := "the public Bot API"
		if t.APIEndpoint != "" {
			api = "the Bot API at " + showURL(hostOf(fmt.Sprintf(t.APIEndpoint, "TOKEN", "method")))
		}
		limits := "sending at most " + t.Rates.String()
		if t.Rates.String() == "off" {
			limits = "sending with no rate limit (WHERETO_TELEGRAM_RATE=off)"
		}
		tg.how += fmt.Sprintf(", %s, %s, at most %d answers waiting", api, limits, t.Backlog)
	}

	sl := channelPlan{name: "slack", on: cfg.Slack.Enabled(), built: channelBuilt("slack")}
	if !sl.on {
		sl.how = "set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"
	} else {
		s := cfg.Slack
		var parts []string
		if s.AppToken != "" {
			parts = append(parts, "Socket Mode")
		}
		if s.SigningSecret != "" {
			parts = append(parts, "HTTP at /slack/commands, /slack/events, /slack/interactive")
		}
		parts = append(parts, fmt.Sprintf("%d admin user id(s)", len(s.Admins)))
		if s.AdminGroup != "" {
			parts = append(parts, "admin group "+s.AdminGroup)
		}
		if s.AuditChannel != "" {
			parts = append(parts, "audit channel "+s.AuditChannel)
		}
		if s.APIURL != "" {
			parts = append(parts, "API "+showURL(s.APIURL))
		}
		sl.how = strings.Join(parts, ", ")
	}
	wb := channelPlan{name: "web", on: cfg.Web.Enabled(), built: channelBuilt("web")}
	if !wb.on {
		wb.how = "unset WHERETO_WEB (it is off because WHERETO_WEB=off)"
	} else {
		w := cfg.Web
		framed := "only by pages of its own origin"
		if len(w.Origins) > 0 {
			framed = "by " + strings.Join(w.Origins, ", ")
		}
		proxies := "client address from the connection"
		if len(w.TrustedProxies) > 0 {
			var ps []string
			for _, p := range w.TrustedProxies {
				ps = append(ps, p.String())
			}
			proxies = "client address from X-Forwarded-For behind " + strings.Join(ps, ", ")
		}
		wb.how = fmt.Sprintf("/chat and /chat/widget.js, embeddable %s, quick exit to %s, %s", framed, showURL(w.ExitURL), proxies)
	}
	return []channelPlan{tg, sl, wb}
}

// hostOf returns the scheme and host of a URL, or the input if it does
// not parse.
func hostOf(s string) string {
	u, err := httpURL(s, false)
	if err != nil {
		return s
	}
	return u.Scheme + "://" + u.Host
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return serve(ctx, args, os.Getenv, stdout, stderr, buildChannels)
}

// serve is 'whereto serve' with its environment and channels passed in.
// It returns nil after a clean shutdown.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, build channelBuilder) (err error) {
	cfg, err := loadServeConfig(args, getenv, stderr)
	if err != nil {
		return helpOK(err)
	}
	if cfg.Check {
		return checkServe(cfg, stdout)
	}
	log := newLogger(stderr, cfg.LogLevel, cfg.secrets())
	defer func() {
		if err != nil {
			log.Error("whereto serve stopped with an error", "err", err)
		}
	}()
	b := metrics.ReadBuild()
	log.Info("starting", "version", b.Version, "revision", b.Revision, "db", cfg.DB,
		"http_addr", cfg.HTTPAddr, "session_ttl", cfg.SessionTTL, "sweep_interval", cfg.SweepInterval)
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}

	st, err := bolt.Open(cfg.DB, nil)
	if err != nil {
		return err
	}
	// Last of all: the store flushes sessions and counts as it closes.
	defer func() {
		cerr := st.Close()
		if cerr == nil {
			log.Info("database closed", "db", cfg.DB)
		}
		err = errors.Join(err, cerr)
	}()

	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg, &metrics.Options{
		DirectorySize: func() int { return len(st.Directory().List()) },
		Routes:        directory.RouteStrings(st.Directory().RouteIDs()),
		Build:         b,
	})
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	// metrics.Metrics does not know the service's own panics; the counter
	// goes on the same registry.
	panics := prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: metrics.Namespace, Name: "http_handler_panics_total",
		Help: "HTTP handlers that panicked (the request got 500; /readyz reports not ready until a restart).",
	})
	if err := reg.Register(panics); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if err := flows.Warm(st.Directory()); err != nil {
		return fmt.Errorf("building the classifier: %w", err)
	}
	// Training leaves tens of megabytes of garbage (every example's
	// features) that an idle service would otherwise keep resident until
	// the next collection: give it back now, once.
	debug.FreeOSMemory()
	runner := bot.NewRunner(st, st)
	runner.Counter = st
	runner.TTL = cfg.SessionTTL
	runner.Logger = log
	runner.Metrics = m

	chans, err := build(ctx, cfg, channelDeps{Runner: runner, Store: st, Logger: log, Metrics: m})
	if err != nil {
		return err
	}
	for _, ch := range chans {
		m.AddChannels(ch.Name())
	}
	if len(chans) == 0 {
		log.Warn("no chat channel is running: serving health checks and metrics only")
	}

	// Listen here rather than in the service, to record the real address
	// for 'whereto directory backup' (see admin.go).
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	token, err := newAdminToken()
	if err != nil {
		_ = ln.Close()
		return err
	}
	if err := writeAdminFile(cfg.DB, ln.Addr().String(), token); err != nil {
		_ = ln.Close()
		return fmt.Errorf("writing %s: %w", adminPath(cfg.DB), err)
	}
	defer func() {
		if err := removeAdminFile(cfg.DB); err != nil {
			log.Warn("could not remove the admin file", "err", err)
		}
	}()

	svc := service.New(st, reg)
	svc.Panics = panics
	svc.Listener = ln
	svc.Handlers = adminHandlers(st, token)
	svc.Channels = chans
	svc.Logger = log
	svc.Metrics = m
	svc.SweepInterval = cfg.SweepInterval
	svc.Redact = newRedactor(cfg.secrets()).String
	svc.Version = b.Version
	return svc.Run(ctx)
}

// checkServe is --check: the configuration is valid (loadServeConfig has
// said so); open the database read-write and close it, and print what
// would run. Nothing printed is a secret.
func checkServe(cfg serveConfig, stdout io.Writer) error {
	st, err := bolt.Open(cfg.DB, nil)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	n := len(st.Directory().List())
	if err := st.Close(); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "whereto serve --check: the configuration is valid.\n\n")
	row := func(k, format string, args ...any) {
		fmt.Fprintf(&b, "  %-10s %s\n", k, fmt.Sprintf(format, args...))
	}
	row("database", "%s (opened read-write and closed; %d services)", cfg.DB, n)
	row("http", "%s: /healthz, /readyz, /metrics", cfg.HTTPAddr)
	row("sessions", "expire %v after the last message; swept every %v", cfg.SessionTTL, cfg.SweepInterval)
	row("logs", "level %s; JSON lines, or text on a terminal", strings.ToLower(cfg.LogLevel.String()))
	for _, p := range planChannels(cfg) {
		switch {
		case !p.on:
			row(p.name, "off: to turn it on, %s", p.how)
		case !p.built:
			row(p.name, "configured, but NOT in this build of whereto: it would stay off (%s)", p.how)
		default:
			row(p.name, "on: %s", p.how)
		}
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", w)
	}
	_, err = io.WriteString(stdout, newRedactor(cfg.secrets()).String(b.String()))
	return err
}
