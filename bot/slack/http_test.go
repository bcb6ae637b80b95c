package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/staff"
)

func TestSignedCommandReturnsMASHCard(t *testing.T) {
	for _, tc := range []struct {
		name      string
		at        time.Time
		callNow   string
		notNowTag string
	}{
		{"night gives the out-of-hours number", night, "*Call now:* *0300 300 8123*", "*01582 547 653* (office hours)  _not now_"},
		{"office hours give the office number", time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), "*Call now:* *01582 547 653*", "*0300 300 8123* (out of hours)  _not now_"},
		{"summer time is London time", time.Date(2026, 7, 1, 15, 30, 0, 0, time.UTC), "*Call now:* *01582 547 653*", "*0300 300 8123* (out of hours)  _not now_"},
		{"weekend is out of hours", time.Date(2026, 11, 28, 11, 0, 0, 0, time.UTC), "*Call now:* *0300 300 8123*", "*01582 547 653* (office hours)  _not now_"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvDefault(t)
			e.setNow(tc.at)
			m := e.command(testOther, "mash")
			if m["response_type"] != "ephemeral" {
				t.Errorf("response_type = %v, want ephemeral", m["response_type"])
			}
			all := joined(m)
			for _, want := range []string{
				"MASH: Multi-Agency Safeguarding Hub",
				tc.callNow,
				tc.notNowTag,
				"<mailto:mash@luton.gov.uk|mash@luton.gov.uk>",
				"Office hours: mon-fri 09:00-17:00 (UK time)",
				"Areas: ",
				"*not yet verified*",
				"Source: Luton Community Safety Partnership Plan 2020-2024, page 10",
				"Post to channel",
			} {
				if !strings.Contains(all, want) {
					t.Errorf("answer lacks %q:\n%s", want, all)
				}
			}
			if calls := e.fake.allCalls(); len(calls) != 0 {
				t.Errorf("a look-up called Slack: %+v", calls)
			}
		})
	}
}

func TestRequestsWithoutAValidSignatureAreRefused(t *testing.T) {
	e := newEnv(t)
	stop := e.runStoppable()
	e.fake.waitCalls(t, "auth.test", 1)
	verify := e.commandForm(testAdmin, "verify mash").Encode()
	event := `{"type":"event_callback","team_id":"T0TEAM","event_id":"Ev1","event":{"type":"app_mention","user":"UOTHER1","text":"<@UBOT1> mash","channel":"C0CHAN","ts":"1.1"}}`
	challenge := `{"type":"url_verification","challenge":"abc"}`
	before := len(e.auditOf("mash"))
	now := time.Now()
	for _, tc := range []struct {
		name string
		sign func(r *http.Request, body string)
	}{
		{"forged signature", func(r *http.Request, body string) { sign(r, "not-the-secret", body, now) }},
		{"missing headers", func(r *http.Request, body string) {}},
		{"missing signature", func(r *http.Request, body string) {
			sign(r, testSecret, body, now)
			r.Header.Del("X-Slack-Signature")
		}},
		{"missing timestamp", func(r *http.Request, body string) {
			sign(r, testSecret, body, now)
			r.Header.Del("X-Slack-Request-Timestamp")
		}},
		{"timestamp 6 minutes old", func(r *http.Request, body string) { sign(r, testSecret, body, now.Add(-6*time.Minute)) }},
		{"timestamp 6 minutes ahead", func(r *http.Request, body string) { sign(r, testSecret, body, now.Add(6*time.Minute)) }},
		{"body changed after signing", func(r *http.Request, body string) { sign(r, testSecret, body+"x", now) }},
		{"signature not hex", func(r *http.Request, body string) {
			sign(r, testSecret, body, now)
			r.Header.Set("X-Slack-Signature", "v0=zz")
		}},
	} {
		for _, target := range []struct{ path, body string }{
			{"/slack/commands", verify},
			{"/slack/events", event},
			{"/slack/events", challenge},
			{"/slack/interactive", url.Values{"payload": {`{"type":"block_actions","user":{"id":"UADMIN1"},"actions":[{"action_id":"remove_confirm","value":"report-it"}],"response_url":"` + e.fake.srv.URL + `/response/x"}`}}.Encode()},
		} {
			t.Run(tc.name+" "+target.path, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodPost, e.srv.URL+target.path, strings.NewReader(target.body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				tc.sign(req, target.body)
				resp, err := e.srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("status = %d, want 401", resp.StatusCode)
				}
			})
		}
	}
	stop() // Run returns after any wrongly scheduled work has finished
	if got := len(e.auditOf("mash")); got != before {
		t.Errorf("audit entries for mash: %d, want %d (unchanged)", got, before)
	}
	if s := e.service("mash"); s.Verified != "" {
		t.Errorf("mash verified = %q, want unchanged", s.Verified)
	}
	if _, err := e.store.Directory().Service("report-it"); err != nil {
		t.Errorf("report-it: %v", err)
	}
	for _, c := range e.fake.allCalls() {
		if c.Method != "auth.test" {
			t.Errorf("a refused request made a Slack call: %s", c.Method)
		}
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	e := newEnv(t)
	body := e.commandForm(testOther, strings.Repeat("a", maxBody)).Encode()
	status, _ := e.post("/slack/commands", "application/x-www-form-urlencoded", body, nil)
	if status != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", status)
	}
}

func TestURLVerificationIsAnswered(t *testing.T) {
	e := newEnv(t)
	status, body := e.post("/slack/events", "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`, nil)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil || m["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("answer %s, want the challenge", body)
	}
}

