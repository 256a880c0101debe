package whmcsemu_test

// The kinds of the answers of the Billing actions of the second half
// (quotes, pay methods, credit, capture, transactions, the invoicing
// cron), added to kindsCases (kinds_test.go), with their types.

import "net/url"

func init() {
	quotes := []string{"testdata/fixtures/quotes.json"}
	billing := []string{"testdata/fixtures/billing.json"}
	renewals := []string{"testdata/fixtures/renewals.json"}
	kindsCases = append(kindsCases,
		kindsCase{action: "AcceptQuote", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"AcceptQuote"}, "quoteid": {"1"}}},
			v8: new(kindsAcceptQuote)},
		kindsCase{action: "AddPayMethod", fixtures: quotes, golden: "credit-card", steps: []url.Values{
			{"action": {"AddPayMethod"}, "clientid": {"2"}, "description": {"Office card"}, "card_number": {"5555-5555-5555-4444"}, "card_expiry": {"0119"}, "card_start": {"01/15"}, "card_issue_number": {"2"}}},
			v8: new(kindsPayMethodIDs)},
		kindsCase{action: "ApplyCredit", fixtures: billing, golden: "partial", steps: []url.Values{
			{"action": {"AddCredit"}, "clientid": {"1"}, "amount": {"30"}},
			{"action": {"ApplyCredit"}, "invoiceid": {"1"}, "amount": {"10"}}},
			v8: new(kindsApplyCredit)},
		kindsCase{action: "CapturePayment", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"CreateInvoice"}, "userid": {"1"}, "paymentmethod": {"stripe"}, "itemdescription1": {"Hosting"}, "itemamount1": {"15.95"}},
			{"action": {"CapturePayment"}, "invoiceid": {"1"}, "cvv": {"123"}}},
			v8: new(kindsResultOnly)},
		kindsCase{action: "CreateQuote", golden: "success", steps: []url.Values{
			{"action": {"CreateQuote"}, "subject": {"Widgets"}, "stage": {"Draft"}, "validuntil": {"18/12/2016"}, "userid": {"2"}, "lineitems[0][desc]": {"Widget"}, "lineitems[0][qty]": {"2"}, "lineitems[0][up]": {"9.99"}}},
			v8: new(kindsCreateQuote)},
		kindsCase{action: "DeletePayMethod", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"DeletePayMethod"}, "clientid": {"1"}, "paymethodid": {"2"}, "failonremotefailure": {"1"}}},
			v8: new(kindsDeletePayMethod)},
		kindsCase{action: "DeleteQuote", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"DeleteQuote"}, "quoteid": {"1"}}},
			v8: new(kindsResultOnly)},
		kindsCase{action: "GenInvoices", fixtures: renewals, golden: "client", steps: []url.Values{
			{"action": {"GenInvoices"}, "clientid": {"2"}, "noemails": {"1"}}},
			v8: new(kindsGenInvoices)},
		kindsCase{action: "GetPayMethods", fixtures: quotes, golden: "all", steps: []url.Values{
			{"action": {"GetPayMethods"}, "clientid": {"1"}}},
			v8: new(kindsGetPayMethods)},
		kindsCase{action: "GetQuotes", fixtures: quotes, golden: "all", steps: []url.Values{
			{"action": {"GetQuotes"}}},
			v8: new(kindsGetQuotes), v7: new(kindsGetQuotes7)},
		kindsCase{action: "SendQuote", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"SendQuote"}, "quoteid": {"1"}}},
			v8: new(kindsResultOnly)},
		kindsCase{action: "UpdatePayMethod", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"UpdatePayMethod"}, "clientid": {"1"}, "paymethodid": {"2"}, "card_number": {"4000056655665556"}, "card_expiry": {"0320"}}},
			v8: new(kindsPayMethodIDs)},
		kindsCase{action: "UpdateQuote", fixtures: quotes, golden: "success", steps: []url.Values{
			{"action": {"UpdateQuote"}, "quoteid": {"1"}, "subject": {"Bigger fruit basket"}, "stage": {"delivered"}}},
			v8: new(kindsResultOnly)},
		kindsCase{action: "UpdateTransaction", fixtures: billing, golden: "success", steps: []url.Values{
			{"action": {"UpdateTransaction"}, "transactionid": {"1"}, "amountin": {"5"}, "fees": {"0.30"}}},
			v8: new(kindsUpdateTransaction)},
	)
}

