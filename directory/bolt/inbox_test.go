package bolt_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory/bolt"
)

func ids(items []bot.InboxItem) []int64 {
	var out []int64
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// TestInbox: items are taken once, kept in id order across a reopen, and
// leave when done; a done mark keeps a redelivery out until it expires,
// no mark is written when keep is zero, and InboxNext moves with every
// put.
func TestInbox(t *testing.T) {
	ctx := context.Background()
	st, path := openTemp(t)
	put := func(ns string, want []int64, items ...int64) {
		t.Helper()
		var in []bot.InboxItem
		for _, id := range items {
			in = append(in, bot.InboxItem{ID: id, Data: []byte(`{"t":"x"}`)})
		}
		fresh, err := st.InboxPut(ctx, ns, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(fresh); !slices.Equal(got, want) {
			t.Errorf("InboxPut(%s, %v) took %v, want %v", ns, items, got, want)
		}
	}
	pending := func(ns string) []int64 {
		t.Helper()
		items, err := st.InboxPending(ctx, ns)
		if err != nil {
			t.Fatal(err)
		}
		return ids(items)
	}
	put("telegram", []int64{12, 9, 100}, 12, 9, 100)
	put("telegram", []int64{13}, 12, 13) // 12 is held already
	put("web", []int64{12}, 12)          // namespaces are apart
	if got := pending("telegram"); !slices.Equal(got, []int64{9, 12, 13, 100}) {
		t.Errorf("pending %v, want in id order", got)
	}
	if n, _ := st.InboxNext(ctx, "telegram"); n != 101 {
		t.Errorf("InboxNext = %d, want 101", n)
	}

	// Done with a mark: out of the inbox, and a redelivery is not taken.
	if err := st.InboxDone(ctx, "telegram", []int64{9, 12}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	put("telegram", nil, 9, 12)
	// Done without a mark: out, and taken again if it ever came back.
	if err := st.InboxDone(ctx, "telegram", []int64{13}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if seen, _ := st.Seen(ctx, "telegram", "13", time.Now()); seen {
		t.Error("a zero keep wrote a done mark")
	}
	// An expired mark lets the id in again.
	if err := st.InboxDone(ctx, "telegram", []int64{100}, time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	put("telegram", []int64{100}, 100)

	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	st = st2
	if got := pending("telegram"); !slices.Equal(got, []int64{100}) {
		t.Errorf("after a reopen pending %v, want [100]", got)
	}
	if n, _ := st.InboxNext(ctx, "telegram"); n != 101 {
		t.Errorf("after a reopen InboxNext = %d, want 101", n)
	}
}

func TestInboxBadInput(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	for _, tc := range []struct {
		name string
		ns   string
		item bot.InboxItem
		want string
	}{
		{"negative id", "telegram", bot.InboxItem{ID: -1}, "negative"},
		{"too big", "telegram", bot.InboxItem{ID: 1, Data: make([]byte, bolt.MaxInboxItem+1)}, "more than"},
		{"empty namespace", "", bot.InboxItem{ID: 1}, "empty"},
		{"colon in namespace", "a:b", bot.InboxItem{ID: 1}, "colon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := st.InboxPut(ctx, tc.ns, []bot.InboxItem{tc.item})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one saying %q", err, tc.want)
			}
		})
	}
	if got, _ := st.InboxPending(ctx, "telegram"); len(got) != 0 {
		t.Errorf("refused items were stored: %v", ids(got))
	}
}

// TestBackupLeavesOutTheInbox: what people typed, held until answered,
// never reaches a backup; everything else does.
func TestBackupLeavesOutTheInbox(t *testing.T) {
	ctx := context.Background()
	st, _ := openTemp(t)
	marker := "QZVbackupMARK"
	if _, err := st.InboxPut(ctx, "telegram", []bot.InboxItem{{ID: 7, Data: []byte(`{"t":"` + marker + `"}`)}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCursor(ctx, "telegram-offset", 8); err != nil {
		t.Fatal(err)
	}
	before, err := st.History(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := st.Backup(ctx, &buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("Backup = %d, %v (%d bytes)", n, err, buf.Len())
	}
	if bytes.Contains(buf.Bytes(), []byte(marker)) {
		t.Fatal("the backup holds an inbox entry's text")
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	restored, err := bolt.Open(path, nil)
	if err != nil {
		t.Fatalf("opening the backup: %v", err)
	}
	defer restored.Close()
	if held, _ := restored.InboxPending(ctx, "telegram"); len(held) != 0 {
		t.Errorf("the backup's inbox holds %v", ids(held))
	}
	if v, ok, _ := restored.Cursor(ctx, "telegram-offset"); !ok || v != 8 {
		t.Errorf("cursor in the backup = %d, %v; want 8", v, ok)
	}
	after, err := restored.History(ctx, "")
	if err != nil || len(after) != len(before) {
		t.Errorf("history in the backup: %d entries (%v), want %d", len(after), err, len(before))
	}
	// The audit log's numbering goes on from where it was.
	svc, _ := restored.Directory().Service("mash")
	svc = svc.Clone()
	svc.Alert = "closed today"
	if err := restored.PutService(ctx, "tester", svc); err != nil {
		t.Fatal(err)
	}
	if h, _ := restored.History(ctx, ""); len(h) != len(before)+1 {
		t.Errorf("after an edit the backup's history has %d entries, want %d", len(h), len(before)+1)
	}
}
