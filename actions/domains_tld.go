// This file holds WHMCS's TLD pricing actions (Domains category):
// CreateOrUpdateTLD and GetTLDPricing. AddOrder prices domains from the
// same TLDs (orderDomainLines, domains.go).
//
// CreateOrUpdateTLD: "Extension is required" · "Invalid extension"
// (whmcsemu's wording: not a dot and labels of letters, digits and
// hyphens) · "No Active Registrars - auto_registrar value cannot be
// defined" · "Invalid auto_registrar value. Must be empty or one of: " and
// the active registrars' modules joined by ", " · "Variable currency_code
// is required when defining pricing" (register, renew, transfer,
// grace_period_fee or redemption_period_fee sent without it) · "Provided
// currency_code value does not exist. Must be one of: " and the currency
// codes joined by ", " · "Parameters register, renew and transfer must be
// arrays" (one sent without a [years] key: register[]=9.95 has none
// either) · "The minimum register period is 1 year" (and renew, transfer;
// whmcsemu's wording for a key below 1) · "The maximum register period is
// 10 years" · "The maximum renew period is 9 years" · "Only one transfer
// period can be defined" · "The maximum transfer period is 10 years" ·
// "Invalid group parameter: GROUP. Should be one of HOT, NEW, SALE" (GROUP
// as sent; any case is taken) · "Currency CODE has no exchange rate"
// (whmcsemu's wording: currency_code's rate is not above 0) ·
// store.ErrMoneyRange's "Amount out of range: …", in that order. The
// extension is kept in lower case with a leading dot (added when missing);
// an existing TLD is updated, only in what is sent. register[years],
// renew[years] and transfer[years] are prices in currency_code, read as
// PHP's (float) does, converted into every currency by the exchange rates
// (price ÷ rate of currency_code × rate of the other, rounded half away
// from zero to cents; a currency whose rate is not above 0 is skipped); a
// negative price stops offering that period. grace_period_fee and
// redemption_period_fee (-1 disables) are kept in the default currency
// (the lowest id), grace_period_days and redemption_period_days as whole
// days (below 0: not set). display_after puts the TLD right after that
// one (ignored when no TLD has that extension). A new TLD goes last.
// Answer: extension as kept, id a number (the docs' table; the example's
// "1" is outvoted).
//
// GetTLDPricing: no messages. clientid (the client's currency) wins over
// currencyid; an unknown one, or neither, gives the default currency (the
// lowest id). currency: id and format numbers, code, prefix, suffix and
// rate strings. pricing is keyed by extension without its dot, in
// display order, and lists only the TLDs with a price in that currency:
// tld, categories (a fixture's; CreateOrUpdateTLD sets none), addons (dns,
// email, idprotect: booleans), group (hot, new, sale or ""), register,
// transfer and renew (years → price as text, by years; [] when none, as
// PHP writes an empty array), grace_period and redemption_period ({days,
// price} when days are set and the fee is not negative, the fee in this
// currency; null otherwise).

package actions

