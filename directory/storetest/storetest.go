// Package storetest is the contract test suite of directory.Store. Every
// implementation runs it from its own tests:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, seed *directory.Directory) directory.Store { ... })
//	}
//
// directory/bolt and directory/memory do; a store that passes can stand in
// for either behind the interfaces of package directory.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/whereto-bot/whereto/directory"
)

// Open returns a new, empty store holding seed (a valid directory), to be
// closed by the test or, if it is not, by the function's own cleanup.
type Open func(t *testing.T, seed *directory.Directory) directory.Store

// Run runs the contract tests, each as a subtest with a store of its own.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(t *testing.T, st directory.Store)
	}{
		{"SeedIsTheDirectory", seedIsTheDirectory},
		{"PutServiceIsAudited", putServiceIsAudited},
		{"InvalidChangeChangesNothing", invalidChangeChangesNothing},
		{"DeleteService", deleteService},
		{"ImportMerges", importMerges},
		{"TranslationsRoundTrip", translationsRoundTrip},
		{"RefusalsAreLimited", refusalsAreLimited},
		{"StatsCountAndSort", statsCountAndSort},
		{"ClosedStoreRefuses", closedStoreRefuses},
		{"ConcurrentChanges", concurrentChanges},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed, err := directory.Default()
			if err != nil {
				t.Fatal(err)
			}
			tt.run(t, open(t, seed))
		})
	}
}

var ctx = context.Background()

func service(t *testing.T, st directory.Store, id string) directory.Service {
	t.Helper()
	s, err := st.Directory().Service(id)
	if err != nil {
		t.Fatalf("service %q: %v", id, err)
	}
	return s.Clone()
}

func history(t *testing.T, st directory.Store, id string) []directory.AuditEntry {
	t.Helper()
	h, err := st.History(ctx, id)
	if err != nil {
		t.Fatalf("History(%q): %v", id, err)
	}
	return h
}

func seedIsTheDirectory(t *testing.T, st directory.Store) {
	def, _ := directory.Default()
	d := st.Directory()
	if got, want := len(d.Services), len(def.Services); got != want {
		t.Fatalf("%d services, want the seed's %d", got, want)
	}
	if !slices.IsSortedFunc(d.Services, func(a, b directory.Service) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("services are not in id order")
	}
	if got := d.Search("mash"); len(got) == 0 || got[0].ID != "mash" {
		t.Errorf("the snapshot is not prepared for search: %v", got)
	}
	h := history(t, st, "mash")
	if len(h) != 1 || h[0].Action != directory.ActionSeed || h[0].After == nil || h[0].Seq == 0 {
		t.Errorf("seed history of mash = %+v, want one seed entry", h)
	}
	if h := history(t, st, "no-such-service"); len(h) != 0 {
		t.Errorf("history of an unknown id = %+v, want none", h)
	}
}

func putServiceIsAudited(t *testing.T, st directory.Store) {
	before := st.Directory()
	svc := service(t, st, "mash")
	svc.Alert = "Phones are down today."
	svc.Status = directory.StatusTemporarilyClosed
	if err := st.PutService(ctx, "U1", svc); err != nil {
		t.Fatal(err)
	}
	after := st.Directory()
	if after == before {
		t.Error("the snapshot was changed in place, not replaced")
	}
	if got := service(t, st, "mash"); got.Alert != svc.Alert || got.Status != svc.Status {
		t.Errorf("saved %q %q", got.Status, got.Alert)
	}
	if s, _ := before.Service("mash"); s.Alert != "" {
		t.Error("the old snapshot changed")
	}
	h := history(t, st, "mash")
	e := h[len(h)-1]
	if e.Action != directory.ActionPut || e.Who != "U1" || e.Before == nil || e.After == nil || e.At.IsZero() || e.Seq <= h[0].Seq {
		t.Fatalf("audit entry %+v", e)
	}
	if got, want := directory.ChangedFields(e.Before, e.After), []string{directory.FieldStatus, directory.FieldAlert}; !slices.Equal(got, want) {
		t.Errorf("changed fields %v, want %v", got, want)
	}
	added := directory.Service{ID: "new-service", Name: "New", Source: "test",
		Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "101"}},
		Routes:   []directory.RouteRef{{Route: "report-crime", Order: 9}}}
	if err := st.PutService(ctx, "U1", added); err != nil {
		t.Fatal(err)
	}
	if h := history(t, st, "new-service"); len(h) != 1 || h[0].Before != nil || h[0].After.ID != "new-service" {
		t.Errorf("history of an added service %+v", h)
	}
}

