package whmcsemu

import (
	"sync"
	"time"
)

// Clock is the emulator's time. It follows a base clock (the real one,
// unless Options.Clock gives another) until a test sets it; a set clock
// stands still except when advanced, so answers that hold times stay
// predictable. Tokens expire and dates in answers follow it.
type Clock struct {
	mu     sync.Mutex
	base   func() time.Time
	frozen bool
	at     time.Time     // the time when frozen
	offset time.Duration // added to base when not frozen
}

func newClock(base func() time.Time) *Clock {
	if base == nil {
		base = time.Now
	}
	return &Clock{base: base}
}

// Now is the emulator's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return c.base().Add(c.offset)
}

// Set stops the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.frozen, c.at = true, t
	c.mu.Unlock()
}

// Advance moves the clock by d (which may be negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	c.mu.Unlock()
}

// Restore puts the clock back on its base clock.
func (c *Clock) Restore() {
	c.mu.Lock()
	c.frozen, c.offset = false, 0
	c.mu.Unlock()
}

// Frozen reports whether the clock was set (and so stands still).
func (c *Clock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.frozen
}
