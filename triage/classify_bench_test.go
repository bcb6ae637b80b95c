package triage

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var benchMessages = []string{
	"someone has dumped a load of rubbish and an old mattress in the alley behind our house",
	"theres a man with a knife outside the shop NOW",
	"my bike got nicked from outside the station yesterday",
	"i think my neighbours kids are being neglected, they look hungry all the time",
	"hello",
}

// benchLanguages are typical messages in the other languages whereto
// reads, written for the benchmark (not from any training or evaluation
// set).
var benchLanguages = map[string][]string{
	"pl": {"ktoś zostawił stare meble i worki ze śmieciami pod naszym blokiem", "sasiad mi grozi i nie wiem co robic"},
	"ro": {"mi-au spart geamul de la mașină aseară în parcare", "cineva mi-a furat cardul si a scos bani"},
	"ur": {"ہمارے محلے میں لڑکے روز رات کو شور کرتے ہیں اور گاڑیاں توڑتے ہیں", "mere phone pe message aya bank ka aur paise kat gaye"},
	"pa": {"ਸਾਡੀ ਗਲੀ ਵਿੱਚ ਕਿਸੇ ਨੇ ਪੁਰਾਣਾ ਸੋਫਾ ਸੁੱਟ ਦਿੱਤਾ ਹੈ", "mere gwandi de munde raat nu bahut raula paunde ne"},
	"bn": {"আমাদের বাসার সামনে কেউ ময়লা ফেলে রেখে গেছে", "amar bhai drugs nei, ki korbo bujhte parchi na"},
}

// BenchmarkClassify is one message through the danger rules and the model.
func BenchmarkClassify(b *testing.B) {
	if err := Warm(testDirectory(b)); err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{0, 500, 2000} {
		msg := benchMessages[0]
		name := "typical"
		if size > 0 {
			msg = longMessage(size)
			name = fmt.Sprintf("%d-chars", size)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Classify(msg)
			}
		})
	}
}

// BenchmarkClassifyLatency reports the median and the 99th percentile of
// single classifications, typical and 2,000 characters long.
func BenchmarkClassifyLatency(b *testing.B) {
	if err := Warm(testDirectory(b)); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		msgs []string
	}{{"typical", benchMessages}, {"2000-chars", []string{longMessage(2000)}},
		{"pl", benchLanguages["pl"]}, {"ro", benchLanguages["ro"]}, {"ur", benchLanguages["ur"]},
		{"pa", benchLanguages["pa"]}, {"bn", benchLanguages["bn"]}} {
		b.Run(tc.name, func(b *testing.B) {
			var d []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				Classify(tc.msgs[i%len(tc.msgs)])
				d = append(d, time.Since(start))
				i++
			}
			slices.Sort(d)
			b.ReportMetric(float64(d[len(d)/2].Nanoseconds())/1e3, "p50-µs")
			b.ReportMetric(float64(d[len(d)*99/100].Nanoseconds())/1e3, "p99-µs")
		})
	}
}

// BenchmarkBuild is training the model at start-up: from every training
// file as shipped (all), from the English ones only (en), and from all
// repeated 4 times, to show how it grows.
func BenchmarkBuild(b *testing.B) {
	labels := testLabels(b)
	examples, err := parseTraining(trainingData, labels)
	if err != nil {
		b.Fatal(err)
	}
	var english []trainingExample
	for _, e := range examples {
		if e.lang == "en" {
			english = append(english, e)
		}
	}
	var four []trainingExample
	for range 4 {
		four = append(four, examples...)
	}
	for _, set := range []struct {
		name string
		ex   []trainingExample
	}{{"all", examples}, {"en", english}, {"all-4x", four}} {
		b.Run(fmt.Sprintf("%s-%d-examples", set.name, len(set.ex)), func(b *testing.B) {
			lx := compiled()
			for b.Loop() {
				trainModel(set.ex, len(labels), lx, defaultTrainOptions)
			}
		})
	}
}

// longMessage is a rambling message of about n characters.
func longMessage(n int) string {
	parts := []string{"so this has been going on for a while", "the people next door", "leave their rubbish bags out", "and the foxes rip them open", "there is litter all over the pavement", "i have asked them nicely", "nothing changes", "who do i report it to"}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(parts[i%len(parts)])
		b.WriteString(" ")
	}
	return b.String()[:n]
}
