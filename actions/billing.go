// This file holds WHMCS's Billing actions: CreateInvoice, GetInvoice,
// GetInvoices, UpdateInvoice, AddInvoicePayment, AddBillableItem,
// AddTransaction, GetTransactions, AddCredit and GetCredits. Money is kept
// in cents and shown with two decimals; dates follow the emulator clock,
// in UTC. Every write runs in one transaction; an error writes nothing.
// GetInvoices and UpdateInvoice live in billing_invoices.go; the payment,
// transaction, credit and billable item actions in billing_payments.go.
//
// An invoice's balance is its total, less the credit applied to it and the
// payments in, plus the refunds out, of its transactions. Dates never set
// show as 0000-00-00 00:00:00, as WHMCS shows them.
//
// Every action here answers store.ErrMoneyRange's message ("Amount out of
// range: …", whmcsemu's wording) for an amount outside WHMCS's
// decimal(16,2) columns, or one that would take a subtotal, tax, total,
// invoice balance or credit balance past them; nothing is written then.
//
// CreateInvoice: "Client ID Not Found" · "Cannot create and send a draft
// invoice in a single API request. Please create and send separately." ·
// "Invalid Date Format - Expected: 'YYYY-mm-dd'" (date or duedate; the
// wording is AddBillableItem's, WHMCS documents none here). Lines come
// from itemdescriptionN / itemamountN / itemtaxedN, by N ascending; a line
// needs a description. status is one of the invoice statuses (any case),
// Unpaid otherwise; draft=1 makes a Draft. date and duedate default to
// today; paymentmethod to the first payment method; taxrate and taxrate2
// to 0 (tax rules are not emulated). An invoice created Paid is paid now.
// autoapplycredit=1 applies the client's credit, up to the total, as
// ApplyCredit does: the credit log gets "Credit Applied to Invoice #N"
// (negative, relid the invoice), and an invoice the credit covers is Paid. Emails are not sent. invoiceid is a
// number in every version (a live client on WHMCS 8, the Go client of 7.x
// and the docs' table agree; the example shows "1").
//
// GetInvoice: "Invoice ID Not Found". items is left out when the invoice
// has no lines; transactions is "" when it has none (the example), else
// transactions.transaction with GetTransactions' fields.
// lastcaptureattempt is never set; ccgateway is false.
//
// GetInvoices: no messages. Filters userid and status (any case; "Overdue"
// is Unpaid and due before today) combine with AND. orderby is id,
// invoicenumber, date, duedate, total or status (id otherwise); order asc
// (the default) or desc. limitnum defaults to 25; invoices.invoice is
// left out when the page is empty. paymethodid is null (an invoice names
// no pay method; CapturePayment picks one); the currency is the client's.
//
// UpdateInvoice: "Invoice ID Not Found" · "Invoice must be in Draft status
// to be published" · "Missing Variables: itemdescription, itemamount and
// itemtaxed are required for each item being changed" · "Invalid status
// <status>" · "Invalid Date Format - Expected: 'YYYY-mm-dd'". Only the
// fields sent change. itemdescription[<line id>] (with itemamount and
// itemtaxed of the same id) edits a line, deletelineids[] removes lines,
// newitemdescription[] / newitemamount[] / newitemtaxed[] add lines; ids
// not on the invoice are ignored. (Over HTTP and the local API the form
// reader turns itemdescription[<id>] into a plain list and loses the ids;
// such a request is refused with a message saying so, not half applied.) publish and publishandsendemail make a
// Draft Unpaid. A status of Paid sets datepaid to now unless it has one;
// Cancelled and Refunded stamp their dates. credit sets the credit applied
// (the client's balance is not touched). invoiceid is a number, as
// CreateInvoice's.
//
// AddInvoicePayment: "Invoice ID Not Found" · "It is not possible to add a
// payment to an invoice that is Cancelled" · "Invalid Date Format"
// (whmcsemu's: date is "YYYY-MM-DD HH:mm:ss" or "YYYY-MM-DD"; now when
// absent). The payment is a transaction of the invoice's client with
// description "Invoice Payment"; amount defaults to the balance. An
// Unpaid, Payment Pending or Collections invoice with nothing left to pay
// becomes Paid, datepaid the payment's date, and the services and domains
// it bills move their next due dates on (markInvoicePaid,
// billing_shared.go).
//
// AddTransaction: "Client ID Not Found" · "Invoice ID Not Found" · "User ID
// does not own the given Invoice ID" · "Currency ID Not Found" · "Currency
// ID does not match Client currency" · "A Currency ID is required for
// non-customer related transactions" · "Payment Method is required" ·
// "Transaction ID must be Unique" · "Invalid Date Format" (whmcsemu's;
// date is DD/MM/YYYY, YYYY-MM-DD or YYYY-MM-DD HH:mm:ss; now when absent).
// The invoice's client is the transaction's when userid is not given. The
// transaction changes no invoice's status (AddInvoicePayment does that).
// credit=1 without an invoice adds amountin to the client's credit, logged
// with the description (or "Manual Credit").
//
// GetTransactions: no messages. Filters invoiceid, clientid and transid
// combine with AND; every match is returned (WHMCS documents no paging),
// by id. Fields are strings, as the example shows.
//
// AddCredit: "Type can only be add or remove" · "Client ID Not Found" ·
// "Admin ID Not Found" · "No Amount Provided" · "Amount must be in decimal
// format: ### or ###.##" · "Date Format is not Valid" · "Insufficient
// Credit Balance" (whmcsemu's: removing more than the balance). newbalance
// is a string, as the example shows.
//
// GetCredits: "Client ID Not Found". totalresults and clientid are
// numbers; a credit's fields strings; credits.credit is left out when
// there are none.
//
// AddBillableItem: "Client ID not Found" · "You must provide a
// description" · "Invalid Invoice Action" · "Recurring must have a unit,
// cycle and limit" · "Due date is required" · "Invalid Unit, please
// specify either 'hours' or 'quantity'" · "Invalid Date Format - Expected:
// 'YYYY-mm-dd'", in that order. invoiceaction defaults to noinvoice; none
// of the documented actions invoices at once, so the item is only stored;
// GenInvoices (billing_cron.go) invoices it as WHMCS's cron would. quantity falls back to the pre-8.2
// hours parameter. Before WHMCS 8.2 (settings.version 7.x, 8.0, 8.1) unit
// is not read: items count hours, as then (actions/versions.go).

