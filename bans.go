package whmcsemu

import (
	"context"
	"log/slog"
	"sort"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// BanPolicy says when repeated failed logins from one IP ban it, as
// WHMCS's "IP Banned" does. The zero policy never bans.
type BanPolicy struct {
	After    int           // failed authentications that ban; 0 turns bans off
	Window   time.Duration // counted within this long
	Duration time.Duration // how long a ban lasts
}

// Ban is a banned IP: banned after Failures failed logins, or by
// AddBannedIp (or a fixture's bannedIps) with a Reason. Until is when the
// ban ends; a Permanent ban has none.
type Ban struct {
	IP        string    `json:"ip"`
	Until     time.Time `json:"until"`
	Failures  int       `json:"failures"`
	Reason    string    `json:"reason,omitempty"`
	Permanent bool      `json:"permanent,omitempty"`
}

// Bans are the IPs banned, on the emulator's clock: for failed logins
// (kept in memory: every caller counts, the WHMCS API, the dialects'
// token endpoints and signatures, and the control plane's admin token),
// and by AddBannedIp (kept in the database, which holds them in memory
// too, so asking costs no SQL). Either refuses the address everywhere.
type Bans struct {
	list  *auth.Bans
	clock *Clock
	db    *store.DB
	log   *slog.Logger
}

func newBans(p BanPolicy, clock *Clock, db *store.DB, log *slog.Logger) *Bans {
	return &Bans{list: auth.NewBans(auth.BanPolicy(p)), clock: clock, db: db, log: log}
}

// List returns the IPs banned now, by IP (an address banned both ways
// once, the later end first).
func (b *Bans) List() []Ban {
	now := b.clock.Now()
	out := []Ban{}
	for _, ban := range b.list.List(now) {
		out = append(out, Ban{IP: ban.IP, Until: ban.Until, Failures: ban.Failures})
	}
	var stored []store.BannedIP
	err := b.db.View(context.Background(), func(tx *store.Tx) (err error) {
		stored, err = tx.BannedIPs(context.Background())
		return err
	})
	if err != nil {
		b.log.Error("reading the banned IPs failed", "err", err)
	}
	for _, s := range stored {
		if s.Expires != 0 && now.Unix() >= s.Expires {
			continue
		}
		ban := Ban{IP: s.IP, Reason: s.Reason, Permanent: s.Expires == 0}
		if !ban.Permanent {
			ban.Until = time.Unix(s.Expires, 0).UTC()
		}
		out = append(out, ban)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].IP != out[j].IP {
			return out[i].IP < out[j].IP
		}
		if out[i].Permanent != out[j].Permanent {
			return out[i].Permanent
		}
		return out[i].Until.After(out[j].Until)
	})
	return out
}

// Lift ends ip's bans, both kinds, and forgets its failures; it reports
// whether ip was banned or had failures.
func (b *Bans) Lift(ip string) bool {
	lifted := b.list.Lift(ip)
	if canonical, ok := store.CanonicalIP(ip); ok {
		err := b.db.Update(context.Background(), func(tx *store.Tx) error {
			found, err := tx.LiftBannedIP(context.Background(), canonical)
			lifted = lifted || found
			return err
		})
		if err != nil {
			b.log.Error("lifting a banned IP failed", "ip", canonical, "err", err)
		}
	}
	return lifted
}

// Clear lifts every ban, both kinds, and forgets every failure.
func (b *Bans) Clear() {
	b.list.Clear()
	if err := b.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.ClearBannedIPs(context.Background())
	}); err != nil {
		b.log.Error("clearing the banned IPs failed", "err", err)
	}
}

// banned reports whether ip is banned now, either way.
func (b *Bans) banned(ip string) bool {
	now := b.clock.Now()
	if b.list.Banned(ip, now) {
		return true
	}
	if !b.db.HasBannedIPs() {
		return false // the usual case: no address to put in canonical form
	}
	canonical, ok := store.CanonicalIP(ip)
	return ok && b.db.IPBanned(canonical, now.Unix())
}

// failed counts a failed authentication from ip and reports whether that
// banned it.
func (b *Bans) failed(ip string) bool { return b.list.Failed(ip, b.clock.Now()) }
