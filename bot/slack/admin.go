package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

// storeTimeout bounds a store call made before acknowledging a request.
const storeTimeout = 2 * time.Second

// Limits of admin answers.
const (
	maxHistory       = 25  // changes shown, newest first
	maxRefusalsShown = 3   // refused attempts shown after them, newest first
	maxStaleList     = 40  // stale services listed
	defaultDays      = 7   // stats days by default
	maxDays          = 366 // stats days at most
)

// admin runs an admin command for an admin.
func (h *handler) admin(ctx context.Context, c command, ix *index, ac adminCommand) result {
	res := result{name: ac.verb}
	svc, exists := ix.service(ac.id)
	if ac.id != "" && !exists && ac.verb != verbHistory && ac.verb != verbRevert {
		res.reply = textReply("There is no service `" + esc(ac.id) + "`. Look it up with `/whereto " + esc(ac.id) + "` to find its id.")
		return res
	}
	switch ac.verb {
	case verbEdit, verbAdd:
		meta := formMeta{Mode: modeEdit, ID: svc.ID, Fingerprint: fingerprint(svc), Channel: c.ChannelID, ResponseURL: c.ResponseURL}
		if ac.verb == verbAdd {
			meta = formMeta{Mode: modeAdd, Channel: c.ChannelID, ResponseURL: c.ResponseURL}
			svc = directory.Service{}
		}
		view, err := editModal(meta, svc, routeNames(ix.dir))
		if err != nil {
			res.reply = textReply("This service cannot be edited in Slack: " + esc(err.Error()) + ". Use `whereto directory export` and import instead.")
			return res
		}
		trigger, user, channel, respURL := c.TriggerID, c.UserID, c.ChannelID, c.ResponseURL
		res.essential = true
		res.later = func(ctx context.Context) {
			if err := h.send.openView(ctx, trigger, view); err != nil {
				h.log.LogAttrs(ctx, slog.LevelError, "slack: opening the edit form failed",
					slog.String("user", user), slog.String("command", ac.verb), slog.String("err", err.Error()))
				h.sent(ctx, "notify", h.send.notify(ctx, respURL, channel, user, textReply("I could not open the form (Slack said: "+esc(err.Error())+"). Please try again.")))
			}
		}
	case verbRemove:
		res.reply = removeConfirmReply(svc)
	case verbVerify:
		before := svc.Clone()
		svc.Verified = today(h.now())
		if err := h.put(ctx, c.UserID, svc); err != nil {
			res.reply = h.saveFailed(ctx, c.UserID, ac.verb, err)
			return res
		}
		res.reply = textReply(fmt.Sprintf("Marked *%s* (`%s`) as verified today, %s.", escClip(svc.Name, 150), esc(svc.ID), svc.Verified))
		res.later = h.auditLater(c.UserID, "verified", &before, &svc)
	case verbHistory:
		res.reply = h.history(ctx, ac.id)
	case verbRevert:
		res.reply, res.later = h.revert(ctx, c.UserID, ix, ac.id, uint64(ac.num))
	case verbStale:
		res.reply = staleReply(ix.dir, h.now())
	case verbStats:
		res.reply = h.stats(ctx, ix.dir, ac.num)
	}
	return res
}

// put saves a service with a bounded wait.
func (h *handler) put(ctx context.Context, user string, svc directory.Service) error {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	return h.store.PutService(ctx, user, svc)
}

// saveFailed logs a failed change and says so.
func (h *handler) saveFailed(ctx context.Context, user, verb string, err error) *reply {
	var verr *directory.ValidationError
	if errors.As(err, &verr) {
		var msgs []string
		for _, p := range verr.Problems {
			msgs = append(msgs, esc(p.String()))
		}
		return textReply("Nothing was changed: the directory would not be valid.\n• " + strings.Join(msgs, "\n• "))
	}
	if errors.Is(err, directory.ErrNotFound) {
		return textReply("Nothing was changed: that service is no longer in the directory.")
	}
	h.log.LogAttrs(ctx, slog.LevelError, "slack: saving a directory change failed",
		slog.String("user", user), slog.String("command", verb), slog.String("err", err.Error()))
	return textReply("Nothing was changed: the directory could not be saved just now. Please try again.")
}

