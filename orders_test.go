package whmcsemu_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// ordAdded is AddOrder's answer.
type ordAdded struct {
	Result     string `json:"result"`
	Message    string `json:"message"`
	OrderID    int64  `json:"orderid"`
	ServiceIDs string `json:"serviceids"`
	DomainIDs  string `json:"domainids"`
	InvoiceID  int64  `json:"invoiceid"`
}

// ordList is GetOrders' answer, as much as these tests read.
type ordList struct {
	Result       string `json:"result"`
	TotalResults int    `json:"totalresults"`
	Orders       struct {
		Order []struct {
			ID            int64  `json:"id"`
			Status        string `json:"status"`
			Amount        string `json:"amount"`
			PaymentStatus string `json:"paymentstatus"`
			LineItems     struct {
				LineItem []struct {
					Type   string `json:"type"`
					RelID  int64  `json:"relid"`
					Status string `json:"status"`
				} `json:"lineitem"`
			} `json:"lineitems"`
		} `json:"order"`
	} `json:"orders"`
}

// ordersFixture holds the products, orders and domains these tests use.
const ordersFixture = "testdata/fixtures/orders.json"

// ordAdd orders product 1 (annually) with a domain registration for client.
func ordAdd(t *testing.T, srv *whmcstest.Server, client string) (got ordAdded) {
	t.Helper()
	must(t, srv, "AddOrder", url.Values{"clientid": {client}, "paymentmethod": {"paypal"}, "pid[]": {"1"},
		"billingcycle[]": {"annually"}, "domain[]": {"life.example"}, "domaintype[]": {"register"},
		"domainpriceoverride[]": {"12.00"}}, &got)
	return got
}

func ordGet(t *testing.T, srv *whmcstest.Server, params url.Values) (got ordList) {
	t.Helper()
	must(t, srv, "GetOrders", params, &got)
	return got
}

// ordService returns GetClientsProducts' view of one service ("" status when absent).
func ordService(t *testing.T, srv *whmcstest.Server, id string) (status, recurring, cycle string) {
	t.Helper()
	var got struct {
		Products struct {
			Product []struct {
				Status          string `json:"status"`
				RecurringAmount string `json:"recurringamount"`
				BillingCycle    string `json:"billingcycle"`
			} `json:"product"`
		} `json:"products"`
	}
	call(t, srv, "GetClientsProducts", url.Values{"serviceid": {id}}, &got)
	if len(got.Products.Product) == 0 {
		return "", "", ""
	}
	p := got.Products.Product[0]
	return p.Status, p.RecurringAmount, p.BillingCycle
}

// ordInvoice is GetInvoice's answer for invoice id, as much as these tests
// read: its status, total and lines, or the error message.
func ordInvoice(t *testing.T, srv *whmcstest.Server, id int64) (got struct {
	Result  string `json:"result"`
	Message string `json:"message"`
	Status  string `json:"status"`
	Total   string `json:"total"`
	Items   struct {
		Item []struct {
			Type  string `json:"type"`
			RelID int64  `json:"relid"`
		} `json:"item"`
	} `json:"items"`
}) {
	t.Helper()
	call(t, srv, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(id, 10)}}, &got)
	return got
}

func TestOrdersLifecycle(t *testing.T) {
	srv := newDemo(t, ordersFixture)
	added := ordAdd(t, srv, "1")
	id := strconv.FormatInt(added.OrderID, 10)

	inv := ordInvoice(t, srv, added.InvoiceID)
	require.Equal(t, "success", inv.Result, inv.Message)
	assert.Equal(t, "Unpaid", inv.Status)
	assert.Equal(t, "61.50", inv.Total) // 49.50 a year and 12.00 for the domain
	items := inv.Items.Item
	require.Len(t, items, 2)
	assert.Equal(t, "Hosting", items[0].Type)
	assert.Equal(t, added.ServiceIDs, strconv.FormatInt(items[0].RelID, 10))
	assert.Equal(t, "DomainRegister", items[1].Type)
	assert.Equal(t, added.DomainIDs, strconv.FormatInt(items[1].RelID, 10))

	pending := ordGet(t, srv, url.Values{"status": {"Pending"}})
	require.Equal(t, 1, pending.TotalResults)
	assert.Equal(t, added.OrderID, pending.Orders.Order[0].ID)
	assert.Equal(t, "61.50", pending.Orders.Order[0].Amount)
	assert.Equal(t, "Unpaid", pending.Orders.Order[0].PaymentStatus)

	status, recurring, cycle := ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Pending", status)
	assert.Equal(t, "49.50", recurring)
	assert.Equal(t, "Annually", cycle)

	must(t, srv, "AcceptOrder", url.Values{"orderid": {id}}, nil)
	assert.Equal(t, "Order ID not found or Status not Pending", call(t, srv, "AcceptOrder", url.Values{"orderid": {id}}, nil).Message)
	got := ordGet(t, srv, url.Values{"id": {id}})
	require.Equal(t, 1, got.TotalResults)
	assert.Equal(t, "Active", got.Orders.Order[0].Status)
	for _, li := range got.Orders.Order[0].LineItems.LineItem {
		assert.Equal(t, "Active", li.Status, li.Type)
	}
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Active", status)

	must(t, srv, "ModuleSuspend", url.Values{"serviceid": {added.ServiceIDs}}, nil)
	got = ordGet(t, srv, url.Values{"id": {id}})
	require.Equal(t, 1, got.TotalResults, "a suspended service's order is still listed")
	assert.Equal(t, "Active", got.Orders.Order[0].Status)
	assert.Equal(t, "Suspended", got.Orders.Order[0].LineItems.LineItem[0].Status)

	var statuses struct {
		Statuses struct {
			Status []struct {
				Title string `json:"title"`
				Count int    `json:"count"`
			} `json:"status"`
		} `json:"statuses"`
	}
	call(t, srv, "GetOrderStatuses", nil, &statuses)
	counts := map[string]int{}
	for _, s := range statuses.Statuses.Status {
		counts[s.Title] = s.Count
	}
	assert.Equal(t, map[string]int{"Pending": 0, "Active": 1, "Fraud": 1, "Cancelled": 0}, counts)

	must(t, srv, "PendingOrder", url.Values{"orderid": {id}}, nil)
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Pending", status)
}

