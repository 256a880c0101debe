// This file holds WHMCS's Orders actions: AddOrder, AcceptOrder,
// PendingOrder, CancelOrder, DeleteOrder and GetOrders. Every write runs in
// one transaction; an error writes nothing. GetOrderStatuses, which counts
// the orders, is in reference.go.
//
// AddOrder is in orders_add.go.
//
// AcceptOrder: "Order ID not found or Status not Pending". The order, its
// services and its domains become Active; serviceusername becomes the
// services' username, registrar the domains' registrar, and a domain
// without an expiry date gets one regperiod years after its registration
// date, which becomes its next due date too; serverid, when a server has
// it, puts the services on that server, and servicepassword becomes their
// password. No module runs, so its messages never come back; autosetup is
// accepted and ignored. With sendregistrar, the emulated registrar then
// registers or transfers each of the order's domains as DomainRegister and
// DomainTransfer do (domains_registrar.go), and its message, if it refuses
// one, is the answer (nothing is written). Unless sendemail is sent and
// false, each service's client gets its welcome email (in the outbox):
// "Hosting Account Welcome Email" for a hosting account, "Other
// Product/Service Welcome Email" for anything else, and each domain sent to
// the registrar its registration or transfer email.
//
// PendingOrder: "Order ID Not Found". The order, its services and domains
// become Pending, from any status, and a Cancelled invoice of the order
// Unpaid again (undoing CancelOrder).
//
// CancelOrder: "Order ID not found or Status not Pending". The order, its
// services and domains become Cancelled, and its invoice too when Unpaid.
// cancelsub and noemail are accepted (no gateway holds a subscription).
//
// DeleteOrder: "Order ID not found" · "The order status must be in
// Cancelled or Fraud to be deleted". The order goes with its services,
// domains and invoice.
//
// GetOrders: no messages. Filters id, userid, requestor_id and status (any
// case) combine with AND; newest first; limitnum defaults to 25. Types as
// the documented example: ids, ordernum and invoiceid numbers, amounts
// strings. paymentstatus is the invoice's status ("" without one), name the
// client's, currencyprefix and currencysuffix the client's currency's.
// fraudmodule and fraudoutput are OrderFraudCheck's (orders_fraud.go).
// Fields the emulator keeps no data for are empty: transfersecret,
// renewals, orderdata, frauddata, validationdata, and renewalsByType's
// lists. lineitems lists the services (type product,
// producttype from the product type: Shared Hosting, Reseller Hosting,
// Dedicated/VPS Server, Other Product/Service; product "Group - Name";
// billingcycle as stored, "One Time" shown as "One-Time"), the addons
// (type addon, producttype Addon, product the addon's name, domain its
// service's, amount its setup fee plus recurring amount), the domains
// (type domain, producttype Domain Registration or Domain Transfer, product
// and domain the domain name, billingcycle "<regperiod> Year(s)") and the
// upgrades (type upgrade, relid the service, producttype Upgrade, product
// "<old product> => <new product>", billingcycle the new one, amount what
// the upgrade cost, status Pending or Completed).

package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// orderIDRequest is the one parameter of PendingOrder and DeleteOrder.
type orderIDRequest struct {
	OrderID int64 `schema:"orderid"`
}

type acceptOrderRequest struct {
	OrderID         int64  `schema:"orderid"`
	ServerID        int64  `schema:"serverid"`
	ServiceUsername string `schema:"serviceusername"`
	ServicePassword string `schema:"servicepassword"`
	Registrar       string `schema:"registrar"`
	SendRegistrar   bool   `schema:"sendregistrar"`
	AutoSetup       bool   `schema:"autosetup"`
	// SendEmail is text: not sent means send, as WHMCS's order screen does.
	SendEmail string `schema:"sendemail"`
}

type cancelOrderRequest struct {
	OrderID   int64 `schema:"orderid"`
	CancelSub bool  `schema:"cancelsub"`
	NoEmail   bool  `schema:"noemail"`
}

