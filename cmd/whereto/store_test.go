package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory/bolt"
)

// holdDB opens db read-write, as a running 'whereto serve' would, and keeps
// it open until the test ends.
func holdDB(t *testing.T, db string) {
	t.Helper()
	st, err := bolt.Open(db, nil)
	if err != nil {
		t.Fatalf("bolt.Open %s: %v", db, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("closing the held store: %v", err)
		}
	})
}

// Every command that reads the database says, within a few seconds, that
// the file is in use, and names it.
func TestDatabaseInUse(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"chat", []string{"chat"}},
		{"default command", nil},
		{"route", []string{"route"}},
		{"directory list", []string{"directory", "list"}},
		{"directory show", []string{"directory", "show", "mash"}},
		{"directory export", []string{"directory", "export"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			holdDB(t, db)
			args := append(append([]string{}, tt.args...), "-db", db)
			start := time.Now()
			stdout, _, err := run(t, "I want to report fly tipping\n", args...)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v, want under 5s", d)
			}
			if !errors.Is(err, bolt.ErrInUse) {
				t.Fatalf("Run %q: got %v, want an error wrapping bolt.ErrInUse", args, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "in use") || !strings.Contains(msg, db) {
				t.Errorf("error %q does not say the file is in use and name %s", msg, db)
			}
			if strings.Contains(stdout, "01582") {
				t.Errorf("answered from somewhere other than the held database; stdout:\n%s", stdout)
			}
			if got := exitCode(err, &strings.Builder{}); got != 1 {
				t.Errorf("exitCode: got %d, want 1", got)
			}
		})
	}
}

// Once seeded, the database is the truth: a staff edit is what route and
// chat give, and later runs do not seed over it.
func TestStaffEditIsUsed(t *testing.T) {
	// A valid number that is not the council's: a test fixture only.
	const edited = "01582 510 331"
	db := testDB(t)
	st, err := bolt.Open(db, nil)
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	svc, err := st.Directory().Service("council-environmental")
	if err != nil {
		t.Fatalf("council-environmental not seeded: %v", err)
	}
	svc = svc.Clone()
	changed := false
	for i, c := range svc.Contacts {
		if c.Value == councilPhone {
			svc.Contacts[i].Value = edited
			changed = true
		}
	}
	if !changed {
		t.Fatalf("seeded council service has no %q: %+v", councilPhone, svc.Contacts)
	}
	if err := st.PutService(context.Background(), "test", svc); err != nil {
		t.Fatalf("PutService: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for i := range 2 {
		stdout, _, err := run(t, "I want to report fly tipping\n", "route", "-db", db)
		if err != nil {
			t.Fatalf("route: %v", err)
		}
		lines := parseRouteOutput(t, stdout)
		if len(lines) != 1 || len(lines[0].Contacts) == 0 || lines[0].Contacts[0] != edited {
			t.Errorf("route after the edit (pass %d): got %s, want contacts starting %q", i+1, stdout, edited)
		}
		if strings.Contains(stdout, councilPhone) {
			t.Errorf("route still gives the old number %q", councilPhone)
		}

		stdout, _, err = run(t, "I want to report fly tipping\nLU1\n", "chat", "-db", db)
		if err != nil {
			t.Fatalf("chat: %v", err)
		}
		if !strings.Contains(stdout, "Call "+edited) || strings.Contains(stdout, councilPhone) {
			t.Errorf("chat after the edit (pass %d) does not give %q alone; stdout:\n%s", i+1, edited, stdout)
		}

		stdout, _, err = run(t, "", "directory", "show", "council-environmental", "-db", db)
		if err != nil {
			t.Fatalf("directory show: %v", err)
		}
		if !strings.Contains(stdout, "use: phone "+edited) {
			t.Errorf("directory show after the edit lacks %q; stdout:\n%s", edited, stdout)
		}
	}
}
