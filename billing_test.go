package whmcsemu_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// blInvoice is GetInvoice's answer, as much as these tests read.
type blInvoice struct {
	Result   string `json:"result"`
	Message  string `json:"message"`
	Status   string `json:"status"`
	DatePaid string `json:"datepaid"`
	Total    string `json:"total"`
	Credit   string `json:"credit"`
	Balance  string `json:"balance"`
	Items    struct {
		Item []struct {
			ID          int64  `json:"id"`
			Description string `json:"description"`
			Amount      string `json:"amount"`
		} `json:"item"`
	} `json:"items"`
}

// blStats is GetClientsDetails' answer with stats, as much as these tests read.
type blStats struct {
	Result string `json:"result"`
	Client struct {
		Credit string `json:"credit"`
	} `json:"client"`
	Stats struct {
		NumDueInvoices       int    `json:"numdueinvoices"`
		DueInvoicesBalance   string `json:"dueinvoicesbalance"`
		InCredit             bool   `json:"incredit"`
		CreditBalance        string `json:"creditbalance"`
		GrossRevenue         string `json:"grossRevenue"`
		Expenses             string `json:"expenses"`
		Income               string `json:"income"`
		NumUnpaidInvoices    int    `json:"numunpaidinvoices"`
		UnpaidInvoicesAmount string `json:"unpaidinvoicesamount"`
		NumPaidInvoices      int    `json:"numpaidinvoices"`
		PaidInvoicesAmount   string `json:"paidinvoicesamount"`
	} `json:"stats"`
}

// getInvoice is GetInvoice's answer for invoice id.
func getInvoice(t *testing.T, srv *whmcstest.Server, id string) (got blInvoice) {
	t.Helper()
	must(t, srv, "GetInvoice", url.Values{"invoiceid": {id}}, &got)
	return got
}

// getStats is GetClientsDetails' answer with stats for a client.
func getStats(t *testing.T, srv *whmcstest.Server, clientID string) (got blStats) {
	t.Helper()
	must(t, srv, "GetClientsDetails", url.Values{"clientid": {clientID}, "stats": {"1"}}, &got)
	return got
}

// An invoice paid in two parts: Unpaid with a balance after the first,
// Paid (with its date) after the second; both payments are transactions of
// the invoice, and the client's figures follow.
func TestBillingPaymentLifecycle(t *testing.T) {
	srv := newDemo(t)
	var created struct {
		InvoiceID json.Number `json:"invoiceid"`
		Status    string      `json:"status"`
	}
	call(t, srv, "CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"Hosting"},
		"itemamount1": {"15.95"}, "itemdescription2": {"Setup"}, "itemamount2": {"4.05"}}, &created)
	require.Equal(t, "1", created.InvoiceID.String())
	assert.Equal(t, "Unpaid", created.Status)
	assert.Equal(t, "20.00", getInvoice(t, srv, "1").Balance)
	stats := getStats(t, srv, "1").Stats
	assert.Equal(t, 1, stats.NumDueInvoices)
	assert.Equal(t, "$20.00 USD", stats.DueInvoicesBalance)

	must(t, srv, "AddInvoicePayment", url.Values{"invoiceid": {"1"}, "transid": {"T1"}, "gateway": {"paypal"},
		"date": {"2016-11-18 09:00:00"}, "amount": {"12.50"}, "fees": {"0.50"}}, nil)
	inv := getInvoice(t, srv, "1")
	assert.Equal(t, "Unpaid", inv.Status)
	assert.Equal(t, "7.50", inv.Balance)
	assert.Equal(t, "0000-00-00 00:00:00", inv.DatePaid)

	must(t, srv, "AddInvoicePayment", url.Values{"invoiceid": {"1"}, "transid": {"T2"}, "gateway": {"paypal"}}, nil)
	inv = getInvoice(t, srv, "1")
	assert.Equal(t, "Paid", inv.Status)
	assert.Equal(t, "0.00", inv.Balance)
	assert.Equal(t, "2016-11-18 09:32:24", inv.DatePaid, "the second payment's date: now")

	var txs struct {
		TotalResults int `json:"totalresults"`
		Transactions struct {
			Transaction []struct {
				TransID     string `json:"transid"`
				AmountIn    string `json:"amountin"`
				Description string `json:"description"`
				UserID      string `json:"userid"`
			} `json:"transaction"`
		} `json:"transactions"`
	}
	call(t, srv, "GetTransactions", url.Values{"invoiceid": {"1"}}, &txs)
	require.Equal(t, 2, txs.TotalResults)
	assert.Equal(t, "T1", txs.Transactions.Transaction[0].TransID)
	assert.Equal(t, "12.50", txs.Transactions.Transaction[0].AmountIn)
	assert.Equal(t, "7.50", txs.Transactions.Transaction[1].AmountIn)
	assert.Equal(t, "Invoice Payment", txs.Transactions.Transaction[1].Description)
	assert.Equal(t, "1", txs.Transactions.Transaction[1].UserID)

	stats = getStats(t, srv, "1").Stats
	assert.Equal(t, 0, stats.NumDueInvoices)
	assert.Equal(t, 1, stats.NumPaidInvoices)
	assert.Equal(t, "$20.00 USD", stats.PaidInvoicesAmount)
	assert.Equal(t, "$20.00 USD", stats.GrossRevenue)
	assert.Equal(t, "$0.50 USD", stats.Expenses)
	assert.Equal(t, "$19.50 USD", stats.Income)

	var cancelled struct{ Message string }
	must(t, srv, "UpdateInvoice", url.Values{"invoiceid": {"1"}, "status": {"Cancelled"}}, nil)
	call(t, srv, "AddInvoicePayment", url.Values{"invoiceid": {"1"}, "transid": {"T3"}, "gateway": {"paypal"}}, &cancelled)
	assert.Equal(t, "It is not possible to add a payment to an invoice that is Cancelled", cancelled.Message)
}

