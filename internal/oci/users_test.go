package oci

import (
	"context"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

const usersPathT = "/20160918/users"

func decodeUser(t *testing.T, body string) User {
	t.Helper()
	var u User
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&u), body)
	return u
}

func userBody(name, email string) string {
	b, _ := json.Marshal(map[string]any{"compartmentId": tenancy, "name": name, "description": "d " + name, "email": email})
	return string(b)
}

func TestUserLifecycle(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})

	res, body := te.do(t, "POST", usersPathT, userBody("carol", "carol@example.com"), "opc-request-id", "req-1")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "req-1", res.Header.Get("opc-request-id"))
	etag := res.Header.Get("etag")
	require.NotEmpty(t, etag)
	u := decodeUser(t, body)
	assert.True(t, strings.HasPrefix(u.ID, "ocid1.user.oc1..aaaaaaaa"), u.ID)
	assert.Len(t, u.ID, len("ocid1.user.oc1..")+60)
	assert.Equal(t, tenancy, u.CompartmentID)
	assert.Equal(t, "carol", u.Name)
	assert.Equal(t, "d carol", u.Description)
	require.NotNil(t, u.Email)
	assert.Equal(t, "carol@example.com", *u.Email)
	assert.Equal(t, "ACTIVE", u.LifecycleState)
	assert.Equal(t, "2026-03-14T09:26:53.589Z", u.TimeCreated)
	assert.True(t, u.Capabilities.CanUseAPIKeys)
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &raw))
	assert.Contains(t, raw, "lastSuccessfulLoginTime", "null, not absent")

	// Get: the same user and etag.
	res, body = te.do(t, "GET", usersPathT+"/"+u.ID, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, etag, res.Header.Get("etag"))
	assert.Equal(t, u, decodeUser(t, body))
	res, body = te.do(t, "GET", usersPathT+"/ocid1.user.oc1..nobody", "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)

	// The new user uploads a key and signs with it.
	pemB := publicPEM(t, keyB)
	_, fpB, err := ParsePublicKey(pemB)
	require.NoError(t, err)
	keyBody, _ := json.Marshal(map[string]string{"key": pemB})
	res, body = te.do(t, "POST", usersPathT+"/"+u.ID+"/apiKeys", string(keyBody))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, etag, res.Header.Get("etag"), "a key's etag is its user's")
	var k APIKey
	require.NoError(t, json.Unmarshal([]byte(body), &k))
	assert.Equal(t, APIKey{KeyID: tenancy + "/" + u.ID + "/" + fpB, KeyValue: pemB, Fingerprint: fpB, UserID: u.ID,
		TimeCreated: "2026-03-14T09:26:53.589Z", LifecycleState: "ACTIVE"}, k)
	assert.Regexp(t, `^([0-9a-f]{2}:){15}[0-9a-f]{2}$`, k.Fingerprint)

	asCarol := func(method, target, body string, headers ...string) (*http.Response, string) {
		r := te.request(method, target, body, headers...)
		sign(t, r, k.KeyID, keyB)
		return te.serve(t, r)
	}
	res, body = asCarol("GET", usersPathT+"/"+u.ID, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	res, body = asCarol("POST", "/20160918/users/"+u.ID+"/oauth2ClientCredentials", createBody)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	cred := decodeCredential(t, body)

	// The same key again: 409; a key too small, or no key: 400.
	res, body = te.do(t, "POST", usersPathT+"/"+u.ID+"/apiKeys", string(keyBody))
	ociError(t, res, body, http.StatusConflict, CodeNotAuthorizedOrResourceAlreadyExists)
	small, err := rsa.GenerateKey(cryptorand.Reader, 1024)
	require.NoError(t, err)
	smallBody, _ := json.Marshal(map[string]string{"key": publicPEM(t, small)})
	res, body = te.do(t, "POST", usersPathT+"/"+u.ID+"/apiKeys", string(smallBody))
	assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), "1024-bit")
	res, body = te.do(t, "POST", usersPathT+"/"+u.ID+"/apiKeys", `{"key":"not a key"}`)
	assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), "PEM")
	res, body = te.do(t, "POST", usersPathT+"/"+u.ID+"/apiKeys", `{}`)
	ociError(t, res, body, http.StatusBadRequest, CodeMissingParameter)
	res, body = te.do(t, "POST", usersPathT+"/ocid1.user.oc1..nobody/apiKeys", string(keyBody))
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)

	// Delete: a stale if-match is 412; then the user, its key and its
	// credential are gone.
	res, body = te.do(t, "DELETE", usersPathT+"/"+u.ID, "", "if-match", "stale")
	ociError(t, res, body, http.StatusPreconditionFailed, CodeNoEtagMatch)
	res, body = te.do(t, "DELETE", usersPathT+"/"+u.ID, "", "if-match", etag)
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	res, body = asCarol("GET", usersPathT+"/"+u.ID, "")
	assert.Contains(t, ociError(t, res, body, http.StatusUnauthorized, CodeNotAuthenticated), "no user")
	res, body = te.do(t, "GET", usersPathT+"/"+u.ID, "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
	res, body = te.do(t, "DELETE", usersPathT+"/"+u.ID, "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
	require.NoError(t, te.db.View(context.Background(), func(tx *store.Tx) error {
		_, err := tx.OCICredentialByID(context.Background(), cred.ID)
		assert.ErrorIs(t, err, store.ErrNotFound)
		return nil
	}))
}

func TestCreateUserRefused(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	res, body := te.do(t, "POST", usersPathT, userBody("dave", "dave@example.com"))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	tests := []struct {
		name, body string
		status     int
		code, want string
	}{
		{"no compartment", `{"name":"x","description":""}`, 400, CodeMissingParameter, "compartmentId"},
		{"no name", `{"compartmentId":"` + tenancy + `","description":""}`, 400, CodeMissingParameter, "name"},
		{"no description", `{"compartmentId":"` + tenancy + `","name":"x"}`, 400, CodeMissingParameter, "description"},
		{"space in name", `{"compartmentId":"` + tenancy + `","name":"x y","description":""}`, 400, CodeInvalidParameter, "no spaces"},
		{"long name", `{"compartmentId":"` + tenancy + `","name":"` + strings.Repeat("x", MaxUserNameLength+1) + `","description":""}`,
			400, CodeInvalidParameter, "at most 100"},
		{"bad email", `{"compartmentId":"` + tenancy + `","name":"x","description":"","email":"nope"}`, 400, CodeInvalidParameter, "email"},
		{"tags", `{"compartmentId":"` + tenancy + `","name":"x","description":"","freeformTags":{"a":"b"}}`, 400, CodeInvalidParameter, "tags"},
		{"unknown field", `{"compartmentId":"` + tenancy + `","name":"x","description":"","nickname":"x"}`, 400, CodeInvalidParameter, "nickname"},
		{"not json", `{`, 400, CodeCannotParseRequest, "JSON"},
		{"other compartment", `{"compartmentId":"ocid1.compartment.oc1..c","name":"x","description":""}`, 400, CodeInvalidParameter, tenancy},
		{"name taken", userBody("DAVE", ""), 409, CodeNotAuthorizedOrResourceAlreadyExists, "name DAVE"},
		{"email taken", userBody("dave2", "Dave@Example.com"), 409, CodeNotAuthorizedOrResourceAlreadyExists, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", usersPathT, tt.body)
			assert.Contains(t, ociError(t, res, body, tt.status, tt.code), tt.want)
		})
	}
	res, body = te.do(t, "GET", usersPathT+"?compartmentId="+tenancy, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var users []User
	require.NoError(t, json.Unmarshal([]byte(body), &users))
	assert.Len(t, users, 3, "alice, bob and dave: nothing refused was stored")
}

func TestUserRetryToken(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	first, firstBody := te.do(t, "POST", usersPathT, userBody("erin", ""), "opc-retry-token", "t1")
	require.Equal(t, http.StatusOK, first.StatusCode, firstBody)
	te.advance(time.Minute)
	again, againBody := te.do(t, "POST", usersPathT, userBody("erin", ""), "opc-retry-token", "t1")
	require.Equal(t, http.StatusOK, again.StatusCode, againBody)
	assert.Equal(t, firstBody, againBody, "the same answer, not a 409 for the name")
	assert.Equal(t, first.Header.Get("etag"), again.Header.Get("etag"))
	res, body := te.do(t, "POST", usersPathT, userBody("frank", ""), "opc-retry-token", "t1")
	ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)
	// The same token on another operation is another request too.
	keyBody, _ := json.Marshal(map[string]string{"key": publicPEM(t, keyB)})
	res, body = te.do(t, "POST", usersPathT+"/"+bob+"/apiKeys", string(keyBody), "opc-retry-token", "t1")
	ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)

	// Once the user is deleted, a replay does not bring it back.
	u := decodeUser(t, firstBody)
	res, body = te.do(t, "DELETE", usersPathT+"/"+u.ID, "")
	require.Equal(t, http.StatusNoContent, res.StatusCode, body)
	res, body = te.do(t, "POST", usersPathT, userBody("erin", ""), "opc-retry-token", "t1")
	ociError(t, res, body, http.StatusConflict, CodeInvalidatedRetryToken)
	// After 24 hours the token is forgotten and a create is a create.
	te.advance(RetryTokenLifetime)
	res, body = te.do(t, "POST", usersPathT, userBody("erin", ""), "opc-retry-token", "t1")
	require.Equal(t, http.StatusOK, res.StatusCode, body)

	// An upload under a token replays while the key is there.
	res, body = te.do(t, "POST", usersPathT+"/"+bob+"/apiKeys", string(keyBody), "opc-retry-token", "k1")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	res, again2 := te.do(t, "POST", usersPathT+"/"+bob+"/apiKeys", string(keyBody), "opc-retry-token", "k1")
	require.Equal(t, http.StatusOK, res.StatusCode, again2)
	assert.Equal(t, body, again2)
}

