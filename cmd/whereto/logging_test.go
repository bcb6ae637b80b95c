package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    slog.Level
		wantErr bool
	}{
		{"debug", slog.LevelDebug, false},
		{"", slog.LevelInfo, false},
		{"INFO", slog.LevelInfo, false},
		{"warn", slog.LevelWarn, false},
		{"warning", slog.LevelWarn, false},
		{"error", slog.LevelError, false},
		{"trace", 0, true},
	}
	for _, tt := range tests {
		got, err := parseLevel(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseLevel(%q): got %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// Every way a secret can reach a log line is redacted.
func TestLoggerRedactsSecrets(t *testing.T) {
	const token = "123456789:TESTtokenTESTtokenTESTtokenTESTtoken"
	url := "https://api.telegram.org/bot" + token + "/getUpdates"
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"in the message", func(l *slog.Logger) { l.Info("calling " + url) }},
		{"in a string", func(l *slog.Logger) { l.Info("x", "url", url) }},
		{"in an error", func(l *slog.Logger) { l.Error("x", "err", fmt.Errorf("Post %q: %w", url, errors.New("timeout"))) }},
		{"in a Stringer", func(l *slog.Logger) { l.Info("x", "v", stringer(url)) }},
		{"in a group", func(l *slog.Logger) { l.Info("x", slog.Group("req", "url", url)) }},
		{"in With", func(l *slog.Logger) { l.With("url", url).Info("x") }},
		{"in a list", func(l *slog.Logger) { l.Info("x", "urls", []string{url}) }},
		{"as a secret value", func(l *slog.Logger) { l.Info("x", "token", secret(token)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			tt.log(newLogger(&buf, slog.LevelDebug, []string{token, ""}))
			out := buf.String()
			if strings.Contains(out, token) || strings.Contains(out, "TESTtoken") {
				t.Errorf("the token reached the log: %s", out)
			}
			if !strings.Contains(out, redacted) {
				t.Errorf("no [redacted] in %s", out)
			}
			if !strings.HasPrefix(out, "{") {
				t.Errorf("not JSON on a non-terminal: %s", out)
			}
		})
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestLoggerLevel(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(&buf, slog.LevelWarn, nil)
	l.Info("hidden")
	l.Warn("shown", "took", time.Millisecond)
	if out := buf.String(); strings.Contains(out, "hidden") || !strings.Contains(out, "shown") {
		t.Errorf("at warn: got %s", out)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := secret("xoxb-abc")
	cfg := struct{ Token secret }{s}
	for _, got := range []string{fmt.Sprint(s), fmt.Sprintf("%v %s %#v %+v", s, s, s, cfg)} {
		if strings.Contains(got, "xoxb") {
			t.Errorf("printed the secret: %s", got)
		}
	}
	if s.Value() != "xoxb-abc" {
		t.Errorf("Value: got %q", s.Value())
	}
}
