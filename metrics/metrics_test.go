package metrics_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/whereto-bot/whereto/metrics"
)

// series returns every sample in reg as "name{label=value,...}" -> value
// (a histogram gives its _count and _sum).
func series(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatalf("Gather: %v", err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%s", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			key := mf.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch mf.GetType() {
			case dto.MetricType_COUNTER:
				out[key] = m.GetCounter().GetValue()
			case dto.MetricType_GAUGE:
				out[key] = m.GetGauge().GetValue()
			case dto.MetricType_HISTOGRAM:
				out[strings.Replace(key, "{", "_count{", 1)] = float64(m.GetHistogram().GetSampleCount())
				out[strings.Replace(key, "{", "_sum{", 1)] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out
}

func newMetrics(t *testing.T, opts *metrics.Options) (*metrics.Metrics, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	if opts == nil {
		opts = &metrics.Options{}
	}
	opts.NoRuntimeCollectors = true
	m, err := metrics.New(reg, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m, reg
}

func TestMetricsRecord(t *testing.T) {
	tests := []struct {
		name   string
		record func(m *metrics.Metrics)
		want   map[string]float64
	}{
		{
			name: "a message without a route counts as received only",
			record: func(m *metrics.Metrics) {
				m.MessageHandled("telegram", "", 2*time.Millisecond)
			},
			want: map[string]float64{
				"whereto_messages_received_total{channel=telegram}":      1,
				"whereto_reply_duration_seconds_count{channel=telegram}": 1,
				"whereto_reply_duration_seconds_sum{channel=telegram}":   0.002,
				"whereto_conversations_ended_total{route=safeguarding}":  0,
			},
		},
		{
			name: "a message that reaches a route ends a conversation",
			record: func(m *metrics.Metrics) {
				m.MessageHandled("slack", "safeguarding", time.Millisecond)
				m.MessageHandled("telegram", "safeguarding", time.Millisecond)
			},
			want: map[string]float64{
				"whereto_messages_received_total{channel=slack}":        1,
				"whereto_messages_received_total{channel=telegram}":     1,
				"whereto_conversations_ended_total{route=safeguarding}": 2,
			},
		},
		{
			name: "sends, retries and rate-limit waits per channel",
			record: func(m *metrics.Metrics) {
				m.SendFailed("telegram")
				m.SendRetried("telegram")
				m.SendRetried("telegram")
				m.RateLimited("telegram", 1500*time.Millisecond)
				m.RateLimited("telegram", 500*time.Millisecond)
			},
			want: map[string]float64{
				"whereto_send_errors_total{channel=telegram}":             1,
				"whereto_send_retries_total{channel=telegram}":            2,
				"whereto_rate_limit_waits_total{channel=telegram}":        2,
				"whereto_rate_limit_wait_seconds_total{channel=telegram}": 2,
			},
		},
		{
			name: "unknown channels and routes are counted as other, never as given",
			record: func(m *metrics.Metrics) {
				m.MessageHandled("my name is Sam", "someone hit me", time.Millisecond)
				m.SendFailed("07700 900123")
			},
			want: map[string]float64{
				"whereto_messages_received_total{channel=other}": 1,
				"whereto_conversations_ended_total{route=other}": 1,
				"whereto_send_errors_total{channel=other}":       1,
			},
		},
		{
			name:   "sessions swept",
			record: func(m *metrics.Metrics) { m.SessionsSwept(3); m.SessionsSwept(0); m.SessionsSwept(2) },
			want:   map[string]float64{"whereto_sessions_expired_total{}": 5},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, reg := newMetrics(t, nil)
			tt.record(m)
			got := series(t, reg)
			for k, want := range tt.want {
				v, ok := got[k]
				if !ok {
					t.Errorf("%s: missing; got %v", k, got)
					continue
				}
				if diff := v - want; diff > 1e-9 || diff < -1e-9 {
					t.Errorf("%s: got %v, want %v", k, v, want)
				}
			}
			for k := range got {
				if strings.Contains(k, "Sam") || strings.Contains(k, "hit") || strings.Contains(k, "07700") {
					t.Errorf("series %s carries input text", k)
				}
			}
		})
	}
}

func TestMetricsSeriesExistAtZero(t *testing.T) {
	_, reg := newMetrics(t, &metrics.Options{
		Channels:      []string{"telegram"},
		DirectorySize: func() int { return 7 },
		Build:         metrics.Build{Version: "v1.0.0", Revision: "abc", GoVersion: "go1.26"},
	})
	got := series(t, reg)
	want := map[string]float64{
		"whereto_messages_received_total{channel=telegram}":                 0,
		"whereto_send_errors_total{channel=telegram}":                       0,
		"whereto_conversations_ended_total{route=emergency}":                0,
		"whereto_conversations_ended_total{route=victim-support}":           0,
		"whereto_directory_services{}":                                      7,
		"whereto_build_info{go_version=go1.26,revision=abc,version=v1.0.0}": 1,
		"whereto_sessions_expired_total{}":                                  0,
	}
	for k, w := range want {
		if v, ok := got[k]; !ok || v != w {
			t.Errorf("%s: got %v (present %v), want %v", k, v, ok, w)
		}
	}
}

func TestAddChannels(t *testing.T) {
	m, reg := newMetrics(t, nil)
	m.AddChannels("webchat", "Not A Label!")
	m.MessageHandled("webchat", "", time.Millisecond)
	m.MessageHandled("Not A Label!", "", time.Millisecond)
	got := series(t, reg)
	if got["whereto_messages_received_total{channel=webchat}"] != 1 {
		t.Errorf("webchat: got %v, want 1", got["whereto_messages_received_total{channel=webchat}"])
	}
	if got["whereto_messages_received_total{channel=other}"] != 1 {
		t.Errorf("an invalid channel name: got %v under other, want 1", got["whereto_messages_received_total{channel=other}"])
	}
}

func TestNewTwiceOnOneRegistryFails(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := metrics.New(reg, nil); err != nil {
		t.Fatalf("first New: %v", err)
	}
	if _, err := metrics.New(reg, nil); err == nil {
		t.Errorf("second New on the same registry: got nil, want an error")
	}
}

func TestRuntimeCollectors(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := metrics.New(reg, nil); err != nil {
		t.Fatal(err)
	}
	got := series(t, reg)
	for _, name := range []string{"go_goroutines{}", "process_resident_memory_bytes{}"} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
}
