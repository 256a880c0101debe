// This file holds the Billing actions that move money rather than edit
// invoices: AddInvoicePayment, AddTransaction, GetTransactions, AddCredit,
// GetCredits and AddBillableItem. Their messages and choices are listed at
// the top of billing.go.

package actions

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type addInvoicePaymentRequest struct {
	InvoiceID int64   `schema:"invoiceid"`
	TransID   string  `schema:"transid"`
	Gateway   string  `schema:"gateway"`
	Date      string  `schema:"date"`
	Amount    *string `schema:"amount"`
	Fees      string  `schema:"fees"`
	NoEmail   bool    `schema:"noemail"`
}

// invoicePayable are the statuses a payment that leaves nothing to pay
// turns into Paid.
var invoicePayable = map[string]bool{"Unpaid": true, "Payment Pending": true, "Collections": true}

func addInvoicePayment(ctx context.Context, env *Env, req *addInvoicePaymentRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		inv, err := billingInvoice(ctx, tx, req.InvoiceID)
		if err != nil {
			return err
		}
		if inv.Status == "Cancelled" {
			return Errorf("It is not possible to add a payment to an invoice that is Cancelled")
		}
		date, err := billingTime(req.Date, billingNow(env), billingTimeLayout, time.DateOnly)
		if err != nil {
			return err
		}
		balance, err := tx.InvoiceBalance(ctx, inv)
		if err != nil {
			return err
		}
		amount := max(balance, 0)
		if req.Amount != nil {
			if amount, err = billingAmount(*req.Amount); err != nil {
				return err
			}
		}
		fees, err := billingAmount(req.Fees)
		if err != nil {
			return err
		}
		_, err = tx.PutTransaction(ctx, store.Transaction{ClientID: inv.ClientID, Gateway: strings.TrimSpace(req.Gateway),
			Date: date, Description: "Invoice Payment", AmountInCents: amount, FeesCents: fees,
			TransID: req.TransID, InvoiceID: inv.ID})
		if err != nil {
			return err
		}
		if balance-amount > 0 || !invoicePayable[inv.Status] {
			return nil
		}
		return markInvoicePaid(ctx, env, tx, &inv, date)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("invoice payment added", "invoiceId", req.InvoiceID)
	return &resultOnly{}, nil
}

type addTransactionRequest struct {
	PaymentMethod         string `schema:"paymentmethod"`
	UserID                int64  `schema:"userid"`
	InvoiceID             int64  `schema:"invoiceid"`
	TransID               string `schema:"transid"`
	Date                  string `schema:"date"`
	CurrencyID            int64  `schema:"currencyid"`
	Description           string `schema:"description"`
	AmountIn              string `schema:"amountin"`
	Fees                  string `schema:"fees"`
	AmountOut             string `schema:"amountout"`
	Rate                  string `schema:"rate"`
	Credit                bool   `schema:"credit"`
	AllowDuplicateTransID bool   `schema:"allowduplicatetransid"`
}

