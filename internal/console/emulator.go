package console

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// routes maps the console's paths to its pages.
func (h *Handler) routes() *http.ServeMux {
	m := http.NewServeMux()
	p := h.prefix
	get := func(path string, f http.HandlerFunc) { m.HandleFunc("GET "+p+path, f) }
	post := func(path string, f http.HandlerFunc) { m.HandleFunc("POST "+p+path, f) }

	get("{$}", h.home)
	get("login", func(w http.ResponseWriter, r *http.Request) { h.redirect(w, r, "", "") })
	post("login", func(w http.ResponseWriter, r *http.Request) { h.redirect(w, r, "", "") })
	post("logout", h.logout)
	m.Handle("GET "+p+"static/", http.StripPrefix(p, http.FileServerFS(staticFS)))
	get("secret/{key}", h.secret)

	get("oci/users", h.ociUsers)
	post("oci/users", h.ociCreateUser)
	get("oci/users/{user}", h.ociUser)
	get("oci/users/{user}/credentials/new", h.ociNewCredential)
	post("oci/users/{user}/credentials", h.ociCreateCredential)
	get("oci/users/{user}/credentials/{cred}", h.ociEditCredential)
	post("oci/users/{user}/credentials/{cred}", h.ociUpdateCredential)
	post("oci/users/{user}/credentials/{cred}/reset", h.ociResetCredential)
	get("oci/users/{user}/credentials/{cred}/delete", h.ociConfirmDelete)
	post("oci/users/{user}/credentials/{cred}/delete", h.ociDeleteCredential)

	get("whmcs/oauth", h.whmcsOAuthList)
	get("whmcs/oauth/new", h.whmcsOAuthNew)
	post("whmcs/oauth", h.whmcsOAuthCreate)
	get("whmcs/oauth/{id}", h.whmcsOAuthEdit)
	post("whmcs/oauth/{id}", h.whmcsOAuthUpdate)
	post("whmcs/oauth/{id}/reset", h.whmcsOAuthReset)
	get("whmcs/oauth/{id}/delete", h.whmcsOAuthConfirmDelete)
	post("whmcs/oauth/{id}/delete", h.whmcsOAuthDelete)
	get("whmcs/access", h.whmcsAccess)
	get("whmcs/clients", h.whmcsClients)
	get("whmcs/clients/{id}", h.whmcsClient)
	get("whmcs/services/{id}", h.whmcsService)
	get("whmcs/invoices/{id}", h.whmcsInvoice)
	get("whmcs/tickets/{id}", h.whmcsTicket)
	get("whmcs/users", h.whmcsUsers)
	get("whmcs/sso", h.whmcsSSO)
	post("whmcs/sso", h.whmcsSSOCreate)

	get("sailpoint/clients", h.spList)
	get("sailpoint/clients/new", h.spNew)
	post("sailpoint/clients", h.spCreate)
	get("sailpoint/clients/{id}", h.spEdit)
	post("sailpoint/clients/{id}", h.spUpdate)
	get("sailpoint/clients/{id}/delete", h.spConfirmDelete)
	post("sailpoint/clients/{id}/delete", h.spDelete)

	get("journal", h.journal)
	get("journal/rows", h.journalRows)
	get("journal/{seq}", h.journalEntry)
	get("faults", h.faults)
	post("faults", h.addFault)
	post("faults/{id}/delete", h.removeFault)
	post("faults/clear", h.clearFaults)
	get("clock", h.clock)
	post("clock", h.setClock)
	get("fixtures", h.fixtures)
	get("fixtures/export", h.export)
	post("fixtures/load", h.loadFixture)
	post("reset", h.reset)
	get("bans", h.bans)
	post("bans/lift-all", h.liftAllBans)
	post("bans/{ip}/lift", h.liftBan)

	m.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		h.notFound(w, r, "The console has no page at "+r.Method+" "+r.URL.Path+".")
	})
	return m
}

type homeData struct {
	Now                   time.Time
	Frozen                bool
	Calls, Faults, Bans   int
	APIURL, ControlPrefix string
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	now, frozen := h.b.Clock()
	d := homeData{Now: now, Frozen: frozen, Calls: len(h.b.Journal("", "")), Faults: len(h.b.Faults()),
		Bans: len(h.b.Bans()), APIURL: origin(r) + "/includes/api.php"}
	h.render(w, r, http.StatusOK, "home", page{Title: "Overview", Section: "home", Data: d})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: TokenCookie, Value: "", Path: h.prefix, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode})
	h.redirect(w, r, "", "signed-out")
}

// origin is the scheme and host the browser reached the console at.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// --- journal ---

type journalQuery struct {
	Action, Result, Caller string
	Limit                  int
}

type journalData struct {
	Query   journalQuery
	Entries []JournalEntry
	Total   int
	Newest  int64
	Rows    string // the query string the live updates fetch
}

