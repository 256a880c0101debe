package whmcsemu

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// This file plays integrations end to end over a real socket with
// responsetype=json, as a PHP module or Go service would: form-encoded
// POSTs to /includes/api.php, answers decoded into structs typed the way
// WHMCS returns them (AddClient's clientid is a string, AddProduct's pid a
// number, AddOrder's serviceids a comma-separated string, ...). A type that
// drifts from WHMCS's breaks the decoding, so the test checks the wire types
// as well as the state.

// integration is a client of the emulator's endpoint over HTTP.
type integration struct {
	t    *testing.T
	base string
}

func newIntegration(t *testing.T) *integration {
	srv, _ := newTestServer(t)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &integration{t: t, base: ts.URL}
}

// call posts action with params and the demo credential, and decodes the
// JSON answer into out. It fails the test on a non-200 status or on an
// answer that does not decode into out's types, and returns the answer's
// result and message.
func (in *integration) call(action string, params url.Values, out any) whmcsError {
	in.t.Helper()
	form := withAuth(url.Values{"action": {action}, "responsetype": {"json"}})
	for k, v := range params {
		form[k] = v
	}
	resp, err := http.PostForm(in.base+"/includes/api.php", form)
	require.NoError(in.t, err)
	defer resp.Body.Close()
	require.Equal(in.t, http.StatusOK, resp.StatusCode, action)
	require.Equal(in.t, "application/json", resp.Header.Get("Content-Type"), action)
	body, err := io.ReadAll(resp.Body)
	require.NoError(in.t, err)
	require.NoError(in.t, json.Unmarshal(body, out), "%s: %s", action, body)
	var res whmcsError
	require.NoError(in.t, json.Unmarshal(body, &res), action)
	return res
}

// mustSucceed calls action and requires result=success.
func (in *integration) mustSucceed(action string, params url.Values, out any) {
	in.t.Helper()
	res := in.call(action, params, out)
	require.Equal(in.t, "success", res.Result, "%s: %s", action, res.Message)
}

// whmcsError is any failed answer.
type whmcsError struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

