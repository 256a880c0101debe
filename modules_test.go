package whmcsemu_test

// Modules, servers, addons, affiliates, cancellation requests and
// upgrades, over one world: what AddOrder, AcceptOrder, the module
// commands, a fault rule and AddCancelRequest write, the list actions
// read.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// modulesFixture holds the servers, modules, addons and the rest these
// tests use.
const modulesFixture = "testdata/fixtures/modules.json"

// modAddons is GetClientsAddons' answer, as much as these tests read.
type modAddons struct {
	TotalResults int `json:"totalresults"`
	Addons       struct {
		Addon []struct {
			ID        string `json:"id"`
			ServiceID string `json:"serviceid"`
			AddonID   string `json:"addonid"`
			Name      string `json:"name"`
			Status    string `json:"status"`
			Recurring string `json:"recurring"`
		} `json:"addon"`
	} `json:"addons"`
}

// modQueue is GetModuleQueue's answer.
type modQueue struct {
	Count int `json:"count"`
	Queue []struct {
		ServiceType      string `json:"serviceType"`
		ServiceID        string `json:"serviceId"`
		ModuleName       string `json:"moduleName"`
		ModuleAction     string `json:"moduleAction"`
		LastAttemptError string `json:"lastAttemptError"`
		NumRetries       string `json:"numRetries"`
	} `json:"queue"`
}

// modFault puts a fault rule in force through the control plane.
func modFault(t *testing.T, s *whmcstest.Server, rule string) {
	t.Helper()
	resp, err := s.Client().Post(s.URL+"/_whmcsemu/faults", "application/json", strings.NewReader(rule))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Less(t, resp.StatusCode, 300, "adding the fault rule %s", rule)
}

// modService reads one service's status and server.
func modService(t *testing.T, s *whmcstest.Server, id string) (status, serverID string) {
	t.Helper()
	var got struct {
		Products struct {
			Product []struct {
				Status   string `json:"status"`
				ServerID string `json:"serverid"`
			} `json:"product"`
		} `json:"products"`
	}
	must(t, s, "GetClientsProducts", url.Values{"serviceid": {id}}, &got)
	require.Len(t, got.Products.Product, 1)
	return got.Products.Product[0].Status, got.Products.Product[0].ServerID
}

