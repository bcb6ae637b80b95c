package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// maxDirectoryFile bounds a file read by validate and import.
const maxDirectoryFile = 64 << 20

// runDirectoryChange runs the directory commands that check files or change
// the database.
func runDirectoryChange(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) error {
	var c common
	var days int
	fs := newFlags("directory "+sub, stderr, &c, sub == "stale", directoryHelp)
	if sub == "stale" {
		fs.IntVar(&days, "days", 180, "a service verified longer ago than this many days is stale")
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return helpOK(err)
	}
	want := 1
	if sub == "stale" {
		want = 0
	}
	if len(pos) != want {
		noun := "a file"
		switch sub {
		case "verify", "history":
			noun = "one service id"
		case "stale":
			noun = "no argument"
		}
		fmt.Fprintf(stderr, "whereto directory %s: takes %s\n", sub, noun)
		return errUsage
	}
	switch sub {
	case "validate":
		return validateFile(&c, pos[0], stdout)
	case "import":
		return importFile(ctx, &c, pos[0], stdout)
	case "stale":
		clock, err := c.clock()
		if err != nil {
			return err
		}
		if days < 0 {
			return fmt.Errorf("--days %d: want zero or more", days)
		}
		d, from, err := readDirectory(&c)
		if err != nil {
			return err
		}
		return listStale(stdout, d, from, days, clock())
	case "verify":
		return verifyService(ctx, &c, pos[0], stdout)
	case "history":
		return showHistory(ctx, &c, pos[0], stdout)
	case "backup":
		return backupTo(ctx, &c, pos[0], stdout)
	case "restore":
		return restoreFrom(&c, pos[0], stdout)
	}
	return errUsage
}

// readDirectoryFile reads a directory file in either format and checks
// each service on its own. Whole-directory rules (every route served) are
// checked where the file is merged.
func readDirectoryFile(path string) (*directory.Directory, []directory.RecordResult, directory.Format, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, "", err
	}
	if len(data) > maxDirectoryFile {
		return nil, nil, "", fmt.Errorf("%s is larger than %d MB", path, maxDirectoryFile>>20)
	}
	format, err := directory.DetectFormat(data)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", path, err)
	}
	if format == directory.FormatOpenReferral {
		d, results, err := directory.ParseOpenReferral(bytes.NewReader(data))
		return d, results, format, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var all directory.Directory
	if err := dec.Decode(&all); err != nil {
		return nil, nil, format, fmt.Errorf("%s: reading JSON: %w", path, err)
	}
	if all.Schema > directory.SchemaVersion {
		return nil, nil, format, fmt.Errorf("%s: %w", path, directory.ErrSchema)
	}
	// Routes, menu and places come whole when the file has them (the
	// merge replaces the stored ones); a file with services only keeps
	// the stored ones.
	d := &directory.Directory{Schema: directory.SchemaVersion, Partnership: all.Partnership, BankHolidays: all.BankHolidays,
		Routes: all.Routes, Menu: all.Menu, PlaceNames: all.PlaceNames}
	results := make([]directory.RecordResult, len(all.Services))
	seen := map[string]int{}
	for i, s := range all.Services {
		results[i] = directory.RecordResult{Index: i, ID: s.ID}
		if err := s.Validate(); err != nil {
			results[i].Err = err
			continue
		}
		if j, dup := seen[s.ID]; dup {
			results[i].Err = fmt.Errorf("id %q is also services[%d]", s.ID, j)
			continue
		}
		seen[s.ID] = i
		d.Services = append(d.Services, s)
	}
	return d, results, format, nil
}

// printRecords writes one line per rejected record and reports whether any
// was rejected.
func printRecords(w io.Writer, results []directory.RecordResult) (rejected int) {
	for _, r := range results {
		if r.Err == nil {
			continue
		}
		rejected++
		msg := strings.ReplaceAll(r.Err.Error(), "\n", "\n    ")
		fmt.Fprintf(w, "rejected  services[%d] %q:\n    %s\n", r.Index, r.ID, msg)
	}
	return rejected
}

