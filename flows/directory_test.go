package flows_test

import (
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

// edited returns the default directory with one service changed.
func edited(t *testing.T, id string, change func(*directory.Service)) *directory.Directory {
	t.Helper()
	d := defaultDir(t).Clone()
	for i := range d.Services {
		if d.Services[i].ID == id {
			change(&d.Services[i])
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("edited directory invalid: %v", err)
	}
	d.Prepare()
	return d
}

func answerText(t *testing.T, dir *directory.Directory, s flows.State, choice string) (flows.Turn, string) {
	t.Helper()
	turn := flows.Next(s, flows.Input{Choice: choice}, dir, afternoon)
	return turn, flows.RenderText(turn.Replies)
}

func TestClosedServiceFallsBack(t *testing.T) {
	tests := []struct {
		name   string
		status directory.Status
		words  string
	}{
		{"temporarily closed", directory.StatusTemporarilyClosed, "is closed for now"},
		{"inactive", directory.StatusInactive, "is not open at the moment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := edited(t, "police-online", func(s *directory.Service) { s.Status = tt.status })
			turn, text := answerText(t, dir, flows.State{Area: "LU1"}, "go:report-crime")
			if turn.Route != "report-crime" {
				t.Fatalf("route %q", turn.Route)
			}
			if !strings.Contains(text, "Bedfordshire Police: report online "+tt.words) {
				t.Errorf("the closure is not explained:\n%s", text)
			}
			if strings.Contains(text, "https://www.bedfordshire.police.uk/report") {
				t.Errorf("a closed service is still recommended:\n%s", text)
			}
			if !strings.Contains(text, "Call 101") {
				t.Errorf("the next service is not offered:\n%s", text)
			}
		})
	}
}

func TestClosedServiceNextLineShown(t *testing.T) {
	// Validation keeps a route from having only a fallback, so close the
	// council on a copy that also has a second council line.
	d := defaultDir(t).Clone()
	second := d.Services[0].Clone()
	for _, s := range d.Services {
		if s.ID == "council-environmental" {
			second = s.Clone()
		}
	}
	second.ID = "council-environmental-2"
	second.Routes = []directory.RouteRef{{Route: "environmental", Order: 2}}
	d.Services = append(d.Services, second)
	for i := range d.Services {
		if d.Services[i].ID == "council-environmental" {
			d.Services[i].Status = directory.StatusTemporarilyClosed
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	d.Prepare()
	_, text := answerText(t, d, flows.State{Area: "LU2"}, "go:environmental")
	if !strings.Contains(text, "is closed for now") || strings.Count(text, "01582 510 330") != 1 {
		t.Errorf("want the closure explained and the second line shown once:\n%s", text)
	}
}

func TestAlertShownWithService(t *testing.T) {
	const alert = "Phone lines are busy after the storm; use the online form."
	dir := edited(t, "council-environmental", func(s *directory.Service) { s.Alert = alert })
	_, text := answerText(t, dir, flows.State{Area: "LU3"}, "go:environmental")
	if !strings.Contains(text, "Notice: "+alert) {
		t.Errorf("alert not shown:\n%s", text)
	}
	_, found := answerText(t, dir, flows.State{}, "svc:council-environmental")
	if !strings.Contains(found, "Notice: "+alert) {
		t.Errorf("alert not shown in Find:\n%s", found)
	}
}

func TestAreaQuestion(t *testing.T) {
	dir := defaultDir(t)
	tests := []struct {
		name     string
		input    flows.Input
		want     []string
		notWant  []string
		wantStep flows.Step
	}{
		{"inside Luton", flows.Input{Text: "lu4 9zz"}, []string{"01582 510 330"}, []string{"find-local-council"}, flows.StepAnswered},
		{"a full postcode in a sentence", flows.Input{Text: "my postcode is lu2 7ab"}, []string{"01582 510 330"}, []string{"find-local-council"}, flows.StepAnswered},
		{"a district with a full stop", flows.Input{Text: "LU2."}, []string{"01582 510 330"}, nil, flows.StepAnswered},
		{"the town", flows.Input{Text: "Luton"}, []string{"01582 510 330"}, nil, flows.StepAnswered},
		{"the town in a sentence", flows.Input{Text: "i live in luton"}, []string{"01582 510 330"}, nil, flows.StepAnswered},
		{"in Luton button", flows.Input{Choice: "area:home:environmental"}, []string{"01582 510 330"}, []string{"find-local-council", "This is for"}, flows.StepAnswered},
		{"outside Luton", flows.Input{Text: "LU6"}, []string{"only helps people in Luton (LU1 to LU4)", "https://www.gov.uk/find-local-council"}, []string{"01582 510 330"}, flows.StepAnswered},
		{"a town outside Luton", flows.Input{Text: "Houghton Regis"}, []string{"only helps people in Luton (LU1 to LU4)", "https://www.gov.uk/find-local-council"}, []string{"01582 510 330"}, flows.StepAnswered},
		{"somewhere else", flows.Input{Choice: "area:away:environmental"}, []string{"https://www.gov.uk/find-local-council"}, []string{"01582 510 330"}, flows.StepAnswered},
		{"skipped keeps the Luton default and says so", flows.Input{Choice: "area:skip:environmental"}, []string{"01582 510 330", "This is for Luton (LU1 to LU4)."}, []string{"find-local-council"}, flows.StepAnswered},
		{"skip typed", flows.Input{Text: "skip"}, []string{"01582 510 330"}, nil, flows.StepAnswered},
		{"a district that does not exist", flows.Input{Text: "ZZ99"}, []string{"I do not know that place"}, []string{"01582 510 330"}, flows.StepArea},
		{"malformed is asked again", flows.Input{Text: "LU"}, []string{"I do not know that place"}, []string{"01582 510 330"}, flows.StepArea},
		{"not a place but danger", flows.Input{Text: "there's a fire in the flat below"}, []string{"Call 999 now"}, nil, flows.StepAnswered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked := flows.Next(flows.State{}, flows.Input{Text: "someone has dumped rubbish in the alley"}, dir, afternoon)
			if asked.State.Step != flows.StepArea {
				t.Fatalf("step %q, want the area question", asked.State.Step)
			}
			turn := flows.Next(asked.State, tt.input, dir, afternoon)
			text := flows.RenderText(turn.Replies)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reply lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("reply has %q:\n%s", w, text)
				}
			}
			if turn.State.Step != tt.wantStep {
				t.Errorf("step %q, want %q", turn.State.Step, tt.wantStep)
			}
			if strings.Contains(turn.State.Area, " ") || len(turn.State.Area) > 4 {
				t.Errorf("stored area %q is more than a district", turn.State.Area)
			}
		})
	}
}

