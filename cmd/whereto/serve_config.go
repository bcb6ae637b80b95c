package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/bot/slack"
	"github.com/whereto-bot/whereto/bot/telegram"
	"github.com/whereto-bot/whereto/bot/web"
	"github.com/whereto-bot/whereto/service"
)

// secret is a configuration value that must never be printed: its String,
// GoString and LogValue all say "[redacted]". Value returns the real one.
type secret string

func (s secret) String() string       { return s.shown() }
func (s secret) GoString() string     { return s.shown() }
func (s secret) LogValue() slog.Value { return slog.StringValue(s.shown()) }

// Value returns the secret itself, for the code that uses it.
func (s secret) Value() string { return string(s) }

func (s secret) shown() string {
	if s == "" {
		return ""
	}
	return redacted
}

// serveConfig is the whole configuration of 'whereto serve', read from
// flags and environment variables (flags win) by loadServeConfig.
type serveConfig struct {
	DB            string
	HTTPAddr      string
	SessionTTL    time.Duration
	SweepInterval time.Duration
	LogLevel      slog.Level
	// Check is --check: validate, open the database, print, exit.
	Check    bool
	Telegram telegramConfig
	Slack    slackConfig
	Web      webConfig
	// Warnings are things that are allowed but probably not meant.
	Warnings []string
}

// telegramConfig is what bot/telegram needs. The channel is on when Token
// is set.
type telegramConfig struct {
	Token secret
	// APIEndpoint is tgbotapi's endpoint format ("https://host/bot%s/%s");
	// empty means the library's default, the public Bot API.
	APIEndpoint string
	// WebhookURL, if set, selects webhook mode; empty means long polling.
	WebhookURL string
	// WebhookSecret is the webhook's secret token; empty means the channel
	// generates one and keeps it in the database.
	WebhookSecret secret
	// Rates are the sending limits (WHERETO_TELEGRAM_RATE).
	Rates telegram.Rates
	// Backlog is the most answers waiting (WHERETO_TELEGRAM_BACKLOG).
	Backlog int
}

// Enabled reports whether Telegram is configured.
func (t telegramConfig) Enabled() bool { return t.Token != "" }

// slackConfig is what bot/slack needs. The channel is on when BotToken is
// set (with AppToken, SigningSecret or both).
type slackConfig struct {
	BotToken      secret
	AppToken      secret // Socket Mode
	SigningSecret secret // signed HTTP requests
	// APIURL is the Web API base URL, ending in "/"; empty means slack-go's
	// default.
	APIURL string
	// Admins are the Slack user ids allowed to edit the directory.
	Admins []string
	// AdminGroup is a user group id whose members are admins too.
	AdminGroup string
	// AuditChannel is where each directory change is posted, if set.
	AuditChannel string
}

// Enabled reports whether Slack is configured.
func (s slackConfig) Enabled() bool { return s.BotToken != "" }

// webConfig is what bot/web needs. The web chat is on unless
// WHERETO_WEB=off.
type webConfig struct {
	Off bool
	// Origins may embed the chat (CSP frame-ancestors).
	Origins []string
	// ExitURL is where the quick exit goes.
	ExitURL string
	// TrustedProxies are reverse proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
}

// Enabled reports whether the web chat runs.
func (w webConfig) Enabled() bool { return !w.Off }

// secrets returns every secret value configured, for the log redactor.
func (c serveConfig) secrets() []string {
	return []string{
		c.Telegram.Token.Value(), c.Telegram.WebhookSecret.Value(),
		c.Slack.BotToken.Value(), c.Slack.AppToken.Value(), c.Slack.SigningSecret.Value(),
	}
}

// setting is one configuration value: an environment variable and, unless
// it is a secret, a flag. Secrets come from the environment only, since a
// command line is visible to every user of the machine (ps, /proc).
type setting struct {
	env   string
	flag  string // "" for a secret
	def   string
	usage string
}

