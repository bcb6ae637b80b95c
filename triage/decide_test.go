package triage

import (
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// TestDoubtNow pins when the model's doubt turns the rules' "now" into a
// question: below doubtNow only, and never with a doubt of zero, which is
// how classify keeps it from other languages, thoughts of suicide and a
// body in danger.
func TestDoubtNow(t *testing.T) {
	labels := []directory.Route{directory.RouteEmergency, "victim-support", directory.RouteUnclear}
	probs := func(emergency float64) []float64 {
		return []float64{emergency, 1 - emergency - 0.01, 0.01}
	}
	tests := []struct {
		name      string
		emergency float64
		doubt     float64
		rule      Danger
		want      Danger
	}{
		{"the model all but sure there is no danger", 0.01, doubtNowProb, DangerNow, DangerCheck},
		{"just under the line", doubtNowProb - 0.001, doubtNowProb, DangerNow, DangerCheck},
		{"on the line the rules stand", doubtNowProb, doubtNowProb, DangerNow, DangerNow},
		{"the model unsure", 0.30, doubtNowProb, DangerNow, DangerNow},
		{"no doubt allowed", 0.001, 0, DangerNow, DangerNow},
		{"a question stays a question", 0.001, doubtNowProb, DangerCheck, DangerCheck},
		{"no danger stays none", 0.001, doubtNowProb, DangerNone, DangerNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := defaultThresholds
			th.doubtNow = tt.doubt
			got := decideWith(labels, probs(tt.emergency), tt.rule, timeUnsaid, false, th)
			if got.Danger != tt.want {
				t.Errorf("danger %s, want %s", got.Danger, tt.want)
			}
			if tt.want == DangerCheck && got.Route != "victim-support" {
				t.Errorf("route %s, want the concern (victim-support)", got.Route)
			}
		})
	}
}

// TestEverydayOnly pins which danger rests on words with an everyday sense
// alone, the only danger (besides the past) the model's doubt may
// question.
func TestEverydayOnly(t *testing.T) {
	lx := compiled()
	tests := []struct {
		text string
		want bool
	}{
		{"the boss is screaming at the workers", true},
		{"my kids are fighting over the remote", true},
		{"someone is screaming and a man is waving a knife", false},
		{"they locked us in and we cannot get out", false},
		{"a man is trying to get in through my window", false},
		{"i need a plumber for my boiler", false},
	}
	for _, tt := range tests {
		n := normalise(tt.text)
		if got := lx.everydayOnly(n, tt.text, lx.match(n)); got != tt.want {
			t.Errorf("everydayOnly(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
