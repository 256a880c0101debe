package store

import (
	"context"
	"database/sql"
	"strings"
)

// ServiceDetails is a service's billing and provisioning fields
// (migration 0007), beside the columns Service holds.
type ServiceDetails struct {
	RegDate            string // Y-m-d, "" when unknown
	NextDueDate        string
	TerminationDate    string
	BillingCycle       string
	FirstPaymentAmount string // decimal text
	RecurringAmount    string
	PaymentMethod      string
	SubscriptionID     string
	Username           string
	DedicatedIP        string
	Notes              string
	SuspendReason      string
	ServerID           int64  // the server it is on, 0 for none (migration 0021)
	Password           string // as WHMCS shows it
}

const serviceDetailColumns = `regdate, nextduedate, terminationdate, billingcycle, firstpaymentamount,
	recurringamount, paymentmethod, subscriptionid, username, dedicatedip, notes, suspendreason, server_id, password`

func (d *ServiceDetails) fields() []any {
	return []any{&d.RegDate, &d.NextDueDate, &d.TerminationDate, &d.BillingCycle, &d.FirstPaymentAmount,
		&d.RecurringAmount, &d.PaymentMethod, &d.SubscriptionID, &d.Username, &d.DedicatedIP, &d.Notes, &d.SuspendReason,
		&d.ServerID, &d.Password}
}

// ServiceEntry is a service with its product, product group and details,
// as GetClientsProducts lists it.
type ServiceEntry struct {
	Service
	ServiceDetails
	ProductName       string
	GroupName         string
	PaymentMethodName string // the gateway's display name, "" when no gateway has that module name
	OrderID           int64  // the order the service came from, 0 for none
	OrderNum          string // that order's number, "" for none
	ServerName        string // the server's, "" for none
	ServerIP          string
	ServerHostname    string
}

// ServiceFilter selects services; zero fields do not filter.
type ServiceFilter struct {
	ClientID  int64
	ServiceID int64
	ProductID int64
	Domain    string
	Username  string
	Page
}

// ListServices returns one page of the services f selects, by id, and how
// many it selects in all.
func (tx *Tx) ListServices(ctx context.Context, f ServiceFilter) ([]ServiceEntry, int64, error) {
	cond, args := whereAll(
		when(f.ClientID != 0, "s.client_id = ?", f.ClientID),
		when(f.ServiceID != 0, "s.id = ?", f.ServiceID),
		when(f.ProductID != 0, "s.product_id = ?", f.ProductID),
		when(f.Domain != "", "s.domain = ?", f.Domain),
		when(f.Username != "", "s.username = ?", f.Username),
	)
	return listPage(ctx, tx, `SELECT count(*) FROM services s`+cond, `SELECT s.id, s.client_id, s.product_id, s.domain, s.status,
		coalesce(p.name, ''), coalesce(g.name, ''), coalesce(pg.display_name, ''), s.order_id, coalesce(o.ordernum, ''),
		coalesce(v.name, ''), coalesce(v.ipaddress, ''), coalesce(v.hostname, ''),
		`+prefixed("s.", serviceDetailColumns)+`
		FROM services s LEFT JOIN products p ON p.id = s.product_id
		LEFT JOIN servers v ON v.id = s.server_id AND s.server_id != 0
		LEFT JOIN orders o ON o.id = s.order_id
		LEFT JOIN product_groups g ON g.id = p.gid
		LEFT JOIN payment_gateways pg ON pg.module = s.paymentmethod AND s.paymentmethod != ''`+cond+` ORDER BY s.id`,
		args, f.Page, func(rows *sql.Rows) (ServiceEntry, error) {
			var e ServiceEntry
			dest := append([]any{&e.ID, &e.ClientID, &e.ProductID, &e.Domain, &e.Status, &e.ProductName, &e.GroupName,
				&e.PaymentMethodName, &e.OrderID, &e.OrderNum, &e.ServerName, &e.ServerIP, &e.ServerHostname},
				e.ServiceDetails.fields()...)
			err := rows.Scan(dest...)
			return e, err
		})
}

func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// ServiceDetailsByID returns the details of the service with the given id.
func (tx *Tx) ServiceDetailsByID(ctx context.Context, id int64) (ServiceDetails, error) {
	var d ServiceDetails
	err := tx.queryRow(ctx, `SELECT `+serviceDetailColumns+` FROM services WHERE id = ?`, id).Scan(d.fields()...)
	return d, noRow(err)
}

// AllServiceDetails returns every service's details, by service id.
func (tx *Tx) AllServiceDetails(ctx context.Context) (map[int64]ServiceDetails, error) {
	out := map[int64]ServiceDetails{}
	err := tx.eachRow(ctx, `SELECT id, `+serviceDetailColumns+` FROM services`, func(rows *sql.Rows) error {
		var id int64
		var d ServiceDetails
		err := rows.Scan(append([]any{&id}, d.fields()...)...)
		out[id] = d
		return err
	})
	return out, err
}

// SetServiceDetails replaces the details of the service with the given id.
func (tx *Tx) SetServiceDetails(ctx context.Context, id int64, d ServiceDetails) error {
	return tx.execFound(ctx, `UPDATE services SET regdate = ?, nextduedate = ?, terminationdate = ?,
		billingcycle = ?, firstpaymentamount = ?, recurringamount = ?, paymentmethod = ?, subscriptionid = ?,
		username = ?, dedicatedip = ?, notes = ?, suspendreason = ?, server_id = ?, password = ? WHERE id = ?`,
		d.RegDate, d.NextDueDate, d.TerminationDate, d.BillingCycle, d.FirstPaymentAmount, d.RecurringAmount,
		d.PaymentMethod, d.SubscriptionID, d.Username, d.DedicatedIP, d.Notes, d.SuspendReason, d.ServerID, d.Password, id)
}

// UpdateService changes a service's product, domain and status.
func (tx *Tx) UpdateService(ctx context.Context, s Service) error {
	return tx.execFound(ctx, `UPDATE services SET product_id = ?, domain = ?, status = ? WHERE id = ?`,
		s.ProductID, s.Domain, s.Status, s.ID)
}