func invalidChangeChangesNothing(t *testing.T, st directory.Store) {
	before := st.Directory()
	n := len(history(t, st, ""))
	svc := service(t, st, "mash")
	svc.Contacts[0].Value = "01582 51O 330"
	err := st.PutService(ctx, "U1", svc)
	var verr *directory.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("PutService(invalid) = %v, want a *directory.ValidationError", err)
	}
	if st.Directory() != before {
		t.Error("a refused change replaced the snapshot")
	}
	if got := len(history(t, st, "")); got != n {
		t.Errorf("a refused change was audited: %d entries, want %d", got, n)
	}
}

func deleteService(t *testing.T, st directory.Store) {
	if err := st.DeleteService(ctx, "U1", "no-such-service"); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("DeleteService(unknown) = %v, want ErrNotFound", err)
	}
	// The emergency route's only services cannot all go.
	var verr *directory.ValidationError
	for s := range st.Directory().Index().Active(directory.RouteEmergency) {
		if err := st.DeleteService(ctx, "U1", s.ID); err != nil {
			if !errors.As(err, &verr) {
				t.Fatalf("DeleteService(%s) = %v, want nil or a *directory.ValidationError", s.ID, err)
			}
			break
		}
	}
	if verr == nil {
		t.Error("every emergency service could be deleted")
	}
	id := "crimestoppers"
	if err := st.DeleteService(ctx, "U2", id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Directory().Service(id); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("deleted service still there: %v", err)
	}
	h := history(t, st, id)
	if e := h[len(h)-1]; e.Action != directory.ActionDelete || e.Who != "U2" || e.Before == nil || e.After != nil {
		t.Errorf("audit entry %+v", e)
	}
}

func importMerges(t *testing.T, st directory.Store) {
	in := &directory.Directory{}
	changed := service(t, st, "mash")
	changed.Alert = "changed by import"
	same := service(t, st, "police-non-emergency")
	added := service(t, st, "police-non-emergency")
	added.ID = "police-101-copy"
	in.Services = []directory.Service{changed, same, added}
	got, err := st.Import(ctx, "cli:test", in)
	if err != nil {
		t.Fatal(err)
	}
	want := []directory.ImportResult{{ID: "mash", Outcome: directory.ImportChanged}, {ID: "police-non-emergency", Outcome: directory.ImportUnchanged}, {ID: "police-101-copy", Outcome: directory.ImportAdded}}
	if !slices.Equal(got, want) {
		t.Errorf("Import = %v, want %v", got, want)
	}
	if s := service(t, st, "mash"); s.Alert != "changed by import" {
		t.Errorf("not imported: %+v", s)
	}
	if h := history(t, st, "police-non-emergency"); len(h) != 1 {
		t.Errorf("an unchanged service was audited: %+v", h)
	}
	h := history(t, st, "mash")
	if e := h[len(h)-1]; e.Note != "import" || e.Who != "cli:test" || e.Before == nil {
		t.Errorf("import audit %+v", e)
	}
	// The merge rule is the directory's: a check before importing sees
	// what the import made.
	bad := service(t, st, "mash")
	bad.Routes = []directory.RouteRef{{Route: "no-such-route", Order: 1}}
	before := st.Directory()
	if _, err := st.Import(ctx, "cli:test", &directory.Directory{Services: []directory.Service{bad}}); err == nil {
		t.Error("an import that leaves the directory invalid was accepted")
	}
	if st.Directory() != before {
		t.Error("a refused import replaced the snapshot")
	}
}

