package whmcsemu

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// A golden case is testdata/golden/<Action>/<case>.form: the request, one
// "key=value" line per field (values raw, PHP bracket keys allowed; "#"
// starts a comment). Lines of "---" separate steps run in order on one
// emulator in its starting state; the last step's answer is the golden one. Directives:
//
//	@noauth          do not add the demo full-access credential
//	@get             send the fields as a GET query instead of a POST body
//	@fixture FILE    apply this fixture (relative to testdata/fixtures) after the demo one
//
// Without a responsetype field, the last step runs three times, with
// responsetype json, xml and nvp; with one, it runs once as written. The
// answers are <case>.json, <case>.xml and <case>.nvp (named by the
// Content-Type that came back) and <case>.http lists the status and
// Content-Type of each run.
//
// Every case runs in-process (ServeHTTP) in every response type: the
// first on an emulator in its starting state (new, or reset after an
// earlier case: servers), each next one on the same emulator after Reset,
// which must give the same answers as a new one (so the matrix checks
// Reset as well), or, when the last step is a read (reads), that
// step alone again. Cases that authenticate with the demo credential also
// run through the local API (Call) the same way, whose JSON must be the
// same bytes as the JSON over HTTP (but for the IP allow-list cases:
// the local API has no caller address). A share of the cases (socketCase)
// also run over a real socket, whose status, Content-Type and body must
// match in-process ones: the socket adds net/http's own reading and
// writing, the same for every action. Under -race only that share runs,
// once each, in-process, in its first response type.
type goldenCase struct {
	path    string
	steps   []url.Values
	noAuth  bool
	get     bool
	fixture string
}

func readCase(t *testing.T, path string) goldenCase {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	c := goldenCase{path: path, steps: []url.Values{{}}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case line == "---":
			c.steps = append(c.steps, url.Values{})
		case line == "@noauth":
			c.noAuth = true
		case line == "@get":
			c.get = true
		case strings.HasPrefix(line, "@fixture "):
			c.fixture = strings.TrimPrefix(line, "@fixture ")
		default:
			k, v, ok := strings.Cut(line, "=")
			require.True(t, ok, "%s: line %q is not key=value", path, line)
			step := c.steps[len(c.steps)-1]
			step[k] = append(step[k], v)
		}
	}
	require.NoError(t, sc.Err())
	return c
}

// answer is one HTTP answer.
type answer struct {
	status int
	ctype  string
	body   []byte
}

// transport sends a form to an emulator and returns the answer.
type transport func(srv *Server, form url.Values, get bool) answer

func viaSocket(t *testing.T) transport {
	return func(srv *Server, form url.Values, get bool) answer {
		ts := httptest.NewServer(srv)
		defer ts.Close()
		var resp *http.Response
		var err error
		if get {
			resp, err = http.Get(ts.URL + "/includes/api.php?" + form.Encode())
		} else {
			resp, err = http.PostForm(ts.URL+"/includes/api.php", form)
		}
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return answer{resp.StatusCode, resp.Header.Get("Content-Type"), body}
	}
}