func mention(id, text string) string {
	b, _ := json.Marshal(map[string]any{
		"type": "event_callback", "team_id": testTeam, "event_id": id,
		"event": map[string]any{"type": "app_mention", "user": testOther, "text": "<@" + testBotUser + "> " + text, "channel": testChannel, "ts": "1700000000.1"},
	})
	return string(b)
}

func TestRetriedEventIsHandledOnce(t *testing.T) {
	e := newEnv(t)
	stop := e.runStoppable()
	if status, _ := e.post("/slack/events", "application/json", mention("Ev001", "fly tipping"), nil); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	posts := e.fake.waitCalls(t, "chat.postMessage", 1)
	if got := posts[0].Form.Get("thread_ts"); got != "1700000000.1" {
		t.Errorf("reply thread_ts = %q, want the mention's ts", got)
	}
	if !strings.Contains(formBlocksText(t, posts[0]), "council-environmental") {
		t.Errorf("reply to fly tipping lacks the council: %s", formBlocksText(t, posts[0]))
	}
	for retry := 1; retry <= 2; retry++ {
		h := http.Header{"X-Slack-Retry-Num": {string(rune('0' + retry))}, "X-Slack-Retry-Reason": {"http_timeout"}}
		if status, _ := e.post("/slack/events", "application/json", mention("Ev001", "fly tipping"), h); status != http.StatusOK {
			t.Fatalf("retry %d: status %d, want 200", retry, status)
		}
	}
	// A different event is handled; its reply is the second post in all.
	if status, _ := e.post("/slack/events", "application/json", mention("Ev002", "mash"), nil); status != http.StatusOK {
		t.Fatal(status)
	}
	e.fake.waitCalls(t, "chat.postMessage", 2)
	stop() // Run returns after the work of every event has finished
	if n := len(e.fake.callsTo("chat.postMessage")); n != 2 {
		t.Errorf("%d posts, want 2 (the retries ignored)", n)
	}
	if seen, err := e.store.Seen(context.Background(), eventNamespace, "Ev001", time.Now()); err != nil || !seen {
		t.Errorf("Ev001 not marked as seen (%v)", err)
	}
}

func TestDirectMessagesAreAnsweredAndBotMessagesIgnored(t *testing.T) {
	// Run logs "slack bot token accepted" after it has stored the bot
	// user id; the bot's own messages are recognised from then on.
	accepted := make(chan struct{})
	e := newEnv(t, func(c *Config) {
		c.Logger = slog.New(&notifyHandler{Handler: c.Logger.Handler(), msg: "slack bot token accepted", ch: accepted, once: new(sync.Once)})
	})
	stop := e.runStoppable()
	select {
	case <-accepted:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not learn the bot user id within 5s")
	}
	dm := func(id, user, botID, subtype, text string) string {
		b, _ := json.Marshal(map[string]any{
			"type": "event_callback", "team_id": testTeam, "event_id": id,
			"event": map[string]any{"type": "message", "channel_type": "im", "user": user, "bot_id": botID, "subtype": subtype,
				"text": text, "channel": "D0DM", "ts": "1.2"},
		})
		return string(b)
	}
	for _, body := range []string{
		dm("EvB1", testBotUser, "", "", "mash"),           // the bot itself
		dm("EvB2", testOther, "B0OTHER", "", "mash"),      // another bot
		dm("EvB3", testOther, "", "message_changed", "x"), // an edit
	} {
		if status, _ := e.post("/slack/events", "application/json", body, nil); status != http.StatusOK {
			t.Fatal(status)
		}
	}
	if status, _ := e.post("/slack/events", "application/json", dm("EvD1", testOther, "", "", "child at risk"), nil); status != http.StatusOK {
		t.Fatal(status)
	}
	posts := e.fake.waitCalls(t, "chat.postMessage", 1)
	stop() // Run returns after the work of every event has finished
	if n := len(e.fake.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1 (bot messages and edits ignored)", n)
	}
	if posts[0].Form.Get("channel") != "D0DM" || posts[0].Form.Get("thread_ts") != "" {
		t.Errorf("DM reply went to %q thread %q", posts[0].Form.Get("channel"), posts[0].Form.Get("thread_ts"))
	}
	if b := posts[0].Form.Get("blocks"); !strings.Contains(b, "mash") || strings.Contains(b, actionPostCard) {
		t.Errorf("DM answer should be the MASH card without a post button: %s", b)
	}
}

func TestLookUpBySituation(t *testing.T) {
	e := newEnvDefault(t)
	for _, tc := range []struct {
		text string
		want []string // service ids that must be in the answer, the first as the card
	}{
		{"fly tipping", []string{"council-environmental"}},
		{"child at risk", []string{"mash"}},
		{"racist graffiti", []string{"report-it"}},
		{"my neighbours kids are not being fed", []string{"mash"}},
		{"someone has a knife outside my house", []string{"police-emergency"}},
		{"101", []string{"police-non-emergency"}},
		{"true vision", []string{"report-it"}},
		{"safeguard", []string{"mash"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			m := e.command(testOther, tc.text)
			all := joined(m)
			for _, id := range tc.want {
				if !strings.Contains(all, "`"+id+"`") {
					t.Errorf("answer to %q lacks %s:\n%s", tc.text, id, all)
				}
			}
		})
	}
	t.Run("emergency shows 999 and the Silent Solution first", func(t *testing.T) {
		all := joined(e.command(testOther, "someone is being attacked right now"))
		i999 := strings.Index(all, "*Call now:* *999*")
		if i999 < 0 || !strings.Contains(all, "press 55") {
			t.Errorf("danger answer lacks 999 or the Silent Solution:\n%s", all)
		}
	})
	t.Run("situation answers name the route by the directory's label", func(t *testing.T) {
		all := joined(e.command(testOther, "my neighbours kids are not being fed"))
		if !strings.Contains(all, "This sounds like *A child or an adult at risk*") {
			t.Errorf("no route label:\n%s", all)
		}
	})
	t.Run("situation answers carry the 999 line", func(t *testing.T) {
		all := joined(e.command(testOther, "child at risk"))
		if !strings.Contains(all, "*If someone is in danger now:* call *999*") {
			t.Errorf("no 999 line:\n%s", all)
		}
	})
}

