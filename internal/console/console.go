// Package console is whmcsemu's web console: server-rendered pages, under
// the control plane's prefix, over the same code the APIs run. OCI IAM
// users and their OAuth 2.0 client credentials (Oracle's console flow:
// generate, the secret shown once, edit, reset, delete) through package
// oci's Go operations; WHMCS's OAuth credentials, clients, services,
// invoices, tickets, users and SSO tokens through the local API (Backend.Call);
// SailPoint's OAuth clients through package sailpoint's Go operations; and
// the emulator's journal, faults, clock, fixtures and bans through the
// Backend the root server gives it.
//
// The Handler assumes its caller (the root server) has decided who may use
// it, by the control plane's rules; it serves the login page for the admin
// token (ServeLogin) and refusals (ServeRefusal) when told to. Every
// state-changing form carries a CSRF token bound to a cookie (signed double
// submit), on top of the control plane's Origin and Sec-Fetch-Site checks.
// Pages work without script; console.js adds the journal's live updates,
// the Copy buttons and scope rows added and removed in place.
package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Cookie names. Both are HttpOnly, SameSite=Strict and scoped to Prefix.
const (
	// TokenCookie holds the admin token a non-loopback browser signed in
	// with; the root server reads it as it reads Authorization: Bearer.
	TokenCookie = "whmcsemu_console_token"
	csrfCookie  = "whmcsemu_console_csrf"
	csrfField   = "csrf"
)

// Options configure a Handler.
type Options struct {
	// Prefix is where the console is mounted, ending in "/"
	// (/_whmcsemu/console/).
	Prefix string
	// Backend is the emulator: the local API, journal, faults, clock,
	// bans and fixtures.
	Backend Backend
	// OCI and SailPoint are the dialects' handlers, whose Go operations
	// the pages call.
	OCI       *oci.Handler
	SailPoint *sailpoint.Handler
	// Logger receives internal errors; nil discards.
	Logger *slog.Logger
	// Random keys the CSRF tokens and names one-time secrets; nil means
	// crypto/rand.
	Random io.Reader
}

// Handler serves the console.
type Handler struct {
	prefix  string
	b       Backend
	oci     *oci.Handler
	sp      *sailpoint.Handler
	log     *slog.Logger
	mux     *http.ServeMux
	pages   map[string]*template.Template
	key     []byte // signs CSRF tokens
	mu      sync.Mutex
	random  io.Reader
	secrets onceStore
}

// New returns a console Handler.
func New(opts Options) *Handler {
	h := &Handler{prefix: opts.Prefix, b: opts.Backend, oci: opts.OCI, sp: opts.SailPoint, log: opts.Logger,
		random: opts.Random}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.random == nil {
		h.random = rand.Reader
	}
	h.key = h.randomBytes(32)
	h.pages = pages()
	h.mux = h.routes()
	return h
}

func (h *Handler) randomBytes(n int) []byte {
	b := make([]byte, n)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := io.ReadFull(h.random, b); err != nil {
		panic("console: random source failed: " + err.Error())
	}
	return b
}

// ServeHTTP serves a console request from a caller the root server let
// in. A POST must carry the CSRF token of its browser's cookie.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	w.Header().Set("Referrer-Policy", "same-origin") // no-referrer would make Chrome send "Origin: null" with forms
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodPost && !h.csrfOK(r) {
		h.ServeRefusal(w, r, http.StatusForbidden, "The form's CSRF token is missing or does not match this browser's; "+
			"reload the page and send the form again.")
		return
	}
	h.mux.ServeHTTP(w, r)
}

// csrfToken is the token forms carry for the browser's CSRF cookie,
// setting the cookie when the browser has none.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	value := ""
	if err == nil && len(c.Value) == 64 {
		value = c.Value
	} else {
		value = hex.EncodeToString(h.randomBytes(32))
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: value, Path: h.prefix, HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		// The request carries it too, so a second call in this request
		// gives the same token.
		r.AddCookie(&http.Cookie{Name: csrfCookie, Value: value})
	}
	return h.sign(value)
}

func (h *Handler) sign(value string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("csrf\x00" + value))
	return hex.EncodeToString(m.Sum(nil))
}

// csrfOK reports whether a POST's form carries the token of its cookie.
// It reads the form (multipart too, within the fixture limit).
func (h *Handler) csrfOK(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	given := r.Header.Get("X-CSRF-Token")
	if given == "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				return false
			}
		}
		given = r.PostFormValue(csrfField)
	}
	return subtle.ConstantTimeCompare([]byte(given), []byte(h.sign(c.Value))) == 1
}

// page is what every template gets.
type page struct {
	Title   string
	Section string // the navigation entry to mark current
	Prefix  string
	CSRF    string
	Notice  string
	Error   string
	Data    any
	SignOut bool // the browser signed in with the token
}

