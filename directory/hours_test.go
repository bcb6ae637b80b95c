package directory_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
)

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// TestHoursAt covers the clock changes, midnight, bank holidays and dated
// exceptions, with the reason given for each answer.
func TestHoursAt(t *testing.T) {
	d := mustDefault(t)
	mash, err := d.Service("mash")
	if err != nil {
		t.Fatal(err)
	}
	withExceptions := mash.Clone()
	withExceptions.Hours.Exceptions = []directory.Exception{
		{Date: "2026-12-24", Opens: "09:00", Closes: "13:00", Note: "Christmas Eve"},
		{Date: "2026-11-26", Closed: true, Note: "staff training"},
	}
	d2 := d.Clone()
	for i := range d2.Services {
		if d2.Services[i].ID == "mash" {
			d2.Services[i] = withExceptions
		}
	}
	d2.Prepare()
	withExceptions, _ = d2.Service("mash")
	openOnHolidays := mash.Clone()
	openOnHolidays.Hours.BankHolidays = directory.BankHolidaysOpen

	tests := []struct {
		name    string
		svc     directory.Service
		at      string
		wantIn  bool
		wantWhy string
		want    []string // the phone numbers to give, in order
	}{
		{"spring forward: Monday 30 March 2026 08:30Z is 09:30 BST", mash, "2026-03-30T08:30:00Z", true, "weekly hours", []string{"01582 547 653"}},
		{"the Sunday of the spring change at 01:30Z is 02:30 BST, closed", mash, "2026-03-29T01:30:00Z", false, "outside weekly hours", []string{"0300 300 8123"}},
		{"autumn back: Monday 26 October 2026 08:30Z is 08:30 GMT", mash, "2026-10-26T08:30:00Z", false, "outside weekly hours", []string{"0300 300 8123"}},
		{"autumn back: 09:00Z is 09:00 GMT, open", mash, "2026-10-26T09:00:00Z", true, "weekly hours", []string{"01582 547 653"}},
		{"one minute before midnight on Friday", mash, "2026-11-27T23:59:00Z", false, "outside weekly hours", []string{"0300 300 8123"}},
		{"midnight into Monday", mash, "2026-11-30T00:00:00Z", false, "outside weekly hours", []string{"0300 300 8123"}},
		{"Christmas Day 2026, a Friday, at 10:00", mash, "2026-12-25T10:00:00Z", false, "bank holiday (Christmas Day)", []string{"0300 300 8123"}},
		{"Boxing Day substitute, Monday 28 December 2026", mash, "2026-12-28T11:00:00Z", false, "bank holiday (Boxing Day (substitute day))", []string{"0300 300 8123"}},
		{"Easter Monday 2026 in summer time", mash, "2026-04-06T10:00:00Z", false, "bank holiday (Easter Monday)", []string{"0300 300 8123"}},
		{"a service open on bank holidays keeps its weekly hours", openOnHolidays, "2026-12-25T10:00:00Z", true, "weekly hours", []string{"01582 547 653"}},
		{"Christmas Eve exception: open in the morning", withExceptions, "2026-12-24T11:59:00Z", true, "exception on 2026-12-24 (Christmas Eve): open 09:00-13:00", []string{"01582 547 653"}},
		{"Christmas Eve exception: last hour gives the out-of-hours number too", withExceptions, "2026-12-24T12:00:00Z", true, "exception on 2026-12-24 (Christmas Eve): open 09:00-13:00; closes within the hour, at 13:00", []string{"01582 547 653", "0300 300 8123"}},
		{"Christmas Eve exception: last minute", withExceptions, "2026-12-24T12:59:00Z", true, "exception on 2026-12-24 (Christmas Eve): open 09:00-13:00; closes within the hour, at 13:00", []string{"01582 547 653", "0300 300 8123"}},
		{"Christmas Eve exception: closed from 13:00", withExceptions, "2026-12-24T13:00:00Z", false, "exception on 2026-12-24 (Christmas Eve): open 09:00-13:00", []string{"0300 300 8123"}},
		{"a closed day on a Thursday", withExceptions, "2026-11-26T11:00:00Z", false, "exception on 2026-11-26 (staff training): closed all day", []string{"0300 300 8123"}},
		{"the day after the closed day is normal", withExceptions, "2026-11-27T11:00:00Z", true, "weekly hours", []string{"01582 547 653"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := mustTime(t, tt.at)
			in, why := tt.svc.HoursAt(at)
			if in != tt.wantIn || !strings.HasPrefix(why, tt.wantWhy) {
				t.Errorf("HoursAt(%s) = %v, %q; want %v, %q...", tt.at, in, why, tt.wantIn, tt.wantWhy)
			}
			var phones []string
			for _, c := range tt.svc.ContactsAt(at) {
				if c.Kind == directory.KindPhone {
					phones = append(phones, c.Value)
				}
			}
			if !slices.Equal(phones, tt.want) {
				t.Errorf("phones at %s = %q, want %q", tt.at, phones, tt.want)
			}
		})
	}
}

