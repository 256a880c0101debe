package oauthclients

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// appHost is the relying party's host: a browser that is sent there
// stops, as the application would take over.
const appHost = "app.localhost"

// browser plays a user's browser: cookies kept, redirects followed except
// the one back to the application, forms filled in and submitted as the
// HTML says.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Hostname() == appHost || len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
}

// page is a response, its HTML parsed.
type page struct {
	url    *url.URL
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	p := page{url: resp.Request.URL, status: resp.StatusCode, header: resp.Header, body: string(data)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = html.Parse(strings.NewReader(p.body)); err != nil {
			b.t.Fatalf("%s: %v", p.url, err)
		}
	}
	return p
}

func (b *browser) get(u string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// appRedirect is where the page sent the browser back to the
// application, or nil.
func (p page) appRedirect() *url.URL {
	if p.status < 300 || p.status > 399 {
		return nil
	}
	u, err := p.url.Parse(p.header.Get("Location"))
	if err != nil || u.Hostname() != appHost {
		return nil
	}
	return u
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(sb.String())
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func element(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag }
}

// hasForm reports whether the page holds a button with this text.
func (p page) hasButton(label string) bool {
	if p.doc == nil {
		return false
	}
	for _, btn := range find(p.doc, element("button")) {
		if text(btn) == label {
			return true
		}
	}
	return false
}

// submit fills in the page's form holding the button labelled button,
// finding each field by its <label> text as a person would, and submits
// it with that button, to the form's action resolved against the page.
func (b *browser) submit(p page, fields map[string]string, button string) page {
	b.t.Helper()
	if p.doc == nil {
		b.t.Fatalf("%s (%d) is not an HTML page: %s", p.url, p.status, p.body)
	}
	labels := map[string]string{} // input id → label text
	for _, l := range find(p.doc, element("label")) {
		if id, ok := attr(l, "for"); ok {
			labels[id] = text(l)
		}
	}
	for _, form := range find(p.doc, element("form")) {
		var btn *html.Node
		for _, c := range find(form, element("button")) {
			if text(c) == button {
				btn = c
			}
		}
		if btn == nil {
			continue
		}
		values := url.Values{}
		filled := map[string]bool{}
		for _, in := range find(form, element("input")) {
			name, _ := attr(in, "name")
			value, _ := attr(in, "value")
			typ, _ := attr(in, "type")
			if typ != "hidden" {
				id, _ := attr(in, "id")
				label, ok := labels[id]
				if !ok {
					b.t.Fatalf("%s: the field %q has no label", p.url, name)
				}
				v, ok := fields[label]
				if !ok {
					if _, required := attr(in, "required"); required {
						b.t.Fatalf("%s: nothing to fill in the required field %q", p.url, label)
					}
				} else {
					value = v
					filled[label] = true
				}
			}
			values.Set(name, value)
		}
		for label := range fields {
			if !filled[label] {
				b.t.Fatalf("%s: no field labelled %q", p.url, label)
			}
		}
		if name, ok := attr(btn, "name"); ok {
			v, _ := attr(btn, "value")
			values.Set(name, v)
		}
		action, _ := attr(form, "action")
		target, err := p.url.Parse(action)
		if err != nil {
			b.t.Fatal(err)
		}
		method, _ := attr(form, "method")
		if !strings.EqualFold(method, "post") {
			b.t.Fatalf("%s: the form's method is %q", p.url, method)
		}
		req, err := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(values.Encode()))
		if err != nil {
			b.t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return b.do(req)
	}
	b.t.Fatalf("%s (%d): no form with a %q button:\n%s", p.url, p.status, button, p.body)
	return page{}
}
