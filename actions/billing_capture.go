// This file holds the Billing actions that pay invoices from what a
// client has, and edit the payments: ApplyCredit, CapturePayment and
// UpdateTransaction. An invoice these make Paid moves on the next due
// dates of the services and domains it bills (markInvoicePaid), as
// AddInvoicePayment's does.
//
// ApplyCredit: "Invoice ID Not Found" · "Invoice Not in Unpaid Status" ·
// "Amount exceeds customer credit balance" · "Amount Exceeds Invoice
// Balance" · "Credit Amount to apply must be greater than zero", in that
// order. amount is an amount, or "full" (any case) for as much as the
// credit and the balance allow; without one nothing is applied (the
// last message). The credit log gets "Credit Applied to Invoice #N"
// (negative, relid the invoice), the invoice's credit grows and the
// client's credit balance shrinks; an invoice left with nothing to pay is
// Paid, and the client gets the "Invoice Payment Confirmation" email
// unless noemail. invoiceid is a number (the docs' table), amount the
// amount applied as a string ("10.00", the example) and invoicepaid
// "true" or "false" (a string, as documented).
//
// CapturePayment: "Invoice Not Found or Not Unpaid" · "Payment Attempt
// Failed". The charge takes the invoice's balance with the client's pay
// method for the invoice's gateway, else its default one (local bank
// accounts cannot be charged). The attempt fails, writing nothing, when
// nothing is due, when the client has no pay method to charge, when a cvv
// is sent that is not 3 or 4 digits, when the card has expired (by the
// emulator's clock), and when the card's last four digits are 0002 (the
// declined test card 4000 0000 0000 0002, so a test can make a charge
// fail). A charge is a transaction ("Invoice Payment", the pay method's
// gateway or else the invoice's, a transid ch_… from the random source),
// the invoice Paid, and the "Credit Card Payment Confirmation" email (the
// "Invoice Payment Confirmation" for a bank account). The cvv is never
// stored.
//
// UpdateTransaction: "Transaction ID Not Found" · "Client ID Not Found" ·
// "Invoice ID Not Found" · "Currency ID Not Found" · "Invalid Date Format"
// (whmcsemu's wordings: WHMCS documents none; date is Y-m-d or Y-m-d
// H:i:s). Only the fields sent change. credit=1 on a client's
// transaction without an invoice adds its amountin to the client's credit
// (logged with its description, or "Manual Credit"), as AddTransaction's
// credit does. An invoice's balance follows its transactions; its status
// does not change. transactionid is a number (the docs' table).

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type applyCreditRequest struct {
	InvoiceID int64  `schema:"invoiceid"`
	Amount    string `schema:"amount"`
	NoEmail   bool   `schema:"noemail"`
}

type applyCreditResponse struct {
	success
	InvoiceID   int64  `json:"invoiceid"`
	Amount      string `json:"amount"`
	InvoicePaid string `json:"invoicepaid"`
}

func applyCreditAction(ctx context.Context, env *Env, req *applyCreditRequest) (any, error) {
	var amount int64
	paid := false
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		inv, err := billingInvoice(ctx, tx, req.InvoiceID)
		if err != nil {
			return err
		}
		if inv.Status != "Unpaid" {
			return Errorf("Invoice Not in Unpaid Status")
		}
		credit, balance, err := creditRoom(ctx, tx, inv)
		if err != nil {
			return err
		}
		if strings.EqualFold(strings.TrimSpace(req.Amount), "full") {
			amount = min(credit, balance)
		} else if amount, err = billingAmount(req.Amount); err != nil {
			return err
		}
		switch {
		case amount > credit:
			return Errorf("Amount exceeds customer credit balance")
		case amount > balance:
			return Errorf("Amount Exceeds Invoice Balance")
		case amount <= 0:
			return Errorf("Credit Amount to apply must be greater than zero")
		}
		if paid, err = creditInvoice(ctx, env, tx, inv, amount, balance); err != nil || !paid || req.NoEmail {
			return err
		}
		return sendInvoiceEmail(ctx, tx, env, "Invoice Payment Confirmation", inv.ID, amount, nil)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("credit applied", "invoiceId", req.InvoiceID, "amount", store.FormatMoney(amount))
	return &applyCreditResponse{InvoiceID: req.InvoiceID, Amount: store.FormatMoney(amount),
		InvoicePaid: strconv.FormatBool(paid)}, nil
}

// creditRoom is what a client's credit can pay of an invoice: the
// client's credit and the invoice's balance.
func creditRoom(ctx context.Context, tx *store.Tx, inv store.Invoice) (credit, balance int64, err error) {
	if credit, err = tx.ClientCredit(ctx, inv.ClientID); err != nil {
		return 0, 0, err
	}
	balance, err = tx.InvoiceBalance(ctx, inv)
	return credit, balance, err
}

