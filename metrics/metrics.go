// Package metrics is whereto's Prometheus instrumentation: an
// implementation of bot.Metrics for the runner and the channel adapters,
// and the service's own gauges and counters, all registered on a registry
// the caller passes in. It keeps no package state and registers nothing by
// itself.
//
// Every metric is anonymous. Label values are limited to known channel
// names and route ids: anything else is counted under "other", so a bug
// upstream can never turn a label into a copy of what someone typed, nor
// grow the number of series without bound.
//
// The metrics, all prefixed whereto_:
//
//	messages_received_total{channel}        counter    messages the runner handled
//	conversations_ended_total{route}        counter    conversations that reached a route
//	reply_duration_seconds{channel}         histogram  time to handle a message (not to send it)
//	send_errors_total{channel}              counter    replies an adapter gave up sending
//	send_retries_total{channel}             counter    retries of a send
//	rate_limit_waits_total{channel}         counter    waits before a send to keep within a platform's limits
//	rate_limit_wait_seconds_total{channel}  counter    time spent in those waits
//	updates_skipped_total{channel,reason}   counter    updates taken in and not answered on their own:
//	                                                   undecodable, merged, backlog_full, rate_limited,
//	                                                   bad_request (bot.Skip*)
//	sessions_expired_total                  counter    sessions deleted by the sweeper
//	directory_services                      gauge      services in the directory now
//	build_info{version,revision,go_version} gauge      always 1
//
// plus the Go runtime (go_*) and process (process_*) collectors.
package metrics

import (
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/whereto-bot/whereto/bot"
	"github.com/whereto-bot/whereto/directory"
)

// Namespace is the prefix of every whereto metric.
const Namespace = "whereto"

// Other is the label value recorded for a channel or route that the Metrics
// was not told about.
const Other = "other"

// Options configure New. A nil *Options means defaults.
type Options struct {
	// Channels are the channel names whose series are created at zero on
	// start, so that rates and alerts work before the first message (see
	// also AddChannels). Any name in KnownChannels is accepted as a label
	// too; others become Other.
	Channels []string
	// DirectorySize, if set, is called at each scrape for the number of
	// services in the directory. It must be cheap and safe for concurrent
	// use.
	DirectorySize func() int
	// Build is reported by whereto_build_info; the zero value means
	// ReadBuild().
	Build Build
	// Routes are the route ids accepted as labels (the directory's, at
	// start); others become Other. Empty means the embedded default
	// directory's routes.
	Routes []string
	// NoRuntimeCollectors leaves out the Go runtime and process
	// collectors (tests that compare whole outputs use it).
	NoRuntimeCollectors bool
}

// KnownChannels are the channel names every Metrics accepts as labels.
func KnownChannels() []string { return []string{"console", "telegram", "slack", "web"} }

// Metrics records whereto's metrics. Create it with New. It implements
// bot.Metrics and is safe for concurrent use; no method blocks.
type Metrics struct {
	// channels are the channel label values accepted; replaced, never
	// changed, by AddChannels.
	channels atomic.Pointer[[]string]
	routes   []string

	received       *prometheus.CounterVec
	ended          *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	sendErrors     *prometheus.CounterVec
	sendRetries    *prometheus.CounterVec
	rateWaits      *prometheus.CounterVec
	rateWaitTime   *prometheus.CounterVec
	skipped        *prometheus.CounterVec
	sessionsExpiry prometheus.Counter
}

var _ bot.Metrics = (*Metrics)(nil)

// latencyBuckets span the runner's handling time: about 10 µs for a button
// with the session in memory, up to seconds if the disk stalls.
func latencyBuckets() []float64 {
	return []float64{0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}
}

// New creates the metrics and registers them, and the runtime and process
// collectors unless opts says not to, on reg. It returns an error if any
// is already registered there (New on the same registry twice).
func New(reg prometheus.Registerer, opts *Options) (*Metrics, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Build == (Build{}) {
		o.Build = ReadBuild()
	}
	m := &Metrics{routes: knownRoutes(o.Routes)}
	known := KnownChannels()
	m.channels.Store(&known)
	byChannel := []string{"channel"}
	m.received = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "messages_received_total",
		Help: "Messages the runner handled, by channel.",
	}, byChannel)
	m.ended = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "conversations_ended_total",
		Help: "Conversations that reached a route (the answer with the services to contact), by route.",
	}, []string{"route"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "reply_duration_seconds",
		Help:    "Time from a message reaching the runner to its replies being ready (sending not included), by channel.",
		Buckets: latencyBuckets(),
	}, byChannel)
	m.sendErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "send_errors_total",
		Help: "Replies a channel gave up sending after its retries, by channel.",
	}, byChannel)
	m.sendRetries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "send_retries_total",
		Help: "Retries of a send (after a 429, a 5xx or a network error), by channel.",
	}, byChannel)
	m.rateWaits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "rate_limit_waits_total",
		Help: "Times a channel waited before sending to keep within the platform's limits, by channel.",
	}, byChannel)
	m.rateWaitTime = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "rate_limit_wait_seconds_total",
		Help: "Time spent waiting before sends to keep within the platform's limits, by channel.",
	}, byChannel)
	m.skipped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "updates_skipped_total",
		Help: "Updates a channel took in and did not answer on their own, by channel and reason: undecodable (acknowledged and skipped), merged (answered by the answer to another message of the same person), backlog_full (refused for now; the platform sends it again).",
	}, []string{"channel", "reason"})
	m.sessionsExpiry = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "sessions_expired_total",
		Help: "Expired conversation sessions deleted by the sweeper.",
	})
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "build_info",
		Help: "Always 1; the labels say which whereto is running.",
		ConstLabels: prometheus.Labels{
			"version":    o.Build.Version,
			"revision":   o.Build.Revision,
			"go_version": o.Build.GoVersion,
		},
	})
	build.Set(1)

	cs := []prometheus.Collector{
		m.received, m.ended, m.latency, m.sendErrors, m.sendRetries,
		m.rateWaits, m.rateWaitTime, m.skipped, m.sessionsExpiry, build,
	}
	if o.DirectorySize != nil {
		size := o.DirectorySize
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "directory_services",
			Help: "Services in the directory.",
		}, func() float64 { return float64(size()) }))
	}
	if !o.NoRuntimeCollectors {
		cs = append(cs,
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}

	// Series at zero for what is configured, so that a rate is defined
	// from the first scrape.
	m.AddChannels(o.Channels...)
	for _, r := range m.routes {
		if r != string(directory.RouteUnclear) {
			m.ended.WithLabelValues(r)
		}
	}
	return m, nil
}