// removeConfirmReply asks before removing a service.
func removeConfirmReply(s directory.Service) *reply {
	confirm := slack.NewConfirmationBlockObject(plain("Remove this service?", 100),
		mrkdwn("*"+escClip(s.Name, 150)+"* will no longer be given to anyone. The change is recorded and can be reverted."),
		plain("Remove", 30), plain("Keep it", 30))
	remove := slack.NewButtonBlockElement(actionRemoveConfirm, s.ID, plain("Remove", 75))
	remove.Style = slack.StyleDanger
	remove.Confirm = confirm
	cancel := slack.NewButtonBlockElement(actionRemoveCancel, s.ID, plain("Cancel", 75))
	text := fmt.Sprintf("Remove *%s* (`%s`) from the directory? It disappears from every answer at once.", escClip(s.Name, 150), esc(s.ID))
	return &reply{
		Text:   text,
		Blocks: []slack.Block{section(text), slack.NewActionBlock("remove_actions", remove, cancel)},
	}
}

// history renders a service's changes, newest first, and apart from them
// its refused attempts: a count and the latest few, so that refusals never
// push changes out of the list.
func (h *handler) history(ctx context.Context, id string) *reply {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	entries, err := h.store.History(ctx, id)
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "slack: reading history failed", slog.String("service", id), slog.String("err", err.Error()))
		return textReply("The history could not be read just now. Please try again.")
	}
	changes, refusals := staff.SplitHistory(entries)
	unrecorded := uint64(0)
	if id != "" {
		unrecorded = h.unrecorded.get(id)
	}
	if len(entries) == 0 && unrecorded == 0 {
		return textReply("There is no record of a service `" + esc(id) + "`.")
	}
	var b strings.Builder
	if len(changes) == 0 {
		fmt.Fprintf(&b, "*No changes to `%s`* are recorded.\n", esc(id))
	} else {
		fmt.Fprintf(&b, "*Changes to `%s`*, newest first (%d in all):\n", esc(id), len(changes))
		writeEntries(&b, changes, maxHistory)
		if len(changes) > maxHistory {
			fmt.Fprintf(&b, "…and %d older.\n", len(changes)-maxHistory)
		}
	}
	if len(refusals) > 0 || unrecorded > 0 {
		fmt.Fprintf(&b, "*Refused attempts* by people who are not admins (nothing was changed): %d recorded", len(refusals))
		if unrecorded > 0 {
			fmt.Fprintf(&b, ", and %d more since whereto last started, over the limit on recorded attempts, only logged", unrecorded)
		}
		if len(refusals) > 0 {
			b.WriteString(". The latest:\n")
			writeEntries(&b, refusals, maxRefusalsShown)
		} else {
			b.WriteString(".\n")
		}
	}
	if len(changes) > 0 {
		fmt.Fprintf(&b, "Undo a change with `/whereto revert %s NUMBER`.", esc(id))
	}
	return textReply(strings.TrimRight(b.String(), "\n"))
}

// writeEntries writes the last n of entries, newest first, one a line.
func writeEntries(b *strings.Builder, entries []directory.AuditEntry, n int) {
	for i := len(entries) - 1; i >= 0 && len(entries)-i <= n; i-- {
		e := entries[i]
		fmt.Fprintf(b, "• *%d*  %s  %s  %s\n", e.Seq, e.At.In(directory.London()).Format("2 Jan 2006 15:04"), who(e.Who), describe(e))
	}
}

// describe says what an audit entry did.
func describe(e directory.AuditEntry) string {
	switch e.Action {
	case directory.ActionSeed:
		return "loaded with the default directory"
	case directory.ActionRefused:
		return "was refused (tried to " + esc(e.Note) + ")"
	case directory.ActionDelete:
		return "removed it"
	case directory.ActionPut:
		if e.Before == nil {
			return "added it"
		}
		ch, other := changedFields(e.Before, e.After)
		switch {
		case len(ch) > 0:
			return "changed " + strings.Join(ch, ", ")
		case other:
			// What differs is kept outside the form.
			return "changed what the form does not show (bank holidays or dated exceptions)"
		}
		return "saved it unchanged"
	}
	return esc(e.Action)
}

