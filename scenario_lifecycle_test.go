package whmcsemu_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// This file follows one client's order through its first renewal, across
// the categories that share it: clients, products, domains (TLD pricing),
// addons, orders, billing, the outbox, the clock and the automation log.

// lcLine is an invoice line as GetInvoice shows it.
type lcLine struct {
	Type        string `json:"type"`
	RelID       int64  `json:"relid"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
}

// lcInvoice is GetInvoice's answer, as much as the scenario reads.
type lcInvoice struct {
	Status  string `json:"status"`
	DueDate string `json:"duedate"`
	Total   string `json:"total"`
	Balance string `json:"balance"`
	Items   struct {
		Item []lcLine `json:"item"`
	} `json:"items"`
}

// lcGetInvoice reads an invoice.
func lcGetInvoice(t *testing.T, s *whmcstest.Server, id int64) lcInvoice {
	t.Helper()
	var inv lcInvoice
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(id, 10)}}, &inv)
	return inv
}

// lcPay pays what is left on an invoice with AddInvoicePayment.
func lcPay(t *testing.T, s *whmcstest.Server, id int64, transID string) {
	t.Helper()
	inv := lcGetInvoice(t, s, id)
	must(t, s, "AddInvoicePayment", url.Values{"invoiceid": {strconv.FormatInt(id, 10)}, "transid": {transID},
		"gateway": {"paypal"}, "amount": {inv.Balance}}, nil)
	inv = lcGetInvoice(t, s, id)
	require.Equal(t, "Paid", inv.Status, "invoice %d", id)
	require.Equal(t, "0.00", inv.Balance)
}

// lcDueDates are the next due dates of the order's service, domain and
// addon (and the addon's next invoice date), as the client's lists show
// them.
type lcDueDates struct{ Service, Domain, Addon, AddonInvoice string }

func lcDates(t *testing.T, s *whmcstest.Server, clientID string) lcDueDates {
	t.Helper()
	var products struct {
		Products struct {
			Product []struct {
				NextDueDate string `json:"nextduedate"`
			} `json:"product"`
		} `json:"products"`
	}
	must(t, s, "GetClientsProducts", url.Values{"clientid": {clientID}}, &products)
	require.Len(t, products.Products.Product, 1)
	var domains struct {
		Domains struct {
			Domain []struct {
				NextDueDate string `json:"nextduedate"`
			} `json:"domain"`
		} `json:"domains"`
	}
	must(t, s, "GetClientsDomains", url.Values{"clientid": {clientID}}, &domains)
	require.Len(t, domains.Domains.Domain, 1)
	var addons struct {
		Addons struct {
			Addon []struct {
				NextDueDate     string `json:"nextduedate"`
				NextInvoiceDate string `json:"nextinvoicedate"`
			} `json:"addon"`
		} `json:"addons"`
	}
	must(t, s, "GetClientsAddons", url.Values{"clientid": {clientID}}, &addons)
	require.Len(t, addons.Addons.Addon, 1)
	return lcDueDates{Service: products.Products.Product[0].NextDueDate, Domain: domains.Domains.Domain[0].NextDueDate,
		Addon: addons.Addons.Addon[0].NextDueDate, AddonInvoice: addons.Addons.Addon[0].NextInvoiceDate}
}

// TestLifecycleOrderToRenewal: a new client orders hosting with a domain
// (priced by CreateOrUpdateTLD) and an addon (from the fixture's catalog);
// the order's invoice bills all three; paid, then accepted, the client has
// its welcome email. A month later GenInvoices bills the service's and the
// addon's recurring amounts (the domain is not due for a year), records
// its run in the automation log, and paying the renewal moves both next
// due dates on; when the domain falls due, its renewal is billed at the
// TLD's renew price.
func TestLifecycleOrderToRenewal(t *testing.T) {
	s := newDemo(t)
	load(t, s, `{"addons": [{"id": 1, "name": "Daily Backups", "billingCycle": "Monthly", "setupFee": "5.00",
		"recurring": "2.50"}]}`)

	var client struct {
		ClientID string `json:"clientid"`
	}
	must(t, s, "AddClient", url.Values{"firstname": {"Ada"}, "lastname": {"Byron"}, "email": {"ada@example.net"},
		"address1": {"1 Engine Row"}, "city": {"London"}, "state": {"London"}, "postcode": {"W1 1AA"},
		"country": {"GB"}, "phonenumber": {"020 7946 0000"}, "password2": {"analytical"}}, &client)
	cid := client.ClientID
	var product struct {
		PID int64 `json:"pid"`
	}
	must(t, s, "AddProduct", url.Values{"name": {"Engine Hosting"}, "gid": {"1"}, "type": {"hostingaccount"},
		"paytype": {"recurring"}, "pricing[1][monthly]": {"4.95"}, "pricing[1][msetupfee]": {"5.00"}}, &product)
	must(t, s, "CreateOrUpdateTLD", url.Values{"extension": {".example"}, "currency_code": {"USD"},
		"register[1]": {"12.00"}, "renew[1]": {"14.00"}, "transfer[1]": {"12.00"}}, nil)

	// The order: the service, its domain and its addon on one invoice.
	var order struct {
		OrderID    int64  `json:"orderid"`
		InvoiceID  int64  `json:"invoiceid"`
		ServiceIDs string `json:"serviceids"`
		DomainIDs  string `json:"domainids"`
		AddonIDs   string `json:"addonids"`
	}
	must(t, s, "AddOrder", url.Values{"clientid": {cid}, "paymentmethod": {"paypal"},
		"pid[0]": {strconv.FormatInt(product.PID, 10)}, "domain[0]": {"engine.example"}, "billingcycle[0]": {"monthly"},
		"domaintype[0]": {"register"}, "regperiod[0]": {"1"}, "addons[0]": {"1"}}, &order)
	require.NotZero(t, order.InvoiceID)
	sid, _ := strconv.ParseInt(order.ServiceIDs, 10, 64)
	did, _ := strconv.ParseInt(order.DomainIDs, 10, 64)
	aid, _ := strconv.ParseInt(order.AddonIDs, 10, 64)
	require.NotZero(t, sid)
	require.NotZero(t, did)
	require.NotZero(t, aid)

	first := lcGetInvoice(t, s, order.InvoiceID)
	byType := map[string]lcLine{}
	for _, l := range first.Items.Item {
		byType[l.Type] = l
	}
	require.Len(t, first.Items.Item, 3, "%+v", first.Items.Item)
	assert.Equal(t, sid, byType["Hosting"].RelID)
	assert.Equal(t, "9.95", byType["Hosting"].Amount, "the first month and the setup fee")
	assert.Equal(t, did, byType["DomainRegister"].RelID)
	assert.Equal(t, "12.00", byType["DomainRegister"].Amount, "the TLD's register price")
	assert.Equal(t, aid, byType["Addon"].RelID)
	assert.Equal(t, "7.50", byType["Addon"].Amount, "the addon's first month and setup fee")
	assert.Equal(t, "29.45", first.Total)

	// Paid, then accepted: the client is welcomed.
	lcPay(t, s, order.InvoiceID, "PAY-ORDER-1")
	assert.Equal(t, lcDueDates{Service: "2016-12-18", Domain: "2017-11-18", Addon: "2016-12-18",
		AddonInvoice: "2016-12-18"}, lcDates(t, s, cid), "paying the order's invoice moves each on a cycle")
	must(t, s, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(order.OrderID, 10)}}, nil)
	var welcome []string
	for _, e := range outbox(t, s, "clientId="+cid) {
		if strings.Contains(e.Template, "Welcome") {
			assert.Equal(t, "ada@example.net", e.To)
			welcome = append(welcome, e.Template)
		}
	}
	assert.Equal(t, []string{"Hosting Account Welcome Email"}, welcome)

	// Nothing is due yet; a month on, the renewal.
	var gen blGenerated
	must(t, s, "GenInvoices", url.Values{"clientid": {cid}}, &gen)
	assert.Equal(t, int64(0), gen.NumCreated, "the next periods start on the 18th of December")
	advanceClock(t, s, "720h") // 18th December 2016
	must(t, s, "GenInvoices", url.Values{"clientid": {cid}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated)
	renewalID := *gen.LatestInvoiceID
	renewal := lcGetInvoice(t, s, renewalID)
	assert.Equal(t, []lcLine{
		{Type: "Hosting", RelID: sid, Description: "Web Hosting - Engine Hosting - engine.example (18/12/2016 - 17/01/2017)",
			Amount: "4.95"},
		{Type: "Addon", RelID: aid, Description: "Addon (engine.example) - Daily Backups (18/12/2016 - 17/01/2017)",
			Amount: "2.50"},
	}, renewal.Items.Item, "the recurring amounts; the domain is not due until November")
	assert.Equal(t, "7.45", renewal.Total)
	assert.Equal(t, "2016-12-18", renewal.DueDate)
	must(t, s, "GenInvoices", url.Values{"clientid": {cid}}, &gen)
	assert.Equal(t, int64(0), gen.NumCreated, "a second run the same day invents nothing")

	var log struct {
		Statistics map[string]map[string]int64 `json:"statistics"`
	}
	must(t, s, "GetAutomationLog", url.Values{"startdate": {"2016-11-18"}, "enddate": {"2016-12-18"},
		"namespace": {"createinvoices"}}, &log)
	assert.Equal(t, map[string]map[string]int64{
		"2016-11-18": {"CreateInvoices.invoice.created": 0},
		"2016-12-18": {"CreateInvoices.invoice.created": 1},
	}, log.Statistics)

	lcPay(t, s, renewalID, "PAY-RENEWAL-1")
	assert.Equal(t, lcDueDates{Service: "2017-01-18", Domain: "2017-11-18", Addon: "2017-01-18",
		AddonInvoice: "2017-01-18"}, lcDates(t, s, cid), "paying the renewal moves the service and addon on")

	// When the domain falls due within the window, its renewal is billed at
	// the TLD's renew price.
	advanceClock(t, s, "7824h") // 10th November 2017: the domain is due on the 18th
	must(t, s, "GenInvoices", url.Values{"domainids[]": {order.DomainIDs}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated)
	var list struct {
		Invoices struct {
			Invoice []struct {
				ID int64 `json:"id"`
			} `json:"invoice"`
		} `json:"invoices"`
	}
	must(t, s, "GetInvoices", url.Values{"userid": {cid}}, &list)
	latest := list.Invoices.Invoice[len(list.Invoices.Invoice)-1].ID
	domainRenewal := lcGetInvoice(t, s, latest)
	assert.Equal(t, []lcLine{{Type: "Domain", RelID: did,
		Description: "Domain Renewal - engine.example - 1 Year/s (18/11/2017 - 17/11/2018)", Amount: "14.00"}},
		domainRenewal.Items.Item)
	lcPay(t, s, latest, "PAY-DOMAIN-1")
	assert.Equal(t, "2018-11-18", lcDates(t, s, cid).Domain)
}
