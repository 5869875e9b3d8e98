package flow

import (
	"go/types"
	"strings"
)

// Observer is a row of the table of calls that only observe their
// arguments: logging, metrics and tracing. A value passed to one of them
// changes no journal entry.
type Observer struct {
	// Pkg is an import path; with a trailing "/..." it also matches the
	// packages below it.
	Pkg string
	// Prefixes restricts the row to functions and methods whose name
	// starts with one of them; nil matches every function and method.
	Prefixes []string
	Kind     string // "logging", "metrics" or "tracing", for documentation
}

// Observers is every row, by kind. Methods match by the package that
// declares them, so a *zap.Logger's Info, a prometheus.Observer's Observe
// (histograms, summaries, WithLabelValues(...).Observe) and an
// OpenTelemetry metric.Float64Histogram's Record all match, also when
// promoted through a project type embedding them.
var Observers = []Observer{
	{Pkg: "log", Kind: "logging"},
	{Pkg: "log/slog", Kind: "logging"}, // also the *slog.Logger ctx.Log() returns
	{Pkg: "fmt", Prefixes: []string{"Print", "Fprint"}, Kind: "logging"},
	{Pkg: "go.uber.org/zap/...", Kind: "logging"},
	{Pkg: "github.com/rs/zerolog/...", Kind: "logging"},
	{Pkg: "github.com/sirupsen/logrus", Kind: "logging"},
	{Pkg: "github.com/go-logr/logr", Kind: "logging"},

	{Pkg: "github.com/prometheus/client_golang/prometheus/...", Kind: "metrics"},
	{Pkg: "github.com/DataDog/datadog-go/statsd", Kind: "metrics"},
	{Pkg: "github.com/DataDog/datadog-go/v5/statsd", Kind: "metrics"},
	{Pkg: "github.com/hashicorp/go-metrics/...", Kind: "metrics"},
	{Pkg: "github.com/armon/go-metrics/...", Kind: "metrics"},
	{Pkg: "github.com/go-kit/kit/metrics/...", Kind: "metrics"},
	{Pkg: "github.com/uber-go/tally/...", Kind: "metrics"},
	{Pkg: "github.com/rcrowley/go-metrics", Kind: "metrics"},

	// OpenTelemetry: span attributes and events (otel/trace,
	// otel/attribute), metric instruments (otel/metric), status codes.
	{Pkg: "go.opentelemetry.io/otel/...", Kind: "tracing"},
	{Pkg: "go.opencensus.io/...", Kind: "tracing"},
	{Pkg: "github.com/opentracing/opentracing-go/...", Kind: "tracing"},
	{Pkg: "gopkg.in/DataDog/dd-trace-go.v1/ddtrace/...", Kind: "tracing"},
	{Pkg: "github.com/DataDog/dd-trace-go/v2/ddtrace/...", Kind: "tracing"},
}

// IsObserver reports whether a call of fn only observes its arguments:
// logging, metrics or tracing (see Observers).
func IsObserver(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	path := fn.Pkg().Path()
	for _, o := range Observers {
		if !pkgMatch(o.Pkg, path) {
			continue
		}
		if o.Prefixes == nil {
			return true
		}
		for _, p := range o.Prefixes {
			if strings.HasPrefix(fn.Name(), p) {
				return true
			}
		}
	}
	return false
}

func pkgMatch(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}
