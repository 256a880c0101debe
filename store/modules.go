package store

import (
	"context"
	"database/sql"
	"strings"
)

// This file holds modules and servers (migration 0021): the registrar,
// fraud and addon modules that are active, every module's configuration
// values, the fraud modules' block list, the servers services are on, and
// the module queue of failed module calls.

// Server is a server services are provisioned on (WHMCS's tblservers).
type Server struct {
	ID          int64
	Name        string
	Hostname    string
	IPAddress   string
	Type        string // the server module, e.g. cpanel
	Active      bool   // the default server of its module
	Disabled    bool
	MaxAccounts int64
	StatusHTTP  bool // what fetching the server's status finds
	Load        string
	Uptime      string
}

const serverColumns = `id, name, hostname, ipaddress, type, active, disabled, maxaccounts, status_http, status_load,
	status_uptime`

func (s *Server) fields() []any {
	return []any{&s.ID, &s.Name, &s.Hostname, &s.IPAddress, &s.Type, &s.Active, &s.Disabled, &s.MaxAccounts,
		&s.StatusHTTP, &s.Load, &s.Uptime}
}

// PutServer inserts a server, or replaces the one with the same id, and
// returns its id.
func (tx *Tx) PutServer(ctx context.Context, s Server) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO servers (`+serverColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(serverColumns)+` RETURNING id`,
		nullID(s.ID), s.Name, s.Hostname, s.IPAddress, s.Type, s.Active, s.Disabled, s.MaxAccounts, s.StatusHTTP,
		s.Load, s.Uptime)
}

// ServerEntry is a server with how many of its services count towards
// its load (those Active or Suspended).
type ServerEntry struct {
	Server
	Services int64
}

// ListServers returns the servers, by id; with module set, only those of
// that module (any case); with enabledOnly, only those not disabled.
func (tx *Tx) ListServers(ctx context.Context, module string, enabledOnly bool) ([]ServerEntry, error) {
	cond, args := whereAll(
		when(module != "", "lower(v.type) = lower(?)", module),
		when(enabledOnly, "v.disabled = 0"),
	)
	return collect(ctx, tx, `SELECT `+prefixed("v.", serverColumns)+`,
		(SELECT count(*) FROM services s WHERE s.server_id = v.id AND s.status IN ('Active', 'Suspended'))
		FROM servers v`+cond+` ORDER BY v.id`, func(rows *sql.Rows) (ServerEntry, error) {
		var e ServerEntry
		err := rows.Scan(append(e.Server.fields(), &e.Services)...)
		return e, err
	}, args...)
}

// ServerExists reports whether a server has the id.
func (tx *Tx) ServerExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM servers WHERE id = ?)`, id)
}

// SetOrderServer puts every service of an order on a server.
func (tx *Tx) SetOrderServer(ctx context.Context, orderID, serverID int64) error {
	_, err := tx.exec(ctx, `UPDATE services SET server_id = ? WHERE order_id = ?`, serverID, orderID)
	return err
}

// SetOrderPassword sets the password of every service of an order.
func (tx *Tx) SetOrderPassword(ctx context.Context, orderID int64, password string) error {
	_, err := tx.exec(ctx, `UPDATE services SET password = ? WHERE order_id = ?`, password, orderID)
	return err
}

// ServiceModule is what a module call needs of a service: its product's
// server module ("" for none) and its server.
type ServiceModule struct {
	Service
	Module   string
	ServerID int64
	Password string
}

// ServiceModuleByID returns a service with its product's module, or
// ErrNotFound.
func (tx *Tx) ServiceModuleByID(ctx context.Context, id int64) (ServiceModule, error) {
	var s ServiceModule
	err := tx.queryRow(ctx, `SELECT s.id, s.client_id, s.product_id, s.domain, s.status, coalesce(p.module, ''),
		s.server_id, s.password FROM services s LEFT JOIN products p ON p.id = s.product_id WHERE s.id = ?`, id).
		Scan(&s.ID, &s.ClientID, &s.ProductID, &s.Domain, &s.Status, &s.Module, &s.ServerID, &s.Password)
	return s, noRow(err)
}

