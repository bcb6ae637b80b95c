package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

const importPath = "github.com/whereto-bot/whereto/flows/lang"

// usedKeys finds every catalogue key the module's code uses: in each
// package that imports this one, the key argument of lang.T and lang.N,
// of the package's own tr and trn wrappers (tr(l, key), like lang.T), and
// of tr and trn methods (c.tr(key), whose receiver knows the language). A key must be a string
// literal, so that nothing can hide from these tests; a call with any
// other key is an error. plural maps each key to whether it was used as a
// plural message (N, trn).
func usedKeys(t *testing.T) (plural map[string]bool) {
	t.Helper()
	root := filepath.Join("..", "..")
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (n == "testdata" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	plural = map[string]bool{}
	for _, files := range pkgs {
		if !imports(files) {
			continue
		}
		for _, f := range files {
			ast.Inspect(f, func(n ast.Node) bool {
				if fd, ok := n.(*ast.FuncDecl); ok && (fd.Name.Name == "tr" || fd.Name.Name == "trn") {
					return false // a wrapper: its callers' keys are the ones to check
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				arg, isPlural := -1, false
				switch fun := call.Fun.(type) {
				case *ast.Ident:
					switch fun.Name {
					case "tr":
						arg = 1
					case "trn":
						arg, isPlural = 1, true
					}
				case *ast.SelectorExpr:
					if x, ok := fun.X.(*ast.Ident); ok && x.Name == "lang" {
						switch fun.Sel.Name {
						case "T":
							arg = 1
						case "N":
							arg, isPlural = 1, true
						}
					}
					switch fun.Sel.Name {
					case "tr":
						arg = 0
					case "trn":
						arg, isPlural = 0, true
					}
				}
				if arg < 0 || len(call.Args) <= arg {
					return true
				}
				lit, ok := call.Args[arg].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: the key is not a string literal, so the catalogue tests cannot see it", fset.Position(call.Pos()))
					return true
				}
				key, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				plural[key] = isPlural
				return true
			})
		}
	}
	if len(plural) == 0 {
		t.Fatal("found no catalogue keys in the code")
	}
	return plural
}

// imports reports whether any of a package's files imports this package
// (this package's own files count too).
func imports(files []*ast.File) bool {
	for _, f := range files {
		if f.Name.Name == "lang" {
			return false // this package: its T and N take keys from callers
		}
		for _, im := range f.Imports {
			if p, _ := strconv.Unquote(im.Path.Value); p == importPath {
				return true
			}
		}
	}
	return false
}

// TestKeysInCodeAreInEnglish fails if code uses a key that en.toml lacks,
// or uses a plain message as a plural one or the other way round.
func TestKeysInCodeAreInEnglish(t *testing.T) {
	en := catalogues[English]
	for key, isPlural := range usedKeys(t) {
		_, plain := en.plain[key]
		switch {
		case !plain && !en.plural[key]:
			t.Errorf("code uses %q, which en.toml lacks", key)
		case isPlural && plain:
			t.Errorf("code uses %q as a plural message, but en.toml has no plural forms for it", key)
		case !isPlural && en.plural[key]:
			t.Errorf("code uses plural message %q without a count (use N)", key)
		}
	}
}

// TestNoDeadWords fails if en.toml has words that no code says.
func TestNoDeadWords(t *testing.T) {
	used := usedKeys(t)
	for _, key := range Keys(English) {
		if _, ok := used[key]; !ok {
			t.Errorf("en.toml has %q, which no code uses: delete it, or use it", key)
		}
	}
}

// TestEveryLanguageHasEveryKey holds every other catalogue to English:
// the same keys, the same placeholders, plural messages plural.
func TestEveryLanguageHasEveryKey(t *testing.T) {
	for _, l := range Languages()[1:] {
		for _, p := range problems(catalogues, l) {
			t.Errorf("%s.toml: %s", l, p)
		}
	}
}

// TestProblemsFound shows that a language lacking a key, with a key
// English lacks, or with other placeholders is caught.
func TestProblemsFound(t *testing.T) {
	_, cs, err := load(fstest.MapFS{
		"en.toml": {Data: []byte("a = \"one %s\"\nb = \"two\"\nc = \"three %s\"\n[d]\none = \"1 x\"\nother = \"{{.Count}} x\"\n")},
		"pl.toml": {Data: []byte("a = \"jeden %s\"\nc = \"trzy\"\nz = \"extra\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := problems(cs, "pl")
	want := []string{
		`lacks "b", which English has`,
		`"c" has placeholders [], English has [%s]`,
		`lacks "d", which English has`,
		`has "z", which English lacks`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
}

var verb = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// problems lists how language l's catalogue differs from English's.
func problems(cs map[Lang]*catalogue, l Lang) []string {
	en, c := cs[English], cs[l]
	var out []string
	keys := map[string]bool{}
	for k := range en.plain {
		keys[k] = true
	}
	for k := range en.plural {
		keys[k] = true
	}
	for k := range c.plain {
		keys[k] = true
	}
	for k := range c.plural {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		enText, enPlain := en.plain[k]
		text, plain := c.plain[k]
		switch {
		case !enPlain && !en.plural[k]:
			out = append(out, "has "+strconv.Quote(k)+", which English lacks")
		case !plain && !c.plural[k]:
			out = append(out, "lacks "+strconv.Quote(k)+", which English has")
		case plain != enPlain:
			out = append(out, strconv.Quote(k)+" must be plural exactly when English's is")
		case plain:
			a, b := verbs(enText), verbs(text)
			if !slices.Equal(a, b) {
				out = append(out, strconv.Quote(k)+" has placeholders "+fmtList(b)+", English has "+fmtList(a))
			}
		}
	}
	return out
}

// verbs returns a text's fmt verbs, sorted (a translation may reorder
// them with %[n]s).
func verbs(s string) []string {
	v := verb.FindAllString(s, -1)
	for i := range v {
		v[i] = "%" + v[i][len(v[i])-1:]
	}
	slices.Sort(v)
	return v
}

func fmtList(v []string) string { return "[" + strings.Join(v, " ") + "]" }

// TestLookups holds the contract of T and N: English fallback for a
// language without a catalogue, the key itself for a missing key, fmt
// formatting with args, and plural forms.
func TestLookups(t *testing.T) {
	tests := []struct{ got, want string }{
		{T(English, "danger_line", "999"), "If you are in danger now, call 999."},
		{T("xx", "call", "101"), "Call 101"},
		{T("pl", "call", "101"), "Zadzwoń pod 101"},
		{N("pl", "forget.deleted", 1), "Z tego czatu usunięto też 1 wiadomość."},
		{N("pl", "forget.deleted", 3), "Z tego czatu usunięto też 3 wiadomości."},
		{N("pl", "forget.deleted", 5), "Z tego czatu usunięto też 5 wiadomości."},
		{T(English, "no.such.key"), "no.such.key"},
		{N(English, "forget.too_old", 1), "1 message is too old for me to delete."},
		{N(English, "forget.too_old", 3), "3 messages are too old for me to delete."},
		{N("xx", "forget.failed", 2), "I could not delete 2 messages."},
		{N(English, "no.such.key", 2), "no.such.key"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// TestCatalogueFiles holds every catalogue file to one language each,
// named by its code, and parsed into this package.
func TestCatalogueFiles(t *testing.T) {
	names, err := filepath.Glob("*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if _, err := os.Stat(name); err != nil {
			t.Fatal(err)
		}
		if catalogues[Lang(strings.TrimSuffix(name, ".toml"))] == nil {
			t.Errorf("%s is not loaded", name)
		}
	}
}

func BenchmarkT(b *testing.B) {
	for b.Loop() {
		_ = T(English, "danger_check")
	}
}

// TestReviews shows each reason a translation is listed for review, and
// that a reviewed translation of the current English is not.
func TestReviews(t *testing.T) {
	_, cs, err := load(fstest.MapFS{
		"en.toml": {Data: []byte("a = \"one\"\nb = \"two\"\nc = \"three\"\nd = \"four\"\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	ha, hb := cs[English].hashes["a"], cs[English].hashes["b"]
	pl := "[a]\nhash = \"" + ha + "\"\ndescription = \"reviewed by A. Nowak, 2027-01-10\"\nother = \"jeden\"\n" +
		"[b]\nhash = \"" + hb + "\"\ndescription = \"UNREVIEWED\"\nother = \"dwa\"\n" +
		"[c]\nhash = \"sha1-0000000000000000\"\ndescription = \"reviewed by A. Nowak\"\nother = \"trzy\"\n"
	_, cs, err = load(fstest.MapFS{
		"en.toml": {Data: []byte("a = \"one\"\nb = \"two\"\nc = \"three\"\nd = \"four\"\n")},
		"pl.toml": {Data: []byte(pl)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reviews(cs, "") {
		got = append(got, r.Key+":"+r.Reason+":"+r.Text)
	}
	want := []string{"b:unreviewed:dwa", "c:english changed:trzy", "d:missing:"}
	if !slices.Equal(got, want) {
		t.Errorf("reviews = %q, want %q", got, want)
	}
}

// TestShippedTranslationsAreMarked: every translation shipped carries the
// hash of the English it was made from, and, until a native speaker
// confirms it, the UNREVIEWED mark; none is listed as missing.
func TestShippedTranslationsAreMarked(t *testing.T) {
	for _, l := range Languages()[1:] {
		for key, mk := range catalogues[l].marks {
			if mk.hash == "" {
				t.Errorf("%s.toml: %q has no hash (go run ./scripts/stamp -lang %s)", l, key, l)
			}
			if mk.description == "" {
				t.Errorf("%s.toml: %q has no review mark", l, key)
			}
		}
	}
	for _, r := range Reviews("") {
		if r.Reason == "missing" {
			t.Errorf("%s lacks %q", r.Lang, r.Key)
		}
	}
}
