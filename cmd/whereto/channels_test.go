package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTelegram is a minimal Bot API on loopback: it delivers the given
// texts as private messages, one at a time, each once the bot has
// answered the one before (as a person would type them; sent at once,
// the bot would merge them), then empty long polls, and records what the
// bot sends.
type fakeTelegram struct {
	mu        sync.Mutex
	texts     []string
	delivered int // texts delivered
	answered  int // len(sent) when the last text was delivered
	sent      []string
	nextID    int
}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	f.mu.Lock()
	defer f.mu.Unlock()
	reply := func(result any) {
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}
	switch method {
	case "getMe":
		reply(map[string]any{"id": 42, "is_bot": true, "first_name": "whereto", "username": "whereto_test_bot"})
	case "getUpdates":
		if f.delivered == len(f.texts) || (f.delivered > 0 && len(f.sent) == f.answered) {
			f.mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			f.mu.Lock()
			reply([]any{})
			return
		}
		i, text := f.delivered, f.texts[f.delivered]
		f.delivered++
		f.answered = len(f.sent)
		reply([]any{map[string]any{
			"update_id": 1000 + i,
			"message": map[string]any{
				"message_id": 1 + i, "date": time.Now().Unix(), "text": text,
				"chat": map[string]any{"id": 777, "type": "private", "first_name": "Resident"},
				"from": map[string]any{"id": 777, "is_bot": false, "first_name": "Resident"},
			},
		}})
	case "sendMessage":
		f.sent = append(f.sent, r.Form.Get("text"))
		f.nextID++
		reply(map[string]any{"message_id": 5000 + f.nextID, "date": time.Now().Unix(), "chat": map[string]any{"id": 777, "type": "private"}})
	default: // setMyCommands, deleteWebhook, deleteMessage, editMessageReplyMarkup, answerCallbackQuery
		reply(true)
	}
}

func (f *fakeTelegram) sentCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// fakeSlack answers auth.test and accepts every other Web API call.
func fakeSlack() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "auth.test") {
			_, _ = io.WriteString(w, `{"ok":true,"user_id":"UBOT00001","team_id":"T0000001","user":"whereto","team":"test"}`)
			return
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
}

// signedSlash posts a slash command to serve, signed as Slack would.
func signedSlash(t *testing.T, base, secret, text string) string {
	t.Helper()
	body := url.Values{
		"command": {"/whereto"}, "text": {text}, "user_id": {"U0123ABCD"}, "team_id": {"T0000001"},
		"channel_id": {"C0000001"}, "response_url": {"https://hooks.slack.com/commands/x"}, "trigger_id": {"1.2.3"},
	}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, err := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("slash command: %s %s", resp.Status, out)
	}
	return string(out)
}

// TestServeChannelsKeepNoPersonalData runs serve with the real Telegram and
// Slack adapters against fake platform APIs on loopback, sends a
// conversation full of a unique marker through both, and checks the marker
// reaches no log line and no byte of the database file, while the people
// were answered.
func TestServeChannelsKeepNoPersonalData(t *testing.T) {
	marker := fmt.Sprintf("QZV%dMARK", time.Now().UnixNano())
	tg := &fakeTelegram{texts: []string{
		"/start",
		"my name is " + marker + " and someone dumped rubbish by my door",
		"LU1 3AB",
		"there is a man with a knife outside " + marker + " right now",
		"/forget",
	}}
	tgSrv := httptest.NewServer(tg)
	defer tgSrv.Close()
	slSrv := httptest.NewServer(fakeSlack())
	defer slSrv.Close()

	const signing = "8f742231b10e8888abcd99yyyzzz85a5"
	token := "123456789:" + strings.Repeat("A", 35)
	env := map[string]string{
		"WHERETO_LOG_LEVEL":             "debug",
		"TELEGRAM_BOT_TOKEN":            token,
		"WHERETO_TELEGRAM_API_ENDPOINT": tgSrv.URL + "/bot%s/%s",
		"SLACK_BOT_TOKEN":               "xoxb-" + strings.Repeat("1", 20),
		"SLACK_SIGNING_SECRET":          signing,
		"WHERETO_SLACK_API_URL":         slSrv.URL + "/api/",
		"WHERETO_SLACK_ADMINS":          "U0123ABCD",
	}
	db := testDB(t)
	s := startServe(t, db, env, buildChannels)

	card := signedSlash(t, s.base, signing, "child at risk "+marker)
	if !strings.Contains(card, "0300 300 8123") && !strings.Contains(card, "01582 547 653") {
		t.Errorf("the Slack look-up did not give the MASH card: %s", card)
	}
	deadline := time.Now().Add(60 * time.Second)
	for tg.sentCount() < len(tg.texts) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := tg.sentCount(); n < len(tg.texts) {
		t.Fatalf("Telegram: %d messages sent for %d updates", n, len(tg.texts))
	}
	if err, _ := s.stop(t); err != nil {
		t.Fatalf("serve: %v", err)
	}
	tg.mu.Lock()
	answers := strings.Join(tg.sent, "\n")
	tg.mu.Unlock()
	for _, want := range []string{"01582 510 330", "Call 999 now"} {
		if !strings.Contains(answers, want) {
			t.Errorf("Telegram answers lack %q", want)
		}
	}
	logs := s.logs.String()
	for _, needle := range []string{marker, token, signing} {
		if strings.Contains(logs, needle) {
			t.Errorf("the logs contain %q", needle)
		}
	}
	if !strings.Contains(logs, `"channel":"telegram"`) {
		t.Errorf("no Telegram log line: the test proves nothing")
	}
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(marker)) {
		t.Error("the database file contains the marker")
	}
}