// formFields maps the fields directory.ChangedFields names to the form's
// inputs and their labels, in form order. Fields the form does not show
// (the id, bank holidays, dated exceptions) are absent.
func formFieldsOf() []struct{ field, block, label string } {
	return []struct{ field, block, label string }{
		{directory.FieldName, blockName, "name"}, {directory.FieldOrganisation, blockOrg, "organisation"},
		{directory.FieldDescription, blockDescription, "description"}, {directory.FieldContacts, blockContacts, "contacts"},
		{directory.FieldHoursWeekly, blockHours, "office hours"}, {directory.FieldHoursNote, blockHoursNote, "hours note"},
		{directory.FieldAreas, blockAreas, "areas"}, {directory.FieldAreaName, blockAreaName, "areas in words"},
		{directory.FieldRoutes, blockRoutes, "routes"}, {directory.FieldKeywords, blockKeywords, "keywords"},
		{directory.FieldSource, blockSource, "source"}, {directory.FieldStatus, blockStatus, "status"},
		{directory.FieldAlert, blockAlert, "alert"}, {directory.FieldReview, blockReview, "still to check"},
		{directory.FieldVerified, blockVerified, "verified"},
	}
}

// changedFields lists, as the form labels them, the fields the form
// shows that differ between two versions (directory.ChangedFields), and
// whether anything else differs too.
func changedFields(before, after *directory.Service) (labels []string, other bool) {
	changed := directory.ChangedFields(before, after)
	for _, f := range formFieldsOf() {
		if i := slices.Index(changed, f.field); i >= 0 {
			labels = append(labels, f.label)
			changed = slices.Delete(changed, i, i+1)
		}
	}
	return labels, len(changed) > 0
}

// revert restores the Before of change seq of service id: the service as
// it was before that change (removed again if the change added it). The
// restore is itself a change, audited like any other. It refuses what
// cannot be undone (the seed, a refused attempt) and anything that would
// leave the directory invalid.
func (h *handler) revert(ctx context.Context, user string, ix *index, id string, seq uint64) (*reply, func(context.Context)) {
	hctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	entries, err := h.store.History(hctx, id)
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "slack: reading history failed", slog.String("service", id), slog.String("err", err.Error()))
		return textReply("The history could not be read just now. Please try again."), nil
	}
	cur, exists := ix.service(id)
	var curPtr *directory.Service
	if exists {
		curPtr = &cur
	}
	p := staff.PlanRevert(entries, id, seq, exists)
	switch p.Undo {
	case staff.UndoRemove:
		dctx, cancel := context.WithTimeout(ctx, storeTimeout)
		defer cancel()
		if err := h.store.DeleteService(dctx, user, id); err != nil {
			return h.saveFailed(ctx, user, verbRevert, err), nil
		}
		return textReply(fmt.Sprintf("Reverted change %d: `%s` was added by it, so it is removed again.", seq, esc(id))),
			h.auditLater(user, fmt.Sprintf("reverted change %d of", seq), curPtr, nil)
	case staff.UndoRestore:
		restored := p.Restore
		if err := h.put(ctx, user, restored); err != nil {
			return h.saveFailed(ctx, user, verbRevert, err), nil
		}
		return textReply(fmt.Sprintf("Reverted change %d: *%s* (`%s`) is as it was before it.", seq, escClip(restored.Name, 150), esc(id))),
			h.auditLater(user, fmt.Sprintf("reverted change %d of", seq), curPtr, &restored)
	}
	switch p.Why {
	case staff.NoSuchChange:
		return textReply(fmt.Sprintf("There is no change %d to `%s`. `/whereto history %s` lists them.", seq, esc(id), esc(id))), nil
	case staff.SeedChange:
		return textReply("Change " + fmt.Sprint(seq) + " loaded the default directory; there is nothing before it to restore. Use `/whereto edit " + esc(id) + "` instead."), nil
	case staff.RefusedChange:
		return textReply("Change " + fmt.Sprint(seq) + " was a refused attempt; nothing was changed, so there is nothing to revert."), nil
	case staff.AlreadyGone:
		return textReply("`" + esc(id) + "` is not in the directory any more; nothing to revert."), nil
	default:
		return textReply("Change " + fmt.Sprint(seq) + " is not a change to `" + esc(id) + "`."), nil
	}
}

