package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

const callUsage = `Usage: whmcsemu call [flags] ACTION [key=value ...]

Runs one API action in-process against the database, as WHMCS's localAPI()
does (no HTTP, no API credential, role or IP checks), and prints the result
on stdout exactly as the endpoint answers it for responsetype=json.

Flags come before ACTION; every argument after ACTION is a key=value pair
(so "call GetClients --db x.db" is an error, not a flag):
  --db FILE            the state; it must exist unless     WHMCSEMU_DB (default whmcsemu.db)
                       --create or --fixtures is given
  --create             create the database when it is missing (empty, or
                       with --fixtures); without it a missing database is an
                       error, so that a mistyped --db is not a fresh one
  --admin USER_OR_ID   the admin to act as, by username or id; an unknown one
                       gives "No matching admin user found" (default: none)
  --fixtures FILE      a fixture document to load first, once per database
                       as serve does (a database that has loaded it keeps
                       its state); creates a missing database, as --create.
                       When it cannot be loaded, a database this call
                       created is removed again

Parameters are key=value, split at the first "=". A key may be given more
than once; as in PHP the last value wins unless the key ends in [], which
collects a list: 'redirectUri[]=https://a.example/cb' 'redirectUri[]=...'.
An empty value is the same as leaving the key out, as in WHMCS.

Exit status: 0 when the result is success; 1 when it is a WHMCS error (its
JSON is still printed) or the database (missing, without --create) or
fixture file cannot be used; 2 for usage errors.

Example:
  whmcsemu call --db demo.db --fixtures testdata/fixtures/demo.json --admin admin \
      CreateOAuthCredential grantType=authorization_code name="My App" scope=openid \
      'redirectUri[]=https://app.example/cb' 'redirectUri[]=https://app.example/cb2'
  whmcsemu call --db demo.db ListOAuthCredentials
  whmcsemu call --db empty.db --create GetClients
`

const fixturesCheckUsage = `Usage: whmcsemu fixtures check FILE

Parses the fixture document FILE strictly and applies it to a fresh,
temporary database (removed afterwards), so that references between rows
(an API credential's admin and roles, a service's client and product, ...)
are checked too. It prints "FILE: ok", or the first problem with its path
inside the document (clients[2].emial), on stderr. The document is checked
on its own: rows it refers to must be in the same document.

Exit status: 0 when the document loads, 1 when it does not, 2 for usage errors.

Example:
  whmcsemu fixtures check testdata/fixtures/demo.json
`

const fixturesExportUsage = `Usage: whmcsemu fixtures export [--db FILE] [--out FILE]

Writes the whole state of a database as an indented JSON fixture document,
which "serve --fixtures" or "call --fixtures" loads into an empty database
to give the same answers. Passwords and API secrets are written as their
bcrypt hashes, OAuth client secrets as they are: keep the file private.

  --db FILE    the database to read; it must exist   WHMCSEMU_DB (default whmcsemu.db)
  --out FILE   where to write the document (default: stdout)

Exit status: 0 on success, 1 when the database is missing or unusable or
the output cannot be written, 2 for usage errors.

Example:
  whmcsemu fixtures export --db whmcsemu.db --out snapshot.json
  whmcsemu serve --db fresh.db --fixtures snapshot.json
`

const fixturesUsage = `Usage:
  whmcsemu fixtures check FILE                        check a fixture document
  whmcsemu fixtures export [--db FILE] [--out FILE]   write a database's state as one

Run "whmcsemu fixtures check --help" or "whmcsemu fixtures export --help"
for details.

Example:
  whmcsemu fixtures check testdata/fixtures/demo.json
  whmcsemu fixtures export --db whmcsemu.db --out snapshot.json
`

// getenv is m.Getenv(key), or def when that is empty.
func (m *Main) getenv(key, def string) string {
	if m.Getenv != nil {
		if v := m.Getenv(key); v != "" {
			return v
		}
	}
	return def
}

// parseFlags parses args with set. It returns -1 to go on, or the exit code
// once it has printed help (0) or a usage error (2).
func (m *Main) parseFlags(set *flag.FlagSet, args []string, help string) int {
	set.SetOutput(io.Discard)
	if err := set.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(m.Stdout, help)
			return 0
		}
		return m.usageError(help, "%v", err)
	}
	return -1
}

// usageError prints a usage error and the command's help on stderr and
// returns 2.
func (m *Main) usageError(help, format string, args ...any) int {
	fmt.Fprintf(m.Stderr, "whmcsemu: %s\n\n%s", fmt.Sprintf(format, args...), help)
	return 2
}

// callParams reads key=value arguments into the parameters of a local API
// call; a key given twice gets both values, in order.
func callParams(args []string) (url.Values, error) {
	params := url.Values{}
	for _, arg := range args {
		key, value, ok := strings.Cut(arg, "=")
		if !ok {
			if strings.HasPrefix(arg, "-") {
				return nil, fmt.Errorf("argument %q is not key=value (flags go before ACTION)", arg)
			}
			return nil, fmt.Errorf("argument %q is not key=value", arg)
		}
		if key == "" {
			return nil, fmt.Errorf("argument %q has an empty key", arg)
		}
		params.Add(key, value)
	}
	return params, nil
}

