package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/whereto-bot/whereto/flows"
)

// parseRouteOutput checks that stdout is one JSON object per line with
// exactly route's fields, services and contacts always arrays, danger one
// of now, check or none, and returns the lines.
func parseRouteOutput(t *testing.T, stdout string) []routeLine {
	t.Helper()
	if !utf8.ValidString(stdout) {
		t.Errorf("route output is not valid UTF-8")
	}
	if stdout != "" && !strings.HasSuffix(stdout, "\n") {
		t.Errorf("route output does not end with a newline")
	}
	var out []routeLine
	for i, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if stdout == "" {
			break
		}
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not valid JSON: %q", i+1, head(l))
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &fields); err != nil {
			t.Fatalf("line %d is not a JSON object: %v", i+1, err)
		}
		var keys []string
		for k := range fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := []string{"confidence", "contacts", "danger", "lang", "route", "services", "text"}; !slices.Equal(keys, want) {
			t.Errorf("line %d: got fields %q, want %q", i+1, keys, want)
		}
		for _, k := range []string{"services", "contacts"} {
			if !bytes.HasPrefix(fields[k], []byte("[")) {
				t.Errorf("line %d: %s is %s, want an array", i+1, k, fields[k])
			}
		}
		var rl routeLine
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rl); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if rl.Confidence < 0 || rl.Confidence > 1 {
			t.Errorf("line %d: confidence %v outside [0, 1]", i+1, rl.Confidence)
		}
		if !slices.Contains([]string{"now", "check", "none"}, rl.Danger) {
			t.Errorf("line %d: danger %q, want now, check or none", i+1, rl.Danger)
		}
		out = append(out, rl)
	}
	return out
}