// staleReply lists the services that need checking, by the directory's
// stale rule (directory.Directory.Stale): never verified, not verified in
// the last directory.StaleAfterDays days, or marked for review.
func staleReply(d *directory.Directory, now time.Time) *reply {
	list := d.Stale(now, directory.StaleAfterDays)
	if len(list) == 0 {
		return textReply(fmt.Sprintf("Every service was verified in the last %d days, and none is marked for review.", directory.StaleAfterDays))
	}
	cutoff := directory.StaleCutoff(now, directory.StaleAfterDays)
	var b strings.Builder
	fmt.Fprintf(&b, "*%d services* need checking: not verified in the last %d days (since %s), or marked for review:\n", len(list), directory.StaleAfterDays, cutoff)
	for i, s := range list {
		if i == maxStaleList {
			fmt.Fprintf(&b, "…and %d more.\n", len(list)-maxStaleList)
			break
		}
		when := "never verified"
		switch {
		case s.Verified == "":
		case s.Outdated(cutoff):
			when = "last verified " + esc(s.Verified)
		default:
			when = "verified " + esc(s.Verified)
		}
		if s.Review != "" {
			when += "; to check: " + escClip(s.Review, 150)
		}
		fmt.Fprintf(&b, "• *%s* (`%s`): %s\n", escClip(s.Name, 150), esc(s.ID), when)
	}
	b.WriteString("When you have checked a service's details with it, `/whereto verify ID`; clear what was to check with `/whereto edit ID`.")
	return textReply(b.String())
}

// stats renders conversations per route per ISO week for the last days
// days (Europe/London), counts only. days is 0 for the default and
// badDays for an argument that is not a number of days.
func (h *handler) stats(ctx context.Context, d *directory.Directory, days int) *reply {
	if days == badDays || days < 0 || days > maxDays {
		return statsUsage()
	}
	if days == 0 {
		days = defaultDays
	}
	now := h.now().In(directory.London())
	to := now.Format(time.DateOnly)
	from := now.AddDate(0, 0, -(days - 1)).Format(time.DateOnly)
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	rows, err := h.store.Stats(ctx, from, to)
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelError, "slack: reading stats failed", slog.String("err", err.Error()))
		return textReply("The figures could not be read just now. Please try again.")
	}
	return statsReply(d.RouteIDs(), rows, from, days)
}

// statsUsage answers a stats command whose argument is not a number of
// days.
func statsUsage() *reply {
	return textReply(fmt.Sprintf("Usage: `/whereto stats` (the last %d days) or `/whereto stats DAYS`, DAYS a whole number from 1 to %d, e.g. `/whereto stats 30`.", defaultDays, maxDays))
}

// badDays marks a stats argument that is not a number of days.
const badDays = -1

// maxStatsRows is how many weeks the stats table shows; the full figures
// of a longer period come from the command line.
const maxStatsRows = 20

// statsReply renders rows as a compact table (staff.WeeklyStats): a row
// per week, a column per route with any count and a total; at most
// maxStatsRows weeks, the latest, with how to get the full figures when
// there are more.
func statsReply(known []directory.Route, rows []directory.StatRow, from string, days int) *reply {
	t := staff.WeeklyStats(known, rows, from, days, maxStatsRows)
	intro := fmt.Sprintf("*Conversations per route per week*, %s to %s (UK dates; weeks start on Monday; anonymous counts", t.From.Format(time.DateOnly), t.To.Format(time.DateOnly))
	if t.Total == 0 {
		return textReply(intro + "): no conversations in that period.")
	}
	note := ""
	if t.Hidden > 0 {
		note = fmt.Sprintf("Showing the last %d of %d weeks. For the full figures, run `whereto stats --days %d --format csv` where whereto is installed.", len(t.Weeks), len(t.Weeks)+t.Hidden, days)
	}
	header := append([]string{"week of   "}, t.Routes...)
	header = append(header, "total")
	lines := []string{strings.Join(header, "  ")}
	for i, w := range t.Weeks {
		cells := []string{w.Format(time.DateOnly)}
		for j, r := range t.Routes {
			cells = append(cells, fmt.Sprintf("%*d", len(r), t.Counts[i][j]))
		}
		cells = append(cells, fmt.Sprintf("%5d", t.Sums[i]))
		lines = append(lines, strings.Join(cells, "  "))
	}
	blocks := []slack.Block{section(fmt.Sprintf("%s, %d in all):", intro, t.Total))}
	// One code block per section, each within Slack's section limit (a
	// wide table of many routes takes more than one).
	var chunk []string
	size := 0
	flush := func() {
		if len(chunk) > 0 {
			blocks = append(blocks, section("```\n"+esc(strings.Join(chunk, "\n"))+"\n```"))
			chunk, size = nil, 0
		}
	}
	for _, l := range lines {
		if size+len(l)+1 > maxSectionText-200 {
			flush()
		}
		chunk = append(chunk, l)
		size += len(l) + 1
	}
	flush()
	if note != "" {
		blocks = append(blocks, contextBlock(note))
	}
	return &reply{Text: fmt.Sprintf("Conversations per route per week: %d in all.", t.Total), Blocks: blocks}
}

