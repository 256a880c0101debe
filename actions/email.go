package actions

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// Email: WHMCS renders a template (a default one, or one a fixture gives)
// with merge fields and sends it. whmcsemu puts the message in the
// outbox instead (store.Email), which GetEmails, the control plane and the
// console read, so a test can assert on the email an action sent. Every
// action that sends mail calls sendClientEmail or sendAdminEmail inside
// its transaction, so a call that fails sends nothing.

// mergeField is a Smarty variable of a template: {$name}, with any
// modifiers ({$name|upper}) ignored.
var mergeField = regexp.MustCompile(`\{\$([A-Za-z0-9_]+)(\|[^}]*)?\}`)

// render fills a template's merge fields; one it is not given renders
// empty, as Smarty renders an unset variable.
func render(text string, fields map[string]string) string {
	return mergeField.ReplaceAllStringFunc(text, func(m string) string {
		return fields[mergeField.FindStringSubmatch(m)[1]]
	})
}

// companyMergeFields are the company's fields, which every email to a
// client or a user has.
func companyMergeFields(env *Env) map[string]string {
	s := env.Settings()
	return map[string]string{"company_name": s.CompanyName, "whmcs_url": s.SystemURL, "whmcs_link": s.SystemURL,
		"signature": s.CompanyName}
}

// clientMergeFields are the fields every client email has: the client's
// and the company's.
func clientMergeFields(env *Env, c store.Client, email string) map[string]string {
	fields := companyMergeFields(env)
	fields["client_id"] = strconv.FormatInt(c.ID, 10)
	fields["client_name"] = strings.TrimSpace(c.Firstname + " " + c.Lastname)
	fields["client_first_name"] = c.Firstname
	fields["client_last_name"] = c.Lastname
	fields["client_company_name"] = c.CompanyName
	fields["client_email"] = email
	return fields
}

// sendClientEmail renders the named template for a client, with more
// merge fields, and puts it in the outbox. A disabled template sends
// nothing, as in WHMCS; a template that does not exist is errNoTemplate.
func sendClientEmail(ctx context.Context, tx *store.Tx, env *Env, name string, clientID int64, more map[string]string) error {
	c, err := tx.ClientByID(ctx, clientID)
	if err != nil {
		return err
	}
	fields := clientMergeFields(env, c, c.Email)
	for k, v := range more {
		fields[k] = v
	}
	return sendTemplateTo(ctx, tx, env, name, clientID, c.Email, fields)
}

// sendTemplateTo renders the named template with fields and puts it in the
// outbox, addressed to one address and filed under a client (0: none). A
// disabled template sends nothing; one that does not exist is
// errNoTemplate.
func sendTemplateTo(ctx context.Context, tx *store.Tx, env *Env, name string, clientID int64, to string, fields map[string]string) error {
	t, err := tx.EmailTemplateByName(ctx, name, "")
	if err != nil {
		return notFoundAs(err, errNoTemplate)
	}
	if t.Disabled {
		return nil
	}
	_, err = tx.PutEmail(ctx, store.Email{ClientID: clientID, To: to, Subject: render(t.Subject, fields),
		Message: render(t.Message, fields), Template: t.Name, Type: t.Type, Date: env.Now().Unix()})
	return err
}

// ignoreNoTemplate is err, but nil for errNoTemplate: for an email an
// action sends on the side, whose template a fixture may have removed.
func ignoreNoTemplate(err error) error {
	if errors.Is(err, errNoTemplate) {
		return nil
	}
	return err
}

// errNoTemplate is WHMCS's answer to a template name it does not know.
var errNoTemplate = Errorf("Email Template not found")

// sendAdminEmail renders an admin template (or a custom subject and
// message) and puts it in the outbox, addressed to every admin that is
// not disabled.
func sendAdminEmail(ctx context.Context, tx *store.Tx, env *Env, subject, message, template, typ string) error {
	admins, err := tx.Admins(ctx)
	if err != nil {
		return err
	}
	var to []string
	for _, a := range admins {
		if !a.Disabled && a.Email != "" {
			to = append(to, a.Email)
		}
	}
	_, err = tx.PutEmail(ctx, store.Email{To: strings.Join(to, ", "), Subject: subject, Message: message,
		Template: template, Type: typ, Date: env.Now().Unix()})
	return err
}
