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
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

// TestOCIUsersMounted: the user operations go by their own names in the
// journal and fault rules.
func TestOCIUsersMounted(t *testing.T) {
	srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "oci.json"))
	key := ociKey(t)
	created := ociDo(t, srv, key, "POST", "/20160918/users",
		`{"compartmentId":"`+ociTenancy+`","name":"ops","description":"made by the test"}`)
	require.Equal(t, http.StatusOK, created.Code, created.Body.String())
	var u struct{ ID string }
	require.NoError(t, json.Unmarshal(created.Body.Bytes(), &u))
	listed := ociDo(t, srv, key, "GET", "/20160918/users?compartmentId="+ociTenancy, "")
	require.Equal(t, http.StatusOK, listed.Code, listed.Body.String())
	assert.Contains(t, listed.Body.String(), u.ID)

	rec := ociControl(t, srv, "POST", "faults", `{"action":"OCIGetUser","status":500,"times":1,"message":"boom"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	faulted := ociDo(t, srv, key, "GET", "/20160918/users/"+u.ID, "")
	assert.Equal(t, http.StatusInternalServerError, faulted.Code)
	assert.JSONEq(t, `{"code":"InternalServerError","message":"boom"}`, faulted.Body.String())
	require.Equal(t, http.StatusOK, ociDo(t, srv, key, "GET", "/20160918/users/"+u.ID, "").Code)
	require.Equal(t, http.StatusNoContent, ociDo(t, srv, key, "DELETE", "/20160918/users/"+u.ID, "").Code)

	for op, n := range map[string]int{"OCICreateUser": 1, "OCIListUsers": 1, "OCIGetUser": 2, "OCIDeleteUser": 1} {
		var got struct {
			Entries []JournalEntry `json:"entries"`
		}
		require.NoError(t, json.Unmarshal([]byte(get(t, srv, ControlPrefix+"journal?action="+op)), &got))
		if assert.Len(t, got.Entries, n, op) {
			assert.Equal(t, ociAdmin, got.Entries[n-1].Caller, op)
		}
	}
}

// TestOCITokenMounted: the token endpoint and the JWK set are served
// through the dialect wrapper: journal (OCIToken, the credential as
// caller, never the password), faults in the OAuth error shape, and a
// wrong password counting towards the IP ban.
func TestOCITokenMounted(t *testing.T) {
	srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "oci.json"))
	srv.bans = newBans(BanPolicy{After: 3, Window: time.Hour, Duration: time.Hour}, srv.clock, srv.db, srv.log)
	const (
		cred     = "ocid1.credential.oc1..aaaaaaaawhmcsemudemocredential000000000000000000000000000"
		password = "oci-demo-password"
		scope    = "https://analytics.example.oraclecloud.comurn:opc:resource:consumer::all"
	)
	token := func(secret string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/oauth2/v1/token",
			strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.SetBasicAuth(url.QueryEscape(cred), url.QueryEscape(secret))
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		return rec
	}
	ok := token(password)
	require.Equal(t, http.StatusOK, ok.Code, ok.Body.String())
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(ok.Body.Bytes(), &tr))
	jwks := httptest.NewRecorder()
	srv.ServeHTTP(jwks, httptest.NewRequest("GET", "/admin/v1/SigningCert/jwk", nil))
	require.Equal(t, http.StatusOK, jwks.Code, jwks.Body.String())
	assert.Contains(t, jwks.Body.String(), `"alg":"RS256"`)

	rec := ociControl(t, srv, "POST", "faults", `{"action":"OCIToken","status":503,"times":1,"message":"down"}`)
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	faulted := token(password)
	assert.Equal(t, http.StatusServiceUnavailable, faulted.Code)
	assert.JSONEq(t, `{"error":"temporarily_unavailable","error_description":"down"}`, faulted.Body.String())

	journal := get(t, srv, ControlPrefix+"journal?action=OCIToken")
	var got struct {
		Entries []JournalEntry `json:"entries"`
	}
	require.NoError(t, json.Unmarshal([]byte(journal), &got))
	if assert.Len(t, got.Entries, 2) {
		assert.Equal(t, cred, got.Entries[0].Caller)
		assert.Equal(t, http.StatusOK, got.Entries[0].Status)
	}
	assert.NotContains(t, journal, password)
	assert.NotContains(t, journal, tr.AccessToken)
	assert.Contains(t, get(t, srv, ControlPrefix+"journal?action=OCIGetSigningCert"), `"status": 200`)

	for range 3 {
		assert.Equal(t, http.StatusUnauthorized, token("wrong").Code)
	}
	banned := token(password)
	assert.Equal(t, http.StatusForbidden, banned.Code, "the right password from a banned IP")
	assert.Contains(t, banned.Body.String(), `"error":"access_denied"`)
	assert.NotContains(t, get(t, srv, ControlPrefix+"journal"), password)
}
