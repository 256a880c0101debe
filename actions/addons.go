// This file holds WHMCS's client addon actions: UpdateClientAddon (Addons
// category) and GetClientsAddons (Client category), and what AddOrder does
// with addons. The addons that can be ordered are a catalog a fixture
// gives (addons: one setup fee and recurring price, in the default
// currency, for one billing cycle); a client's addons sit on its services.
//
// AddOrder creates them: addons[i] (comma-separated catalog ids) for each
// service of pid[i], addonsqty[i] (comma-separated, by position, 1 to 100,
// default 1) of each; addonid with serviceid (and addonidqty), and
// addonids[j] with serviceids[j] (and addonidsqty[j]), for an order of
// addons alone on services the client has. "Addon ID invalid" answers an
// id the catalog does not have; "Service ID not owned by Client ID
// provided" a service that is not the client's. Each addon is Pending, its
// setup fee and recurring amount the catalog's times its qty, its billing
// cycle the catalog's, registered and due today, with the order's payment
// method; the invoice bills it on a line of type Addon (relid the client
// addon), "<addon name> (<service domain>)", its setup fee plus recurring
// amount. AcceptOrder, CancelOrder, PendingOrder and FraudOrder set the
// order's addons' status with its services'; DeleteOrder deletes them.
// GenInvoices invoices the later periods of Active and Suspended addons,
// and paying an Addon line moves the addon's next due date on
// (billing_cron.go, billing_shared.go).
//
// GetClientsAddons: no messages. serviceid (one id or a comma-separated
// list), clientid and addonid filter (a value that reads as 0 does not);
// serviceid and clientid are echoed as sent ("" when not); totalresults is
// a number; every addon's values are strings, as the docs' example shows
// them, by id, without paging (WHMCS documents none); addons is absent
// when there are none. name is the addon's own name, else the catalog's;
// qty is sent from WHMCS 8.12 (actions/versions.go); tax is "" (tax is not
// kept per addon); regdate, nextduedate and nextinvoicedate are
// "0000-00-00" when unset.
//
// UpdateClientAddon: "Addon ID Not Found" · "Nothing to Update" (none of
// the fields below sent). status (Pending, Active, Suspended, Terminated,
// Cancelled, Fraud; any case; another is ignored), addonid (a catalog
// addon, or 0 for a custom one; another is ignored), name, setupfee and
// recurring (read as PHP's (float) does; past decimal(16,2) they are
// store.ErrMoneyRange's "Amount out of range: …"), billingcycle (Free
// Account, One Time, Monthly, Quarterly, Semi-Annually, Annually,
// Biennially, Triennially, in any case, with or without spaces and
// hyphens; another is ignored), nextduedate (Y-m-d; it sets the next
// invoice date too) and terminationdate (Y-m-d, or "" to clear; another
// form is ignored), notes. autorecalc makes recurring the catalog addon's
// price times the qty (recurring is then ignored; a custom addon keeps its
// own). id is answered as a number (the docs' table; the example shows a
// string).

package actions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// addonStatuses are the statuses of a client's addon.
var addonStatuses = []string{"Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud"}

// addonCycles are the billing cycles an addon can have, as WHMCS stores
// them.
var addonCycles = []string{"Free Account", "One Time", "Monthly", "Quarterly", "Semi-Annually", "Annually",
	"Biennially", "Triennially"}

// AddonCycle is the billing cycle s names (any case, spaces and hyphens
// ignored, "free" and "onetime" too), as WHMCS stores it, or "" for none.
func AddonCycle(s string) string {
	key := func(s string) string { return strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(s)) }
	k := key(s)
	for _, c := range addonCycles {
		if key(c) == k || k == "free" && c == "Free Account" {
			return c
		}
	}
	return ""
}

// addonName is what a client's addon is called: its own name, else the
// catalog's.
func addonName(a store.ClientAddonEntry) string {
	if a.Name != "" {
		return a.Name
	}
	return a.CatalogName
}

