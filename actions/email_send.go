// This file holds the email actions: SendEmail, SendAdminEmail and
// GetEmailTemplates (System), and GetEmails (Client). They render the
// templates of migration 0018 (or a custom message) into the outbox that
// actions/email.go describes; GetEmails and the control plane's
// GET /_whmcsemu/emails read it back.
//
// SendEmail: "You must provide either an existing email template name or a
// custom message type" · "Invalid message type provided" · "A subject is
// required for a custom message" · "A message body is required for a
// custom message" · "The custom variables you provided are invalid." · "A
// related ID is required" · "Email Template not found" · "Email Template is
// disabled" · "Sending Failed. Please see documentation." (a related id
// that is not there; a template the docs say cannot be sent this way).
//
// SendAdminEmail: "Email Template not found" · "Invalid type: use system,
// account or support" and "Department ID Not Found" (whmcsemu's wording:
// WHMCS documents neither) · "The custom variables you provided are
// invalid." (mergefields neither an array nor a serialized one, as
// SendEmail's customvars).
//
// GetEmails: "Client ID Not Found".
//
// GetEmailTemplates has no error of its own.
//
// Choices WHMCS does not document: with customtype given SendEmail sends
// the custom message and ignores messagename; admin templates are not
// client templates (SendEmail answers "Email Template not found" for one);
// a guest's support ticket is mailed to its address with no client.
// SendAdminEmail addresses every admin that is not disabled and has an
// email, whatever the type and department (whmcsemu keeps no per-admin
// notification settings). GetEmails lists newest first, filters date as a
// prefix or part of its Y-m-d H:i:s text and subject as a part of it, and
// answers to as the address the message went to.

package actions

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// customEmailTypes are the kinds of custom email SendEmail sends, and what
// its related id names for each.
var customEmailTypes = []string{"general", "product", "domain", "invoice", "support", "affiliate"}

// notSendable are the templates WHMCS's docs say SendEmail cannot send.
var notSendable = map[string]bool{"Order Confirmation": true, "Password Reset Confirmation": true,
	"Password Reset Validation": true, "Quote Accepted": true, "Quote Accepted Notification": true,
	"Quote Delivery with PDF": true, "Clients Only Bounce Message": true, "Replies Only Bounce Message": true,
	"Affiliate Monthly Referrals Report": true}

var (
	errSendingFailed = Errorf("Sending Failed. Please see documentation.")
	errCustomVars    = Errorf("The custom variables you provided are invalid.")
)

type sendEmailRequest struct {
	MessageName   string `schema:"messagename"`
	ID            int64  `schema:"id"`
	CustomType    string `schema:"customtype"`
	CustomMessage string `schema:"custommessage"`
	CustomSubject string `schema:"customsubject"`
	// CustomVars is base64 of a PHP-serialized array; customvars[name]
	// keys, read from the parameters, are the array form.
	CustomVars string `schema:"customvars"`
}

func sendEmail(ctx context.Context, env *Env, req *sendEmailRequest, params url.Values) (any, error) {
	switch {
	case req.MessageName == "" && req.CustomType == "":
		return nil, Errorf("You must provide either an existing email template name or a custom message type")
	case req.CustomType != "" && !slices.Contains(customEmailTypes, req.CustomType):
		return nil, Errorf("Invalid message type provided")
	case req.CustomType != "" && req.CustomSubject == "":
		return nil, Errorf("A subject is required for a custom message")
	case req.CustomType != "" && req.CustomMessage == "":
		return nil, Errorf("A message body is required for a custom message")
	}
	vars, err := customVars(params, "customvars", req.CustomVars)
	if err != nil {
		return nil, err
	}
	if req.ID == 0 {
		return nil, Errorf("A related ID is required")
	}
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		t := store.EmailTemplate{Type: req.CustomType, Subject: req.CustomSubject, Message: req.CustomMessage}
		if req.CustomType == "" {
			var err error
			t, err = tx.EmailTemplateByName(ctx, req.MessageName, "")
			if err != nil || t.Type == "admin" {
				return notFoundUnless(err, t.Type != "admin", errNoTemplate)
			}
			if t.Disabled {
				return Errorf("Email Template is disabled")
			}
			if notSendable[t.Name] {
				return errSendingFailed
			}
		}
		r, err := relatedEmail(ctx, tx, env, t.Type, req.ID)
		if err != nil {
			return notFoundAs(err, errSendingFailed)
		}
		for k, v := range vars {
			r.fields[k] = v
		}
		_, err = tx.PutEmail(ctx, store.Email{ClientID: r.clientID, To: r.to, Subject: render(t.Subject, r.fields),
			Message: render(t.Message, r.fields), Template: t.Name, Type: t.Type, Date: env.Now().Unix()})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}

