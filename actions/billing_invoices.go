// This file holds the Billing actions that list and edit invoices:
// GetInvoices and UpdateInvoice. Their messages and choices are listed at
// the top of billing.go.

package actions

import (
	"context"
	"errors"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type getInvoicesRequest struct {
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	UserID     int64  `schema:"userid"`
	Status     string `schema:"status"`
	OrderBy    string `schema:"orderby"`
	Order      string `schema:"order"`
}

type getInvoicesResponse struct {
	listHeader
	Invoices *invoiceSearchList `json:"invoices,omitempty"`
}

type invoiceSearchList struct {
	Invoice []invoiceSearchItem `json:"invoice"`
}

type invoiceSearchItem struct {
	ID                 int64  `json:"id"`
	UserID             int64  `json:"userid"`
	Firstname          string `json:"firstname"`
	Lastname           string `json:"lastname"`
	CompanyName        string `json:"companyname"`
	InvoiceNum         string `json:"invoicenum"`
	Date               string `json:"date"`
	DueDate            string `json:"duedate"`
	DatePaid           string `json:"datepaid"`
	LastCaptureAttempt string `json:"last_capture_attempt"`
	DateRefunded       string `json:"date_refunded"`
	DateCancelled      string `json:"date_cancelled"`
	Subtotal           string `json:"subtotal"`
	Credit             string `json:"credit"`
	Tax                string `json:"tax"`
	Tax2               string `json:"tax2"`
	Total              string `json:"total"`
	TaxRate            string `json:"taxrate"`
	TaxRate2           string `json:"taxrate2"`
	Status             string `json:"status"`
	PaymentMethod      string `json:"paymentmethod"`
	PayMethodID        *int64 `json:"paymethodid"`
	Notes              string `json:"notes"`
	CreatedAt          string `json:"created_at"`
	UpdatedAt          string `json:"updated_at"`
	CurrencyCode       string `json:"currencycode"`
	CurrencyPrefix     string `json:"currencyprefix"`
	CurrencySuffix     string `json:"currencysuffix"`
}

func getInvoices(ctx context.Context, env *Env, req *getInvoicesRequest) (any, error) {
	f := store.InvoiceFilter{ClientID: req.UserID, OrderBy: strings.ToLower(strings.TrimSpace(req.OrderBy)),
		Desc: strings.EqualFold(strings.TrimSpace(req.Order), "desc")}
	if f.OrderBy == "invoicenumber" {
		f.OrderBy = "invoicenum"
	}
	switch st := strings.TrimSpace(req.Status); {
	case strings.EqualFold(st, "Overdue"):
		f.OverdueBefore = billingToday(env)
	default:
		f.Status = st
	}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListInvoices, f)
	if err != nil {
		return nil, err
	}
	resp := &getInvoicesResponse{listHeader: headerOf(f.Page, total, len(page))}
	if len(page) > 0 {
		resp.Invoices = &invoiceSearchList{Invoice: make([]invoiceSearchItem, len(page))}
	}
	for i, e := range page {
		resp.Invoices.Invoice[i] = invoiceSearchItem{ID: e.ID, UserID: e.ClientID, Firstname: e.Firstname,
			Lastname: e.Lastname, CompanyName: e.CompanyName, InvoiceNum: e.InvoiceNum, Date: e.Date,
			DueDate: e.DueDate, DatePaid: billingShown(e.DatePaid), LastCaptureAttempt: billingNever,
			DateRefunded: billingShown(e.DateRefunded), DateCancelled: billingShown(e.DateCancelled),
			Subtotal: store.FormatMoney(e.SubtotalCents), Credit: store.FormatMoney(e.CreditCents), Tax: store.FormatMoney(e.TaxCents),
			Tax2: store.FormatMoney(e.Tax2Cents), Total: store.FormatMoney(e.TotalCents), TaxRate: e.TaxRate, TaxRate2: e.TaxRate2,
			Status: e.Status, PaymentMethod: e.PaymentMethod, Notes: e.Notes, CreatedAt: e.CreatedAt,
			UpdatedAt: e.UpdatedAt, CurrencyCode: e.CurrencyCode, CurrencyPrefix: e.CurrencyPrefix,
			CurrencySuffix: e.CurrencySuffix}
	}
	return resp, nil
}

type updateInvoiceRequest struct {
	InvoiceID           int64    `schema:"invoiceid"`
	Status              *string  `schema:"status"`
	PaymentMethod       *string  `schema:"paymentmethod"`
	TaxRate             *string  `schema:"taxrate"`
	TaxRate2            *string  `schema:"taxrate2"`
	Credit              *string  `schema:"credit"`
	Date                *string  `schema:"date"`
	DueDate             *string  `schema:"duedate"`
	DatePaid            *string  `schema:"datepaid"`
	Notes               *string  `schema:"notes"`
	NewItemDescription  []string `schema:"newitemdescription"`
	NewItemAmount       []string `schema:"newitemamount"`
	NewItemTaxed        []string `schema:"newitemtaxed"`
	DeleteLineIDs       []string `schema:"deletelineids"`
	Publish             bool     `schema:"publish"`
	PublishAndSendEmail bool     `schema:"publishandsendemail"`
}

type updateInvoiceResponse struct {
	success
	InvoiceID int64 `json:"invoiceid"`
}

