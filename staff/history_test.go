package staff_test

import (
	"slices"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name, x, y string
		want       []staff.ChangedLine
	}{
		{"one line changed", "a\nb\nc", "a\nB\nc", []staff.ChangedLine{{"b", "B"}}},
		{"a line added", "a\nc", "a\nb\nc", []staff.ChangedLine{{"", "b"}}},
		{"a line removed", "a\nb\nc", "a\nc", []staff.ChangedLine{{"b", ""}}},
		{"from empty", "", "x", []staff.ChangedLine{{"", "x"}}},
		{"to empty", "x", "", []staff.ChangedLine{{"x", ""}}},
		{"one-line field", "active", "inactive", []staff.ChangedLine{{"active", "inactive"}}},
		{"a run of two changes pairs in order", "a\nb\nc\nd", "a\nB\nC\nd", []staff.ChangedLine{{"b", "B"}, {"c", "C"}}},
		{"unchanged gives nothing", "a\nb", "a\nb", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := staff.LineDiff(tc.x, tc.y); !slices.Equal(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSplitHistory(t *testing.T) {
	entries := []directory.AuditEntry{
		{Seq: 1, Action: directory.ActionSeed},
		{Seq: 2, Action: directory.ActionRefused},
		{Seq: 3, Action: directory.ActionPut},
		{Seq: 4, Action: directory.ActionRefused},
		{Seq: 5, Action: directory.ActionDelete},
	}
	changes, refusals := staff.SplitHistory(entries)
	seqs := func(es []directory.AuditEntry) []uint64 {
		var out []uint64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	if got, want := seqs(changes), []uint64{1, 3, 5}; !slices.Equal(got, want) {
		t.Errorf("changes: got %v, want %v", got, want)
	}
	if got, want := seqs(refusals), []uint64{2, 4}; !slices.Equal(got, want) {
		t.Errorf("refusals: got %v, want %v", got, want)
	}
}