func validateFile(c *common, path string, stdout io.Writer) error {
	in, results, format, err := readDirectoryFile(path)
	if err != nil {
		return err
	}
	rejected := printRecords(stdout, results)
	// The whole file as a directory, if it is one; else merged into the
	// current directory, as import would.
	base, from, err := readDirectory(c)
	if err != nil {
		return err
	}
	merged := base.Clone()
	merged.Merge(who(), in) // what an import would make of it
	whole := merged.Validate()
	if whole != nil {
		fmt.Fprintf(stdout, "after merging into the directory from %s:\n  %s\n", from, strings.ReplaceAll(whole.Error(), "\n", "\n  "))
	}
	fmt.Fprintf(stdout, "%s (%s): %d services, %d rejected\n", path, format, len(results), rejected)
	if rejected > 0 || whole != nil {
		return fmt.Errorf("%s is not valid", path)
	}
	fmt.Fprintln(stdout, "valid")
	return nil
}

func importFile(ctx context.Context, c *common, path string, stdout io.Writer) error {
	in, results, format, err := readDirectoryFile(path)
	if err != nil {
		return err
	}
	if rejected := printRecords(stdout, results); rejected > 0 {
		return fmt.Errorf("%d of %d records rejected: nothing imported", rejected, len(results))
	}
	st, err := openForChange(c)
	if err != nil {
		return err
	}
	got, err := st.Import(ctx, who(), in)
	closeErr := st.Close()
	if err != nil {
		var verr *directory.ValidationError
		if errors.As(err, &verr) {
			fmt.Fprintf(stdout, "the directory would be invalid after this import:\n  %s\n", strings.ReplaceAll(verr.Error(), "\n", "\n  "))
			return errors.New("nothing imported")
		}
		return err
	}
	counts := map[string]int{}
	for _, r := range got {
		counts[r.Outcome]++
		fmt.Fprintf(stdout, "%-9s %s\n", r.Outcome, r.ID)
	}
	fmt.Fprintf(stdout, "imported %s (%s): %d added, %d changed, %d unchanged\n", path, format,
		counts[directory.ImportAdded], counts[directory.ImportChanged], counts[directory.ImportUnchanged])
	return closeErr
}

// openForChange opens the database to change it. Another process holding
// it (whereto serve) makes it fail at once with a message that says so.
func openForChange(c *common) (*bolt.Store, error) {
	path, err := c.dbPath()
	if err != nil {
		return nil, err
	}
	st, err := bolt.Open(path, &bolt.Options{Timeout: 500 * time.Millisecond})
	if errors.Is(err, bolt.ErrInUse) {
		return nil, fmt.Errorf("%w\nStop 'whereto serve' first, or make the change through it (Slack's /whereto edit)", err)
	}
	return st, err
}

// who names the person running a command, for the audit log.
func who() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli"
}

// listStale prints the services that need checking, by the directory's
// stale rule (directory.Directory.Stale).
func listStale(w io.Writer, d *directory.Directory, from string, days int, now time.Time) error {
	cutoff := directory.StaleCutoff(now, days)
	stale := d.Stale(now, days)
	for _, s := range stale {
		switch {
		case s.Verified == "":
			fmt.Fprintf(w, "%-24s never verified%s\n", s.ID, reviewSuffix(s))
		case s.Verified < cutoff:
			fmt.Fprintf(w, "%-24s last verified %s%s\n", s.ID, s.Verified, reviewSuffix(s))
		default:
			fmt.Fprintf(w, "%-24s verified %s%s\n", s.ID, s.Verified, reviewSuffix(s))
		}
	}
	fmt.Fprintf(w, "%d of %d services need verifying (not verified since %s, or marked for review), from %s\n", len(stale), len(d.List()), cutoff, from)
	return nil
}

func reviewSuffix(s directory.Service) string {
	if s.Review == "" {
		return ""
	}
	return "; review: " + s.Review
}

