package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// parseLevel turns WHERETO_LOG_LEVEL's value into a level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "", "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("%q is not a log level: use debug, info, warn or error", s)
}

// newLogger returns the service's logger on w: text for a person at a
// terminal, JSON lines otherwise (journald, Docker, a log shipper). Every
// line goes through a redactor that replaces any of the secret values with
// "[redacted]", in the message and in every attribute, so that a library
// error that quotes a URL with a token in it cannot leak the token.
func newLogger(w io.Writer, level slog.Level, secrets []string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if isTerminal(w) {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	r := newRedactor(secrets)
	if r.empty() {
		return slog.New(h)
	}
	return slog.New(redactHandler{h: h, r: r})
}

// redacted replaces a secret value wherever it is found.
const redacted = "[redacted]"

// redactor hides secret values in text.
type redactor struct{ secrets []string }

// newRedactor returns a redactor for the non-empty values in secrets.
func newRedactor(secrets []string) redactor {
	var r redactor
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

func (r redactor) empty() bool { return len(r.secrets) == 0 }

// String returns s with every secret value replaced.
func (r redactor) String(s string) string {
	for _, v := range r.secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, redacted)
		}
	}
	return s
}

// value returns v with secret values replaced in strings, errors,
// Stringers and groups.
func (r redactor) value(v slog.Value) slog.Value {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(r.String(v.String()))
	case slog.KindGroup:
		attrs := v.Group()
		out := make([]slog.Attr, len(attrs))
		for i, a := range attrs {
			out[i] = r.attr(a)
		}
		return slog.GroupValue(out...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.StringValue(r.String(x.Error()))
		case fmt.Stringer:
			return slog.StringValue(r.String(x.String()))
		case []string:
			out := make([]string, len(x))
			for i, s := range x {
				out[i] = r.String(s)
			}
			return slog.AnyValue(out)
		}
	}
	return v
}

func (r redactor) attr(a slog.Attr) slog.Attr {
	return slog.Attr{Key: a.Key, Value: r.value(a.Value)}
}

// redactHandler is a slog.Handler that redacts secrets before passing
// records on.
type redactHandler struct {
	h slog.Handler
	r redactor
}

func (h redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = h.r.attr(a)
	}
	return redactHandler{h: h.h.WithAttrs(out), r: h.r}
}

func (h redactHandler) WithGroup(name string) slog.Handler {
	return redactHandler{h: h.h.WithGroup(name), r: h.r}
}