package actions

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

const (
	billingTimeLayout = "2006-01-02 15:04:05"
	billingNever      = "0000-00-00 00:00:00"
	billingBadDay     = "Invalid Date Format - Expected: 'YYYY-mm-dd'"
)

// invoiceStatuses are WHMCS's invoice statuses.
var invoiceStatuses = []string{"Draft", "Unpaid", "Paid", "Cancelled", "Refunded", "Collections", "Payment Pending"}

func billingNow(env *Env) string { return env.Now().UTC().Format(billingTimeLayout) }

func billingToday(env *Env) string { return env.Now().UTC().Format(time.DateOnly) }

// billingShown is a stored time as WHMCS shows it: zeros when never set.
func billingShown(s string) string {
	if s == "" {
		return billingNever
	}
	return s
}

// billingDay reads a YYYY-mm-dd date; def when s is empty.
func billingDay(s, def string) (string, error) { return dayOr(s, def, billingBadDay) }

// dayOr reads a Y-m-d day (spaces around it aside); def when s is blank,
// the error bad when it is no such day.
func dayOr(s, def, bad string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", Errorf("%s", bad)
	}
	return t.Format(time.DateOnly), nil
}

// billingTime reads a date and time in one of layouts; def when s is
// empty. A date alone is midnight.
func billingTime(s, def string, layouts ...string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(billingTimeLayout), nil
		}
	}
	return "", Errorf("Invalid Date Format")
}

// billingAmount reads an amount as PHP's (float) cast does ("12abc" is 12,
// "abc" 0), in cents; store.ErrMoneyRange when it does not fit
// decimal(16,2).
func billingAmount(s string) (int64, error) {
	prefix := numericPrefix(s)
	if prefix == "" {
		return 0, nil
	}
	return store.ParseMoney(prefix)
}

// billingRate reads a tax or exchange rate as PHP's (float) cast does and
// writes it with places decimals.
func billingRate(s string, places int) string {
	f, _ := strconv.ParseFloat(numericPrefix(s), 64)
	return strconv.FormatFloat(f, 'f', places, 64)
}

// billingClient checks that a client exists; msg is the action's wording.
func billingClient(ctx context.Context, tx *store.Tx, id int64, msg string) error {
	return mustExist(ctx, tx.ClientExists, id, Errorf("%s", msg))
}

// billingInvoice loads an invoice; "Invoice ID Not Found" when absent.
func billingInvoice(ctx context.Context, tx *store.Tx, id int64) (store.Invoice, error) {
	inv, err := tx.InvoiceByID(ctx, id)
	return inv, notFoundAs(err, Errorf("Invoice ID Not Found"))
}

