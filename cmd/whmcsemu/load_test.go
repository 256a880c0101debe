package main

// Load: 64 concurrent clients mix every OAuth action against the real
// start-up code (Main.Run, in-process, so -race sees the server too) on a
// loopback TCP listener: no 5xx, no database-busy or internal error
// reaching a client, and a final state that adds up.
//
// By default each client takes loadSteps steps (a fixed amount of work,
// whatever the machine's load; fewer under -race, which needs concurrency
// rather than volume). WHMCSEMU_LOAD_SECONDS runs them for a time instead,
// a soak:
//
//	WHMCSEMU_LOAD_SECONDS=60 go test -run '^TestLoad$' -v -count=1 ./cmd/whmcsemu
//
// Graceful shutdown under load (TestShutdownUnderLoadSIGTERM) runs the
// command in a process of its own: SIGTERM while writers run, exit code 0, and every
// acknowledged write there after a restart.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadClients is how many clients TestLoad runs at once.
const loadClients = 64

// loadInternal is the message every unexpected server failure gets.
const loadInternal = "An internal error occurred in whmcsemu"

// loadServe runs Main.Run(args) in-process and returns its URL, its
// stderr, and a function that stops it and returns the exit code.
func loadServe(t *testing.T, args []string) (base string, stderr *crashBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr = &crashBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	m := &Main{Stdout: &crashBuffer{}, Stderr: stderr, Getenv: func(string) string { return "" },
		Ready: func(u string) { ready <- u }}
	go func() { done <- m.Run(ctx, args) }()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			code = <-done
		})
		return code
	}
	t.Cleanup(func() { stop() })
	select {
	case base = <-ready:
	case c := <-done:
		done <- c
		t.Fatalf("Run returned %d before serving; stderr:\n%s", c, stderr.String())
	case <-time.After(crashStartTimeout):
		t.Fatalf("Run did not serve within %v; stderr:\n%s", crashStartTimeout, stderr.String())
	}
	return base, stderr, stop
}

// loadStats counts what the clients did.
type loadStats struct {
	requests, creates, deletes, updates, resets, lists, ssoTokens, logins, failedLogins atomic.Int64
	errors                                                                              atomic.Int64
}

// loadClient is one client's own state.
type loadClient struct {
	t      *testing.T
	n      int
	rng    *rand.Rand
	client *http.Client
	base   string
	stats  *loadStats
	own    []int64 // credentials this client created and has not deleted
	seq    int
}

// call sends one action; any failure to get a success (or the expected
// error) is counted and reported, with the first few in full.
func (c *loadClient) call(ctx context.Context, what string, form url.Values, wantError string) (crashAnswer, bool) {
	c.stats.requests.Add(1)
	a, err := crashPost(ctx, c.client, c.base, form)
	fail := func(format string, args ...any) (crashAnswer, bool) {
		c.fail(what, format, args...)
		return a, false
	}
	switch {
	case err != nil:
		return fail("%v", err)
	case a.status >= 500:
		return fail("HTTP %d: %s", a.status, a.body)
	case strings.Contains(a.message(), loadInternal), strings.Contains(strings.ToLower(a.message()), "database"),
		strings.Contains(strings.ToLower(a.message()), "busy"), strings.Contains(strings.ToLower(a.message()), "locked"):
		return fail("the server's trouble reached the client: %s", a.body)
	case a.status != http.StatusOK:
		return fail("HTTP %d: %s", a.status, a.body)
	case wantError != "":
		if a.result() != "error" || a.message() != wantError {
			return fail("want the error %q, got %s", wantError, a.body)
		}
		return a, true
	case a.result() != "success":
		return fail("%s", a.body)
	}
	return a, true
}

// fail counts an error and reports the first few in full.
func (c *loadClient) fail(what, format string, args ...any) {
	if n := c.stats.errors.Add(1); n <= 20 {
		c.t.Errorf("client %d, %s: "+format, append([]any{c.n, what}, args...)...)
	}
}