// orderPending returns the order if it exists and is Pending, else
// AcceptOrder's and CancelOrder's message.
func orderPending(ctx context.Context, tx *store.Tx, id int64) (store.Order, error) {
	o, err := tx.OrderByID(ctx, id)
	return o, notFoundUnless(err, o.Status == "Pending", Errorf("Order ID not found or Status not Pending"))
}

func acceptOrder(ctx context.Context, env *Env, req *acceptOrderRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if _, err := orderPending(ctx, tx, req.OrderID); err != nil {
			return err
		}
		email := req.SendEmail == "" || Truthy(req.SendEmail)
		if req.SendRegistrar {
			// domains_registrar.go
			if err := sendToRegistrar(ctx, tx, env, req.OrderID, strings.TrimSpace(req.Registrar), email); err != nil {
				return err
			}
		}
		err := tx.SetOrderStatus(ctx, req.OrderID, "Active", store.OrderItemUpdate{
			Username: strings.TrimSpace(req.ServiceUsername), Registrar: strings.TrimSpace(req.Registrar), Expire: true})
		if err != nil {
			return err
		}
		if ok, err := tx.ServerExists(ctx, req.ServerID); err != nil {
			return err
		} else if ok {
			if err := tx.SetOrderServer(ctx, req.OrderID, req.ServerID); err != nil {
				return err
			}
		}
		if req.ServicePassword != "" {
			if err := tx.SetOrderPassword(ctx, req.OrderID, req.ServicePassword); err != nil {
				return err
			}
		}
		if !email {
			return nil
		}
		return sendWelcomeEmails(ctx, tx, env, req.OrderID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order accepted", "orderId", req.OrderID)
	return &resultOnly{}, nil
}

// sendWelcomeEmails sends each service of an order its welcome email.
func sendWelcomeEmails(ctx context.Context, tx *store.Tx, env *Env, orderID int64) error {
	o, err := tx.OrderByID(ctx, orderID)
	if err != nil {
		return err
	}
	services, err := tx.OrderServices(ctx, orderID)
	if err != nil {
		return err
	}
	for _, s := range services {
		template := "Other Product/Service Welcome Email"
		if s.ProductType == "hostingaccount" {
			template = "Hosting Account Welcome Email"
		}
		err := sendClientEmail(ctx, tx, env, template, o.ClientID, map[string]string{
			"service_id": strconv.FormatInt(s.ID, 10), "service_product_name": s.ProductName,
			"service_domain": s.Domain, "service_billing_cycle": s.BillingCycle, "service_status": s.Status})
		if err := ignoreNoTemplate(err); err != nil {
			return err
		}
	}
	return nil
}

func pendingOrder(ctx context.Context, env *Env, req *orderIDRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderByID(ctx, req.OrderID)
		if err != nil {
			return notFoundAs(err, Errorf("Order ID Not Found"))
		}
		if err := tx.SetOrderStatus(ctx, o.ID, "Pending", store.OrderItemUpdate{}); err != nil {
			return err
		}
		return orderInvoiceStatus(ctx, tx, o.InvoiceID, "Cancelled", "Unpaid")
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}

func cancelOrder(ctx context.Context, env *Env, req *cancelOrderRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		o, err := orderPending(ctx, tx, req.OrderID)
		if err != nil {
			return err
		}
		if err := tx.SetOrderStatus(ctx, o.ID, "Cancelled", store.OrderItemUpdate{}); err != nil {
			return err
		}
		return orderInvoiceStatus(ctx, tx, o.InvoiceID, "Unpaid", "Cancelled")
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order cancelled", "orderId", req.OrderID)
	return &resultOnly{}, nil
}

// orderInvoiceStatus moves an order's invoice from one status to another;
// an invoice that is gone or in another status is left alone.
func orderInvoiceStatus(ctx context.Context, tx *store.Tx, id int64, from, to string) error {
	if id == 0 {
		return nil
	}
	inv, err := tx.InvoiceByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && inv.Status != from {
		return nil
	} else if err != nil {
		return err
	}
	return tx.SetInvoiceStatus(ctx, inv.ID, to, "")
}

func deleteOrder(ctx context.Context, env *Env, req *orderIDRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderByID(ctx, req.OrderID)
		if err != nil {
			return notFoundAs(err, Errorf("Order ID not found"))
		}
		if o.Status != "Cancelled" && o.Status != "Fraud" {
			return Errorf("The order status must be in Cancelled or Fraud to be deleted")
		}
		return tx.DeleteOrder(ctx, o.ID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order deleted", "orderId", req.OrderID)
	return &resultOnly{}, nil
}

type getOrdersRequest struct {
	LimitStart  int64  `schema:"limitstart"`
	LimitNum    int64  `schema:"limitnum"`
	ID          int64  `schema:"id"`
	UserID      int64  `schema:"userid"`
	RequestorID int64  `schema:"requestor_id"`
	Status      string `schema:"status"`
}

type getOrdersResponse struct {
	listHeader
	Orders *orderList `json:"orders,omitempty"`
}

type orderList struct {
	Order []orderItem `json:"order"`
}

type orderItem struct {
	ID                int64              `json:"id"`
	OrderNum          int64              `json:"ordernum"`
	UserID            int64              `json:"userid"`
	ContactID         int64              `json:"contactid"`
	RequestorID       int64              `json:"requestor_id"`
	AdminRequestorID  int64              `json:"admin_requestor_id"`
	Date              string             `json:"date"`
	Nameservers       string             `json:"nameservers"`
	TransferSecret    string             `json:"transfersecret"`
	Renewals          string             `json:"renewals"`
	RenewalsByType    orderRenewals      `json:"renewalsByType"`
	PromoCode         string             `json:"promocode"`
	PromoType         string             `json:"promotype"`
	PromoValue        string             `json:"promovalue"`
	OrderData         string             `json:"orderdata"`
	Amount            string             `json:"amount"`
	PaymentMethod     string             `json:"paymentmethod"`
	InvoiceID         int64              `json:"invoiceid"`
	Status            string             `json:"status"`
	IPAddress         string             `json:"ipaddress"`
	FraudModule       string             `json:"fraudmodule"`
	FraudOutput       string             `json:"fraudoutput"`
	Notes             string             `json:"notes"`
	PaymentMethodName string             `json:"paymentmethodname"`
	PaymentStatus     string             `json:"paymentstatus"`
	Name              string             `json:"name"`
	CurrencyPrefix    string             `json:"currencyprefix"`
	CurrencySuffix    string             `json:"currencysuffix"`
	FraudData         string             `json:"frauddata"`
	ValidationData    string             `json:"validationdata"`
	LineItems         orderLineItemsList `json:"lineitems"`
}

type orderRenewals struct {
	Domains  []struct{} `json:"domains"`
	Services []struct{} `json:"services"`
	Addons   []struct{} `json:"addons"`
}

type orderLineItemsList struct {
	LineItem []orderLineItem `json:"lineitem"`
}

type orderLineItem struct {
	Type         string `json:"type"`
	RelID        int64  `json:"relid"`
	ProductType  string `json:"producttype"`
	Product      string `json:"product"`
	Domain       string `json:"domain"`
	BillingCycle string `json:"billingcycle"`
	Amount       string `json:"amount"`
	Status       string `json:"status"`
}

// orderProductTypes are WHMCS's names of the product types.
var orderProductTypes = map[string]string{
	"hostingaccount":  "Shared Hosting",
	"reselleraccount": "Reseller Hosting",
	"server":          "Dedicated/VPS Server",
}

func getOrders(ctx context.Context, env *Env, req *getOrdersRequest) (any, error) {
	f := store.OrderFilter{ID: req.ID, ClientID: req.UserID, RequestorID: req.RequestorID,
		Status: strings.TrimSpace(req.Status)}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	var page []store.OrderEntry
	var total int64
	items := map[int64][]orderLineItem{}
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if page, total, err = tx.ListOrders(ctx, f); err != nil {
			return err
		}
		for _, o := range page {
			if items[o.ID], err = orderLineItems(ctx, tx, o.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &getOrdersResponse{listHeader: headerOf(f.Page, total, len(page))}
	if len(page) > 0 {
		resp.Orders = &orderList{Order: make([]orderItem, len(page))}
	}
	for i, o := range page {
		num, _ := strconv.ParseInt(o.OrderNum, 10, 64)
		resp.Orders.Order[i] = orderItem{ID: o.ID, OrderNum: num, UserID: o.ClientID, ContactID: o.ContactID,
			RequestorID: o.RequestorID, AdminRequestorID: o.AdminRequestorID, Date: o.Date,
			Nameservers: o.Nameservers, RenewalsByType: orderRenewals{Domains: []struct{}{}, Services: []struct{}{},
				Addons: []struct{}{}}, PromoCode: o.PromoCode, PromoType: o.PromoType, PromoValue: o.PromoValue,
			Amount: store.FormatMoney(o.AmountCents), PaymentMethod: o.PaymentMethod, InvoiceID: o.InvoiceID,
			Status: o.Status, IPAddress: o.IPAddress, Notes: o.Notes, PaymentMethodName: o.PaymentMethodName,
			PaymentStatus: o.InvoiceStatus, Name: o.ClientName, CurrencyPrefix: o.CurrencyPrefix,
			CurrencySuffix: o.CurrencySuffix, FraudModule: o.FraudModule, FraudOutput: o.FraudOutput,
			LineItems: orderLineItemsList{LineItem: items[o.ID]}}
	}
	return resp, nil
}

// orderLineItems lists an order's services, then its domains.
func orderLineItems(ctx context.Context, tx *store.Tx, orderID int64) ([]orderLineItem, error) {
	services, err := tx.OrderServices(ctx, orderID)
	if err != nil {
		return nil, err
	}
	domains, err := tx.OrderDomains(ctx, orderID)
	if err != nil {
		return nil, err
	}
	out := []orderLineItem{}
	for _, s := range services {
		kind, ok := orderProductTypes[s.ProductType]
		if !ok {
			kind = "Other Product/Service"
		}
		product := s.ProductName
		if s.GroupName != "" {
			product = s.GroupName + " - " + s.ProductName
		}
		cycle := s.BillingCycle
		if cycle == "One Time" {
			cycle = "One-Time"
		}
		out = append(out, orderLineItem{Type: "product", RelID: s.ID, ProductType: kind, Product: product,
			Domain: s.Domain, BillingCycle: cycle, Amount: s.FirstPaymentAmount, Status: s.Status})
	}
	addons, err := tx.ClientAddons(ctx, store.ClientAddonFilter{OrderID: orderID})
	if err != nil {
		return nil, err
	}
	for _, a := range addons {
		first, err := store.AddMoney(a.SetupFeeCents, a.RecurringCents)
		if err != nil {
			return nil, err
		}
		out = append(out, orderLineItem{Type: "addon", RelID: a.ID, ProductType: "Addon", Product: addonName(a),
			Domain: a.ServiceDomain, BillingCycle: a.BillingCycle, Amount: store.FormatMoney(first), Status: a.Status})
	}
	for _, d := range domains {
		out = append(out, orderLineItem{Type: "domain", RelID: d.ID, ProductType: domainRegTypeName(d.RegType),
			Product: d.Domain, Domain: d.Domain, BillingCycle: strconv.FormatInt(d.RegPeriod, 10) + " Year(s)",
			Amount: store.FormatMoney(d.FirstPaymentAmountCents), Status: d.Status})
	}
	upgrades, err := tx.OrderUpgrades(ctx, orderID)
	if err != nil {
		return nil, err
	}
	for _, u := range upgrades {
		out = append(out, orderLineItem{Type: "upgrade", RelID: u.ServiceID, ProductType: "Upgrade",
			Product: u.OldProductName + " => " + u.NewProductName, BillingCycle: u.NewBillingCycle,
			Amount: store.FormatMoney(u.AmountCents), Status: u.Status})
	}
	return out, nil
}