type kindsAcceptQuote struct {
	Result    string `json:"result"`
	Invoiceid int64  `json:"invoiceid"`
}

type kindsCreateQuote struct {
	Result  string `json:"result"`
	Quoteid int64  `json:"quoteid"`
}

type kindsPayMethodIDs struct {
	Result      string `json:"result"`
	Clientid    int64  `json:"clientid"`
	Paymethodid int64  `json:"paymethodid"`
}

type kindsDeletePayMethod struct {
	Result      string `json:"result"`
	Paymethodid int64  `json:"paymethodid"`
}

type kindsApplyCredit struct {
	Result      string `json:"result"`
	Invoiceid   int64  `json:"invoiceid"`
	Amount      string `json:"amount"`
	Invoicepaid string `json:"invoicepaid"`
}

type kindsGenInvoices struct {
	Result          string `json:"result"`
	Numcreated      int64  `json:"numcreated"`
	Latestinvoiceid int64  `json:"latestinvoiceid"`
}

type kindsUpdateTransaction struct {
	Result        string `json:"result"`
	Transactionid int64  `json:"transactionid"`
}

type kindsGetPayMethods struct {
	Result     string `json:"result"`
	Clientid   int64  `json:"clientid"`
	Paymethods []struct {
		ID           int64   `json:"id"`
		Type         string  `json:"type"`
		Description  string  `json:"description"`
		GatewayName  string  `json:"gateway_name"`
		ContactType  string  `json:"contact_type"`
		ContactID    int64   `json:"contact_id"`
		CardLastFour *string `json:"card_last_four,omitempty"`
		ExpiryDate   *string `json:"expiry_date,omitempty"`
		StartDate    *string `json:"start_date,omitempty"`
		IssueNumber  *string `json:"issue_number,omitempty"`
		CardType     *string `json:"card_type,omitempty"`
		BankName     *string `json:"bank_name,omitempty"`
		RemoteToken  string  `json:"remote_token"`
		LastUpdated  string  `json:"last_updated"`
	} `json:"paymethods"`
}

type kindsQuoteItems struct {
	Item []struct {
		ID          int64  `json:"id"`
		Description string `json:"description"`
		Quantity    string `json:"quantity"`
		Unitprice   string `json:"unitprice"`
		Discount    string `json:"discount"`
		Taxable     int64  `json:"taxable"`
	} `json:"item"`
}

type kindsQuoteClient struct {
	ID          int64  `json:"id"`
	Firstname   string `json:"firstname"`
	Lastname    string `json:"lastname"`
	Companyname string `json:"companyname"`
	Email       string `json:"email"`
	Datecreated string `json:"datecreated"`
	Groupid     int64  `json:"groupid"`
	Status      string `json:"status"`
}

// kindsQuote is a quote as every version sends it but its client.
type kindsQuote struct {
	ID          int64  `json:"id"`
	Subject     string `json:"subject"`
	Stage       string `json:"stage"`
	Validuntil  string `json:"validuntil"`
	Userid      int64  `json:"userid"`
	Firstname   string `json:"firstname"`
	Lastname    string `json:"lastname"`
	Companyname string `json:"companyname"`
	kindsPostal
	TaxID         string          `json:"tax_id"`
	Currency      int64           `json:"currency"`
	Subtotal      string          `json:"subtotal"`
	Tax1          string          `json:"tax1"`
	Tax2          string          `json:"tax2"`
	Total         string          `json:"total"`
	Proposal      string          `json:"proposal"`
	Customernotes string          `json:"customernotes"`
	Adminnotes    string          `json:"adminnotes"`
	Datecreated   string          `json:"datecreated"`
	Lastmodified  string          `json:"lastmodified"`
	Datesent      string          `json:"datesent"`
	Dateaccepted  string          `json:"dateaccepted"`
	Items         kindsQuoteItems `json:"items"`
}

type kindsGetQuotes struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Quotes       struct {
		Quote []struct {
			kindsQuote
			Client *kindsQuoteClient `json:"client"`
		} `json:"quote"`
	} `json:"quotes"`
}

// kindsGetQuotes7: before WHMCS 8.7 a quote has no client.
type kindsGetQuotes7 struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Quotes       struct {
		Quote []struct {
			kindsQuote
			Client kindsAbsent `json:"client"`
		} `json:"quote"`
	} `json:"quotes"`
}
