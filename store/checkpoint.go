package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
)

// The writer connection does not checkpoint the WAL itself (SQLite's
// automatic checkpoint runs in the committing connection, so every few
// hundred writes one caller waited for a thousand pages to be copied and
// the file synced: that was the p99 of a create). A goroutine of the
// store's own copies committed pages into the database file instead,
// beside the writer, on a connection of its own.
// checkpointEvery is how many commits pass between two background
// checkpoints.
const checkpointEvery = 128

// walLimitFrames bounds the WAL: a background checkpoint cannot finish
// while writes keep coming, and SQLite restarts the WAL from the top only
// after one has. Past this size (about 64 MB of 4 KiB pages) the writer
// restarts it after its next commit (see committed), which holds writes
// up for a few milliseconds (copying what is left, syncing the file,
// waiting for the readers in the WAL): with a bound of 16 MB that happened
// five times a second under the create workload and set its p99. A
// variable for a test, read once by each checkpointer as it starts.
var walLimitFrames = 16000

type checkpointer struct {
	conn    *sql.DB // the background checkpoint's own
	writer  *sql.DB // the store's writer, for checkpoints past the bound
	limit   int     // walLimitFrames when it started
	nudge   chan struct{}
	stop    chan struct{}
	stopped chan struct{}
	commits int         // guarded by the DB's writer1
	behind  atomic.Bool // the WAL outgrew limit
	closing sync.Once
}

func startCheckpointer(path string, writer *sql.DB) (*checkpointer, error) {
	conn, err := sql.Open("sqlite", dsn(path, false, "cache_size(-256)"))
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, writer: writer, limit: walLimitFrames, nudge: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	for {
		select {
		case <-c.stop:
			return
		case <-c.nudge:
		}
		var busy, frames, copied int
		err := c.conn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
		if err != nil {
			slog.Warn("store: background checkpoint", "err", err)
			continue
		}
		if frames > c.limit {
			c.behind.Store(true)
		}
	}
}

// committed is told of each commit by the writer, which holds writer1; it
// checkpoints on the writer's connection when the WAL has grown past its
// bound, and otherwise wakes the background checkpoint now and then.
func (c *checkpointer) committed(ctx context.Context) {
	if c.behind.Load() {
		// RESTART waits (under busy_timeout) for the readers in the WAL to
		// finish and copies all of it, so that the next write starts the
		// WAL from the top. A PASSIVE checkpoint here left the WAL growing
		// while readers kept arriving (SQLite restarts it only when a write
		// begins with none in it); TRUNCATE, which also empties the file,
		// cost the create workload's p99 4 ms more.
		var busy, frames, copied int
		err := c.writer.QueryRowContext(ctx, `PRAGMA wal_checkpoint(RESTART)`).Scan(&busy, &frames, &copied)
		if err != nil {
			slog.Warn("store: checkpoint", "err", err)
		}
		// Busy: a reader or the background checkpoint held on past the
		// timeout; try again after the next commit.
		c.behind.Store(err == nil && busy != 0)
	}
	c.commits++
	if c.commits%checkpointEvery == 0 {
		select {
		case c.nudge <- struct{}{}:
		default: // one is running or waiting already
		}
	}
}

// close stops the goroutine and closes its connection.
// Closing twice is closing once, as for the DB.
func (c *checkpointer) close() (err error) {
	c.closing.Do(func() {
		close(c.stop)
		<-c.stopped
		err = c.conn.Close()
	})
	return err
}
