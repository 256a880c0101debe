package whmcsemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
)

// TestHostileValuesDomainActions is TestHostileValuesEveryAction for the
// Domains actions on the domains fixture, with domainid naming a domain
// the registrar holds (and extension, domain and xml values that pass), so
// that a hostile value in another parameter reaches the registrar's own
// checks: every answer WHMCS-shaped, an error writing nothing.
func TestHostileValuesDomainActions(t *testing.T) {
	t.Parallel()
	srv, db := newTestServer(t)
	data, err := os.ReadFile("testdata/fixtures/domains.json")
	require.NoError(t, err)
	require.NoError(t, srv.LoadFixture(t.Context(), data))
	dataVersion := dataVersionOf(t, db)
	baseline := map[string]string{"domainid": "6", "extension": ".com", "clientid": "5", "currency_code": "USD",
		"xml": "<Registrant><City>Leeds</City></Registrant>", "ns1": "ns1.a.example", "ns2": "ns2.a.example",
		"newtag": "TAG"}
	values := hostileValues
	if raceEnabled {
		values = []string{"-1", "99999999999999999999999", "1' OR '1'='1", strings.Repeat("x", 10_000)}
	}
	names := []string{"CreateOrUpdateTLD", "GetTLDPricing", "GetRegistrars", "DomainWhois", "DomainRegister",
		"DomainTransfer", "DomainRenew", "DomainGetNameservers", "DomainUpdateNameservers",
		"DomainGetLockingStatus", "DomainUpdateLockingStatus", "DomainGetWhoisInfo", "DomainUpdateWhoisInfo",
		"DomainRequestEPP", "DomainToggleIdProtect", "UpdateClientDomain", "DomainRelease"}
	calls := 0
	for _, name := range names {
		a, ok := actions.Lookup(actions.Normalize(name))
		require.True(t, ok, name)
		params := a.Params()
		for _, p := range params {
			for _, v := range values {
				for _, key := range []string{p, p + "[]", p + "[1]"} {
					form := url.Values{"action": {name}, "responsetype": {"json"}}
					for _, q := range params {
						if b, ok := baseline[q]; ok && q != p {
							form.Set(q, b)
						}
					}
					form.Set(key, v)
					before := dataVersion()
					rec := post(srv, withAuth(form))
					calls++
					what := name + " " + key + "=" + truncate(v, 40)
					if !assert.Equal(t, http.StatusOK, rec.Code, what) {
						continue
					}
					var got struct {
						Result  string `json:"result"`
						Message string `json:"message"`
					}
					if !assert.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "%s: %s", what, truncate(rec.Body.String(), 200)) {
						continue
					}
					assert.Contains(t, []string{"success", "error"}, got.Result, what)
					if got.Result == "error" {
						assert.NotEqual(t, actions.InternalMessage, got.Message, what)
						assert.Equal(t, before, dataVersion(), "%s: answered %q but wrote", what, got.Message)
					}
				}
			}
		}
	}
	t.Logf("%d calls", calls)
	verdict, err := db.IntegrityCheck(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ok", verdict)
}
