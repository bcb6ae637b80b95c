package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// seed creates and seeds the database at db, as a first chat would.
func seed(t *testing.T, db string) {
	t.Helper()
	if _, _, err := run(t, "", "chat", "-db", db); err != nil {
		t.Fatalf("seeding with chat: %v", err)
	}
	mustExist(t, db)
}

func TestDirectoryList(t *testing.T) {
	tests := []struct {
		name     string
		seeded   bool
		wantFrom func(db string) string
	}{
		{"without a database, the built-in default", false, func(db string) string { return "from built-in default (no database at " + db + " yet)" }},
		{"from the database", true, func(db string) string { return "from " + db + "\n" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			if tt.seeded {
				seed(t, db)
			}
			stdout, _, err := run(t, "", "directory", "list", "-db", db)
			if err != nil {
				t.Fatalf("directory list: %v", err)
			}
			lines := strings.Split(stdout, "\n")
			if !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "ROUTES") {
				t.Errorf("first line: got %q, want the column headings", lines[0])
			}
			var ids []string
			for _, l := range lines[1:] {
				if l == "" {
					break
				}
				ids = append(ids, strings.Fields(l)[0])
			}
			slices.Sort(ids)
			if !slices.Equal(ids, defaultIDs) {
				t.Errorf("ids: got %q, want %q", ids, defaultIDs)
			}
			if want := fmt.Sprintf("%d services, %s", len(defaultIDs), tt.wantFrom(db)); !strings.Contains(stdout, want) {
				t.Errorf("stdout lacks %q; got:\n%s", want, stdout)
			}
			if !strings.Contains(stdout, "report-crime,hate-crime") {
				t.Errorf("101's routes are not listed together; got:\n%s", stdout)
			}
			if !tt.seeded {
				mustNotExist(t, db)
			}
		})
	}
}

func TestDirectoryShow(t *testing.T) {
	tests := []struct {
		name string
		args []string
		// dbFirst puts -db before args: Go flags end at the first
		// argument that is not a flag, so it cannot follow a trailing id.
		dbFirst bool
		want    []string
		// notWant must not be in the output.
		notWant []string
	}{
		{
			name:    "mash on Wednesday night is out of office hours",
			args:    []string{"mash", "--at", wedNight},
			want:    []string{"MASH: Multi-Agency Safeguarding Hub (mash)", "At Wed 25 Nov 2026 22:00 GMT:", "out of office hours: outside weekly hours (mon-fri 09:00-17:00)", "use: phone " + mashOOH, "use: email mash@luton.gov.uk"},
			notWant: []string{"use: phone " + mashInHours},
		},
		{
			name:    "mash on Wednesday morning is in office hours",
			args:    []string{"mash", "--at", wedMorning},
			want:    []string{"  in office hours: weekly hours (mon-fri", "use: phone " + mashInHours},
			notWant: []string{"use: phone " + mashOOH},
		},
		{
			name:    "summer time is shown in BST",
			args:    []string{"mash", "--at", "2026-07-01T16:30:00Z"},
			want:    []string{"At Wed 1 Jul 2026 17:30 BST:", "out of office hours", "use: phone " + mashOOH},
			notWant: []string{"use: phone " + mashInHours},
		},
		{
			name:    "id after the flags",
			args:    []string{"--at", wedNight, "mash"},
			dbFirst: true,
			want:    []string{"(mash)", "use: phone " + mashOOH},
		},
		{
			name: "service without hours",
			args: []string{"report-it"},
			want: []string{"True Vision: report hate crime (report-it)", "no opening hours: every contact applies at all times", "use: web https://www.report-it.org.uk", "Routes: hate-crime (order 1)", "Areas: everywhere"},
		},
		{
			name:    "service open day and night",
			args:    []string{"police-emergency", "--at", wedNight},
			want:    []string{"Emergency services (police-emergency)", "Opening hours (Europe/London): 24 hours a day, every day, including bank holidays", "use: phone 999", "Routes: emergency (order 1)", "Areas: everywhere"},
			notWant: []string{"no opening hours", "out of office hours"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			args := append([]string{"directory", "show"}, tt.args...)
			args = append(args, "-db", db)
			if tt.dbFirst {
				args = append([]string{"directory", "show", "-db", db}, tt.args...)
			}
			stdout, stderr, err := run(t, "", args...)
			if err != nil {
				t.Fatalf("directory show: %v; stderr:\n%s", err, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q; got:\n%s", w, stdout)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(stdout, w) {
					t.Errorf("stdout has %q; got:\n%s", w, stdout)
				}
			}
			mustNotExist(t, db)
		})
	}
}

