// This file holds the product catalogue actions: GetProducts (WHMCS files
// it under Orders) and AddProduct (Products).
//
// GetProducts: no messages of its own; as a structured list action it
// refuses responsetype=nvp with the framework's "This API action only
// supports the XML or JSON response type formats".
//
// AddProduct: "You must supply a name for the product" · "You must supply a
// valid Product Group ID" · "You must supply a valid welcome email ID" ·
// "Invalid product type. Must be one of "hostingaccount",
// "reselleraccount", "server" or "other"" · "Invalid pay type. Must be one
// of "free", "onetime" or "recurring"" · "Invalid autosetup value. Must be
// one of "", "on", "order" or "payment"" · "The color must be a valid
// hexadecimal value." · "The recommendation product ID is invalid. This must
// be an existing product ID.", checked in that order (the order WHMCS
// documents them in); then store.ErrMoneyRange's "Amount out of range: …"
// for a price or setup fee past decimal(16,2).

package actions

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// handleParams is handle for actions that also read parameters whose
// names are not fixed, such as AddProduct's pricing[<currency id>][<cycle>].
func handleParams[Req any](name string, h func(context.Context, *Env, *Req, url.Values) (any, error)) *Action {
	return &Action{
		Name:   name,
		params: paramNames[Req](),
		run: func(ctx context.Context, env *Env, params url.Values) (any, error) {
			req := new(Req)
			_ = decoder.Decode(req, params) // as in handle
			return h(ctx, env, req, params)
		},
	}
}

type getProductsRequest struct {
	// PID is one product id, a comma-separated list of them, or a list
	// (pid[]=1&pid[]=2); every entry is read as PHP's (int) reads it.
	PID    []string `schema:"pid"`
	GID    int64    `schema:"gid"`
	Module string   `schema:"module"`
}

// getProductsResponse is GetProducts' answer: totalresults is a number,
// as in the documented example, and products is left out when nothing
// matches, as every list of whmcsemu is.
type getProductsResponse struct {
	success
	TotalResults int          `json:"totalresults"`
	Products     *productList `json:"products,omitempty"`
}

type productList struct {
	Product []productItem `json:"product"`
}

// productItem is one product with the types of WHMCS's example: ids and
// counts are numbers, prices strings. whmcsemu keeps no quantity rule
// (allowqty is always 0), custom fields nor configurable options (their
// lists are always empty, as WHMCS answers for a product without any).
// quantity_available is the stock with stock control on, else 0. slug and
// product-url are sent from WHMCS 8.3, allowqty and quantity_available
// from 8.12 (actions/versions.go).
type productItem struct {
	PID               int64                       `json:"pid"`
	GID               int64                       `json:"gid"`
	Type              string                      `json:"type"`
	Name              string                      `json:"name"`
	Slug              *string                     `json:"slug,omitempty"`
	ProductURL        *string                     `json:"product-url,omitempty"`
	Description       string                      `json:"description"`
	Module            string                      `json:"module"`
	PayType           string                      `json:"paytype"`
	AllowQty          *int64                      `json:"allowqty,omitempty"`
	QuantityAvailable *int64                      `json:"quantity_available,omitempty"`
	Pricing           map[string]productPriceItem `json:"pricing"`
	CustomFields      customFields                `json:"customfields"`
	ConfigOptions     configOptions               `json:"configoptions"`
}

// productPriceItem is a product's prices in one currency, keyed in
// pricing by the currency's code.
type productPriceItem struct {
	Prefix       string `json:"prefix"`
	Suffix       string `json:"suffix"`
	MSetupFee    string `json:"msetupfee"`
	QSetupFee    string `json:"qsetupfee"`
	SSetupFee    string `json:"ssetupfee"`
	ASetupFee    string `json:"asetupfee"`
	BSetupFee    string `json:"bsetupfee"`
	TSetupFee    string `json:"tsetupfee"`
	Monthly      string `json:"monthly"`
	Quarterly    string `json:"quarterly"`
	SemiAnnually string `json:"semiannually"`
	Annually     string `json:"annually"`
	Biennially   string `json:"biennially"`
	Triennially  string `json:"triennially"`
}

