// Package whmcsemu is an emulator of the WHMCS external API. Server answers
// /includes/api.php as WHMCS does (authentication, API roles, IP allow-list
// and access key, json/xml/nvp bodies, messages and statuses) over state in
// SQLite, and Call runs the same actions in-process like WHMCS's localAPI.
package whmcsemu

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
	"github.com/whmcsemu/whmcsemu/store"
)

// Defaults for Options left zero.
const (
	DefaultMaxBodyBytes = 8 << 20 // PHP's post_max_size
	DefaultMaxFields    = 1000    // PHP's max_input_vars
)

// Options configure a Server. The zero value is ready to use.
type Options struct {
	// Clock is the emulator's time; nil means time.Now.
	Clock func() time.Time
	// Random is the source of generated identifiers, secrets and tokens;
	// nil means crypto/rand, or a stream from Seed when that is set.
	Random io.Reader
	// Seed, when not zero and Random is nil, makes generated identifiers,
	// secrets and tokens (and which calls a probabilistic fault hits) the
	// same on every run and after every Reset.
	Seed uint64
	// Logger receives one line per API call and every internal error; nil
	// discards. Secrets never appear in it.
	Logger *slog.Logger
	// MaxBodyBytes bounds a request body (default 8 MiB).
	MaxBodyBytes int64
	// MaxFields bounds the fields read from a request (default 1000);
	// fields past it are ignored, as PHP ignores them.
	MaxFields int
	// JournalSize is how many recent calls the journal keeps (default 1000).
	JournalSize int
	// JournalBytes bounds the journal's memory (default 4 MiB): the
	// oldest entries go first once the entries kept would exceed it.
	JournalBytes int
	// Bans bans IPs after repeated failed logins, as WHMCS does; the zero
	// policy never bans.
	Bans auth.BanPolicy
	// AdminToken lets callers from other hosts than loopback use the
	// control plane (Authorization: Bearer <token>); empty refuses them.
	AdminToken string
	// AllowedHosts are host names (or addresses), besides loopback ones
	// and localhost, that a control-plane request without the admin token
	// may name in its Host header: the address the server listens on, say.
	AllowedHosts []string
	// OCISkipSignatures accepts OCI dialect requests without checking
	// their request signatures. The zero value checks them, as OCI does.
	OCISkipSignatures bool
	// OCIMaxCredentialsPerUser is how many OAuth 2.0 client credentials an
	// OCI user may have (default 10).
	OCIMaxCredentialsPerUser int
}

// Server is the emulated WHMCS API over one database.
type Server struct {
	db           *store.DB
	env          *actions.Env
	auth         *auth.Authenticator
	log          *slog.Logger
	maxBody      int64
	maxFields    int
	clock        *Clock
	journal      *Journal
	faults       *Faults
	adminToken   string
	allowedHosts []string
	seed         uint64 // 0: generated values are not reproducible
	bans         *auth.Bans

	controlOnce sync.Once
	control     *http.ServeMux

	sailpoint *dialect // the SailPoint dialect (dialect.go)
	oci       *dialect // the OCI IAM dialect
}

// New makes a Server over db.
func New(ctx context.Context, db *store.DB, opts Options) (*Server, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxFields <= 0 {
		opts.MaxFields = DefaultMaxFields
	}
	clock := newClock(opts.Clock)
	if opts.Random == nil && opts.Seed != 0 {
		opts.Random = NewSeededRandom(opts.Seed)
	}
	env, err := actions.NewEnv(ctx, db, clock.Now, opts.Random, opts.Logger)
	if err != nil {
		return nil, err
	}
	return &Server{
		db:           db,
		env:          env,
		auth:         auth.New(db, actions.Key),
		log:          opts.Logger,
		maxBody:      opts.MaxBodyBytes,
		maxFields:    opts.MaxFields,
		clock:        clock,
		journal:      newJournal(opts.JournalSize, opts.JournalBytes),
		faults:       newFaults(opts.Seed),
		seed:         opts.Seed,
		adminToken:   opts.AdminToken,
		allowedHosts: opts.AllowedHosts,
		bans:         auth.NewBans(opts.Bans),
		sailpoint: newSailPointDialect(sailpoint.New(db, sailpoint.Options{
			Clock: clock.Now, Random: dialectRandom(opts.Seed, 1), Logger: opts.Logger})),
		oci: newOCIDialect(oci.New(db, oci.Options{Clock: clock.Now, Random: dialectRandom(opts.Seed, 2), Logger: opts.Logger,
			VerifySignatures: !opts.OCISkipSignatures, MaxCredentialsPerUser: opts.OCIMaxCredentialsPerUser})),
	}, nil
}

// dialectRandom gives a dialect its own random source: seeded from the
// server's seed (and the dialect's number, so dialects do not repeat each
// other) when there is one, crypto/rand otherwise.
func dialectRandom(seed, dialect uint64) io.Reader {
	if seed == 0 {
		return nil
	}
	return NewSeededRandom(seed ^ dialect<<56)
}

