package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Times used with --at. 25 November 2026 is a Wednesday; London is on GMT.
const (
	wedNight   = "2026-11-25T22:00:00Z" // outside office hours
	wedMorning = "2026-11-25T11:00:00Z" // inside office hours
)

// Contact details of the default directory that the tests look for.
const (
	councilPhone = "01582 510 330"
	mashInHours  = "01582 547 653"
	mashOOH      = "0300 300 8123"
)

// defaultIDs are the default directory's service ids, sorted (the order
// the store and directory list use).
var defaultIDs = []string{
	"act-early", "anti-terrorist-hotline", "childline", "council-environmental",
	"crimestoppers", "domestic-abuse-helpline", "find-a-sarc",
	"find-local-council", "frank", "galop", "luton-asb-case-review", "mash",
	"mens-advice-line", "modern-slavery-helpline", "nhs-111-mental-health",
	"police-emergency", "police-non-emergency", "police-online", "rape-crisis",
	"relay-uk", "report-fraud", "report-it", "revenge-porn-helpline",
	"samaritans", "shout", "signpost-hub", "stop-scams-159",
	"victim-support-line",
}

// testDB isolates the test from the real home (no WHERETO_DB, a temporary
// XDG_DATA_HOME) and returns a database path, not yet created, in a
// temporary directory. Every Run in these tests passes it with -db.
func testDB(t *testing.T) string {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("WHERETO_DB", "")
	return filepath.Join(t.TempDir(), "whereto.db")
}

// run calls Run in-process with stdin and returns what it wrote. It fails
// the test if Run takes longer than 30 seconds.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runReader(t, strings.NewReader(stdin), args...)
}

func runReader(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Run(ctx, args, stdin, &out, &errOut) }()
	select {
	case err = <-done:
	case <-time.After(35 * time.Second):
		t.Fatalf("Run %q did not return within 35s", args)
	}
	return out.String(), errOut.String(), err
}

func mustNotExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: got stat error %v, want it not to exist", path, err)
	}
}

func mustExist(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("%s: want it to exist: %v", path, err)
	}
}

// mustBeEmptyDir fails if dir holds anything (the XDG data directory must
// stay untouched when -db is given).
func mustBeEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	if len(entries) != 0 {
		t.Errorf("%s: got %d entries, want none", dir, len(entries))
	}
}

func TestRunHelp(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		name       string
		args       []string
		wantStdout []string
		wantStderr []string
	}{
		{"help prints the usage", []string{"help"}, []string{"whereto [chat]", "whereto route", "whereto directory list", "whereto directory show", "whereto directory export"}, nil},
		{"chat -h", []string{"chat", "-h", "-db", db}, nil, []string{"Usage: whereto chat", "-db", "-at"}},
		{"chat --help", []string{"chat", "--help"}, nil, []string{"Usage: whereto chat"}},
		{"route -h", []string{"route", "-h"}, nil, []string{"Usage: whereto route", "-at"}},
		{"directory -h", []string{"directory", "-h"}, []string{"Usage: whereto directory"}, nil},
		{"directory --help", []string{"directory", "--help"}, []string{"Usage: whereto directory"}, nil},
		{"directory list -h", []string{"directory", "list", "-h"}, nil, []string{"Usage: whereto directory"}},
		{"directory show -h", []string{"directory", "show", "-h"}, nil, []string{"Usage: whereto directory", "-at"}},
		{"directory export -h", []string{"directory", "export", "-h"}, nil, []string{"Usage: whereto directory", "-o"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "", tt.args...)
			if err != nil {
				t.Fatalf("Run %q: got %v, want nil", tt.args, err)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q; got:\n%s", w, stdout)
				}
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q; got:\n%s", w, stderr)
				}
			}
		})
	}
	mustNotExist(t, db)
}

