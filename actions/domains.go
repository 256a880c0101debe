// This file holds GetClientsDomains (Client category) and what AddOrder
// needs to price its items: the services and domains an order asks for.
//
// GetClientsDomains: no messages. Filters clientid, domainid and domain (the
// name, any case) combine with AND; a filter that reads as 0 or "" does not
// filter. clientid and domainid are echoed as sent (strings), null when not
// sent, as GetClientsProducts echoes its filters; totalresults, startnumber
// and numreturned are numbers; limitnum defaults to 25. domains.domain is
// absent when the page is empty; each domain's fields are strings, as the
// documented example shows them; an unset date is "0000-00-00";
// paymentmethodname is the gateway's display name, "" when no gateway has
// that module name. getnameservers (a boolean; not in the reference
// whmcsemu follows, which lists no such parameter) adds each domain's
// nameservers, {ns1 … ns5} as DomainGetNameservers answers them ("" where
// unset), the registrar's (domains_registrar.go), so the two agree.

package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

type getClientsDomainsRequest struct {
	LimitStart int64   `schema:"limitstart"`
	LimitNum   int64   `schema:"limitnum"`
	ClientID   *string `schema:"clientid"`
	DomainID   *string `schema:"domainid"`
	Domain     string  `schema:"domain"`
	// GetNameservers adds each domain's nameservers, the registrar's.
	GetNameservers bool `schema:"getnameservers"`
}

type getClientsDomainsResponse struct {
	success
	ClientID *string `json:"clientid"`
	DomainID *string `json:"domainid"`
	listCounts
	Domains *domainList `json:"domains,omitempty"`
}

type domainList struct {
	Domain []domainItem `json:"domain"`
}

type domainItem struct {
	ID                 string `json:"id"`
	UserID             string `json:"userid"`
	OrderID            string `json:"orderid"`
	RegType            string `json:"regtype"`
	DomainName         string `json:"domainname"`
	Registrar          string `json:"registrar"`
	RegPeriod          string `json:"regperiod"`
	FirstPaymentAmount string `json:"firstpaymentamount"`
	RecurringAmount    string `json:"recurringamount"`
	PaymentMethod      string `json:"paymentmethod"`
	PaymentMethodName  string `json:"paymentmethodname"`
	RegDate            string `json:"regdate"`
	ExpiryDate         string `json:"expirydate"`
	NextDueDate        string `json:"nextduedate"`
	Status             string `json:"status"`
	SubscriptionID     string `json:"subscriptionid"`
	PromoID            string `json:"promoid"`
	DNSManagement      string `json:"dnsmanagement"`
	EmailForwarding    string `json:"emailforwarding"`
	IDProtection       string `json:"idprotection"`
	DoNotRenew         string `json:"donotrenew"`
	Notes              string `json:"notes"`
	// Nameservers are sent with getnameservers only.
	Nameservers *nameservers `json:"nameservers,omitempty"`
}

