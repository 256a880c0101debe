package oci

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialLifecycle(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})

	res, body := te.do(t, "POST", credsPath, createBody, "opc-request-id", "my-request")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "my-request", res.Header.Get("opc-request-id"), "the caller's request id comes back")
	etag := res.Header.Get("etag")
	require.NotEmpty(t, etag)
	c := decodeCredential(t, body)
	assert.True(t, strings.HasPrefix(c.ID, "ocid1.credential.oc1..aaaaaaaa"), c.ID)
	assert.Len(t, c.ID, len("ocid1.credential.oc1..")+60)
	assert.Equal(t, alice, c.UserID)
	assert.Equal(t, tenancy, c.CompartmentID)
	assert.Equal(t, "ci", c.Name)
	assert.Equal(t, "for CI", c.Description)
	assert.Len(t, c.Password, 32)
	assert.Nil(t, c.ExpiresOn)
	assert.Equal(t, "ACTIVE", c.LifecycleState)
	assert.Equal(t, "2026-03-14T09:26:53.589Z", c.TimeCreated)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &raw))
	assert.Contains(t, raw, "expiresOn", "expiresOn is null, not absent")

	// List: no password.
	res, body = te.do(t, "GET", credsPath, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Empty(t, res.Header.Get("opc-next-page"))
	var listed []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &listed))
	require.Len(t, listed, 1)
	assert.NotContains(t, listed[0], "password")
	assert.Equal(t, c.ID, listed[0]["id"])

	item := credsPath + "/" + c.ID
	update := `{"description":"renamed","scopes":[{"audience":"a","scope":"s1"},{"audience":"a","scope":"s2"}]}`

	// A stale if-match is refused and changes nothing.
	res, body = te.do(t, "PUT", item, update, "if-match", "stale")
	msg := ociError(t, res, body, http.StatusPreconditionFailed, CodeNoEtagMatch)
	assert.Contains(t, msg, "does not match the ETag")

	// The right one (or none) goes through, with a new etag and no password.
	res, body = te.do(t, "PUT", item, update, "if-match", etag)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	etag2 := res.Header.Get("etag")
	assert.NotEqual(t, etag, etag2)
	u := decodeCredential(t, body)
	assert.Empty(t, u.Password)
	assert.Equal(t, "renamed", u.Description)
	assert.Equal(t, "ci", u.Name)
	assert.Len(t, u.Scopes, 2)

	// isResetPassword shows a new password.
	res, body = te.do(t, "PUT", item, `{"description":"renamed","scopes":[{"audience":"a","scope":"s"}],"isResetPassword":true}`)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	r := decodeCredential(t, body)
	assert.Len(t, r.Password, 32)
	assert.NotEqual(t, c.Password, r.Password)
	etag3 := res.Header.Get("etag")

	// Delete with the old etag: 412; with the current: 204; then 404.
	res, body = te.do(t, "DELETE", item, "", "if-match", etag2)
	ociError(t, res, body, http.StatusPreconditionFailed, CodeNoEtagMatch)
	res, body = te.do(t, "DELETE", item, "", "if-match", etag3)
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	assert.Empty(t, body)
	res, body = te.do(t, "DELETE", item, "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
	res, body = te.do(t, "GET", credsPath, "")
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "[]", body)
}

func TestCreateRefusals(t *testing.T) {
	scopes := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprintf(`{"audience":"a","scope":"s%d"}`, i)
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	tests := []struct {
		name, body, code string
	}{
		{"not json", `{"name":`, CodeCannotParseRequest},
		{"empty", ``, CodeCannotParseRequest},
		{"no name", `{"description":"d","scopes":` + scopes(1) + `}`, CodeMissingParameter},
		{"blank name", `{"name":" ","description":"d","scopes":` + scopes(1) + `}`, CodeInvalidParameter},
		{"no description", `{"name":"n","scopes":` + scopes(1) + `}`, CodeMissingParameter},
		{"no scopes", `{"name":"n","description":"d"}`, CodeMissingParameter},
		{"empty scopes", `{"name":"n","description":"d","scopes":[]}`, CodeInvalidParameter},
		{"eleven scopes", `{"name":"n","description":"d","scopes":` + scopes(11) + `}`, CodeInvalidParameter},
		{"scope without audience", `{"name":"n","description":"d","scopes":[{"scope":"s"}]}`, CodeMissingParameter},
		{"unknown field", `{"name":"n","description":"d","scopes":` + scopes(1) + `,"secret":"x"}`, CodeInvalidParameter},
		{"wrong type", `{"name":7,"description":"d","scopes":` + scopes(1) + `}`, CodeInvalidParameter},
	}
	te := newTestEnv(t, Options{VerifySignatures: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", credsPath, tt.body)
			ociError(t, res, body, http.StatusBadRequest, tt.code)
		})
	}
	res, body := te.do(t, "POST", credsPath, `{"name":"n","description":"d","scopes":`+scopes(10)+`}`)
	assert.Equal(t, http.StatusOK, res.StatusCode, "ten scopes are allowed: %s", body)

	res, body = te.do(t, "POST", "/20160918/users/ocid1.user.oc1..nobody/oauth2ClientCredentials", createBody)
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
}

