package whmcsemu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// formTestServe sends one request with a raw body through srv.ServeHTTP.
func formTestServe(srv http.Handler, method, target, contentType string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

// formTestMultipart builds a multipart/form-data body holding fields in
// order, and returns it with its Content-Type.
func formTestMultipart(t testing.TB, fields [][2]string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		require.NoError(t, mw.WriteField(f[0], f[1]))
	}
	require.NoError(t, mw.Close())
	return &buf, mw.FormDataContentType()
}

// formTestAuthPairs are the full-access demo credential as ordered pairs.
var formTestAuthPairs = [][2]string{{"identifier", demoIdentifier}, {"secret", demoSecret}}

// formTestRaw joins pairs as an urlencoded text in the order given, each
// name and value escaped with url.QueryEscape.
func formTestRaw(pairs [][2]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1])
	}
	return strings.Join(parts, "&")
}

// listedCredential is one item of ListOAuthCredentials, as JSON.
type listedCredential struct {
	CredentialID     int64    `json:"credentialId"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	GrantTypes       string   `json:"grantTypes"`
	Scope            string   `json:"scope"`
	ClientIdentifier string   `json:"clientIdentifier"`
	ServiceID        int64    `json:"serviceId"`
	LogoURI          string   `json:"logoUri"`
	RedirectURI      []string `json:"redirectUri"`
}

// formTestListCredentials lists the OAuth credentials through the local API.
func formTestListCredentials(t testing.TB, srv *Server) []listedCredential {
	t.Helper()
	res := srv.Call(context.Background(), "ListOAuthCredentials", nil, "")
	require.True(t, res.OK(), "ListOAuthCredentials: %s", res.JSON())
	var out struct {
		Result  string             `json:"result"`
		Clients []listedCredential `json:"clients"`
	}
	require.NoError(t, json.Unmarshal(res.JSON(), &out))
	require.Equal(t, "success", out.Result)
	return out.Clients
}

func formTestCredential(t testing.TB, srv *Server, id int64) listedCredential {
	t.Helper()
	for _, c := range formTestListCredentials(t, srv) {
		if c.CredentialID == id {
			return c
		}
	}
	require.Failf(t, "credential not listed", "credentialId %d", id)
	return listedCredential{}
}

func TestPHPKey(t *testing.T) {
	tests := []struct {
		name     string
		wantKey  string
		wantList bool
		wantOK   bool
	}{
		{"a", "a", false, true},
		{"a[]", "a", true, true},
		{"a[0]", "a", true, true},
		{"a[3]", "a", true, true},
		{"a[00]", "a", true, true},
		{"a[b]", "a[b]", false, true},
		{"a[b][]", "a[b]", true, true},
		{"a[b][7]", "a[b]", true, true},
		{"a[0][name]", "a[0][name]", false, true},
		{"a[-1]", "a[-1]", false, true},
		{"a.b", "a_b", false, true},
		{"a b", "a_b", false, true},
		{"a..b", "a__b", false, true},
		{"a.b[c.d]", "a_b[c.d]", false, true},
		{"a b[c d]", "a_b[c d]", false, true},
		{"a[b", "a_b", false, true},
		{"a.b[c", "a_b_c", false, true},
		{"a[b]c", "a[b]", false, true},
		{"a[]x", "a", true, true},
		{"a[b][c", "a[b]", false, true},
		{" a", "a", false, true},
		{"   a b", "a_b", false, true},
		{"redirectUri[]", "redirectUri", true, true},
		{"email_preferences[invoice]", "email_preferences[invoice]", false, true},
		{"customfields[3]", "customfields", true, true},
		{"[x]", "", false, false},
		{"[]", "", false, false},
		{"", "", false, false},
		{"   ", "", false, false},
		{" [x]", "", false, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.name), func(t *testing.T) {
			key, list, ok := phpKey(tt.name)
			assert.Equal(t, tt.wantOK, ok, "ok")
			if !tt.wantOK {
				return
			}
			assert.Equal(t, tt.wantKey, key, "key")
			assert.Equal(t, tt.wantList, list, "list")
		})
	}
}

// TestPHPKeyPHPEdgeCases holds names whose PHP treatment is read from
// php_register_variable_ex (main/php_variables.c): the base is a C string
// (cut at NUL), an empty base drops the variable before an unmatched "[" is
// considered, and one white-space character is skipped at the start of an
// index, so "a[ ]" appends like "a[]".
func TestPHPKeyPHPEdgeCases(t *testing.T) {
	tests := []struct {
		name     string
		wantKey  string
		wantList bool
		wantOK   bool
	}{
		{"[x", "", false, false},
		{"[", "", false, false},
		{"a\x00b", "a", false, true},
		{"a[ ]", "a", true, true},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.name), func(t *testing.T) {
			key, list, ok := phpKey(tt.name)
			assert.Equal(t, tt.wantOK, ok, "ok (key %q)", key)
			if !tt.wantOK {
				return
			}
			assert.Equal(t, tt.wantKey, key, "key")
			assert.Equal(t, tt.wantList, list, "list")
		})
	}
}

func TestPHPURLDecode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"a+b", "a b"},
		{"++", "  "},
		{"%41", "A"},
		{"%4a%4A", "JJ"},
		{"%2B", "+"},
		{"%2b+%2B", "+ +"},
		{"%25", "%"},
		{"%2541", "%41"},
		{"%%41", "%A"},
		{"%zz", "%zz"},
		{"%4", "%4"},
		{"%4g", "%4g"},
		{"%g4", "%g4"},
		{"a%2", "a%2"},
		{"abc%", "abc%"},
		{"%", "%"},
		{"%%", "%%"},
		{"%00", "\x00"},
		{"a%00b", "a\x00b"},
		{"%ff%FE", "\xff\xfe"},
		{"%e2%82%ac", "€"},
		{"%5B%5D", "[]"},
		{"é", "é"},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			assert.Equal(t, tt.want, phpURLDecode(tt.in))
		})
	}
}

func TestFormAdd(t *testing.T) {
	type pair = [2]string
	tests := []struct {
		name       string
		maxFields  int
		pairs      []pair
		want       url.Values
		wantFields int
	}{
		{"last scalar wins", 0, []pair{{"a", "1"}, {"a", "2"}}, url.Values{"a": {"2"}}, 2},
		{"lists append", 0, []pair{{"a[]", "1"}, {"a[]", "2"}}, url.Values{"a": {"1", "2"}}, 2},
		{"indexed lists append in order", 0, []pair{{"a[0]", "x"}, {"a[1]", "y"}, {"a[2]", "z"}}, url.Values{"a": {"x", "y", "z"}, "a[0]": {"x"}, "a[1]": {"y"}, "a[2]": {"z"}}, 3},
		{"mixed list forms", 0, []pair{{"a[]", "1"}, {"a[5]", "2"}, {"a[]", "3"}}, url.Values{"a": {"1", "2", "3"}, "a[5]": {"2"}}, 3},
		{"a scalar drops the indexed copies", 0, []pair{{"a[5]", "1"}, {"b[2]", "2"}, {"a", "3"}}, url.Values{"a": {"3"}, "b": {"2"}, "b[2]": {"2"}}, 3},
		{"list after scalar replaces it", 0, []pair{{"a", "1"}, {"a[]", "2"}, {"a[]", "3"}}, url.Values{"a": {"2", "3"}}, 3},
		{"scalar after list replaces it", 0, []pair{{"a[]", "1"}, {"a[]", "2"}, {"a", "3"}}, url.Values{"a": {"3"}}, 3},
		{"list scalar list", 0, []pair{{"a[]", "1"}, {"a", "2"}, {"a[]", "3"}}, url.Values{"a": {"3"}}, 3},
		{"bracket keys are separate", 0, []pair{{"a[b]", "1"}, {"a[c]", "2"}, {"a", "3"}}, url.Values{"a[b]": {"1"}, "a[c]": {"2"}, "a": {"3"}}, 3},
		{"nested list", 0, []pair{{"a[b][]", "1"}, {"a[b][]", "2"}}, url.Values{"a[b]": {"1", "2"}}, 2},
		{"mangled names", 0, []pair{{"a.b", "1"}, {" c d", "2"}}, url.Values{"a_b": {"1"}, "c_d": {"2"}}, 2},
		{"empty values kept until merge", 0, []pair{{"a", ""}, {"b[]", ""}}, url.Values{"a": {""}, "b": {""}}, 2},
		{"dropped names are not counted", 0, []pair{{"[x]", "1"}, {"", "2"}}, url.Values{}, 0},
		{"maxFields cap", 2, []pair{{"a", "1"}, {"b", "2"}, {"c", "3"}}, url.Values{"a": {"1"}, "b": {"2"}}, 2},
		{"maxFields counts list items", 3, []pair{{"a[]", "1"}, {"a[]", "2"}, {"a[]", "3"}, {"a[]", "4"}, {"a[]", "5"}}, url.Values{"a": {"1", "2", "3"}}, 3},
		{"maxFields ignores later values of a known key", 1, []pair{{"a", "1"}, {"a", "2"}}, url.Values{"a": {"1"}}, 1},
		{"dropped names do not use the budget", 1, []pair{{"[x]", "1"}, {"a", "2"}}, url.Values{"a": {"2"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newForm(tt.maxFields)
			for _, p := range tt.pairs {
				f.add(p[0], p[1])
			}
			assert.Equal(t, tt.want, f.values)
			assert.Equal(t, tt.wantFields, f.fields)
		})
	}
}

func TestFormAddUnlimited(t *testing.T) {
	f := newForm(0)
	for i := 0; i < 5000; i++ {
		f.add("f"+strconv.Itoa(i), "v")
		f.add("list[]", strconv.Itoa(i))
	}
	assert.Len(t, f.values, 5001)
	assert.Len(t, f.values["list"], 5000)
	assert.Equal(t, "4999", f.values["list"][4999])
}

func TestFormParseQuery(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want url.Values
	}{
		{"empty", "", url.Values{}},
		{"pairs", "a=1&b=2", url.Values{"a": {"1"}, "b": {"2"}}},
		{"empty pairs skipped", "&&a=1&&", url.Values{"a": {"1"}}},
		{"no equals", "a", url.Values{"a": {""}}},
		{"equals in value", "a=1=2", url.Values{"a": {"1=2"}}},
		{"empty name dropped", "=1&b=2", url.Values{"b": {"2"}}},
		{"escaped brackets", "pid%5B%5D=1&pid%5B%5D=2", url.Values{"pid": {"1", "2"}}},
		{"http_build_query indexes", "pid%5B0%5D=1&pid%5B1%5D=2", url.Values{"pid": {"1", "2"}, "pid[0]": {"1"}, "pid[1]": {"2"}}},
		{"plus and escapes", "a+b=c+d%26e", url.Values{"a_b": {"c d&e"}}},
		{"bad escapes kept", "a=%zz%4&b=100%", url.Values{"a": {"%zz%4"}, "b": {"100%"}}},
		{"semicolon is not a separator", "a=1;b=2", url.Values{"a": {"1;b=2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newForm(0)
			f.parseQuery(tt.in)
			assert.Equal(t, tt.want, f.values)
		})
	}
}

func TestMergeForms(t *testing.T) {
	tests := []struct {
		name        string
		query, body url.Values
		want        url.Values
	}{
		{"both nil", nil, nil, url.Values{}},
		{"query only", url.Values{"a": {"1"}}, nil, url.Values{"a": {"1"}}},
		{"body only", nil, url.Values{"a": {"1"}}, url.Values{"a": {"1"}}},
		{"body wins key by key", url.Values{"a": {"q"}, "b": {"q"}}, url.Values{"a": {"b"}, "c": {"b"}}, url.Values{"a": {"b"}, "b": {"q"}, "c": {"b"}}},
		{"body list replaces query list", url.Values{"a": {"1", "2", "3"}}, url.Values{"a": {"9"}}, url.Values{"a": {"9"}}},
		{"empty values dropped", url.Values{"a": {"", "1", ""}}, nil, url.Values{"a": {"1"}}},
		{"keys with only empties removed", url.Values{"a": {""}, "b": {"", ""}}, url.Values{"c": {""}}, url.Values{}},
		{"empty body value blanks the query value", url.Values{"a": {"1"}}, url.Values{"a": {""}}, url.Values{}},
		{"body with empties keeps the rest", url.Values{"a": {"q"}}, url.Values{"a": {"", "b"}}, url.Values{"a": {"b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mergeForms(tt.query, tt.body))
		})
	}
}

func TestMergeFormsLeavesInputsAlone(t *testing.T) {
	query := url.Values{"a": {"", "1"}}
	body := url.Values{"b": {"2", ""}}
	out := mergeForms(query, body)
	out["a"][0] = "changed"
	out["b"][0] = "changed"
	assert.Equal(t, url.Values{"a": {"", "1"}}, query)
	assert.Equal(t, url.Values{"b": {"2", ""}}, body)
}

// TestReadParams checks what readParams hands on for each transport.
func TestReadParams(t *testing.T) {
	srv, _ := newTestServer(t)
	multiBody, multiCT := formTestMultipart(t, [][2]string{
		{"a", "1"}, {"list[]", "x"}, {"list[]", "y"}, {"empty", ""}, {"sp ace", "v"},
	})
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		want        url.Values
	}{
		{"urlencoded POST", http.MethodPost, "/includes/api.php", "application/x-www-form-urlencoded",
			"a=1&list[]=x&list[]=y&empty=&sp+ace=v", url.Values{"a": {"1"}, "list": {"x", "y"}, "sp_ace": {"v"}}},
		{"urlencoded with charset", http.MethodPost, "/includes/api.php", "application/x-www-form-urlencoded; charset=UTF-8",
			"a=1", url.Values{"a": {"1"}}},
		{"content type in capitals", http.MethodPost, "/includes/api.php", "Application/X-WWW-Form-URLEncoded",
			"a=1", url.Values{"a": {"1"}}},
		{"GET query only", http.MethodGet, "/includes/api.php?a=1&list%5B%5D=x&list%5B%5D=y", "",
			"", url.Values{"a": {"1"}, "list": {"x", "y"}}},
		{"query and body, body wins", http.MethodPost, "/includes/api.php?a=q&b=q&list[]=q", "application/x-www-form-urlencoded",
			"a=b&c=b&list[]=b1&list[]=b2", url.Values{"a": {"b"}, "b": {"q"}, "c": {"b"}, "list": {"b1", "b2"}}},
		{"empty body value blanks a query value", http.MethodPost, "/includes/api.php?a=q&b=q", "application/x-www-form-urlencoded",
			"a=", url.Values{"b": {"q"}}},
		{"multipart/form-data", http.MethodPost, "/includes/api.php", multiCT,
			multiBody.String(), url.Values{"a": {"1"}, "list": {"x", "y"}, "sp_ace": {"v"}}},
		{"multipart and query, body wins", http.MethodPost, "/includes/api.php?a=q&z=q", multiCT,
			multiBody.String(), url.Values{"a": {"1"}, "list": {"x", "y"}, "sp_ace": {"v"}, "z": {"q"}}},
		{"other content type: body ignored", http.MethodPost, "/includes/api.php?a=q", "text/plain",
			"b=1", url.Values{"a": {"q"}}},
		{"no content type: body ignored", http.MethodPost, "/includes/api.php?a=q", "",
			"b=1", url.Values{"a": {"q"}}},
		{"JSON body ignored", http.MethodPost, "/includes/api.php?a=q", "application/json",
			`{"b":"1"}`, url.Values{"a": {"q"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			params, _, aerr := srv.readParams(httptest.NewRecorder(), req)
			require.Nil(t, aerr)
			assert.Equal(t, tt.want, params)
		})
	}
}

// TestReadParamsFieldBudget: MaxFields bounds the fields of a whole
// request, query string and body together; more is a 400, not a silent cut.
func TestReadParamsFieldBudget(t *testing.T) {
	_, db := newTestServer(t)
	srv, err := newServer(context.Background(), db, Options{MaxFields: 3})
	require.NoError(t, err)
	tests := []struct {
		name    string
		query   string
		body    string
		tooMany bool
		want    url.Values
	}{
		{"body at the limit", "", "a=1&b=2&c=3", false, url.Values{"a": {"1"}, "b": {"2"}, "c": {"3"}}},
		{"query and body at the limit", "a=1", "b=2&c=3", false, url.Values{"a": {"1"}, "b": {"2"}, "c": {"3"}}},
		{"body over", "", "a=1&b=2&c=3&d=4&e=5", true, nil},
		{"query over", "a=1&b=2&c=3&d=4", "", true, nil},
		{"query then body over", "a=1&b=2", "c=3&d=4&e=5", true, nil},
		{"query uses the whole budget", "a=1&b=2&c=3", "d=4&e=5", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/includes/api.php?"+tt.query, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			params, _, aerr := srv.readParams(httptest.NewRecorder(), req)
			if tt.tooMany {
				require.NotNil(t, aerr)
				assert.Equal(t, http.StatusBadRequest, aerr.Status)
				assert.Contains(t, aerr.Message, "Too many input fields: the limit is 3")
				return
			}
			require.Nil(t, aerr)
			assert.Equal(t, tt.want, params)
		})
	}
}

// TestReadParamsEndToEnd sends ListOAuthCredentials over each transport
// with a bad sortField, which the action echoes in its error message: the
// message shows which value reached the action.
func TestReadParamsEndToEnd(t *testing.T) {
	srv, _ := newTestServer(t)
	envelope := append([][2]string{{"action", "ListOAuthCredentials"}, {"responsetype", "json"}}, formTestAuthPairs...)
	withSort := func(v string) [][2]string {
		return append(append([][2]string{}, envelope...), [2]string{"sortField", v})
	}
	multiBody, multiCT := formTestMultipart(t, withSort("from-multipart"))
	multiBody2, multiCT2 := formTestMultipart(t, [][2]string{{"sortField", "from-multipart-body"}})
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		wantSort    string // "" for a successful list
	}{
		{"urlencoded POST", http.MethodPost, "/includes/api.php", "application/x-www-form-urlencoded",
			formTestRaw(withSort("from-body")), "from-body"},
		{"GET query only", http.MethodGet, "/includes/api.php?" + formTestRaw(withSort("from-query")), "",
			"", "from-query"},
		{"query and body, body wins", http.MethodPost, "/includes/api.php?" + formTestRaw(withSort("from-query")),
			"application/x-www-form-urlencoded", "sortField=from-body", "from-body"},
		{"envelope in body, parameter in query", http.MethodPost, "/includes/api.php?sortField=from-query",
			"application/x-www-form-urlencoded", formTestRaw(envelope), "from-query"},
		{"empty body value counts as absent", http.MethodPost, "/includes/api.php?" + formTestRaw(withSort("from-query")),
			"application/x-www-form-urlencoded", "sortField=", ""},
		{"multipart/form-data", http.MethodPost, "/includes/api.php", multiCT,
			multiBody.String(), "from-multipart"},
		{"multipart body wins over query", http.MethodPost, "/includes/api.php?" + formTestRaw(withSort("from-query")), multiCT2,
			multiBody2.String(), "from-multipart-body"},
		{"sub-folder install", http.MethodPost, "/billing/includes/api.php", "application/x-www-form-urlencoded",
			formTestRaw(withSort("from-body")), "from-body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := formTestServe(srv, tt.method, tt.target, tt.contentType, strings.NewReader(tt.body))
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			var got struct {
				Result  string            `json:"result"`
				Message string            `json:"message"`
				Clients []json.RawMessage `json:"clients"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), rec.Body.String())
			if tt.wantSort == "" {
				assert.Equal(t, "success", got.Result, rec.Body.String())
				assert.Len(t, got.Clients, 2)
				return
			}
			assert.Equal(t, "error", got.Result)
			assert.True(t, strings.HasPrefix(got.Message, `Invalid sortField "`+tt.wantSort+`"`), got.Message)
		})
	}
}

