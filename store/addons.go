package store

import (
	"context"
	"database/sql"
)

// This file holds product addons, affiliates, cancellation requests and
// upgrades (migration 0021): the addons catalog, the addons clients have
// on their services (AddOrder creates them, UpdateClientAddon changes
// them), the clients who activated affiliate referrals and the services
// they referred, the cancellation requests of services, and the product
// upgrades UpgradeProduct orders. Money is in cents.

// Addon is an addon of the catalog (WHMCS's tbladdons).
type Addon struct {
	ID             int64
	Name           string
	Description    string
	BillingCycle   string // as WHMCS stores it: Free Account, One Time, Monthly, ...
	SetupFeeCents  int64
	RecurringCents int64
	Module         string // the server module, "" for none
}

const addonColumns = `id, name, description, billingcycle, setupfee_cents, recurring_cents, module`

func (a *Addon) fields() []any {
	return []any{&a.ID, &a.Name, &a.Description, &a.BillingCycle, &a.SetupFeeCents, &a.RecurringCents, &a.Module}
}

// PutAddon inserts an addon, or replaces the one with the same id.
func (tx *Tx) PutAddon(ctx context.Context, a Addon) (int64, error) {
	if err := CheckMoney(a.SetupFeeCents, a.RecurringCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO addons (`+addonColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(addonColumns)+` RETURNING id`,
		nullID(a.ID), a.Name, a.Description, a.BillingCycle, a.SetupFeeCents, a.RecurringCents, a.Module)
}

// AddonByID returns an addon of the catalog, or ErrNotFound.
func (tx *Tx) AddonByID(ctx context.Context, id int64) (Addon, error) {
	var a Addon
	err := tx.queryRow(ctx, `SELECT `+addonColumns+` FROM addons WHERE id = ?`, id).Scan(a.fields()...)
	return a, noRow(err)
}

// Addons returns the catalog, by id.
func (tx *Tx) Addons(ctx context.Context) ([]Addon, error) {
	return collect(ctx, tx, `SELECT `+addonColumns+` FROM addons ORDER BY id`, func(rows *sql.Rows) (Addon, error) {
		var a Addon
		err := rows.Scan(a.fields()...)
		return a, err
	})
}

// ClientAddon is an addon a client has on a service (tblhostingaddons).
// Amounts are for all Qty units.
type ClientAddon struct {
	ID              int64
	ClientID        int64
	ServiceID       int64
	OrderID         int64
	AddonID         int64 // the catalog's addon, 0 for a custom one
	Name            string
	Qty             int64
	SetupFeeCents   int64
	RecurringCents  int64
	BillingCycle    string
	Status          string
	RegDate         string
	NextDueDate     string
	NextInvoiceDate string
	TerminationDate string
	PaymentMethod   string
	Notes           string
}

const clientAddonColumns = `id, client_id, service_id, order_id, addon_id, name, qty, setupfee_cents, recurring_cents,
	billingcycle, status, regdate, nextduedate, nextinvoicedate, terminationdate, paymentmethod, notes`

func (a *ClientAddon) fields() []any {
	return []any{&a.ID, &a.ClientID, &a.ServiceID, &a.OrderID, &a.AddonID, &a.Name, &a.Qty, &a.SetupFeeCents,
		&a.RecurringCents, &a.BillingCycle, &a.Status, &a.RegDate, &a.NextDueDate, &a.NextInvoiceDate,
		&a.TerminationDate, &a.PaymentMethod, &a.Notes}
}

// PutClientAddon inserts a client's addon, or replaces the one with the
// same id, and returns its id.
func (tx *Tx) PutClientAddon(ctx context.Context, a ClientAddon) (int64, error) {
	if err := CheckMoney(a.SetupFeeCents, a.RecurringCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO client_addons (`+clientAddonColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(clientAddonColumns)+` RETURNING id`,
		nullID(a.ID), a.ClientID, a.ServiceID, a.OrderID, a.AddonID, a.Name, a.Qty, a.SetupFeeCents,
		a.RecurringCents, a.BillingCycle, a.Status, a.RegDate, a.NextDueDate, a.NextInvoiceDate, a.TerminationDate,
		a.PaymentMethod, a.Notes)
}

// ClientAddonByID returns a client's addon, or ErrNotFound.
func (tx *Tx) ClientAddonByID(ctx context.Context, id int64) (ClientAddon, error) {
	var a ClientAddon
	err := tx.queryRow(ctx, `SELECT `+clientAddonColumns+` FROM client_addons WHERE id = ?`, id).Scan(a.fields()...)
	return a, noRow(err)
}

// ClientAddonEntry is a client's addon with what GetClientsAddons shows
// beside it.
type ClientAddonEntry struct {
	ClientAddon
	CatalogName       string // the catalog addon's name, "" for none
	PaymentMethodName string // the gateway's display name, "" when no gateway has that module
	ServiceDomain     string // the domain of the service it is on
}

// ClientAddonFilter selects client addons; zero fields do not filter.
type ClientAddonFilter struct {
	ServiceIDs []int64
	ClientID   int64
	AddonID    int64
	OrderID    int64
}

// ClientAddons returns the client addons f selects, by id.
func (tx *Tx) ClientAddons(ctx context.Context, f ClientAddonFilter) ([]ClientAddonEntry, error) {
	cond, args := whereAll(
		idIn(len(f.ServiceIDs) > 0, "a.service_id", f.ServiceIDs),
		when(f.ClientID != 0, "a.client_id = ?", f.ClientID),
		when(f.AddonID != 0, "a.addon_id = ?", f.AddonID),
		when(f.OrderID != 0, "a.order_id = ?", f.OrderID),
	)
	return collect(ctx, tx, `SELECT `+prefixed("a.", clientAddonColumns)+`, coalesce(c.name, ''),
		coalesce(pg.display_name, ''), coalesce(s.domain, '')
		FROM client_addons a LEFT JOIN addons c ON c.id = a.addon_id AND a.addon_id != 0
		LEFT JOIN services s ON s.id = a.service_id
		LEFT JOIN payment_gateways pg ON pg.module = a.paymentmethod AND a.paymentmethod != ''`+cond+` ORDER BY a.id`,
		func(rows *sql.Rows) (ClientAddonEntry, error) {
			var e ClientAddonEntry
			err := rows.Scan(append(e.ClientAddon.fields(), &e.CatalogName, &e.PaymentMethodName, &e.ServiceDomain)...)
			return e, err
		}, args...)
}

// AllClientAddons returns every client addon, by id (for exporting).
func (tx *Tx) AllClientAddons(ctx context.Context) ([]ClientAddon, error) {
	return collect(ctx, tx, `SELECT `+clientAddonColumns+` FROM client_addons ORDER BY id`,
		func(rows *sql.Rows) (ClientAddon, error) {
			var a ClientAddon
			err := rows.Scan(a.fields()...)
			return a, err
		})
}

// SetOrderAddonsStatus sets the status of an order's addons.
func (tx *Tx) SetOrderAddonsStatus(ctx context.Context, orderID int64, status string) error {
	_, err := tx.exec(ctx, `UPDATE client_addons SET status = ? WHERE order_id = ?`, status, orderID)
	return err
}

// Affiliate is a client who activated affiliate referrals.
type Affiliate struct {
	ID             int64
	ClientID       int64
	Date           string // Y-m-d
	Visitors       int64
	PayType        string // "", percentage or fixedamount
	PayAmountCents int64
	OneTime        bool
	BalanceCents   int64
	WithdrawnCents int64
	CreatedAt      string // Y-m-d H:i:s
	UpdatedAt      string
}

const affiliateColumns = `id, client_id, date, visitors, paytype, payamount_cents, onetime, balance_cents,
	withdrawn_cents, created_at, updated_at`

func (a *Affiliate) fields() []any {
	return []any{&a.ID, &a.ClientID, &a.Date, &a.Visitors, &a.PayType, &a.PayAmountCents, &a.OneTime,
		&a.BalanceCents, &a.WithdrawnCents, &a.CreatedAt, &a.UpdatedAt}
}

// PutAffiliate inserts an affiliate, or replaces the one with the same id
// (else the same client), and returns its id.
func (tx *Tx) PutAffiliate(ctx context.Context, a Affiliate) (int64, error) {
	if err := CheckMoney(a.PayAmountCents, a.BalanceCents, a.WithdrawnCents); err != nil {
		return 0, err
	}
	target := "client_id"
	if a.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO affiliates (`+affiliateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET `+updateAll(affiliateColumns)+` RETURNING id`,
		nullID(a.ID), a.ClientID, a.Date, a.Visitors, a.PayType, a.PayAmountCents, a.OneTime, a.BalanceCents,
		a.WithdrawnCents, a.CreatedAt, a.UpdatedAt)
}

// AffiliateExists reports whether an affiliate has the id.
func (tx *Tx) AffiliateExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM affiliates WHERE id = ?)`, id)
}

// ClientIsAffiliate reports whether a client activated affiliate referrals.
func (tx *Tx) ClientIsAffiliate(ctx context.Context, clientID int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM affiliates WHERE client_id = ?)`, clientID)
}