// The scenario: an order with an addon, accepted; a module command a fault
// fails, queued; a cancellation request, listed.
func TestModulesScenario(t *testing.T) {
	s := newDemo(t, modulesFixture)

	var order struct {
		OrderID    int64  `json:"orderid"`
		ServiceIDs string `json:"serviceids"`
		AddonIDs   string `json:"addonids"`
		InvoiceID  int64  `json:"invoiceid"`
	}
	must(t, s, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"},
		"domain[]": {"shop.example"}, "billingcycle[]": {"monthly"}, "addons[]": {"2"}}, &order)
	require.NotEmpty(t, order.AddonIDs)
	sid := order.ServiceIDs

	var addons modAddons
	must(t, s, "GetClientsAddons", url.Values{"serviceid": {sid}}, &addons)
	require.Equal(t, 1, addons.TotalResults)
	got := addons.Addons.Addon[0]
	assert.Equal(t, order.AddonIDs, got.ID)
	assert.Equal(t, "Daily Backups", got.Name)
	assert.Equal(t, "Pending", got.Status)

	var invoice struct {
		Total string `json:"total"`
		Items struct {
			Item []struct {
				Type   string `json:"type"`
				RelID  int64  `json:"relid"`
				Amount string `json:"amount"`
			} `json:"item"`
		} `json:"items"`
	}
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(order.InvoiceID, 10)}}, &invoice)
	require.Len(t, invoice.Items.Item, 2)
	assert.Equal(t, "Addon", invoice.Items.Item[1].Type)
	assert.Equal(t, order.AddonIDs, strconv.FormatInt(invoice.Items.Item[1].RelID, 10))
	assert.Equal(t, "7.50", invoice.Items.Item[1].Amount, "the setup fee and the first month")
	assert.Equal(t, "17.45", invoice.Total)

	must(t, s, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(order.OrderID, 10)}, "serverid": {"1"}}, nil)
	must(t, s, "GetClientsAddons", url.Values{"serviceid": {sid}}, &addons)
	assert.Equal(t, "Active", addons.Addons.Addon[0].Status)
	status, server := modService(t, s, sid)
	assert.Equal(t, "Active", status)
	assert.Equal(t, "1", server)

	modFault(t, s, `{"action":"ModuleSuspend","message":"Connection refused","times":1}`)
	r := call(t, s, "ModuleSuspend", url.Values{"serviceid": {sid}, "suspendreason": {"Overdue"}}, nil)
	assert.Equal(t, "error", r.Result)
	assert.Equal(t, "Connection refused", r.Message)
	status, _ = modService(t, s, sid)
	assert.Equal(t, "Active", status, "the failed command changed nothing")

	var queue modQueue
	must(t, s, "GetModuleQueue", url.Values{"moduleAction": {"SuspendAccount"}}, &queue)
	require.Equal(t, 1, queue.Count)
	q := queue.Queue[0]
	assert.Equal(t, "service", q.ServiceType)
	assert.Equal(t, sid, q.ServiceID)
	assert.Equal(t, "cpanel", q.ModuleName, "the product's module")
	assert.Equal(t, "SuspendAccount", q.ModuleAction)
	assert.Equal(t, "Connection refused", q.LastAttemptError)

	// The rule is spent: the command runs, and completes the queued item.
	must(t, s, "ModuleSuspend", url.Values{"serviceid": {sid}}, nil)
	must(t, s, "GetModuleQueue", url.Values{"moduleAction": {"SuspendAccount"}}, &queue)
	assert.Equal(t, 0, queue.Count)

	var added struct {
		ServiceID int64 `json:"serviceid"`
		UserID    int64 `json:"userid"`
	}
	must(t, s, "AddCancelRequest", url.Values{"serviceid": {sid}, "type": {"Immediate"}, "reason": {"Closing the shop"}}, &added)
	assert.Equal(t, int64(1), added.UserID)
	var packages struct {
		TotalResults int `json:"totalresults"`
		Packages     struct {
			Package []struct {
				RelID  string `json:"relid"`
				Reason string `json:"reason"`
				Type   string `json:"type"`
			} `json:"package"`
		} `json:"packages"`
	}
	must(t, s, "GetCancelledPackages", nil, &packages)
	require.Equal(t, 2, packages.TotalResults, "the fixture's and this one")
	p := packages.Packages.Package[1]
	assert.Equal(t, sid, p.RelID)
	assert.Equal(t, "Immediate", p.Type)
	assert.Equal(t, "Closing the shop", p.Reason)
	mails := outbox(t, s, "")
	require.NotEmpty(t, mails)
	assert.Equal(t, "Cancellation Request Confirmation", mails[0].Template)
	assert.Equal(t, "jane@example.com", mails[0].To)
	assert.Equal(t, "Existing Cancellation Request Exists",
		call(t, s, "AddCancelRequest", url.Values{"serviceid": {sid}}, nil).Message)
}