func addTransaction(ctx context.Context, env *Env, req *addTransactionRequest) (any, error) {
	t := store.Transaction{ClientID: req.UserID, Gateway: strings.TrimSpace(req.PaymentMethod),
		Description: req.Description, Rate: "1.00000", TransID: req.TransID, InvoiceID: req.InvoiceID}
	for _, m := range []struct {
		s   string
		dst *int64
	}{{req.AmountIn, &t.AmountInCents}, {req.Fees, &t.FeesCents}, {req.AmountOut, &t.AmountOutCents}} {
		var err error
		if *m.dst, err = billingAmount(m.s); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(req.Rate) != "" {
		t.Rate = billingRate(req.Rate, 5)
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := checkTransaction(ctx, tx, req, &t); err != nil {
			return err
		}
		var err error
		if t.Date, err = billingTime(req.Date, billingNow(env), "02/01/2006", time.DateOnly, billingTimeLayout); err != nil {
			return err
		}
		if _, err := tx.PutTransaction(ctx, t); err != nil {
			return err
		}
		return creditTransaction(ctx, tx, t, req.Credit)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("transaction added", "clientId", t.ClientID, "invoiceId", t.InvoiceID)
	return &resultOnly{}, nil
}

// creditTransaction is AddTransaction's and UpdateTransaction's credit:
// with it, a transaction of a client's money in that pays no invoice goes
// to the client's credit balance, with a credit row (its description, or
// "Manual Credit").
func creditTransaction(ctx context.Context, tx *store.Tx, t store.Transaction, credit bool) error {
	if !credit || t.InvoiceID != 0 || t.ClientID == 0 || t.AmountInCents == 0 {
		return nil
	}
	desc := t.Description
	if desc == "" {
		desc = "Manual Credit"
	}
	if _, err := tx.PutCredit(ctx, store.Credit{ClientID: t.ClientID, AdminID: CallerFrom(ctx).AdminID,
		Date: t.Date[:min(len(t.Date), 10)], Description: desc, AmountCents: t.AmountInCents}); err != nil {
		return err
	}
	_, err := tx.AddClientCredit(ctx, t.ClientID, t.AmountInCents)
	return err
}

// checkTransaction runs AddTransaction's checks in WHMCS's documented
// order, and fills in the client from the invoice.
func checkTransaction(ctx context.Context, tx *store.Tx, req *addTransactionRequest, t *store.Transaction) error {
	var clientCurrency int64
	if req.UserID != 0 {
		p, err := tx.ClientProfileByID(ctx, req.UserID)
		if err != nil {
			return notFoundAs(err, Errorf("Client ID Not Found"))
		}
		clientCurrency = p.Currency
	}
	if req.InvoiceID != 0 {
		inv, err := billingInvoice(ctx, tx, req.InvoiceID)
		if err != nil {
			return err
		}
		if req.UserID != 0 && inv.ClientID != req.UserID {
			return Errorf("User ID does not own the given Invoice ID")
		}
		t.ClientID = inv.ClientID
	}
	if req.CurrencyID != 0 {
		if err := mustExist(ctx, tx.CurrencyExists, req.CurrencyID, Errorf("Currency ID Not Found")); err != nil {
			return err
		}
		if req.UserID != 0 && req.CurrencyID != clientCurrency {
			return Errorf("Currency ID does not match Client currency")
		}
	}
	if t.ClientID == 0 {
		if req.CurrencyID == 0 {
			return Errorf("A Currency ID is required for non-customer related transactions")
		}
		t.Currency = req.CurrencyID
	}
	if t.Gateway == "" {
		return Errorf("Payment Method is required")
	}
	if t.TransID != "" && !req.AllowDuplicateTransID {
		if used, err := tx.TransIDUsed(ctx, t.TransID); err != nil {
			return err
		} else if used {
			return Errorf("Transaction ID must be Unique")
		}
	}
	return nil
}

type getTransactionsRequest struct {
	InvoiceID int64  `schema:"invoiceid"`
	ClientID  int64  `schema:"clientid"`
	TransID   string `schema:"transid"`
}

type getTransactionsResponse struct {
	listHeader
	Transactions *transactionList `json:"transactions,omitempty"`
}

func getTransactions(ctx context.Context, env *Env, req *getTransactionsRequest) (any, error) {
	var list []store.Transaction
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.ListTransactions(ctx, store.TransactionFilter{InvoiceID: req.InvoiceID, ClientID: req.ClientID,
			TransID: strings.TrimSpace(req.TransID)})
		return err
	})
	if err != nil {
		return nil, err
	}
	// Every match, unpaged: WHMCS documents no limitstart here.
	resp := &getTransactionsResponse{listHeader: headerOf(store.Page{}, int64(len(list)), len(list))}
	if len(list) > 0 {
		resp.Transactions = &transactionList{Transaction: make([]transactionItem, len(list))}
		for i, t := range list {
			resp.Transactions.Transaction[i] = newTransactionItem(t)
		}
	}
	return resp, nil
}

type addCreditRequest struct {
	ClientID    int64  `schema:"clientid"`
	Description string `schema:"description"`
	Amount      string `schema:"amount"`
	Date        string `schema:"date"`
	AdminID     int64  `schema:"adminid"`
	Type        string `schema:"type"`
}

type addCreditResponse struct {
	success
	NewBalance string `json:"newbalance"`
}

// creditAmount is the format AddCredit accepts: ### or ###.##.
var creditAmount = regexp.MustCompile(`^[0-9]+(\.[0-9]{1,2})?$`)

func addCredit(ctx context.Context, env *Env, req *addCreditRequest) (any, error) {
	kind := strings.ToLower(strings.TrimSpace(req.Type))
	if kind == "" {
		kind = "add"
	}
	if kind != "add" && kind != "remove" {
		return nil, Errorf("Type can only be add or remove")
	}
	var balance int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.ClientCredit(ctx, req.ClientID)
		if err != nil {
			return notFoundAs(err, Errorf("Client ID Not Found"))
		}
		c := store.Credit{ClientID: req.ClientID, AdminID: CallerFrom(ctx).AdminID, Description: req.Description}
		if req.AdminID != 0 {
			if err := mustExist(ctx, tx.AdminExists, req.AdminID, Errorf("Admin ID Not Found")); err != nil {
				return err
			}
			c.AdminID = req.AdminID
		}
		amount := strings.TrimSpace(req.Amount)
		if !Truthy(amount) {
			return Errorf("No Amount Provided")
		}
		if !creditAmount.MatchString(amount) {
			return Errorf("Amount must be in decimal format: ### or ###.##")
		}
		if c.Date, err = billingDay(req.Date, billingToday(env)); err != nil {
			return Errorf("Date Format is not Valid")
		}
		if c.AmountCents, err = store.ParseMoney(amount); err != nil {
			return err // the format is checked: only ErrMoneyRange is left
		}
		if kind == "remove" {
			if c.AmountCents > cur {
				return Errorf("Insufficient Credit Balance")
			}
			c.AmountCents = -c.AmountCents
		}
		if _, err := tx.PutCredit(ctx, c); err != nil {
			return err
		}
		balance, err = tx.AddClientCredit(ctx, req.ClientID, c.AmountCents)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("credit changed", "clientId", req.ClientID, "type", kind)
	return &addCreditResponse{NewBalance: store.FormatMoney(balance)}, nil
}