func TestOrdersCancelDelete(t *testing.T) {
	srv := newDemo(t, ordersFixture)
	added := ordAdd(t, srv, "1")
	id := strconv.FormatInt(added.OrderID, 10)

	assert.Equal(t, "The order status must be in Cancelled or Fraud to be deleted", call(t, srv, "DeleteOrder", url.Values{"orderid": {id}}, nil).Message)

	must(t, srv, "CancelOrder", url.Values{"orderid": {id}}, nil)
	assert.Equal(t, "Cancelled", ordInvoice(t, srv, added.InvoiceID).Status)
	status, _, _ := ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Cancelled", status)
	assert.Equal(t, "Order ID not found or Status not Pending", call(t, srv, "CancelOrder", url.Values{"orderid": {id}}, nil).Message)

	// PendingOrder undoes the cancellation, invoice included; cancel again.
	must(t, srv, "PendingOrder", url.Values{"orderid": {id}}, nil)
	assert.Equal(t, "Unpaid", ordInvoice(t, srv, added.InvoiceID).Status)
	must(t, srv, "CancelOrder", url.Values{"orderid": {id}}, nil)

	must(t, srv, "DeleteOrder", url.Values{"orderid": {id}}, nil)
	assert.Equal(t, 0, ordGet(t, srv, url.Values{"id": {id}}).TotalResults)
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Empty(t, status, "the order's service is gone")
	assert.Equal(t, "Invoice ID Not Found", ordInvoice(t, srv, added.InvoiceID).Message, "the order's invoice is gone")
	var domains struct {
		TotalResults int `json:"totalresults"`
	}
	call(t, srv, "GetClientsDomains", url.Values{"domainid": {added.DomainIDs}}, &domains)
	assert.Equal(t, 0, domains.TotalResults, "the order's domain is gone")
}

func TestOrdersCloseAndDeleteClient(t *testing.T) {
	srv := newDemo(t, ordersFixture)
	added := ordAdd(t, srv, "1")

	must(t, srv, "CloseClient", url.Values{"clientid": {"1"}}, nil)
	assert.Equal(t, "Cancelled", ordInvoice(t, srv, added.InvoiceID).Status, "closing a client cancels its unpaid invoices")
	var domains struct {
		TotalResults int `json:"totalresults"`
		Domains      struct {
			Domain []struct {
				Status string `json:"status"`
			} `json:"domain"`
		} `json:"domains"`
	}
	call(t, srv, "GetClientsDomains", url.Values{"clientid": {"1"}}, &domains)
	require.Equal(t, 3, domains.TotalResults)
	for _, d := range domains.Domains.Domain {
		assert.Equal(t, "Cancelled", d.Status)
	}

	must(t, srv, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	assert.Equal(t, 0, ordGet(t, srv, url.Values{"userid": {"1"}}).TotalResults)
	call(t, srv, "GetClientsDomains", url.Values{"clientid": {"1"}}, &domains)
	assert.Equal(t, 0, domains.TotalResults)
	assert.Equal(t, "Invoice ID Not Found", ordInvoice(t, srv, added.InvoiceID).Message)
	status, _, _ := ordService(t, srv, added.ServiceIDs)
	assert.Empty(t, status)
	assert.Equal(t, 1, ordGet(t, srv, nil).TotalResults, "other clients' orders stay")
}

func TestAddOrderWritesNothingOnError(t *testing.T) {
	srv := newDemo(t, ordersFixture)
	var got ordAdded
	call(t, srv, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1", "42"},
		"domain[]": {"a.example", "b.example", "c.example"}, "domaintype[2]": {"register"}}, &got)
	assert.Equal(t, "Product ID Invalid", got.Message)
	assert.Equal(t, 1, ordGet(t, srv, nil).TotalResults)
	var domains struct {
		TotalResults int `json:"totalresults"`
	}
	call(t, srv, "GetClientsDomains", nil, &domains)
	assert.Equal(t, 3, domains.TotalResults)
	var products struct {
		TotalResults int `json:"totalresults"`
	}
	call(t, srv, "GetClientsProducts", nil, &products)
	assert.Equal(t, 3, products.TotalResults)
}
