package whmcsemu

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
)

// The SailPoint dialect (package sailpoint) is served beside the WHMCS
// endpoint, on the same store, clock, journal and faults. Its requests are
// named by operation for fault rules and the journal, the way WHMCS calls
// are named by action.

// SailPoint's paths, as the dialect serves them.
const (
	sailPointAPIPrefix = "/v3/"
	sailPointTokenPath = "/oauth/token"
)

// sailPointOperations are the names fault rules and journal filters use
// for SailPoint requests.
var sailPointOperations = []string{
	"SailPointListOAuthClients", "SailPointCreateOAuthClient", "SailPointGetOAuthClient",
	"SailPointPatchOAuthClient", "SailPointDeleteOAuthClient", "SailPointToken",
}

// isSailPointOperation reports whether a normalised name is one of them.
func isSailPointOperation(normalized string) bool {
	for _, op := range sailPointOperations {
		if actions.Normalize(op) == normalized {
			return true
		}
	}
	return false
}

func isSailPointPath(path string) bool {
	return strings.HasPrefix(path, sailPointAPIPrefix) || path == sailPointTokenPath
}

// sailPointOperation names a request ("" for a path the dialect does not
// serve, which it answers 404 itself).
func sailPointOperation(r *http.Request) string {
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case p == sailPointTokenPath:
		return "SailPointToken"
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

// serveSailPoint runs a SailPoint request through the fault rules, the
// dialect's handler, the log and the journal.
func (s *Server) serveSailPoint(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	op := sailPointOperation(r)
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	message := ""
	if f, hit := s.faults.hit(actions.Normalize(op)); op != "" && hit {
		if e := f.apply(r.Context().Done()); e != nil {
			if f.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
			} else if e.Status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "1")
			}
			status := e.Status
			if status < 400 {
				status = http.StatusInternalServerError // a SailPoint error is never a 200
			}
			s.sailpoint.WriteError(rec, status, e.Message)
			message = e.Message
		}
	}
	if message == "" {
		s.sailpoint.ServeHTTP(rec, r)
	}
	took := time.Since(start)
	result := "success"
	if rec.status >= 400 {
		result = "error"
	}
	level := slog.LevelInfo
	if rec.status >= 400 {
		level = slog.LevelWarn
	}
	s.log.Log(r.Context(), level, "sailpoint call", "operation", op, "method", r.Method, "path", r.URL.Path,
		"ip", remoteIP(r), "status", rec.status, "duration", took)
	s.journal.record(JournalEntry{
		Time: s.clock.Now(), Source: "http", Action: actions.Normalize(op), IP: remoteIP(r),
		Result: result, Message: message, Status: rec.status, Duration: float64(took.Microseconds()) / 1000,
	})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}
