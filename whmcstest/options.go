package whmcstest

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// Option configures a Server made by NewServer.
type Option func(*config)

// config is what the options set.
type config struct {
	fixtures [][]byte // the documents to load, in order
	errs     []error  // problems found while applying options
	noSocket bool
	clock    time.Time
	hasClock bool
	seed     uint64
	logger   *slog.Logger
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c
}

// WithFixtureFile loads the fixture document in the file at path (the
// format docs/fixtures.md describes). Several fixtures load in the order given,
// and Reset restores all of them.
func WithFixtureFile(path string) Option {
	return func(c *config) {
		data, err := os.ReadFile(path)
		if err != nil {
			c.errs = append(c.errs, fmt.Errorf("fixture file: %w", err))
			return
		}
		c.fixtures = append(c.fixtures, data)
	}
}

// WithFixture loads a fixture document given as JSON (the format the
// README's fixture page describes), such as a test builds with
// json.Marshal. The server keeps its own copy.
func WithFixture(document []byte) Option {
	return func(c *config) {
		if len(document) == 0 {
			c.errs = append(c.errs, errors.New("WithFixture: an empty document (give at least {})"))
			return
		}
		c.fixtures = append(c.fixtures, bytes.Clone(document))
	}
}

// WithoutSocket serves the emulator without a network listener: Client
// reaches it through an in-memory transport that calls the handler in the
// same process, as if from 127.0.0.1. Server.URL is then a placeholder
// (http://whmcsemu.test) that only Client can reach.
func WithoutSocket() Option {
	return func(c *config) { c.noSocket = true }
}

// WithClock stops the emulator's clock at t: generated dates (OAuth
// credentials' createdAt, token expiry) use it, and Reset brings the clock
// back to t after a test has set or advanced it.
func WithClock(t time.Time) Option {
	return func(c *config) { c.clock, c.hasClock = t, true }
}

// WithSeed makes generated values deterministic: the server's own
// Identifier and Secret, and the identifiers, secrets and tokens the
// emulator generates, are the same for every server with the same seed
// (and fixtures), and repeat after Reset. A zero seed means random.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = seed }
}

// WithLogger sends the emulator's log (one line per API call, and any
// internal error) to l; by default it is discarded. A logger that writes
// through testing.T.Log must not outlive the test.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// clockFunc is the base clock the emulator follows: the fixed time, or
// nil for the real one.
func (c *config) clockFunc() func() time.Time {
	if !c.hasClock {
		return nil
	}
	t := c.clock
	return func() time.Time { return t }
}