// A fault failing the same command again counts a retry of one item, over
// HTTP and through the local API alike; ModuleCustom is queued by its
// function's name; a fault on another action queues nothing.
func TestModulesFaultsQueueRetries(t *testing.T) {
	s := newDemo(t, modulesFixture)
	modFault(t, s, `{"action":"ModuleCreate","message":"Service not assigned to a module","times":2}`)
	modFault(t, s, `{"action":"ModuleCustom","message":"Reboot failed","times":1}`)
	modFault(t, s, `{"action":"GetClients","status":503}`)
	assert.Equal(t, "Service not assigned to a module", call(t, s, "ModuleCreate", url.Values{"serviceid": {"2"}}, nil).Message)
	assert.Equal(t, "Service not assigned to a module",
		call(t, s, "ModuleCreate", url.Values{"accountid": {"2"}}, nil, localAPI{}).Message)
	assert.Equal(t, "Reboot failed", call(t, s, "ModuleCustom", url.Values{"serviceid": {"2"}, "func_name": {"reboot"}}, nil).Message)
	resp, err := s.Client().PostForm(s.APIURL(), url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret},
		"action": {"GetClients"}, "responsetype": {"json"}})
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)

	var queue modQueue
	must(t, s, "GetModuleQueue", url.Values{"relatedId": {"2"}, "serviceType": {"service"}}, &queue)
	require.Equal(t, 2, queue.Count)
	assert.Equal(t, "CreateAccount", queue.Queue[0].ModuleAction)
	assert.Equal(t, "1", queue.Queue[0].NumRetries, "the second failure is a retry")
	assert.Equal(t, "reboot", queue.Queue[1].ModuleAction)
	must(t, s, "GetModuleQueue", url.Values{"moduleName": {"plesk"}}, &queue)
	assert.Equal(t, 0, queue.Count)
}

// A gateway activated is a payment method AddOrder takes; deactivated, what
// used it moves to the new gateway.
func TestModulesGatewayLifecycle(t *testing.T) {
	s := newDemo(t, modulesFixture)
	must(t, s, "ActivateModule", url.Values{"moduleType": {"gateway"}, "moduleName": {"stripe"},
		"parameters[FriendlyName]": {"Card"}}, nil)
	var order struct {
		ServiceIDs string `json:"serviceids"`
	}
	must(t, s, "AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"stripe"}, "pid[]": {"2"}}, &order)
	must(t, s, "DeactivateModule", url.Values{"moduleType": {"gateway"}, "moduleName": {"stripe"},
		"newGateway": {"banktransfer"}}, nil)
	var products struct {
		Products struct {
			Product []struct {
				PaymentMethod string `json:"paymentmethod"`
			} `json:"product"`
		} `json:"products"`
	}
	must(t, s, "GetClientsProducts", url.Values{"serviceid": {order.ServiceIDs}}, &products)
	assert.Equal(t, "banktransfer", products.Products.Product[0].PaymentMethod)
	assert.Contains(t, call(t, s, "AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"stripe"},
		"pid[]": {"2"}}, nil).Message, "Invalid Payment Method")
}

