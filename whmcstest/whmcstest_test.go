package whmcstest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// demoFixture is the repository's demo fixture (README: "The demo fixture").
var demoFixture = filepath.Join("..", "testdata", "fixtures", "demo.json")

// fixedTime is 18th November 2016 9:32:24am, as WHMCS prints it.
var fixedTime = time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)

const fixedTimePHP = "18th November 2016 9:32:24am"

// newServerFunc makes a server in one mode.
type newServerFunc func(tb testing.TB, opts ...whmcstest.Option) *whmcstest.Server

// modes are the ways a server runs; every shared test body runs in each,
// so a difference between them fails a test.
var modes = []struct {
	name string
	opts []whmcstest.Option
}{
	{"socket", nil},
	{"no-socket", []whmcstest.Option{whmcstest.WithoutSocket()}},
}

// runModes runs body once per mode.
func runModes(t *testing.T, body func(t *testing.T, newServer newServerFunc)) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			body(t, func(tb testing.TB, opts ...whmcstest.Option) *whmcstest.Server {
				tb.Helper()
				return whmcstest.NewServer(tb, append(append([]whmcstest.Option(nil), m.opts...), opts...)...)
			})
		})
	}
}

// post calls an action over HTTP as s's credential, asking for JSON.
func post(t testing.TB, s *whmcstest.Server, action string, params url.Values) (*http.Response, []byte) {
	t.Helper()
	form := url.Values{
		"action": {action}, "identifier": {s.Identifier}, "secret": {s.Secret}, "responsetype": {"json"},
	}
	for k, vs := range params {
		form[k] = vs
	}
	resp, err := s.Client().PostForm(s.APIURL(), form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// oauthList is the part of ListOAuthCredentials the tests read.
type oauthList struct {
	Result  string `json:"result"`
	Clients []struct {
		CredentialID     int64  `json:"credentialId"`
		Name             string `json:"name"`
		ClientIdentifier string `json:"clientIdentifier"`
		ClientSecret     string `json:"clientSecret"`
		CreatedAt        string `json:"createdAt"`
	} `json:"clients"`
}

func list(t testing.TB, s *whmcstest.Server) oauthList {
	t.Helper()
	res := s.Call("ListOAuthCredentials", nil)
	require.True(t, res.OK(), "%s", res.JSON())
	var l oauthList
	require.NoError(t, res.Decode(&l))
	return l
}

// created is CreateOAuthCredential's answer.
type created struct {
	Result           string `json:"result"`
	CredentialID     int64  `json:"credentialId"`
	ClientIdentifier string `json:"clientIdentifier"`
	ClientSecret     string `json:"clientSecret"`
}

var appParams = url.Values{"grantType": {"authorization_code"}, "name": {"App"}, "scope": {"openid"}}

func createApp(t testing.TB, s *whmcstest.Server) created {
	t.Helper()
	res := s.Call("CreateOAuthCredential", appParams)
	require.True(t, res.OK(), "%s", res.JSON())
	var c created
	require.NoError(t, res.Decode(&c))
	return c
}

func TestHTTPAndLocalAPIAgree(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithFixtureFile(demoFixture))
		for _, tc := range []struct {
			name, action string
			params       url.Values
		}{
			{"list", "ListOAuthCredentials", nil},
			{"list sorted", "ListOAuthCredentials", url.Values{"sortField": {"name"}, "sortOrder": {"desc"}}},
			{"error", "CreateOAuthCredential", url.Values{"grantType": {"password"}}},
			{"unknown action", "NoSuchAction", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, body := post(t, s, tc.action, tc.params)
				res := s.Call(tc.action, tc.params)
				assert.Equal(t, string(res.JSON()), string(body))
				if tc.action != "NoSuchAction" {
					assert.Equal(t, http.StatusOK, resp.StatusCode)
					assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				}
			})
		}
	})
}

func TestCredentialAllowsEveryAction(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t) // no fixture at all
		require.Len(t, s.Identifier, 32)
		require.Len(t, s.Secret, 32)
		_, body := post(t, s, "CreateOAuthCredential", appParams)
		assert.Contains(t, string(body), `"result":"success"`)

		_, body = post(t, s, "ListOAuthCredentials", nil)
		assert.Contains(t, string(body), `"name":"App"`)

		form := url.Values{"action": {"ListOAuthCredentials"}, "identifier": {s.Identifier}, "secret": {"wrong"}, "responsetype": {"json"}}
		resp, err := s.Client().PostForm(s.APIURL(), form)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a wrong secret is refused")
	})
}

