package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// common holds the flags every command shares.
type common struct {
	db string
	at string
}

// newFlags returns a flag set for a command with -db (and --at if withAt).
// Flags win over WHERETO_* environment variables.
func newFlags(name string, stderr io.Writer, c *common, withAt bool, help string) *flag.FlagSet {
	fs := flag.NewFlagSet("whereto "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.db, "db", "", "database file (default $WHERETO_DB, or "+defaultDBHint()+")")
	if withAt {
		fs.StringVar(&c.at, "at", "", "answer as if at this time (RFC 3339, e.g. 2026-12-25T21:00:00Z)")
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nFlags:\n", help)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and turns flag errors into errUsage. -h prints the help
// and ends the command successfully (errHelp).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	return nil
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("show mash --at T" and "show --at T mash"), and
// returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// errHelp ends a command after -h printed its help.
var errHelp = errors.New("help shown")

// dbPath is the database path: the flag, else $WHERETO_DB, else the user's
// data directory.
func (c *common) dbPath() (string, error) {
	if c.db != "" {
		return c.db, nil
	}
	if p := os.Getenv("WHERETO_DB"); p != "" {
		return p, nil
	}
	return defaultDBPath()
}

// defaultDBPath is the database path when neither -db nor WHERETO_DB is
// given: whereto/whereto.db in the user's data directory.
func defaultDBPath() (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", fmt.Errorf("finding a place for the database (set -db or WHERETO_DB): %w", err)
	}
	return filepath.Join(dir, "whereto", "whereto.db"), nil
}

// now returns the --at time, or a clock.
func (c *common) clock() (func() time.Time, error) {
	if c.at == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, c.at)
	if err != nil {
		return nil, fmt.Errorf("--at %q is not an RFC 3339 time such as 2026-12-25T21:00:00Z", c.at)
	}
	return func() time.Time { return t }, nil
}

// dataDir is where per-user data lives: $XDG_DATA_HOME, ~/.local/share on
// Linux and BSD, and the platform's own place elsewhere.
func dataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return d, nil
	}
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "plan9":
		return os.UserConfigDir()
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}

func defaultDBHint() string {
	switch runtime.GOOS {
	case "darwin", "windows", "ios", "plan9":
		return "whereto/whereto.db in your config directory"
	}
	return "$XDG_DATA_HOME/whereto/whereto.db, or ~/.local/share/whereto/whereto.db"
}

// readDirectory returns the directory for commands that only read: from
// the database if it exists (opened read-only and closed again at once),
// else the embedded default, without creating a file.
func readDirectory(c *common) (*directory.Directory, string, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, "", err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		d, err := directory.Default()
		return d, "built-in default (no database at " + path + " yet)", err
	}
	st, err := bolt.Open(path, &bolt.Options{ReadOnly: true})
	if err != nil {
		return nil, "", err
	}
	d := st.Directory()
	if err := st.Close(); err != nil {
		return nil, "", err
	}
	return d, path, nil
}

// loadDirectory returns the directory for the chat: from the database,
// creating it and loading the default on first use, then closing it so
// that nothing is held while the chat runs.
func loadDirectory(c *common) (*directory.Directory, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	st, err := bolt.Open(path, nil)
	if err != nil {
		return nil, err
	}
	d := st.Directory()
	if err := st.Close(); err != nil {
		return nil, err
	}
	return d, nil
}
