// This file holds WHMCS's GenInvoices (Billing category): the invoices
// WHMCS's daily cron makes, made when asked, by the emulator's clock.
//
// GenInvoices: "Client ID Not Found" (a clientid that is no client). The
// invoice generation window is CreateInvoiceDaysBefore days (a
// configuration value, WHMCS's default 14): a period due within that many
// days of today, or before, is invoiced.
//
//   - Services that are Active or Suspended, with a recurring billing
//     cycle (Monthly to Triennially; not Free Account or One Time) and a
//     recurring amount above 0.00, are invoiced from their next invoice
//     date, which is their next due date until GenInvoices has invoiced
//     one (the later of the two when both are set, so that moving the next
//     due date on also moves the invoicing on). Each period within the
//     window gets a line (type Hosting, relid the service, "Group -
//     Product - domain (from - to)" in the System Date Format, the
//     recurring amount, due on the period's first day) unless a line of
//     the service is already due that day (the order's first invoice, for
//     one); the next invoice date then moves on by the cycle, so running
//     it again the same day invents nothing. At most 120 periods of one
//     service are invoiced per run.
//   - Client addons that are Active or Suspended, with a recurring billing
//     cycle and a recurring amount above 0.00, likewise from their next
//     invoice date (AddOrder, a fixture and UpdateClientAddon's nextduedate
//     set it with the next due date), as WHMCS's cron invoices them: type
//     Addon, relid the client addon, "[2 x ]Addon (domain) - Name (from -
//     to)" (WHMCS's words; the domain is its service's, the name its own,
//     else the catalog's), the recurring amount for all its units, plus
//     the setup fee for the period that starts on the day it was
//     registered; the order's first invoice bills that one. Pending
//     addons wait for AcceptOrder, as services do.
//   - Active domains that are to renew, with a recurring amount above
//     0.00, likewise, a period being their registration period in years
//     (type Domain, "Domain Renewal - example.com - 1 Year/s (from -
//     to)"); a DomainRegister or DomainTransfer line due that day counts
//     as the period's.
//   - Billable items: nextcron and duedate items (due within the window)
//     once, recur items each time a recurrence falls due within the window
//     until recurfor invoices are made (the due date moving on by recur
//     recurcycle), and nextinvoice items with the client's next invoice
//     this run makes; invoicecount counts them. noinvoice items never.
//   - serviceids, domainids and addonids (lists, or comma-separated) limit
//     the run to those services, domains and client addons; billable
//     items are then left for another run. clientid limits it to one
//     client.
//
// Each client's lines go on one Unpaid invoice per payment method (the
// item's, else the first payment method), services' lines first, then
// addons', domains' and billable items', one per service, addon or domain
// when the client (or its group) wants separate invoices; the invoice is
// dated today and due on its earliest line's day, taxes 0. Paying it moves
// the next due dates of its services, addons and domains on
// (markInvoicePaid). Each invoice's client gets the
// "Invoice Created" email unless noemails. numcreated is the number of
// invoices made and latestinvoiceid, sent when clientid is, the last one's
// id (0 for none); both numbers (the docs' table; the example shows
// "3"). The client's credit is not applied to the new invoices.
//
// whmcsemu has no cron: GenInvoices stands in for WHMCS's daily invoice
// task, CreateInvoices, and, as that task does, records each run in the
// automation log (store.LogAutomation) that GetAutomationLog reads: task
// CreateInvoices, namespace CreateInvoices.invoice.created (the task's
// name and its output's, as WHMCS keeps them, so that the docs' example
// namespace=createinvoices finds it), value the invoices made, 0
// included, dated now on the emulator's clock. Every run is recorded,
// one limited to a client or to items too (WHMCS's API call, which runs
// the same invoicing without the task, records none: whmcsemu has no
// other run to record).

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// The automation log entry each run writes, as WHMCS's invoice task
// (CreateInvoices) writes its output invoice.created: the namespace is
// the task's name and the output's, joined by a dot.
const (
	invoiceTaskName      = "CreateInvoices"
	invoiceTaskNamespace = "CreateInvoices.invoice.created"
)

// maxPeriodsPerRun bounds the periods of one service, domain or recurring
// billable item one GenInvoices invoices (a next due date far in the past
// catches up over several runs).
const maxPeriodsPerRun = 120

