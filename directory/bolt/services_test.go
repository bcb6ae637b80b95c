package bolt

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

func TestPutServiceRejectsInvalid(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(svc *directory.Service)
	}{
		{"invalid phone number", func(svc *directory.Service) { svc.Contacts[0].Value = "01582 O00 000" }},
		{"empty id", func(svc *directory.Service) { svc.ID = "" }},
		{"unknown route", func(svc *directory.Service) { svc.Routes = []directory.RouteRef{{Route: "lost-property"}} }},
		{"emergency without an always-available phone", func(svc *directory.Service) {
			svc.ID = "police-emergency"
			svc.Contacts = []directory.Contact{{Kind: directory.KindWeb, Value: "https://example.org"}}
		}},
		{"last active service leaves its route", func(svc *directory.Service) {
			// MASH goes inactive and the helpline leaves safeguarding is
			// tested in package directory; here MASH leaves its route while
			// only the helpline and a fallback stay, which is allowed, so
			// mark it inactive on a route nobody else serves instead.
			svc.ID = "council-environmental"
			svc.Routes = []directory.RouteRef{{Route: directory.Route("environmental")}}
			svc.Status = directory.StatusInactive
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := testPath(t)
			s := openStore(t, path, nil)
			before := s.Directory()
			hist, err := s.History(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			svc, err := before.Service("mash")
			if err != nil {
				t.Fatal(err)
			}
			svc = svc.Clone()
			tc.change(&svc)

			err = s.PutService(ctx, "mallory", svc)
			var verr *directory.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("PutService: err = %v, want a *directory.ValidationError", err)
			}
			if !errors.Is(err, directory.ErrInvalid) {
				t.Errorf("PutService: err = %v, want it to wrap directory.ErrInvalid", err)
			}
			if s.Directory() != before {
				t.Error("Directory() snapshot was replaced by a rejected edit")
			}
			gotHist, err := s.History(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(gotHist), len(hist); got != want {
				t.Errorf("audit entries = %d, want %d (no entry for a rejected edit)", got, want)
			}
			closeStore(t, s)
			s = openStore(t, path, nil)
			if got, want := s.Directory(), defaultSorted(t); !sameDirectory(got, want) {
				t.Errorf("after reopen, directory = %+v, want it unchanged", got)
			}
		})
	}
}

func TestDeleteService(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		id      string
		wantErr error
	}{
		{"one of two services on its route", "police-online", nil},
		{"missing service", "no-such-service", directory.ErrNotFound},
		{"only service on its route", "council-environmental", directory.ErrInvalid},
		{"only service on the emergency route", "police-emergency", directory.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, testPath(t), nil)
			before := s.Directory()
			err := s.DeleteService(ctx, "alice", tc.id)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("DeleteService(%q): err = %v, want %v", tc.id, err, tc.wantErr)
			}
			_, lookErr := s.Directory().Service(tc.id)
			if tc.wantErr != nil {
				if s.Directory() != before {
					t.Error("snapshot replaced after a failed delete")
				}
				return
			}
			if !errors.Is(lookErr, directory.ErrNotFound) {
				t.Errorf("after delete, Service(%q): err = %v, want ErrNotFound", tc.id, lookErr)
			}
			if got, want := len(s.Directory().Services), len(before.Services)-1; got != want {
				t.Errorf("services = %d, want %d", got, want)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), nil)
	seeded, err := s.Directory().Service("police-online")
	if err != nil {
		t.Fatal(err)
	}
	edited := seeded.Clone()
	edited.Description = "Report crime online, at any time."
	if err := s.PutService(ctx, "alice", edited); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteService(ctx, "bob", "police-online"); err != nil {
		t.Fatal(err)
	}
	added := seeded.Clone()
	added.ID = "police-online-welsh"
	if err := s.PutService(ctx, "carol", added); err != nil {
		t.Fatal(err)
	}

	got, err := s.History(ctx, "police-online")
	if err != nil {
		t.Fatal(err)
	}
	want := []directory.AuditEntry{
		{Who: "seed", Service: "police-online", Action: directory.ActionSeed, After: &seeded},
		{Who: "alice", Service: "police-online", Action: directory.ActionPut, Before: &seeded, After: &edited},
		{Who: "bob", Service: "police-online", Action: directory.ActionDelete, Before: &edited},
	}
	if len(got) != len(want) {
		t.Fatalf("History = %d entries %+v, want %d", len(got), got, len(want))
	}
	for i := range got {
		if i > 0 && got[i].Seq <= got[i-1].Seq {
			t.Errorf("entry %d: Seq %d after %d, want increasing", i, got[i].Seq, got[i-1].Seq)
		}
		if got[i].At.IsZero() {
			t.Errorf("entry %d: At is zero", i)
		}
		g := got[i]
		g.Seq, g.At = 0, want[i].At
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("entry %d = %+v, want %+v", i, g, want[i])
		}
	}

	got, err = s.History(ctx, "police-online-welsh")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Action != directory.ActionPut || got[0].Before != nil || !reflect.DeepEqual(got[0].After, &added) {
		t.Errorf("History of an added service = %+v, want one put with no before", got)
	}
	if got, err := s.History(ctx, "never-existed"); err != nil || len(got) != 0 {
		t.Errorf("History of an unknown id = %v, %v; want none, nil", got, err)
	}
}

