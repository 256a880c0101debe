package whmcsemu

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// ControlPrefix is where the control plane lives, beside the API on the
// same port. WHMCS has no path starting with "/_", so the two never clash.
const ControlPrefix = "/_whmcsemu/"

// Version is whmcsemu's own version.
const Version = "0.1.0"

// The control plane speaks JSON. Every route and its use is in the
// README's "Control plane" section; errors are {"error": "..."} with a
// fitting status.
func (s *Server) controlMux() *http.ServeMux {
	mux := http.NewServeMux()
	p := strings.TrimSuffix(ControlPrefix, "/")
	mux.HandleFunc("GET "+p+"/health", s.ctlHealth)
	mux.HandleFunc("GET "+p+"/version", s.ctlVersion)
	mux.HandleFunc("POST "+p+"/reset", s.ctlReset)
	mux.HandleFunc("POST "+p+"/fixtures", s.ctlLoadFixture)
	mux.HandleFunc("GET "+p+"/export", s.ctlExport)
	mux.HandleFunc("GET "+p+"/journal", s.ctlJournal)
	mux.HandleFunc("GET "+p+"/journal/count", s.ctlJournalCount)
	mux.HandleFunc("DELETE "+p+"/journal", s.ctlJournalClear)
	mux.HandleFunc("GET "+p+"/faults", s.ctlFaults)
	mux.HandleFunc("POST "+p+"/faults", s.ctlAddFault)
	mux.HandleFunc("DELETE "+p+"/faults", s.ctlClearFaults)
	mux.HandleFunc("DELETE "+p+"/faults/{id}", s.ctlRemoveFault)
	mux.HandleFunc("GET "+p+"/bans", s.ctlBans)
	mux.HandleFunc("DELETE "+p+"/bans", s.ctlClearBans)
	mux.HandleFunc("DELETE "+p+"/bans/{ip}", s.ctlLiftBan)
	mux.HandleFunc("GET "+p+"/emails", s.ctlEmails)
	mux.HandleFunc("DELETE "+p+"/emails", s.ctlClearEmails)
	mux.HandleFunc("GET "+p+"/notifications", s.ctlNotifications)
	mux.HandleFunc("DELETE "+p+"/notifications", s.ctlClearNotifications)
	mux.HandleFunc("GET "+p+"/clock", s.ctlClock)
	mux.HandleFunc("POST "+p+"/clock", s.ctlSetClock)
	mux.HandleFunc("DELETE "+p+"/clock", s.ctlRestoreClock)
	mux.HandleFunc(ControlPrefix, func(w http.ResponseWriter, r *http.Request) {
		ctlError(w, http.StatusNotFound, "no such control endpoint: "+r.Method+" "+r.URL.Path+" (docs/control-plane.md lists them)")
	})
	return mux
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if status, msg := s.controlAccess(r); msg != "" {
		ctlError(w, status, msg)
		return
	}
	s.control.ServeHTTP(w, r)
}

// controlAccess decides who may use the control plane, which can plant
// admins and read every secret: loopback callers, and others with the
// admin token. Loopback alone does not stop a web page in a browser on the
// same machine, so a request without the token must also name a loopback
// host (or an allowed one) in Host, which defeats DNS rebinding, and must
// not come from another site (Origin, Sec-Fetch-Site). A page cannot hold
// the token, so a request with it is not asked about Host. It returns the
// status and why a caller is refused, or "".
func (s *Server) controlAccess(r *http.Request) (int, string) {
	status, msg, _ := s.access(r, bearerToken)
	return status, msg
}

// access applies the control plane's rules, with the admin token read by
// token (the console also reads its cookie); login reports a refusal that
// the admin token would lift (a browser can be asked for it).
func (s *Server) access(r *http.Request, token func(*http.Request) (string, bool)) (status int, msg string, login bool) {
	ip := remoteIP(r)
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return http.StatusForbidden, "cross-site request refused (Sec-Fetch-Site: " + cutText(site, 32) + "): the control plane takes requests from its own pages, curl and tests only", false
	}
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r.Host) {
		return http.StatusForbidden, "cross-site request refused (Origin " + cutText(origin, 128) + "): the control plane takes requests from its own pages, curl and tests only", false
	}
	addr, err := netip.ParseAddr(ip)
	loopback := err == nil && addr.Unmap().IsLoopback()
	if !loopback && s.bans.banned(ip) {
		// Loopback is never locked out: it is where a ban is lifted.
		return http.StatusForbidden, "this IP is banned (after repeated failed logins, or by AddBannedIp); lift the ban from loopback (DELETE " + ControlPrefix + "bans/" + ip + ") or wait", false
	}
	if token, ok := token(r); ok && s.adminToken != "" {
		if s.checkAdminToken(ip, token) {
			return 0, "", false
		}
		return http.StatusForbidden, "wrong admin token", true
	}
	if !loopback {
		if s.adminToken == "" {
			return http.StatusForbidden, "the control plane answers loopback callers only; start whmcsemu with --admin-token to let others in", false
		}
		return http.StatusForbidden, "send the admin token as Authorization: Bearer <token>", true
	}
	if !s.allowedHost(r.Host) {
		return http.StatusForbidden, "Host " + cutText(r.Host, 128) + " is not a loopback name or address: the control plane refuses it " +
			"(a DNS-rebinding page would send one); use 127.0.0.1 or localhost, start whmcsemu with --allowed-host, or send the admin token", false
	}
	return 0, "", false
}

