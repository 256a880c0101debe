// Package emulatortest runs the real whmcsemu binary for the acceptance
// modules under testdata (oauth-clients, oci-sdk, browser): Main builds it
// once for a test binary, from the repository around the working
// directory, and Start serves it on a free loopback port for one test. A
// module of its own, with no dependencies, that each of them takes in
// through a replace directive, so the main module depends on none of them.
package emulatortest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary is the whmcsemu Main built.
var binary string

// Main is a TestMain: it builds whmcsemu (./cmd/whmcsemu of the
// repository) into a temporary directory, runs the tests, removes the
// binary and exits with the tests' code.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := repository()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "whmcsemu-acceptance-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "whmcsemu")
	build := exec.Command("go", "build", "-o", binary, "./cmd/whmcsemu")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building whmcsemu:", err)
		return 1
	}
	return m.Run()
}

// repository is the directory of the main module: the working directory
// or the nearest one above it whose go.mod is whmcsemu's.
func repository() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(mod, []byte("module github.com/whmcsemu/whmcsemu\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("emulatortest: no whmcsemu go.mod in the working directory or above it")
		}
		dir = parent
	}
}

// Emulator is a running whmcsemu.
type Emulator struct {
	// URL is where it serves, as its first line says: http://127.0.0.1:port,
	// no trailing slash.
	URL string
	// Console is the web console's URL, as its second line says.
	Console string
}

// Start runs the binary Main built, "whmcsemu serve" on a free loopback
// port and a new database in t's temporary directory, logging warnings
// only, with flags added (--fixtures …). It waits for the lines that say
// where it serves, and stops it (SIGTERM; killed after 10 s) when t ends,
// logging what it wrote on stderr when t failed.
func Start(t testing.TB, flags ...string) *Emulator {
	t.Helper()
	if binary == "" {
		t.Fatal("emulatortest: no binary; the package's TestMain must call emulatortest.Main")
	}
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "whmcsemu.db"),
		"--log-level", "warn"}, flags...)
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("whmcsemu's log:\n%s", stderr.String())
		}
	})
	lines := make(chan [2]string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		first, _ := r.ReadString('\n')
		second, _ := r.ReadString('\n')
		lines <- [2]string{first, second}
		_, _ = io.Copy(io.Discard, r)
	}()
	var e Emulator
	select {
	case l := <-lines:
		var ok bool
		if e.URL, ok = strings.CutPrefix(strings.TrimSpace(l[0]), "whmcsemu listening on "); !ok {
			t.Fatalf("whmcsemu's first line is %q; its log:\n%s", l[0], stderr.String())
		}
		if e.Console, ok = strings.CutPrefix(strings.TrimSpace(l[1]), "whmcsemu console at "); !ok {
			t.Fatalf("whmcsemu's second line is %q; its log:\n%s", l[1], stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("whmcsemu did not start; its log:\n%s", stderr.String())
	}
	return &e
}
