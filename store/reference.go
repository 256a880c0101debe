package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
)

// This file holds the reference data integrations look up: currencies,
// payment gateways, support departments, promotions, and the order and
// ticket statuses (migration 0005).

// Currency is a currency the installation bills in.
type Currency struct {
	ID     int64
	Code   string
	Prefix string
	Suffix string
	Format int64  // WHMCS's number format, 1 to 4
	Rate   string // exchange rate with five decimals, e.g. "1.00000"
}

// PaymentGateway is an active payment gateway (payment method).
type PaymentGateway struct {
	ID          int64
	Module      string
	DisplayName string
}

// SupportDepartment is a support ticket department.
type SupportDepartment struct {
	ID    int64
	Name  string
	Email string
}

// Promotion is a promotion code. Dates are YYYY-MM-DD or "" (none);
// AppliesTo and Requires are comma-separated product ids.
type Promotion struct {
	ID               int64
	Code             string
	Type             string
	Recurring        bool
	Value            float64
	Cycles           string
	AppliesTo        string
	Requires         string
	RequiresExisting bool
	StartDate        string
	ExpirationDate   string
	MaxUses          int64
	Uses             int64
	LifetimePromo    bool
	ApplyOnce        bool
	NewSignups       bool
	ExistingClient   bool
	OncePerClient    bool
	RecurFor         int64
	Upgrades         bool
	UpgradeConfig    string
	Notes            string
}

// Status is an order or ticket status; Color is empty for orders.
type Status struct {
	Title string
	Color string
}

// Currencies returns every currency, by code as WHMCS lists them.
func (tx *Tx) Currencies(ctx context.Context) ([]Currency, error) {
	return collect(ctx, tx, `SELECT id, code, prefix, suffix, format, rate FROM currencies ORDER BY code, id`,
		func(rows *sql.Rows) (Currency, error) {
			var c Currency
			err := rows.Scan(&c.ID, &c.Code, &c.Prefix, &c.Suffix, &c.Format, &c.Rate)
			return c, err
		})
}

// PutCurrency inserts or replaces a currency, matched by id or else by code.
func (tx *Tx) PutCurrency(ctx context.Context, c Currency) (int64, error) {
	target := "code"
	if c.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO currencies (id, code, prefix, suffix, format, rate) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET code = excluded.code, prefix = excluded.prefix, suffix = excluded.suffix,
		format = excluded.format, rate = excluded.rate, seeded = 0
		RETURNING id`,
		nullID(c.ID), c.Code, c.Prefix, c.Suffix, c.Format, c.Rate)
}

// PaymentGateways returns every payment gateway, by id.
func (tx *Tx) PaymentGateways(ctx context.Context) ([]PaymentGateway, error) {
	return collect(ctx, tx, `SELECT id, module, display_name FROM payment_gateways ORDER BY id`,
		func(rows *sql.Rows) (PaymentGateway, error) {
			var g PaymentGateway
			err := rows.Scan(&g.ID, &g.Module, &g.DisplayName)
			return g, err
		})
}

// PutPaymentGateway inserts or replaces a gateway, matched by module.
func (tx *Tx) PutPaymentGateway(ctx context.Context, g PaymentGateway) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO payment_gateways (module, display_name) VALUES (?, ?)
		ON CONFLICT(module) DO UPDATE SET display_name = excluded.display_name, seeded = 0
		RETURNING id`, g.Module, g.DisplayName)
}

// SupportDepartments returns every support department, by id.
func (tx *Tx) SupportDepartments(ctx context.Context) ([]SupportDepartment, error) {
	return collect(ctx, tx, `SELECT id, name, email FROM support_departments ORDER BY id`,
		func(rows *sql.Rows) (SupportDepartment, error) {
			var d SupportDepartment
			err := rows.Scan(&d.ID, &d.Name, &d.Email)
			return d, err
		})
}