// serveSettings lists every setting of 'whereto serve', in the order of
// the configuration table in docs/OPERATIONS.md.
func serveSettings() []setting {
	return []setting{
		{"WHERETO_DB", "db", "", "database file (default " + defaultDBHint() + ")"},
		{"WHERETO_HTTP_ADDR", "http-addr", service.DefaultAddr, "address for health, metrics and webhooks"},
		{"WHERETO_SESSION_TTL", "session-ttl", "2h", "how long a conversation is remembered after its last message (1m to 24h)"},
		{"WHERETO_SWEEP_INTERVAL", "sweep-interval", "5m", "how often expired sessions are deleted (1s to 24h)"},
		{"WHERETO_LOG_LEVEL", "log-level", "info", "debug, info, warn or error"},
		{"TELEGRAM_BOT_TOKEN", "", "", "Telegram bot token: turns Telegram on (secret)"},
		{"WHERETO_TELEGRAM_API_ENDPOINT", "telegram-api-endpoint", "", "Bot API endpoint format, e.g. https://host/bot%s/%s (default the public Bot API)"},
		{"WHERETO_TELEGRAM_WEBHOOK_URL", "telegram-webhook-url", "", "public https URL of the webhook: turns webhook mode on (default long polling)"},
		{"WHERETO_TELEGRAM_WEBHOOK_SECRET", "", "", "webhook secret token (secret; default generated and kept in the database)"},
		{"WHERETO_TELEGRAM_RATE", "telegram-rate", "", "sending limits: off, or global=N,chat=N,burst=N (default Telegram's: global=30,chat=1,burst=3)"},
		{"WHERETO_TELEGRAM_BACKLOG", "telegram-backlog", "1000", "most answers waiting; beyond it polling waits and the webhook answers 429 (10 to 100000)"},
		{"SLACK_BOT_TOKEN", "", "", "Slack bot token xoxb-...: turns Slack on (secret)"},
		{"SLACK_APP_TOKEN", "", "", "Slack app token xapp-...: Socket Mode (secret)"},
		{"SLACK_SIGNING_SECRET", "", "", "Slack signing secret: HTTP mode (secret)"},
		{"WHERETO_SLACK_API_URL", "slack-api-url", "", "Slack Web API base URL (default https://slack.com/api/)"},
		{"WHERETO_SLACK_ADMINS", "slack-admins", "", "comma-separated Slack user ids allowed to edit the directory"},
		{"WHERETO_SLACK_ADMIN_GROUP", "slack-admin-group", "", "Slack user group id whose members may edit the directory"},
		{"WHERETO_SLACK_AUDIT_CHANNEL", "slack-audit-channel", "", "Slack channel where each directory change is posted"},
		{"WHERETO_WEB", "web", "on", "the web chat at /chat: on or off"},
		{"WHERETO_WEB_ORIGINS", "web-origins", "", "comma-separated origins whose pages may embed the web chat, e.g. https://www.luton.gov.uk (default none: only the chat's own origin)"},
		{"WHERETO_WEB_EXIT_URL", "web-exit-url", web.DefaultExitURL, "where the web chat's quick exit goes"},
		{"WHERETO_WEB_TRUSTED_PROXIES", "web-trusted-proxies", "", "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For gives the client address for the web chat's rate limit"},
	}
}

// configError lists every problem found in the configuration. Its text
// names each variable or flag and never a secret's value.
type configError struct{ problems []string }

func (e *configError) Error() string {
	return "configuration is not valid:\n  - " + strings.Join(e.problems, "\n  - ")
}

// value is a setting's value and where it came from, for messages.
type value struct {
	v    string
	from string // "--http-addr", "WHERETO_HTTP_ADDR" or "default"
}

