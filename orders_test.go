package whmcsemu

import (
	"context"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
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

// ordServer is a test server with the demo and order fixtures.
func ordServer(t *testing.T) (*Server, *store.DB) {
	t.Helper()
	srv, db := newTestServer(t)
	applyFixtureFile(t, srv, filepath.Join("testdata", "fixtures", "orders.json"))
	return srv, db
}

// ordAdd orders product 1 (annually) with a domain registration for client.
func ordAdd(t *testing.T, srv *Server, client string) ordAdded {
	t.Helper()
	var got ordAdded
	usersAPI(t, srv, "AddOrder", url.Values{"clientid": {client}, "paymentmethod": {"paypal"}, "pid[]": {"1"},
		"billingcycle[]": {"annually"}, "domain[]": {"life.example"}, "domaintype[]": {"register"},
		"domainpriceoverride[]": {"12.00"}}, &got)
	require.Equal(t, "success", got.Result, got.Message)
	return got
}

func ordGet(t *testing.T, srv *Server, params url.Values) ordList {
	t.Helper()
	var got ordList
	usersAPI(t, srv, "GetOrders", params, &got)
	require.Equal(t, "success", got.Result)
	return got
}

// ordService returns GetClientsProducts' view of one service ("" status when absent).
func ordService(t *testing.T, srv *Server, id string) (status, recurring, cycle string) {
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
	usersAPI(t, srv, "GetClientsProducts", url.Values{"serviceid": {id}}, &got)
	if len(got.Products.Product) == 0 {
		return "", "", ""
	}
	p := got.Products.Product[0]
	return p.Status, p.RecurringAmount, p.BillingCycle
}

// ordInvoice reads an invoice and its lines straight from the store.
func ordInvoice(t *testing.T, db *store.DB, id int64) (store.Invoice, []store.InvoiceItem, error) {
	t.Helper()
	var inv store.Invoice
	var items []store.InvoiceItem
	err := db.View(context.Background(), func(tx *store.Tx) (err error) {
		if inv, err = tx.InvoiceByID(context.Background(), id); err != nil {
			return err
		}
		items, err = tx.InvoiceItems(context.Background(), id)
		return err
	})
	return inv, items, err
}

func ordResult(t *testing.T, srv *Server, action string, params url.Values) (string, string) {
	t.Helper()
	var got struct {
		Result  string `json:"result"`
		Message string `json:"message"`
	}
	usersAPI(t, srv, action, params, &got)
	return got.Result, got.Message
}

func TestOrdersLifecycle(t *testing.T) {
	srv, db := ordServer(t)
	added := ordAdd(t, srv, "1")
	id := strconv.FormatInt(added.OrderID, 10)

	inv, items, err := ordInvoice(t, db, added.InvoiceID)
	require.NoError(t, err)
	assert.Equal(t, "Unpaid", inv.Status)
	assert.Equal(t, int64(6150), inv.TotalCents) // 49.50 a year and 12.00 for the domain
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

	result, msg := ordResult(t, srv, "AcceptOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)
	result, msg = ordResult(t, srv, "AcceptOrder", url.Values{"orderid": {id}})
	assert.Equal(t, "Order ID not found or Status not Pending", msg, result)
	got := ordGet(t, srv, url.Values{"id": {id}})
	require.Equal(t, 1, got.TotalResults)
	assert.Equal(t, "Active", got.Orders.Order[0].Status)
	for _, li := range got.Orders.Order[0].LineItems.LineItem {
		assert.Equal(t, "Active", li.Status, li.Type)
	}
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Active", status)

	result, msg = ordResult(t, srv, "ModuleSuspend", url.Values{"serviceid": {added.ServiceIDs}})
	require.Equal(t, "success", result, msg)
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
	usersAPI(t, srv, "GetOrderStatuses", nil, &statuses)
	counts := map[string]int{}
	for _, s := range statuses.Statuses.Status {
		counts[s.Title] = s.Count
	}
	assert.Equal(t, map[string]int{"Pending": 0, "Active": 1, "Fraud": 1, "Cancelled": 0}, counts)

	result, msg = ordResult(t, srv, "PendingOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Pending", status)
}

func TestOrdersCancelDelete(t *testing.T) {
	srv, db := ordServer(t)
	added := ordAdd(t, srv, "1")
	id := strconv.FormatInt(added.OrderID, 10)

	_, msg := ordResult(t, srv, "DeleteOrder", url.Values{"orderid": {id}})
	assert.Equal(t, "The order status must be in Cancelled or Fraud to be deleted", msg)

	result, msg := ordResult(t, srv, "CancelOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)
	inv, _, err := ordInvoice(t, db, added.InvoiceID)
	require.NoError(t, err)
	assert.Equal(t, "Cancelled", inv.Status)
	status, _, _ := ordService(t, srv, added.ServiceIDs)
	assert.Equal(t, "Cancelled", status)
	_, msg = ordResult(t, srv, "CancelOrder", url.Values{"orderid": {id}})
	assert.Equal(t, "Order ID not found or Status not Pending", msg)

	// PendingOrder undoes the cancellation, invoice included; cancel again.
	result, msg = ordResult(t, srv, "PendingOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)
	inv, _, err = ordInvoice(t, db, added.InvoiceID)
	require.NoError(t, err)
	assert.Equal(t, "Unpaid", inv.Status)
	result, msg = ordResult(t, srv, "CancelOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)

	result, msg = ordResult(t, srv, "DeleteOrder", url.Values{"orderid": {id}})
	require.Equal(t, "success", result, msg)
	assert.Equal(t, 0, ordGet(t, srv, url.Values{"id": {id}}).TotalResults)
	status, _, _ = ordService(t, srv, added.ServiceIDs)
	assert.Empty(t, status, "the order's service is gone")
	_, _, err = ordInvoice(t, db, added.InvoiceID)
	assert.ErrorIs(t, err, store.ErrNotFound, "the order's invoice is gone")
	var domains struct {
		TotalResults int `json:"totalresults"`
	}
	usersAPI(t, srv, "GetClientsDomains", url.Values{"domainid": {added.DomainIDs}}, &domains)
	assert.Equal(t, 0, domains.TotalResults, "the order's domain is gone")
}

func TestOrdersCloseAndDeleteClient(t *testing.T) {
	srv, db := ordServer(t)
	added := ordAdd(t, srv, "1")

	result, msg := ordResult(t, srv, "CloseClient", url.Values{"clientid": {"1"}})
	require.Equal(t, "success", result, msg)
	inv, _, err := ordInvoice(t, db, added.InvoiceID)
	require.NoError(t, err)
	assert.Equal(t, "Cancelled", inv.Status, "closing a client cancels its unpaid invoices")
	var domains struct {
		TotalResults int `json:"totalresults"`
		Domains      struct {
			Domain []struct {
				Status string `json:"status"`
			} `json:"domain"`
		} `json:"domains"`
	}
	usersAPI(t, srv, "GetClientsDomains", url.Values{"clientid": {"1"}}, &domains)
	require.Equal(t, 3, domains.TotalResults)
	for _, d := range domains.Domains.Domain {
		assert.Equal(t, "Cancelled", d.Status)
	}

	result, msg = ordResult(t, srv, "DeleteClient", url.Values{"clientid": {"1"}})
	require.Equal(t, "success", result, msg)
	assert.Equal(t, 0, ordGet(t, srv, url.Values{"userid": {"1"}}).TotalResults)
	usersAPI(t, srv, "GetClientsDomains", url.Values{"clientid": {"1"}}, &domains)
	assert.Equal(t, 0, domains.TotalResults)
	_, _, err = ordInvoice(t, db, added.InvoiceID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	status, _, _ := ordService(t, srv, added.ServiceIDs)
	assert.Empty(t, status)
	assert.Equal(t, 1, ordGet(t, srv, nil).TotalResults, "other clients' orders stay")
}

func TestAddOrderWritesNothingOnError(t *testing.T) {
	srv, _ := ordServer(t)
	var got ordAdded
	usersAPI(t, srv, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1", "42"},
		"domain[]": {"a.example", "b.example", "c.example"}, "domaintype[2]": {"register"}}, &got)
	assert.Equal(t, "Product ID Invalid", got.Message)
	assert.Equal(t, 1, ordGet(t, srv, nil).TotalResults)
	var domains struct {
		TotalResults int `json:"totalresults"`
	}
	usersAPI(t, srv, "GetClientsDomains", nil, &domains)
	assert.Equal(t, 3, domains.TotalResults)
	var products struct {
		TotalResults int `json:"totalresults"`
	}
	usersAPI(t, srv, "GetClientsProducts", nil, &products)
	assert.Equal(t, 3, products.TotalResults)
}
