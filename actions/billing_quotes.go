// This file holds WHMCS's quote actions (Billing category): CreateQuote,
// UpdateQuote, DeleteQuote, GetQuotes, SendQuote and AcceptQuote. A quote
// is for a client (userid) or for a lead, whose name, email and address
// the quote holds itself. Its lines come from lineitems, either as
// bracket keys (lineitems[0][desc]=…, as http_build_query writes an
// array) or as one value, the base64 of PHP's serialize() of the array
// (as WHMCS documents it); each line has desc, qty, up (unit price),
// discount (percent off) and taxable, and UpdateQuote's id. A line comes
// to qty × up less discount percent, rounded to the cent; quotes carry no
// tax (tax rules are not emulated), so tax1 and tax2 are 0.00 and the
// total is the subtotal. Dates are read in the System Date Format
// (DateFormat, DD/MM/YYYY unless set) or as YYYY-MM-DD.
//
// CreateQuote: "Subject is required" · "Invalid Stage" · "Valid Until is
// required", in that order, then whmcsemu's own: "Client ID Not Found" (a
// userid that is no client) · "Currency ID Not Found" · "Invalid date
// \"x\": use the System Date Format (…) or YYYY-MM-DD" (validuntil,
// datecreated) · "lineitems must be lineitems[n][desc]=… keys or the
// base64 of a PHP serialized array". stage is matched in any case.
// datecreated defaults to today; a line's qty to 1. A client's quote
// takes the client's currency; a lead's the currency sent, else 1.
// country defaults to DefaultCountry (US). quoteid is a number (the
// docs' table; the example shows "1").
//
// UpdateQuote: "Quote ID Not Found" · "Invalid Stage", then the same
// messages of whmcsemu's as CreateQuote. Only the fields sent change; a
// line with the id of one of the quote's lines changes the fields it
// sends, a line without an id is added, a line with another id is
// ignored (as UpdateInvoice ignores ids not on its invoice). postcode is
// read too, though WHMCS's reference leaves it out here.
//
// DeleteQuote: "Quote ID Not Found". The quote and its lines go.
//
// GetQuotes: no messages. Filters quoteid, userid, subject (exact), stage
// (any case), datecreated, lastmodified and validuntil (Y-m-d) combine
// with AND; newest first, as the documented example lists them;
// limitnum defaults to 25 and quotes.quote is left out when the page is
// empty. A quote's client (WHMCS 8.7 and later) is its client's id,
// names, email, date created, group and status, null for a lead. Kinds
// as the example shows them: ids, currency, taxable and the client's id
// and groupid numbers, amounts, quantities and discounts strings; dates
// never set are 0000-00-00.
//
// SendQuote: "Quote ID Not Found" · "The quote has no email address to
// send it to" (whmcsemu's: a lead's quote without an email). The "Quote
// Delivery with PDF" email goes to the client (or the lead's address) in
// the outbox; the quote's datesent becomes today and a Draft or On Hold
// quote becomes Delivered.
//
// AcceptQuote: "Quote ID Not Found". The quote becomes Accepted
// (dateaccepted today) and an Unpaid invoice dated and due today, with
// one line per quote line ("qty x desc" unless qty is 1; the line's
// amount; taxed when taxable), in the first payment method; invoiceid
// is a number (the docs' table). A lead becomes a client first, with the
// quote's details and an owner user with an unusable random password, as
// WHMCS turns a lead into a client; AddClient's messages apply ("You did
// not enter your email address", "The email address you entered was not
// valid", "The email address entered is not available for use.", "A user
// already exists with that email address"). The client gets the "Quote
// Accepted" email. Accepting a quote again makes another invoice.

package actions

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// quoteLead are the lead fields CreateQuote and UpdateQuote read, for a
// quote without a client.
type quoteLead struct {
	detailFields
	TaxID *string `schema:"tax_id"`
}

