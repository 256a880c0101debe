package whmcsemu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hostileURLEncoded = "application/x-www-form-urlencoded"

// hostileMultipartType is the Content-Type of hostileMultipart bodies.
const hostileMultipartType = "multipart/form-data; boundary=hostile-boundary"

// hostileMultipart builds a multipart/form-data body with a fixed boundary.
func hostileMultipart(t testing.TB, pairs [][2]string) io.Reader {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.SetBoundary("hostile-boundary"))
	for _, p := range pairs {
		require.NoError(t, mw.WriteField(p[0], p[1]))
	}
	require.NoError(t, mw.Close())
	return &buf
}

// hostileCase is one hostile request and what must hold after it.
type hostileCase struct {
	name        string
	method      string // POST when empty
	target      string // /includes/api.php when empty
	contentType string
	body        func(t testing.TB) io.Reader // nil for none
	json        bool                         // responsetype=json was sent where it counts: the answer must be JSON
	writes      bool                         // the request may change the OAuth credentials
	status      int                          // 0: any status below 500
	result      string                       // "": success or error
	message     string                       // prefix of the message; "": any
	check       func(t *testing.T, srv *Server, body []byte)
}

// hostileAnswer is what a WHMCS-shaped answer says.
type hostileAnswer struct {
	result, message string
}

// hostilePairs are the demo credential and a JSON answer asked for,
// followed by more.
func hostilePairs(more ...[2]string) [][2]string {
	pairs := append([][2]string{{"responsetype", "json"}}, formTestAuthPairs...)
	return append(pairs, more...)
}

// hostileForm is hostilePairs as an hostileURLEncoded body.
func hostileForm(more ...[2]string) func(testing.TB) io.Reader {
	raw := formTestRaw(hostilePairs(more...))
	return func(testing.TB) io.Reader { return strings.NewReader(raw) }
}

// hostileRaw is a body sent as is.
func hostileRaw(s string) func(testing.TB) io.Reader {
	return func(testing.TB) io.Reader { return strings.NewReader(s) }
}

// hostileSnapshot is the database state the hostile requests must not
// change: every OAuth credential, as the local API lists them.
func hostileSnapshot(t testing.TB, srv *Server) string {
	t.Helper()
	res := srv.Call(context.Background(), "ListOAuthCredentials", nil, "")
	require.True(t, res.OK(), "%s", res.JSON())
	return string(res.JSON())
}

// hostileShape asserts the answer is WHMCS-shaped and returns its result
// and message: JSON with a result field when JSON was asked for, otherwise
// NVP starting with "result=" or an XML document.
func hostileShape(t *testing.T, ctype string, body []byte, wantJSON bool) hostileAnswer {
	t.Helper()
	s := string(body)
	if wantJSON {
		assert.Equal(t, "application/json", ctype)
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m), "not JSON: %.300q", s)
		result, _ := m["result"].(string)
		message, _ := m["message"].(string)
		assert.Contains(t, []string{"success", "error"}, result, "result of %.300q", s)
		return hostileAnswer{result, message}
	}
	switch {
	case strings.HasPrefix(s, "result="):
		assert.Equal(t, "text/plain; charset=utf-8", ctype)
		first, rest, _ := strings.Cut(s, ";")
		result := strings.TrimPrefix(first, "result=")
		message := ""
		if m, ok := strings.CutPrefix(rest, "message="); ok {
			message = m
		}
		assert.Contains(t, []string{"success", "error"}, result, "result of %.300q", s)
		return hostileAnswer{result, message}
	case strings.HasPrefix(s, "<?xml"):
		assert.Equal(t, "application/xml; charset=utf-8", ctype)
		root := encParseXML(t, s)
		require.Equal(t, "whmcsapi", root.Name)
		var a hostileAnswer
		for _, c := range root.Children {
			switch c.Name {
			case "result":
				a.result = c.Text
			case "message":
				a.message = c.Text
			}
		}
		assert.Contains(t, []string{"success", "error"}, a.result, "result of %.300q", s)
		return a
	}
	assert.Failf(t, "answer is not WHMCS-shaped", "Content-Type %q, body %.300q", ctype, s)
	return hostileAnswer{}
}

