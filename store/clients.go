package store

import (
	"context"
	"database/sql"
)

// This file holds the queries of the Client actions beyond the identity
// columns in accounts.go: a client's profile (address, phone, currency,
// notes, …), finding a client by email, the users that can reach it, and
// what its services count.

// ClientProfile is what is kept of a client beyond Client.
type ClientProfile struct {
	Address1          string
	Address2          string
	City              string
	State             string
	Postcode          string
	Country           string // two-letter ISO code as given
	PhoneNumber       string
	TaxID             string
	Currency          int64 // currency id; 1 by default
	GroupID           int64 // client group id; 0 for none
	Notes             string
	Language          string
	MarketingOptIn    bool
	EmailOff          string // space-separated kinds of email turned off (general invoice support product domain affiliate)
	TaxExempt         bool
	LateFeeOverride   bool
	OverdueOverride   bool // overdue notices overridden
	SeparateInvoices  bool
	DisableAutoCC     bool
	OverrideAutoClose bool
	Credit            string // decimal with two places, "0.00" by default
	CreatedAt         int64  // Unix seconds; 0 when unknown
}

// ClientUser is a user who can reach a client, as its owner or not.
type ClientUser struct {
	ID        int64
	Firstname string
	Lastname  string
	Email     string
	Owner     bool
}

// ServiceCount is how many of a client's services have a product type and
// a status.
type ServiceCount struct {
	ProductType string
	Status      string
	Count       int64
}

const clientProfileColumns = `address1, address2, city, state, postcode, country, phonenumber, tax_id,
	currency, groupid, notes, language, marketing_opt_in, email_off, tax_exempt, late_fee_override,
	overdue_notices_override, separate_invoices, disable_auto_cc, override_auto_close, credit, created_at`

func (p *ClientProfile) fields() []any {
	return []any{&p.Address1, &p.Address2, &p.City, &p.State, &p.Postcode, &p.Country, &p.PhoneNumber, &p.TaxID,
		&p.Currency, &p.GroupID, &p.Notes, &p.Language, &p.MarketingOptIn, &p.EmailOff, &p.TaxExempt,
		&p.LateFeeOverride, &p.OverdueOverride, &p.SeparateInvoices, &p.DisableAutoCC, &p.OverrideAutoClose,
		&p.Credit, &p.CreatedAt}
}

func (p ClientProfile) values() []any {
	if p.Currency == 0 {
		p.Currency = 1
	}
	if p.Credit == "" {
		p.Credit = "0.00"
	}
	return []any{p.Address1, p.Address2, p.City, p.State, p.Postcode, p.Country, p.PhoneNumber, p.TaxID,
		p.Currency, p.GroupID, p.Notes, p.Language, p.MarketingOptIn, p.EmailOff, p.TaxExempt,
		p.LateFeeOverride, p.OverdueOverride, p.SeparateInvoices, p.DisableAutoCC, p.OverrideAutoClose,
		p.Credit, p.CreatedAt}
}

// AddClient inserts a new client (with no extra users) and its profile,
// and returns its id. A uuid another client has gives ErrConflict.
func (tx *Tx) AddClient(ctx context.Context, c Client, p ClientProfile) (int64, error) {
	args := append([]any{c.UUID, c.Firstname, c.Lastname, c.CompanyName, c.Email, c.Status, nullID(c.OwnerUserID)},
		p.values()...)
	return tx.upsert(ctx, `INSERT INTO clients (uuid, firstname, lastname, companyname, email, status, owner_user_id,
		`+clientProfileColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
		?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		args...)
}

// clientRowSelect reads a ClientRow.
const clientRowSelect = `SELECT id, uuid, firstname, lastname, companyname, email, status, owner_user_id, ` +
	clientProfileColumns + ` FROM clients`