func TestRoute(t *testing.T) {
	const (
		knife      = "theres a man with a knife outside the shop NOW"
		rubbish    = "someone dumped a load of rubbish outside my house"
		neglected  = "I'm worried about a child next door who is being neglected"
		notFedKids = "I am worried my neighbours kids are not being fed"
	)
	tests := []struct {
		name      string
		at        string
		text      string
		wantRoute string
		// wantDanger, if set, must be the danger field.
		wantDanger   string
		wantServices []string
		// wantContacts, if set, must equal the contacts; wantFirst must
		// start them; wantContains must be among them; notWant must not.
		wantContacts []string
		wantFirst    string
		wantContains string
		notWant      string
		// wantLang, if set, must be the lang field; args are more flags.
		wantLang string
		args     []string
	}{
		{name: "knife now is an emergency", text: knife, wantRoute: "emergency", wantDanger: "now", wantServices: []string{"police-emergency", "relay-uk"}, wantContacts: []string{"999", "18000", "18001 101"}},
		{name: "dumped rubbish is environmental", text: rubbish, wantRoute: "environmental", wantDanger: "none", wantServices: []string{"council-environmental"}, wantContacts: []string{councilPhone, "https://www.luton.gov.uk"}},
		{name: "fly tipping is environmental", text: "I want to report fly tipping", wantRoute: "environmental", wantFirst: councilPhone},
		{name: "stolen bike is report-crime", text: "my bike was stolen last week", wantRoute: "report-crime", wantDanger: "none", wantServices: []string{"police-online", "police-non-emergency"}, wantContains: "101"},
		// Crimestoppers is on report-crime only for words such as "anonymously".
		{name: "an anonymous tip-off also gets Crimestoppers", text: "I want to report drug dealing anonymously", wantRoute: "report-crime", wantContains: "0800 555 111"},
		{name: "a partner's violence asks whether it is happening now", text: "my partner hit me", wantRoute: "domestic-abuse", wantDanger: "check", wantFirst: "0808 2000 247"},
		{name: "safeguarding on Wednesday night gets the out-of-hours number", at: wedNight, text: neglected, wantRoute: "safeguarding", wantServices: []string{"mash"}, wantFirst: mashOOH, notWant: mashInHours},
		{name: "safeguarding on Wednesday morning gets the office number", at: wedMorning, text: neglected, wantRoute: "safeguarding", wantServices: []string{"mash"}, wantFirst: mashInHours, notWant: mashOOH},
		{name: "safeguarding on Saturday midday is out of hours", at: "2026-11-28T12:00:00Z", text: notFedKids, wantRoute: "safeguarding", wantFirst: mashOOH},
		// In summer London is an hour ahead of UTC: 16:30Z is 17:30 there.
		{name: "safeguarding at 17:30 BST is out of hours", at: "2026-07-01T16:30:00Z", text: neglected, wantRoute: "safeguarding", wantFirst: mashOOH, notWant: mashInHours},
		{name: "safeguarding at 09:30 BST is in hours", at: "2026-07-01T08:30:00Z", text: neglected, wantRoute: "safeguarding", wantFirst: mashInHours, notWant: mashOOH},
		{name: "an --at with an offset is the same instant", at: "2026-11-25T23:00:00+01:00", text: neglected, wantRoute: "safeguarding", wantFirst: mashOOH},
		{name: "empty line is unclear with no services", text: "", wantRoute: "unclear", wantServices: []string{}, wantContacts: []string{}},
		{name: "whitespace is unclear", text: " \t ", wantRoute: "unclear", wantServices: []string{}, wantContacts: []string{}},
		{name: "English says en", text: rubbish, wantRoute: "environmental", wantLang: "en"},
		{name: "Urdu is read", text: "میرا فون چوری ہو گیا", wantRoute: "report-crime", wantLang: "ur", wantContains: "101"},
		{name: "Polish fly-tipping is environmental", text: "ktoś wyrzucił stary materac i lodówkę przy garażach", wantRoute: "environmental", wantLang: "pl", wantFirst: councilPhone},
		{name: "Spanish is recognised, not read", text: "hola, me robaron el bolso ayer en el parque", wantRoute: "unclear", wantLang: "es", wantServices: []string{}, wantContacts: []string{}},
		{name: "Chinese is a script it cannot place", text: "我的手机被偷了", wantRoute: "unclear", wantLang: "und", wantServices: []string{}},
		{name: "--lang reads a short word as Polish", text: "nóż", args: []string{"--lang", "pl"}, wantLang: "pl", wantRoute: "unclear", wantDanger: "check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			args := append([]string{"route", "-db", db}, tt.args...)
			if tt.at != "" {
				args = append(args, "--at", tt.at)
			}
			stdout, stderr, err := run(t, tt.text+"\n", args...)
			if err != nil {
				t.Fatalf("route: %v; stderr:\n%s", err, stderr)
			}
			lines := parseRouteOutput(t, stdout)
			if len(lines) != 1 {
				t.Fatalf("got %d lines, want 1:\n%s", len(lines), stdout)
			}
			got := lines[0]
			if got.Text != tt.text {
				t.Errorf("text: got %q, want %q", got.Text, tt.text)
			}
			if got.Route != tt.wantRoute {
				t.Errorf("route: got %q, want %q", got.Route, tt.wantRoute)
			}
			if tt.wantLang != "" && got.Lang != tt.wantLang {
				t.Errorf("lang: got %q, want %q", got.Lang, tt.wantLang)
			}
			if tt.wantDanger != "" && got.Danger != tt.wantDanger {
				t.Errorf("danger: got %q, want %q", got.Danger, tt.wantDanger)
			}
			if tt.wantServices != nil && !slices.Equal(got.Services, tt.wantServices) {
				t.Errorf("services: got %q, want %q", got.Services, tt.wantServices)
			}
			if tt.wantContacts != nil && !slices.Equal(got.Contacts, tt.wantContacts) {
				t.Errorf("contacts: got %q, want %q", got.Contacts, tt.wantContacts)
			}
			if tt.wantFirst != "" && (len(got.Contacts) == 0 || got.Contacts[0] != tt.wantFirst) {
				t.Errorf("contacts: got %q, want them to start with %q", got.Contacts, tt.wantFirst)
			}
			if tt.wantContains != "" && !slices.Contains(got.Contacts, tt.wantContains) {
				t.Errorf("contacts: got %q, want them to include %q", got.Contacts, tt.wantContains)
			}
			if tt.notWant != "" && slices.Contains(got.Contacts, tt.notWant) {
				t.Errorf("contacts: got %q, want no %q", got.Contacts, tt.notWant)
			}
		})
	}
}

// route only reads: without a database it uses the built-in default and
// creates nothing, not even the parent directory.
func TestRouteCreatesNothing(t *testing.T) {
	db := filepath.Join(testDB(t)+".d", "sub", "whereto.db")
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	stdout, _, err := run(t, "someone dumped a load of rubbish outside my house\n", "route", "-db", db)
	if err != nil {
		t.Fatalf("route: %v", err)
	}
	if !strings.Contains(stdout, councilPhone) {
		t.Errorf("stdout lacks %q; got:\n%s", councilPhone, stdout)
	}
	mustNotExist(t, db)
	mustNotExist(t, filepath.Dir(filepath.Dir(db)))
	mustBeEmptyDir(t, xdg)
}

