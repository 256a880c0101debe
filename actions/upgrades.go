// This file holds WHMCS's UpgradeProduct (Service category).
//
// UpgradeProduct: "Service ID Not Found" · "Invalid Payment Method. Valid
// options include " and the gateways' module names joined by "," (as
// AddOrder) · "Invalid Upgrade Type" (type neither product nor
// configoptions) · "whmcsemu: configurable option upgrades are not
// emulated (products have no configurable options)" (type configoptions;
// whmcsemu's wording) · "Product ID Invalid" (newproductid missing or no
// product; whmcsemu's wording, as AddOrder's) · "Unable to accept upgrade
// order. Previous upgrade invoice for service is still unpaid." (not with
// calconly) · store.ErrMoneyRange's "Amount out of range: …".
//
// The new billing cycle is the new product's: "Free Account" for a free
// product, "One Time" for a one-time one, else newproductbillingcycle
// (monthly … triennially, any case) when the product offers it, else the
// service's cycle when offered, else the first it offers; the new
// recurring amount is the product's price for it in the client's currency.
// The price is worked out as WHMCS's upgrade screen does, pro rata over
// the days until the service's next due date (daysuntilrenewal; 0 when it
// is today or past) of the days of its billing cycle up to that date
// (totaldays; both 0 without a due date or a recurring cycle): with the
// cycle unchanged, the difference of the
// recurring amounts for the days left; with a new cycle (or a service not
// on a recurring one), the new cycle's price less the unused share of the
// old recurring amount, and the next due date moves to one new cycle from
// today. Amounts are rounded half away from zero to cents; price is shown
// with the currency's prefix and suffix ("$-8.67 USD"). calconly answers
// the calculation and upgradeinprogress (whether an upgrade invoice of the
// service is still unpaid) and changes nothing.
//
// Otherwise the upgrade is ordered: a Pending order (ten-digit number,
// amount the price, the payment method, promocode recorded when a
// promotion has it, without a discount) and, when the price is above
// 0.00, an Unpaid invoice dated today with one line of type Upgrade
// (relid the service) — the upgrade applies when that invoice becomes Paid,
// by whichever action (migration 0021's trigger). At 0.00 or less there is
// no invoice (invoiceid null) and the upgrade applies at once; no credit
// is given for a downgrade. Keys and kinds as the docs' example: the old
// product's id and the service id (id) strings, newproductid,
// daysuntilrenewal, totaldays and orderid numbers, newproductbillingcycle
// as asked for (lower case; when not asked, the cycle given: monthly …
// triennially, onetime or free).

package actions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type upgradeProductRequest struct {
	ServiceID              int64  `schema:"serviceid"`
	CalcOnly               bool   `schema:"calconly"`
	PaymentMethod          string `schema:"paymentmethod"`
	Type                   string `schema:"type"`
	NewProductID           int64  `schema:"newproductid"`
	NewProductBillingCycle string `schema:"newproductbillingcycle"`
	PromoCode              string `schema:"promocode"`
	ConfigOptions          string `schema:"configoptions"`
}

type upgradeProductResponse struct {
	success
	OldProductID           string `json:"oldproductid"`
	OldProductName         string `json:"oldproductname"`
	NewProductID           int64  `json:"newproductid"`
	NewProductName         string `json:"newproductname"`
	DaysUntilRenewal       int64  `json:"daysuntilrenewal"`
	TotalDays              int64  `json:"totaldays"`
	NewProductBillingCycle string `json:"newproductbillingcycle"`
	Price                  string `json:"price"`
	UpgradeInProgress      *bool  `json:"upgradeinprogress,omitempty"`
	ID                     string `json:"id,omitempty"`
	OrderID                int64  `json:"orderid,omitempty"`
	OrderNumber            string `json:"order_number,omitempty"`
	// InvoiceID is a number, or null without an invoice; absent with
	// calconly.
	InvoiceID any `json:"invoiceid,omitempty"`
}