func getClientsDomains(ctx context.Context, env *Env, req *getClientsDomainsRequest) (any, error) {
	f := store.DomainFilter{Domain: strings.TrimSpace(req.Domain)}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	if req.ClientID != nil {
		f.ClientID = IntVal(*req.ClientID)
	}
	if req.DomainID != nil {
		f.DomainID = IntVal(*req.DomainID)
	}
	var page []store.DomainEntry
	var total int64
	ns := map[int64][]string{}
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if page, total, err = tx.ListDomains(ctx, f); err != nil || !req.GetNameservers {
			return err
		}
		for _, d := range page {
			r, err := tx.DomainRegistrarByID(ctx, d.ID)
			if err != nil {
				return err
			}
			ns[d.ID] = r.Nameservers
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &getClientsDomainsResponse{ClientID: req.ClientID, DomainID: req.DomainID,
		listCounts: countsOf(f.Page, total, len(page))}
	if len(page) > 0 {
		resp.Domains = &domainList{Domain: make([]domainItem, len(page))}
	}
	for i, d := range page {
		resp.Domains.Domain[i] = domainItem{ID: strconv.FormatInt(d.ID, 10),
			UserID: strconv.FormatInt(d.ClientID, 10), OrderID: strconv.FormatInt(d.OrderID, 10), RegType: d.RegType,
			DomainName: d.Domain.Domain, Registrar: d.Registrar, RegPeriod: strconv.FormatInt(d.RegPeriod, 10),
			FirstPaymentAmount: store.FormatMoney(d.FirstPaymentAmountCents),
			RecurringAmount:    store.FormatMoney(d.RecurringAmountCents), PaymentMethod: d.PaymentMethod,
			PaymentMethodName: d.PaymentMethodName, RegDate: dateOrZero(d.RegDate),
			ExpiryDate: dateOrZero(d.ExpiryDate), NextDueDate: dateOrZero(d.NextDueDate), Status: d.Status,
			SubscriptionID: d.SubscriptionID, PromoID: strconv.FormatInt(d.PromoID, 10),
			DNSManagement: boolDigit(d.DNSManagement), EmailForwarding: boolDigit(d.EmailForwarding),
			IDProtection: boolDigit(d.IDProtection), DoNotRenew: boolDigit(d.DoNotRenew), Notes: d.Notes}
		if req.GetNameservers {
			list := nameserversOf(ns[d.ID])
			resp.Domains.Domain[i].Nameservers = &list
		}
	}
	return resp, nil
}

// domainRegTypeName is how GetOrders names a domain's registration type.
func domainRegTypeName(regType string) string {
	if regType == "Transfer" {
		return "Domain Transfer"
	}
	return "Domain Registration"
}

// domainInvoiceItem is the invoice line that bills an ordered domain.
func domainInvoiceItem(d store.Domain, id int64, today string) store.InvoiceItem {
	kind := "DomainRegister"
	if d.RegType == "Transfer" {
		kind = "DomainTransfer"
	}
	return store.InvoiceItem{Type: kind, RelID: id,
		Description: domainRegTypeName(d.RegType) + " - " + d.Domain + " - " + strconv.FormatInt(d.RegPeriod, 10) + " Year/s",
		AmountCents: d.FirstPaymentAmountCents, DueDate: today, PaymentMethod: d.PaymentMethod}
}

// orderDomainLines returns the domains an AddOrder asks for: each domain[i]
// with a domaintype[i] of register or transfer (any case), priced in the
// currency. The first payment is domainpriceoverride[i], else the TLD's
// register or transfer price for the period, else 0.00; the recurring
// amount domainrenewoverride[i], else the TLD's renew price for the
// period, else the first payment. store.ErrMoneyRange when a price
// override does not fit decimal(16,2).
func orderDomainLines(ctx context.Context, tx *store.Tx, req *addOrderRequest, currency int64) ([]store.Domain, error) {
	var out []store.Domain
	for i, name := range req.Domain {
		var regType string
		switch strings.ToLower(orderAt(req.DomainType, i)) {
		case "register":
			regType = "Register"
		case "transfer":
			regType = "Transfer"
		default:
			continue
		}
		period := min(max(IntVal(orderAt(req.RegPeriod, i)), 1), 10)
		name = strings.TrimSpace(name)
		// An override that is absent or not a number is ErrNotMoney: the
		// price is then the TLD's (0.00 without one), the renewal the
		// TLD's renewal price (the price without one).
		first, err := store.ParseMoney(orderAt(req.DomainPriceOverride, i))
		if errors.Is(err, store.ErrNotMoney) {
			first, _, err = tx.DomainPrice(ctx, name, currency, strings.ToLower(regType), period)
		}
		if err != nil {
			return nil, err
		}
		recurring, err := store.ParseMoney(orderAt(req.DomainRenewOverride, i))
		if errors.Is(err, store.ErrNotMoney) {
			var priced bool
			if recurring, priced, err = tx.DomainPrice(ctx, name, currency, store.TLDRenew, period); err == nil && !priced {
				recurring = first
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, store.Domain{RegType: regType, Domain: name, RegPeriod: period,
			FirstPaymentAmountCents: first, RecurringAmountCents: recurring, Status: "Pending",
			DNSManagement: Truthy(orderAt(req.DNSManagement, i)), EmailForwarding: Truthy(orderAt(req.EmailForwarding, i)),
			IDProtection: Truthy(orderAt(req.IDProtection, i))})
	}
	return out, nil
}

// orderLine is one service an AddOrder asks for, priced.
type orderLine struct {
	product   store.OrderProduct
	domain    string
	cycle     string // as WHMCS stores it: Monthly, Semi-Annually, One Time, Free Account, ...
	first     int64  // cents
	recurring int64
	index     int // the position of pid (and addons) it comes from
}

// description is the service's invoice line: "Group - Product (domain)".
func (l orderLine) description() string {
	d := l.product.Name
	if l.product.GroupName != "" {
		d = l.product.GroupName + " - " + d
	}
	if l.domain != "" {
		d += " (" + l.domain + ")"
	}
	return d
}

// orderCycles are the recurring billing cycles in the order of
// store.ProductCycles, as request values (lower case, no hyphen) and as
// WHMCS stores them.
var orderCycles = [6][2]string{{"monthly", "Monthly"}, {"quarterly", "Quarterly"},
	{"semiannually", "Semi-Annually"}, {"annually", "Annually"}, {"biennially", "Biennially"},
	{"triennially", "Triennially"}}

// orderServiceLines returns the services an AddOrder asks for, priced in
// the currency; qty[i] copies of pid[i].
func orderServiceLines(ctx context.Context, tx *store.Tx, req *addOrderRequest, currency int64) ([]orderLine, error) {
	var out []orderLine
	for i, raw := range req.PID {
		if strings.TrimSpace(raw) == "" {
			continue // a position that orders only a domain
		}
		p, err := tx.OrderProductByID(ctx, IntVal(raw))
		if err != nil {
			return nil, notFoundAs(err, Errorf("Product ID Invalid"))
		}
		pricing, err := tx.ProductPricingIn(ctx, p.ID, currency)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		l, err := orderPrice(p, pricing, err == nil, orderAt(req.BillingCycle, i))
		if err != nil {
			return nil, err
		}
		l.domain, l.index = orderAt(req.Domain, i), i
		if cents, err := store.ParseMoney(orderAt(req.PriceOverride, i)); err == nil {
			l.first = cents
			if l.recurring != 0 || l.cycle != "Free Account" && l.cycle != "One Time" {
				l.recurring = cents
			}
		} else if !errors.Is(err, store.ErrNotMoney) {
			return nil, err
		}
		qty := min(max(IntVal(orderAt(req.Qty, i)), 1), 100)
		for range qty {
			out = append(out, l)
		}
		if len(out) > maxOrderItems {
			return nil, Errorf("whmcsemu: an order may hold at most %d services and domains", maxOrderItems)
		}
	}
	return out, nil
}

// orderPrice picks a product's billing cycle and amounts: free products
// cost nothing, one-time ones their monthly price, recurring ones the
// price of the cycle asked for when it is offered, else of the first one
// offered (nothing when none is, or the product has no prices). The first
// payment, price and setup fee, is store.ErrMoneyRange when it does not
// fit decimal(16,2).
func orderPrice(p store.OrderProduct, pricing store.ProductPricing, priced bool, asked string) (orderLine, error) {
	l := orderLine{product: p}
	amount := func(i int) (price, setup int64, offered bool) {
		if !priced {
			return 0, 0, false
		}
		price, err := store.ParseMoney(pricing.Prices[i])
		setup, _ = store.ParseMoney(pricing.SetupFees[i])
		return price, max(setup, 0), err == nil && price >= 0
	}
	var err error
	switch p.PayType {
	case "free":
		l.cycle = "Free Account"
		return l, nil
	case "onetime":
		l.cycle = "One Time"
		if price, setup, ok := amount(0); ok {
			l.first, err = store.AddMoney(price, setup)
		}
		return l, err
	}
	asked = strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(asked))
	pick := -1
	for i, c := range orderCycles {
		if _, _, ok := amount(i); ok && (c[0] == asked || pick < 0) {
			pick = i
			if c[0] == asked {
				break
			}
		}
	}
	if pick < 0 {
		l.cycle = "Monthly"
		for _, c := range orderCycles {
			if c[0] == asked {
				l.cycle = c[1]
			}
		}
		return l, nil
	}
	price, setup, _ := amount(pick)
	l.cycle, l.recurring = orderCycles[pick][1], price
	l.first, err = store.AddMoney(price, setup)
	return l, err
}