// loadServeConfig reads serve's flags from args and the environment
// through getenv, flags winning, and validates the result. It returns
// errHelp after -h, errUsage for a bad command line (printed on stderr),
// and a *configError listing every problem.
func loadServeConfig(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fs := flag.NewFlagSet("whereto serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flagVals := map[string]*string{}
	for _, s := range serveSettings() {
		if s.flag == "" {
			continue
		}
		usage := s.usage
		if s.def != "" {
			usage += " (default " + s.def + ")"
		}
		usage += " ($" + s.env + ")"
		flagVals[s.env] = fs.String(s.flag, "", usage)
	}
	fs.BoolVar(&cfg.Check, "check", false, "check the configuration and the database, print what would run, and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", serveHelp)
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "whereto serve: unexpected argument %q\n", fs.Arg(0))
		return cfg, errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	get := func(s setting) value {
		if s.flag != "" && set[s.flag] {
			return value{*flagVals[s.env], "--" + s.flag}
		}
		if v := strings.TrimSpace(getenv(s.env)); v != "" {
			return value{v, s.env}
		}
		return value{s.def, "default"}
	}
	vals := map[string]value{}
	for _, s := range serveSettings() {
		vals[s.env] = get(s)
	}

	v := &validator{}
	cfg.DB = vals["WHERETO_DB"].v
	if cfg.DB == "" {
		p, err := defaultDBPath()
		if err != nil {
			v.add("%v", err)
		}
		cfg.DB = p
	}
	cfg.HTTPAddr = v.addr(vals["WHERETO_HTTP_ADDR"])
	cfg.SessionTTL = v.duration(vals["WHERETO_SESSION_TTL"], time.Minute, 24*time.Hour)
	cfg.SweepInterval = v.duration(vals["WHERETO_SWEEP_INTERVAL"], time.Second, 24*time.Hour)
	lv := vals["WHERETO_LOG_LEVEL"]
	level, err := parseLevel(lv.v)
	if err != nil {
		v.add("%s: %v", lv.from, err)
	}
	cfg.LogLevel = level
	cfg.Telegram = v.telegram(vals)
	cfg.Slack = v.slack(vals)
	cfg.Web = v.web(vals)
	// A value quoted in a message could hold a secret (a token pasted into
	// a URL): hide them all.
	r := newRedactor(cfg.secrets())
	for i := range v.problems {
		v.problems[i] = r.String(v.problems[i])
	}
	for _, w := range v.warnings {
		cfg.Warnings = append(cfg.Warnings, r.String(w))
	}
	if len(v.problems) > 0 {
		return cfg, &configError{v.problems}
	}
	return cfg, nil
}

// validator collects problems and warnings while the values are parsed.
type validator struct {
	problems []string
	warnings []string
}

func (v *validator) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

func (v *validator) warn(format string, args ...any) {
	v.warnings = append(v.warnings, fmt.Sprintf(format, args...))
}

func (v *validator) addr(x value) string {
	host, port, err := net.SplitHostPort(x.v)
	if err != nil {
		v.add("%s %q is not a host:port address such as 127.0.0.1:8080", x.from, x.v)
		return x.v
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.add("%s %q: port %q is not a number from 0 to 65535", x.from, x.v, port)
	}
	if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, "/:@ ") {
		v.add("%s %q: %q is not a host name or IP address", x.from, x.v, host)
	}
	return x.v
}

func (v *validator) duration(x value, min, max time.Duration) time.Duration {
	d, err := time.ParseDuration(x.v)
	if err != nil {
		v.add("%s %q is not a duration such as 2h, 90m or 30s", x.from, x.v)
		return 0
	}
	if d < min || d > max {
		v.add("%s %q is out of range: use %v to %v", x.from, x.v, min, max)
	}
	return d
}

var (
	telegramTokenRE  = regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{30,100}$`)
	slackChannelIDRE = regexp.MustCompile(`^[CG][A-Z0-9]{2,20}$`)
	slackChannelRE   = regexp.MustCompile(`^#?[a-z0-9][a-z0-9._-]{0,79}$`)
)

