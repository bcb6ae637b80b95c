package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

func TestImport(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	in := &directory.Directory{}
	mash, _ := st.Directory().Service("mash")
	mash = mash.Clone()
	mash.Alert = "Phone lines are busy this morning; email if you can."
	police, _ := st.Directory().Service("police-non-emergency")
	added := police.Clone()
	added.ID = "police-101-copy"
	added.Routes = []directory.RouteRef{{Route: directory.Route("report-crime"), Order: 9}}
	in.Services = []directory.Service{mash, police, added}

	got, err := st.Import(ctx, "import-test", in)
	if err != nil {
		t.Fatal(err)
	}
	want := []directory.ImportResult{{ID: "mash", Outcome: directory.ImportChanged}, {ID: "police-non-emergency", Outcome: directory.ImportUnchanged}, {ID: "police-101-copy", Outcome: directory.ImportAdded}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results = %v, want %v", got, want)
	}
	if s, _ := st.Directory().Service("mash"); s.Alert == "" {
		t.Error("changed service not in the snapshot")
	}
	h, _ := st.History(ctx, "mash")
	if last := h[len(h)-1]; last.Who != "import-test" || last.Note != "import" || last.Before == nil || last.After == nil {
		t.Errorf("audit entry = %+v", last)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := st.Directory().Service("mash")
	good = good.Clone()
	good.Alert = "a change that must not land"
	bad, _ := st.Directory().Service("council-environmental")
	bad = bad.Clone()
	bad.Contacts[0].Value = "01582 51O 330"
	_, err = st.Import(ctx, "import-test", &directory.Directory{Services: []directory.Service{good, bad}})
	var verr *directory.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err = %v, want a *directory.ValidationError", err)
	}
	if s, _ := st.Directory().Service("mash"); s.Alert != "" {
		t.Error("the good record landed although the import failed")
	}
	h, _ := st.History(ctx, "")
	for _, e := range h {
		if e.Who == "import-test" {
			t.Errorf("audit entry written for a failed import: %+v", e)
		}
	}
	if err := st.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if len(after) != len(before) {
		t.Logf("file size changed from %d to %d (free pages may move); directory unchanged as checked above", len(before), len(after))
	}
}

// TestBackupDuringWrites copies the database while edits go on and checks
// the copy opens and validates.
func TestBackupDuringWrites(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s, _ := st.Directory().Service("mash")
			s = s.Clone()
			s.Alert = fmt.Sprintf("notice %d", i)
			if err := st.PutService(ctx, "writer", s); err != nil {
				t.Error(err)
				return
			}
			_ = st.PutSession(ctx, fmt.Sprintf("test:%d", i), []byte(`{"step":"menu"}`), farFuture())
		}
	}()
	for i := range 5 {
		var buf bytes.Buffer
		n, err := st.Backup(ctx, &buf)
		if err != nil || n != int64(buf.Len()) {
			t.Fatalf("Backup = %d, %v (buffer %d)", n, err, buf.Len())
		}
		copyPath := filepath.Join(t.TempDir(), fmt.Sprintf("copy%d.db", i))
		if err := os.WriteFile(copyPath, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := bolt.Open(copyPath, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("backup %d does not open: %v", i, err)
		}
		if err := c.Directory().Validate(); err != nil {
			t.Errorf("backup %d does not validate: %v", i, err)
		}
		_ = c.Close()
	}
	close(stop)
	wg.Wait()
}

func farFuture() time.Time { return time.Now().Add(time.Hour) }

// BenchmarkImport10000 is importing 10,000 services into a store: the
// merge, whole-directory validation, and one transaction with an audit
// entry each.
func BenchmarkImport10000(b *testing.B) {
	def, err := directory.Default()
	if err != nil {
		b.Fatal(err)
	}
	base, _ := def.Service("mash")
	in := &directory.Directory{}
	for i := range 10000 {
		s := base.Clone()
		s.ID = fmt.Sprintf("service-%05d", i)
		s.Name = fmt.Sprintf("Community service %d", i)
		s.Routes = []directory.RouteRef{{Route: directory.Route("safeguarding"), Order: 10 + i}}
		in.Services = append(in.Services, s)
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		st, err := bolt.Open(filepath.Join(b.TempDir(), "w.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := st.Import(context.Background(), "bench", in); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = st.Close()
		b.StartTimer()
	}
}
