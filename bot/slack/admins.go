package slack

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// How long the admin group's members are trusted, and how long a stale
// list may stand in when Slack cannot be asked.
const (
	groupTTL      = time.Minute
	groupStaleTTL = 10 * time.Minute
	groupTimeout  = 2 * time.Second
)

// admins decides who may change the directory: the listed user ids, and
// the members of a Slack user group (fetched with usergroups.users.list and
// cached briefly). It fails closed: if the group cannot be fetched and no
// recent list is known, only the listed users are admins. Safe for
// concurrent use.
type admins struct {
	users []string
	group string
	api   *slack.Client
	log   *slog.Logger
	clock func() time.Time // real time: cache ages are not directory time

	mu      sync.Mutex
	members []string
	fetched time.Time
}

// is reports whether user may change the directory.
func (a *admins) is(ctx context.Context, user string) bool {
	if user == "" {
		return false
	}
	if slices.Contains(a.users, user) {
		return true
	}
	if a.group == "" {
		return false
	}
	members, err := a.groupMembers(ctx)
	if err != nil {
		a.log.LogAttrs(ctx, slog.LevelWarn, "slack admin group unavailable; treating the user as not an admin",
			slog.String("user", user), slog.String("group", a.group), slog.String("err", err.Error()))
		return false
	}
	return slices.Contains(members, user)
}

// groupMembers returns the group's members, from the cache if fresh. The
// lock is held while fetching, so concurrent checks make one call.
func (a *admins) groupMembers(ctx context.Context) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.clock()
	if !a.fetched.IsZero() && now.Sub(a.fetched) < groupTTL {
		return a.members, nil
	}
	ctx, cancel := context.WithTimeout(ctx, groupTimeout)
	defer cancel()
	members, err := a.api.GetUserGroupMembersContext(ctx, a.group)
	if err != nil {
		if !a.fetched.IsZero() && now.Sub(a.fetched) < groupStaleTTL {
			return a.members, nil
		}
		return nil, fmt.Errorf("usergroups.users.list %s: %w", a.group, err)
	}
	a.members, a.fetched = members, now
	return members, nil
}
