package slack

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereto-bot/whereto/directory"
	"github.com/whereto-bot/whereto/directory/bolt"
)

// bigDirectory returns the default directory plus generated services, n
// in all, deterministic and valid.
func bigDirectory(tb testing.TB, n int) *directory.Directory {
	tb.Helper()
	d, err := directory.Default()
	if err != nil {
		tb.Fatal(err)
	}
	topics := []string{"youth", "housing", "debt", "advice", "mental", "health", "food", "bank", "refuge", "drug",
		"alcohol", "family", "carers", "older", "people", "tenancy", "benefits", "legal", "gambling", "loneliness",
		"bereavement", "disability", "autism", "employment", "skills", "domestic", "abuse", "stalking", "scams",
		"cyber", "knife", "gangs", "mentoring", "sport", "faith", "refugees", "migrants", "language", "travel", "road"}
	places := []string{"Luton", "Dunstable", "Houghton", "Leagrave", "Stopsley", "Marsh", "Farley", "Bury", "Lewsey", "Wigmore"}
	kinds := []string{"Hub", "Service", "Project", "Line", "Network", "Trust", "Centre", "Team"}
	words := append(slices.Clone(topics), "support", "for", "people", "who", "need", "help", "with", "their", "local", "area",
		"free", "confidential", "drop-in", "sessions", "weekly", "volunteers", "trained", "staff", "referrals", "welcome")
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	routes := d.RouteIDs()[1:] // never the emergency route
	for i := len(d.Services); i < n; i++ {
		topic := pick(topics)
		var desc []string
		for j := 0; j < 18; j++ {
			desc = append(desc, pick(words))
		}
		s := directory.Service{
			ID:           fmt.Sprintf("svc-%05d", i),
			Name:         fmt.Sprintf("%s %s %s %s %d", pick(places), strings.ToUpper(topic[:1])+topic[1:], pick(topics), pick(kinds), i),
			Organisation: pick(places) + " " + pick(kinds) + " Trust",
			Description:  strings.Join(desc, " ") + ".",
			Contacts: []directory.Contact{
				{Kind: directory.KindPhone, Value: fmt.Sprintf("01582 %06d", r.IntN(1000000)), Label: "Phone"},
				{Kind: directory.KindWeb, Value: fmt.Sprintf("https://svc%d.example.org", i), Label: "Website"},
			},
			Routes:   []directory.RouteRef{{Route: routes[r.IntN(len(routes))], Order: 10 + r.IntN(50)}},
			Keywords: []string{topic, pick(topics), pick(topics) + " " + pick(topics)},
			Source:   "generated for benchmarks",
		}
		if r.IntN(3) == 0 {
			s.Areas = []string{fmt.Sprintf("LU%d", 1+r.IntN(7))}
		}
		d.Services = append(d.Services, s)
	}
	d.Prepare() // as the store does with each snapshot
	return d
}

// benchQueries are free-text look-ups of every kind: ids, names, keywords,
// situations, danger, nothing.
var benchQueries = []string{
	"fly tipping", "child at risk", "racist graffiti", "out of hours mash number",
	"my neighbours kids are not being fed", "youth housing advice dunstable", "mash",
	"someone is following me home", "debt", "qwerty nothing here", "101", "domestic abuse support luton",
}

func TestBigDirectoryIsValid(t *testing.T) {
	if err := bigDirectory(t, 2000).Validate(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLookUp10k is one free-text look-up, answer rendered, against
// 10,000 services; it reports the median and p99 over the mixed queries.
func BenchmarkLookUp10k(b *testing.B) {
	d := bigDirectory(b, 10000)
	lookUp(newIndex(d), "warm the classifier")
	took := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		ix := newIndex(d)
		a := lookUp(ix, benchQueries[i%len(benchQueries)])
		_ = answerReply(ix, a, night, true)
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkLookUp10kPerQuery breaks the look-up down by query.
func BenchmarkLookUp10kPerQuery(b *testing.B) {
	d := bigDirectory(b, 10000)
	ix := newIndex(d)
	lookUp(ix, "warm the classifier")
	for _, q := range benchQueries {
		b.Run(strings.ReplaceAll(q, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = answerReply(ix, lookUp(ix, q), night, true)
			}
		})
	}
}

// BenchmarkDirectorySearch10k is directory.Search (the resident's look-up)
// on the same directory and index.
func BenchmarkDirectorySearch10k(b *testing.B) {
	d := bigDirectory(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Search(benchQueries[i%len(benchQueries)])
	}
}

// BenchmarkIndexBuild10k is the cost paid once per directory change
// (Prepare: the look-up index, places and calendars).
func BenchmarkIndexBuild10k(b *testing.B) {
	d := bigDirectory(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Prepare()
	}
}

// BenchmarkSlashCommandHTTP is a signed slash command (a look-up by
// situation) over loopback HTTP: signature check, form, look-up, Block Kit
// answer. Clients run in parallel (GOMAXPROCS x 4 goroutines, keep-alive);
// it reports requests per second.
func BenchmarkSlashCommandHTTP(b *testing.B) {
	st, err := bolt.Open(filepath.Join(b.TempDir(), "whereto.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	app, err := New(Config{BotToken: testBot, SigningSecret: testSecret, APIURL: "http://127.0.0.1:9/api/",
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return night }}, st, st)
	if err != nil {
		b.Fatal(err)
	}
	// Each request is signed afresh (its own trigger id) and remembered by
	// the replay check, which is measured too; its bound is lifted so
	// that a long run is not refused as more than five minutes' worth.
	app.replay = newReplayGuard(time.Now, math.MaxInt)
	mux := http.NewServeMux()
	for p, h := range app.Handlers() {
		mux.Handle(p, h)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	texts := []string{"child at risk", "fly tipping", "mash", "racist graffiti"}
	var triggers atomic.Int64
	do := func(i int) {
		trigger := "t" + strconv.FormatInt(triggers.Add(1), 10)
		body := url.Values{"command": {"/whereto"}, "text": {texts[i%len(texts)]}, "user_id": {testOther}, "team_id": {testTeam},
			"channel_id": {testChannel}, "response_url": {srv.URL + "/r"}, "trigger_id": {trigger}}.Encode()
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		sign(req, testSecret, body, time.Now())
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Errorf("status %d", resp.StatusCode)
		}
	}
	do(0)
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			do(i)
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
