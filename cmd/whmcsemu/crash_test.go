package main

// Crash safety against the command in a process of its own (crashBinary):
// concurrent writers create OAuth credentials over HTTP, the process is
// killed with SIGKILL at a random moment, and every write that was
// acknowledged must be there afterwards
// (read from a copy of the files the killed process left, with the store,
// and over the API of a restarted process), with SQLite's integrity_check
// "ok". Repeated on the same database.
//
// WHMCSEMU_CRASH_ITERATIONS sets the number of kills (default 5, which
// keeps CI fast); a longer run:
//
//	WHMCSEMU_CRASH_ITERATIONS=200 go test -run '^TestCrashSafety$' -v -count=1 ./cmd/whmcsemu
//
// The helpers here (crashBinary, crashStart, crashPost, ...) are shared by
// load_test.go and badenv_test.go.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// crashDemo is the demo fixture, relative to this package's directory.
var crashDemo = filepath.Join("..", "..", "testdata", "fixtures", "demo.json")

// The demo fixture's full-access API credential.
const (
	crashIdentifier = "DemoIdentifier000000000000000001"
	crashSecret     = "DemoSecret0000000000000000000001"
)

// crashStartTimeout bounds how long a binary may take to start serving
// (a race-enabled build on a busy 2-core machine is slow).
const crashStartTimeout = 2 * time.Minute

// crashExitTimeout bounds how long a signalled binary may take to exit.
const crashExitTimeout = time.Minute

// crashEnvInt reads a positive whole number from the environment, or def.
func crashEnvInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "%s=%q", name, v)
	require.Positive(t, n, "%s=%q", name, v)
	return n
}

// crashRaceBuild reports whether this test binary was built with -race;
// the server binary is then built with it too (which also reuses the
// packages this test binary compiled).
func crashRaceBuild() bool {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" && s.Value == "true" {
			return true
		}
	}
	return false
}

// crashBinary returns the path of an executable that runs this command:
// this test binary itself, which TestMain turns into the command when
// asCommand is set (the same main, compiled with the race detector when
// the tests are), behind a two-line script that sets it. Building the
// command apart would link it again for seconds (for tens of seconds under
// -race); CI's SDK and PHP acceptance runs use a real go build.
func crashBinary(t *testing.T) string {
	t.Helper()
	path, err := commandScript()
	require.NoError(t, err)
	return path
}

// asCommand is the variable that makes this test binary run main.
const asCommand = "WHMCSEMU_TEST_AS_COMMAND"

// commandScript writes the script once per test process, in scriptDir.
var (
	scriptDir     string
	commandScript = sync.OnceValues(func() (string, error) {
		self, err := os.Executable()
		if err != nil {
			return "", err
		}
		if scriptDir, err = os.MkdirTemp("", "whmcsemu-test-bin-"); err != nil {
			return "", err
		}
		path := filepath.Join(scriptDir, "whmcsemu")
		script := fmt.Sprintf("#!/bin/sh\n%s=1 exec %s \"$@\"\n", asCommand, strconv.Quote(self))
		return path, os.WriteFile(path, []byte(script), 0o700)
	})
)

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		main() // exits
	}
	code := m.Run()
	if scriptDir != "" {
		os.RemoveAll(scriptDir)
	}
	os.Exit(code)
}

// crashBuffer is an io.Writer a process's output and the test share.
type crashBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *crashBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *crashBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// crashServer is a running whmcsemu binary.
type crashServer struct {
	cmd    *exec.Cmd
	url    string
	stderr *crashBuffer
	client *http.Client
	exited chan struct{} // closed once the process has exited
	err    error         // cmd.Wait's result, once exited is closed
}

