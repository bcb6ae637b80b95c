package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows/lang"
)

// ChannelName is the channel's name in logs, metrics and session keys.
const ChannelName = "web"

// Defaults for the zero fields of Config.
const (
	// DefaultExitURL is where the quick exit goes: a page that is ordinary
	// to have open and says nothing about the chat.
	DefaultExitURL = "https://www.bbc.co.uk/weather"
	// DefaultRate and DefaultBurst bound conversation requests per client
	// address: a burst of 30 (a person reading and tapping quickly, or a
	// few people behind one address), then one every two seconds.
	DefaultRate  = rate.Limit(0.5)
	DefaultBurst = 30
	// DefaultMaxBody bounds a POST's body: the conversation reads 16 KB
	// of a message (flows.MaxReadBytes), which form-encoding can triple.
	DefaultMaxBody = 64 << 10
	// DefaultMaxClients is how many client addresses the rate limiter
	// tracks at once.
	DefaultMaxClients = 100_000
)

// maxChoice is the longest button id read; flows' ids are far shorter.
const maxChoice = 200

// maxStart is the longest deep-link route id read.
const maxStart = 64

// Handler is what the channel needs from the core: *bot.Runner.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) (bot.Response, error)
}

// Config is the web chat's configuration. The zero value is usable: it
// has the defaults documented on each field and a random key.
type Config struct {
	// ExitURL is the quick exit's destination, an absolute http(s) URL;
	// default DefaultExitURL.
	ExitURL string
	// Origins are the origins ("https://www.luton.gov.uk") whose pages may
	// embed the chat (CSP frame-ancestors, and the widget's panel). With
	// none, only pages of the chat's own origin may.
	Origins []string
	// SessionTTL is how long a conversation id stays valid after its
	// last turn; it should be the runner's TTL. Default
	// bot.DefaultSessionTTL.
	SessionTTL time.Duration
	// Key seals conversation ids (KeySize bytes or more). Keep it across
	// restarts (the command keeps it in the database) or conversations in
	// progress start again after a restart. Default: random.
	Key []byte
	// Rate and Burst limit conversation requests per client address;
	// defaults DefaultRate and DefaultBurst. rate.Inf turns the limit off
	// (for benchmarks).
	Rate  rate.Limit
	Burst int
	// MaxClients bounds the addresses tracked; default DefaultMaxClients.
	MaxClients int
	// MaxBody bounds a POST body in bytes; default DefaultMaxBody.
	MaxBody int64
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for the client address. With none, the peer address is
	// the client's.
	TrustedProxies []netip.Prefix
	// Directory, if set, gives the partnership's area for the page title.
	Directory bot.DirectorySource
	// Logger receives one line per refused request and a line per turn
	// (status, kind, duration; never text); default discards.
	Logger *slog.Logger
	// Metrics, if set, counts refused requests (UpdatesSkipped).
	Metrics bot.Metrics
	// Now returns the current time; default time.Now.
	Now func() time.Time
}

// Chat is the web chat channel. Create it with New; it is safe for
// concurrent use.
type Chat struct {
	h       Handler
	cfg     Config
	seal    sealer
	limit   *limiter
	csp     string
	assets  map[string]asset
	version string // of chat.js and chat.css, for cache busting

	// tpl is page.html; msg and foot are its parts rendered for each
	// page, and frame the parts rendered once (see page.go).
	tpl       *template.Template
	msg, foot *template.Template
	frame     atomic.Pointer[frame]
	netError  map[lang.Lang]message
	bufs      sync.Pool // of *bytes.Buffer, for rendering pages
}

// asset is a static file served from memory.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

//go:embed static
var static embed.FS

// Errors from New.
var (
	// ErrConfig is returned (wrapped) for a configuration New cannot use.
	ErrConfig = errors.New("web: configuration not valid")
)

// New returns the web chat answering through h. It returns an error
// wrapping ErrConfig for a bad exit URL, origin or key.
func New(cfg Config, h Handler) (*Chat, error) {
	if cfg.ExitURL == "" {
		cfg.ExitURL = DefaultExitURL
	}
	if err := CheckExitURL(cfg.ExitURL); err != nil {
		return nil, fmt.Errorf("%w: exit URL: %w", ErrConfig, err)
	}
	for _, o := range cfg.Origins {
		if err := CheckOrigin(o); err != nil {
			return nil, fmt.Errorf("%w: origin %q: %w", ErrConfig, o, err)
		}
	}
	if cfg.Key == nil {
		cfg.Key = NewKey()
	}
	if len(cfg.Key) < KeySize {
		return nil, fmt.Errorf("%w: key shorter than %d bytes", ErrConfig, KeySize)
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = bot.DefaultSessionTTL
	}
	if cfg.Rate == 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Metrics == nil {
		cfg.Metrics = bot.NopMetrics{}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Chat{h: h, cfg: cfg, seal: sealer{key: cfg.Key}, limit: newLimiter(cfg.Rate, cfg.Burst, cfg.MaxClients)}
	c.csp = csp(cfg.Origins)
	if err := c.loadAssets(); err != nil {
		return nil, err
	}
	tpl, err := template.New("page.html").ParseFS(static, "static/page.html")
	if err != nil {
		return nil, fmt.Errorf("web: page template: %w", err)
	}
	c.tpl, c.msg, c.foot = tpl, tpl.Lookup("msg"), tpl.Lookup("foot")
	c.netError = map[lang.Lang]message{}
	for _, l := range lang.Languages() {
		c.netError[l] = textMessage(l, tr(l, "web.net_error")+"\n\n"+tr(l, "web.danger"))
	}
	if _, err := c.currentFrame(); err != nil {
		return nil, err
	}
	return c, nil
}

// CheckExitURL returns an error unless u is an absolute http(s) URL with
// a host and no user name.
func CheckExitURL(u string) error {
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case p.Scheme != "https" && p.Scheme != "http":
		return errors.New("must be an http:// or https:// URL")
	case p.Host == "":
		return errors.New("has no host")
	case p.User != nil:
		return errors.New("must not carry a user name or password")
	case strings.ContainsAny(u, " \"'<>\\"):
		return errors.New("must not contain spaces, quotes or angle brackets")
	}
	return nil
}

