package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// quietLogger is installed as tgbotapi's logger: it drops everything. The
// library logs request URLs, token included, on network errors (upstream
// issue #628), and message text in Debug mode, which is never turned on.
type quietLogger struct{}

func (quietLogger) Println(...any)        {}
func (quietLogger) Printf(string, ...any) {}

// silenceOnce guards the one write to tgbotapi's process-wide logger. It is
// the only package-level state here, and it only ever goes from "library
// default" to "drop everything", before the first request.
var silenceOnce sync.Once

func silenceLibrary() {
	silenceOnce.Do(func() { _ = tgbotapi.SetLogger(quietLogger{}) })
}

// ctxClient gives every request of one call its context: tgbotapi builds
// requests without one, so this is how a call is cancelled.
type ctxClient struct {
	ctx context.Context
	c   tgbotapi.HTTPClient
}

func (c ctxClient) Do(r *http.Request) (*http.Response, error) { return c.c.Do(r.WithContext(c.ctx)) }

// api returns a copy of the library client whose requests carry ctx. The
// copy is cheap (a few words) and never shared.
func (b *Bot) api(ctx context.Context) *tgbotapi.BotAPI {
	a := *b.base
	a.Client = ctxClient{ctx: ctx, c: b.client}
	return &a
}

// apiError is a failed Bot API call, with the token removed from its text.
// It never holds the library's or net/http's error value, whose text and
// fields can carry the request URL and so the token; only a context error
// is kept, so that errors.Is(err, context.Canceled) works.
type apiError struct {
	method string
	// code is the Bot API's error_code (401, 429, 500...), or 0 when the
	// call failed before an answer (network, timeout, unreadable reply).
	code int
	// retryAfter is the wait a 429 asked for.
	retryAfter time.Duration
	// text is the redacted description.
	text  string
	cause error
}

func (e *apiError) Error() string {
	if e.code != 0 {
		return fmt.Sprintf("telegram: %s: %d %s", e.method, e.code, e.text)
	}
	return fmt.Sprintf("telegram: %s: %s", e.method, e.text)
}

func (e *apiError) Unwrap() error { return e.cause }

// transient reports whether the call may succeed if tried again: network
// errors, 5xx answers and 429 (flood control).
func (e *apiError) transient() bool {
	if e.cause != nil {
		return false
	}
	return e.code == 0 || e.code == http.StatusTooManyRequests || e.code >= 500
}

// redactor removes the token, in every form it takes in a URL, from text.
type redactor struct{ forms []string }

func newRedactor(token string) redactor {
	var r redactor
	for _, f := range []string{token, url.PathEscape(token), url.QueryEscape(token)} {
		if f != "" && !slices.Contains(r.forms, f) {
			r.forms = append(r.forms, f)
		}
	}
	return r
}

func (r redactor) redact(s string) string {
	for _, f := range r.forms {
		s = strings.ReplaceAll(s, f, "<token>")
	}
	return s
}

// classify turns an error from tgbotapi into an *apiError (nil stays nil).
func (r redactor) classify(method string, err error) error {
	if err == nil {
		return nil
	}
	e := &apiError{method: method}
	var te *tgbotapi.Error
	switch {
	case errors.As(err, &te):
		e.code = te.Code
		e.text = r.redact(te.Message)
		if te.RetryAfter > 0 {
			e.retryAfter = time.Duration(te.RetryAfter) * time.Second
		}
	case errors.Is(err, context.Canceled):
		e.text, e.cause = "canceled", context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		e.text, e.cause = "timed out", context.DeadlineExceeded
	default:
		var ue *url.Error
		if errors.As(err, &ue) {
			// "Post "<url>": <cause>": the URL holds the token; keep only
			// the cause, redacted too in case it quotes the URL.
			e.text = r.redact(ue.Err.Error())
		} else {
			e.text = r.redact(err.Error())
		}
	}
	return e
}

// callClass says which budget of the outgoing limiter a call spends.
type callClass int

