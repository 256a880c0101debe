package whmcsemu

import (
	"net/http"

	"github.com/whmcsemu/whmcsemu/internal/oauth"
)

// WHMCS as an OpenID Connect provider (package oauth) and its client-area
// sign-in pages are served through the dialect wrapper too, so that bans,
// fault rules, the journal and the log apply to them, and a failed client
// authentication (401) or a wrong password on a sign-in page counts
// towards an IP ban.

// whmcsOAuthOperations are the names its requests go by, by endpoint.
var whmcsOAuthOperations = map[string]string{
	oauth.EndpointAuthorize:  "WHMCSOAuthAuthorize",
	oauth.EndpointToken:      "WHMCSOAuthToken",
	oauth.EndpointUserInfo:   "WHMCSOAuthUserInfo",
	oauth.EndpointDiscovery:  "WHMCSOAuthDiscovery",
	oauth.EndpointCerts:      "WHMCSOAuthCerts",
	oauth.EndpointClientArea: "WHMCSClientArea",
	oauth.EndpointLogin:      "WHMCSLogin",
}

func newWHMCSOAuthDialect(h *oauth.Handler) *dialect {
	return &dialect{
		name: "oauth", handler: h,
		operation:  func(r *http.Request) string { return whmcsOAuthOperations[oauth.Endpoint(r.URL.Path)] },
		writeError: h.WriteError,
	}
}

var (
	_ oauth.CallerRecorder      = (*dialectRecorder)(nil)
	_ oauth.FailedLoginRecorder = (*dialectRecorder)(nil)
)
