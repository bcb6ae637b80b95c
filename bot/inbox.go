package bot

import (
	"context"
	"time"
)

// InboxItem is one update held in an Inbox: an id unique and increasing
// within its channel (Telegram's update_id) and the channel's own encoding
// of what the update asks. Data holds what the person typed only until the
// update is answered.
type InboxItem struct {
	ID   int64
	Data []byte
}

// Inbox holds, durably, the updates a channel has received and not yet
// answered. A channel writes an update to the inbox before it confirms it
// to the platform (moves Telegram's offset on, answers a webhook 200), and
// answers from the inbox; an answered update is taken out and remembered
// as done for a while, so that the platform's redelivery of it is not
// answered twice. After a crash the channel answers what the inbox still
// holds: nothing confirmed is lost, and only answers whose sends were in
// flight are repeated.
//
// Namespaces keep channels apart ("telegram"). *bolt.Store implements
// Inbox.
type Inbox interface {
	// InboxPut stores items in one durable write and returns those it
	// took: an item already held, or done and still remembered, is left
	// out. The items keep their order.
	InboxPut(ctx context.Context, ns string, items []InboxItem) ([]InboxItem, error)
	// InboxDone takes ids out of the inbox and remembers them as done
	// until keep (not at all if keep is zero: a channel whose platform
	// never sends an update again once it is confirmed), in one durable
	// write.
	InboxDone(ctx context.Context, ns string, ids []int64, keep time.Time) error
	// InboxNext is one past the highest id ever put in ns (0 if none):
	// where a channel that polls by offset starts again.
	InboxNext(ctx context.Context, ns string) (int64, error)
	// InboxPending returns every item held in ns, lowest id first.
	InboxPending(ctx context.Context, ns string) ([]InboxItem, error)
}