// CheckOrigin returns an error unless o is a web origin: scheme and host,
// optionally a port, and nothing else ("https://www.luton.gov.uk").
func CheckOrigin(o string) error {
	p, err := url.Parse(o)
	switch {
	case err != nil:
		return errors.New("not a URL")
	case p.Scheme != "https" && p.Scheme != "http":
		return errors.New("must start https:// (or http://)")
	case p.Host == "" || p.User != nil || (p.Path != "" && p.Path != "/") || p.RawQuery != "" || p.Fragment != "":
		return errors.New("must be only a scheme and a host, like https://www.example.org")
	case strings.ContainsAny(p.Host, " ;,'\"*"):
		return errors.New("host has a character an origin cannot have")
	}
	return nil
}

// csp is the Content-Security-Policy of every page: nothing but this
// origin's own script, style and requests; no inline code; framed only by
// the allowed origins.
func csp(origins []string) string {
	anc := "'self'"
	for _, o := range origins {
		anc += " " + strings.TrimSuffix(o, "/")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors " + anc
}

func (c *Chat) loadAssets() error {
	c.assets = map[string]asset{}
	h := sha256.New()
	for _, f := range []struct{ name, ctype string }{
		{"chat.js", "text/javascript; charset=utf-8"},
		{"chat.css", "text/css; charset=utf-8"},
		{"widget.js", "text/javascript; charset=utf-8"},
	} {
		b, err := static.ReadFile("static/" + f.name)
		if err != nil {
			return fmt.Errorf("web: %w", err)
		}
		if f.name == "widget.js" {
			exit, _ := json.Marshal(c.cfg.ExitURL) // a string always marshals
			b = []byte(strings.Replace(string(b), `"__EXIT_URL__"`, string(exit), 1))
			b = []byte(strings.Replace(string(b), `{"__LABELS__": 0}`, widgetLabels(), 1))
		} else {
			h.Write(b)
		}
		sum := sha256.Sum256(b)
		c.assets[f.name] = asset{body: b, ctype: f.ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	c.version = hex.EncodeToString(h.Sum(nil)[:6])
	return nil
}

// widgetLabels is the widget's words in every language, as a JavaScript
// object: {"en":{"open":"...","close":"...","dir":"ltr"},...}.
func widgetLabels() string {
	type label struct {
		Open  string `json:"open"`
		Close string `json:"close"`
		Dir   string `json:"dir"`
	}
	out := map[lang.Lang]label{}
	for _, l := range lang.Languages() {
		out[l] = label{tr(l, "web.widget_open"), tr(l, "web.widget_close"), dirOf(l)}
	}
	b, _ := json.Marshal(out) // strings always marshal
	return string(b)
}

// Name returns "web".
func (c *Chat) Name() string { return ChannelName }

// Ready returns nil: the chat answers whenever the HTTP listener does.
func (c *Chat) Ready() error { return nil }

// Run forgets idle client addresses once a minute until ctx is done, then
// returns nil. Requests are answered by Handlers, not here.
func (c *Chat) Run(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			c.limit.sweep(c.cfg.Now())
		}
	}
}

// Handlers returns the chat's HTTP handlers, as the package documentation
// lists them.
func (c *Chat) Handlers() map[string]http.Handler {
	return map[string]http.Handler{
		"GET /chat":           http.HandlerFunc(c.serveStart),
		"POST /chat":          http.HandlerFunc(c.serveTurn),
		"GET /chat/chat.js":   c.serveAsset("chat.js"),
		"GET /chat/chat.css":  c.serveAsset("chat.css"),
		"GET /chat/widget.js": c.serveAsset("widget.js"),
	}
}

// Handler returns the chat's handlers on a mux of their own, for tests
// and for serving the chat without the service.
func (c *Chat) Handler() http.Handler {
	mux := http.NewServeMux()
	for p, h := range c.Handlers() {
		mux.Handle(p, h)
	}
	return mux
}

// serveAsset serves a static file. chat.js and chat.css are asked for
// with ?v=version and cached for a day; widget.js, whose URL is pasted
// into other sites, for five minutes. widget.js may be loaded by any
// site (Cross-Origin-Resource-Policy: cross-origin); its panel is framed
// only where Origins allow.
func (c *Chat) serveAsset(name string) http.Handler {
	a := c.assets[name]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", a.etag)
		if name == "widget.js" {
			h.Set("Cache-Control", "public, max-age=300")
			h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		} else {
			h.Set("Cache-Control", "public, max-age=86400")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
		}
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", fmt.Sprint(len(a.body)))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(a.body)
	})
}
