package store

import (
	"context"
	"database/sql"
)

// This file holds clients' pay methods (WHMCS's tblpaymethods, migration
// 0019): cards and bank accounts kept locally or as a gateway's token.
// Nothing here holds a card or account number: only what WHMCS shows of
// one.

// PayMethod is a client's stored card or bank account.
type PayMethod struct {
	ID              int64
	ClientID        int64
	Type            string // CreditCard, RemoteCreditCard, BankAccount, RemoteBankAccount
	Description     string
	Gateway         string // the gateway module; "" for one kept locally
	CardType        string
	CardLastFour    string
	ExpiryDate      string // MM/YY
	StartDate       string // MM/YY, "" when none
	IssueNumber     string
	BankName        string
	BankAccountType string
	BankLastFour    string // the account number's last four digits
	RemoteToken     string
	SortOrder       int64 // the client's first pay method is its default
	UpdatedAt       int64 // Unix seconds
}

// IsCard reports whether the pay method is a card (local or remote).
func (p PayMethod) IsCard() bool { return p.Type == "CreditCard" || p.Type == "RemoteCreditCard" }

const payMethodColumns = `id, client_id, type, description, gateway, card_type, card_last_four, expiry_date,
	start_date, issue_number, bank_name, bank_account_type, bank_last_four, remote_token, sort_order, updated_at`

func scanPayMethod(row interface{ Scan(...any) error }) (PayMethod, error) {
	var p PayMethod
	err := row.Scan(&p.ID, &p.ClientID, &p.Type, &p.Description, &p.Gateway, &p.CardType, &p.CardLastFour,
		&p.ExpiryDate, &p.StartDate, &p.IssueNumber, &p.BankName, &p.BankAccountType, &p.BankLastFour,
		&p.RemoteToken, &p.SortOrder, &p.UpdatedAt)
	return p, noRow(err)
}

// PutPayMethod inserts a pay method, or replaces the one with its id, and
// returns its id.
func (tx *Tx) PutPayMethod(ctx context.Context, p PayMethod) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO pay_methods (`+payMethodColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET `+updateAll(payMethodColumns)+` RETURNING id`,
		nullID(p.ID), p.ClientID, p.Type, p.Description, p.Gateway, p.CardType, p.CardLastFour, p.ExpiryDate,
		p.StartDate, p.IssueNumber, p.BankName, p.BankAccountType, p.BankLastFour, p.RemoteToken, p.SortOrder,
		p.UpdatedAt)
}

// PayMethodByID returns one pay method, or ErrNotFound.
func (tx *Tx) PayMethodByID(ctx context.Context, id int64) (PayMethod, error) {
	return scanPayMethod(tx.queryRow(ctx, `SELECT `+payMethodColumns+` FROM pay_methods WHERE id = ?`, id))
}

// PayMethods returns a client's pay methods (every client's for 0), the
// default first: by client, sort order and id.
func (tx *Tx) PayMethods(ctx context.Context, clientID int64) ([]PayMethod, error) {
	cond, args := whereAll(when(clientID != 0, "client_id = ?", clientID))
	return collect(ctx, tx, `SELECT `+payMethodColumns+` FROM pay_methods`+cond+` ORDER BY client_id, sort_order, id`,
		func(rows *sql.Rows) (PayMethod, error) { return scanPayMethod(rows) }, args...)
}

// PayMethodOrders returns the lowest and highest sort order among a
// client's pay methods (0 and 0 when it has none).
func (tx *Tx) PayMethodOrders(ctx context.Context, clientID int64) (first, last int64, err error) {
	err = tx.queryRow(ctx, `SELECT coalesce(min(sort_order), 0), coalesce(max(sort_order), 0) FROM pay_methods
		WHERE client_id = ?`, clientID).Scan(&first, &last)
	return first, last, err
}

// DeletePayMethod removes a pay method; ErrNotFound when there is none.
func (tx *Tx) DeletePayMethod(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM pay_methods WHERE id = ?`, id)
}