// creditInvoice moves amount (at most the client's credit and the
// invoice's balance, as creditRoom read them) from the client's credit
// onto an invoice, and makes an Unpaid invoice it leaves with nothing to
// pay Paid (paid reports it).
func creditInvoice(ctx context.Context, env *Env, tx *store.Tx, inv store.Invoice, amount, balance int64) (paid bool, err error) {
	if _, err := tx.AddClientCredit(ctx, inv.ClientID, -amount); err != nil {
		return false, err
	}
	if _, err := tx.PutCredit(ctx, store.Credit{ClientID: inv.ClientID, AdminID: CallerFrom(ctx).AdminID,
		Date: billingToday(env), Description: "Credit Applied to Invoice #" + strconv.FormatInt(inv.ID, 10),
		AmountCents: -amount, RelID: inv.ID}); err != nil {
		return false, err
	}
	if inv.CreditCents, err = store.AddMoney(inv.CreditCents, amount); err != nil {
		return false, err
	}
	inv.UpdatedAt = billingNow(env)
	if amount == balance && inv.Status == "Unpaid" {
		return true, markInvoicePaid(ctx, env, tx, &inv, billingNow(env))
	}
	return false, tx.UpdateInvoice(ctx, inv)
}

// sendInvoiceEmail sends an invoice's client one of the invoice
// templates, with the invoice's merge fields; payment is the last
// payment's amount (0 for none) and card the pay method it was taken with
// (nil for none). A template a fixture removed sends nothing.
func sendInvoiceEmail(ctx context.Context, tx *store.Tx, env *Env, template string, invoiceID, payment int64,
	card *store.PayMethod) error {
	inv, err := tx.InvoiceByID(ctx, invoiceID)
	if err != nil {
		return err
	}
	fields, err := invoiceMergeFields(ctx, tx, inv, payment)
	if err != nil {
		return err
	}
	if card != nil {
		fields["invoice_pay_method_last_four"] = card.CardLastFour
		fields["invoice_pay_method_type"] = card.Type
	}
	return ignoreNoTemplate(sendClientEmail(ctx, tx, env, template, inv.ClientID, fields))
}

// invoiceMergeFields are an invoice's merge fields for its emails, payment
// the last payment's amount.
func invoiceMergeFields(ctx context.Context, tx *store.Tx, inv store.Invoice, payment int64) (map[string]string, error) {
	format, err := dateFormat(ctx, tx)
	if err != nil {
		return nil, err
	}
	p, err := tx.ClientProfileByID(ctx, inv.ClientID)
	if err != nil {
		return nil, err
	}
	balance, err := tx.InvoiceBalance(ctx, inv)
	if err != nil {
		return nil, err
	}
	money, err := currencyFormat(ctx, tx, p.Currency)
	if err != nil {
		return nil, err
	}
	num := inv.InvoiceNum
	if num == "" {
		num = strconv.FormatInt(inv.ID, 10)
	}
	return map[string]string{
		"invoice_id": strconv.FormatInt(inv.ID, 10), "invoice_num": num,
		"invoice_date_created": shownDay(inv.Date, format), "invoice_date_due": shownDay(inv.DueDate, format),
		"invoice_total": money(inv.TotalCents), "invoice_balance": money(balance), "invoice_status": inv.Status,
		"invoice_payment_method": inv.PaymentMethod, "invoice_last_payment_amount": money(payment),
	}, nil
}

type capturePaymentRequest struct {
	InvoiceID int64  `schema:"invoiceid"`
	CVV       string `schema:"cvv"`
}

// declinedLastFour are the last four digits of the card whmcsemu declines:
// Stripe's test card 4000 0000 0000 0002.
const declinedLastFour = "0002"

func capturePayment(ctx context.Context, env *Env, req *capturePaymentRequest) (any, error) {
	failed := Errorf("Payment Attempt Failed")
	cvv := strings.TrimSpace(req.CVV)
	req.CVV = ""
	var chargedWith string
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		inv, err := tx.InvoiceByID(ctx, req.InvoiceID)
		if err := notFoundUnless(err, inv.Status == "Unpaid", Errorf("Invoice Not Found or Not Unpaid")); err != nil {
			return err
		}
		balance, err := tx.InvoiceBalance(ctx, inv)
		if err != nil {
			return err
		}
		if balance <= 0 || cvv != "" && (len(cvv) < 3 || len(cvv) > 4 || clientDigits(cvv) != cvv) {
			return failed
		}
		p, ok, err := chargeablePayMethod(ctx, tx, inv)
		if err != nil {
			return err
		}
		if !ok || p.IsCard() && (cardExpired(p.ExpiryDate, env.Now()) || p.CardLastFour == declinedLastFour) {
			return failed
		}
		gateway := p.Gateway
		if gateway == "" {
			gateway = inv.PaymentMethod
		}
		now := billingNow(env)
		if _, err := tx.PutTransaction(ctx, store.Transaction{ClientID: inv.ClientID, Gateway: gateway, Date: now,
			Description: "Invoice Payment", AmountInCents: balance, TransID: "ch_" + env.RandomHex(12),
			InvoiceID: inv.ID}); err != nil {
			return err
		}
		if err := markInvoicePaid(ctx, env, tx, &inv, now); err != nil {
			return err
		}
		chargedWith = p.Type
		template := "Credit Card Payment Confirmation"
		if !p.IsCard() {
			template = "Invoice Payment Confirmation"
		}
		return sendInvoiceEmail(ctx, tx, env, template, inv.ID, balance, &p)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("payment captured", "invoiceId", req.InvoiceID, "payMethodType", chargedWith)
	return &resultOnly{}, nil
}

