package whmcsemu

import (
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
)

// BanPolicy says when repeated failed logins from one IP ban it, as
// WHMCS's "IP Banned" does. The zero policy never bans.
type BanPolicy struct {
	After    int           // failed authentications that ban; 0 turns bans off
	Window   time.Duration // counted within this long
	Duration time.Duration // how long a ban lasts
}

// Ban is a banned IP.
type Ban struct {
	IP       string    `json:"ip"`
	Until    time.Time `json:"until"`
	Failures int       `json:"failures"`
}

// Bans are the IPs banned for failed logins, on the emulator's clock.
// Every caller counts: the WHMCS API, the dialects' token endpoints and
// signatures, and the control plane's admin token.
type Bans struct {
	list  *auth.Bans
	clock *Clock
}

func newBans(p BanPolicy, clock *Clock) *Bans {
	return &Bans{list: auth.NewBans(auth.BanPolicy(p)), clock: clock}
}

// List returns the IPs banned now, by IP.
func (b *Bans) List() []Ban {
	out := []Ban{}
	for _, ban := range b.list.List(b.clock.Now()) {
		out = append(out, Ban(ban))
	}
	return out
}

// Lift ends ip's ban and forgets its failures; it reports whether ip was
// banned or had failures.
func (b *Bans) Lift(ip string) bool { return b.list.Lift(ip) }

// Clear lifts every ban and forgets every failure.
func (b *Bans) Clear() { b.list.Clear() }

func (b *Bans) banned(ip string) bool { return b.list.Banned(ip, b.clock.Now()) }

// failed counts a failed authentication from ip and reports whether that
// banned it.
func (b *Bans) failed(ip string) bool { return b.list.Failed(ip, b.clock.Now()) }
