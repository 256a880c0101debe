// This file holds WHMCS's AddOrder (Orders category); the other Orders
// actions are in orders.go, the pricing of domains in domains.go.
//
// AddOrder: "Client ID Not Found" · "Unable to add order when client status
// is Closed" · "Invalid Payment Method. Valid options include " and the
// gateways' module names joined by "," (paymentmethod is required and must
// be a module name exactly) · "Product ID Invalid" (undocumented: a pid that
// is no product) · "Addon ID invalid" · "Service ID not owned by Client ID
// provided" (addons, addonid, addonids and their services: see addons.go,
// which says what addons an order makes) · "No items added to cart so
// order cannot proceed" ·
// "whmcsemu: an order may hold at most 500 services and domains" (the
// emulator's own bound) · store.ErrMoneyRange's "Amount out of range: …" (a
// price override, first payment or order total past decimal(16,2)). pid[], qty[], domain[], billingcycle[] and
// priceoverride[] go together by position (explicit indexes, as
// http_build_query writes them, count: see positional): qty (1 to 100, default 1) makes
// that many services of pid, each Pending with domain[i], regdate and
// nextduedate today (the emulator clock, UTC). The billing cycle is the
// product's: "Free Account" for a free product, "One Time" for a one-time
// one (its price is the monthly column), else billingcycle[i] (monthly,
// quarterly, semiannually or semi-annually, annually, biennially,
// triennially; any case) when the product is offered in it, else its first
// offered cycle. Prices come from product_pricing in the client's currency
// (0.00 when it has none there); the first payment adds the cycle's setup
// fee; priceoverride[i] replaces both amounts. domaintype[i] (register or
// transfer, any case) orders domain[i] as a Pending domain for regperiod[i]
// years (1 to 10, default 1), priced by domainpriceoverride[i] and
// domainrenewoverride[i], else by the TLD's prices for that period in the
// client's currency (CreateOrUpdateTLD: register or transfer for the
// first payment, renew for the recurring amount), else as before TLD
// pricing: 0.00, the renewal the first payment; with dnsmanagement[i],
// emailforwarding[i] and idprotection[i] (their addon prices are not
// emulated). The order
// is Pending with a ten-digit ordernum from the random source, nameserver1-5
// joined by ",", contactid when it is a contact of the client (else 0),
// promocode with its type and value when the promotions table has it (else
// ignored; discounts are not applied), ipaddress from clientip, requestor_id
// the client's owner user and admin_requestor_id the calling admin. Unless
// noinvoice, or when the order costs nothing, an Unpaid invoice dated today
// bills one line per service (type Hosting, relid the service) and per
// domain (DomainRegister or DomainTransfer, relid the domain). Answer:
// orderid and invoiceid numbers (invoiceid 0 without an invoice), and
// productids (WHMCS's name before 7.8, still sent), serviceids, addonids and
// domainids comma-separated strings. Unless noemail, the client gets the
// "Order Confirmation" email (in the outbox). affid, when an affiliate has
// that id, records the order's services as its referrals (affiliates.go);
// another is ignored. Accepted and ignored: customfields,
// configoptions, promooverride, noinvoiceemail, idnlanguage,
// eppcode, domainfields, hostname, ns1prefix, ns2prefix, rootpw,
// domainrenewals, servicerenewals, addonrenewals.

package actions

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// maxOrderItems bounds the services and domains one AddOrder creates, so
// that a request of a thousand pids with qty 100 cannot make 100,000 rows.
const maxOrderItems = 500