// AffiliateFilter selects affiliates; nil fields do not filter.
type AffiliateFilter struct {
	ClientID       *int64
	Visitors       *int64
	PayType        *string
	PayAmountCents *int64
	OneTime        *bool
	BalanceCents   *int64
	WithdrawnCents *int64
	Page
}

// ListAffiliates returns one page of the affiliates f selects, by id, and
// how many it selects in all.
func (tx *Tx) ListAffiliates(ctx context.Context, f AffiliateFilter) ([]Affiliate, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != nil, "client_id = ?", deref(f.ClientID)),
		when(f.Visitors != nil, "visitors = ?", deref(f.Visitors)),
		when(f.PayType != nil, "paytype = ?", deref(f.PayType)),
		when(f.PayAmountCents != nil, "payamount_cents = ?", deref(f.PayAmountCents)),
		when(f.OneTime != nil, "onetime = ?", deref(f.OneTime)),
		when(f.BalanceCents != nil, "balance_cents = ?", deref(f.BalanceCents)),
		when(f.WithdrawnCents != nil, "withdrawn_cents = ?", deref(f.WithdrawnCents)),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM affiliates`+cond,
		`SELECT `+affiliateColumns+` FROM affiliates`+cond+` ORDER BY id`, args, f.Page,
		func(rows *sql.Rows) (Affiliate, error) {
			var a Affiliate
			err := rows.Scan(a.fields()...)
			return a, err
		})
}

// Affiliates returns every affiliate, by id (for exporting).
func (tx *Tx) Affiliates(ctx context.Context) ([]Affiliate, error) {
	list, _, err := tx.ListAffiliates(ctx, AffiliateFilter{})
	return list, err
}

// AddReferral records that an affiliate referred a service.
func (tx *Tx) AddReferral(ctx context.Context, affiliateID, serviceID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO affiliate_referrals (affiliate_id, service_id) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, affiliateID, serviceID)
	return err
}

// Referrals returns the services each affiliate referred, by affiliate id.
func (tx *Tx) Referrals(ctx context.Context) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	err := tx.eachRow(ctx, `SELECT affiliate_id, service_id FROM affiliate_referrals ORDER BY affiliate_id, service_id`,
		func(rows *sql.Rows) error {
			var a, s int64
			err := rows.Scan(&a, &s)
			out[a] = append(out[a], s)
			return err
		})
	return out, err
}

// CancelRequest is a request to cancel a service (tblcancelrequests).
type CancelRequest struct {
	ID        int64
	Date      string // Y-m-d H:i:s
	ServiceID int64
	Reason    string
	Type      string // Immediate or End of Billing Period
}

const cancelColumns = `id, date, service_id, reason, type`

// PutCancelRequest inserts a cancellation request, or replaces the one
// with the same id; ErrConflict when the service has another.
func (tx *Tx) PutCancelRequest(ctx context.Context, c CancelRequest) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO cancel_requests (`+cancelColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(cancelColumns)+` RETURNING id`,
		nullID(c.ID), c.Date, c.ServiceID, c.Reason, c.Type)
}