// crashStart starts bin with args and waits for its "listening" line.
// The process is killed at the end of the test if it still runs.
func crashStart(t *testing.T, bin string, args ...string) *crashServer {
	t.Helper()
	s := &crashServer{
		cmd:    exec.Command(bin, args...),
		stderr: &crashBuffer{},
		exited: make(chan struct{}),
		client: &http.Client{
			Transport: &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128},
			Timeout:   time.Minute,
		},
	}
	s.cmd.Stderr = s.stderr
	stdout, err := s.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, s.cmd.Start())
	ready := make(chan string, 1)
	go func() {
		br := bufio.NewReader(stdout)
		line, _ := br.ReadString('\n')
		ready <- line
		_, _ = io.Copy(io.Discard, br)
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.client.CloseIdleConnections()
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	select {
	case line := <-ready:
		u, ok := strings.CutPrefix(strings.TrimSpace(line), "whmcsemu listening on ")
		if !ok {
			<-s.exited
			t.Fatalf("%s did not start (%v): stdout %q, stderr:\n%s", bin, s.err, line, s.stderr.String())
		}
		s.url = u
	case <-time.After(crashStartTimeout):
		t.Fatalf("%s did not start within %v; stderr:\n%s", bin, crashStartTimeout, s.stderr.String())
	}
	return s
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *crashServer) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGKILL))
	select {
	case <-s.exited:
	case <-time.After(crashExitTimeout):
		t.Fatalf("the process did not die within %v of SIGKILL", crashExitTimeout)
	}
	s.client.CloseIdleConnections()
}

// terminate sends SIGTERM and returns the exit code.
func (s *crashServer) terminate(t *testing.T) int {
	t.Helper()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	return s.waitExit(t)
}

// waitExit waits for the process to exit and returns its exit code.
func (s *crashServer) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-s.exited:
	case <-time.After(crashExitTimeout):
		t.Fatalf("the process did not exit within %v; stderr:\n%s", crashExitTimeout, s.stderr.String())
	}
	s.client.CloseIdleConnections()
	var exitErr *exec.ExitError
	if errors.As(s.err, &exitErr) {
		return exitErr.ExitCode()
	}
	require.NoError(t, s.err)
	return s.cmd.ProcessState.ExitCode()
}

// crashAnswer is a decoded JSON API answer.
type crashAnswer struct {
	status int
	body   []byte
	fields map[string]any
}

func (a crashAnswer) result() string  { s, _ := a.fields["result"].(string); return s }
func (a crashAnswer) message() string { s, _ := a.fields["message"].(string); return s }

func (a crashAnswer) int(key string) int64 {
	f, _ := a.fields[key].(float64)
	return int64(f)
}

// crashPost sends an API request with the full-access demo credential and
// responsetype=json. A transport error or an answer that is not JSON is an
// error; a WHMCS error answer is not.
func crashPost(ctx context.Context, client *http.Client, base string, form url.Values) (crashAnswer, error) {
	out := url.Values{"identifier": {crashIdentifier}, "secret": {crashSecret}, "responsetype": {"json"}}
	for k, v := range form {
		out[k] = v
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/includes/api.php", strings.NewReader(out.Encode()))
	if err != nil {
		return crashAnswer{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return crashAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return crashAnswer{status: resp.StatusCode}, fmt.Errorf("status %d, reading the body: %w", resp.StatusCode, err)
	}
	a := crashAnswer{status: resp.StatusCode, body: body}
	if err := json.Unmarshal(body, &a.fields); err != nil {
		return a, fmt.Errorf("status %d, not JSON (%v): %.300q", resp.StatusCode, err, body)
	}
	return a, nil
}

// crashList returns every OAuth credential's name by id, over the API.
func crashList(t *testing.T, s *crashServer) map[int64]string {
	t.Helper()
	a, err := crashPost(context.Background(), s.client, s.url, url.Values{"action": {"ListOAuthCredentials"}})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	require.Equal(t, "success", a.result(), "%s", a.body)
	var list struct {
		Clients []struct {
			CredentialID int64  `json:"credentialId"`
			Name         string `json:"name"`
		} `json:"clients"`
	}
	require.NoError(t, json.Unmarshal(a.body, &list))
	out := map[int64]string{}
	for _, c := range list.Clients {
		out[c.CredentialID] = c.Name
	}
	return out
}

// crashStoreState opens a database file with the store (no server holds
// it) and returns its integrity_check verdict and OAuth credential names.
func crashStoreState(t *testing.T, path string) (verdict string, names map[int64]string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	require.NoError(t, err, "opening the database the killed process left")
	defer func() { require.NoError(t, db.Close()) }()
	verdict, err = db.IntegrityCheck(ctx)
	require.NoError(t, err)
	names = map[int64]string{}
	require.NoError(t, db.View(ctx, func(tx *store.Tx) error {
		creds, err := tx.OAuthCredentials(ctx, store.OAuthFilter{})
		for _, c := range creds {
			names[c.ID] = c.Name
		}
		return err
	}))
	return verdict, names
}

// crashCopyDB copies a database and its -wal and -shm companions, as the
// killed process left them, into dir and returns the copy's path.
func crashCopyDB(t *testing.T, path, dir string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(dir, 0o700))
	dst := filepath.Join(dir, filepath.Base(path))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(dst+suffix, data, 0o600))
	}
	return dst
}