const (
	// classFree calls are not rate-limited: answerCallbackQuery (which must
	// be quick and sends no message) and the calls made at startup.
	classFree callClass = iota
	// classGlobal calls spend the global budget: edits and deletions.
	classGlobal
	// classChat calls spend the global and the chat's budget: new messages.
	classChat
)

// callTimeout bounds one HTTP request that is not a long poll.
const callTimeout = 30 * time.Second

// maxFloodWaits is how many 429 answers one call waits out before giving
// up. They do not use up MaxTries: Telegram said when to come back.
const maxFloodWaits = 10

// call runs fn, which makes one Bot API request with the client it is
// given, through the outgoing limiter, retrying as the error allows: a 429
// waits its retry_after; a 5xx or network error waits an exponential
// backoff with jitter, up to cfg.MaxTries tries in all. It returns nil, or
// the last error as an *apiError (never holding the token). It stops early,
// returning an error wrapping ctx.Err(), when ctx is done.
func (b *Bot) call(ctx context.Context, method string, chat int64, class callClass, fn func(api *tgbotapi.BotAPI) error) error {
	tries, floods := 0, 0
	for {
		if class != classFree {
			waited, err := b.lim.wait(ctx, chat, class == classChat)
			if err != nil {
				return &apiError{method: method, text: "canceled while waiting to send", cause: err}
			}
			if waited > 0 {
				b.metrics.RateLimited(channelName, waited)
			}
		}
		tries++
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		err := b.red.classify(method, fn(b.api(cctx)))
		cancel()
		if err == nil {
			if class != classFree {
				b.sendWorked()
			}
			return nil
		}
		if ctx.Err() != nil {
			return &apiError{method: method, text: "canceled", cause: ctx.Err()}
		}
		var ae *apiError
		if !errors.As(err, &ae) || !ae.transient() {
			return err
		}
		if class != classFree {
			// Only failures that keep every message out count (429, 5xx,
			// the network): a 400 is about one message.
			b.sendFailed(err)
		}
		var wait time.Duration
		switch {
		case ae.code == http.StatusTooManyRequests && floods < maxFloodWaits:
			floods++
			tries--
			wait = ae.retryAfter
			if wait <= 0 {
				wait = b.backoff(floods)
			}
			b.metrics.RateLimited(channelName, wait)
		case ae.code != http.StatusTooManyRequests && tries < b.cfg.MaxTries:
			wait = b.backoff(tries)
		default:
			return err
		}
		b.metrics.SendRetried(channelName)
		b.log.Debug("retrying Bot API call", "method", method, "code", ae.code, "err", ae.text, "try", tries, "wait", wait)
		if err := sleep(ctx, wait); err != nil {
			return &apiError{method: method, text: "canceled while waiting to retry", cause: err}
		}
	}
}

// maxRetryWait caps the wait between tries of a call.
const maxRetryWait = 30 * time.Second

// backoff is the wait before retry n (from 1): RetryBase doubling each
// time, capped at maxRetryWait, with jitter (bot.Backoff).
func (b *Bot) backoff(n int) time.Duration { return b.retry.Wait(n) }

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// request makes a call whose result is true rather than a Message:
// answerCallbackQuery, editMessageReplyMarkup, deleteMessage and the like.
// tgbotapi's Send would try to read a Message out of "true" and return a
// false error; Request does not.
func (b *Bot) request(ctx context.Context, method string, chat int64, class callClass, c tgbotapi.Chattable) error {
	return b.call(ctx, method, chat, class, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(c)
		return err
	})
}

// raw makes a call by method name with hand-made parameters, for what
// tgbotapi v5.5.1 cannot express (setWebhook's secret_token).
func (b *Bot) raw(ctx context.Context, method string, p tgbotapi.Params) error {
	return b.call(ctx, method, 0, classFree, func(api *tgbotapi.BotAPI) error {
		_, err := api.MakeRequest(method, p)
		return err
	})
}

// codeOf returns the Bot API error code of err, or 0.
func codeOf(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.code
	}
	return 0
}
