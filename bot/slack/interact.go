package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/slack-go/slack"

	"github.com/whereto-bot/whereto/directory"
)

// interaction is an interactive payload's values that whereto uses,
// copied out of slack.InteractionCallback.
type interaction struct {
	Type        slack.InteractionType
	TeamID      string
	UserID      string
	ChannelID   string
	ResponseURL string
	TriggerID   string
	// ActionID and Value are the first action's, for block_actions.
	ActionID, Value string
	// View is the submitted view, for view_submission.
	CallbackID      string
	PrivateMetadata string
	State           *slack.ViewState
}

// newInteraction copies what whereto needs out of a callback.
func newInteraction(cb *slack.InteractionCallback) interaction {
	in := interaction{
		Type:            cb.Type,
		TeamID:          cb.Team.ID,
		UserID:          cb.User.ID,
		ChannelID:       cb.Channel.ID,
		ResponseURL:     cb.ResponseURL,
		TriggerID:       cb.TriggerID,
		CallbackID:      cb.View.CallbackID,
		PrivateMetadata: cb.View.PrivateMetadata,
		State:           cb.View.State,
	}
	if in.ChannelID == "" {
		in.ChannelID = cb.Container.ChannelID
	}
	if len(cb.ActionCallback.BlockActions) > 0 {
		a := cb.ActionCallback.BlockActions[0]
		in.ActionID, in.Value = a.ActionID, a.Value
	}
	return in
}

// viewResult is the answer to a view_submission: nil closes the form, an
// errors response keeps it open with the problems on their fields.
type viewResult struct {
	resp  *slack.ViewSubmissionResponse
	later func(ctx context.Context)
}

// errorsOn keeps the form open with msg on block.
func errorsOn(block, msg string) viewResult {
	return viewResult{resp: slack.NewErrorsViewSubmissionResponse(map[string]string{block: msg})}
}

// handleViewSubmission saves a submitted edit or add form: it checks that
// the user is an admin, reads the fields, validates the service on its own
// and then the whole directory (PutService validates and writes the change
// and its audit entry in one transaction), and returns the problems on
// their fields if anything is invalid, in which case nothing is saved.
func (h *handler) handleViewSubmission(ctx context.Context, in interaction) viewResult {
	if in.CallbackID != callbackEdit {
		return viewResult{}
	}
	var meta formMeta
	if err := json.Unmarshal([]byte(in.PrivateMetadata), &meta); err != nil || (meta.Mode != modeEdit && meta.Mode != modeAdd) {
		h.log.LogAttrs(ctx, slog.LevelWarn, "slack: form with unreadable metadata", slog.String("user", in.UserID))
		return errorsOn(blockName, "This form cannot be saved; close it and start again.")
	}
	verb := meta.Mode
	logAttrs := []slog.Attr{slog.String("team", in.TeamID), slog.String("user", in.UserID), slog.String("command", verb+"-submit")}
	if !h.admins.is(ctx, in.UserID) {
		h.refuse(ctx, in.UserID, meta.ID, verb)
		return errorsOn(blockName, "Only directory admins can change the directory. This attempt has been recorded.")
	}
	ix := h.index()
	var orig directory.Service
	if meta.Mode == modeEdit {
		cur, ok := ix.service(meta.ID)
		if !ok {
			return errorsOn(blockName, "This service has been removed since you opened the form; nothing was saved.")
		}
		if fingerprint(cur) != meta.Fingerprint {
			return errorsOn(blockName, "Someone changed this service since you opened the form; nothing was saved. Close the form and run /whereto edit "+meta.ID+" again to see their change.")
		}
		orig = cur
	}
	form, ps := parseForm(in.State, meta, orig)
	svc := form.svc
	if meta.Mode == modeAdd {
		if _, taken := ix.service(svc.ID); taken && svc.ID != "" {
			ps.add(blockID, "%q is already a service; use /whereto edit %s to change it", svc.ID, svc.ID)
		}
	}
	var verr *directory.ValidationError
	if err := svc.Validate(); errors.As(err, &verr) {
		mapProblems(verr.Problems, form, formBlocks(meta.Mode), ps)
	}
	if len(ps) > 0 {
		h.log.LogAttrs(ctx, slog.LevelInfo, "slack form rejected", append(logAttrs, slog.Int("problems", len(ps)))...)
		return viewResult{resp: slack.NewErrorsViewSubmissionResponse(ps.slackErrors())}
	}
	if meta.Mode == modeEdit && reflect.DeepEqual(normalised(svc), normalised(orig)) {
		user, channel, respURL := in.UserID, meta.Channel, meta.ResponseURL
		return viewResult{later: func(ctx context.Context) {
			h.sent(ctx, "notify", h.send.notify(ctx, respURL, channel, user, textReply("Nothing changed in `"+esc(svc.ID)+"`, so nothing was saved.")))
		}}
	}
	if err := h.put(ctx, in.UserID, svc); err != nil {
		if errors.As(err, &verr) {
			mapProblems(verr.Problems, form, formBlocks(meta.Mode), ps)
			h.log.LogAttrs(ctx, slog.LevelInfo, "slack form rejected by directory validation", append(logAttrs, slog.Int("problems", len(ps)))...)
			return viewResult{resp: slack.NewErrorsViewSubmissionResponse(ps.slackErrors())}
		}
		h.log.LogAttrs(ctx, slog.LevelError, "slack: saving a form failed", append(logAttrs, slog.String("err", err.Error()))...)
		return errorsOn(blockName, "The directory could not be saved just now; nothing was saved. Please try again.")
	}
	h.log.LogAttrs(ctx, slog.LevelInfo, "slack directory change saved", append(logAttrs, slog.String("service", svc.ID))...)
	var before *directory.Service
	what := "added"
	if meta.Mode == modeEdit {
		before, what = &orig, "edited"
	}
	audit := h.auditLater(in.UserID, what, before, &svc)
	user, channel, respURL := in.UserID, meta.Channel, meta.ResponseURL
	saved := svc.Clone()
	return viewResult{later: func(ctx context.Context) {
		msg := fmt.Sprintf("Saved *%s* (`%s`). `/whereto history %s` shows the change.", escClip(saved.Name, 150), esc(saved.ID), esc(saved.ID))
		if err := h.send.notify(ctx, respURL, channel, user, textReply(msg)); err != nil {
			h.log.LogAttrs(ctx, slog.LevelWarn, "slack: confirming a save failed", slog.String("user", user), slog.String("err", err.Error()))
		}
		if audit != nil {
			audit(ctx)
		}
	}}
}

