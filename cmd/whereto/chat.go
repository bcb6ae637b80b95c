package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/console"
	"github.com/whereto-bot/whereto/flows"
)

const chatHelp = `Usage: whereto chat [flags]

Chat with whereto in the terminal, as a resident would. Choices are
numbered: type the number or the words. Send /help, /about, /forget or
/start at any time; end with Ctrl-D (or end of input when piped):

  printf 'I want to report fly tipping\n' | whereto chat

--lang starts in another language (en, bn, pa, pl, ro, ur); the chat
follows the language you write in, and /language changes it:

  whereto chat --lang pl

Replies are wrapped to the width in $COLUMNS (80 columns if it is not
set). The conversation is kept in memory only and nothing you type is
stored.`

func runChat(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c common
	var start string
	fs := newFlags("chat", stderr, &c, true, chatHelp)
	fs.StringVar(&start, "lang", "", "the language to start in ("+langList()+"); default English")
	if err := parse(fs, args); err != nil {
		return helpOK(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if _, err := forcedLang(start); err != nil {
		return err
	}
	clock, err := c.clock()
	if err != nil {
		return err
	}
	dir, err := loadDirectory(&c)
	if err != nil {
		return err
	}
	if err := flows.Warm(dir); err != nil {
		return fmt.Errorf("building the classifier: %w", err)
	}
	runner := bot.NewRunner(bot.StaticDirectory{D: dir}, &bot.MemorySessions{})
	runner.Now = clock
	chat := console.New(runner, stdin, stdout)
	chat.Width = columns(os.Getenv("COLUMNS"))
	chat.Lang = start
	if isTerminal(stdin) {
		chat.Prompt = "> "
	}
	return chat.Run(ctx)
}

// columns is the terminal width that $COLUMNS gives, v: a positive
// integer, or 0 (the console's default of 80 columns) when v is empty or
// anything else.
func columns(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// helpOK turns the -h outcome into success.
func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// isTerminal reports whether the stream (standard input or error) is an
// interactive terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