func (l *quoteLead) apply(q *store.Quote) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&q.Firstname, l.Firstname}, {&q.Lastname, l.Lastname}, {&q.CompanyName, l.CompanyName}, {&q.Email, l.Email},
		{&q.Address1, l.Address1}, {&q.Address2, l.Address2}, {&q.City, l.City}, {&q.State, l.State},
		{&q.Postcode, l.Postcode}, {&q.Country, l.Country}, {&q.PhoneNumber, l.PhoneNumber}, {&q.TaxID, l.TaxID}} {
		if f.v != nil {
			*f.dst = strings.TrimSpace(*f.v)
		}
	}
}

type createQuoteRequest struct {
	Subject       string `schema:"subject"`
	Stage         string `schema:"stage"`
	ValidUntil    string `schema:"validuntil"`
	DateCreated   string `schema:"datecreated"`
	LineItems     string `schema:"lineitems"`
	UserID        int64  `schema:"userid"`
	Currency      int64  `schema:"currency"`
	Proposal      string `schema:"proposal"`
	CustomerNotes string `schema:"customernotes"`
	AdminNotes    string `schema:"adminnotes"`
	quoteLead
}

type quoteIDResponse struct {
	success
	QuoteID int64 `json:"quoteid"`
}

func createQuote(ctx context.Context, env *Env, req *createQuoteRequest, params url.Values) (any, error) {
	if strings.TrimSpace(req.Subject) == "" {
		return nil, Errorf("Subject is required")
	}
	stage, ok := pickFold(store.QuoteStages, req.Stage)
	if !ok {
		return nil, Errorf("Invalid Stage")
	}
	if strings.TrimSpace(req.ValidUntil) == "" {
		return nil, Errorf("Valid Until is required")
	}
	lines, err := quoteLines(params)
	if err != nil {
		return nil, err
	}
	today := billingToday(env)
	q := store.Quote{Subject: req.Subject, Stage: stage, ClientID: req.UserID, Currency: 1, Proposal: req.Proposal,
		CustomerNotes: req.CustomerNotes, AdminNotes: req.AdminNotes, DateCreated: today, LastModified: today}
	req.quoteLead.apply(&q)
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := quoteClientAndCurrency(ctx, tx, &q, req.UserID != 0, req.Currency); err != nil {
			return err
		}
		if err := quoteDates(ctx, tx, &q, &req.ValidUntil, &req.DateCreated); err != nil {
			return err
		}
		if q.Country == "" {
			country, err := configValue(ctx, tx, configSettings["defaultcountry"])
			if err != nil {
				return err
			}
			q.Country = country
		}
		if q.ID, err = tx.PutQuote(ctx, q); err != nil {
			return err
		}
		return putQuoteLines(ctx, tx, q.ID, nil, lines)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("quote created", "quoteId", q.ID, "clientId", q.ClientID)
	return &quoteIDResponse{QuoteID: q.ID}, nil
}

// quoteClientAndCurrency checks a quote's client, when it has one, and
// sets its currency: the client's, else the one asked for (which must
// exist), else the one it has.
func quoteClientAndCurrency(ctx context.Context, tx *store.Tx, q *store.Quote, clientChanged bool, currency int64) error {
	if q.ClientID != 0 {
		p, err := tx.ClientProfileByID(ctx, q.ClientID)
		if err != nil {
			return notFoundAs(err, Errorf("Client ID Not Found"))
		}
		if clientChanged || currency != 0 {
			q.Currency = p.Currency
		}
		return nil
	}
	if currency != 0 {
		if err := mustExist(ctx, tx.CurrencyExists, currency, Errorf("Currency ID Not Found")); err != nil {
			return err
		}
		q.Currency = currency
	}
	return nil
}