func (v *validator) telegram(vals map[string]value) telegramConfig {
	var t telegramConfig
	tok := vals["TELEGRAM_BOT_TOKEN"].v
	if tok != "" && !telegramTokenRE.MatchString(tok) {
		v.add("TELEGRAM_BOT_TOKEN does not look like a Telegram bot token (digits, a colon, then 30 or more letters, digits, _ or -); the value is not shown")
	}
	t.Token = secret(tok)

	if ep := vals["WHERETO_TELEGRAM_API_ENDPOINT"]; ep.v != "" {
		if strings.Count(ep.v, "%s") != 2 || strings.Count(ep.v, "%") != 2 {
			v.add("%s %q must contain %%s twice (for the token and the method), and no other %%, like https://api.telegram.org/bot%%s/%%s", ep.from, ep.v)
		} else if _, err := httpURL(fmt.Sprintf(ep.v, "TOKEN", "getMe"), false); err != nil {
			v.add("%s %q: %v", ep.from, ep.v, err)
		}
		t.APIEndpoint = ep.v
	}

	if wh := vals["WHERETO_TELEGRAM_WEBHOOK_URL"]; wh.v != "" {
		u, err := httpURL(wh.v, true)
		if err != nil {
			v.add("%s %q: %v", wh.from, wh.v, err)
		} else if p := u.Port(); p != "" && p != "443" && p != "80" && p != "88" && p != "8443" {
			v.add("%s %q: Telegram sends webhooks only to ports 443, 80, 88 and 8443", wh.from, wh.v)
		}
		t.WebhookURL = wh.v
	}

	if sec := vals["WHERETO_TELEGRAM_WEBHOOK_SECRET"].v; sec != "" {
		if (telegram.Config{WebhookSecret: sec}).Validate() != nil {
			v.add("WHERETO_TELEGRAM_WEBHOOK_SECRET must be %d to %d letters, digits, _ or -; the value is not shown", telegram.MinWebhookSecretLen, telegram.MaxWebhookSecretLen)
		}
		if t.WebhookURL == "" {
			v.add("WHERETO_TELEGRAM_WEBHOOK_SECRET is set but WHERETO_TELEGRAM_WEBHOOK_URL is not: the secret is used only in webhook mode")
		}
		t.WebhookSecret = secret(sec)
	}

	rate := vals["WHERETO_TELEGRAM_RATE"]
	r, err := telegram.ParseRates(rate.v)
	if err != nil {
		v.add("%s %v", rate.from, err)
	}
	t.Rates = r
	backlog := vals["WHERETO_TELEGRAM_BACKLOG"]
	t.Backlog = telegram.DefaultMaxBacklog
	if backlog.v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(backlog.v))
		if err != nil || n < 10 || n > 100_000 {
			v.add("%s %q must be a whole number from 10 to 100000", backlog.from, backlog.v)
		} else {
			t.Backlog = n
		}
	}

	if tok == "" {
		for _, name := range []string{"WHERETO_TELEGRAM_API_ENDPOINT", "WHERETO_TELEGRAM_WEBHOOK_URL", "WHERETO_TELEGRAM_WEBHOOK_SECRET", "WHERETO_TELEGRAM_RATE"} {
			if x := vals[name]; x.v != "" {
				v.add("%s is set but TELEGRAM_BOT_TOKEN is not: set the token to run Telegram, or unset %s", x.from, x.from)
			}
		}
	}
	return t
}

