package bolt

import (
	"bytes"
	"context"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/storetest"
)

// Translations written by the seed come back from the file after a
// reopen, and from a backup through the checked restore copy.
func TestTranslationsSurviveReopenAndBackup(t *testing.T) {
	ctx := context.Background()
	want := defaultSorted(t)
	storetest.Translate(want)
	path := testPath(t)
	closeStore(t, openStore(t, path, &Options{Seed: want}))

	s := openStore(t, path, nil)
	if !sameDirectory(s.Directory(), want) {
		t.Errorf("reopened directory differs from the translated seed")
	}
	if got := s.Directory().UnreviewedTranslations(); len(got) != len(want.UnreviewedTranslations()) {
		t.Errorf("reopened: %d unreviewed translations, want %d", len(got), len(want.UnreviewedTranslations()))
	}
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	closeStore(t, s)
	_, d, err := CopyChecked(&buf, t.TempDir())
	if err != nil {
		t.Fatalf("CopyChecked: %v", err)
	}
	if !sameDirectory(d, want) {
		t.Errorf("the backup's directory differs from the translated seed")
	}
	if got, _ := d.Route(directory.RouteEmergency); got.LabelIn("pa") != "ਕੋਈ ਹੁਣ ਖ਼ਤਰੇ ਵਿੱਚ ਹੈ" {
		t.Errorf("backup: emergency label in pa = %q", got.LabelIn("pa"))
	}
}
