package whmcsemu

// Native Go fuzz targets for the HTTP edge.
//
//   - FuzzPHPForm: the PHP-style form reader (newForm, parseQuery,
//     parseMultipart, add, phpKey, phpURLDecode, addValues, mergeForms).
//   - FuzzRequest: whole requests through Server.ServeHTTP.
//
// "go test" runs the checked-in seeds (testdata/fuzz/<FuzzName>/) as
// ordinary tests. .ci/run fuzzes each target for a few seconds; a longer
// run is, for example:
//
//	go test -run '^$' -fuzz '^FuzzPHPForm$' -fuzztime 5m .
//	go test -run '^$' -fuzz '^FuzzRequest$' -fuzztime 5m .
//
// A failing input is written to testdata/fuzz/<FuzzName>/ and replays with
// "go test -run '^FuzzRequest/<file>$' .".

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/actions"
)

// fuzzBoundary is the multipart boundary FuzzPHPForm's multipart bodies use.
const fuzzBoundary = "fuzz-boundary"

func FuzzPHPForm(f *testing.F) {
	f.Add("action=ListOAuthCredentials&identifier=I&secret=S", "a[]=1&a[]=2", []byte(""), uint16(0))
	f.Add("a[b][]=1&a[b][7]=2&a.b=3&%20c=4&[x]=5", "a=&b=%zz", []byte("--fuzz-boundary\r\nContent-Disposition: form-data; name=\"x[]\"\r\n\r\n1\r\n--fuzz-boundary--\r\n"), uint16(3))
	f.Fuzz(func(t *testing.T, query, body string, multipartBody []byte, limit uint16) {
		maxFields := int(limit % 2048) // 0: no limit, as the local API reads

		// phpURLDecode agrees with net/url wherever net/url accepts the text.
		dec := phpURLDecode(query)
		if len(dec) > len(query) {
			t.Fatalf("phpURLDecode(%q) = %q grew", query, dec)
		}
		if !strings.ContainsAny(query, "%+") && dec != query {
			t.Fatalf("phpURLDecode(%q) = %q changed a text without escapes", query, dec)
		}
		if want, err := url.QueryUnescape(query); err == nil && want != dec {
			t.Fatalf("phpURLDecode(%q) = %q, net/url says %q", query, dec, want)
		}

		// phpKey on the raw text as one field name.
		if key, _, ok := phpKey(query); ok {
			fuzzCheckKey(t, query, key)
		}

		// The query string, then a body counted against the same limit, as
		// Server.readParams reads them.
		q := newForm(maxFields)
		q.parseQuery(query)
		fuzzCheckForm(t, "query", q, maxFields)
		if pairs := fuzzCountPairs(query); q.fields > pairs {
			t.Fatalf("query: %d fields counted from %d pairs", q.fields, pairs)
		}
		b := newForm(maxFields)
		b.fields = q.fields
		b.parseQuery(body)
		fuzzCheckForm(t, "body", b, maxFields)

		m := newForm(maxFields)
		m.fields = b.fields
		_ = m.parseMultipart(multipart.NewReader(bytes.NewReader(multipartBody), fuzzBoundary))
		fuzzCheckForm(t, "multipart", m, maxFields)

		qCopy, bCopy := fuzzCopyValues(q.values), fuzzCopyValues(b.values)
		merged := mergeForms(q.values, b.values)
		if !fuzzEqualValues(q.values, qCopy) || !fuzzEqualValues(b.values, bCopy) {
			t.Fatalf("mergeForms changed its inputs")
		}
		fuzzCheckMerged(t, merged, q.values, b.values)
		fuzzCheckMerged(t, mergeForms(nil, m.values), nil, m.values)

		// The local API reads a map through the same rules (no field limit).
		l := newForm(0)
		l.addValues(merged)
		fuzzCheckForm(t, "local API", l, 0)
		fuzzCheckMerged(t, mergeForms(nil, l.values), nil, l.values)
	})
}

// fuzzCheckKey checks what phpKey made of a field name.
func fuzzCheckKey(t *testing.T, name, key string) {
	t.Helper()
	if key == "" {
		t.Fatalf("phpKey(%q): empty key", name)
	}
	if strings.IndexByte(key, 0) >= 0 {
		t.Fatalf("phpKey(%q) = %q: a NUL in the key (PHP names end at NUL)", name, key)
	}
	if key[0] == ' ' || key[0] == '[' {
		t.Fatalf("phpKey(%q) = %q: starts with %q", name, key, key[0])
	}
	base, _, _ := strings.Cut(key, "[")
	if strings.ContainsAny(base, " .") {
		t.Fatalf("phpKey(%q) = %q: a space or dot left in the base name", name, key)
	}
	if len(key) > len(name) {
		t.Fatalf("phpKey(%q) = %q: the key is longer than the name", name, key)
	}
}

