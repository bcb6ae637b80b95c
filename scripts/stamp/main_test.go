package main

import "testing"

func TestStamp(t *testing.T) {
	hashes := map[string]string{"menu": "sha1-a", "forget.session": "sha1-b", "old": "sha1-c"}
	tests := []struct {
		name, in, want string
		again          map[string]bool
		n              int
	}{
		{"adds a missing hash after the header",
			"# c\n[menu]\ndescription = \"UNREVIEWED\"\nother = \"x\"\n\n[forget.session]\nother = \"y\"\n",
			"# c\n[menu]\nhash = \"sha1-a\"\ndescription = \"UNREVIEWED\"\nother = \"x\"\n\n[forget.session]\nhash = \"sha1-b\"\nother = \"y\"\n",
			nil, 2},
		{"keeps a hash, even an old one",
			"[old]\nhash = \"sha1-zzz\"\nother = \"x\"\n",
			"[old]\nhash = \"sha1-zzz\"\nother = \"x\"\n",
			nil, 0},
		{"stamps again when asked",
			"[old]\nhash = \"sha1-zzz\"\nother = \"x\"\n",
			"[old]\nhash = \"sha1-c\"\nother = \"x\"\n",
			map[string]bool{"old": true}, 1},
		{"leaves keys English lacks",
			"[gone]\nother = \"x\"\n",
			"[gone]\nother = \"x\"\n",
			nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n, err := stamp(tt.in, hashes, tt.again)
			if err != nil || got != tt.want || n != tt.n {
				t.Errorf("stamp = %q, %d, %v; want %q, %d", got, n, err, tt.want, tt.n)
			}
		})
	}
}

func TestRunRefusesEnglish(t *testing.T) {
	for _, code := range []string{"", "en", "../x", "a/b"} {
		if err := run(t.TempDir(), code, ""); err == nil {
			t.Errorf("run(%q) = nil, want an error", code)
		}
	}
}
