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

// tokenResponse is what SailPoint's token endpoint answers; a token for
// an identity (the authorization code and refresh token grants) names it
// and may come with a refresh token.
type tokenResponse struct {
	AccessToken         string `json:"access_token"`
	TokenType           string `json:"token_type"`
	RefreshToken        string `json:"refresh_token,omitempty"`
	ExpiresIn           int64  `json:"expires_in"`
	Scope               string `json:"scope"`
	TenantID            string `json:"tenant_id"`
	Internal            bool   `json:"internal"`
	Pod                 string `json:"pod"`
	StrongAuthSupported bool   `json:"strong_auth_supported"`
	Org                 string `json:"org"`
	IdentityID          string `json:"identity_id,omitempty"`
	UserName            string `json:"user_name,omitempty"`
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

// grantError is a refused grant: the status and OAuth error to answer.
type grantError struct {
	status            int
	code, description string
}

func (e *grantError) Error() string { return e.description }

func badGrant(description string) error {
	return &grantError{http.StatusBadRequest, "invalid_grant", description}
}

// token is POST /oauth/token. The client authenticates with its id and
// secret in the form (body or query) or by HTTP Basic, then:
//
//   - grant_type=client_credentials mints a bearer token that lives the
//     client's accessTokenValiditySeconds, with the client's scope or the
//     part of it the optional scope parameter asks;
//   - grant_type=authorization_code exchanges a code from /oauth/authorize
//     (once, within CodeLifetime, with the redirect_uri it was issued for)
//     for a token for the identity who signed in, and a refresh token when
//     the client has the REFRESH_TOKEN grant type;
//   - grant_type=refresh_token exchanges a refresh token (once: the answer
//     holds its successor, which lives refreshTokenValiditySeconds) for a
//     new token, with the same scope or part of it.
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
	case grant != "client_credentials" && grant != "authorization_code" && grant != "refresh_token":
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
	needs := map[string]string{"client_credentials": "CLIENT_CREDENTIALS", "authorization_code": "AUTHORIZATION_CODE",
		"refresh_token": "REFRESH_TOKEN"}[grant]
	if !slices.Contains(c.GrantTypes, needs) {
		tokenError(w, http.StatusBadRequest, "unauthorized_client", "Unauthorized grant type: "+grant)
		return
	}
	var answer tokenResponse
	reused := ""
	err = h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		now := h.now()
		if err := tx.DeleteSailPointTokensBefore(r.Context(), now.UnixMilli()); err != nil {
			return err
		}
		switch grant {
		case "client_credentials":
			scope, err := narrowed(c.Scope, r.Form.Get("scope"))
			if err != nil {
				return err
			}
			answer, err = h.issue(r, tx, c, scope, nil, "", now)
			return err
		case "authorization_code":
			answer, reused, err = h.exchangeCode(r, tx, c, now)
			return err
		default:
			answer, err = h.refresh(r, tx, c, now)
			return err
		}
	})
	var refused *grantError
	switch {
	case errors.As(err, &refused):
		tokenError(w, refused.status, refused.code, refused.description)
		return
	case errors.Is(err, store.ErrNotFound):
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Bad client credentials")
		return
	case err != nil:
		h.internal(w, r, err)
		return
	case reused != "":
		// A code used twice: RFC 6749 §4.1.2 has what it gave revoked.
		if err := h.db.Update(r.Context(), func(tx *store.Tx) error { return tx.DeleteSailPointGrant(r.Context(), reused) }); err != nil {
			h.internal(w, r, err)
			return
		}
		h.log.WarnContext(r.Context(), "sailpoint: an authorization code was used twice; its tokens are revoked", "client", c.ID)
		tokenError(w, http.StatusBadRequest, "invalid_grant",
			"The authorization code was already used; the tokens it gave are revoked.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, answer)
}

// narrowed is the scope a token request asks (space-separated), which
// must be part of held; all of held when it asks none.
func narrowed(held []string, asked string) ([]string, error) {
	parts := strings.Fields(asked)
	if len(parts) == 0 {
		return held, nil
	}
	for _, s := range parts {
		if !slices.Contains(held, s) {
			return nil, &grantError{http.StatusBadRequest, "invalid_scope", "Invalid scope: " + s}
		}
	}
	return parts, nil
}

// exchangeCode redeems an authorization code for c. reused is the code's
// hash when it had been redeemed before (the caller revokes what it gave,
// after this transaction).
func (h *Handler) exchangeCode(r *http.Request, tx *store.Tx, c store.SailPointClient, now time.Time) (
	answer tokenResponse, reused string, err error) {
	code := r.Form.Get("code")
	if code == "" {
		return answer, "", &grantError{http.StatusBadRequest, "invalid_request", "Missing code"}
	}
	if err := tx.DeleteSailPointExpiredBefore(r.Context(), now.UnixMilli()); err != nil {
		return answer, "", err
	}
	sc, err := tx.SailPointCodeByHash(r.Context(), tokenHash(code))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return answer, "", badGrant("Invalid authorization code: unknown or expired.")
	case err != nil:
		return answer, "", err
	case sc.ClientID != c.ID:
		return answer, "", badGrant("Invalid authorization code: it was issued to another client.")
	case sc.Used:
		return answer, sc.Hash, nil
	case now.UnixMilli() >= sc.Expires:
		return answer, "", badGrant("Invalid authorization code: expired.")
	case r.Form.Get("redirect_uri") != sc.RedirectURI:
		return answer, "", badGrant("Redirect URI mismatch: redirect_uri must be the one the code was issued for.")
	}
	if first, err := tx.UseSailPointCode(r.Context(), sc.Hash); err != nil || !first {
		return answer, sc.Hash, err
	}
	answer, err = h.issue(r, tx, c, sc.Scope, &sc.IdentityID, sc.Hash, now)
	return answer, "", err
}

