package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
)

// This file holds what the Domains actions keep beside tbldomains
// (migration 0020): TLDs and their prices, the active registrars, the
// emulated registrar's record of each domain and the WHOIS names a
// fixture decides. Money is in cents.

// TLD is a domain extension on sale (WHMCS's tbldomainpricing).
type TLD struct {
	ID                 int64
	Extension          string // ".com": lower case, with its dot
	DNSManagement      bool
	EmailForwarding    bool
	IDProtection       bool
	EPPRequired        bool
	AutoRegistrar      string
	Group              string // "", HOT, NEW or SALE
	Categories         []string
	GraceDays          int64 // -1: not set
	GraceFeeCents      int64 // below 0: disabled
	RedemptionDays     int64
	RedemptionFeeCents int64
	Order              int64 // display order, ascending
}

const tldColumns = `id, extension, dns_management, email_forwarding, id_protection, epp_required, auto_registrar,
	grp, categories, grace_days, grace_fee_cents, redemption_days, redemption_fee_cents, sort_order`

func scanTLD(row interface{ Scan(...any) error }) (TLD, error) {
	var t TLD
	var categories string
	err := row.Scan(&t.ID, &t.Extension, &t.DNSManagement, &t.EmailForwarding, &t.IDProtection, &t.EPPRequired,
		&t.AutoRegistrar, &t.Group, &categories, &t.GraceDays, &t.GraceFeeCents, &t.RedemptionDays,
		&t.RedemptionFeeCents, &t.Order)
	if categories != "" {
		t.Categories = strings.Split(categories, "\n")
	}
	return t, noRow(err)
}

// TLDs returns every TLD in display order.
func (tx *Tx) TLDs(ctx context.Context) ([]TLD, error) {
	return collect(ctx, tx, `SELECT `+tldColumns+` FROM tlds ORDER BY sort_order, id`,
		func(rows *sql.Rows) (TLD, error) { return scanTLD(rows) })
}

// TLDByExtension returns the TLD with the extension (".com"), or
// ErrNotFound.
func (tx *Tx) TLDByExtension(ctx context.Context, extension string) (TLD, error) {
	return scanTLD(tx.queryRow(ctx, `SELECT `+tldColumns+` FROM tlds WHERE extension = ?`, extension))
}

// PutTLD inserts a TLD, or replaces the one with the same id (else the
// same extension), and returns its id. A new TLD with Order 0 goes last.
func (tx *Tx) PutTLD(ctx context.Context, t TLD) (int64, error) {
	target := "extension"
	if t.ID != 0 {
		target = "id"
	}
	if t.Order == 0 {
		if err := tx.queryRow(ctx, `SELECT coalesce((SELECT sort_order FROM tlds WHERE extension = ?),
			(SELECT max(sort_order) + 1 FROM tlds), 1)`, t.Extension).Scan(&t.Order); err != nil {
			return 0, err
		}
	}
	return tx.upsert(ctx, `INSERT INTO tlds (`+tldColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET `+updateAll(tldColumns)+` RETURNING id`,
		nullID(t.ID), t.Extension, t.DNSManagement, t.EmailForwarding, t.IDProtection, t.EPPRequired, t.AutoRegistrar,
		t.Group, strings.Join(t.Categories, "\n"), t.GraceDays, t.GraceFeeCents, t.RedemptionDays,
		t.RedemptionFeeCents, t.Order)
}

// MoveTLDAfter puts the TLD id right after the TLD after (by display
// order), moving the ones that followed after down by one.
func (tx *Tx) MoveTLDAfter(ctx context.Context, id int64, after TLD) error {
	if _, err := tx.exec(ctx, `UPDATE tlds SET sort_order = sort_order + 1 WHERE sort_order > ? AND id != ?`,
		after.Order, id); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE tlds SET sort_order = ? WHERE id = ?`, after.Order+1, id)
	return err
}

// TLD price kinds.
const (
	TLDRegister = "register"
	TLDTransfer = "transfer"
	TLDRenew    = "renew"
)