func runHostile(t *testing.T, tests []hostileCase) {
	t.Helper()
	t.Parallel() // independent, and among the slowest: overlap with the rest
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, db := newTestServer(t)
			before := hostileSnapshot(t, srv)
			method, target := tt.method, tt.target
			if method == "" {
				method = http.MethodPost
			}
			if target == "" {
				target = "/includes/api.php"
			}
			var body io.Reader
			if tt.body != nil {
				body = tt.body(t)
			}
			rec := formTestServe(srv, method, target, tt.contentType, body)

			assert.Less(t, rec.Code, 500, "status; body %.300q", rec.Body.String())
			if tt.status != 0 {
				assert.Equal(t, tt.status, rec.Code, "status; body %.300q", rec.Body.String())
			}
			a := hostileShape(t, rec.Header().Get("Content-Type"), rec.Body.Bytes(), tt.json)
			if tt.result != "" {
				assert.Equal(t, tt.result, a.result, "message %.300q", a.message)
			}
			if tt.message != "" {
				assert.True(t, strings.HasPrefix(a.message, tt.message), "message %.300q, want prefix %q", a.message, tt.message)
			}
			if tt.check != nil {
				tt.check(t, srv, rec.Body.Bytes())
			}
			if !tt.writes {
				assert.Equal(t, before, hostileSnapshot(t, srv), "the database changed")
			}
			verdict, err := db.IntegrityCheck(context.Background())
			require.NoError(t, err)
			assert.Equal(t, "ok", verdict)
		})
	}
}

const (
	hostileMsgMissingCreds  = "Invalid or missing credentials"
	hostileMsgBadSortField  = `Invalid sortField "`
	hostileMsgBadOrder      = `Order direction must be "asc" or "desc".`
	hostileMsgBadCredID     = "Invalid Credential ID provided."
	hostileMsgBadService    = "A valid Service ID is required."
	hostileMsgBadScope      = `The requested scope "" is invalid.`
	hostileMsgTooLarge      = "Request body too large"
	hostileMsgTooManyFields = "Too many input fields: the limit is 1000"
)

var (
	hostileListAction   = [2]string{"action", "ListOAuthCredentials"}
	hostileCreateAction = [2]string{"action", "CreateOAuthCredential"}
	hostileUpdateAction = [2]string{"action", "UpdateOAuthCredential"}
	hostileDeleteAction = [2]string{"action", "DeleteOAuthCredential"}
)

// hostileClients checks a successful ListOAuthCredentials JSON answer
// holds n credentials.
func hostileClients(n int) func(t *testing.T, srv *Server, body []byte) {
	return func(t *testing.T, _ *Server, body []byte) {
		var got struct {
			Clients []listedCredential `json:"clients"`
		}
		require.NoError(t, json.Unmarshal(body, &got))
		var ids []int64
		for _, c := range got.Clients {
			ids = append(ids, c.CredentialID)
		}
		assert.Len(t, ids, n, "credentials listed: %v", ids)
	}
}

// hostileCreated checks a successful CreateOAuthCredential and that the
// new credential is listed with fn's expectations.
func hostileCreated(fn func(t *testing.T, c listedCredential)) func(t *testing.T, srv *Server, body []byte) {
	return func(t *testing.T, srv *Server, body []byte) {
		var got struct {
			Result       string `json:"result"`
			CredentialID int64  `json:"credentialId"`
		}
		require.NoError(t, json.Unmarshal(body, &got))
		require.Equal(t, "success", got.Result, "%s", body)
		fn(t, formTestCredential(t, srv, got.CredentialID))
	}
}

