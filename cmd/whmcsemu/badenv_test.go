//go:build linux

package main

// Bad environments, against the command in a process of its own: a database path that cannot
// be written, a corrupt or truncated database file, a disk that fills up.
// Each gives a clear error at start and a non-zero exit, or (once serving)
// a WHMCS-style error per request; never a hang (every run is bounded by a
// timeout) or a panic.
//
// Tests run as root here, where file permissions (chmod 0500) do not stop
// a write, so an unwritable path is one under a regular file (ENOTDIR), a
// directory, sysfs (which refuses new files to root too) or a /proc file.
//
// A full disk is simulated with RLIMIT_FSIZE (set with prlimit(2) on the
// running server, or before exec for start-up): a write that would make a
// file larger fails with EFBIG, which SQLite reports as a disk I/O error,
// as it does ENOSPC on a full disk (SQLITE_FULL). SQLite's max_page_count
// cannot do it from outside: it is a per-connection pragma the server
// would have to set itself.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
)

// badenvTimeout bounds one run of the binary that must fail at start.
const badenvTimeout = 90 * time.Second

// badenvRun runs bin with args (and, when fsize > 0, a file size limit of
// fsize bytes from its start) and returns its exit code and output. A run
// that outlives badenvTimeout or starts serving fails the test.
func badenvRun(t *testing.T, bin string, fsize uint64, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), badenvTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if fsize > 0 {
		// This test binary sets the limit and execs bin: see TestBadEnvHelperProcess.
		spec, err := json.Marshal(append([]string{bin}, args...))
		require.NoError(t, err)
		cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBadEnvHelperProcess$")
		cmd.Env = append(os.Environ(), "WHMCSEMU_BADENV_EXEC="+string(spec),
			"WHMCSEMU_BADENV_FSIZE="+strconv.FormatUint(fsize, 10))
	} else {
		cmd = exec.CommandContext(ctx, bin, args...)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s hung: still running after %v; stdout %q, stderr:\n%s",
			bin, strings.Join(args, " "), badenvTimeout, out.String(), errOut.String())
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// TestBadEnvHelperProcess is not a test: run by badenvRun with its
// environment set, it limits the size of files this process may write,
// then becomes the server binary (the limit stays across exec).
func TestBadEnvHelperProcess(t *testing.T) {
	spec, limit := os.Getenv("WHMCSEMU_BADENV_EXEC"), os.Getenv("WHMCSEMU_BADENV_FSIZE")
	if spec == "" || limit == "" {
		return // an ordinary test run: nothing to do
	}
	var argv []string
	if err := json.Unmarshal([]byte(spec), &argv); err != nil || len(argv) == 0 {
		fmt.Fprintf(os.Stderr, "badenv helper: bad WHMCSEMU_BADENV_EXEC %q: %v\n", spec, err)
		os.Exit(3)
	}
	n, err := strconv.ParseUint(limit, 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "badenv helper: limiting file size to %q: %v\n", limit, err)
		os.Exit(3)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WHMCSEMU_BADENV_") {
			env = append(env, kv)
		}
	}
	err = syscall.Exec(argv[0], argv, env)
	fmt.Fprintf(os.Stderr, "badenv helper: exec %s: %v\n", argv[0], err)
	os.Exit(3)
}

