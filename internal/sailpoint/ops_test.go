package sailpoint

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Go operations (the console's) and the HTTP ones are one
// implementation: what one makes, the other lists, and both refuse alike.
func TestGoOperationsShareTheHTTPOnes(t *testing.T) {
	te := newTestEnv(t)
	ctx := context.Background()
	tok := te.mint(t, adminID, adminSecret)

	made, err := te.h.CreateClient(ctx, []byte(createBody))
	require.NoError(t, err)
	assert.Len(t, made.Secret, 64)
	// The secret works at the token endpoint.
	te.mint(t, made.ID, made.Secret)

	res, body := te.do(t, "GET", "/v3/oauth-clients/"+made.ID, "", "", tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Equal(t, "Demo API Client", decode(t, body)["name"])

	res, body = te.do(t, "POST", "/v3/oauth-clients", "application/json", createBody, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	listed, err := te.h.ListClients(ctx)
	require.NoError(t, err)
	ids := []string{}
	for _, c := range listed {
		ids = append(ids, c.ID)
	}
	assert.Contains(t, ids, decode(t, body)["id"])

	doc, err := te.h.PatchableValues(ctx, made.ID)
	require.NoError(t, err)
	assert.Len(t, doc, 13)
	assert.Equal(t, json.Number("750"), doc["accessTokenValiditySeconds"])

	patched, err := te.h.PatchClient(ctx, made.ID, []byte(`[{"op":"replace","path":"/description","value":"patched"}]`))
	require.NoError(t, err)
	assert.Equal(t, "patched", *patched.Description)
	_, err = te.h.PatchClient(ctx, made.ID, []byte(`[{"op":"replace","path":"/secret","value":"x"}]`))
	status, msg, ok := ErrorOf(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, msg, "only these fields can be patched")
	_, err = te.h.CreateClient(ctx, []byte(`{"name":"x"}`))
	status, msg, _ = ErrorOf(err)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, msg, "Required field")

	require.NoError(t, te.h.DeleteClient(ctx, made.ID))
	status, _, _ = ErrorOf(te.h.DeleteClient(ctx, made.ID))
	assert.Equal(t, http.StatusNotFound, status)
	_, err = te.h.GetClient(ctx, made.ID)
	status, _, _ = ErrorOf(err)
	assert.Equal(t, http.StatusNotFound, status)
}
