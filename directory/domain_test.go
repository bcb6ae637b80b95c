package directory

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// Every field of a service and of its hours is compared by ChangedFields:
// a field added to Service without a Field constant fails here.
func TestChangedFieldsCoversEveryField(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := d.Service("mash")
	base = base.Clone()
	st := reflect.TypeOf(Service{})
	for i := range st.NumField() {
		f := st.Field(i)
		after := base.Clone()
		v := reflect.ValueOf(&after).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), v.Len()+1, v.Len()+1))
		case reflect.Bool: // Interpreters
			v.SetBool(!v.Bool())
		case reflect.Map: // Translations
			v.Set(reflect.MakeMap(v.Type()))
			v.SetMapIndex(reflect.ValueOf("pl"), reflect.New(v.Type().Elem()).Elem())
		case reflect.Pointer: // Hours
			h := *after.Hours
			h.Note += "x"
			after.Hours = &h
		default:
			t.Fatalf("field %s of kind %s: extend this test", f.Name, v.Kind())
		}
		if got := ChangedFields(&base, &after); len(got) == 0 {
			t.Errorf("a change of %s is not seen", f.Name)
		}
	}
	ht := reflect.TypeOf(Schedule{})
	if n := ht.NumField(); n != 5 { // Weekly, BankHolidays, Exceptions, Note, holidays
		t.Errorf("Schedule has %d fields: give a new one a Field constant", n)
	}
}

func TestChangedFields(t *testing.T) {
	a := Service{ID: "x", Status: "", Keywords: nil}
	b := Service{ID: "x", Status: StatusActive, Keywords: []string{}}
	if got := ChangedFields(&a, &b); len(got) != 0 {
		t.Errorf("empty and active status, nil and empty keywords: %v, want none", got)
	}
	b.Status, b.Review = StatusTemporarilyClosed, "check"
	if got, want := ChangedFields(&a, &b), []string{FieldStatus, FieldReview}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if ChangedFields(nil, &b) != nil {
		t.Error("an addition has changed fields")
	}
}

// The one stale rule: never verified, verified too long ago, or marked
// for review; in that order.
func TestStale(t *testing.T) {
	now := time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC) // 1 July in London
	d := &Directory{Services: []Service{
		{ID: "fresh", Verified: "2026-06-01"},
		{ID: "old", Verified: "2025-01-02"},
		{ID: "older", Verified: "2024-01-02"},
		{ID: "never"},
		{ID: "review", Verified: "2026-06-01", Review: "confirm the number"},
		{ID: "edge", Verified: "2026-01-02"}, // 180 days before 1 July
	}}
	var got []string
	for _, s := range d.Stale(now, StaleAfterDays) {
		got = append(got, s.ID)
	}
	if want := []string{"never", "older", "old", "review"}; !slices.Equal(got, want) {
		t.Errorf("Stale = %v, want %v", got, want)
	}
	if c := StaleCutoff(now, StaleAfterDays); c != "2026-01-02" {
		t.Errorf("cutoff %s, want the UK date 180 days before", c)
	}
}

// The import rule, as a check before an import sees it.
func TestMerge(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := d.Clone()
	mash, _ := d.Service("mash")
	mash = mash.Clone()
	mash.Alert = "new"
	extra := mash.Clone()
	extra.ID = "aaa-first"
	res, entries := m.Merge("me", &Directory{Services: []Service{mash, extra}, Partnership: Partnership{Name: "Other"}})
	if want := []ImportResult{{"mash", ImportChanged}, {"aaa-first", ImportAdded}}; !slices.Equal(res, want) {
		t.Errorf("results %v, want %v", res, want)
	}
	if len(entries) != 3 || entries[2].Note != "import: partnership" || m.Partnership.Name != "Other" {
		t.Errorf("entries %+v, partnership %q", entries, m.Partnership.Name)
	}
	if m.Services[0].ID != "aaa-first" {
		t.Error("merged services are not in id order")
	}
	if s, _ := d.Service("mash"); s.Alert == "new" {
		t.Error("Merge changed the directory it was cloned from")
	}
}