// PutSupportDepartment inserts a department, or replaces the one with its id.
func (tx *Tx) PutSupportDepartment(ctx context.Context, d SupportDepartment) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO support_departments (id, name, email) VALUES (?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, seeded = 0
		RETURNING id`, nullID(d.ID), d.Name, d.Email)
}

const promotionColumns = `id, code, type, recurring, value, cycles, applies_to, requires, requires_existing,
	start_date, expiration_date, max_uses, uses, lifetime_promo, apply_once, new_signups, existing_client,
	once_per_client, recur_for, upgrades, upgrade_config, notes`

// Promotions returns the promotions, by code as WHMCS lists them; a non-empty code selects the
// one with that code (compared case-insensitively, as MySQL does).
func (tx *Tx) Promotions(ctx context.Context, code string) ([]Promotion, error) {
	cond, args := whereAll(when(code != "", "code = ? COLLATE NOCASE", code))
	return collect(ctx, tx, `SELECT `+promotionColumns+` FROM promotions`+cond+` ORDER BY code, id`, func(rows *sql.Rows) (Promotion, error) {
		var p Promotion
		err := rows.Scan(&p.ID, &p.Code, &p.Type, &p.Recurring, &p.Value, &p.Cycles, &p.AppliesTo, &p.Requires,
			&p.RequiresExisting, &p.StartDate, &p.ExpirationDate, &p.MaxUses, &p.Uses, &p.LifetimePromo,
			&p.ApplyOnce, &p.NewSignups, &p.ExistingClient, &p.OncePerClient, &p.RecurFor, &p.Upgrades,
			&p.UpgradeConfig, &p.Notes)
		return p, err
	}, args...)
}

// PutPromotion inserts or replaces a promotion, matched by id or else by code.
func (tx *Tx) PutPromotion(ctx context.Context, p Promotion) (int64, error) {
	target := "code"
	if p.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO promotions (`+promotionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET `+updateAll(promotionColumns)+` RETURNING id`,
		nullID(p.ID), p.Code, p.Type, p.Recurring, p.Value, p.Cycles, p.AppliesTo, p.Requires, p.RequiresExisting,
		p.StartDate, p.ExpirationDate, p.MaxUses, p.Uses, p.LifetimePromo, p.ApplyOnce, p.NewSignups,
		p.ExistingClient, p.OncePerClient, p.RecurFor, p.Upgrades, p.UpgradeConfig, p.Notes)
}

// OrderStatuses returns WHMCS's order statuses in display order.
func (tx *Tx) OrderStatuses(ctx context.Context) ([]Status, error) {
	return collect(ctx, tx, `SELECT title, '' FROM order_statuses ORDER BY id`, scanStatus)
}

// TicketStatuses returns WHMCS's ticket statuses in display order.
func (tx *Tx) TicketStatuses(ctx context.Context) ([]Status, error) {
	return collect(ctx, tx, `SELECT title, color FROM ticket_statuses ORDER BY id`, scanStatus)
}

func scanStatus(rows *sql.Rows) (Status, error) {
	var s Status
	err := rows.Scan(&s.Title, &s.Color)
	return s, err
}

// Reference tables whose seeded defaults a fixture section replaces.
const (
	CurrenciesTable         = "currencies"
	PaymentGatewaysTable    = "payment_gateways"
	SupportDepartmentsTable = "support_departments"
)

// DropSeeded deletes the seeded default rows of a reference table (one of
// the *Table constants), before a fixture gives that table's rows.
func (tx *Tx) DropSeeded(ctx context.Context, table string) error {
	switch table {
	case CurrenciesTable, PaymentGatewaysTable, SupportDepartmentsTable:
	default:
		return fmt.Errorf("store: %q has no seeded rows", table)
	}
	_, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE seeded = 1`)
	return err
}

// seedReference puts back the defaults an installation starts with: the
// block between "-- defaults:begin" and "-- defaults:end" of each
// migration that has one (0005's reference data, 0018's email templates),
// in migration order.
func (tx *Tx) seedReference(ctx context.Context) error {
	statements, err := referenceStatements()
	if err != nil {
		return err
	}
	for _, st := range statements {
		if _, err := tx.exec(ctx, st.sql); err != nil {
			return fmt.Errorf("store: the defaults of migration %s: %w", st.migration, err)
		}
	}
	return nil
}

// referenceStatement is one statement of a migration's defaults block.
type referenceStatement struct{ migration, sql string }

// referenceStatements are the migrations' defaults blocks, each split into
// its statements once per process: one statement at a time, they are
// prepared once per database like every other query, where a block of
// several had to be parsed again on every Reset. A statement ends with
// the line that ends in ";" (the blocks keep no ";" at a line's end
// inside a string).
var referenceStatements = sync.OnceValues(func() ([]referenceStatement, error) {
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		return nil, err
	}
	var out []referenceStatement
	for _, e := range entries {
		body, err := migrations.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		_, block, ok := strings.Cut(string(body), "-- defaults:begin\n")
		if !ok {
			continue
		}
		block, _, ok = strings.Cut(block, "-- defaults:end")
		if !ok {
			return nil, fmt.Errorf("store: migration %s has defaults:begin without defaults:end", e.Name())
		}
		var st strings.Builder
		for line := range strings.Lines(block) {
			st.WriteString(line)
			if strings.HasSuffix(strings.TrimSpace(line), ";") {
				out = append(out, referenceStatement{e.Name(), strings.TrimSpace(st.String())})
				st.Reset()
			}
		}
		if strings.TrimSpace(st.String()) != "" {
			return nil, fmt.Errorf("store: migration %s: the defaults block ends without \";\"", e.Name())
		}
	}
	return out, nil
})
