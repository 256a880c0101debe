package whmcsemu

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// svcPage is GetClientsProducts' answer, as much as these tests read.
type svcPage struct {
	Result       string `json:"result"`
	TotalResults int    `json:"totalresults"`
	StartNumber  int    `json:"startnumber"`
	NumReturned  int    `json:"numreturned"`
	Products     *struct {
		Product []svcItem `json:"product"`
	} `json:"products"`
}

type svcItem struct {
	ID               string `json:"id"`
	Status           string `json:"status"`
	SuspensionReason string `json:"suspensionreason"`
}

// svcGet returns the one service GetClientsProducts finds for id.
func svcGet(t *testing.T, srv *Server, id string) svcItem {
	t.Helper()
	var page svcPage
	usersAPI(t, srv, "GetClientsProducts", url.Values{"serviceid": {id}}, &page)
	require.Equal(t, "success", page.Result)
	require.NotNil(t, page.Products)
	require.Len(t, page.Products.Product, 1)
	return page.Products.Product[0]
}

// svcCall runs an action that must succeed.
func svcCall(t *testing.T, srv *Server, action string, params url.Values) {
	t.Helper()
	result, msg := clientsCall(t, srv, action, params)
	require.Equal(t, "success", result, "%s: %s", action, msg)
}

func TestServicesModuleLifecycle(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.Clock().Set(time.Date(2022, 7, 8, 9, 10, 11, 0, time.UTC))
	id := url.Values{"serviceid": {"3"}}

	svcCall(t, srv, "UpdateClientProduct", url.Values{"serviceid": {"3"}, "status": {"Pending"}})
	assert.Equal(t, "Pending", svcGet(t, srv, "3").Status)
	svcCall(t, srv, "ModuleCreate", id)
	assert.Equal(t, "Active", svcGet(t, srv, "3").Status)

	svcCall(t, srv, "ModuleSuspend", url.Values{"serviceid": {"3"}, "suspendreason": {"Unpaid"}})
	got := svcGet(t, srv, "3")
	assert.Equal(t, svcItem{ID: "3", Status: "Suspended", SuspensionReason: "Unpaid"}, got)

	svcCall(t, srv, "ModuleUnsuspend", id)
	assert.Equal(t, svcItem{ID: "3", Status: "Active"}, svcGet(t, srv, "3"))

	svcCall(t, srv, "ModuleTerminate", id)
	assert.Equal(t, "Terminated", svcGet(t, srv, "3").Status)
	doc, err := exportDoc(srv, t.Context())
	require.NoError(t, err)
	assert.Equal(t, "2022-07-08", doc.Services[2].TerminationDate, "terminate stamps today's date")
	assert.Equal(t, "Active", doc.Services[0].Status, "other services untouched")
}

func TestServicesUpdateRoundTripsThroughExport(t *testing.T) {
	srv, _ := newTestServer(t)
	svcCall(t, srv, "UpdateClientProduct", url.Values{"serviceid": {"2"}, "pid": {"1"}, "regdate": {"2023-02-03"},
		"nextduedate": {"2024-02-03"}, "terminationdate": {"2025-01-01"}, "domain": {"moved.example"},
		"firstpaymentamount": {"10"}, "recurringamount": {"7.5"}, "paymentmethod": {"paypal"},
		"billingcycle": {"Quarterly"}, "subscriptionid": {"S-9"}, "status": {"Fraud"}, "notes": {"watch"},
		"serviceusername": {"roe"}, "dedicatedip": {"198.51.100.7"}, "suspendreason": {"why"}})
	svcCall(t, srv, "ModuleSuspend", url.Values{"serviceid": {"1"}, "suspendreason": {"Abuse"}})

	data, err := json.Marshal(clientsMust(exportDoc(srv, t.Context())))
	require.NoError(t, err)
	empty, _ := newTestServerWith(t, "")
	err = empty.LoadFixture(t.Context(), data)
	require.NoError(t, err)
	assert.Equal(t, clientsExport(t, srv), clientsExport(t, empty))
	assert.Equal(t, usersAPI(t, srv, "GetClientsProducts", nil, nil), usersAPI(t, empty, "GetClientsProducts", nil, nil))
	assert.Contains(t, string(data), `"recurringAmount":"7.50"`)
}

func TestServicesFailuresWriteNothing(t *testing.T) {
	srv, _ := newTestServer(t)
	before := clientsExport(t, srv)
	for _, c := range []struct {
		action string
		params url.Values
		msg    string
	}{
		{"ModuleCreate", url.Values{}, "Service ID is required"},
		{"ModuleSuspend", url.Values{"serviceid": {"0"}, "suspendreason": {"x"}}, "Service ID is required"},
		{"ModuleUnsuspend", url.Values{"serviceid": {"404"}}, "Service ID not found"},
		{"ModuleTerminate", url.Values{"serviceid": {"404"}}, "Service ID not found"},
		{"UpdateClientProduct", url.Values{"serviceid": {"404"}, "domain": {"x.example"}}, "Service ID Not Found"},
	} {
		result, msg := clientsCall(t, srv, c.action, c.params)
		assert.Equal(t, "error", result, c.action)
		assert.Equal(t, c.msg, msg, c.action)
	}
	assert.Equal(t, before, clientsExport(t, srv))
}

func TestServicesListPagesAndFilters(t *testing.T) {
	srv, _ := newTestServer(t)
	var ids []string
	for start := 0; ; start++ {
		var page svcPage
		usersAPI(t, srv, "GetClientsProducts", url.Values{"limitstart": {strconv.Itoa(start)}, "limitnum": {"1"}}, &page)
		require.Equal(t, 3, page.TotalResults)
		assert.Equal(t, start, page.StartNumber)
		if page.Products == nil {
			assert.Equal(t, 0, page.NumReturned)
			break
		}
		require.Equal(t, 1, page.NumReturned)
		ids = append(ids, page.Products.Product[0].ID)
	}
	assert.Equal(t, []string{"1", "2", "3"}, ids)

	for _, f := range []url.Values{
		{"clientid": {"1"}, "pid": {"1"}},
		{"domain": {"doe-widgets.example"}},
		{"serviceid": {"1"}, "clientid": {"1"}},
	} {
		var page svcPage
		usersAPI(t, srv, "GetClientsProducts", f, &page)
		require.Equal(t, 1, page.TotalResults, f)
		assert.Equal(t, "1", page.Products.Product[0].ID, f)
	}
	body := usersAPI(t, srv, "GetClientsProducts", url.Values{"clientid": {"1"}, "pid": {"2"}}, nil)
	assert.NotContains(t, body, `"products"`)
}
