package flows_test

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/flows"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/transcripts")

// A transcript is a whole conversation: header lines ("# comment",
// "at: RFC3339 time", "app-lang: CODE" for the language the person's app
// says), then "> " lines for what the person types (or
// "> [choice-id]" for a button they tap) and "< " lines for what the bot
// answers, rendered as the terminal chat shows it. The test replays the "> "
// lines and compares everything; -update rewrites the "< " lines.
func TestTranscripts(t *testing.T) {
	dir, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("testdata/transcripts/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no transcripts found")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := replay(t, string(data), dir)
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(data) {
				t.Errorf("transcript differs (run go test ./flows -update and review the diff):\n%s", diffLines(string(data), got))
			}
		})
	}
}

func replay(t *testing.T, script string, dir *directory.Directory) string {
	t.Helper()
	var out strings.Builder
	now := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC) // a Wednesday afternoon
	var st flows.State
	appLang := ""
	for _, line := range strings.Split(strings.TrimRight(script, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "<"):
			continue // regenerated below
		case strings.HasPrefix(line, "at: "):
			at, err := time.Parse(time.RFC3339, strings.TrimPrefix(line, "at: "))
			if err != nil {
				t.Fatalf("bad time in %q: %v", line, err)
			}
			now = at
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, "app-lang: "):
			appLang = strings.TrimPrefix(line, "app-lang: ")
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, ">"):
			out.WriteString(line + "\n")
			in := strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
			input := flows.Input{Lang: appLang}
			if strings.HasPrefix(in, "[") && strings.HasSuffix(in, "]") {
				input.Choice = strings.Trim(in, "[]")
			} else {
				input.Text = in
			}
			turn := flows.Next(st, input, dir, now)
			st = turn.State
			for _, l := range strings.Split(strings.TrimRight(flows.RenderText(turn.Replies), "\n"), "\n") {
				out.WriteString(strings.TrimRight("< "+l, " ") + "\n")
			}
			if turn.Route != "" {
				out.WriteString("# route: " + string(turn.Route) + "\n")
			}
			if turn.Forget {
				out.WriteString("# forget\n")
			}
		case strings.HasPrefix(line, "# route:"), line == "# forget":
			continue // regenerated
		default:
			out.WriteString(line + "\n")
		}
	}
	return out.String()
}

// diffLines shows the first differing lines of want and got.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(no line differs)"
}

func itoa(i int) string { return strconv.Itoa(i) }
