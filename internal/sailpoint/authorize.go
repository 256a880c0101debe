package sailpoint

import (
	"crypto/hmac"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// The authorization code grant's first leg (RFC 6749 §4.1.1):
// GET /oauth/authorize?client_id&redirect_uri&response_type=code&state
// shows a sign-in page; an identity from the fixture (sailpoint.identities)
// signs in with its name or email and password, and the browser goes back
// to the redirect URI with a code (and the state), which the client
// exchanges at /oauth/token within CodeLifetime, once.

// AuthorizePath is where the sign-in page is served.
const AuthorizePath = "/oauth/authorize"

// CodeLifetime is how long an authorization code can be exchanged, on the
// emulator's clock (RFC 6749 §4.1.2 advises at most 10 minutes).
const CodeLifetime = 5 * time.Minute

// csrfCookie holds the nonce the sign-in form's CSRF token is made from.
const csrfCookie = "whmcsemu_sailpoint_csrf"

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// loginPage is what templates/login.html shows.
type loginPage struct {
	Action, ClientName, ClientID, RedirectURI, State, Scope, CSRF, Username, Error string
}

// authorizeError refuses an authorization request: on a page of its own
// when the redirect URI cannot be trusted (redirect false), else back at
// the redirect URI (RFC 6749 §4.1.2.1).
type authorizeError struct {
	status            int
	code, description string
	redirect          bool
}

func (e *authorizeError) Error() string { return e.description }

// authRequest is an authorization request that passed its checks.
type authRequest struct {
	client      store.SailPointClient
	redirectURI string
	state       string
	scope       []string
}

// readAuthorize checks an authorization request's parameters.
func (h *Handler) readAuthorize(r *http.Request, q url.Values) (authRequest, error) {
	page := func(code, description string) (authRequest, error) {
		return authRequest{}, &authorizeError{status: http.StatusBadRequest, code: code, description: description}
	}
	for _, p := range []string{"client_id", "redirect_uri"} {
		if len(q[p]) > 1 {
			return page("invalid_request", p+" is given more than once.")
		}
	}
	id, redirect := q.Get("client_id"), q.Get("redirect_uri")
	if id == "" {
		return page("invalid_request", "client_id is required.")
	}
	var c store.SailPointClient
	err := h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		c, err = tx.SailPointClientByID(r.Context(), id)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && !c.Enabled:
		return page("invalid_client", "There is no enabled OAuth client "+id+".")
	case err != nil:
		return authRequest{}, err
	case redirect == "":
		return page("invalid_request", "redirect_uri is required.")
	case !slices.Contains(c.RedirectURIs, redirect):
		return page("invalid_request", "redirect_uri is not one of the client's redirectUris (compared exactly).")
	}
	back := func(code, description string) (authRequest, error) {
		return authRequest{}, &authorizeError{status: http.StatusFound, code: code, description: description, redirect: true}
	}
	for _, p := range []string{"response_type", "state", "scope"} {
		if len(q[p]) > 1 {
			return back("invalid_request", p+" is given more than once.")
		}
	}
	req := authRequest{client: c, redirectURI: redirect, state: q.Get("state"), scope: c.Scope}
	switch rt := q.Get("response_type"); {
	case rt == "":
		return back("invalid_request", "response_type is required.")
	case rt != "code":
		return back("unsupported_response_type", "Only response_type=code is supported.")
	case !slices.Contains(c.GrantTypes, "AUTHORIZATION_CODE"):
		return back("unauthorized_client", "The client does not have the AUTHORIZATION_CODE grant type.")
	}
	if asked := strings.Fields(q.Get("scope")); len(asked) > 0 {
		for _, s := range asked {
			if !slices.Contains(c.Scope, s) {
				return back("invalid_scope", "The client does not hold the scope "+s+".")
			}
		}
		req.scope = asked
	}
	return req, nil
}