func TestCredentialLimit(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true, MaxCredentialsPerUser: 2})
	for range 2 {
		res, body := te.do(t, "POST", credsPath, createBody)
		require.Equal(t, http.StatusOK, res.StatusCode, body)
	}
	res, body := te.do(t, "POST", credsPath, createBody)
	ociError(t, res, body, http.StatusBadRequest, CodeLimitExceeded)
	// Another user has room of their own.
	res, body = te.do(t, "POST", "/20160918/users/"+bob+"/oauth2ClientCredentials", createBody)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

func TestUpdateRefusals(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	res, body := te.do(t, "POST", credsPath, createBody)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	item := credsPath + "/" + decodeCredential(t, body).ID

	res, body = te.do(t, "PUT", item, `{"name":"x","description":"d","scopes":[{"audience":"a","scope":"s"}]}`)
	assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), "'name' cannot be changed")
	res, body = te.do(t, "PUT", item, `{"scopes":[{"audience":"a","scope":"s"}]}`)
	ociError(t, res, body, http.StatusBadRequest, CodeMissingParameter)
	res, body = te.do(t, "PUT", item, `{"description":"d"}`)
	ociError(t, res, body, http.StatusBadRequest, CodeMissingParameter)
	// The credential under another user's path is not found.
	res, body = te.do(t, "PUT", strings.Replace(item, alice, bob, 1), `{"description":"d","scopes":[{"audience":"a","scope":"s"}]}`)
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
	res, body = te.do(t, "PUT", credsPath+"/ocid1.credential.oc1..nothing", `{"description":"d","scopes":[{"audience":"a","scope":"s"}]}`)
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
	// "*" matches any etag.
	res, body = te.do(t, "PUT", item, `{"description":"d","scopes":[{"audience":"a","scope":"s"}]}`, "if-match", "*")
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

func TestRetryToken(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	res, first := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	require.Equal(t, http.StatusOK, res.StatusCode, first)
	etag := res.Header.Get("etag")

	// The same request again: the same answer, nothing new stored.
	res, again := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	require.Equal(t, http.StatusOK, res.StatusCode, again)
	assert.Equal(t, first, again)
	assert.Equal(t, etag, res.Header.Get("etag"))
	_, list := te.do(t, "GET", credsPath, "")
	var listed []Credential
	require.NoError(t, json.Unmarshal([]byte(list), &listed))
	assert.Len(t, listed, 1)

	// Another body under the same token: 409.
	res, body := te.do(t, "POST", credsPath, strings.Replace(createBody, `"ci"`, `"cd"`, 1), "opc-retry-token", "tok-1")
	ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)

	// After 24 hours the token is forgotten: a new credential.
	te.advance(RetryTokenLifetime + time.Second)
	res, later := te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	require.Equal(t, http.StatusOK, res.StatusCode, later)
	assert.NotEqual(t, decodeCredential(t, first).ID, decodeCredential(t, later).ID)

	// A token whose credential was deleted is invalidated.
	id := decodeCredential(t, later).ID
	res, body = te.do(t, "DELETE", credsPath+"/"+id, "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	res, body = te.do(t, "POST", credsPath, createBody, "opc-retry-token", "tok-1")
	ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)

	res, body = te.do(t, "POST", credsPath, createBody, "opc-retry-token", strings.Repeat("x", 65))
	ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter)
}

