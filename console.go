package whmcsemu

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/internal/console"
	"github.com/whmcsemu/whmcsemu/store"
)

// ConsolePrefix is where the web console lives, inside the control
// plane's prefix and under its access rules (docs/console.md).
const ConsolePrefix = ControlPrefix + "console/"

// newConsole makes the console over this server: the local API, the
// dialects' Go operations, and the journal, faults, clock, bans and
// fixtures, through consoleBackend.
func (s *Server) newConsole() *console.Handler {
	return console.New(console.Options{Prefix: ConsolePrefix, Backend: consoleBackend{s}, OCI: s.ociHandler,
		SailPoint: s.sailPointHandler, Logger: s.log})
}

// serveConsole lets in whom the control plane lets in (loopback, or the
// admin token, here also from the console's cookie), under the same Host,
// Origin and Sec-Fetch-Site rules; a browser elsewhere gets the sign-in
// page when whmcsemu has an admin token.
func (s *Server) serveConsole(w http.ResponseWriter, r *http.Request) {
	status, msg, login := s.access(r, consoleToken)
	switch {
	case msg == "":
		s.console().ServeHTTP(w, r)
	case login:
		s.console().ServeLogin(w, r, msg, func(token string) bool { return s.checkAdminToken(remoteIP(r), token) })
	default:
		s.console().ServeRefusal(w, r, status, msg)
	}
}

// consoleToken reads the admin token from Authorization: Bearer or from
// the console's cookie (HttpOnly, SameSite=Strict, set by its sign-in
// page).
func consoleToken(r *http.Request) (string, bool) {
	if token, ok := bearerToken(r); ok {
		return token, true
	}
	if c, err := r.Cookie(console.TokenCookie); err == nil && c.Value != "" {
		return c.Value, true
	}
	return "", false
}

// consoleBackend is the console's view of the server.
type consoleBackend struct{ s *Server }

// Call runs an action through the local API's pipeline, journaled with
// source "console".
func (b consoleBackend) Call(ctx context.Context, action string, params url.Values) ([]byte, string) {
	start := time.Now()
	rep := b.s.callLocal(ctx, action, params, "")
	res := &Result{Action: rep.action, Value: rep.body}
	if rep.err != "" {
		res.Value, res.Err = nil, &Error{Message: rep.err, Status: rep.status}
	}
	e := JournalEntry{
		Time: b.s.clock.Now(), Source: "console", Action: res.Action, Caller: "console",
		Result: resultOf(rep.err), Message: rep.err, Status: rep.status,
		Duration: float64(time.Since(start).Microseconds()) / 1000,
	}
	e.Params, e.Cut = journalParams(params)
	b.s.journal.record(e)
	if res.Err != nil {
		return nil, res.Err.Message
	}
	return res.JSON(), ""
}

// Operation runs a dialect operation as serveDialect runs a request: the
// fault rules, the operation, the log line and a journal entry (source
// "console").
func (b consoleBackend) Operation(ctx context.Context, name string, run func(context.Context) error) error {
	start := time.Now()
	var err error
	status := http.StatusOK
	if f, hit := b.s.faults.hit(actions.Normalize(name)); hit {
		if e := f.apply(ctx.Done()); e != nil {
			status = e.Status
			if status < 400 {
				status = http.StatusInternalServerError // as on a dialect's path
			}
			err = &console.FaultError{Message: e.Message, Status: status}
		}
	}
	if err == nil {
		if err = run(ctx); err != nil {
			status = http.StatusInternalServerError
			if s, ok := err.(interface{ HTTPStatus() int }); ok {
				status = s.HTTPStatus()
			}
		}
	}
	message := ""
	if err != nil {
		message = err.Error()
	}
	took := time.Since(start)
	b.s.log.Info("console call", "operation", name, "status", status, "duration", took)
	b.s.journal.record(JournalEntry{
		Time: b.s.clock.Now(), Source: "console", Action: actions.Normalize(name), Caller: "console",
		Result: resultOf(message), Message: message, Status: status, Duration: float64(took.Microseconds()) / 1000,
	})
	return err
}

func (b consoleBackend) Journal(action, result string) []console.JournalEntry {
	entries := b.s.journal.Entries(JournalFilter{Action: action, Result: result})
	out := make([]console.JournalEntry, len(entries))
	for i, e := range entries {
		out[i] = console.JournalEntry(e)
	}
	return out
}

func (b consoleBackend) Faults() []console.Fault {
	rules := b.s.faults.List()
	out := make([]console.Fault, len(rules))
	for i, f := range rules {
		out[i] = console.Fault(f)
	}
	return out
}

func (b consoleBackend) AddFault(f console.Fault) (console.Fault, error) {
	added, err := b.s.faults.Add(Fault(f))
	return console.Fault(added), err
}

func (b consoleBackend) RemoveFault(id int64) bool { return b.s.faults.Remove(id) }
func (b consoleBackend) ClearFaults()              { b.s.faults.Clear() }

func (b consoleBackend) Clock() (time.Time, bool)        { return b.s.clock.Now(), b.s.clock.Frozen() }
func (b consoleBackend) SetClock(t time.Time)            { b.s.clock.Set(t) }
func (b consoleBackend) AdvanceClock(d time.Duration)    { b.s.clock.Advance(d) }
func (b consoleBackend) RestoreClock()                   { b.s.clock.Restore() }
func (b consoleBackend) LiftBan(ip string) bool          { return b.s.bans.Lift(ip) }
func (b consoleBackend) ClearBans()                      { b.s.bans.Clear() }
func (b consoleBackend) Reset(ctx context.Context) error { return b.s.Reset(ctx) }

func (b consoleBackend) Bans() []console.Ban {
	bans := b.s.bans.List()
	out := make([]console.Ban, len(bans))
	for i, ban := range bans {
		out[i] = console.Ban(ban)
	}
	return out
}

func (b consoleBackend) Export(ctx context.Context) ([]byte, error) { return b.s.Export(ctx) }

func (b consoleBackend) LoadFixture(ctx context.Context, doc []byte, replace bool) error {
	if int64(len(doc)) > b.s.maxBody {
		return &Error{Message: "the fixture document is over the body limit (--max-body)"}
	}
	if replace {
		return b.s.ReplaceFixtures(ctx, doc)
	}
	return b.s.LoadFixture(ctx, doc)
}

func (b consoleBackend) Access(ctx context.Context) (console.Access, error) {
	var out console.Access
	err := b.s.db.View(ctx, func(tx *store.Tx) error {
		admins, err := tx.Admins(ctx)
		if err != nil {
			return err
		}
		roles, err := tx.APIRoles(ctx)
		if err != nil {
			return err
		}
		creds, err := tx.APICredentials(ctx)
		if err != nil {
			return err
		}
		username, roleName := map[int64]string{}, map[int64]string{}
		for _, a := range admins {
			username[a.ID] = a.Username
			out.Admins = append(out.Admins, console.Admin{ID: a.ID, Username: a.Username, Email: a.Email,
				Name: strings.TrimSpace(a.Firstname + " " + a.Lastname), Disabled: a.Disabled})
		}
		for _, r := range roles {
			roleName[r.ID] = r.Name
			out.Roles = append(out.Roles, console.APIRole{Name: r.Name, Description: r.Description, Actions: r.Actions})
		}
		for _, c := range creds {
			cc := console.APICredential{Identifier: c.Identifier, Admin: username[c.AdminID], Description: c.Description}
			for _, id := range c.RoleIDs {
				cc.Roles = append(cc.Roles, roleName[id])
			}
			out.Credentials = append(out.Credentials, cc)
		}
		return nil
	})
	return out, err
}