type addOrderRequest struct {
	ClientID            int64    `schema:"clientid"`
	PaymentMethod       string   `schema:"paymentmethod"`
	PID                 []string `schema:"pid"`
	Qty                 []string `schema:"qty"`
	Domain              []string `schema:"domain"`
	BillingCycle        []string `schema:"billingcycle"`
	PriceOverride       []string `schema:"priceoverride"`
	DomainType          []string `schema:"domaintype"`
	RegPeriod           []string `schema:"regperiod"`
	DNSManagement       []string `schema:"dnsmanagement"`
	EmailForwarding     []string `schema:"emailforwarding"`
	IDProtection        []string `schema:"idprotection"`
	DomainPriceOverride []string `schema:"domainpriceoverride"`
	DomainRenewOverride []string `schema:"domainrenewoverride"`
	Nameserver1         string   `schema:"nameserver1"`
	Nameserver2         string   `schema:"nameserver2"`
	Nameserver3         string   `schema:"nameserver3"`
	Nameserver4         string   `schema:"nameserver4"`
	Nameserver5         string   `schema:"nameserver5"`
	PromoCode           string   `schema:"promocode"`
	NoInvoice           bool     `schema:"noinvoice"`
	NoEmail             bool     `schema:"noemail"`
	ClientIP            string   `schema:"clientip"`
	ContactID           int64    `schema:"contactid"`
	Addons              []string `schema:"addons"`
	AddonsQty           []string `schema:"addonsqty"`
	AddonID             string   `schema:"addonid"`
	AddonIDQty          string   `schema:"addonidqty"`
	ServiceID           string   `schema:"serviceid"`
	AddonIDs            []string `schema:"addonids"`
	AddonIDsQty         []string `schema:"addonidsqty"`
	ServiceIDs          []string `schema:"serviceids"`
	AffID               int64    `schema:"affid"`
}

type addOrderResponse struct {
	success
	OrderID    int64  `json:"orderid"`
	ProductIDs string `json:"productids"`
	ServiceIDs string `json:"serviceids"`
	AddonIDs   string `json:"addonids"`
	DomainIDs  string `json:"domainids"`
	InvoiceID  int64  `json:"invoiceid"`
}