// crashWriters runs n goroutines that create OAuth credentials with
// distinct names until stop is closed, and returns what was acknowledged
// (HTTP 200 with result success) by credential id. An answer that is an
// error, or not JSON, fails the test; a transport error (the process was
// killed or is stopping) ends that request with an unknown outcome.
type crashWriters struct {
	mu        sync.Mutex
	acked     map[int64]string
	unknown   int // requests with no answer: outcome unknown
	refused   int // of those, refused connections (no server listening)
	requests  int
	wg        sync.WaitGroup
	stop      chan struct{}
	ackedSeen chan struct{} // closed at the first acknowledgement
	seenOnce  sync.Once
}

// crashMaxWrites bounds each writer's loop.
const crashMaxWrites = 100_000

func startCrashWriters(t *testing.T, s *crashServer, n int, prefix string) *crashWriters {
	w := &crashWriters{acked: map[int64]string{}, stop: make(chan struct{}), ackedSeen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-w.stop; cancel() }()
	for g := range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for i := range crashMaxWrites {
				select {
				case <-w.stop:
					return
				default:
				}
				name := fmt.Sprintf("%s-w%d-%d", prefix, g, i)
				a, err := crashPost(ctx, s.client, s.url, url.Values{"action": {"CreateOAuthCredential"},
					"grantType": {"authorization_code"}, "name": {name}, "scope": {"openid email"},
					"redirectUri[]": {"https://crash.example/" + name}})
				w.mu.Lock()
				w.requests++
				switch {
				case err != nil:
					w.unknown++
					if errors.Is(err, syscall.ECONNREFUSED) {
						w.refused++
					}
					w.mu.Unlock()
					select {
					case <-w.stop:
						return
					case <-s.exited:
						return
					case <-time.After(10 * time.Millisecond): // not yet stopping: try again
					}
					continue
				case a.status == http.StatusOK && a.result() == "success" && a.int("credentialId") > 0:
					id := a.int("credentialId")
					if prev, dup := w.acked[id]; dup {
						t.Errorf("credentialId %d acknowledged twice: %q and %q", id, prev, name)
					}
					w.acked[id] = name
					w.seenOnce.Do(func() { close(w.ackedSeen) })
				default:
					t.Errorf("create %s answered %d: %s", name, a.status, a.body)
				}
				w.mu.Unlock()
			}
		}()
	}
	return w
}

// finish stops the writers and returns the acknowledged credentials.
func (w *crashWriters) finish() map[int64]string {
	close(w.stop)
	w.wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.acked
}

