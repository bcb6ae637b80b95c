package bot

import "time"

// Metrics receives anonymous operational counts from the runner and the
// channel adapters. The service wires a Prometheus implementation; nil
// means none. Implementations must be safe for concurrent use and must not
// block. No method receives anything a person typed.
type Metrics interface {
	// MessageHandled is called once per message the runner handled, with
	// the route reached ("" if none) and how long handling took.
	MessageHandled(channel string, route string, took time.Duration)
	// SendFailed is called when an adapter gave up sending a reply.
	SendFailed(channel string)
	// SendRetried is called for each retry of a send.
	SendRetried(channel string)
	// RateLimited is called when an adapter waited before sending, to keep
	// within a platform's limits, with how long it waited.
	RateLimited(channel string, waited time.Duration)
	// UpdatesSkipped is called when a channel took in n updates and did
	// not answer them on their own, saying why (Skip*).
	UpdatesSkipped(channel string, reason string, n int)
}

// Reasons given to Metrics.UpdatesSkipped.
const (
	// SkipUndecodable: the platform sent an update the channel cannot
	// read; it is acknowledged, so that it is not sent again for ever.
	SkipUndecodable = "undecodable"
	// SkipMerged: the person sent several messages faster than they could
	// be answered; these were answered by the answer to another one.
	SkipMerged = "merged"
	// SkipBacklog: the channel had too much waiting and asked the
	// platform to send the update again later (a webhook's 429).
	SkipBacklog = "backlog_full"
	// SkipRateLimited: one sender sent more than its share and was asked
	// to wait (the web chat's per-address limit).
	SkipRateLimited = "rate_limited"
	// SkipBadRequest: the request was not one the channel takes (a forged
	// or expired token, a body too large, not a form).
	SkipBadRequest = "bad_request"
)

// NopMetrics is a Metrics that records nothing.
type NopMetrics struct{}

// MessageHandled does nothing.
func (NopMetrics) MessageHandled(string, string, time.Duration) {}

// SendFailed does nothing.
func (NopMetrics) SendFailed(string) {}

// SendRetried does nothing.
func (NopMetrics) SendRetried(string) {}

// RateLimited does nothing.
func (NopMetrics) RateLimited(string, time.Duration) {}

// UpdatesSkipped does nothing.
func (NopMetrics) UpdatesSkipped(string, string, int) {}