// normalised makes nil and empty slices compare equal.
func normalised(s directory.Service) directory.Service {
	b, _ := json.Marshal(s)
	var out directory.Service
	_ = json.Unmarshal(b, &out)
	return out
}

// handleBlockAction handles a button. All of its work happens after the
// acknowledgement, so it returns only that work (nil for none).
func (h *handler) handleBlockAction(in interaction) func(context.Context) {
	switch in.ActionID {
	case actionPostCard:
		return func(ctx context.Context) { h.postCard(ctx, in) }
	case actionRemoveConfirm:
		return func(ctx context.Context) { h.removeConfirmed(ctx, in) }
	case actionRemoveCancel:
		return func(ctx context.Context) {
			h.sent(ctx, "respond", h.send.respond(ctx, in.ResponseURL, &reply{DeleteOriginal: true}))
		}
	}
	return nil
}

// postCard posts the services of a look-up answer in the channel for
// everyone, saying who shared them.
func (h *handler) postCard(ctx context.Context, in interaction) {
	ix := h.index()
	var svcs []directory.Service
	for _, id := range strings.Split(in.Value, ",") {
		if s, ok := ix.service(id); ok {
			svcs = append(svcs, s)
		}
	}
	if len(svcs) == 0 {
		h.sent(ctx, "respond", h.send.respond(ctx, in.ResponseURL, textReply("That service is no longer in the directory.")))
		return
	}
	err := h.send.post(ctx, in.ChannelID, "", servicesReply(ix, svcs, h.now(), in.UserID))
	h.log.LogAttrs(ctx, slog.LevelInfo, "slack card posted", slog.String("team", in.TeamID), slog.String("user", in.UserID),
		slog.String("command", actionPostCard), slog.Bool("ok", err == nil))
	if err != nil {
		msg := "I could not post in this channel. Invite me first (`/invite @whereto`), then try again."
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && se.Err != "not_in_channel" && se.Err != "channel_not_found" {
			msg = "I could not post in this channel (Slack said " + esc(se.Err) + ")."
		}
		h.sent(ctx, "respond", h.send.respond(ctx, in.ResponseURL, textReply(msg)))
	}
}

// removeConfirmed removes a service after the confirmation button.
func (h *handler) removeConfirmed(ctx context.Context, in interaction) {
	id := in.Value
	if !h.admins.is(ctx, in.UserID) {
		h.refuse(ctx, in.UserID, id, verbRemove)
		h.sent(ctx, "respond", h.send.respond(ctx, in.ResponseURL, refusedReply()))
		return
	}
	before, ok := h.index().service(id)
	if !ok {
		h.sent(ctx, "respond", h.send.respond(ctx, in.ResponseURL, &reply{ReplaceOriginal: true, Text: "`" + esc(id) + "` is already gone.", Blocks: textReply("`" + esc(id) + "` is already gone.").Blocks}))
		return
	}
	dctx, cancel := context.WithTimeout(ctx, storeTimeout)
	err := h.store.DeleteService(dctx, in.UserID, id)
	cancel()
	var r *reply
	if err != nil {
		r = h.saveFailed(ctx, in.UserID, verbRemove, err)
	} else {
		h.log.LogAttrs(ctx, slog.LevelInfo, "slack directory change saved", slog.String("team", in.TeamID),
			slog.String("user", in.UserID), slog.String("command", verbRemove), slog.String("service", id))
		r = textReply(fmt.Sprintf("Removed *%s* (`%s`). `/whereto history %s` shows the change and how to undo it.", escClip(before.Name, 150), esc(id), esc(id)))
		if audit := h.auditLater(in.UserID, "removed", &before, nil); audit != nil {
			defer audit(ctx)
		}
	}
	r.ReplaceOriginal = true
	if err := h.send.respond(ctx, in.ResponseURL, r); err != nil {
		h.log.LogAttrs(ctx, slog.LevelWarn, "slack: answering a removal failed", slog.String("user", in.UserID), slog.String("err", err.Error()))
	}
}

// sent logs a failed follow-up message once (ids only; the message is ours,
// not what anyone typed).
func (h *handler) sent(ctx context.Context, what string, err error) {
	if err != nil {
		h.log.LogAttrs(ctx, slog.LevelWarn, "slack: sending a follow-up failed", slog.String("call", what), slog.String("err", err.Error()))
	}
}