func refusalsAreLimited(t *testing.T, st directory.Store) {
	before := st.Directory()
	var wrote int
	for range directory.RefusalsPerService + 2 {
		ok, err := st.RecordRefusal(ctx, "U9", "mash", "edit")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			wrote++
		}
	}
	if wrote != directory.RefusalsPerService {
		t.Errorf("wrote %d refusals on one service, want %d", wrote, directory.RefusalsPerService)
	}
	if ok, err := st.RecordRefusal(ctx, "U8", "mash", "edit"); err != nil || !ok {
		t.Errorf("another person's refusal: %v, %v", ok, err)
	}
	h := history(t, st, "mash")
	if e := h[len(h)-1]; e.Action != directory.ActionRefused || e.Note != "edit" || e.Before != nil || e.After != nil || e.Undoable() {
		t.Errorf("refusal entry %+v", e)
	}
	if st.Directory() != before {
		t.Error("a refusal changed the directory")
	}
}

func statsCountAndSort(t *testing.T, st directory.Store) {
	for _, c := range []struct {
		day, route string
		n          int
	}{{"2024-05-02", "safeguarding", 1}, {"2024-05-01", "emergency", 2}, {"2024-05-01", "environmental", 1}, {"2024-04-30", "fraud", 1}} {
		for range c.n {
			if err := st.CountRoute(ctx, c.day, c.route); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := st.Stats(ctx, "2024-05-01", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []directory.StatRow{{Day: "2024-05-01", Route: "emergency", Count: 2}, {Day: "2024-05-01", Route: "environmental", Count: 1}, {Day: "2024-05-02", Route: "safeguarding", Count: 1}}
	if !slices.Equal(rows, want) {
		t.Errorf("Stats = %v, want %v", rows, want)
	}
	if rows, _ := st.Stats(ctx, "", "2024-04-30"); len(rows) != 1 || rows[0].Route != "fraud" {
		t.Errorf("Stats up to a day = %v", rows)
	}
	for _, bad := range []string{"2024-13-01", "yesterday"} {
		if err := st.CountRoute(ctx, bad, "fraud"); err == nil {
			t.Errorf("CountRoute(%q) accepted", bad)
		}
		if _, err := st.Stats(ctx, bad, ""); err == nil {
			t.Errorf("Stats(%q) accepted", bad)
		}
	}
	if err := st.CountRoute(ctx, "2024-05-01", ""); err == nil {
		t.Error("CountRoute with no route accepted")
	}
}

func closedStoreRefuses(t *testing.T, st directory.Store) {
	d := st.Directory()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if st.Directory() != d {
		t.Error("Directory changed after Close")
	}
	svc, _ := d.Service("mash")
	for name, err := range map[string]error{
		"PutService":    st.PutService(ctx, "U1", svc),
		"DeleteService": st.DeleteService(ctx, "U1", "mash"),
		"History":       second(st.History(ctx, "mash")),
		"RecordRefusal": second(st.RecordRefusal(ctx, "U1", "mash", "edit")),
		"CountRoute":    st.CountRoute(ctx, "2024-05-01", "fraud"),
		"Stats":         second(st.Stats(ctx, "", "")),
		"Import":        second(st.Import(ctx, "U1", &directory.Directory{})),
	} {
		if !errors.Is(err, directory.ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
	if err := st.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func concurrentChanges(t *testing.T, st directory.Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			svc := directory.Service{ID: fmt.Sprintf("parallel-%d", i), Name: "Parallel", Source: "test",
				Contacts: []directory.Contact{{Kind: directory.KindPhone, Value: "101"}},
				Routes:   []directory.RouteRef{{Route: "report-crime", Order: 20 + i}}}
			errs <- st.PutService(ctx, "U1", svc)
			_ = st.Directory().Search("parallel")
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for i := range n {
		service(t, st, fmt.Sprintf("parallel-%d", i))
	}
	h := history(t, st, "")
	for i := 1; i < len(h); i++ {
		if h[i].Seq <= h[i-1].Seq {
			t.Fatalf("history out of order at %d: %d after %d", i, h[i].Seq, h[i-1].Seq)
		}
	}
}

// Translate gives d translations in several scripts (Latin with
// diacritics, Arabic, Gurmukhi, Bengali), some reviewed and some not: of
// the partnership, the menu group "report", the routes "emergency" and
// "report-crime", the services "police-non-emergency" and "mash", the
// label and note of the first contact of "police-emergency" (a note
// only, in one language) and the label of the second contact of "mash".
// d must hold those, with those contacts' English label and note (the
// default directory does); it stays valid. Every other translation of d
// is removed.
func Translate(d *directory.Directory) {
	// The fixture's translations only, whatever d had.
	d.Partnership.Translations = nil
	for i := range d.Menu {
		d.Menu[i].Translations = nil
	}
	for i := range d.Routes {
		d.Routes[i].Translations = nil
	}
	for i := range d.Services {
		d.Services[i].Translations = nil
		for j := range d.Services[i].Contacts {
			d.Services[i].Contacts[j].Translations = nil
		}
	}
	d.Partnership.Translations = map[string]directory.PartnershipWords{
		"pl": {About: []string{"whereto prowadzą ludzie, którzy dbają o bezpieczeństwo Luton.", "Powie ci, gdzie zgłosić sprawę lub szukać pomocy."}, Reviewed: true},
		"ur": {About: []string{"whereto کو وہ لوگ چلاتے ہیں جو لوٹن کو محفوظ رکھتے ہیں۔"}},
	}
	for i := range d.Menu {
		if d.Menu[i].ID == "report" {
			d.Menu[i].Translations = map[string]directory.GroupWords{
				"pl": {Label: "Zgłoś coś", Question: "Co chcesz zgłosić?"},
				"ro": {Label: "Raportează ceva", Question: "Ce vrei să raportezi?", Reviewed: true},
				"bn": {Label: "কিছু জানান"},
			}
		}
	}
	for i := range d.Routes {
		switch d.Routes[i].ID {
		case directory.RouteEmergency:
			d.Routes[i].Translations = map[string]directory.RouteWords{
				"pl": {Label: "Ktoś jest teraz w niebezpieczeństwie", Reviewed: true},
				"ur": {Label: "کوئی ابھی خطرے میں ہے"},
				"pa": {Label: "ਕੋਈ ਹੁਣ ਖ਼ਤਰੇ ਵਿੱਚ ਹੈ"},
			}
		case "report-crime":
			d.Routes[i].Translations = map[string]directory.RouteWords{
				"pl": {Label: "Przestępstwo lub zachowanie aspołeczne", Intro: "Aby zgłosić przestępstwo, które nie jest nagłym wypadkiem:", Reviewed: true},
				"ro": {Label: "O infracțiune sau comportament antisocial", Intro: "Pentru a raporta o infracțiune care nu este o urgență:"},
			}
		}
	}
	for i := range d.Services {
		switch d.Services[i].ID {
		case "police-non-emergency":
			d.Services[i].Translations = map[string]directory.ServiceWords{
				"pl": {Description: "Zadzwoń pod 101, aby zgłosić policji przestępstwo, które nie jest nagłym wypadkiem."},
				"bn": {Description: "জরুরি নয় এমন অপরাধের কথা পুলিশকে জানাতে 101-এ কল করুন।"},
				"pa": {Description: "ਜੋ ਅਪਰਾਧ ਐਮਰਜੈਂਸੀ ਨਹੀਂ ਹੈ, ਉਸ ਬਾਰੇ ਪੁਲਿਸ ਨੂੰ ਦੱਸਣ ਲਈ 101 'ਤੇ ਕਾਲ ਕਰੋ।", Reviewed: true},
			}
		case "mash":
			d.Services[i].Translations = map[string]directory.ServiceWords{
				"ur": {Description: "کونسل کی ٹیم جو خطرے میں بچوں اور بڑوں کی حفاظت کرتی ہے۔"},
			}
			d.Services[i].Contacts[1].Translations = map[string]directory.ContactWords{
				"bn": {Label: "অফিসের সময়ের পরে"},
			}
		case "police-emergency":
			d.Services[i].Contacts[0].Translations = map[string]directory.ContactWords{
				"pl": {Label: "Nagły wypadek", Note: "Jeśli nie możesz mówić, zadzwoń pod 999, słuchaj, a potem naciśnij 55.", Reviewed: true},
				"ur": {Note: "اگر آپ بول نہیں سکتے تو 999 پر کال کریں، سنیں، پھر 55 دبائیں۔"},
			}
		}
	}
}

// translationsRoundTrip: translations of every kind, in several scripts,
// come back as they went in, by import (partnership, menu, routes,
// services and their contacts) and by PutService; the change is named
// and audited, and the same import again changes nothing.
func translationsRoundTrip(t *testing.T, st directory.Store) {
	before := st.Directory()
	want := before.Clone()
	Translate(want)
	var imported []directory.Service
	var mash directory.Service
	for _, s := range want.Services {
		old, _ := before.Service(s.ID)
		switch {
		case s.ID == "mash":
			mash = s.Clone()
		case jsonOf(t, s) != jsonOf(t, old):
			imported = append(imported, s.Clone())
		}
	}
	in := &directory.Directory{Partnership: want.Partnership, Routes: want.Routes, Menu: want.Menu, PlaceNames: want.PlaceNames, Services: imported}
	got, err := st.Import(ctx, "cli:test", in)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := func(o string) []directory.ImportResult {
		var out []directory.ImportResult
		for _, s := range imported {
			out = append(out, directory.ImportResult{ID: s.ID, Outcome: o})
		}
		slices.SortFunc(out, func(a, b directory.ImportResult) int { return strings.Compare(a.ID, b.ID) })
		return out
	}
	if want := outcomes(directory.ImportChanged); !slices.Equal(got, want) {
		t.Errorf("Import = %v, want %v", got, want)
	}
	// After the import, so that a store that reloads what it wrote
	// shows the stored routes and partnership.
	if err := st.PutService(ctx, "U1", mash); err != nil {
		t.Fatal(err)
	}
	if got, want := jsonOf(t, st.Directory()), jsonOf(t, want); got != want {
		t.Errorf("the directory read back differs:\n got %s\nwant %s", got, want)
	}
	if got, want := st.Directory().UnreviewedTranslations(), want.UnreviewedTranslations(); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("UnreviewedTranslations = %v, want %v", got, want)
	}
	for _, id := range []string{"mash", "police-non-emergency", "police-emergency"} {
		h := history(t, st, id)
		e := h[len(h)-1]
		if got, want := directory.ChangedFields(e.Before, e.After), []string{directory.FieldTranslations}; !slices.Equal(got, want) {
			t.Errorf("%s: changed fields %v, want %v", id, got, want)
		}
		w, _ := want.Service(id)
		if got, want := jsonOf(t, e.After), jsonOf(t, w); got != want {
			t.Errorf("%s: audited %s, want %s", id, got, want)
		}
	}
	if s, _ := st.Directory().Service("police-emergency"); s.Contacts[0].NoteIn("ur") != "اگر آپ بول نہیں سکتے تو 999 پر کال کریں، سنیں، پھر 55 دبائیں۔" || s.Contacts[0].LabelIn("ur") != s.Contacts[0].Label {
		t.Errorf("police-emergency's first contact in ur: label %q, note %q", s.Contacts[0].LabelIn("ur"), s.Contacts[0].NoteIn("ur"))
	}
	n := len(history(t, st, ""))
	got, err = st.Import(ctx, "cli:test", in)
	if err != nil {
		t.Fatal(err)
	}
	if want := outcomes(directory.ImportUnchanged); !slices.Equal(got, want) {
		t.Errorf("the same import again = %v, want %v", got, want)
	}
	if got := len(history(t, st, "")); got != n {
		t.Errorf("the same import again wrote %d audit entries", got-n)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
