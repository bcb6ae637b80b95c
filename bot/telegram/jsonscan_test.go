package telegram

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestTopInts(t *testing.T) {
	tests := []struct {
		raw  string
		want []int64 // nil: an error
	}{
		{`{"message_id":12,"date":1700000000,"text":"x"}`, []int64{12, 1700000000}},
		{` { "date" : 5 , "message_id" : -3 } `, []int64{-3, 5}},
		{`{"from":{"message_id":99,"date":1},"chat":{"id":1,"title":"a \"}\" b"},"message_id":7,"date":8}`, []int64{7, 8}},
		{`{"reply_to_message":{"message_id":1},"x":[1,{"date":2},"]"],"message_id":3,"date":4}`, []int64{3, 4}},
		{`{"message_id":3}`, nil},
		{`{"message_id":"3","date":4}`, nil},
		{`[1,2]`, nil},
		{``, nil},
		{`{"message_id":3,"date":4`, []int64{3, 4}}, // stops before the end
		{`{"message_id":3 "date":4}`, nil},
	}
	for _, tt := range tests {
		got, err := topInts([]byte(tt.raw), "message_id", "date")
		if tt.want == nil {
			if err == nil {
				t.Errorf("topInts(%s) = %v, want an error", tt.raw, got)
			}
			continue
		}
		if err != nil || got[0] != tt.want[0] || got[1] != tt.want[1] {
			t.Errorf("topInts(%s) = %v, %v; want %v", tt.raw, got, err, tt.want)
		}
	}
}

// FuzzTopInts checks topInts against encoding/json on valid objects, and
// that it never panics on anything.
func FuzzTopInts(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"b":{"a":2},"a":3}`, `{"s":"\"}","a":-4}`, `{"a":[1]}`, `x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := topInts([]byte(raw), "a")
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(raw), &m) != nil {
			return // not a valid object: only "no panic" is asked
		}
		v, ok := m["a"]
		if !ok {
			if err == nil {
				t.Fatalf("topInts(%q) found a = %d; encoding/json finds none", raw, got[0])
			}
			return
		}
		want, perr := strconv.ParseInt(string(v), 10, 64)
		if perr != nil {
			return // not a plain integer: either answer is acceptable
		}
		// encoding/json keeps the last of duplicate keys and reads escaped
		// keys ("\u0061"); Telegram sends neither, and topInts does not
		// look for them.
		if strings.Count(raw, `"a"`) > 1 || strings.Contains(raw, `\u`) {
			return
		}
		if err != nil || got[0] != want {
			t.Fatalf("topInts(%q) = %v, %v; encoding/json says %d", raw, got, err, want)
		}
	})
}

func TestSplitArray(t *testing.T) {
	tests := []struct {
		raw  string
		want []string // nil: an error
	}{
		{`[]`, []string{}},
		{` [ {"a":"]"} , [1,[2]] ,"x", 3 ,null] `, []string{`{"a":"]"}`, `[1,[2]]`, `"x"`, `3`, `null`}},
		{`[{"update_id":1,"message":{"text":"a \"[\" b"}},{"update_id":2}]`, []string{`{"update_id":1,"message":{"text":"a \"[\" b"}}`, `{"update_id":2}`}},
		{`{}`, nil},
		{`[1 2]`, nil},
		{`[1,`, nil},
	}
	for _, tt := range tests {
		got, err := splitArray([]byte(tt.raw))
		if tt.want == nil {
			if err == nil {
				t.Errorf("splitArray(%s) = %q, want an error", tt.raw, got)
			}
			continue
		}
		if err != nil || len(got) != len(tt.want) {
			t.Errorf("splitArray(%s) = %q, %v; want %q", tt.raw, got, err, tt.want)
			continue
		}
		for i := range got {
			if string(got[i]) != tt.want[i] {
				t.Errorf("splitArray(%s)[%d] = %s, want %s", tt.raw, i, got[i], tt.want[i])
			}
		}
	}
}