func TestHostileEncoding(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "bad escapes in a parameter", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw(hostilePairs(hostileListAction)) + "&sortField=%zz%4%"),
			json: true, status: 200, result: "error", message: `Invalid sortField "%zz%4%"`},
		{name: "bad escape in the action", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw(hostilePairs()) + "&action=ListOAuth%zzCredentials"),
			json: true, status: 403, result: "error", message: `Invalid API Action: "listoauthzzcredentials"`},
		{name: "bad escape in the secret", contentType: hostileURLEncoded,
			body: hostileRaw("responsetype=json&action=ListOAuthCredentials&identifier=" + demoIdentifier + "&secret=%G0" + demoSecret[2:] + "%"),
			json: true, status: 403, result: "error", message: "Authentication Failed"},
		{name: "bad escapes in names", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw(hostilePairs(hostileListAction)) + "&%zz=1&%=2&%4=3&a%=4"),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "bad escapes in the query string", method: http.MethodGet,
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)) + "&x=%&y=%zz&%=1",
			json:   true, status: 200, result: "success"},
		{name: "NUL in a field name", contentType: hostileURLEncoded,
			// PHP's names end at a NUL byte: this is the field "action".
			body: hostileRaw(formTestRaw(hostilePairs()) + "&action%00=ListOAuthCredentials"),
			json: true, status: 200, result: "success"},
		{name: "NUL in the identifier", contentType: hostileURLEncoded,
			body: hostileRaw("responsetype=json&action=ListOAuthCredentials&identifier=" + demoIdentifier + "%00&secret=" + demoSecret),
			json: true, status: 403, result: "error", message: hostileMsgMissingCreds},
		{name: "NUL in the secret", contentType: hostileURLEncoded,
			body: hostileRaw("responsetype=json&action=ListOAuthCredentials&identifier=" + demoIdentifier + "&secret=" + demoSecret + "%00"),
			json: true, status: 403, result: "error", message: "Authentication Failed"},
		{name: "NUL in the action", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw(hostilePairs()) + "&action=%00"),
			json: true, status: 400, result: "error", message: "Empty action request"},
		{name: "NUL in a parameter", contentType: hostileURLEncoded,
			body: hostileForm(hostileListAction, [2]string{"sortField", "id\x00; DROP TABLE oauth_credentials"}),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField + "id\x00; DROP"},
		{name: "NUL in stored values", contentType: hostileURLEncoded, writes: true,
			body: hostileForm(hostileCreateAction, [2]string{"grantType", "authorization_code"}, [2]string{"scope", "openid"},
				[2]string{"name", "a\x00b"}, [2]string{"description", "\x00"}, [2]string{"redirectUri", "https://x.example/\x00"}),
			json: true, status: 200, result: "success", check: hostileCreated(func(t *testing.T, c listedCredential) {
				assert.Equal(t, "a\x00b", c.Name)
				assert.Equal(t, "\x00", c.Description)
				assert.Equal(t, []string{"https://x.example/\x00"}, c.RedirectURI)
			})},
		{name: "invalid UTF-8 action", contentType: hostileURLEncoded,
			body: hostileForm([2]string{"action", "\xff\xfe"}),
			json: true, status: 400, result: "error", message: "Empty action request"},
		{name: "invalid UTF-8 inside the action", contentType: hostileURLEncoded,
			body: hostileForm([2]string{"action", "List\xffOAuth\xc3Credentials"}),
			json: true, status: 200, result: "success"},
		{name: "invalid UTF-8 unknown action, NVP", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, [2]string{"action", "\xffNope\xfe"}))),
			status: 403, result: "error", message: `Invalid API Action: "nope"`},
		{name: "invalid UTF-8 parameter, JSON", contentType: hostileURLEncoded,
			body: hostileForm(hostileListAction, [2]string{"sortField", "\xff\xfe"}),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField + "\ufffd\ufffd\""},
		{name: "invalid UTF-8 parameter, XML", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, hostileListAction, [2]string{"responsetype", "xml"}, [2]string{"sortField", "<\xff]]>"}))),
			status: 200, result: "error", message: hostileMsgBadSortField + "<\ufffd]]>\""},
		{name: "invalid UTF-8 responsetype", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, hostileListAction, [2]string{"responsetype", "js\xffon"}))),
			status: 200, result: "error", message: `Unsupported API response type format "js`},
		{name: "invalid UTF-8 in stored values", contentType: hostileURLEncoded, writes: true,
			body: hostileForm(hostileCreateAction, [2]string{"grantType", "authorization_code"}, [2]string{"scope", "openid"},
				[2]string{"name", "n\xff"}, [2]string{"description", "\xc3(<&>]]>"}),
			json: true, status: 200, result: "success", check: hostileCreated(func(t *testing.T, c listedCredential) {
				assert.Equal(t, "n\ufffd", c.Name)
				assert.Equal(t, "\ufffd(<&>]]>", c.Description)
			})},
	})
}

