package slack

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
		{"empty is valid (New requires the tokens)", Config{}, ""},
		{"a full HTTP-mode config", Config{BotToken: "xoxb-1", SigningSecret: "s", APIURL: "http://127.0.0.1:9/api/", Admins: []string{"U0123ABCD", " W0456EFGH ", ""}, AdminGroup: "S0123ABCD"}, ""},
		{"a user id of 21 characters", Config{Admins: []string{"U" + strings.Repeat("A", 20)}}, ""},
		{"a user id of 22 characters is refused", Config{Admins: []string{"U" + strings.Repeat("A", 21)}}, "is not a Slack user id"},
		{"a name is not a user id", Config{Admins: []string{"bob"}}, `"bob" is not a Slack user id`},
		{"a channel id is not a user id", Config{Admins: []string{"C0123ABCD"}}, "is not a Slack user id"},
		{"a group id of 22 characters is refused", Config{AdminGroup: "S" + strings.Repeat("1", 21)}, "is not a Slack user group id"},
		{"a user id is not a group id", Config{AdminGroup: "U0123ABCD"}, "is not a Slack user group id"},
		{"a user token is not a bot token", Config{BotToken: "xoxp-1"}, "bot user token"},
		{"a bot token is not an app token", Config{AppToken: "xoxb-1"}, "app-level token"},
		{"an API URL without the slash", Config{APIURL: "https://slack.example/api"}, `must end with "/"`},
		{"an API URL with a password", Config{APIURL: "https://u:p@slack.example/api/"}, "not an http or https URL"},
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
			for _, tok := range []string{tc.cfg.BotToken, tc.cfg.AppToken} {
				if tok != "" && strings.Contains(err.Error(), tok) {
					t.Errorf("Validate's error shows a token: %v", err)
				}
			}
		})
	}
}
