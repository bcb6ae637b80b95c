package directory

import (
	"encoding/json"
	"slices"
	"strings"
)

// Import outcomes, the values of ImportResult.Outcome.
const (
	ImportAdded     = "added"
	ImportChanged   = "changed"
	ImportUnchanged = "unchanged"
)

// ImportResult says what an import did with one service of the file.
type ImportResult struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"` // ImportAdded, ImportChanged or ImportUnchanged
}

// Merge is the import rule: it merges in into d on behalf of who and says
// what it did. A service of in with a new id is added, one with a known id
// replaces it (unless it is the same), and services not in in are kept.
// If in has a partnership name, the partnership is replaced; if it has
// bank holidays, the calendar is; if it has routes, the routes, menu and
// places are. d's services end sorted by id. It returns one result per
// service of in, in order, and the audit entries of the changes (without
// Seq and At, which the store sets). It does not validate, and in is not
// retained. d must not be a shared snapshot (Clone it first); Prepare it
// again afterwards.
func (d *Directory) Merge(who string, in *Directory) ([]ImportResult, []AuditEntry) {
	var results []ImportResult
	var entries []AuditEntry
	for _, svc := range in.Services {
		svc = svc.Clone()
		i := slices.IndexFunc(d.Services, func(x Service) bool { return x.ID == svc.ID })
		switch {
		case i < 0:
			d.Services = append(d.Services, svc)
			results = append(results, ImportResult{svc.ID, ImportAdded})
			entries = append(entries, AuditEntry{Who: who, Service: svc.ID, Action: ActionPut, Note: "import", After: &svc})
		case SameService(d.Services[i], svc):
			results = append(results, ImportResult{svc.ID, ImportUnchanged})
		default:
			before := d.Services[i]
			d.Services[i] = svc
			results = append(results, ImportResult{svc.ID, ImportChanged})
			entries = append(entries, AuditEntry{Who: who, Service: svc.ID, Action: ActionPut, Note: "import", Before: &before, After: &svc})
		}
	}
	if in.Partnership.Name != "" && !sameJSON(in.Partnership, d.Partnership) {
		d.Partnership = in.Partnership.Clone()
		entries = append(entries, AuditEntry{Who: who, Action: ActionPut, Note: "import: partnership"})
	}
	if in.BankHolidays != nil && !slices.Equal(in.BankHolidays, d.BankHolidays) {
		d.BankHolidays = slices.Clone(in.BankHolidays)
		entries = append(entries, AuditEntry{Who: who, Action: ActionPut, Note: "import: bank holidays"})
	}
	if in.Routes != nil && !(sameJSON(in.Routes, d.Routes) && sameJSON(in.Menu, d.Menu) && sameJSON(in.PlaceNames, d.PlaceNames)) {
		c := in.Clone() // the caller keeps its document
		d.Routes, d.Menu, d.PlaceNames = c.Routes, c.Menu, c.PlaceNames
		entries = append(entries, AuditEntry{Who: who, Action: ActionPut, Note: "import: routes"})
	}
	d.sortServices()
	return results, entries
}

// SameService reports whether a and b are the same as stored (their JSON
// forms are equal), translations included.
func SameService(a, b Service) bool { return sameJSON(a, b) }

// sameJSON reports whether a and b are the same as stored: their JSON
// forms are equal, so an empty list or map and a missing one are the same.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// Put adds svc to d (in id order, if d's services are sorted), or
// replaces the service with its id, and returns the audit entry of the change
// (without Seq and At). svc is copied. It does not validate. d must not be
// a shared snapshot; Prepare it again afterwards.
func (d *Directory) Put(who string, svc Service) AuditEntry {
	svc = svc.Clone()
	e := AuditEntry{Who: who, Service: svc.ID, Action: ActionPut, After: &svc}
	if i := slices.IndexFunc(d.Services, func(x Service) bool { return x.ID == svc.ID }); i >= 0 {
		before := d.Services[i]
		e.Before = &before
		d.Services[i] = svc
		return e
	}
	i, _ := slices.BinarySearchFunc(d.Services, svc.ID, func(x Service, id string) int {
		return strings.Compare(x.ID, id)
	})
	d.Services = slices.Insert(d.Services, i, svc)
	return e
}

// Delete removes the service with the given id from d and returns the
// audit entry of the change (without Seq and At), or ErrNotFound. It does
// not validate. d must not be a shared snapshot; Prepare it again
// afterwards.
func (d *Directory) Delete(who, id string) (AuditEntry, error) {
	i := slices.IndexFunc(d.Services, func(x Service) bool { return x.ID == id })
	if i < 0 {
		return AuditEntry{}, ErrNotFound
	}
	before := d.Services[i]
	d.Services = slices.Delete(d.Services, i, i+1)
	return AuditEntry{Who: who, Service: id, Action: ActionDelete, Before: &before}, nil
}

// sortServices sorts d's services by id, as stores keep them.
func (d *Directory) sortServices() {
	slices.SortFunc(d.Services, func(a, b Service) int { return strings.Compare(a.ID, b.ID) })
}
