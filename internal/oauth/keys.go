package oauth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-jose/go-jose/v4"

	"github.com/whmcsemu/whmcsemu/store"
)

// signingKey is the database's id-token key, ready to sign.
type signingKey struct {
	kid    string
	signer jose.Signer
	jwks   jose.JSONWebKeySet // the public half
}

// keyBits is the size of the RSA key made for a database.
const keyBits = 2048

// signingKey returns the database's key, loading it on first use, or
// making and storing it when the database has none yet.
func (h *Handler) signingKey(ctx context.Context) (*signingKey, error) {
	h.keyMu.Lock()
	defer h.keyMu.Unlock()
	if h.key != nil {
		return h.key, nil
	}
	var stored store.OAuthSigningKey
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		stored, err = tx.OAuthSigningKey(ctx)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		made, merr := NewSigningKey(h.clock().Unix())
		if merr != nil {
			return nil, merr
		}
		err = h.db.Update(ctx, func(tx *store.Tx) (err error) {
			stored, err = tx.AddOAuthSigningKey(ctx, made) // another process may have been first
			return err
		})
		if err == nil {
			h.log.Info("oauth: made the id token signing key", "kid", stored.KID)
		}
	}
	if err != nil {
		return nil, err
	}
	k, err := loadSigningKey(stored)
	if err != nil {
		return nil, err
	}
	h.key = k
	return k, nil
}

// NewSigningKey makes an RSA key for signing id tokens, as it is stored:
// PKCS #8 PEM, its id the RFC 7638 thumbprint of its public key.
func NewSigningKey(now int64) (store.OAuthSigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return store.OAuthSigningKey{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return store.OAuthSigningKey{}, err
	}
	jwk := jose.JSONWebKey{Key: &priv.PublicKey}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return store.OAuthSigningKey{}, err
	}
	return store.OAuthSigningKey{
		KID:        base64.RawURLEncoding.EncodeToString(thumb),
		PrivateKey: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		CreatedAt:  now,
	}, nil
}

func loadSigningKey(s store.OAuthSigningKey) (*signingKey, error) {
	block, _ := pem.Decode([]byte(s.PrivateKey))
	if block == nil {
		return nil, errors.New("oauth: the stored signing key is not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("oauth: the stored signing key: %w", err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("oauth: the stored signing key is a %T, not RSA", parsed)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: s.KID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &signingKey{
		kid:    s.KID,
		signer: signer,
		jwks: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
			Key: &priv.PublicKey, KeyID: s.KID, Algorithm: string(jose.RS256), Use: "sig",
		}}},
	}, nil
}

// certs is GET oauth/certs.php: the public signing key as a JWK Set.
func (h *Handler) certs(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	k, err := h.signingKey(r.Context())
	if err != nil {
		h.internal(w, r, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "public, max-age=300")
	b, err := json.Marshal(k.jwks)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	_, _ = w.Write(append(b, '\n'))
}

// discoveryDocument is OpenID Connect Discovery 1.0 §3's metadata.
type discoveryDocument struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserInfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	PromptValuesSupported             []string `json:"prompt_values_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
}

// discovery is GET oauth/openid-configuration.php and
// /.well-known/openid-configuration.
func (h *Handler) discovery(w http.ResponseWriter, r *http.Request) {
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	base := h.base()
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, discoveryDocument{
		Issuer:                            h.issuer(),
		AuthorizationEndpoint:             base + "oauth/authorize.php",
		TokenEndpoint:                     base + "oauth/token.php",
		UserInfoEndpoint:                  base + "oauth/userinfo.php",
		JWKSURI:                           base + "oauth/certs.php",
		ScopesSupported:                   oidcScopes,
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{string(jose.RS256)},
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
		ClaimsSupported: []string{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
			"email", "email_verified", "name", "given_name", "family_name"},
		CodeChallengeMethodsSupported: []string{"S256", "plain"},
		PromptValuesSupported:         []string{"none", "login", "consent"},
	})
}
