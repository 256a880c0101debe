package whmcsemu

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// SSOPath is where a browser redeems a CreateSsoToken token.
const SSOPath = "/oauth/singlesignon.php"

// ssoDestinations maps CreateSsoToken destinations to the client-area
// page a browser lands on. {service} and {domain} are the ids given.
var ssoDestinations = map[string]string{
	"":                                         "clientarea.php",
	"clientarea:profile":                       "clientarea.php?action=details",
	"clientarea:billing_info":                  "clientarea.php?action=creditcard",
	"clientarea:emails":                        "clientarea.php?action=emails",
	"clientarea:announcements":                 "index.php?rp=/announcements",
	"clientarea:downloads":                     "index.php?rp=/download",
	"clientarea:knowledgebase":                 "index.php?rp=/knowledgebase",
	"clientarea:network_status":                "serverstatus.php",
	"clientarea:services":                      "clientarea.php?action=services",
	"clientarea:product_details":               "clientarea.php?action=productdetails&id={service}",
	"clientarea:domains":                       "clientarea.php?action=domains",
	"clientarea:domain_details":                "clientarea.php?action=domaindetails&id={domain}",
	"clientarea:invoices":                      "clientarea.php?action=invoices",
	"clientarea:tickets":                       "supporttickets.php",
	"clientarea:submit_ticket":                 "submitticket.php",
	"clientarea:shopping_cart":                 "cart.php",
	"clientarea:shopping_cart_addons":          "cart.php?gid=addons",
	"clientarea:shopping_cart_domain_register": "cart.php?a=add&domain=register",
	"clientarea:shopping_cart_domain_transfer": "cart.php?a=add&domain=transfer",
	"clientarea:upgrade":                       "upgrade.php?type=package&id={service}",
}

// serveSSO redeems a single sign-on token: a valid one is used up, the
// browser signed in (the session cookie of the client-area pages) and
// sent to its destination; an unknown, used or expired one
// sends it to the login page. X-Whmcsemu-Sso tells tests which happened
// (ok, unknown, used or expired).
func (s *Server) serveSSO(w http.ResponseWriter, r *http.Request) {
	base := s.env.Settings().SystemURL
	token := r.URL.Query().Get("access_token")
	var t store.SSOToken
	err := s.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		t, err = tx.RedeemSSOToken(r.Context(), token, s.clock.Now().Unix())
		return err
	})
	outcome := "ok"
	switch {
	case errors.Is(err, store.ErrNotFound):
		outcome = "unknown"
	case errors.Is(err, store.ErrUsed):
		outcome = "used"
	case errors.Is(err, store.ErrExpired):
		outcome = "expired"
	case err != nil:
		s.log.Error("sso: redeeming a token", "err", err)
		outcome = "unknown"
	}
	w.Header().Set("X-Whmcsemu-Sso", outcome)
	if outcome != "ok" {
		http.Redirect(w, r, base+"login.php", http.StatusFound)
		return
	}
	s.log.Info("sso token redeemed", "clientId", t.ClientID, "userId", t.UserID, "destination", t.Destination)
	// The browser is now signed in as the token's user, for its client:
	// clientarea.php shows who, as WHMCS's client area would.
	if err := s.oauthProvider.SignIn(w, r, t.UserID, t.ClientID); err != nil {
		s.log.Error("sso: starting the browser session", "err", err)
	}
	target := strings.TrimPrefix(t.RedirectPath, "/")
	if t.Destination != "sso:custom_redirect" {
		target = strings.NewReplacer(
			"{service}", strconv.FormatInt(t.ServiceID, 10),
			"{domain}", strconv.FormatInt(t.DomainID, 10),
		).Replace(ssoDestinations[t.Destination])
	}
	http.Redirect(w, r, base+target, http.StatusFound)
}