// badenvLimitFileSize limits the size of the files process pid may write
// to n bytes (prlimit(2) on RLIMIT_FSIZE).
func badenvLimitFileSize(pid int, n uint64) error {
	lim := syscall.Rlimit{Cur: n, Max: n}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(pid), syscall.RLIMIT_FSIZE,
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// badenvCheckRefused checks a start that must fail: a non-zero exit, no
// listening line, a "whmcsemu: " message naming the database and holding
// one of want, and no panic.
func badenvCheckRefused(t *testing.T, code int, stdout, stderr, dbPath string, want ...string) {
	t.Helper()
	assert.NotEqual(t, 0, code, "exit code; stderr:\n%s", stderr)
	assert.NotContains(t, stdout, "listening")
	assert.True(t, strings.HasPrefix(stderr, "whmcsemu: "), "stderr: %q", stderr)
	assert.Contains(t, stderr, dbPath, "the message names the database")
	found := false
	for _, w := range want {
		found = found || strings.Contains(stderr, w)
	}
	assert.True(t, found, "stderr %q holds none of %q", stderr, want)
	assert.NotContains(t, stderr, "panic")
	assert.NotContains(t, stderr, "goroutine ")
	assert.LessOrEqual(t, strings.Count(strings.TrimSpace(stderr), "\n"), 2, "a short message, not a dump:\n%s", stderr)
	t.Logf("exit %d: %s", code, strings.TrimSpace(stderr))
}

// badenvDemoDB makes a database with the demo fixture, closed cleanly by
// the binary itself (so the file holds everything, no WAL), and returns
// its bytes.
func badenvDemoDB(t *testing.T, bin string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	s := crashStart(t, bin, "serve", "--addr", "127.0.0.1:0", "--db", path, "--fixtures", crashDemo,
		"--ban-after", "0", "--log-level", "warn")
	require.Equal(t, 0, s.terminate(t))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = os.Stat(path + "-wal")
	require.True(t, errors.Is(err, os.ErrNotExist), "a clean stop leaves no WAL: %v", err)
	return data
}

func TestBadEnvStart(t *testing.T) {
	t.Parallel() // it waits on processes of its own most of the time
	bin := crashBinary(t)
	dir := t.TempDir()
	notDir := filepath.Join(dir, "a-file")
	require.NoError(t, os.WriteFile(notDir, []byte("a regular file\n"), 0o600))
	good := badenvDemoDB(t, bin)
	rng := rand.New(rand.NewPCG(6, 6))
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	const page = 4096
	require.Greater(t, len(good), 8*page, "the demo database has pages to cut")

	tests := []struct {
		name     string
		path     string
		contents []byte // written to path first when not nil
		want     []string
	}{
		{name: "path under a regular file", path: filepath.Join(notDir, "state.db"), want: []string{"not a directory"}},
		{name: "path is a directory", path: dir, want: []string{"is a directory"}},
		{name: "path in sysfs (no new files, even for root)", path: fmt.Sprintf("/sys/whmcsemu-badenv-%d.db", os.Getpid()),
			want: []string{"permission denied", "read-only file system"}},
		{name: "path is a /proc file", path: "/proc/self/status", want: []string{"unable to open database file"}},
		{name: "random bytes", path: filepath.Join(dir, "random.db"), contents: random, want: []string{"not a database"}},
		{name: "random bytes, one page", path: filepath.Join(dir, "random-page.db"), contents: random[:page], want: []string{"not a database"}},
		{name: "truncated to 100 bytes", path: filepath.Join(dir, "cut100.db"), contents: good[:100], want: []string{"malformed"}},
		{name: "truncated to one page", path: filepath.Join(dir, "cut1.db"), contents: good[:page], want: []string{"malformed"}},
		{name: "truncated to half", path: filepath.Join(dir, "cuthalf.db"), contents: good[:len(good)/2/page*page], want: []string{"malformed"}},
		{name: "truncated by one page", path: filepath.Join(dir, "cutlast.db"), contents: good[:len(good)-page], want: []string{"malformed"}},
		{name: "truncated mid-page", path: filepath.Join(dir, "cutodd.db"), contents: good[:len(good)-1000], want: []string{"malformed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.contents != nil {
				require.NoError(t, os.WriteFile(tc.path, tc.contents, 0o600))
			}
			s, code, stdout, stderr := badenvStartOrFail(t, bin, []string{"serve", "--addr", "127.0.0.1:0",
				"--db", tc.path, "--fixtures", crashDemo, "--ban-after", "0"})
			if s != nil {
				a, err := crashPost(context.Background(), s.client, s.url, url.Values{"action": {"ListOAuthCredentials"}})
				exit := s.terminate(t)
				t.Errorf("the server started serving on a broken database instead of refusing to start;"+
					" ListOAuthCredentials answered %d %.200s (%v); exit code %d after SIGTERM; stderr:\n%s",
					a.status, a.body, err, exit, s.stderr.String())
				return
			}
			badenvCheckRefused(t, code, stdout, stderr, tc.path, tc.want...)
			if tc.contents != nil {
				after, err := os.ReadFile(tc.path)
				require.NoError(t, err)
				assert.True(t, bytes.Equal(tc.contents, after), "the broken file was changed")
			}
		})
	}
}