// TLDPrice is a TLD's price for one currency, one kind (TLDRegister,
// TLDTransfer, TLDRenew) and one number of years.
type TLDPrice struct {
	TLDID      int64
	CurrencyID int64
	Type       string
	Years      int64
	Cents      int64
}

// SetTLDPrice sets one price; ErrMoneyRange when it does not fit
// decimal(16,2).
func (tx *Tx) SetTLDPrice(ctx context.Context, p TLDPrice) error {
	if err := CheckMoney(p.Cents); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO tld_pricing (tld_id, currency_id, type, years, price_cents) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(tld_id, currency_id, type, years) DO UPDATE SET price_cents = excluded.price_cents`,
		p.TLDID, p.CurrencyID, p.Type, p.Years, p.Cents)
	return err
}

// DeleteTLDPrice stops offering one period of one kind, in every currency.
func (tx *Tx) DeleteTLDPrice(ctx context.Context, tldID int64, typ string, years int64) error {
	_, err := tx.exec(ctx, `DELETE FROM tld_pricing WHERE tld_id = ? AND type = ? AND years = ?`, tldID, typ, years)
	return err
}

// DeleteTLDPrices removes every price of a TLD (a fixture row gives them
// all again).
func (tx *Tx) DeleteTLDPrices(ctx context.Context, tldID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM tld_pricing WHERE tld_id = ?`, tldID)
	return err
}

// TLDPrices returns the prices of every TLD, by TLD, currency, years and
// kind (register, transfer, renew); currencyID 0 means every currency.
func (tx *Tx) TLDPrices(ctx context.Context, currencyID int64) ([]TLDPrice, error) {
	return collect(ctx, tx, `SELECT tld_id, currency_id, type, years, price_cents FROM tld_pricing
		WHERE ? = 0 OR currency_id = ?
		ORDER BY tld_id, currency_id, years, CASE type WHEN 'register' THEN 1 WHEN 'transfer' THEN 2 ELSE 3 END`,
		func(rows *sql.Rows) (TLDPrice, error) {
			var p TLDPrice
			err := rows.Scan(&p.TLDID, &p.CurrencyID, &p.Type, &p.Years, &p.Cents)
			return p, err
		}, currencyID, currencyID)
}

// DomainPrice returns the price of a domain name for a kind, currency and
// number of years, from the TLD with the longest extension the name ends
// with ("shop.co.uk": .co.uk before .uk); ok is false when no TLD prices
// it so.
func (tx *Tx) DomainPrice(ctx context.Context, name string, currencyID int64, typ string, years int64) (cents int64, ok bool, err error) {
	err = tx.queryRow(ctx, `SELECT p.price_cents FROM tlds t
		JOIN tld_pricing p ON p.tld_id = t.id AND p.currency_id = ? AND p.type = ? AND p.years = ?
		WHERE substr(lower(?), -length(t.extension)) = t.extension AND length(?) > length(t.extension)
		ORDER BY length(t.extension) DESC LIMIT 1`, currencyID, typ, years, name, name).Scan(&cents)
	if err = noRow(err); errors.Is(err, ErrNotFound) {
		return 0, false, nil
	}
	return cents, err == nil, err
}

// DomainTLD returns the TLD with the longest extension the name ends
// with, or ErrNotFound.
func (tx *Tx) DomainTLD(ctx context.Context, name string) (TLD, error) {
	return scanTLD(tx.queryRow(ctx, `SELECT `+tldColumns+` FROM tlds
		WHERE substr(lower(?), -length(extension)) = extension AND length(?) > length(extension)
		ORDER BY length(extension) DESC LIMIT 1`, name, name))
}

// Registrar is an active registrar module.
type Registrar struct {
	ID          int64
	Module      string
	DisplayName string
}

// Registrars returns the active registrars, by id.
func (tx *Tx) Registrars(ctx context.Context) ([]Registrar, error) {
	return collect(ctx, tx, `SELECT id, module, display_name FROM registrars ORDER BY id`,
		func(rows *sql.Rows) (Registrar, error) {
			var r Registrar
			err := rows.Scan(&r.ID, &r.Module, &r.DisplayName)
			return r, err
		})
}