func TestReset(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithFixtureFile(demoFixture))
		before := list(t, s)
		require.Len(t, before.Clients, 2)

		_, body := post(t, s, "CreateOAuthCredential", appParams)
		require.Contains(t, string(body), `"result":"success"`)
		require.Len(t, list(t, s).Clients, 3)
		_, err := s.Emulator().Faults().Add(whmcsemu.Fault{Action: "ValidateLogin", Message: "down"})
		require.NoError(t, err)

		s.Reset()
		after := list(t, s)
		// Dates the fixture leaves out are "when loaded": for a real clock,
		// the time of the reset.
		for i := range before.Clients {
			before.Clients[i].CreatedAt = ""
		}
		for i := range after.Clients {
			after.Clients[i].CreatedAt = ""
		}
		assert.Equal(t, before, after, "the created credential is gone")
		assert.Empty(t, s.Emulator().Faults().List())
		assert.Zero(t, s.Emulator().Journal().Count(whmcsemu.JournalFilter{Action: "CreateOAuthCredential"}))

		// The whmcstest credential survives a reset.
		_, body = post(t, s, "ListOAuthCredentials", nil)
		assert.Contains(t, string(body), `"result":"success"`)
	})
}

func TestFixedClock(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithClock(fixedTime))
		assert.True(t, fixedTime.Equal(s.Emulator().Clock().Now()))
		createApp(t, s)
		l := list(t, s)
		require.Len(t, l.Clients, 1)
		assert.Equal(t, fixedTimePHP, l.Clients[0].CreatedAt)

		s.Emulator().Clock().Advance(48 * time.Hour)
		s.Reset()
		assert.True(t, fixedTime.Equal(s.Emulator().Clock().Now()), "Reset brings the clock back")
		assert.True(t, s.Emulator().Clock().Frozen())
		createApp(t, s)
		assert.Equal(t, fixedTimePHP, list(t, s).Clients[0].CreatedAt)
	})
}

// randomFixture makes the emulator generate values while loading it (a
// client uuid, an OAuth identifier and secret), so that a seeded server
// must continue its stream where loading left it.
var randomFixture = []byte(`{
	"settings": {"companyName": "Seeded Hosting"},
	"users": [{"id": 1, "email": "u@example.com", "password": "pw"}],
	"clients": [{"id": 1, "firstname": "No", "lastname": "Uuid", "ownerUserId": 1}],
	"oauthCredentials": [{"name": "Generated", "grantType": "authorization_code", "scope": "openid"}]
}`)

func TestSeed(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		for _, tc := range []struct {
			name string
			opts []whmcstest.Option
		}{
			{"no fixture", nil},
			{"fixture using randomness", []whmcstest.Option{whmcstest.WithFixture(randomFixture)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				opts := append([]whmcstest.Option{whmcstest.WithSeed(42)}, tc.opts...)
				a, b := newServer(t, opts...), newServer(t, opts...)
				assert.Equal(t, a.Identifier, b.Identifier)
				assert.Equal(t, a.Secret, b.Secret)
				assert.Equal(t, list(t, a), list(t, b), "what the fixture generated")

				first := createApp(t, a)
				assert.Equal(t, first, createApp(t, b))
				createApp(t, a) // move a's stream on
				a.Reset()
				assert.Equal(t, first, createApp(t, a), "the same values after Reset")

				other := newServer(t, append([]whmcstest.Option{whmcstest.WithSeed(43)}, tc.opts...)...)
				assert.NotEqual(t, a.Identifier, other.Identifier)
				assert.NotEqual(t, first.ClientSecret, createApp(t, other).ClientSecret)
			})
		}
	})
}

// TestSeedMatchesPlainEmulator checks that a server copied from a template
// generates what an emulator that loaded the fixture itself generates.
func TestSeedMatchesPlainEmulator(t *testing.T) {
	ctx := context.Background()
	plain, err := whmcsemu.Open(ctx, filepath.Join(t.TempDir(), "plain.db"), whmcsemu.Options{Seed: 7, Clock: func() time.Time { return fixedTime }})
	require.NoError(t, err)
	t.Cleanup(func() { plain.Close() })
	require.NoError(t, plain.LoadFixture(ctx, randomFixture))
	want := plain.Call(ctx, "CreateOAuthCredential", appParams, "")
	require.True(t, want.OK(), "%s", want.JSON())

	s := whmcstest.NewServer(t, whmcstest.WithSeed(7), whmcstest.WithClock(fixedTime), whmcstest.WithFixture(randomFixture))
	assert.Equal(t, string(want.JSON()), string(s.Call("CreateOAuthCredential", appParams).JSON()))
}

