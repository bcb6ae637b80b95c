package bolt

import (
	"context"
	"math"
	"testing"
)

func TestCursorDurable(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, nil)
	if v, ok, err := s.Cursor(ctx, "telegram"); v != 0 || ok || err != nil {
		t.Errorf("unset Cursor = %d, %v, %v; want 0, false, nil", v, ok, err)
	}
	want := map[string]int64{"telegram": 123456789, "negative": -42, "max": math.MaxInt64, "zero": 0}
	for name, v := range want {
		if err := s.SetCursor(ctx, name, v+1); err != nil { // overwritten below
			t.Fatal(err)
		}
		if err := s.SetCursor(ctx, name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetCursor(ctx, "", 1); err == nil {
		t.Error("SetCursor with an empty name: err = nil, want an error")
	}
	closeStore(t, s)

	s = openStore(t, path, &Options{ReadOnly: true})
	for name, w := range want {
		got, ok, err := s.Cursor(ctx, name)
		if err != nil || !ok || got != w {
			t.Errorf("after reopen, Cursor(%q) = %d, %v, %v; want %d, true, nil", name, got, ok, err, w)
		}
	}
}