func TestLookUpSeveralMatches(t *testing.T) {
	e := newEnv(t)
	m := e.command(testOther, "police")
	all := joined(m)
	if !strings.Contains(all, "*Also:*") {
		t.Fatalf("several matches should list the others:\n%s", all)
	}
	card, list, _ := strings.Cut(all, "*Also:*")
	if !strings.Contains(card, "Bedfordshire Police") {
		t.Errorf("first card is not a police service:\n%s", card)
	}
	if strings.Count(list, "/whereto ") < 2 {
		t.Errorf("short list should name the other police services:\n%s", list)
	}
}

func TestNothingFound(t *testing.T) {
	e := newEnv(t)
	all := joined(e.command(testOther, "qwertyuiop zxcvbnm"))
	for _, want := range []string{"could not find", "/whereto help", "call *999*", "press 55"} {
		if !strings.Contains(all, want) {
			t.Errorf("nothing-found answer lacks %q:\n%s", want, all)
		}
	}
}

func TestHelp(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		user, text string
		admin      bool
	}{
		{testOther, "help", false},
		{testOther, "", false},
		{testOther, "   ", false},
		{testAdmin, "HELP", true},
	} {
		all := joined(e.command(tc.user, tc.text))
		if !strings.Contains(all, "/whereto mash") {
			t.Errorf("%q: help lacks the look-up:\n%s", tc.text, all)
		}
		if got := strings.Contains(all, "/whereto revert ID CHANGE"); got != tc.admin {
			t.Errorf("%q by %s: admin commands listed = %v, want %v", tc.text, tc.user, got, tc.admin)
		}
	}
}

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, text, want string
	}{
		{"huge text", strings.Repeat("fly tipping ", 50000), "council-environmental"},
		{"invalid UTF-8", "fly \xff\xfe tipping", "council-environmental"},
		{"mention markup", "<!channel> <@U123> fly tipping", "council-environmental"},
		{"link markup", "<https://evil.example|mash>", "Multi-Agency"},
		{"only markup", "<!channel>", "could not find"},
		{"control characters", "ma\x00sh\x1b[31m", ""},
		{"entities", "fly &amp; tipping &lt;b&gt;", "council-environmental"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			m := e.command(testOther, tc.text)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v", took)
			}
			all := joined(m)
			if !strings.Contains(all, tc.want) {
				t.Errorf("answer lacks %q:\n%.2000s", tc.want, all)
			}
			for _, to := range texts(m) {
				if strings.Contains(to.text, "<!channel>") || strings.Contains(to.text, "<@U123>") || strings.Contains(to.text, "<https://evil") {
					t.Errorf("user markup echoed: %q", to.text)
				}
			}
		})
	}
	if logs := e.logs.String(); strings.Contains(logs, "tipping") || strings.Contains(logs, "evil") {
		t.Errorf("logs carry what was typed:\n%s", logs)
	}
}

func TestDirectoryTextIsEscaped(t *testing.T) {
	e := newEnv(t)
	evil := "<!channel> *bold* <https://evil.example|x> & <@U999>"
	s := e.service("report-it")
	s.Name = "Report " + evil
	s.Description = evil
	s.Organisation = evil
	s.Source = evil
	s.Keywords = append(s.Keywords, "zzevil")
	s.Contacts = append(s.Contacts, directory.Contact{Kind: directory.KindWeb, Value: "https://x.example/a?b=1&c=<2>|3", Label: evil, Note: evil})
	if err := e.store.PutService(context.Background(), "test", s); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"report-it", "zzevil", "racist graffiti"} {
		m := e.command(testOther, text)
		for _, to := range texts(m) {
			if to.typ == "plain_text" {
				continue // never parsed for markup
			}
			for _, bad := range []string{"<!channel>", "<@U999>", "<https://evil", "|x>"} {
				if strings.Contains(to.text, bad) {
					t.Errorf("%s: %s text carries %q: %q", text, to.typ, bad, to.text)
				}
			}
		}
		all := joined(m)
		if !strings.Contains(all, "&lt;!channel&gt;") || !strings.Contains(all, "&amp;") {
			t.Errorf("%s: escaped text missing:\n%s", text, all)
		}
		if !strings.Contains(all, "<https://x.example/a?b=1&amp;c=&lt;2&gt;%7C3|") {
			t.Errorf("%s: URL not escaped into its link:\n%s", text, all)
		}
	}
}

func TestPostToChannel(t *testing.T) {
	e := newEnv(t)
	m := e.command(testOther, "fly tipping")
	var value string
	for _, b := range m["blocks"].([]any) {
		if bm := b.(map[string]any); bm["type"] == "actions" {
			value = bm["elements"].([]any)[0].(map[string]any)["value"].(string)
		}
	}
	if value == "" {
		t.Fatal("no Post to channel button")
	}
	press := func() int {
		status, _ := e.interactive(map[string]any{
			"type": "block_actions", "team": map[string]any{"id": testTeam}, "user": map[string]any{"id": testOther},
			"channel": map[string]any{"id": testChannel}, "response_url": e.fake.srv.URL + "/response/btn",
			"actions": []any{map[string]any{"action_id": actionPostCard, "block_id": "card_actions", "type": "button", "value": value}},
		})
		return status
	}
	if status := press(); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	posts := e.fake.waitCalls(t, "chat.postMessage", 1)
	if posts[0].Form.Get("channel") != testChannel {
		t.Errorf("posted to %q", posts[0].Form.Get("channel"))
	}
	blocks := formBlocksText(t, posts[0])
	if !strings.Contains(blocks, "council-environmental") || !strings.Contains(blocks, "<@"+testOther+">") || strings.Contains(blocks, actionPostCard) {
		t.Errorf("posted card: %s", blocks)
	}

	t.Run("not in the channel", func(t *testing.T) {
		notIn := "not_in_channel"
		e.fake.postError.Store(&notIn)
		defer e.fake.postError.Store(nil)
		press()
		r := e.fake.waitCalls(t, "response", 1)
		if !strings.Contains(joined(r[0].JSON), "/invite @whereto") {
			t.Errorf("answer: %v", r[0].JSON)
		}
	})
}

