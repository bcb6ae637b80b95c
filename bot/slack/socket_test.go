package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// These tests drive the real socketmode client: Run dials the fake
// server's apps.connections.open and WebSocket, the fake sends envelopes as
// Slack does, and reads the app's acknowledgements off the wire.

// socketEnv is an env in Socket Mode only (no signing secret), connected.
func socketEnv(t *testing.T, configure ...func(*Config)) *testEnv {
	t.Helper()
	e := newEnv(t, append([]func(*Config){func(c *Config) { c.AppToken = testApp; c.SigningSecret = "" }}, configure...)...)
	if h := e.app.Handlers(); len(h) != 0 {
		t.Errorf("Socket Mode only: %d HTTP handlers, want none", len(h))
	}
	if err := e.app.Ready(); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Ready before Run = %v, want ErrNotConnected", err)
	}
	e.run()
	select {
	case <-e.fake.conns:
	case <-time.After(5 * time.Second):
		t.Fatal("the app did not connect")
	}
	waitReady(t, e, nil)
	return e
}

// waitReady waits until Ready's error matches want (nil: ready).
func waitReady(t *testing.T, e *testEnv, want error) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := e.app.Ready()
		if (want == nil && err == nil) || (want != nil && errors.Is(err, want)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ready = %v, want %v", err, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func slashEnvelope(e *testEnv, id, user, text string) map[string]any {
	return map[string]any{
		"envelope_id": id, "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{
			"token": "x", "team_id": testTeam, "team_domain": "t", "channel_id": testChannel, "channel_name": "c",
			"user_id": user, "user_name": "u", "command": "/whereto", "text": text,
			"response_url": e.fake.srv.URL + "/response/sock", "trigger_id": "trigger-sock", "api_app_id": "A1",
		},
	}
}

func TestSocketModeSlashCommand(t *testing.T) {
	e := socketEnv(t)
	e.fake.sendEnvelope(t, slashEnvelope(e, "env-1", testOther, "mash"))
	ack := e.fake.waitAck(t, "env-1")
	all := joined(ack["payload"])
	for _, want := range []string{"Multi-Agency Safeguarding Hub", "*Call now:* *0300 300 8123*", "Post to channel"} {
		if !strings.Contains(all, want) {
			t.Errorf("acknowledgement lacks %q:\n%s", want, all)
		}
	}
	if p, _ := ack["payload"].(map[string]any); p["response_type"] != "ephemeral" {
		t.Errorf("response_type %v", p["response_type"])
	}

	t.Run("an answer too big for an acknowledgement goes through response_url", func(t *testing.T) {
		// The stats table is compact (20 weeks at most), but one of many
		// routes with long names is wide: 24 of them make it bigger than
		// an acknowledgement can carry.
		for r := 0; r < 24; r++ {
			route := fmt.Sprintf("%s-%02d", strings.Repeat("a-route-with-a-long-name-", 2), r)
			if err := e.store.CountRoute(context.Background(), today(night), route); err != nil {
				t.Fatal(err)
			}
		}
		e.fake.sendEnvelope(t, slashEnvelope(e, "env-big", testAdmin, "stats 366"))
		ack := e.fake.waitAck(t, "env-big")
		if ack["payload"] != nil {
			t.Errorf("big answer in the acknowledgement: %.200v", ack["payload"])
		}
		r := e.fake.waitCalls(t, "response", 1)
		b, _ := json.Marshal(r[0].JSON)
		if len(b) < maxAckBytes || !strings.Contains(joined(r[0].JSON), "Conversations per route per week") {
			t.Errorf("response_url post (%d bytes): %.300s", len(b), b)
		}
	})

	t.Run("edit opens the form after the acknowledgement", func(t *testing.T) {
		e.fake.sendEnvelope(t, slashEnvelope(e, "env-edit", testAdmin, "edit mash"))
		if ack := e.fake.waitAck(t, "env-edit"); ack["payload"] != nil {
			t.Errorf("edit acknowledgement carries %v", ack["payload"])
		}
		v := e.fake.waitCalls(t, "views.open", 1)
		if v[0].JSON["trigger_id"] != "trigger-sock" {
			t.Errorf("trigger %v", v[0].JSON["trigger_id"])
		}
	})
}

