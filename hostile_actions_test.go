package whmcsemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/store"
)

// hostileValues are what an integration with a bug, or an attacker, may
// send in any parameter: out-of-range and malformed numbers, dates and
// amounts, SQL, control bytes, a large text.
var hostileValues = []string{
	"-1", "0", "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "1e400", "NaN",
	"-0.001", "abc", "12abc", "1' OR '1'='1", "x\x00y", "2016-13-45", "0000-00-00", "\u202e\U0001F600",
	strings.Repeat("x", 10_000),
}

// hostileBaseline gives the id parameters an action reads a value that
// exists in the demo fixture, so that a hostile value in another parameter
// gets past the lookup and into the action's validation.
var hostileBaseline = map[string]string{
	"clientid": "1", "userid": "1", "serviceid": "1", "pid": "1", "gid": "1", "deptid": "1",
	"ticketid": "1", "contactid": "0", "adminid": "1", "paymentmethod": "paypal", "gateway": "paypal",
}

// TestHostileValuesEveryAction sends each parameter of each emulated action
// every hostile value, as a scalar and as a list, one parameter at a time,
// on the demo fixture (sweepHostile).
func TestHostileValuesEveryAction(t *testing.T) {
	t.Parallel() // independent, and among the slowest: overlap with the rest
	srv, db := newTestServer(t)
	var names []string
	for _, e := range actions.Catalog() {
		if e.Emulated {
			names = append(names, e.Name)
		}
	}
	sweepHostile(t, srv, db, names, hostileBaseline, nil, "", "[]")
}

// sweepHostile sends each parameter of each action of names on srv (its
// database db), then each of extra, every hostile value (a sample under
// the race detector), under its name with each of suffixes ("" for the
// name alone, "[]", "[1]"…), one parameter at a time, the action's other
// parameters that baseline names set to theirs. Every answer must be
// WHMCS-shaped: HTTP 200, JSON, result success or error, an error with a
// message but never the internal one; never a 5xx or a panic; an error
// writes nothing. The database must be intact afterwards.
func sweepHostile(t *testing.T, srv *Server, db *store.DB, names []string, baseline map[string]string, extra []string,
	suffixes ...string) {
	t.Helper()
	// An answer of result=error must leave the data version as it was (a
	// failed call writes nothing).
	dataVersion := dataVersionOf(t, db)
	// The watch sees writes: a successful LogActivity moves it.
	v0 := dataVersion()
	rec := post(srv, withAuth(url.Values{"action": {"LogActivity"}, "description": {"watch"}, "responsetype": {"json"}}))
	require.Contains(t, rec.Body.String(), `"result":"success"`)
	require.NotEqual(t, v0, dataVersion(), "PRAGMA data_version did not move on a write")

	values := hostileValues
	if raceEnabled {
		// The race detector slows SQLite about tenfold: a sample of the
		// values keeps every action and parameter covered.
		values = []string{"-1", "99999999999999999999999", "1' OR '1'='1", strings.Repeat("x", 10_000)}
	}
	calls := 0
	for _, name := range names {
		a, ok := actions.Lookup(actions.Normalize(name))
		require.True(t, ok, name)
		params := a.Params() // none for a few reference actions
		for _, p := range append(params, extra...) {
			for _, v := range values {
				for _, suffix := range suffixes {
					form := url.Values{"action": {name}, "responsetype": {"json"}}
					for _, q := range params {
						if b, ok := baseline[q]; ok && q != p {
							form.Set(q, b)
						}
					}
					form.Set(p+suffix, v)
					before := dataVersion()
					rec := post(srv, withAuth(form))
					calls++
					what := name + " " + p + suffix + "=" + truncate(v, 40)
					if !assert.Equal(t, http.StatusOK, rec.Code, what) {
						continue
					}
					var got struct {
						Result  string `json:"result"`
						Message string `json:"message"`
					}
					if !assert.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "%s: %s", what, truncate(rec.Body.String(), 200)) {
						continue
					}
					assert.Contains(t, []string{"success", "error"}, got.Result, what)
					if got.Result == "error" {
						assert.NotEmpty(t, got.Message, what)
						assert.NotEqual(t, actions.InternalMessage, got.Message, what)
						assert.Equal(t, before, dataVersion(), "%s: answered %q but wrote", what, got.Message)
					}
				}
			}
		}
	}
	t.Logf("%d calls", calls)
	verdict, err := db.IntegrityCheck(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ok", verdict)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