// authorize is GET and POST /oauth/authorize.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	var q url.Values
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q = r.URL.Query()
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			h.authorizePage(w, http.StatusBadRequest, "invalid_request", "The form could not be read.")
			return
		}
		q = r.PostForm
	default:
		w.Header().Set("Allow", "GET, POST")
		h.WriteError(w, http.StatusMethodNotAllowed, "")
		return
	}
	req, err := h.readAuthorize(r, q)
	var refused *authorizeError
	switch {
	case errors.As(err, &refused) && refused.redirect:
		redirectBack(w, q.Get("redirect_uri"), url.Values{"error": {refused.code},
			"error_description": {refused.description}}, q.Get("state"))
		return
	case errors.As(err, &refused):
		h.authorizePage(w, refused.status, refused.code, refused.description)
		return
	case err != nil:
		h.internal(w, r, err)
		return
	}
	nonce := csrfNonce(r)
	if r.Method != http.MethodPost {
		if nonce == "" {
			nonce = h.randomHex(16)
		}
		h.loginPage(w, r, http.StatusOK, req, nonce, "", "")
		return
	}
	if nonce == "" || !hmac.Equal([]byte(q.Get("csrf")), []byte(h.csrfToken(nonce))) {
		h.authorizePage(w, http.StatusForbidden, "invalid_request",
			"The sign-in form was not sent from this emulator's page, or its cookie is gone; start again from the client.")
		return
	}
	if q.Get("action") == "deny" {
		redirectBack(w, req.redirectURI, url.Values{"error": {"access_denied"},
			"error_description": {"The identity refused the request."}}, req.state)
		return
	}
	login, password := strings.TrimSpace(q.Get("username")), q.Get("password")
	if login == "" || password == "" {
		h.loginPage(w, r, http.StatusBadRequest, req, nonce, login, "Enter your name or email and your password.")
		return
	}
	var who store.SailPointIdentity
	err = h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		who, err = tx.SailPointIdentityByLogin(r.Context(), login)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.internal(w, r, err)
		return
	}
	if err != nil {
		auth.CheckNothing(password)
	}
	if err != nil || !auth.CheckSecretRemembered(who.PasswordHash, password) {
		h.log.WarnContext(r.Context(), "sailpoint: sign-in refused", "client", req.client.ID)
		// 401: it counts towards the IP's ban like any failed login.
		h.loginPage(w, r, http.StatusUnauthorized, req, nonce, login, "Wrong name or password.")
		return
	}
	recordCaller(w, req.client.ID)
	code := base64.RawURLEncoding.EncodeToString(h.randomBytes(32))
	err = h.db.Update(r.Context(), func(tx *store.Tx) error {
		return tx.PutSailPointCode(r.Context(), store.SailPointCode{Hash: tokenHash(code), ClientID: req.client.ID,
			IdentityID: who.ID, RedirectURI: req.redirectURI, Scope: req.scope,
			Expires: h.now().Add(CodeLifetime).UnixMilli()})
	})
	if err != nil {
		h.internal(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "sailpoint: signed in", "identity", who.ID, "client", req.client.ID)
	redirectBack(w, req.redirectURI, url.Values{"code": {code}}, req.state)
}

// redirectBack sends the browser to the client's redirect URI with params
// (and the state, when the request had one) added to its query.
func redirectBack(w http.ResponseWriter, redirectURI string, params url.Values, state string) {
	u, err := url.Parse(redirectURI) // one of the client's, checked absolute when stored
	if err != nil {
		http.Error(w, "the redirect URI does not parse", http.StatusInternalServerError)
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery, u.Fragment = q.Encode(), ""
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", u.String())
	w.WriteHeader(http.StatusFound)
}

// csrfNonce is the request's CSRF cookie, "" when it has none (or one
// this emulator did not make).
func csrfNonce(r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) != 32 {
		return ""
	}
	if _, err := hex.DecodeString(c.Value); err != nil {
		return ""
	}
	return c.Value
}

// csrfToken is the form's token for a cookie's nonce: only this process,
// which holds the key, can make it, and only a page that read the form
// can send it with the cookie.
func (h *Handler) csrfToken(nonce string) string {
	return base64.RawURLEncoding.EncodeToString(h.sign("csrf:" + nonce))
}

// pageHeaders are the headers of every HTML answer: not cached, not
// framed, nothing loaded but its own inline style.
func pageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, status int, req authRequest, nonce, login, message string) {
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: nonce, Path: AuthorizePath, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	pageHeaders(w)
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, "login.html", loginPage{
		Action: AuthorizePath, ClientName: req.client.Name, ClientID: req.client.ID, RedirectURI: req.redirectURI,
		State: req.state, Scope: strings.Join(req.scope, " "), CSRF: h.csrfToken(nonce), Username: login, Error: message,
	})
}

func (h *Handler) authorizePage(w http.ResponseWriter, status int, code, description string) {
	pageHeaders(w)
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, "error.html", struct{ Code, Description string }{code, description})
}
