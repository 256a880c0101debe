package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/whmcsemu/whmcsemu/store"
)

// tokenResponse is RFC 6749 §5.1's answer, with OpenID Connect's id_token.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope"`
}

// tokenFailure is an error answer of the token endpoint, or (err set) an
// internal failure.
type tokenFailure struct {
	status      int
	code        string
	description string
	err         error
}

// failed is an internal failure.
func failed(err error) *tokenFailure { return &tokenFailure{err: err} }

func tokenErr(status int, code, description string) *tokenFailure {
	return &tokenFailure{status: status, code: code, description: description}
}

func invalidGrant(description string) *tokenFailure {
	return tokenErr(http.StatusBadRequest, "invalid_grant", description)
}

// basicRealm is the realm of the WWW-Authenticate challenges.
const basicRealm = `Basic realm="WHMCS"`

// token is POST oauth/token.php.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodPost) {
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body could not be read as a form.")
		return
	}
	form := r.PostForm
	for k, v := range form {
		if len(v) > 1 {
			oauthError(w, http.StatusBadRequest, "invalid_request", k+" was sent more than once.")
			return
		}
	}
	cred, fail := h.authenticateClient(r.Context(), r)
	if fail != nil && fail.err != nil {
		h.internal(w, r, fail.err)
		return
	}
	if fail != nil {
		if fail.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", basicRealm)
		}
		oauthError(w, fail.status, fail.code, fail.description)
		return
	}
	recordCaller(w, cred.Identifier)
	var resp tokenResponse
	switch grant := form.Get("grant_type"); grant {
	case "authorization_code":
		resp, fail = h.exchangeCode(r.Context(), cred, form)
	case "refresh_token":
		resp, fail = h.refresh(r.Context(), cred, form)
	case "":
		fail = tokenErr(http.StatusBadRequest, "invalid_request", "grant_type is missing.")
	default:
		fail = tokenErr(http.StatusBadRequest, "unsupported_grant_type",
			"The grant type "+grant+" is not supported: use authorization_code or refresh_token.")
	}
	if fail != nil && fail.err != nil {
		h.internal(w, r, fail.err)
		return
	}
	if fail != nil {
		oauthError(w, fail.status, fail.code, fail.description)
		return
	}
	noStore(w)
	writeJSON(w, http.StatusOK, resp)
}

// authenticateClient finds the credential a token request authenticates
// as: HTTP Basic (client_secret_basic) or client_id and client_secret in
// the body (client_secret_post), never both.
func (h *Handler) authenticateClient(ctx context.Context, r *http.Request) (store.OAuthCredential, *tokenFailure) {
	unauthorized := func(description string) (store.OAuthCredential, *tokenFailure) {
		return store.OAuthCredential{}, tokenErr(http.StatusUnauthorized, "invalid_client", description)
	}
	form := r.PostForm
	var ids, secrets []string // the readings to try, in order
	if user, pass, ok := r.BasicAuth(); ok {
		if form.Has("client_secret") {
			return store.OAuthCredential{}, tokenErr(http.StatusBadRequest, "invalid_request",
				"The client authenticated twice: HTTP Basic and client_secret in the body. Use one.")
		}
		// RFC 6749 §2.3.1: the id and secret are form-urlencoded before
		// they are joined and base64-encoded. Clients that send them as
		// they are (WHMCS itself reads them so) are understood too.
		ids, secrets = readings(user), readings(pass)
		if id := form.Get("client_id"); id != "" && !slices.Contains(ids, id) {
			return store.OAuthCredential{}, tokenErr(http.StatusBadRequest, "invalid_request",
				"client_id in the body is not the client that authenticated with HTTP Basic.")
		}
	} else if strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic ") {
		return unauthorized("The Authorization header is not valid HTTP Basic.")
	} else {
		ids, secrets = []string{form.Get("client_id")}, []string{form.Get("client_secret")}
		if ids[0] == "" || secrets[0] == "" {
			return unauthorized("Client authentication failed: send the client id and secret with HTTP Basic or as client_id and client_secret.")
		}
	}
	var cred store.OAuthCredential
	err := h.db.View(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			c, err := tx.OAuthCredentialByIdentifier(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			cred = c
			return err
		}
		return store.ErrNotFound
	})
	if errors.Is(err, store.ErrNotFound) {
		return unauthorized("Client authentication failed: unknown client.")
	} else if err != nil {
		return store.OAuthCredential{}, failed(err)
	}
	match := false
	for _, s := range secrets {
		if subtleEqual(s, cred.Secret) {
			match = true
		}
	}
	if !match {
		return unauthorized("Client authentication failed: wrong client secret.")
	}
	if cred.GrantTypes != grantAuthorizationCode {
		return store.OAuthCredential{}, tokenErr(http.StatusBadRequest, "unauthorized_client",
			"This OAuth credential's grant type is "+cred.GrantTypes+", not authorization_code.")
	}
	return cred, nil
}

