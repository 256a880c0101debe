package whmcsemu

// Benchmarks of the local API per action and of one action over HTTP
// in-process. The machine-level comparison with a bare net/http server is
// go run ./internal/bench.
//
//	go test -run '^$' -bench . -benchmem
//	go test -run '^$' -bench CallListOAuthCredentials -cpuprofile cpu.out -memprofile mem.out

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// benchCredentials is how many OAuth credentials the benchmark server
// holds: the demo fixture's two and generated ones, a page of 25.
const benchCredentials = 25

// benchServer is the demo server plus OAuth credentials up to
// benchCredentials, shaped like the demo's "Demo App".
func benchServer(b *testing.B) *Server {
	b.Helper()
	srv, _ := newTestServer(b)
	doc := fixture.Document{}
	for id := 3; id <= benchCredentials; id++ {
		doc.OAuthCredentials = append(doc.OAuthCredentials, fixture.OAuthCredential{
			ID:               int64(id),
			ClientIdentifier: fmt.Sprintf("DEMO-HOSTING.YmVuY2gtaWRlbnRpZmllci0%04d", id),
			ClientSecret:     strings.Repeat("c2VjcmV0", 11),
			Name:             fmt.Sprintf("Bench App %d", id),
			Description:      fmt.Sprintf("A generated authorization_code client, number %d", id),
			GrantType:        "authorization_code",
			Scope:            "openid email profile",
			RedirectURI:      []string{fmt.Sprintf("https://app%d.example/callback", id)},
			LogoURI:          fmt.Sprintf("https://app%d.example/logo.png", id),
		})
	}
	data, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.LoadFixture(context.Background(), data); err != nil {
		b.Fatal(err)
	}
	return srv
}

// benchCall runs one local API call per iteration; params may change with
// the iteration number.
func benchCall(b *testing.B, action string, params func(i int) url.Values) {
	srv := benchServer(b)
	ctx := context.Background()
	if res := srv.Call(ctx, action, params(0), ""); !res.OK() {
		b.Fatalf("%s: %s", action, res.Err.Message)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if res := srv.Call(ctx, action, params(i), ""); !res.OK() {
			b.Fatalf("%s: %s", action, res.Err.Message)
		}
	}
}

func benchStatic(v url.Values) func(int) url.Values { return func(int) url.Values { return v } }

func BenchmarkCallListOAuthCredentials(b *testing.B) {
	benchCall(b, "ListOAuthCredentials", benchStatic(url.Values{"limit": {"25"}}))
}

func BenchmarkCallUpdateOAuthCredential(b *testing.B) {
	benchCall(b, "UpdateOAuthCredential", func(i int) url.Values {
		return url.Values{
			"credentialId": {strconv.Itoa(1 + i%benchCredentials)},
			"description":  {"bench update " + strconv.Itoa(i)},
		}
	})
}

func BenchmarkCallCreateOAuthCredential(b *testing.B) {
	benchCall(b, "CreateOAuthCredential", benchStatic(url.Values{
		"grantType": {"authorization_code"}, "name": {"Bench App"}, "description": {"made by a benchmark"},
		"scope": {"openid email profile"}, "redirectUri": {"https://bench.example/callback"},
		"logoUri": {"https://bench.example/logo.png"},
	}))
}

// BenchmarkCallValidateLogin includes one bcrypt verification (cost 4)
// per call: ValidateLogin checks a user's password every time.
func BenchmarkCallValidateLogin(b *testing.B) {
	benchCall(b, "ValidateLogin", benchStatic(url.Values{"email": {"jane@example.com"}, "password2": {"jane-password"}}))
}

func BenchmarkCallCreateSsoToken(b *testing.B) {
	benchCall(b, "CreateSsoToken", benchStatic(url.Values{"client_id": {"1"}, "user_id": {"3"}}))
}

// BenchmarkHTTPListOAuthCredentials serves the page of 25 through
// ServeHTTP (form parsing, authentication from the verification cache,
// JSON encoding, journal) without a socket. Building the request and the
// recorder counts too.
func BenchmarkHTTPListOAuthCredentials(b *testing.B) {
	srv := benchServer(b)
	form := url.Values{
		"action": {"ListOAuthCredentials"}, "identifier": {demoIdentifier}, "secret": {demoSecret},
		"responsetype": {"json"}, "limit": {"25"},
	}.Encode()
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, APIPath, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "127.0.0.1:40000"
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	rec := serve()
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), `{"result":"success"`) {
		b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkReset measures Reset of an emulator holding the demo fixture:
// what the control plane's reset costs, and each golden case's rerun.
func BenchmarkReset(b *testing.B) {
	srv, _ := newTestServer(b)
	ctx := context.Background()
	for b.Loop() {
		if err := srv.Reset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
