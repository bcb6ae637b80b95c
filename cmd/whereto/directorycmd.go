package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows/lang"
)

const directoryHelp = `Usage: whereto directory COMMAND [flags]

  list              the services, with routes, status and when they were verified
  routes            the routes: id, menu group, label, danger line, place question,
                    follow-ups, services on it and examples for the classifier
  show ID           one service in full, and which contact applies now (or --at) and why
  export            the whole directory as JSON (--format whereto|openreferral, -o FILE)
  validate FILE     check a directory file (ours or Open Referral UK) without importing it
  import FILE       add or change services from a file; all or nothing, audited
  stale             services not verified in the last 180 days (--days N), or never
  unreviewed        translations no native speaker has confirmed yet, and those
                    whose English changed since (--lang CODE for one language)
  verify ID         mark a service verified today (audited)
  history ID        every change to a service: who, when, what
  backup FILE       a consistent copy of the database, also while 'whereto serve' runs
  restore FILE      check a backup, keep the current database aside, and swap it in

  whereto directory show mash --at 2026-12-25T10:00:00Z
  whereto directory export --format openreferral -o luton-oruk.json
  whereto directory import luton.json
  whereto directory stale --days 90
  whereto directory unreviewed --lang pl

Commands that change the database (import, verify, restore) need it to
themselves: while 'whereto serve' runs they stop at once and say so.`

func runDirectory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, directoryHelp)
			return nil
		}
		fmt.Fprintln(stderr, directoryHelp)
		return errUsage
	}
	sub, args := args[0], args[1:]
	var c common
	switch sub {
	case "list":
		fs := newFlags("directory list", stderr, &c, false, directoryHelp)
		if err := parse(fs, args); err != nil {
			return helpOK(err)
		}
		d, from, err := readDirectory(&c)
		if err != nil {
			return err
		}
		return listServices(stdout, d, from)
	case "routes":
		fs := newFlags("directory routes", stderr, &c, false, directoryHelp)
		if err := parse(fs, args); err != nil {
			return helpOK(err)
		}
		if fs.NArg() > 0 {
			fs.Usage()
			return errUsage
		}
		d, from, err := readDirectory(&c)
		if err != nil {
			return err
		}
		return listRoutes(stdout, d, from)
	case "show":
		fs := newFlags("directory show", stderr, &c, true, directoryHelp)
		ids, err := parseInterspersed(fs, args)
		if err != nil {
			return helpOK(err)
		}
		if len(ids) != 1 {
			fmt.Fprintln(stderr, "whereto directory show: name one service id, e.g. 'whereto directory show mash'")
			return errUsage
		}
		id := ids[0]
		clock, err := c.clock()
		if err != nil {
			return err
		}
		d, _, err := readDirectory(&c)
		if err != nil {
			return err
		}
		svc, err := d.Service(id)
		if err != nil {
			var ids []string
			for _, s := range d.List() {
				ids = append(ids, s.ID)
			}
			return fmt.Errorf("no service %q; the ids are: %s", id, strings.Join(ids, ", "))
		}
		return showService(stdout, svc, clock())
	case "export":
		var out, format string
		fs := newFlags("directory export", stderr, &c, false, directoryHelp)
		fs.StringVar(&out, "o", "", "write to this file instead of standard output")
		fs.StringVar(&format, "format", "whereto", "whereto (our JSON, which import takes) or openreferral (Open Referral UK / HSDS 3)")
		if err := parse(fs, args); err != nil {
			return helpOK(err)
		}
		write, err := exporter(format)
		if err != nil {
			fmt.Fprintln(stderr, "whereto directory export:", err)
			return errUsage
		}
		d, _, err := readDirectory(&c)
		if err != nil {
			return err
		}
		if out == "" {
			return write(d, stdout)
		}
		return exportFile(d, out, write)
	case "unreviewed":
		var code string
		fs := newFlags("directory unreviewed", stderr, &c, false, directoryHelp)
		fs.StringVar(&code, "lang", "", "only this language ("+langList()+")")
		if err := parse(fs, args); err != nil {
			return helpOK(err)
		}
		if fs.NArg() > 0 {
			fs.Usage()
			return errUsage
		}
		var l lang.Lang
		if code != "" {
			var ok bool
			if l, ok = lang.Find(code); !ok || l == lang.English {
				return fmt.Errorf("--lang %q: the translations are %s", code, strings.TrimPrefix(langList(), "en, "))
			}
		}
		d, from, err := readDirectory(&c)
		if err != nil {
			return err
		}
		return listUnreviewed(stdout, d, from, l)
	case "validate", "import", "stale", "verify", "history", "backup", "restore":
		return runDirectoryChange(ctx, sub, args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "whereto directory: unknown subcommand %q\n\n%s\n", sub, directoryHelp)
	return errUsage
}

