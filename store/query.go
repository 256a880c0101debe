package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
)

// This file holds the shapes the query files share, so each of them says
// only its SQL and its columns: a lookup that finds no row, reading every
// row of a query, the optional conditions of a list's WHERE clause, its
// ordering, a page of a list with its total, the SET list of an upsert,
// and a write that must find its row.

// noRow is err, except that sql.ErrNoRows (a lookup by key found nothing)
// becomes ErrNotFound, the store's word for it.
func noRow(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

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

// condition is one optional part of a list query's WHERE clause: cond,
// with args for its placeholders, when set.
type condition struct {
	cond string
	set  bool
	args []any
}

// when is the condition cond, with args for its placeholders, kept when
// set is true.
func when(set bool, cond string, args ...any) condition { return condition{cond, set, args} }

// whereAll joins the set conditions with AND into " WHERE …" and their
// arguments; with none set it gives "" and no arguments. A condition
// holding OR must bring its own parentheses.
func whereAll(conds ...condition) (string, []any) {
	var where []string
	var args []any
	for _, c := range conds {
		if c.set {
			where = append(where, c.cond)
			args = append(args, c.args...)
		}
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// idIn is a condition for when: column is one of ids, passed as one JSON
// array, so that the statement's text (and the prepared statement kept
// for it) is the same however many ids a caller sends; a placeholder an
// id made a new statement for every length.
func idIn(set bool, column string, ids []int64) condition {
	if !set {
		return condition{}
	}
	data, _ := json.Marshal(ids) // a []int64 always encodes
	return when(true, column+" IN (SELECT value FROM json_each(?))", string(data))
}

// textIn is a condition for when: column is one of values, from a small
// fixed set (statuses, types), set when there are any.
func textIn(column string, values []string) condition {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return when(len(values) > 0, column+" IN ("+placeholders(len(values))+")", args...)
}

// placeholders is n placeholders for an IN list of a few values from a
// fixed set (statuses, types): "?, ?, ?". Ids go through idIn.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return "?" + strings.Repeat(", ?", n-1)
}

// Page is the window of a list: Limit rows (every row when 0) after the
// first Offset.
type Page struct {
	Offset int64
	Limit  int64
}

// listPage runs a paged list's two statements with args: count, how many
// rows match in all, then rows, the page of them (listPage adds LIMIT and
// OFFSET). Past the last row the page is empty.
func listPage[T any](ctx context.Context, tx *Tx, count, rows string, args []any, p Page,
	scan func(*sql.Rows) (T, error)) ([]T, int64, error) {
	var total int64
	if err := tx.queryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || p.Offset >= total {
		return nil, total, nil
	}
	limit := p.Limit
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	args = append(args[:len(args):len(args)], limit, max(p.Offset, 0))
	page, err := collect(ctx, tx, rows+` LIMIT ? OFFSET ?`, scan, args...)
	return page, total, err
}

// orderBy is an ORDER BY clause: columns in turn (the last one breaking
// ties, usually the id), all descending when desc. The columns come from
// constants or allow-lists, never from a request.
func orderBy(desc bool, columns ...string) string {
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return " ORDER BY " + strings.Join(columns, dir+", ") + dir
}

// updateAll is the SET list of an upsert that replaces a row: every
// column of columns but the first (the id) takes the excluded row's value.
func updateAll(columns string) string {
	sets := strings.Split(columns, ",")[1:]
	for i, c := range sets {
		c = strings.TrimSpace(c)
		sets[i] = c + " = excluded." + c
	}
	return strings.Join(sets, ", ")
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