// readings are the ways to read a Basic user or password: form-decoded,
// then as sent when that differs.
func readings(s string) []string {
	decoded, err := url.QueryUnescape(s)
	if err != nil || decoded == s {
		return []string{s}
	}
	return []string{decoded, s}
}

// exchangeCode is grant_type=authorization_code (RFC 6749 §4.1.3, RFC
// 7636 §4.5). A code is good once: presented again, it is refused and
// every token issued from it is revoked (RFC 6749 §4.1.2).
func (h *Handler) exchangeCode(ctx context.Context, cred store.OAuthCredential, form url.Values) (tokenResponse, *tokenFailure) {
	code, redirectURI, verifier := form.Get("code"), form.Get("redirect_uri"), form.Get("code_verifier")
	if code == "" {
		return tokenResponse{}, tokenErr(http.StatusBadRequest, "invalid_request", "code is missing.")
	}
	if verifier != "" && !pkceChallenge.MatchString(verifier) {
		return tokenResponse{}, tokenErr(http.StatusBadRequest, "invalid_request",
			"code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9 and - . _ ~.")
	}
	k, err := h.signingKey(ctx) // before the write transaction: making it writes
	if err != nil {
		return tokenResponse{}, failed(err)
	}
	now := h.clock()
	var resp tokenResponse
	var fail *tokenFailure
	err = h.db.Update(ctx, func(tx *store.Tx) error {
		g, err := tx.OAuthGrantByCode(ctx, hashOf(code))
		switch {
		case errors.Is(err, store.ErrNotFound):
			fail = invalidGrant("The authorization code is unknown.")
			return nil
		case err != nil:
			return err
		case g.CredentialID != cred.ID:
			fail = invalidGrant("The authorization code was issued to another client.")
			return nil
		case g.CodeUsed || g.Revoked:
			// Commit the revocation: the answer is an error all the same.
			fail = invalidGrant("The authorization code was used already; the tokens issued for it are revoked.")
			return tx.RevokeOAuthGrant(ctx, g.ID)
		case g.SecretSHA != hashOf(cred.Secret):
			fail = invalidGrant("The authorization code was issued before the client secret was reset.")
			return nil
		case now.Unix() > g.CodeExpiresAt:
			fail = invalidGrant("The authorization code expired (codes live 60 seconds).")
			return nil
		case redirectURI != g.RedirectURI:
			fail = invalidGrant("redirect_uri is not the one the authorization request used.")
			return nil
		}
		if fail = checkVerifier(g, verifier); fail != nil {
			return nil
		}
		if err := tx.UseOAuthCode(ctx, g.ID, now.Unix()); err != nil {
			return err
		}
		resp, err = h.issueTokens(ctx, tx, k, cred, g, g.Scope, g.Scope, now)
		return err
	})
	if err != nil {
		return tokenResponse{}, failed(err)
	}
	if fail == nil {
		h.log.Info("oauth: code exchanged", "clientIdentifier", cred.Identifier)
	}
	return resp, fail
}

// checkVerifier checks RFC 7636's code_verifier against the grant's
// challenge: required when a challenge was sent, refused when none was.
func checkVerifier(g store.OAuthGrant, verifier string) *tokenFailure {
	switch {
	case g.CodeChallenge == "" && verifier == "":
		return nil
	case g.CodeChallenge == "":
		return invalidGrant("code_verifier was sent, but the authorization request had no code_challenge.")
	case verifier == "":
		return invalidGrant("code_verifier is missing: the authorization request sent a code_challenge.")
	}
	want := verifier
	if g.CodeChallengeMethod == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	if !subtleEqual(want, g.CodeChallenge) {
		return invalidGrant("code_verifier does not match the code_challenge.")
	}
	return nil
}

