package oci

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// The identity domain's token endpoint, which makes OAuth 2.0 client
// credentials usable: POST /oauth2/v1/token with grant_type
// client_credentials, the credential's OCID and password by HTTP Basic
// (or client_id and client_secret in the form), and scope naming one or
// more of its audience and scope pairs the way Oracle writes a fully
// qualified scope: the audience followed directly by the scope
// ("https://app.example.com" + "urn:opc:resource:consumer::all"),
// several separated by spaces. The answer is a JWT access token signed
// RS256 by a key the database holds (made on first use), published as a
// JWK set at /admin/v1/SigningCert/jwk as identity domains publish theirs.

// The identity domain's endpoints, served beside the API.
const (
	TokenPath       = "/oauth2/v1/token"
	SigningCertPath = "/admin/v1/SigningCert/jwk"
)

// TokenLifetime is how long an access token lives: OCI's documented 3600
// seconds, on the emulator's clock.
const TokenLifetime = time.Hour

// TokenIssuer is the iss of every access token, as identity domains write
// it.
const TokenIssuer = "https://identity.oraclecloud.com/"

// signingKeyBits is the size of the RSA keys that sign access tokens.
const signingKeyBits = 2048

// tokenResponse is the successful answer (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// tokenClaims are the claims an access token carries besides the
// registered ones.
type tokenClaims struct {
	Scope    string `json:"scope"`
	ClientID string `json:"client_id"`
	UserOCID string `json:"user_ocid"`
	TokType  string `json:"tok_type"`
}

// TokenError is an OAuth 2.0 error answer (RFC 6749 §5.2).
type TokenError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// tokenCodes are the OAuth error codes for statuses a fault rule may
// give.
var tokenCodes = map[int]string{
	http.StatusBadRequest:         "invalid_request",
	http.StatusUnauthorized:       "invalid_client",
	http.StatusForbidden:          "access_denied",
	http.StatusTooManyRequests:    "temporarily_unavailable",
	http.StatusServiceUnavailable: "temporarily_unavailable",
}

// WriteTokenError writes an OAuth 2.0 error answer with the code that
// fits status (server_error for one none fits): the root server's fault
// machinery answers the token endpoint with it.
func (h *Handler) WriteTokenError(w http.ResponseWriter, status int, description string) {
	code, ok := tokenCodes[status]
	if !ok {
		code = "server_error"
	}
	if description == "" {
		description = http.StatusText(status)
	}
	tokenError(w, status, code, description)
}

func tokenError(w http.ResponseWriter, status int, code, description string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth2"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, status, TokenError{Error: code, ErrorDescription: description})
}

// token is POST /oauth2/v1/token.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		tokenError(w, http.StatusMethodNotAllowed, "invalid_request", "The token endpoint takes POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "The request body is not a form (application/x-www-form-urlencoded).")
		return
	}
	form := r.PostForm
	grant := form.Get("grant_type")
	switch {
	case grant == "":
		tokenError(w, http.StatusBadRequest, "invalid_request", "grant_type is required.")
		return
	case grant != "client_credentials":
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type",
			"The grant type "+grant+" is not supported; OAuth 2.0 client credentials use client_credentials.")
		return
	}
	id, secrets, reason := clientAuth(r, form)
	if reason != "" {
		h.log.WarnContext(r.Context(), "oci: token refused", "reason", reason)
		tokenError(w, http.StatusUnauthorized, "invalid_client", reason)
		return
	}
	var c store.OCICredential
	err := h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		c, err = tx.OCICredentialByID(r.Context(), id)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.internal(w, r, err)
		return
	}
	if reason := h.refusal(c, err, secrets); reason != "" {
		h.log.WarnContext(r.Context(), "oci: token refused", "credential", cutID(id), "reason", reason)
		tokenError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed: "+reason+".")
		return
	}
	if cr, ok := w.(CallerRecorder); ok {
		cr.RecordCaller(c.ID)
	}
	pairs, reason := heldPairs(c.Scopes, form.Get("scope"))
	if reason != "" {
		tokenError(w, http.StatusBadRequest, "invalid_scope", reason)
		return
	}
	access, err := h.accessToken(r.Context(), c, pairs)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "oci: token issued", "credential", c.ID, "scopes", len(pairs))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{AccessToken: access, TokenType: "Bearer", ExpiresIn: int64(TokenLifetime.Seconds())})
}

