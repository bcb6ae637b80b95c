package memory_test

import (
	"testing"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/memory"
	"github.com/whereto-bot/whereto/directory/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, seed *directory.Directory) directory.Store {
		st, err := memory.New(seed)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return st
	})
}