type getCreditsRequest struct {
	ClientID int64 `schema:"clientid"`
}

type getCreditsResponse struct {
	success
	TotalResults int         `json:"totalresults"`
	ClientID     int64       `json:"clientid"`
	Credits      *creditList `json:"credits,omitempty"`
}

type creditList struct {
	Credit []creditItem `json:"credit"`
}

type creditItem struct {
	ID          string `json:"id"`
	Date        string `json:"date"`
	Description string `json:"description"`
	Amount      string `json:"amount"`
	RelID       string `json:"relid"`
}

func getCredits(ctx context.Context, env *Env, req *getCreditsRequest) (any, error) {
	var list []store.Credit
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if err := billingClient(ctx, tx, req.ClientID, "Client ID Not Found"); err != nil {
			return err
		}
		list, err = tx.Credits(ctx, req.ClientID)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getCreditsResponse{TotalResults: len(list), ClientID: req.ClientID}
	if len(list) > 0 {
		resp.Credits = &creditList{Credit: make([]creditItem, len(list))}
		for i, c := range list {
			resp.Credits.Credit[i] = creditItem{ID: strconv.FormatInt(c.ID, 10), Date: c.Date,
				Description: c.Description, Amount: store.FormatMoney(c.AmountCents), RelID: strconv.FormatInt(c.RelID, 10)}
		}
	}
	return resp, nil
}

type addBillableItemRequest struct {
	ClientID      int64   `schema:"clientid"`
	Description   string  `schema:"description"`
	Amount        string  `schema:"amount"`
	Unit          string  `schema:"unit"`
	Quantity      *string `schema:"quantity"`
	Hours         *string `schema:"hours"` // the name before WHMCS 8.2
	InvoiceAction string  `schema:"invoiceaction"`
	Recur         int64   `schema:"recur"`
	RecurCycle    string  `schema:"recurcycle"`
	RecurFor      int64   `schema:"recurfor"`
	DueDate       string  `schema:"duedate"`
}

type addBillableItemResponse struct {
	success
	BillableID int64 `json:"billableid"`
}

// billableActions are AddBillableItem's invoice actions, by their stored
// number.
var billableActions = []string{"noinvoice", "nextcron", "nextinvoice", "duedate", "recur"}

var recurCycles = []string{"Days", "Weeks", "Months", "Years"}

func addBillableItem(ctx context.Context, env *Env, req *addBillableItemRequest) (any, error) {
	b := store.BillableItem{ClientID: req.ClientID, Description: strings.TrimSpace(req.Description),
		Quantity: "0.00", Recur: req.Recur, RecurFor: req.RecurFor}
	var err error
	if b.AmountCents, err = billingAmount(req.Amount); err != nil {
		return nil, err
	}
	if q := billingFirst(req.Quantity, req.Hours); q != nil {
		quantity, err := billingAmount(*q)
		if err != nil {
			return nil, err
		}
		b.Quantity = store.FormatMoney(quantity)
	}
	err = env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		if err := billingClient(ctx, tx, req.ClientID, "Client ID not Found"); err != nil {
			return err
		}
		if b.Description == "" {
			return Errorf("You must provide a description")
		}
		action := strings.ToLower(strings.TrimSpace(req.InvoiceAction))
		if action == "" {
			action = "noinvoice"
		}
		b.InvoiceAction = -1
		for i, a := range billableActions {
			if a == action {
				b.InvoiceAction = int64(i)
			}
		}
		if b.InvoiceAction < 0 {
			return Errorf("Invalid Invoice Action")
		}
		if action == "recur" {
			cycle, ok := pickFold(recurCycles, req.RecurCycle)
			if !ok || req.Recur <= 0 || req.RecurFor <= 0 {
				return Errorf("Recurring must have a unit, cycle and limit")
			}
			b.RecurCycle = cycle
		}
		if (action == "duedate" || action == "recur") && strings.TrimSpace(req.DueDate) == "" {
			return Errorf("Due date is required")
		}
		b.Unit = strings.ToLower(strings.TrimSpace(req.Unit))
		if !env.shape().billableUnit {
			b.Unit = "hours" // before WHMCS 8.2 items count hours; unit is not read
		}
		if b.Unit != "hours" && b.Unit != "quantity" {
			return Errorf("Invalid Unit, please specify either 'hours' or 'quantity'")
		}
		if b.DueDate, err = billingDay(req.DueDate, ""); err != nil {
			return err
		}
		b.ID, err = tx.PutBillableItem(ctx, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("billable item added", "billableId", b.ID, "clientId", b.ClientID)
	return &addBillableItemResponse{BillableID: b.ID}, nil
}

// billingFirst returns the first of its arguments that is not nil.
func billingFirst(ps ...*string) *string {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