import (
	"context"
	"errors"
	"math"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

type createOrUpdateTLDRequest struct {
	Extension            string   `schema:"extension"`
	IDProtection         *string  `schema:"id_protection"`
	DNSManagement        *string  `schema:"dns_management"`
	EmailForwarding      *string  `schema:"email_forwarding"`
	EPPRequired          *string  `schema:"epp_required"`
	AutoRegistrar        *string  `schema:"auto_registrar"`
	Group                *string  `schema:"group"`
	CurrencyCode         string   `schema:"currency_code"`
	GracePeriodDays      *string  `schema:"grace_period_days"`
	GracePeriodFee       *string  `schema:"grace_period_fee"`
	RedemptionPeriodDays *string  `schema:"redemption_period_days"`
	RedemptionPeriodFee  *string  `schema:"redemption_period_fee"`
	Register             []string `schema:"register"`
	Renew                []string `schema:"renew"`
	Transfer             []string `schema:"transfer"`
	DisplayAfter         string   `schema:"display_after"`
}

type createOrUpdateTLDResponse struct {
	success
	Extension string `json:"extension"`
	ID        int64  `json:"id"`
}

// NormaliseExtension is a TLD extension as kept: lower case, with one
// leading dot; "" when s is blank.
func NormaliseExtension(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "." {
		return ""
	}
	return "." + strings.TrimPrefix(s, ".")
}

// ValidExtension reports whether ext (as NormaliseExtension keeps it) can
// end a domain name.
func ValidExtension(ext string) bool {
	return strings.HasPrefix(ext, ".") && ValidDomainName("a"+ext)
}

// tldPeriods reads CreateOrUpdateTLD's prices of one kind: kind[years]
// keys, years as PHP's (int) reads them. sent reports whether kind was sent
// at all.
func tldPeriods(params url.Values, kind string) (prices map[int64]string, sent bool, err error) {
	prices = map[int64]string{}
	_, sent = params[kind]
	for key, v := range params {
		inner, ok := strings.CutPrefix(key, kind+"[")
		if !ok || !strings.HasSuffix(inner, "]") || strings.Contains(inner, "][") || len(v) == 0 {
			continue
		}
		sent = true
		prices[IntVal(strings.TrimSuffix(inner, "]"))] = v[len(v)-1]
	}
	if sent && len(prices) == 0 {
		return nil, true, Errorf("Parameters register, renew and transfer must be arrays")
	}
	return prices, sent, nil
}

// tldPeriodLimits checks the periods of each kind, in WHMCS's order.
func tldPeriodLimits(periods map[string]map[int64]string) error {
	for _, kind := range []string{store.TLDRegister, store.TLDRenew, store.TLDTransfer} {
		for years := range periods[kind] {
			if years < 1 {
				return Errorf("The minimum %s period is 1 year", kind)
			}
		}
	}
	for years := range periods[store.TLDRegister] {
		if years > 10 {
			return Errorf("The maximum register period is 10 years")
		}
	}
	for years := range periods[store.TLDRenew] {
		if years > 9 {
			return Errorf("The maximum renew period is 9 years")
		}
	}
	if len(periods[store.TLDTransfer]) > 1 {
		return Errorf("Only one transfer period can be defined")
	}
	for years := range periods[store.TLDTransfer] {
		if years > 10 {
			return Errorf("The maximum transfer period is 10 years")
		}
	}
	return nil
}

// convertCents converts an amount between currencies of the exchange
// rates from and to (decimal text), rounding half away from zero; ok is
// false when a rate is not a number above 0. An amount past int64 comes
// back as math.MaxInt64 (or MinInt64), which the store refuses as
// ErrMoneyRange.
func convertCents(cents int64, from, to string) (int64, bool) {
	rf, ok1 := new(big.Rat).SetString(strings.TrimSpace(from))
	rt, ok2 := new(big.Rat).SetString(strings.TrimSpace(to))
	if !ok1 || !ok2 || rf.Sign() <= 0 || rt.Sign() <= 0 {
		return 0, false
	}
	v := new(big.Rat).SetInt64(cents)
	v.Mul(v, rt).Quo(v, rf)
	q, r := new(big.Int).QuoRem(v.Num(), v.Denom(), new(big.Int))
	if r.Abs(r).Lsh(r, 1).Cmp(v.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(v.Sign())))
	}
	switch {
	case q.IsInt64():
		return q.Int64(), true
	case q.Sign() > 0:
		return math.MaxInt64, true
	}
	return math.MinInt64, true
}

// defaultCurrency is the currency with the lowest id (the zero Currency
// when there is none).
func defaultCurrency(currencies []store.Currency) store.Currency {
	var out store.Currency
	for _, c := range currencies {
		if out.ID == 0 || c.ID < out.ID {
			out = c
		}
	}
	return out
}

// tldFee reads a grace or redemption fee in currency cur and keeps it in
// the default currency; a negative fee is -1.00 (disabled).
func tldFee(s string, cur, def store.Currency) (int64, error) {
	cents, err := billingAmount(s)
	if err != nil || cents < 0 {
		return -100, err
	}
	if v, ok := convertCents(cents, cur.Rate, def.Rate); ok {
		return v, store.CheckMoney(v)
	}
	return cents, nil
}