// formTestCreate creates an authorization_code credential over HTTP with a
// raw body and returns its id.
func formTestCreate(t testing.TB, srv http.Handler, contentType string, body io.Reader) int64 {
	t.Helper()
	rec := formTestServe(srv, http.MethodPost, "/includes/api.php", contentType, body)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got struct {
		Result       string `json:"result"`
		CredentialID int64  `json:"credentialId"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), rec.Body.String())
	require.Equal(t, "success", got.Result, rec.Body.String())
	return got.CredentialID
}

func formTestCreatePairs(redirects [][2]string) [][2]string {
	pairs := append([][2]string{}, formTestAuthPairs...)
	pairs = append(pairs,
		[2]string{"action", "CreateOAuthCredential"}, [2]string{"responsetype", "json"},
		[2]string{"grantType", "authorization_code"}, [2]string{"scope", "openid email"},
		[2]string{"name", "Redirects"})
	return append(pairs, redirects...)
}

// formTestRedirects returns n redirect URIs sent as name[0], name[1]... (or
// name[] when indexed is false), and the URIs in order.
func formTestRedirects(n int, indexed bool) ([][2]string, []string) {
	var pairs [][2]string
	var uris []string
	for i := 0; i < n; i++ {
		name := "redirectUri[]"
		if indexed {
			name = fmt.Sprintf("redirectUri[%d]", i)
		}
		uri := fmt.Sprintf("https://app%d.example/callback", i)
		pairs = append(pairs, [2]string{name, uri})
		uris = append(uris, uri)
	}
	return pairs, uris
}

// TestRedirectURIArrayReachesAction: redirectUri[0]=..&redirectUri[1]=..
// reaches CreateOAuthCredential as two URIs, in order.
func TestRedirectURIArrayReachesAction(t *testing.T) {
	two := [][2]string{{"redirectUri[0]", "https://a.example/cb"}, {"redirectUri[1]", "https://b.example/cb"}}
	tests := []struct {
		name  string
		pairs [][2]string
		want  []string
	}{
		{"indexed", two, []string{"https://a.example/cb", "https://b.example/cb"}},
		{"empty brackets", [][2]string{{"redirectUri[]", "https://a.example/cb"}, {"redirectUri[]", "https://b.example/cb"}},
			[]string{"https://a.example/cb", "https://b.example/cb"}},
		{"space-separated string", [][2]string{{"redirectUri", "https://a.example/cb https://b.example/cb"}},
			[]string{"https://a.example/cb", "https://b.example/cb"}},
		{"empty item dropped", [][2]string{{"redirectUri[0]", "https://a.example/cb"}, {"redirectUri[1]", ""}, {"redirectUri[2]", "https://b.example/cb"}},
			[]string{"https://a.example/cb", "https://b.example/cb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			id := formTestCreate(t, srv, "application/x-www-form-urlencoded", strings.NewReader(formTestRaw(formTestCreatePairs(tt.pairs))))
			c := formTestCredential(t, srv, id)
			assert.Equal(t, tt.want, c.RedirectURI)
			assert.Equal(t, "Redirects", c.Name)
			assert.Equal(t, "openid email", c.Scope)
		})
	}
}

// TestRedirectURIOrderAcrossTransports: a list sent as name[0], name[1]...
// keeps its order whatever carries it. Each transport is tried a few times
// with ten URIs, so an order that depends on map iteration shows.
func TestRedirectURIOrderAcrossTransports(t *testing.T) {
	t.Parallel() // independent, and among the slowest: overlap with the rest
	const rounds = 5
	tests := []struct {
		name    string
		indexed bool
		create  func(t *testing.T, srv *Server, pairs [][2]string) int64
	}{
		{"urlencoded indexed", true, func(t *testing.T, srv *Server, pairs [][2]string) int64 {
			return formTestCreate(t, srv, "application/x-www-form-urlencoded", strings.NewReader(formTestRaw(pairs)))
		}},
		{"multipart empty brackets", false, func(t *testing.T, srv *Server, pairs [][2]string) int64 {
			body, ct := formTestMultipart(t, pairs)
			return formTestCreate(t, srv, ct, body)
		}},
		{"multipart indexed", true, func(t *testing.T, srv *Server, pairs [][2]string) int64 {
			body, ct := formTestMultipart(t, pairs)
			return formTestCreate(t, srv, ct, body)
		}},
		{"local API indexed", true, func(t *testing.T, srv *Server, pairs [][2]string) int64 {
			params := url.Values{}
			for _, p := range pairs {
				params.Add(p[0], p[1])
			}
			res := srv.Call(context.Background(), "CreateOAuthCredential", params, "")
			require.True(t, res.OK(), "%s", res.JSON())
			var got struct {
				CredentialID int64 `json:"credentialId"`
			}
			require.NoError(t, json.Unmarshal(res.JSON(), &got))
			return got.CredentialID
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newTestServer(t)
			redirects, uris := formTestRedirects(10, tt.indexed)
			var want, got [][]string
			for i := 0; i < rounds; i++ {
				id := tt.create(t, srv, formTestCreatePairs(redirects))
				want = append(want, uris)
				got = append(got, formTestCredential(t, srv, id).RedirectURI)
			}
			assert.Equal(t, want, got, "redirect URIs of %d credentials created alike", rounds)
		})
	}
}
