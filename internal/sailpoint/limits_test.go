package sailpoint

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// copyPatch is the reported attack: one redirect URI of uriLen bytes
// added, then copied n times, all in a patch a few hundred kB long.
func copyPatch(uriLen, n int) string {
	var b strings.Builder
	b.WriteString(`[{"op":"add","path":"/redirectUris/0","value":"https://acme.example/` + strings.Repeat("a", uriLen) + `"}`)
	for range n {
		b.WriteString(`,{"op":"copy","from":"/redirectUris/0","path":"/redirectUris/-"}`)
	}
	b.WriteString("]")
	return b.String()
}

// TestPatchLimits sends patches that would store a huge client: each must
// be a 400 ErrorResponseDto naming the field or limit, and the stored
// client must be exactly as it was. Before the limits, the first one was
// accepted and stored a 400 MB client.
func TestPatchLimits(t *testing.T) {
	longURI := `"https://acme.example/` + strings.Repeat("u", MaxURLLength) + `"`
	uris := make([]string, MaxRedirectURIs+1)
	for i := range uris {
		uris[i] = fmt.Sprintf(`"https://acme.example/cb%d"`, i)
	}
	tooMany := `[{"op":"replace","path":"/redirectUris","value":[` + strings.Join(uris, ",") + `]}]`
	var manyOps strings.Builder
	manyOps.WriteString("[")
	for i := range MaxPatchOperations + 1 {
		if i > 0 {
			manyOps.WriteString(",")
		}
		manyOps.WriteString(`{"op":"test","path":"/enabled","value":true}`)
	}
	manyOps.WriteString("]")
	tests := []struct{ name, patch, want string }{
		{"100 kB redirect URI copied 3000 times", copyPatch(100_000, 3000), fmt.Sprintf("at most %d operations", MaxPatchOperations)},
		{"100 kB redirect URI copied 900 times", copyPatch(100_000, 900), "Operation 10 (copy) makes the patched client too large: the document would grow to about 1100662 bytes, over the limit of 1048576"},
		{"small redirect URI copied too often", copyPatch(10, 60), fmt.Sprintf("at most %d", MaxRedirectURIs)},
		{"one long redirect URI", copyPatch(100_000, 0), fmt.Sprintf("redirectUris[0] must be at most %d characters", MaxURLLength)},
		{"redirect URI list replaced by too many", tooMany, fmt.Sprintf("redirectUris holds %d entries", MaxRedirectURIs+1)},
		{"long name", `[{"op":"replace","path":"/name","value":"` + strings.Repeat("n", MaxNameLength+1) + `"}]`,
			fmt.Sprintf("name must be at most %d characters", MaxNameLength)},
		{"long business name", `[{"op":"replace","path":"/businessName","value":"` + strings.Repeat("é", MaxNameLength+1) + `"}]`,
			fmt.Sprintf("businessName must be at most %d characters", MaxNameLength)},
		{"long description", `[{"op":"replace","path":"/description","value":"` + strings.Repeat("d", MaxDescriptionLength+1) + `"}]`,
			fmt.Sprintf("description must be at most %d characters", MaxDescriptionLength)},
		{"long homepage", `[{"op":"replace","path":"/homepageUrl","value":` + longURI + `}]`,
			fmt.Sprintf("homepageUrl must be at most %d characters", MaxURLLength)},
		{"long tenant", `[{"op":"add","path":"/tenant","value":"` + strings.Repeat("t", MaxNameLength+1) + `"}]`,
			fmt.Sprintf("tenant must be at most %d characters", MaxNameLength)},
		{"too many operations", manyOps.String(), fmt.Sprintf("at most %d operations", MaxPatchOperations)},
	}
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	te.putClient(t, clientWith(patchID, true), "s")
	stored := func() store.SailPointClient {
		var c store.SailPointClient
		require.NoError(t, te.db.View(t.Context(), func(tx *store.Tx) (err error) {
			c, err = tx.SailPointClientByID(t.Context(), patchID)
			return err
		}))
		return c
	}
	before := stored()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json", tt.patch, tok)
			require.Equal(t, http.StatusBadRequest, res.StatusCode, truncated(body))
			assert.Contains(t, errorText(t, body), tt.want)
			assert.Equal(t, before, stored(), "a refused patch stores nothing")
		})
	}

	// At the limits, the same kinds of patch apply.
	uris = uris[:MaxRedirectURIs]
	uris[0] = `"https://acme.example/` + strings.Repeat("u", MaxURLLength-len("https://acme.example/")) + `"`
	atLimits := `[{"op":"replace","path":"/redirectUris","value":[` + strings.Join(uris, ",") + `]},
		{"op":"replace","path":"/name","value":"` + strings.Repeat("n", MaxNameLength) + `"},
		{"op":"replace","path":"/description","value":"` + strings.Repeat("ü", MaxDescriptionLength) + `"}]`
	res, body := te.do(t, "PATCH", "/v3/oauth-clients/"+patchID, "application/json-patch+json", atLimits, tok)
	require.Equal(t, http.StatusOK, res.StatusCode, truncated(body))
	assert.Len(t, stored().RedirectURIs, MaxRedirectURIs)
}

// TestCreateLimits: a create body over a limit is a 400 naming the field,
// and no client is stored.
func TestCreateLimits(t *testing.T) {
	base := func(edit func(m map[string]any)) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(createBody), &m))
		edit(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	many := func(n int, item string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s%d", item, i)
		}
		return out
	}
	tests := []struct{ name, body, want string }{
		{"long name", base(func(m map[string]any) { m["name"] = strings.Repeat("n", MaxNameLength+1) }), "name must be at most"},
		{"long description", base(func(m map[string]any) { m["description"] = strings.Repeat("d", 100_000) }),
			fmt.Sprintf("description must be at most %d characters long, not 100000", MaxDescriptionLength)},
		{"long business name", base(func(m map[string]any) { m["businessName"] = strings.Repeat("b", MaxNameLength+1) }),
			"businessName must be at most"},
		{"long homepage", base(func(m map[string]any) { m["homepageUrl"] = "https://x.example/" + strings.Repeat("h", MaxURLLength) }),
			"homepageUrl must be at most"},
		{"long redirect", base(func(m map[string]any) {
			m["redirectUris"] = []string{"https://x.example/", "https://x.example/" + strings.Repeat("r", MaxURLLength)}
		}), "redirectUris[1] must be at most"},
		{"too many redirects", base(func(m map[string]any) { m["redirectUris"] = many(MaxRedirectURIs+1, "https://x.example/") }),
			"redirectUris holds"},
		{"too many scopes", base(func(m map[string]any) { m["scope"] = many(MaxScopes+1, "sp:scope") }), "scope holds"},
		{"long scope", base(func(m map[string]any) { m["scope"] = []string{strings.Repeat("s", MaxScopeLength+1)} }),
			"scope[0] must be at most"},
	}
	te := newTestEnv(t)
	tok := te.mint(t, adminID, adminSecret)
	count := func() int {
		var n []store.SailPointClient
		require.NoError(t, te.db.View(t.Context(), func(tx *store.Tx) (err error) {
			n, err = tx.SailPointClients(t.Context(), store.SailPointFilter{})
			return err
		}))
		return len(n)
	}
	n := count()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.do(t, "POST", "/v3/oauth-clients", "application/json", tt.body, tok)
			require.Equal(t, http.StatusBadRequest, res.StatusCode, truncated(body))
			assert.Contains(t, errorText(t, body), tt.want)
			assert.Equal(t, n, count(), "nothing stored")
		})
	}
}

func truncated(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
