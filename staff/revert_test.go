package staff_test

import (
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestPlanRevert(t *testing.T) {
	v1 := directory.Service{ID: "mash", Name: "MASH"}
	v2 := directory.Service{ID: "mash", Name: "MASH (Luton)"}
	other := directory.Service{ID: "other", Name: "Other"}
	history := []directory.AuditEntry{
		{Seq: 1, Service: "mash", Action: directory.ActionSeed, After: &v1},
		{Seq: 2, Service: "mash", Action: directory.ActionPut, Before: &v1, After: &v2},
		{Seq: 3, Service: "mash", Action: directory.ActionRefused},
		{Seq: 4, Service: "mash", Action: directory.ActionPut, After: &v1},
		{Seq: 5, Service: "mash", Action: directory.ActionPut, Before: &other, After: &v1},
	}
	for _, tc := range []struct {
		name    string
		seq     uint64
		exists  bool
		undo    staff.Undo
		why     staff.Why
		restore string
	}{
		{"no such change", 9, true, staff.UndoNothing, staff.NoSuchChange, ""},
		{"the seed", 1, true, staff.UndoNothing, staff.SeedChange, ""},
		{"an edit is undone", 2, true, staff.UndoRestore, 0, "MASH"},
		{"a refusal changed nothing", 3, true, staff.UndoNothing, staff.RefusedChange, ""},
		{"an addition is removed", 4, true, staff.UndoRemove, 0, ""},
		{"an addition already gone", 4, false, staff.UndoNothing, staff.AlreadyGone, ""},
		{"another service's version", 5, true, staff.UndoNothing, staff.OtherService, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := staff.PlanRevert(history, "mash", tc.seq, tc.exists)
			if p.Undo != tc.undo || p.Why != tc.why || p.Restore.Name != tc.restore {
				t.Errorf("PlanRevert = undo %d why %d restore %q; want %d %d %q", p.Undo, p.Why, p.Restore.Name, tc.undo, tc.why, tc.restore)
			}
		})
	}
	// The plan's copy is its own: saving it cannot change the history.
	p := staff.PlanRevert(history, "mash", 2, true)
	p.Restore.Name = "changed"
	if v1.Name != "MASH" {
		t.Error("the plan shares the history's service")
	}
}