// proRata is cents × days / total, rounded half away from zero.
func proRata(cents, days, total int64) int64 {
	if total <= 0 || days <= 0 {
		return 0
	}
	n := cents * days
	if n/days != cents { // cannot happen within decimal(16,2) and a few thousand days
		return cents
	}
	q, r := n/total, n%total
	if 2*abs64(r) >= total {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func upgradeProduct(ctx context.Context, env *Env, req *upgradeProductRequest) (any, error) {
	now := env.Now().UTC()
	today := now.Format(time.DateOnly)
	resp := &upgradeProductResponse{}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.ServiceByID(ctx, req.ServiceID)
		if err != nil {
			return notFoundAs(err, Errorf("Service ID Not Found"))
		}
		if err := orderPaymentMethod(ctx, tx, req.PaymentMethod); err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(req.Type)) {
		case "product":
		case "configoptions":
			return Errorf("whmcsemu: configurable option upgrades are not emulated (products have no configurable options)")
		default:
			return Errorf("Invalid Upgrade Type")
		}
		d, err := tx.ServiceDetailsByID(ctx, s.ID)
		if err != nil {
			return err
		}
		oldProduct, err := tx.OrderProductByID(ctx, s.ProductID)
		if err != nil {
			return err
		}
		newProduct, err := tx.OrderProductByID(ctx, req.NewProductID)
		if err != nil {
			return notFoundAs(err, Errorf("Product ID Invalid"))
		}
		cur, err := tx.OrderClientCurrency(ctx, s.ClientID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		pricing, err := tx.ProductPricingIn(ctx, newProduct.ID, cur.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		asked := strings.TrimSpace(req.NewProductBillingCycle)
		if asked == "" {
			asked = d.BillingCycle
		}
		line, err := orderPrice(newProduct, pricing, err == nil, asked)
		if err != nil {
			return err
		}
		oldRecurring, err := store.ParseMoney(d.RecurringAmount)
		if err != nil {
			oldRecurring = 0
		}
		u := store.Upgrade{ServiceID: s.ID, Date: today, OldProductID: s.ProductID, OldBillingCycle: d.BillingCycle,
			NewProductID: newProduct.ID, NewBillingCycle: line.cycle, NewRecurring: store.FormatMoney(line.recurring),
			Status: "Pending"}
		var days, total int64
		if months, ok := cycleMonths[strings.ToLower(d.BillingCycle)]; ok {
			if due, err := time.Parse(time.DateOnly, d.NextDueDate); err == nil {
				total = int64(due.Sub(addMonths(due, -months)).Hours() / 24)
				days = min(max(int64(due.Sub(startOfDay(now)).Hours()/24), 0), total)
			}
		}
		if line.cycle == d.BillingCycle && total > 0 {
			delta, err := store.AddMoney(line.recurring, -oldRecurring)
			if err != nil {
				return err
			}
			u.AmountCents = proRata(delta, days, total)
		} else {
			if u.AmountCents, err = store.AddMoney(line.recurring, -proRata(oldRecurring, days, total)); err != nil {
				return err
			}
			if months, ok := cycleMonths[strings.ToLower(line.cycle)]; ok {
				u.NewNextDueDate = addMonths(now, months).Format(time.DateOnly)
			}
		}
		cycle := strings.ToLower(strings.TrimSpace(req.NewProductBillingCycle))
		if cycle == "" {
			cycle = map[string]string{"Free Account": "free", "One Time": "onetime"}[line.cycle]
		}
		if cycle == "" {
			cycle = strings.ReplaceAll(strings.ToLower(line.cycle), "-", "")
		}
		*resp = upgradeProductResponse{OldProductID: itoa(s.ProductID), OldProductName: oldProduct.Name,
			NewProductID: newProduct.ID, NewProductName: newProduct.Name, DaysUntilRenewal: days, TotalDays: total,
			NewProductBillingCycle: cycle, Price: formatCurrency(cur, u.AmountCents)}
		unpaid, err := tx.UpgradeUnpaid(ctx, s.ID)
		if err != nil {
			return err
		}
		if req.CalcOnly {
			resp.UpgradeInProgress = &unpaid
			return nil
		}
		if unpaid {
			return Errorf("Unable to accept upgrade order. Previous upgrade invoice for service is still unpaid.")
		}
		client, err := tx.ClientByID(ctx, s.ClientID)
		if err != nil {
			return err
		}
		o := store.Order{ClientID: s.ClientID, RequestorID: client.OwnerUserID, AdminRequestorID: CallerFrom(ctx).AdminID,
			Date: now.Format(ticketDateLayout), PaymentMethod: req.PaymentMethod, Status: "Pending",
			AmountCents: u.AmountCents}
		if o.OrderNum, err = orderNumber(ctx, tx, env); err != nil {
			return err
		}
		if err := orderContactAndPromo(ctx, tx, &addOrderRequest{PromoCode: req.PromoCode}, &o); err != nil {
			return err
		}
		// The invoice first (when there is anything to pay), so that the
		// order and the upgrade are written once, with its id.
		if u.AmountCents > 0 {
			desc := "Upgrade: " + oldProduct.Name + " => " + newProduct.Name + " (" + line.cycle + ")"
			if s.Domain != "" {
				desc = "Upgrade: " + oldProduct.Name + " => " + newProduct.Name + " (" + s.Domain + ", " + line.cycle + ")"
			}
			inv := store.Invoice{ClientID: s.ClientID, Date: today, DueDate: today, Status: "Unpaid",
				PaymentMethod: req.PaymentMethod}
			if o.InvoiceID, err = tx.CreateInvoice(ctx, inv, []store.InvoiceItem{{Type: "Upgrade", RelID: s.ID,
				Description: desc, AmountCents: u.AmountCents, DueDate: today, PaymentMethod: req.PaymentMethod}}); err != nil {
				return err
			}
		}
		if o.ID, err = tx.PutOrder(ctx, o); err != nil {
			return err
		}
		u.OrderID, u.InvoiceID = o.ID, o.InvoiceID
		if u.ID, err = tx.PutUpgrade(ctx, u); err != nil {
			return err
		}
		resp.ID, resp.OrderID, resp.OrderNumber, resp.InvoiceID = itoa(s.ID), o.ID, o.OrderNum, null{}
		if u.AmountCents <= 0 {
			return tx.CompleteUpgrade(ctx, u.ID)
		}
		resp.InvoiceID = o.InvoiceID
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("product upgrade", "serviceId", req.ServiceID, "calconly", req.CalcOnly)
	return resp, nil
}

// startOfDay is midnight (UTC) of t's day.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
