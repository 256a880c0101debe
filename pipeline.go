package whmcsemu

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/oauth"
	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
)

// APIPath is where WHMCS answers; any path ending in it is served, so a
// base URL with a sub-folder (https://host/billing/) works too.
const APIPath = "/includes/api.php"

// routeMux routes a request to the part of the emulator that serves it.
// WHMCS's own paths are matched by suffix (an install may live in a
// sub-folder), which ServeMux patterns cannot say, so "/" takes them.
func (s *Server) routeMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc(ControlPrefix, s.serveControl)
	mux.HandleFunc(ConsolePrefix, s.serveConsole)
	mux.HandleFunc(sailPointAPIPrefix, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.sailpoint, w, r) })
	mux.HandleFunc(sailPointTokenPath, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.sailpoint, w, r) })
	mux.HandleFunc(sailpoint.AuthorizePath, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.sailpoint, w, r) })
	mux.HandleFunc(oci.Prefix, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.oci, w, r) })
	mux.HandleFunc(oci.TokenPath, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.oci, w, r) })
	mux.HandleFunc(oci.SigningCertPath, func(w http.ResponseWriter, r *http.Request) { s.serveDialect(s.oci, w, r) })
	mux.HandleFunc("/", s.serveWHMCS)
	return mux
}

// ServeHTTP answers WHMCS's API endpoint, single sign-on, OpenID Connect
// and the client-area sign-in pages, the other dialects and the control
// plane.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.routes.ServeHTTP(w, r) }

func (s *Server) serveWHMCS(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, APIPath):
		s.serveAPI(w, r)
	case strings.HasSuffix(r.URL.Path, SSOPath):
		s.serveSSO(w, r)
	case oauth.Endpoint(r.URL.Path) != "":
		s.serveDialect(s.whmcsOAuth, w, r)
	default:
		http.Error(w, "whmcsemu: not found; the API is at "+APIPath+", OpenID Connect under /oauth/ (discovery at "+
			oauth.WellKnownPath+"), the SailPoint dialect under "+sailPointAPIPrefix+
			" and "+sailPointTokenPath+", the OCI IAM dialect under "+oci.Prefix+" with its token endpoint at "+
			"/oauth2/v1/token, and the control plane under "+ControlPrefix, http.StatusNotFound)
	}
}

// serveAPI is the HTTP edge of the pipeline: it reads the request as PHP
// does, checks who calls (ban, IP allow-list, access key, credentials),
// hands the call to perform, writes the answer, logs it and journals it.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ip := remoteIP(r)
	var rep reply
	params, note, err := s.readParams(w, r)
	if err != nil {
		// The query string was read: its responsetype still counts.
		rep = errorReply(err.Status, frameworkFormat(lastValue(params, "responsetype")), "", err.Message)
	} else {
		env := takeEnvelope(params)
		var p *auth.Principal
		if p, rep = s.authenticate(r.Context(), ip, env); p != nil {
			rep = s.perform(r.Context(), call{
				action: env.action, params: params, responseType: env.responseType, ip: ip, principal: p,
			})
		}
	}
	rep.note = note
	s.write(w, rep)
	took := time.Since(start)
	s.logCall(r, rep, took)
	e := JournalEntry{
		Time: s.clock.Now(), Source: "http", Action: rep.action, Caller: rep.caller, IP: ip,
		Result: resultOf(rep.err), Message: rep.err, Status: rep.status,
		Duration: float64(took.Microseconds()) / 1000,
	}
	if rep.caller != "" {
		// A call refused before its caller was known (bad credentials, a
		// ban, a malformed request) is kept short: whoever sent it need
		// not be able to fill the journal.
		e.Params, e.Cut = journalParams(params)
	}
	s.journal.record(e)
}

// authenticate runs the checks WHMCS runs on an HTTP caller before it
// looks at the action: the ban list, the IP allow-list and access key,
// and the credentials. It returns who calls, or the refusal.
func (s *Server) authenticate(ctx context.Context, ip string, env envelope) (*auth.Principal, reply) {
	name := actions.Normalize(env.action)
	fw := func(status int, msg string) (*auth.Principal, reply) {
		return nil, errorReply(status, frameworkFormat(env.responseType), name, msg)
	}
	if s.bans.banned(ip) {
		return fw(http.StatusForbidden, auth.MsgBanned)
	}
	if f := auth.CheckAccess(s.env.Settings(), ip, env.accessKey); f != nil {
		if f.Message == auth.MsgInvalidAccessKey {
			s.failedLogin(ip)
		}
		return fw(f.Status, f.Message)
	}
	p, err := s.auth.Authenticate(ctx, auth.Request{
		Identifier: env.identifier, Secret: env.secret, Username: env.username, Password: env.password,
	})
	if err != nil {
		var f *auth.Failure
		if errors.As(err, &f) {
			if f.Message != auth.MsgAdminDisabled {
				s.failedLogin(ip)
			}
			return fw(f.Status, f.Message)
		}
		s.log.Error("authentication failed internally", "err", err)
		return fw(http.StatusOK, actions.InternalMessage)
	}
	return p, reply{}
}

// failedLogin counts a failed authentication towards a ban of ip.
func (s *Server) failedLogin(ip string) {
	if s.bans.failed(ip) {
		s.log.Warn("IP banned after repeated failed logins", "ip", ip)
	}
}

