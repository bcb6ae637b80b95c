package telegram

import (
	"errors"
	"strconv"
)

// errScan is returned by topInts for input it cannot read.
var errScan = errors.New("telegram: unexpected JSON in a Bot API answer")

// topInts reads the integer values of the named top-level fields of the
// JSON object raw, in the order of names, and stops as soon as it has them
// all. It is for the two answers read on every update (an update's
// update_id, a sent message's message_id and date), where decoding the
// whole object with encoding/json would cost more than the rest of the
// work; the fields come first in Telegram's answers. A field that is
// missing, or not an integer, is an error.
func topInts(raw []byte, names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	found := 0
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, errScan
	}
	i++
	for {
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == '}' {
			return nil, errScan // ended without all the fields
		}
		ks, ke, ok := scanString(raw, i)
		if !ok {
			return nil, errScan
		}
		key := raw[ks:ke]
		i = skipSpace(raw, ke+1)
		if i >= len(raw) || raw[i] != ':' {
			return nil, errScan
		}
		i = skipSpace(raw, i+1)
		end, ok := skipValue(raw, i)
		if !ok {
			return nil, errScan
		}
		for n, name := range names {
			if string(key) == name {
				v, err := strconv.ParseInt(string(raw[i:end]), 10, 64)
				if err != nil {
					return nil, errScan
				}
				out[n] = v
				found |= 1 << n
			}
		}
		if found == 1<<len(names)-1 {
			return out, nil
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ',' {
			return nil, errScan
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at b[i] ('"'); it returns the
// bounds of its raw contents (escapes left as they are: keys compared
// here never have any) and the index of the closing quote.
func scanString(b []byte, i int) (start, end int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return i + 1, j, true
		}
	}
	return 0, 0, false
}

// skipValue returns the index just past the JSON value starting at b[i].
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		_, end, ok := scanString(b, i)
		return end + 1, ok
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				_, end, ok := scanString(b, j)
				if !ok {
					return 0, false
				}
				j = end
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
			j++
		}
		return j, j > i
	}
}

// splitArray returns the elements of the JSON array raw, without decoding
// them. raw has already been checked as JSON (tgbotapi decoded the answer
// around it); this only finds where each element starts and ends.
func splitArray(raw []byte) ([][]byte, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, errScan
	}
	i = skipSpace(raw, i+1)
	var out [][]byte
	if i < len(raw) && raw[i] == ']' {
		return out, nil
	}
	for {
		end, ok := skipValue(raw, i)
		if !ok {
			return nil, errScan
		}
		out = append(out, raw[i:end])
		i = skipSpace(raw, end)
		switch {
		case i < len(raw) && raw[i] == ',':
			i = skipSpace(raw, i+1)
		case i < len(raw) && raw[i] == ']':
			return out, nil
		default:
			return nil, errScan
		}
	}
}
