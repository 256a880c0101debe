package sailpoint

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
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

// Options configures a Handler. Zero fields take defaults.
type Options struct {
	// Clock gives the time of every timestamp and expiry; default time.Now.
	Clock func() time.Time
	// Random supplies ids, secrets, tokens and tracking ids; default
	// crypto/rand. Tests seed it so answers are stable.
	Random io.Reader
	// Logger receives internal errors (never secrets); default slog.Default.
	Logger *slog.Logger
}

// Handler serves the SailPoint dialect. It is an http.Handler for the
// paths the package documentation lists, as the root server routes them
// (unstripped: /v3/oauth-clients…, /oauth/token).
type Handler struct {
	db     *store.DB
	clock  func() time.Time
	log    *slog.Logger
	mux    *http.ServeMux
	mu     sync.Mutex // guards random
	random io.Reader
	key    []byte // signs the JWT-shaped tokens
}

// maxBody bounds a request body: a client is a few hundred bytes.
const maxBody = 1 << 20

// New returns a Handler over db.
func New(db *store.DB, opts Options) *Handler {
	h := &Handler{db: db, clock: opts.Clock, log: opts.Logger, random: opts.Random}
	if h.clock == nil {
		h.clock = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.random == nil {
		h.random = rand.Reader
	}
	h.key = h.randomBytes(32)
	m := http.NewServeMux()
	m.HandleFunc("GET /v3/oauth-clients", h.authorized(false, h.list))
	m.HandleFunc("POST /v3/oauth-clients", h.authorized(true, h.create))
	m.HandleFunc("GET /v3/oauth-clients/{id}", h.authorized(false, h.get))
	m.HandleFunc("PATCH /v3/oauth-clients/{id}", h.authorized(true, h.patch))
	m.HandleFunc("DELETE /v3/oauth-clients/{id}", h.authorized(true, h.delete))
	m.HandleFunc("POST /oauth/token", h.token)
	m.HandleFunc(AuthorizePath, h.authorize)
	m.HandleFunc("/", h.fallback)
	h.mux = m
	return h
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	h.mux.ServeHTTP(w, r)
}

// fallback answers what no route matched: 405 on a known path with
// another method, 404 elsewhere, both in SailPoint's shape.
func (h *Handler) fallback(w http.ResponseWriter, r *http.Request) {
	allow := ""
	switch p := r.URL.Path; {
	case p == "/v3/oauth-clients":
		allow = "GET, POST"
	case strings.HasPrefix(p, "/v3/oauth-clients/") && !strings.Contains(p[len("/v3/oauth-clients/"):], "/") &&
		len(p) > len("/v3/oauth-clients/"):
		allow = "GET, PATCH, DELETE"
	case p == "/oauth/token":
		allow = "POST"
	}
	if allow == "" {
		h.WriteError(w, http.StatusNotFound, "")
		return
	}
	w.Header().Set("Allow", allow)
	h.WriteError(w, http.StatusMethodNotAllowed, "")
}

// randomBytes reads n bytes from the random source.
func (h *Handler) randomBytes(n int) []byte {
	b := make([]byte, n)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := io.ReadFull(h.random, b); err != nil {
		panic("sailpoint: random source failed: " + err.Error())
	}
	return b
}

func (h *Handler) randomHex(n int) string { return hex.EncodeToString(h.randomBytes(n)) }

// now is the clock's time, to the millisecond SailPoint shows.
func (h *Handler) now() time.Time { return h.clock().UTC().Truncate(time.Millisecond) }

// internal logs err and answers 500.
func (h *Handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "sailpoint: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	h.WriteError(w, http.StatusInternalServerError, "")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// tokenHash is how a token is stored and looked up.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// sign returns the HMAC-SHA256 of s under the handler's key.
func (h *Handler) sign(s string) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// caller is the client a request's bearer token was minted for.
type caller struct {
	clientID string
	scope    []string
}

type callerKey struct{}

// CallerRecorder is implemented by a ResponseWriter that wants to know
// who made a request: the handler tells it the id of the OAuth client
// that authenticated (the root server's journal and log do; like
// http.Flusher, it is found by a type assertion on the writer).
type CallerRecorder interface {
	RecordCaller(caller string)
}

// recordCaller tells w, when it asks, which client made the request.
func recordCaller(w http.ResponseWriter, clientID string) {
	if cr, ok := w.(CallerRecorder); ok {
		cr.RecordCaller(clientID)
	}
}

// authorized wraps next so it runs only with a valid, unexpired bearer
// token of an enabled client holding the scope the operation needs.
func (h *Handler) authorized(manage bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, status, text, err := h.authenticate(r)
		if err != nil {
			h.internal(w, r, err)
			return
		}
		if status != 0 {
			h.WriteError(w, status, text)
			return
		}
		recordCaller(w, c.clientID)
		if !allows(c.scope, manage) {
			need := "sp:oauth-client:read"
			if manage {
				need = "sp:oauth-client:manage"
			}
			h.WriteError(w, http.StatusForbidden, "The token does not carry the scope "+need+" (or sp:scopes:all).")
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	}
}

// allows reports whether scope grants the read (manage false) or manage
// right on OAuth clients.
func allows(scope []string, manage bool) bool {
	for _, s := range scope {
		switch s {
		case "sp:scopes:all", "sp:oauth-client:manage":
			return true
		case "sp:oauth-client:read":
			if !manage {
				return true
			}
		}
	}
	return false
}
