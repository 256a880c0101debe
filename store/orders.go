package store

import (
	"context"
	"database/sql"
	"errors"
)

// This file holds orders (WHMCS's tblorders, migration 0010): what AddOrder
// creates and the Orders actions change, list and delete. An order's
// services point back to it through services.order_id, its domains through
// domains.order_id, and it names its invoice (0 for none).

// Order is a client's order. Money is in cents.
type Order struct {
	ID               int64
	OrderNum         string // ten digits
	ClientID         int64
	ContactID        int64
	RequestorID      int64
	AdminRequestorID int64
	Date             string // Y-m-d H:i:s
	Nameservers      string // comma-separated
	PromoCode        string
	PromoType        string
	PromoValue       string
	AmountCents      int64
	PaymentMethod    string
	InvoiceID        int64  // 0 when the order has no invoice
	Status           string // Pending, Active, Cancelled, Fraud
	IPAddress        string
	Notes            string
}

const orderColumns = `id, ordernum, client_id, contact_id, requestor_id, admin_requestor_id, date, nameservers,
	promocode, promotype, promovalue, amount_cents, paymentmethod, invoice_id, status, ipaddress, notes`

func (o *Order) fields() []any {
	return []any{&o.ID, &o.OrderNum, &o.ClientID, &o.ContactID, &o.RequestorID, &o.AdminRequestorID, &o.Date,
		&o.Nameservers, &o.PromoCode, &o.PromoType, &o.PromoValue, &o.AmountCents, &o.PaymentMethod, &o.InvoiceID,
		&o.Status, &o.IPAddress, &o.Notes}
}

// PutOrder inserts an order, or replaces the one with the same id, and
// returns its id. A clash of order numbers gives ErrConflict; an amount
// that does not fit decimal(16,2), ErrMoneyRange.
func (tx *Tx) PutOrder(ctx context.Context, o Order) (int64, error) {
	if err := CheckMoney(o.AmountCents); err != nil {
		return 0, err
	}
	return tx.upsert(ctx, `INSERT INTO orders (`+orderColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(orderColumns)+` RETURNING id`,
		nullID(o.ID), o.OrderNum, o.ClientID, o.ContactID, o.RequestorID, o.AdminRequestorID, o.Date, o.Nameservers,
		o.PromoCode, o.PromoType, o.PromoValue, o.AmountCents, o.PaymentMethod, o.InvoiceID, o.Status, o.IPAddress,
		o.Notes)
}

// OrderByID returns one order, or ErrNotFound.
func (tx *Tx) OrderByID(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := tx.queryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = ?`, id).Scan(o.fields()...)
	return o, noRow(err)
}

// OrderNumUsed reports whether an order already has the order number.
func (tx *Tx) OrderNumUsed(ctx context.Context, num string) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE ordernum = ?)`, num)
}

// Orders returns every order, by id (for exporting).
func (tx *Tx) Orders(ctx context.Context) ([]Order, error) {
	return collect(ctx, tx, `SELECT `+orderColumns+` FROM orders ORDER BY id`, func(rows *sql.Rows) (Order, error) {
		var o Order
		err := rows.Scan(o.fields()...)
		return o, err
	})
}

// OrderFilter selects orders; zero fields do not filter.
type OrderFilter struct {
	ID          int64
	ClientID    int64
	RequestorID int64
	Status      string // any case
	Page
}

// OrderEntry is an order with what GetOrders shows beside it.
type OrderEntry struct {
	Order
	ClientName        string // first and last name
	PaymentMethodName string // the gateway's display name, "" when none has the module name
	InvoiceStatus     string // "" when the order has no invoice (or it is gone)
	CurrencyPrefix    string // the client's currency
	CurrencySuffix    string
	FraudModule       string // the fraud check's module and output (migration 0021)
	FraudOutput       string
}