// refresh is grant_type=refresh_token (RFC 6749 §6). The refresh token is
// used up and a new one issued with the new access token; a used one
// presented again revokes the grant (its thief or its owner: either way,
// both must start again).
func (h *Handler) refresh(ctx context.Context, cred store.OAuthCredential, form url.Values) (tokenResponse, *tokenFailure) {
	token := form.Get("refresh_token")
	if token == "" {
		return tokenResponse{}, tokenErr(http.StatusBadRequest, "invalid_request", "refresh_token is missing.")
	}
	k, err := h.signingKey(ctx)
	if err != nil {
		return tokenResponse{}, failed(err)
	}
	now := h.clock()
	var resp tokenResponse
	var fail *tokenFailure
	err = h.db.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.OAuthTokenByHash(ctx, hashOf(token), "refresh")
		switch {
		case errors.Is(err, store.ErrNotFound):
			fail = invalidGrant("The refresh token is unknown or revoked.")
			return nil
		case err != nil:
			return err
		case t.Grant.CredentialID != cred.ID:
			fail = invalidGrant("The refresh token was issued to another client.")
			return nil
		case t.Used || t.Grant.Revoked:
			fail = invalidGrant("The refresh token was used already; the tokens issued for its authorization are revoked.")
			return tx.RevokeOAuthGrant(ctx, t.GrantID)
		case t.Grant.SecretSHA != hashOf(cred.Secret):
			fail = invalidGrant("The refresh token was issued before the client secret was reset.")
			return nil
		case now.Unix() > t.ExpiresAt:
			fail = invalidGrant("The refresh token expired.")
			return nil
		}
		// RFC 6749 §6: the new access token may be narrower; the new
		// refresh token has the old one's scope.
		scope := t.Scope
		if s := form.Get("scope"); s != "" {
			granted := strings.Fields(t.Scope)
			var narrowed []string
			for _, sc := range strings.Fields(s) {
				if !slices.Contains(granted, sc) {
					fail = tokenErr(http.StatusBadRequest, "invalid_scope", "The scope "+sc+" was not granted.")
					return nil
				}
				if !slices.Contains(narrowed, sc) {
					narrowed = append(narrowed, sc)
				}
			}
			scope = strings.Join(narrowed, " ")
		}
		if err := tx.UseOAuthToken(ctx, t.Hash, now.Unix()); err != nil {
			return err
		}
		resp, err = h.issueTokens(ctx, tx, k, cred, t.Grant, scope, t.Scope, now)
		return err
	})
	if err != nil {
		return tokenResponse{}, failed(err)
	}
	return resp, fail
}

// issueTokens makes an access token, a refresh token and, when the
// access token's scope holds openid, an id token for a grant.
func (h *Handler) issueTokens(ctx context.Context, tx *store.Tx, k *signingKey, cred store.OAuthCredential,
	g store.OAuthGrant, accessScope, refreshScope string, now time.Time) (tokenResponse, error) {
	access, refresh := h.newToken(), h.newToken()
	if err := tx.AddOAuthToken(ctx, store.OAuthToken{Hash: hashOf(access), GrantID: g.ID, Kind: "access",
		Scope: accessScope, ExpiresAt: now.Add(accessTokenTTL).Unix()}); err != nil {
		return tokenResponse{}, err
	}
	if err := tx.AddOAuthToken(ctx, store.OAuthToken{Hash: hashOf(refresh), GrantID: g.ID, Kind: "refresh",
		Scope: refreshScope, ExpiresAt: now.Add(refreshTokenTTL).Unix()}); err != nil {
		return tokenResponse{}, err
	}
	resp := tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(accessTokenTTL.Seconds()),
		RefreshToken: refresh, Scope: accessScope}
	scopes := strings.Fields(accessScope)
	if !slices.Contains(scopes, "openid") {
		return resp, nil
	}
	user, err := tx.UserByID(ctx, g.UserID)
	if err != nil {
		return tokenResponse{}, err
	}
	claims := userClaims(user, scopes)
	claims["nonce"] = g.Nonce
	if g.Nonce == "" {
		delete(claims, "nonce")
	}
	claims["auth_time"] = g.AuthTime
	claims["at_hash"] = leftHalfHash(access)
	resp.IDToken, err = jwt.Signed(k.signer).Claims(jwt.Claims{
		Issuer:   h.issuer(),
		Subject:  claims["sub"].(string),
		Audience: jwt.Audience{cred.Identifier},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(idTokenTTL)),
	}).Claims(claims).Serialize()
	return resp, err
}

// leftHalfHash is OpenID Connect's at_hash for RS256: the left half of
// the SHA-256 of the access token, base64url.
func leftHalfHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