// PutRegistrar inserts a registrar, or replaces the one with the same
// module name.
func (tx *Tx) PutRegistrar(ctx context.Context, r Registrar) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO registrars (module, display_name) VALUES (?, ?)
		ON CONFLICT(module) DO UPDATE SET display_name = excluded.display_name, seeded = 0 RETURNING id`,
		r.Module, r.DisplayName)
}

// DropSeededRegistrars deletes the default registrar, before a fixture
// gives the registrars.
func (tx *Tx) DropSeededRegistrars(ctx context.Context) error {
	_, err := tx.exec(ctx, `DELETE FROM registrars WHERE seeded = 1`)
	return err
}

// WhoisContact is one WHOIS contact of a domain, as the registrar keeps
// it (its json names are the fixture format's: internal/fixture uses it).
type WhoisContact struct {
	FirstName   string `json:"firstName,omitempty"`
	LastName    string `json:"lastName,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
	JobTitle    string `json:"jobTitle,omitempty"`
	Email       string `json:"email,omitempty"`
	Address1    string `json:"address1,omitempty"`
	Address2    string `json:"address2,omitempty"`
	City        string `json:"city,omitempty"`
	State       string `json:"state,omitempty"`
	Postcode    string `json:"postcode,omitempty"`
	Country     string `json:"country,omitempty"`
	Phone       string `json:"phone,omitempty"` // +44.1234567890
}

// WhoisContactKinds are the contacts a registrar keeps, in WHMCS's order
// and spelling.
var WhoisContactKinds = [3]string{"Registrant", "Admin", "Tech"}

// DomainRegistrar is the emulated registrar's record of a domain.
type DomainRegistrar struct {
	DomainID    int64
	Held        bool     // registered or transferred in, and not released
	Nameservers []string // at most five
	Locked      bool
	EPPCode     string
	IDNLanguage string
	// Contacts are the Registrant, Admin and Tech contacts
	// (WhoisContactKinds); nil for one the registrar takes from the
	// client's details.
	Contacts [3]*WhoisContact
}

// DomainRegistrarByID returns the registrar's record of a domain: the
// defaults (not held, nothing set) for a domain it has none of.
func (tx *Tx) DomainRegistrarByID(ctx context.Context, domainID int64) (DomainRegistrar, error) {
	r, err := scanDomainRegistrar(tx.queryRow(ctx, `SELECT `+domainRegistrarColumns+` FROM domain_registrar
		WHERE domain_id = ?`, domainID))
	if errors.Is(err, ErrNotFound) {
		return DomainRegistrar{DomainID: domainID}, nil
	}
	return r, err
}

// DomainRegistrars returns every record the registrar keeps, by domain id
// (for exporting).
func (tx *Tx) DomainRegistrars(ctx context.Context) (map[int64]DomainRegistrar, error) {
	list, err := collect(ctx, tx, `SELECT `+domainRegistrarColumns+` FROM domain_registrar ORDER BY domain_id`,
		func(rows *sql.Rows) (DomainRegistrar, error) { return scanDomainRegistrar(rows) })
	out := make(map[int64]DomainRegistrar, len(list))
	for _, r := range list {
		out[r.DomainID] = r
	}
	return out, err
}

const domainRegistrarColumns = `domain_id, held, nameservers, locked, epp_code, idn_language, registrant, admin, tech`

