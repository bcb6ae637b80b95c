package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/bot"
)

// channelName is the name of this channel in logs and metrics.
const channelName = "slack"

// sender sends messages and opens views through the Slack Web API, waiting
// and retrying (twice) when Slack rate-limits a call. Safe for concurrent
// use.
type sender struct {
	api     *slack.Client
	http    *http.Client
	metrics bot.Metrics
	log     *slog.Logger
	// responseOrigins are the scheme://host origins a response_url may
	// have: Slack's hooks host and the configured API's.
	responseOrigins []string
	// maxWait caps one rate-limit wait.
	maxWait time.Duration
}

// allowedResponseURL reports whether u is a response_url whereto may post
// to: https://hooks.slack.com/... or an address on the configured API host
// (a fake Slack in tests, or a proxy). Anything else is refused, so a
// forged or misrouted payload cannot make whereto post to another host.
func (s *sender) allowedResponseURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.User != nil || p.Host == "" {
		return false
	}
	origin := p.Scheme + "://" + p.Host
	for _, o := range s.responseOrigins {
		if origin == o {
			return true
		}
	}
	return false
}

// do calls call, retrying after Slack's Retry-After when rate-limited.
func (s *sender) do(ctx context.Context, call func() error) error {
	for attempt := 0; ; attempt++ {
		err := call()
		if err == nil {
			return nil
		}
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) && attempt < 2 {
			wait := min(max(rl.RetryAfter, time.Second), s.maxWait)
			s.metrics.RateLimited(channelName, wait)
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				s.metrics.SendFailed(channelName)
				return ctx.Err()
			case <-t.C:
			}
			s.metrics.SendRetried(channelName)
			continue
		}
		s.metrics.SendFailed(channelName)
		return err
	}
}

func msgOptions(r *reply) []slack.MsgOption {
	opts := []slack.MsgOption{
		slack.MsgOptionText(r.Text, false),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if len(r.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(r.Blocks...))
	}
	return opts
}

// post posts r in channel (in the thread of threadTS if set).
func (s *sender) post(ctx context.Context, channel, threadTS string, r *reply) error {
	opts := msgOptions(r)
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	return s.do(ctx, func() error {
		_, _, err := s.api.PostMessageContext(ctx, channel, opts...)
		if err != nil {
			return fmt.Errorf("chat.postMessage: %w", err)
		}
		return nil
	})
}

// ephemeral shows r to user in channel.
func (s *sender) ephemeral(ctx context.Context, channel, user string, r *reply) error {
	return s.do(ctx, func() error {
		_, err := s.api.PostEphemeralContext(ctx, channel, user, msgOptions(r)...)
		if err != nil {
			return fmt.Errorf("chat.postEphemeral: %w", err)
		}
		return nil
	})
}

// respond posts r to a response_url.
func (s *sender) respond(ctx context.Context, responseURL string, r *reply) error {
	if !s.allowedResponseURL(responseURL) {
		return errors.New("response_url is not a Slack address")
	}
	return s.do(ctx, func() error {
		if err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, s.http, r.webhook()); err != nil {
			return fmt.Errorf("response_url: %w", err)
		}
		return nil
	})
}

// notify shows r to user privately: through responseURL if there is one,
// else as an ephemeral message in channel, else in a direct message.
func (s *sender) notify(ctx context.Context, responseURL, channel, user string, r *reply) error {
	var errs []error
	if responseURL != "" {
		err := s.respond(ctx, responseURL, r)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	if channel != "" {
		err := s.ephemeral(ctx, channel, user, r)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
	}
	if err := s.post(ctx, user, "", r); err != nil {
		errs = append(errs, err)
		return errors.Join(errs...)
	}
	return nil
}

// openView opens a modal with the trigger of a command or button.
func (s *sender) openView(ctx context.Context, triggerID string, v slack.ModalViewRequest) error {
	return s.do(ctx, func() error {
		if _, err := s.api.OpenViewContext(ctx, triggerID, v); err != nil {
			return fmt.Errorf("views.open: %w", err)
		}
		return nil
	})
}