func TestWithFixtureValue(t *testing.T) {
	s := whmcstest.NewServer(t, whmcstest.WithFixture(randomFixture), whmcstest.WithoutSocket())
	l := list(t, s)
	require.Len(t, l.Clients, 1)
	assert.Equal(t, "Generated", l.Clients[0].Name)
	assert.True(t, strings.HasPrefix(createApp(t, s).ClientIdentifier, "SEEDED-HOSTING."))
}

func TestManyServers(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		const n = manyServers
		servers := make([]*whmcstest.Server, n)
		for i := range n {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				s := newServer(t, whmcstest.WithFixtureFile(demoFixture))
				servers[i] = s
				if i%20 == 0 {
					_, body := post(t, s, "ListOAuthCredentials", nil)
					assert.Contains(t, string(body), `"result":"success"`)
				}
			})
		}
		// Each subtest's cleanup has stopped its server.
		for i, s := range servers {
			if s == nil {
				continue
			}
			_, err := s.Client().Get(s.APIURL())
			assert.Error(t, err, "server %d still answers", i)
			s.Close() // again: nothing happens
		}
	})
}

func TestCloseIdempotent(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		before := runtime.NumGoroutine()
		s := newServer(t)
		_, body := post(t, s, "ListOAuthCredentials", nil)
		require.Contains(t, string(body), "success")
		s.Close()
		s.Close()
		_, err := s.Client().Get(s.APIURL())
		assert.Error(t, err)
		// The server's goroutines end; give the runtime a moment to reap them.
		assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+1 },
			5*time.Second, 10*time.Millisecond, "goroutines left running")
	})
}

func TestConcurrentClients(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithFixtureFile(demoFixture))
		want := s.Call("ListOAuthCredentials", nil).JSON()
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for range 10 {
					_, body := post(t, s, "ListOAuthCredentials", nil)
					assert.Equal(t, string(want), string(body))
				}
			})
		}
		wg.Wait()
	})
}

func TestControlPlaneAsLoopback(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithFixtureFile(filepath.Join("..", "testdata", "fixtures", "allowlist-loopback.json")))
		resp, err := s.Client().Get(s.URL + whmcsemu.ControlPrefix + "health")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)

		resp, err = s.Client().Post(s.URL+whmcsemu.ControlPrefix+"reset", "", nil)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)

		_, body := post(t, s, "ListOAuthCredentials", nil)
		assert.Contains(t, string(body), `"result":"success"`, "the allow-list lets loopback in")
	})
}

func TestLogger(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		var buf syncBuffer
		s := newServer(t, whmcstest.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
		post(t, s, "ListOAuthCredentials", nil)
		assert.Contains(t, buf.String(), "action=listoauthcredentials")
		assert.Contains(t, buf.String(), "ip=127.0.0.1")
		assert.NotContains(t, buf.String(), s.Secret)
	})
}

func TestBadFixtureFailsTheTest(t *testing.T) {
	dir := t.TempDir()
	for name, opt := range map[string]whmcstest.Option{
		"missing file":             whmcstest.WithFixtureFile(filepath.Join(dir, "missing.json")),
		"admin without a username": whmcstest.WithFixture([]byte(`{"admins": [{"username": ""}]}`)),
		"not JSON":                 whmcstest.WithFixture([]byte(`admins:`)),
		"nil document":             whmcstest.WithFixture(nil),
	} {
		t.Run(name, func(t *testing.T) {
			ft := &fatalTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				whmcstest.NewServer(ft, opt)
			}()
			<-done
			assert.True(t, strings.HasPrefix(ft.msg, "whmcstest: "), "Fatalf was called: %q", ft.msg)
		})
	}
}

// fatalTB records Fatalf instead of failing the test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSystemURLIsTheServers: without a systemUrl in the fixtures, the
// System URL is the server's own URL, so single sign-on links reach it.
func TestSystemURLIsTheServers(t *testing.T) {
	runModes(t, func(t *testing.T, newServer newServerFunc) {
		s := newServer(t, whmcstest.WithFixture([]byte(`{"users": [{"id": 1, "email": "u@example.com"}],
			"clients": [{"id": 1, "firstname": "U", "ownerUserId": 1}]}`)))
		var got struct {
			Result      string `json:"result"`
			RedirectURL string `json:"redirect_url"`
		}
		res := s.Call("CreateSsoToken", url.Values{"client_id": {"1"}})
		require.NoError(t, res.Decode(&got))
		require.Equal(t, "success", got.Result, "%s", res.JSON())
		assert.True(t, strings.HasPrefix(got.RedirectURL, s.URL+"/oauth/singlesignon.php?access_token="), got.RedirectURL)
	})
}