func TestListPagesAndFilters(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	var ids []string
	for range 5 {
		res, body := te.do(t, "POST", credsPath, createBody)
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		ids = append(ids, decodeCredential(t, body).ID)
		te.advance(time.Second)
	}
	var got []string
	page := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		target := credsPath + "?limit=2"
		if page != "" {
			target += "&page=" + page
		}
		res, body := te.do(t, "GET", target, "")
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		var listed []Credential
		require.NoError(t, json.Unmarshal([]byte(body), &listed))
		for _, c := range listed {
			got = append(got, c.ID)
		}
		if page = res.Header.Get("opc-next-page"); page == "" {
			break
		}
	}
	assert.Equal(t, ids, got, "every credential once, oldest first")

	res, body := te.do(t, "GET", credsPath+"?lifecycleState=active", "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, 5, strings.Count(body, `"ACTIVE"`), "the state filter ignores case")
	res, body = te.do(t, "GET", credsPath+"?lifecycleState=INACTIVE", "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "[]", body)

	for _, q := range []string{"limit=0", "limit=x", "limit=1001", "page=%21%21", "lifecycleState=GONE"} {
		res, body := te.do(t, "GET", credsPath+"?"+q, "")
		ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter)
	}
	res, body = te.do(t, "GET", "/20160918/users/ocid1.user.oc1..nobody/oauth2ClientCredentials", "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
}

func TestRoutes(t *testing.T) {
	te := newTestEnv(t, Options{})
	res, body := te.serve(t, te.request("PATCH", credsPath, ""))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	assert.Equal(t, "GET, POST", res.Header.Get("Allow"))
	res, body = te.serve(t, te.request("GET", credsPath+"/x", ""))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	res, body = te.serve(t, te.request("PUT", "/20160918/users", ""))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	assert.Equal(t, "GET, POST", res.Header.Get("Allow"))
	res, body = te.serve(t, te.request("PUT", "/20160918/users/"+alice, ""))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	assert.Equal(t, "GET, DELETE", res.Header.Get("Allow"))
	res, body = te.serve(t, te.request("GET", "/20160918/users/"+alice+"/apiKeys", ""))
	ociError(t, res, body, http.StatusMethodNotAllowed, CodeMethodNotAllowed)
	assert.Equal(t, "POST", res.Header.Get("Allow"))
	for _, p := range []string{"/20160918/groups", "/20160918/users/x/authTokens", "/20160918/"} {
		res, body = te.serve(t, te.request("GET", p, ""))
		ociError(t, res, body, http.StatusNotFound, CodeNotFound)
	}

	for _, tt := range []struct{ method, path, op string }{
		{"POST", credsPath, "CreateOAuthClientCredential"},
		{"GET", credsPath, "ListOAuthClientCredentials"},
		{"PUT", credsPath + "/x", "UpdateOAuthClientCredential"},
		{"DELETE", credsPath + "/x", "DeleteOAuthClientCredential"},
		{"PATCH", credsPath + "/x", ""},
		{"GET", "/20160918/users", "ListUsers"},
		{"POST", "/20160918/users", "CreateUser"},
		{"GET", "/20160918/users/x", "GetUser"},
		{"DELETE", "/20160918/users/x", "DeleteUser"},
		{"POST", "/20160918/users/x/apiKeys", "UploadApiKey"},
		{"GET", "/20160918/users/x/apiKeys", ""},
		{"PUT", "/20160918/users", ""},
		{"GET", "/20160918/groups", ""},
	} {
		assert.Equal(t, tt.op, Operation(te.request(tt.method, tt.path, "")), tt.method+" "+tt.path)
	}
}

func TestUnverifiedAcceptsUnsigned(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: false})
	res, body := te.serve(t, te.request("POST", credsPath, createBody))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	res, body = te.serve(t, te.request("GET", credsPath, "", "Authorization", "Signature garbage"))
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

// TestBodyLimits: a create or update with a field over its length limit
// is a 400 InvalidParameter naming the field and the limit, and stores
// nothing; at the limit it goes through.
func TestBodyLimits(t *testing.T) {
	body := func(name, desc, audience, scope string) string {
		b, err := json.Marshal(map[string]any{"name": name, "description": desc,
			"scopes": []map[string]string{{"audience": "a", "scope": "s"}, {"audience": audience, "scope": scope}}})
		require.NoError(t, err)
		return string(b)
	}
	long := func(n int) string { return strings.Repeat("é", n) }
	tests := []struct{ name, body, want string }{
		{"name", body(long(MaxNameLength+1), "d", "a", "s"), fmt.Sprintf("'name' must be at most %d characters long (got %d)", MaxNameLength, MaxNameLength+1)},
		{"description", body("n", long(100_000), "a", "s"), fmt.Sprintf("'description' must be at most %d characters", MaxDescriptionLength)},
		{"audience", body("n", "d", long(MaxAudienceLength+1), "s"), fmt.Sprintf("'scopes[1].audience' must be at most %d characters", MaxAudienceLength)},
		{"scope", body("n", "d", "a", long(MaxScopeLength+1)), fmt.Sprintf("'scopes[1].scope' must be at most %d characters", MaxScopeLength)},
	}
	te := newTestEnv(t, Options{VerifySignatures: true})
	res, created := te.do(t, "POST", credsPath, createBody)
	require.Equal(t, http.StatusOK, res.StatusCode, created)
	item := credsPath + "/" + decodeCredential(t, created).ID
	_, before := te.do(t, "GET", credsPath, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", credsPath, tt.body)
			assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), tt.want)
			if tt.name != "name" { // an update cannot name the credential
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(tt.body), &m))
				delete(m, "name")
				upd, err := json.Marshal(m)
				require.NoError(t, err)
				res, body = te.do(t, "PUT", item, string(upd))
				assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), tt.want)
			}
			_, after := te.do(t, "GET", credsPath, "")
			assert.Equal(t, before, after, "nothing stored")
		})
	}
	res, atLimits := te.do(t, "POST", credsPath, body(long(MaxNameLength), long(MaxDescriptionLength),
		long(MaxAudienceLength), long(MaxScopeLength)))
	assert.Equal(t, http.StatusOK, res.StatusCode, "at the limits: %s", atLimits)
}
