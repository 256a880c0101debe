package store

import "context"

// This file holds the existence checks made before a row is referred to:
// one method a table, so that no caller passes a table name around.

// exists runs a SELECT EXISTS query (for one id, mostly).
func (tx *Tx) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var found bool
	err := tx.queryRow(ctx, query, args...).Scan(&found)
	return found, err
}

// UserExists reports whether a user has the id.
func (tx *Tx) UserExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, id)
}

// ClientExists reports whether a client has the id.
func (tx *Tx) ClientExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM clients WHERE id = ?)`, id)
}

// AdminExists reports whether an admin has the id.
func (tx *Tx) AdminExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM admins WHERE id = ?)`, id)
}

// ProductGroupExists reports whether a product group has the id.
func (tx *Tx) ProductGroupExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM product_groups WHERE id = ?)`, id)
}

// ProductExists reports whether a product has the id.
func (tx *Tx) ProductExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM products WHERE id = ?)`, id)
}

// ServiceExists reports whether a service has the id.
func (tx *Tx) ServiceExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM services WHERE id = ?)`, id)
}

// OrderExists reports whether an order has the id.
func (tx *Tx) OrderExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM orders WHERE id = ?)`, id)
}

// CurrencyExists reports whether a currency has the id.
func (tx *Tx) CurrencyExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM currencies WHERE id = ?)`, id)
}

// SupportDepartmentExists reports whether a support department has the id.
func (tx *Tx) SupportDepartmentExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM support_departments WHERE id = ?)`, id)
}

// InvoiceExists reports whether an invoice has the id.
func (tx *Tx) InvoiceExists(ctx context.Context, id int64) (bool, error) {
	return tx.exists(ctx, `SELECT EXISTS (SELECT 1 FROM invoices WHERE id = ?)`, id)
}