// quoteDates reads validuntil and datecreated, when sent, into q.
func quoteDates(ctx context.Context, tx *store.Tx, q *store.Quote, validUntil, dateCreated *string) error {
	format, err := dateFormat(ctx, tx)
	if err != nil {
		return err
	}
	for _, d := range []struct {
		dst *string
		v   *string
	}{{&q.ValidUntil, validUntil}, {&q.DateCreated, dateCreated}} {
		if d.v == nil || strings.TrimSpace(*d.v) == "" {
			continue
		}
		day, err := parseDay(strings.TrimSpace(*d.v), format)
		if err != nil {
			return err
		}
		*d.dst = day.Format("2006-01-02")
	}
	return nil
}

// quoteLine is one entry of lineitems: the fields it was sent with.
type quoteLine struct {
	key    string
	fields map[string]string
}

func (l quoteLine) has(name string) bool { _, ok := l.fields[name]; return ok }

// errQuoteLines answers lineitems that are neither form.
var errQuoteLines = Errorf("lineitems must be lineitems[n][desc]=… keys or the base64 of a PHP serialized array")

// quoteLines reads lineitems: bracket keys lineitems[<key>][<field>], or
// one value holding the base64 of PHP's serialize() of the same array.
// Lines come in key order (numeric keys by number, before other keys).
func quoteLines(params url.Values) ([]quoteLine, error) {
	byKey := map[string]map[string]string{}
	if vs := params["lineitems"]; len(vs) > 0 {
		raw, err := phpBase64(vs[len(vs)-1])
		if err != nil {
			return nil, errQuoteLines
		}
		v, err := phpUnserialize(string(raw))
		list, ok := v.([]phpEntry)
		if err != nil || !ok {
			return nil, errQuoteLines
		}
		for _, e := range list {
			line, ok := e.Value.([]phpEntry)
			if !ok {
				return nil, errQuoteLines
			}
			fields := map[string]string{}
			for _, f := range line {
				fields[f.Key] = phpString(f.Value)
			}
			byKey[e.Key] = fields
		}
	}
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, "lineitems[")
		if !ok || len(vs) == 0 {
			continue
		}
		key, field, ok := strings.Cut(rest, "][")
		if !ok || !strings.HasSuffix(field, "]") || strings.Contains(field, "[") {
			continue
		}
		if byKey[key] == nil {
			byKey[key] = map[string]string{}
		}
		byKey[key][strings.TrimSuffix(field, "]")] = vs[len(vs)-1]
	}
	out := make([]quoteLine, 0, len(byKey))
	for k, f := range byKey {
		out = append(out, quoteLine{key: k, fields: f})
	}
	sort.Slice(out, func(i, j int) bool { return phpKeyLess(out[i].key, out[j].key) })
	return out, nil
}

// quoteNumber reads a quantity as PHP's (float) cast does, to two
// decimal places, and writes it without trailing zeros ("1", "1.5").
// store.ErrMoneyRange when it is past decimal(16,2).
func quoteNumber(s string) (string, error) {
	n, err := billingAmount(s)
	return store.HundredthsText(n), err
}

// putQuoteLines writes lines on quote id: one with the id of an existing
// line (of existing, by id) changes the fields it sends; one without an
// id is added; one with another id is ignored. With no existing lines
// (CreateQuote, which documents no id) every line is added. Then the
// quote is recalculated.
func putQuoteLines(ctx context.Context, tx *store.Tx, id int64, existing map[int64]store.QuoteItem, lines []quoteLine) error {
	for _, l := range lines {
		it := store.QuoteItem{QuoteID: id, Quantity: "1", Discount: "0.00"}
		if existing != nil && l.has("id") && IntVal(l.fields["id"]) != 0 {
			old, ok := existing[IntVal(l.fields["id"])]
			if !ok {
				continue
			}
			it = old
		}
		if l.has("desc") {
			it.Description = l.fields["desc"]
		}
		var err error
		if l.has("qty") {
			if it.Quantity, err = quoteNumber(l.fields["qty"]); err != nil {
				return err
			}
		}
		if l.has("up") {
			if it.UnitPriceCents, err = billingAmount(l.fields["up"]); err != nil {
				return err
			}
		}
		if l.has("discount") {
			cents, err := billingAmount(l.fields["discount"])
			if err != nil {
				return err
			}
			it.Discount = store.FormatMoney(cents)
		}
		if l.has("taxable") {
			it.Taxable = Truthy(l.fields["taxable"])
		}
		if _, err := store.QuoteLineCents(it); err != nil {
			return err
		}
		if _, err := tx.PutQuoteItem(ctx, it); err != nil {
			return err
		}
	}
	return tx.RecalculateQuote(ctx, id)
}

