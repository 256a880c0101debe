// This file holds WHMCS's actions on a client's services: GetClientsProducts
// (Client category), ModuleCreate, ModuleSuspend, ModuleUnsuspend,
// ModuleTerminate and UpdateClientProduct (Service category).
//
// GetClientsProducts: no messages. Filters clientid, serviceid, pid, domain
// (exact) and username2 (the service username; a plain username is read
// when username2 is absent) combine with AND; a filter that reads as 0 or ""
// does not filter. The filters sent are echoed as strings, null when not
// sent; totalresults and startnumber are numbers; limitnum defaults to 25.
// products.product is absent when the page is empty. The ids and usage
// figures are strings in WHMCS 8 and numbers in 7.x, and qty and
// ordernumber are 8.x keys (actions/versions.go). Fields the emulator does
// not keep answer WHMCS's empty values: qty 1, ns1, ns2, assignedips, promoid 0,
// overideautosuspend off ("" in 8.x, 0 in 7.x), overidesuspenduntil
// "0000-00-00", diskusage, disklimit, bwusage, bwlimit 0, lastupdate
// "0000-00-00 00:00:00", customfields and configoptions empty lists; an
// unset regdate or nextduedate is "0000-00-00"; paymentmethodname is the
// gateway's display name, "" when no gateway has that module name. orderid
// and ordernumber are the order the service came from (0 and "" for a
// service added another way). serverid, servername, serverip and
// serverhostname are the server the service is on (AcceptOrder's or
// UpdateClientProduct's serverid; 0 and "" for none); password is the one
// ModuleChangePw, AcceptOrder's servicepassword or UpdateClientProduct's
// servicepassword set.
//
// ModuleCreate, ModuleSuspend, ModuleUnsuspend, ModuleTerminate: "Service
// ID is required" (serviceid, or the older accountid, missing or not a
// positive number) · "Service ID not found". No provisioning module runs,
// so "Service not assigned to a module" and a server's own message never
// come back but through a fault rule (which also queues the command, see
// modules.go): each action does what WHMCS does after a module reports
// success, from any status — Create sets Active, Suspend sets Suspended and
// stores suspendreason (empty when not sent), Unsuspend sets Active and
// clears the reason, Terminate sets Terminated and stamps today's
// termination date (the emulator clock, UTC) — and completes the
// command's items in the module queue. ModuleChangePackage, ModuleChangePw
// and ModuleCustom are in services_module.go.
//
// UpdateClientProduct: "Service ID Not Found". Only the fields sent change.
// Kept: pid (only a product that exists; another is ignored), domain,
// status (one of WHMCS's service statuses, any case; another is ignored),
// regdate, nextduedate, terminationdate (Y-m-d, or "" to clear; another form
// is ignored), firstpaymentamount and recurringamount (read as PHP's
// (float) does, kept with two decimals; past decimal(16,2) they are
// store.ErrMoneyRange's "Amount out of range: …"), paymentmethod, billingcycle, subscriptionid, notes, serviceusername,
// dedicatedip, suspendreason, serverid (only a server that exists, or 0
// for none; another is ignored), servicepassword; nextduedate also sets
// the next invoice date GenInvoices works from, as WHMCS does. Accepted
// and ignored, as the emulator keeps no such data: overideautosuspend,
// overidesuspenduntil, ns1, ns2, assignedips, diskusage, disklimit, bwusage,
// bwlimit, promoid, unset, autorecalc, customfields, configoptions.

package actions