// AddChannels accepts names as channel labels (each a short lower-case
// name, as bot.Channel promises; others are ignored) and creates their
// series at zero. The command calls it once the channels are built.
func (m *Metrics) AddChannels(names ...string) {
	for {
		old := m.channels.Load()
		next := slices.Clone(*old)
		for _, c := range names {
			if !slices.Contains(next, c) && validLabel(c) {
				next = append(next, c)
			}
		}
		if m.channels.CompareAndSwap(old, &next) {
			break
		}
	}
	for _, c := range names {
		ch := m.channel(c)
		m.received.WithLabelValues(ch)
		m.latency.WithLabelValues(ch)
		m.sendErrors.WithLabelValues(ch)
		m.sendRetries.WithLabelValues(ch)
		m.rateWaits.WithLabelValues(ch)
		m.rateWaitTime.WithLabelValues(ch)
	}
}

// MessageHandled counts a handled message for channel, observes took, and
// counts an ended conversation when route is not empty.
func (m *Metrics) MessageHandled(channel string, route string, took time.Duration) {
	ch := m.channel(channel)
	m.received.WithLabelValues(ch).Inc()
	m.latency.WithLabelValues(ch).Observe(took.Seconds())
	if route != "" {
		m.ended.WithLabelValues(m.route(route)).Inc()
	}
}

// SendFailed counts a reply channel gave up sending.
func (m *Metrics) SendFailed(channel string) {
	m.sendErrors.WithLabelValues(m.channel(channel)).Inc()
}

// SendRetried counts one retry of a send on channel.
func (m *Metrics) SendRetried(channel string) {
	m.sendRetries.WithLabelValues(m.channel(channel)).Inc()
}

// RateLimited counts a wait of waited before a send on channel.
func (m *Metrics) RateLimited(channel string, waited time.Duration) {
	ch := m.channel(channel)
	m.rateWaits.WithLabelValues(ch).Inc()
	if waited > 0 {
		m.rateWaitTime.WithLabelValues(ch).Add(waited.Seconds())
	}
}

// UpdatesSkipped counts n updates channel did not answer on their own,
// for reason (one of bot.SkipUndecodable, bot.SkipMerged, bot.SkipBacklog;
// another is counted as Other).
func (m *Metrics) UpdatesSkipped(channel string, reason string, n int) {
	switch reason {
	case bot.SkipUndecodable, bot.SkipMerged, bot.SkipBacklog, bot.SkipRateLimited, bot.SkipBadRequest:
	default:
		reason = Other
	}
	if n > 0 {
		m.skipped.WithLabelValues(m.channel(channel), reason).Add(float64(n))
	}
}

// SessionsSwept counts n expired sessions deleted by the sweeper.
func (m *Metrics) SessionsSwept(n int) {
	if n > 0 {
		m.sessionsExpiry.Add(float64(n))
	}
}

// channel returns name if it is a channel label this Metrics accepts, else
// Other.
func (m *Metrics) channel(name string) string {
	if slices.Contains(*m.channels.Load(), name) {
		return name
	}
	return Other
}

// route returns r if it is a route id, else Other.
func (m *Metrics) route(r string) string {
	if slices.Contains(m.routes, r) {
		return r
	}
	return Other
}

// validLabel accepts the short lower-case names bot.Channel promises.
func validLabel(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// knownRoutes is routes (or the default directory's) and unclear.
func knownRoutes(routes []string) []string {
	out := slices.Clone(routes)
	if len(out) == 0 {
		if d, err := directory.Default(); err == nil {
			out = directory.RouteStrings(d.RouteIDs())
		}
	}
	return append(out, string(directory.RouteUnclear))
}

// Build says which whereto is running.
type Build struct {
	// Version is the main module's version ("(devel)" for a build from a
	// working tree).
	Version string
	// Revision is the VCS revision the binary was built from, with
	// "-dirty" if the tree was modified, or "unknown".
	Revision string
	// GoVersion is the Go release that built it.
	GoVersion string
}

// ReadBuild returns the running binary's Build from runtime/debug. Fields
// it cannot find are "unknown".
func ReadBuild() Build {
	b := Build{Version: "unknown", Revision: "unknown", GoVersion: "unknown"}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	if info.GoVersion != "" {
		b.GoVersion = info.GoVersion
	}
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && b.Revision != "unknown" {
		b.Revision += "-dirty"
	}
	return b
}