// StateChanged tells the server that something outside the API (a fixture
// load) changed settings, credentials, admins or roles.
func (s *Server) StateChanged(ctx context.Context) error {
	s.auth.Forget()
	return s.env.ReloadSettings(ctx)
}

// Env returns the environment actions run in.
func (s *Server) Env() *actions.Env { return s.env }

// APIPath is where WHMCS answers; any path ending in it is served, so a
// base URL with a sub-folder (https://host/billing/) works too.
const APIPath = "/includes/api.php"

// ServeHTTP answers the API endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, ControlPrefix) {
		s.serveControl(w, r)
		return
	}
	if strings.HasSuffix(r.URL.Path, SSOPath) {
		s.serveSSO(w, r)
		return
	}
	if isSailPointPath(r.URL.Path) {
		s.serveDialect(s.sailpoint, w, r)
		return
	}
	if isOCIPath(r.URL.Path) {
		s.serveDialect(s.oci, w, r)
		return
	}
	if !strings.HasSuffix(r.URL.Path, APIPath) {
		http.Error(w, "whmcsemu: not found; the API is at "+APIPath+", the SailPoint dialect under "+sailPointAPIPrefix+
			" and "+sailPointTokenPath+", the OCI IAM dialect under "+oci.Prefix+", and the control plane under "+
			ControlPrefix, http.StatusNotFound)
		return
	}
	start := time.Now()
	var rep reply
	params, note, err := s.readParams(w, r)
	if err != nil {
		// The query string was read: its responsetype still counts.
		rep = errorReply(err.Status, frameworkFormat(lastValue(params, "responsetype")), "", err.Message)
	} else {
		rep = s.handle(r.Context(), remoteIP(r), takeEnvelope(params), params)
	}
	rep.note = note
	s.write(w, rep)
	took := time.Since(start)
	s.logCall(r, rep, took)
	e := JournalEntry{
		Time: s.clock.Now(), Source: "http", Action: rep.action, Caller: rep.caller, IP: remoteIP(r),
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

// handle runs the checks WHMCS runs before an action, then the action.
func (s *Server) handle(ctx context.Context, ip string, env envelope, params url.Values) reply {
	name := actions.Normalize(env.action)
	fw := func(status int, msg string) reply {
		return errorReply(status, frameworkFormat(env.responseType), name, msg)
	}
	if s.bans.Banned(ip, s.clock.Now()) {
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
	caller := p.Identifier
	if caller == "" {
		caller = p.AdminUsername
	}
	rep := s.dispatch(ctx, ip, p, env.responseType, name, params)
	rep.caller = caller
	return rep
}

// failedLogin counts a failed authentication towards a ban of ip.
func (s *Server) failedLogin(ip string) {
	if s.bans.Failed(ip, s.clock.Now()) {
		s.log.Warn("IP banned after repeated failed logins", "ip", ip)
	}
}

func (s *Server) dispatch(ctx context.Context, ip string, p *auth.Principal, rt, name string, params url.Values) reply {
	fw := func(status int, msg string) reply { return errorReply(status, frameworkFormat(rt), name, msg) }
	if name == "" {
		return fw(http.StatusBadRequest, "Empty action request")
	}
	if !actions.Documented(name) {
		if p.Legacy() {
			return fw(http.StatusOK, "API Function Not Found")
		}
		return fw(http.StatusForbidden, fmt.Sprintf("Invalid API Action: \"%s\" is not a valid API action", name))
	}
	if !p.Allows(actions.Canonical(name)) {
		return fw(http.StatusForbidden, fmt.Sprintf("Invalid Permissions: API action \"%s\" is not allowed", name))
	}
	format, msg := responseFormat(rt, actions.Structured(name))
	if msg != "" {
		return errorReply(http.StatusOK, "nvp", name, msg)
	}
	if f, hit := s.faults.hit(name); hit {
		if e := f.apply(ctx.Done()); e != nil {
			return errorReply(e.Status, format, name, e.Message)
		}
	}
	a, ok := actions.Lookup(name)
	if !ok {
		return errorReply(http.StatusOK, format, name, notEmulated(name))
	}
	ctx = actions.WithCaller(ctx, actions.Caller{AdminID: p.AdminID, AdminUsername: p.AdminUsername, Identifier: p.Identifier, IP: ip})
	body, aerr := s.run(ctx, a, params)
	if aerr != nil {
		return errorReply(aerr.Status, format, name, aerr.Message)
	}
	return reply{status: http.StatusOK, format: format, action: name, body: body}
}

func resultOf(errMsg string) string {
	if errMsg != "" {
		return "error"
	}
	return "success"
}

func notEmulated(name string) string {
	return fmt.Sprintf("whmcsemu does not emulate the API action \"%s\" yet; the README lists the actions it does", name)
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
