package oauth

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// userClaims are a user's claims for the scopes granted: sub always (the
// user id), email and email_verified with email, name, given_name and
// family_name with profile.
func userClaims(u store.User, scopes []string) map[string]any {
	c := map[string]any{"sub": strconv.FormatInt(u.ID, 10)}
	if slices.Contains(scopes, "email") {
		c["email"] = u.Email
		c["email_verified"] = true // whmcsemu keeps no verification state
	}
	if slices.Contains(scopes, "profile") {
		c["name"] = strings.TrimSpace(u.Firstname + " " + u.Lastname)
		c["given_name"] = u.Firstname
		c["family_name"] = u.Lastname
	}
	return c
}

// bearerError answers 401 (or 403) with RFC 6750 §3's challenge.
func bearerError(w http.ResponseWriter, status int, code, description string) {
	challenge := `Bearer realm="WHMCS"`
	if code != "" {
		challenge += `, error="` + code + `", error_description="` + errorText(description) + `"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	if code == "" {
		code = "invalid_request"
	}
	oauthError(w, status, code, description)
}

// userInfo is GET or POST oauth/userinfo.php with a bearer access token in
// the Authorization header (the scheme in any case).
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		bearerError(w, http.StatusUnauthorized, "", "A bearer access token is required in the Authorization header.")
		return
	}
	ctx := r.Context()
	var t store.OAuthToken
	var cred store.OAuthCredential
	var user store.User
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.OAuthTokenByHash(ctx, hashOf(token), "access"); err != nil {
			return err
		}
		if cred, err = tx.OAuthCredentialByID(ctx, t.Grant.CredentialID); err != nil {
			return err
		}
		user, err = tx.UserByID(ctx, t.Grant.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The access token is unknown or revoked.")
		return
	} else if err != nil {
		h.internal(w, r, err)
		return
	}
	switch {
	case t.Grant.Revoked:
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The access token is revoked.")
		return
	case t.Grant.SecretSHA != hashOf(cred.Secret) || cred.GrantTypes != grantAuthorizationCode:
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The OAuth credential's secret was reset or its grant type changed since the token was issued.")
		return
	case h.clock().Unix() > t.ExpiresAt:
		bearerError(w, http.StatusUnauthorized, "invalid_token", "The access token expired.")
		return
	}
	recordCaller(w, cred.Identifier)
	scopes := strings.Fields(t.Scope)
	if !slices.Contains(scopes, "openid") {
		bearerError(w, http.StatusForbidden, "insufficient_scope", "The access token was not granted the openid scope.")
		return
	}
	noStore(w)
	writeJSON(w, http.StatusOK, userClaims(user, scopes))
}
