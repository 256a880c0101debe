package whmcsemu

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
)

// BenchmarkAuthTiming measures how long a failed authentication takes with
// an unknown identifier and with a known identifier and a wrong secret, so
// that the difference can be reported (issue 6: no enumeration by timing).
// Each iteration sends one request of each kind, interleaved, so that both
// see the same machine load; the figures are reported as metrics, not
// asserted (speed is checked by benchmarks, never by timed assertions):
//
//	go test -run '^$' -bench '^BenchmarkAuthTiming$' -benchtime 300x -count 5 .
//
// unknown-ns and wrong-ns are the medians per request, diff-% how much the
// wrong secret's median is above the unknown identifier's.
func BenchmarkAuthTiming(b *testing.B) {
	// Same lengths, so that only what the server knows differs.
	unknown := url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"},
		"identifier": {"UnknownIdentifier000000000000001"}, "secret": {"WrongSecret00000000000000000001"}}
	wrong := url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"},
		"identifier": {demoIdentifier}, "secret": {"WrongSecret00000000000000000001"}}
	if len(unknown["identifier"][0]) != len(demoIdentifier) {
		b.Fatal("the unknown identifier must have the demo identifier's length")
	}
	b.Run("with-secret", func(b *testing.B) { timingPair(b, unknown, wrong) })

	// The same with the secret left out.
	noSecret := func(v url.Values) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		out.Del("secret")
		return out
	}
	b.Run("without-secret", func(b *testing.B) { timingPair(b, noSecret(unknown), noSecret(wrong)) })
}

// timingPair sends one request of each form per iteration, interleaved,
// after a few of each to warm up, checks each fails authentication with its
// message, and reports the median time of each kind.
func timingPair(b *testing.B, unknown, wrong url.Values) {
	srv, _ := newTestServer(b)
	send := func(form url.Values, wantMsg string) time.Duration {
		start := time.Now()
		rec := post(srv, form)
		d := time.Since(start)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), wantMsg) {
			b.Fatalf("want 403 with %q, got %d %s", wantMsg, rec.Code, rec.Body)
		}
		return d
	}
	for range 10 {
		send(unknown, auth.MsgInvalidCredentials)
		send(wrong, auth.MsgAuthFailed)
	}
	var unknownTimes, wrongTimes []time.Duration
	for b.Loop() {
		unknownTimes = append(unknownTimes, send(unknown, auth.MsgInvalidCredentials))
		wrongTimes = append(wrongTimes, send(wrong, auth.MsgAuthFailed))
	}
	um, wm := median(unknownTimes), median(wrongTimes)
	b.ReportMetric(float64(um.Nanoseconds()), "unknown-ns")
	b.ReportMetric(float64(wm.Nanoseconds()), "wrong-ns")
	if um > 0 {
		b.ReportMetric(100*float64(wm-um)/float64(um), "diff-%")
	}
}

// median returns the median of ds.
func median(ds []time.Duration) time.Duration {
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	n := len(sorted)
	if n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return sorted[n/2]
}
