package oci

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// The Go operations (the console's) and the HTTP ones are one
// implementation: what one makes, the other lists, and both refuse alike.
func TestGoOperationsShareTheHTTPOnes(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	ctx := context.Background()

	u, err := te.h.CreateUser(ctx, "carol", "made in Go", "")
	require.NoError(t, err)
	assert.Equal(t, tenancy, u.CompartmentID)
	assert.Nil(t, u.Email)
	_, err = te.h.CreateUser(ctx, "carol", "again", "")
	status, code, _, ok := ErrorOf(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, http.StatusConflict, status)
	assert.Equal(t, CodeNotAuthorizedOrResourceAlreadyExists, code)
	users, err := te.h.ListUsers(ctx)
	require.NoError(t, err)
	require.Len(t, users, 3)
	assert.Equal(t, []string{"alice", "bob", "carol"}, []string{users[0].Name, users[1].Name, users[2].Name})
	got, err := te.h.GetUser(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "carol", got.Name)

	scopes := []store.OCIScope{{Audience: "https://a.example", Scope: "urn:one"}, {Audience: "https://b.example", Scope: "urn:two"}}
	c, err := te.h.CreateCredential(ctx, alice, "go", "from Go", scopes)
	require.NoError(t, err)
	assert.Len(t, c.Password, 32)
	assert.Equal(t, scopes, c.Scopes)

	// The HTTP list shows it, without the password.
	res, body := te.do(t, "GET", credsPath, "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var listed []Credential
	require.NoError(t, json.Unmarshal([]byte(body), &listed))
	require.Len(t, listed, 1)
	assert.Equal(t, c.ID, listed[0].ID)
	assert.Empty(t, listed[0].Password)

	// What HTTP creates, Go lists.
	te.advance(time.Second)
	res, body = te.do(t, "POST", credsPath, createBody)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	creds, err := te.h.ListCredentials(ctx, alice)
	require.NoError(t, err)
	require.Len(t, creds, 2)
	assert.Equal(t, decodeCredential(t, body).ID, creds[1].ID)

	// The same checks refuse alike.
	_, err = te.h.CreateCredential(ctx, alice, " ", "x", scopes)
	_, _, msg, ok := ErrorOf(err)
	require.True(t, ok)
	assert.Equal(t, "'name' must not be empty.", msg)
	_, err = te.h.CreateCredential(ctx, alice, "x", "x", nil)
	_, code, _, _ = ErrorOf(err)
	assert.Equal(t, CodeInvalidParameter, code)
	_, err = te.h.CreateCredential(ctx, "ocid1.user.oc1..nobody", "x", "x", scopes)
	status, _, _, _ = ErrorOf(err)
	assert.Equal(t, http.StatusNotFound, status)

	// Update with and without a reset, then delete.
	up, err := te.h.UpdateCredential(ctx, alice, c.ID, "changed", scopes[:1], false)
	require.NoError(t, err)
	assert.Empty(t, up.Password)
	assert.Equal(t, "changed", up.Description)
	up, err = te.h.UpdateCredential(ctx, alice, c.ID, "changed", scopes[:1], true)
	require.NoError(t, err)
	assert.Len(t, up.Password, 32)
	assert.NotEqual(t, c.Password, up.Password)
	require.NoError(t, te.h.DeleteCredential(ctx, alice, c.ID))
	err = te.h.DeleteCredential(ctx, alice, c.ID)
	status, _, _, _ = ErrorOf(err)
	assert.Equal(t, http.StatusNotFound, status)
	creds, err = te.h.ListCredentials(ctx, alice)
	require.NoError(t, err)
	assert.Len(t, creds, 1)
}
