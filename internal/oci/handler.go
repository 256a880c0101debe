package oci

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// Prefix is the identity API's version path, under which the dialect is
// served.
const Prefix = "/20160918/"

// DefaultMaxCredentialsPerUser is Options.MaxCredentialsPerUser when zero.
const DefaultMaxCredentialsPerUser = 10

// Options configures a Handler. Zero fields take defaults.
type Options struct {
	// Clock gives the time of every timestamp and the reference for the
	// Date header's skew; default time.Now.
	Clock func() time.Time
	// Random supplies OCIDs, passwords, etags and request ids; default
	// crypto/rand. Tests seed it so answers are stable.
	Random io.Reader
	// Logger receives internal errors and why a signature was refused
	// (never a secret); default slog.Default.
	Logger *slog.Logger
	// VerifySignatures requires every request to carry a valid OCI
	// request signature by a key the fixture gave a user, as OCI does.
	// False accepts any request, signed or not, for quick local use.
	VerifySignatures bool
	// MaxCredentialsPerUser is how many credentials a user may have
	// before a create answers 400 LimitExceeded (default 10).
	MaxCredentialsPerUser int
}

// Handler serves the OCI IAM dialect. It is an http.Handler for the paths
// the package documentation lists, as the root server routes them
// (unstripped: /20160918/users/…, /oauth2/v1/token,
// /admin/v1/SigningCert/jwk).
type Handler struct {
	db     *store.DB
	clock  func() time.Time
	log    *slog.Logger
	verify bool
	max    int
	mux    *http.ServeMux
	mu     sync.Mutex // guards random
	random io.Reader
	retry  retrySecrets // passwords of creates under retry tokens, in memory only
	keys   signingKeys  // the key that signs access tokens (token.go)
}

// maxBody bounds a request body: a credential is a few hundred bytes.
const maxBody = 1 << 20

const (
	usersPath      = Prefix + "users"
	userPath       = usersPath + "/{userId}"
	apiKeysPath    = userPath + "/apiKeys"
	collectionPath = userPath + "/oauth2ClientCredentials"
	itemPath       = collectionPath + "/{oauth2ClientCredentialId}"
)

// New returns a Handler over db.
func New(db *store.DB, opts Options) *Handler {
	h := &Handler{db: db, clock: opts.Clock, log: opts.Logger, random: opts.Random, verify: opts.VerifySignatures,
		max: opts.MaxCredentialsPerUser}
	if h.clock == nil {
		h.clock = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.random == nil {
		h.random = rand.Reader
	}
	if h.max <= 0 {
		h.max = DefaultMaxCredentialsPerUser
	}
	m := http.NewServeMux()
	m.HandleFunc("POST "+usersPath, h.authenticated(h.createUser))
	m.HandleFunc("GET "+usersPath, h.authenticated(h.listUsers))
	m.HandleFunc("GET "+userPath, h.authenticated(h.getUser))
	m.HandleFunc("DELETE "+userPath, h.authenticated(h.deleteUser))
	m.HandleFunc("POST "+apiKeysPath, h.authenticated(h.uploadAPIKey))
	m.HandleFunc("POST "+collectionPath, h.authenticated(h.create))
	m.HandleFunc("GET "+collectionPath, h.authenticated(h.list))
	m.HandleFunc("PUT "+itemPath, h.authenticated(h.update))
	m.HandleFunc("DELETE "+itemPath, h.authenticated(h.delete))
	m.HandleFunc(TokenPath, h.token)
	m.HandleFunc(SigningCertPath, h.signingCert)
	m.HandleFunc("/", h.fallback)
	h.mux = m
	return h
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("opc-request-id", h.requestID(r.Header.Get("opc-request-id")))
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	h.mux.ServeHTTP(w, r)
}

// resource is what a path names: "users", "user", "apiKeys",
// "credentials", "credential", or "" for a path the dialect does not
// serve.
func resource(path string) string {
	if path == usersPath {
		return "users"
	}
	rest, ok := strings.CutPrefix(path, usersPath+"/")
	if !ok {
		return ""
	}
	parts := strings.Split(rest, "/")
	if parts[0] == "" {
		return ""
	}
	switch {
	case len(parts) == 1:
		return "user"
	case len(parts) == 2 && parts[1] == "apiKeys":
		return "apiKeys"
	case len(parts) == 2 && parts[1] == "oauth2ClientCredentials":
		return "credentials"
	case len(parts) == 3 && parts[1] == "oauth2ClientCredentials" && parts[2] != "":
		return "credential"
	}
	return ""
}

// operations names what each method does on each resource, by the SDK's
// operation name; allowed lists the methods for a 405's Allow header.
var operations = map[string]map[string]string{
	"users":       {http.MethodGet: "ListUsers", http.MethodPost: "CreateUser"},
	"user":        {http.MethodGet: "GetUser", http.MethodDelete: "DeleteUser"},
	"apiKeys":     {http.MethodPost: "UploadApiKey"},
	"credentials": {http.MethodGet: "ListOAuthClientCredentials", http.MethodPost: "CreateOAuthClientCredential"},
	"credential":  {http.MethodPut: "UpdateOAuthClientCredential", http.MethodDelete: "DeleteOAuthClientCredential"},
}

var allowed = map[string]string{
	"users": "GET, POST", "user": "GET, DELETE", "apiKeys": "POST", "credentials": "GET, POST", "credential": "PUT, DELETE",
}

// Operation names a request by the SDK's operation name (CreateUser,
// GetUser, ListUsers, DeleteUser, UploadApiKey,
// CreateOAuthClientCredential, ListOAuthClientCredentials,
// UpdateOAuthClientCredential, DeleteOAuthClientCredential; Token and
// GetSigningCert for the identity domain's endpoints), "" for a path or
// method the dialect does not serve.
func Operation(r *http.Request) string {
	switch r.URL.Path {
	case TokenPath:
		return "Token"
	case SigningCertPath:
		return "GetSigningCert"
	}
	return operations[resource(r.URL.Path)][r.Method]
}

// fallback answers what no route matched: 405 on a known path with
// another method, 404 elsewhere.
func (h *Handler) fallback(w http.ResponseWriter, r *http.Request) {
	allow := allowed[resource(r.URL.Path)]
	if allow == "" {
		h.WriteError(w, http.StatusNotFound, CodeNotFound, "There is no operation at "+r.Method+" "+r.URL.Path+".")
		return
	}
	w.Header().Set("Allow", allow)
	h.WriteError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed,
		"The method "+r.Method+" is not allowed on this resource (allowed: "+allow+").")
}