// related is whom an email about a related row goes to, with the row's
// merge fields.
type related struct {
	clientID int64 // 0 for a guest
	to       string
	fields   map[string]string
}

// relatedEmail finds what SendEmail's related id names for a template type
// (general and affiliate: a client; product: a service; domain: a domain;
// invoice: an invoice; support: a ticket) and the merge fields it brings:
// the client's and the row's. store.ErrNotFound when there is none.
func relatedEmail(ctx context.Context, tx *store.Tx, env *Env, typ string, id int64) (related, error) {
	client := func(clientID int64, more map[string]string) (related, error) {
		c, err := tx.ClientByID(ctx, clientID)
		if err != nil {
			return related{}, err
		}
		fields := clientMergeFields(env, c, c.Email)
		for k, v := range more {
			fields[k] = v
		}
		return related{clientID: c.ID, to: c.Email, fields: fields}, nil
	}
	switch typ {
	case "product":
		s, err := tx.ServiceByID(ctx, id)
		if err != nil {
			return related{}, err
		}
		d, err := tx.ServiceDetailsByID(ctx, id)
		if err != nil {
			return related{}, err
		}
		p, err := tx.ProductDetailsByID(ctx, s.ProductID)
		if err != nil {
			return related{}, err
		}
		return client(s.ClientID, map[string]string{
			"service_id": strconv.FormatInt(s.ID, 10), "service_product_name": p.Name, "service_domain": s.Domain,
			"service_status": s.Status, "service_username": d.Username, "service_billing_cycle": d.BillingCycle,
			"service_reg_date": d.RegDate, "service_next_due_date": d.NextDueDate,
			"service_first_payment_amount": d.FirstPaymentAmount, "service_recurring_amount": d.RecurringAmount,
			"service_payment_method": d.PaymentMethod, "service_dedicated_ip": d.DedicatedIP,
			"service_suspension_reason": d.SuspendReason,
		})
	case "domain":
		d, err := tx.DomainByID(ctx, id)
		if err != nil {
			return related{}, err
		}
		return client(d.ClientID, map[string]string{
			"domain_id": strconv.FormatInt(d.ID, 10), "domain_name": d.Domain, "domain_reg_period": domainPeriod(d.RegPeriod),
			"domain_reg_date": d.RegDate, "domain_expiry_date": d.ExpiryDate, "domain_next_due_date": d.NextDueDate,
			"domain_status": d.Status, "domain_registrar": d.Registrar, "domain_type": d.RegType,
			"domain_first_payment_amount": store.FormatMoney(d.FirstPaymentAmountCents),
			"domain_recurring_amount":     store.FormatMoney(d.RecurringAmountCents),
			"domain_payment_method":       d.PaymentMethod,
		})
	case "invoice":
		inv, err := tx.InvoiceByID(ctx, id)
		if err != nil {
			return related{}, err
		}
		balance, err := tx.InvoiceBalance(ctx, inv)
		if err != nil {
			return related{}, err
		}
		num := inv.InvoiceNum
		if num == "" {
			num = strconv.FormatInt(inv.ID, 10)
		}
		return client(inv.ClientID, map[string]string{
			"invoice_id": strconv.FormatInt(inv.ID, 10), "invoice_num": num, "invoice_date_created": inv.Date,
			"invoice_date_due": inv.DueDate, "invoice_date_paid": inv.DatePaid, "invoice_status": inv.Status,
			"invoice_payment_method": inv.PaymentMethod, "invoice_subtotal": store.FormatMoney(inv.SubtotalCents),
			"invoice_credit": store.FormatMoney(inv.CreditCents), "invoice_tax": store.FormatMoney(inv.TaxCents),
			"invoice_tax2": store.FormatMoney(inv.Tax2Cents), "invoice_total": store.FormatMoney(inv.TotalCents),
			"invoice_balance": store.FormatMoney(balance), "invoice_notes": inv.Notes,
		})
	case "support":
		t, err := tx.TicketByID(ctx, id)
		if err != nil {
			return related{}, err
		}
		more := map[string]string{
			"ticket_id": t.TID, "ticket_tid": t.TID, "ticket_subject": t.Subject, "ticket_message": t.Message,
			"ticket_status": t.Status, "ticket_priority": t.Priority, "ticket_department": t.DeptName,
			"ticket_date_opened": t.Date,
		}
		if t.ClientID != 0 {
			if r, err := client(t.ClientID, more); !errors.Is(err, store.ErrNotFound) {
				return r, err
			}
		}
		more["client_name"], more["client_email"] = t.Name, t.Email
		maps.Copy(more, companyMergeFields(env))
		return related{to: t.Email, fields: more}, nil
	}
	// general and affiliate: a client.
	return client(id, nil)
}

