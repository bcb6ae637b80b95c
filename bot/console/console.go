// Package console is the terminal chat: the resident conversation on
// standard input and output, with no account or network. Choices are
// numbered; typing the number or the words chooses. Replies are wrapped to
// the terminal's width (Chat.Width), never inside a word, a web or email
// address or a phone number. It behaves the same with input piped in, so a
// whole conversation can be scripted.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/flows"
)

// MaxLine is the longest line read whole. The rest of a longer line is read
// and discarded, and the conversation is told the message was cut.
const MaxLine = 1 << 20

// Handler is what the chat needs from the core: *bot.Runner.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) (bot.Response, error)
}

// Chat runs one terminal conversation.
type Chat struct {
	h   Handler
	in  io.Reader
	out io.Writer

	// Prompt, if set, is written before each line is read (for a person at
	// a terminal; leave it empty when input is piped).
	Prompt string
	// Conversation names the session; default "terminal".
	Conversation string
	// Width is the terminal's width in columns, to which replies are
	// wrapped; 0 means DefaultWidth (80), and a negative width turns
	// wrapping off. The package reads no environment: the caller passes
	// the width of its terminal (or $COLUMNS).
	Width int
	// Lang is the language to start in (whereto chat --lang pl), as a
	// person's app language is: the conversation follows the words they
	// write, and /language changes it. "" is English.
	Lang string
}

// New returns a Chat reading lines from in and writing replies to out.
func New(h Handler, in io.Reader, out io.Writer) *Chat {
	return &Chat{h: h, in: in, out: out}
}

// LineReader reads lines in its own goroutine, so that a reader blocked on
// a terminal never keeps the program from stopping when asked.
type LineReader struct {
	lines chan readResult
	done  chan struct{}
}

type readResult struct {
	text string
	err  error
}

// NewLineReader starts reading lines of at most max bytes from r (see
// ReadLine). Call Close when done; the goroutine then ends at its next line.
func NewLineReader(r io.Reader, max int) *LineReader {
	lr := &LineReader{lines: make(chan readResult), done: make(chan struct{})}
	out := lr.lines
	go func() {
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			text, _, err := ReadLine(br, max)
			select {
			case out <- readResult{text, err}:
			case <-lr.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return lr
}

// Next returns the next line. ok is false at the end of input (err nil) or
// on a read error (err set). It returns ctx.Err() as soon as ctx is done. A
// last line without a line ending is returned before the end.
func (lr *LineReader) Next(ctx context.Context) (text string, ok bool, err error) {
	select {
	case <-ctx.Done():
		return "", false, ctx.Err()
	case l, open := <-lr.lines:
		switch {
		case !open:
			return "", false, nil
		case l.err == nil:
			return l.text, true, nil
		case l.text != "":
			// Hand out the partial last line now; the end comes next.
			lr.pushEnd(l.err)
			return l.text, true, nil
		case errors.Is(l.err, io.EOF):
			lr.pushEnd(nil)
			return "", false, nil
		default:
			lr.pushEnd(l.err)
			return "", false, fmt.Errorf("reading input: %w", l.err)
		}
	}
}

// pushEnd makes every later Next report the end of input (or err).
func (lr *LineReader) pushEnd(err error) {
	if errors.Is(err, io.EOF) {
		err = nil
	}
	ch := make(chan readResult, 1)
	if err != nil {
		ch <- readResult{err: err}
	}
	close(ch)
	lr.lines = ch
}

// Close stops the reading goroutine.
func (lr *LineReader) Close() {
	select {
	case <-lr.done:
	default:
		close(lr.done)
	}
}

// Run greets, then answers each line until end of input (returning nil) or
// until ctx is done (returning ctx.Err()).
func (c *Chat) Run(ctx context.Context) error {
	lines := NewLineReader(c.in, MaxLine)
	defer lines.Close()
	if err := c.send(ctx, "/start"); err != nil {
		return err
	}
	for {
		if c.Prompt != "" {
			if _, err := io.WriteString(c.out, c.Prompt); err != nil {
				return err
			}
		}
		text, ok, err := lines.Next(ctx)
		if err != nil {
			return err
		}
		if !ok {
			if c.Prompt != "" {
				_, _ = io.WriteString(c.out, "\n")
			}
			return nil
		}
		// A line cut at MaxLine is still far past flows.MaxReadBytes, so
		// the conversation itself tells the person it read only the start.
		if err := c.send(ctx, text); err != nil {
			return err
		}
	}
}

func (c *Chat) send(ctx context.Context, text string) error {
	conv := c.Conversation
	if conv == "" {
		conv = "terminal"
	}
	resp, err := c.h.Handle(ctx, bot.Message{Channel: "console", Conversation: conv, Text: text, Lang: c.Lang})
	if err != nil {
		return err
	}
	width := c.Width
	if width == 0 {
		width = DefaultWidth
	}
	if _, err := io.WriteString(c.out, wrap(flows.RenderText(resp.Replies), width)+"\n"); err != nil {
		return fmt.Errorf("writing reply: %w", err)
	}
	return nil
}

// ReadLine reads one line without its line ending. A line longer than max
// bytes is cut at max and the rest read and discarded (truncated is true).
// At end of input it returns the last partial line with io.EOF.
func ReadLine(r *bufio.Reader, max int) (text string, truncated bool, err error) {
	var buf []byte
	limit := max + len("\r\n")
	for {
		chunk, err := r.ReadSlice('\n')
		if room := limit - len(buf); len(chunk) <= room {
			buf = append(buf, chunk...)
		} else {
			buf = append(buf, chunk[:room]...)
			truncated = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		text = trimEOL(buf)
		if len(text) > max {
			text, truncated = text[:max], true
		}
		return text, truncated, err
	}
}

func trimEOL(b []byte) string {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return string(b)
}
