package telegram

import (
	"slices"
	"testing"

	"github.com/whereto-bot/whereto/bot"
)

func textJob(id int, text string, urgent bool) *job {
	return &job{in: inbound{kind: kindText, update: id, chat: 7, msgID: 100 + id, date: 5, text: text}, ids: []int64{int64(id)}, urgent: urgent}
}

func pressJob(id int, data string) *job {
	return &job{in: inbound{kind: kindChoice, update: id, chat: 7, choice: data, callbackID: "cb" + data}, ids: []int64{int64(id)}}
}

// TestRuns: waiting messages of one chat fold into the last, or the last
// that may be about danger; /forget is never folded away, and what comes
// before it is answered before it.
func TestRuns(t *testing.T) {
	type want struct {
		texts  []string // the text (or choice) each remaining job answers
		merged []bot.Merge
		ids    [][]int64
	}
	for _, tc := range []struct {
		name string
		jobs []*job
		want want
	}{
		{"one stays as it is", []*job{textJob(1, "hello", false)},
			want{[]string{"hello"}, []bot.Merge{bot.NotMerged}, [][]int64{{1}}}},
		{"the last of several", []*job{textJob(1, "a", false), textJob(2, "b", false), textJob(3, "c", false)},
			want{[]string{"c"}, []bot.Merge{bot.MergedLast}, [][]int64{{1, 2, 3}}}},
		{"danger earlier wins over a later hello", []*job{textJob(1, "he has a knife", true), textJob(2, "hello", false)},
			want{[]string{"he has a knife"}, []bot.Merge{bot.MergedUrgent}, [][]int64{{1, 2}}}},
		{"the last of two danger messages", []*job{textJob(1, "knife", true), textJob(2, "fire", true), textJob(3, "ok", false)},
			want{[]string{"fire"}, []bot.Merge{bot.MergedUrgent}, [][]int64{{1, 2, 3}}}},
		{"danger last is just the last", []*job{textJob(1, "hi", false), textJob(2, "knife", true)},
			want{[]string{"knife"}, []bot.Merge{bot.MergedLast}, [][]int64{{1, 2}}}},
		{"a press folds too", []*job{pressJob(1, "go:fraud"), textJob(2, "b", false)},
			want{[]string{"b"}, []bot.Merge{bot.MergedLast}, [][]int64{{1, 2}}}},
		{"forget is kept apart", []*job{textJob(1, "a", false), textJob(2, "b", false), textJob(3, "/forget", false), textJob(4, "c", false)},
			want{[]string{"b", "/forget", "c"}, []bot.Merge{bot.MergedLast, bot.NotMerged, bot.NotMerged}, [][]int64{{1, 2}, {3}, {4}}}},
		{"forget twice is one", []*job{textJob(1, "/forget", false), textJob(2, "/FORGET@whereto_bot", false)},
			want{[]string{"/FORGET@whereto_bot"}, []bot.Merge{bot.NotMerged}, [][]int64{{1, 2}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runs(tc.jobs)
			var g want
			for _, j := range got {
				g.texts = append(g.texts, j.in.text+j.in.choice)
				g.merged = append(g.merged, j.merged)
				g.ids = append(g.ids, j.ids)
			}
			if !slices.Equal(g.texts, tc.want.texts) || !slices.Equal(g.merged, tc.want.merged) ||
				!slices.EqualFunc(g.ids, tc.want.ids, slices.Equal[[]int64]) {
				t.Errorf("runs = %+v, want %+v", g, tc.want)
			}
		})
	}
}

// TestMergeKeepsWhatForgetAndSpinnersNeed: the messages folded away are
// kept for /forget to delete, and their buttons' spinners are answered.
func TestMergeKeepsWhatForgetAndSpinnersNeed(t *testing.T) {
	j := merge([]*job{pressJob(1, "go:fraud"), textJob(2, "a", false), textJob(3, "b", false)})
	if !slices.Equal(j.callbacks, []string{"cbgo:fraud"}) {
		t.Errorf("callbacks %v, want the press's", j.callbacks)
	}
	if !slices.Equal(j.msgs, [][2]int64{{102, 5}}) {
		t.Errorf("msgs %v, want message 102 (the folded text)", j.msgs)
	}
	// Folding again keeps what the first fold gathered.
	k := merge([]*job{j, textJob(4, "c", false)})
	if !slices.Equal(k.ids, []int64{1, 2, 3, 4}) || len(k.msgs) != 2 || len(k.callbacks) != 1 {
		t.Errorf("second fold: ids %v msgs %v callbacks %v", k.ids, k.msgs, k.callbacks)
	}
}