// domainPeriod is a registration period as WHMCS writes it in emails.
func domainPeriod(years int64) string {
	if years == 1 {
		return "1 Year"
	}
	return strconv.FormatInt(years, 10) + " Years"
}

// customVars reads an array parameter of merge fields: name[key]=value
// keys, or name itself holding base64 of a PHP-serialized array (what
// WHMCS's examples send: base64_encode(serialize($vars))).
func customVars(params url.Values, name, scalar string) (map[string]string, error) {
	vars := map[string]string{}
	prefix := name + "["
	for k, vs := range params {
		if key, ok := strings.CutPrefix(k, prefix); ok && strings.HasSuffix(key, "]") && len(vs) > 0 {
			vars[strings.TrimSuffix(key, "]")] = vs[len(vs)-1]
		}
	}
	if scalar == "" {
		return vars, nil
	}
	data, err := phpBase64(scalar)
	if err != nil {
		return nil, errCustomVars
	}
	v, err := phpUnserialize(string(data))
	arr, ok := v.([]phpEntry)
	if err != nil || !ok {
		return nil, errCustomVars
	}
	for _, e := range arr {
		vars[e.Key] = phpString(e.Value) // a nested array is "Array", as PHP prints one
	}
	return vars, nil
}

type sendAdminEmailRequest struct {
	MessageName   string `schema:"messagename"`
	CustomMessage string `schema:"custommessage"`
	CustomSubject string `schema:"customsubject"`
	Type          string `schema:"type"`
	DeptID        int64  `schema:"deptid"`
	MergeFields   string `schema:"mergefields"` // the array form, mergefields[name], is read from the parameters
}

// adminEmailTypes are the kinds of admin notification.
var adminEmailTypes = []string{"system", "account", "support"}

// sendAdminEmailAction sends an admin template, or a custom message when no
// template is named and custommessage is given, to every admin that is
// not disabled. mergefields fill the template with the company's fields.
func sendAdminEmailAction(ctx context.Context, env *Env, req *sendAdminEmailRequest, params url.Values) (any, error) {
	typ := req.Type
	if typ == "" {
		typ = "system"
	}
	if !slices.Contains(adminEmailTypes, typ) {
		return nil, Errorf("Invalid type: use system, account or support")
	}
	fields, err := customVars(params, "mergefields", req.MergeFields)
	if err != nil {
		return nil, err
	}
	s := env.Settings()
	for k, v := range map[string]string{"company_name": s.CompanyName, "whmcs_url": s.SystemURL,
		"whmcs_admin_url": s.SystemURL + "admin/", "signature": s.CompanyName} {
		if _, ok := fields[k]; !ok {
			fields[k] = v
		}
	}
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		if typ == "support" && req.DeptID != 0 {
			if err := mustExist(ctx, tx.SupportDepartmentExists, req.DeptID, Errorf("Department ID Not Found")); err != nil {
				return err
			}
		}
		t := store.EmailTemplate{Type: "admin", Subject: req.CustomSubject, Message: req.CustomMessage}
		if req.MessageName != "" || req.CustomMessage == "" {
			var err error
			t, err = tx.EmailTemplateByName(ctx, req.MessageName, "")
			if err != nil || t.Type != "admin" {
				return notFoundUnless(err, t.Type == "admin", errNoTemplate)
			}
			if t.Disabled {
				return nil // WHMCS sends nothing for a disabled template
			}
		}
		return sendAdminEmail(ctx, tx, env, render(t.Subject, fields), render(t.Message, fields), t.Name, typ)
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}