func inProcess(srv *Server, form url.Values, get bool) answer {
	var req *http.Request
	if get {
		req = httptest.NewRequest(http.MethodGet, "/includes/api.php?"+form.Encode(), nil)
	} else {
		req = httptest.NewRequest(http.MethodPost, "/includes/api.php", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.RemoteAddr = "127.0.0.1:50000" // as over the socket, for the IP allow-list
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()}
}

// servers keeps the emulators cases ran on, by fixture, for the next case
// that asks for the same fixture: Reset puts an emulator back as a fresh
// one starts (what every case's second run checks), and a used emulator
// spares the next case opening a database and preparing its statements,
// most of what a case cost. A case that depended on its emulator being
// new rather than reset would fail whichever case ran before it.
type servers struct {
	dir    string
	mu     sync.Mutex
	free   map[string][]*Server
	made   int
	opened []*store.DB
}

func newServers(t *testing.T) *servers {
	p := &servers{dir: t.TempDir(), free: map[string][]*Server{}}
	t.Cleanup(func() {
		for _, db := range p.opened {
			db.Close()
		}
	})
	return p
}

// get returns an emulator in its starting state with the demo fixture and
// the case's own fixture loaded.
func (p *servers) get(t *testing.T, c goldenCase) *Server {
	p.mu.Lock()
	if free := p.free[c.fixture]; len(free) > 0 {
		srv := free[len(free)-1]
		p.free[c.fixture] = free[:len(free)-1]
		p.mu.Unlock()
		return srv
	}
	p.made++
	dir := filepath.Join(p.dir, fmt.Sprint(p.made))
	p.mu.Unlock()
	require.NoError(t, os.Mkdir(dir, 0o755))
	srv, db, err := openTestServer(dir, demoFixture)
	require.NoError(t, err)
	p.mu.Lock()
	p.opened = append(p.opened, db)
	p.mu.Unlock()
	if c.fixture != "" {
		// Loaded (not only applied), so that Reset restores it.
		data, err := os.ReadFile(filepath.Join("testdata", "fixtures", c.fixture))
		require.NoError(t, err)
		require.NoError(t, srv.LoadFixture(context.Background(), data))
	}
	return srv
}

// put resets srv and keeps it for the next case with the same fixture.
func (p *servers) put(t *testing.T, c goldenCase, srv *Server) {
	reset(t, srv)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free[c.fixture] = append(p.free[c.fixture], srv)
}

// reset puts srv back as it started, for the next run of a case.
func reset(t *testing.T, srv *Server) {
	require.NoError(t, srv.Reset(context.Background()))
}

// reads says whether the case's last step is a read (an action named
// Get… or List…), which leaves the state as it found it: the runs after
// the first then play that step alone again on the same emulator, without
// a Reset. A read that changed the state would show in the next run's
// answer, which must still match the golden file.
func (c goldenCase) reads() bool {
	action := strings.ToLower(c.steps[len(c.steps)-1].Get("action"))
	return strings.HasPrefix(action, "get") || strings.HasPrefix(action, "list")
}

// form is a step's fields plus the demo credential unless told otherwise.
func (c goldenCase) form(step url.Values, responseType string) url.Values {
	out := url.Values{}
	if !c.noAuth {
		out.Set("identifier", demoIdentifier)
		out.Set("secret", demoSecret)
	}
	for k, v := range step {
		out[k] = v
	}
	if responseType != "" {
		out.Set("responsetype", responseType)
	}
	return out
}

// run plays the steps from the first-th on srv and returns the last
// answer: every step on a fresh or just reset emulator (first 0), or the
// last step alone again after a read.
func (c goldenCase) run(srv *Server, send transport, responseType string, first int) answer {
	var last answer
	for i, step := range c.steps {
		if i < first {
			continue
		}
		rt := ""
		if i == len(c.steps)-1 {
			rt = responseType
		} else if len(step["responsetype"]) == 0 {
			rt = "json"
		}
		last = send(srv, c.form(step, rt), c.get)
	}
	return last
}

// runLocal plays the steps from the first-th on srv through the local API
// and returns the last JSON.
func (c goldenCase) runLocal(srv *Server, first int) []byte {
	var last []byte
	for i, step := range c.steps {
		if i < first {
			continue
		}
		params := url.Values{}
		for k, v := range step {
			params[k] = v
		}
		action := params.Get("action")
		params.Del("action")
		params.Del("responsetype")
		last = srv.Call(context.Background(), action, params, "admin").JSON()
	}
	return last
}

func extension(ctype string) string {
	mt, _, _ := mime.ParseMediaType(ctype)
	switch mt {
	case "application/json":
		return ".json"
	case "application/xml":
		return ".xml"
	}
	return ".nvp"
}

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob(filepath.Join("testdata", "golden", "*", "*.form"))
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	sockets := socketCases(cases)
	pool := newServers(t)
	for _, path := range cases {
		if raceEnabled && !sockets[path] {
			// Under the race detector only the socket share of the cases
			// (every action, every framework case) runs: the detector slows
			// SQLite (pure Go) about tenfold, and the whole matrix is
			// checked by the plain run of the package.
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path, filepath.Join("testdata", "golden")+string(filepath.Separator)), ".form")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := readCase(t, path)
			base := strings.TrimSuffix(path, ".form")
			responseTypes := []string{"json", "xml", "nvp"}
			if _, ok := c.steps[len(c.steps)-1]["responsetype"]; ok {
				responseTypes = []string{""}
			}
			srv := pool.get(t, c)
			defer pool.put(t, c, srv)
			if raceEnabled {
				// Once, in-process, in its first response type.
				got := c.run(srv, inProcess, responseTypes[0], 0)
				checkGolden(t, base+extension(got.ctype), got.body)
				return
			}
			// again makes srv ready for the next run and says from which
			// step that run plays.
			again := func() int {
				if c.reads() {
					return len(c.steps) - 1
				}
				reset(t, srv)
				return 0
			}
			var meta bytes.Buffer
			for i, rt := range responseTypes {
				first := 0
				if i > 0 {
					first = again()
				}
				got := c.run(srv, inProcess, rt, first)
				ext := extension(got.ctype)
				fmt.Fprintf(&meta, "%s %d %s\n", orDefault(rt), got.status, got.ctype)
				checkGolden(t, base+ext, got.body)
				if i == 0 && sockets[path] {
					// Over a real socket too: the transport is the same for
					// every response type.
					socket := c.run(srv, viaSocket(t), rt, again())
					assert.Equal(t, got.status, socket.status, "socket status (%s)", rt)
					assert.Equal(t, got.ctype, socket.ctype, "socket Content-Type (%s)", rt)
					assert.Equal(t, string(got.body), string(socket.body), "socket body (%s)", rt)
				}
				if ext == ".json" && !c.noAuth && !strings.HasPrefix(c.fixture, "allowlist") {
					assert.Equal(t, string(got.body), string(c.runLocal(srv, again())), "local API JSON")
				}
			}
			checkGolden(t, base+".http", meta.Bytes())
		})
	}
}

// socketCases picks the cases that also run over a real socket: every
// framework case (methods, bodies, encodings, authentication and response
// types: what the transport carries), every case that does not send the
// demo credential or sends a GET, and the first case of each action, so
// that every action and every way a request reaches the API crosses a
// socket at least once. The choice depends on the files alone.
func socketCases(paths []string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]bool{}
	for _, path := range paths { // sorted: Glob sorts
		dir := filepath.Base(filepath.Dir(path))
		data, err := os.ReadFile(path)
		special := err != nil || bytes.Contains(data, []byte("\n@noauth")) || bytes.HasPrefix(data, []byte("@noauth")) ||
			bytes.Contains(data, []byte("\n@get")) || bytes.HasPrefix(data, []byte("@get"))
		if dir == "framework" || special || !seen[dir] {
			out[path] = true
		}
		seen[dir] = true
	}
	return out
}

func orDefault(rt string) string {
	if rt == "" {
		return "as-sent"
	}
	return rt
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -run TestGolden -update")
	assert.Equal(t, string(want), string(got), "golden %s", path)
}