type updateQuoteRequest struct {
	QuoteID       int64   `schema:"quoteid"`
	Subject       *string `schema:"subject"`
	Stage         *string `schema:"stage"`
	ValidUntil    *string `schema:"validuntil"`
	DateCreated   *string `schema:"datecreated"`
	LineItems     string  `schema:"lineitems"`
	UserID        int64   `schema:"userid"`
	Currency      int64   `schema:"currency"`
	Proposal      *string `schema:"proposal"`
	CustomerNotes *string `schema:"customernotes"`
	AdminNotes    *string `schema:"adminnotes"`
	quoteLead
}

func updateQuote(ctx context.Context, env *Env, req *updateQuoteRequest, params url.Values) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		q, err := tx.QuoteByID(ctx, req.QuoteID)
		if err != nil {
			return notFoundAs(err, Errorf("Quote ID Not Found"))
		}
		if req.Stage != nil {
			stage, ok := pickFold(store.QuoteStages, *req.Stage)
			if !ok {
				return Errorf("Invalid Stage")
			}
			q.Stage = stage
		}
		lines, err := quoteLines(params)
		if err != nil {
			return err
		}
		setIf(&q.Subject, req.Subject)
		setIf(&q.Proposal, req.Proposal)
		setIf(&q.CustomerNotes, req.CustomerNotes)
		setIf(&q.AdminNotes, req.AdminNotes)
		req.quoteLead.apply(&q)
		if req.UserID != 0 {
			q.ClientID = req.UserID
		}
		if err := quoteClientAndCurrency(ctx, tx, &q, req.UserID != 0, req.Currency); err != nil {
			return err
		}
		if err := quoteDates(ctx, tx, &q, req.ValidUntil, req.DateCreated); err != nil {
			return err
		}
		q.LastModified = billingToday(env)
		if _, err := tx.PutQuote(ctx, q); err != nil {
			return err
		}
		items, err := tx.QuoteItems(ctx, q.ID)
		if err != nil {
			return err
		}
		existing := make(map[int64]store.QuoteItem, len(items))
		for _, it := range items {
			existing[it.ID] = it
		}
		return putQuoteLines(ctx, tx, q.ID, existing, lines)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("quote updated", "quoteId", req.QuoteID)
	return &resultOnly{}, nil
}

type quoteIDRequest struct {
	QuoteID int64 `schema:"quoteid"`
}

func deleteQuote(ctx context.Context, env *Env, req *quoteIDRequest) (any, error) {
	return changeOne(ctx, env, Errorf("Quote ID Not Found"), func(tx *store.Tx) error {
		return tx.DeleteQuote(ctx, req.QuoteID)
	}, &resultOnly{}, "quote deleted", "quoteId", req.QuoteID)
}

type getQuotesRequest struct {
	LimitStart   int64  `schema:"limitstart"`
	LimitNum     int64  `schema:"limitnum"`
	QuoteID      int64  `schema:"quoteid"`
	UserID       int64  `schema:"userid"`
	Subject      string `schema:"subject"`
	Stage        string `schema:"stage"`
	DateCreated  string `schema:"datecreated"`
	LastModified string `schema:"lastmodified"`
	ValidUntil   string `schema:"validuntil"`
}

type getQuotesResponse struct {
	listHeader
	Quotes *quoteList `json:"quotes,omitempty"`
}

type quoteList struct {
	Quote []quoteEntry `json:"quote"`
}

