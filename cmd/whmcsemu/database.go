package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/whmcsemu/whmcsemu"
)

// openServer opens the database at path, and a Server over it, for a
// command. A missing one is an error unless create is set, saying what to
// do instead (missing): a typo in --db must not give an empty database and
// a success. created reports a database this call made, so that a command
// that then fails can take it away again (removeDatabase) and leave no
// file behind, while a database that was there before is never removed.
func openServer(ctx context.Context, path string, create bool, missing string, opts whmcsemu.Options) (srv *whmcsemu.Server, created bool, err error) {
	if create {
		// O_EXCL: created is true only for a file this call made, even if
		// another process makes one at the same moment. Any other failure
		// (a missing directory, a directory at path) is whmcsemu.Open's to
		// report, in its words.
		if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
			f.Close()
			created = true
		}
	} else {
		fi, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("database %s does not exist; %s", path, missing)
		} else if err != nil {
			return nil, false, fmt.Errorf("database: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return nil, false, fmt.Errorf("database: %s is not a file", path)
		}
	}
	srv, err = whmcsemu.Open(ctx, path, opts)
	if err != nil {
		if created {
			err = errors.Join(err, removeDatabase(path))
		}
		return nil, false, err
	}
	return srv, created, nil
}

// removeDatabase removes a database this command created, and the files
// SQLite keeps beside it (write-ahead log, shared memory, rollback
// journal). The database must be closed first.
func removeDatabase(path string) error {
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("removing the database %s this command created: %w", path, err)
	}
	return nil
}