// Regression: 'whereto --help' once went to the default chat command and
// printed only chat's help, never mentioning route or directory.
func TestRunTopLevelHelpFlagShowsUsage(t *testing.T) {
	testDB(t)
	for _, arg := range []string{"-h", "--help"} {
		t.Run(arg, func(t *testing.T) {
			stdout, _, err := run(t, "", arg)
			if err != nil {
				t.Fatalf("Run %q: got %v, want nil", arg, err)
			}
			if !strings.Contains(stdout, "whereto route") || !strings.Contains(stdout, "whereto directory") {
				t.Errorf("'whereto %s': stdout lacks the usage naming route and directory; got stdout:\n%s", arg, stdout)
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown top-level flag", []string{"-nosuch", "-db", db}, "-nosuch"},
		{"chat unknown flag", []string{"chat", "-db", db, "-nosuch"}, "-nosuch"},
		{"chat -db without value", []string{"chat", "-db"}, "-db"},
		{"chat extra argument", []string{"chat", "-db", db, "extra"}, "Usage: whereto chat"},
		{"route unknown flag", []string{"route", "-db", db, "-nosuch"}, "-nosuch"},
		{"route extra argument", []string{"route", "-db", db, "extra"}, "Usage: whereto route"},
		{"directory without subcommand", []string{"directory"}, "Usage: whereto directory"},
		{"directory flag before subcommand", []string{"directory", "-db", db, "list"}, "Usage: whereto directory"},
		{"directory unknown subcommand", []string{"directory", "bogus", "-db", db}, `unknown subcommand "bogus"`},
		{"directory list unknown flag", []string{"directory", "list", "-db", db, "-nosuch"}, "-nosuch"},
		{"directory list has no --at", []string{"directory", "list", "-db", db, "--at", wedNight}, "-at"},
		{"directory show without id", []string{"directory", "show", "-db", db}, "name one service id"},
		{"directory show two ids", []string{"directory", "show", "mash", "police-online", "-db", db}, "name one service id"},
		{"directory show unknown flag", []string{"directory", "show", "mash", "-db", db, "-nosuch"}, "-nosuch"},
		{"directory export unknown flag", []string{"directory", "export", "-db", db, "-nosuch"}, "-nosuch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := run(t, "I want to report fly tipping\n", tt.args...)
			if !errors.Is(err, errUsage) {
				t.Fatalf("Run %q: got %v, want errUsage", tt.args, err)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr lacks %q; got:\n%s", tt.wantStderr, stderr)
			}
			if strings.Contains(stdout, councilPhone) {
				t.Errorf("a usage error still ran the command; stdout:\n%s", stdout)
			}
			var code bytes.Buffer
			if got := exitCode(err, &code); got != 2 || code.Len() != 0 {
				t.Errorf("exitCode: got %d and %q, want 2 and nothing printed", got, code.String())
			}
		})
	}
	mustNotExist(t, db)
}

func TestRunBadTime(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		name string
		args []string
	}{
		{"chat", []string{"chat", "-db", db, "--at", "notatime"}},
		{"route", []string{"route", "-db", db, "--at", "notatime"}},
		{"directory show", []string{"directory", "show", "mash", "-db", db, "--at", "notatime"}},
		{"date without time", []string{"route", "-db", db, "--at", "2026-11-25"}},
		{"time without zone", []string{"route", "-db", db, "--at", "2026-11-25T22:00:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := run(t, "I want to report fly tipping\n", tt.args...)
			if err == nil || !strings.Contains(err.Error(), "RFC 3339") {
				t.Fatalf("Run %q: got %v, want an error mentioning RFC 3339", tt.args, err)
			}
			if errors.Is(err, errUsage) {
				t.Errorf("got errUsage, whose message is never printed; want the RFC 3339 error itself")
			}
			if stdout != "" {
				t.Errorf("stdout: got %q, want nothing", stdout)
			}
		})
	}
	mustNotExist(t, db)
}

func TestExitCode(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name       string
		err        error
		want       int
		wantStderr string
	}{
		{"nil is success", nil, 0, ""},
		{"usage", errUsage, 2, ""},
		{"wrapped usage", fmt.Errorf("chat: %w", errUsage), 2, ""},
		{"interrupt", context.Canceled, 130, ""},
		{"wrapped interrupt", fmt.Errorf("reading: %w", context.Canceled), 130, ""},
		{"other error", boom, 1, "whereto: boom\n"},
		{"deadline is not an interrupt", context.DeadlineExceeded, 1, "whereto: context deadline exceeded\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := exitCode(tt.err, &stderr); got != tt.want {
				t.Errorf("exitCode(%v): got %d, want %d", tt.err, got, tt.want)
			}
			if got := stderr.String(); got != tt.wantStderr {
				t.Errorf("stderr: got %q, want %q", got, tt.wantStderr)
			}
		})
	}
}

// dbPath is where every command finds the database: the flag, then
// WHERETO_DB, then the data directory. It only computes a path.
func TestDBPath(t *testing.T) {
	xdg := t.TempDir()
	tests := []struct {
		name, flag, env, want string
	}{
		{"flag wins over the environment", "/flag/w.db", "/env/w.db", "/flag/w.db"},
		{"environment when no flag", "", "/env/w.db", "/env/w.db"},
		{"data directory otherwise", "", "", filepath.Join(xdg, "whereto", "whereto.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("XDG_DATA_HOME", xdg)
			t.Setenv("WHERETO_DB", tt.env)
			c := common{db: tt.flag}
			got, err := c.dbPath()
			if err != nil {
				t.Fatalf("dbPath: %v", err)
			}
			if got != tt.want {
				t.Errorf("dbPath: got %q, want %q", got, tt.want)
			}
		})
	}
	mustBeEmptyDir(t, xdg)
}
