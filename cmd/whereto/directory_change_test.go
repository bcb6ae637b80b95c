package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// writeJSON writes v as a directory file and returns its path.
func writeDirFile(t *testing.T, name string, d *directory.Directory) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := d.Export(f); err != nil {
		t.Fatal(err)
	}
	return path
}

func defaultClone(t *testing.T) *directory.Directory {
	t.Helper()
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	return d.Clone()
}

func setService(d *directory.Directory, id string, change func(*directory.Service)) {
	for i := range d.Services {
		if d.Services[i].ID == id {
			change(&d.Services[i])
		}
	}
}

func TestDirectoryValidateCommand(t *testing.T) {
	db := testDB(t)
	good := writeDirFile(t, "good.json", defaultClone(t))
	bad := defaultClone(t)
	setService(bad, "council-environmental", func(s *directory.Service) { s.Contacts[0].Value = "01582 51O 330" })
	badPath := writeDirFile(t, "bad.json", bad)

	stdout, _, err := run(t, "", "directory", "validate", good, "-db", db)
	if err != nil || !strings.Contains(stdout, "valid") {
		t.Errorf("validate good: %v\n%s", err, stdout)
	}
	stdout, _, err = run(t, "", "directory", "validate", badPath, "-db", db)
	if err == nil {
		t.Fatal("validate bad: no error")
	}
	if want := `contacts[0].value: "01582 51O 330" is not a UK phone number`; !strings.Contains(stdout, want) {
		t.Errorf("validate bad: output lacks %q:\n%s", want, stdout)
	}
	mustNotExist(t, db)

	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte("not json at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "directory", "validate", garbage, "-db", db); err == nil {
		t.Error("validate garbage: no error")
	}
}

func TestDirectoryImportCommand(t *testing.T) {
	db := testDB(t)
	if _, _, err := run(t, "", "directory", "list", "-db", db); err != nil {
		t.Fatal(err)
	}
	// Create the database.
	if _, _, err := run(t, "/forget\n", "chat", "-db", db); err != nil {
		t.Fatal(err)
	}

	// One bad record: nothing changes.
	mixed := defaultClone(t)
	setService(mixed, "mash", func(s *directory.Service) { s.Alert = "should not land" })
	setService(mixed, "council-environmental", func(s *directory.Service) { s.Contacts[0].Value = "01582 51O 330" })
	stdout, _, err := run(t, "", "directory", "import", writeDirFile(t, "mixed.json", mixed), "-db", db)
	if err == nil || !strings.Contains(err.Error(), "nothing imported") {
		t.Fatalf("import with a bad record: err = %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, `rejected  services[`) || !strings.Contains(stdout, "not a UK phone number") {
		t.Errorf("the rejection is not reported:\n%s", stdout)
	}
	show, _, _ := run(t, "", "directory", "show", "mash", "-db", db)
	if strings.Contains(show, "should not land") {
		t.Fatal("a record of a failed import landed")
	}

	// A good import: one change, one addition.
	next := defaultClone(t)
	setService(next, "mash", func(s *directory.Service) { s.Alert = "Lines are busy this morning." })
	extra := next.Services[0].Clone()
	for _, s := range next.Services {
		if s.ID == "report-it" {
			extra = s.Clone()
		}
	}
	extra.ID = "report-it-easy-read"
	extra.Name = "True Vision: easy read"
	next.Services = append(next.Services, extra)
	stdout, _, err = run(t, "", "directory", "import", writeDirFile(t, "next.json", next), "-db", db)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stdout)
	}
	for _, want := range []string{"changed   mash", "added     report-it-easy-read", "unchanged police-emergency", "1 added, 1 changed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, stdout)
		}
	}
	hist, _, err := run(t, "", "directory", "history", "mash", "-db", db)
	if err != nil || !strings.Contains(hist, "put") || !strings.Contains(hist, "(import): alert") {
		t.Errorf("history after import: %v\n%s", err, hist)
	}
}

// TestOpenReferralRoundTrip: export as Open Referral UK, import into an
// empty file, export again: the same document.
func TestOpenReferralRoundTrip(t *testing.T) {
	src := testDB(t)
	if _, _, err := run(t, "/forget\n", "chat", "-db", src); err != nil {
		t.Fatal(err)
	}
	first, _, err := run(t, "", "directory", "export", "--format", "openreferral", "-db", src)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "oruk.json")
	if err := os.WriteFile(file, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	db := testDB(t)
	if out, _, err := run(t, "", "directory", "import", file, "-db", db); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	second, _, err := run(t, "", "directory", "export", "--format", "openreferral", "-db", db)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("export, import, export did not give the same document:\n%s", firstDiff(first, second))
	}
	var services []map[string]any
	if err := json.Unmarshal([]byte(first), &services); err != nil {
		t.Errorf("export is not a JSON list of services: %v", err)
	}
	if _, _, err := run(t, "", "directory", "export", "--format", "nonsense"); !errors.Is(err, errUsage) {
		t.Errorf("unknown format: %v", err)
	}
}

