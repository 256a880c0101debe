// Package oauthclients is the acceptance test of WHMCS as an OpenID
// Connect provider: golang.org/x/oauth2 and github.com/coreos/go-oidc/v3,
// as a relying party uses them, run the authorization code flow against
// the real whmcsemu binary over HTTP (a browser's part played by an HTTP
// client with a cookie jar that fills in the HTML forms). A module of its
// own, so that the main module does not depend on the clients; it builds
// the binary from the repository and talks to it over HTTP only:
//
//	cd testdata/oauth-clients && go test ./...
package oauthclients

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whmcsemu/whmcsemu/testdata/emulatortest"
)

// From ../fixtures/oidc.json.
const (
	appID        = "OIDC-HOSTING.b2lkYy1hcHAtb25l"
	appSecret    = "b2lkYy1zZWNyZXQtb25l+with/slash=" // + / =: must be form-encoded in HTTP Basic
	appRedirect  = "http://app.localhost/callback"
	secondID     = "OIDC-HOSTING.b2lkYy1hcHAtdHdv"
	secondSecret = "b2lkYy1zZWNyZXQtdHdv"
	apiID        = "OIDCIdentifier000000000000000001"
	apiSecret    = "OIDCSecret0000000000000000000001"
	janeEmail    = "jane@example.com"
	janePassword = "jane-password"
	samEmail     = "sam@example.com"
	samPassword  = "sam-password"
	samTOTP      = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
)

func TestMain(m *testing.M) { emulatortest.Main(m) }

// emulator is a running whmcsemu.
type emulator struct {
	url string // http://127.0.0.1:port, no trailing slash: the issuer
}

// start runs whmcsemu on a free port and a new database loaded with the
// OpenID Connect fixture, and stops it when the test ends.
func start(t *testing.T) *emulator {
	t.Helper()
	return &emulator{url: emulatortest.Start(t, "--fixtures", filepath.Join("..", "fixtures", "oidc.json")).URL}
}

// advanceClock moves the emulator's clock through the control plane.
func (e *emulator) advanceClock(t *testing.T, d string) {
	t.Helper()
	resp, err := http.Post(e.url+"/_whmcsemu/clock", "application/json", strings.NewReader(`{"advance":"`+d+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("advancing the clock: %d %s", resp.StatusCode, body)
	}
}

// api calls a WHMCS API action with the fixture's API credential.
func (e *emulator) api(t *testing.T, action string, params url.Values) string {
	t.Helper()
	form := url.Values{"action": {action}, "identifier": {apiID}, "secret": {apiSecret}, "responsetype": {"json"}}
	for k, v := range params {
		form[k] = v
	}
	resp, err := http.PostForm(e.url+"/includes/api.php", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"result":"success"`) {
		t.Fatalf("%s: %d %s", action, resp.StatusCode, body)
	}
	return string(body)
}

func ctx(t *testing.T) context.Context { return t.Context() }
