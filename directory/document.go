package directory

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

//go:embed default.json
var defaultJSON []byte

// Default returns a fresh copy of the embedded default directory: the Luton
// Community Safety Partnership's reporting routes, copied from page 10 of its
// plan. Another partnership replaces it with its own file. An error means
// the binary was built from a broken tree (a test guards against that).
func Default() (*Directory, error) {
	d, err := Parse(bytes.NewReader(defaultJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded default directory: %w", err)
	}
	return d, nil
}

// maxDocument bounds the size of a directory document read by Parse.
const maxDocument = 64 << 20

// Parse reads a directory document in whereto's JSON format (as written by
// Export) and validates it. Unknown fields are an error, so that a typo in a
// field name is not silently ignored. It returns ErrSchema for a newer
// schema and a *ValidationError for invalid content.
func Parse(r io.Reader) (*Directory, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxDocument))
	if err != nil {
		return nil, fmt.Errorf("directory: reading: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Directory
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("directory: reading JSON%s: %w", jsonPlace(data, err, dec.InputOffset()), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("directory: reading JSON: unexpected data after the document")
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
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := off - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf(" at line %d, column %d", line, col)
}
