package telegram_test

import (
	"testing"

	"github.com/whereto-bot/whereto/bot/telegram"
)

func TestParseRates(t *testing.T) {
	def := telegram.DefaultRates()
	for _, tc := range []struct {
		in   string
		want telegram.Rates
		bad  bool
	}{
		{in: "", want: def},
		{in: "off", want: telegram.Rates{Global: -1, Chat: -1, Burst: 3}},
		{in: "OFF", want: telegram.Rates{Global: -1, Chat: -1, Burst: 3}},
		{in: "global=100", want: telegram.Rates{Global: 100, Chat: 1, Burst: 3}},
		{in: " chat=0.5 , burst=5 ", want: telegram.Rates{Global: 30, Chat: 0.5, Burst: 5}},
		{in: "global=0", bad: true},
		{in: "global=5000", bad: true},
		{in: "chat=0", bad: true},
		{in: "burst=2.5", bad: true},
		{in: "burst=0", bad: true},
		{in: "speed=3", bad: true},
		{in: "global", bad: true},
		{in: "global=30,global=40", bad: true},
		{in: "global=abc", bad: true},
		{in: "global=NaN", bad: true},
	} {
		got, err := telegram.ParseRates(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseRates(%q) = %+v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseRates(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if back, err := telegram.ParseRates(got.String()); err != nil || back != got {
			t.Errorf("ParseRates(%q) does not read back %q: %+v, %v", got.String(), tc.in, back, err)
		}
	}
}
