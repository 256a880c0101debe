package whmcsemu

import (
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
)

// The other dialects (packages oci and sailpoint) are served beside the
// WHMCS endpoint on the same store, clock, journal, faults and bans. Their
// requests are named by operation for fault rules and the journal, the way
// WHMCS calls are named by action, and go through one wrapper.

// dialect is what the wrapper needs to know of one.
type dialect struct {
	name    string // in log lines: "oci call", "sailpoint call"
	handler http.Handler
	// operation names a request for fault rules and the journal; "" for a
	// path the dialect does not serve (which it answers 404 itself).
	operation func(*http.Request) string
	// writeError answers in the dialect's own error shape.
	writeError func(w http.ResponseWriter, r *http.Request, status int, message string)
}

// sailPointOperations are the names SailPoint requests go by.
var sailPointOperations = []string{
	"SailPointListOAuthClients", "SailPointCreateOAuthClient", "SailPointGetOAuthClient",
	"SailPointPatchOAuthClient", "SailPointDeleteOAuthClient", "SailPointToken", "SailPointAuthorize",
}

// SailPoint's paths, as the dialect serves them.
const (
	sailPointAPIPrefix = "/v3/"
	sailPointTokenPath = "/oauth/token"
)

// sailPointOperation names a SailPoint request.
func sailPointOperation(r *http.Request) string {
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case p == sailPointTokenPath:
		return "SailPointToken"
	case p == sailpoint.AuthorizePath:
		return "SailPointAuthorize"
	case p == "/v3/oauth-clients":
		if r.Method == http.MethodPost {
			return "SailPointCreateOAuthClient"
		}
		return "SailPointListOAuthClients"
	case strings.HasPrefix(p, "/v3/oauth-clients/") && !strings.Contains(p[len("/v3/oauth-clients/"):], "/"):
		switch r.Method {
		case http.MethodPatch:
			return "SailPointPatchOAuthClient"
		case http.MethodDelete:
			return "SailPointDeleteOAuthClient"
		}
		return "SailPointGetOAuthClient"
	}
	return ""
}

func newSailPointDialect(h *sailpoint.Handler) *dialect {
	return &dialect{
		name: "sailpoint", handler: h, operation: sailPointOperation,
		writeError: func(w http.ResponseWriter, _ *http.Request, status int, message string) {
			h.WriteError(w, status, message)
		},
	}
}

// ociOperations are the names OCI requests go by, by the SDK operation
// each stands for.
var ociOperations = map[string]string{
	"CreateOAuthClientCredential": "OCICreateOAuth2ClientCredential",
	"ListOAuthClientCredentials":  "OCIListOAuth2ClientCredentials",
	"UpdateOAuthClientCredential": "OCIUpdateOAuth2ClientCredential",
	"DeleteOAuthClientCredential": "OCIDeleteOAuth2ClientCredential",
	"CreateUser":                  "OCICreateUser",
	"GetUser":                     "OCIGetUser",
	"ListUsers":                   "OCIListUsers",
	"DeleteUser":                  "OCIDeleteUser",
	"UploadApiKey":                "OCIUploadApiKey",
	"Token":                       "OCIToken",
	"GetSigningCert":              "OCIGetSigningCert",
}

func newOCIDialect(h *oci.Handler) *dialect {
	return &dialect{
		name: "oci", handler: h,
		operation: func(r *http.Request) string { return ociOperations[oci.Operation(r)] },
		writeError: func(w http.ResponseWriter, r *http.Request, status int, message string) {
			if id := r.Header.Get("opc-request-id"); id != "" {
				w.Header().Set("opc-request-id", id)
			}
			if r.URL.Path == oci.TokenPath {
				h.WriteTokenError(w, status, message)
				return
			}
			h.WriteError(w, status, "", message)
		},
	}
}

// dialectOperationNames lists every dialect operation, for messages.
func dialectOperationNames() []string {
	names := slices.Clone(sailPointOperations)
	for _, op := range ociOperations {
		names = append(names, op)
	}
	slices.Sort(names[len(sailPointOperations):])
	n := len(names)
	for _, op := range whmcsOAuthOperations {
		names = append(names, op)
	}
	slices.Sort(names[n:])
	return names
}

// isDialectOperation reports whether a normalised name is an operation of
// one of the other dialects.
func isDialectOperation(normalized string) bool {
	return slices.ContainsFunc(dialectOperationNames(), func(op string) bool { return actions.Normalize(op) == normalized })
}

// serveDialect runs a dialect request through what every call goes
// through: the IP ban, the fault rules, the dialect's handler, the count
// of failed authentications (a 401) towards the ban, the log and the
// journal (whose caller is who the dialect says authenticated).
func (s *Server) serveDialect(d *dialect, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ip := remoteIP(r)
	op := d.operation(r)
	rec := &dialectRecorder{ResponseWriter: w, status: http.StatusOK}
	message := ""
	if s.bans.banned(ip) {
		message = auth.MsgBanned
		d.writeError(rec, r, http.StatusForbidden, message)
	} else if f, hit := s.faults.hit(actions.Normalize(op)); op != "" && hit {
		if e := f.apply(r.Context().Done()); e != nil {
			if f.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
			} else if e.Status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			status := e.Status
			if status < 400 {
				status = http.StatusInternalServerError // a dialect's error is never a 200
			}
			d.writeError(rec, r, status, e.Message)
			message = e.Message
		}
	}
	if message == "" {
		d.handler.ServeHTTP(rec, r)
	}
	if rec.status == http.StatusUnauthorized || rec.failedLogin {
		s.failedLogin(ip)
	}
	took := time.Since(start)
	result, level := "success", slog.LevelInfo
	if rec.status >= 400 {
		result, level = "error", slog.LevelWarn
	}
	s.log.Log(r.Context(), level, d.name+" call", "operation", op, "method", r.Method, "path", cutText(r.URL.Path, logValueMax),
		"caller", rec.caller, "ip", ip, "status", rec.status, "duration", took)
	s.journal.record(JournalEntry{
		Time: s.clock.Now(), Source: "http", Action: actions.Normalize(op), Caller: rec.caller, IP: ip,
		Result: result, Message: message, Status: rec.status, Duration: float64(took.Microseconds()) / 1000,
	})
}

// dialectRecorder remembers the status a dialect's handler wrote, the
// caller it reports (oci.CallerRecorder, sailpoint.CallerRecorder) and a
// failed sign-in it reports on a page answered 200
// (oauth.FailedLoginRecorder).
type dialectRecorder struct {
	http.ResponseWriter
	status      int
	caller      string
	failedLogin bool
}

func (r *dialectRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *dialectRecorder) RecordCaller(caller string) { r.caller = caller }

func (r *dialectRecorder) RecordFailedLogin() { r.failedLogin = true }

var (
	_ oci.CallerRecorder       = (*dialectRecorder)(nil)
	_ sailpoint.CallerRecorder = (*dialectRecorder)(nil)
)