func TestDirectoryStaleAndVerify(t *testing.T) {
	db := testDB(t)
	stdout, _, err := run(t, "", "directory", "stale", "-db", db, "--at", "2026-11-25T12:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "mash                     never verified") || !strings.Contains(stdout, "crimestoppers") {
		t.Errorf("stale output:\n%s", stdout)
	}
	if _, _, err := run(t, "/forget\n", "chat", "-db", db); err != nil {
		t.Fatal(err)
	}
	if out, _, err := run(t, "", "directory", "verify", "mash", "-db", db); err != nil || !strings.Contains(out, "mash verified") {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	stdout, _, _ = run(t, "", "directory", "stale", "-db", db)
	if strings.Contains(stdout, "mash ") {
		t.Errorf("mash is still stale after verify:\n%s", stdout)
	}
	hist, _, _ := run(t, "", "directory", "history", "mash", "-db", db)
	if !strings.Contains(hist, "verified") || !strings.Contains(hist, "by cli") {
		t.Errorf("verify is not in the history:\n%s", hist)
	}
	if _, _, err := run(t, "", "directory", "verify", "no-such-service", "-db", db); err == nil {
		t.Error("verify of an unknown id: no error")
	}
	if _, _, err := run(t, "", "directory", "stale", "--days", "-1", "-db", db); err == nil {
		t.Error("stale --days -1: no error")
	}
}

func TestDirectoryBackupAndRestore(t *testing.T) {
	db := testDB(t)
	if _, _, err := run(t, "/forget\n", "chat", "-db", db); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, _, err := run(t, "", "directory", "backup", backup, "-db", db); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	// Change the live database, then restore the backup.
	if _, _, err := run(t, "", "directory", "verify", "mash", "-db", db); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "", "directory", "restore", backup, "-db", db)
	if err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	// The database is now the backup, byte for byte, and private.
	got, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := os.ReadFile(backup); !bytes.Equal(got, want) {
		t.Error("the restored database is not the backup")
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the restored database's mode: %v (%v), want 0600", fi.Mode(), err)
	}
	show, _, _ := run(t, "", "directory", "show", "mash", "-db", db)
	if !strings.Contains(show, "Verified: never") {
		t.Errorf("restore did not bring back the backup:\n%s", show)
	}
	matches, _ := filepath.Glob(db + ".before-restore-*")
	if len(matches) != 1 {
		t.Errorf("the previous database was not kept aside: %v", matches)
	}
	// A file that is not a database is refused, and nothing changes.
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, "", "directory", "restore", junk, "-db", db); err == nil {
		t.Error("restore of junk: no error")
	}
}

// TestRestoreRefusesDamagedBackup: restore refuses a damaged backup with a
// message saying so, never panics, and leaves the current database as it
// was.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, data []byte) []byte
		msg    string
	}{
		{"truncated refused", func(t *testing.T, data []byte) []byte { return data[:len(data)/2] }, "truncated"},
		{"corrupted page refused", corruptLeafPages, "consistency check failed"},
		{"bucket-corrupted refused", func(t *testing.T, data []byte) []byte {
			// An audit entry's JSON made invalid in place, page layout intact.
			i := bytes.Index(data, []byte(`{"seq":`))
			if i < 0 {
				t.Fatal("no audit entry found in the backup")
			}
			data[i] = '!'
			return data
		}, "does not decode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := testDB(t)
			if _, _, err := run(t, "", "directory", "verify", "mash", "-db", db); err != nil {
				t.Fatal(err)
			}
			good := filepath.Join(t.TempDir(), "good.db")
			if _, _, err := run(t, "", "directory", "backup", good, "-db", db); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			backup := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(backup, tt.damage(t, data), 0o600); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			out, _, err := run(t, "", "directory", "restore", backup, "-db", db)
			if err == nil {
				t.Fatalf("restore of a damaged backup: no error\n%s", out)
			}
			if !errors.Is(err, bolt.ErrDamaged) || !strings.Contains(err.Error(), "not a usable backup") || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("restore error: got %q, want ErrDamaged saying %q", err, tt.msg)
			}
			if strings.Contains(out, "restored") {
				t.Errorf("restore says it restored:\n%s", out)
			}
			after, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Error("the current database changed")
			}
			if matches, _ := filepath.Glob(db + ".before-restore-*"); len(matches) != 0 {
				t.Errorf("the current database was moved aside: %v", matches)
			}
			if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(db), ".whereto-restore-*")); len(matches) != 0 {
				t.Errorf("the refused copy was left beside the database: %v", matches)
			}
			show, _, err := run(t, "", "directory", "show", "mash", "-db", db)
			if err != nil || strings.Contains(show, "Verified: never") {
				t.Errorf("the current database lost its edit: %v\n%s", err, show)
			}
		})
	}
}