// fuzzCheckForm checks the invariants of a form after reading.
func fuzzCheckForm(t *testing.T, what string, f *form, maxFields int) {
	t.Helper()
	if maxFields > 0 && f.fields > maxFields {
		t.Fatalf("%s: %d fields counted, the limit is %d", what, f.fields, maxFields)
	}
	total := 0
	for key, vs := range f.values {
		fuzzCheckKey(t, key, key)
		list, seen := f.lists[key]
		if !seen {
			t.Fatalf("%s: key %q has values but no list flag", what, key)
		}
		if len(vs) == 0 {
			t.Fatalf("%s: key %q holds no value", what, key)
		}
		if !list && len(vs) != 1 {
			t.Fatalf("%s: key %q is not a list but holds %d values", what, key, len(vs))
		}
		if _, n := splitIndex(key); n < 0 {
			total += len(vs) // a[12] is a copy of a value already in list a
		}
	}
	if len(f.lists) != len(f.values) {
		t.Fatalf("%s: %d list flags for %d keys", what, len(f.lists), len(f.values))
	}
	if maxFields > 0 && total > maxFields {
		t.Fatalf("%s: %d values kept, the limit is %d", what, total, maxFields)
	}
}

// fuzzCheckMerged checks mergeForms(query, body): no empty value, no key
// without values, and each key holds the body's non-empty values when the
// body has any, else the query's.
func fuzzCheckMerged(t *testing.T, merged, query, body url.Values) {
	t.Helper()
	for k, vs := range merged {
		if k == "" {
			t.Fatalf("merged: empty key")
		}
		if len(vs) == 0 {
			t.Fatalf("merged: key %q holds no value", k)
		}
		if slices.Contains(vs, "") {
			t.Fatalf("merged: key %q holds an empty value: %q", k, vs)
		}
	}
	for k := range fuzzKeys(query, body) {
		var want []string
		if src, ok := body[k]; ok {
			want = fuzzNonEmpty(src)
		} else {
			want = fuzzNonEmpty(query[k])
		}
		if !slices.Equal(merged[k], want) {
			t.Fatalf("merged[%q] = %q, want %q (query %q, body %q)", k, merged[k], want, query[k], body[k])
		}
	}
	for k := range merged {
		if _, inQuery := query[k]; !inQuery {
			if _, inBody := body[k]; !inBody {
				t.Fatalf("merged: key %q came from nowhere", k)
			}
		}
	}
}

func fuzzKeys(vs ...url.Values) map[string]bool {
	out := map[string]bool{}
	for _, v := range vs {
		for k := range v {
			out[k] = true
		}
	}
	return out
}

func fuzzNonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func fuzzCopyValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func fuzzEqualValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, vs := range a {
		if !slices.Equal(vs, b[k]) {
			return false
		}
	}
	return true
}

// fuzzCountPairs counts the non-empty "&"-separated pairs of s.
func fuzzCountPairs(s string) int {
	n := 0
	for _, p := range strings.Split(s, "&") {
		if p != "" {
			n++
		}
	}
	return n
}

// fuzzMethods are the methods FuzzRequest picks from.
var fuzzMethods = []string{
	http.MethodPost, http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete,
	http.MethodOptions, http.MethodPatch, "BREW",
}

// FuzzRequest flag bits.
const (
	fuzzWithAuth = 1 << iota // the demo credential leads the query string
	fuzzWithJSON             // responsetype=json leads the query string
)

// fuzzResetEvery is how many inputs a fuzzing worker's server answers
// before it is reset to the demo fixture, so its state stays small.
const fuzzResetEvery = 500