// submission is the view_submission payload Slack would send for the form
// opened by views.open, its initial values changed by changes (by block id).
func submission(t *testing.T, opened apiCall, user string, changes map[string]string) map[string]any {
	t.Helper()
	view, ok := opened.JSON["view"].(map[string]any)
	if !ok {
		t.Fatalf("views.open without a view: %v", opened.JSON)
	}
	values := map[string]any{}
	for _, b := range view["blocks"].([]any) {
		bm := b.(map[string]any)
		if bm["type"] != "input" {
			continue
		}
		id := bm["block_id"].(string)
		el := bm["element"].(map[string]any)
		var v map[string]any
		switch el["type"] {
		case "plain_text_input":
			val, _ := el["initial_value"].(string)
			if c, ok := changes[id]; ok {
				val = c
			}
			v = map[string]any{"type": "plain_text_input", "value": val}
		case "static_select":
			var sel string
			if o, ok := el["initial_option"].(map[string]any); ok {
				sel, _ = o["value"].(string)
			}
			if c, ok := changes[id]; ok {
				sel = c
			}
			v = map[string]any{"type": "static_select", "selected_option": map[string]any{"value": sel}}
		case "datepicker":
			d, _ := el["initial_date"].(string)
			if c, ok := changes[id]; ok {
				d = c
			}
			v = map[string]any{"type": "datepicker", "selected_date": d}
		default:
			t.Fatalf("unexpected element %v", el["type"])
		}
		values[id] = map[string]any{actionValue: v}
	}
	return map[string]any{
		"type": "view_submission",
		"team": map[string]any{"id": testTeam},
		"user": map[string]any{"id": user},
		"view": map[string]any{
			"id": "V0VIEW", "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": values},
		},
	}
}

// openForm runs a command that opens a form and returns the views.open
// call.
func (e *testEnv) openForm(user, text string) apiCall {
	e.t.Helper()
	n := len(e.fake.callsTo("views.open"))
	if m := e.command(user, text); m != nil {
		e.t.Fatalf("%q: expected an empty acknowledgement, got %v", text, joined(m))
	}
	calls := e.fake.waitCalls(e.t, "views.open", n+1)
	return calls[n]
}

func TestAdminEditEndToEnd(t *testing.T) {
	e := newEnv(t)
	e.run()
	before := e.service("mash")
	opened := e.openForm(testAdmin, "edit mash")
	if opened.JSON["trigger_id"] != "trigger-1" {
		t.Errorf("views.open trigger_id = %v", opened.JSON["trigger_id"])
	}
	contacts := strings.Replace(staff.ContactsText(before.Contacts), "Out of office hours", "Out of hours (duty team)", 1)
	status, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{blockContacts: contacts}))
	if status != http.StatusOK || resp != nil {
		t.Fatalf("submission: status %d, answer %v; want 200 and no answer (form closes)", status, resp)
	}
	after := e.service("mash")
	if after.Contacts[1].Label != "Out of hours (duty team)" || after.Contacts[1].Value != "0300 300 8123" {
		t.Errorf("contact after edit: %+v", after.Contacts[1])
	}
	after.Contacts[1].Label = before.Contacts[1].Label
	if fingerprint(after) != fingerprint(before) {
		t.Errorf("the edit changed more than the label:\nbefore %+v\nafter  %+v", before, after)
	}
	h := e.auditOf("mash")
	last := h[len(h)-1]
	if last.Action != "put" || last.Who != testAdmin || last.Before == nil || last.After == nil ||
		last.Before.Contacts[1].Label != "Out of office hours" || last.After.Contacts[1].Label != "Out of hours (duty team)" {
		t.Errorf("audit entry: %+v", last)
	}
	audit := e.fake.waitCalls(t, "chat.postMessage", 1)[0]
	if audit.Form.Get("channel") != testAudit {
		t.Errorf("audit post to %q", audit.Form.Get("channel"))
	}
	for _, want := range []string{"<@" + testAdmin + ">", "edited", "contacts", "Out of hours (duty team)", "/whereto revert mash"} {
		if !strings.Contains(formBlocksText(t, audit), want) {
			t.Errorf("audit post lacks %q: %s", want, formBlocksText(t, audit))
		}
	}
	confirm := e.fake.waitCalls(t, "response", 1)[0]
	if !strings.Contains(joined(confirm.JSON), "Saved") {
		t.Errorf("confirmation: %v", confirm.JSON)
	}

	t.Run("history shows the change", func(t *testing.T) {
		all := joined(e.command(testAdmin, "history mash"))
		if !strings.Contains(all, "<@"+testAdmin+">") || !strings.Contains(all, "changed contacts") || !strings.Contains(all, "loaded with the default directory") {
			t.Errorf("history:\n%s", all)
		}
	})

	t.Run("revert restores the service, audited", func(t *testing.T) {
		all := joined(e.command(testAdmin, "revert mash "+itoa(last.Seq)))
		if !strings.Contains(all, "Reverted change") {
			t.Fatalf("revert answer:\n%s", all)
		}
		if got := e.service("mash"); fingerprint(got) != fingerprint(before) {
			t.Errorf("after revert: %+v, want %+v", got, before)
		}
		h := e.auditOf("mash")
		r := h[len(h)-1]
		if r.Action != "put" || r.Who != testAdmin || r.Seq <= last.Seq {
			t.Errorf("revert audit entry: %+v", r)
		}
	})

	t.Run("a stale form is refused", func(t *testing.T) {
		// opened was filled before the edit and the revert.
		e.service("mash")
		s := e.service("mash")
		s.Description += " Changed."
		if err := e.store.PutService(context.Background(), "someone-else", s); err != nil {
			t.Fatal(err)
		}
		_, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{blockName: "MASH"}))
		if resp["response_action"] != "errors" || !strings.Contains(joined(resp["errors"]), "") || resp["errors"].(map[string]any)[blockName] == nil {
			t.Errorf("stale form answer: %v", resp)
		}
		if e.service("mash").Name == "MASH" {
			t.Error("stale form was saved")
		}
	})
}

