// Command stamp marks the translations in a message catalogue with the
// English they were translated from: it gives every message table in
// flows/lang/CODE.toml that has no hash line the hash of the English
// message now (lang.SourceHashes). With -keys it stamps those keys again,
// for a translator who has brought them up to date with changed English.
// whereto directory unreviewed lists a translation whose hash is not the
// English message's as "english changed".
//
//	go run ./scripts/stamp -lang pl
//	go run ./scripts/stamp -lang pl -keys menu,forget.session
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/whereto-bot/whereto/flows/lang"
)

func main() {
	code := flag.String("lang", "", "the language to stamp (its flows/lang/CODE.toml)")
	keys := flag.String("keys", "", "comma-separated keys to stamp again, though they have a hash")
	dir := flag.String("dir", "flows/lang", "the catalogue directory")
	flag.Parse()
	if err := run(*dir, *code, *keys); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
}

func run(dir, code, keys string) error {
	if code == "" || code == string(lang.English) || strings.ContainsAny(code, `/\.`) {
		return fmt.Errorf("-lang: want a language other than English, like pl")
	}
	again := map[string]bool{}
	for _, k := range strings.Split(keys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			again[k] = true
		}
	}
	path := filepath.Join(dir, code+".toml")
	buf, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, n, err := stamp(string(buf), lang.SourceHashes(), again)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: stamped %d messages\n", path, n)
	return nil
}

// stamp returns the catalogue text with hash lines added (or, for keys in
// again, replaced) in each [key] table, and how many it stamped.
func stamp(text string, hashes map[string]string, again map[string]bool) (string, int, error) {
	var out []string
	n := 0
	key, hasHash := "", false
	flush := func(at int) {
		if key == "" || hasHash {
			return
		}
		h, ok := hashes[key]
		if !ok {
			return
		}
		// After the table header.
		out = append(out[:at], append([]string{`hash = "` + h + `"`}, out[at:]...)...)
		n++
	}
	header := -1
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			flush(header + 1)
			key, hasHash = strings.Trim(t, "[] "), false
			out = append(out, line)
			header = len(out) - 1
			continue
		}
		if name, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(name) == "hash" && key != "" {
			if again[key] {
				continue // dropped: stamped again at the end of the table
			}
			hasHash = true
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return "", 0, err
	}
	flush(header + 1)
	return strings.Join(out, "\n") + "\n", n, nil
}
