package slack

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestReplayGuard(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	type step struct {
		at   time.Duration // clock, after t0
		sig  string
		ts   time.Duration // request timestamp, after t0
		want error
		held int // remembered afterwards
	}
	tests := []struct {
		name  string
		max   int
		steps []step
	}{
		{"a signature is accepted once", 10, []step{
			{0, "a", 0, nil, 1},
			{time.Second, "a", 0, errReplayed, 1},
			{4 * time.Minute, "a", 0, errReplayed, 1},
			{4 * time.Minute, "b", 4 * time.Minute, nil, 2},
		}},
		{"entries are pruned once their window has passed", 10, []step{
			{0, "a", 0, nil, 1},
			{time.Minute, "b", time.Minute, nil, 2},
			// a's window ends at 5m, b's at 6m.
			{5*time.Minute + time.Second, "c", 5 * time.Minute, nil, 2},
			{6*time.Minute + time.Second, "d", 6 * time.Minute, nil, 2},
			{20 * time.Minute, "e", 20 * time.Minute, nil, 1},
		}},
		{"a replay after the window is stale, not remembered", 10, []step{
			{0, "a", 0, nil, 1},
			{5*time.Minute + time.Second, "a", 0, errStale, 1},
			{5*time.Minute + 2*time.Second, "b", 5 * time.Minute, nil, 1},
		}},
		{"a timestamp from the future is kept until its own window ends", 10, []step{
			{0, "a", 4 * time.Minute, nil, 1},
			{8 * time.Minute, "a", 4 * time.Minute, errReplayed, 1},
			{9*time.Minute + time.Second, "b", 9 * time.Minute, nil, 1},
		}},
		{"too far either way is stale", 10, []step{
			{0, "a", -6 * time.Minute, errStale, 0},
			{0, "b", 6 * time.Minute, errStale, 0},
		}},
		{"full refuses until entries expire", 2, []step{
			{0, "a", 0, nil, 1},
			{time.Second, "b", time.Second, nil, 2},
			{2 * time.Second, "c", 2 * time.Second, errTooMany, 2},
			{2 * time.Second, "a", 0, errReplayed, 2},
			// a's window has ended, b's has not.
			{5*time.Minute + 500*time.Millisecond, "c", 5 * time.Minute, nil, 2},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0
			g := newReplayGuard(func() time.Time { return now }, tt.max)
			for i, s := range tt.steps {
				now = t0.Add(s.at)
				err := g.accept(s.sig, t0.Add(s.ts))
				if !errors.Is(err, s.want) || (s.want == nil && err != nil) {
					t.Errorf("step %d (%s at %v): got %v, want %v", i, s.sig, s.at, err, s.want)
				}
				if got := g.remembered(); got != s.held {
					t.Errorf("step %d: %d remembered, want %d", i, got, s.held)
				}
				if len(g.expires) != len(g.seen) {
					t.Errorf("step %d: heap holds %d, map %d", i, len(g.expires), len(g.seen))
				}
			}
		})
	}
}

// signedRequest returns a function that sends the same signed request
// (the same body, timestamp and signature headers) each time it is called,
// and returns the status.
func (e *testEnv) signedRequest(path, body string, edit func(h http.Header)) func() int {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	sign(req, testSecret, body, time.Now())
	header := req.Header.Clone()
	header.Set("Content-Type", "application/x-www-form-urlencoded")
	return func() int {
		e.t.Helper()
		r, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
		if err != nil {
			e.t.Fatal(err)
		}
		r.Header = header.Clone()
		if edit != nil {
			edit(r.Header)
		}
		resp, err := e.srv.Client().Do(r)
		if err != nil {
			e.t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
}

// TestSignedRequestIsAcceptedOnce: a slash command or an interactive
// payload sent again with the same signature is refused with 401 and has
// no effect; an event sent again is acknowledged (its id is
// de-duplicated instead).
func TestSignedRequestIsAcceptedOnce(t *testing.T) {
	e := newEnv(t)
	stop := e.runStoppable()
	e.fake.waitCalls(t, "auth.test", 1)

	verify := e.signedRequest("/slack/commands", e.commandForm(testAdmin, "verify mash").Encode(), nil)
	audit := len(e.auditOf("mash"))
	if got := verify(); got != http.StatusOK {
		t.Fatalf("first verify: status %d, want 200", got)
	}
	if got := len(e.auditOf("mash")); got != audit+1 {
		t.Fatalf("audit entries after the first verify: %d, want %d", got, audit+1)
	}
	if got := verify(); got != http.StatusUnauthorized {
		t.Errorf("the same verify again: status %d, want 401", got)
	}

	// The same request with the signature in capitals is the same request.
	auditReportIt := len(e.auditOf("report-it"))
	form := e.commandForm(testAdmin, "verify report-it").Encode()
	upper := e.signedRequest("/slack/commands", form, func(h http.Header) {
		h.Set("X-Slack-Signature", "v0="+strings.ToUpper(strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0=")))
	})
	lower := e.signedRequest("/slack/commands", form, nil)
	if got := lower(); got != http.StatusOK {
		t.Fatalf("verify report-it: status %d, want 200", got)
	}
	if got := upper(); got != http.StatusUnauthorized {
		t.Errorf("verify report-it again, signature in capitals: status %d, want 401", got)
	}

	remove := e.signedRequest("/slack/interactive", url.Values{"payload": {`{"type":"block_actions","trigger_id":"tr-rm","user":{"id":"` + testAdmin + `"},"team":{"id":"` + testTeam + `"},"response_url":"` + e.fake.srv.URL + `/response/rm","actions":[{"action_id":"` + actionRemoveCancel + `","block_id":"remove_actions","type":"button","value":"mash"}]}`}}.Encode(), nil)
	if got := remove(); got != http.StatusOK {
		t.Errorf("first button press: status %d, want 200", got)
	}
	if got := remove(); got != http.StatusUnauthorized {
		t.Errorf("the same button press again: status %d, want 401", got)
	}

	event := e.signedRequest("/slack/events", mention("EvReplay", "mash"), func(h http.Header) { h.Set("Content-Type", "application/json") })
	for i := range 2 {
		if got := event(); got != http.StatusOK {
			t.Errorf("event, send %d: status %d, want 200", i+1, got)
		}
	}
	stop() // Run returns after the work of every request has finished
	if got := len(e.auditOf("mash")); got != audit+1 {
		t.Errorf("audit entries for mash: %d, want %d (one verify)", got, audit+1)
	}
	if got := len(e.auditOf("report-it")); got != auditReportIt+1 {
		t.Errorf("audit entries for report-it: %d, want %d (one verify)", got, auditReportIt+1)
	}
	replies := 0
	for _, c := range e.fake.callsTo("chat.postMessage") {
		if c.Form.Get("thread_ts") == "1700000000.1" {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("%d replies to one event sent twice, want 1", replies)
	}
	if !strings.Contains(e.logs.String(), "replayed") {
		t.Errorf("the log does not say a request was replayed:\n%s", e.logs.String())
	}
}