func TestHostileSizes(t *testing.T) {
	longAction := strings.Repeat("A", 100_000)
	big := func(prefix string) func(testing.TB) io.Reader {
		return func(testing.TB) io.Reader {
			return io.MultiReader(strings.NewReader(prefix), strings.NewReader(strings.Repeat("a", 9<<20)))
		}
	}
	bigMultipart := func(t testing.TB) io.Reader {
		return hostileMultipart(t, append(hostilePairs(hostileListAction), [2]string{"pad", strings.Repeat("a", 9<<20)}))
	}
	manyFields := func(before, after [][2]string) func(testing.TB) io.Reader {
		var b strings.Builder
		b.WriteString(formTestRaw(before))
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "&f%d=%d", i, i)
		}
		if len(after) > 0 {
			b.WriteString("&" + formTestRaw(after))
		}
		s := b.String()
		return func(testing.TB) io.Reader { return strings.NewReader(s) }
	}
	manyRedirects := func() func(testing.TB) io.Reader {
		var b strings.Builder
		b.WriteString(formTestRaw(hostilePairs(hostileCreateAction, [2]string{"grantType", "authorization_code"},
			[2]string{"scope", "openid"}, [2]string{"name", "many"})))
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "&redirectUri[]=https://r%d.example/", i)
		}
		s := b.String()
		return func(testing.TB) io.Reader { return strings.NewReader(s) }
	}
	manyParts := func(t testing.TB) io.Reader {
		pairs := hostilePairs(hostileListAction)
		for i := 0; i < 5000; i++ {
			pairs = append(pairs, [2]string{fmt.Sprintf("f%d", i), "v"})
		}
		return hostileMultipart(t, pairs)
	}
	runHostile(t, []hostileCase{
		{name: "100 kB action name, JSON", contentType: hostileURLEncoded, body: hostileForm([2]string{"action", longAction}),
			json: true, status: 403, result: "error", message: `Invalid API Action: "` + strings.Repeat("a", 1000)},
		{name: "100 kB action name, NVP", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, [2]string{"action", longAction}))),
			status: 403, result: "error", message: `Invalid API Action: "aaaa`},
		{name: "100 kB action name, XML", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, [2]string{"action", longAction}, [2]string{"responsetype", "xml"}))),
			status: 403, result: "error", message: `Invalid API Action: "aaaa`},
		{name: "100 kB secret", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw([][2]string{{"responsetype", "json"}, hostileListAction, {"identifier", demoIdentifier}, {"secret", strings.Repeat("s", 100_000)}})),
			json: true, status: 403, result: "error", message: "Authentication Failed"},
		{name: "100 kB identifier", contentType: hostileURLEncoded,
			body: hostileRaw(formTestRaw([][2]string{{"responsetype", "json"}, hostileListAction, {"identifier", strings.Repeat("I", 100_000)}, {"secret", demoSecret}})),
			json: true, status: 403, result: "error", message: hostileMsgMissingCreds},
		{name: "9 MB urlencoded body", contentType: hostileURLEncoded,
			body:   big(formTestRaw(hostilePairs(hostileListAction)) + "&pad="),
			status: http.StatusRequestEntityTooLarge, result: "error", message: hostileMsgTooLarge},
		{name: "9 MB urlencoded body, JSON asked in the query", contentType: hostileURLEncoded,
			target: "/includes/api.php?responsetype=json",
			body:   big(formTestRaw(append(formTestAuthPairs, hostileListAction)) + "&pad="),
			json:   true, status: http.StatusRequestEntityTooLarge, result: "error", message: hostileMsgTooLarge},
		{name: "9 MB multipart body", contentType: hostileMultipartType, body: bigMultipart,
			status: http.StatusRequestEntityTooLarge, result: "error", message: hostileMsgTooLarge},
		{name: "9 MB JSON body is not read",
			target:      "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)),
			contentType: "application/json", body: big(`{"pad":"`),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "9 MB body without content type is not read",
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)),
			body:   big(""), json: true, status: 200, result: "success"},
		// More fields than max_input_vars: PHP drops the rest silently,
		// which hides bugs; whmcsemu refuses the request and writes nothing.
		{name: "5000 fields after the envelope", contentType: hostileURLEncoded,
			body:   manyFields(hostilePairs(hostileListAction), nil),
			status: http.StatusBadRequest, result: "error", message: hostileMsgTooManyFields},
		{name: "5000 fields before the credentials", contentType: hostileURLEncoded,
			body:   manyFields([][2]string{{"responsetype", "json"}, hostileListAction}, formTestAuthPairs),
			status: http.StatusBadRequest, result: "error", message: hostileMsgTooManyFields},
		{name: "5000 fields in the query string", method: http.MethodGet,
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)) + strings.Repeat("&f=1", 5000),
			json:   true, status: http.StatusBadRequest, result: "error", message: hostileMsgTooManyFields},
		{name: "5000 redirect URIs", contentType: hostileURLEncoded, body: manyRedirects(),
			status: http.StatusBadRequest, result: "error", message: hostileMsgTooManyFields},
		{name: "5000 multipart fields after the envelope", contentType: hostileMultipartType, body: manyParts,
			status: http.StatusBadRequest, result: "error", message: hostileMsgTooManyFields},
		{name: "10000 nested brackets", contentType: hostileURLEncoded,
			body: hostileForm(hostileListAction, [2]string{"a" + strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "x"},
				[2]string{"b" + strings.Repeat("[]", 10000), "y"}, [2]string{"c" + strings.Repeat("[", 10000), "z"}),
			json: true, status: 200, result: "success"},
	})
}