func TestBankHolidaysValidate(t *testing.T) {
	d := mustDefault(t)
	d.BankHolidays = []directory.Holiday{
		{Date: "2026-12-25", Name: "Christmas Day"},
		{Date: "2026-13-01", Name: "x"},
		{Date: "2026-12-25", Name: "again"},
	}
	err := d.Validate()
	if err == nil || !strings.Contains(err.Error(), `"2026-13-01" is not a date`) || !strings.Contains(err.Error(), `"2026-12-25" is also bank_holidays`) {
		t.Errorf("Validate = %v", err)
	}
}

func TestPostcodeDistrict(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"LU1", "LU1", true},
		{"lu1 3ab", "LU1", true},
		{"LU13AB", "LU1", true},
		{" Lu2  7xx ", "LU2", true},
		{"MK40", "MK40", true},
		{"SW1A 1AA", "SW1A", true},
		{"sw1a1aa", "SW1A", true},
		{"EC1A", "EC1A", true},
		{"", "", false},
		{"LU", "", false},
		{"my house", "", false},
		{"12345", "", false},
		{"LU1 3ABC", "", false},
		{"L", "", false},
		{"<b>LU1</b>", "", false},
		{"\xffLU1", "", false},
	}
	for _, tt := range tests {
		got, err := directory.PostcodeDistrict(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("PostcodeDistrict(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestServesAndStatus(t *testing.T) {
	d := mustDefault(t)
	council, _ := d.Service("council-environmental")
	police, _ := d.Service("police-non-emergency")
	tests := []struct {
		svc      directory.Service
		district string
		want     bool
	}{
		{council, "LU1", true},
		{council, "LU4", true},
		{council, "LU5", false},
		{council, "MK40", false},
		{council, "", true},
		{police, "SW1A", true},
	}
	for _, tt := range tests {
		if got := tt.svc.Serves(tt.district); got != tt.want {
			t.Errorf("%s.Serves(%q) = %v, want %v", tt.svc.ID, tt.district, got, tt.want)
		}
	}
	for _, st := range []directory.Status{"", directory.StatusActive} {
		if s := (directory.Service{Status: st}); !s.Active() {
			t.Errorf("status %q: Active() = false", st)
		}
	}
	for _, st := range []directory.Status{directory.StatusInactive, directory.StatusTemporarilyClosed} {
		if s := (directory.Service{Status: st}); s.Active() {
			t.Errorf("status %q: Active() = true", st)
		}
	}
	bad := council.Clone()
	bad.Status = "closed forever"
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("Validate with a bad status = %v", err)
	}
}

// BenchmarkContactsNow is "which number now" for a service with opening
// hours, bank holidays and exceptions.
func BenchmarkContactsNow(b *testing.B) {
	d := mustDefault(b)
	mash, _ := d.Service("mash")
	at := mustTime(b, "2026-11-25T21:30:00Z")
	b.ReportAllocs()
	for b.Loop() {
		mash.ContactsAt(at)
	}
}

// BenchmarkContactsLastHour is the costliest "which number now": a
// weekday in December (bank holidays to work out) in the last hour before
// closing, so the out-of-hours numbers are added.
func BenchmarkContactsLastHour(b *testing.B) {
	d := mustDefault(b)
	mash, _ := d.Service("mash")
	at := mustTime(b, "2026-12-23T16:30:00Z")
	if got := len(mash.ContactsAt(at)); got != 3 {
		b.Fatalf("ContactsAt gave %d contacts, want 3", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		mash.ContactsAt(at)
	}
}

// generated returns a valid directory of n services (the default's, then
// copies of the MASH entry under new ids with keywords of their own).
func generated(tb testing.TB, n int) *directory.Directory {
	tb.Helper()
	d := mustDefault(tb)
	base, _ := d.Service("mash")
	for i := len(d.Services); i < n; i++ {
		s := base.Clone()
		s.ID = fmt.Sprintf("service-%05d", i)
		s.Name = fmt.Sprintf("Community service %d", i)
		s.Keywords = []string{fmt.Sprintf("topic%d", i%500), "community", "advice"}
		s.Routes = []directory.RouteRef{{Route: directory.Route("safeguarding"), Order: 10 + i}}
		d.Services = append(d.Services, s)
	}
	d.Prepare()
	return d
}

func BenchmarkSearch10000(b *testing.B) {
	d := generated(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		d.Search("topic123 advice")
	}
}

func BenchmarkValidate10000(b *testing.B) {
	d := generated(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if err := d.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSearchLargeDirectory(t *testing.T) {
	d := generated(t, 10000)
	got := d.Search("topic123 advice")
	if len(got) != 50 {
		t.Fatalf("Search returned %d services, want the best 50", len(got))
	}
	// 20 services have topic123 (every 500th); they score highest, in
	// directory order.
	prev := ""
	for i, s := range got[:20] {
		if !slices.Contains(s.Keywords, "topic123") {
			t.Fatalf("result %d is %s without topic123", i, s.ID)
		}
		if s.ID < prev {
			t.Errorf("ties not in directory order: %s after %s", s.ID, prev)
		}
		prev = s.ID
	}
	if slices.Contains(got[20].Keywords, "topic123") {
		t.Error("more than 20 topic123 services")
	}
	if got := d.Search("mash"); len(got) == 0 || got[0].ID != "mash" {
		t.Errorf("exact id not first: %v", got)
	}
}