// Credit added shows in the log, the client's details and stats; applied to
// an invoice it leaves the balance and is logged as taken.
func TestBillingCredit(t *testing.T) {
	srv := newDemo(t)
	var added struct {
		NewBalance string `json:"newbalance"`
	}
	call(t, srv, "AddCredit", url.Values{"clientid": {"2"}, "amount": {"25"}, "description": {"Refund"}}, &added)
	assert.Equal(t, "25.00", added.NewBalance)
	details := getStats(t, srv, "2")
	assert.Equal(t, "25.00", details.Client.Credit)
	assert.True(t, details.Stats.InCredit)
	assert.Equal(t, "$25.00 USD", details.Stats.CreditBalance)

	var created struct {
		InvoiceID json.Number `json:"invoiceid"`
	}
	call(t, srv, "CreateInvoice", url.Values{"userid": {"2"}, "autoapplycredit": {"1"},
		"itemdescription1": {"Big"}, "itemamount1": {"40"}}, &created)
	inv := getInvoice(t, srv, created.InvoiceID.String())
	assert.Equal(t, "25.00", inv.Credit)
	assert.Equal(t, "15.00", inv.Balance)
	assert.Equal(t, "Unpaid", inv.Status, "the credit does not cover it")
	assert.Equal(t, "0.00", getStats(t, srv, "2").Client.Credit)

	var credits struct {
		TotalResults int   `json:"totalresults"`
		ClientID     int64 `json:"clientid"`
		Credits      struct {
			Credit []struct {
				Description string `json:"description"`
				Amount      string `json:"amount"`
			} `json:"credit"`
		} `json:"credits"`
	}
	call(t, srv, "GetCredits", url.Values{"clientid": {"2"}}, &credits)
	require.Equal(t, 2, credits.TotalResults)
	assert.Equal(t, "25.00", credits.Credits.Credit[0].Amount)
	assert.Equal(t, "Credit Applied to Invoice #"+created.InvoiceID.String(), credits.Credits.Credit[1].Description)
	assert.Equal(t, "-25.00", credits.Credits.Credit[1].Amount)
}

// A failed billing action writes nothing: a duplicate transaction id
// leaves the transactions and the client's credit as they were.
func TestBillingErrorWritesNothing(t *testing.T) {
	srv := newDemo(t)
	must(t, srv, "AddTransaction", url.Values{"paymentmethod": {"paypal"}, "userid": {"1"}, "transid": {"X1"},
		"amountin": {"5"}, "credit": {"1"}}, nil)
	var failed struct{ Message string }
	call(t, srv, "AddTransaction", url.Values{"paymentmethod": {"paypal"}, "userid": {"1"}, "transid": {"X1"},
		"amountin": {"5"}, "credit": {"1"}}, &failed)
	assert.Equal(t, "Transaction ID must be Unique", failed.Message)
	var txs struct {
		TotalResults int `json:"totalresults"`
	}
	call(t, srv, "GetTransactions", url.Values{"clientid": {"1"}}, &txs)
	assert.Equal(t, 1, txs.TotalResults)
	assert.Equal(t, "5.00", getStats(t, srv, "1").Client.Credit)
}