// orderAt returns list[i], or "" past its end.
func orderAt(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// orderJoinIDs shows ids as WHMCS's comma-separated list.
func orderJoinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// positionalLists are AddOrder's lists that go together by position.
func (req *addOrderRequest) positionalLists() map[string]*[]string {
	return map[string]*[]string{
		"pid": &req.PID, "qty": &req.Qty, "domain": &req.Domain, "billingcycle": &req.BillingCycle,
		"priceoverride": &req.PriceOverride, "domaintype": &req.DomainType, "regperiod": &req.RegPeriod,
		"dnsmanagement": &req.DNSManagement, "emailforwarding": &req.EmailForwarding,
		"idprotection": &req.IDProtection, "domainpriceoverride": &req.DomainPriceOverride,
		"domainrenewoverride": &req.DomainRenewOverride,
		"addons":              &req.Addons, "addonsqty": &req.AddonsQty, "addonids": &req.AddonIDs,
		"addonidsqty": &req.AddonIDsQty, "serviceids": &req.ServiceIDs,
	}
}

// maxPositionalIndex bounds the explicit indexes positional honours, so
// that pid[999999999]=1 cannot ask for a billion-entry list.
const maxPositionalIndex = 10_000

// positional returns list as PHP indexes it. http_build_query writes
// explicit indexes (domaintype[0]=&domaintype[1]=register), and form
// reading drops the empty value, so the list alone would put "register" at
// position 0; the indexed copies form reading keeps (domaintype[1]) put it
// back at 1, with "" where nothing was sent. A list sent without indexes,
// or mixing both forms, is taken as it came.
func positional(params url.Values, name string, list []string) []string {
	prefix := name + "["
	byIndex := map[int]string{}
	last := -1
	for k, v := range params {
		if !strings.HasPrefix(k, prefix) || !strings.HasSuffix(k, "]") || len(v) == 0 {
			continue
		}
		i, err := strconv.Atoi(k[len(prefix) : len(k)-1])
		if err != nil || i < 0 || i > maxPositionalIndex {
			return list
		}
		byIndex[i] = v[len(v)-1]
		last = max(last, i)
	}
	if last < 0 || len(byIndex) != len(list) {
		return list
	}
	out := make([]string, last+1)
	for i, v := range byIndex {
		out[i] = v
	}
	return out
}

func addOrder(ctx context.Context, env *Env, req *addOrderRequest, params url.Values) (any, error) {
	for name, list := range req.positionalLists() {
		*list = positional(params, name, *list)
	}
	now := env.Now().UTC()
	today := now.Format("2006-01-02")
	resp := &addOrderResponse{}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		client, err := tx.ClientByID(ctx, req.ClientID)
		if err != nil {
			return notFoundAs(err, Errorf("Client ID Not Found"))
		}
		if client.Status == "Closed" {
			return Errorf("Unable to add order when client status is Closed")
		}
		if err := orderPaymentMethod(ctx, tx, req.PaymentMethod); err != nil {
			return err
		}
		cur, err := tx.OrderClientCurrency(ctx, client.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		lines, err := orderServiceLines(ctx, tx, req, cur.ID)
		if err != nil {
			return err
		}
		addons, err := orderAddons(ctx, tx, req, client.ID, lines)
		if err != nil {
			return err
		}
		domains, err := orderDomainLines(ctx, tx, req, cur.ID)
		if err != nil {
			return err
		}
		if len(lines) == 0 && len(domains) == 0 && len(addons) == 0 {
			return Errorf("No items added to cart so order cannot proceed")
		}
		if len(lines)+len(domains)+len(addons) > maxOrderItems {
			return Errorf("whmcsemu: an order may hold at most %d services and domains", maxOrderItems)
		}
		o := store.Order{ClientID: client.ID, RequestorID: client.OwnerUserID, AdminRequestorID: CallerFrom(ctx).AdminID,
			Date: now.Format(ticketDateLayout), PaymentMethod: req.PaymentMethod, Status: "Pending",
			IPAddress: strings.TrimSpace(req.ClientIP), Nameservers: orderNameservers(req)}
		if o.OrderNum, err = orderNumber(ctx, tx, env); err != nil {
			return err
		}
		if err := orderContactAndPromo(ctx, tx, req, &o); err != nil {
			return err
		}
		var amounts []int64
		for _, l := range lines {
			amounts = append(amounts, l.first)
		}
		for _, d := range domains {
			amounts = append(amounts, d.FirstPaymentAmountCents)
		}
		for _, a := range addons {
			amounts = append(amounts, a.setup(), a.recurring())
		}
		if o.AmountCents, err = store.AddMoney(amounts...); err != nil {
			return err
		}
		if o.ID, err = tx.PutOrder(ctx, o); err != nil {
			return err
		}
		var items []store.InvoiceItem
		var serviceIDs, domainIDs []int64
		for _, l := range lines {
			id, err := orderCreateService(ctx, tx, o, l, today)
			if err != nil {
				return err
			}
			serviceIDs = append(serviceIDs, id)
			items = append(items, store.InvoiceItem{Type: "Hosting", RelID: id, Description: l.description(),
				AmountCents: l.first, DueDate: today, PaymentMethod: o.PaymentMethod})
		}
		var addonIDs []int64
		for _, a := range addons {
			sid := a.serviceID
			if a.line >= 0 {
				sid = serviceIDs[a.line]
			}
			id, item, err := orderCreateAddon(ctx, tx, o, a, sid, today)
			if err != nil {
				return err
			}
			addonIDs = append(addonIDs, id)
			items = append(items, item)
		}
		if err := affiliateReferrals(ctx, tx, req.AffID, serviceIDs); err != nil {
			return err
		}
		for _, d := range domains {
			d.ClientID, d.OrderID, d.PaymentMethod, d.RegDate, d.NextDueDate = o.ClientID, o.ID, o.PaymentMethod, today, today
			id, err := tx.PutDomain(ctx, d)
			if err != nil {
				return err
			}
			domainIDs = append(domainIDs, id)
			items = append(items, domainInvoiceItem(d, id, today))
		}
		if !req.NoInvoice && o.AmountCents > 0 {
			inv := store.Invoice{ClientID: o.ClientID, Date: today, DueDate: today, Status: "Unpaid",
				PaymentMethod: o.PaymentMethod}
			if o.InvoiceID, err = tx.CreateInvoice(ctx, inv, items); err != nil {
				return err
			}
			if _, err := tx.PutOrder(ctx, o); err != nil {
				return err
			}
		}
		if !req.NoEmail {
			err := sendClientEmail(ctx, tx, env, "Order Confirmation", o.ClientID, map[string]string{
				"order_id": strconv.FormatInt(o.ID, 10), "order_number": o.OrderNum,
				"invoice_id": strconv.FormatInt(o.InvoiceID, 10)})
			if err := ignoreNoTemplate(err); err != nil {
				return err
			}
		}
		resp.OrderID, resp.InvoiceID = o.ID, o.InvoiceID
		resp.ServiceIDs, resp.DomainIDs = orderJoinIDs(serviceIDs), orderJoinIDs(domainIDs)
		resp.AddonIDs = orderJoinIDs(addonIDs)
		resp.ProductIDs = resp.ServiceIDs
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order added", "orderId", resp.OrderID, "clientId", req.ClientID)
	return resp, nil
}

// orderPaymentMethod checks a payment method against the gateways.
func orderPaymentMethod(ctx context.Context, tx *store.Tx, method string) error {
	gateways, err := tx.PaymentGateways(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(gateways))
	for i, g := range gateways {
		if g.Module == method {
			return nil
		}
		names[i] = g.Module
	}
	return Errorf("Invalid Payment Method. Valid options include %s", strings.Join(names, ","))
}

// orderNumber draws a ten-digit order number no order has yet.
func orderNumber(ctx context.Context, tx *store.Tx, env *Env) (string, error) {
	for range 20 {
		b := env.randomBytes(10)
		num := make([]byte, 10)
		num[0] = '1' + b[0]%9
		for i, c := range b[1:] {
			num[i+1] = '0' + c%10
		}
		used, err := tx.OrderNumUsed(ctx, string(num))
		if err != nil {
			return "", err
		}
		if !used {
			return string(num), nil
		}
	}
	return "", Errorf("Unable to generate order number")
}

// orderNameservers joins nameserver1 to nameserver5 as WHMCS keeps them.
func orderNameservers(req *addOrderRequest) string {
	var ns []string
	for _, n := range []string{req.Nameserver1, req.Nameserver2, req.Nameserver3, req.Nameserver4, req.Nameserver5} {
		if n = strings.TrimSpace(n); n != "" {
			ns = append(ns, n)
		}
	}
	return strings.Join(ns, ",")
}

// orderContactAndPromo sets the order's contact (only one of its client's)
// and promotion (only one that exists).
func orderContactAndPromo(ctx context.Context, tx *store.Tx, req *addOrderRequest, o *store.Order) error {
	if req.ContactID != 0 {
		c, err := tx.ContactByID(ctx, req.ContactID)
		if err == nil && c.ClientID == o.ClientID {
			o.ContactID = c.ID
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if code := strings.TrimSpace(req.PromoCode); code != "" {
		promos, err := tx.Promotions(ctx, code)
		if err != nil {
			return err
		}
		for _, p := range promos {
			if strings.EqualFold(p.Code, code) {
				o.PromoCode, o.PromoType = p.Code, p.Type
				o.PromoValue = strconv.FormatFloat(p.Value, 'f', 2, 64)
				break
			}
		}
	}
	return nil
}

// orderCreateService adds one Pending service of an order.
func orderCreateService(ctx context.Context, tx *store.Tx, o store.Order, l orderLine, today string) (int64, error) {
	id, err := tx.PutService(ctx, store.Service{ClientID: o.ClientID, ProductID: l.product.ID, Domain: l.domain,
		Status: "Pending"})
	if err != nil {
		return 0, err
	}
	if err := tx.SetServiceDetails(ctx, id, store.ServiceDetails{RegDate: today, NextDueDate: today,
		BillingCycle: l.cycle, FirstPaymentAmount: store.FormatMoney(l.first), RecurringAmount: store.FormatMoney(l.recurring),
		PaymentMethod: o.PaymentMethod}); err != nil {
		return 0, err
	}
	return id, tx.SetServiceOrder(ctx, id, o.ID)
}