// TestEmergencyNumberIgnoresInactiveAndFallback: a retired or fallback
// service placed first on the emergency route never changes the number
// people are told to call, and the emergency answer never waits on a
// postcode.
func TestEmergencyNumberIgnoresInactiveAndFallback(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*directory.Service)
	}{
		{"inactive", func(s *directory.Service) { s.Status = directory.StatusInactive }},
		{"fallback", func(s *directory.Service) { s.Routes[0].Fallback = true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := defaultDir(t).Clone()
			old := directory.Service{
				ID: "old-line", Name: "Old line", Source: "test",
				Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "0800 123 4567"}},
				Areas:    []string{"LU1"},
				Routes:   []directory.RouteRef{{Route: directory.RouteEmergency, Order: 0}},
			}
			tc.change(&old)
			d.Services = append(d.Services, old)
			if err := d.Validate(); err != nil {
				t.Fatalf("directory invalid: %v", err)
			}
			d.Prepare()
			for _, in := range []flows.Input{{Text: "he has a knife and is kicking my door in"}, {Text: "/start"}, {Choice: "go:emergency"}} {
				turn := flows.Next(flows.State{}, in, d, afternoon)
				text := flows.RenderText(turn.Replies)
				if strings.Contains(text, "0800 123 4567") || !strings.Contains(text, "call 999") && !strings.Contains(text, "Call 999") {
					t.Errorf("input %+v: want 999 and not the old line:\n%s", in, text)
				}
				if turn.State.Step == flows.StepArea {
					t.Errorf("input %+v: the emergency answer asked for a postcode", in)
				}
			}
		})
	}
}

func TestAreaQuestionSkipWords(t *testing.T) {
	dir := defaultDir(t)
	for _, text := range []string{"no", "no thanks", "rather not", "prefer not to say", "skip", "Skip", "1"} {
		asked := flows.Next(flows.State{}, flows.Input{Text: "someone has dumped rubbish in the alley"}, dir, afternoon)
		turn := flows.Next(asked.State, flows.Input{Text: text}, dir, afternoon)
		if turn.Route != "environmental" || !turn.State.NoArea {
			t.Errorf("%q at the postcode question: route %q, NoArea %v; want the answer, skipped", text, turn.Route, turn.State.NoArea)
		}
	}
	asked := flows.Next(flows.State{}, flows.Input{Text: "someone has dumped rubbish in the alley"}, dir, afternoon)
	turn := flows.Next(asked.State, flows.Input{Text: "actually i want to report racist abuse"}, dir, afternoon)
	if turn.Route != "hate-crime" {
		t.Errorf("a new concern at the place question: route %q, want hate-crime answered", turn.Route)
	}
}