// TestBadEnvCorruptPages damages pages inside a database whose header is
// sound. The server must refuse to start with a clear error, or serve and
// answer each request with a WHMCS-style error; never hang or panic.
func TestBadEnvCorruptPages(t *testing.T) {
	t.Parallel() // it waits on processes or clients of its own most of the time
	bin := crashBinary(t)
	good := badenvDemoDB(t, bin)
	const page = 4096
	pages := len(good) / page
	rng := rand.New(rand.NewPCG(7, 7))
	for _, at := range []int{2, pages / 3, pages / 2, pages - 1} {
		t.Run(fmt.Sprintf("page %d of %d", at+1, pages), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "corrupt.db")
			data := bytes.Clone(good)
			for i := at * page; i < (at+1)*page; i++ {
				data[i] = byte(rng.Uint32())
			}
			require.NoError(t, os.WriteFile(path, data, 0o600))
			args := []string{"serve", "--addr", "127.0.0.1:0", "--db", path, "--fixtures", crashDemo,
				"--ban-after", "0", "--log-level", "warn"}
			s, code, stdout, stderr := badenvStartOrFail(t, bin, args)
			if s == nil {
				badenvCheckRefused(t, code, stdout, stderr, path, "malformed", "not a database", "corrupt")
				return
			}
			answers := map[string]int{}
			for _, form := range []url.Values{
				{"action": {"ListOAuthCredentials"}},
				{"action": {"CreateOAuthCredential"}, "grantType": {"authorization_code"}, "name": {"x"}, "scope": {"openid"}},
				{"action": {"UpdateOAuthCredential"}, "credentialId": {"1"}, "name": {"y"}},
				{"action": {"DeleteOAuthCredential"}, "credentialId": {"2"}},
				{"action": {"CreateSsoToken"}, "client_id": {"1"}},
				{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}},
			} {
				a, err := crashPost(context.Background(), s.client, s.url, form)
				require.NoError(t, err, "%s", form.Get("action"))
				assert.Less(t, a.status, 500, "%s: %s", form.Get("action"), a.body)
				assert.Contains(t, []string{"success", "error"}, a.result(), "%s: %s", form.Get("action"), a.body)
				answers[a.result()+": "+a.message()]++
			}
			assert.Equal(t, 0, s.terminate(t), "exit code after SIGTERM")
			assert.NotContains(t, s.stderr.String(), "panic")
			t.Logf("the server started on the damaged file and answered: %v", answers)
		})
	}
}

