package bolt

import (
	"context"
	"reflect"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

func TestStats(t *testing.T) {
	ctx := context.Background()
	path := testPath(t)
	s := openStore(t, path, &Options{FlushInterval: never})
	count := func(day, route string, n int) {
		t.Helper()
		for range n {
			if err := s.CountRoute(ctx, day, route); err != nil {
				t.Fatal(err)
			}
		}
	}
	count("2024-05-01", "emergency", 2)
	count("2024-05-02", "safeguarding", 1)
	count("2024-04-30", "report-crime", 1)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	count("2024-05-01", "emergency", 3) // adds to a flushed count
	count("2024-05-01", "environmental", 1)
	count("2024-05-03", "unclear", 4)

	all := []directory.StatRow{
		{Day: "2024-04-30", Route: "report-crime", Count: 1},
		{Day: "2024-05-01", Route: "emergency", Count: 5},
		{Day: "2024-05-01", Route: "environmental", Count: 1},
		{Day: "2024-05-02", Route: "safeguarding", Count: 1},
		{Day: "2024-05-03", Route: "unclear", Count: 4},
	}
	check := func(when string) {
		t.Helper()
		for _, tc := range []struct {
			name     string
			from, to string
			want     []directory.StatRow
		}{
			{"everything", "", "", all},
			{"one day", "2024-05-01", "2024-05-01", all[1:3]},
			{"inclusive range", "2024-05-01", "2024-05-02", all[1:4]},
			{"open start", "", "2024-04-30", all[:1]},
			{"open end", "2024-05-02", "", all[3:]},
			{"no days", "2024-06-01", "2024-06-30", []directory.StatRow{}},
			{"reversed range", "2024-05-03", "2024-05-01", []directory.StatRow{}},
		} {
			got, err := s.Stats(ctx, tc.from, tc.to)
			if err != nil {
				t.Fatalf("%s: %s: %v", when, tc.name, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: %s: Stats(%q, %q) = %v, want %v", when, tc.name, tc.from, tc.to, got, tc.want)
			}
		}
	}
	check("with buffered counts")
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	check("after flush")
	closeStore(t, s)
	s = openStore(t, path, nil)
	check("after reopen")
}

func TestStatsRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), nil)
	for _, tc := range []struct{ day, route string }{
		{"2024-5-1", "emergency"},
		{"2024-02-30", "emergency"},
		{"yesterday", "emergency"},
		{"2024-05-01", ""},
	} {
		if err := s.CountRoute(ctx, tc.day, tc.route); err == nil {
			t.Errorf("CountRoute(%q, %q): err = nil, want an error", tc.day, tc.route)
		}
	}
	if _, err := s.Stats(ctx, "May", ""); err == nil {
		t.Error("Stats with a malformed day: err = nil, want an error")
	}
}
