package whmcsemu

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/whmcsemu/whmcsemu/auth"
)

// TestDialectFailuresBan: wrong client secrets at SailPoint's token
// endpoint and badly signed OCI requests count towards the same IP ban as
// failed WHMCS logins, and a banned IP is refused by every dialect in its
// own error shape.
func TestDialectFailuresBan(t *testing.T) {
	policy := auth.BanPolicy{After: 3, Window: time.Hour, Duration: time.Hour}
	badToken := func(srv http.Handler) *httptest.ResponseRecorder {
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"2c9180835d2e5168015d32f890ca1581"},
			"client_secret": {"wrong"}}
		return sailPointDo(srv, http.MethodPost, "/oauth/token", "", "application/x-www-form-urlencoded", form.Encode())
	}

	t.Run("sailpoint", func(t *testing.T) {
		srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "sailpoint.json"))
		srv.bans = newBans(BanPolicy(policy), srv.clock, srv.db, srv.log)
		for range 3 {
			assert.Equal(t, http.StatusUnauthorized, badToken(srv).Code)
		}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"2c9180835d2e5168015d32f890ca1581"},
			"client_secret": {"bootstrap-secret"}}
		banned := sailPointDo(srv, http.MethodPost, "/oauth/token", "", "application/x-www-form-urlencoded", form.Encode())
		assert.Equal(t, http.StatusForbidden, banned.Code, "the right secret from a banned IP")
		assert.Contains(t, banned.Body.String(), "IP Banned")
		// The same ban holds at the WHMCS endpoint.
		assert.Contains(t, post(srv, withAuth(url.Values{"action": {"GetClients"}, "responsetype": {"json"}})).Body.String(), "IP Banned")
	})

	t.Run("oci", func(t *testing.T) {
		srv, _ := newTestServerWith(t, filepath.Join("testdata", "fixtures", "oci.json"))
		srv.bans = newBans(BanPolicy(policy), srv.clock, srv.db, srv.log)
		for range 3 {
			unsigned := httptest.NewRequest(http.MethodGet, ociAppCreds, nil)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, unsigned)
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
		}
		banned := ociDo(t, srv, ociKey(t), "GET", ociAppCreds, "")
		assert.Equal(t, http.StatusForbidden, banned.Code, "a signed request from a banned IP")
		assert.Contains(t, banned.Body.String(), `"code"`)
		assert.True(t, strings.Contains(banned.Body.String(), "IP Banned"), banned.Body.String())
	})
}
