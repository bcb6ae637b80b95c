package triage

import (
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// testDirectory is the embedded default directory.
func testDirectory(t testing.TB) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// testLabels are the classifier's classes for the default directory:
// emergency, the other routes, unclear.
func testLabels(t testing.TB) []directory.Route {
	t.Helper()
	labels := []directory.Route{directory.RouteEmergency}
	for _, r := range testDirectory(t).RouteIDs() {
		if r != directory.RouteEmergency {
			labels = append(labels, r)
		}
	}
	return append(labels, directory.RouteUnclear)
}