// billingNumbered returns the N of every params key prefix+N, ascending.
func billingNumbered(params url.Values, prefix string) []int {
	var out []int
	for k := range params {
		if n, err := strconv.Atoi(strings.TrimPrefix(k, prefix)); strings.HasPrefix(k, prefix) && err == nil && n >= 0 {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

// billingLast is the last value of a params key ("" when absent).
func billingLast(params url.Values, key string) string {
	if vs := params[key]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	return ""
}

type createInvoiceRequest struct {
	UserID          int64  `schema:"userid"`
	Status          string `schema:"status"`
	Draft           bool   `schema:"draft"`
	SendInvoice     bool   `schema:"sendinvoice"`
	PaymentMethod   string `schema:"paymentmethod"`
	TaxRate         string `schema:"taxrate"`
	TaxRate2        string `schema:"taxrate2"`
	Date            string `schema:"date"`
	DueDate         string `schema:"duedate"`
	Notes           string `schema:"notes"`
	AutoApplyCredit bool   `schema:"autoapplycredit"`
}

type createInvoiceResponse struct {
	success
	InvoiceID int64  `json:"invoiceid"`
	Status    string `json:"status"`
}

func createInvoice(ctx context.Context, env *Env, req *createInvoiceRequest, params url.Values) (any, error) {
	inv := store.Invoice{ClientID: req.UserID, Status: "Unpaid", PaymentMethod: strings.TrimSpace(req.PaymentMethod),
		TaxRate: billingRate(req.TaxRate, 3), TaxRate2: billingRate(req.TaxRate2, 3), Notes: req.Notes,
		CreatedAt: billingNow(env)}
	if s, ok := pickFold(invoiceStatuses, req.Status); ok {
		inv.Status = s
	}
	if req.Draft {
		inv.Status = "Draft"
	}
	var items []store.InvoiceItem
	for _, n := range billingNumbered(params, "itemdescription") {
		suffix := strconv.Itoa(n)
		amount, err := billingAmount(billingLast(params, "itemamount"+suffix))
		if err != nil {
			return nil, err
		}
		items = append(items, store.InvoiceItem{Description: billingLast(params, "itemdescription"+suffix),
			AmountCents: amount, Taxed: Truthy(billingLast(params, "itemtaxed"+suffix))})
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		if err := billingClient(ctx, tx, req.UserID, "Client ID Not Found"); err != nil {
			return err
		}
		if req.Draft && req.SendInvoice {
			return Errorf("Cannot create and send a draft invoice in a single API request. Please create and send separately.")
		}
		if inv.Date, err = billingDay(req.Date, billingToday(env)); err != nil {
			return err
		}
		if inv.DueDate, err = billingDay(req.DueDate, billingToday(env)); err != nil {
			return err
		}
		if inv.PaymentMethod == "" {
			if inv.PaymentMethod, err = firstGateway(ctx, tx); err != nil {
				return err
			}
		}
		if inv.Status == "Paid" {
			inv.DatePaid = inv.CreatedAt
		}
		if inv.ID, err = tx.CreateInvoice(ctx, inv, items); err != nil {
			return err
		}
		if req.AutoApplyCredit {
			return applyCredit(ctx, env, tx, inv.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("invoice created", "invoiceId", inv.ID, "clientId", inv.ClientID)
	return &createInvoiceResponse{InvoiceID: inv.ID, Status: inv.Status}, nil
}

// applyCredit moves the client's credit onto an invoice, up to its
// balance, and marks an Unpaid invoice it covers Paid (creditInvoice, as
// ApplyCredit does).
func applyCredit(ctx context.Context, env *Env, tx *store.Tx, id int64) error {
	inv, err := tx.InvoiceByID(ctx, id)
	if err != nil {
		return err
	}
	credit, balance, err := creditRoom(ctx, tx, inv)
	if err != nil {
		return err
	}
	if apply := min(credit, balance); apply > 0 {
		_, err = creditInvoice(ctx, env, tx, inv, apply, balance)
	}
	return err
}

type getInvoiceRequest struct {
	InvoiceID int64 `schema:"invoiceid"`
}

type getInvoiceResponse struct {
	success
	InvoiceID          int64        `json:"invoiceid"`
	InvoiceNum         string       `json:"invoicenum"`
	UserID             int64        `json:"userid"`
	Date               string       `json:"date"`
	DueDate            string       `json:"duedate"`
	DatePaid           string       `json:"datepaid"`
	LastCaptureAttempt string       `json:"lastcaptureattempt"`
	Subtotal           string       `json:"subtotal"`
	Credit             string       `json:"credit"`
	Tax                string       `json:"tax"`
	Tax2               string       `json:"tax2"`
	Total              string       `json:"total"`
	Balance            string       `json:"balance"`
	TaxRate            string       `json:"taxrate"`
	TaxRate2           string       `json:"taxrate2"`
	Status             string       `json:"status"`
	PaymentMethod      string       `json:"paymentmethod"`
	Notes              string       `json:"notes"`
	CCGateway          bool         `json:"ccgateway"`
	Items              *invoiceList `json:"items,omitempty"`
	Transactions       any          `json:"transactions"`
}

type invoiceList struct {
	Item []invoiceLine `json:"item"`
}

type invoiceLine struct {
	ID          int64  `json:"id"`
	Type        string `json:"type"`
	RelID       int64  `json:"relid"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
	Taxed       int    `json:"taxed"`
}

type transactionList struct {
	Transaction []transactionItem `json:"transaction"`
}

type transactionItem struct {
	ID          string `json:"id"`
	UserID      string `json:"userid"`
	Currency    string `json:"currency"`
	Gateway     string `json:"gateway"`
	Date        string `json:"date"`
	Description string `json:"description"`
	AmountIn    string `json:"amountin"`
	Fees        string `json:"fees"`
	AmountOut   string `json:"amountout"`
	Rate        string `json:"rate"`
	TransID     string `json:"transid"`
	InvoiceID   string `json:"invoiceid"`
	RefundID    string `json:"refundid"`
}

func newTransactionItem(t store.Transaction) transactionItem {
	return transactionItem{ID: strconv.FormatInt(t.ID, 10), UserID: strconv.FormatInt(t.ClientID, 10),
		Currency: strconv.FormatInt(t.Currency, 10), Gateway: t.Gateway, Date: t.Date, Description: t.Description,
		AmountIn: store.FormatMoney(t.AmountInCents), Fees: store.FormatMoney(t.FeesCents), AmountOut: store.FormatMoney(t.AmountOutCents),
		Rate: t.Rate, TransID: t.TransID, InvoiceID: strconv.FormatInt(t.InvoiceID, 10),
		RefundID: strconv.FormatInt(t.RefundID, 10)}
}

func getInvoice(ctx context.Context, env *Env, req *getInvoiceRequest) (any, error) {
	var inv store.Invoice
	var items []store.InvoiceItem
	var txs []store.Transaction
	var balance int64
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if inv, err = billingInvoice(ctx, tx, req.InvoiceID); err != nil {
			return err
		}
		if items, err = tx.InvoiceItems(ctx, inv.ID); err != nil {
			return err
		}
		if txs, err = tx.ListTransactions(ctx, store.TransactionFilter{InvoiceID: inv.ID}); err != nil {
			return err
		}
		balance, err = tx.InvoiceBalance(ctx, inv)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getInvoiceResponse{InvoiceID: inv.ID, InvoiceNum: inv.InvoiceNum, UserID: inv.ClientID,
		Date: inv.Date, DueDate: inv.DueDate, DatePaid: billingShown(inv.DatePaid), LastCaptureAttempt: billingNever,
		Subtotal: store.FormatMoney(inv.SubtotalCents), Credit: store.FormatMoney(inv.CreditCents), Tax: store.FormatMoney(inv.TaxCents),
		Tax2: store.FormatMoney(inv.Tax2Cents), Total: store.FormatMoney(inv.TotalCents), Balance: store.FormatMoney(balance),
		TaxRate: inv.TaxRate, TaxRate2: inv.TaxRate2, Status: inv.Status, PaymentMethod: inv.PaymentMethod,
		Notes: inv.Notes, Transactions: ""}
	if len(items) > 0 {
		resp.Items = &invoiceList{Item: make([]invoiceLine, len(items))}
		for i, it := range items {
			taxed := 0
			if it.Taxed {
				taxed = 1
			}
			resp.Items.Item[i] = invoiceLine{ID: it.ID, Type: it.Type, RelID: it.RelID, Description: it.Description,
				Amount: store.FormatMoney(it.AmountCents), Taxed: taxed}
		}
	}
	if len(txs) > 0 {
		list := &transactionList{Transaction: make([]transactionItem, len(txs))}
		for i, t := range txs {
			list.Transaction[i] = newTransactionItem(t)
		}
		resp.Transactions = list
	}
	return resp, nil
}
