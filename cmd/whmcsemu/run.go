package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// Main is the program, with its outside world as fields so that tests run
// the same start-up code in-process.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, is called with the listening URL once serving.
	Ready func(url string)
}

const usage = `whmcsemu emulates the WHMCS external API (/includes/api.php) over a SQLite file.

Usage:
  whmcsemu serve [flags]     run the emulator (the default command)
  whmcsemu call [flags] ACTION [key=value ...]
                             run one API action on the database and print its JSON
  whmcsemu fixtures check FILE
                             check a fixture document, references included
  whmcsemu fixtures export [--db FILE] [--out FILE]
                             write a database's state as a fixture document
  whmcsemu actions [--markdown]
                             list WHMCS's documented actions and which are emulated
  whmcsemu version           print whmcsemu's version, its module version and commit
                             (also --version)
  whmcsemu help              show this text

Run "whmcsemu COMMAND --help" for a command's flags and an example.

Flags of serve (each also read from the environment variable shown):
  --addr HOST:PORT    where to listen; port 0 picks a free one        WHMCSEMU_ADDR      (default 127.0.0.1:8080)
  --db FILE           the state; created when missing, kept across runs WHMCSEMU_DB        (default whmcsemu.db)
                      (a start that fails leaves it as it was, and
                      removes it again if it created it)
  --fixtures FILE     a fixture document to load at start (once per     WHMCSEMU_FIXTURES
                      database: restarting with the same file keeps the
                      state the API has changed since)
  --log-level LEVEL   debug, info, warn or error                       WHMCSEMU_LOG_LEVEL (default info)
  --admin-token TOKEN lets non-loopback callers use the control plane   WHMCSEMU_ADMIN_TOKEN
                      (Authorization: Bearer TOKEN); without it only
                      loopback callers may
  --allowed-host H,H  host names a control-plane request without the    WHMCSEMU_ALLOWED_HOSTS
                      admin token may name in Host, besides loopback
                      ones and --addr's host (against DNS rebinding)
  --journal-size N    API calls the request journal keeps              WHMCSEMU_JOURNAL_SIZE (default 1000)
  --journal-bytes N   memory the journal may hold; oldest dropped      WHMCSEMU_JOURNAL_BYTES (default 4194304)
  --ban-after N       failed logins from one IP that ban it ("IP       WHMCSEMU_BAN_AFTER (default 10)
                      Banned", 403); 0 turns bans off
  --ban-window D      ... counted within this long                      WHMCSEMU_BAN_WINDOW (default 10m)
  --ban-duration D    how long a ban lasts                              WHMCSEMU_BAN_DURATION (default 15m)
  --max-body BYTES    largest request body (PHP's post_max_size)       WHMCSEMU_MAX_BODY (default 8388608)
  --max-fields N      most form fields in a request (max_input_vars)   WHMCSEMU_MAX_FIELDS (default 1000)
  --oci-verify-signatures=false
                      accept OCI dialect requests without checking      WHMCSEMU_OCI_VERIFY_SIGNATURES (default true)
                      their signatures (by default they must be signed
                      with a key the fixture gives an OCI user, as OCI
                      requires); for quick local use only
  --read-header-timeout, --read-timeout, --write-timeout, --idle-timeout D
                      against slow or idle clients                      WHMCSEMU_READ_HEADER_TIMEOUT (10s),
                                                                        WHMCSEMU_READ_TIMEOUT (60s),
                                                                        WHMCSEMU_WRITE_TIMEOUT (60s),
                                                                        WHMCSEMU_IDLE_TIMEOUT (120s)

The first line on stdout is "whmcsemu listening on <URL>"; the API is <URL>/includes/api.php
and the control plane (reset, journal, faults, clock, export) is under <URL>/_whmcsemu/. The second
line, "whmcsemu console at <URL>/_whmcsemu/console/", names the web console (docs/console.md).
SIGINT or SIGTERM stops it after the requests in flight finish.

Example:
  whmcsemu serve --fixtures testdata/fixtures/demo.json
  curl -s http://127.0.0.1:8080/includes/api.php -d action=ListOAuthCredentials \
       -d identifier=... -d secret=... -d responsetype=json
`