// call is one API call on its way through the pipeline.
type call struct {
	action string     // as sent
	params url.Values // without the envelope
	// responseType is the responsetype sent over HTTP; the local API
	// answers values, which the endpoint would send as JSON.
	responseType string
	ip           string
	local        bool            // WHMCS's localAPI: no roles, no response type
	principal    *auth.Principal // who calls over HTTP
	caller       actions.Caller  // who calls through the local API
}

// perform is the one pipeline every API call takes, over HTTP or through
// the local API: the checks WHMCS runs on the action (named, documented,
// allowed by the caller's roles, a response type it supports), the fault
// rules, then the action itself.
func (s *Server) perform(ctx context.Context, c call) reply {
	name := actions.Normalize(c.action)
	format := frameworkFormat(c.responseType)
	if c.local {
		format = "json"
	}
	fw := func(status int, msg string) reply { return errorReply(status, format, name, msg) }
	caller := c.caller
	if p := c.principal; p != nil {
		caller = actions.Caller{AdminID: p.AdminID, AdminUsername: p.AdminUsername, Identifier: p.Identifier, IP: c.ip}
	}
	caller.Local = c.local
	// An admin that authenticated, or that a local call names, is online
	// (GetStaffOnline).
	s.env.SeenAdmin(caller.AdminID, caller.AdminUsername, caller.IP)
	rep := s.performAction(ctx, c, name, format, caller, fw)
	rep.caller = caller.Identifier
	if rep.caller == "" {
		rep.caller = caller.AdminUsername
	}
	return rep
}

func (s *Server) performAction(ctx context.Context, c call, name, format string, caller actions.Caller, fw func(int, string) reply) reply {
	if name == "" {
		return fw(http.StatusBadRequest, "Empty action request")
	}
	if !actions.Documented(name) {
		if c.principal != nil && c.principal.Legacy() {
			return fw(http.StatusOK, "API Function Not Found")
		}
		return fw(http.StatusForbidden, fmt.Sprintf("Invalid API Action: \"%s\" is not a valid API action", name))
	}
	if c.principal != nil && !c.principal.Allows(actions.Canonical(name)) {
		return fw(http.StatusForbidden, fmt.Sprintf("Invalid Permissions: API action \"%s\" is not allowed", name))
	}
	if !c.local {
		var msg string
		if format, msg = responseFormat(c.responseType, actions.Structured(name)); msg != "" {
			return errorReply(http.StatusOK, "nvp", name, msg)
		}
	}
	if f, hit := s.faults.hit(name); hit {
		if e := f.apply(ctx.Done()); e != nil {
			// A module command a fault fails is queued, as a module's failure is.
			actions.ModuleFaulted(ctx, s.env, name, c.params, e.Message)
			return errorReply(e.Status, format, name, e.Message)
		}
	}
	// Every documented action is emulated (a test in actions holds the
	// table to the catalog), so a documented name always has its action.
	a, _ := actions.Lookup(name)
	body, aerr := s.run(actions.WithCaller(ctx, caller), a, c.params)
	if aerr != nil {
		return errorReply(aerr.Status, format, name, aerr.Message)
	}
	return reply{status: http.StatusOK, format: format, action: name, body: body}
}

// logValueMax is how many bytes of a caller-chosen value (an action name,
// an error message that repeats one) a log line keeps.
const logValueMax = 256

// logCall writes the one line each API call gets: never a secret, only
// the caller's identifier or admin username, and values cut short.
func (s *Server) logCall(r *http.Request, rep reply, took time.Duration) {
	level := slog.LevelInfo
	if rep.status >= 400 {
		level = slog.LevelWarn
	}
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("action", cutText(rep.action, logValueMax)), slog.String("caller", cutText(rep.caller, logValueMax)),
		slog.String("ip", remoteIP(r)), slog.Int("status", rep.status), slog.Duration("duration", took),
	}
	if rep.err != "" {
		attrs = append(attrs, slog.String("error", cutText(rep.err, logValueMax)))
	}
	if rep.note != "" {
		attrs = append(attrs, slog.String("note", rep.note))
	}
	s.log.LogAttrs(r.Context(), level, "api call", attrs...)
}

func resultOf(errMsg string) string {
	if errMsg != "" {
		return "error"
	}
	return "success"
}

// run runs an action, turning any failure into a WHMCS-visible error: its
// own message for action errors, one fixed message for anything else
// (logged with its details). A panic is caught the same way.
func (s *Server) run(ctx context.Context, a *actions.Action, params url.Values) (body any, aerr *actions.Error) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("action panicked", "action", a.Name, "panic", fmt.Sprint(v))
			body, aerr = nil, &actions.Error{Message: actions.InternalMessage, Status: http.StatusOK}
		}
	}()
	body, err := a.Run(ctx, s.env, params)
	if err != nil {
		e, known := actions.AsError(err)
		switch {
		case known:
		case ctx.Err() != nil:
			// The caller went away (or the server is stopping): nothing
			// failed that an operator must look at.
			s.log.Info("action abandoned: the request was cancelled", "action", a.Name)
		default:
			s.log.Error("action failed", "action", a.Name, "err", err)
		}
		return nil, e
	}
	return body, nil
}
