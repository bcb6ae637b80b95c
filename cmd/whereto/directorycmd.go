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
)

const directoryHelp = `Usage: whereto directory list|show ID|export [flags]

  list            the services, with their routes and when they were verified
  show ID         one service in full, and which contacts apply now (or --at)
  export          the whole directory as JSON, the format import takes

  whereto directory show mash --at 2026-12-25T21:00:00Z
  whereto directory export -o luton.json`

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
		var out string
		fs := newFlags("directory export", stderr, &c, false, directoryHelp)
		fs.StringVar(&out, "o", "", "write to this file instead of standard output")
		if err := parse(fs, args); err != nil {
			return helpOK(err)
		}
		d, _, err := readDirectory(&c)
		if err != nil {
			return err
		}
		if out == "" {
			return d.Export(stdout)
		}
		return exportFile(d, out)
	}
	fmt.Fprintf(stderr, "whereto directory: unknown subcommand %q\n\n%s\n", sub, directoryHelp)
	return errUsage
}

func listServices(w io.Writer, d *directory.Directory, from string) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tNAME\tROUTES\tVERIFIED\n")
	for _, s := range d.List() {
		var routes []string
		for _, r := range s.Routes {
			routes = append(routes, string(r.Route))
		}
		verified := s.Verified
		if verified == "" {
			verified = "not yet"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.ID, s.Name, strings.Join(routes, ","), verified)
	}
	fmt.Fprintf(tw, "\n%d services, from %s\n", len(d.List()), from)
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
	local := at.In(directory.London())
	fmt.Fprintf(&b, "\nAt %s:\n", local.Format("Mon 2 Jan 2006 15:04 MST"))
	if s.Hours != nil {
		state := "outside office hours"
		if s.InHours(at) {
			state = "in office hours"
		}
		fmt.Fprintf(&b, "  %s (%s, Europe/London)\n", state, s.Hours.String())
		if s.Hours.Note != "" {
			fmt.Fprintf(&b, "  note: %s\n", s.Hours.Note)
		}
	} else {
		b.WriteString("  no opening hours: every contact applies at all times\n")
	}
	for _, c := range s.ContactsAt(at) {
		fmt.Fprintf(&b, "  use: %s %s\n", c.Kind, c.Value)
	}
	b.WriteString("\nRoutes:")
	for _, r := range s.Routes {
		fmt.Fprintf(&b, " %s (order %d)", r.Route, r.Order)
	}
	b.WriteString("\n")
	if len(s.Areas) > 0 {
		fmt.Fprintf(&b, "Areas: %s\n", strings.Join(s.Areas, ", "))
	} else {
		b.WriteString("Areas: everywhere\n")
	}
	fmt.Fprintf(&b, "Source: %s\n", s.Source)
	fmt.Fprintf(&b, "Verified: %s\n", nonEmpty(s.Verified, "not yet verified by the partnership"))
	_, err := io.WriteString(w, b.String())
	return err
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// exportFile writes the directory to path atomically: a temporary file in
// the same folder, renamed over the target once complete.
func exportFile(d *directory.Directory, path string) (err error) {
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
	if err := d.Export(f); err != nil {
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
