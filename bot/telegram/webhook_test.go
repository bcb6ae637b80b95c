package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/bot/telegram"
)

const hookURL = "https://whereto.example.org/telegram/webhook"

// webhookHarness is a bot in webhook mode whose handlers are served on
// loopback, as the service's HTTP listener would.
func webhookHarness(t testing.TB, o options) (*harness, *httptest.Server) {
	t.Helper()
	adjust := o.cfg
	o.cfg = func(c *telegram.Config) {
		c.WebhookURL = hookURL
		if adjust != nil {
			adjust(c)
		}
	}
	h := newHarness(t, o)
	mux := http.NewServeMux()
	for pattern, handler := range h.bot.Handlers() {
		mux.Handle(pattern, handler)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return h, srv
}

func post(t testing.TB, srv *httptest.Server, secret string, body []byte) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/telegram/webhook", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegram.SecretHeader, secret)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func updateJSON(t testing.TB, id int, chat int64, text string) []byte {
	t.Helper()
	u := tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{
		MessageID: id, Date: int(time.Now().Unix()), Text: text,
		Chat: &tgbotapi.Chat{ID: chat, Type: "private"}, From: &tgbotapi.User{ID: chat},
	}}
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWebhook(t *testing.T) {
	h, srv := webhookHarness(t, options{cfg: func(c *telegram.Config) { c.MaxBody = 4096 }})
	h.api.mu.Lock()
	reg := h.api.webhook
	h.api.mu.Unlock()
	secret := reg.Get("secret_token")
	if reg.Get("url") != hookURL || len(secret) != 64 {
		t.Fatalf("setWebhook got url %q, secret_token of %d characters; want %q and a generated 64", reg.Get("url"), len(secret), hookURL)
	}
	if !strings.Contains(reg.Get("allowed_updates"), "callback_query") {
		t.Errorf("allowed_updates = %q", reg.Get("allowed_updates"))
	}
	stored, ok, err := h.store.Setting(t.Context(), telegram.SecretSetting)
	if err != nil || !ok || string(stored) != secret {
		t.Errorf("generated secret not kept in the store: %q %v %v", stored, ok, err)
	}
	if got := h.api.count("getUpdates"); got != 0 {
		t.Errorf("webhook mode polled %d times", got)
	}

	if got := reg.Get("max_connections"); got != "40" {
		t.Errorf("max_connections = %q, want 40", got)
	}

	t.Run("right secret is taken into the inbox, then answered", func(t *testing.T) {
		if code := post(t, srv, secret, updateJSON(t, 1, 11, "/help")); code != http.StatusOK {
			t.Fatalf("status %d, want 200", code)
		}
		h.awaitIdle()
		if msgs := h.api.sentTo(11); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "Commands:") {
			t.Errorf("answer:\n%s", joined(msgs))
		}
	})
	t.Run("redelivery is not answered twice", func(t *testing.T) {
		if code := post(t, srv, secret, updateJSON(t, 1, 11, "/help")); code != http.StatusOK {
			t.Fatalf("status %d, want 200", code)
		}
		h.awaitIdle()
		if n := len(h.api.sentTo(11)); n != 1 {
			t.Errorf("chat has %d answers after a redelivery, want 1", n)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		if code := post(t, srv, secret[:63]+"x", updateJSON(t, 2, 12, "/help")); code != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", code)
		}
	})
	t.Run("missing secret", func(t *testing.T) {
		if code := post(t, srv, "", updateJSON(t, 3, 12, "/help")); code != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", code)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		big := updateJSON(t, 4, 12, strings.Repeat("a", 5000))
		if code := post(t, srv, secret, big); code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", code)
		}
	})
	t.Run("not an update", func(t *testing.T) {
		for _, body := range []string{"{not json", `{"no_update_id":1}`, `[]`, ``} {
			if code := post(t, srv, secret, []byte(body)); code != http.StatusBadRequest {
				t.Errorf("%q: status %d, want 400", body, code)
			}
		}
	})
	t.Run("an update the library cannot decode is acknowledged and counted", func(t *testing.T) {
		// Valid JSON, an update id, a field of the wrong type: Telegram
		// would send it again for ever if it were refused.
		before := h.metrics.skippedFor("undecodable")
		if code := post(t, srv, secret, []byte(`{"update_id":6,"message":{"message_id":"x","chat":5}}`)); code != http.StatusOK {
			t.Errorf("status %d, want 200", code)
		}
		if got := h.metrics.skippedFor("undecodable") - before; got != 1 {
			t.Errorf("undecodable updates counted %d, want 1", got)
		}
	})
	if n := len(h.api.sentTo(12)); n != 0 {
		t.Errorf("refused requests were processed: %d messages sent", n)
	}
	t.Run("after stop", func(t *testing.T) {
		if err := h.stop(); err != nil {
			t.Fatal(err)
		}
		if code := post(t, srv, secret, updateJSON(t, 5, 13, "/help")); code != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503 (Telegram delivers it again later)", code)
		}
	})
}