type genInvoicesRequest struct {
	NoEmails   bool     `schema:"noemails"`
	ClientID   int64    `schema:"clientid"`
	ServiceIDs []string `schema:"serviceids"`
	DomainIDs  []string `schema:"domainids"`
	AddonIDs   []string `schema:"addonids"`
}

type genInvoicesResponse struct {
	success
	NumCreated      int    `json:"numcreated"`
	LatestInvoiceID *int64 `json:"latestinvoiceid,omitempty"`
}

// genLine is one invoice line GenInvoices makes, with what groups it.
type genLine struct {
	clientID int64
	group    string // the payment method, and the item when invoiced apart
	item     store.InvoiceItem
}

// genRun is one GenInvoices run.
type genRun struct {
	ctx      context.Context
	tx       *store.Tx
	today    string
	limit    string // the last due day the window takes in
	format   string // the System Date Format
	gateway  string // the first payment method
	separate map[int64]bool
	lines    []genLine
}

func genInvoices(ctx context.Context, env *Env, req *genInvoicesRequest) (any, error) {
	serviceIDs, domainIDs, addonIDs := genIDs(req.ServiceIDs), genIDs(req.DomainIDs), genIDs(req.AddonIDs)
	specific := len(serviceIDs)+len(domainIDs)+len(addonIDs) > 0
	var created []int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if req.ClientID != 0 {
			if err := billingClient(ctx, tx, req.ClientID, "Client ID Not Found"); err != nil {
				return err
			}
		}
		run, err := newGenRun(ctx, tx, env)
		if err != nil {
			return err
		}
		for _, k := range []struct {
			kind     renewalKind
			ids      []int64
			statuses []string
		}{
			{renewService, serviceIDs, []string{"Active", "Suspended"}},
			{renewAddon, addonIDs, []string{"Active", "Suspended"}},
			{renewDomain, domainIDs, []string{"Active"}},
		} {
			list, err := renewals(ctx, tx, k.kind, store.RenewalFilter{ClientID: req.ClientID, Only: specific, IDs: k.ids},
				k.statuses...)
			if err != nil {
				return err
			}
			for _, r := range list {
				if err := run.renew(r, k.kind); err != nil {
					return err
				}
			}
		}
		if !specific {
			if err := run.billables(req.ClientID); err != nil {
				return err
			}
		}
		if created, err = run.invoices(env); err != nil {
			return err
		}
		if _, err := tx.LogAutomation(ctx, store.AutomationEntry{Date: env.Now().Unix(), Name: invoiceTaskName,
			Namespace: invoiceTaskNamespace, Value: int64(len(created))}); err != nil {
			return err
		}
		if req.NoEmails {
			return nil
		}
		for _, id := range created {
			if err := sendInvoiceEmail(ctx, tx, env, "Invoice Created", id, 0, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("invoices generated", "count", len(created), "clientId", req.ClientID)
	resp := &genInvoicesResponse{NumCreated: len(created)}
	if req.ClientID != 0 {
		var last int64
		if len(created) > 0 {
			last = created[len(created)-1]
		}
		resp.LatestInvoiceID = &last
	}
	return resp, nil
}

// genIDs reads a list of ids sent as a list or comma-separated, as PHP's
// (int) reads each; zeros are dropped.
func genIDs(list []string) []int64 {
	var out []int64
	for _, v := range list {
		for _, part := range strings.Split(v, ",") {
			if id := IntVal(part); id > 0 {
				out = append(out, id)
			}
		}
	}
	return out
}

// invoiceDaysBefore is the invoice generation window, in days.
func invoiceDaysBefore(ctx context.Context, tx *store.Tx) (int, error) {
	v, err := configValue(ctx, tx, configSettings["createinvoicedaysbefore"])
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 14, nil // not a number: WHMCS's default
	}
	return n, nil
}

func newGenRun(ctx context.Context, tx *store.Tx, env *Env) (*genRun, error) {
	days, err := invoiceDaysBefore(ctx, tx)
	if err != nil {
		return nil, err
	}
	format, err := dateFormat(ctx, tx)
	if err != nil {
		return nil, err
	}
	now := env.Now().UTC()
	run := &genRun{ctx: ctx, tx: tx, today: now.Format(time.DateOnly), limit: now.AddDate(0, 0, days).Format(time.DateOnly),
		format: format, separate: map[int64]bool{}}
	run.gateway, err = firstGateway(ctx, tx)
	return run, err
}

// separateInvoices reports whether a client (or its group) wants one
// invoice per item.
func (r *genRun) separateInvoices(clientID int64) (bool, error) {
	if sep, ok := r.separate[clientID]; ok {
		return sep, nil
	}
	p, err := r.tx.ClientProfileByID(r.ctx, clientID)
	if err != nil {
		return false, err
	}
	sep := p.SeparateInvoices
	if !sep && p.GroupID != 0 {
		groups, err := r.tx.ClientGroups(r.ctx)
		if err != nil {
			return false, err
		}
		for _, g := range groups {
			sep = sep || g.ID == p.GroupID && g.SeparateInvoices
		}
	}
	r.separate[clientID] = sep
	return sep, nil
}

// add queues a line of a client's, grouped by its payment method (and by
// key, when the client wants separate invoices).
func (r *genRun) add(clientID int64, key string, it store.InvoiceItem) error {
	if it.PaymentMethod == "" {
		it.PaymentMethod = r.gateway
	}
	group := it.PaymentMethod
	sep, err := r.separateInvoices(clientID)
	if err != nil {
		return err
	}
	if sep {
		group += "\x00" + key
	}
	it.ClientID = clientID
	r.lines = append(r.lines, genLine{clientID: clientID, group: group, item: it})
	return nil
}

// renew invoices the periods of a service, domain or client addon due
// within the window and moves its next invoice date on.
func (r *genRun) renew(s store.Renewal, kind renewalKind) error {
	months := renewalMonths(s, kind)
	if months == 0 || s.AmountCents <= 0 || kind == renewDomain && s.DoNotRenew {
		return nil
	}
	due := max(s.NextInvoiceDate, s.NextDueDate)
	if _, err := time.Parse(time.DateOnly, due); err != nil {
		return nil
	}
	key := map[renewalKind]string{renewService: "service ", renewDomain: "domain ", renewAddon: "addon "}[kind] +
		strconv.FormatInt(s.ID, 10)
	moved := false
	for n := 0; due <= r.limit && n < maxPeriodsPerRun; n++ {
		next, ok := nextPeriod(due, months)
		if !ok {
			break
		}
		invoiced, err := r.tx.PeriodInvoiced(r.ctx, renewalLineTypes[kind], s.ID, due)
		if err != nil {
			return err
		}
		if !invoiced {
			it, err := r.renewalLine(s, kind, due, next)
			if err != nil {
				return err
			}
			if err := r.add(s.ClientID, key, it); err != nil {
				return err
			}
		}
		due, moved = next, true
	}
	if !moved {
		return nil
	}
	return setRenewalDueDates(r.ctx, r.tx, kind, s.ID, s.NextDueDate, due)
}

// renewalLine is the line of one period, from due to the day before next.
func (r *genRun) renewalLine(s store.Renewal, kind renewalKind, due, next string) (store.InvoiceItem, error) {
	to, _ := time.Parse(time.DateOnly, next)
	period := "(" + shownDay(due, r.format) + " - " + shownDay(to.AddDate(0, 0, -1).Format(time.DateOnly), r.format) + ")"
	it := store.InvoiceItem{Type: renewalLineTypes[kind][0], RelID: s.ID, AmountCents: s.AmountCents, DueDate: due,
		PaymentMethod: s.PaymentMethod}
	switch kind {
	case renewDomain:
		it.Description = "Domain Renewal - " + s.Domain + " - " + strconv.FormatInt(min(max(s.RegPeriod, 1), 10), 10) +
			" Year/s " + period
	case renewAddon:
		// WHMCS's words: "[2 x ]Addon (example.com) - Name (from - to)";
		// the first period, from the day it was registered, carries the
		// setup fee.
		if s.Qty > 1 {
			it.Description = strconv.FormatInt(s.Qty, 10) + " x "
		}
		it.Description += "Addon "
		if s.Domain != "" {
			it.Description += "(" + s.Domain + ") "
		}
		it.Description += "- "
		if s.ProductName != "" {
			it.Description += s.ProductName + " "
		}
		it.Description += period
		if s.RegDate == due {
			amount, err := store.AddMoney(s.AmountCents, s.SetupFeeCents)
			if err != nil {
				return it, err
			}
			it.AmountCents = amount
		}
	default:
		it.Description = s.ProductName
		if s.GroupName != "" {
			it.Description = s.GroupName + " - " + it.Description
		}
		if s.Domain != "" {
			it.Description += " - " + s.Domain
		}
		it.Description += " " + period
	}
	return it, nil
}

// billables queues the billable items due this run; nextinvoice items go
// with their client's next invoice, when this run makes one.
func (r *genRun) billables(clientID int64) error {
	items, err := r.tx.BillableItems(r.ctx)
	if err != nil {
		return err
	}
	var later []store.BillableItem
	for _, b := range items {
		if clientID != 0 && b.ClientID != clientID {
			continue
		}
		before := b.InvoiceCount
		if b.InvoiceAction < 0 || b.InvoiceAction >= int64(len(billableActions)) {
			continue
		}
		switch billableActions[b.InvoiceAction] {
		case "nextcron":
			if b.InvoiceCount == 0 {
				if err := r.billableLine(b, b.DueDate); err != nil {
					return err
				}
				b.InvoiceCount++
			}
		case "duedate":
			if b.InvoiceCount == 0 && b.DueDate != "" && b.DueDate <= r.limit {
				if err := r.billableLine(b, b.DueDate); err != nil {
					return err
				}
				b.InvoiceCount++
			}
		case "recur":
			for n := 0; b.InvoiceCount < b.RecurFor && b.DueDate != "" && b.DueDate <= r.limit && n < maxPeriodsPerRun; n++ {
				if err := r.billableLine(b, b.DueDate); err != nil {
					return err
				}
				b.InvoiceCount++
				next, ok := recurNext(b.DueDate, b.Recur, b.RecurCycle)
				if !ok {
					break
				}
				b.DueDate = next
			}
		case "nextinvoice":
			if b.InvoiceCount == 0 {
				later = append(later, b)
			}
		}
		if b.InvoiceCount != before {
			if _, err := r.tx.PutBillableItem(r.ctx, b); err != nil {
				return err
			}
		}
	}
	for _, b := range later {
		if !r.hasLines(b.ClientID) {
			continue
		}
		if err := r.billableLine(b, ""); err != nil {
			return err
		}
		b.InvoiceCount++
		if _, err := r.tx.PutBillableItem(r.ctx, b); err != nil {
			return err
		}
	}
	return nil
}

func (r *genRun) hasLines(clientID int64) bool {
	for _, l := range r.lines {
		if l.clientID == clientID {
			return true
		}
	}
	return false
}

// billableLine queues a billable item's line, due on due (today when "").
func (r *genRun) billableLine(b store.BillableItem, due string) error {
	if due == "" {
		due = r.today
	}
	return r.add(b.ClientID, "item "+strconv.FormatInt(b.ID, 10), store.InvoiceItem{Type: "Item", RelID: b.ID,
		Description: b.Description, AmountCents: b.AmountCents, DueDate: due})
}

// recurNext is a recurring billable item's next due date: every units
// cycles (Days, Weeks, Months or Years).
func recurNext(ymd string, units int64, cycle string) (string, bool) {
	t, err := time.Parse(time.DateOnly, ymd)
	if err != nil || units <= 0 || units > 1200 {
		return "", false
	}
	n := int(units)
	switch cycle {
	case "Days":
		t = t.AddDate(0, 0, n)
	case "Weeks":
		t = t.AddDate(0, 0, 7*n)
	case "Months":
		t = addMonths(t, n)
	case "Years":
		t = addMonths(t, 12*n)
	default:
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// invoices makes the queued lines' invoices, client by client in the
// order their lines came, and returns their ids.
func (r *genRun) invoices(env *Env) ([]int64, error) {
	type key struct {
		client int64
		group  string
	}
	var order []key
	groups := map[key][]store.InvoiceItem{}
	for _, l := range r.lines {
		k := key{l.clientID, l.group}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], l.item)
	}
	var ids []int64
	for _, k := range order {
		items := groups[k]
		due := items[0].DueDate
		for _, it := range items {
			due = min(due, it.DueDate)
		}
		inv := store.Invoice{ClientID: k.client, Date: r.today, DueDate: due, Status: "Unpaid",
			PaymentMethod: items[0].PaymentMethod, CreatedAt: billingNow(env)}
		id, err := r.tx.CreateInvoice(r.ctx, inv, items)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