type getEmailsRequest struct {
	ClientID   int64  `schema:"clientid"`
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	Date       string `schema:"date"`
	Subject    string `schema:"subject"`
}

type getEmailsResponse struct {
	listHeader
	Emails *emailList `json:"emails,omitempty"`
}

type emailList struct {
	Email []emailEntry `json:"email"`
}

// emailEntry is one message, keys and kinds as WHMCS's example shows them.
type emailEntry struct {
	ID            int64  `json:"id"`
	UserID        int64  `json:"userid"`
	Subject       string `json:"subject"`
	Message       string `json:"message"`
	Date          string `json:"date"`
	To            string `json:"to"`
	CC            string `json:"cc"`
	BCC           string `json:"bcc"`
	Attachments   *null  `json:"attachments"`
	Pending       int64  `json:"pending"`
	MessageData   *null  `json:"message_data"`
	Failed        int64  `json:"failed"`
	FailureReason string `json:"failure_reason"`
	RetryCount    int64  `json:"retry_count"`
	CreatedAt     *null  `json:"created_at"`
	UpdatedAt     *null  `json:"updated_at"`
	CampaignID    int64  `json:"campaign_id"`
}

func getEmails(ctx context.Context, env *Env, req *getEmailsRequest) (any, error) {
	f := store.EmailFilter{ClientID: req.ClientID, Subject: req.Subject, DateText: req.Date, Desc: true,
		Page: listWindow(req.LimitStart, req.LimitNum)}
	var emails []store.Email
	var total int64
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if err := mustExist(ctx, tx.ClientExists, req.ClientID, Errorf("Client ID Not Found")); err != nil {
			return err
		}
		emails, total, err = tx.Emails(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getEmailsResponse{listHeader: headerOf(f.Page, total, len(emails))}
	if len(emails) > 0 {
		resp.Emails = &emailList{Email: make([]emailEntry, len(emails))}
		for i, e := range emails {
			resp.Emails.Email[i] = emailEntry{ID: e.ID, UserID: e.ClientID, Subject: e.Subject, Message: e.Message,
				Date: mysqlDateTime(time.Unix(e.Date, 0)), To: e.To, CC: e.CC, BCC: e.BCC}
		}
	}
	return resp, nil
}

type getEmailTemplatesRequest struct {
	Type     string `schema:"type"`
	Language string `schema:"language"`
}

type getEmailTemplatesResponse struct {
	success
	TotalResults   int                `json:"totalresults"`
	EmailTemplates *emailTemplateList `json:"emailtemplates,omitempty"`
}

type emailTemplateList struct {
	EmailTemplate []emailTemplateEntry `json:"emailtemplate"`
}

// emailTemplateEntry is one template; its values are strings, as WHMCS's
// example shows them.
type emailTemplateEntry struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Subject string `json:"subject"`
	Custom  string `json:"custom"`
}

// getEmailTemplates lists the templates of a type (every type when none
// is given) in a language (the default language when none is given), by
// id.
func getEmailTemplates(ctx context.Context, env *Env, req *getEmailTemplatesRequest) (any, error) {
	var list []store.EmailTemplate
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.EmailTemplates(ctx, req.Type, req.Language)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getEmailTemplatesResponse{TotalResults: len(list)}
	if len(list) > 0 {
		resp.EmailTemplates = &emailTemplateList{EmailTemplate: make([]emailTemplateEntry, len(list))}
		for i, t := range list {
			custom := "0"
			if t.Custom {
				custom = "1"
			}
			resp.EmailTemplates.EmailTemplate[i] = emailTemplateEntry{ID: strconv.FormatInt(t.ID, 10), Name: t.Name,
				Subject: t.Subject, Custom: custom}
		}
	}
	return resp, nil
}
