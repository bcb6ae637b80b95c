package console

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		width int
		in    string
		want  string
	}{
		{
			name:  "a line that fits is left alone",
			width: 20,
			in:    "Hello  there.\n\n  1. Yes\n",
			want:  "Hello  there.\n\n  1. Yes\n",
		},
		{
			name:  "a sentence folds at spaces",
			width: 20,
			in:    "If you are in danger now or a crime is happening, call 999.",
			want:  "If you are in danger\nnow or a crime is\nhappening, call 999.",
		},
		{
			name:  "a word exactly the width fits",
			width: 10,
			in:    "abcdefghij abcdefghij",
			want:  "abcdefghij\nabcdefghij",
		},
		{
			name:  "a long URL gets its own line and is never cut",
			width: 20,
			in:    "Website (Report online): https://www.bedfordshire.police.uk/report then more",
			want:  "Website (Report\nonline):\nhttps://www.bedfordshire.police.uk/report\nthen more",
		},
		{
			name:  "an email address is never cut",
			width: 20,
			in:    "Email: info@signpostforbedfordshire.com",
			want:  "Email:\ninfo@signpostforbedfordshire.com",
		},
		{
			name:  "a phone number stays on one line",
			width: 20,
			in:    "Phone (24/7 helpline): 0808 2000 247",
			want:  "Phone (24/7\nhelpline):\n0808 2000 247",
		},
		{
			name:  "a phone number in groups of two stays whole",
			width: 20,
			in:    "Phone (24/7 Supportline): 08 08 16 89 111. Calls are free.",
			want:  "Phone (24/7\nSupportline):\n08 08 16 89 111.\nCalls are free.",
		},
		{
			name:  "an international number in brackets stays whole",
			width: 20,
			in:    "Call them on (+44 1582 547 653) today",
			want:  "Call them on\n(+44 1582 547 653)\ntoday",
		},
		{
			name:  "numbers that are not a phone number fold",
			width: 12,
			in:    "Press 1 2 3 4 5 6 7 8 9",
			want:  "Press 1 2 3\n4 5 6 7 8 9",
		},
		{
			name:  "a numbered choice continues under its first word",
			width: 20,
			in:    "  2. Fly-tipping, graffiti, litter or another environmental problem\n  3. Back",
			want:  "  2. Fly-tipping,\n     graffiti,\n     litter or\n     another\n     environmental\n     problem\n  3. Back",
		},
		{
			name:  "choice number 10 lines up too",
			width: 20,
			in:    "  10. Worried about a child or an adult",
			want:  "  10. Worried about\n      a child or an\n      adult",
		},
		{
			name:  "a bullet continues under its text",
			width: 16,
			in:    "- one two three four five",
			want:  "- one two three\n  four five",
		},
		{
			name:  "an indent wider than half the width is not kept",
			width: 12,
			in:    "        word word word",
			want:  "        word\nword word",
		},
		{
			name:  "a heading's marks stay with its words",
			width: 20,
			in:    "== Police non-emergency: 101 ==",
			want:  "== Police\nnon-emergency:\n101 ==",
		},
		{
			name:  "a long word in a numbered choice overflows on its own line",
			width: 20,
			in:    "  1. See https://www.luton.gov.uk/communitysafety now",
			want:  "  1. See\n     https://www.luton.gov.uk/communitysafety\n     now",
		},
		{
			name:  "right-to-left and accented text counts characters, not bytes",
			width: 12,
			in:    "café café café ہو گیا",
			want:  "café café\ncafé ہو گیا",
		},
		{
			name:  "a no-break space does not break",
			width: 10,
			in:    "abc 10\u00a0000\u00a0people here",
			want:  "abc\n10\u00a0000\u00a0people\nhere",
		},
		{
			name:  "blank lines between paragraphs are kept",
			width: 20,
			in:    "one two three four five six seven\n\nend\n",
			want:  "one two three four\nfive six seven\n\nend\n",
		},
		{
			name:  "no wrapping at width 0",
			width: 0,
			in:    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
			want:  "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("wrap(%q, %d):\ngot:\n%s\nwant:\n%s", tt.in, tt.width, got, tt.want)
			}
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(tt.in), " ") {
				t.Errorf("wrapping changed the words:\n%q\n%q", got, tt.in)
			}
		})
	}
}