// Run runs the command line args and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		cmd, args = "version", args[1:]
	}
	switch cmd {
	case "serve":
		return m.serve(ctx, args)
	case "call":
		return m.call(ctx, args)
	case "fixtures":
		return m.fixtures(ctx, args)
	case "actions":
		return m.actions(args)
	case "version":
		fmt.Fprintln(m.Stdout, versionLine())
		return 0
	case "help":
		fmt.Fprint(m.Stdout, usage)
		return 0
	}
	fmt.Fprintf(m.Stderr, "whmcsemu: unknown command %q\n\n%s", cmd, usage)
	return 2
}

type serveConfig struct {
	addr, db, fixtures, logLevel, adminToken string
	allowedHosts                             string
	journalSize, journalBytes, maxFields     int64
	maxBody, banAfter                        int64
	banWindow, banDuration                   time.Duration
	ociVerifySignatures                      bool
	readHeaderTimeout, readTimeout           time.Duration
	writeTimeout, idleTimeout                time.Duration
	envErr                                   error // a malformed environment variable
}

// flags declares serve's flags, each defaulting to its WHMCSEMU_*
// environment variable when that is set.
func (m *Main) flags(name string) (*flag.FlagSet, *serveConfig) {
	c := &serveConfig{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env := func(key, def string) string {
		if v := m.Getenv(key); v != "" {
			return v
		}
		return def
	}
	str := func(dst *string, flag, key, def string) { fs.StringVar(dst, flag, env(key, def), "") }
	num := func(dst *int64, flag, key, def string) {
		v, err := strconv.ParseInt(env(key, def), 10, 64)
		if err != nil {
			c.envErr = fmt.Errorf("%s=%q is not a whole number", key, m.Getenv(key))
		}
		fs.Int64Var(dst, flag, v, "")
	}
	dur := func(dst *time.Duration, flag, key, def string) {
		v, err := time.ParseDuration(env(key, def))
		if err != nil {
			c.envErr = fmt.Errorf("%s=%q is not a duration such as 15m", key, m.Getenv(key))
		}
		fs.DurationVar(dst, flag, v, "")
	}
	boolean := func(dst *bool, flag, key, def string) {
		v, err := strconv.ParseBool(env(key, def))
		if err != nil {
			c.envErr = fmt.Errorf("%s=%q is not true or false", key, m.Getenv(key))
		}
		fs.BoolVar(dst, flag, v, "")
	}
	str(&c.addr, "addr", "WHMCSEMU_ADDR", "127.0.0.1:8080")
	str(&c.db, "db", "WHMCSEMU_DB", "whmcsemu.db")
	str(&c.fixtures, "fixtures", "WHMCSEMU_FIXTURES", "")
	str(&c.logLevel, "log-level", "WHMCSEMU_LOG_LEVEL", "info")
	str(&c.adminToken, "admin-token", "WHMCSEMU_ADMIN_TOKEN", "")
	str(&c.allowedHosts, "allowed-host", "WHMCSEMU_ALLOWED_HOSTS", "")
	num(&c.journalSize, "journal-size", "WHMCSEMU_JOURNAL_SIZE", "1000")
	num(&c.journalBytes, "journal-bytes", "WHMCSEMU_JOURNAL_BYTES", strconv.Itoa(whmcsemu.DefaultJournalBytes))
	num(&c.maxBody, "max-body", "WHMCSEMU_MAX_BODY", strconv.Itoa(whmcsemu.DefaultMaxBodyBytes))
	num(&c.maxFields, "max-fields", "WHMCSEMU_MAX_FIELDS", strconv.Itoa(whmcsemu.DefaultMaxFields))
	num(&c.banAfter, "ban-after", "WHMCSEMU_BAN_AFTER", "10")
	dur(&c.banWindow, "ban-window", "WHMCSEMU_BAN_WINDOW", "10m")
	dur(&c.banDuration, "ban-duration", "WHMCSEMU_BAN_DURATION", "15m")
	dur(&c.readHeaderTimeout, "read-header-timeout", "WHMCSEMU_READ_HEADER_TIMEOUT", "10s")
	dur(&c.readTimeout, "read-timeout", "WHMCSEMU_READ_TIMEOUT", "60s")
	dur(&c.writeTimeout, "write-timeout", "WHMCSEMU_WRITE_TIMEOUT", "60s")
	dur(&c.idleTimeout, "idle-timeout", "WHMCSEMU_IDLE_TIMEOUT", "120s")
	boolean(&c.ociVerifySignatures, "oci-verify-signatures", "WHMCSEMU_OCI_VERIFY_SIGNATURES", "true")
	return fs, c
}

func (m *Main) serve(ctx context.Context, args []string) int {
	fs, c := m.flags("serve")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(m.Stdout, usage)
			return 0
		}
		fmt.Fprintf(m.Stderr, "whmcsemu: %v\n\n%s", err, usage)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(m.Stderr, "whmcsemu: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return 2
	}
	if c.envErr != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: %v\n", c.envErr)
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: --log-level %q: use debug, info, warn or error\n", c.logLevel)
		return 2
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	if err := m.runServer(ctx, c, log); err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: %v\n", err)
		return 1
	}
	return 0
}

