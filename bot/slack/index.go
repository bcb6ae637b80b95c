package slack

import "github.com/whereto-bot/whereto/directory"

// index is the directory snapshot a request answers from, with the
// directory's look-up index (directory.Index, built once per snapshot by
// the store's Prepare): the same words, scores and contact keys as the
// resident's "Find a contact", plus prefix matching.
type index struct {
	dir *directory.Directory
	ix  *directory.Index
}

// newIndex returns the index of snapshot d.
func newIndex(d *directory.Directory) *index { return &index{dir: d, ix: d.Index()} }

// service returns the service with the given id.
func (x *index) service(id string) (directory.Service, bool) { return x.ix.Service(id) }

// maxShown is how many services an answer shows: one card and a short list.
const maxShown = maxOthers + 1