func scanClientRow(row interface{ Scan(...any) error }) (ClientRow, error) {
	var c ClientRow
	var owner sql.NullInt64
	err := row.Scan(append([]any{&c.ID, &c.UUID, &c.Firstname, &c.Lastname, &c.CompanyName, &c.Email, &c.Status,
		&owner}, c.Profile.fields()...)...)
	c.OwnerUserID = owner.Int64
	return c, noRow(err)
}

// ClientProfileByID returns the profile of the client with the given id.
func (tx *Tx) ClientProfileByID(ctx context.Context, id int64) (ClientProfile, error) {
	if m := tx.fromModel(modelClients, id); m != nil {
		c, err := m.clientRow(id)
		return c.Profile, err
	}
	var p ClientProfile
	err := tx.queryRow(ctx, `SELECT `+clientProfileColumns+` FROM clients WHERE id = ?`, id).Scan(p.fields()...)
	return p, noRow(err)
}

// SetClientProfile writes the profile of the client with the given id.
func (tx *Tx) SetClientProfile(ctx context.Context, id int64, p ClientProfile) error {
	return tx.execFound(ctx, `UPDATE clients SET address1 = ?, address2 = ?, city = ?, state = ?, postcode = ?,
		country = ?, phonenumber = ?, tax_id = ?, currency = ?, groupid = ?, notes = ?, language = ?,
		marketing_opt_in = ?, email_off = ?, tax_exempt = ?, late_fee_override = ?, overdue_notices_override = ?,
		separate_invoices = ?, disable_auto_cc = ?, override_auto_close = ?, credit = ?, created_at = ? WHERE id = ?`, append(p.values(), id)...)
}

// ClientProfiles returns every client's profile, by client id.
func (tx *Tx) ClientProfiles(ctx context.Context) (map[int64]ClientProfile, error) {
	out := map[int64]ClientProfile{}
	err := tx.eachRow(ctx, `SELECT id, `+clientProfileColumns+` FROM clients`, func(rows *sql.Rows) error {
		var id int64
		var p ClientProfile
		err := rows.Scan(append([]any{&id}, p.fields()...)...)
		out[id] = p
		return err
	})
	return out, err
}