// clientAuth reads who authenticates: HTTP Basic, whose id and secret are
// form-urlencoded first (RFC 6749 §2.3.1), or client_id and client_secret
// in the form, not both. It returns the id and the secrets to try (the
// decoded one, and the text as sent when it differs, for clients that do
// not encode), or why it cannot.
func clientAuth(r *http.Request, form url.Values) (id string, secrets []string, reason string) {
	user, pass, basic := r.BasicAuth()
	switch {
	case basic && (form.Has("client_id") || form.Has("client_secret")):
		return "", nil, "Use one way to authenticate the client: HTTP Basic or client_id and client_secret, not both."
	case basic:
		id = user
		if decoded, err := url.QueryUnescape(user); err == nil {
			id = decoded
		}
		if decoded, err := url.QueryUnescape(pass); err == nil {
			secrets = append(secrets, decoded)
		}
		if len(secrets) == 0 || secrets[0] != pass {
			secrets = append(secrets, pass)
		}
	default:
		id = form.Get("client_id")
		secrets = []string{form.Get("client_secret")}
	}
	if id == "" || secrets[0] == "" {
		return "", nil, "Client authentication is required: the credential's OCID and password, by HTTP Basic."
	}
	return id, secrets, ""
}

// refusal says why a credential (c, or err from looking it up) may not
// have a token with one of secrets; "" when it may. The password is
// checked before anything else about the credential is told.
func (h *Handler) refusal(c store.OCICredential, err error, secrets []string) string {
	if err != nil {
		auth.CheckNothing(secrets[0])
		return "no such OAuth 2.0 client credential, or the wrong password"
	}
	if !slices.ContainsFunc(secrets, func(s string) bool { return auth.CheckSecretRemembered(c.PasswordHash, s) }) {
		return "no such OAuth 2.0 client credential, or the wrong password"
	}
	if c.LifecycleState != "ACTIVE" {
		return "the credential is " + c.LifecycleState
	}
	if c.ExpiresOn != nil && h.clock().UnixMilli() >= *c.ExpiresOn {
		return "the credential expired at " + millisText(*c.ExpiresOn)
	}
	return ""
}

// heldPairs finds the pairs a scope parameter names: each space-separated
// part must be the audience and scope of one of held, written together.
func heldPairs(held []store.OCIScope, scope string) ([]store.OCIScope, string) {
	asked := strings.Fields(scope)
	if len(asked) == 0 {
		return nil, "scope is required: the audience followed by the scope of one of the credential's pairs " +
			"(e.g. https://app.example.comurn:opc:resource:consumer::all), several separated by spaces."
	}
	var out []store.OCIScope
	for _, a := range asked {
		i := slices.IndexFunc(held, func(p store.OCIScope) bool { return p.Audience+p.Scope == a })
		if i < 0 {
			return nil, fmt.Sprintf("The credential does not hold the scope %q (its audience followed by its scope).", a)
		}
		if !slices.Contains(out, held[i]) {
			out = append(out, held[i])
		}
	}
	return out, ""
}

// cutID keeps a logged id short: a caller chooses it.
func cutID(id string) string {
	if len(id) > 128 {
		return id[:128] + "…"
	}
	return id
}

