// This file holds what the Billing actions of billing_quotes.go,
// billing_paymethods.go, billing_capture.go and billing_cron.go share:
// dates and money as emails and invoice lines show them, billing cycles,
// and what happens when an invoice becomes Paid.

package actions

import (
	"context"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// dateFormat is the System Date Format (DateFormat, DD/MM/YYYY unless
// set).
func dateFormat(ctx context.Context, tx *store.Tx) (string, error) {
	return configValue(ctx, tx, configSettings["dateformat"])
}

// shownDay writes a Y-m-d day in a System Date Format, with leading
// zeros, as WHMCS shows dates in emails and on invoice lines: 01/12/2016.
func shownDay(ymd, format string) string {
	t, err := time.Parse(time.DateOnly, ymd)
	if err != nil {
		return ymd
	}
	layout := strings.NewReplacer("DD", "02", "MM", "01", "YYYY", "2006").Replace(format)
	if _, ok := dateFormats[format]; !ok {
		layout = "02/01/2006"
	}
	return t.Format(layout)
}

// firstGateway is the payment gateway an invoice gets when none is named:
// the first active one ("" when there is none).
func firstGateway(ctx context.Context, tx *store.Tx) (string, error) {
	gateways, err := tx.PaymentGateways(ctx)
	if err != nil || len(gateways) == 0 {
		return "", err
	}
	return gateways[0].Module, nil
}

// currencyFormat returns how WHMCS's emails show cents in a currency:
// formatCurrency's prefix, number format and suffix ("$15.95 USD"); the
// amount alone when there is no such currency.
func currencyFormat(ctx context.Context, tx *store.Tx, currency int64) (func(cents int64) string, error) {
	list, err := tx.Currencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.ID == currency {
			return func(cents int64) string { return formatCurrency(c, cents) }, nil
		}
	}
	return store.FormatMoney, nil
}

// cycleMonths are the months of WHMCS's recurring billing cycles; Free
// Account, One Time and anything else do not recur.
var cycleMonths = map[string]int{
	"monthly": 1, "quarterly": 3, "semi-annually": 6, "semiannually": 6, "annually": 12, "biennially": 24,
	"triennially": 36,
}

// addMonths adds months to a day, keeping the day of the month where the
// month has it and taking the month's last day where it does not (31st
// January and a month is 28th or 29th February).
func addMonths(t time.Time, months int) time.Time {
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1)
}

// nextPeriod is the day after a period of months that starts on ymd ("",
// false when ymd is not a Y-m-d day).
func nextPeriod(ymd string, months int) (string, bool) {
	t, err := time.Parse(time.DateOnly, ymd)
	if err != nil || months <= 0 {
		return "", false
	}
	return addMonths(t, months).Format(time.DateOnly), true
}

// renewalKind says what a store.Renewal is: a service, a domain or a
// client addon.
type renewalKind int

const (
	renewService renewalKind = iota
	renewDomain
	renewAddon
)

// renewalLineTypes are the invoice line types that bill a period of each
// kind of renewal, the renewal's own type first.
var renewalLineTypes = map[renewalKind][]string{
	renewService: {"Hosting"},
	renewDomain:  {"Domain", "DomainRegister", "DomainTransfer"},
	renewAddon:   {"Addon"},
}

// lineRenewalKind is the kind of renewal an invoice line of the type
// bills, and false for a line that bills none.
func lineRenewalKind(lineType string) (renewalKind, bool) {
	for kind, types := range renewalLineTypes {
		for _, t := range types {
			if t == lineType {
				return kind, true
			}
		}
	}
	return 0, false
}

// renewals returns the renewals of a kind f selects with the given
// statuses (any status when none).
func renewals(ctx context.Context, tx *store.Tx, kind renewalKind, f store.RenewalFilter, statuses ...string) ([]store.Renewal, error) {
	switch kind {
	case renewDomain:
		return tx.RenewingDomains(ctx, f, statuses...)
	case renewAddon:
		return tx.RenewingAddons(ctx, f, statuses...)
	}
	return tx.RenewingServices(ctx, f, statuses...)
}

// setRenewalDueDates sets the next due and next invoice dates of a
// renewal of a kind.
func setRenewalDueDates(ctx context.Context, tx *store.Tx, kind renewalKind, id int64, nextDue, nextInvoice string) error {
	switch kind {
	case renewDomain:
		return tx.SetDomainDueDates(ctx, id, nextDue, nextInvoice)
	case renewAddon:
		return tx.SetAddonDueDates(ctx, id, nextDue, nextInvoice)
	}
	return tx.SetServiceDueDates(ctx, id, nextDue, nextInvoice)
}

// renewalMonths is how many months one period of a service or client
// addon (its billing cycle) or a domain (its registration period in years)
// lasts; 0 when it does not recur.
func renewalMonths(r store.Renewal, kind renewalKind) int {
	if kind == renewDomain {
		return int(min(max(r.RegPeriod, 1), 10)) * 12
	}
	return cycleMonths[strings.ToLower(strings.TrimSpace(r.BillingCycle))]
}

// markInvoicePaid makes an invoice Paid on datePaid (Y-m-d H:i:s) and, as
// WHMCS does when an invoice is paid, moves on the next due date of each
// service, domain and client addon it bills for the period due then: a
// line of type Hosting (a service), Domain, DomainRegister or
// DomainTransfer (a domain) or Addon (a client addon) whose due date is
// the item's next due date moves that date on by the item's cycle, lines
// in order, so an invoice of two periods moves it on twice.
func markInvoicePaid(ctx context.Context, env *Env, tx *store.Tx, inv *store.Invoice, datePaid string) error {
	inv.Status, inv.DatePaid, inv.UpdatedAt = "Paid", datePaid, billingNow(env)
	if err := tx.UpdateInvoice(ctx, *inv); err != nil {
		return err
	}
	items, err := tx.InvoiceItems(ctx, inv.ID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := advanceDueDate(ctx, tx, it); err != nil {
			return err
		}
	}
	return nil
}

// advanceDueDate moves on the next due date of the service, domain or
// client addon a paid line bills, when the line is for the period due
// then. The next invoice date moves with it when it was behind: a
// service's or domain's is cleared (the next due date stands in for it
// again), an addon's, which WHMCS shows beside the next due date, becomes
// the new next due date.
func advanceDueDate(ctx context.Context, tx *store.Tx, it store.InvoiceItem) error {
	kind, ok := lineRenewalKind(it.Type)
	if !ok {
		return nil
	}
	r, err := renewals(ctx, tx, kind, store.RenewalFilter{Only: true, IDs: []int64{it.RelID}})
	if err != nil || len(r) == 0 || r[0].NextDueDate != it.DueDate || it.DueDate == "" {
		return err
	}
	next, ok := nextPeriod(it.DueDate, renewalMonths(r[0], kind))
	if !ok {
		return nil
	}
	nextInvoice := r[0].NextInvoiceDate
	if nextInvoice != "" && nextInvoice < next {
		nextInvoice = "" // the next due date stands in for it again
	}
	if kind == renewAddon && nextInvoice < next {
		nextInvoice = next
	}
	return setRenewalDueDates(ctx, tx, kind, it.RelID, next, nextInvoice)
}