func (h *Handler) journalSelect(r *http.Request) journalData {
	q := r.URL.Query()
	jq := journalQuery{Action: strings.TrimSpace(q.Get("action")), Result: q.Get("result"),
		Caller: strings.TrimSpace(q.Get("caller")), Limit: 100}
	if jq.Result != "success" && jq.Result != "error" {
		jq.Result = ""
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil && n > 0 && n <= 1000 {
		jq.Limit = n
	}
	all := h.b.Journal(jq.Action, jq.Result)
	d := journalData{Query: jq}
	for i := len(all) - 1; i >= 0; i-- { // newest first
		e := all[i]
		if jq.Caller != "" && !strings.Contains(strings.ToLower(e.Caller), strings.ToLower(jq.Caller)) {
			continue
		}
		d.Total++
		if len(d.Entries) < jq.Limit {
			d.Entries = append(d.Entries, e)
		}
	}
	if len(d.Entries) > 0 {
		d.Newest = d.Entries[0].Seq
	}
	d.Rows = r.URL.Query().Encode()
	return d
}

func (h *Handler) journal(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "journal", page{Title: "Journal", Section: "journal", Data: h.journalSelect(r)})
}

// journalRows answers the live updates' poll: the table body and the
// summary, as a fragment.
func (h *Handler) journalRows(w http.ResponseWriter, r *http.Request) {
	t := h.pages["journal"]
	d := h.journalSelect(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Journal-Total", strconv.Itoa(d.Total))
	if err := t.ExecuteTemplate(w, "rows", page{Prefix: h.prefix, Data: d}); err != nil {
		h.log.Error("console: journal rows", "err", err)
	}
}

func (h *Handler) journalEntry(w http.ResponseWriter, r *http.Request) {
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err == nil {
		for _, e := range h.b.Journal("", "") {
			if e.Seq == seq {
				keys := make([]string, 0, len(e.Params))
				for k := range e.Params {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				h.render(w, r, http.StatusOK, "journal-entry", page{Title: fmt.Sprintf("Call #%d", seq), Section: "journal",
					Data: struct {
						E    JournalEntry
						Keys []string
					}{e, keys}})
				return
			}
		}
	}
	h.notFound(w, r, "The journal holds no call #"+r.PathValue("seq")+" (it keeps the newest calls only).")
}

// --- faults ---

type faultForm struct {
	Action, Times, Probability, Message, Status, DelayMS, RetryAfter string
}

func (h *Handler) faults(w http.ResponseWriter, r *http.Request) {
	h.renderFaults(w, r, http.StatusOK, faultForm{Action: "*"}, "")
}

func (h *Handler) renderFaults(w http.ResponseWriter, r *http.Request, status int, f faultForm, msg string) {
	h.render(w, r, status, "faults", page{Title: "Faults", Section: "faults", Error: msg, Data: struct {
		Faults []Fault
		Form   faultForm
	}{h.b.Faults(), f}})
}

func (h *Handler) addFault(w http.ResponseWriter, r *http.Request) {
	form := faultForm{Action: r.PostFormValue("action"), Times: r.PostFormValue("times"),
		Probability: r.PostFormValue("probability"), Message: r.PostFormValue("message"), Status: r.PostFormValue("status"),
		DelayMS: r.PostFormValue("delayMs"), RetryAfter: r.PostFormValue("retryAfterSeconds")}
	f := Fault{Action: strings.TrimSpace(form.Action), Message: form.Message}
	var bad []string
	num := func(s, name string, dst *int) {
		if s = strings.TrimSpace(s); s == "" {
			return
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = append(bad, name+" must be a whole number")
		}
		*dst = n
	}
	num(form.Times, "Times", &f.Times)
	num(form.Status, "HTTP status", &f.Status)
	num(form.DelayMS, "Delay", &f.DelayMS)
	num(form.RetryAfter, "Retry-After", &f.RetryAfterSeconds)
	if s := strings.TrimSpace(form.Probability); s != "" {
		p, err := strconv.ParseFloat(s, 64)
		if err != nil {
			bad = append(bad, "Probability must be a number between 0 and 1")
		}
		f.Probability = p
	}
	if len(bad) > 0 {
		h.renderFaults(w, r, http.StatusBadRequest, form, strings.Join(bad, "; ")+".")
		return
	}
	if _, err := h.b.AddFault(f); err != nil {
		h.renderFaults(w, r, http.StatusBadRequest, form, err.Error())
		return
	}
	h.redirect(w, r, "faults", "fault-added")
}

func (h *Handler) removeFault(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || !h.b.RemoveFault(id) {
		h.renderFaults(w, r, http.StatusNotFound, faultForm{Action: "*"}, "No fault rule has id "+r.PathValue("id")+".")
		return
	}
	h.redirect(w, r, "faults", "fault-removed")
}

func (h *Handler) clearFaults(w http.ResponseWriter, r *http.Request) {
	h.b.ClearFaults()
	h.redirect(w, r, "faults", "faults-cleared")
}

// --- clock ---

type clockData struct {
	Now            time.Time
	Frozen         bool
	SetTo, Advance string
}

func (h *Handler) clock(w http.ResponseWriter, r *http.Request) {
	h.renderClock(w, r, http.StatusOK, "", "", "")
}

func (h *Handler) renderClock(w http.ResponseWriter, r *http.Request, status int, msg, setTo, advance string) {
	now, frozen := h.b.Clock()
	if setTo == "" {
		setTo = now.UTC().Format("2006-01-02T15:04:05")
	}
	if advance == "" {
		advance = "1h"
	}
	h.render(w, r, status, "clock", page{Title: "Clock", Section: "clock", Error: msg,
		Data: clockData{Now: now, Frozen: frozen, SetTo: setTo, Advance: advance}})
}

func (h *Handler) setClock(w http.ResponseWriter, r *http.Request) {
	switch r.PostFormValue("op") {
	case "freeze":
		now, _ := h.b.Clock()
		h.b.SetClock(now)
	case "set":
		v := strings.TrimSpace(r.PostFormValue("time"))
		t, err := parseClockTime(v)
		if err != nil {
			h.renderClock(w, r, http.StatusBadRequest, "Give the time as 2030-01-02T03:04:05 (UTC), or in RFC 3339.", v, "")
			return
		}
		h.b.SetClock(t)
	case "advance":
		v := strings.TrimSpace(r.PostFormValue("by"))
		d, err := time.ParseDuration(v)
		if err != nil {
			h.renderClock(w, r, http.StatusBadRequest, "Give the step as a duration such as 90s, 15m, 2h or -1h.", "", v)
			return
		}
		h.b.AdvanceClock(d)
	case "release":
		h.b.RestoreClock()
	default:
		h.renderClock(w, r, http.StatusBadRequest, "Choose freeze, set, advance or release.", "", "")
		return
	}
	h.redirect(w, r, "clock", "clock")
}

// parseClockTime reads a datetime-local value (UTC) or RFC 3339.
func parseClockTime(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05.000"} {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Parse(time.RFC3339Nano, v)
}

// --- fixtures ---

func (h *Handler) fixtures(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "fixtures", page{Title: "Fixtures", Section: "fixtures"})
}

func (h *Handler) export(w http.ResponseWriter, r *http.Request) {
	doc, err := h.b.Export(r.Context())
	if err != nil {
		h.render(w, r, http.StatusInternalServerError, "fixtures", page{Title: "Fixtures", Section: "fixtures",
			Error: h.failure(r.Context(), "export", err)})
		return
	}
	now, _ := h.b.Clock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="whmcsemu-`+now.UTC().Format("20060102-150405")+`.json"`)
	_, _ = w.Write(doc)
}

func (h *Handler) loadFixture(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg string) {
		h.render(w, r, status, "fixtures", page{Title: "Fixtures", Section: "fixtures", Error: msg})
	}
	file, _, err := r.FormFile("document")
	if err != nil {
		fail(http.StatusBadRequest, "Choose a fixture document (a .json file) to load.")
		return
	}
	defer file.Close()
	doc, err := io.ReadAll(file)
	if err != nil {
		fail(http.StatusBadRequest, "The file could not be read.")
		return
	}
	if err := h.b.LoadFixture(r.Context(), doc, r.PostFormValue("replace") != ""); err != nil {
		fail(http.StatusBadRequest, err.Error())
		return
	}
	h.redirect(w, r, "fixtures", "loaded")
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request) {
	if err := h.b.Reset(r.Context()); err != nil {
		h.render(w, r, http.StatusInternalServerError, "fixtures", page{Title: "Fixtures", Section: "fixtures",
			Error: "Reset failed: " + err.Error()})
		return
	}
	h.redirect(w, r, "fixtures", "reset")
}

// --- bans ---

func (h *Handler) bans(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "bans", page{Title: "Bans", Section: "bans", Data: h.b.Bans()})
}

func (h *Handler) liftBan(w http.ResponseWriter, r *http.Request) {
	if !h.b.LiftBan(r.PathValue("ip")) {
		h.render(w, r, http.StatusNotFound, "bans", page{Title: "Bans", Section: "bans", Data: h.b.Bans(),
			Error: "No ban or failed login is recorded for " + r.PathValue("ip") + "."})
		return
	}
	h.redirect(w, r, "bans", "lifted")
}

func (h *Handler) liftAllBans(w http.ResponseWriter, r *http.Request) {
	h.b.ClearBans()
	h.redirect(w, r, "bans", "lifted-all")
}