// lineEdits reads itemdescription[<id>], itemamount[<id>] and
// itemtaxed[<id>]; every edited line needs all three.
func lineEdits(params url.Values, invoiceID int64) ([]store.InvoiceItem, error) {
	var out []store.InvoiceItem
	for k := range params {
		idText, ok := strings.CutPrefix(k, "itemdescription[")
		if !ok || !strings.HasSuffix(idText, "]") {
			continue
		}
		idText = strings.TrimSuffix(idText, "]")
		amount, okAmount := params["itemamount["+idText+"]"]
		taxed, okTaxed := params["itemtaxed["+idText+"]"]
		if !okAmount || !okTaxed || len(amount) == 0 || len(taxed) == 0 {
			return nil, Errorf("Missing Variables: itemdescription, itemamount and itemtaxed are required for each item being changed")
		}
		cents, err := billingAmount(amount[len(amount)-1])
		if err != nil {
			return nil, err
		}
		out = append(out, store.InvoiceItem{ID: IntVal(idText), InvoiceID: invoiceID, Description: billingLast(params, k),
			AmountCents: cents, Taxed: Truthy(taxed[len(taxed)-1])})
	}
	if _, unkeyed := params["itemdescription"]; unkeyed && len(out) == 0 {
		// itemdescription[]=… or a plain itemdescription=…: WHMCS would
		// find no line ids and silently change nothing; say what is wrong.
		return nil, Errorf("%s", lineIDsLost)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// lineIDsLost answers line edits sent without line ids.
const lineIDsLost = "itemdescription must be keyed by line item id: itemdescription[<id>]=..."

func updateInvoice(ctx context.Context, env *Env, req *updateInvoiceRequest, params url.Values) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		inv, err := billingInvoice(ctx, tx, req.InvoiceID)
		if err != nil {
			return err
		}
		if (req.Publish || req.PublishAndSendEmail) && inv.Status != "Draft" {
			return Errorf("Invoice must be in Draft status to be published")
		}
		edits, err := lineEdits(params, inv.ID)
		if err != nil {
			return err
		}
		if req.Publish || req.PublishAndSendEmail {
			inv.Status = "Unpaid"
		}
		now := billingNow(env)
		if req.Status != nil {
			s, ok := pickFold(invoiceStatuses, *req.Status)
			if !ok {
				return Errorf("Invalid status %s", *req.Status)
			}
			setInvoiceStatus(&inv, s, now)
		}
		if err := updateInvoiceFields(&inv, req); err != nil {
			return err
		}
		for _, it := range edits {
			if err := tx.UpdateInvoiceItem(ctx, it); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for _, id := range req.DeleteLineIDs {
			if err := tx.DeleteInvoiceItem(ctx, inv.ID, IntVal(id)); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for i, d := range req.NewItemDescription {
			it := store.InvoiceItem{InvoiceID: inv.ID, ClientID: inv.ClientID, Description: d}
			if i < len(req.NewItemAmount) {
				if it.AmountCents, err = billingAmount(req.NewItemAmount[i]); err != nil {
					return err
				}
			}
			if i < len(req.NewItemTaxed) {
				it.Taxed = Truthy(req.NewItemTaxed[i])
			}
			if _, err := tx.AddInvoiceItem(ctx, it); err != nil {
				return err
			}
		}
		inv.UpdatedAt = now
		return tx.UpdateInvoice(ctx, inv)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("invoice updated", "invoiceId", req.InvoiceID)
	return &updateInvoiceResponse{InvoiceID: req.InvoiceID}, nil
}

// setInvoiceStatus changes the status and stamps the date that goes with
// it: paid (unless set), cancelled or refunded.
func setInvoiceStatus(inv *store.Invoice, status, now string) {
	inv.Status = status
	switch status {
	case "Paid":
		if inv.DatePaid == "" {
			inv.DatePaid = now
		}
	case "Cancelled":
		inv.DateCancelled = now
	case "Refunded":
		inv.DateRefunded = now
	}
}

// updateInvoiceFields applies the invoice fields UpdateInvoice was sent.
func updateInvoiceFields(inv *store.Invoice, req *updateInvoiceRequest) (err error) {
	if req.PaymentMethod != nil {
		inv.PaymentMethod = strings.TrimSpace(*req.PaymentMethod)
	}
	if req.TaxRate != nil {
		inv.TaxRate = billingRate(*req.TaxRate, 3)
	}
	if req.TaxRate2 != nil {
		inv.TaxRate2 = billingRate(*req.TaxRate2, 3)
	}
	if req.Credit != nil {
		if inv.CreditCents, err = billingAmount(*req.Credit); err != nil {
			return err
		}
	}
	if req.Notes != nil {
		inv.Notes = *req.Notes
	}
	if req.Date != nil {
		if inv.Date, err = billingDay(*req.Date, inv.Date); err != nil {
			return err
		}
	}
	if req.DueDate != nil {
		if inv.DueDate, err = billingDay(*req.DueDate, inv.DueDate); err != nil {
			return err
		}
	}
	if req.DatePaid != nil {
		s := strings.TrimSpace(*req.DatePaid)
		if t, perr := time.Parse(billingTimeLayout, s); perr == nil {
			inv.DatePaid = t.Format(billingTimeLayout)
		} else if t, perr := time.Parse(time.DateOnly, s); perr == nil {
			inv.DatePaid = t.Format(billingTimeLayout)
		} else {
			return Errorf(billingBadDay)
		}
	}
	return nil
}
