package whmcsemu_test

import (
	"database/sql"
	"encoding/json"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// The largest amount WHMCS's decimal(16,2) money columns hold.
const moneyMax = "99999999999999.99"

// moneyServer is a test server with the demo and order fixtures, and a
// function that answers an action and fails the test unless it was refused
// with the money range message and wrote nothing (PRAGMA data_version, read
// on a connection of the test's own, moves when another connection
// commits).
func moneyServer(t *testing.T) (*whmcstest.Server, func(action string, params url.Values)) {
	t.Helper()
	srv := newDemo(t, ordersFixture)
	watch, err := sql.Open("sqlite", "file:"+srv.Emulator().Path()+"?mode=ro")
	require.NoError(t, err)
	t.Cleanup(func() { watch.Close() })
	watch.SetMaxOpenConns(1)
	version := func() int64 {
		var v int64
		require.NoError(t, watch.QueryRow(`PRAGMA data_version`).Scan(&v))
		return v
	}
	refused := func(action string, params url.Values) {
		t.Helper()
		before := version()
		r := call(t, srv, action, params, nil)
		assert.Equal(t, "error", r.Result, "%s %v", action, params)
		assert.Equal(t, store.ErrMoneyRange.Error(), r.Message, "%s %v", action, params)
		assert.Equal(t, before, version(), "%s %v: refused but wrote", action, params)
	}
	return srv, refused
}

// The reproduction: two credits of 9999999999999.99 and one of 5.00 used
// to leave a balance of 5.00 (the stored balance, past the old parsing
// limit, read back as 0); an amount of 99999999999999 answered success and
// recorded 0.00. A balance past decimal(16,2) is refused, nothing written.
func TestBillingMoneyCreditBalance(t *testing.T) {
	srv, refused := moneyServer(t)
	credit := func(amount string) string {
		t.Helper()
		var got struct {
			NewBalance string `json:"newbalance"`
		}
		must(t, srv, "AddCredit", url.Values{"clientid": {"1"}, "amount": {amount}}, &got)
		return got.NewBalance
	}
	assert.Equal(t, "9999999999999.99", credit("9999999999999.99"))
	assert.Equal(t, "19999999999999.98", credit("9999999999999.99"))
	assert.Equal(t, "20000000000004.98", credit("5.00"))
	assert.Equal(t, "20000000000004.98", getStats(t, srv, "1").Client.Credit)

	var got struct {
		NewBalance string `json:"newbalance"`
	}
	call(t, srv, "AddCredit", url.Values{"clientid": {"2"}, "amount": {"99999999999999"}}, &got)
	assert.Equal(t, "99999999999999.00", got.NewBalance)
	call(t, srv, "AddCredit", url.Values{"clientid": {"2"}, "amount": {"0.99"}}, &got)
	assert.Equal(t, moneyMax, got.NewBalance)
	refused("AddCredit", url.Values{"clientid": {"2"}, "amount": {"0.01"}})
	refused("AddCredit", url.Values{"clientid": {"3"}, "amount": {"100000000000000"}})
	// AddTransaction's credit=1 adds to the same balance.
	refused("AddTransaction", url.Values{"userid": {"2"}, "paymentmethod": {"paypal"}, "amountin": {"1"},
		"credit": {"1"}})
	assert.Equal(t, moneyMax, getStats(t, srv, "2").Client.Credit)
	// Taking it all away again is fine.
	call(t, srv, "AddCredit", url.Values{"clientid": {"2"}, "amount": {moneyMax}, "type": {"remove"}}, &got)
	assert.Equal(t, "0.00", got.NewBalance)
}

// An invoice's lines, taxes, total and balance: each amount fits, but what
// they add up to does not.
func TestBillingMoneyInvoiceSums(t *testing.T) {
	srv, refused := moneyServer(t)
	refused("CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"A"}, "itemamount1": {moneyMax},
		"itemdescription2": {"B"}, "itemamount2": {"0.01"}})
	refused("CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"A"}, "itemamount1": {"1e15"}})
	refused("CreateInvoice", url.Values{"userid": {"1"}, "taxrate": {"10"}, "itemdescription1": {"A"},
		"itemamount1": {"90909090909091"}, "itemtaxed1": {"1"}})
	refused("CreateInvoice", url.Values{"userid": {"1"}, "taxrate": {"1e300"}, "itemdescription1": {"A"},
		"itemamount1": {"1"}, "itemtaxed1": {"1"}})
	// Lines that cancel out are fine: only what is stored must fit.
	var created struct {
		InvoiceID json.Number `json:"invoiceid"`
	}
	call(t, srv, "CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"A"}, "itemamount1": {moneyMax},
		"itemdescription2": {"B"}, "itemamount2": {moneyMax}, "itemdescription3": {"C"},
		"itemamount3": {"-" + moneyMax}}, &created)
	require.Equal(t, "1", created.InvoiceID.String())
	assert.Equal(t, moneyMax, getInvoice(t, srv, "1").Total)

	refused("UpdateInvoice", url.Values{"invoiceid": {"1"}, "newitemdescription[]": {"D"}, "newitemamount[]": {"1"}})
	refused("UpdateInvoice", url.Values{"invoiceid": {"1"}, "credit": {"-1"}})
	// A payment of the whole balance leaves 0.00; one more of the largest
	// amount would leave a balance of -99999999999999.99, and one more past it.
	must(t, srv, "AddInvoicePayment", url.Values{"invoiceid": {"1"}, "gateway": {"paypal"}}, nil)
	refused("AddInvoicePayment", url.Values{"invoiceid": {"1"}, "gateway": {"paypal"}, "amount": {"1e14"}})
	must(t, srv, "AddTransaction", url.Values{"invoiceid": {"1"}, "paymentmethod": {"paypal"}, "amountin": {moneyMax}}, nil)
	refused("AddTransaction", url.Values{"invoiceid": {"1"}, "paymentmethod": {"paypal"}, "amountin": {"0.01"}})
	inv := getInvoice(t, srv, "1")
	assert.Equal(t, "-"+moneyMax, inv.Balance)
	assert.Equal(t, moneyMax, inv.Total)
}