type quoteEntry struct {
	ID         int64  `json:"id"`
	Subject    string `json:"subject"`
	Stage      string `json:"stage"`
	ValidUntil string `json:"validuntil"`
	UserID     int64  `json:"userid"`
	// Client is the quote's client (*clientItem), null for a lead's (*null);
	// nil, left out, before WHMCS 8.7.
	Client        any        `json:"client,omitempty"`
	Firstname     string     `json:"firstname"`
	Lastname      string     `json:"lastname"`
	CompanyName   string     `json:"companyname"`
	Email         string     `json:"email"`
	Address1      string     `json:"address1"`
	Address2      string     `json:"address2"`
	City          string     `json:"city"`
	State         string     `json:"state"`
	Postcode      string     `json:"postcode"`
	Country       string     `json:"country"`
	PhoneNumber   string     `json:"phonenumber"`
	TaxID         string     `json:"tax_id"`
	Currency      int64      `json:"currency"`
	Subtotal      string     `json:"subtotal"`
	Tax1          string     `json:"tax1"`
	Tax2          string     `json:"tax2"`
	Total         string     `json:"total"`
	Proposal      string     `json:"proposal"`
	CustomerNotes string     `json:"customernotes"`
	AdminNotes    string     `json:"adminnotes"`
	DateCreated   string     `json:"datecreated"`
	LastModified  string     `json:"lastmodified"`
	DateSent      string     `json:"datesent"`
	DateAccepted  string     `json:"dateaccepted"`
	Items         quoteItems `json:"items"`
}

type quoteItems struct {
	Item []quoteItem `json:"item"`
}

type quoteItem struct {
	ID          int64  `json:"id"`
	Description string `json:"description"`
	Quantity    string `json:"quantity"`
	UnitPrice   string `json:"unitprice"`
	Discount    string `json:"discount"`
	Taxable     int    `json:"taxable"`
}

