package whmcsemu

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixture testdata/fixtures/oci.json: ci-admin signs with
// testdata/oci-sdk/testdata/oci_api_key.pem.
const (
	ociFixture  = "testdata/fixtures/oci.json"
	ociTenancy  = "ocid1.tenancy.oc1..aaaaaaaawhmcsemudemotenancy000000000000000000000000000000"
	ociAdmin    = "ocid1.user.oc1..aaaaaaaawhmcsemudemoadmin00000000000000000000000000000000000"
	ociApp      = "ocid1.user.oc1..aaaaaaaawhmcsemudemoapp0000000000000000000000000000000000000"
	ociKeyID    = ociTenancy + "/" + ociAdmin + "/5d:94:59:43:f5:70:df:15:c6:6a:3f:6c:a1:9b:85:e3"
	ociAppCreds = "/20160918/users/" + ociApp + "/oauth2ClientCredentials"
)

func ociKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "oci-sdk", "testdata", "oci_api_key.pem"))
	require.NoError(t, err)
	block, _ := pem.Decode(data)
	require.NotNil(t, block)
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	require.NoError(t, err)
	return k
}

// ociDo sends a request dated at the emulator's clock, signed by key as
// the OCI SDKs sign (key nil: unsigned).
func ociDo(t *testing.T, srv http.Handler, key *rsa.PrivateKey, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "http://identity.example"+target, strings.NewReader(body))
	r.Header.Set("Date", testClock.Format(http.TimeFormat))
	names := []string{"date", "(request-target)", "host"}
	if method == http.MethodPost || method == http.MethodPut {
		sum := sha256.Sum256([]byte(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		r.Header.Set("x-content-sha256", base64.StdEncoding.EncodeToString(sum[:]))
		names = append(names, "content-length", "content-type", "x-content-sha256")
	}
	if key != nil {
		lines := make([]string, len(names))
		for i, n := range names {
			switch n {
			case "(request-target)":
				lines[i] = n + ": " + strings.ToLower(method) + " " + r.RequestURI
			case "host":
				lines[i] = n + ": " + r.Host
			default:
				lines[i] = n + ": " + r.Header.Get(n)
			}
		}
		digest := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
		require.NoError(t, err)
		r.Header.Set("Authorization", `Signature version="1",headers="`+strings.Join(names, " ")+`",keyId="`+ociKeyID+
			`",algorithm="rsa-sha256",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, r)
	require.NotEmpty(t, rec.Header().Get("opc-request-id"), "every OCI answer has an opc-request-id")
	return rec
}

func ociControl(t *testing.T, srv http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	return serveControlRequest(srv, method, ControlPrefix+path, body)
}

// TestOCIMounted checks the dialect is served beside the WHMCS endpoint
// and shares its machinery: fixtures, signatures, journal, faults, clock,
// export and reset.
func TestOCIMounted(t *testing.T) {
	srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "oci.json"))
	key := ociKey(t)

	created := ociDo(t, srv, key, "POST", ociAppCreds,
		`{"name":"ci","description":"for CI","scopes":[{"audience":"aud","scope":"scope"}]}`)
	require.Equal(t, http.StatusOK, created.Code, created.Body.String())
	assert.NotEmpty(t, created.Header().Get("etag"))
	var cred struct{ ID, Password, CompartmentID string }
	require.NoError(t, json.Unmarshal(created.Body.Bytes(), &cred))
	assert.NotEmpty(t, cred.Password)
	assert.Equal(t, ociTenancy, cred.CompartmentID)

	listed := ociDo(t, srv, key, "GET", ociAppCreds, "")
	require.Equal(t, http.StatusOK, listed.Code, listed.Body.String())
	assert.Contains(t, listed.Body.String(), cred.ID)
	assert.Contains(t, listed.Body.String(), `"name":"analytics"`, "the fixture's credential")

	// Unsigned: 401 in OCI's shape.
	unsigned := ociDo(t, srv, nil, "GET", ociAppCreds, "")
	assert.Equal(t, http.StatusUnauthorized, unsigned.Code)
	assert.Contains(t, unsigned.Body.String(), `"code":"NotAuthenticated"`)

	// The journal names OCI requests by operation, with the signer.
	journal := func(op string) []JournalEntry {
		var got struct {
			Entries []JournalEntry `json:"entries"`
		}
		require.NoError(t, json.Unmarshal([]byte(get(t, srv, ControlPrefix+"journal?action="+op)), &got))
		return got.Entries
	}
	if entries := journal("OCICreateOAuth2ClientCredential"); assert.Len(t, entries, 1) {
		assert.Equal(t, http.StatusOK, entries[0].Status)
		assert.Equal(t, ociAdmin, entries[0].Caller)
	}
	if entries := journal("OCIListOAuth2ClientCredentials"); assert.Len(t, entries, 2) {
		assert.Equal(t, "error", entries[1].Result)
		assert.Empty(t, entries[1].Caller)
	}

	// A fault rule answers in OCI's shape.
	rec := ociControl(t, srv, "POST", "faults", `{"action":"OCIListOAuth2ClientCredentials","status":503,"times":1,"message":"down"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	faulted := ociDo(t, srv, key, "GET", ociAppCreds, "")
	assert.Equal(t, http.StatusServiceUnavailable, faulted.Code)
	assert.JSONEq(t, `{"code":"ServiceUnavailable","message":"down"}`, faulted.Body.String())
	assert.Equal(t, http.StatusOK, ociDo(t, srv, key, "GET", ociAppCreds, "").Code, "the rule retired after one hit")

	// The Date is checked against the emulator's clock.
	rec = ociControl(t, srv, "POST", "clock", `{"time":"2016-11-18T09:40:00Z"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	skewed := ociDo(t, srv, key, "GET", ociAppCreds, "")
	assert.Equal(t, http.StatusUnauthorized, skewed.Code)
	assert.Contains(t, skewed.Body.String(), "emulator's clock")
	require.Equal(t, http.StatusOK, ociControl(t, srv, "POST", "clock", `{"time":"2016-11-18T09:32:24Z"}`).Code)

	// Export holds the section; reset puts back the fixture.
	assert.Contains(t, get(t, srv, ControlPrefix+"export"), cred.ID)
	rec = ociControl(t, srv, "POST", "reset", "")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	after := ociDo(t, srv, key, "GET", ociAppCreds, "")
	require.Equal(t, http.StatusOK, after.Code, after.Body.String())
	assert.NotContains(t, after.Body.String(), cred.ID)
	assert.Contains(t, after.Body.String(), `"name":"analytics"`)
}

// TestOCISkipSignatures checks the switch that turns verification off.
func TestOCISkipSignatures(t *testing.T) {
	srv, _ := newTestServerWith(t, ociFixture, func(o *Options) {
		o.OCISkipSignatures = true
		o.OCIMaxCredentialsPerUser = 2
	})
	body := `{"name":"n","description":"d","scopes":[{"audience":"a","scope":"s"}]}`
	rec := ociDo(t, srv, nil, "POST", ociAppCreds, body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	// The app user has the fixture's credential and this one: at the limit of 2.
	rec = ociDo(t, srv, nil, "POST", ociAppCreds, body)
	assert.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Contains(t, rec.Body.String(), `"code":"LimitExceeded"`)
}