type getClientsAddonsRequest struct {
	ServiceID *string `schema:"serviceid"`
	ClientID  *string `schema:"clientid"`
	AddonID   int64   `schema:"addonid"`
}

type getClientsAddonsResponse struct {
	success
	ServiceID    string            `json:"serviceid"`
	ClientID     string            `json:"clientid"`
	TotalResults int               `json:"totalresults"`
	Addons       *clientAddonsList `json:"addons,omitempty"`
}

type clientAddonsList struct {
	Addon []clientAddonItem `json:"addon"`
}

type clientAddonItem struct {
	ID                string  `json:"id"`
	Qty               *string `json:"qty,omitempty"`
	UserID            string  `json:"userid"`
	OrderID           string  `json:"orderid"`
	ServiceID         string  `json:"serviceid"`
	AddonID           string  `json:"addonid"`
	Name              string  `json:"name"`
	SetupFee          string  `json:"setupfee"`
	Recurring         string  `json:"recurring"`
	BillingCycle      string  `json:"billingcycle"`
	Tax               string  `json:"tax"`
	Status            string  `json:"status"`
	RegDate           string  `json:"regdate"`
	NextDueDate       string  `json:"nextduedate"`
	NextInvoiceDate   string  `json:"nextinvoicedate"`
	PaymentMethod     string  `json:"paymentmethod"`
	PaymentMethodName string  `json:"paymentmethodname"`
	Notes             string  `json:"notes"`
}

