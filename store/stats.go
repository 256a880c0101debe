package store

import (
	"context"
	"database/sql"
)

// The figures GetStats reports, counted from the state. Days are Y-m-d
// text, compared with the leading part of the Y-m-d H:i:s dates orders,
// tickets and transactions keep.

// DayCount is how many rows of a kind a day has, by status.
type DayCount struct {
	Day    string
	Status string
	N      int64
}

// OrderCountsByDay counts the orders dated from day from to day to (both
// included) by day and status.
func (tx *Tx) OrderCountsByDay(ctx context.Context, from, to string) ([]DayCount, error) {
	return tx.dayCounts(ctx, `SELECT substr(date, 1, 10) AS day, status, count(*) FROM orders
		WHERE substr(date, 1, 10) BETWEEN ? AND ? GROUP BY day, status ORDER BY day, status`, from, to)
}

// TicketCountsByDay counts the tickets opened from day from to day to by
// day (Status is "").
func (tx *Tx) TicketCountsByDay(ctx context.Context, from, to string) ([]DayCount, error) {
	return tx.dayCounts(ctx, `SELECT substr(date, 1, 10) AS day, '', count(*) FROM tickets
		WHERE substr(date, 1, 10) BETWEEN ? AND ? GROUP BY day ORDER BY day`, from, to)
}

func (tx *Tx) dayCounts(ctx context.Context, query string, args ...any) ([]DayCount, error) {
	return collect(ctx, tx, query, func(rows *sql.Rows) (DayCount, error) {
		var c DayCount
		err := rows.Scan(&c.Day, &c.Status, &c.N)
		return c, err
	}, args...)
}

// CountOrders counts the orders whose date starts with prefix (a day, a
// Y-m month or a year; "" for every date) and, unless status is "", that
// have status.
func (tx *Tx) CountOrders(ctx context.Context, prefix, status string) (int64, error) {
	cond, args := whereAll(
		when(prefix != "", "substr(date, 1, ?) = ?", len(prefix), prefix),
		when(status != "", "status = ?", status),
	)
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM orders`+cond, args...).Scan(&n)
	return n, err
}

// CountFlaggedTickets counts the tickets flagged to an admin that are not
// Closed.
func (tx *Tx) CountFlaggedTickets(ctx context.Context, adminID int64) (int64, error) {
	var n int64
	if adminID <= 0 { // flag 0 is a ticket flagged to no one: a caller that is no admin has none
		return 0, nil
	}
	err := tx.queryRow(ctx, `SELECT count(*) FROM tickets WHERE flag = ? AND status <> 'Closed'`, adminID).Scan(&n)
	return n, err
}

// CountUninvoicedBillableItems counts the billable items no invoice has
// billed yet.
func (tx *Tx) CountUninvoicedBillableItems(ctx context.Context) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM billable_items WHERE invoicecount = 0`).Scan(&n)
	return n, err
}

// CountValidQuotes counts the quotes still open to the client: valid until
// a day after today (Y-m-d) and at a stage that can still be accepted (not
// Accepted, Lost or Dead). WHMCS does not document its rule; this one is
// whmcsemu's reading of the name, listed in the known differences.
func (tx *Tx) CountValidQuotes(ctx context.Context, today string) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM quotes WHERE validuntil != '' AND validuntil > ?
		AND stage NOT IN ('Accepted', 'Lost', 'Dead')`, today).Scan(&n)
	return n, err
}

// CountPendingCancellations counts the cancellation requests whose service
// is neither Cancelled nor Terminated yet.
func (tx *Tx) CountPendingCancellations(ctx context.Context) (int64, error) {
	var n int64
	err := tx.queryRow(ctx, `SELECT count(*) FROM cancel_requests r JOIN services s ON s.id = r.service_id
		WHERE s.status NOT IN ('Cancelled', 'Terminated')`).Scan(&n)
	return n, err
}

// MoneyLine is a transaction's amounts, for income figures: cents in the
// transaction's currency and its rate to the default currency.
type MoneyLine struct {
	Day      string // Y-m-d
	InCents  int64  // amount in less fees
	OutCents int64
	Rate     string
}

// TransactionLines returns the amounts of the transactions dated from day
// from to day to (both included; from "" for every one before to).
func (tx *Tx) TransactionLines(ctx context.Context, from, to string) ([]MoneyLine, error) {
	return collect(ctx, tx, `SELECT substr(date, 1, 10) AS day, amountin_cents - fees_cents, amountout_cents, rate
		FROM transactions WHERE substr(date, 1, 10) BETWEEN ? AND ? ORDER BY id`,
		func(rows *sql.Rows) (MoneyLine, error) {
			var l MoneyLine
			err := rows.Scan(&l.Day, &l.InCents, &l.OutCents, &l.Rate)
			return l, err
		}, from, to)
}
