package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/flows/lang"
)

func TestChat(t *testing.T) {
	const flyTipping = "I want to report fly tipping\nLU1\n"
	tests := []struct {
		name string
		args func(db string) []string
	}{
		{"chat command", func(db string) []string { return []string{"chat", "-db", db} }},
		{"no command is chat", func(db string) []string { return []string{"-db", db} }},
		{"chat with --at", func(db string) []string { return []string{"chat", "-db", db, "--at", wedNight} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			for i := range 2 { // the first run creates the file, the second reuses it
				stdout, stderr, err := run(t, flyTipping, tt.args(db)...)
				if err != nil {
					t.Fatalf("run %d: got %v, want nil; stderr:\n%s", i+1, err, stderr)
				}
				if !strings.Contains(stdout, councilPhone) {
					t.Errorf("run %d: stdout lacks the council number %q; got:\n%s", i+1, councilPhone, stdout)
				}
				if !strings.HasPrefix(stdout, "Hello.") {
					t.Errorf("run %d: stdout does not start with the welcome; got:\n%s", i+1, stdout)
				}
				if strings.Contains(stdout, "> ") {
					t.Errorf("run %d: piped input got a prompt; stdout:\n%s", i+1, stdout)
				}
				mustExist(t, db)
			}
		})
	}
}

// The first chat creates the database and seeds it with the default
// directory; read-only commands then read it from the file.
func TestChatCreatesAndSeedsDatabase(t *testing.T) {
	db := filepath.Join(filepath.Dir(testDB(t)), "new", "dir", "whereto.db") // parents do not exist yet
	mustNotExist(t, db)
	if _, _, err := run(t, "", "chat", "-db", db); err != nil {
		t.Fatalf("chat: %v", err)
	}
	mustExist(t, db)

	st, err := bolt.Open(db, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("opening the created database: %v", err)
	}
	var ids []string
	for _, s := range st.Directory().List() {
		ids = append(ids, s.ID)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if strings.Join(ids, " ") != strings.Join(defaultIDs, " ") {
		t.Errorf("seeded services: got %q, want %q", ids, defaultIDs)
	}

	stdout, _, err := run(t, "", "directory", "list", "-db", db)
	if err != nil {
		t.Fatalf("directory list: %v", err)
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d services, from %s", len(defaultIDs), db)) {
		t.Errorf("directory list does not read the created file; got:\n%s", stdout)
	}
}

// -db wins over WHERETO_DB, and nothing is written to the data directory.
func TestChatFlagWinsOverEnvironment(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	envDB := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("WHERETO_DB", envDB)
	flagDB := filepath.Join(t.TempDir(), "flag.db")
	if _, _, err := run(t, "", "chat", "-db", flagDB); err != nil {
		t.Fatalf("chat: %v", err)
	}
	mustExist(t, flagDB)
	mustNotExist(t, envDB)
	mustBeEmptyDir(t, xdg)
}

// --at reaches the conversation: a safeguarding concern at night is given
// the out-of-hours number.
func TestChatAt(t *testing.T) {
	const worried = "4\n1\nLU1\n" // "Worried about someone", "A child or an adult at risk", a Luton postcode
	tests := []struct {
		name, at, want, notWant string
	}{
		{"night gets the out-of-hours number", wedNight, mashOOH, mashInHours},
		{"morning gets the office number", wedMorning, mashInHours, mashOOH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			stdout, _, err := run(t, worried, "chat", "-db", db, "--at", tt.at)
			if err != nil {
				t.Fatalf("chat: %v", err)
			}
			if !strings.Contains(stdout, "Call "+tt.want) {
				t.Errorf("stdout lacks %q; got:\n%s", tt.want, stdout)
			}
			if strings.Contains(stdout, tt.notWant) {
				t.Errorf("stdout offers %q at %s; got:\n%s", tt.notWant, tt.at, stdout)
			}
		})
	}
}

// Ctrl-C while the chat waits for the person ends it with context.Canceled,
// which main turns into exit code 130.
func TestChatInterrupted(t *testing.T) {
	db := testDB(t)
	inR, inW := io.Pipe() // never written
	defer inW.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"chat", "-db", db}, inR, out, io.Discard) }()
	waitFor(t, out, "What do you want to do?")
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run: got %v, want context.Canceled", err)
		}
		if got := exitCode(err, io.Discard); got != 130 {
			t.Errorf("exitCode: got %d, want 130", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("chat did not return within 5s of the interrupt")
	}
}

// lockedBuffer is a strings.Builder safe for a writer and a reader in
// different goroutines; waitFor wakes on each write.
type lockedBuffer struct {
	mu    sync.Mutex
	b     strings.Builder
	wrote chan struct{} // closed and replaced on each write
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.wrote != nil {
		close(b.wrote)
		b.wrote = nil
	}
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// contains reports whether the output holds s, and if not returns a
// channel closed at the next write.
func (b *lockedBuffer) contains(s string) (bool, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if strings.Contains(b.b.String(), s) {
		return true, nil
	}
	if b.wrote == nil {
		b.wrote = make(chan struct{})
	}
	return false, b.wrote
}

// waitFor waits for out to contain s, checking at each write; it fails
// the test after 30 s (the chat builds its classifier first, which takes
// a while on a busy machine).
func waitFor(t *testing.T, out *lockedBuffer, s string) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		ok, wrote := out.contains(s)
		if ok {
			return
		}
		select {
		case <-wrote:
		case <-deadline.C:
			t.Fatalf("output lacks %q after 30s; got:\n%s", s, out.String())
		}
	}
}

// TestChatWidthFromColumns: replies are wrapped to $COLUMNS when it is a
// positive integer, and to 80 columns otherwise.
func TestChatWidthFromColumns(t *testing.T) {
	tests := []struct {
		name, columns string
		// The longest line of the welcome must be longer than min and at
		// most max columns.
		min, max int
	}{
		{"unset is 80", "", 40, 80},
		{"40", "40", 20, 40},
		{"120, with spaces around", " 120 ", 80, 120},
		{"zero is 80", "0", 40, 80},
		{"negative is 80, not unwrapped", "-1", 40, 80},
		{"not a number is 80", "wide", 40, 80},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("COLUMNS", tt.columns)
			stdout, _, err := run(t, "", "chat", "-db", testDB(t))
			if err != nil {
				t.Fatalf("chat: %v", err)
			}
			longest := 0
			for line := range strings.SplitSeq(stdout, "\n") {
				longest = max(longest, utf8.RuneCountInString(line))
			}
			if longest <= tt.min || longest > tt.max {
				t.Errorf("COLUMNS=%q: longest line %d columns, want more than %d and at most %d; got:\n%s", tt.columns, longest, tt.min, tt.max, stdout)
			}
		})
	}
}

func TestChatLang(t *testing.T) {
	db := testDB(t)
	stdout, stderr, err := run(t, "1\n", "chat", "-db", db, "--lang", "pl")
	if err != nil {
		t.Fatalf("chat --lang pl: %v; stderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout, lang.T("pl", "menu")) || !strings.Contains(stdout, lang.T("pl", "call_now", "999")) {
		t.Errorf("chat --lang pl is not in Polish:\n%s", stdout)
	}
	for _, bad := range []string{"xx", "es", "english please"} {
		_, stderr, err := run(t, "", "chat", "-db", db, "--lang", bad)
		if err == nil || !strings.Contains(err.Error()+stderr, "whereto speaks en, bn, pa, pl, ro, ur") {
			t.Errorf("chat --lang %q: err %v, stderr %q; want a clear error naming the languages", bad, err, stderr)
		}
	}
}