func TestRouteInputs(t *testing.T) {
	long := strings.Repeat("fly tipping ", 150<<10/len("fly tipping "))
	tests := []struct {
		name      string
		input     string
		wantTexts []string
		// wantRoutes, if set, are the routes of the lines.
		wantRoutes []string
	}{
		{"no input, no output", "", nil, nil},
		{"one empty line", "\n", []string{""}, []string{"unclear"}},
		{"last line without newline", "graffiti on the wall\nfly tipping", []string{"graffiti on the wall", "fly tipping"}, []string{"environmental", "environmental"}},
		{"CRLF line endings", "graffiti on the wall\r\n\r\nfly tipping\r\n", []string{"graffiti on the wall", "", "fly tipping"}, []string{"environmental", "unclear", "environmental"}},
		{"empty lines in between", "graffiti\n\n\nmy bike was stolen\n", []string{"graffiti", "", "", "my bike was stolen"}, []string{"environmental", "unclear", "unclear", "report-crime"}},
		{"invalid UTF-8", "\xff\xfe fly tipping \xc3\x28\n\xed\xa0\x80\n", []string{"\ufffd\ufffd fly tipping \ufffd(", "\ufffd\ufffd\ufffd"}, []string{"environmental", "unclear"}},
		{"control characters are escaped", "\x00graffiti\x07\x1b\n\x1b[31mhello\x1b[0m\n", []string{"\x00graffiti\x07\x1b", "\x1b[31mhello\x1b[0m"}, []string{"environmental", "unclear"}},
		{"markup is kept as text", "<b>&amp;</b> *x* _y_ [z](w)\n", []string{"<b>&amp;</b> *x* _y_ [z](w)"}, []string{"unclear"}},
		{"emoji", "🗑️ fly tipping 😡\n", []string{"🗑️ fly tipping 😡"}, []string{"environmental"}},
		{"150 KB line is read up to flows.MaxReadBytes, then the next line", long + "\ngraffiti\n", []string{long[:flows.MaxReadBytes], "graffiti"}, []string{"environmental", "environmental"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			stdout, stderr, err := run(t, tt.input, "route", "-db", db)
			if err != nil {
				t.Fatalf("route: %v; stderr:\n%s", err, stderr)
			}
			if strings.ContainsRune(stdout, 0x1b) || strings.ContainsRune(stdout, 0) {
				t.Errorf("stdout holds a raw control character; JSON must escape it")
			}
			lines := parseRouteOutput(t, stdout)
			if len(lines) != len(tt.wantTexts) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(tt.wantTexts), head(stdout))
			}
			for i, l := range lines {
				if l.Text != tt.wantTexts[i] {
					t.Errorf("line %d text: got %q, want %q", i+1, head(l.Text), head(tt.wantTexts[i]))
				}
				if tt.wantRoutes != nil && l.Route != tt.wantRoutes[i] {
					t.Errorf("line %d route: got %q, want %q", i+1, l.Route, tt.wantRoutes[i])
				}
			}
			mustNotExist(t, db)
		})
	}
}

// A read error stops route with an error naming the input.
func TestRouteReadError(t *testing.T) {
	db := testDB(t)
	boom := errors.New("boom")
	_, _, err := runReader(t, io.MultiReader(strings.NewReader("graffiti\n"), errReader{boom}), "route", "-db", db)
	if !errors.Is(err, boom) {
		t.Errorf("route: got %v, want an error wrapping %v", err, boom)
	}
}

// Regression: route once read stdin on its own goroutine, so Ctrl-C could
// not stop it while it waited at a terminal.
func TestRouteInterruptWhileWaitingForInput(t *testing.T) {
	db := testDB(t)
	inR, inW := io.Pipe() // written once, then left open
	defer inW.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- Run(ctx, []string{"route", "-db", db}, inR, out, io.Discard) }()
	// The write returns once route has read the line; then it answers it
	// and waits for the next.
	if _, err := io.WriteString(inW, "graffiti\n"); err != nil {
		t.Fatalf("writing input: %v", err)
	}
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("route: got %v, want context.Canceled", err)
		}
	case <-time.After(3 * time.Second):
		inW.Close() // end input so that the blocked route returns
		err := <-done
		t.Errorf("route did not return within 3s of cancel while waiting for input; it returned %v only at end of input", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func head(s string) string {
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}

func TestRouteBadLang(t *testing.T) {
	db := testDB(t)
	for _, bad := range []string{"xx", "es", "../pl", ""} {
		if bad == "" {
			continue
		}
		_, stderr, err := run(t, "hello\n", "route", "-db", db, "--lang", bad)
		if err == nil || !strings.Contains(err.Error()+stderr, "whereto speaks en, bn, pa, pl, ro, ur") {
			t.Errorf("route --lang %q: err %v, stderr %q; want a clear error naming the languages", bad, err, stderr)
		}
	}
}