// render writes a page with status.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := h.pages[name]
	if !ok {
		panic("console: no template " + name)
	}
	p.Prefix = h.prefix
	p.CSRF = h.csrfToken(w, r)
	if p.Notice == "" {
		p.Notice = notices[r.URL.Query().Get("done")]
	}
	if _, err := r.Cookie(TokenCookie); err == nil {
		p.SignOut = true
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := t.ExecuteTemplate(w, "layout", p); err != nil {
		h.log.Error("console: rendering", "page", name, "err", err)
	}
}

// notices are the messages a redirect after a change may name (?done=).
var notices = map[string]string{
	"created": "Created.", "updated": "Saved.", "deleted": "Deleted.", "fault-added": "Fault rule added.",
	"fault-removed": "Fault rule removed.", "faults-cleared": "Every fault rule removed.", "clock": "Clock changed.",
	"loaded": "Fixture document loaded.", "reset": "The emulator is back to its fixtures.", "lifted": "Ban lifted.",
	"lifted-all": "Every ban lifted.", "user-created": "User created.", "signed-out": "Signed out.",
}

// redirect answers a POST with 303 to path under the prefix, ?done=what.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, path, done string) {
	u := h.prefix + strings.TrimPrefix(path, "/")
	if done != "" {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "done=" + url.QueryEscape(done)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// ServeRefusal answers a refused request with a page saying why.
func (h *Handler) ServeRefusal(w http.ResponseWriter, r *http.Request, status int, reason string) {
	w.Header().Set("X-Frame-Options", "DENY")
	h.render(w, r, status, "refused", page{Title: http.StatusText(status), Error: reason})
}

// ServeLogin serves the sign-in page a browser that is not on loopback
// gets instead of the console: a form for the admin token, which a POST
// checks (check counts a wrong one as a failed login) and keeps in an
// HttpOnly, SameSite=Strict cookie. reason says why the console refused
// the request.
func (h *Handler) ServeLogin(w http.ResponseWriter, r *http.Request, reason string, check func(token string) bool) {
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost && r.URL.Path == h.prefix+"login" {
		if !h.csrfOK(r) {
			h.ServeRefusal(w, r, http.StatusForbidden, "The form's CSRF token is missing or does not match; reload the page.")
			return
		}
		next = r.PostFormValue("next")
		token := r.PostFormValue("token")
		if token != "" && check(token) {
			http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: token, Path: h.prefix, HttpOnly: true,
				SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
			if !strings.HasPrefix(next, h.prefix) || strings.ContainsAny(next, "\\\r\n") {
				next = h.prefix
			}
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		reason = "That is not the admin token."
	}
	if next == "" {
		next = r.URL.RequestURI()
		if r.Method != http.MethodGet || r.URL.Path == h.prefix+"login" {
			next = h.prefix
		}
	}
	// A cookie that no longer holds the token goes.
	if _, err := r.Cookie(TokenCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: "", Path: h.prefix, MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteStrictMode})
	}
	h.render(w, r, http.StatusUnauthorized, "login", page{Title: "Sign in", Error: reason, Data: next})
}

// parsePages parses each page template with the layout.
// pages are the console's templates, parsed once per process and shared
// by every console: parsing them took longer than the rest of starting an
// emulator, and a parsed template is safe to execute concurrently.
var pages = sync.OnceValue(parsePages)

func parsePages() map[string]*template.Template {
	layout, err := fs.ReadFile(templateFS, "templates/layout.html")
	if err != nil {
		panic(err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		body, err := fs.ReadFile(templateFS, n)
		if err != nil {
			panic(err)
		}
		t := template.Must(template.New("layout").Funcs(funcs).Parse(string(layout)))
		template.Must(t.Parse(string(body)))
		pages[name] = t
	}
	return pages
}

var funcs = template.FuncMap{
	"str":  str,
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") },
	"join": strings.Join,
	"inc":  func(i int) int { return i + 1 },
	"has": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
	"deref": func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	},
}

// failure turns an operation's error into what a page shows: a refusal's
// own message, or a fixed one for anything else (logged).
func (h *Handler) failure(ctx context.Context, what string, err error) string {
	if _, _, msg, ok := oci.ErrorOf(err); ok {
		return msg
	}
	if _, msg, ok := sailpoint.ErrorOf(err); ok {
		return msg
	}
	var fe *FaultError
	var ce callError
	var nf notFoundError
	switch {
	case errors.As(err, &fe):
		return fe.Message
	case errors.As(err, &ce):
		return string(ce)
	case errors.As(err, &nf):
		return string(nf)
	}
	if ctx.Err() == nil {
		h.log.Error("console: "+what, "err", err)
	}
	return "An internal error occurred in whmcsemu; the server log has the details."
}

// FaultError is a fault rule's answer to an operation the console ran.
type FaultError struct {
	Message string
	Status  int
}

func (e *FaultError) Error() string { return e.Message }

// notFound answers a page for something that does not exist.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, what string) {
	h.render(w, r, http.StatusNotFound, "refused", page{Title: "Not found", Error: what})
}