// ListOrders returns one page of the orders f selects, newest (highest id)
// first as WHMCS lists them, and how many it selects in all.
func (tx *Tx) ListOrders(ctx context.Context, f OrderFilter) ([]OrderEntry, int64, error) {
	cond, args := whereAll(
		when(f.ID != 0, "o.id = ?", f.ID),
		when(f.ClientID != 0, "o.client_id = ?", f.ClientID),
		when(f.RequestorID != 0, "o.requestor_id = ?", f.RequestorID),
		when(f.Status != "", "lower(o.status) = lower(?)", f.Status),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM orders o`+cond, `SELECT `+prefixed("o.", orderColumns)+`,
		trim(coalesce(c.firstname, '') || ' ' || coalesce(c.lastname, '')), coalesce(pg.display_name, ''),
		coalesce(i.status, ''), coalesce(cur.prefix, ''), coalesce(cur.suffix, ''), o.fraudmodule, o.fraudoutput
		FROM orders o LEFT JOIN clients c ON c.id = o.client_id
		LEFT JOIN payment_gateways pg ON pg.module = o.paymentmethod AND o.paymentmethod != ''
		LEFT JOIN invoices i ON i.id = o.invoice_id AND o.invoice_id != 0
		LEFT JOIN currencies cur ON cur.id = c.currency`+cond+` ORDER BY o.id DESC`,
		args, f.Page, func(rows *sql.Rows) (OrderEntry, error) {
			var e OrderEntry
			err := rows.Scan(append(e.Order.fields(), &e.ClientName, &e.PaymentMethodName, &e.InvoiceStatus,
				&e.CurrencyPrefix, &e.CurrencySuffix, &e.FraudModule, &e.FraudOutput)...)
			return e, err
		})
}

// OrderService is a service an order created, as GetOrders lists it.
type OrderService struct {
	ID                 int64
	ProductName        string
	GroupName          string
	ProductType        string // hostingaccount, reselleraccount, server, other
	Domain             string
	BillingCycle       string
	FirstPaymentAmount string // decimal text
	Status             string
}

// OrderServices returns the services of an order, by id.
func (tx *Tx) OrderServices(ctx context.Context, orderID int64) ([]OrderService, error) {
	return collect(ctx, tx, `SELECT s.id, coalesce(p.name, ''), coalesce(g.name, ''), coalesce(p.type, ''),
		s.domain, s.billingcycle, s.firstpaymentamount, s.status
		FROM services s LEFT JOIN products p ON p.id = s.product_id LEFT JOIN product_groups g ON g.id = p.gid
		WHERE s.order_id = ? ORDER BY s.id`, func(rows *sql.Rows) (OrderService, error) {
		var s OrderService
		err := rows.Scan(&s.ID, &s.ProductName, &s.GroupName, &s.ProductType, &s.Domain, &s.BillingCycle,
			&s.FirstPaymentAmount, &s.Status)
		return s, err
	}, orderID)
}

// SetServiceOrder records the order a service came from (0 for none).
func (tx *Tx) SetServiceOrder(ctx context.Context, serviceID, orderID int64) error {
	return tx.execFound(ctx, `UPDATE services SET order_id = ? WHERE id = ?`, orderID, serviceID)
}

// ServiceOrderIDs returns the order of every service that came from one,
// by service id (for exporting).
func (tx *Tx) ServiceOrderIDs(ctx context.Context) (map[int64]int64, error) {
	out := map[int64]int64{}
	err := tx.eachRow(ctx, `SELECT id, order_id FROM services WHERE order_id != 0`, func(rows *sql.Rows) error {
		var id, order int64
		err := rows.Scan(&id, &order)
		out[id] = order
		return err
	})
	return out, err
}

// SetOrderStatus sets the status of an order and of its services,
// addons and domains. With username, registrar or expire set (AcceptOrder), the
// services take the username, the domains the registrar, and domains
// without an expiry date get one regperiod years after their
// registration date, which becomes their next due date too.
func (tx *Tx) SetOrderStatus(ctx context.Context, id int64, status string, u OrderItemUpdate) error {
	if err := tx.execFound(ctx, `UPDATE orders SET status = ? WHERE id = ?`, status, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE services SET status = ?, username = CASE WHEN ? != '' THEN ? ELSE username END
		WHERE order_id = ?`, status, u.Username, u.Username, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE domains SET status = ?, registrar = CASE WHEN ? != '' THEN ? ELSE registrar END
		WHERE order_id = ?`, status, u.Registrar, u.Registrar, id); err != nil {
		return err
	}
	if err := tx.SetOrderAddonsStatus(ctx, id, status); err != nil {
		return err
	}
	if !u.Expire {
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE domains SET expirydate = date(regdate, '+' || regperiod || ' years'),
		nextduedate = date(regdate, '+' || regperiod || ' years')
		WHERE order_id = ? AND expirydate = '' AND regdate != '' AND date(regdate) IS NOT NULL`, id)
	return err
}