func getQuotes(ctx context.Context, env *Env, req *getQuotesRequest) (any, error) {
	f := store.QuoteFilter{QuoteID: req.QuoteID, ClientID: req.UserID, Subject: req.Subject,
		Stage: strings.TrimSpace(req.Stage), DateCreated: strings.TrimSpace(req.DateCreated),
		LastModified: strings.TrimSpace(req.LastModified), ValidUntil: strings.TrimSpace(req.ValidUntil),
		Page: listWindow(req.LimitStart, req.LimitNum)}
	withClient := env.shape().quoteClient
	var entries []quoteEntry
	var total int64
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		page, n, err := tx.ListQuotes(ctx, f)
		if err != nil {
			return err
		}
		total = n
		for _, q := range page {
			e, err := newQuoteEntry(ctx, tx, q, withClient)
			if err != nil {
				return err
			}
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp := &getQuotesResponse{listHeader: headerOf(f.Page, total, len(entries))}
	if len(entries) > 0 {
		resp.Quotes = &quoteList{Quote: entries}
	}
	return resp, nil
}

func newQuoteEntry(ctx context.Context, tx *store.Tx, q store.Quote, withClient bool) (quoteEntry, error) {
	e := quoteEntry{ID: q.ID, Subject: q.Subject, Stage: q.Stage, ValidUntil: dateOrZero(q.ValidUntil), UserID: q.ClientID,
		Firstname: q.Firstname, Lastname: q.Lastname, CompanyName: q.CompanyName, Email: q.Email, Address1: q.Address1,
		Address2: q.Address2, City: q.City, State: q.State, Postcode: q.Postcode, Country: q.Country,
		PhoneNumber: q.PhoneNumber, TaxID: q.TaxID, Currency: q.Currency, Subtotal: store.FormatMoney(q.SubtotalCents),
		Tax1: store.FormatMoney(q.Tax1Cents), Tax2: store.FormatMoney(q.Tax2Cents), Total: store.FormatMoney(q.TotalCents),
		Proposal: q.Proposal, CustomerNotes: q.CustomerNotes, AdminNotes: q.AdminNotes,
		DateCreated: dateOrZero(q.DateCreated), LastModified: dateOrZero(q.LastModified), DateSent: dateOrZero(q.DateSent),
		DateAccepted: dateOrZero(q.DateAccepted), Items: quoteItems{Item: []quoteItem{}}}
	if withClient {
		e.Client = &null{}
	}
	if withClient && q.ClientID != 0 {
		c, err := tx.ClientByID(ctx, q.ClientID)
		if err != nil {
			return e, err
		}
		p, err := tx.ClientProfileByID(ctx, q.ClientID)
		if err != nil {
			return e, err
		}
		e.Client = &clientItem{ID: c.ID, Firstname: c.Firstname, Lastname: c.Lastname, CompanyName: c.CompanyName,
			Email: c.Email, DateCreated: clientDate(p.CreatedAt), GroupID: p.GroupID, Status: c.Status}
	}
	items, err := tx.QuoteItems(ctx, q.ID)
	if err != nil {
		return e, err
	}
	for _, it := range items {
		e.Items.Item = append(e.Items.Item, quoteItem{ID: it.ID, Description: it.Description, Quantity: it.Quantity,
			UnitPrice: store.FormatMoney(it.UnitPriceCents), Discount: it.Discount, Taxable: refFlag(it.Taxable)})
	}
	return e, nil
}

func sendQuote(ctx context.Context, env *Env, req *quoteIDRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		q, err := tx.QuoteByID(ctx, req.QuoteID)
		if err != nil {
			return notFoundAs(err, Errorf("Quote ID Not Found"))
		}
		fields, err := quoteMergeFields(ctx, tx, q)
		if err != nil {
			return err
		}
		if err := sendQuoteEmail(ctx, tx, env, "Quote Delivery with PDF", q, fields); err != nil {
			return err
		}
		q.DateSent = billingToday(env)
		if q.Stage == "Draft" || q.Stage == "On Hold" {
			q.Stage = "Delivered"
		}
		_, err = tx.PutQuote(ctx, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("quote sent", "quoteId", req.QuoteID)
	return &resultOnly{}, nil
}

// quoteMergeFields are a quote's merge fields for its emails.
func quoteMergeFields(ctx context.Context, tx *store.Tx, q store.Quote) (map[string]string, error) {
	format, err := dateFormat(ctx, tx)
	if err != nil {
		return nil, err
	}
	money, err := currencyFormat(ctx, tx, q.Currency)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		"quote_number": strconv.FormatInt(q.ID, 10), "quote_id": strconv.FormatInt(q.ID, 10),
		"quote_subject": q.Subject, "quote_stage": q.Stage, "quote_total": money(q.TotalCents),
		"quote_date_created": shownDay(q.DateCreated, format), "quote_valid_until": shownDay(q.ValidUntil, format),
	}, nil
}

// sendQuoteEmail sends a quote's email: to its client, or to the lead's
// address with the lead's names as the client merge fields.
func sendQuoteEmail(ctx context.Context, tx *store.Tx, env *Env, template string, q store.Quote, more map[string]string) error {
	if q.ClientID != 0 {
		return ignoreNoTemplate(sendClientEmail(ctx, tx, env, template, q.ClientID, more))
	}
	if strings.TrimSpace(q.Email) == "" {
		return Errorf("The quote has no email address to send it to")
	}
	fields := clientMergeFields(env, store.Client{Firstname: q.Firstname, Lastname: q.Lastname, CompanyName: q.CompanyName}, q.Email)
	fields["client_id"] = ""
	for k, v := range more {
		fields[k] = v
	}
	return ignoreNoTemplate(sendTemplateTo(ctx, tx, env, template, 0, q.Email, fields))
}

type acceptQuoteResponse struct {
	success
	InvoiceID int64 `json:"invoiceid"`
}

func acceptQuote(ctx context.Context, env *Env, req *quoteIDRequest) (any, error) {
	var invoiceID int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		q, err := tx.QuoteByID(ctx, req.QuoteID)
		if err != nil {
			return notFoundAs(err, Errorf("Quote ID Not Found"))
		}
		if q.ClientID == 0 {
			if q.ClientID, err = clientFromLead(ctx, tx, env, q); err != nil {
				return err
			}
		}
		today := billingToday(env)
		q.Stage, q.DateAccepted, q.LastModified = "Accepted", today, today
		if _, err := tx.PutQuote(ctx, q); err != nil {
			return err
		}
		if invoiceID, err = quoteInvoice(ctx, tx, env, q); err != nil {
			return err
		}
		fields, err := quoteMergeFields(ctx, tx, q)
		if err != nil {
			return err
		}
		fields["invoice_id"] = strconv.FormatInt(invoiceID, 10)
		return sendQuoteEmail(ctx, tx, env, "Quote Accepted", q, fields)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("quote accepted", "quoteId", req.QuoteID, "invoiceId", invoiceID)
	return &acceptQuoteResponse{InvoiceID: invoiceID}, nil
}

// quoteInvoice makes the Unpaid invoice of an accepted quote, one line
// per quote line.
func quoteInvoice(ctx context.Context, tx *store.Tx, env *Env, q store.Quote) (int64, error) {
	items, err := tx.QuoteItems(ctx, q.ID)
	if err != nil {
		return 0, err
	}
	today := billingToday(env)
	inv := store.Invoice{ClientID: q.ClientID, Date: today, DueDate: today, Status: "Unpaid", CreatedAt: billingNow(env)}
	if inv.PaymentMethod, err = firstGateway(ctx, tx); err != nil {
		return 0, err
	}
	lines := make([]store.InvoiceItem, len(items))
	for i, it := range items {
		amount, err := store.QuoteLineCents(it)
		if err != nil {
			return 0, err
		}
		desc := it.Description
		if it.Quantity != "1" {
			desc = it.Quantity + " x " + desc
		}
		lines[i] = store.InvoiceItem{Description: desc, AmountCents: amount, Taxed: it.Taxable, DueDate: today,
			PaymentMethod: inv.PaymentMethod}
	}
	return tx.CreateInvoice(ctx, inv, lines)
}

// clientFromLead makes a client of a quote's lead, as WHMCS does when a
// lead's quote is accepted, and gives the quote to it. Its owner user has
// the lead's email and a random password nobody knows.
func clientFromLead(ctx context.Context, tx *store.Tx, env *Env, q store.Quote) (int64, error) {
	switch email := strings.TrimSpace(q.Email); {
	case email == "":
		return 0, Errorf("You did not enter your email address")
	case !userEmailValid(email):
		return 0, Errorf("The email address you entered was not valid")
	}
	if err := clientEmailAvailable(ctx, tx, q.Email); err != nil {
		return 0, err
	}
	if err := userEmailFree(ctx, tx, q.Email, 0); err != nil {
		return 0, err
	}
	hash, err := auth.HashSecret(env.RandomHex(24))
	if err != nil {
		return 0, err
	}
	now := env.Now().Unix()
	userID, err := addUserOnce(ctx, tx, store.User{Firstname: q.Firstname, Lastname: q.Lastname, Email: q.Email,
		PasswordHash: hash}, store.UserProfile{CreatedAt: now})
	if err != nil {
		return 0, err
	}
	id, err := tx.AddClient(ctx, store.Client{UUID: env.RandomUUID(), Firstname: q.Firstname, Lastname: q.Lastname,
		CompanyName: q.CompanyName, Email: q.Email, Status: "Active", OwnerUserID: userID},
		store.ClientProfile{Address1: q.Address1, Address2: q.Address2, City: q.City, State: q.State, Postcode: q.Postcode,
			Country: strings.ToUpper(q.Country), PhoneNumber: q.PhoneNumber, TaxID: q.TaxID, Currency: max(q.Currency, 1),
			Credit: "0.00", CreatedAt: now})
	if err != nil {
		return 0, err
	}
	env.Log.Info("client added from a quote's lead", "clientId", id, "quoteId", q.ID)
	return id, nil
}
