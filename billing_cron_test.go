package whmcsemu_test

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

// blGenerated is GenInvoices' answer.
type blGenerated struct {
	Result          string `json:"result"`
	NumCreated      int64  `json:"numcreated"`
	LatestInvoiceID *int64 `json:"latestinvoiceid"`
}

// blLine is a line of GetInvoice's answer, with what GenInvoices sets.
type blLine struct {
	ID          int64  `json:"id"`
	Type        string `json:"type"`
	RelID       int64  `json:"relid"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
}

// blInvoiceLines is GetInvoice's answer with its lines.
type blInvoiceLines struct {
	Status   string `json:"status"`
	DueDate  string `json:"duedate"`
	Total    string `json:"total"`
	Balance  string `json:"balance"`
	DatePaid string `json:"datepaid"`
	Items    struct {
		Item []blLine `json:"item"`
	} `json:"items"`
}

// nextDueDate is a service's next due date as GetClientsProducts shows it.
func nextDueDate(t *testing.T, s *whmcstest.Server, clientID, serviceID string) string {
	t.Helper()
	var products struct {
		Products struct {
			Product []struct {
				ID          string `json:"id"`
				NextDueDate string `json:"nextduedate"`
			} `json:"product"`
		} `json:"products"`
	}
	must(t, s, "GetClientsProducts", url.Values{"clientid": {clientID}, "serviceid": {serviceID}}, &products)
	require.Len(t, products.Products.Product, 1)
	return products.Products.Product[0].NextDueDate
}

// advanceClock moves the emulator's clock through the control plane.
func advanceClock(t *testing.T, s *whmcstest.Server, d string) {
	t.Helper()
	resp, err := s.Client().Post(s.URL+"/_whmcsemu/clock", "application/json", strings.NewReader(`{"advance":"`+d+`"}`))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestBillingCronScenario: a client with a monthly service due in ten
// days gets one invoice of one line from GenInvoices, and nothing more the
// same day; a month later the next one. CapturePayment charges a stored
// card for each, which pays them and moves the service's next due date on
// a month each time; a quote accepted becomes an invoice GetInvoices
// lists. The emails are in the outbox and the card number nowhere.
func TestBillingCronScenario(t *testing.T) {
	s := newDemo(t)
	load(t, s, `{"paymentMethods": [{"module": "paypal", "displayName": "PayPal"},
		{"module": "banktransfer", "displayName": "Bank Transfer"}, {"module": "stripe", "displayName": "Stripe"}]}`)
	// Sam's Business service: monthly, 20.00, due in ten days (18th Nov 2016).
	must(t, s, "UpdateClientProduct", url.Values{"serviceid": {"2"}, "nextduedate": {"2016-11-28"},
		"billingcycle": {"Monthly"}, "recurringamount": {"20"}, "paymentmethod": {"stripe"}}, nil)

	var gen blGenerated
	must(t, s, "GenInvoices", url.Values{"clientid": {"2"}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated)
	require.NotNil(t, gen.LatestInvoiceID)
	first := *gen.LatestInvoiceID
	var inv blInvoiceLines
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(first, 10)}}, &inv)
	require.Len(t, inv.Items.Item, 1)
	assert.Equal(t, blLine{ID: inv.Items.Item[0].ID, Type: "Hosting", RelID: 2,
		Description: "Web Hosting - Business - roe.example (28/11/2016 - 27/12/2016)", Amount: "20.00"}, inv.Items.Item[0])
	assert.Equal(t, "2016-11-28", inv.DueDate)
	assert.Equal(t, "Unpaid", inv.Status)

	must(t, s, "GenInvoices", nil, &gen)
	assert.Equal(t, int64(0), gen.NumCreated, "a second run the same day invents nothing")

	advanceClock(t, s, "720h") // 18th December: the period from the 28th is due within 14 days
	must(t, s, "GenInvoices", url.Values{"clientid": {"2"}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated)
	second := *gen.LatestInvoiceID
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(second, 10)}}, &inv)
	require.Len(t, inv.Items.Item, 1)
	assert.Equal(t, "Web Hosting - Business - roe.example (28/12/2016 - 27/01/2017)", inv.Items.Item[0].Description)
	must(t, s, "GenInvoices", nil, &gen)
	assert.Equal(t, int64(0), gen.NumCreated)

	// Without a pay method the charge fails and writes nothing.
	r := call(t, s, "CapturePayment", url.Values{"invoiceid": {strconv.FormatInt(first, 10)}}, nil)
	assert.Equal(t, "Payment Attempt Failed", r.Message)

	var pm struct {
		PayMethodID int64 `json:"paymethodid"`
	}
	must(t, s, "AddPayMethod", url.Values{"clientid": {"2"}, "type": {"RemoteCreditCard"}, "gateway_module_name": {"stripe"},
		"description": {"Sam's Visa"}, "card_number": {"4242 4242 4242 4242"}, "card_expiry": {"12/30"}}, &pm)
	require.NotZero(t, pm.PayMethodID)

	assert.Equal(t, "2016-11-28", nextDueDate(t, s, "2", "2"))
	for i, id := range []int64{first, second} {
		must(t, s, "CapturePayment", url.Values{"invoiceid": {strconv.FormatInt(id, 10)}, "cvv": {"123"}}, nil)
		must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(id, 10)}}, &inv)
		assert.Equal(t, "Paid", inv.Status)
		assert.Equal(t, "0.00", inv.Balance)
		assert.Equal(t, []string{"2016-12-28", "2017-01-28"}[i], nextDueDate(t, s, "2", "2"), "paying moves it on a month")
	}
	var txs struct {
		Transactions struct {
			Transaction []struct {
				Gateway  string `json:"gateway"`
				AmountIn string `json:"amountin"`
			} `json:"transaction"`
		} `json:"transactions"`
	}
	must(t, s, "GetTransactions", url.Values{"invoiceid": {strconv.FormatInt(first, 10)}}, &txs)
	require.Len(t, txs.Transactions.Transaction, 1)
	assert.Equal(t, "stripe", txs.Transactions.Transaction[0].Gateway)
	assert.Equal(t, "20.00", txs.Transactions.Transaction[0].AmountIn)
	r = call(t, s, "CapturePayment", url.Values{"invoiceid": {strconv.FormatInt(first, 10)}}, nil)
	assert.Equal(t, "Invoice Not Found or Not Unpaid", r.Message)

	// A quote accepted becomes an invoice GetInvoices lists, with its lines.
	var quote struct {
		QuoteID int64 `json:"quoteid"`
	}
	must(t, s, "CreateQuote", url.Values{"subject": {"Migration"}, "stage": {"Delivered"}, "validuntil": {"31/12/2016"},
		"userid": {"2"}, "lineitems[0][desc]": {"Site migration"}, "lineitems[0][up]": {"150"},
		"lineitems[1][desc]": {"Training hour"}, "lineitems[1][qty]": {"2"}, "lineitems[1][up]": {"40"}}, &quote)
	var accepted struct {
		InvoiceID int64 `json:"invoiceid"`
	}
	must(t, s, "AcceptQuote", url.Values{"quoteid": {strconv.FormatInt(quote.QuoteID, 10)}}, &accepted)
	var list struct {
		TotalResults int64 `json:"totalresults"`
		Invoices     struct {
			Invoice []struct {
				ID     int64  `json:"id"`
				Total  string `json:"total"`
				Status string `json:"status"`
			} `json:"invoice"`
		} `json:"invoices"`
	}
	must(t, s, "GetInvoices", url.Values{"userid": {"2"}}, &list)
	require.Equal(t, int64(3), list.TotalResults)
	last := list.Invoices.Invoice[2]
	assert.Equal(t, accepted.InvoiceID, last.ID)
	assert.Equal(t, "230.00", last.Total)
	assert.Equal(t, "Unpaid", last.Status)
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(accepted.InvoiceID, 10)}}, &inv)
	require.Len(t, inv.Items.Item, 2)
	assert.Equal(t, "2 x Training hour", inv.Items.Item[1].Description)
	var quotes struct {
		Quotes struct {
			Quote []struct {
				Stage        string `json:"stage"`
				DateAccepted string `json:"dateaccepted"`
			} `json:"quote"`
		} `json:"quotes"`
	}
	must(t, s, "GetQuotes", url.Values{"quoteid": {strconv.FormatInt(quote.QuoteID, 10)}}, &quotes)
	require.Len(t, quotes.Quotes.Quote, 1)
	assert.Equal(t, "Accepted", quotes.Quotes.Quote[0].Stage)
	assert.Equal(t, "2016-12-18", quotes.Quotes.Quote[0].DateAccepted)

	var details struct {
		Stats struct {
			NumQuotes         int64 `json:"numquotes"`
			NumAcceptedQuotes int64 `json:"numacceptedquotes"`
		} `json:"stats"`
	}
	must(t, s, "GetClientsDetails", url.Values{"clientid": {"2"}, "stats": {"1"}}, &details)
	assert.Equal(t, int64(1), details.Stats.NumQuotes)
	assert.Equal(t, int64(1), details.Stats.NumAcceptedQuotes)

	// The emails, newest first: all to Sam.
	var templates []string
	for _, e := range outbox(t, s, "clientId=2") {
		assert.Equal(t, "sam@example.com", e.To)
		templates = append(templates, e.Template)
	}
	assert.Equal(t, []string{"Quote Accepted", "Credit Card Payment Confirmation", "Credit Card Payment Confirmation",
		"Invoice Created", "Invoice Created"}, templates)
	assert.Contains(t, outbox(t, s, "clientId=2")[1].Message, "ending 4242")
	assert.NotContains(t, export(t, s, nil), "4242 4242", "no card number is kept")
}

// GenInvoices' noemails sends nothing; CreateInvoiceDaysBefore widens or
// narrows the window.
func TestBillingCronWindowAndEmails(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/renewals.json")
	must(t, s, "SetConfigurationValue", url.Values{"setting": {"CreateInvoiceDaysBefore"}, "value": {"5"}}, nil,
		localAPI{"admin"})
	var gen blGenerated
	must(t, s, "GenInvoices", url.Values{"noemails": {"1"}, "serviceids": {"1,2"}, "domainids[]": {"1"}}, &gen)
	assert.Equal(t, int64(0), gen.NumCreated, "nothing is due within 5 days")
	must(t, s, "SetConfigurationValue", url.Values{"setting": {"CreateInvoiceDaysBefore"}, "value": {"45"}}, nil,
		localAPI{"admin"})
	must(t, s, "GenInvoices", url.Values{"noemails": {"1"}, "serviceids": {"1,2"}, "domainids[]": {"1"}}, &gen)
	assert.Equal(t, int64(2), gen.NumCreated, "within 45 days: service 1 (twice), domain 1, service 2 (on its own gateway)")
	assert.Empty(t, outbox(t, s, ""))
	r := call(t, s, "SetConfigurationValue", url.Values{"setting": {"CreateInvoiceDaysBefore"}, "value": {"soon"}}, nil,
		localAPI{"admin"})
	assert.Equal(t, "Invalid value for CreateInvoiceDaysBefore: use a whole number of days from 0 to 999", r.Message)
}

// SendQuote emails a client's quote to the client and a lead's to the
// lead's address; ApplyCredit that pays an invoice sends its confirmation
// unless noemail.
func TestBillingQuoteAndCreditEmails(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/quotes.json")
	must(t, s, "SendQuote", url.Values{"quoteid": {"1"}}, nil)
	must(t, s, "SendQuote", url.Values{"quoteid": {"2"}}, nil)
	sent := outbox(t, s, "")
	require.Len(t, sent, 2)
	assert.Equal(t, "william@example.net", sent[0].To)
	assert.Equal(t, int64(0), sent[0].ClientID)
	assert.Equal(t, "Quote #2 - Managed hosting", sent[0].Subject)
	assert.Contains(t, sent[0].Message, "Dear William Smith")
	assert.Equal(t, "jane@example.com", sent[1].To)
	assert.Contains(t, sent[1].Message, "valid until 18/12/2016")

	must(t, s, "AddCredit", url.Values{"clientid": {"1"}, "amount": {"50"}}, nil)
	must(t, s, "CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"A"}, "itemamount1": {"10"}}, nil)
	must(t, s, "CreateInvoice", url.Values{"userid": {"1"}, "itemdescription1": {"B"}, "itemamount1": {"10"}}, nil)
	must(t, s, "ApplyCredit", url.Values{"invoiceid": {"1"}, "amount": {"full"}, "noemail": {"1"}}, nil)
	must(t, s, "ApplyCredit", url.Values{"invoiceid": {"2"}, "amount": {"full"}}, nil)
	sent = outbox(t, s, "")
	require.Len(t, sent, 3)
	assert.Equal(t, "Invoice Payment Confirmation", sent[0].Template)
	assert.Contains(t, sent[0].Message, "$10.00 USD for invoice #2")
	var client struct {
		Credit string `json:"credit"`
	}
	must(t, s, "GetClientsDetails", url.Values{"clientid": {"1"}}, &client)
	assert.Equal(t, "30.00", client.Credit)
}

// DeleteClient removes the client's quotes and pay methods; a lead's
// quotes stay.
func TestBillingDeleteClientRemovesQuotesAndPayMethods(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/quotes.json")
	must(t, s, "DeleteClient", url.Values{"clientid": {"1"}}, nil)
	var quotes struct {
		TotalResults int64 `json:"totalresults"`
	}
	must(t, s, "GetQuotes", url.Values{"userid": {"1"}}, &quotes)
	assert.Zero(t, quotes.TotalResults)
	must(t, s, "GetQuotes", nil, &quotes)
	assert.Equal(t, int64(2), quotes.TotalResults, "the leads' quotes stay")
	r := call(t, s, "GetPayMethods", url.Values{"clientid": {"1"}}, nil)
	assert.Equal(t, "Client Not Found", r.Message)
	var doc struct {
		PayMethods []struct {
			ClientID int64 `json:"clientId"`
		} `json:"payMethods"`
	}
	export(t, s, &doc)
	require.Len(t, doc.PayMethods, 1)
	assert.Equal(t, int64(2), doc.PayMethods[0].ClientID)
}

// blClientAddon is an addon as GetClientsAddons lists it, with its dates.
type blClientAddon struct {
	ID              string `json:"id"`
	Status          string `json:"status"`
	NextDueDate     string `json:"nextduedate"`
	NextInvoiceDate string `json:"nextinvoicedate"`
}

// clientAddon reads one client addon from GetClientsAddons.
func clientAddon(t *testing.T, s *whmcstest.Server, clientID, id string) blClientAddon {
	t.Helper()
	var got struct {
		Addons struct {
			Addon []blClientAddon `json:"addon"`
		} `json:"addons"`
	}
	must(t, s, "GetClientsAddons", url.Values{"clientid": {clientID}}, &got)
	for _, a := range got.Addons.Addon {
		if a.ID == id {
			return a
		}
	}
	require.Failf(t, "no such addon", "client %s has no addon %s", clientID, id)
	return blClientAddon{}
}

// GenInvoices invoices client addons as WHMCS's cron does: an Addon line
// per period due within the window (relid the addon; the setup fee on the
// first period), addonids picks them, Pending addons wait; paying the line
// moves the addon's next due and next invoice dates on by its cycle.
func TestBillingCronInvoicesAddons(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/renewals.json")
	load(t, s, `{"clientAddons": [
		{"id": 1, "serviceId": 1, "name": "Daily Backups", "recurring": "2.50", "billingCycle": "Monthly",
		 "status": "Active", "regDate": "2016-10-28", "nextDueDate": "2016-11-28", "paymentMethod": "paypal"},
		{"id": 2, "serviceId": 1, "name": "Not yet", "recurring": "4.00", "billingCycle": "Monthly",
		 "status": "Pending", "regDate": "2016-11-18", "nextDueDate": "2016-11-18", "paymentMethod": "paypal"},
		{"id": 3, "serviceId": 2, "name": "SSL Certificate", "qty": 2, "setupFee": "10.00", "recurring": "59.90",
		 "billingCycle": "Annually", "status": "Active", "regDate": "2016-11-30", "nextDueDate": "2016-11-30",
		 "paymentMethod": "banktransfer"}]}`)

	var gen blGenerated
	must(t, s, "GenInvoices", url.Values{"addonids[]": {"1"}, "noemails": {"1"}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated, "addonids picks the addon alone")
	var inv blInvoiceLines
	must(t, s, "GetInvoice", url.Values{"invoiceid": {"1"}}, &inv)
	require.Len(t, inv.Items.Item, 1)
	assert.Equal(t, blLine{ID: inv.Items.Item[0].ID, Type: "Addon", RelID: 1,
		Description: "Addon (doe-widgets.example) - Daily Backups (28/11/2016 - 27/12/2016)", Amount: "2.50"},
		inv.Items.Item[0])
	assert.Equal(t, "2016-11-28", inv.DueDate)
	assert.Equal(t, "2016-11-28", clientAddon(t, s, "1", "1").NextDueDate, "invoicing leaves the next due date")
	assert.Equal(t, "2016-12-28", clientAddon(t, s, "1", "1").NextInvoiceDate, "and moves the next invoice date on")

	must(t, s, "GenInvoices", url.Values{"addonids": {"1,2"}}, &gen)
	assert.Equal(t, int64(0), gen.NumCreated, "invoiced once; a Pending addon waits")

	must(t, s, "GenInvoices", url.Values{"clientid": {"2"}, "noemails": {"1"}}, &gen)
	require.Equal(t, int64(1), gen.NumCreated, "client 2: its addon and billable items, all on bank transfer")
	var list struct {
		Invoices struct {
			Invoice []struct {
				ID int64 `json:"id"`
			} `json:"invoice"`
		} `json:"invoices"`
	}
	must(t, s, "GetInvoices", url.Values{"userid": {"2"}}, &list)
	var ssl []blLine
	for _, i := range list.Invoices.Invoice {
		must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(i.ID, 10)}}, &inv)
		for _, l := range inv.Items.Item {
			if l.Type == "Addon" {
				ssl = append(ssl, l)
			}
		}
	}
	require.Len(t, ssl, 1)
	assert.Equal(t, int64(3), ssl[0].RelID)
	assert.Equal(t, "2 x Addon (roe.example) - SSL Certificate (30/11/2016 - 29/11/2017)", ssl[0].Description)
	assert.Equal(t, "69.90", ssl[0].Amount, "the first period carries the setup fee")

	must(t, s, "AddInvoicePayment", url.Values{"invoiceid": {"1"}, "transid": {"T-ADDON-1"}, "gateway": {"paypal"},
		"amount": {"2.50"}}, nil)
	must(t, s, "GetInvoice", url.Values{"invoiceid": {"1"}}, &inv)
	assert.Equal(t, "Paid", inv.Status)
	got := clientAddon(t, s, "1", "1")
	assert.Equal(t, "2016-12-28", got.NextDueDate, "paying moves the addon on a month")
	assert.Equal(t, "2016-12-28", got.NextInvoiceDate)
	assert.Equal(t, "2016-11-18", clientAddon(t, s, "1", "2").NextDueDate, "the Pending addon stays")
}

// GenInvoices, WHMCS's cron's invoice task, records each run in the
// automation log as that task does (namespace CreateInvoices.invoice.created,
// the invoices it made), which GetAutomationLog sums by day and finds by
// the docs' example namespace, createinvoices.
func TestBillingCronLogsAutomation(t *testing.T) {
	s := newDemo(t, "testdata/fixtures/renewals.json")
	type automationLog struct {
		LastDailyCronInvocationTime string                      `json:"lastDailyCronInvocationTime"`
		Statistics                  map[string]map[string]int64 `json:"statistics"`
	}
	r := must(t, s, "GetAutomationLog", nil, nil)
	assert.Contains(t, r.Body, `"lastDailyCronInvocationTime":"","startdate"`)
	assert.Contains(t, r.Body, `"statistics":[]`, "nothing has run")

	var gen blGenerated
	must(t, s, "GenInvoices", url.Values{"noemails": {"1"}}, &gen)
	require.Equal(t, int64(3), gen.NumCreated)
	must(t, s, "GenInvoices", nil, &gen)
	require.Equal(t, int64(0), gen.NumCreated)
	advanceClock(t, s, "24h")
	must(t, s, "GenInvoices", url.Values{"clientid": {"2"}}, &gen)

	var log automationLog
	must(t, s, "GetAutomationLog", url.Values{"startdate": {"2016-11-18"}, "enddate": {"2016-11-19"},
		"namespace": {"createinvoices"}}, &log)
	assert.Equal(t, map[string]map[string]int64{
		"2016-11-18": {"CreateInvoices.invoice.created": 3},
		"2016-11-19": {"CreateInvoices.invoice.created": gen.NumCreated},
	}, log.Statistics, "every run is recorded, a run that made none too")
	assert.Equal(t, "2016-11-19 09:32:24", log.LastDailyCronInvocationTime)
}
