package triage

import "testing"

// TestDoubtNow pins when the model's doubt turns the rules' "now" into a
// question: below the line only, never with a line of zero, and only for
// a message that speaks of the past or whose danger rests on everyday
// words, never for thoughts of suicide or a body in danger.
func TestDoubtNow(t *testing.T) {
	lx := compiled()
	const (
		past     = "my wife was assaulted at work last month and now she wont go out"
		everyday = "the boss is screaming at the car wash workers"
		present  = "they locked us in and we cannot get out"
	)
	tests := []struct {
		name string
		text string
		pNow float64
		line float64
		past bool
		want bool
	}{
		{"the model all but sure there is no danger, told in the past", past, 0.01, doubtNowProb, true, true},
		{"just under the line", past, doubtNowProb - 0.001, doubtNowProb, true, true},
		{"on the line the rules stand", past, doubtNowProb, doubtNowProb, true, false},
		{"the model unsure", past, 0.30, doubtNowProb, true, false},
		{"no doubt allowed", past, 0.001, 0, true, false},
		{"an everyday word alone", everyday, 0.01, doubtNowProb, false, true},
		{"locked in now is never doubted", present, 0.001, doubtNowProb, false, false},
		{"thoughts of suicide are never doubted", "last year was hard and now i want to kill myself", 0.001, doubtNowProb, true, false},
		{"a body in danger is never doubted", "after the fight last night he is not breathing", 0.001, doubtNowProb, true, false},
		{"a bare now alone", "now they make me work in the car wash for nothing and i cannot leave", 0.01, doubtNowProb, false, true},
		{"a phrase placing it now is not doubted", "they make me work for nothing and i cannot leave right now", 0.01, doubtNowProb, false, false},
		{"a bare now with an attack under way is not doubted", "he is hitting me now", 0.01, doubtNowProb, false, false},
		{"a body in danger told in the past with a bare now", "my brother overdosed at christmas, survived, now wants to get clean", 0.01, doubtNowProb, true, true},
		{"a body in danger now after a past cause is not doubted", "he overdosed last year and now he is not breathing", 0.01, doubtNowProb, true, false},
		{"an attack under way, near the line, is not doubted", "he hits me every week and he is hitting me now", doubtUnderWayProb, doubtNowProb, false, false},
		{"an attack under way, the model all but sure, is doubted", "he hits me every week and he is hitting me now", doubtUnderWayProb - 0.001, doubtNowProb, false, true},
		{"someone there now, near the line, is not doubted", "he hit me last week and now hes at the door", 0.07, doubtNowProb, true, false},
		{"an everyday word done to a person, near the line, is not doubted", "someone snatched my son at the school gate", 0.07, doubtNowProb, false, false},
		{"an everyday word done to a thing, near the line, is doubted", "someone snatched my bag, now i need to cancel my cards", 0.07, doubtNowProb, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := normalise(tt.text)
			if got := lx.doubted(n, tt.text, lx.match(n), tt.pNow, tt.line, tt.past); got != tt.want {
				t.Errorf("doubted = %v, want %v", got, tt.want)
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

// TestClauseNow pins which messages tell danger now in one clause read
// alone, whatever another clause says of the past.
func TestClauseNow(t *testing.T) {
	lx := compiled()
	tests := []struct {
		text string
		want bool
	}{
		{"the garage is on fire, last year it nearly happened too", true},
		{"someone broke into my shed last week and took my bike", false},
		{"there was a fire in the park bins earlier, it's out now", false},
		{"the garage is on fire", false}, // one clause: the whole message's rules already read it
		{"", false},
	}
	for _, tt := range tests {
		if got := lx.clauseNow(tt.text); got != tt.want {
			t.Errorf("clauseNow(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestUnderWay pins which danger is an attack under way, the "now" the
// model's doubt questions only when it is all but sure (under
// doubtUnderWayProb), whatever else the message says of the past or of a
// habit.
func TestUnderWay(t *testing.T) {
	lx := compiled()
	tests := []struct {
		text string
		want bool
	}{
		{"he is hitting me now", true},
		{"he hits me every week and he is hitting me now", true},
		{"he got out of prison last week and is hitting me", true},
		{"my ex who hit me last year is outside with a knife", true},
		{"he hit me last week and now hes at the door", true},
		{"he is punching her", true},
		{"he hit me last week", false},
		{"my brother overdosed at christmas, survived, now wants to get clean", false},
		{"if he is hitting you call 999", false},
		{"the boss is screaming at the car wash workers", false},
	}
	for _, tt := range tests {
		n := normalise(tt.text)
		if got := lx.underWay(n, tt.text); got != tt.want {
			t.Errorf("underWay(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestEverydayToPerson pins when an everyday word is done to a person.
func TestEverydayToPerson(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"someone snatched my son at the school gate", true},
		{"someone snatched my niece at the fair", true},
		{"he is punching her", true},
		{"a man is dragging a woman into a van", true},
		{"they are grabbing me", true},
		{"someone snatched my bag at the market", false},
		{"someone snatched her bag", false},
		{"he is punching the wall again", false},
		{"the boss is screaming at them", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := everydayToPerson(normalise(tt.text)); got != tt.want {
			t.Errorf("everydayToPerson(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
