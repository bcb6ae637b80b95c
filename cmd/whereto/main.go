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
	"sync"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, stop := onSignals(context.Background(), sigs, os.Stderr, os.Exit)
	err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	signal.Stop(sigs)
	os.Exit(exitCode(err, os.Stderr))
}

// onSignals returns a context that the first signal on sigs cancels (its
// cause names the signal), so that commands stop cleanly. A second signal
// calls exit(130) at once, for when a clean stop takes too long. stop ends
// the watching and cancels the context.
func onSignals(parent context.Context, sigs <-chan os.Signal, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			cancel(fmt.Errorf("received %v", sig))
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "whereto: received %v again: exiting now\n", sig)
			exit(130)
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() { close(done) })
		cancel(nil)
	}
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
  whereto directory routes [flags]  list the routes: menu group, label, 999 line, place question
  whereto directory COMMAND         also validate, import, stale, verify, history, backup,
                                    restore: 'whereto directory -h' explains each
  whereto serve [flags]             run every configured channel, with health checks and metrics
  whereto serve --check [flags]     check the configuration and the database, then exit
  whereto stats [flags]             conversations per route per day (anonymous counts)
  whereto help                      show this help

Every command takes -db PATH (default: $WHERETO_DB, or whereto.db in your
data directory, created on first use). chat, route, directory show and stats
take --at TIME (RFC 3339, e.g. 2026-12-25T10:00:00Z) to answer as if at that
time.
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
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "stats":
		return runStats(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "whereto: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}
