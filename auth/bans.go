package auth

import (
	"sort"
	"sync"
	"time"
)

// MsgBanned is the answer to a banned IP.
const MsgBanned = "IP Banned"

// BanPolicy says when repeated failed logins ban an IP, as WHMCS does.
type BanPolicy struct {
	After    int           // failed authentications that ban; 0 turns bans off
	Window   time.Duration // within this long
	Duration time.Duration // how long the ban lasts
}

// Ban is one banned IP.
type Ban struct {
	IP       string    `json:"ip"`
	Until    time.Time `json:"until"`
	Failures int       `json:"failures"`
}

type banEntry struct {
	failures []time.Time // recent failures, oldest first
	until    time.Time   // banned until; zero when not banned
}

// Bans counts failed authentications per IP and bans IPs that fail too
// often. Times come from the caller (the emulator's clock), so tests can
// move past a ban.
type Bans struct {
	mu     sync.Mutex
	policy BanPolicy
	ips    map[string]*banEntry
}

// maxTracked bounds the IPs remembered; past it, IPs with no ban are forgotten.
const maxTracked = 100000

// NewBans returns a ban list with policy p.
func NewBans(p BanPolicy) *Bans { return &Bans{policy: p, ips: map[string]*banEntry{}} }

// Enabled reports whether failed logins can ban at all.
func (b *Bans) Enabled() bool { return b.policy.After > 0 }

// Banned reports whether ip is banned at now.
func (b *Bans) Banned(ip string, now time.Time) bool {
	if !b.Enabled() {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.ips[ip]
	return e != nil && now.Before(e.until)
}

// Failed records a failed authentication from ip at now and reports
// whether that banned it.
func (b *Bans) Failed(ip string, now time.Time) bool {
	if !b.Enabled() {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.ips[ip]
	if e == nil {
		if len(b.ips) >= maxTracked {
			b.forgetUnbanned(now)
		}
		e = &banEntry{}
		b.ips[ip] = e
	}
	cutoff := now.Add(-b.policy.Window)
	kept := e.failures[:0]
	for _, t := range e.failures {
		if t.After(cutoff) {
			kept = append(kept, t)
		}
	}
	e.failures = append(kept, now)
	if len(e.failures) >= b.policy.After {
		e.until = now.Add(b.policy.Duration)
		e.failures = nil
		return true
	}
	return false
}

func (b *Bans) forgetUnbanned(now time.Time) {
	for ip, e := range b.ips {
		if !now.Before(e.until) {
			delete(b.ips, ip)
		}
	}
}

// List returns the IPs banned at now, by IP.
func (b *Bans) List(now time.Time) []Ban {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := []Ban{}
	for ip, e := range b.ips {
		if now.Before(e.until) {
			out = append(out, Ban{IP: ip, Until: e.until, Failures: b.policy.After})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IP < out[j].IP })
	return out
}

// Lift ends ip's ban and forgets its failures; it reports whether ip was
// banned or had failures.
func (b *Bans) Lift(ip string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.ips[ip]
	delete(b.ips, ip)
	return ok
}

// Clear lifts every ban and forgets every failure.
func (b *Bans) Clear() {
	b.mu.Lock()
	b.ips = map[string]*banEntry{}
	b.mu.Unlock()
}
