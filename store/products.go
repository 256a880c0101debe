package store

import (
	"context"
	"database/sql"
	"strings"
)

// This file holds what the Products actions keep of a product beyond its
// identity (migration 0008): the details the order form shows and its
// prices per currency.

// ProductDetails are a product's columns beyond Product's.
type ProductDetails struct {
	Slug         string
	Description  string
	Hidden       bool
	PayType      string // free, onetime or recurring
	Module       string // server module, "" for none
	StockControl bool
	Qty          int64 // how many are in stock, with StockControl
	Order        int64 // display order in the order form
}

// ProductCycles are the billing cycles, in WHMCS's order; SetupFees and
// Prices follow it.
var ProductCycles = [6]string{"monthly", "quarterly", "semiannually", "annually", "biennially", "triennially"}

// ProductPricing is a product's prices in one currency: decimals as text,
// "-1.00" for a cycle not offered.
type ProductPricing struct {
	CurrencyID int64
	SetupFees  [6]string // msetupfee … tsetupfee
	Prices     [6]string // monthly … triennially
}

// ProductInfo is a product with everything GetProducts shows of it.
type ProductInfo struct {
	Product
	ProductDetails
	Pricing []PricedCurrency // by currency code; only currencies that exist
}

// PricedCurrency is a product's prices in one currency with the currency's
// code, prefix and suffix.
type PricedCurrency struct {
	ProductPricing
	Code   string
	Prefix string
	Suffix string
}

// ProductFilter selects products: by group (GroupID, 0 for any) and
// server module (Module, "" for any).
type ProductFilter struct {
	GroupID int64
	Module  string
}

const productDetailColumns = `coalesce(gid, 0), name, type, slug, description, hidden, paytype, module, stock_control, qty, sort_order`