func FuzzRequest(f *testing.F) {
	f.Add(uint8(0), "", []byte("action=ListOAuthCredentials&responsetype=json"), "application/x-www-form-urlencoded", uint8(fuzzWithAuth))
	f.Add(uint8(1), "action=GetClients", []byte(nil), "", uint8(fuzzWithAuth|fuzzWithJSON))

	// One server per fuzzing process: newTestServer copies a template
	// database, and requests may write, so it is reset now and then.
	srv, db := newTestServer(f)
	ctx := context.Background()
	var mu sync.Mutex // the fuzzer calls one input at a time; this keeps -race honest
	served := 0

	f.Fuzz(func(t *testing.T, methodIndex uint8, query string, body []byte, contentType string, flags uint8) {
		mu.Lock()
		defer mu.Unlock()
		served++
		if served%fuzzResetEvery == 0 {
			if err := srv.Reset(ctx); err != nil {
				t.Fatalf("reset: %v", err)
			}
		}
		method := fuzzMethods[int(methodIndex)%len(fuzzMethods)]
		var lead []string
		if flags&fuzzWithJSON != 0 {
			lead = append(lead, "responsetype=json")
		}
		if flags&fuzzWithAuth != 0 {
			lead = append(lead, "identifier="+demoIdentifier, "secret="+demoSecret)
		}
		rawQuery := strings.Join(append(lead, query), "&")
		// JSON must come back when the only responsetype sent is ours.
		wantJSON := flags&fuzzWithJSON != 0 && !fuzzMentions(query, body, "responsetype")

		req := httptest.NewRequest(method, APIPath, bytes.NewReader(body))
		req.URL.RawQuery = rawQuery
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)

		if rec.Code < 200 || rec.Code >= 500 {
			t.Fatalf("status %d; body %.300q", rec.Code, rec.Body.String())
		}
		ctype := rec.Header().Get("Content-Type")
		result, message := fuzzShape(t, ctype, rec.Body.Bytes())
		t.Logf("%s: %d %s %s %.100q", method, rec.Code, ctype, result, message)
		if wantJSON && ctype != "application/json" {
			t.Fatalf("responsetype=json was sent but the answer is %q: %.300q", ctype, rec.Body.String())
		}
		if result == "error" && message == actions.InternalMessage {
			t.Fatalf("an internal error reached the client (status %d); the request was %s ?%.300q body %.300q",
				rec.Code, method, rawQuery, body)
		}
		if rec.Code != http.StatusOK && result != "error" {
			t.Fatalf("status %d with result %q", rec.Code, result)
		}
		verdict, err := db.IntegrityCheck(ctx)
		if err != nil || verdict != "ok" {
			t.Fatalf("integrity_check: %q, %v", verdict, err)
		}
	})
}

// fuzzMentions reports whether the query or body could name the field
// name: as is, percent-encoded, with quoted-string backslashes, in any
// case, or split over RFC 2231 parameters (name*0, name*1) of a multipart
// part. It errs on the side of yes: it decides when the answer's format
// is known in advance.
func fuzzMentions(query string, body []byte, name string) bool {
	lower := strings.ToLower(string(body))
	if strings.Contains(lower, "name*") {
		return true
	}
	for _, s := range []string{query, string(body)} {
		for _, t := range []string{s, phpURLDecode(s), strings.ReplaceAll(s, "\\", "")} {
			if strings.Contains(strings.ToLower(t), name) {
				return true
			}
		}
	}
	return false
}

// fuzzShape checks that an answer is WHMCS-shaped for its Content-Type and
// returns its result and message: JSON with a result, NVP starting with
// "result=", or an XML <whmcsapi> document with a <result>.
func fuzzShape(t *testing.T, ctype string, body []byte) (result, message string) {
	t.Helper()
	switch ctype {
	case "application/json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("not JSON (%v): %.300q", err, body)
		}
		result, _ = m["result"].(string)
		message, _ = m["message"].(string)
	case "text/plain; charset=utf-8":
		s := string(body)
		if !strings.HasPrefix(s, "result=") {
			t.Fatalf("NVP answer does not start with result=: %.300q", s)
		}
		first, rest, _ := strings.Cut(s, ";")
		result = strings.TrimPrefix(first, "result=")
		message, _ = strings.CutPrefix(rest, "message=")
	case "application/xml; charset=utf-8":
		if !bytes.HasPrefix(body, []byte("<?xml")) {
			t.Fatalf("XML answer does not start with <?xml: %.300q", body)
		}
		result, message = fuzzXML(t, body)
	default:
		t.Fatalf("unexpected Content-Type %q: %.300q", ctype, body)
	}
	if result != "success" && result != "error" {
		t.Fatalf("result %q in %.300q", result, body)
	}
	if result == "error" && message == "" {
		t.Fatalf("an error without a message: %.300q", body)
	}
	return result, message
}

// fuzzXML reads a whole XML answer (it must be well-formed, with a
// <whmcsapi> root) and returns its top-level result and message.
func fuzzXML(t *testing.T, body []byte) (result, message string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	var path []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("XML answer is not well-formed (%v): %.300q", err, body)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && tok.Name.Local != "whmcsapi" {
				t.Fatalf("XML root is <%s>: %.300q", tok.Name.Local, body)
			}
			depth++
			path = append(path, tok.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			if depth == 2 {
				switch path[1] {
				case "result":
					result = text.String()
				case "message":
					message = text.String()
				}
			}
			depth--
			path = path[:len(path)-1]
		}
	}
	if depth != 0 || !utf8.Valid(body) {
		t.Fatalf("XML answer is incomplete or not UTF-8: %.300q", body)
	}
	return result, message
}
