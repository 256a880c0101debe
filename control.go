package whmcsemu

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
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
	mux.HandleFunc("GET "+p+"/clock", s.ctlClock)
	mux.HandleFunc("POST "+p+"/clock", s.ctlSetClock)
	mux.HandleFunc("DELETE "+p+"/clock", s.ctlRestoreClock)
	mux.HandleFunc(ControlPrefix, func(w http.ResponseWriter, r *http.Request) {
		ctlError(w, http.StatusNotFound, "no such control endpoint: "+r.Method+" "+r.URL.Path+" (the README lists them)")
	})
	return mux
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	if msg := s.controlAccess(r); msg != "" {
		ctlError(w, http.StatusForbidden, msg)
		return
	}
	s.controlOnce.Do(func() { s.control = s.controlMux() })
	s.control.ServeHTTP(w, r)
}

// controlAccess lets loopback callers in, and others only with the admin
// token; it returns why a caller is refused.
func (s *Server) controlAccess(r *http.Request) string {
	if addr, err := netip.ParseAddr(remoteIP(r)); err == nil && addr.Unmap().IsLoopback() {
		return ""
	}
	if s.adminToken == "" {
		return "the control plane answers loopback callers only; start whmcsemu with --admin-token to let others in"
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.adminToken)) != 1 {
		return "send the admin token as Authorization: Bearer <token>"
	}
	return ""
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
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		ctlError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the fixture document is over %d bytes", s.maxBody))
		return
	}
	if truthy(r.URL.Query().Get("replace")) {
		err = s.ReplaceFixtures(r.Context(), data)
	} else {
		_, err = s.LoadFixture(r.Context(), data, false)
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
	ctlJSON(w, http.StatusOK, doc)
}

func journalFilter(r *http.Request) (JournalFilter, error) {
	q := r.URL.Query()
	f := JournalFilter{Action: q.Get("action"), Result: q.Get("result")}
	if f.Result != "" && f.Result != "success" && f.Result != "error" {
		return f, errors.New("result must be success or error")
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			return f, errors.New("limit must be a whole number")
		}
		f.Limit = n
	}
	return f, nil
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
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		ctlError(w, http.StatusBadRequest, "the fault must be a JSON object with action, times, probability, message, status, delayMs: "+err.Error())
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
	ctlJSON(w, http.StatusOK, map[string]any{"bans": s.bans.List(s.clock.Now())})
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
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || (req.Time == nil) == (req.Advance == "") {
		ctlError(w, http.StatusBadRequest, `send {"time": "2026-01-02T15:04:05Z"} to set the clock, or {"advance": "90s"} to move it`)
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