// checkAdminToken reports whether token is the admin token, counting a
// wrong one from ip towards a ban.
func (s *Server) checkAdminToken(ip, token string) bool {
	if s.adminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.adminToken)) == 1 {
		return true
	}
	s.failedLogin(ip)
	return false
}

// bearerToken reads "Authorization: Bearer TOKEN"; the scheme is
// case-insensitive (RFC 9110 §11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// allowedHost reports whether a Host header names this machine's loopback
// (an address, localhost or a name under .localhost) or a host the
// server was told to accept (its listen address, --allowed-host).
func (s *Server) allowedHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if addr, err := netip.ParseAddr(host); err == nil && addr.Unmap().IsLoopback() {
		return true
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	for _, h := range s.allowedHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// sameOrigin reports whether an Origin header names the host the request
// was sent to.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, host)
}

// readJSON decodes a control-plane request body of at most max bytes into
// v, refusing any other content type: a web page can send text/plain
// across sites without asking, but not application/json. It writes the
// error answer and returns false when the body is refused.
func readJSON(w http.ResponseWriter, r *http.Request, max int64, v any, help string) bool {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		ctlError(w, http.StatusUnsupportedMediaType, "send the body as Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			ctlError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", max))
			return false
		}
		ctlError(w, http.StatusBadRequest, help+": "+err.Error())
		return false
	}
	return true
}

func ctlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func ctlError(w http.ResponseWriter, status int, msg string) {
	ctlJSON(w, status, map[string]string{"error": msg})
}

func ctlOK(w http.ResponseWriter) { ctlJSON(w, http.StatusOK, map[string]string{"status": "ok"}) }

func (s *Server) ctlHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.IntegrityCheck(r.Context()); err != nil {
		ctlError(w, http.StatusServiceUnavailable, "the database does not answer")
		return
	}
	ctlOK(w)
}

func (s *Server) ctlVersion(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]string{"whmcsemu": Version, "whmcs": s.env.Settings().Version})
}

func (s *Server) ctlReset(w http.ResponseWriter, r *http.Request) {
	if err := s.Reset(r.Context()); err != nil {
		s.log.Error("control: reset", "err", err)
		ctlError(w, http.StatusInternalServerError, "reset failed: "+err.Error())
		return
	}
	ctlOK(w)
}

func (s *Server) ctlLoadFixture(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		ctlError(w, http.StatusUnsupportedMediaType, "send the fixture document as Content-Type: application/json")
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		ctlError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the fixture document is over %d bytes", s.maxBody))
		return
	}
	if truthy(r.URL.Query().Get("replace")) {
		err = s.ReplaceFixtures(r.Context(), data)
	} else {
		err = s.LoadFixture(r.Context(), data)
	}
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctlOK(w)
}

func (s *Server) ctlExport(w http.ResponseWriter, r *http.Request) {
	doc, err := s.Export(r.Context())
	if err != nil {
		s.log.Error("control: export", "err", err)
		ctlError(w, http.StatusInternalServerError, "export failed")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
}

// queryWhole reads a query parameter that must be a whole number, 0 when
// absent.
func queryWhole(q url.Values, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New(name + " must be a whole number")
	}
	return n, nil
}

func journalFilter(r *http.Request) (JournalFilter, error) {
	q := r.URL.Query()
	f := JournalFilter{Action: q.Get("action"), Result: q.Get("result")}
	if f.Result != "" && f.Result != "success" && f.Result != "error" {
		return f, errors.New("result must be success or error")
	}
	limit, err := queryWhole(q, "limit")
	f.Limit = int(min(limit, math.MaxInt32))
	return f, err
}

func (s *Server) ctlJournal(w http.ResponseWriter, r *http.Request) {
	f, err := journalFilter(r)
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	entries := s.journal.Entries(f)
	ctlJSON(w, http.StatusOK, map[string]any{"count": len(entries), "entries": entries})
}

func (s *Server) ctlJournalCount(w http.ResponseWriter, r *http.Request) {
	f, err := journalFilter(r)
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctlJSON(w, http.StatusOK, map[string]int{"count": s.journal.Count(f)})
}