// badenvStartOrFail starts bin: it either serves (and the server is
// returned) or exits (and its code and output are returned), within
// crashStartTimeout.
func badenvStartOrFail(t *testing.T, bin string, args []string) (server *crashServer, code int, stdout, stderr string) {
	t.Helper()
	s := &crashServer{
		cmd: exec.Command(bin, args...), stderr: &crashBuffer{}, exited: make(chan struct{}),
		client: &http.Client{Timeout: time.Minute},
	}
	out := &crashBuffer{}
	s.cmd.Stdout, s.cmd.Stderr = out, s.stderr
	require.NoError(t, s.cmd.Start())
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	deadline := time.After(crashStartTimeout)
	for {
		select {
		case <-s.exited:
			return nil, s.cmd.ProcessState.ExitCode(), out.String(), s.stderr.String()
		case <-deadline:
			t.Fatalf("neither serving nor exited after %v; stderr:\n%s", crashStartTimeout, s.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if line, _, ok := strings.Cut(out.String(), "\n"); ok {
			u, found := strings.CutPrefix(line, "whmcsemu listening on ")
			require.True(t, found, "stdout: %q", out.String())
			s.url = u
			return s, 0, out.String(), ""
		}
	}
}

// TestBadEnvDiskFull fills the disk under a serving emulator: writes fail
// with a WHMCS-style error (the fixed internal message, HTTP 200), reads
// go on, nothing that failed is written, SIGTERM still stops it, and after
// a restart every acknowledged write is there and the file is sound.
func TestBadEnvDiskFull(t *testing.T) {
	bin := crashBinary(t)
	dbPath := filepath.Join(t.TempDir(), "state.db")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--fixtures", crashDemo,
		"--ban-after", "0", "--log-level", "warn"}
	s := crashStart(t, bin, args...)
	create := func(name string) (crashAnswer, error) {
		return crashPost(context.Background(), s.client, s.url, url.Values{"action": {"CreateOAuthCredential"},
			"grantType": {"authorization_code"}, "name": {name}, "scope": {"openid"},
			"description": {strings.Repeat("d", 3000)}})
	}
	acked := map[int64]string{}
	for i := range 5 {
		name := fmt.Sprintf("before-%d", i)
		a, err := create(name)
		require.NoError(t, err)
		require.Equal(t, "success", a.result(), "%s", a.body)
		acked[a.int("credentialId")] = name
	}

	// The disk is now nearly full: no file may grow more than 48 KiB past
	// the largest one.
	var largest int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if info, err := os.Stat(dbPath + suffix); err == nil {
			largest = max(largest, info.Size())
		}
	}
	limit := uint64(largest + 48<<10)
	require.NoError(t, badenvLimitFileSize(s.cmd.Process.Pid, limit))

	var failed []string
	succeeded := 0
	for i := range 300 {
		name := fmt.Sprintf("full-%d", i)
		a, err := create(name)
		require.NoError(t, err, "the server stopped answering when the disk filled up; stderr:\n%s", crashTail(s.stderr.String(), 2000))
		require.Equal(t, http.StatusOK, a.status, "%s", a.body)
		switch a.result() {
		case "success":
			acked[a.int("credentialId")] = name
			succeeded++
		case "error":
			require.Equal(t, actions.InternalMessage, a.message(), "a failed write answers the fixed internal message")
			failed = append(failed, name)
		default:
			t.Fatalf("not a WHMCS answer: %s", a.body)
		}
		if len(failed) >= 20 {
			break
		}
	}
	require.NotEmpty(t, failed, "no write failed with files limited to %d bytes: the simulation did not work", limit)

	// Reads still work, and show every acknowledged write.
	listed := crashList(t, s)
	crashCheckAll(t, "with the disk full", acked, listed)
	login, err := crashPost(context.Background(), s.client, s.url, url.Values{"action": {"ValidateLogin"},
		"email": {"jane@example.com"}, "password2": {"jane-password"}})
	require.NoError(t, err)
	assert.Equal(t, "success", login.result(), "%s", login.body)

	code := s.terminate(t)
	stderr := s.stderr.String()
	assert.NotContains(t, stderr, "panic")
	assert.Contains(t, stderr, "disk I/O error", "the log says why writes fail")

	// The disk has room again: everything acknowledged is there, nothing
	// that failed is, and the file is sound.
	verdict, stored := crashStoreState(t, dbPath)
	assert.Equal(t, "ok", verdict)
	crashCheckAll(t, "after the restart", acked, stored)
	for _, name := range stored {
		for _, f := range failed {
			assert.NotEqual(t, f, name, "a create that answered an error was written")
		}
	}
	s2 := crashStart(t, bin, args...)
	crashCheckAll(t, "over the API after the restart", acked, crashList(t, s2))
	assert.Equal(t, 0, s2.terminate(t))
	t.Logf("disk full at %d bytes per file: %d writes acknowledged before and %d after the limit, %d refused with the internal message; reads went on; SIGTERM exit code %d; after restart all %d acknowledged present, integrity %s",
		limit, 5, succeeded, len(failed), code, len(acked), verdict)
}

// TestBadEnvDiskFullAtStart starts on a disk too full for the database
// to be created: a clear error and a non-zero exit.
func TestBadEnvDiskFullAtStart(t *testing.T) {
	bin := crashBinary(t)
	for _, limit := range []uint64{1, 8 << 10, 64 << 10} {
		t.Run(fmt.Sprintf("files up to %d bytes", limit), func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "state.db")
			code, stdout, stderr := badenvRun(t, bin, limit, "serve", "--addr", "127.0.0.1:0", "--db", dbPath,
				"--fixtures", crashDemo, "--ban-after", "0")
			badenvCheckRefused(t, code, stdout, stderr, dbPath, "disk I/O error", "database or disk is full", "file too large")
		})
	}
}