func itoa(n uint64) string { b, _ := json.Marshal(n); return string(b) }

func TestInvalidPhoneIsRejectedOnItsField(t *testing.T) {
	e := newEnv(t)
	e.run()
	before := e.service("mash")
	audit := len(e.auditOf("mash"))
	opened := e.openForm(testAdmin, "edit mash")
	for _, tc := range []struct {
		name    string
		changes map[string]string
		block   string
		want    string
	}{
		{"letter O for a zero", map[string]string{blockContacts: "phone | 01582 51O 330 | Office hours | in-hours\nemail | mash@luton.gov.uk"},
			blockContacts, `Line 1: "01582 51O 330" is not a UK phone number`},
		{"second line", map[string]string{blockContacts: "phone | 01582 547 653 | Office hours | in-hours\n\nphone | 12345 | Out of hours | out-of-hours"},
			blockContacts, `Line 3: "12345" is not a UK phone number`},
		{"unknown kind", map[string]string{blockContacts: "fax | 01582 547 653"}, blockContacts, `Line 1: kind "fax" is not one of`},
		{"no value", map[string]string{blockContacts: "phone"}, blockContacts, "Line 1: write the kind and the value"},
		{"bad hours", map[string]string{blockHours: "mon-fri 9am-5pm"}, blockHours, "Period 1: the times must be like 09:00-17:00"},
		{"closing before opening", map[string]string{blockHours: "mon-fri 17:00-09:00"}, blockHours, `Period 1: "09:00" is not after opens`},
		{"bad day", map[string]string{blockHours: "monday 09:00-17:00"}, blockHours, `"monday" is not a day`},
		{"bad area", map[string]string{blockAreas: "LU1 Luton"}, blockAreas, `"LUTON" is not a postcode district`},
		{"unknown route", map[string]string{blockRoutes: "safeguarding 1\nkittens 2"}, blockRoutes, `Entry 2: "kittens" is not a route`},
		{"route order not a number", map[string]string{blockRoutes: "safeguarding first"}, blockRoutes, "is not a whole number"},
		{"empty name", map[string]string{blockName: "  "}, blockName, "is empty"},
		{"whole directory: a route left without a service", map[string]string{blockRoutes: "hate-crime 3"}, blockRoutes, `route "safeguarding" has no`},
		{"in-hours contact without office hours", map[string]string{blockHours: ""}, blockContacts, `needs the service to have opening hours`},
		{"unknown status", map[string]string{blockStatus: "closed forever"}, blockStatus, `"closed forever" is not`},
		{"closing the only safeguarding service", map[string]string{blockStatus: "temporarily closed"}, blockRoutes, `route "safeguarding" has no active service`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, resp := e.interactive(submission(t, opened, testAdmin, tc.changes))
			if status != http.StatusOK || resp["response_action"] != "errors" {
				t.Fatalf("status %d, answer %v; want errors", status, resp)
			}
			errs := resp["errors"].(map[string]any)
			got, _ := errs[tc.block].(string)
			if !strings.Contains(got, tc.want) {
				t.Errorf("errors[%s] = %q, want it to contain %q (all: %v)", tc.block, got, tc.want, errs)
			}
		})
	}
	if got := e.service("mash"); fingerprint(got) != fingerprint(before) {
		t.Errorf("an invalid form changed mash: %+v", got)
	}
	if got := len(e.auditOf("mash")); got != audit {
		t.Errorf("audit entries %d, want %d", got, audit)
	}
}

func TestUnchangedFormSavesNothing(t *testing.T) {
	e := newEnv(t)
	e.run()
	audit := len(e.auditOf("police-emergency"))
	opened := e.openForm(testAdmin, "edit police-emergency")
	status, resp := e.interactive(submission(t, opened, testAdmin, nil))
	if status != http.StatusOK || resp != nil {
		t.Fatalf("status %d answer %v", status, resp)
	}
	r := e.fake.waitCalls(t, "response", 1)
	if !strings.Contains(joined(r[0].JSON), "Nothing changed") {
		t.Errorf("answer %v", r[0].JSON)
	}
	if got := len(e.auditOf("police-emergency")); got != audit {
		t.Errorf("audit entries %d, want %d", got, audit)
	}
}