// listRoutes prints the directory's routes in menu order.
func listRoutes(w io.Writer, d *directory.Directory, from string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tGROUP\tLABEL\t999 LINE\tASKS WHERE\tNEXT\tSERVICES\tEXAMPLES\n")
	for _, r := range d.RouteList() {
		group := r.Group
		if group == "" {
			group = "-"
		}
		line := "no"
		if r.DangerCheck {
			line = "yes"
		}
		where := "no"
		switch r.Where {
		case directory.WhereHappened:
			where = "where it happened"
		case directory.WhereLives:
			where = "where they live"
		}
		var next []string
		for _, n := range r.Next {
			next = append(next, string(n))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", r.ID, group, r.Label, line, where, strings.Join(next, ","), len(d.ServicesFor(r.ID)), len(r.Examples))
	}
	fmt.Fprintf(tw, "\n%d routes, from %s. Examples are the directory's own; the built-in training data has more for the default routes.\n", len(d.RouteList()), from)
	return tw.Flush()
}

func listServices(w io.Writer, d *directory.Directory, from string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tNAME\tROUTES\tSTATUS\tVERIFIED\tREVIEW\n")
	review := 0
	for _, s := range d.List() {
		var routes []string
		for _, r := range s.Routes {
			routes = append(routes, string(r.Route))
		}
		verified := s.Verified
		if verified == "" {
			verified = "not yet"
		}
		status := string(s.Status)
		if status == "" {
			status = string(directory.StatusActive)
		}
		flag := ""
		if s.Review != "" {
			flag = "needs review"
			review++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Name, strings.Join(routes, ","), status, verified, flag)
	}
	fmt.Fprintf(tw, "\n%d services, from %s\n", len(d.List()), from)
	if review > 0 {
		fmt.Fprintf(tw, "%d marked for review by the partnership before launch: see 'whereto directory show ID'\n", review)
	}
	return tw.Flush()
}

func showService(w io.Writer, s directory.Service, at time.Time) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", s.Name, s.ID)
	if s.Organisation != "" {
		fmt.Fprintf(&b, "Organisation: %s\n", s.Organisation)
	}
	if s.Description != "" {
		fmt.Fprintf(&b, "%s\n", s.Description)
	}
	b.WriteString("\nContacts:\n")
	for _, c := range s.Contacts {
		when := "always"
		switch c.Hours {
		case directory.InHours:
			when = "in office hours"
		case directory.OutOfHours:
			when = "out of office hours"
		}
		fmt.Fprintf(&b, "  %-6s %s  (%s; %s)\n", c.Kind, c.Value, nonEmpty(c.Label, "-"), when)
		if c.Note != "" {
			fmt.Fprintf(&b, "         %s\n", c.Note)
		}
	}
	if s.Alert != "" {
		fmt.Fprintf(&b, "\nAlert: %s\n", s.Alert)
	}
	if !s.Active() {
		fmt.Fprintf(&b, "\nStatus: %s (never recommended; its routes fall back to the next service)\n", s.Status)
	}
	if s.Hours != nil {
		fmt.Fprintf(&b, "\nOpening hours (Europe/London): %s", s.Hours.String())
		if s.Hours.BankHolidays == directory.BankHolidaysOpen {
			b.WriteString(", including bank holidays")
		} else {
			b.WriteString(", closed on bank holidays")
		}
		b.WriteString("\n")
		for _, e := range s.Hours.Exceptions {
			if e.Closed {
				fmt.Fprintf(&b, "  %s: closed %s\n", e.Date, e.Note)
			} else {
				fmt.Fprintf(&b, "  %s: open %s-%s %s\n", e.Date, e.Opens, e.Closes, e.Note)
			}
		}
		if s.Hours.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", s.Hours.Note)
		}
	}
	local := at.In(directory.London())
	in, why := s.HoursAt(at)
	fmt.Fprintf(&b, "\nAt %s:\n", local.Format("Mon 2 Jan 2006 15:04 MST"))
	state := "in office hours"
	if !in {
		state = "out of office hours"
	}
	if s.Hours != nil {
		fmt.Fprintf(&b, "  %s: %s\n", state, why)
	} else {
		fmt.Fprintf(&b, "  %s\n", why)
	}
	for _, c := range s.ContactsAt(at) {
		label := ""
		if c.Hours == directory.OutOfHours {
			label = " (out-of-hours number)"
		}
		fmt.Fprintf(&b, "  use: %s %s%s\n", c.Kind, c.Value, label)
	}
	b.WriteString("\nRoutes:")
	for _, r := range s.Routes {
		fallback := ""
		if r.Fallback {
			fallback = ", fallback"
		}
		fmt.Fprintf(&b, " %s (order %d%s)", r.Route, r.Order, fallback)
	}
	b.WriteString("\n")
	if len(s.Areas) > 0 {
		fmt.Fprintf(&b, "Areas: %s", strings.Join(s.Areas, ", "))
		if s.AreaName != "" {
			fmt.Fprintf(&b, " (%s)", s.AreaName)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("Areas: everywhere\n")
	}
	fmt.Fprintf(&b, "Source: %s\n", s.Source)
	fmt.Fprintf(&b, "Verified: %s\n", nonEmpty(s.Verified, "never"))
	if s.Review != "" {
		fmt.Fprintf(&b, "Review: %s\n", s.Review)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// exporter returns the writer for an export format.
func exporter(format string) (func(*directory.Directory, io.Writer) error, error) {
	switch format {
	case "whereto", "":
		return (*directory.Directory).Export, nil
	case "openreferral", "oruk", "hsds":
		return (*directory.Directory).ExportOpenReferral, nil
	}
	return nil, fmt.Errorf("--format %q: want whereto or openreferral", format)
}

// exportFile writes the directory to path atomically: a temporary file in
// the same folder, renamed over the target once complete.
func exportFile(d *directory.Directory, path string, write func(*directory.Directory, io.Writer) error) (err error) {
	f, err := os.CreateTemp(dirOf(path), ".whereto-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	// An export is meant to be shared and reviewed, not kept private.
	if err := f.Chmod(0o644); err != nil {
		_ = f.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := write(d, f); err != nil {
		_ = f.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}