func TestCrashSafety(t *testing.T) {
	t.Parallel() // it waits on processes of its own most of the time
	// Fewer kills under -race, whose binary starts slowly; the plain run
	// makes 5.
	iterations := crashEnvInt(t, "WHMCSEMU_CRASH_ITERATIONS", map[bool]int{false: 5, true: 3}[crashRaceBuild()])
	const writers = 8
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 6))
	t.Logf("seed %d (kill moments), %d iterations, %d writers", seed, iterations, writers)

	bin := crashBinary(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "state.db")
	args := func(level string) []string {
		return []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--fixtures", crashDemo,
			"--ban-after", "0", "--log-level", level}
	}

	all := map[int64]string{} // every acknowledged credential, over all iterations
	totalRequests, totalUnknown := 0, 0
	for iter := range iterations {
		s := crashStart(t, bin, args("warn")...)
		w := startCrashWriters(t, s, writers, fmt.Sprintf("crash%d", iter))
		// A random moment: 0-600 ms after the first acknowledged write.
		select {
		case <-w.ackedSeen:
		case <-time.After(time.Minute):
			t.Fatalf("iteration %d: no write acknowledged within a minute; stderr:\n%s", iter, s.stderr.String())
		}
		delay := time.Duration(rng.Int64N(int64(600 * time.Millisecond)))
		time.Sleep(delay)
		s.kill(t)
		acked := w.finish()
		assert.NotContains(t, s.stderr.String(), "panic", "iteration %d", iter)
		assert.NotContains(t, s.stderr.String(), "DATA RACE", "iteration %d", iter)
		for id, name := range acked {
			if prev, dup := all[id]; dup {
				t.Errorf("iteration %d: credentialId %d acknowledged again (%q, before %q)", iter, id, name, prev)
			}
			all[id] = name
		}
		totalRequests += w.requests
		totalUnknown += w.unknown

		// The files as the kill left them, read with the store.
		copyPath := crashCopyDB(t, dbPath, filepath.Join(dir, fmt.Sprintf("killed-%d", iter)))
		verdict, stored := crashStoreState(t, copyPath)
		assert.Equal(t, "ok", verdict, "iteration %d: integrity_check after SIGKILL", iter)
		crashCheckAll(t, fmt.Sprintf("iteration %d, store after SIGKILL", iter), all, stored)

		// The process restarted on the same files.
		s2 := crashStart(t, bin, args("info")...)
		listed := crashList(t, s2)
		crashCheckAll(t, fmt.Sprintf("iteration %d, API after restart", iter), all, listed)
		assert.GreaterOrEqual(t, len(listed), 2+len(all), "the fixture's 2 and every acknowledged create")
		assert.Equal(t, 0, s2.terminate(t), "iteration %d: exit code after SIGTERM; stderr:\n%s", iter, s2.stderr.String())
		assert.Contains(t, s2.stderr.String(), "fixtures already loaded", "iteration %d: the fixture was loaded again", iter)
		t.Logf("iteration %d: killed %v after the first acknowledgement; %d requests, %d acknowledged, %d without answer; %d acknowledged in all, all present; integrity ok",
			iter, delay.Round(time.Millisecond), w.requests, len(acked), w.unknown, len(all))
		if t.Failed() {
			break
		}
	}
	verdict, stored := crashStoreState(t, dbPath)
	assert.Equal(t, "ok", verdict)
	crashCheckAll(t, "at the end", all, stored)
	t.Logf("%d kills survived with nothing lost: %d acknowledged writes (of %d requests; %d cut off by a kill, outcome unknown)",
		iterations, len(all), totalRequests, totalUnknown)
}

// crashCheckAll checks that got holds every acknowledged credential with
// its name.
func crashCheckAll(t *testing.T, where string, acked, got map[int64]string) {
	t.Helper()
	missing := 0
	for id, name := range acked {
		if got[id] != name {
			missing++
			if missing <= 10 {
				t.Errorf("%s: acknowledged credential %d %q is %q", where, id, name, got[id])
			}
		}
	}
	if missing > 0 {
		t.Errorf("%s: %d of %d acknowledged credentials lost", where, missing, len(acked))
	}
}