func TestNonAdminIsRefusedAndRecorded(t *testing.T) {
	e := newEnv(t)
	e.run()
	for i, tc := range []struct {
		text, service, what string
	}{
		{"edit mash", "mash", "edit"},
		{"verify report-it", "report-it", "verify"},
		{"remove mash", "mash", "remove"},
		{"revert mash 3", "mash", "revert"},
		{"history mash", "mash", "history"},
		{"add", "", "add"},
		{"stats 30", "", "stats"},
		{"stale", "", "stale"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			// A person of their own for each, within the store's limit
			// on refusals recorded per person.
			user := "UNOT" + strconv.Itoa(i)
			all := joined(e.command(user, tc.text))
			if !strings.Contains(all, "Only directory admins") {
				t.Errorf("answer:\n%s", all)
			}
			h, err := e.store.History(context.Background(), tc.service)
			if err != nil {
				t.Fatal(err)
			}
			last := h[len(h)-1]
			if last.Action != "refused" || last.Who != user || last.Note != tc.what || last.Service != tc.service {
				t.Errorf("last audit entry %+v, want a refusal of %s by %s", last, tc.what, user)
			}
		})
	}
	if n := len(e.fake.callsTo("views.open")); n != 0 {
		t.Errorf("views.open called %d times for a non-admin", n)
	}
	if e.service("report-it").Verified != "" {
		t.Error("a non-admin verified a service")
	}
	t.Run("words that only look like a command are a look-up", func(t *testing.T) {
		all := joined(e.command(testOther, "remove graffiti"))
		if strings.Contains(all, "Only directory admins") || !strings.Contains(all, "council-environmental") {
			t.Errorf("answer:\n%s", all)
		}
	})
	t.Run("a submitted form from a non-admin is refused", func(t *testing.T) {
		opened := e.openForm(testAdmin, "edit mash")
		_, resp := e.interactive(submission(t, opened, testOther, map[string]string{blockName: "Hijacked"}))
		if got, _ := resp["errors"].(map[string]any)[blockName].(string); resp["response_action"] != "errors" || !strings.Contains(got, "Only directory admins") {
			t.Errorf("answer %v", resp)
		}
		if e.service("mash").Name == "Hijacked" {
			t.Error("saved")
		}
		h := e.auditOf("mash")
		if last := h[len(h)-1]; last.Action != "refused" || last.Who != testOther {
			t.Errorf("last audit entry %+v", last)
		}
	})
	t.Run("a remove button pressed by a non-admin is refused", func(t *testing.T) {
		n := len(e.fake.callsTo("response"))
		e.interactive(map[string]any{
			"type": "block_actions", "user": map[string]any{"id": testOther}, "team": map[string]any{"id": testTeam},
			"response_url": e.fake.srv.URL + "/response/rm",
			"actions":      []any{map[string]any{"action_id": actionRemoveConfirm, "block_id": "remove_actions", "type": "button", "value": "police-online"}},
		})
		r := e.fake.waitCalls(t, "response", n+1)
		if !strings.Contains(joined(r[n].JSON), "Only directory admins") {
			t.Errorf("answer %v", r[n].JSON)
		}
		if _, err := e.store.Directory().Service("police-online"); err != nil {
			t.Error("removed by a non-admin")
		}
	})
}

func TestAdminGroupMembersAreAdmins(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.AdminGroup = "S0ADMINS" })
	e.fake.groupMembers = []string{"UGROUP1"}
	for i := 0; i < 3; i++ {
		all := joined(e.command("UGROUP1", "stale"))
		if !strings.Contains(all, "not verified in the last 180 days") {
			t.Fatalf("group member refused:\n%s", all)
		}
	}
	if n := len(e.fake.callsTo("usergroups.users.list")); n != 1 {
		t.Errorf("usergroups.users.list called %d times, want 1 (cached)", n)
	}
	if c := e.fake.callsTo("usergroups.users.list")[0]; c.Form.Get("usergroup") != "S0ADMINS" {
		t.Errorf("asked for group %q", c.Form.Get("usergroup"))
	}
	if all := joined(e.command(testOther, "stale")); !strings.Contains(all, "Only directory admins") {
		t.Errorf("non-member not refused:\n%s", all)
	}
}

