package whmcsemu

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/oci"
)

// The OCI IAM dialect (package oci) is served beside the WHMCS endpoint,
// on the same store, clock, journal and faults. Its requests are named by
// operation for fault rules and the journal, the way WHMCS calls are
// named by action.

// ociOperations are the names fault rules and journal filters use for OCI
// requests, by the SDK operation each stands for.
var ociOperations = map[string]string{
	"CreateOAuthClientCredential": "OCICreateOAuth2ClientCredential",
	"ListOAuthClientCredentials":  "OCIListOAuth2ClientCredentials",
	"UpdateOAuthClientCredential": "OCIUpdateOAuth2ClientCredential",
	"DeleteOAuthClientCredential": "OCIDeleteOAuth2ClientCredential",
}

// ociOperationNames lists them, for messages.
var ociOperationNames = []string{
	"OCICreateOAuth2ClientCredential", "OCIListOAuth2ClientCredentials",
	"OCIUpdateOAuth2ClientCredential", "OCIDeleteOAuth2ClientCredential",
}

// isOCIOperation reports whether a normalised name is one of them.
func isOCIOperation(normalized string) bool {
	for _, op := range ociOperationNames {
		if actions.Normalize(op) == normalized {
			return true
		}
	}
	return false
}

func isOCIPath(path string) bool { return strings.HasPrefix(path, oci.Prefix) }

// serveOCI runs an OCI request through the fault rules, the dialect's
// handler, the log and the journal (whose caller is the signing user's
// OCID).
func (s *Server) serveOCI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	op := ociOperations[oci.Operation(r)]
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	message, caller := "", ""
	if f, hit := s.faults.hit(actions.Normalize(op)); op != "" && hit {
		if e := f.apply(r.Context().Done()); e != nil {
			if f.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfterSeconds))
			}
			status := e.Status
			if status < 400 {
				status = http.StatusInternalServerError // an OCI error is never a 200
			}
			if id := r.Header.Get("opc-request-id"); id != "" {
				w.Header().Set("opc-request-id", id)
			}
			s.oci.WriteError(rec, status, "", e.Message)
			message = e.Message
		}
	}
	if message == "" {
		s.oci.ServeHTTP(rec, r.WithContext(oci.WithCallerSlot(r.Context(), &caller)))
	}
	took := time.Since(start)
	result := "success"
	level := slog.LevelInfo
	if rec.status >= 400 {
		result, level = "error", slog.LevelWarn
	}
	s.log.Log(r.Context(), level, "oci call", "operation", op, "method", r.Method, "path", r.URL.Path,
		"caller", caller, "ip", remoteIP(r), "status", rec.status, "duration", took)
	s.journal.record(JournalEntry{
		Time: s.clock.Now(), Source: "http", Action: actions.Normalize(op), Caller: caller, IP: remoteIP(r),
		Result: result, Message: message, Status: rec.status, Duration: float64(took.Microseconds()) / 1000,
	})
}