func TestHostileParameters(t *testing.T) {
	list := func(more ...[2]string) func(testing.TB) io.Reader {
		return hostileForm(append([][2]string{hostileListAction}, more...)...)
	}
	sortField := func(v string) [2]string { return [2]string{"sortField", v} }
	sortOrder := func(v string) [2]string { return [2]string{"sortOrder", v} }
	limit := func(v string) [2]string { return [2]string{"limit", v} }
	credID := func(v string) [2]string { return [2]string{"credentialId", v} }
	create := func(more ...[2]string) func(testing.TB) io.Reader {
		return hostileForm(append([][2]string{hostileCreateAction, {"name", "Hostile"}}, more...)...)
	}
	authCode := [2]string{"grantType", "authorization_code"}
	sso := [2]string{"grantType", "single_sign_on"}
	runHostile(t, []hostileCase{
		{name: "sortField with a statement", contentType: hostileURLEncoded, body: list(sortField("id; DROP TABLE oauth_credentials")),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField + "id; DROP TABLE oauth_credentials\""},
		{name: "sortField with a tautology", contentType: hostileURLEncoded, body: list(sortField("name' OR '1'='1")),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField + "name' OR '1'='1\""},
		{name: "sortField with a sub-select", contentType: hostileURLEncoded, body: list(sortField("(SELECT secret FROM oauth_credentials)")),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField},
		{name: "sortField with a direction", contentType: hostileURLEncoded, body: list(sortField("name DESC")),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField},
		{name: "sortField with a comment", contentType: hostileURLEncoded, body: list(sortField("id -- x")),
			json: true, status: 200, result: "error", message: hostileMsgBadSortField},
		{name: "sortField as an array", contentType: hostileURLEncoded, body: list(sortField("x"), [2]string{"sortField[]", "id; DROP TABLE oauth_credentials"}),
			json: true, status: 200},
		{name: "sortField known", contentType: hostileURLEncoded, body: list(sortField("createdAt")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "sortOrder with a statement", contentType: hostileURLEncoded, body: list(sortOrder("DESC; DROP TABLE oauth_credentials")),
			json: true, status: 200, result: "error", message: hostileMsgBadOrder},
		{name: "sortOrder garbage", contentType: hostileURLEncoded, body: list(sortOrder("sideways")),
			json: true, status: 200, result: "error", message: hostileMsgBadOrder},
		{name: "sortOrder quote", contentType: hostileURLEncoded, body: list(sortOrder("'")),
			json: true, status: 200, result: "error", message: hostileMsgBadOrder},
		{name: "sortOrder mixed case", contentType: hostileURLEncoded, body: list(sortOrder("dEsC")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "huge limit", contentType: hostileURLEncoded, body: list(limit("99999999999999999999999999")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "negative limit", contentType: hostileURLEncoded, body: list(limit("-1")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "hugely negative limit", contentType: hostileURLEncoded, body: list(limit("-99999999999999999999999999")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "limit one", contentType: hostileURLEncoded, body: list(limit("1")),
			json: true, status: 200, result: "success", check: hostileClients(1)},
		{name: "limit garbage", contentType: hostileURLEncoded, body: list(limit("1; DROP TABLE oauth_credentials")),
			json: true, status: 200, result: "success", check: hostileClients(1)},
		// PHP 7.1+ reads "1e1" as 10 (php.net intval: intval('1e10') is 10000000000).
		{name: "limit in exponent notation", contentType: hostileURLEncoded, body: list(limit("1e1")),
			json: true, status: 200, result: "success", check: hostileClients(2)},
		{name: "huge credentialId, delete", contentType: hostileURLEncoded, body: hostileForm(hostileDeleteAction, credID("99999999999999999999999")),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "negative credentialId, delete", contentType: hostileURLEncoded, body: hostileForm(hostileDeleteAction, credID("-1")),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "hex credentialId, delete", contentType: hostileURLEncoded, body: hostileForm(hostileDeleteAction, credID("0x1")),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "SQL credentialId, delete", contentType: hostileURLEncoded, body: hostileForm(hostileDeleteAction, credID("0 OR 1=1")),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "huge credentialId, update", contentType: hostileURLEncoded,
			body: hostileForm(hostileUpdateAction, credID("99999999999999999999999"), [2]string{"name", "x"}),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "negative credentialId, update", contentType: hostileURLEncoded,
			body: hostileForm(hostileUpdateAction, credID("-9223372036854775808"), [2]string{"name", "x"}),
			json: true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "huge serviceId, create", contentType: hostileURLEncoded, body: create(sso, [2]string{"scope", "clientarea:sso"}, [2]string{"serviceId", "99999999999999999999999"}),
			json: true, status: 200, result: "error", message: hostileMsgBadService},
		{name: "negative serviceId, create", contentType: hostileURLEncoded, body: create(sso, [2]string{"scope", "clientarea:sso"}, [2]string{"serviceId", "-1"}),
			json: true, status: 200, result: "error", message: hostileMsgBadService},
		{name: "hugely negative serviceId, create", contentType: hostileURLEncoded, body: create(sso, [2]string{"scope", "clientarea:sso"}, [2]string{"serviceId", "-99999999999999999999999"}),
			json: true, status: 200, result: "error", message: hostileMsgBadService},
		{name: "huge serviceId, update", contentType: hostileURLEncoded,
			body: hostileForm(hostileUpdateAction, credID("2"), [2]string{"serviceId", "99999999999999999999999"}),
			json: true, status: 200, result: "error", message: hostileMsgBadService},
		{name: "scope with a doubled space", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", "openid  email"}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "scope with a trailing space", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", "openid "}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "scope with a leading space", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", " openid"}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "scope of spaces", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", "   "}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "scope with a tab", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", "openid\temail"}),
			json: true, status: 200, result: "error", message: "The requested scope \"openid\temail\" is invalid."},
		{name: "scope with SQL", contentType: hostileURLEncoded, body: create(authCode, [2]string{"scope", "openid'); DROP TABLE oauth_scopes; --"}),
			json: true, status: 200, result: "error", message: `The requested scope "openid');"`},
		{name: "scope with a doubled space, update", contentType: hostileURLEncoded,
			body: hostileForm(hostileUpdateAction, credID("1"), [2]string{"scope", "openid  email"}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "scope with a trailing space, update", contentType: hostileURLEncoded,
			body: hostileForm(hostileUpdateAction, credID("1"), [2]string{"scope", "openid "}, [2]string{"name", "changed"}),
			json: true, status: 200, result: "error", message: hostileMsgBadScope},
		{name: "grant type with SQL", contentType: hostileURLEncoded, body: create([2]string{"grantType", "authorization_code' --"}, [2]string{"scope", "openid"}),
			json: true, status: 200, result: "error", message: `The requested grant type "authorization_code' --" is invalid.`},
		{name: "responsetype garbage", contentType: hostileURLEncoded,
			body:   hostileRaw(formTestRaw(append(formTestAuthPairs, hostileListAction, [2]string{"responsetype", "<script>"}))),
			status: 200, result: "error", message: `Unsupported API response type format "<script>"`},
	})
}

func TestHostileTransport(t *testing.T) {
	noBoundaryBody := hostileRaw("--x\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nListOAuthCredentials\r\n--x--\r\n")
	deleteBody := formTestRaw(append(formTestAuthPairs, hostileDeleteAction, hostileCredID1))
	runHostile(t, []hostileCase{
		{name: "multipart without boundary", contentType: "multipart/form-data", body: noBoundaryBody,
			status: 400, result: "error", message: "Malformed multipart/form-data body"},
		{name: "multipart without boundary, JSON asked in the query", contentType: "multipart/form-data",
			target: "/includes/api.php?responsetype=json", body: noBoundaryBody,
			json: true, status: 400, result: "error", message: "Malformed multipart/form-data body"},
		{name: "multipart with an empty boundary", contentType: `multipart/form-data; boundary=""`, body: noBoundaryBody,
			status: 400, result: "error"},
		{name: "multipart with the wrong boundary", contentType: "multipart/form-data; boundary=y", body: noBoundaryBody,
			result: "error"},
		{name: "multipart truncated", contentType: "multipart/form-data; boundary=x",
			body:   hostileRaw("--x\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\nListOAuth"),
			status: 400, result: "error"},
		{name: "multipart garbage", contentType: "multipart/form-data; boundary=x", body: hostileRaw("\x00\xff garbage"),
			result: "error"},
		{name: "multipart with a file part", contentType: "multipart/form-data; boundary=x",
			body: hostileRaw("--x\r\nContent-Disposition: form-data; name=\"responsetype\"\r\n\r\njson\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"identifier\"\r\n\r\n" + demoIdentifier + "\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"secret\"\r\n\r\n" + demoSecret + "\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"action\"; filename=\"action.txt\"\r\nContent-Type: text/plain\r\n\r\nDeleteOAuthCredential\r\n" +
				"--x\r\nContent-Disposition: form-data; name=\"credentialId\"\r\n\r\n1\r\n--x--\r\n"),
			json: true, status: 400, result: "error", message: "Empty action request"},
		{name: "JSON body", contentType: "application/json",
			body:   hostileRaw(`{"action":"DeleteOAuthCredential","identifier":"` + demoIdentifier + `","secret":"` + demoSecret + `","credentialId":1,"responsetype":"json"}`),
			status: 403, result: "error", message: hostileMsgMissingCreds},
		{name: "JSON body, envelope in the query", contentType: "application/json",
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileDeleteAction)),
			body:   hostileRaw(`{"credentialId":1}`),
			json:   true, status: 200, result: "error", message: hostileMsgBadCredID},
		{name: "JSON body sent as a form", contentType: hostileURLEncoded,
			body:   hostileRaw(`{"action":"DeleteOAuthCredential","identifier":"` + demoIdentifier + `","secret":"` + demoSecret + `","credentialId":1}`),
			status: 403, result: "error", message: hostileMsgMissingCreds},
		{name: "malformed content type", contentType: "application/x-www-form-urlencoded; charset", body: hostileForm(hostileListAction),
			json: true, status: 200, result: "success"},
		{name: "garbage content type", contentType: "===;;;", body: hostileRaw(deleteBody),
			status: 403, result: "error", message: hostileMsgMissingCreds},
		{name: "BREW with the request in the query", method: "BREW",
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)),
			json:   true, status: 200, result: "success", check: hostileClients(2)},
		{name: "OPTIONS with the request in the query", method: http.MethodOptions,
			target: "/includes/api.php?" + formTestRaw(hostilePairs(hostileListAction)),
			json:   true, status: 200, result: "success"},
		{name: "HEAD without fields", method: http.MethodHead,
			status: 403, result: "error", message: hostileMsgMissingCreds},
	})
}

var hostileCredID1 = [2]string{"credentialId", "1"}

// TestHostileMethodsIgnoreFormBodies: PHP fills $_POST only for POST
// (sapi_activate in main/SAPI.c), so a delete sent as a form body with
// another method reaches WHMCS without credentials and writes nothing.
func TestHostileMethodsIgnoreFormBodies(t *testing.T) {
	body := hostileRaw(formTestRaw(append(formTestAuthPairs, hostileDeleteAction, hostileCredID1)))
	var tests []hostileCase
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete, "PROPFIND", "BREW"} {
		tests = append(tests, hostileCase{
			name: m, method: m, target: "/includes/api.php?responsetype=json", contentType: hostileURLEncoded, body: body,
			json: true, status: 403, result: "error", message: hostileMsgMissingCreds,
		})
	}
	runHostile(t, tests)
}