// AddProduct inserts a new product with its details and prices.
func (tx *Tx) AddProduct(ctx context.Context, p Product, d ProductDetails, pricing []ProductPricing) (int64, error) {
	id, err := tx.upsert(ctx, `INSERT INTO products (gid, name, type, slug, description, hidden, paytype, module,
		stock_control, qty, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		nullID(p.GroupID), p.Name, p.Type, d.Slug, d.Description, d.Hidden, d.PayType, d.Module,
		d.StockControl, d.Qty, d.Order)
	if err != nil {
		return 0, err
	}
	return id, tx.SetProductPricing(ctx, id, pricing)
}

// SetProductDetails sets the details of product id (made by PutProduct).
func (tx *Tx) SetProductDetails(ctx context.Context, id int64, d ProductDetails) error {
	_, err := tx.exec(ctx, `UPDATE products SET slug = ?, description = ?, hidden = ?, paytype = ?, module = ?,
		stock_control = ?, qty = ?, sort_order = ? WHERE id = ?`,
		d.Slug, d.Description, d.Hidden, d.PayType, d.Module, d.StockControl, d.Qty, d.Order, id)
	return err
}

// SetProductPricing replaces the prices of product id with pricing.
func (tx *Tx) SetProductPricing(ctx context.Context, id int64, pricing []ProductPricing) error {
	if _, err := tx.exec(ctx, `DELETE FROM product_pricing WHERE product_id = ?`, id); err != nil {
		return err
	}
	for _, p := range pricing {
		_, err := tx.exec(ctx, `INSERT INTO product_pricing (product_id, currency_id,
			msetupfee, qsetupfee, ssetupfee, asetupfee, bsetupfee, tsetupfee,
			monthly, quarterly, semiannually, annually, biennially, triennially)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(product_id, currency_id) DO UPDATE SET msetupfee = excluded.msetupfee,
			qsetupfee = excluded.qsetupfee, ssetupfee = excluded.ssetupfee, asetupfee = excluded.asetupfee,
			bsetupfee = excluded.bsetupfee, tsetupfee = excluded.tsetupfee, monthly = excluded.monthly,
			quarterly = excluded.quarterly, semiannually = excluded.semiannually, annually = excluded.annually,
			biennially = excluded.biennially, triennially = excluded.triennially`,
			id, p.CurrencyID, p.SetupFees[0], p.SetupFees[1], p.SetupFees[2], p.SetupFees[3], p.SetupFees[4],
			p.SetupFees[5], p.Prices[0], p.Prices[1], p.Prices[2], p.Prices[3], p.Prices[4], p.Prices[5])
		if err != nil {
			return conflict(err)
		}
	}
	return nil
}

// ProductDetailsByID returns the details of product id.
func (tx *Tx) ProductDetailsByID(ctx context.Context, id int64) (ProductInfo, error) {
	list, err := tx.productInfos(ctx, `SELECT id, `+productDetailColumns+` FROM products WHERE id = ?`, id)
	if err != nil {
		return ProductInfo{}, err
	}
	if len(list) == 0 {
		return ProductInfo{}, ErrNotFound
	}
	return list[0], nil
}

// ProductInfos returns the products f selects, by display order then id,
// with their prices.
func (tx *Tx) ProductInfos(ctx context.Context, f ProductFilter) ([]ProductInfo, error) {
	cond, args := whereAll(
		when(f.GroupID != 0, "gid = ?", f.GroupID),
		when(f.Module != "", "module = ? COLLATE NOCASE", f.Module),
	)
	return tx.productInfos(ctx, `SELECT id, `+productDetailColumns+` FROM products`+cond+` ORDER BY sort_order, id`,
		args...)
}

// ProductPricings returns the stored prices of product id, by currency id,
// whether the currency exists or not (for exporting).
func (tx *Tx) ProductPricings(ctx context.Context, id int64) ([]ProductPricing, error) {
	return collect(ctx, tx, `SELECT currency_id, msetupfee, qsetupfee, ssetupfee, asetupfee, bsetupfee,
		tsetupfee, monthly, quarterly, semiannually, annually, biennially, triennially
		FROM product_pricing WHERE product_id = ? ORDER BY currency_id`, func(rows *sql.Rows) (ProductPricing, error) {
		var p ProductPricing
		err := rows.Scan(pricingDest(&p, &p.CurrencyID)...)
		return p, err
	}, id)
}

func pricingDest(p *ProductPricing, first ...any) []any {
	dest := first
	for i := range p.SetupFees {
		dest = append(dest, &p.SetupFees[i])
	}
	for i := range p.Prices {
		dest = append(dest, &p.Prices[i])
	}
	return dest
}

func (tx *Tx) productInfos(ctx context.Context, query string, args ...any) ([]ProductInfo, error) {
	list, err := collect(ctx, tx, query, func(rows *sql.Rows) (ProductInfo, error) {
		var p ProductInfo
		err := rows.Scan(&p.ID, &p.GroupID, &p.Name, &p.Type, &p.Slug, &p.Description, &p.Hidden, &p.PayType,
			&p.Module, &p.StockControl, &p.Qty, &p.Order)
		return p, err
	}, args...)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Pricing, err = tx.pricedCurrencies(ctx, list[i].ID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (tx *Tx) pricedCurrencies(ctx context.Context, id int64) ([]PricedCurrency, error) {
	return collect(ctx, tx, `SELECT c.code, c.prefix, c.suffix, p.currency_id, p.msetupfee, p.qsetupfee,
		p.ssetupfee, p.asetupfee, p.bsetupfee, p.tsetupfee, p.monthly, p.quarterly, p.semiannually, p.annually,
		p.biennially, p.triennially
		FROM product_pricing p JOIN currencies c ON c.id = p.currency_id
		WHERE p.product_id = ? ORDER BY c.code, c.id`,
		func(rows *sql.Rows) (PricedCurrency, error) {
			var c PricedCurrency
			err := rows.Scan(pricingDest(&c.ProductPricing, &c.Code, &c.Prefix, &c.Suffix, &c.CurrencyID)...)
			return c, err
		}, id)
}

// ProductSlug makes a friendly name as WHMCS does: lower case, every run
// of other characters than ASCII letters and digits one "-", none at
// either end.
func ProductSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
