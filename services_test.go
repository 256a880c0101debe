package whmcsemu_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
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
func svcGet(t *testing.T, srv *whmcstest.Server, id string) svcItem {
	t.Helper()
	var page svcPage
	must(t, srv, "GetClientsProducts", url.Values{"serviceid": {id}}, &page)
	require.NotNil(t, page.Products)
	require.Len(t, page.Products.Product, 1)
	return page.Products.Product[0]
}

func TestServicesModuleLifecycle(t *testing.T) {
	srv := newDemo(t)
	srv.Emulator().Clock().Set(time.Date(2022, 7, 8, 9, 10, 11, 0, time.UTC))
	id := url.Values{"serviceid": {"3"}}

	must(t, srv, "UpdateClientProduct", url.Values{"serviceid": {"3"}, "status": {"Pending"}}, nil)
	assert.Equal(t, "Pending", svcGet(t, srv, "3").Status)
	must(t, srv, "ModuleCreate", id, nil)
	assert.Equal(t, "Active", svcGet(t, srv, "3").Status)

	must(t, srv, "ModuleSuspend", url.Values{"serviceid": {"3"}, "suspendreason": {"Unpaid"}}, nil)
	got := svcGet(t, srv, "3")
	assert.Equal(t, svcItem{ID: "3", Status: "Suspended", SuspensionReason: "Unpaid"}, got)

	must(t, srv, "ModuleUnsuspend", id, nil)
	assert.Equal(t, svcItem{ID: "3", Status: "Active"}, svcGet(t, srv, "3"))

	must(t, srv, "ModuleTerminate", id, nil)
	assert.Equal(t, "Terminated", svcGet(t, srv, "3").Status)
	var doc struct {
		Services []struct {
			Status          string `json:"status"`
			TerminationDate string `json:"terminationDate"`
		} `json:"services"`
	}
	export(t, srv, &doc)
	assert.Equal(t, "2022-07-08", doc.Services[2].TerminationDate, "terminate stamps today's date")
	assert.Equal(t, "Active", doc.Services[0].Status, "other services untouched")
}

func TestServicesUpdateRoundTripsThroughExport(t *testing.T) {
	srv := newDemo(t)
	must(t, srv, "UpdateClientProduct", url.Values{"serviceid": {"2"}, "pid": {"1"}, "regdate": {"2023-02-03"},
		"nextduedate": {"2024-02-03"}, "terminationdate": {"2025-01-01"}, "domain": {"moved.example"},
		"firstpaymentamount": {"10"}, "recurringamount": {"7.5"}, "paymentmethod": {"paypal"},
		"billingcycle": {"Quarterly"}, "subscriptionid": {"S-9"}, "status": {"Fraud"}, "notes": {"watch"},
		"serviceusername": {"roe"}, "dedicatedip": {"198.51.100.7"}, "suspendreason": {"why"}}, nil)
	must(t, srv, "ModuleSuspend", url.Values{"serviceid": {"1"}, "suspendreason": {"Abuse"}}, nil)

	data := export(t, srv, nil)
	empty := newServer(t)
	replaceWith(t, empty, srv)
	assert.Equal(t, data, export(t, empty, nil))
	assert.Equal(t, call(t, srv, "GetClientsProducts", nil, nil), call(t, empty, "GetClientsProducts", nil, nil))
	assert.Contains(t, data, `"recurringAmount": "7.50"`)
}

func TestServicesFailuresWriteNothing(t *testing.T) {
	srv := newDemo(t)
	before := export(t, srv, nil)
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
		r := call(t, srv, c.action, c.params, nil)
		assert.Equal(t, "error", r.Result, c.action)
		assert.Equal(t, c.msg, r.Message, c.action)
	}
	assert.Equal(t, before, export(t, srv, nil))
}

func TestServicesListPagesAndFilters(t *testing.T) {
	srv := newDemo(t)
	var ids []string
	for start := 0; ; start++ {
		var page svcPage
		call(t, srv, "GetClientsProducts", url.Values{"limitstart": {strconv.Itoa(start)}, "limitnum": {"1"}}, &page)
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
		call(t, srv, "GetClientsProducts", f, &page)
		require.Equal(t, 1, page.TotalResults, f)
		assert.Equal(t, "1", page.Products.Product[0].ID, f)
	}
	assert.NotContains(t, call(t, srv, "GetClientsProducts", url.Values{"clientid": {"1"}, "pid": {"2"}}, nil).Body, `"products"`)
}