func (s *Server) ctlJournalClear(w http.ResponseWriter, r *http.Request) {
	s.journal.Clear()
	ctlOK(w)
}

func (s *Server) ctlFaults(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]any{"faults": s.faults.List()})
}

func (s *Server) ctlAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if !readJSON(w, r, 1<<20, &f, "the fault must be a JSON object with action, times, probability, message, status, delayMs") {
		return
	}
	added, err := s.faults.Add(f)
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctlJSON(w, http.StatusCreated, added)
}

func (s *Server) ctlClearFaults(w http.ResponseWriter, r *http.Request) {
	s.faults.Clear()
	ctlOK(w)
}

func (s *Server) ctlRemoveFault(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !s.faults.Remove(id) {
		ctlError(w, http.StatusNotFound, "no fault has id "+r.PathValue("id"))
		return
	}
	ctlOK(w)
}

func (s *Server) ctlBans(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]any{"bans": s.bans.List()})
}

func (s *Server) ctlClearBans(w http.ResponseWriter, r *http.Request) {
	s.bans.Clear()
	ctlOK(w)
}

func (s *Server) ctlLiftBan(w http.ResponseWriter, r *http.Request) {
	if !s.bans.Lift(r.PathValue("ip")) {
		ctlError(w, http.StatusNotFound, "no ban or failed login is recorded for "+r.PathValue("ip"))
		return
	}
	ctlOK(w)
}

type clockView struct {
	Time   time.Time `json:"time"`
	Frozen bool      `json:"frozen"`
}

func (s *Server) ctlClock(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, clockView{Time: s.clock.Now(), Frozen: s.clock.Frozen()})
}

func (s *Server) ctlSetClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Time    *time.Time `json:"time"`
		Advance string     `json:"advance"`
	}
	const help = `send {"time": "2026-01-02T15:04:05Z"} to set the clock, or {"advance": "90s"} to move it`
	if !readJSON(w, r, 1<<16, &req, help) {
		return
	}
	if (req.Time == nil) == (req.Advance == "") {
		ctlError(w, http.StatusBadRequest, help)
		return
	}
	if req.Time != nil {
		s.clock.Set(*req.Time)
	} else {
		d, err := time.ParseDuration(req.Advance)
		if err != nil {
			ctlError(w, http.StatusBadRequest, "advance must be a Go duration such as 90s, 15m or -1h")
			return
		}
		s.clock.Advance(d)
	}
	s.ctlClock(w, r)
}

func (s *Server) ctlRestoreClock(w http.ResponseWriter, r *http.Request) {
	s.clock.Restore()
	s.ctlClock(w, r)
}

func truthy(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// outboxEntry is an email of the outbox as the control plane shows it.
type outboxEntry struct {
	ID       int64     `json:"id"`
	ClientID int64     `json:"clientId,omitempty"`
	To       string    `json:"to"`
	CC       string    `json:"cc,omitempty"`
	BCC      string    `json:"bcc,omitempty"`
	Subject  string    `json:"subject"`
	Message  string    `json:"message"`
	Template string    `json:"template,omitempty"`
	Type     string    `json:"type,omitempty"`
	Date     time.Time `json:"date"`
}

// ctlEmails lists the outbox, newest first: every message an action or
// SendEmail sent. Filters: clientId, to, subject (a part of it), limit.
func (s *Server) ctlEmails(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.EmailFilter{Subject: q.Get("subject"), To: q.Get("to"), Desc: true}
	var err error
	if f.ClientID, err = queryWhole(q, "clientId"); err == nil {
		f.Limit, err = queryWhole(q, "limit")
	}
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	var emails []store.Email
	var total int64
	err = s.db.View(r.Context(), func(tx *store.Tx) (err error) {
		emails, total, err = tx.Emails(r.Context(), f)
		return err
	})
	if err != nil {
		s.log.Error("control: emails", "err", err)
		ctlError(w, http.StatusInternalServerError, "reading the outbox failed")
		return
	}
	out := make([]outboxEntry, len(emails))
	for i, e := range emails {
		out[i] = outboxEntry{ID: e.ID, ClientID: e.ClientID, To: e.To, CC: e.CC, BCC: e.BCC, Subject: e.Subject,
			Message: e.Message, Template: e.Template, Type: e.Type, Date: time.Unix(e.Date, 0).UTC()}
	}
	ctlJSON(w, http.StatusOK, map[string]any{"total": total, "emails": out})
}

func (s *Server) ctlClearEmails(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Update(r.Context(), func(tx *store.Tx) error { return tx.ClearEmails(r.Context()) }); err != nil {
		s.log.Error("control: clearing the outbox", "err", err)
		ctlError(w, http.StatusInternalServerError, "clearing the outbox failed")
		return
	}
	ctlOK(w)
}