// TestWebhookBacklogFull: while MaxBacklog answers wait, an update gets
// 429 at once and is not taken (Telegram sends it again); once there is
// room it is taken and answered.
func TestWebhookBacklogFull(t *testing.T) {
	release := make(chan struct{})
	h, srv := webhookHarness(t, options{
		cfg: func(c *telegram.Config) { c.MaxBacklog = 2 },
		handler: func(r *bot.Runner) telegram.Handler {
			return handlerFunc(func(ctx context.Context, m bot.Message) (bot.Response, error) {
				select {
				case <-release:
				case <-ctx.Done():
					return bot.Response{}, ctx.Err()
				}
				return r.Handle(ctx, m)
			})
		},
	})
	secret := h.api.webhookParam("secret_token")
	for i, chat := range []int64{21, 22} {
		if code := post(t, srv, secret, updateJSON(t, 10+i, chat, "/help")); code != http.StatusOK {
			t.Fatalf("update %d: status %d, want 200", i, code)
		}
	}
	start := time.Now()
	if code := post(t, srv, secret, updateJSON(t, 12, 23, "/help")); code != http.StatusTooManyRequests {
		t.Fatalf("with the backlog full: status %d, want 429", code)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the 429 took %v; it must come at once", took)
	}
	if got := h.metrics.skippedFor("backlog_full"); got != 1 {
		t.Errorf("refused updates counted %d, want 1", got)
	}
	close(release)
	h.awaitIdle()
	if code := post(t, srv, secret, updateJSON(t, 12, 23, "/help")); code != http.StatusOK {
		t.Fatalf("sent again with room: status %d, want 200", code)
	}
	h.awaitIdle()
	for _, chat := range []int64{21, 22, 23} {
		if n := len(h.api.sentTo(chat)); n != 1 {
			t.Errorf("chat %d got %d answers, want 1", chat, n)
		}
	}
}

// handlerFunc adapts a function to telegram.Handler.
type handlerFunc func(ctx context.Context, m bot.Message) (bot.Response, error)

func (f handlerFunc) Handle(ctx context.Context, m bot.Message) (bot.Response, error) {
	return f(ctx, m)
}

// TestWebhookSecretKept: a restart on the same store registers the same
// generated secret; a configured one is used as given.
func TestWebhookSecretKept(t *testing.T) {
	store := openStore(t)
	api := newFakeAPI(t)
	h1, _ := webhookHarness(t, options{api: api, store: store})
	first := api.webhookParam("secret_token")
	if err := h1.stop(); err != nil {
		t.Fatal(err)
	}
	_, _ = webhookHarness(t, options{api: api, store: store})
	if second := api.webhookParam("secret_token"); second != first {
		t.Errorf("secret changed across a restart: %q then %q", first, second)
	}
	_, srv := webhookHarness(t, options{cfg: func(c *telegram.Config) { c.WebhookSecret = "given_Secret-1234" }})
	if code := post(t, srv, "given_Secret-1234", updateJSON(t, 1, 1, "/help")); code != http.StatusOK {
		t.Errorf("configured secret refused: %d", code)
	}
}

func (f *fakeAPI) webhookParam(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.webhook.Get(name)
}

func TestWebhookSecretValidated(t *testing.T) {
	api := newFakeAPI(t)
	cfg := testConfig(api, &syncBuffer{}, &countMetrics{})
	cfg.WebhookURL = hookURL
	cfg.WebhookSecret = "has spaces"
	if _, err := telegram.New(t.Context(), cfg, newRunner(t, nil), openStore(t)); err == nil {
		t.Error("a secret with spaces was accepted")
	}
	cfg.WebhookSecret = ""
	cfg.WebhookURL = "not a url"
	if _, err := telegram.New(t.Context(), cfg, newRunner(t, nil), openStore(t)); err == nil {
		t.Error("a relative webhook URL was accepted")
	}
}
