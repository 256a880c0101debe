package whmcsemu_test

// The area tests (clients, billing, orders, products, services, tickets,
// users, projects, reference data, system, money, scenarios) use the
// emulator as a user of the module does: a whmcstest server, the API over
// HTTP, the local API, and the export. They all call it through call.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// The demo fixture's full-access credential, which call sends over HTTP:
// it belongs to the admin "admin" (id 1), whom answers name.
const (
	demoFixture    = "testdata/fixtures/demo.json"
	demoIdentifier = "DemoIdentifier000000000000000001"
	demoSecret     = "DemoSecret0000000000000000000001"
)

// testClock is the fixed time of test servers: 18th November 2016 9:32:24am.
var testClock = time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)

// newServer starts an emulator for t with the fixed clock and seed 1,
// served without a socket (its Client reaches it in-process), loaded with
// the fixture files given (none: an empty emulator, but for whmcstest's
// own credential).
func newServer(t testing.TB, fixtureFiles ...string) *whmcstest.Server {
	t.Helper()
	opts := []whmcstest.Option{whmcstest.WithClock(testClock), whmcstest.WithSeed(1), whmcstest.WithoutSocket()}
	for _, f := range fixtureFiles {
		opts = append(opts, whmcstest.WithFixtureFile(f))
	}
	return whmcstest.NewServer(t, opts...)
}

// newDemo is newServer with the demo fixture, then the fixture files given.
func newDemo(t testing.TB, fixtureFiles ...string) *whmcstest.Server {
	t.Helper()
	return newServer(t, append([]string{demoFixture}, fixtureFiles...)...)
}

// reply is an answer: its JSON body, its result and message, and all its
// top-level fields.
type reply struct {
	Body    string
	Result  string `json:"result"`
	Message string `json:"message"`
	Fields  map[string]any
}

// localAPI makes call run the action through the local API (Server.Call,
// as WHMCS's localAPI) acting as admin, a username or id ("" for no
// particular admin), instead of over HTTP.
type localAPI struct{ admin string }

// call runs action with params on s and returns the answer, decoding its
// JSON into out unless out is nil. It posts the action over HTTP (s.Client
// to s.APIURL) with the demo credential and responsetype=json, and
// requires HTTP 200 with a JSON body; given a localAPI, it runs the action
// through the local API instead.
func call(t testing.TB, s *whmcstest.Server, action string, params url.Values, out any, via ...localAPI) reply {
	t.Helper()
	var body []byte
	if len(via) > 0 {
		body = s.Emulator().Call(context.Background(), action, params, via[0].admin).JSON()
	} else {
		form := url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret}}
		for k, v := range params {
			form[k] = v
		}
		form.Set("action", action)
		form.Set("responsetype", "json")
		resp, err := s.Client().Post(s.APIURL(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err = io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", action, body)
		require.Equal(t, "application/json", resp.Header.Get("Content-Type"), action)
	}
	r := reply{Body: string(body)}
	require.NoError(t, json.Unmarshal(body, &r), "%s: %s", action, body)
	require.NoError(t, json.Unmarshal(body, &r.Fields), "%s: %s", action, body)
	if out != nil {
		require.NoError(t, json.Unmarshal(body, out), "%s: %s", action, body)
	}
	return r
}

// must is call for an action that must succeed.
func must(t testing.TB, s *whmcstest.Server, action string, params url.Values, out any, via ...localAPI) reply {
	t.Helper()
	r := call(t, s, action, params, out, via...)
	require.Equal(t, "success", r.Result, "%s: %s", action, r.Message)
	return r
}

// export returns s's state as an export shows it (JSON), which a test
// compares whole, or decodes into out (unless nil) to read parts of it.
func export(t testing.TB, s *whmcstest.Server, out any) string {
	t.Helper()
	data, err := s.Emulator().Export(context.Background())
	require.NoError(t, err)
	if out != nil {
		require.NoError(t, json.Unmarshal(data, out))
	}
	return string(data)
}

// replaceWith makes dst hold src's export alone (ReplaceFixtures wipes
// dst first, whmcstest's credential included), as an emulator that loads
// the export on an empty database; it returns the export.
func replaceWith(t testing.TB, dst, src *whmcstest.Server) string {
	t.Helper()
	data := export(t, src, nil)
	require.NoError(t, dst.Emulator().ReplaceFixtures(context.Background(), []byte(data)))
	return data
}

// load loads a fixture document into s.
func load(t testing.TB, s *whmcstest.Server, doc string) {
	t.Helper()
	require.NoError(t, s.Emulator().LoadFixture(context.Background(), []byte(doc)))
}
