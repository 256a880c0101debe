package oauthclients

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// relyingParty is an application that signs its users in with WHMCS.
type relyingParty struct {
	provider *oidc.Provider
	config   oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// newRelyingParty discovers the provider (go-oidc checks the discovery
// document's issuer is the URL it was given) and configures the client.
func newRelyingParty(t *testing.T, e *emulator, id, secret, redirect string, style oauth2.AuthStyle) *relyingParty {
	t.Helper()
	provider, err := oidc.NewProvider(ctx(t), e.url)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	endpoint := provider.Endpoint()
	endpoint.AuthStyle = style
	return &relyingParty{
		provider: provider,
		config: oauth2.Config{ClientID: id, ClientSecret: secret, Endpoint: endpoint, RedirectURL: redirect,
			Scopes: []string{oidc.ScopeOpenID, "email", "profile"}},
		verifier: provider.Verifier(&oidc.Config{ClientID: id}),
	}
}

// authorization is one run of the browser part of the flow.
type authorization struct {
	state, nonce, verifier string
	redirect               *url.URL // where the browser was sent back
}

// authorize sends the browser to the authorization endpoint with state,
// nonce and a PKCE S256 challenge, signs in as email (with the TOTP code
// when asked), presses consent (Allow or Deny) and returns where the
// browser was sent back.
func (rp *relyingParty) authorize(t *testing.T, b *browser, email, password, consent string) authorization {
	t.Helper()
	a := authorization{state: oauth2.GenerateVerifier(), nonce: oauth2.GenerateVerifier(), verifier: oauth2.GenerateVerifier()}
	p := b.get(rp.config.AuthCodeURL(a.state, oidc.Nonce(a.nonce), oauth2.S256ChallengeOption(a.verifier)))
	if p.hasButton("Login") {
		p = b.submit(p, map[string]string{"Email Address": email, "Password": password}, "Login")
	}
	if p.hasButton("Verify") {
		p = b.submit(p, map[string]string{"Authentication Code": totp(t, samTOTP, time.Now())}, "Verify")
	}
	if !p.hasButton(consent) {
		t.Fatalf("%s (%d): expected the consent page:\n%s", p.url, p.status, p.body)
	}
	for _, s := range []string{"openid", "email", "profile"} {
		if !strings.Contains(p.body, `data-scope="`+s+`"`) {
			t.Errorf("the consent page does not list the scope %s", s)
		}
	}
	p = b.submit(p, nil, consent)
	if a.redirect = p.appRedirect(); a.redirect == nil {
		t.Fatalf("%s (%d): the browser was not sent back to the application:\n%s", p.url, p.status, p.body)
	}
	if got := a.redirect.Query().Get("state"); got != a.state {
		t.Fatalf("state %q came back as %q", a.state, got)
	}
	return a
}

// exchange trades the authorization's code for tokens, with the PKCE
// verifier.
func (rp *relyingParty) exchange(t *testing.T, a authorization) (*oauth2.Token, error) {
	t.Helper()
	code := a.redirect.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %s", a.redirect)
	}
	return rp.config.Exchange(ctx(t), code, oauth2.VerifierOption(a.verifier))
}

// verify checks the id token of tok: signature against the JWKS, issuer,
// audience, expiry, nonce and at_hash.
func (rp *relyingParty) verify(t *testing.T, tok *oauth2.Token, a authorization) *oidc.IDToken {
	t.Helper()
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		t.Fatal("no id_token in the token response")
	}
	id, err := rp.verifier.Verify(ctx(t), raw)
	if err != nil {
		t.Fatalf("id token: %v", err)
	}
	if id.Nonce != a.nonce {
		t.Fatalf("nonce %q came back as %q", a.nonce, id.Nonce)
	}
	if err := id.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	return id
}

func retrieveError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("want a %d %s token error, got %v", status, code, err)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("want %d %s, got %d %s (%s)", status, code, re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
}