func (m *Main) call(ctx context.Context, args []string) int {
	set := flag.NewFlagSet("call", flag.ContinueOnError)
	db := set.String("db", m.getenv("WHMCSEMU_DB", "whmcsemu.db"), "")
	admin := set.String("admin", "", "")
	fixtures := set.String("fixtures", "", "")
	create := set.Bool("create", false, "")
	if code := m.parseFlags(set, args, callUsage); code >= 0 {
		return code
	}
	if set.NArg() == 0 {
		return m.usageError(callUsage, "call needs an ACTION")
	}
	action := set.Arg(0)
	if strings.Contains(action, "=") {
		return m.usageError(callUsage, "call needs an ACTION before the key=value pairs, not %q", action)
	}
	params, err := callParams(set.Args()[1:])
	if err != nil {
		return m.usageError(callUsage, "%v", err)
	}
	res, err := m.runCall(ctx, callSetup{db: *db, fixtures: *fixtures, create: *create, admin: *admin}, action, params)
	if err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: %v\n", err)
		return 1
	}
	if _, err := fmt.Fprintf(m.Stdout, "%s\n", res.JSON()); err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: writing the result: %v\n", err)
		return 1
	}
	if !res.OK() {
		return 1
	}
	return 0
}

// callSetup is what call does before its action: the database, whether to
// create it, the fixture to load, the admin to act as.
type callSetup struct {
	db, fixtures, admin string
	create              bool
}

// callMissing tells the user what to do about a missing --db.
const callMissing = "pass --create to make an empty one, or --fixtures FILE to make one from a fixture document"

// runCall opens the database (creating it only with --create or
// --fixtures), loads the fixture file once, and runs the call. A database
// this call created is removed again when the fixture cannot be loaded, so
// a failed call leaves no file behind.
func (m *Main) runCall(ctx context.Context, c callSetup, action string, params url.Values) (res *whmcsemu.Result, err error) {
	var data []byte
	if c.fixtures != "" {
		if data, err = os.ReadFile(c.fixtures); err != nil {
			return nil, readError("fixtures", c.fixtures, err)
		}
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, created, err := openServer(ctx, c.db, c.create || data != nil, callMissing, whmcsemu.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	ran := false
	defer func() {
		var cerr error
		if err := srv.Close(); err != nil {
			cerr = fmt.Errorf("closing the database %s: %w", c.db, err)
		}
		if created && !ran {
			cerr = errors.Join(cerr, removeDatabase(c.db))
		}
		if cerr != nil && err == nil {
			res, err = nil, cerr
		} else if cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	if data != nil {
		if _, err := srv.LoadFixtureOnce(ctx, data); err != nil {
			return nil, fmt.Errorf("%s: %w", c.fixtures, err)
		}
	}
	ran = true
	return srv.Call(ctx, action, params, c.admin), nil
}

// readError says which file could not be read, plainly when it is missing.
func readError(what, path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %s: no such file", what, path)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (m *Main) fixtures(ctx context.Context, args []string) int {
	if len(args) == 0 {
		return m.usageError(fixturesUsage, "fixtures needs a subcommand: check or export")
	}
	switch args[0] {
	case "check":
		return m.fixturesCheck(ctx, args[1:])
	case "export":
		return m.fixturesExport(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(m.Stdout, fixturesUsage)
		return 0
	}
	return m.usageError(fixturesUsage, "unknown fixtures subcommand %q", args[0])
}

func (m *Main) fixturesCheck(ctx context.Context, args []string) int {
	set := flag.NewFlagSet("fixtures check", flag.ContinueOnError)
	if code := m.parseFlags(set, args, fixturesCheckUsage); code >= 0 {
		return code
	}
	if set.NArg() != 1 {
		return m.usageError(fixturesCheckUsage, "fixtures check needs exactly one FILE")
	}
	file := set.Arg(0)
	if err := checkFixture(ctx, file); err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: %s: %v\n", file, err)
		return 1
	}
	fmt.Fprintf(m.Stderr, "%s: ok\n", file)
	return 0
}

// checkFixture parses the document and applies it to a temporary database.
func checkFixture(ctx context.Context, file string) (err error) {
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errors.New("no such file")
		}
		return err
	}
	if _, err := fixture.Parse(data); err != nil {
		return err // before creating a database: a parse error needs none
	}
	dir, err := os.MkdirTemp("", "whmcsemu-check-")
	if err != nil {
		return fmt.Errorf("temporary database: %w", err)
	}
	defer func() {
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = fmt.Errorf("removing the temporary database: %w", rerr)
		}
	}()
	srv, err := whmcsemu.Open(ctx, filepath.Join(dir, "check.db"), whmcsemu.Options{})
	if err != nil {
		return fmt.Errorf("temporary database: %w", err)
	}
	defer srv.Close()
	return srv.LoadFixture(ctx, data)
}

func (m *Main) fixturesExport(ctx context.Context, args []string) int {
	set := flag.NewFlagSet("fixtures export", flag.ContinueOnError)
	dbPath := set.String("db", m.getenv("WHMCSEMU_DB", "whmcsemu.db"), "")
	out := set.String("out", "", "")
	if code := m.parseFlags(set, args, fixturesExportUsage); code >= 0 {
		return code
	}
	if set.NArg() > 0 {
		return m.usageError(fixturesExportUsage, "unexpected argument %q", set.Arg(0))
	}
	data, err := exportFixture(ctx, *dbPath)
	if err == nil {
		if *out == "" {
			_, err = m.Stdout.Write(data)
		} else {
			err = os.WriteFile(*out, data, 0o600) // it holds OAuth client secrets
		}
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "whmcsemu: %v\n", err)
		return 1
	}
	return 0
}

// exportFixture reads an existing database's state as an indented
// document; a missing one is an error, never created.
func exportFixture(ctx context.Context, path string) (_ []byte, err error) {
	srv, _, err := openServer(ctx, path, false, "pass --db with the file serve or call uses", whmcsemu.Options{})
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := srv.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("closing the database %s: %w", path, cerr)
		}
	}()
	data, err := srv.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", path, err)
	}
	return data, nil
}