// productPrices is a product's prices in every currency, keyed by code,
// as WHMCS lists them for every product, free ones included (the 7.10
// recording; the 8.x example): a currency the product has no prices in
// shows setup fees of 0.00 and every cycle "-1.00", not offered.
func productPrices(priced []store.PricedCurrency, currencies []store.Currency) map[string]productPriceItem {
	byID := make(map[int64]store.PricedCurrency, len(priced))
	for _, c := range priced {
		byID[c.CurrencyID] = c
	}
	out := make(map[string]productPriceItem, len(currencies))
	for _, cur := range currencies {
		f := [6]string{"0.00", "0.00", "0.00", "0.00", "0.00", "0.00"}
		pr := [6]string{"-1.00", "-1.00", "-1.00", "-1.00", "-1.00", "-1.00"}
		if c, ok := byID[cur.ID]; ok {
			f, pr = c.SetupFees, c.Prices
		}
		out[cur.Code] = productPriceItem{
			Prefix: cur.Prefix, Suffix: cur.Suffix,
			MSetupFee: f[0], QSetupFee: f[1], SSetupFee: f[2], ASetupFee: f[3], BSetupFee: f[4], TSetupFee: f[5],
			Monthly: pr[0], Quarterly: pr[1], SemiAnnually: pr[2], Annually: pr[3], Biennially: pr[4], Triennially: pr[5],
		}
	}
	return out
}

// customFields and configOptions are the custom fields and configurable
// options of a product or a service: empty lists (not null), as the
// emulator keeps none.
type customFields struct {
	CustomField []struct{} `json:"customfield"`
}

type configOptions struct {
	ConfigOption []struct{} `json:"configoption"`
}

