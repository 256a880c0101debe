package whmcsemu_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// This file plays integrations end to end over a real socket with
// responsetype=json, as a PHP module or Go service would: form-encoded
// POSTs to /includes/api.php, answers decoded into structs typed the way
// WHMCS returns them (AddClient's clientid is a string, AddProduct's pid a
// number, AddOrder's serviceids a comma-separated string, ...). A type that
// drifts from WHMCS's breaks the decoding, so the test checks the wire types
// as well as the state.

// newIntegration is an emulator on the demo fixture served over a real
// socket, as an integration under test would reach it.
func newIntegration(t *testing.T) *whmcstest.Server {
	return whmcstest.NewServer(t, whmcstest.WithFixtureFile(demoFixture), whmcstest.WithClock(testClock), whmcstest.WithSeed(1))
}

// TestIntegrationSetupScenario is an integration's test setup: a client with
// a contact, a product, an order for it, a look at the client's services and
// the support departments, a project, and the cleanup with DeleteClient,
// after which nothing of the client is left.
func TestIntegrationSetupScenario(t *testing.T) {
	srv := newIntegration(t)

	var client struct {
		Result   string `json:"result"`
		ClientID string `json:"clientid"`
	}
	must(t, srv, "AddClient", url.Values{
		"firstname": {"Ada"}, "lastname": {"Byron"}, "email": {"ada@example.net"}, "address1": {"1 Engine Row"},
		"city": {"London"}, "state": {"London"}, "postcode": {"W1 1AA"}, "country": {"GB"},
		"phonenumber": {"020 7946 0000"}, "password2": {"analytical"},
	}, &client)
	require.NotEmpty(t, client.ClientID)

	var contact struct {
		Result    string `json:"result"`
		ContactID string `json:"contactid"`
	}
	must(t, srv, "AddContact", url.Values{"clientid": {client.ClientID}, "firstname": {"Mary"},
		"lastname": {"Somerville"}, "email": {"mary@example.net"}}, &contact)
	require.NotEmpty(t, contact.ContactID)

	var product struct {
		Result string `json:"result"`
		PID    int64  `json:"pid"`
	}
	must(t, srv, "AddProduct", url.Values{"name": {"Difference Engine"}, "gid": {"1"}, "type": {"hostingaccount"},
		"paytype": {"recurring"}, "pricing[1][monthly]": {"12.50"}, "pricing[1][msetupfee]": {"5"}}, &product)
	require.NotZero(t, product.PID)

	var methods struct {
		Result         string `json:"result"`
		TotalResults   int    `json:"totalresults"`
		PaymentMethods struct {
			PaymentMethod []struct {
				Module      string `json:"module"`
				DisplayName string `json:"displayname"`
			} `json:"paymentmethod"`
		} `json:"paymentmethods"`
	}
	must(t, srv, "GetPaymentMethods", nil, &methods)
	require.NotEmpty(t, methods.PaymentMethods.PaymentMethod)
	gateway := methods.PaymentMethods.PaymentMethod[0].Module

	var order struct {
		Result     string `json:"result"`
		OrderID    int64  `json:"orderid"`
		ServiceIDs string `json:"serviceids"`
		InvoiceID  int64  `json:"invoiceid"`
	}
	must(t, srv, "AddOrder", url.Values{"clientid": {client.ClientID}, "paymentmethod": {gateway},
		"pid[]": {strconv.FormatInt(product.PID, 10)}, "billingcycle[]": {"monthly"}, "domain[]": {"engine.example"}}, &order)
	require.NotZero(t, order.OrderID)
	serviceIDs := strings.Split(order.ServiceIDs, ",")
	require.Len(t, serviceIDs, 1)
	require.NotZero(t, order.InvoiceID)

	var services struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
		Products     struct {
			Product []struct {
				ID      string `json:"id"`
				OrderID string `json:"orderid"`
				PID     string `json:"pid"`
				Domain  string `json:"domain"`
				Status  string `json:"status"`
			} `json:"product"`
		} `json:"products"`
	}
	must(t, srv, "GetClientsProducts", url.Values{"clientid": {client.ClientID}}, &services)
	require.Len(t, services.Products.Product, 1)
	svc := services.Products.Product[0]
	assert.Equal(t, serviceIDs[0], svc.ID)
	assert.Equal(t, strconv.FormatInt(order.OrderID, 10), svc.OrderID)
	assert.Equal(t, strconv.FormatInt(product.PID, 10), svc.PID)
	assert.Equal(t, "engine.example", svc.Domain)
	assert.Equal(t, "Pending", svc.Status)

	var departments struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
		Departments  struct {
			Department []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"department"`
		} `json:"departments"`
	}
	must(t, srv, "GetSupportDepartments", nil, &departments)
	require.NotEmpty(t, departments.Departments.Department)

	var project struct {
		Result    string `json:"result"`
		Message   string `json:"message"`
		ProjectID string `json:"projectid"`
	}
	must(t, srv, "CreateProject", url.Values{"title": {"Launch the engine"}, "adminid": {"1"},
		"userid": {client.ClientID}}, &project)
	require.NotEmpty(t, project.ProjectID)

	var deleted struct {
		Result   string      `json:"result"`
		ClientID json.Number `json:"clientid"`
	}
	must(t, srv, "DeleteClient", url.Values{"clientid": {client.ClientID}}, &deleted)
	assert.Equal(t, client.ClientID, deleted.ClientID.String())

	// Nothing of the client is left.
	var gone reply
	gone = call(t, srv, "GetClientsDetails", url.Values{"clientid": {client.ClientID}}, nil)
	assert.Equal(t, "error", gone.Result)
	gone = call(t, srv, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, nil)
	assert.Equal(t, "error", gone.Result, "the order's invoice went with the client")
	gone = call(t, srv, "GetProject", url.Values{"projectid": {project.ProjectID}}, nil)
	assert.Equal(t, "error", gone.Result, "the client's project went with it")
	var orders struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	must(t, srv, "GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &orders)
	assert.Zero(t, orders.TotalResults, "the order went with the client")
	var contacts struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	must(t, srv, "GetContacts", url.Values{"userid": {client.ClientID}}, &contacts)
	assert.Zero(t, contacts.TotalResults, "the contact went with the client")
}

// TestOrderLifecycleScenario walks one order through its life: placed,
// paid, accepted, suspended and unsuspended by module actions, and gone
// with its client.
func TestOrderLifecycleScenario(t *testing.T) {
	srv := newIntegration(t)

	var order struct {
		Result     string `json:"result"`
		OrderID    int64  `json:"orderid"`
		ServiceIDs string `json:"serviceids"`
		InvoiceID  int64  `json:"invoiceid"`
	}
	must(t, srv, "AddProduct", url.Values{"name": {"Lamp"}, "gid": {"1"}, "type": {"other"},
		"paytype": {"recurring"}, "pricing[1][monthly]": {"4.00"}}, &struct {
		Result string `json:"result"`
		PID    int64  `json:"pid"`
	}{})
	must(t, srv, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"banktransfer"},
		"pid[]": {"3"}, "billingcycle[]": {"monthly"}}, &order)
	serviceID := order.ServiceIDs

	type orderList struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
		Orders       struct {
			Order []struct {
				ID            json.Number `json:"id"`
				Status        string      `json:"status"`
				PaymentStatus string      `json:"paymentstatus"`
				InvoiceID     json.Number `json:"invoiceid"`
			} `json:"order"`
		} `json:"orders"`
	}
	var pending orderList
	must(t, srv, "GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &pending)
	require.Len(t, pending.Orders.Order, 1)
	assert.Equal(t, "Pending", pending.Orders.Order[0].Status)
	assert.Equal(t, "Unpaid", pending.Orders.Order[0].PaymentStatus)
	assert.Equal(t, strconv.FormatInt(order.InvoiceID, 10), pending.Orders.Order[0].InvoiceID.String())

	var invoice struct {
		Result  string `json:"result"`
		Status  string `json:"status"`
		Total   string `json:"total"`
		Balance string `json:"balance"`
	}
	must(t, srv, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &invoice)
	assert.Equal(t, "Unpaid", invoice.Status)
	assert.Equal(t, "4.00", invoice.Total)

	must(t, srv, "AddInvoicePayment", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}, "transid": {"T-1"},
		"gateway": {"banktransfer"}, "amount": {"4.00"}}, nil)
	must(t, srv, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &invoice)
	assert.Equal(t, "Paid", invoice.Status)
	assert.Equal(t, "0.00", invoice.Balance)

	must(t, srv, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(order.OrderID, 10)}}, nil)
	status := func() string {
		var services struct {
			Products struct {
				Product []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"product"`
			} `json:"products"`
		}
		must(t, srv, "GetClientsProducts", url.Values{"serviceid": {serviceID}}, &services)
		require.Len(t, services.Products.Product, 1)
		return services.Products.Product[0].Status
	}
	assert.Equal(t, "Active", status())
	var active orderList
	must(t, srv, "GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &active)
	require.Len(t, active.Orders.Order, 1)
	assert.Equal(t, "Active", active.Orders.Order[0].Status)
	assert.Equal(t, "Paid", active.Orders.Order[0].PaymentStatus)

	must(t, srv, "ModuleSuspend", url.Values{"serviceid": {serviceID}, "suspendreason": {"Abuse"}}, nil)
	assert.Equal(t, "Suspended", status())
	must(t, srv, "ModuleUnsuspend", url.Values{"serviceid": {serviceID}}, nil)
	assert.Equal(t, "Active", status())

	var transactions struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	must(t, srv, "GetTransactions", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &transactions)
	assert.Equal(t, 1, transactions.TotalResults)

	must(t, srv, "DeleteClient", url.Values{"clientid": {"1"}, "deletetransactions": {"1"}}, nil)
	var none orderList
	must(t, srv, "GetOrders", url.Values{"userid": {"1"}}, &none)
	assert.Zero(t, none.TotalResults)
	must(t, srv, "GetTransactions", url.Values{"clientid": {"1"}}, &transactions)
	assert.Zero(t, transactions.TotalResults)
	var gone reply
	gone = call(t, srv, "GetClientsProducts", url.Values{"serviceid": {serviceID}}, nil)
	gone = call(t, srv, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, nil)
	assert.Equal(t, "error", gone.Result)
}
