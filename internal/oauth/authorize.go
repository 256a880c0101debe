package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// oidcScopes are the scopes WHMCS grants through OpenID Connect.
var oidcScopes = []string{"openid", "email", "profile"}

// scopeDescriptions are what the consent page says each scope allows.
var scopeDescriptions = map[string]string{
	"openid":  "Sign you in and know which user you are",
	"email":   "See your email address",
	"profile": "See your name",
}

const grantAuthorizationCode = "authorization_code"

// The steps of a flow.
const (
	stepLogin     = "login"
	stepTwoFactor = "two_factor"
	stepConsent   = "consent"
)

// Messages of the sign-in forms. The first is WHMCS's client-area one.
const (
	msgBadLogin       = "Login Details Incorrect. Please try again."
	msgBadCode        = "Incorrect code, or a code that was used already. Please try again."
	msgNoTOTPSecret   = "Two-factor authentication is on for this user, but the fixture gives it no twoFactorSecret, so whmcsemu cannot check its codes."
	msgSignInAgain    = "Your session has ended. Please sign in again."
	msgFlowGone       = "This sign-in request has expired, was finished already, or its OAuth credential is gone. Go back to the application and start again."
	msgCSRF           = "The form did not come from this browser's sign-in page (its form token or cookie is missing or wrong). Go back to the application and start again."
	maxParameterBytes = 2048 // state, nonce: whmcsemu's limit
)

// pkceChallenge is RFC 7636's code challenge (and verifier) syntax.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// authRequest is an authorization request that passed every check.
type authRequest struct {
	scope, state, nonce string
	challenge, method   string
	prompt              []string
}

// authError is an error the client's redirect URI is told (RFC 6749
// §4.1.2.1).
type authError struct{ code, description string }

// authorize is oauth/authorize.php: an authorization request (GET, or
// POST as OpenID Connect allows), or a form of its pages (POST with flow).
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		h.errorPage(w, r, http.StatusMethodNotAllowed, "Method not allowed", "Use GET or POST.")
		return
	}
	if err := r.ParseForm(); err != nil {
		h.errorPage(w, r, http.StatusBadRequest, "Invalid request", "The request could not be read.")
		return
	}
	if r.Method == http.MethodPost && r.PostForm.Has("flow") {
		h.authorizeStep(w, r)
		return
	}
	h.authorizeRequest(w, r)
}

// authorizeRequest checks an authorization request. The client and its
// redirect URI are checked first: until both are good, errors are shown
// on a page (RFC 6749 §4.1.2.1 forbids redirecting to an unchecked URI);
// after, they go back to the redirect URI.
func (h *Handler) authorizeRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.Form
	for _, k := range []string{"client_id", "redirect_uri"} {
		if len(q[k]) > 1 {
			h.errorPage(w, r, http.StatusBadRequest, "Invalid request", k+" was sent more than once.")
			return
		}
	}
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	if clientID == "" {
		h.errorPage(w, r, http.StatusBadRequest, "Invalid request", "The request names no client: client_id is missing.")
		return
	}
	var cred store.OAuthCredential
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		cred, err = tx.OAuthCredentialByIdentifier(ctx, clientID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(w, r, http.StatusBadRequest, "Unknown client", "No OAuth credential has the client_id "+clientID+".")
		return
	} else if err != nil {
		h.internal(w, r, err)
		return
	}
	recordCaller(w, cred.Identifier)
	if msg := checkRedirect(cred, redirectURI); msg != "" {
		h.errorPage(w, r, http.StatusBadRequest, "Invalid redirect URI", msg)
		return
	}
	state := ""
	if len(q["state"]) == 1 {
		state = q.Get("state")
	}
	req, aerr := parseAuthRequest(cred, q)
	if aerr != nil {
		h.redirectError(w, r, redirectURI, aerr.code, aerr.description, state)
		return
	}
	s, signed, err := h.session(ctx, r)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if slices.Contains(req.prompt, "login") {
		signed = false
	}
	if slices.Contains(req.prompt, "none") {
		if signed {
			h.redirectError(w, r, redirectURI, "consent_required",
				"whmcsemu asks the user's consent on every authorization, and prompt=none forbids showing it.", state)
		} else {
			h.redirectError(w, r, redirectURI, "login_required", "No user is signed in, and prompt=none forbids the login page.", state)
		}
		return
	}
	now := h.clock().Unix()
	f := store.OAuthFlow{
		CredentialID: cred.ID, RedirectURI: redirectURI, Scope: req.scope, State: req.state, Nonce: req.nonce,
		CodeChallenge: req.challenge, CodeChallengeMethod: req.method, Step: stepLogin,
		ExpiresAt: now + int64(flowTTL.Seconds()),
	}
	if signed {
		f.UserID, f.Step = s.user.ID, stepConsent
	}
	id := h.newToken()
	f.Hash = hashOf(id)
	if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.AddOAuthFlow(ctx, f, now) }); err != nil {
		h.internal(w, r, err)
		return
	}
	h.showFlow(w, r, id, f, cred, s.user, flowView{})
}