// OrderItemUpdate is what SetOrderStatus does to an order's items beyond
// their status.
type OrderItemUpdate struct {
	Username  string // the services' username, "" to keep it
	Registrar string // the domains' registrar, "" to keep it
	Expire    bool   // give domains without an expiry date one
}

// DeleteOrder removes an order with its services (and the OAuth
// credentials bound to them), its domains, its addons (migration 0021's
// trigger) and its invoice. An unknown id
// gives ErrNotFound.
func (tx *Tx) DeleteOrder(ctx context.Context, id int64) error {
	o, err := tx.OrderByID(ctx, id)
	if err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM oauth_credentials WHERE service_id IN (SELECT id FROM services WHERE order_id = ?)`,
		`DELETE FROM services WHERE order_id = ?`,
		`DELETE FROM domains WHERE order_id = ?`,
		`DELETE FROM orders WHERE id = ?`,
	} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	if o.InvoiceID == 0 {
		return nil
	}
	if err := tx.DeleteInvoice(ctx, o.InvoiceID); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// OrderStatusCounts returns how many orders have each status.
func (tx *Tx) OrderStatusCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := tx.eachRow(ctx, `SELECT status, count(*) FROM orders GROUP BY status`, func(rows *sql.Rows) error {
		var s string
		var n int
		err := rows.Scan(&s, &n)
		out[s] = n
		return err
	})
	return out, err
}

// OrderClientCurrency returns the currency a client is billed in; the
// first currency when the client's is gone, ErrNotFound when there is none.
func (tx *Tx) OrderClientCurrency(ctx context.Context, clientID int64) (Currency, error) {
	var c Currency
	err := tx.queryRow(ctx, `SELECT cur.id, cur.code, cur.prefix, cur.suffix, cur.format, cur.rate
		FROM currencies cur LEFT JOIN clients cl ON cl.id = ? AND cl.currency = cur.id
		ORDER BY cl.id IS NULL, cur.id LIMIT 1`, clientID).
		Scan(&c.ID, &c.Code, &c.Prefix, &c.Suffix, &c.Format, &c.Rate)
	return c, noRow(err)
}

// ProductPricingIn returns a product's prices in one currency, or
// ErrNotFound when it has none there.
func (tx *Tx) ProductPricingIn(ctx context.Context, productID, currencyID int64) (ProductPricing, error) {
	var p ProductPricing
	err := tx.queryRow(ctx, `SELECT currency_id, msetupfee, qsetupfee, ssetupfee, asetupfee, bsetupfee,
		tsetupfee, monthly, quarterly, semiannually, annually, biennially, triennially
		FROM product_pricing WHERE product_id = ? AND currency_id = ?`, productID, currencyID).
		Scan(pricingDest(&p, &p.CurrencyID)...)
	return p, noRow(err)
}

// OrderProduct is what an order needs of a product.
type OrderProduct struct {
	ID        int64
	Name      string
	GroupName string
	Type      string // hostingaccount, reselleraccount, server, other
	PayType   string // free, onetime, recurring
}

// OrderProductByID returns a product with its group's name, or ErrNotFound.
func (tx *Tx) OrderProductByID(ctx context.Context, id int64) (OrderProduct, error) {
	var p OrderProduct
	err := tx.queryRow(ctx, `SELECT p.id, p.name, coalesce(g.name, ''), p.type, p.paytype
		FROM products p LEFT JOIN product_groups g ON g.id = p.gid WHERE p.id = ?`, id).
		Scan(&p.ID, &p.Name, &p.GroupName, &p.Type, &p.PayType)
	return p, noRow(err)
}
