package staff

import (
	"slices"

	"github.com/whereto-bot/whereto/directory"
)

// Undo is what undoing a change does.
type Undo int

const (
	// UndoNothing: the change cannot be undone; Plan.Why says why.
	UndoNothing Undo = iota
	// UndoRemove: the change added the service, so it is removed again.
	UndoRemove
	// UndoRestore: the service is put back as it was before the change
	// (Plan.Restore).
	UndoRestore
)

// Why a change cannot be undone.
type Why int

const (
	// NoSuchChange: the service's history has no change with that number.
	NoSuchChange Why = iota + 1
	// SeedChange: the change loaded the default directory; nothing came
	// before it.
	SeedChange
	// RefusedChange: a refused attempt changed nothing.
	RefusedChange
	// AlreadyGone: the change added the service, which is gone already.
	AlreadyGone
	// OtherService: the change's earlier version is of another service.
	OtherService
)

// Plan is what reverting one change would do. A front end carries it out
// with the store (DeleteService or PutService), which validates and audits
// it like any other change.
type Plan struct {
	Undo    Undo
	Why     Why // when Undo is UndoNothing
	Entry   directory.AuditEntry
	Restore directory.Service // when Undo is UndoRestore: a copy to save
}

// PlanRevert decides how to revert change seq of service id, given the
// service's history (History) and whether it is in the directory now.
func PlanRevert(history []directory.AuditEntry, id string, seq uint64, exists bool) Plan {
	i := slices.IndexFunc(history, func(e directory.AuditEntry) bool { return e.Seq == seq })
	if i < 0 {
		return Plan{Why: NoSuchChange}
	}
	e := history[i]
	p := Plan{Entry: e}
	switch {
	case e.Action == directory.ActionSeed:
		p.Why = SeedChange
	case e.Action == directory.ActionRefused:
		p.Why = RefusedChange
	case e.Before == nil:
		if !exists {
			p.Why = AlreadyGone
			break
		}
		p.Undo = UndoRemove
	case e.Before.ID != id:
		p.Why = OtherService
	default:
		p.Undo, p.Restore = UndoRestore, e.Before.Clone()
	}
	return p
}