func TestSocketModeInteractive(t *testing.T) {
	e := socketEnv(t)
	e.fake.sendEnvelope(t, slashEnvelope(e, "env-edit", testAdmin, "edit mash"))
	e.fake.waitAck(t, "env-edit")
	opened := e.fake.waitCalls(t, "views.open", 1)[0]

	bad := submission(t, opened, testAdmin, map[string]string{blockContacts: "phone | 01582 51O 330 | Office hours | in-hours"})
	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-sub-1", "type": "interactive", "accepts_response_payload": true, "payload": bad})
	ack := e.fake.waitAck(t, "env-sub-1")
	p, _ := ack["payload"].(map[string]any)
	errs, _ := p["errors"].(map[string]any)
	if p["response_action"] != "errors" || !strings.Contains(errs[blockContacts].(string), `"01582 51O 330" is not a UK phone number`) {
		t.Errorf("acknowledgement of an invalid form: %v", ack)
	}

	good := submission(t, opened, testAdmin, map[string]string{blockDescription: "Reports about children and adults at risk."})
	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-sub-2", "type": "interactive", "accepts_response_payload": true, "payload": good})
	if ack := e.fake.waitAck(t, "env-sub-2"); ack["payload"] != nil {
		t.Errorf("acknowledgement of a valid form: %v", ack)
	}
	if d := e.service("mash").Description; d != "Reports about children and adults at risk." {
		t.Errorf("description %q", d)
	}
	h := e.auditOf("mash")
	if last := h[len(h)-1]; last.Who != testAdmin || last.Action != "put" {
		t.Errorf("audit %+v", last)
	}

	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-btn", "type": "interactive", "payload": map[string]any{
		"type": "block_actions", "team": map[string]any{"id": testTeam}, "user": map[string]any{"id": testOther},
		"channel": map[string]any{"id": testChannel}, "response_url": e.fake.srv.URL + "/response/b",
		"actions": []any{map[string]any{"action_id": actionPostCard, "block_id": "card_actions", "type": "button", "value": "mash"}},
	}})
	if ack := e.fake.waitAck(t, "env-btn"); ack["payload"] != nil {
		t.Errorf("button acknowledgement %v", ack)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var found bool
		for _, c := range e.fake.callsTo("chat.postMessage") {
			found = found || c.Form.Get("channel") == testChannel
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the card was not posted to the channel")
		}
		time.Sleep(5 * time.Millisecond)
	}
	checkAckedOnce(t, e)
}

func TestSocketModeEventsAndBadMessages(t *testing.T) {
	e := socketEnv(t)
	var ev map[string]any
	if err := json.Unmarshal([]byte(mention("EvS1", "fly tipping")), &ev); err != nil {
		t.Fatal(err)
	}
	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-ev-1", "type": "events_api", "payload": ev})
	e.fake.waitAck(t, "env-ev-1")
	e.fake.waitCalls(t, "chat.postMessage", 1)
	// Slack redelivers: same event, new envelope, retry_attempt 1.
	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-ev-2", "type": "events_api", "retry_attempt": 1, "retry_reason": "timeout", "payload": ev})
	e.fake.waitAck(t, "env-ev-2")

	// Envelopes the library cannot parse are acknowledged by id.
	e.fake.sendRaw(t, `{"envelope_id":"env-bad-1","type":"mystery_type","payload":{}}`)
	e.fake.waitAck(t, "env-bad-1")
	e.fake.sendRaw(t, `{"envelope_id":"env-bad-2","type":"events_api","payload":{"type":"event_callback","event_id":"EvS9","event":{"type":"no_such_event"}}}`)
	e.fake.waitAck(t, "env-bad-2")

	// A second, different event is answered: two posts in all.
	var ev2 map[string]any
	_ = json.Unmarshal([]byte(mention("EvS2", "mash")), &ev2)
	e.fake.sendEnvelope(t, map[string]any{"envelope_id": "env-ev-3", "type": "events_api", "payload": ev2})
	e.fake.waitAck(t, "env-ev-3")
	e.fake.waitCalls(t, "chat.postMessage", 2)
	time.Sleep(50 * time.Millisecond)
	if n := len(e.fake.callsTo("chat.postMessage")); n != 2 {
		t.Errorf("%d posts, want 2 (the redelivery ignored)", n)
	}
	checkAckedOnce(t, e)
}

// checkAckedOnce fails if any envelope was acknowledged more than once.
func checkAckedOnce(t *testing.T, e *testEnv) {
	t.Helper()
	time.Sleep(50 * time.Millisecond)
	for id, n := range e.fake.acked() {
		if n != 1 {
			t.Errorf("envelope %s acknowledged %d times", id, n)
		}
	}
}

func TestSocketModeRetriesAfterAuthError(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AppToken = testApp; c.SigningSecret = "" })
	e.fake.appTokenOK.Store(false)
	e.run()
	waitReady(t, e, ErrAuth)
	if !strings.Contains(e.logs.String(), "socket mode authentication failed") {
		t.Errorf("log lacks the authentication failure:\n%s", e.logs.String())
	}
	e.fake.waitCalls(t, "apps.connections.open", 3) // it keeps trying
	e.fake.appTokenOK.Store(true)                   // the token is fixed
	waitReady(t, e, nil)
	<-e.fake.conns
	e.fake.sendEnvelope(t, slashEnvelope(e, "env-after", testOther, "mash"))
	if ack := e.fake.waitAck(t, "env-after"); !strings.Contains(joined(ack["payload"]), "0300 300 8123") {
		t.Errorf("after reconnecting: %v", ack)
	}
	if strings.Contains(e.logs.String(), testApp) || strings.Contains(e.logs.String(), testBot) {
		t.Error("a token was logged")
	}
}

func TestRefusedBotTokenIsReported(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.BotToken = "xoxb-revoked" })
	e.run()
	waitReady(t, e, ErrAuth)
	if err := e.app.Ready(); !strings.Contains(err.Error(), "bot token") {
		t.Errorf("Ready = %v", err)
	}
}