func scanDomainRegistrar(row interface{ Scan(...any) error }) (DomainRegistrar, error) {
	var r DomainRegistrar
	var ns string
	var contacts [3]string
	if err := row.Scan(&r.DomainID, &r.Held, &ns, &r.Locked, &r.EPPCode, &r.IDNLanguage,
		&contacts[0], &contacts[1], &contacts[2]); err != nil {
		return r, noRow(err)
	}
	if ns != "" {
		r.Nameservers = strings.Split(ns, ",")
	}
	for i, c := range contacts {
		if c != "" {
			r.Contacts[i] = new(WhoisContact)
			if err := json.Unmarshal([]byte(c), r.Contacts[i]); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

// PutDomainRegistrar stores the registrar's record of a domain.
func (tx *Tx) PutDomainRegistrar(ctx context.Context, r DomainRegistrar) error {
	var contacts [3]string
	for i, c := range r.Contacts {
		if c != nil {
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			contacts[i] = string(b)
		}
	}
	_, err := tx.exec(ctx, `INSERT INTO domain_registrar (`+domainRegistrarColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(domain_id) DO UPDATE SET `+updateAll(domainRegistrarColumns),
		r.DomainID, r.Held, strings.Join(r.Nameservers, ","), r.Locked, r.EPPCode, r.IDNLanguage,
		contacts[0], contacts[1], contacts[2])
	return err
}

// DomainNameHeld reports whether the registrar holds a domain of that name
// (any case) other than the domain exceptID.
func (tx *Tx) DomainNameHeld(ctx context.Context, name string, exceptID int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM domains d JOIN domain_registrar r ON r.domain_id = d.id
		WHERE r.held = 1 AND lower(d.domain) = lower(?) AND d.id != ?)`, name, exceptID)
}

// DomainNameRegistered reports whether a domain of that name (any case),
// other than the domain exceptID, is registered: held by the registrar,
// or Transferred Away (held by another).
func (tx *Tx) DomainNameRegistered(ctx context.Context, name string, exceptID int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM domains d LEFT JOIN domain_registrar r ON r.domain_id = d.id
		WHERE (r.held = 1 OR d.status = 'Transferred Away') AND lower(d.domain) = lower(?) AND d.id != ?)`,
		name, exceptID)
}

// HeldDomainByName returns the domain of that name (any case) the
// registrar holds, the first by id, or ErrNotFound.
func (tx *Tx) HeldDomainByName(ctx context.Context, name string) (Domain, error) {
	var d Domain
	err := tx.queryRow(ctx, `SELECT `+prefixed("d.", domainColumns)+` FROM domains d
		JOIN domain_registrar r ON r.domain_id = d.id
		WHERE r.held = 1 AND lower(d.domain) = lower(?) ORDER BY d.id LIMIT 1`, name).Scan(d.fields()...)
	return d, noRow(err)
}

// DomainByName returns the first domain (by id) of that name, any case,
// or ErrNotFound.
func (tx *Tx) DomainByName(ctx context.Context, name string) (Domain, error) {
	var d Domain
	err := tx.queryRow(ctx, `SELECT `+domainColumns+` FROM domains WHERE lower(domain) = lower(?)
		ORDER BY id LIMIT 1`, name).Scan(d.fields()...)
	return d, noRow(err)
}

// WHOIS name kinds.
const (
	WhoisTaken       = "taken"
	WhoisReserved    = "reserved"
	WhoisUnsupported = "unsupported" // a TLD, with its dot
)

// WhoisName is a name DomainWhois answers as its kind says.
type WhoisName struct {
	Kind string
	Name string
}

// AddWhoisName adds a name of a kind (lower case); one there already
// stays.
func (tx *Tx) AddWhoisName(ctx context.Context, n WhoisName) error {
	_, err := tx.exec(ctx, `INSERT INTO whois_names (kind, name) VALUES (?, lower(?)) ON CONFLICT DO NOTHING`,
		n.Kind, n.Name)
	return err
}

// WhoisNames returns every name, by kind and name.
func (tx *Tx) WhoisNames(ctx context.Context) ([]WhoisName, error) {
	return collect(ctx, tx, `SELECT kind, name FROM whois_names ORDER BY kind, name`,
		func(rows *sql.Rows) (WhoisName, error) {
			var n WhoisName
			err := rows.Scan(&n.Kind, &n.Name)
			return n, err
		})
}

// WhoisNameIs reports whether name (any case) is listed as kind.
func (tx *Tx) WhoisNameIs(ctx context.Context, kind, name string) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM whois_names WHERE kind = ? AND name = lower(?))`, kind, name)
}