// checkRedirect says what is wrong with a redirect URI for a credential
// ("" when it is one registered on it, exactly, and usable).
func checkRedirect(cred store.OAuthCredential, redirectURI string) string {
	if redirectURI == "" {
		return "The request has no redirect_uri; it must be one of the URIs registered on the OAuth credential."
	}
	if !slices.Contains(cred.RedirectURIs, redirectURI) {
		return "The redirect_uri is not one registered on the OAuth credential \"" + cred.Name +
			"\": it must match one exactly (UpdateOAuthCredential's redirectUri registers them)."
	}
	u, err := url.Parse(redirectURI)
	if err != nil || !u.IsAbs() || u.Fragment != "" {
		return "The registered redirect URI is not an absolute URL without a fragment."
	}
	return ""
}

// parseAuthRequest checks what an authorization request asks, once its
// client and redirect URI are known to be good.
func parseAuthRequest(cred store.OAuthCredential, q url.Values) (authRequest, *authError) {
	bad := func(code, description string) (authRequest, *authError) {
		return authRequest{}, &authError{code, description}
	}
	if cred.GrantTypes != grantAuthorizationCode {
		return bad("unauthorized_client", "This OAuth credential's grant type is "+cred.GrantTypes+
			"; only authorization_code credentials sign users in.")
	}
	for _, k := range []string{"response_type", "response_mode", "scope", "state", "nonce", "code_challenge",
		"code_challenge_method", "prompt"} {
		if len(q[k]) > 1 {
			return bad("invalid_request", k+" was sent more than once.")
		}
	}
	if q.Has("request") {
		return bad("request_not_supported", "Request objects (the request parameter) are not supported.")
	}
	if q.Has("request_uri") {
		return bad("request_uri_not_supported", "The request_uri parameter is not supported.")
	}
	switch rt := q.Get("response_type"); rt {
	case "code":
	case "":
		return bad("invalid_request", "response_type is missing; use code.")
	default:
		return bad("unsupported_response_type", "Only response_type=code is supported.")
	}
	if m := q.Get("response_mode"); m != "" && m != "query" {
		return bad("invalid_request", "Only response_mode=query is supported.")
	}
	req := authRequest{state: q.Get("state"), nonce: q.Get("nonce")}
	if len(req.state) > maxParameterBytes || len(req.nonce) > maxParameterBytes {
		return bad("invalid_request", "state and nonce may hold at most 2048 bytes each.")
	}
	scopes, aerr := checkScopes(cred, q.Get("scope"))
	if aerr != nil {
		return authRequest{}, aerr
	}
	req.scope = strings.Join(scopes, " ")

	req.challenge, req.method = q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case req.challenge == "" && req.method != "":
		return bad("invalid_request", "code_challenge_method was sent without a code_challenge.")
	case req.challenge == "":
	case req.method == "":
		req.method = "plain" // RFC 7636 §4.3
		fallthrough
	default:
		if req.method != "S256" && req.method != "plain" {
			return bad("invalid_request", "Transform algorithm not supported: use code_challenge_method S256 or plain.")
		}
		if !pkceChallenge.MatchString(req.challenge) {
			return bad("invalid_request", "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9 and - . _ ~.")
		}
	}

	req.prompt = strings.Fields(q.Get("prompt"))
	for _, p := range req.prompt {
		switch p {
		case "none", "login", "consent", "select_account":
		default:
			return bad("invalid_request", "prompt may be none, login, consent or select_account.")
		}
	}
	if slices.Contains(req.prompt, "none") && len(req.prompt) > 1 {
		return bad("invalid_request", "prompt=none may not be combined with other values.")
	}
	return req, nil
}

