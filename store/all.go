package store

import (
	"context"
	"database/sql"
)

// This file lists whole tables, for exporting the state as a fixture, and
// wipes them, for resetting it.

// Users returns every user, by id.
func (tx *Tx) Users(ctx context.Context) ([]User, error) {
	return collect(ctx, tx, `SELECT `+userColumns+` FROM users ORDER BY id`, func(rows *sql.Rows) (User, error) {
		return scanUser(rows)
	})
}

// Clients returns every client with its extra users, by id.
func (tx *Tx) Clients(ctx context.Context) ([]Client, error) {
	ids, err := tx.int64s(ctx, `SELECT id FROM clients ORDER BY id`)
	if err != nil {
		return nil, err
	}
	out := make([]Client, 0, len(ids))
	for _, id := range ids {
		c, err := tx.ClientByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ProductGroups returns every product group, by id.
func (tx *Tx) ProductGroups(ctx context.Context) ([]ProductGroup, error) {
	return collect(ctx, tx, `SELECT id, name FROM product_groups ORDER BY id`, func(rows *sql.Rows) (ProductGroup, error) {
		var g ProductGroup
		err := rows.Scan(&g.ID, &g.Name)
		return g, err
	})
}

// Products returns every product, by id.
func (tx *Tx) Products(ctx context.Context) ([]Product, error) {
	return collect(ctx, tx, `SELECT id, coalesce(gid, 0), name, type FROM products ORDER BY id`, func(rows *sql.Rows) (Product, error) {
		var p Product
		err := rows.Scan(&p.ID, &p.GroupID, &p.Name, &p.Type)
		return p, err
	})
}

// Services returns every service, by id.
func (tx *Tx) Services(ctx context.Context) ([]Service, error) {
	return collect(ctx, tx, `SELECT id, client_id, product_id, domain, status FROM services ORDER BY id`, func(rows *sql.Rows) (Service, error) {
		var s Service
		err := rows.Scan(&s.ID, &s.ClientID, &s.ProductID, &s.Domain, &s.Status)
		return s, err
	})
}

// wipeOrder lists the tables that hold state, children before parents.
var wipeOrder = []string{
	"ticket_attachments", "ticket_predefined_replies", "ticket_predefined_categories", "ticket_blocked_senders",
	"announcements", "project_timelogs", "project_messages",
	"ticket_notes", "ticket_replies", "tickets",
	"emails", "email_templates",
	"domain_registrar", "tld_pricing", "tlds", "registrars", "whois_names",
	"invoice_items", "invoices", "transactions", "credits", "billable_items", "orders", "domains",
	"quote_items", "quotes", "pay_methods",
	"oauth_tokens", "oauth_grants", "oauth_flows", "oauth_sessions",
	"oauth_credentials", "sso_tokens", "api_credential_roles", "api_credentials",
	"api_roles", "services", "product_pricing", "products", "product_groups", "client_users",
	"project_tasks", "projects", "clients", "users", "admins",
	"settings", "fixture_loads",
	"activity_log", "configuration", "system_secrets",
	"banned_ips", "todo_items", "admin_notes", "notification_events", "automation_log",
	"currencies", "payment_gateways", "support_departments", "promotions",
	"contacts", "client_notes", "client_groups",
	"sailpoint_codes", "sailpoint_refresh_tokens", "sailpoint_tokens", "sailpoint_clients", "sailpoint_identities",
	"oci_retry_tokens", "oci_credentials", "oci_api_keys", "oci_users",
	"module_queue", "client_addons", "addons", "affiliate_referrals", "affiliates", "cancel_requests", "upgrades",
	"servers", "modules", "module_settings", "fraud_blocklist",
}

// Wipe deletes all state, leaving the schema, WHMCS's seeded rows (the
// OAuth scopes, order and ticket statuses) and the id-token signing key
// (relying parties cache it), and puts back the reference
// defaults migration 0005 seeds (currency, payment methods, department).
// The OCI token signing keys stay: they are the database's, not state.
func (tx *Tx) Wipe(ctx context.Context) error {
	for table := range modelTables {
		tx.db.changes.changedAll(table)
	}
	for _, table := range wipeOrder {
		if _, err := tx.exec(ctx, `DELETE FROM `+table); err != nil {
			return err
		}
	}
	return tx.seedReference(ctx)
}