// DeleteClient takes the client's addons, affiliate record, cancellation
// requests and queue items with it.
func TestModulesDeleteClient(t *testing.T) {
	s := newDemo(t, modulesFixture)
	must(t, s, "AddCancelRequest", url.Values{"serviceid": {"1"}}, nil)
	must(t, s, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	var addons modAddons
	must(t, s, "GetClientsAddons", nil, &addons)
	require.Equal(t, 1, addons.TotalResults)
	assert.Equal(t, "2", addons.Addons.Addon[0].ServiceID, "client 2's addon stays")
	var affiliates struct {
		TotalResults int `json:"totalresults"`
	}
	must(t, s, "GetAffiliates", nil, &affiliates)
	assert.Equal(t, 0, affiliates.TotalResults)
	var packages struct {
		TotalResults int `json:"totalresults"`
	}
	must(t, s, "GetCancelledPackages", nil, &packages)
	assert.Equal(t, 1, packages.TotalResults, "client 4's request stays")
	var queue modQueue
	must(t, s, "GetModuleQueue", nil, &queue)
	assert.Equal(t, 0, queue.Count)
	var exported struct {
		ModuleQueue []any `json:"moduleQueue"`
		Affiliates  []any `json:"affiliates"`
	}
	export(t, s, &exported)
	assert.Empty(t, exported.ModuleQueue, "the completed item went too")
	assert.Empty(t, exported.Affiliates)
}

// TestModulesExportRoundTrip: the state these actions write, exported and
// loaded into an empty emulator, answers the same and exports the same.
func TestModulesExportRoundTrip(t *testing.T) {
	src := newDemo(t, modulesFixture)
	modFault(t, src, `{"action":"ModuleTerminate","message":"Account locked","times":1}`)
	for _, step := range []struct {
		action string
		params url.Values
	}{
		{"ActivateModule", url.Values{"moduleType": {"registrar"}, "moduleName": {"resellerclub"}, "parameters[ResellerID]": {"42"}}},
		{"AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "addons[]": {"1"}, "affid": {"1"}}},
		{"AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "addonid": {"2"}, "serviceid": {"1"}}},
		{"AcceptOrder", url.Values{"orderid": {"3"}, "serverid": {"3"}}},
		{"UpgradeProduct", url.Values{"serviceid": {"4"}, "type": {"product"}, "newproductid": {"2"}, "paymentmethod": {"paypal"}}},
		{"OrderFraudCheck", url.Values{"orderid": {"2"}}},
		{"FraudOrder", url.Values{"orderid": {"2"}}},
		{"AddCancelRequest", url.Values{"serviceid": {"1"}, "type": {"Immediate"}}},
		{"AffiliateActivate", url.Values{"userid": {"2"}}},
		{"ModuleChangePw", url.Values{"serviceid": {"4"}, "servicepassword": {"s3cret"}}},
	} {
		must(t, src, step.action, step.params, nil)
	}
	assert.Equal(t, "Account locked", call(t, src, "ModuleTerminate", url.Values{"serviceid": {"4"}}, nil).Message)

	dst := newServer(t)
	data := replaceWith(t, dst, src)
	for _, q := range []url.Values{
		{"action": {"GetServers"}, "fetchStatus": {"1"}}, {"action": {"GetClientsProducts"}},
		{"action": {"GetClientsAddons"}}, {"action": {"GetAffiliates"}}, {"action": {"GetCancelledPackages"}},
		{"action": {"GetModuleQueue"}}, {"action": {"GetOrders"}}, {"action": {"GetPaymentMethods"}},
		{"action": {"UpgradeProduct"}, "serviceid": {"4"}, "type": {"product"}, "newproductid": {"3"},
			"paymentmethod": {"paypal"}, "calconly": {"1"}},
	} {
		action := q.Get("action")
		q.Del("action")
		assert.Equal(t, call(t, src, action, q, nil).Body, call(t, dst, action, q, nil, localAPI{}).Body, action)
	}
	assert.JSONEq(t, data, export(t, dst, nil))
}

// UpgradeProduct's period is the billing code's: a month back from the
// 31st of March is the 28th of February (31 days), not the 3rd of March.
func TestUpgradePeriodEndsOfMonth(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/modules.json")
	must(t, s, "UpdateClientProduct", url.Values{"serviceid": {"1"}, "nextduedate": {"2017-03-31"}}, nil)
	var got struct {
		TotalDays int64 `json:"totaldays"`
	}
	must(t, s, "UpgradeProduct", url.Values{"serviceid": {"1"}, "type": {"product"}, "newproductid": {"2"},
		"newproductbillingcycle": {"monthly"}, "paymentmethod": {"paypal"}, "calconly": {"1"}}, &got)
	assert.Equal(t, int64(31), got.TotalDays)
}

// Blocked IPs match in any spelling of the address, as banned IPs do.
func TestFraudBlockedIPInAnySpelling(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/modules.json")
	load(t, s, `{"fraud": {"blockedIps": ["2001:DB8::1"]}}`)
	var got struct {
		Status string `json:"status"`
	}
	must(t, s, "OrderFraudCheck", url.Values{"orderid": {"1"}, "ipaddress": {"2001:db8:0:0::1"}}, &got)
	assert.Equal(t, "Fail", got.Status)
}