func createOrUpdateTLD(ctx context.Context, env *Env, req *createOrUpdateTLDRequest, params url.Values) (any, error) {
	ext := NormaliseExtension(req.Extension)
	if ext == "" {
		return nil, Errorf("Extension is required")
	}
	if !ValidExtension(ext) {
		return nil, Errorf("Invalid extension")
	}
	resp := &createOrUpdateTLDResponse{Extension: ext}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if req.AutoRegistrar != nil && strings.TrimSpace(*req.AutoRegistrar) != "" {
			if err := activeRegistrar(ctx, tx, strings.TrimSpace(*req.AutoRegistrar), true); err != nil {
				return err
			}
		}
		periods := map[string]map[int64]string{}
		priced := req.GracePeriodFee != nil || req.RedemptionPeriodFee != nil
		var periodsErr error
		for _, kind := range []string{store.TLDRegister, store.TLDRenew, store.TLDTransfer} {
			prices, sent, err := tldPeriods(params, kind)
			if err != nil && periodsErr == nil {
				periodsErr = err
			}
			periods[kind], priced = prices, priced || sent
		}
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return err
		}
		code := strings.TrimSpace(req.CurrencyCode)
		if priced && code == "" {
			return Errorf("Variable currency_code is required when defining pricing")
		}
		var cur store.Currency
		if code != "" {
			codes := make([]string, len(currencies))
			for i, c := range currencies {
				codes[i] = c.Code
				if strings.EqualFold(c.Code, code) {
					cur = c
				}
			}
			if cur.ID == 0 {
				return Errorf("Provided currency_code value does not exist. Must be one of: %s", strings.Join(codes, ", "))
			}
		}
		if periodsErr != nil {
			return periodsErr
		}
		if err := tldPeriodLimits(periods); err != nil {
			return err
		}
		var group string
		if req.Group != nil {
			group = strings.ToUpper(strings.TrimSpace(*req.Group))
			if group != "HOT" && group != "NEW" && group != "SALE" {
				return Errorf("Invalid group parameter: %s. Should be one of HOT, NEW, SALE", *req.Group)
			}
		}
		if priced {
			if _, ok := convertCents(0, cur.Rate, cur.Rate); !ok {
				return Errorf("Currency %s has no exchange rate", cur.Code)
			}
		}
		t, err := tx.TLDByExtension(ctx, ext)
		if errors.Is(err, store.ErrNotFound) {
			t, err = store.TLD{Extension: ext, GraceDays: -1, RedemptionDays: -1}, nil
		}
		if err != nil {
			return err
		}
		for _, f := range []struct {
			dst *bool
			v   *string
		}{{&t.IDProtection, req.IDProtection}, {&t.DNSManagement, req.DNSManagement},
			{&t.EmailForwarding, req.EmailForwarding}, {&t.EPPRequired, req.EPPRequired}} {
			if f.v != nil {
				*f.dst = Truthy(*f.v)
			}
		}
		if req.AutoRegistrar != nil {
			t.AutoRegistrar = strings.TrimSpace(*req.AutoRegistrar)
		}
		if req.Group != nil {
			t.Group = strings.ToLower(group)
		}
		def := defaultCurrency(currencies)
		for _, f := range []struct {
			days, fee       *int64
			daysReq, feeReq *string
		}{{&t.GraceDays, &t.GraceFeeCents, req.GracePeriodDays, req.GracePeriodFee},
			{&t.RedemptionDays, &t.RedemptionFeeCents, req.RedemptionPeriodDays, req.RedemptionPeriodFee}} {
			if f.daysReq != nil {
				*f.days = max(IntVal(*f.daysReq), -1)
			}
			if f.feeReq != nil {
				if *f.fee, err = tldFee(*f.feeReq, cur, def); err != nil {
					return err
				}
			}
		}
		if t.ID, err = tx.PutTLD(ctx, t); err != nil {
			return err
		}
		if err := setTLDPrices(ctx, tx, t.ID, periods, cur, currencies); err != nil {
			return err
		}
		if after := NormaliseExtension(req.DisplayAfter); after != "" && after != ext {
			prev, err := tx.TLDByExtension(ctx, after)
			if err == nil {
				err = tx.MoveTLDAfter(ctx, t.ID, prev)
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		resp.ID = t.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("TLD saved", "extension", ext, "id", resp.ID)
	return resp, nil
}

// setTLDPrices stores the prices sent in cur, converted into every
// currency; a negative one stops offering the period.
func setTLDPrices(ctx context.Context, tx *store.Tx, tldID int64, periods map[string]map[int64]string,
	cur store.Currency, currencies []store.Currency) error {
	for _, kind := range []string{store.TLDRegister, store.TLDTransfer, store.TLDRenew} {
		for years, v := range periods[kind] {
			cents, err := billingAmount(v)
			if err != nil {
				return err
			}
			if cents < 0 {
				if err := tx.DeleteTLDPrice(ctx, tldID, kind, years); err != nil {
					return err
				}
				continue
			}
			for _, c := range currencies {
				converted, ok := convertCents(cents, cur.Rate, c.Rate)
				if !ok {
					continue
				}
				if err := tx.SetTLDPrice(ctx, store.TLDPrice{TLDID: tldID, CurrencyID: c.ID, Type: kind,
					Years: years, Cents: converted}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// activeRegistrar checks that module is an active registrar: "The
// Registrar is not active" when not, or CreateOrUpdateTLD's messages for
// auto_registrar.
func activeRegistrar(ctx context.Context, tx *store.Tx, module string, auto bool) error {
	regs, err := tx.Registrars(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(regs))
	for i, r := range regs {
		if r.Module == module {
			return nil
		}
		names[i] = r.Module
	}
	switch {
	case !auto:
		return Errorf("The Registrar is not active")
	case len(regs) == 0:
		return Errorf("No Active Registrars - auto_registrar value cannot be defined")
	}
	return Errorf("Invalid auto_registrar value. Must be empty or one of: %s", strings.Join(names, ", "))
}

type getTLDPricingRequest struct {
	CurrencyID int64 `schema:"currencyid"`
	ClientID   int64 `schema:"clientid"`
}

type tldCurrency struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
	Format int64  `json:"format"`
	Rate   string `json:"rate"`
}

type tldAddons struct {
	DNS       bool `json:"dns"`
	Email     bool `json:"email"`
	IDProtect bool `json:"idprotect"`
}

type tldPeriod struct {
	Days  int64  `json:"days"`
	Price string `json:"price"`
}

type tldPricingEntry struct {
	TLD              string            `json:"tld"`
	Categories       []string          `json:"categories"`
	Addons           tldAddons         `json:"addons"`
	Group            string            `json:"group"`
	Register         map[string]string `json:"register"`
	Transfer         map[string]string `json:"transfer"`
	Renew            map[string]string `json:"renew"`
	GracePeriod      *tldPeriod        `json:"grace_period"`
	RedemptionPeriod *tldPeriod        `json:"redemption_period"`
}

type getTLDPricingResponse struct {
	success
	Currency tldCurrency                `json:"currency"`
	Pricing  map[string]tldPricingEntry `json:"pricing"`
}

func getTLDPricing(ctx context.Context, env *Env, req *getTLDPricingRequest) (any, error) {
	resp := &getTLDPricingResponse{Pricing: map[string]tldPricingEntry{}}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		currencies, err := tx.Currencies(ctx)
		if err != nil {
			return err
		}
		def := defaultCurrency(currencies)
		cur := def
		if req.ClientID != 0 {
			if cur, err = tx.OrderClientCurrency(ctx, req.ClientID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if ok, err := tx.ClientExists(ctx, req.ClientID); err != nil {
				return err
			} else if !ok {
				cur = def
			}
		} else {
			for _, c := range currencies {
				if c.ID == req.CurrencyID {
					cur = c
				}
			}
		}
		resp.Currency = tldCurrency{ID: cur.ID, Code: cur.Code, Prefix: cur.Prefix, Suffix: cur.Suffix,
			Format: cur.Format, Rate: cur.Rate}
		tlds, err := tx.TLDs(ctx)
		if err != nil {
			return err
		}
		prices, err := tx.TLDPrices(ctx, cur.ID)
		if err != nil {
			return err
		}
		byTLD := map[int64][]store.TLDPrice{}
		for _, p := range prices {
			byTLD[p.TLDID] = append(byTLD[p.TLDID], p)
		}
		for _, t := range tlds {
			if len(byTLD[t.ID]) == 0 {
				continue
			}
			e := tldPricingEntry{TLD: strings.TrimPrefix(t.Extension, "."), Categories: t.Categories,
				Addons: tldAddons{DNS: t.DNSManagement, Email: t.EmailForwarding, IDProtect: t.IDProtection},
				Group:  t.Group, Register: map[string]string{}, Transfer: map[string]string{}, Renew: map[string]string{},
				GracePeriod:      tldPeriodIn(t.GraceDays, t.GraceFeeCents, def, cur),
				RedemptionPeriod: tldPeriodIn(t.RedemptionDays, t.RedemptionFeeCents, def, cur)}
			for _, p := range byTLD[t.ID] {
				m := map[string]map[string]string{store.TLDRegister: e.Register, store.TLDTransfer: e.Transfer,
					store.TLDRenew: e.Renew}[p.Type]
				if m != nil {
					m[strconv.FormatInt(p.Years, 10)] = store.FormatMoney(p.Cents)
				}
			}
			resp.Pricing[e.TLD] = e
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// tldPeriodIn is a grace or redemption period in currency cur: nil when
// its days are not set or its fee is negative (disabled).
func tldPeriodIn(days, feeCents int64, def, cur store.Currency) *tldPeriod {
	if days < 0 || feeCents < 0 {
		return nil
	}
	if v, ok := convertCents(feeCents, def.Rate, cur.Rate); ok {
		feeCents = v
	}
	return &tldPeriod{Days: days, Price: store.FormatMoney(feeCents)}
}