// corruptLeafPages overwrites the id in the header of every leaf page of a
// bbolt file (page size from the first meta page), as misdirected writes
// would, leaving the meta pages alone.
func corruptLeafPages(t *testing.T, data []byte) []byte {
	t.Helper()
	const leafFlag = 0x02
	size := int(binary.LittleEndian.Uint32(data[24:28])) // page header 16 bytes, magic, version, page size
	n := 0
	for off := 2 * size; off+16 <= len(data); off += size {
		if binary.LittleEndian.Uint16(data[off+8:off+10]) == leafFlag {
			binary.LittleEndian.PutUint64(data[off:off+8], uint64(off/size)+7777)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no leaf page found in the backup")
	}
	return data
}

// TestBackupWhileServing copies the database through a running serve, and
// checks that writes fail at once with a message saying why.
func TestBackupWhileServing(t *testing.T) {
	db := testDB(t)
	s := startServe(t, db, map[string]string{}, buildChannels)
	backup := filepath.Join(t.TempDir(), "live.db")
	out, _, err := run(t, "", "directory", "backup", backup, "-db", db)
	if err != nil || !strings.Contains(out, "through the running 'whereto serve'") {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	st, err := bolt.Open(backup, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	if err := st.Directory().Validate(); err != nil {
		t.Errorf("the backup does not validate: %v", err)
	}
	_ = st.Close()

	_, _, err = run(t, "", "directory", "verify", "mash", "-db", db)
	if !errors.Is(err, bolt.ErrInUse) || !strings.Contains(err.Error(), "whereto serve") {
		t.Errorf("verify while serving: err = %v, want ErrInUse naming serve", err)
	}
	// A restore, of a good backup, is refused too, leaving no copy behind.
	_, _, err = run(t, "", "directory", "restore", backup, "-db", db)
	if !errors.Is(err, bolt.ErrInUse) {
		t.Errorf("restore while serving: err = %v, want ErrInUse", err)
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(db), ".whereto-restore-*")); len(matches) != 0 {
		t.Errorf("the checked copy was left beside the database: %v", matches)
	}

	// The admin endpoint wants the token.
	resp, err := http.Get(s.base + "/admin/backup")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("backup without the token: %s, want 403", resp.Status)
	}
	if err, _ := s.stop(t); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(adminPath(db)); !os.IsNotExist(err) {
		t.Errorf("admin file left after shutdown: %v", err)
	}

}

// firstDiff shows where two documents first differ.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  " + la[i] + "\n  " + lb[i]
		}
	}
	return "one is a prefix of the other"
}

// TestStatsWhileServing reads the counts through a running serve.
func TestStatsWhileServing(t *testing.T) {
	db := testDB(t)
	s := startServe(t, db, map[string]string{}, withFake(&fakeChannel{}))
	s.post(t, "a", "there is a man with a knife outside right now")
	out, _, err := run(t, "", "stats", "-db", db, "--format", "csv", "--days", "1")
	if err != nil {
		t.Fatalf("stats while serving: %v", err)
	}
	if !strings.Contains(out, ",emergency,1") {
		t.Errorf("stats through serve lacks the emergency count:\n%s", out)
	}
	resp, err := http.Get(s.base + "/admin/stats")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("stats without the token: %s, want 403", resp.Status)
	}
}

// TestImportNewRoute: a directory file that adds a route and a service on
// it validates and imports, and the running conversation reaches it.
func TestImportNewRoute(t *testing.T) {
	db := testDB(t)
	seed(t, db)
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	examples := []string{"loud music every night from next door", "neighbours partying till 4am again", "barking dog next door all day", "banging and shouting upstairs every night", "music so loud the walls shake"}
	d.Routes = append(d.Routes, directory.RouteInfo{ID: "noise", Label: "Noise from neighbours", Description: "Noise that goes on and on.", Group: "report", Examples: examples})
	d.Services = append(d.Services, directory.Service{ID: "council-noise", Name: "Luton Council: noise", Source: "test",
		Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "01582 510 330"}},
		Routes:   []directory.RouteRef{{Route: "noise", Order: 1}}})
	file := filepath.Join(t.TempDir(), "with-noise.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Export(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out, _, err := run(t, "", "directory", "validate", "-db", db, file); err != nil {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	if out, _, err := run(t, "", "directory", "import", "-db", db, file); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, _, err := run(t, "", "directory", "routes", "-db", db)
	if err != nil || !strings.Contains(out, "noise") {
		t.Fatalf("routes after import (%v):\n%s", err, out)
	}
	chat, _, err := run(t, "2\nNoise from neighbours\n", "chat", "-db", db)
	if err != nil || !strings.Contains(chat, "Luton Council: noise") {
		t.Errorf("chat did not reach the new route (%v):\n%s", err, chat)
	}
}