// callerKey holds, in a request's context, the OCID of the user whose key
// signed it ("" when signatures are not verified).
type callerKey struct{}

// CallerRecorder is implemented by a ResponseWriter that wants to know
// who made a request: the handler tells it the OCID of the user whose key
// signed it (the root server's journal and log do; like http.Flusher, it
// is found by a type assertion on the writer).
type CallerRecorder interface {
	RecordCaller(caller string)
}

// Caller returns the OCID of the user whose key signed the request ctx
// belongs to, "" when none did (verification off).
func Caller(ctx context.Context) string {
	s, _ := ctx.Value(callerKey{}).(string)
	return s
}

// authenticated reads the body and, when verification is on, checks the
// request's signature before running next (with the body readable again).
func (h *Handler) authenticated(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				h.WriteError(w, http.StatusRequestEntityTooLarge, CodeInvalidParameter, "The request body is too large.")
				return
			}
			h.WriteError(w, http.StatusBadRequest, CodeCannotParseRequest, "The request body could not be read.")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if h.verify {
			user, reason, err := h.verifySignature(r, body)
			if err != nil {
				h.internal(w, r, err)
				return
			}
			if reason != "" {
				h.log.WarnContext(r.Context(), "oci: request not authenticated", "method", r.Method, "path", r.URL.Path,
					"reason", reason)
				h.WriteError(w, http.StatusUnauthorized, CodeNotAuthenticated, notAuthenticated+" (whmcsemu: "+reason+")")
				return
			}
			if cr, ok := w.(CallerRecorder); ok {
				cr.RecordCaller(user)
			}
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, user))
		}
		next(w, r)
	}
}

// randomBytes reads n bytes from the random source.
func (h *Handler) randomBytes(n int) []byte {
	b := make([]byte, n)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := io.ReadFull(h.random, b); err != nil {
		panic("oci: random source failed: " + err.Error())
	}
	return b
}

// requestID is the opc-request-id of an answer: the caller's when it gave
// one, else 32 upper-case hex digits.
func (h *Handler) requestID(given string) string {
	if given != "" {
		return given
	}
	return strings.ToUpper(hex.EncodeToString(h.randomBytes(16)))
}

// ocidAlphabet is the base32 of OCIDs' unique part.
const ocidAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// newOCID returns an OCID of the resource type, in the commercial realm
// with no region, its unique part 60 characters as OCI's are.
func (h *Handler) newOCID(resourceType string) string {
	return NewOCID(resourceType, h.randomBytes(52))
}

// NewOCID makes an OCID of resourceType whose unique part is
// "aaaaaaaa" followed by one base32 character per random byte.
func NewOCID(resourceType string, random []byte) string {
	var b strings.Builder
	b.WriteString("ocid1." + resourceType + ".oc1..aaaaaaaa")
	for _, c := range random {
		b.WriteByte(ocidAlphabet[c%32])
	}
	return b.String()
}

// passwordAlphabet is what generated passwords are made of.
const passwordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+:#"

// newPassword returns a fresh 32-character password.
func (h *Handler) newPassword() string {
	raw := h.randomBytes(32)
	out := make([]byte, len(raw))
	for i, c := range raw {
		out[i] = passwordAlphabet[int(c)%len(passwordAlphabet)]
	}
	return string(out)
}

func (h *Handler) newETag() string { return hex.EncodeToString(h.randomBytes(16)) }

// now is the clock's time, to the millisecond OCI shows.
func (h *Handler) now() time.Time { return h.clock().UTC().Truncate(time.Millisecond) }

// internal logs err and answers 500.
func (h *Handler) internal(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "oci: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	h.WriteError(w, http.StatusInternalServerError, CodeInternalServerError, "An internal error occurred.")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"InternalServerError","message":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