func getClientsAddons(ctx context.Context, env *Env, req *getClientsAddonsRequest) (any, error) {
	f := store.ClientAddonFilter{AddonID: max(req.AddonID, 0)}
	resp := &getClientsAddonsResponse{ServiceID: deref(req.ServiceID), ClientID: deref(req.ClientID)}
	for _, part := range strings.Split(resp.ServiceID, ",") {
		if id := IntVal(part); id > 0 {
			f.ServiceIDs = append(f.ServiceIDs, id)
		}
	}
	if len(f.ServiceIDs) > 1000 {
		f.ServiceIDs = f.ServiceIDs[:1000]
	}
	f.ClientID = max(IntVal(resp.ClientID), 0)
	var list []store.ClientAddonEntry
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.ClientAddons(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp.TotalResults = len(list)
	if len(list) == 0 {
		return resp, nil
	}
	qty := env.shape().addonQty
	resp.Addons = &clientAddonsList{Addon: make([]clientAddonItem, len(list))}
	for i, a := range list {
		item := clientAddonItem{ID: itoa(a.ID), UserID: itoa(a.ClientID), OrderID: itoa(a.OrderID),
			ServiceID: itoa(a.ServiceID), AddonID: itoa(a.AddonID), Name: addonName(a),
			SetupFee: store.FormatMoney(a.SetupFeeCents), Recurring: store.FormatMoney(a.RecurringCents),
			BillingCycle: a.BillingCycle, Status: a.Status, RegDate: dateOrZero(a.RegDate),
			NextDueDate: dateOrZero(a.NextDueDate), NextInvoiceDate: dateOrZero(a.NextInvoiceDate),
			PaymentMethod: a.PaymentMethod, PaymentMethodName: a.PaymentMethodName, Notes: a.Notes}
		if qty {
			n := itoa(a.Qty)
			item.Qty = &n
		}
		resp.Addons.Addon[i] = item
	}
	return resp, nil
}

type updateClientAddonRequest struct {
	ID              int64   `schema:"id"`
	Status          *string `schema:"status"`
	AddonID         *string `schema:"addonid"`
	Name            *string `schema:"name"`
	SetupFee        *string `schema:"setupfee"`
	Recurring       *string `schema:"recurring"`
	BillingCycle    *string `schema:"billingcycle"`
	NextDueDate     *string `schema:"nextduedate"`
	TerminationDate *string `schema:"terminationdate"`
	Notes           *string `schema:"notes"`
	AutoRecalc      bool    `schema:"autorecalc"`
}

// idResponse answers the id of what an action changed, as a number.
type idResponse struct {
	success
	ID int64 `json:"id"`
}

func updateClientAddon(ctx context.Context, env *Env, req *updateClientAddonRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.ClientAddonByID(ctx, req.ID)
		if err != nil {
			return notFoundAs(err, Errorf("Addon ID Not Found"))
		}
		if req.Status == nil && req.AddonID == nil && req.Name == nil && req.SetupFee == nil && req.Recurring == nil &&
			req.BillingCycle == nil && req.NextDueDate == nil && req.TerminationDate == nil && req.Notes == nil &&
			!req.AutoRecalc {
			return Errorf("Nothing to Update")
		}
		if st, ok := pickFold(addonStatuses, deref(req.Status)); ok {
			a.Status = st
		}
		if req.AddonID != nil {
			id := IntVal(*req.AddonID)
			if _, err := tx.AddonByID(ctx, id); err == nil || id == 0 {
				a.AddonID = id
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		setIf(&a.Name, req.Name)
		setIf(&a.Notes, req.Notes)
		for _, f := range []struct {
			dst *int64
			v   *string
		}{{&a.SetupFeeCents, req.SetupFee}, {&a.RecurringCents, req.Recurring}} {
			if f.v != nil {
				if *f.dst, err = billingAmount(*f.v); err != nil {
					return err
				}
			}
		}
		if req.BillingCycle != nil {
			if c := AddonCycle(*req.BillingCycle); c != "" {
				a.BillingCycle = c
			}
		}
		if req.NextDueDate != nil {
			if t, err := time.Parse(time.DateOnly, strings.TrimSpace(*req.NextDueDate)); err == nil {
				a.NextDueDate = t.Format(time.DateOnly)
				a.NextInvoiceDate = a.NextDueDate
			}
		}
		if req.TerminationDate != nil {
			if d := strings.TrimSpace(*req.TerminationDate); d == "" {
				a.TerminationDate = ""
			} else if t, err := time.Parse(time.DateOnly, d); err == nil {
				a.TerminationDate = t.Format(time.DateOnly)
			}
		}
		if req.AutoRecalc && a.AddonID != 0 {
			c, err := tx.AddonByID(ctx, a.AddonID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			} else if err == nil {
				a.RecurringCents = c.RecurringCents * max(a.Qty, 1)
			}
		}
		_, err = tx.PutClientAddon(ctx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("client addon updated", "addonId", req.ID)
	return &idResponse{ID: req.ID}, nil
}

// orderAddon is one addon an AddOrder asks for.
type orderAddon struct {
	addon store.Addon
	qty   int64
	// line is the position in the order's service lines whose service
	// it goes on; -1 for an addon on an existing service.
	line      int
	serviceID int64 // the existing service, with line -1
	domain    string
}

// setup and recurring are the addon's amounts for its qty.
func (o orderAddon) setup() int64     { return o.addon.SetupFeeCents * o.qty }
func (o orderAddon) recurring() int64 { return o.addon.RecurringCents * o.qty }

// maxOrderAddonQty bounds the quantity of one ordered addon, as qty is.
const maxOrderAddonQty = 100

// orderAddonQty reads the quantity at position j of a comma-separated
// list: 1 to 100, default 1.
func orderAddonQty(list string, j int) int64 {
	parts := strings.Split(list, ",")
	if j >= len(parts) {
		return 1
	}
	return min(max(IntVal(parts[j]), 1), maxOrderAddonQty)
}

// orderCatalogAddon looks an ordered addon id up: "Addon ID invalid" when
// the catalog has none.
func orderCatalogAddon(ctx context.Context, tx *store.Tx, raw string) (store.Addon, error) {
	id := IntVal(strings.TrimSpace(raw))
	if id <= 0 {
		return store.Addon{}, Errorf("Addon ID invalid")
	}
	a, err := tx.AddonByID(ctx, id)
	return a, notFoundAs(err, Errorf("Addon ID invalid"))
}

// orderAddons returns the addons an AddOrder asks for: with the services
// of lines (addons[i] for pid[i]), then on the client's services
// (addonid with serviceid, addonids[] with serviceids[]).
func orderAddons(ctx context.Context, tx *store.Tx, req *addOrderRequest, clientID int64, lines []orderLine) ([]orderAddon, error) {
	var out []orderAddon
	for k, l := range lines {
		list := orderAt(req.Addons, l.index)
		if list == "" {
			continue
		}
		for j, raw := range strings.Split(list, ",") {
			if strings.TrimSpace(raw) == "" {
				continue
			}
			a, err := orderCatalogAddon(ctx, tx, raw)
			if err != nil {
				return nil, err
			}
			out = append(out, orderAddon{addon: a, qty: orderAddonQty(orderAt(req.AddonsQty, l.index), j), line: k,
				domain: l.domain})
			if len(out) > maxOrderItems {
				return nil, Errorf("whmcsemu: an order may hold at most %d services and domains", maxOrderItems)
			}
		}
	}
	type only struct {
		addon, service string
		qty            int64
	}
	var alone []only
	if IntVal(req.AddonID) != 0 { // 0, as PHP's (int) reads it, is no addon
		alone = append(alone, only{req.AddonID, req.ServiceID, min(max(IntVal(req.AddonIDQty), 1), maxOrderAddonQty)})
	}
	for j, raw := range req.AddonIDs {
		if strings.TrimSpace(raw) != "" {
			alone = append(alone, only{raw, orderAt(req.ServiceIDs, j),
				min(max(IntVal(orderAt(req.AddonIDsQty, j)), 1), maxOrderAddonQty)})
		}
	}
	for _, o := range alone {
		a, err := orderCatalogAddon(ctx, tx, o.addon)
		if err != nil {
			return nil, err
		}
		s, err := tx.ServiceByID(ctx, IntVal(o.service))
		if err := notFoundUnless(err, s.ClientID == clientID, Errorf("Service ID not owned by Client ID provided")); err != nil {
			return nil, err
		}
		out = append(out, orderAddon{addon: a, qty: o.qty, line: -1, serviceID: s.ID, domain: s.Domain})
		if len(out) > maxOrderItems {
			return nil, Errorf("whmcsemu: an order may hold at most %d services and domains", maxOrderItems)
		}
	}
	return out, nil
}

// orderCreateAddon adds one Pending addon of an order on a service and
// returns its id and its invoice line.
func orderCreateAddon(ctx context.Context, tx *store.Tx, o store.Order, a orderAddon, serviceID int64,
	today string) (int64, store.InvoiceItem, error) {
	id, err := tx.PutClientAddon(ctx, store.ClientAddon{ClientID: o.ClientID, ServiceID: serviceID, OrderID: o.ID,
		AddonID: a.addon.ID, Qty: a.qty, SetupFeeCents: a.setup(), RecurringCents: a.recurring(),
		BillingCycle: a.addon.BillingCycle, Status: "Pending", RegDate: today, NextDueDate: today,
		NextInvoiceDate: today, PaymentMethod: o.PaymentMethod})
	if err != nil {
		return 0, store.InvoiceItem{}, err
	}
	first, err := store.AddMoney(a.setup(), a.recurring())
	if err != nil {
		return 0, store.InvoiceItem{}, err
	}
	desc := a.addon.Name
	if a.domain != "" {
		desc += " (" + a.domain + ")"
	}
	return id, store.InvoiceItem{Type: "Addon", RelID: id, Description: desc, AmountCents: first, DueDate: today,
		PaymentMethod: o.PaymentMethod}, nil
}
