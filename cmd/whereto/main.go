// Command whereto is a reporting-and-signposting chatbot: it tells a
// person where to report a crime or get support. With no arguments it runs
// the resident conversation in the terminal, with the default directory and
// no account of any kind.
//
// This file is wiring only; the logic lives in the packages below cmd.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks a mistake in the command line; its message has already
// been printed with the usage.
var errUsage = errors.New("usage")

// exitCode prints err (if any) and returns the process exit code: 0 for
// success, 2 for a usage error, 130 for an interrupt, 1 otherwise.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, context.Canceled):
		return 130
	}
	fmt.Fprintln(stderr, "whereto:", err)
	return 1
}

const usage = `whereto tells people where to report a crime or get support.

Usage:
  whereto [chat] [flags]            chat in the terminal (the default)
  whereto route [flags]             read messages, one per line; print where each leads, as JSON
  whereto directory list [flags]    list the services in the directory
  whereto directory show ID [flags] show one service and which contact applies now
  whereto directory export [flags]  write the directory as JSON (the format import takes)
  whereto help                      show this help

Every command takes -db PATH (default: $WHERETO_DB, or whereto.db in your
data directory, created on first use). chat, route and directory show take
--at TIME (RFC 3339, e.g. 2026-12-25T10:00:00Z) to answer as if at that time.
Run 'whereto COMMAND -h' for a command's flags.
`

// Run is the whole program, callable from tests: args without the program
// name, and the three standard streams.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "chat"
	switch {
	case len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		cmd, args = "help", nil
	case len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-':
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "chat":
		return runChat(ctx, args, stdin, stdout, stderr)
	case "route":
		return runRoute(ctx, args, stdin, stdout, stderr)
	case "directory":
		return runDirectory(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "whereto: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}