// Module is a module of a type with its configuration values.
type Module struct {
	Type     string
	Name     string
	Active   bool
	Settings map[string]string
}

// ActiveModules returns the names of the active modules of a type
// (registrar, fraud or addon), by name.
func (tx *Tx) ActiveModules(ctx context.Context, typ string) ([]string, error) {
	return collect(ctx, tx, `SELECT name FROM modules WHERE type = ? ORDER BY name`, scanOne[string], typ)
}

// SetModuleActive activates or deactivates a registrar, fraud or addon
// module; deactivating one drops its configuration values.
func (tx *Tx) SetModuleActive(ctx context.Context, typ, name string, active bool) error {
	if active {
		_, err := tx.exec(ctx, `INSERT INTO modules (type, name) VALUES (?, ?) ON CONFLICT DO NOTHING`, typ, name)
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM modules WHERE type = ? AND name = ?`, typ, name); err != nil {
		return err
	}
	return tx.ClearModuleSettings(ctx, typ, name)
}

// ClearModuleSettings drops a module's configuration values.
func (tx *Tx) ClearModuleSettings(ctx context.Context, typ, name string) error {
	_, err := tx.exec(ctx, `DELETE FROM module_settings WHERE type = ? AND name = ?`, typ, name)
	return err
}

// SetModuleSetting sets one configuration value of a module.
func (tx *Tx) SetModuleSetting(ctx context.Context, typ, name, setting, value string) error {
	_, err := tx.exec(ctx, `INSERT INTO module_settings (type, name, setting, value) VALUES (?, ?, ?, ?)
		ON CONFLICT(type, name, setting) DO UPDATE SET value = excluded.value`, typ, name, setting, value)
	return err
}

// ModuleSettings returns a module's configuration values.
func (tx *Tx) ModuleSettings(ctx context.Context, typ, name string) (map[string]string, error) {
	out := map[string]string{}
	err := tx.eachRow(ctx, `SELECT setting, value FROM module_settings WHERE type = ? AND name = ?`,
		func(rows *sql.Rows) error {
			var k, v string
			err := rows.Scan(&k, &v)
			out[k] = v
			return err
		}, typ, name)
	return out, err
}

// Modules returns every module that is active or has configuration
// values, by type and name (for exporting). A gateway is never Active
// here: the payment gateways say which are.
func (tx *Tx) Modules(ctx context.Context) ([]Module, error) {
	list, err := collect(ctx, tx, `SELECT type, name, max(active) FROM (
			SELECT type, name, 1 AS active FROM modules
			UNION ALL SELECT DISTINCT type, name, 0 FROM module_settings)
		GROUP BY type, name ORDER BY type, name`, func(rows *sql.Rows) (Module, error) {
		var m Module
		err := rows.Scan(&m.Type, &m.Name, &m.Active)
		return m, err
	})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Settings, err = tx.ModuleSettings(ctx, list[i].Type, list[i].Name); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// DeletePaymentGateway removes a gateway, switching the services, addons,
// domains and Unpaid invoices that use it to another one.
func (tx *Tx) DeletePaymentGateway(ctx context.Context, module, switchTo string) error {
	for _, q := range []string{
		`UPDATE services SET paymentmethod = ? WHERE paymentmethod = ?`,
		`UPDATE client_addons SET paymentmethod = ? WHERE paymentmethod = ?`,
		`UPDATE domains SET paymentmethod = ? WHERE paymentmethod = ?`,
		`UPDATE invoices SET paymentmethod = ? WHERE paymentmethod = ? AND status = 'Unpaid'`,
		`UPDATE invoice_items SET paymentmethod = ? WHERE paymentmethod = ?
			AND invoice_id IN (SELECT id FROM invoices WHERE status = 'Unpaid')`,
	} {
		if _, err := tx.exec(ctx, q, switchTo, module); err != nil {
			return err
		}
	}
	if err := tx.execFound(ctx, `DELETE FROM payment_gateways WHERE module = ?`, module); err != nil {
		return err
	}
	return tx.ClearModuleSettings(ctx, "gateway", module)
}

// SetGatewayDisplayName changes the display name of an active gateway.
func (tx *Tx) SetGatewayDisplayName(ctx context.Context, module, name string) error {
	return tx.execFound(ctx, `UPDATE payment_gateways SET display_name = ?, seeded = 0 WHERE module = ?`, name, module)
}

// FraudBlocklist returns the block list: the IP addresses and the email
// addresses (lower case), each sorted.
func (tx *Tx) FraudBlocklist(ctx context.Context) (ips, emails []string, err error) {
	err = tx.eachRow(ctx, `SELECT kind, value FROM fraud_blocklist ORDER BY kind, value`, func(rows *sql.Rows) error {
		var kind, v string
		if err := rows.Scan(&kind, &v); err != nil {
			return err
		}
		if kind == "ip" {
			ips = append(ips, v)
		} else {
			emails = append(emails, v)
		}
		return nil
	})
	return ips, emails, err
}

// SetFraudBlocklist replaces the block list; emails are kept in lower case.
func (tx *Tx) SetFraudBlocklist(ctx context.Context, ips, emails []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM fraud_blocklist`); err != nil {
		return err
	}
	for kind, list := range map[string][]string{"ip": ips, "email": emails} {
		for _, v := range list {
			if kind == "email" {
				v = strings.ToLower(v)
			} else if canonical, ok := CanonicalIP(v); ok {
				v = canonical // so that 2001:DB8::1 blocks 2001:db8:0::1
			}
			if _, err := tx.exec(ctx, `INSERT INTO fraud_blocklist (kind, value) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				kind, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// FraudBlocked reports whether an order from ip (in any spelling), of a
// client with email, is on the block list.
func (tx *Tx) FraudBlocked(ctx context.Context, ip, email string) (ipBlocked, emailBlocked bool, err error) {
	canonical, ok := CanonicalIP(ip)
	if !ok {
		canonical = ip
	}
	// ip as given too: a block list written before addresses were kept
	// canonical holds them as they were spelt.
	err = tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM fraud_blocklist WHERE kind = 'ip' AND value IN (?, ?)),
		EXISTS (SELECT 1 FROM fraud_blocklist WHERE kind = 'email' AND value = lower(?))`, canonical, ip, email).
		Scan(&ipBlocked, &emailBlocked)
	return ipBlocked, emailBlocked, err
}

// SetOrderFraud records a fraud check's module and output on an order.
func (tx *Tx) SetOrderFraud(ctx context.Context, orderID int64, module, output string) error {
	return tx.execFound(ctx, `UPDATE orders SET fraudmodule = ?, fraudoutput = ? WHERE id = ?`, module, output, orderID)
}

// OrderFrauds returns the fraud module and output of every order that has
// them, by order id (for exporting).
func (tx *Tx) OrderFrauds(ctx context.Context) (map[int64][2]string, error) {
	out := map[int64][2]string{}
	err := tx.eachRow(ctx, `SELECT id, fraudmodule, fraudoutput FROM orders WHERE fraudmodule != '' OR fraudoutput != ''`,
		func(rows *sql.Rows) error {
			var id int64
			var m, o string
			err := rows.Scan(&id, &m, &o)
			out[id] = [2]string{m, o}
			return err
		})
	return out, err
}

// QueueItem is a failed module call (WHMCS's tblmodulequeue).
type QueueItem struct {
	ID               int64
	ServiceType      string // service, domain or addon
	RelID            int64
	ModuleName       string
	ModuleAction     string
	LastAttempt      string // Y-m-d H:i:s
	LastAttemptError string
	NumRetries       int64
	Completed        bool
	CreatedAt        string
	UpdatedAt        string
}

const queueColumns = `id, service_type, rel_id, module_name, module_action, last_attempt, last_attempt_error,
	num_retries, completed, created_at, updated_at`

func (q *QueueItem) fields() []any {
	return []any{&q.ID, &q.ServiceType, &q.RelID, &q.ModuleName, &q.ModuleAction, &q.LastAttempt,
		&q.LastAttemptError, &q.NumRetries, &q.Completed, &q.CreatedAt, &q.UpdatedAt}
}

// PutQueueItem inserts a queue item, or replaces the one with the same id.
func (tx *Tx) PutQueueItem(ctx context.Context, q QueueItem) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO module_queue (`+queueColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(queueColumns)+` RETURNING id`,
		nullID(q.ID), q.ServiceType, q.RelID, q.ModuleName, q.ModuleAction, q.LastAttempt, q.LastAttemptError,
		q.NumRetries, q.Completed, q.CreatedAt, q.UpdatedAt)
}

// ModuleFailed records a failed module call at now: a new queue item, or
// one more retry of the incomplete item of the same call.
func (tx *Tx) ModuleFailed(ctx context.Context, q QueueItem, now string) error {
	res, err := tx.exec(ctx, `UPDATE module_queue SET num_retries = num_retries + 1, last_attempt = ?,
		last_attempt_error = ?, module_name = ?, updated_at = ?
		WHERE service_type = ? AND rel_id = ? AND module_action = ? AND completed = 0`,
		now, q.LastAttemptError, q.ModuleName, now, q.ServiceType, q.RelID, q.ModuleAction)
	if err != nil {
		return err
	}
	if rowChanged(res) == nil {
		return nil
	}
	q.ID, q.LastAttempt, q.CreatedAt, q.UpdatedAt, q.NumRetries, q.Completed = 0, now, now, now, 0, false
	_, err = tx.PutQueueItem(ctx, q)
	return err
}

// ModuleSucceeded marks the incomplete queue items of a call completed.
func (tx *Tx) ModuleSucceeded(ctx context.Context, serviceType string, relID int64, action, now string) error {
	_, err := tx.exec(ctx, `UPDATE module_queue SET completed = 1, last_attempt = ?, updated_at = ?
		WHERE service_type = ? AND rel_id = ? AND module_action = ? AND completed = 0`,
		now, now, serviceType, relID, action)
	return err
}

// QueueFilter selects queue items; zero fields do not filter.
type QueueFilter struct {
	ServiceType  string
	RelID        int64
	ModuleName   string
	ModuleAction string
	Since        string // Y-m-d H:i:s: last attempted at or after
	Incomplete   bool
}

// QueueItems returns the queue items f selects, by id.
func (tx *Tx) QueueItems(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	cond, args := whereAll(
		when(f.ServiceType != "", "service_type = ?", f.ServiceType),
		when(f.RelID != 0, "rel_id = ?", f.RelID),
		when(f.ModuleName != "", "lower(module_name) = lower(?)", f.ModuleName),
		when(f.ModuleAction != "", "lower(module_action) = lower(?)", f.ModuleAction),
		when(f.Since != "", "last_attempt >= ?", f.Since),
		when(f.Incomplete, "completed = 0"),
	)
	return collect(ctx, tx, `SELECT `+queueColumns+` FROM module_queue`+cond+` ORDER BY id`,
		func(rows *sql.Rows) (QueueItem, error) {
			var q QueueItem
			err := rows.Scan(q.fields()...)
			return q, err
		}, args...)
}

// Subscription is a service's gateway subscription.
type Subscription struct {
	ServiceID      int64
	SubscriptionID string
	PaymentMethod  string
}

// OrderSubscriptions returns the services of an order that have a
// subscription, by id.
func (tx *Tx) OrderSubscriptions(ctx context.Context, orderID int64) ([]Subscription, error) {
	return collect(ctx, tx, `SELECT id, subscriptionid, paymentmethod FROM services
		WHERE order_id = ? AND subscriptionid != '' ORDER BY id`, func(rows *sql.Rows) (Subscription, error) {
		var s Subscription
		err := rows.Scan(&s.ServiceID, &s.SubscriptionID, &s.PaymentMethod)
		return s, err
	}, orderID)
}

// ClearOrderSubscriptions forgets the subscriptions of an order's services.
func (tx *Tx) ClearOrderSubscriptions(ctx context.Context, orderID int64) error {
	_, err := tx.exec(ctx, `UPDATE services SET subscriptionid = '' WHERE order_id = ?`, orderID)
	return err
}