// step runs one randomly chosen action.
func (c *loadClient) step(ctx context.Context) {
	c.seq++
	r := c.rng.IntN(100)
	if len(c.own) == 0 && r >= 40 && r < 70 {
		r = 0 // nothing of its own to update or delete yet: create
	}
	switch {
	case r < 22:
		form := url.Values{"action": {"CreateOAuthCredential"}}
		if c.rng.IntN(2) == 0 {
			form.Set("grantType", "authorization_code")
			form.Set("name", fmt.Sprintf("load-%d-%d", c.n, c.seq))
			form.Set("scope", "openid email profile")
			form["redirectUri[]"] = []string{"https://load.example/a", "https://load.example/b"}
		} else {
			form.Set("grantType", "single_sign_on")
			form.Set("serviceId", "1")
			form.Set("scope", "clientarea:sso")
		}
		if a, ok := c.call(ctx, "create", form, ""); ok {
			id := a.int("credentialId")
			if secret, _ := a.fields["clientSecret"].(string); id <= 0 || secret == "" {
				c.fail("create", "no credentialId or clientSecret: %s", a.body)
				return
			}
			c.own = append(c.own, id)
			c.stats.creates.Add(1)
		}
	case r < 40:
		form := url.Values{"action": {"ListOAuthCredentials"}}
		switch c.rng.IntN(3) {
		case 0:
			form.Set("grantType", "single_sign_on")
		case 1:
			form.Set("sortField", "createdAt")
			form.Set("sortOrder", "desc")
			form.Set("limit", "5")
		}
		if _, ok := c.call(ctx, "list", form, ""); ok {
			c.stats.lists.Add(1)
		}
	case r < 58:
		id := c.own[c.rng.IntN(len(c.own))]
		form := url.Values{"action": {"UpdateOAuthCredential"}, "credentialId": {fmt.Sprint(id)},
			"description": {fmt.Sprintf("updated by %d at %d", c.n, c.seq)}}
		reset := c.rng.IntN(3) == 0
		if reset {
			form.Set("resetSecret", "1")
		}
		if a, ok := c.call(ctx, "update", form, ""); ok {
			c.stats.updates.Add(1)
			if reset {
				if s, _ := a.fields["newClientSecret"].(string); s == "" {
					c.fail("update", "resetSecret gave no newClientSecret: %s", a.body)
					return
				}
				c.stats.resets.Add(1)
			}
		}
	case r < 70:
		i := c.rng.IntN(len(c.own))
		id := c.own[i]
		if _, ok := c.call(ctx, "delete", url.Values{"action": {"DeleteOAuthCredential"}, "credentialId": {fmt.Sprint(id)}}, ""); ok {
			c.own = slices.Delete(c.own, i, i+1)
			c.stats.deletes.Add(1)
		}
	case r < 85:
		form := url.Values{"action": {"CreateSsoToken"}, "client_id": {"1"}}
		if c.rng.IntN(2) == 0 {
			form.Set("destination", "clientarea:product_details")
			form.Set("service_id", "1")
		}
		if _, ok := c.call(ctx, "sso token", form, ""); ok {
			c.stats.ssoTokens.Add(1)
		}
	default:
		form := url.Values{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}}
		want := ""
		if c.rng.IntN(4) == 0 {
			form.Set("password2", "not-jane-password")
			want = "Email or Password Invalid"
		}
		if _, ok := c.call(ctx, "validate login", form, want); ok {
			if want == "" {
				c.stats.logins.Add(1)
			} else {
				c.stats.failedLogins.Add(1)
			}
		}
	}
}

// loadSteps is how many steps each client takes by default (64 clients:
// about a thousand requests); loadMaxSteps bounds a timed run's loop.
const (
	loadSteps     = 16
	loadRaceSteps = 4
	loadMaxSteps  = 1_000_000
)

