package oauth

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pages are the HTML pages, each the layout around its own content.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"login", "two_factor", "consent", "error", "clientarea"} {
		m[name] = template.Must(template.ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// page is what a page shows. Fields a page does not use stay zero.
type page struct {
	Title   string
	Company string
	Error   string
	Message string
	Home    string // the System URL

	Action string // where the form posts (relative to the page)
	Flow   string
	CSRF   string
	Email  string

	ClientName   string // the OAuth credential's name
	RedirectHost string
	Scopes       []scopeInfo

	UserID    int64
	UserName  string
	UserEmail string
	Client    *clientInfo
	Clients   []clientInfo
	Requested string
}

type scopeInfo struct{ Name, Description string }

type clientInfo struct {
	ID     int64
	Name   string
	Status string
	Owner  bool
}

// render writes a page with the headers every page gets: no caching, no
// framing, no scripts, no referrer (the authorization URL holds state).
func (h *Handler) render(w http.ResponseWriter, status int, name string, p page) {
	if p.Company = h.settings().CompanyName; p.Company == "" {
		p.Company = "WHMCS"
	}
	p.Home = h.base()
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.Error("oauth: rendering a page", "page", name, "err", err)
		http.Error(w, "whmcsemu: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	noStore(w)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage shows a failure that cannot go back to the application.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	h.render(w, status, "error", page{Title: title, Error: message})
}
