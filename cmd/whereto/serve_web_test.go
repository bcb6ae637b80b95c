package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

var webTokenRE = regexp.MustCompile(`name="c" value="([A-Za-z0-9_-]+)"`)

// webPost sends one turn of the web chat and returns the page.
func webPost(t *testing.T, base string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(base+"/chat", form)
	if err != nil {
		t.Fatalf("POST /chat: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func webToken(t *testing.T, page string) string {
	t.Helper()
	m := webTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no conversation token on the page:\n%s", page)
	}
	return m[1]
}

// The web chat is on by default: a conversation through serve reaches
// the council's number, is counted under channel "web", and leaves no
// text in the logs or the database.
func TestServeWebChat(t *testing.T) {
	marker := fmt.Sprintf("QZX%dMARK", time.Now().UnixNano())
	db := testDB(t)
	s := startServe(t, db, map[string]string{"WHERETO_LOG_LEVEL": "debug"}, buildChannels)

	code, page := s.get(t, "/chat")
	if code != 200 || !strings.Contains(page, "What do you want to do?") {
		t.Fatalf("GET /chat: got %d:\n%s", code, page)
	}
	tok := webToken(t, page)
	code, page = webPost(t, s.base, url.Values{"c": {tok}, "text": {"my name is " + marker + " and someone dumped rubbish in my street"}})
	if code != 200 || !strings.Contains(page, "Where did it happen?") {
		t.Fatalf("a message: got %d:\n%s", code, page)
	}
	code, page = webPost(t, s.base, url.Values{"c": {webToken(t, page)}, "text": {"LU1 " + marker}})
	if code != 200 || !strings.Contains(page, `<a href="tel:01582510330">01582 510 330</a>`) {
		t.Fatalf("the place: got %d, want the council's number:\n%s", code, page)
	}
	for _, p := range []string{"/chat/chat.js", "/chat/chat.css", "/chat/widget.js"} {
		if code, _ := s.get(t, p); code != 200 {
			t.Errorf("GET %s: %d", p, code)
		}
	}
	if code, body := s.get(t, "/readyz"); code != 200 || !strings.Contains(body, `{"name":"web","status":"ok"}`) {
		t.Errorf("/readyz: got %d %s, want web ok", code, body)
	}
	_, metrics := s.get(t, "/metrics")
	if !strings.Contains(metrics, `whereto_messages_received_total{channel="web"} 3`) {
		t.Errorf("/metrics does not count the web chat's 3 messages")
	}
	if err, _ := s.stop(t); err != nil {
		t.Fatalf("serve: %v", err)
	}
	logs := s.logs.String()
	if strings.Contains(logs, marker) {
		t.Error("the logs contain the marker")
	}
	if !strings.Contains(logs, `"msg":"channel on","channel":"web"`) || !strings.Contains(logs, `"channel":"web"`) {
		t.Errorf("no web log line: the test proves nothing:\n%s", logs)
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(marker)) {
		t.Error("the database file contains the marker")
	}

	// The key that seals conversation ids is kept: a conversation goes on
	// after a restart.
	s2 := startServe(t, db, nil, buildChannels)
	code, page = webPost(t, s2.base, url.Values{"c": {tok}, "text": {"1"}})
	if code != 200 {
		t.Errorf("after a restart, a conversation's token: got %d, want 200:\n%s", code, page)
	}
	if err, _ := s2.stop(t); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestServeWebOff(t *testing.T) {
	db := testDB(t)
	s := startServe(t, db, map[string]string{"WHERETO_WEB": "off"}, buildChannels)
	if code, _ := s.get(t, "/chat"); code != http.StatusNotFound {
		t.Errorf("GET /chat with WHERETO_WEB=off: got %d, want 404", code)
	}
	if err, _ := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.logs.String(), `"msg":"channel off","channel":"web"`) {
		t.Errorf("the log does not say the web chat is off:\n%s", s.logs.String())
	}
}

func TestServeCheckWeb(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr []string
		wantOut []string
	}{
		{
			name:    "on by default",
			wantOut: []string{"web        on: /chat and /chat/widget.js, embeddable only by pages of its own origin, quick exit to https://www.bbc.co.uk/weather"},
		},
		{
			name: "origins, exit and proxies",
			env: map[string]string{
				"WHERETO_WEB_ORIGINS":         "https://www.luton.gov.uk, https://lutoncsp.example.org/",
				"WHERETO_WEB_EXIT_URL":        "https://www.metoffice.gov.uk/",
				"WHERETO_WEB_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8",
			},
			wantOut: []string{"embeddable by https://www.luton.gov.uk, https://lutoncsp.example.org", "quick exit to https://www.metoffice.gov.uk/", "X-Forwarded-For behind 127.0.0.1/32, 10.0.0.0/8"},
		},
		{
			name:    "off",
			env:     map[string]string{"WHERETO_WEB": "off"},
			wantOut: []string{"web        off: to turn it on, unset WHERETO_WEB"},
		},
		{
			name:    "off with origins warns",
			env:     map[string]string{"WHERETO_WEB": "off", "WHERETO_WEB_ORIGINS": "https://www.luton.gov.uk"},
			wantOut: []string{"warning: WHERETO_WEB_ORIGINS is set but the web chat is off"},
		},
		{
			name: "bad values",
			env: map[string]string{
				"WHERETO_WEB":                 "maybe",
				"WHERETO_WEB_ORIGINS":         "https://www.luton.gov.uk/chat,*",
				"WHERETO_WEB_EXIT_URL":        "javascript:alert(1)",
				"WHERETO_WEB_TRUSTED_PROXIES": "proxy.local",
			},
			wantErr: []string{
				`WHERETO_WEB "maybe" must be on or off`,
				`WHERETO_WEB_ORIGINS: "https://www.luton.gov.uk/chat" must be only a scheme and a host`,
				`WHERETO_WEB_ORIGINS: "*" must start https://`,
				`WHERETO_WEB_EXIT_URL "javascript:alert(1)": must be an http:// or https:// URL`,
				`WHERETO_WEB_TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			var stdout, stderr syncBuffer
			err := serve(context.Background(), []string{"--check", "-db", db}, envOf(tt.env), &stdout, &stderr, buildChannels)
			var errText string
			if err != nil {
				errText = err.Error()
			}
			if tt.wantErr == nil && err != nil {
				t.Fatalf("--check: got %v, want success", err)
			}
			if tt.wantErr != nil && err == nil {
				t.Fatalf("--check: got success, want %q", tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errText, w) {
					t.Errorf("error lacks %q; got:\n%s", w, errText)
				}
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q; got:\n%s", w, stdout.String())
				}
			}
		})
	}
}
