// Package browser is the acceptance test of whmcsemu's web console: headless
// Chromium (Debian's chromium package), driven with github.com/chromedp/chromedp,
// walks Oracle's credential flow, the WHMCS and SailPoint create-reset-delete
// flows, the journal, a fault, the clock and a ban against the real binary,
// and checks what it did through the emulator's HTTP APIs. A module of its
// own, so that the main module's tests need no browser:
//
//	cd testdata/browser && go test ./...
//	cd testdata/browser && go test ./... -update-screenshots   # rewrites docs/screenshots/*.png
package browser

import (
	"crypto"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"time"

	"github.com/whmcsemu/whmcsemu/testdata/emulatortest"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the console's screenshots to docs/screenshots")

func TestMain(m *testing.M) { emulatortest.Main(m) }

// From ../fixtures/demo.json, oci.json and sailpoint.json.
const (
	apiID        = "DemoIdentifier000000000000000001"
	apiSecret    = "DemoSecret0000000000000000000001"
	tenancy      = "ocid1.tenancy.oc1..aaaaaaaawhmcsemudemotenancy000000000000000000000000000000"
	ciAdmin      = "ocid1.user.oc1..aaaaaaaawhmcsemudemoadmin00000000000000000000000000000000000"
	spBootstrap  = "2c9180835d2e5168015d32f890ca1581"
	spBootSecret = "bootstrap-secret"
)

// emulator is a running whmcsemu.
type emulator struct {
	url, console string
	key          *rsa.PrivateKey // ci-admin's signing key
	keyID        string
}

// start runs whmcsemu on a free port and a new database loaded with the
// demo fixture, OCI's on top, and bans after three failed logins.
func start(t *testing.T) *emulator {
	t.Helper()
	run := emulatortest.Start(t, "--fixtures", filepath.Join("..", "fixtures", "demo.json"), "--ban-after", "3")
	e := emulator{url: run.URL, console: run.Console}
	if e.console != e.url+"/_whmcsemu/console/" {
		t.Fatalf("whmcsemu's console is at %q", e.console)
	}
	fixture, err := os.ReadFile(filepath.Join("..", "fixtures", "oci.json"))
	if err != nil {
		t.Fatal(err)
	}
	e.control(t, "POST", "/fixtures", string(fixture), http.StatusOK)
	e.key, e.keyID = loadKey(t)
	return &e
}

// control calls the control plane with a JSON body and returns its answer.
func (e *emulator) control(t *testing.T, method, path, body string, want int) map[string]any {
	t.Helper()
	req, err := http.NewRequest(method, e.url+"/_whmcsemu"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, text := do(t, req)
	if res.StatusCode != want {
		t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, text)
	}
	var out map[string]any
	_ = json.Unmarshal([]byte(text), &out)
	return out
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// api calls a WHMCS API action with the demo's API credential.
func (e *emulator) api(t *testing.T, action string, params url.Values) (int, map[string]any) {
	t.Helper()
	form := url.Values{"action": {action}, "identifier": {apiID}, "secret": {apiSecret}, "responsetype": {"json"}}
	for k, v := range params {
		form[k] = v
	}
	res, err := http.PostForm(e.url+"/includes/api.php", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %d %s", action, res.StatusCode, b)
	}
	return res.StatusCode, out
}

// loadKey reads ci-admin's private key (testdata/oci-sdk) and makes the
// keyId OCI signatures name: tenancy/user/fingerprint, the fingerprint the
// MD5 of the DER public key.
func loadKey(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "oci-sdk", "testdata", "oci_api_key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		t.Fatal("oci_api_key.pem holds no PEM block")
	}
	var key *rsa.PrivateKey
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		key = k.(*rsa.PrivateKey)
	} else if key, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return key, tenancy + "/" + ciAdmin + "/" + strings.Join(parts, ":")
}

// oci sends an OCI identity request signed as ci-admin, as the OCI SDKs
// sign (draft-cavage HTTP signatures, rsa-sha256).
func (e *emulator) oci(t *testing.T, method, path, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	names := []string{"date", "(request-target)", "host"}
	if method == http.MethodPost || method == http.MethodPut {
		sum := sha256.Sum256([]byte(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Length", strconv.Itoa(len(body)))
		req.Header.Set("x-content-sha256", base64.StdEncoding.EncodeToString(sum[:]))
		names = append(names, "content-length", "content-type", "x-content-sha256")
	}
	lines := make([]string, len(names))
	for i, n := range names {
		switch n {
		case "(request-target)":
			lines[i] = n + ": " + strings.ToLower(method) + " " + req.URL.RequestURI()
		case "host":
			lines[i] = n + ": " + req.URL.Host
		default:
			lines[i] = n + ": " + req.Header.Get(n)
		}
	}
	digest := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, e.key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", `Signature version="1",headers="`+strings.Join(names, " ")+`",keyId="`+e.keyID+
		`",algorithm="rsa-sha256",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	return do(t, req)
}

// ociToken asks OCI's token endpoint for a token: client credentials,
// HTTP Basic with the credential's OCID and secret.
func (e *emulator) ociToken(t *testing.T, id, secret, scope string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.url+"/oauth2/v1/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	res, body := do(t, req)
	var out map[string]any
	_ = json.Unmarshal([]byte(body), &out)
	return res.StatusCode, out
}

// sailPointToken mints a SailPoint token (client credentials).
func (e *emulator) sailPointToken(t *testing.T, id, secret string) (int, string) {
	t.Helper()
	res, err := http.PostForm(e.url+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
		"client_secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.AccessToken
}

// sailPoint calls SailPoint's v3 API with a bearer token.
func (e *emulator) sailPoint(t *testing.T, method, path, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, body := do(t, req)
	var out map[string]any
	_ = json.Unmarshal([]byte(body), &out)
	return res.StatusCode, out
}