// userInfoStatus calls the userinfo endpoint and returns the status.
func userInfoStatus(t *testing.T, rp *relyingParty, accessToken string) int {
	t.Helper()
	_, err := rp.provider.UserInfo(ctx(t), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: accessToken}))
	if err == nil {
		return http.StatusOK
	}
	// go-oidc reports "<status>: <body>".
	var status int
	if _, serr := fmt.Sscanf(err.Error(), "%d", &status); serr != nil {
		t.Fatalf("userinfo: %v", err)
	}
	return status
}

func TestAuthorizationCodeFlow(t *testing.T) {
	e := start(t)
	rp := newRelyingParty(t, e, appID, appSecret, appRedirect, oauth2.AuthStyleInHeader)
	b := newBrowser(t)
	a := rp.authorize(t, b, janeEmail, janePassword, "Allow")

	tok, err := rp.exchange(t, a)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	id := rp.verify(t, tok, a)
	if id.Subject != "1" || id.Issuer != e.url {
		t.Fatalf("id token: sub %q iss %q", id.Subject, id.Issuer)
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := id.Claims(&claims); err != nil || claims.Email != janeEmail {
		t.Fatalf("id token claims: %+v %v", claims, err)
	}
	if tok.Expiry.Before(time.Now().Add(59 * time.Minute)) {
		t.Errorf("the access token expires at %s, not in an hour", tok.Expiry)
	}

	info, err := rp.provider.UserInfo(ctx(t), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if err := info.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if info.Subject != id.Subject || info.Email != janeEmail || !info.EmailVerified || claims.Name != "Jane Doe" {
		t.Fatalf("userinfo: %+v %+v", info, claims)
	}

	// Refresh: a new access token and a new refresh token.
	refreshed, err := rp.config.TokenSource(ctx(t), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if refreshed.AccessToken == tok.AccessToken || refreshed.RefreshToken == tok.RefreshToken || refreshed.RefreshToken == "" {
		t.Fatal("the refresh did not issue a new pair")
	}
	if got := userInfoStatus(t, rp, refreshed.AccessToken); got != http.StatusOK {
		t.Fatalf("userinfo with the refreshed token: %d", got)
	}
	// The used refresh token is refused.
	_, err = rp.config.TokenSource(ctx(t), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")

	// The browser is signed in now: a second authorization asks only for
	// consent, and the client area says who.
	rp.authorize(t, b, "", "", "Allow")
	area := b.get(e.url + "/clientarea.php")
	if area.status != http.StatusOK || !strings.Contains(area.body, "Jane Doe") {
		t.Fatalf("clientarea.php: %d %s", area.status, area.body)
	}
}

// TestClientSecretPost authenticates in the body rather than with HTTP
// Basic, and signs in a user with two-factor authentication on.
func TestClientSecretPostAndTwoFactor(t *testing.T) {
	e := start(t)
	rp := newRelyingParty(t, e, appID, appSecret, appRedirect, oauth2.AuthStyleInParams)
	a := rp.authorize(t, newBrowser(t), samEmail, samPassword, "Allow")
	tok, err := rp.exchange(t, a)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if id := rp.verify(t, tok, a); id.Subject != "2" {
		t.Fatalf("sub %q", id.Subject)
	}
}

func TestFailures(t *testing.T) {
	e := start(t)
	rp := newRelyingParty(t, e, appID, appSecret, appRedirect, oauth2.AuthStyleInHeader)
	b := newBrowser(t)

	t.Run("wrong secret", func(t *testing.T) {
		wrong := newRelyingParty(t, e, appID, "not-the-secret", appRedirect, oauth2.AuthStyleInHeader)
		_, err := wrong.exchange(t, rp.authorize(t, b, janeEmail, janePassword, "Allow"))
		retrieveError(t, err, http.StatusUnauthorized, "invalid_client")
	})

	t.Run("unregistered redirect URI", func(t *testing.T) {
		evil := newRelyingParty(t, e, appID, appSecret, "http://evil.localhost/callback", oauth2.AuthStyleInHeader)
		p := b.get(evil.config.AuthCodeURL("state"))
		if p.status != http.StatusBadRequest || p.appRedirect() != nil || !strings.Contains(p.body, "redirect_uri") {
			t.Fatalf("%d %s", p.status, p.body)
		}
		if loc := p.header.Get("Location"); loc != "" {
			t.Fatalf("redirected to %s", loc)
		}
	})

	t.Run("denied", func(t *testing.T) {
		a := rp.authorize(t, b, janeEmail, janePassword, "Deny")
		if got := a.redirect.Query().Get("error"); got != "access_denied" {
			t.Fatalf("error %q", got)
		}
	})

	t.Run("reused code", func(t *testing.T) {
		a := rp.authorize(t, b, janeEmail, janePassword, "Allow")
		tok, err := rp.exchange(t, a)
		if err != nil {
			t.Fatal(err)
		}
		_, err = rp.exchange(t, a)
		retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
		if got := userInfoStatus(t, rp, tok.AccessToken); got != http.StatusUnauthorized {
			t.Fatalf("the token issued for the reused code answers %d", got)
		}
	})

	t.Run("wrong PKCE verifier", func(t *testing.T) {
		a := rp.authorize(t, b, janeEmail, janePassword, "Allow")
		a.verifier = oauth2.GenerateVerifier()
		_, err := rp.exchange(t, a)
		retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
	})

	t.Run("expired token", func(t *testing.T) {
		tok, err := rp.exchange(t, rp.authorize(t, b, janeEmail, janePassword, "Allow"))
		if err != nil {
			t.Fatal(err)
		}
		e.advanceClock(t, "2h")
		if got := userInfoStatus(t, rp, tok.AccessToken); got != http.StatusUnauthorized {
			t.Fatalf("an access token two hours old answers %d", got)
		}
		// Its refresh token still works.
		if _, err := rp.config.TokenSource(ctx(t), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
			t.Fatalf("refresh: %v", err)
		}
	})

	t.Run("expired code", func(t *testing.T) {
		a := rp.authorize(t, b, janeEmail, janePassword, "Allow")
		e.advanceClock(t, "61s")
		_, err := rp.exchange(t, a)
		retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
	})

	t.Run("deleted credential", func(t *testing.T) {
		second := newRelyingParty(t, e, secondID, secondSecret, appRedirect, oauth2.AuthStyleInHeader)
		second.config.Scopes = []string{oidc.ScopeOpenID, "email"}
		a := authorization{state: "s", nonce: "n", verifier: oauth2.GenerateVerifier()}
		p := b.get(second.config.AuthCodeURL(a.state, oidc.Nonce(a.nonce), oauth2.S256ChallengeOption(a.verifier)))
		p = b.submit(p, nil, "Allow") // signed in already
		a.redirect = p.appRedirect()
		tok, err := second.exchange(t, a)
		if err != nil {
			t.Fatal(err)
		}
		code := rp.authorize(t, b, janeEmail, janePassword, "Allow") // the other credential is untouched
		e.api(t, "DeleteOAuthCredential", url.Values{"credentialId": {"2"}})
		if got := userInfoStatus(t, second, tok.AccessToken); got != http.StatusUnauthorized {
			t.Fatalf("a deleted credential's token answers %d", got)
		}
		_, err = second.config.TokenSource(ctx(t), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		retrieveError(t, err, http.StatusUnauthorized, "invalid_client")
		p = b.get(second.config.AuthCodeURL("s"))
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "Unknown client") {
			t.Fatalf("authorize for a deleted credential: %d %s", p.status, p.body)
		}
		if _, err := rp.exchange(t, code); err != nil {
			t.Fatalf("the other credential: %v", err)
		}
	})

	t.Run("reset secret", func(t *testing.T) {
		tok, err := rp.exchange(t, rp.authorize(t, b, janeEmail, janePassword, "Allow"))
		if err != nil {
			t.Fatal(err)
		}
		e.api(t, "UpdateOAuthCredential", url.Values{"credentialId": {"1"}, "resetSecret": {"1"}})
		if got := userInfoStatus(t, rp, tok.AccessToken); got != http.StatusUnauthorized {
			t.Fatalf("a token from before the reset answers %d", got)
		}
	})
}

// totp is RFC 6238's code (SHA-1, 30 s, six digits) for a base32 secret,
// as an authenticator app shows it.
func totp(t *testing.T, secret string, at time.Time) string {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(sum[off:off+4])&0x7fffffff)%1_000_000)
}