func TestLoad(t *testing.T) {
	t.Parallel() // it waits on processes or clients of its own most of the time
	steps, duration := loadSteps, 24*time.Hour
	if crashRaceBuild() {
		steps = loadRaceSteps
	}
	if seconds := crashEnvInt(t, "WHMCSEMU_LOAD_SECONDS", 0); seconds > 0 {
		steps, duration = loadMaxSteps, time.Duration(seconds)*time.Second
	}
	dbPath := filepath.Join(t.TempDir(), "state.db")
	base, stderr, stop := loadServe(t, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath,
		"--fixtures", crashDemo, "--ban-after", "0", "--log-level", "warn"})
	transport := &http.Transport{MaxIdleConns: 2 * loadClients, MaxIdleConnsPerHost: 2 * loadClients}
	defer transport.CloseIdleConnections()
	httpClient := &http.Client{Transport: transport, Timeout: time.Minute}

	seed := uint64(time.Now().UnixNano())
	var stats loadStats
	clients := make([]*loadClient, loadClients)
	// Requests are not cancelled at the deadline: each one started runs to
	// its answer, so the count of creates and deletes is exact.
	ctx := context.Background()
	started := time.Now()
	deadline := started.Add(duration)
	var wg sync.WaitGroup
	for i := range clients {
		c := &loadClient{t: t, n: i, rng: rand.New(rand.NewPCG(seed, uint64(i))), client: httpClient, base: base, stats: &stats}
		clients[i] = c
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range steps {
				if time.Now().After(deadline) {
					return
				}
				c.step(ctx)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(started)

	// The final state adds up: the fixture's 2, plus creates, minus deletes,
	// and exactly the credentials the clients still hold.
	final := crashList(t, &crashServer{url: base, client: httpClient})
	want := map[int64]bool{1: true, 2: true}
	for _, c := range clients {
		for _, id := range c.own {
			want[id] = true
		}
	}
	creates, deletes := stats.creates.Load(), stats.deletes.Load()
	assert.Equal(t, int64(2)+creates-deletes, int64(len(final)), "the fixture's 2 + %d creates - %d deletes", creates, deletes)
	for id := range want {
		assert.Contains(t, final, id, "a credential a client created and did not delete")
	}
	for id := range final {
		assert.True(t, want[id], "credential %d is listed but no client holds it", id)
	}
	assert.Equal(t, 0, stop(), "exit code")
	assert.NotContains(t, stderr.String(), "level=ERROR", "the server logged an internal error")
	assert.NotContains(t, stderr.String(), "panic")

	requests := stats.requests.Load()
	t.Logf("load: %d clients for %v (seed %d): %d requests (%.0f/s), %d errors",
		loadClients, elapsed.Round(time.Millisecond), seed, requests, float64(requests)/elapsed.Seconds(), stats.errors.Load())
	t.Logf("load: %d creates, %d lists, %d updates (%d with resetSecret), %d deletes, %d SSO tokens, %d logins, %d refused logins; %d credentials at the end",
		creates, stats.lists.Load(), stats.updates.Load(), stats.resets.Load(), deletes, stats.ssoTokens.Load(),
		stats.logins.Load(), stats.failedLogins.Load(), len(final))
	assert.Zero(t, stats.errors.Load(), "requests that failed")
}

// TestShutdownUnderLoadSIGTERM sends SIGTERM to the command's process while
// writers run: the process exits 0, and after a restart every write it
// acknowledged is there, before and after the signal.
func TestShutdownUnderLoadSIGTERM(t *testing.T) {
	t.Parallel() // it waits on processes of its own most of the time
	const writers = 16
	bin := crashBinary(t)
	dbPath := filepath.Join(t.TempDir(), "state.db")
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", dbPath, "--fixtures", crashDemo,
		"--ban-after", "0", "--log-level", "info"}
	s := crashStart(t, bin, args...)
	w := startCrashWriters(t, s, writers, "term")
	select {
	case <-w.ackedSeen:
	case <-time.After(time.Minute):
		t.Fatalf("no write acknowledged within a minute; stderr:\n%s", s.stderr.String())
	}
	time.Sleep(500 * time.Millisecond)
	w.mu.Lock()
	before := len(w.acked)
	w.mu.Unlock()
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	code := s.waitExit(t)
	acked := w.finish()
	stderr := s.stderr.String()
	assert.Equal(t, 0, code, "exit code after SIGTERM; stderr tail:\n%s", crashTail(stderr, 2000))
	assert.Contains(t, stderr, "stopping: finishing requests in flight")
	assert.Contains(t, stderr, "stopped")
	assert.NotContains(t, stderr, "panic")

	s2 := crashStart(t, bin, args...)
	listed := crashList(t, s2)
	crashCheckAll(t, "after SIGTERM and a restart", acked, listed)
	assert.GreaterOrEqual(t, len(listed), 2+len(acked))
	assert.Equal(t, 0, s2.terminate(t))
	t.Logf("SIGTERM under load: %d writers, %d requests, %d acknowledged (%d of them answered after SIGTERM was sent), %d without answer (%d refused once the listener closed, %d cut off); exit code %d; all %d present after restart",
		writers, w.requests, len(acked), len(acked)-before, w.unknown, w.refused, w.unknown-w.refused, code, len(acked))
}

// crashTail is the last n bytes of s.
func crashTail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