// ServiceCancelRequested reports whether a service has a cancellation
// request.
func (tx *Tx) ServiceCancelRequested(ctx context.Context, serviceID int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM cancel_requests WHERE service_id = ?)`, serviceID)
}

// ListCancelRequests returns one page of the cancellation requests, by
// id, and how many there are.
func (tx *Tx) ListCancelRequests(ctx context.Context, p Page) ([]CancelRequest, int64, error) {
	return listPage(ctx, tx, `SELECT count(*) FROM cancel_requests`,
		`SELECT `+cancelColumns+` FROM cancel_requests ORDER BY id`, nil, p, func(rows *sql.Rows) (CancelRequest, error) {
			var c CancelRequest
			err := rows.Scan(&c.ID, &c.Date, &c.ServiceID, &c.Reason, &c.Type)
			return c, err
		})
}

// Upgrade is a product upgrade of a service (tblupgrades).
type Upgrade struct {
	ID              int64
	OrderID         int64 // 0 for none
	ServiceID       int64
	Date            string // Y-m-d
	OldProductID    int64
	OldBillingCycle string
	NewProductID    int64
	NewBillingCycle string
	NewRecurring    string // decimal text: the service's recurring amount after
	NewNextDueDate  string // "" keeps the service's
	AmountCents     int64
	InvoiceID       int64
	Status          string // Pending or Completed
}

const upgradeColumns = `id, order_id, service_id, date, old_product_id, old_billingcycle, new_product_id,
	new_billingcycle, new_recurring, new_nextduedate, amount_cents, invoice_id, status`

// PutUpgrade inserts an upgrade, or replaces the one with the same id.
func (tx *Tx) PutUpgrade(ctx context.Context, u Upgrade) (int64, error) {
	if err := CheckMoney(u.AmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO upgrades (`+upgradeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(upgradeColumns)+` RETURNING id`,
		nullID(u.ID), nullID(u.OrderID), u.ServiceID, u.Date, u.OldProductID, u.OldBillingCycle, u.NewProductID,
		u.NewBillingCycle, u.NewRecurring, u.NewNextDueDate, u.AmountCents, u.InvoiceID, u.Status)
}

