package bot

import (
	"context"
	"net/http"
)

// Channel is one chat platform connection run by the service (Telegram,
// Slack). The service starts every configured channel, reports their
// readiness, and stops them in reverse order on shutdown.
type Channel interface {
	// Name is a short lower-case name used in logs and metrics.
	Name() string
	// Run takes in messages until ctx is done, then finishes or hands back
	// work in flight and returns. It returns nil on a clean stop and an
	// error if the channel could not keep running.
	Run(ctx context.Context) error
	// Ready returns nil while the channel is connected and able to answer,
	// or an error saying why not.
	Ready() error
}

// HTTPChannel is a Channel that also takes requests on the service's shared
// HTTP listener (webhooks, signed Slack requests).
type HTTPChannel interface {
	Channel
	// Handlers returns the HTTP handlers to mount, by path pattern (as for
	// http.ServeMux, e.g. "POST /telegram/webhook").
	Handlers() map[string]http.Handler
}