// checkScopes returns the scopes asked for, without repeats, when each is
// an OpenID Connect scope the credential was given.
func checkScopes(cred store.OAuthCredential, scope string) ([]string, *authError) {
	asked := strings.Fields(scope)
	if len(asked) == 0 {
		return nil, &authError{"invalid_scope", "scope is missing; ask for openid (and email, profile)."}
	}
	var out []string
	for _, s := range asked {
		switch {
		case !slices.Contains(oidcScopes, s):
			return nil, &authError{"invalid_scope", "The scope " + s + " is not one WHMCS grants here: use openid, email and profile."}
		case !slices.Contains(cred.Scopes, s):
			return nil, &authError{"invalid_scope", "The OAuth credential was not given the scope " + s +
				" (CreateOAuthCredential's and UpdateOAuthCredential's scope)."}
		case !slices.Contains(out, s):
			out = append(out, s)
		}
	}
	return out, nil
}

// redirectError sends the browser back to the client with an error
// (RFC 6749 §4.1.2.1): 302 from a GET, 303 from a form.
func (h *Handler) redirectError(w http.ResponseWriter, r *http.Request, redirectURI, code, description, state string) {
	params := url.Values{"error": {code}, "error_description": {errorText(description)}}
	if state != "" {
		params.Set("state", state)
	}
	h.redirect(w, r, redirectURI, params)
}

// redirect sends the browser to a (registered) redirect URI with params
// added to its query, keeping the query it has (RFC 6749 §3.1.2).
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, redirectURI string, params url.Values) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if u.RawQuery == "" {
		u.RawQuery = params.Encode()
	} else {
		u.RawQuery += "&" + params.Encode()
	}
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	noStore(w)
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, u.String(), status)
}

// flowView is what a flow's page shows besides the flow itself.
type flowView struct {
	err, message, email string
	status              int // default 200
}

// showFlow shows the page of the step a flow is at.
func (h *Handler) showFlow(w http.ResponseWriter, r *http.Request, id string, f store.OAuthFlow,
	cred store.OAuthCredential, user store.User, v flowView) {
	browser := h.browserID(w, r)
	p := page{Action: "authorize.php", Flow: id, CSRF: h.csrfToken(browser, id), ClientName: cred.Name,
		Error: v.err, Message: v.message, Email: v.email}
	if v.status == 0 {
		v.status = http.StatusOK
	}
	switch f.Step {
	case stepTwoFactor:
		p.Title, p.UserName = "Two-Factor Authentication", displayName(user)
		h.render(w, v.status, "two_factor", p)
	case stepConsent:
		p.Title = "Authorize " + cred.Name
		p.UserName, p.UserEmail = displayName(user), user.Email
		for _, s := range strings.Fields(f.Scope) {
			p.Scopes = append(p.Scopes, scopeInfo{Name: s, Description: scopeDescriptions[s]})
		}
		if u, err := url.Parse(f.RedirectURI); err == nil {
			p.RedirectHost = u.Host
		}
		h.render(w, v.status, "consent", p)
	default:
		p.Title = "Login"
		h.render(w, v.status, "login", p)
	}
}

