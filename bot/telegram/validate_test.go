package telegram

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string // "" for valid
	}{
		{"empty is valid (New fills the defaults)", Config{}, ""},
		{"a webhook with a 16-character secret", Config{WebhookURL: "https://example.org/telegram/webhook", WebhookSecret: strings.Repeat("a", MinWebhookSecretLen)}, ""},
		{"a 256-character secret", Config{WebhookSecret: strings.Repeat("Z_-9", MaxWebhookSecretLen/4)}, ""},
		{"a self-hosted endpoint", Config{Endpoint: "http://127.0.0.1:8081/bot%s/%s"}, ""},
		{"a 15-character secret is refused", Config{WebhookSecret: strings.Repeat("a", MinWebhookSecretLen-1)}, "webhook secret must be 16 to 256"},
		{"a 257-character secret is refused", Config{WebhookSecret: strings.Repeat("a", MaxWebhookSecretLen+1)}, "webhook secret must be 16 to 256"},
		{"a secret with other characters is refused", Config{WebhookSecret: "sixteen chars ok!"}, "webhook secret must be"},
		{"an endpoint without two %s is refused", Config{Endpoint: "https://api.example/bot%s"}, "must have two %s"},
		{"a relative webhook URL is refused", Config{WebhookURL: "/telegram/webhook"}, "not an absolute http(s) URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("Validate: got %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Validate: got %v, want ErrInvalidConfig saying %q", err, tc.wantErr)
			}
			if s := tc.cfg.WebhookSecret; s != "" && strings.Contains(err.Error(), s) {
				t.Errorf("Validate's error shows the secret: %v", err)
			}
		})
	}
}
