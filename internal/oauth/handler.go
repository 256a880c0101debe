package oauth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// The endpoints, by the suffix of their path.
const (
	AuthorizePath  = "/oauth/authorize.php"
	TokenPath      = "/oauth/token.php"
	UserInfoPath   = "/oauth/userinfo.php"
	DiscoveryPath  = "/oauth/openid-configuration.php"
	WellKnownPath  = "/.well-known/openid-configuration"
	CertsPath      = "/oauth/certs.php"
	ClientAreaPath = "/clientarea.php"
	LoginPath      = "/login.php"
)

// Endpoint names what a request path asks for: one of the Endpoint*
// constants, or "" for a path this package does not serve.
func Endpoint(path string) string {
	for _, e := range endpoints {
		if strings.HasSuffix(path, e.suffix) {
			return e.name
		}
	}
	return ""
}

// Endpoint names.
const (
	EndpointAuthorize  = "authorize"
	EndpointToken      = "token"
	EndpointUserInfo   = "userinfo"
	EndpointDiscovery  = "discovery"
	EndpointCerts      = "certs"
	EndpointClientArea = "clientarea"
	EndpointLogin      = "login"
)

var endpoints = []struct{ suffix, name string }{
	{AuthorizePath, EndpointAuthorize},
	{TokenPath, EndpointToken},
	{UserInfoPath, EndpointUserInfo},
	{DiscoveryPath, EndpointDiscovery},
	{WellKnownPath, EndpointDiscovery},
	{CertsPath, EndpointCerts},
	{ClientAreaPath, EndpointClientArea},
	{LoginPath, EndpointLogin},
}

// Lifetimes, on the emulator's clock. WHMCS documents none of them.
const (
	codeTTL         = 60 * time.Second
	accessTokenTTL  = time.Hour
	idTokenTTL      = time.Hour
	refreshTokenTTL = 30 * 24 * time.Hour
	sessionTTL      = 24 * time.Hour
	flowTTL         = 10 * time.Minute
)

// maxBody bounds a request body: a form of a few fields.
const maxBody = 64 << 10

// Options configures a Handler. Zero fields take defaults.
type Options struct {
	// Clock gives the time of every expiry; default time.Now.
	Clock func() time.Time
	// Random supplies codes, tokens, cookies and form ids; default
	// crypto/rand. (The signing key always comes from crypto/rand.)
	Random io.Reader
	// Logger receives internal errors and a line per code and sign-in
	// (ids only, never a secret); default slog.Default.
	Logger *slog.Logger
	// Settings returns the settings in force: the System URL (ending in
	// /) is the issuer and the base of every endpoint, the company name
	// heads the pages. Default: store's defaults.
	Settings func() store.Settings
}

// Handler serves the endpoints Endpoint names.
type Handler struct {
	db       *store.DB
	clock    func() time.Time
	log      *slog.Logger
	settings func() store.Settings

	mu     sync.Mutex // guards random
	random io.Reader
	// csrfKey makes the forms' CSRF tokens (HMAC of the browser cookie
	// and the flow); a restart makes forms shown before it stale.
	csrfKey []byte

	keyMu sync.Mutex
	key   *signingKey // loaded or made on first use
}

// New returns a Handler over db.
func New(db *store.DB, opts Options) *Handler {
	h := &Handler{db: db, clock: opts.Clock, log: opts.Logger, random: opts.Random, settings: opts.Settings}
	if h.clock == nil {
		h.clock = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.random == nil {
		h.random = rand.Reader
	}
	if h.settings == nil {
		h.settings = func() store.Settings {
			return store.Settings{CompanyName: store.DefaultCompanyName, SystemURL: store.DefaultSystemURL}
		}
	}
	h.csrfKey = h.randomBytes(32)
	return h
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	switch Endpoint(r.URL.Path) {
	case EndpointAuthorize:
		h.authorize(w, r)
	case EndpointToken:
		h.token(w, r)
	case EndpointUserInfo:
		h.userInfo(w, r)
	case EndpointDiscovery:
		h.discovery(w, r)
	case EndpointCerts:
		h.certs(w, r)
	case EndpointClientArea:
		h.clientArea(w, r)
	case EndpointLogin:
		h.login(w, r)
	default:
		http.NotFound(w, r)
	}
}

// WriteError answers a request the root server refuses (a ban, a fault
// rule) in the shape of its endpoint: an HTML page for the browser pages,
// an OAuth error object for the others.
func (h *Handler) WriteError(w http.ResponseWriter, r *http.Request, status int, message string) {
	switch Endpoint(r.URL.Path) {
	case EndpointAuthorize, EndpointClientArea, EndpointLogin:
		h.errorPage(w, r, status, "Something went wrong", message)
	default:
		code := "server_error"
		switch status {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			code = "temporarily_unavailable"
		case http.StatusForbidden:
			code = "access_denied"
		}
		oauthError(w, status, code, message)
	}
}

// CallerRecorder is implemented by a ResponseWriter that wants to know
// who made a request: the handler tells it the client identifier of the
// credential the request is for (the root server's journal and log do;
// like http.Flusher, it is found by a type assertion on the writer).
type CallerRecorder interface {
	RecordCaller(caller string)
}

// FailedLoginRecorder is implemented by a ResponseWriter that counts
// failed sign-ins (a wrong password or two-factor code on a page answered
// 200), as the root server counts them towards an IP ban.
type FailedLoginRecorder interface {
	RecordFailedLogin()
}

func recordCaller(w http.ResponseWriter, caller string) {
	if cr, ok := w.(CallerRecorder); ok {
		cr.RecordCaller(caller)
	}
}

func recordFailedLogin(w http.ResponseWriter) {
	if fr, ok := w.(FailedLoginRecorder); ok {
		fr.RecordFailedLogin()
	}
}

// issuer is the System URL without its trailing /.
func (h *Handler) issuer() string { return strings.TrimSuffix(h.base(), "/") }

// base is the System URL, ending in /.
func (h *Handler) base() string {
	u := h.settings().SystemURL
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// randomBytes reads n bytes from the random source.
func (h *Handler) randomBytes(n int) []byte {
	b := make([]byte, n)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := io.ReadFull(h.random, b); err != nil {
		panic("oauth: random source failed: " + err.Error())
	}
	return b
}

// newToken is 32 random bytes, base64url without padding (43 characters).
func (h *Handler) newToken() string { return base64.RawURLEncoding.EncodeToString(h.randomBytes(32)) }

// hashOf is how secrets (cookies, form ids, codes, tokens) are stored.
func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// mac is the HMAC-SHA256 of the parts under the CSRF key.
func (h *Handler) mac(parts ...string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// internal logs err and answers 500 in the endpoint's shape.
func (h *Handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "oauth: internal error", "path", r.URL.Path, "err", err)
	h.WriteError(w, r, http.StatusInternalServerError, "The server could not complete the request.")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"server_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// oauthError answers an OAuth 2.0 error object (RFC 6749 §5.2) that no
// cache may keep.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	noStore(w)
	writeJSON(w, status, errorBody{Error: code, Description: errorText(description)})
}

type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

// errorText keeps only the characters RFC 6749 allows in an
// error_description (printable ASCII but " and \).
func errorText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '?'
		}
		return r
	}, s)
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// allow answers 405 unless the method is one of methods.
func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed: use "+strings.Join(methods, " or ")+".")
	return false
}