// authorizeStep answers a form of the authorization pages: the password,
// the two-factor code, or the consent.
func (h *Handler) authorizeStep(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PostForm.Get("flow")
	var f store.OAuthFlow
	var cred store.OAuthCredential
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		if f, err = tx.OAuthFlowByHash(ctx, hashOf(id), h.clock().Unix()); err != nil {
			return err
		}
		if f.CredentialID == 0 {
			return store.ErrNotFound // a login.php sign-in
		}
		cred, err = tx.OAuthCredentialByID(ctx, f.CredentialID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(w, r, http.StatusBadRequest, "Sign-in expired", msgFlowGone)
		return
	} else if err != nil {
		h.internal(w, r, err)
		return
	}
	recordCaller(w, cred.Identifier)
	if !h.checkCSRF(r, id) {
		h.errorPage(w, r, http.StatusForbidden, "Form check failed", msgCSRF)
		return
	}
	// The credential may have changed since the request was checked.
	if msg := checkRedirect(cred, f.RedirectURI); msg != "" {
		h.errorPage(w, r, http.StatusBadRequest, "Invalid redirect URI", msg)
		return
	}
	if _, aerr := checkScopes(cred, f.Scope); cred.GrantTypes != grantAuthorizationCode || aerr != nil {
		h.dropFlow(ctx, f.Hash)
		h.redirectError(w, r, f.RedirectURI, "unauthorized_client", "The OAuth credential changed during the sign-in.", f.State)
		return
	}
	switch f.Step {
	case stepLogin:
		h.loginStep(w, r, id, f, cred)
	case stepTwoFactor:
		h.twoFactorStep(w, r, id, f, cred)
	default:
		h.consentStep(w, r, id, f, cred)
	}
}

func (h *Handler) dropFlow(ctx context.Context, hash string) {
	if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteOAuthFlow(ctx, hash) }); err != nil {
		h.log.Error("oauth: dropping a flow", "err", err)
	}
}

func (h *Handler) setStep(ctx context.Context, f *store.OAuthFlow, userID int64, step string) error {
	f.UserID, f.Step = userID, step
	return h.db.Update(ctx, func(tx *store.Tx) error { return tx.SetOAuthFlowStep(ctx, f.Hash, userID, step) })
}

// passwordStep checks a posted email and password. It returns the user
// when they are right and the user can finish signing in; otherwise it
// has counted a failed login and returns the form's message.
func (h *Handler) passwordStep(ctx context.Context, w http.ResponseWriter, r *http.Request) (store.User, string, error) {
	u, ok, err := h.checkPassword(ctx, r.PostForm.Get("email"), r.PostForm.Get("password"))
	if err != nil || !ok {
		if err == nil {
			recordFailedLogin(w)
		}
		return u, msgBadLogin, err
	}
	if u.TwoFactorEnabled {
		has, err := h.hasTOTPSecret(ctx, u.ID)
		if err != nil || !has {
			return u, msgNoTOTPSecret, err
		}
	}
	return u, "", nil
}

func (h *Handler) loginStep(w http.ResponseWriter, r *http.Request, id string, f store.OAuthFlow, cred store.OAuthCredential) {
	ctx := r.Context()
	u, msg, err := h.passwordStep(ctx, w, r)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if msg != "" {
		h.showFlow(w, r, id, f, cred, u, flowView{err: msg, email: r.PostForm.Get("email")})
		return
	}
	if u.TwoFactorEnabled {
		if err := h.setStep(ctx, &f, u.ID, stepTwoFactor); err != nil {
			h.internal(w, r, err)
			return
		}
		h.showFlow(w, r, id, f, cred, u, flowView{})
		return
	}
	h.signedInStep(w, r, id, f, cred, u)
}

