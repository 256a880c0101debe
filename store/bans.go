package store

import (
	"context"
	"database/sql"
	"net/netip"
)

// BannedIP is a ban AddBannedIp (or a fixture) put on an address
// (migration 0023). Expires is Unix seconds; 0 never expires.
type BannedIP struct {
	ID      int64
	IP      string
	Reason  string
	Expires int64
}

// tableBans is the table of banned IPs, which the read model keeps in
// memory too (store/model.go: a write returns only once the set shows it):
// the server asks about every request's address, so the question must cost
// no SQL.
const tableBans = "banned_ips"

// CanonicalIP is an address as bans and the fraud block list compare it:
// netip's form, an IPv4 address mapped into IPv6 unmapped; ok is false
// when s is no address.
func CanonicalIP(s string) (string, bool) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return "", false
	}
	return addr.Unmap().WithZone("").String(), true
}

// banSet is the banned IPs in memory: address → expiry (0: never).
type banSet map[string]int64

// IPBanned reports whether ip is banned at now (Unix seconds) by a ban of
// this table. ip must be in netip's canonical form.
func (db *DB) IPBanned(ip string, now int64) bool {
	set := db.banSet()
	if set == nil {
		return false
	}
	expires, ok := (*set)[ip]
	return ok && (expires == 0 || now < expires)
}

// HasBannedIPs reports whether the table holds any ban, so that a caller
// can skip putting an address in canonical form when it holds none.
func (db *DB) HasBannedIPs() bool {
	set := db.banSet()
	return set != nil && len(*set) > 0
}

// banSet is the committed banned IPs (nil before the model is loaded).
func (db *DB) banSet() *banSet {
	if db.model == nil {
		return nil
	}
	return db.model.bans.Load()
}

// readBans reads the whole table, inside the transaction that changed it.
func (tx *Tx) readBans(ctx context.Context) (*banSet, error) {
	set := banSet{}
	err := tx.eachRow(ctx, `SELECT ip, expires FROM banned_ips`, func(rows *sql.Rows) error {
		var ip string
		var expires int64
		if err := rows.Scan(&ip, &expires); err != nil {
			return err
		}
		set[ip] = expires
		return nil
	})
	return &set, err
}

const bannedIPColumns = `id, ip, reason, expires`

func scanBannedIP(rows *sql.Rows) (BannedIP, error) {
	var b BannedIP
	err := rows.Scan(&b.ID, &b.IP, &b.Reason, &b.Expires)
	return b, err
}

// PutBannedIP bans b.IP (an ID of 0 takes the next id), or replaces the
// ban the address (or the id) has, and returns the ban's id.
func (tx *Tx) PutBannedIP(ctx context.Context, b BannedIP) (int64, error) {
	if b.ID == 0 {
		return tx.upsert(ctx, `INSERT INTO banned_ips (ip, reason, expires) VALUES (?, ?, ?)
			ON CONFLICT(ip) DO UPDATE SET reason = excluded.reason, expires = excluded.expires
			RETURNING id`, b.IP, b.Reason, b.Expires)
	}
	return tx.upsert(ctx, `INSERT INTO banned_ips (id, ip, reason, expires) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET ip = excluded.ip, reason = excluded.reason, expires = excluded.expires
		RETURNING id`, b.ID, b.IP, b.Reason, b.Expires)
}

// BannedIPs returns every ban, expired ones too, by id.
func (tx *Tx) BannedIPs(ctx context.Context) ([]BannedIP, error) {
	return collect(ctx, tx, `SELECT `+bannedIPColumns+` FROM banned_ips ORDER BY id`, scanBannedIP)
}

// LiftBannedIP removes ip's ban and reports whether it had one.
func (tx *Tx) LiftBannedIP(ctx context.Context, ip string) (bool, error) {
	res, err := tx.exec(ctx, `DELETE FROM banned_ips WHERE ip = ?`, ip)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ClearBannedIPs removes every ban.
func (tx *Tx) ClearBannedIPs(ctx context.Context) error {
	tx.db.changes.changedAll(tableBans) // the truncate optimisation skips the hook
	_, err := tx.exec(ctx, `DELETE FROM banned_ips`)
	return err
}
