package bolt_test

import (
	"path/filepath"
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
	"github.com/whereto-bot/whereto/directory/storetest"
)

// The bbolt store keeps the directory's store contract, as the memory
// store does.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, seed *directory.Directory) directory.Store {
		st, err := bolt.Open(filepath.Join(t.TempDir(), "whereto.db"), &bolt.Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	})
}
