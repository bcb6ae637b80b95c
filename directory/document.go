package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed default.json
var defaultJSON []byte

// Default returns a fresh copy of the embedded default directory: the Luton
// Community Safety Partnership's reporting routes, copied from page 10 of its
// plan. Another partnership replaces it with its own file. An error means
// the binary was built from a broken tree (a test guards against that).
func Default() (*Directory, error) {
	d, err := parsedDefault()
	if err != nil {
		return nil, fmt.Errorf("embedded default directory: %w", err)
	}
	c := d.Clone()
	c.Prepare()
	return c, nil
}

// parsedDefault is the embedded document, parsed and validated once; Default
// hands out copies of it.
var parsedDefault = sync.OnceValues(func() (*Directory, error) {
	return Parse(bytes.NewReader(defaultJSON))
})

// maxDocument bounds the size of a directory document read by Parse and
// ParseOpenReferral: a larger one is refused, not cut short.
const maxDocument = 64 << 20

// ErrMalformed is returned, wrapped with what is wrong and at which line,
// for JSON that a lenient decoder would accept but that whereto refuses:
// invalid UTF-8, an object key given twice (also when the two differ only
// in case, which encoding/json treats as the same field), or data after the
// document.
var ErrMalformed = errors.New("directory: malformed JSON")

// Parse reads a directory document in whereto's JSON format (as written by
// Export) and validates it. Unknown fields are an error, so that a typo in a
// field name is not silently ignored. It returns an error wrapping
// ErrMalformed for invalid UTF-8, a repeated key or data after the
// document, ErrSchema for a newer schema, and a *ValidationError for
// invalid content. A document larger than 64 MiB is refused.
func Parse(r io.Reader) (*Directory, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("directory: reading: %w", err)
	}
	if len(data) > maxDocument {
		return nil, fmt.Errorf("directory: reading JSON: larger than %d MiB", maxDocument>>20)
	}
	if err := CheckJSON(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Directory
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("directory: reading JSON%s: %w", jsonPlace(data, err, dec.InputOffset()), err)
	}
	if d.Schema > SchemaVersion {
		return nil, fmt.Errorf("%w: file has %d, this whereto reads up to %d", ErrSchema, d.Schema, SchemaVersion)
	}
	if d.Schema == 0 {
		d.Schema = SchemaVersion
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	d.Prepare()
	return &d, nil
}

// Export writes d as indented JSON in the format Parse reads.
func (d *Directory) Export(w io.Writer) error {
	c := *d
	c.Schema = SchemaVersion
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&c)
}

// jsonPlace says where in data a decoding error is, as " at line L,
// column C", so that a person editing the file can find it.
func jsonPlace(data []byte, err error, fallback int64) string {
	off := fallback
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off <= 0 || off > int64(len(data)) {
		return ""
	}
	return placeAt(data, off)
}

// placeAt says where offset off of data is, as " at line L, column C"
// (columns count bytes from 1).
func placeAt(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := off - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf(" at line %d, column %d", line, col)
}

// CheckJSON refuses JSON that a lenient decoder would quietly accept, so
// that what whereto imports is what a person reading the file sees. It
// returns an error wrapping ErrMalformed, naming the line and column, for
// bytes that are not valid UTF-8, for an object (at any depth) that gives a
// key twice, exactly or differing only in case (encoding/json would keep
// the last, so "id":"mash","id":"evil-mash" imports as evil-mash), and for
// anything but white space after the first JSON value. A leading UTF-8 byte
// order mark is allowed. A syntax error inside the document is not its
// business: it returns nil and leaves that to the decoder that follows,
// which reports it with its place.
func CheckJSON(data []byte) error {
	body := bytes.TrimPrefix(data, []byte(utf8BOM))
	skipped := int64(len(data) - len(body))
	if !utf8.Valid(body) {
		off := 0
		for off < len(body) {
			r, n := utf8.DecodeRune(body[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("%w%s: the bytes are not valid UTF-8 (save the file as UTF-8)", ErrMalformed, placeAt(data, skipped+int64(off)))
	}
	// One frame per open object or array: an object's keys so far, by
	// their case-folded form.
	type frame struct {
		object bool
		keys   map[string]string
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	started := false
	for {
		if started && len(stack) == 0 {
			break // the first value is complete
		}
		// In an object, a token read where a key is expected is a key.
		atKey := len(stack) > 0 && stack[len(stack)-1].object && dec.More()
		keyAt := dec.InputOffset() // before the comma and space that lead to a key
		tok, err := dec.Token()
		if err != nil {
			// Not JSON (or empty): the decoder reports it.
			return nil
		}
		started = true
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, keys: map[string]string{}})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			continue
		}
		if !atKey {
			continue
		}
		key, _ := tok.(string)
		top := stack[len(stack)-1]
		fold := strings.ToLower(key)
		if prev, dup := top.keys[fold]; dup {
			for keyAt < int64(len(body)) && strings.IndexByte(" \t\r\n,", body[keyAt]) >= 0 {
				keyAt++
			}
			place := placeAt(data, skipped+keyAt)
			if prev == key {
				return fmt.Errorf("%w%s: key %q is given twice in the same object", ErrMalformed, place, key)
			}
			return fmt.Errorf("%w%s: key %q repeats %q (keys that differ only in case are the same field)", ErrMalformed, place, key, prev)
		}
		top.keys[fold] = key
		// The key's value follows: a scalar is consumed by the next
		// Token, a nested value pushes a frame. dec.More would report
		// true before that value, so read it now.
		tok, err = dec.Token()
		if err != nil {
			return nil
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, keys: map[string]string{}})
		case json.Delim('['):
			stack = append(stack, frame{})
		}
	}
	end := skipped + dec.InputOffset()
	rest := bytes.TrimLeft(data[end:], " \t\r\n")
	if len(rest) > 0 {
		return fmt.Errorf("%w%s: unexpected data after the JSON document", ErrMalformed, placeAt(data, int64(len(data)-len(rest))))
	}
	return nil
}
