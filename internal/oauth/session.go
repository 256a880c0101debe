package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// The cookies. The browser cookie is a random id that ties forms (their
// CSRF tokens) to the browser that was shown them; the session cookie
// says who is signed in. Both are HttpOnly, SameSite=Lax, on the System
// URL's path, Secure when that URL is https.
const (
	browserCookie = "whmcsemu_browser"
	sessionCookie = "whmcsemu_session"
)

func (h *Handler) cookie(name, value string) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if u, err := url.Parse(h.base()); err == nil {
		if u.Path != "" {
			c.Path = u.Path
		}
		c.Secure = u.Scheme == "https"
	}
	return c
}

// wellFormed reports whether a cookie value could be one newToken made.
func wellFormed(v string) bool {
	if len(v) != 43 {
		return false
	}
	return strings.IndexFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// browserID returns the browser's id, setting the cookie when it has none.
func (h *Handler) browserID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(browserCookie); err == nil && wellFormed(c.Value) {
		return c.Value
	}
	id := h.newToken()
	http.SetCookie(w, h.cookie(browserCookie, id))
	// A page that sets it and renders a form in the same answer must see
	// it too.
	r.AddCookie(&http.Cookie{Name: browserCookie, Value: id})
	return id
}

// csrfToken is the token a form for flow (a flow id, or a fixed name for
// forms without one) carries for this browser.
func (h *Handler) csrfToken(browser, flow string) string { return h.mac("csrf", browser, flow) }

// checkCSRF reports whether a posted form carries this browser's token
// for flow. A browser without the cookie fails.
func (h *Handler) checkCSRF(r *http.Request, flow string) bool {
	c, err := r.Cookie(browserCookie)
	if err != nil || !wellFormed(c.Value) {
		return false
	}
	want := h.csrfToken(c.Value, flow)
	got := r.PostForm.Get("csrf")
	return len(got) == len(want) && subtleEqual(got, want)
}

// signedIn is a browser's session with its user.
type signedIn struct {
	session store.OAuthSession
	user    store.User
}

// session returns who is signed in on this browser, if anyone.
func (h *Handler) session(ctx context.Context, r *http.Request) (signedIn, bool, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || !wellFormed(c.Value) {
		return signedIn{}, false, nil
	}
	var s signedIn
	err = h.db.View(ctx, func(tx *store.Tx) (err error) {
		if s.session, err = tx.OAuthSessionByHash(ctx, hashOf(c.Value), h.clock().Unix()); err != nil {
			return err
		}
		s.user, err = tx.UserByID(ctx, s.session.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return signedIn{}, false, nil
	}
	return s, err == nil, err
}

// SignIn starts a session for a user on this browser (a new cookie; any
// session the browser had ends), with the client the user acts for (0
// for none chosen). Single sign-on redemption calls it.
func (h *Handler) SignIn(w http.ResponseWriter, r *http.Request, userID, clientID int64) error {
	_, err := h.signIn(r.Context(), w, r, userID, clientID)
	return err
}

func (h *Handler) signIn(ctx context.Context, w http.ResponseWriter, r *http.Request, userID, clientID int64) (store.OAuthSession, error) {
	token := h.newToken()
	now := h.clock().Unix()
	s := store.OAuthSession{Hash: hashOf(token), UserID: userID, ClientID: clientID, AuthTime: now,
		ExpiresAt: now + int64(sessionTTL.Seconds())}
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		if c, err := r.Cookie(sessionCookie); err == nil && wellFormed(c.Value) {
			if err := tx.DeleteOAuthSession(ctx, hashOf(c.Value)); err != nil {
				return err
			}
		}
		return tx.AddOAuthSession(ctx, s)
	})
	if err != nil {
		return s, err
	}
	http.SetCookie(w, h.cookie(sessionCookie, token))
	h.log.Info("oauth: signed in", "userId", userID, "clientId", clientID)
	return s, nil
}

// signOut ends the browser's session.
func (h *Handler) signOut(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && wellFormed(c.Value) {
		if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteOAuthSession(ctx, hashOf(c.Value)) }); err != nil {
			return err
		}
	}
	gone := h.cookie(sessionCookie, "")
	gone.MaxAge = -1
	http.SetCookie(w, gone)
	return nil
}

// checkPassword returns the user with this email and password; ok is
// false for an unknown email, a user without a password or a wrong one
// (each costing one bcrypt comparison).
func (h *Handler) checkPassword(ctx context.Context, email, password string) (store.User, bool, error) {
	var u store.User
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.UserByEmail(ctx, strings.TrimSpace(email))
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && u.PasswordHash == ""):
		checkNothing(password)
		return u, false, nil
	case err != nil:
		return u, false, err
	}
	return u, checkSecret(u.PasswordHash, password), nil
}

// checkTOTP checks a two-factor code for a user and uses its time step
// up; ok is false for a wrong code or one used already.
func (h *Handler) checkTOTP(ctx context.Context, userID int64, code string) (bool, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	ok := false
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		secret, last, err := tx.UserTwoFactor(ctx, userID)
		if err != nil {
			return err
		}
		key, err := decodeTOTPSecret(secret)
		if err != nil || len(key) == 0 {
			return nil
		}
		step, match := matchTOTP(key, code, h.clock(), last)
		if !match {
			return nil
		}
		ok, err = tx.UseUserTOTPStep(ctx, userID, step)
		return err
	})
	return ok, err
}

// hasTOTPSecret reports whether a two-factor user can pass the second step.
func (h *Handler) hasTOTPSecret(ctx context.Context, userID int64) (bool, error) {
	var secret string
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		secret, _, err = tx.UserTwoFactor(ctx, userID)
		return err
	})
	return secret != "", err
}

// displayName is how pages name a user.
func displayName(u store.User) string {
	if n := strings.TrimSpace(u.Firstname + " " + u.Lastname); n != "" {
		return n
	}
	return u.Email
}

func subtleEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// The password checks of package auth: bcrypt, and the same time spent
// when there is no hash to check.
var (
	checkSecret  = auth.CheckSecret
	checkNothing = auth.CheckNothing
)
