package oci

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

const (
	audA = "https://app.example.com"
	audB = "https://other.example.com/"
)

// tokenCred creates a credential of alice's with two pairs and returns it
// with its password.
func tokenCred(t *testing.T, te *testEnv) Credential {
	t.Helper()
	res, body := te.do(t, "POST", credsPath, `{"name":"tok","description":"d","scopes":[`+
		`{"audience":"`+audA+`","scope":"urn:opc:resource:consumer::all"},`+
		`{"audience":"`+audB+`","scope":"read"}]}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	return decodeCredential(t, body)
}

// tokenRequest posts a token request with form and, when id is not
// empty, HTTP Basic of the form-urlencoded id and secret.
func (te *testEnv) tokenRequest(t *testing.T, id, secret string, form url.Values) reply {
	t.Helper()
	r := httptest.NewRequest("POST", "http://identity.example"+TokenPath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		r.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	return answer(te.serve(t, r))
}

// reply is an answer and its body.
type reply struct {
	res  *http.Response
	body string
}

func answer(res *http.Response, body string) reply { return reply{res, body} }

func tokenForm(scope string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "scope": {scope}}
}

// jwks fetches the published keys.
func (te *testEnv) jwks(t *testing.T) jose.JSONWebKeySet {
	t.Helper()
	res, body := te.serve(t, httptest.NewRequest("GET", "http://identity.example"+SigningCertPath, nil))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal([]byte(body), &set))
	return set
}

type accessClaims struct {
	jwt.Claims
	Scope    string `json:"scope"`
	ClientID string `json:"client_id"`
	UserOCID string `json:"user_ocid"`
	TokType  string `json:"tok_type"`
}

// verify checks a token's signature against the published keys and
// returns its claims.
func (te *testEnv) verify(t *testing.T, token string) accessClaims {
	t.Helper()
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	require.NoError(t, err)
	require.Len(t, parsed.Headers, 1)
	set := te.jwks(t)
	keys := set.Key(parsed.Headers[0].KeyID)
	require.Len(t, keys, 1, "the kid names a published key")
	var c accessClaims
	require.NoError(t, parsed.Claims(keys[0].Key, &c))
	return c
}

func issued(t *testing.T, a reply) string {
	t.Helper()
	res, body := a.res, a.body
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "no-store", res.Header.Get("Cache-Control"))
	var tr tokenResponse
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&tr), body)
	assert.Equal(t, "Bearer", tr.TokenType)
	assert.Equal(t, int64(3600), tr.ExpiresIn)
	return tr.AccessToken
}

func tokenRefused(t *testing.T, a reply, status int, code string) string {
	t.Helper()
	res, body := a.res, a.body
	require.Equal(t, status, res.StatusCode, body)
	var e TokenError
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&e), body)
	require.Equal(t, code, e.Error, body)
	require.NotEmpty(t, e.ErrorDescription)
	if status == http.StatusUnauthorized {
		assert.Equal(t, `Basic realm="oauth2"`, res.Header.Get("WWW-Authenticate"))
	}
	return e.ErrorDescription
}

func TestToken(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	c := tokenCred(t, te)

	// One pair: aud and scope from it, sub and client_id the credential,
	// exp an hour on the emulator's clock.
	token := issued(t, te.tokenRequest(t, c.ID, c.Password, tokenForm(audA+"urn:opc:resource:consumer::all")))
	claims := te.verify(t, token)
	assert.Equal(t, jwt.Audience{audA}, claims.Audience)
	assert.Equal(t, "urn:opc:resource:consumer::all", claims.Scope)
	assert.Equal(t, c.ID, claims.Subject)
	assert.Equal(t, c.ID, claims.ClientID)
	assert.Equal(t, alice, claims.UserOCID)
	assert.Equal(t, "AT", claims.TokType)
	assert.Equal(t, TokenIssuer, claims.Issuer)
	assert.Len(t, claims.ID, 32)
	now := testStart.Truncate(time.Second)
	assert.Equal(t, now.Add(time.Hour).Unix(), claims.Expiry.Time().Unix())
	assert.Equal(t, now.Unix(), claims.IssuedAt.Time().Unix())
	require.NoError(t, claims.ValidateWithLeeway(jwt.Expected{Issuer: TokenIssuer, AnyAudience: jwt.Audience{audA},
		Time: testStart}, 0))
	assert.Error(t, claims.ValidateWithLeeway(jwt.Expected{Time: testStart.Add(time.Hour + time.Second)}, 0), "expired after an hour")
	header, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	require.NoError(t, err)
	assert.Contains(t, string(header), `"typ":"JWT"`)
	assert.Contains(t, string(header), `"alg":"RS256"`)

	// Both pairs, the same one twice, in one request.
	token = issued(t, te.tokenRequest(t, c.ID, c.Password,
		tokenForm(audB+"read "+audA+"urn:opc:resource:consumer::all "+audB+"read")))
	claims = te.verify(t, token)
	assert.Equal(t, jwt.Audience{audB, audA}, claims.Audience)
	assert.Equal(t, "read urn:opc:resource:consumer::all", claims.Scope)

	// client_secret_post; and the password as sent, for clients that do
	// not form-urlencode it first.
	form := tokenForm(audB + "read")
	form.Set("client_id", c.ID)
	form.Set("client_secret", c.Password)
	issued(t, te.tokenRequest(t, "", "", form))
	r := httptest.NewRequest("POST", "http://identity.example"+TokenPath, strings.NewReader(tokenForm(audB+"read").Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth(c.ID, c.Password)
	issued(t, answer(te.serve(t, r)))

	// The key is the database's: another handler over it publishes and
	// signs with the same one.
	other := New(te.db, Options{Clock: te.h.clock, Logger: slog.New(slog.DiscardHandler)})
	w := httptest.NewRecorder()
	other.ServeHTTP(w, httptest.NewRequest("GET", SigningCertPath, nil))
	assert.JSONEq(t, func() string { b, _ := json.Marshal(te.jwks(t)); return string(b) }(), w.Body.String())
}

// TestTokenFormEncodedBasic: a password with characters form-urlencoding
// changes (the generated ones may hold + : #) works encoded, and a + sent
// raw is not taken for an encoded space only.
func TestTokenFormEncodedBasic(t *testing.T) {
	te := newTestEnv(t, Options{})
	const password = "a+b:c#d e"
	hashOf := func(s string) string {
		h, err := hashSecretForTest(s)
		require.NoError(t, err)
		return h
	}
	require.NoError(t, te.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutOCICredential(context.Background(), store.OCICredential{ID: "ocid1.credential.oc1..enc", UserID: alice,
			Name: "enc", Scopes: []store.OCIScope{{Audience: "a", Scope: "s"}}, PasswordHash: hashOf(password),
			LifecycleState: "ACTIVE", TimeCreated: 1, ETag: "e"})
	}))
	issued(t, te.tokenRequest(t, "ocid1.credential.oc1..enc", password, tokenForm("as")))
	// Raw, the way curl -u sends it: "a+b" decodes to "a b", so the text
	// as sent is tried too.
	r := httptest.NewRequest("POST", "http://identity.example"+TokenPath, strings.NewReader(tokenForm("as").Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetBasicAuth("ocid1.credential.oc1..enc", password)
	issued(t, answer(te.serve(t, r)))
}

func TestTokenRefused(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	c := tokenCred(t, te)
	good := tokenForm(audA + "urn:opc:resource:consumer::all")

	// Wrong password, unknown credential, no authentication, two ways.
	tokenRefused(t, te.tokenRequest(t, c.ID, c.Password+"x", good), 401, "invalid_client")
	tokenRefused(t, te.tokenRequest(t, "ocid1.credential.oc1..nobody", c.Password, good), 401, "invalid_client")
	tokenRefused(t, te.tokenRequest(t, "", "", good), 401, "invalid_client")
	both := tokenForm(audA + "urn:opc:resource:consumer::all")
	both.Set("client_secret", c.Password)
	assert.Contains(t, tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, both), 401, "invalid_client"), "not both")

	// Grants.
	tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, url.Values{"scope": good["scope"]}), 400, "invalid_request")
	pw := url.Values{"grant_type": {"password"}, "scope": good["scope"]}
	tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, pw), 400, "unsupported_grant_type")
	res, body := te.serve(t, httptest.NewRequest("GET", "http://identity.example"+TokenPath, nil))
	tokenRefused(t, reply{res, body}, 405, "invalid_request")
	assert.Equal(t, "POST", res.Header.Get("Allow"))

	// Scopes: a pair not held, an audience alone, a pair split in two,
	// one held and one not, none.
	for _, scope := range []string{audA + "read", audA, "urn:opc:resource:consumer::all", audA + " urn:opc:resource:consumer::all",
		audA + "urn:opc:resource:consumer::all " + audB + "write", ""} {
		msg := tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, tokenForm(scope)), 400, "invalid_scope")
		assert.NotContains(t, msg, c.Password)
	}

	// Inactive, then expired on the emulator's clock.
	setState := func(f func(*store.OCICredential)) {
		require.NoError(t, te.db.Update(context.Background(), func(tx *store.Tx) error {
			held, err := tx.OCICredentialByID(context.Background(), c.ID)
			require.NoError(t, err)
			f(&held)
			return tx.PutOCICredential(context.Background(), held)
		}))
	}
	setState(func(h *store.OCICredential) { h.LifecycleState = "INACTIVE" })
	assert.Contains(t, tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, good), 401, "invalid_client"), "INACTIVE")
	expires := testStart.Add(time.Minute).UnixMilli()
	setState(func(h *store.OCICredential) { h.LifecycleState, h.ExpiresOn = "ACTIVE", &expires })
	issued(t, te.tokenRequest(t, c.ID, c.Password, good))
	te.advance(time.Minute)
	assert.Contains(t, tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, good), 401, "invalid_client"), "expired")
	setState(func(h *store.OCICredential) { h.ExpiresOn = nil })

	// A password reset: the old password no longer works, the new one does.
	res, body = te.do(t, "PUT", credsPath+"/"+c.ID, `{"description":"d","scopes":[`+
		`{"audience":"`+audA+`","scope":"urn:opc:resource:consumer::all"}],"isResetPassword":true}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	reset := decodeCredential(t, body)
	tokenRefused(t, te.tokenRequest(t, c.ID, c.Password, good), 401, "invalid_client")
	issued(t, te.tokenRequest(t, c.ID, reset.Password, good))
	// The pair dropped by the update is no longer held.
	tokenRefused(t, te.tokenRequest(t, c.ID, reset.Password, tokenForm(audB+"read")), 400, "invalid_scope")

	// Deleted: refused.
	res, body = te.do(t, "DELETE", credsPath+"/"+c.ID, "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	tokenRefused(t, te.tokenRequest(t, c.ID, reset.Password, good), 401, "invalid_client")
}

func TestSigningCert(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	set := te.jwks(t) // unsigned: the keys are public
	require.Len(t, set.Keys, 1)
	k := set.Keys[0]
	assert.Equal(t, "RS256", k.Algorithm)
	assert.Equal(t, "sig", k.Use)
	assert.True(t, k.IsPublic())
	assert.True(t, k.Valid())
	assert.NotEmpty(t, k.KeyID)
	assert.Equal(t, set, te.jwks(t), "the same key every time")

	res, body := te.serve(t, httptest.NewRequest("POST", "http://identity.example"+SigningCertPath, nil))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)

	for _, tt := range []struct{ method, path, op string }{
		{"POST", TokenPath, "Token"}, {"GET", TokenPath, "Token"}, {"GET", SigningCertPath, "GetSigningCert"},
	} {
		assert.Equal(t, tt.op, Operation(te.request(tt.method, tt.path, "")))
	}
}

func TestWriteTokenError(t *testing.T) {
	te := newTestEnv(t, Options{})
	for status, code := range map[int]string{400: "invalid_request", 401: "invalid_client", 403: "access_denied", 429: "temporarily_unavailable",
		500: "server_error", 503: "temporarily_unavailable"} {
		w := httptest.NewRecorder()
		te.h.WriteTokenError(w, status, "down")
		assert.Equal(t, status, w.Code)
		assert.JSONEq(t, `{"error":"`+code+`","error_description":"down"}`, w.Body.String())
	}
}
