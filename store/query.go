package store

import (
	"context"
	"database/sql"
)

// This file holds the shapes the query files share, so each of them says
// only its SQL and its columns: reading every row of a query, and a write
// that must find its row.

// eachRow runs query and calls fn on each row it returns, in order.
func (tx *Tx) eachRow(ctx context.Context, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// collect runs query and returns its rows, each read by scan; nil when
// there are none.
func collect[T any](ctx context.Context, tx *Tx, query string, scan func(*sql.Rows) (T, error), args ...any) ([]T, error) {
	var out []T
	err := tx.eachRow(ctx, query, func(rows *sql.Rows) error {
		v, err := scan(rows)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanOne reads a row of one column.
func scanOne[T any](rows *sql.Rows) (T, error) {
	var v T
	err := rows.Scan(&v)
	return v, err
}

// execFound runs a statement that must change a row (an update or a
// delete by id): ErrNotFound when it changed none.
func (tx *Tx) execFound(ctx context.Context, query string, args ...any) error {
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	return rowChanged(res)
}

// rowChanged is ErrNotFound when res changed no row.
func rowChanged(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