func TestUploadAPIKeyLimit(t *testing.T) {
	te := newTestEnv(t, Options{})
	for i := range MaxAPIKeys + 1 {
		k, err := rsa.GenerateKey(cryptorand.Reader, 2048)
		require.NoError(t, err)
		b, _ := json.Marshal(map[string]string{"key": publicPEM(t, k)})
		res, body := te.do(t, "POST", usersPathT+"/"+bob+"/apiKeys", string(b))
		if i < MaxAPIKeys {
			require.Equal(t, http.StatusOK, res.StatusCode, body)
			continue
		}
		assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeLimitExceeded), "3 API keys")
	}
}

func TestListUsers(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	for _, name := range []string{"zed", "mia"} {
		te.advance(time.Second)
		res, body := te.do(t, "POST", usersPathT, userBody(name, ""))
		require.Equal(t, http.StatusOK, res.StatusCode, body)
	}
	list := func(query string) ([]string, string) {
		t.Helper()
		res, body := te.do(t, "GET", usersPathT+"?compartmentId="+tenancy+query, "")
		require.Equal(t, http.StatusOK, res.StatusCode, body)
		var users []User
		require.NoError(t, json.Unmarshal([]byte(body), &users))
		names := []string{}
		for _, u := range users {
			names = append(names, u.Name)
		}
		return names, res.Header.Get("opc-next-page")
	}
	all, next := list("")
	assert.Equal(t, []string{"alice", "bob", "zed", "mia"}, all, "oldest first (alice and bob at the same time, by id)")
	assert.Empty(t, next)

	// Paging, in every order.
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"alice", "bob", "zed", "mia"}},
		{"&sortBy=TIMECREATED", []string{"mia", "zed", "bob", "alice"}},
		{"&sortBy=NAME", []string{"alice", "bob", "mia", "zed"}},
		{"&sortBy=name&sortOrder=desc", []string{"zed", "mia", "bob", "alice"}},
	} {
		var got []string
		page := ""
		for {
			names, next := list(tt.query + "&limit=1" + page)
			got = append(got, names...)
			if next == "" {
				break
			}
			page = "&page=" + next
			require.Less(t, len(got), 10)
		}
		assert.Equal(t, tt.want, got, tt.query)
	}
	_, next = list("&limit=1&sortBy=NAME")
	res, body := te.do(t, "GET", usersPathT+"?compartmentId="+tenancy+"&page="+next, "")
	assert.Contains(t, ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter), "sort order")

	// Filters.
	names, _ := list("&name=mia")
	assert.Equal(t, []string{"mia"}, names)
	names, _ = list("&lifecycleState=active")
	assert.Len(t, names, 4)
	names, _ = list("&lifecycleState=INACTIVE")
	assert.Empty(t, names)
	names, _ = list("&identityProviderId=ocid1.saml2idp.oc1..x")
	assert.Empty(t, names, "no federated users")

	for _, tt := range []struct{ query, code string }{
		{"", CodeMissingParameter},
		{"compartmentId=" + tenancy + "&limit=0", CodeInvalidParameter},
		{"compartmentId=" + tenancy + "&sortBy=EMAIL", CodeInvalidParameter},
		{"compartmentId=" + tenancy + "&sortOrder=UP", CodeInvalidParameter},
		{"compartmentId=" + tenancy + "&lifecycleState=GONE", CodeInvalidParameter},
		{"compartmentId=" + tenancy + "&page=%21", CodeInvalidParameter},
	} {
		res, body := te.do(t, "GET", usersPathT+"?"+tt.query, "")
		ociError(t, res, body, http.StatusBadRequest, tt.code)
	}
	res, body = te.do(t, "GET", usersPathT+"?compartmentId=ocid1.compartment.oc1..other", "")
	ociError(t, res, body, http.StatusNotFound, CodeNotAuthorizedOrNotFound)
}

// TestFirstUserMakesTheTenancy: with signatures off and no users yet, a
// create names the tenancy.
func TestFirstUserMakesTheTenancy(t *testing.T) {
	te := newTestEnv(t, Options{})
	require.NoError(t, te.db.Update(context.Background(), func(tx *store.Tx) error { return tx.Wipe(context.Background()) }))
	res, body := te.serve(t, te.request("GET", usersPathT+"?compartmentId=ocid1.tenancy.oc1..new", ""))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "[]", body)
	res, body = te.serve(t, te.request("POST", usersPathT, `{"compartmentId":"ocid1.compartment.oc1..c","name":"x","description":""}`))
	ociError(t, res, body, http.StatusBadRequest, CodeInvalidParameter)
	res, body = te.serve(t, te.request("POST", usersPathT, `{"compartmentId":"ocid1.tenancy.oc1..new","name":"x","description":""}`))
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "ocid1.tenancy.oc1..new", decodeUser(t, body).CompartmentID)
	assert.Nil(t, decodeUser(t, body).Email)
}