// accessToken signs an access token for c with the pairs asked: aud their
// audiences, scope their scopes, sub and client_id the credential.
func (h *Handler) accessToken(ctx context.Context, c store.OCICredential, pairs []store.OCIScope) (string, error) {
	k, err := h.signingKey(ctx)
	if err != nil {
		return "", err
	}
	var audiences jwt.Audience
	var scopes []string
	for _, p := range pairs {
		if !slices.Contains(audiences, p.Audience) {
			audiences = append(audiences, p.Audience)
		}
		if !slices.Contains(scopes, p.Scope) {
			scopes = append(scopes, p.Scope)
		}
	}
	now := h.clock().UTC().Truncate(time.Second)
	return jwt.Signed(k.signer).Claims(jwt.Claims{
		Issuer: TokenIssuer, Subject: c.ID, Audience: audiences, IssuedAt: jwt.NewNumericDate(now),
		Expiry: jwt.NewNumericDate(now.Add(TokenLifetime)), ID: hex.EncodeToString(h.randomBytes(16)),
	}).Claims(tokenClaims{
		Scope: strings.Join(scopes, " "), ClientID: c.ID, UserOCID: c.UserID, TokType: "AT",
	}).Serialize()
}

// signing is the key that signs tokens, ready to use.
type signing struct {
	kid    string
	key    *rsa.PrivateKey
	signer jose.Signer
}

// signingKeys caches the database's signing keys.
type signingKeys struct {
	mu     sync.Mutex
	newest *signing
}

// signingKey returns the newest signing key, making and storing one when
// the database has none.
func (h *Handler) signingKey(ctx context.Context) (*signing, error) {
	h.keys.mu.Lock()
	defer h.keys.mu.Unlock()
	if h.keys.newest != nil {
		return h.keys.newest, nil
	}
	var keys []store.OCISigningKey
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		keys, err = tx.OCISigningKeys(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		made, err := newSigningKey(h.clock())
		if err != nil {
			return nil, err
		}
		err = h.db.Update(ctx, func(tx *store.Tx) (err error) {
			if keys, err = tx.OCISigningKeys(ctx); err != nil || len(keys) > 0 {
				return err // another process made one first: use it
			}
			keys = []store.OCISigningKey{made}
			return tx.PutOCISigningKey(ctx, made)
		})
		if err != nil {
			return nil, err
		}
		h.log.InfoContext(ctx, "oci: made a token signing key", "kid", keys[0].KID)
	}
	s, err := parseSigningKey(keys[0])
	if err != nil {
		return nil, err
	}
	h.keys.newest = s
	return s, nil
}

// newSigningKey makes an RSA key whose kid is its RFC 7638 thumbprint.
func newSigningKey(now time.Time) (store.OCISigningKey, error) {
	key, err := rsa.GenerateKey(rand.Reader, signingKeyBits)
	if err != nil {
		return store.OCISigningKey{}, err
	}
	thumb, err := (&jose.JSONWebKey{Key: &key.PublicKey}).Thumbprint(crypto.SHA256)
	if err != nil {
		return store.OCISigningKey{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return store.OCISigningKey{}, err
	}
	return store.OCISigningKey{
		KID:        base64.RawURLEncoding.EncodeToString(thumb),
		PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		Created:    now.UnixMilli(),
	}, nil
}

func parseSigningKey(k store.OCISigningKey) (*signing, error) {
	block, _ := pem.Decode([]byte(k.PrivateKey))
	if block == nil {
		return nil, fmt.Errorf("signing key %s is not PEM", k.KID)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", k.KID, err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signing key %s is a %T, not RSA", k.KID, parsed)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: k.KID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &signing{kid: k.KID, key: key, signer: signer}, nil
}

// signingCert is GET /admin/v1/SigningCert/jwk: the public keys that
// verify access tokens, as a JWK set (RFC 7517), newest first.
func (h *Handler) signingCert(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.WriteError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "The signing keys are read with GET.")
		return
	}
	if _, err := h.signingKey(r.Context()); err != nil { // make one if there is none yet
		h.internal(w, r, err)
		return
	}
	var keys []store.OCISigningKey
	err := h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		keys, err = tx.OCISigningKeys(r.Context())
		return err
	})
	if err != nil {
		h.internal(w, r, err)
		return
	}
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		s, err := parseSigningKey(k)
		if err != nil {
			h.internal(w, r, err)
			return
		}
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: string(jose.RS256), Use: "sig"})
	}
	body, err := json.Marshal(set)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