// allowedHosts are --allowed-host's names and --addr's host, unless that
// is empty or an unspecified address (0.0.0.0, ::), which no Host names.
func allowedHosts(c *serveConfig) []string {
	var hosts []string
	for h := range strings.SplitSeq(c.allowedHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	if host, _, err := net.SplitHostPort(c.addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			hosts = append(hosts, host)
		}
	}
	return hosts
}

// runServer serves until ctx is done. A start that fails leaves every file
// as it was: what needs no database (the address, the fixture file) is
// checked before the database is opened, and a database this start
// created is removed again when a later step fails. Only the fixture load
// itself writes, in one transaction that a failure rolls back.
func (m *Main) runServer(ctx context.Context, c *serveConfig, log *slog.Logger) (err error) {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	serving := false
	defer func() {
		if !serving {
			ln.Close()
		}
	}()
	var data []byte
	if c.fixtures != "" {
		if data, err = os.ReadFile(c.fixtures); err != nil {
			return fmt.Errorf("fixtures: %w", err)
		}
		if _, err := fixture.Parse(data); err != nil {
			return fmt.Errorf("%s: %w", c.fixtures, err)
		}
	}
	url := "http://" + ln.Addr().String()
	srv, created, err := openServer(ctx, c.db, true, "", whmcsemu.Options{
		SystemURL: url + "/", // unless the fixtures choose one
		Logger:    log, AdminToken: c.adminToken, JournalSize: int(c.journalSize), JournalBytes: int(c.journalBytes),
		MaxBodyBytes: c.maxBody, MaxFields: int(c.maxFields), OCISkipSignatures: !c.ociVerifySignatures,
		Bans:         whmcsemu.BanPolicy{After: int(c.banAfter), Window: c.banWindow, Duration: c.banDuration},
		AllowedHosts: allowedHosts(c),
	})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := srv.Close(); cerr != nil {
			log.Error("closing the database", "err", cerr)
		}
		if created && !serving {
			if rerr := removeDatabase(c.db); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
	}()
	if data != nil {
		applied, err := srv.LoadFixtureOnce(ctx, data)
		var ferr *fixture.Error
		if errors.As(err, &ferr) {
			return fmt.Errorf("%s: %w", c.fixtures, err)
		} else if err != nil {
			return fmt.Errorf("loading %s into the database %s: %w", c.fixtures, srv.Path(), err)
		}
		if applied {
			log.Info("fixtures loaded", "file", c.fixtures)
		} else {
			log.Info("fixtures already loaded into this database; keeping its state", "file", c.fixtures)
		}
	}
	serving = true
	fmt.Fprintf(m.Stdout, "whmcsemu listening on %s\n", url)
	fmt.Fprintf(m.Stdout, "whmcsemu console at %s\n", url+whmcsemu.ConsolePrefix)
	log.Info("serving", "api", url+whmcsemu.APIPath, "console", url+whmcsemu.ConsolePrefix, "db", srv.Path())
	if m.Ready != nil {
		m.Ready(url)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: c.readHeaderTimeout,
		ReadTimeout:       c.readTimeout,
		WriteTimeout:      c.writeTimeout,
		IdleTimeout:       c.idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("stopping: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}
