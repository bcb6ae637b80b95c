package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRouteEval(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "set.tsv")
	data := "# a tiny labelled set\nemergency\ttheres a man with a knife outside now\nenvironmental\tfly tipping in the alley\nunclear\thello\n"
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := Run(context.Background(), []string{"route", "-db", filepath.Join(dir, "w.db"), "--eval", file, "-v"}, strings.NewReader(""), &out, &errb)
	if err != nil {
		t.Fatalf("route --eval: %v\n%s", err, errb.String())
	}
	for _, want := range []string{"examples", "3", "accuracy", "100.0%", "precision", "recall", "label \\ got", "misclassified (0)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("nonsense-route\thello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), []string{"route", "-db", filepath.Join(dir, "w.db"), "--eval", bad}, strings.NewReader(""), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad label: err = %v, want one naming line 1", err)
	}
	err = Run(context.Background(), []string{"route", "--eval", filepath.Join(dir, "missing.tsv")}, strings.NewReader(""), &out, &errb)
	if err == nil {
		t.Error("missing file: no error")
	}
}
