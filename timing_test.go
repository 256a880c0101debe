package whmcsemu

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
)

// timingRounds is how many requests of each kind TestAuthTiming sends.
const timingRounds = 300

// TestAuthTiming measures how long a failed authentication takes with an
// unknown identifier and with a known identifier and a wrong secret, so
// that the difference can be reported (issue 6: no enumeration by timing).
// The requests are interleaved so that both kinds see the same machine
// load. It logs the figures and asserts nothing about speed: the machine
// is shared. Run it alone for stable figures:
//
//	go test -run '^TestAuthTiming$' -v -count=1 .
func TestAuthTiming(t *testing.T) {
	srv, _ := newTestServer(t)
	// Same lengths, so that only what the server knows differs.
	unknown := url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"},
		"identifier": {"UnknownIdentifier000000000000001"}, "secret": {"WrongSecret00000000000000000001"}}
	wrong := url.Values{"action": {"ListOAuthCredentials"}, "responsetype": {"json"},
		"identifier": {demoIdentifier}, "secret": {"WrongSecret00000000000000000001"}}
	require.Len(t, unknown["identifier"][0], len(demoIdentifier))

	unknownTimes, wrongTimes := timingPair(t, srv, unknown, wrong, timingRounds)
	um, umed := timingStats(unknownTimes)
	wm, wmed := timingStats(wrongTimes)
	t.Logf("%d requests each, interleaved, through ServeHTTP:", timingRounds)
	t.Logf("unknown identifier: mean %v, median %v", um, umed)
	t.Logf("wrong secret:       mean %v, median %v", wm, wmed)
	t.Logf("difference (wrong secret - unknown identifier): mean %v (%+.1f%%), median %v (%+.1f%%)",
		wm-um, timingPercent(wm, um), wmed-umed, timingPercent(wmed, umed))

	// The same with the secret left out: a figure for the report only.
	unknown.Del("secret")
	wrong.Del("secret")
	unknownTimes, wrongTimes = timingPair(t, srv, unknown, wrong, timingRounds/3)
	um, umed = timingStats(unknownTimes)
	wm, wmed = timingStats(wrongTimes)
	t.Logf("without a secret, %d each: unknown identifier mean %v, median %v; known identifier mean %v, median %v",
		timingRounds/3, um, umed, wm, wmed)
}

// timingPair sends n requests of each form, interleaved, after a few of
// each to warm up, checks each fails authentication with its message, and
// returns how long each took.
func timingPair(t *testing.T, srv http.Handler, unknown, wrong url.Values, n int) (unknownTimes, wrongTimes []time.Duration) {
	t.Helper()
	for range 10 {
		post(srv, unknown)
		post(srv, wrong)
	}
	for i := range 2 * n {
		form, times, wantMsg := unknown, &unknownTimes, auth.MsgInvalidCredentials
		if i%2 == 1 {
			form, times, wantMsg = wrong, &wrongTimes, auth.MsgAuthFailed
		}
		start := time.Now()
		rec := post(srv, form)
		*times = append(*times, time.Since(start))
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Contains(t, rec.Body.String(), wantMsg)
	}
	return unknownTimes, wrongTimes
}

// timingStats returns the mean and the median of ds.
func timingStats(ds []time.Duration) (mean, median time.Duration) {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	n := len(sorted)
	median = sorted[n/2]
	if n%2 == 0 {
		median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return sum / time.Duration(n), median
}

// timingPercent is how much a is above b, in percent of b.
func timingPercent(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a-b) / float64(b)
}