// TestIntegrationSetupScenario is an integration's test setup: a client with
// a contact, a product, an order for it, a look at the client's services and
// the support departments, a project, and the cleanup with DeleteClient,
// after which nothing of the client is left.
func TestIntegrationSetupScenario(t *testing.T) {
	in := newIntegration(t)

	var client struct {
		Result   string `json:"result"`
		ClientID string `json:"clientid"`
	}
	in.mustSucceed("AddClient", url.Values{
		"firstname": {"Ada"}, "lastname": {"Byron"}, "email": {"ada@example.net"}, "address1": {"1 Engine Row"},
		"city": {"London"}, "state": {"London"}, "postcode": {"W1 1AA"}, "country": {"GB"},
		"phonenumber": {"020 7946 0000"}, "password2": {"analytical"},
	}, &client)
	require.NotEmpty(t, client.ClientID)

	var contact struct {
		Result    string `json:"result"`
		ContactID string `json:"contactid"`
	}
	in.mustSucceed("AddContact", url.Values{"clientid": {client.ClientID}, "firstname": {"Mary"},
		"lastname": {"Somerville"}, "email": {"mary@example.net"}}, &contact)
	require.NotEmpty(t, contact.ContactID)

	var product struct {
		Result string `json:"result"`
		PID    int64  `json:"pid"`
	}
	in.mustSucceed("AddProduct", url.Values{"name": {"Difference Engine"}, "gid": {"1"}, "type": {"hostingaccount"},
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
	in.mustSucceed("GetPaymentMethods", nil, &methods)
	require.NotEmpty(t, methods.PaymentMethods.PaymentMethod)
	gateway := methods.PaymentMethods.PaymentMethod[0].Module

	var order struct {
		Result     string `json:"result"`
		OrderID    int64  `json:"orderid"`
		ServiceIDs string `json:"serviceids"`
		InvoiceID  int64  `json:"invoiceid"`
	}
	in.mustSucceed("AddOrder", url.Values{"clientid": {client.ClientID}, "paymentmethod": {gateway},
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
	in.mustSucceed("GetClientsProducts", url.Values{"clientid": {client.ClientID}}, &services)
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
	in.mustSucceed("GetSupportDepartments", nil, &departments)
	require.NotEmpty(t, departments.Departments.Department)

	var project struct {
		Result    string `json:"result"`
		Message   string `json:"message"`
		ProjectID string `json:"projectid"`
	}
	in.mustSucceed("CreateProject", url.Values{"title": {"Launch the engine"}, "adminid": {"1"},
		"userid": {client.ClientID}}, &project)
	require.NotEmpty(t, project.ProjectID)

	var deleted struct {
		Result   string      `json:"result"`
		ClientID json.Number `json:"clientid"`
	}
	in.mustSucceed("DeleteClient", url.Values{"clientid": {client.ClientID}}, &deleted)
	assert.Equal(t, client.ClientID, deleted.ClientID.String())

	// Nothing of the client is left.
	var gone whmcsError
	in.call("GetClientsDetails", url.Values{"clientid": {client.ClientID}}, &gone)
	assert.Equal(t, "error", gone.Result)
	in.call("GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &gone)
	assert.Equal(t, "error", gone.Result, "the order's invoice went with the client")
	in.call("GetProject", url.Values{"projectid": {project.ProjectID}}, &gone)
	assert.Equal(t, "error", gone.Result, "the client's project went with it")
	var orders struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	in.mustSucceed("GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &orders)
	assert.Zero(t, orders.TotalResults, "the order went with the client")
	var contacts struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	in.mustSucceed("GetContacts", url.Values{"userid": {client.ClientID}}, &contacts)
	assert.Zero(t, contacts.TotalResults, "the contact went with the client")
}

// TestOrderLifecycleScenario walks one order through its life: placed,
// paid, accepted, suspended and unsuspended by module actions, and gone
// with its client.
func TestOrderLifecycleScenario(t *testing.T) {
	in := newIntegration(t)

	var order struct {
		Result     string `json:"result"`
		OrderID    int64  `json:"orderid"`
		ServiceIDs string `json:"serviceids"`
		InvoiceID  int64  `json:"invoiceid"`
	}
	in.mustSucceed("AddProduct", url.Values{"name": {"Lamp"}, "gid": {"1"}, "type": {"other"},
		"paytype": {"recurring"}, "pricing[1][monthly]": {"4.00"}}, &struct {
		Result string `json:"result"`
		PID    int64  `json:"pid"`
	}{})
	in.mustSucceed("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"banktransfer"},
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
	in.mustSucceed("GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &pending)
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
	in.mustSucceed("GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &invoice)
	assert.Equal(t, "Unpaid", invoice.Status)
	assert.Equal(t, "4.00", invoice.Total)

	in.mustSucceed("AddInvoicePayment", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}, "transid": {"T-1"},
		"gateway": {"banktransfer"}, "amount": {"4.00"}}, &whmcsError{})
	in.mustSucceed("GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &invoice)
	assert.Equal(t, "Paid", invoice.Status)
	assert.Equal(t, "0.00", invoice.Balance)

	in.mustSucceed("AcceptOrder", url.Values{"orderid": {strconv.FormatInt(order.OrderID, 10)}}, &whmcsError{})
	status := func() string {
		var services struct {
			Products struct {
				Product []struct {
					ID     string `json:"id"`
					Status string `json:"status"`
				} `json:"product"`
			} `json:"products"`
		}
		in.mustSucceed("GetClientsProducts", url.Values{"serviceid": {serviceID}}, &services)
		require.Len(t, services.Products.Product, 1)
		return services.Products.Product[0].Status
	}
	assert.Equal(t, "Active", status())
	var active orderList
	in.mustSucceed("GetOrders", url.Values{"id": {strconv.FormatInt(order.OrderID, 10)}}, &active)
	require.Len(t, active.Orders.Order, 1)
	assert.Equal(t, "Active", active.Orders.Order[0].Status)
	assert.Equal(t, "Paid", active.Orders.Order[0].PaymentStatus)

	in.mustSucceed("ModuleSuspend", url.Values{"serviceid": {serviceID}, "suspendreason": {"Abuse"}}, &whmcsError{})
	assert.Equal(t, "Suspended", status())
	in.mustSucceed("ModuleUnsuspend", url.Values{"serviceid": {serviceID}}, &whmcsError{})
	assert.Equal(t, "Active", status())

	var transactions struct {
		Result       string `json:"result"`
		TotalResults int    `json:"totalresults"`
	}
	in.mustSucceed("GetTransactions", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &transactions)
	assert.Equal(t, 1, transactions.TotalResults)

	in.mustSucceed("DeleteClient", url.Values{"clientid": {"1"}, "deletetransactions": {"1"}}, &whmcsError{})
	var none orderList
	in.mustSucceed("GetOrders", url.Values{"userid": {"1"}}, &none)
	assert.Zero(t, none.TotalResults)
	in.mustSucceed("GetTransactions", url.Values{"clientid": {"1"}}, &transactions)
	assert.Zero(t, transactions.TotalResults)
	var gone whmcsError
	in.call("GetClientsProducts", url.Values{"serviceid": {serviceID}}, &gone)
	in.call("GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &gone)
	assert.Equal(t, "error", gone.Result)
}
