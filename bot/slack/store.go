package slack

import (
	"context"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

// DirectorySource gives the current directory snapshot: the directory
// package's Source, which the store implements.
type DirectorySource = directory.Source

// Store is what the Slack app needs from the whereto store: the directory
// package's store contract for changes, the audit log and the figures,
// and MarkSeen, which de-duplicates Slack's event retries. *bolt.Store
// (directory/bolt) implements it: New(cfg, st, st). Implementations must
// be safe for concurrent use.
type Store interface {
	directory.Editor
	directory.AuditLog
	// Stats returns conversation counts per day and route, days inclusive
	// (directory.Counter's Stats).
	Stats(ctx context.Context, fromDay, toDay string) ([]directory.StatRow, error)
	// MarkSeen records that id in namespace ns was handled, until expires,
	// and reports whether it was new.
	MarkSeen(ctx context.Context, ns, id string, expires time.Time) (bool, error)
}