// auditLater returns follow-up work that posts a change to the audit
// channel, if one is configured.
func (h *handler) auditLater(user, what string, before, after *directory.Service) func(context.Context) {
	if h.auditChannel == "" {
		return nil
	}
	var b, a *directory.Service
	if before != nil {
		c := before.Clone()
		b = &c
	}
	if after != nil {
		c := after.Clone()
		a = &c
	}
	return func(ctx context.Context) {
		id := ""
		if a != nil {
			id = a.ID
		} else if b != nil {
			id = b.ID
		}
		seq := uint64(0)
		if entries, err := h.store.History(ctx, id); err == nil && len(entries) > 0 {
			seq = entries[len(entries)-1].Seq
		}
		if err := h.send.post(ctx, h.auditChannel, "", auditReply(user, what, seq, b, a)); err != nil {
			h.log.LogAttrs(ctx, slog.LevelError, "slack: posting to the audit channel failed",
				slog.String("user", user), slog.String("service", id), slog.String("err", err.Error()))
		}
	}
}

// auditReply describes one change for the audit channel: who, what, and
// each changed field before and after.
func auditReply(user, what string, seq uint64, before, after *directory.Service) *reply {
	s := after
	if s == nil {
		s = before
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*Directory change* by %s: %s *%s* (`%s`)", who(user), esc(what), escClip(s.Name, 150), esc(s.ID))
	if seq > 0 {
		fmt.Fprintf(&b, ", change %d", seq)
	}
	b.WriteString("\n")
	switch {
	case before == nil:
		b.WriteString("• added\n")
	case after == nil:
		b.WriteString("• removed\n")
	default:
		changed := directory.ChangedFields(before, after)
		for _, f := range formFieldsOf() {
			x, y := fieldText(*before, f.block), fieldText(*after, f.block)
			if x == y || !slices.Contains(changed, f.field) {
				continue
			}
			if !strings.Contains(x+y, "\n") {
				// A one-line field: before and after, "(empty)" for none.
				fmt.Fprintf(&b, "• %s: “%s” → “%s”\n", f.label, summary(x), summary(y))
				continue
			}
			for _, l := range staff.LineDiff(x, y) {
				switch {
				case l.Before == "":
					fmt.Fprintf(&b, "• %s: added “%s”\n", f.label, summary(l.After))
				case l.After == "":
					fmt.Fprintf(&b, "• %s: removed “%s”\n", f.label, summary(l.Before))
				default:
					fmt.Fprintf(&b, "• %s: “%s” → “%s”\n", f.label, summary(l.Before), summary(l.After))
				}
			}
		}
	}
	if seq > 0 {
		fmt.Fprintf(&b, "Undo with `/whereto revert %s %d`.", esc(s.ID), seq)
	}
	text := strings.TrimRight(b.String(), "\n")
	return &reply{Text: fmt.Sprintf("Directory change by %s: %s %s", who(user), esc(what), esc(s.ID)), Blocks: []slack.Block{section(text)}}
}

// summary shortens a field's text for the audit channel.
func summary(s string) string {
	if s == "" {
		return "(empty)"
	}
	return escClip(strings.ReplaceAll(s, "\n", " / "), 300)
}