import (
	"context"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// serviceStatuses are WHMCS's service statuses.
var serviceStatuses = []string{"Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud", "Completed"}

type getClientsProductsRequest struct {
	LimitStart int64   `schema:"limitstart"`
	LimitNum   int64   `schema:"limitnum"`
	ClientID   *string `schema:"clientid"`
	ServiceID  *string `schema:"serviceid"`
	PID        *string `schema:"pid"`
	Domain     *string `schema:"domain"`
	Username2  string  `schema:"username2"`
	Username   string  `schema:"username"`
}

// getClientsProductsResponse echoes the filters as sent (null when not
// sent), as WHMCS's example does.
type getClientsProductsResponse struct {
	success
	ClientID  *string `json:"clientid"`
	ServiceID *string `json:"serviceid"`
	PID       *string `json:"pid"`
	Domain    *string `json:"domain"`
	listCounts
	// Products is left out when the page is empty.
	Products *serviceList `json:"products,omitempty"`
}

type serviceList struct {
	Product []serviceItem `json:"product"`
}

// serviceItem is one service, keys in WHMCS's order; the ids and usage
// figures are numbers or strings, and qty and ordernumber are sent or
// not, as the emulated version's shape says. What the emulator does not
// keep (servers, passwords, usage, custom fields, config options) has
// WHMCS's empty values.
type serviceItem struct {
	ID                  Int           `json:"id"`
	Qty                 *string       `json:"qty,omitempty"`
	ClientID            Int           `json:"clientid"`
	OrderID             Int           `json:"orderid"`
	OrderNumber         *string       `json:"ordernumber,omitempty"`
	PID                 Int           `json:"pid"`
	RegDate             string        `json:"regdate"`
	Name                string        `json:"name"`
	TranslatedName      string        `json:"translated_name"`
	GroupName           string        `json:"groupname"`
	TranslatedGroupName string        `json:"translated_groupname"`
	Domain              string        `json:"domain"`
	DedicatedIP         string        `json:"dedicatedip"`
	ServerID            Int           `json:"serverid"`
	ServerName          string        `json:"servername"`
	ServerIP            string        `json:"serverip"`
	ServerHostname      string        `json:"serverhostname"`
	SuspensionReason    string        `json:"suspensionreason"`
	FirstPaymentAmount  string        `json:"firstpaymentamount"`
	RecurringAmount     string        `json:"recurringamount"`
	PaymentMethod       string        `json:"paymentmethod"`
	PaymentMethodName   string        `json:"paymentmethodname"`
	BillingCycle        string        `json:"billingcycle"`
	NextDueDate         string        `json:"nextduedate"`
	Status              string        `json:"status"`
	Username            string        `json:"username"`
	Password            string        `json:"password"`
	SubscriptionID      string        `json:"subscriptionid"`
	PromoID             Int           `json:"promoid"`
	OverideAutoSuspend  any           `json:"overideautosuspend"`
	OverideSuspendUntil string        `json:"overidesuspenduntil"`
	NS1                 string        `json:"ns1"`
	NS2                 string        `json:"ns2"`
	AssignedIPs         string        `json:"assignedips"`
	Notes               string        `json:"notes"`
	DiskUsage           Int           `json:"diskusage"`
	DiskLimit           Int           `json:"disklimit"`
	BwUsage             Int           `json:"bwusage"`
	BwLimit             Int           `json:"bwlimit"`
	LastUpdate          string        `json:"lastupdate"`
	CustomFields        customFields  `json:"customfields"`
	ConfigOptions       configOptions `json:"configoptions"`
}

func getClientsProducts(ctx context.Context, env *Env, req *getClientsProductsRequest) (any, error) {
	filter := store.ServiceFilter{Domain: deref(req.Domain), Username: req.Username2}
	filter.Page = listWindow(req.LimitStart, req.LimitNum)
	if filter.Username == "" {
		filter.Username = req.Username
	}
	if req.ClientID != nil {
		filter.ClientID = IntVal(*req.ClientID)
	}
	if req.ServiceID != nil {
		filter.ServiceID = IntVal(*req.ServiceID)
	}
	if req.PID != nil {
		filter.ProductID = IntVal(*req.PID)
	}
	page, total, err := viewPage(ctx, env, (*store.Tx).ListServices, filter)
	if err != nil {
		return nil, err
	}
	resp := &getClientsProductsResponse{ClientID: req.ClientID, ServiceID: req.ServiceID,
		PID: req.PID, Domain: req.Domain, listCounts: countsOf(filter.Page, total, len(page))}
	if len(page) > 0 {
		resp.Products = &serviceList{Product: make([]serviceItem, len(page))}
	}
	sh := env.shape()
	n := sh.serviceNumbers.of
	for i, s := range page {
		item := serviceItem{
			ID: n(s.ID), ClientID: n(s.ClientID), OrderID: n(s.OrderID),
			PID: n(s.ProductID), RegDate: dateOrZero(s.RegDate), Name: s.ProductName,
			TranslatedName: s.ProductName, GroupName: s.GroupName, TranslatedGroupName: s.GroupName,
			Domain: s.Domain, DedicatedIP: s.DedicatedIP, ServerID: n(s.ServerID), ServerName: s.ServerName,
			ServerIP: s.ServerIP, ServerHostname: s.ServerHostname, SuspensionReason: s.SuspendReason,
			FirstPaymentAmount: s.FirstPaymentAmount, RecurringAmount: s.RecurringAmount,
			PaymentMethod: s.PaymentMethod, PaymentMethodName: s.PaymentMethodName, BillingCycle: s.BillingCycle, NextDueDate: dateOrZero(s.NextDueDate),
			Status: s.Status, Username: s.Username, Password: s.Password, SubscriptionID: s.SubscriptionID, PromoID: n(0),
			OverideAutoSuspend: sh.serviceAutoSuspendOff, OverideSuspendUntil: "0000-00-00", Notes: s.Notes,
			DiskUsage: n(0), DiskLimit: n(0), BwUsage: n(0), BwLimit: n(0), LastUpdate: "0000-00-00 00:00:00",
			CustomFields:  customFields{CustomField: []struct{}{}},
			ConfigOptions: configOptions{ConfigOption: []struct{}{}},
		}
		if sh.serviceQty {
			qty, num := "1", s.OrderNum
			item.Qty, item.OrderNumber = &qty, &num
		}
		resp.Products.Product[i] = item
	}
	return resp, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// dateOrZero is a stored date as WHMCS shows it: MySQL's zero date when unset.
func dateOrZero(d string) string {
	if d == "" {
		return "0000-00-00"
	}
	return d
}

type moduleRequest struct {
	ServiceID     string `schema:"serviceid"`
	AccountID     string `schema:"accountid"` // the name before WHMCS 7.7, still accepted
	SuspendReason string `schema:"suspendreason"`
}

// moduleAction is what a successful module call does to a service.
type moduleAction struct {
	name    string       // for the log
	command string       // the module function WHMCS runs, as the module queue names it
	status  string       // the service's status after, "" to keep it
	check   func() error // what the request must hold beyond a service, checked once it is found
	apply   func(env *Env, d *store.ServiceDetails)
}

func moduleCreateAction(ctx context.Context, env *Env, req *moduleRequest) (any, error) {
	return runModule(ctx, env, req.ServiceID, req.AccountID,
		moduleAction{name: "create", command: cmdCreate, status: "Active"})
}

func moduleSuspendAction(ctx context.Context, env *Env, req *moduleRequest) (any, error) {
	return runModule(ctx, env, req.ServiceID, req.AccountID, moduleAction{name: "suspend", command: cmdSuspend,
		status: "Suspended", apply: func(_ *Env, d *store.ServiceDetails) { d.SuspendReason = req.SuspendReason }})
}

func moduleUnsuspendAction(ctx context.Context, env *Env, req *moduleRequest) (any, error) {
	return runModule(ctx, env, req.ServiceID, req.AccountID, moduleAction{name: "unsuspend",
		command: cmdUnsuspend, status: "Active", apply: func(_ *Env, d *store.ServiceDetails) { d.SuspendReason = "" }})
}

func moduleTerminateAction(ctx context.Context, env *Env, req *moduleRequest) (any, error) {
	return runModule(ctx, env, req.ServiceID, req.AccountID, moduleAction{name: "terminate",
		command: cmdTerminate, status: "Terminated", apply: func(env *Env, d *store.ServiceDetails) {
			d.TerminationDate = env.Now().UTC().Format(time.DateOnly)
		}})
}

// runModule runs a module command on the service serviceid (or accountid)
// names: what m does to it, and the command's module queue items
// completed.
func runModule(ctx context.Context, env *Env, serviceID, accountID string, m moduleAction) (any, error) {
	raw := serviceID
	if raw == "" {
		raw = accountID
	}
	id := IntVal(raw)
	if id <= 0 {
		return nil, Errorf("Service ID is required")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.ServiceByID(ctx, id)
		if err != nil {
			return notFoundAs(err, Errorf("Service ID not found"))
		}
		if m.check != nil {
			if err := m.check(); err != nil {
				return err
			}
		}
		if m.apply != nil {
			d, err := tx.ServiceDetailsByID(ctx, id)
			if err != nil {
				return err
			}
			m.apply(env, &d)
			if err := tx.SetServiceDetails(ctx, id, d); err != nil {
				return err
			}
		}
		if m.status != "" {
			s.Status = m.status
			if err := tx.UpdateService(ctx, s); err != nil {
				return err
			}
		}
		return tx.ModuleSucceeded(ctx, "service", id, m.command, env.Now().UTC().Format(time.DateTime))
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("service module "+m.name, "serviceId", id)
	return &resultOnly{}, nil
}

type updateClientProductRequest struct {
	ServiceID          int64   `schema:"serviceid"`
	PID                *string `schema:"pid"`
	RegDate            *string `schema:"regdate"`
	NextDueDate        *string `schema:"nextduedate"`
	TerminationDate    *string `schema:"terminationdate"`
	Domain             *string `schema:"domain"`
	FirstPaymentAmount *string `schema:"firstpaymentamount"`
	RecurringAmount    *string `schema:"recurringamount"`
	PaymentMethod      *string `schema:"paymentmethod"`
	BillingCycle       *string `schema:"billingcycle"`
	SubscriptionID     *string `schema:"subscriptionid"`
	Status             *string `schema:"status"`
	Notes              *string `schema:"notes"`
	ServiceUsername    *string `schema:"serviceusername"`
	DedicatedIP        *string `schema:"dedicatedip"`
	SuspendReason      *string `schema:"suspendreason"`
	ServerID           *string `schema:"serverid"`
	ServicePassword    *string `schema:"servicepassword"`
}

// serviceIDResponse: serviceid is a number in every version (the 7.10
// recording; the docs' table types it int, the example shows "1").
type serviceIDResponse struct {
	success
	ServiceID int64 `json:"serviceid"`
}

func updateClientProduct(ctx context.Context, env *Env, req *updateClientProductRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.ServiceByID(ctx, req.ServiceID)
		if err != nil {
			return notFoundAs(err, Errorf("Service ID Not Found"))
		}
		d, err := tx.ServiceDetailsByID(ctx, req.ServiceID)
		if err != nil {
			return err
		}
		if req.PID != nil {
			// Only a product that exists: WHMCS documents no error for
			// another, and the services table cannot point at one.
			pid := IntVal(*req.PID)
			if ok, err := tx.ProductExists(ctx, pid); err != nil {
				return err
			} else if ok {
				s.ProductID = pid
			}
		}
		setIf(&s.Domain, req.Domain)
		if req.Status != nil {
			for _, st := range serviceStatuses {
				if strings.EqualFold(*req.Status, st) {
					s.Status = st
				}
			}
		}
		for _, f := range [][2]*string{{&d.RegDate, req.RegDate}, {&d.NextDueDate, req.NextDueDate},
			{&d.TerminationDate, req.TerminationDate}} {
			if f[1] != nil {
				if *f[1] == "" {
					*f[0] = ""
				} else if t, err := time.Parse(time.DateOnly, *f[1]); err == nil {
					*f[0] = t.Format(time.DateOnly)
				}
			}
		}
		for _, f := range [][2]*string{{&d.FirstPaymentAmount, req.FirstPaymentAmount},
			{&d.RecurringAmount, req.RecurringAmount}} {
			if f[1] != nil {
				cents, err := billingAmount(*f[1])
				if err != nil {
					return err
				}
				*f[0] = store.FormatMoney(cents)
			}
		}
		for _, f := range [][2]*string{{&d.PaymentMethod, req.PaymentMethod}, {&d.BillingCycle, req.BillingCycle},
			{&d.SubscriptionID, req.SubscriptionID}, {&d.Notes, req.Notes}, {&d.Username, req.ServiceUsername},
			{&d.DedicatedIP, req.DedicatedIP}, {&d.SuspendReason, req.SuspendReason}, {&d.Password, req.ServicePassword}} {
			setIf(f[0], f[1])
		}
		if req.ServerID != nil {
			// Only a server that exists, or 0: as pid, WHMCS documents no
			// error for another.
			sid := IntVal(*req.ServerID)
			if ok, err := tx.ServerExists(ctx, sid); err != nil {
				return err
			} else if ok || sid == 0 {
				d.ServerID = sid
			}
		}
		if err := tx.UpdateService(ctx, s); err != nil {
			return err
		}
		if err := tx.SetServiceDetails(ctx, req.ServiceID, d); err != nil {
			return err
		}
		if req.NextDueDate != nil {
			// As in WHMCS, the next invoice date follows a next due date
			// set by hand (GenInvoices, billing_cron.go).
			return tx.SetServiceDueDates(ctx, req.ServiceID, d.NextDueDate, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("service updated", "serviceId", req.ServiceID)
	return &serviceIDResponse{ServiceID: req.ServiceID}, nil
}