func TestDirectorySnapshots(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), nil)
	old := s.Directory()
	oldCopy := old.Clone()

	svc, err := old.Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	svc = svc.Clone()
	svc.Name = "Multi-Agency Safeguarding Hub (MASH)"
	if err := s.PutService(ctx, "alice", svc); err != nil {
		t.Fatal(err)
	}
	svc.Name = "changed by the caller after PutService"
	svc.Contacts[0].Value = "999"

	if !sameDirectory(old, oldCopy) {
		t.Error("an edit changed a snapshot a caller was holding")
	}
	got, err := s.Directory().Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := got.Name, "Multi-Agency Safeguarding Hub (MASH)"; got != want {
		t.Errorf("snapshot name = %q, want %q", got, want)
	}
	oldMash, err := oldCopy.Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := got.Contacts[0].Value, oldMash.Contacts[0].Value; got != want {
		t.Errorf("snapshot phone = %q, want %q (the caller's later change must not leak in)", got, want)
	}
}

// TestRecordRefusalLimits: at most directory.RefusalsPerService refusals per person
// and service, and directory.RefusalsPerPerson per person, are written in any
// directory.RefusalWindow; the rest are not written and reported as such. Times are
// given, a day after the seed so that its entries are outside every
// window.
func TestRecordRefusalLimits(t *testing.T) {
	t0 := time.Now().UTC().Add(24 * time.Hour)
	type attempt struct {
		after   time.Duration
		who, id string
		want    bool // written
	}
	var tenServices []attempt
	for i := range directory.RefusalsPerPerson {
		tenServices = append(tenServices, attempt{time.Duration(i) * time.Second, "U1", fmt.Sprintf("svc-%d", i), true})
	}
	tests := []struct {
		name     string
		attempts []attempt
	}{
		{"three per person and service, then none within the hour", []attempt{
			{0, "U1", "mash", true},
			{time.Second, "U1", "mash", true},
			{time.Minute, "U1", "mash", true},
			{2 * time.Minute, "U1", "mash", false},
			{59 * time.Minute, "U1", "mash", false},
			{30 * time.Minute, "U2", "mash", true}, // another person
			{31 * time.Minute, "U1", "samaritans", true},
		}},
		{"written again once the first leaves the window", []attempt{
			{0, "U1", "mash", true},
			{time.Second, "U1", "mash", true},
			{time.Minute, "U1", "mash", true},
			{time.Hour - time.Millisecond, "U1", "mash", false},
			{time.Hour, "U1", "mash", true}, // the first is an hour old: out
			{time.Hour + time.Millisecond, "U1", "mash", false},
		}},
		{"ten per person over all services", append(tenServices,
			attempt{time.Minute, "U1", "mash", false},
			attempt{time.Minute, "U2", "mash", true},
			attempt{time.Hour + time.Second, "U1", "mash", true},
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, testPath(t), nil)
			ctx := context.Background()
			before, err := s.History(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			written := 0
			for i, a := range tt.attempts {
				got, err := s.recordRefusal(directory.AuditEntry{Who: a.who, At: t0.Add(a.after), Service: a.id, Action: directory.ActionRefused, Note: "edit"})
				if err != nil {
					t.Fatalf("attempt %d: %v", i, err)
				}
				if got != a.want {
					t.Errorf("attempt %d (%s on %s at +%v): written %v, want %v", i, a.who, a.id, a.after, got, a.want)
				}
				if a.want {
					written++
				}
			}
			after, err := s.History(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := len(after) - len(before); got != written {
				t.Errorf("%d audit entries added, want %d", got, written)
			}
		})
	}
}

// TestRecordRefusalCountsOnlyRefusals: changes by the same person, and
// refusals outside the window, do not count towards the limit.
func TestRecordRefusalCountsOnlyRefusals(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, testPath(t), nil)
	svc, err := s.Directory().Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 * directory.RefusalsPerService {
		if err := s.PutService(ctx, "U1", svc.Clone()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range directory.RefusalsPerService {
		got, err := s.RecordRefusal(ctx, "U1", "mash", "edit")
		if err != nil || !got {
			t.Errorf("refusal %d: written %v, err %v; want written", i, got, err)
		}
	}
	if got, err := s.RecordRefusal(ctx, "U1", "mash", "edit"); err != nil || got {
		t.Errorf("refusal over the limit: written %v, err %v; want not written, no error", got, err)
	}
}

// TestRecordRefusalDamagedEntry: a damaged audit entry among the recent
// ones gives ErrDamaged, never a panic.
func TestRecordRefusalDamagedEntry(t *testing.T) {
	path := seededFile(t)
	putRaw(t, path, bucketAudit, putUint64(9000), []byte(`{"seq":9000,"who":`))
	s := openStore(t, path, nil)
	got, err := s.RecordRefusal(context.Background(), "U1", "mash", "edit")
	if !errors.Is(err, ErrDamaged) || got {
		t.Errorf("RecordRefusal: written %v, err %v; want ErrDamaged", got, err)
	}
}