// getProducts lists the products, hidden ones included, by display order
// then id, narrowed by pid, gid and module (compared case-insensitively).
// An unknown id, group or module is an empty list, not an error.
func getProducts(ctx context.Context, env *Env, req *getProductsRequest) (any, error) {
	var pids map[int64]bool
	for _, v := range req.PID {
		if !Truthy(v) {
			continue
		}
		if pids == nil {
			pids = map[int64]bool{}
		}
		for _, part := range strings.Split(v, ",") {
			pids[IntVal(part)] = true
		}
	}
	var list []store.ProductInfo
	var currencies []store.Currency
	groups := map[int64]string{}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if list, err = tx.ProductInfos(ctx, store.ProductFilter{GroupID: max(req.GID, 0), Module: req.Module}); err != nil {
			return err
		}
		if currencies, err = tx.Currencies(ctx); err != nil {
			return err
		}
		gs, err := tx.ProductGroups(ctx)
		for _, g := range gs {
			groups[g.ID] = g.Name
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	systemURL := env.Settings().SystemURL
	if !strings.HasSuffix(systemURL, "/") {
		systemURL += "/"
	}
	sh := env.shape()
	var items []productItem
	for _, p := range list {
		if pids != nil && !pids[p.ID] {
			continue
		}
		item := productItem{
			PID: p.ID, GID: p.GroupID, Type: p.Type, Name: p.Name,
			Description: p.Description, Module: p.Module, PayType: p.PayType,
			Pricing:       productPrices(p.Pricing, currencies),
			CustomFields:  customFields{CustomField: []struct{}{}},
			ConfigOptions: configOptions{ConfigOption: []struct{}{}},
		}
		if sh.productSlug {
			url := systemURL + store.ProductSlug(groups[p.GroupID]) + "/" + p.Slug
			item.Slug, item.ProductURL = &p.Slug, &url
		}
		if sh.productQty {
			var allow, available int64
			if p.StockControl {
				available = p.Qty
			}
			item.AllowQty, item.QuantityAvailable = &allow, &available
		}
		items = append(items, item)
	}
	resp := &getProductsResponse{TotalResults: len(items)}
	if len(items) > 0 {
		resp.Products = &productList{Product: items}
	}
	return resp, nil
}

type addProductRequest struct {
	Name         string `schema:"name"`
	GID          int64  `schema:"gid"`
	Slug         string `schema:"slug"`
	Type         string `schema:"type"`
	StockControl bool   `schema:"stockcontrol"`
	Qty          int64  `schema:"qty"`
	PayType      string `schema:"paytype"`
	Hidden       bool   `schema:"hidden"`
	Description  string `schema:"description"`
	WelcomeEmail int64  `schema:"welcomeemail"`
	AutoSetup    string `schema:"autosetup"`
	Color        string `schema:"color"`
	Module       string `schema:"module"`
	Order        int64  `schema:"order"`
}

// addProductResponse: pid is a number, as WHMCS's response table types
// it (the documented example shows only result).
type addProductResponse struct {
	success
	PID int64 `json:"pid"`
}

var (
	productTypes    = []string{"hostingaccount", "reselleraccount", "server", "other"}
	productPayTypes = []string{"free", "onetime", "recurring"}
	productSetups   = []string{"", "on", "order", "payment"}
)

// addProduct adds a product to an existing group with its details and
// prices. type defaults to other and paytype to free. The emulator keeps
// no email templates, so any welcomeemail but 0 is refused; autosetup,
// color and recommendations are checked but not kept, nor are the other
// documented parameters whmcsemu has no column for (tax, featured,
// pro-rata billing, server group, config options, …). A slug not given is
// made from the name; slugs are not made unique.
func addProduct(ctx context.Context, env *Env, req *addProductRequest, params url.Values) (any, error) {
	typ, payType := req.Type, req.PayType
	if typ == "" {
		typ = "other"
	}
	if payType == "" {
		payType = "free"
	}
	switch {
	case strings.TrimSpace(req.Name) == "":
		return nil, Errorf("You must supply a name for the product")
	case req.GID <= 0:
		return nil, Errorf("You must supply a valid Product Group ID")
	}
	recommended := productRecommendations(params)
	slug := req.Slug
	if slug == "" {
		slug = store.ProductSlug(req.Name)
	}
	product := store.Product{GroupID: req.GID, Name: req.Name, Type: typ}
	details := store.ProductDetails{
		Slug: slug, Description: req.Description, Hidden: req.Hidden, PayType: payType, Module: req.Module,
		StockControl: req.StockControl, Qty: req.Qty, Order: req.Order,
	}
	var pid int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		// Checked inside the write, so the group cannot go away meanwhile.
		if err := mustExist(ctx, tx.ProductGroupExists, req.GID, Errorf("You must supply a valid Product Group ID")); err != nil {
			return err
		}
		switch {
		case req.WelcomeEmail != 0:
			return Errorf("You must supply a valid welcome email ID")
		case !productOneOf(typ, productTypes):
			return Errorf(`Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"`)
		case !productOneOf(payType, productPayTypes):
			return Errorf(`Invalid pay type. Must be one of "free", "onetime" or "recurring"`)
		case !productOneOf(req.AutoSetup, productSetups):
			return Errorf(`Invalid autosetup value. Must be one of "", "on", "order" or "payment"`)
		case req.Color != "" && !productColorValid(req.Color):
			return Errorf("The color must be a valid hexadecimal value.")
		}
		for _, id := range recommended {
			if err := mustExist(ctx, tx.ProductExists, id,
				Errorf("The recommendation product ID is invalid. This must be an existing product ID.")); err != nil {
				return err
			}
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return err
		}
		pricing, err := productPricing(params, currencies)
		if err != nil {
			return err
		}
		pid, err = tx.AddProduct(ctx, product, details, pricing)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("product added", "pid", pid, "gid", req.GID)
	return &addProductResponse{PID: pid}, nil
}

func productOneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// productColorValid accepts #rgb or #rrggbb, the "#" optional.
func productColorValid(s string) bool {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 3 && len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// productRecommendations reads the product ids of recommendations[N][id].
func productRecommendations(params url.Values) []int64 {
	var ids []int64
	for k, vs := range params {
		if strings.HasPrefix(k, "recommendations[") && strings.HasSuffix(k, "][id]") && len(vs) > 0 {
			ids = append(ids, IntVal(vs[len(vs)-1]))
		}
	}
	return ids
}

// productPricing reads pricing[<currency id>][<field>] for every currency
// that exists (prices for other ids are ignored). A currency with any
// field given gets a row: setup fees not given are "0.00", cycles not
// given "-1.00" (not offered). Values are read as PHP's (float) and kept
// with two decimals; store.ErrMoneyRange for one that does not fit
// decimal(16,2).
func productPricing(params url.Values, currencies []store.Currency) ([]store.ProductPricing, error) {
	var out []store.ProductPricing
	for _, c := range currencies {
		prefix := "pricing[" + strconv.FormatInt(c.ID, 10) + "]["
		p := store.ProductPricing{CurrencyID: c.ID}
		given := false
		for i, cycle := range store.ProductCycles {
			p.SetupFees[i], p.Prices[i] = "0.00", "-1.00"
			for _, f := range []struct {
				key string
				dst *string
			}{{prefix + cycle[:1] + "setupfee]", &p.SetupFees[i]}, {prefix + cycle + "]", &p.Prices[i]}} {
				if v, ok := params[f.key]; ok && len(v) > 0 {
					cents, err := billingAmount(v[len(v)-1])
					if err != nil {
						return nil, err
					}
					*f.dst, given = store.FormatMoney(cents), true
				}
			}
		}
		if given {
			out = append(out, p)
		}
	}
	return out, nil
}

// numericPrefix is the part of s PHP's (float) cast reads: the longest
// numeric prefix after leading white space ("" when there is none, which
// PHP reads as 0).
func numericPrefix(s string) string {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	end := 0
	for i := 1; i <= len(s) && strings.IndexByte("0123456789+-.eE", s[i-1]) >= 0; i++ {
		if _, err := strconv.ParseFloat(s[:i], 64); err == nil || errors.Is(err, strconv.ErrRange) {
			end = i
		}
	}
	return s[:end]
}