func (v *validator) slack(vals map[string]value) slackConfig {
	var s slackConfig
	bot, app, sign := vals["SLACK_BOT_TOKEN"].v, vals["SLACK_APP_TOKEN"].v, vals["SLACK_SIGNING_SECRET"].v
	if bot != "" && !strings.HasPrefix(bot, "xoxb-") {
		v.add("SLACK_BOT_TOKEN does not look like a bot token (it starts xoxb-); the value is not shown")
	}
	if app != "" && !strings.HasPrefix(app, "xapp-") {
		v.add("SLACK_APP_TOKEN does not look like an app-level token (it starts xapp-); the value is not shown")
	}
	if sign != "" && (len(sign) < 16 || strings.ContainsAny(sign, " \t\r\n")) {
		v.add("SLACK_SIGNING_SECRET does not look like a signing secret (16 or more characters, no spaces); the value is not shown")
	}
	s.BotToken, s.AppToken, s.SigningSecret = secret(bot), secret(app), secret(sign)
	if bot != "" && app == "" && sign == "" {
		v.add("SLACK_BOT_TOKEN is set but Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) as well")
	}

	if x := vals["WHERETO_SLACK_API_URL"]; x.v != "" {
		if _, err := httpURL(x.v, false); err != nil {
			v.add("%s %q: %v", x.from, x.v, err)
		}
		s.APIURL = x.v
		if !strings.HasSuffix(s.APIURL, "/") {
			s.APIURL += "/"
		}
	}
	if x := vals["WHERETO_SLACK_ADMINS"]; x.v != "" {
		for _, id := range strings.FieldsFunc(x.v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			if (slack.Config{Admins: []string{id}}).Validate() != nil {
				v.add("%s: %q is not a Slack user id (like U0123ABCD)", x.from, id)
				continue
			}
			s.Admins = append(s.Admins, id)
		}
	}
	if x := vals["WHERETO_SLACK_ADMIN_GROUP"]; x.v != "" {
		if (slack.Config{AdminGroup: x.v}).Validate() != nil {
			v.add("%s %q is not a Slack user group id (like S0123ABCD)", x.from, x.v)
		}
		s.AdminGroup = x.v
	}
	if x := vals["WHERETO_SLACK_AUDIT_CHANNEL"]; x.v != "" {
		if !slackChannelIDRE.MatchString(x.v) && !slackChannelRE.MatchString(x.v) {
			v.add("%s %q is not a Slack channel id (like C0123ABCD) or name (like #whereto-audit)", x.from, x.v)
		}
		s.AuditChannel = x.v
	}

	if bot == "" {
		for _, name := range []string{"SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "WHERETO_SLACK_API_URL", "WHERETO_SLACK_ADMINS", "WHERETO_SLACK_ADMIN_GROUP", "WHERETO_SLACK_AUDIT_CHANNEL"} {
			if x := vals[name]; x.v != "" {
				v.add("%s is set but SLACK_BOT_TOKEN is not: set the token to run Slack, or unset %s", x.from, x.from)
			}
		}
	} else if len(s.Admins) == 0 && s.AdminGroup == "" {
		v.warn("Slack has no admins (WHERETO_SLACK_ADMINS, WHERETO_SLACK_ADMIN_GROUP): nobody can edit the directory from Slack")
	}
	return s
}

func (v *validator) web(vals map[string]value) webConfig {
	var w webConfig
	on := vals["WHERETO_WEB"]
	switch strings.ToLower(on.v) {
	case "on", "true", "1", "yes":
	case "off", "false", "0", "no":
		w.Off = true
	default:
		v.add("%s %q must be on or off", on.from, on.v)
	}
	if x := vals["WHERETO_WEB_ORIGINS"]; x.v != "" {
		for _, o := range splitList(x.v) {
			o = strings.TrimSuffix(o, "/")
			if err := web.CheckOrigin(o); err != nil {
				v.add("%s: %q %v", x.from, o, err)
				continue
			}
			w.Origins = append(w.Origins, o)
		}
	}
	exit := vals["WHERETO_WEB_EXIT_URL"]
	if err := web.CheckExitURL(exit.v); err != nil {
		v.add("%s %q: %v", exit.from, exit.v, err)
	}
	w.ExitURL = exit.v
	if x := vals["WHERETO_WEB_TRUSTED_PROXIES"]; x.v != "" {
		for _, p := range splitList(x.v) {
			pre, err := netip.ParsePrefix(p)
			if err != nil {
				a, aerr := netip.ParseAddr(p)
				if aerr != nil {
					v.add("%s: %q is not an IP address or CIDR such as 127.0.0.1 or 10.0.0.0/8", x.from, p)
					continue
				}
				pre = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
			}
			w.TrustedProxies = append(w.TrustedProxies, pre.Masked())
		}
	}
	if w.Off {
		for _, name := range []string{"WHERETO_WEB_ORIGINS", "WHERETO_WEB_TRUSTED_PROXIES"} {
			if x := vals[name]; x.v != "" {
				v.warn("%s is set but the web chat is off (WHERETO_WEB=off)", x.from)
			}
		}
	}
	return w
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
}

// httpURL parses s as an absolute http or https URL with a host and no
// user name or password (https only if httpsOnly).
func httpURL(s string, httpsOnly bool) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, errors.New("not a URL")
	case httpsOnly && u.Scheme != "https":
		return nil, errors.New("must be an https:// URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, errors.New("must be an http:// or https:// URL")
	case u.Host == "":
		return nil, errors.New("has no host")
	case u.User != nil:
		return nil, errors.New("must not carry a user name or password")
	case u.Fragment != "":
		return nil, errors.New("must not have a #fragment")
	}
	return u, nil
}

// showURL returns u for display: scheme, host and path, without any query
// (which could carry a key).
func showURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable)"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
