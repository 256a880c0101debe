package sailpoint

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// tokenResponse is what SailPoint's token endpoint answers.
type tokenResponse struct {
	AccessToken         string `json:"access_token"`
	TokenType           string `json:"token_type"`
	ExpiresIn           int64  `json:"expires_in"`
	Scope               string `json:"scope"`
	TenantID            string `json:"tenant_id"`
	Internal            bool   `json:"internal"`
	Pod                 string `json:"pod"`
	StrongAuthSupported bool   `json:"strong_auth_supported"`
	Org                 string `json:"org"`
	ClaimsSupported     bool   `json:"claims_supported"`
	StrongAuth          bool   `json:"strong_auth"`
	JTI                 string `json:"jti"`
}

// The emulated tenant, as tokens name it.
const (
	tenantOrg = "whmcsemu"
	tenantPod = "emulator"
)

// tokenError answers an OAuth 2.0 error (RFC 6749 §5.2).
func tokenError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
	}
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// token is POST /oauth/token: grant_type=client_credentials with the
// client's id and secret in the form (body or query) or HTTP Basic mints a
// bearer token that lives the client's accessTokenValiditySeconds, with
// the client's scope or the part of it the optional scope parameter asks.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(maxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		tokenError(w, http.StatusBadRequest, "invalid_request", "The request body could not be read.")
		return
	}
	grant := r.Form.Get("grant_type")
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.Form.Get("client_id"), r.Form.Get("client_secret")
	}
	switch {
	case grant == "":
		tokenError(w, http.StatusBadRequest, "invalid_request", "Missing grant type")
		return
	case grant != "client_credentials":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+grant)
		return
	case id == "" || secret == "":
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Full authentication is required: client_id and client_secret")
		return
	}
	var c store.SailPointClient
	err := h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		c, err = tx.SailPointClientByID(r.Context(), id)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.internal(w, r, err)
		return
	}
	if err != nil {
		auth.CheckNothing(secret)
	}
	if err != nil || !auth.CheckSecretRemembered(c.SecretHash, secret) || !c.Enabled {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Bad client credentials")
		return
	}
	recordCaller(w, c.ID)
	if !slices.Contains(c.GrantTypes, "CLIENT_CREDENTIALS") {
		tokenError(w, http.StatusBadRequest, "unauthorized_client", "Unauthorized grant type: client_credentials")
		return
	}
	scope := c.Scope
	if asked := strings.Fields(r.Form.Get("scope")); len(asked) > 0 {
		for _, s := range asked {
			if !slices.Contains(c.Scope, s) {
				tokenError(w, http.StatusBadRequest, "invalid_scope", "Invalid scope: "+s)
				return
			}
		}
		scope = asked
	}
	h.mint(w, r, c, scope)
}

// mint stores and answers a new token, and marks the client used (at most
// once a day).
func (h *Handler) mint(w http.ResponseWriter, r *http.Request, c store.SailPointClient, scope []string) {
	now := h.now()
	expires := now.Add(time.Duration(c.AccessTokenValiditySeconds) * time.Second)
	jti := h.randomHex(16)
	token := h.jwt(c, scope, expires, jti)
	err := h.db.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.DeleteSailPointTokensBefore(r.Context(), now.UnixMilli()); err != nil {
			return err
		}
		if err := tx.PutSailPointToken(r.Context(), store.SailPointToken{Hash: tokenHash(token), ClientID: c.ID,
			Scope: scope, Expires: expires.UnixMilli()}); err != nil {
			return err
		}
		if c.LastUsed == nil || now.UnixMilli()-*c.LastUsed >= (24*time.Hour).Milliseconds() {
			return tx.SetSailPointLastUsed(r.Context(), c.ID, now.UnixMilli())
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Bad client credentials")
		return
	}
	if err != nil {
		h.internal(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: token, TokenType: "bearer", ExpiresIn: c.AccessTokenValiditySeconds,
		Scope: strings.Join(scope, " "), TenantID: tenantOrg, Internal: c.Internal, Pod: tenantPod,
		StrongAuthSupported: c.StrongAuthSupported, Org: tenantOrg, ClaimsSupported: c.ClaimsSupported, JTI: jti,
	})
}

// jwt makes a JWT-shaped token (HS256 under the handler's key) carrying
// what SailPoint's tokens carry, so code that decodes one finds its
// claims. The emulator never verifies the signature: it looks the token
// up by hash.
func (h *Handler) jwt(c store.SailPointClient, scope []string, expires time.Time, jti string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{ // a map of plain values always encodes
		"tenant_id": tenantOrg, "internal": c.Internal, "pod": tenantPod, "org": tenantOrg,
		"strong_auth_supported": c.StrongAuthSupported, "claims_supported": c.ClaimsSupported,
		"client_id": c.ID, "scope": scope, "exp": expires.Unix(), "jti": jti,
		"authorities": []string{"ORG_ADMIN"},
	})
	unsigned := header + "." + enc.EncodeToString(claims)
	return unsigned + "." + enc.EncodeToString(h.sign(unsigned))
}

// authenticate checks the bearer token of a /v3 request. A non-zero status
// with its text is the refusal; err is a storage failure.
func (h *Handler) authenticate(r *http.Request) (c caller, status int, text string, err error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return c, http.StatusUnauthorized, "JWT validation failed: JWT is missing", nil
	}
	var t store.SailPointToken
	var client store.SailPointClient
	err = h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		if t, err = tx.SailPointTokenByHash(r.Context(), tokenHash(token)); err != nil {
			return err
		}
		client, err = tx.SailPointClientByID(r.Context(), t.ClientID)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return c, http.StatusUnauthorized, "JWT validation failed: JWT is invalid", nil
	case err != nil:
		return c, 0, "", err
	case h.now().UnixMilli() >= t.Expires:
		return c, http.StatusUnauthorized, "JWT validation failed: JWT is expired", nil
	case !client.Enabled:
		return c, http.StatusUnauthorized, "JWT validation failed: the client is disabled", nil
	}
	return caller{clientID: t.ClientID, scope: t.Scope}, 0, "", nil
}