// chargeablePayMethod is the pay method CapturePayment charges: the
// client's first one for the invoice's gateway, else its first (default)
// one; local bank accounts cannot be charged.
func chargeablePayMethod(ctx context.Context, tx *store.Tx, inv store.Invoice) (store.PayMethod, bool, error) {
	list, err := tx.PayMethods(ctx, inv.ClientID)
	if err != nil {
		return store.PayMethod{}, false, err
	}
	var first *store.PayMethod
	for i, p := range list {
		if p.Type == "BankAccount" {
			continue
		}
		if p.Gateway != "" && p.Gateway == inv.PaymentMethod {
			return p, true, nil
		}
		if first == nil {
			first = &list[i]
		}
	}
	if first == nil {
		return store.PayMethod{}, false, nil
	}
	return *first, true, nil
}

// cardExpired reports whether a card expiring in MM/YY has expired by
// now (it is good to the end of its month).
func cardExpired(expiry string, now time.Time) bool {
	t, err := time.Parse("01/06", expiry)
	if err != nil {
		return false
	}
	return !now.UTC().Before(t.AddDate(0, 1, 0))
}

type updateTransactionRequest struct {
	TransactionID int64   `schema:"transactionid"`
	RefundID      *string `schema:"refundid"`
	UserID        *string `schema:"userid"`
	InvoiceID     *string `schema:"invoiceid"`
	TransID       *string `schema:"transid"`
	Date          *string `schema:"date"`
	Gateway       *string `schema:"gateway"`
	Currency      *string `schema:"currency"`
	Description   *string `schema:"description"`
	AmountIn      *string `schema:"amountin"`
	Fees          *string `schema:"fees"`
	AmountOut     *string `schema:"amountout"`
	Rate          *string `schema:"rate"`
	Credit        bool    `schema:"credit"`
}

type updateTransactionResponse struct {
	success
	TransactionID int64 `json:"transactionid"`
}

func updateTransaction(ctx context.Context, env *Env, req *updateTransactionRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.TransactionByID(ctx, req.TransactionID)
		if err != nil {
			return notFoundAs(err, Errorf("Transaction ID Not Found"))
		}
		oldInvoice := t.InvoiceID
		for _, ref := range []struct {
			v      *string
			dst    *int64
			exists func(context.Context, int64) (bool, error)
			msg    string
		}{
			{req.UserID, &t.ClientID, tx.ClientExists, "Client ID Not Found"},
			{req.InvoiceID, &t.InvoiceID, tx.InvoiceExists, "Invoice ID Not Found"},
			{req.Currency, &t.Currency, tx.CurrencyExists, "Currency ID Not Found"},
			{req.RefundID, &t.RefundID, nil, ""},
		} {
			if ref.v == nil {
				continue
			}
			id := IntVal(*ref.v)
			if id != 0 && ref.exists != nil {
				if err := mustExist(ctx, ref.exists, id, Errorf("%s", ref.msg)); err != nil {
					return err
				}
			}
			*ref.dst = id
		}
		if err := updateTransactionFields(env, &t, req); err != nil {
			return err
		}
		if _, err := tx.PutTransaction(ctx, t); err != nil {
			return err
		}
		if oldInvoice != 0 && oldInvoice != t.InvoiceID {
			// The invoice the payment left must still have a balance
			// that fits decimal(16,2).
			if inv, err := tx.InvoiceByID(ctx, oldInvoice); err == nil {
				if _, err := tx.InvoiceBalance(ctx, inv); err != nil {
					return err
				}
			}
		}
		return creditTransaction(ctx, tx, t, req.Credit)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("transaction updated", "transactionId", req.TransactionID)
	return &updateTransactionResponse{TransactionID: req.TransactionID}, nil
}

// updateTransactionFields applies the text, date and amount fields sent.
func updateTransactionFields(env *Env, t *store.Transaction, req *updateTransactionRequest) error {
	if req.TransID != nil {
		t.TransID = *req.TransID
	}
	if req.Gateway != nil {
		t.Gateway = strings.TrimSpace(*req.Gateway)
	}
	if req.Description != nil {
		t.Description = *req.Description
	}
	if req.Date != nil {
		d, err := billingTime(*req.Date, t.Date, time.DateOnly, billingTimeLayout)
		if err != nil {
			return err
		}
		t.Date = d
	}
	for _, m := range []struct {
		v   *string
		dst *int64
	}{{req.AmountIn, &t.AmountInCents}, {req.Fees, &t.FeesCents}, {req.AmountOut, &t.AmountOutCents}} {
		if m.v == nil {
			continue
		}
		cents, err := billingAmount(*m.v)
		if err != nil {
			return err
		}
		*m.dst = cents
	}
	if req.Rate != nil {
		t.Rate = billingRate(*req.Rate, 5)
	}
	return nil
}