// ClientIDByEmail returns the id of the client with the given email,
// compared case-insensitively (ASCII); the lowest id when several share it.
func (tx *Tx) ClientIDByEmail(ctx context.Context, email string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM clients WHERE lower(email) = lower(?) ORDER BY id LIMIT 1`, email).Scan(&id)
	return id, noRow(err)
}

// ClientUsers returns the users who can reach the client with the given
// id: the owner first, then the others by id.
func (tx *Tx) ClientUsers(ctx context.Context, id int64) ([]ClientUser, error) {
	if m := tx.fromModel(modelClients, id); m != nil && tx.fromModel(modelUsers, 0) != nil &&
		tx.fromModel(modelClientUsers, 0) != nil {
		return m.clientUserList(id), nil
	}
	return collect(ctx, tx, `SELECT u.id, u.firstname, u.lastname, u.email, 1 FROM clients c
		JOIN users u ON u.id = c.owner_user_id WHERE c.id = ?
		UNION ALL
		SELECT u.id, u.firstname, u.lastname, u.email, 0 FROM client_users cu
		JOIN users u ON u.id = cu.user_id JOIN clients c ON c.id = cu.client_id
		WHERE cu.client_id = ? AND u.id IS NOT coalesce(c.owner_user_id, 0)
		ORDER BY 5 DESC, 1`, func(rows *sql.Rows) (ClientUser, error) {
		var u ClientUser
		err := rows.Scan(&u.ID, &u.Firstname, &u.Lastname, &u.Email, &u.Owner)
		return u, err
	}, id, id)
}

// ClientServiceCounts counts the client's services by product type and
// status.
func (tx *Tx) ClientServiceCounts(ctx context.Context, id int64) ([]ServiceCount, error) {
	return collect(ctx, tx, `SELECT p.type, s.status, count(*) FROM services s
		JOIN products p ON p.id = s.product_id WHERE s.client_id = ? GROUP BY p.type, s.status`,
		func(rows *sql.Rows) (ServiceCount, error) {
			var c ServiceCount
			err := rows.Scan(&c.ProductType, &c.Status, &c.Count)
			return c, err
		}, id)
}

// ClientActivity counts what a client has beside services and invoices,
// for GetClientsDetails' stats.
type ClientActivity struct {
	Domains, ActiveDomains int
	Tickets, ActiveTickets int // active: every status but Closed
	AffiliateSignups       int // the services the client referred as an affiliate
	IsAffiliate            bool
}

// ClientActivityCounts counts a client's domains, tickets and affiliate
// referrals.
func (tx *Tx) ClientActivityCounts(ctx context.Context, id int64) (ClientActivity, error) {
	var a ClientActivity
	err := tx.queryRow(ctx, `SELECT
		(SELECT count(*) FROM domains WHERE client_id = ?1),
		(SELECT count(*) FROM domains WHERE client_id = ?1 AND status = 'Active'),
		(SELECT count(*) FROM tickets WHERE client_id = ?1),
		(SELECT count(*) FROM tickets WHERE client_id = ?1 AND status <> 'Closed'),
		(SELECT count(*) FROM affiliate_referrals r JOIN affiliates f ON f.id = r.affiliate_id WHERE f.client_id = ?1),
		EXISTS (SELECT 1 FROM affiliates WHERE client_id = ?1)`, id).Scan(
		&a.Domains, &a.ActiveDomains, &a.Tickets, &a.ActiveTickets, &a.AffiliateSignups, &a.IsAffiliate)
	return a, err
}

// ClientEntry is one client of a page from ListClients.
type ClientEntry struct {
	ID          int64
	Firstname   string
	Lastname    string
	CompanyName string
	Email       string
	GroupID     int64
	Status      string
	CreatedAt   int64
}

// ClientFilter selects a page of clients.
type ClientFilter struct {
	// Search keeps the clients whose email, first name, last name, full
	// name ("first last") or company name starts with it, compared
	// case-insensitively (ASCII); "" keeps everyone.
	Search string
	Status string // "" for any; compared case-insensitively
	// OrderBy is one of ClientOrderColumns' keys; anything else orders by id.
	OrderBy string
	Desc    bool
	Page
}

// ClientOrderColumns maps the orderings ListClients accepts to their
// columns: the allow-list that keeps request values out of SQL.
var ClientOrderColumns = map[string]string{
	"id": "id", "firstname": "firstname COLLATE NOCASE", "lastname": "lastname COLLATE NOCASE",
	"companyname": "companyname COLLATE NOCASE",
	"email":       "email COLLATE NOCASE", "groupid": "groupid", "datecreated": "created_at", "status": "status",
}

// clientSearch keeps the clients a search term (a LIKE pattern) starts a
// name, the email or the company of.
const clientSearch = `(email LIKE ? ESCAPE '\' OR firstname LIKE ? ESCAPE '\' OR lastname LIKE ? ESCAPE '\'
	OR firstname || ' ' || lastname LIKE ? ESCAPE '\' OR companyname LIKE ? ESCAPE '\')`

// ListClients returns the page of clients f selects and how many match f
// in all. Ties in the ordering are broken by id, in the same direction.
func (tx *Tx) ListClients(ctx context.Context, f ClientFilter) ([]ClientEntry, int64, error) {
	if m := tx.fromModel(modelClients, 0); m != nil {
		entries, total := m.listClients(f)
		return entries, total, nil
	}
	pattern := userLikeEscaper.Replace(f.Search) + "%"
	cond, args := whereAll(
		when(f.Status != "", "status = ? COLLATE NOCASE", f.Status),
		when(f.Search != "", clientSearch, pattern, pattern, pattern, pattern, pattern),
	)
	column, ok := ClientOrderColumns[f.OrderBy]
	if !ok {
		column = "id"
	}
	return listPage(ctx, tx, `SELECT count(*) FROM clients`+cond,
		`SELECT id, firstname, lastname, companyname, email, groupid, status, created_at
		FROM clients`+cond+orderBy(f.Desc, column, "id"), args, f.Page, func(rows *sql.Rows) (ClientEntry, error) {
			var e ClientEntry
			err := rows.Scan(&e.ID, &e.Firstname, &e.Lastname, &e.CompanyName, &e.Email, &e.GroupID, &e.Status,
				&e.CreatedAt)
			return e, err
		})
}

// ClientEmailUsed reports whether a client other than except (0 for none)
// or any contact has email, compared case-insensitively (ASCII).
func (tx *Tx) ClientEmailUsed(ctx context.Context, email string, except int64) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT (SELECT count(*) FROM clients WHERE lower(email) = lower(?) AND id != ?)
		+ (SELECT count(*) FROM contacts WHERE lower(email) = lower(?))`, email, except, email).Scan(&n)
	return n > 0, err
}

// UpdateClient writes a client's names, company, email and status, matched
// by id; its users are left alone. An unknown id gives ErrNotFound.
func (tx *Tx) UpdateClient(ctx context.Context, c Client) error {
	return tx.execFound(ctx, `UPDATE clients SET firstname = ?, lastname = ?, companyname = ?, email = ?, status = ?
		WHERE id = ?`, c.Firstname, c.Lastname, c.CompanyName, c.Email, c.Status, c.ID)
}

// CloseClient marks a client Closed, as WHMCS's Close Client does: its
// services that are Pending, Active or Suspended and its domains that are
// Pending (or pending registration or transfer), Active, in grace or in
// redemption become Cancelled, and so do its Unpaid invoices. An unknown
// id gives ErrNotFound.
func (tx *Tx) CloseClient(ctx context.Context, id int64) error {
	if err := tx.execFound(ctx, `UPDATE clients SET status = 'Closed' WHERE id = ?`, id); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE services SET status = 'Cancelled'
			WHERE client_id = ? AND status IN ('Pending', 'Active', 'Suspended')`,
		`UPDATE domains SET status = 'Cancelled' WHERE client_id = ?
			AND status IN ('Pending', 'Pending Registration', 'Pending Transfer', 'Active', 'Grace', 'Redemption')`,
		`UPDATE invoices SET status = 'Cancelled' WHERE client_id = ? AND status = 'Unpaid'`,
	} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteClient deletes a client with everything it owns: services,
// domains (with the registrar's records of them, which go with each
// domain), orders, invoices, credits, billable items, quotes, pay methods,
// projects (with their tasks, messages and time logs), contacts, notes,
// support tickets (with
// their replies, notes and attachments), user links (with the users'
// permissions), the OAuth credentials bound to its services and its single
// sign-on tokens, the emails sent to it (the outbox; SendEmail's too, by
// the emails table's cascade; to-do items, bans, notification events and
// the automation log belong to no client), and (migration 0021, through
// its foreign keys and triggers) its addons, its affiliate record and
// referrals, its services' cancellation requests, upgrades and module
// queue entries. Its transactions are kept, with no client, unless
// deleteTransactions (WHMCS keeps the accounts' history).
// With deleteUsers, its users who can reach no other client are deleted
// too. An unknown id gives ErrNotFound.
func (tx *Tx) DeleteClient(ctx context.Context, id int64, deleteUsers, deleteTransactions bool) error {
	users, err := tx.int64s(ctx, `SELECT owner_user_id FROM clients WHERE id = ? AND owner_user_id IS NOT NULL
		UNION SELECT user_id FROM client_users WHERE client_id = ?`, id, id)
	if err != nil {
		return err
	}
	if deleteTransactions {
		if _, err := tx.exec(ctx, `DELETE FROM transactions WHERE client_id = ?`, id); err != nil {
			return err
		}
	}
	// Tickets carry no foreign key (a ticket outlives its department), so
	// the client's go here; their replies and notes cascade.
	if _, err := tx.exec(ctx, `DELETE FROM tickets WHERE client_id = ?`, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM oauth_credentials
		WHERE service_id IN (SELECT id FROM services WHERE client_id = ?)`, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM sso_tokens WHERE client_id = ?`, id); err != nil {
		return err
	}
	if err := tx.execFound(ctx, `DELETE FROM clients WHERE id = ?`, id); err != nil {
		return err
	}
	if !deleteUsers {
		return nil
	}
	for _, u := range users {
		if _, err := tx.exec(ctx, `DELETE FROM users WHERE id = ?
			AND NOT EXISTS (SELECT 1 FROM clients WHERE owner_user_id = ?)
			AND NOT EXISTS (SELECT 1 FROM client_users WHERE user_id = ?)`, u, u, u); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM sso_tokens
			WHERE user_id = ? AND NOT EXISTS (SELECT 1 FROM users WHERE id = ?)`, u, u); err != nil {
			return err
		}
	}
	return nil
}

// ClientNote is an admin's note on a client.
type ClientNote struct {
	ID         int64
	ClientID   int64
	AdminID    int64
	Note       string
	Sticky     bool
	CreatedAt  int64 // Unix seconds
	ModifiedAt int64
}

// AddClientNote inserts a note and returns its id.
func (tx *Tx) AddClientNote(ctx context.Context, n ClientNote) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO client_notes (client_id, admin_id, note, sticky, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, n.ClientID, n.AdminID, n.Note, n.Sticky, n.CreatedAt, n.ModifiedAt)
}

// PutClientNote inserts or replaces a note, matched by id.
func (tx *Tx) PutClientNote(ctx context.Context, n ClientNote) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO client_notes (id, client_id, admin_id, note, sticky, created_at, modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, admin_id = excluded.admin_id, note = excluded.note,
		sticky = excluded.sticky, created_at = excluded.created_at, modified_at = excluded.modified_at RETURNING id`,
		nullID(n.ID), n.ClientID, n.AdminID, n.Note, n.Sticky, n.CreatedAt, n.ModifiedAt)
}

// ClientNotes returns every client note, by id.
func (tx *Tx) ClientNotes(ctx context.Context) ([]ClientNote, error) {
	return collect(ctx, tx, `SELECT id, client_id, admin_id, note, sticky, created_at, modified_at
		FROM client_notes ORDER BY id`, func(rows *sql.Rows) (ClientNote, error) {
		var n ClientNote
		err := rows.Scan(&n.ID, &n.ClientID, &n.AdminID, &n.Note, &n.Sticky, &n.CreatedAt, &n.ModifiedAt)
		return n, err
	})
}

// ClientGroup is a group of clients with shared billing rules.
type ClientGroup struct {
	ID               int64
	Name             string
	Colour           string // e.g. #28C99B
	DiscountPercent  string // decimal with two places
	SuspTermExempt   bool
	SeparateInvoices bool
}

// ClientGroups returns every client group, by id.
func (tx *Tx) ClientGroups(ctx context.Context) ([]ClientGroup, error) {
	return collect(ctx, tx, `SELECT id, name, colour, discount_percent, susp_term_exempt, separate_invoices
		FROM client_groups ORDER BY id`, func(rows *sql.Rows) (ClientGroup, error) {
		var g ClientGroup
		err := rows.Scan(&g.ID, &g.Name, &g.Colour, &g.DiscountPercent, &g.SuspTermExempt, &g.SeparateInvoices)
		return g, err
	})
}

// PutClientGroup inserts or replaces a client group, matched by id.
func (tx *Tx) PutClientGroup(ctx context.Context, g ClientGroup) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO client_groups (id, name, colour, discount_percent, susp_term_exempt, separate_invoices)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, colour = excluded.colour,
		discount_percent = excluded.discount_percent, susp_term_exempt = excluded.susp_term_exempt,
		separate_invoices = excluded.separate_invoices RETURNING id`,
		nullID(g.ID), g.Name, g.Colour, g.DiscountPercent, g.SuspTermExempt, g.SeparateInvoices)
}
