package flows_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
	"github.com/whereto-bot/whereto/triage"
)

// TestRouteAddedAsData adds a route the code has never heard of, with its
// examples and a service, to a directory file in a temporary folder, and
// shows that a person reaches it both in their own words and from the
// menu, and that the Open Referral UK export carries it.
func TestRouteAddedAsData(t *testing.T) {
	var doc map[string]any
	d := defaultDir(t)
	var b bytes.Buffer
	if err := d.Export(&b); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	examples := []string{
		"the people upstairs play loud music every night until 3am",
		"next door have parties every weekend and the bass keeps us awake",
		"neighbours dog barks all day while they are at work",
		"constant banging and shouting from the flat above, i cant sleep",
		"a house on our road has music blaring until the early hours",
		"noisy neighbours again, thumping music at midnight",
		"the pub car park is so loud at closing time every night",
		"building work starts at 6am on a sunday next to us",
		"neighbour revs his motorbike at night outside my window",
		"loud music from a car every evening on our street",
		"my neighbours are so loud i cant get my baby to sleep",
		"who do i complain to about a noisy neighbour",
		"there is a house alarm that has been ringing for hours",
		"the takeaway extractor fan hums all night",
		"karaoke next door every friday till 2",
	}
	doc["routes"] = append(doc["routes"].([]any), map[string]any{
		"id": "noise", "label": "Noise from neighbours", "description": "Loud music, parties or barking that goes on and on.",
		"intro": "The council can help with noise. Tell them here:", "group": "report", "examples": examples,
	})
	doc["services"] = append(doc["services"].([]any), map[string]any{
		"id": "council-noise", "name": "Luton Council: noise", "description": "Tell the council about noise that goes on and on.",
		"contacts": []any{map[string]any{"kind": "phone", "value": "01582 510 330"}},
		"routes":   []any{map[string]any{"route": "noise", "order": 1}},
		"source":   "a test",
	})
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "directory.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir, err := directory.Parse(f)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	t.Run("in their own words", func(t *testing.T) {
		for _, text := range []string{"the neighbours have loud music on every night and we cant sleep", "next door play really loud music every weekend"} {
			turn := flows.Next(flows.State{}, flows.Input{Text: text}, dir, afternoon)
			if turn.Route != "noise" {
				t.Errorf("%q: route %q, want noise:\n%s", text, turn.Route, flows.RenderText(turn.Replies))
			}
		}
		if got := triage.ClassifyFor(dir, "loud music from next door at 3am").Route; got != "noise" {
			t.Errorf("ClassifyFor = %q, want noise", got)
		}
	})
	t.Run("from the menu", func(t *testing.T) {
		turn := flows.Next(flows.State{Step: flows.StepMenu}, flows.Input{Text: "Report something"}, dir, afternoon)
		turn = flows.Next(turn.State, flows.Input{Text: "Noise from neighbours"}, dir, afternoon)
		text := flows.RenderText(turn.Replies)
		if turn.Route != "noise" || !strings.Contains(text, "The council can help with noise") || !strings.Contains(text, "Call 01582 510 330") {
			t.Errorf("route %q:\n%s", turn.Route, text)
		}
	})
	t.Run("deep link", func(t *testing.T) {
		if turn := flows.Next(flows.State{}, flows.Input{Text: "/start noise"}, dir, afternoon); turn.Route != "noise" {
			t.Errorf("route %q", turn.Route)
		}
	})
	t.Run("Open Referral UK export", func(t *testing.T) {
		var out bytes.Buffer
		if err := dir.ExportOpenReferral(&out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), `"name": "route:noise"`) {
			t.Error("the export has no route:noise taxonomy term")
		}
	})
}

// TestMalformedRouteFile: a directory file with a broken route gives an
// error that says where, never a panic.
func TestMalformedRouteFile(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"a syntax error names its line", "{\n  \"schema\": 1,\n  \"routes\": [\n    {\"id\": \"noise\",, \"label\": \"x\"}\n  ]\n}", "line 4"},
		{"a wrong type names its line", "{\n  \"schema\": 1,\n  \"routes\": [\n    {\"id\": 7}\n  ]\n}", "line 4"},
		{"an unknown field is named", "{\"routes\": [{\"id\": \"noise\", \"lable\": \"x\"}]}", `unknown field "lable"`},
		{"a route with no label names its path", `{"partnership":{"name":"p","area":"a"},"routes":[{"id":"emergency","label":"Danger","description":"d"},{"id":"noise","description":"d"}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1},{"route":"noise","order":1}]}]}`, "routes[1].label: is empty"},
		{"a follow-up to nowhere", `{"partnership":{"name":"p","area":"a"},"routes":[{"id":"emergency","label":"Danger","description":"d","next":["nowhere"]}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1}]}]}`, `routes[0].next[0]: "nowhere" is not another route`},
		{"a service on an undefined route", `{"partnership":{"name":"p","area":"a"},"routes":[{"id":"emergency","label":"Danger","description":"d"}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1},{"route":"noise","order":1}]}]}`, `"noise" is not a route`},
		{"no emergency route", `{"partnership":{"name":"p","area":"a"},"routes":[{"id":"noise","label":"Noise","description":"d"}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"noise","order":1}]}]}`, `the "emergency" route is required`},
		{"unclear is not a route", `{"partnership":{"name":"p","area":"a"},"routes":[{"id":"emergency","label":"Danger","description":"d"},{"id":"unclear","label":"u","description":"d"}],"services":[{"id":"s","name":"s","source":"s","contacts":[{"kind":"phone","value":"999"}],"routes":[{"route":"emergency","order":1}]}]}`, "it is not a route"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := directory.Parse(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to say %q", err, tt.want)
			}
		})
	}
}
