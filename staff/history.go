package staff

import (
	"strings"

	"github.com/whereto-bot/whereto/directory"
)

// SplitHistory splits a service's audit entries, in the order given, into
// the changes (everything done to it, the seed included) and the refused
// attempts (directory.ActionRefused), which changed nothing and are shown
// apart.
func SplitHistory(entries []directory.AuditEntry) (changes, refusals []directory.AuditEntry) {
	for _, e := range entries {
		if e.Action == directory.ActionRefused {
			refusals = append(refusals, e)
		} else {
			changes = append(changes, e)
		}
	}
	return changes, refusals
}

// ChangedLine is one line of a field before and after a change; Before is
// empty for an added line, After for a removed one.
type ChangedLine struct{ Before, After string }

// LineDiff returns the lines that differ between two versions of a
// field's text: lines common to both (a longest common subsequence) are
// left out, and within each run of differences removed lines are paired
// with added ones in order. A one-line field that changed is one pair.
// Fields are a few dozen lines at most; it takes time and memory
// proportional to the product of the two line counts.
func LineDiff(x, y string) []ChangedLine {
	a, b := strings.Split(x, "\n"), strings.Split(y, "\n")
	if x == "" {
		a = nil
	}
	if y == "" {
		b = nil
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:]
	// and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []ChangedLine
	var del, add []string
	flush := func() {
		for k := 0; k < max(len(del), len(add)); k++ {
			var l ChangedLine
			if k < len(del) {
				l.Before = del[k]
			}
			if k < len(add) {
				l.After = add[k]
			}
			out = append(out, l)
		}
		del, add = nil, nil
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j == len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			del = append(del, a[i])
			i++
		default:
			add = append(add, b[j])
			j++
		}
	}
	flush()
	return out
}