// refresh redeems a refresh token of c's for a new token and refresh
// token.
func (h *Handler) refresh(r *http.Request, tx *store.Tx, c store.SailPointClient, now time.Time) (tokenResponse, error) {
	text := r.Form.Get("refresh_token")
	if text == "" {
		return tokenResponse{}, &grantError{http.StatusBadRequest, "invalid_request", "Missing refresh_token"}
	}
	if err := tx.DeleteSailPointExpiredBefore(r.Context(), now.UnixMilli()); err != nil {
		return tokenResponse{}, err
	}
	t, err := tx.SailPointRefreshTokenByHash(r.Context(), tokenHash(text))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return tokenResponse{}, badGrant("Invalid refresh token: unknown, used or expired.")
	case err != nil:
		return tokenResponse{}, err
	case t.ClientID != c.ID:
		return tokenResponse{}, badGrant("Invalid refresh token: it was issued to another client.")
	case now.UnixMilli() >= t.Expires:
		return tokenResponse{}, badGrant("Invalid refresh token: expired.")
	}
	scope, err := narrowed(t.Scope, r.Form.Get("scope"))
	if err != nil {
		return tokenResponse{}, err
	}
	if _, err := tx.DeleteSailPointRefreshToken(r.Context(), t.Hash); err != nil {
		return tokenResponse{}, err
	}
	return h.issue(r, tx, c, scope, t.IdentityID, t.GrantID, now)
}

// issue stores and returns a new token for c (for the identity, when
// there is one), with a refresh token when an identity is there and c has
// the REFRESH_TOKEN grant type, and marks c used (at most once a day).
func (h *Handler) issue(r *http.Request, tx *store.Tx, c store.SailPointClient, scope []string, identityID *string,
	grantID string, now time.Time) (tokenResponse, error) {
	ctx := r.Context()
	var who *store.SailPointIdentity
	if identityID != nil {
		i, err := tx.SailPointIdentityByID(ctx, *identityID)
		if errors.Is(err, store.ErrNotFound) {
			return tokenResponse{}, badGrant("The identity the grant was for no longer exists.")
		} else if err != nil {
			return tokenResponse{}, err
		}
		who = &i
	}
	expires := now.Add(time.Duration(c.AccessTokenValiditySeconds) * time.Second)
	jti := h.randomHex(16)
	token := h.jwt(c, who, scope, expires, jti)
	if err := tx.PutSailPointToken(ctx, store.SailPointToken{Hash: tokenHash(token), ClientID: c.ID, IdentityID: identityID,
		Scope: scope, Expires: expires.UnixMilli(), GrantID: grantID}); err != nil {
		return tokenResponse{}, err
	}
	if c.LastUsed == nil || now.UnixMilli()-*c.LastUsed >= (24*time.Hour).Milliseconds() {
		if err := tx.SetSailPointLastUsed(ctx, c.ID, now.UnixMilli()); err != nil {
			return tokenResponse{}, err
		}
	}
	answer := tokenResponse{
		AccessToken: token, TokenType: "bearer", ExpiresIn: c.AccessTokenValiditySeconds,
		Scope: strings.Join(scope, " "), TenantID: tenantOrg, Internal: c.Internal, Pod: tenantPod,
		StrongAuthSupported: c.StrongAuthSupported, Org: tenantOrg, ClaimsSupported: c.ClaimsSupported, JTI: jti,
	}
	if who == nil {
		return answer, nil
	}
	answer.IdentityID, answer.UserName = who.ID, who.Name
	if slices.Contains(c.GrantTypes, "REFRESH_TOKEN") {
		refresh := base64.RawURLEncoding.EncodeToString(h.randomBytes(32))
		err := tx.PutSailPointRefreshToken(ctx, store.SailPointRefreshToken{Hash: tokenHash(refresh), ClientID: c.ID,
			IdentityID: identityID, Scope: scope, GrantID: grantID,
			Expires: now.Add(time.Duration(c.RefreshTokenValiditySeconds) * time.Second).UnixMilli()})
		if err != nil {
			return tokenResponse{}, err
		}
		answer.RefreshToken = refresh
	}
	return answer, nil
}

// jwt makes a JWT-shaped token (HS256 under the handler's key) carrying
// what SailPoint's tokens carry, so code that decodes one finds its
// claims. The emulator never verifies the signature: it looks the token
// up by hash.
func (h *Handler) jwt(c store.SailPointClient, who *store.SailPointIdentity, scope []string, expires time.Time, jti string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	m := map[string]any{
		"tenant_id": tenantOrg, "internal": c.Internal, "pod": tenantPod, "org": tenantOrg,
		"strong_auth_supported": c.StrongAuthSupported, "claims_supported": c.ClaimsSupported,
		"client_id": c.ID, "scope": scope, "exp": expires.Unix(), "jti": jti,
		"authorities": []string{"ORG_ADMIN"},
	}
	if who != nil {
		m["identity_id"], m["user_name"], m["sub"] = who.ID, who.Name, who.ID
	}
	claims, _ := json.Marshal(m) // a map of plain values always encodes
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