func (h *Handler) twoFactorStep(w http.ResponseWriter, r *http.Request, id string, f store.OAuthFlow, cred store.OAuthCredential) {
	ctx := r.Context()
	var u store.User
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.UserByID(ctx, f.UserID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		h.errorPage(w, r, http.StatusBadRequest, "Sign-in expired", msgFlowGone)
		return
	} else if err != nil {
		h.internal(w, r, err)
		return
	}
	ok, err := h.checkTOTP(ctx, f.UserID, r.PostForm.Get("code"))
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if !ok {
		recordFailedLogin(w)
		h.showFlow(w, r, id, f, cred, u, flowView{err: msgBadCode})
		return
	}
	h.signedInStep(w, r, id, f, cred, u)
}

// signedInStep starts the browser's session for a user who passed every
// sign-in step and shows the consent page.
func (h *Handler) signedInStep(w http.ResponseWriter, r *http.Request, id string, f store.OAuthFlow, cred store.OAuthCredential, u store.User) {
	ctx := r.Context()
	if _, err := h.signIn(ctx, w, r, u.ID, 0); err != nil {
		h.internal(w, r, err)
		return
	}
	if err := h.setStep(ctx, &f, u.ID, stepConsent); err != nil {
		h.internal(w, r, err)
		return
	}
	h.showFlow(w, r, id, f, cred, u, flowView{})
}

func (h *Handler) consentStep(w http.ResponseWriter, r *http.Request, id string, f store.OAuthFlow, cred store.OAuthCredential) {
	ctx := r.Context()
	s, signed, err := h.session(ctx, r)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	if !signed || s.user.ID != f.UserID {
		// The session ended, or another user signed in on this browser
		// meanwhile: whoever consents must be who signed in.
		if err := h.setStep(ctx, &f, 0, stepLogin); err != nil {
			h.internal(w, r, err)
			return
		}
		h.showFlow(w, r, id, f, cred, store.User{}, flowView{message: msgSignInAgain})
		return
	}
	switch r.PostForm.Get("decision") {
	case "deny":
		h.dropFlow(ctx, f.Hash)
		h.log.Info("oauth: authorization denied", "clientIdentifier", cred.Identifier, "userId", f.UserID)
		h.redirectError(w, r, f.RedirectURI, "access_denied", "The user denied the request.", f.State)
	case "allow":
		h.issueCode(w, r, f, cred, s.session)
	default:
		h.showFlow(w, r, id, f, cred, s.user, flowView{err: "Choose Allow or Deny.", status: http.StatusBadRequest})
	}
}

// issueCode makes an authorization code for a consented flow and sends
// the browser back to the client with it.
func (h *Handler) issueCode(w http.ResponseWriter, r *http.Request, f store.OAuthFlow, cred store.OAuthCredential, s store.OAuthSession) {
	ctx := r.Context()
	code := h.newToken()
	now := h.clock().Unix()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.AddOAuthGrant(ctx, store.OAuthGrant{
			CredentialID: cred.ID, SecretSHA: hashOf(cred.Secret), UserID: f.UserID, Scope: f.Scope, Nonce: f.Nonce,
			AuthTime: s.AuthTime, CodeHash: hashOf(code), RedirectURI: f.RedirectURI, CodeChallenge: f.CodeChallenge,
			CodeChallengeMethod: f.CodeChallengeMethod, CodeExpiresAt: now + int64(codeTTL.Seconds()),
		}, now); err != nil {
			return err
		}
		return tx.DeleteOAuthFlow(ctx, f.Hash)
	})
	if err != nil {
		h.internal(w, r, err)
		return
	}
	h.log.Info("oauth: authorization code issued", "clientIdentifier", cred.Identifier, "userId", f.UserID, "scope", f.Scope)
	params := url.Values{"code": {code}}
	if f.State != "" {
		params.Set("state", f.State)
	}
	h.redirect(w, r, f.RedirectURI, params)
}