// AddOrder adds its services' and domains' first payments into the order
// and invoice total; a product's price and setup fee add into a first
// payment. Neither may pass decimal(16,2), and nothing of the order stays.
func TestBillingMoneyOrderTotals(t *testing.T) {
	srv, refused := moneyServer(t)
	refused("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1", "1"},
		"priceoverride[]": {moneyMax, "0.01"}})
	refused("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "qty[]": {"2"},
		"priceoverride[]": {"50000000000000"}})
	refused("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"},
		"priceoverride[]": {moneyMax}, "domain[]": {"a.example"}, "domaintype[]": {"register"},
		"domainpriceoverride[]": {"0.01"}})
	refused("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "domain[]": {"a.example"},
		"domaintype[]": {"register"}, "domainpriceoverride[]": {"1e16"}})
	assert.Equal(t, 1, ordGet(t, srv, nil).TotalResults, "the fixture's order only")

	refused("AddProduct", url.Values{"gid": {"1"}, "name": {"Huge"}, "paytype": {"recurring"},
		"pricing[1][monthly]": {"100000000000000"}})
	var product struct {
		PID int64 `json:"pid"`
	}
	call(t, srv, "AddProduct", url.Values{"gid": {"1"}, "name": {"Dear"}, "paytype": {"recurring"},
		"pricing[1][monthly]": {moneyMax}, "pricing[1][msetupfee]": {"0.01"}}, &product)
	require.NotZero(t, product.PID)
	refused("AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {strconv.FormatInt(product.PID, 10)},
		"billingcycle[]": {"monthly"}})
}

// Amounts stored on their own: a billable item's and a service's.
func TestBillingMoneyStoredAmounts(t *testing.T) {
	_, refused := moneyServer(t)
	refused("AddBillableItem", url.Values{"clientid": {"1"}, "description": {"Work"}, "amount": {"1e14"},
		"unit": {"hours"}})
	refused("UpdateClientProduct", url.Values{"serviceid": {"1"}, "recurringamount": {"100000000000000"}})
}