func TestVerifyAddRemoveAndRevert(t *testing.T) {
	e := newEnv(t)
	stop := e.runStoppable()

	all := joined(e.command(testAdmin, "verify mash"))
	if e.service("mash").Verified != "2026-11-25" || !strings.Contains(all, "verified today, 2026-11-25") {
		t.Errorf("verify: %q\n%s", e.service("mash").Verified, all)
	}
	if all := joined(e.command(testAdmin, "stale")); strings.Contains(all, "`mash`") || !strings.Contains(all, "`report-it`") {
		t.Errorf("stale list:\n%s", all)
	}

	remove := func(id string) string {
		m := e.command(testAdmin, "remove "+id)
		if !strings.Contains(joined(m), "Remove") {
			t.Fatalf("no confirmation: %v", m)
		}
		// Only the posts to this response_url count: the answer to an
		// earlier form may still be on its way to another.
		rm := func() []apiCall {
			var out []apiCall
			for _, c := range e.fake.callsTo("response") {
				if c.Path == "/response/rm" {
					out = append(out, c)
				}
			}
			return out
		}
		n, total := len(rm()), len(e.fake.callsTo("response"))
		e.interactive(map[string]any{
			"type": "block_actions", "user": map[string]any{"id": testAdmin}, "team": map[string]any{"id": testTeam},
			"response_url": e.fake.srv.URL + "/response/rm",
			"actions":      []any{map[string]any{"action_id": actionRemoveConfirm, "block_id": "remove_actions", "type": "button", "value": id}},
		})
		for want := total + 1; ; want++ {
			e.fake.waitCalls(t, "response", want)
			if r := rm(); len(r) > n {
				return joined(r[n].JSON)
			}
		}
	}
	if got := remove("signpost-hub"); !strings.Contains(got, "Nothing was changed") || !strings.Contains(got, `route "victim-support" has no`) {
		t.Errorf("removing the only victim-support service: %s", got)
	}
	if _, err := e.store.Directory().Service("signpost-hub"); err != nil {
		t.Error("signpost-hub removed though the directory would be invalid")
	}
	opened := e.openForm(testAdmin, "add")
	status, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{
		blockID: "youth-hub", blockName: "Youth Hub", blockContacts: "phone | 01582 000 000 | Office\nweb | https://youth.example.org",
		blockRoutes: "victim-support 2", blockSource: "Test", blockKeywords: "youth, young people",
	}))
	if status != http.StatusOK || resp != nil {
		t.Fatalf("add: %d %v", status, resp)
	}
	added := e.service("youth-hub")
	if added.Name != "Youth Hub" || len(added.Contacts) != 2 || added.Routes[0].Order != 2 || len(added.Keywords) != 2 {
		t.Errorf("added: %+v", added)
	}
	if h := e.auditOf("youth-hub"); len(h) != 1 || h[0].Before != nil || h[0].Who != testAdmin {
		t.Errorf("audit of the addition: %+v", h)
	}
	t.Run("the new service is found at once", func(t *testing.T) {
		if all := joined(e.command(testOther, "young people")); !strings.Contains(all, "`youth-hub`") {
			t.Errorf("look-up:\n%s", all)
		}
	})
	t.Run("an id already taken is refused", func(t *testing.T) {
		opened := e.openForm(testAdmin, "add")
		_, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{
			blockID: "mash", blockName: "x", blockContacts: "phone | 101", blockRoutes: "safeguarding 9", blockSource: "x",
		}))
		if got, _ := resp["errors"].(map[string]any)[blockID].(string); !strings.Contains(got, "already a service") {
			t.Errorf("answer %v", resp)
		}
	})

	if got := remove("youth-hub"); !strings.Contains(got, "Removed *Youth Hub*") {
		t.Errorf("remove: %s", got)
	}
	if _, err := e.store.Directory().Service("youth-hub"); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("youth-hub still there: %v", err)
	}
	h := e.auditOf("youth-hub")
	del := h[len(h)-1]
	if del.Action != "delete" || del.Who != testAdmin {
		t.Errorf("removal audit: %+v", del)
	}
	all = joined(e.command(testAdmin, "revert youth-hub "+itoa(del.Seq)))
	if !strings.Contains(all, "Reverted change") || e.service("youth-hub").Name != "Youth Hub" {
		t.Errorf("revert of a removal:\n%s", all)
	}
	all = joined(e.command(testAdmin, "revert youth-hub "+itoa(h[0].Seq)))
	if !strings.Contains(all, "removed again") {
		t.Errorf("revert of the addition:\n%s", all)
	}
	if _, err := e.store.Directory().Service("youth-hub"); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("youth-hub after reverting its addition: %v", err)
	}
	seed := e.auditOf("mash")[0]
	if all := joined(e.command(testAdmin, "revert mash "+itoa(seed.Seq))); !strings.Contains(all, "nothing before it") {
		t.Errorf("revert of the seed:\n%s", all)
	}
	if all := joined(e.command(testAdmin, "revert mash 99999")); !strings.Contains(all, "There is no change 99999") {
		t.Errorf("revert of an unknown change:\n%s", all)
	}
	// Every change was posted to the audit channel (after the answer, as
	// work that Run waits for before it returns).
	stop()
	var auditPosts int
	for _, c := range e.fake.callsTo("chat.postMessage") {
		if c.Form.Get("channel") == testAudit {
			auditPosts++
		}
	}
	if auditPosts != 5 {
		t.Fatalf("%d audit channel posts, want one per change (verify, add, remove, two reverts)", auditPosts)
	}
}