func verifyService(ctx context.Context, c *common, id string, stdout io.Writer) error {
	st, err := openForChange(c)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := st.Directory().Service(id)
	if err != nil {
		return fmt.Errorf("no service %q", id)
	}
	svc = svc.Clone()
	svc.Verified = directory.UKDay(time.Now())
	if err := st.PutService(ctx, who(), svc); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s verified %s\n", id, svc.Verified)
	return st.Close()
}

func showHistory(ctx context.Context, c *common, id string, stdout io.Writer) error {
	path, err := c.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s yet, so no history", path)
	}
	st, err := bolt.Open(path, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer st.Close()
	entries, err := st.History(ctx, id)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		fmt.Fprintf(stdout, "no changes recorded for %q\n", id)
		return nil
	}
	for _, e := range entries {
		note := ""
		if e.Note != "" {
			note = " (" + e.Note + ")"
		}
		fmt.Fprintf(stdout, "#%d  %s  %-8s by %s%s", e.Seq, e.At.In(directory.London()).Format("2006-01-02 15:04"), e.Action, e.Who, note)
		if changed := directory.ChangedFields(e.Before, e.After); len(changed) > 0 {
			fmt.Fprintf(stdout, ": %s", strings.Join(changed, ", "))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// backupTo writes a consistent copy of the database to path.
func backupTo(ctx context.Context, c *common, path string, stdout io.Writer) error {
	dbPath, err := c.dbPath()
	if err != nil {
		return err
	}
	st, err := bolt.Open(dbPath, &bolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, bolt.ErrInUse) {
		return backupThroughServe(ctx, dbPath, path, stdout)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := writeFileAtomic(path, func(w io.Writer) (int64, error) { return st.Backup(ctx, w) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes)\n", dbPath, path, n)
	return nil
}

// writeFileAtomic writes a file through a temporary file in the same
// folder, synced and renamed into place, with mode 0600.
func writeFileAtomic(path string, write func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".whereto-backup-*")
	if err != nil {
		return 0, err
	}
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return 0, err
	}
	return n, nil
}

// restoreFrom checks a backup and swaps it in, keeping the current database
// beside it. The backup is read once: copied beside the database, the copy
// checked, and that same copy renamed into place, so what is installed is
// exactly what passed the check.
func restoreFrom(c *common, backup string, stdout io.Writer) error {
	dbPath, err := c.dbPath()
	if err != nil {
		return err
	}
	src, err := os.Open(backup)
	if err != nil {
		return fmt.Errorf("nothing restored: %w", err)
	}
	defer src.Close()
	// The copy goes beside the database, for an atomic rename.
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return fmt.Errorf("nothing restored: %w", err)
	}
	// The copy must be whole, pass bbolt's consistency check, have every
	// record decode and hold a valid directory. A refused backup leaves
	// everything as it was (the current database is not even opened), and
	// no copy behind.
	staged, checked, err := bolt.CopyChecked(src, filepath.Dir(dbPath))
	if err != nil {
		return fmt.Errorf("%s is not a usable backup, nothing restored: %w", backup, err)
	}
	// Hold the current database while swapping, so that nothing else has
	// it open; a running 'whereto serve' makes this fail at once.
	cur, err := openForChange(c)
	if err != nil {
		_ = os.Remove(staged)
		return err
	}
	n := len(checked.List())
	aside := dbPath + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(dbPath, aside); err != nil {
		_ = cur.Close()
		_ = os.Remove(staged)
		return fmt.Errorf("keeping the current database aside, nothing restored: %w", err)
	}
	if err := os.Rename(staged, dbPath); err != nil {
		_ = cur.Close()
		_ = os.Remove(staged)
		// Put the original back.
		if rerr := os.Rename(aside, dbPath); rerr != nil {
			return errors.Join(err, fmt.Errorf("and could not put %s back: %w", aside, rerr))
		}
		return fmt.Errorf("nothing restored: %w", err)
	}
	if err := cur.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s (%d services); the previous database is %s\n", dbPath, backup, n, aside)
	return nil
}