func TestDirectoryShowUnknownID(t *testing.T) {
	db := testDB(t)
	_, _, err := run(t, "", "directory", "show", "nosuch", "-db", db)
	if err == nil {
		t.Fatal("directory show nosuch: got nil, want an error")
	}
	if errors.Is(err, errUsage) {
		t.Errorf("got errUsage, whose message is never printed")
	}
	msg := err.Error()
	if !strings.Contains(msg, `"nosuch"`) {
		t.Errorf("error %q does not name the id", msg)
	}
	for _, id := range defaultIDs {
		if !strings.Contains(msg, id) {
			t.Errorf("error %q does not list id %q", msg, id)
		}
	}
}

// export writes what Parse reads, and equals the default directory, both
// without a database and from a freshly seeded one.
func TestDirectoryExport(t *testing.T) {
	for _, seeded := range []bool{false, true} {
		name := "built-in default"
		if seeded {
			name = "seeded database"
		}
		t.Run(name, func(t *testing.T) {
			db := testDB(t)
			if seeded {
				seed(t, db)
			}
			stdout, _, err := run(t, "", "directory", "export", "-db", db)
			if err != nil {
				t.Fatalf("directory export: %v", err)
			}
			got, err := directory.Parse(strings.NewReader(stdout))
			if err != nil {
				t.Fatalf("directory.Parse of the export: %v", err)
			}
			sameAsDefault(t, got)
		})
	}
}

func TestDirectoryExportFile(t *testing.T) {
	db := testDB(t)
	seed(t, db)
	dir := t.TempDir()
	file := filepath.Join(dir, "luton.json")
	if err := os.WriteFile(file, []byte("old contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := run(t, "", "directory", "export", "-o", file, "-db", db)
	if err != nil {
		t.Fatalf("directory export -o: %v", err)
	}
	if stdout != "" {
		t.Errorf("stdout: got %q, want nothing when writing a file", head(stdout))
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("opening the export: %v", err)
	}
	defer f.Close()
	got, err := directory.Parse(f)
	if err != nil {
		t.Fatalf("directory.Parse of %s: %v", file, err)
	}
	sameAsDefault(t, got)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("export folder holds %q, want only luton.json (no temporary files left)", names)
	}
}

func TestDirectoryExportFileMissingFolder(t *testing.T) {
	db := testDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "missing", "luton.json")
	_, _, err := run(t, "", "directory", "export", "-o", file, "-db", db)
	if err == nil {
		t.Fatal("export into a missing folder: got nil, want an error")
	}
	mustNotExist(t, file)
	mustBeEmptyDir(t, dir)
}

// sameAsDefault compares d with directory.Default(): the partnership and
// the services, whatever their order (the store keeps them by id).
func sameAsDefault(t *testing.T, d *directory.Directory) {
	t.Helper()
	want, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Partnership, want.Partnership) {
		t.Errorf("partnership: got %+v, want %+v", d.Partnership, want.Partnership)
	}
	byID := func(a, b directory.Service) int { return strings.Compare(a.ID, b.ID) }
	gotSvcs := slices.Clone(d.Services)
	wantSvcs := slices.Clone(want.Services)
	slices.SortFunc(gotSvcs, byID)
	slices.SortFunc(wantSvcs, byID)
	if len(gotSvcs) != len(wantSvcs) {
		t.Fatalf("got %d services, want %d", len(gotSvcs), len(wantSvcs))
	}
	for i := range wantSvcs {
		if !reflect.DeepEqual(gotSvcs[i], wantSvcs[i]) {
			t.Errorf("service %q: got %+v, want %+v", wantSvcs[i].ID, gotSvcs[i], wantSvcs[i])
		}
	}
}

func TestDirectoryRoutes(t *testing.T) {
	for _, seeded := range []bool{false, true} {
		db := testDB(t)
		if seeded {
			seed(t, db)
		}
		stdout, _, err := run(t, "", "directory", "routes", "-db", db)
		if err != nil {
			t.Fatalf("directory routes: %v", err)
		}
		lines := strings.Split(stdout, "\n")
		if !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "ASKS WHERE") {
			t.Errorf("first line: got %q, want the column headings", lines[0])
		}
		d, err := directory.Default()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range lines[1:] {
			if l == "" {
				break
			}
			ids = append(ids, strings.Fields(l)[0])
		}
		var want []string
		for _, r := range d.RouteIDs() {
			want = append(want, string(r))
		}
		if !slices.Equal(ids, want) {
			t.Errorf("seeded %v: routes %q, want %q in menu order", seeded, ids, want)
		}
		if !strings.Contains(stdout, "safeguarding     worried  A child or an adult at risk") || !strings.Contains(stdout, "where they live") {
			t.Errorf("seeded %v: the safeguarding row is not as in the data:\n%s", seeded, stdout)
		}
	}
	if _, _, err := run(t, "", "directory", "routes", "extra"); err == nil {
		t.Error("directory routes with an argument: want a usage error")
	}
}