func TestStats(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		day, route string
		n          int
	}{{"2026-11-25", "safeguarding", 3}, {"2026-11-24", "environmental", 2}, {"2026-11-10", "hate-crime", 5}} {
		for i := 0; i < c.n; i++ {
			if err := e.store.CountRoute(ctx, c.day, c.route); err != nil {
				t.Fatal(err)
			}
		}
	}
	all := joined(e.command(testAdmin, "stats 3"))
	for _, want := range []string{"2026-11-23 to 2026-11-25", "5 in all", "2026-11-23", "safeguarding", "environmental"} {
		if !strings.Contains(all, want) {
			t.Errorf("stats lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "2026-11-10") {
		t.Errorf("stats 3 shows an older day:\n%s", all)
	}
	if all := joined(e.command(testAdmin, "stats")); !strings.Contains(all, "2026-11-19 to 2026-11-25") {
		t.Errorf("default stats range:\n%s", all)
	}
}

func TestLogsCarryIDsNotText(t *testing.T) {
	e := newEnv(t)
	e.command(testOther, "my neighbours kids are not being fed")
	logs := e.logs.String()
	if strings.Contains(logs, "neighbours") || strings.Contains(logs, "fed") {
		t.Errorf("logs carry the text:\n%s", logs)
	}
	for _, want := range []string{testOther, testTeam, `"command":"lookup"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestNewChecksConfig(t *testing.T) {
	e := newEnv(t)
	ok := Config{BotToken: testBot, SigningSecret: "s"}
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"no bot token", func(c *Config) { c.BotToken = "" }},
		{"user token", func(c *Config) { c.BotToken = "xoxp-1" }},
		{"no app token or secret", func(c *Config) { c.SigningSecret = "" }},
		{"bot token as app token", func(c *Config) { c.AppToken = testBot }},
		{"API URL without slash", func(c *Config) { c.APIURL = "http://127.0.0.1:1/api" }},
		{"API URL not http", func(c *Config) { c.APIURL = "ftp://x/" }},
		{"admin not a user id", func(c *Config) { c.Admins = []string{"alice"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			if _, err := New(c, e.store, e.store); err == nil {
				t.Error("New accepted it")
			}
		})
	}
	a, err := New(ok, e.store, e.store)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name() != "slack" || a.Ready() != nil || len(a.Handlers()) != 3 {
		t.Errorf("name %q ready %v handlers %d", a.Name(), a.Ready(), len(a.Handlers()))
	}
}

// formBlocksText is every text of the blocks of a chat.postMessage call.
func formBlocksText(t *testing.T, c apiCall) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &v); err != nil {
		t.Fatalf("blocks are not JSON: %v", err)
	}
	return joined(v)
}

func TestBusyPoolAnswersBusy(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Workers = 1 })
	if !e.app.work.reserve() { // the only slot is taken
		t.Fatal("reserve")
	}
	all := joined(e.command(testAdmin, "edit mash"))
	if !strings.Contains(all, "busy") {
		t.Errorf("edit with no free worker:\n%s", all)
	}
	if all := joined(e.command(testOther, "mash")); !strings.Contains(all, "0300 300 8123") {
		t.Errorf("a look-up needs no worker:\n%s", all)
	}
	if status, _ := e.post("/slack/events", "application/json", mention("EvBusy", "mash"), nil); status != http.StatusServiceUnavailable {
		t.Errorf("event with no free worker: status %d, want 503 so that Slack retries", status)
	}
	if seen, _ := e.store.Seen(context.Background(), eventNamespace, "EvBusy", time.Now()); seen {
		t.Error("an event left for Slack to retry was marked as handled")
	}
	e.app.work.release()
	if status, _ := e.post("/slack/events", "application/json", mention("EvBusy", "mash"), http.Header{"X-Slack-Retry-Num": {"1"}}); status != http.StatusOK {
		t.Errorf("retry: status %d", status)
	}
	e.fake.waitCalls(t, "chat.postMessage", 1)
	if n := len(e.fake.callsTo("views.open")); n != 0 {
		t.Errorf("views.open called %d times while busy", n)
	}
}

func TestResponseURLMustBeSlacks(t *testing.T) {
	e := newEnv(t)
	s := e.app.h.send
	for _, tc := range []struct {
		url  string
		want bool
	}{
		{"https://hooks.slack.com/commands/T1/1/abc", true},
		{e.fake.srv.URL + "/response/x", true},
		{"http://hooks.slack.com/commands/x", false},
		{"https://hooks.slack.com.evil.example/x", false},
		{"https://user@hooks.slack.com/x", false},
		{"https://evil.example/x", false},
		{"", false},
	} {
		if got := s.allowedResponseURL(tc.url); got != tc.want {
			t.Errorf("allowedResponseURL(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestRunStopsCleanly(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.app.Run(ctx) }()
	e.fake.waitCalls(t, "auth.test", 1)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if err := e.app.Run(context.Background()); err == nil {
		t.Error("a second Run was accepted")
	}
	if all := joined(e.command(testAdmin, "edit mash")); !strings.Contains(all, "busy") {
		t.Errorf("after Run returned, follow-up work should be refused:\n%s", all)
	}
}

// TestStatusAndAlertFromTheForm: an admin marks a service temporarily
// closed with an alert; it is saved and audited, shown on its card, and no
// longer recommended.
func TestStatusAndAlertFromTheForm(t *testing.T) {
	e := newEnv(t)
	e.run()
	opened := e.openForm(testAdmin, "edit police-online")
	status, resp := e.interactive(submission(t, opened, testAdmin, map[string]string{
		blockStatus: "Temporarily closed",
		blockAlert:  "The online form is down; call 101.",
	}))
	if status != http.StatusOK || resp["response_action"] == "errors" {
		t.Fatalf("status %d, answer %v; want saved", status, resp)
	}
	got := e.service("police-online")
	if got.Status != directory.StatusTemporarilyClosed || got.Alert != "The online form is down; call 101." {
		t.Fatalf("saved status %q alert %q", got.Status, got.Alert)
	}
	if h := e.auditOf("police-online"); h[len(h)-1].Who != testAdmin {
		t.Errorf("the change is not audited to the admin: %+v", h[len(h)-1])
	}
	ix := newIndex(e.store.Directory())
	for _, s := range lookUp(ix, "my bike was stolen").Services {
		if s.ID == "police-online" {
			t.Error("a temporarily closed service is still recommended")
		}
	}
}

// runStoppable starts Run as run does, and returns stop, which cancels it
// and waits for it to return (at most once; cleanup calls it too). Run
// returns only after the work scheduled after acknowledgements has
// finished, so once stop returns every post that requests so far will
// cause has been made: the sync point for "nothing more was sent".
func (e *testEnv) runStoppable() (stop func()) {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.app.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Run: %v", err)
				}
			case <-time.After(15 * time.Second):
				e.t.Error("Run did not return within 15s of cancel")
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

// notifyHandler passes records on to Handler and closes ch, once, when a
// record with message msg is handled: a sync point on what the code logs.
type notifyHandler struct {
	slog.Handler
	msg  string
	ch   chan struct{}
	once *sync.Once
}

func (h *notifyHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message == h.msg {
		h.once.Do(func() { close(h.ch) })
	}
	return err
}

func (h *notifyHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &notifyHandler{Handler: h.Handler.WithAttrs(as), msg: h.msg, ch: h.ch, once: h.once}
}

func (h *notifyHandler) WithGroup(name string) slog.Handler {
	return &notifyHandler{Handler: h.Handler.WithGroup(name), msg: h.msg, ch: h.ch, once: h.once}
}