// Upgrades returns every upgrade, by id (for exporting).
func (tx *Tx) Upgrades(ctx context.Context) ([]Upgrade, error) {
	return collect(ctx, tx, `SELECT id, coalesce(order_id, 0), service_id, date, old_product_id, old_billingcycle,
		new_product_id, new_billingcycle, new_recurring, new_nextduedate, amount_cents, invoice_id, status
		FROM upgrades ORDER BY id`, func(rows *sql.Rows) (Upgrade, error) {
		var u Upgrade
		err := rows.Scan(&u.ID, &u.OrderID, &u.ServiceID, &u.Date, &u.OldProductID, &u.OldBillingCycle,
			&u.NewProductID, &u.NewBillingCycle, &u.NewRecurring, &u.NewNextDueDate, &u.AmountCents, &u.InvoiceID,
			&u.Status)
		return u, err
	})
}

// UpgradeUnpaid reports whether a service has a Pending upgrade whose
// invoice is still Unpaid.
func (tx *Tx) UpgradeUnpaid(ctx context.Context, serviceID int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM upgrades u JOIN invoices i ON i.id = u.invoice_id
		WHERE u.service_id = ? AND u.status = 'Pending' AND i.status = 'Unpaid')`, serviceID)
}

// CompleteUpgrade applies a Pending upgrade to its service now, as paying
// its invoice does (migration 0021's trigger).
func (tx *Tx) CompleteUpgrade(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `UPDATE services SET product_id = u.new_product_id, billingcycle = u.new_billingcycle,
		recurringamount = u.new_recurring,
		nextduedate = CASE WHEN u.new_nextduedate <> '' THEN u.new_nextduedate ELSE services.nextduedate END
		FROM (SELECT * FROM upgrades WHERE id = ? AND status = 'Pending') AS u WHERE services.id = u.service_id`, id)
	if err != nil {
		return err
	}
	return tx.execFound(ctx, `UPDATE upgrades SET status = 'Completed' WHERE id = ?`, id)
}

// OrderUpgrades returns the upgrades of an order, by id, with the old and
// new products' names.
func (tx *Tx) OrderUpgrades(ctx context.Context, orderID int64) ([]UpgradeEntry, error) {
	return collect(ctx, tx, `SELECT u.id, u.service_id, coalesce(op.name, ''), coalesce(np.name, ''),
		u.new_billingcycle, u.amount_cents, u.status
		FROM upgrades u LEFT JOIN products op ON op.id = u.old_product_id LEFT JOIN products np ON np.id = u.new_product_id
		WHERE u.order_id = ? ORDER BY u.id`, func(rows *sql.Rows) (UpgradeEntry, error) {
		var e UpgradeEntry
		err := rows.Scan(&e.ID, &e.ServiceID, &e.OldProductName, &e.NewProductName, &e.NewBillingCycle,
			&e.AmountCents, &e.Status)
		return e, err
	}, orderID)
}

// UpgradeEntry is an upgrade as GetOrders lists it.
type UpgradeEntry struct {
	ID              int64
	ServiceID       int64
	OldProductName  string
	NewProductName  string
	NewBillingCycle string
	AmountCents     int64
	Status          string
}
