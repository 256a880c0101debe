// This file holds WHMCS's contact actions: AddContact, GetContacts,
// UpdateContact and DeleteContact. A contact is a person attached to a
// client who receives some kinds of its email; it is not a login.
//
// AddContact: "Client ID Not Found" · "Duplicate Email Address".
//
// GetContacts: no messages.
//
// UpdateContact: "Contact ID Not Found" · "Duplicate Email Address" · "You
// must have at least one email address enabled to receive domain related
// notifications as required by ICANN. To disable domain notifications,
// please enable domain notifications for the primary account holder or
// another contact".
//
// DeleteContact: "Contact ID Not Found".

package actions

import (
	"context"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

const contactNotFound = "Contact ID Not Found"

// contactFields are the fields AddContact and UpdateContact share; nil is
// a field not sent.
type contactFields struct {
	detailFields
	emailPrefFields
}

// apply writes the fields sent onto c. Email preferences not sent keep
// their value (a new contact starts with none).
func (f *contactFields) apply(c *store.Contact) {
	for _, s := range [][2]*string{{&c.Firstname, f.Firstname}, {&c.Lastname, f.Lastname},
		{&c.CompanyName, f.CompanyName}, {&c.Email, f.Email}, {&c.Address1, f.Address1}, {&c.Address2, f.Address2},
		{&c.City, f.City}, {&c.State, f.State}, {&c.Postcode, f.Postcode}, {&c.PhoneNumber, f.PhoneNumber}} {
		setIf(s[0], s[1])
	}
	if f.Country != nil {
		c.Country = strings.ToUpper(*f.Country)
	}
	c.EmailOn = f.applyTo(c.EmailOn, true)
}

type addContactRequest struct {
	ClientID int64  `schema:"clientid"`
	TaxID    string `schema:"tax_id"`
	contactFields
}

// contactIDResponse is the answer of AddContact, UpdateContact and
// DeleteContact; WHMCS documents contactid as a string.
type contactIDResponse struct {
	success
	ContactID string `json:"contactid"`
}

func addContact(ctx context.Context, env *Env, req *addContactRequest) (any, error) {
	now := env.Now().Unix()
	c := store.Contact{ClientID: req.ClientID, Person: store.Person{TaxID: req.TaxID}, CreatedAt: now, UpdatedAt: now}
	req.apply(&c)
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.ClientExists, req.ClientID, Errorf(clientIDNotFound)); err != nil {
			return err
		}
		if err := contactEmailFree(ctx, tx, c.Email, 0); err != nil {
			return err
		}
		var err error
		c.ID, err = tx.PutContact(ctx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("contact added", "contactId", c.ID, "clientId", c.ClientID)
	return &contactIDResponse{ContactID: strconv.FormatInt(c.ID, 10)}, nil
}

// clientAndContact checks the client a request names and, when contactID
// is not 0, that the contact is one of that client's: "Client ID Not
// Found", "Contact ID Not Found" (a contact of another client too).
func clientAndContact(ctx context.Context, tx *store.Tx, clientID, contactID int64) error {
	if err := mustExist(ctx, tx.ClientExists, clientID, Errorf(clientIDNotFound)); err != nil {
		return err
	}
	if contactID == 0 {
		return nil
	}
	c, err := tx.ContactByID(ctx, contactID)
	return notFoundUnless(err, c.ClientID == clientID, Errorf(contactNotFound))
}

// contactEmailFree checks that no client and no contact but self has a
// (non-empty) email.
func contactEmailFree(ctx context.Context, tx *store.Tx, email string, self int64) error {
	if email == "" {
		return nil
	}
	if used, err := tx.ContactEmailUsed(ctx, email, self); err != nil {
		return err
	} else if used {
		return Errorf("Duplicate Email Address")
	}
	return nil
}

type getContactsRequest struct {
	LimitStart int64 `schema:"limitstart"`
	LimitNum   int64 `schema:"limitnum"`
	UserID     int64 `schema:"userid"`
	detailValues
}

type getContactsResponse struct {
	listHeader
	// Contacts is left out when the page is empty.
	Contacts *contactList `json:"contacts,omitempty"`
}

type contactList struct {
	Contact []contactItem `json:"contact"`
}

// contactItem is one contact of GetContacts, keys and types as WHMCS's
// example (which shows neither company name nor tax id).
type contactItem struct {
	ID              int64  `json:"id"`
	UserID          int64  `json:"userid"`
	Firstname       string `json:"firstname"`
	Lastname        string `json:"lastname"`
	Email           string `json:"email"`
	Address1        string `json:"address1"`
	Address2        string `json:"address2"`
	City            string `json:"city"`
	State           string `json:"state"`
	Postcode        string `json:"postcode"`
	Country         string `json:"country"`
	PhoneNumber     string `json:"phonenumber"`
	DomainEmails    bool   `json:"domainemails"`
	GeneralEmails   bool   `json:"generalemails"`
	InvoiceEmails   bool   `json:"invoiceemails"`
	ProductEmails   bool   `json:"productemails"`
	SupportEmails   bool   `json:"supportemails"`
	AffiliateEmails bool   `json:"affiliateemails"`
	CreatedAt       string `json:"created_at"`
	UpdatedAt       string `json:"updated_at"`
}

func getContacts(ctx context.Context, env *Env, req *getContactsRequest) (any, error) {
	f := store.ContactFilter{
		ClientID: max(req.UserID, 0), Firstname: req.Firstname, Lastname: req.Lastname, CompanyName: req.CompanyName,
		Email: req.Email, Address1: req.Address1, Address2: req.Address2, City: req.City, State: req.State,
		Postcode: req.Postcode, Country: req.Country, PhoneNumber: req.PhoneNumber,
	}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListContacts, f)
	if err != nil {
		return nil, err
	}
	resp := &getContactsResponse{listHeader: headerOf(f.Page, total, len(page))}
	if len(page) > 0 {
		resp.Contacts = &contactList{}
	}
	for _, c := range page {
		on := func(kind string) bool { return clientHasKind(c.EmailOn, kind) }
		resp.Contacts.Contact = append(resp.Contacts.Contact, contactItem{
			ID: c.ID, UserID: c.ClientID, Firstname: c.Firstname, Lastname: c.Lastname, Email: c.Email,
			Address1: c.Address1, Address2: c.Address2, City: c.City, State: c.State, Postcode: c.Postcode,
			Country: c.Country, PhoneNumber: c.PhoneNumber, DomainEmails: on("domain"), GeneralEmails: on("general"),
			InvoiceEmails: on("invoice"), ProductEmails: on("product"), SupportEmails: on("support"),
			AffiliateEmails: on("affiliate"), CreatedAt: userDateTime(c.CreatedAt), UpdatedAt: userDateTime(c.UpdatedAt),
		})
	}
	return resp, nil
}

type updateContactRequest struct {
	ContactID int64 `schema:"contactid"`
	contactFields
}

func updateContact(ctx context.Context, env *Env, req *updateContactRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.ContactByID(ctx, req.ContactID)
		if err != nil {
			return notFoundAs(err, Errorf(contactNotFound))
		}
		wasDomain := clientHasKind(c.EmailOn, "domain")
		req.apply(&c)
		if req.Email != nil {
			if err := contactEmailFree(ctx, tx, c.Email, c.ID); err != nil {
				return err
			}
		}
		if wasDomain && !clientHasKind(c.EmailOn, "domain") {
			if err := contactDomainCovered(ctx, tx, c); err != nil {
				return err
			}
		}
		c.UpdatedAt = env.Now().Unix()
		_, err = tx.PutContact(ctx, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("contact updated", "contactId", req.ContactID)
	return &contactIDResponse{ContactID: strconv.FormatInt(req.ContactID, 10)}, nil
}

// contactDomainCovered checks that someone still receives the client's
// domain email when contact c stops: the client itself or another contact.
func contactDomainCovered(ctx context.Context, tx *store.Tx, c store.Contact) error {
	p, err := tx.ClientProfileByID(ctx, c.ClientID)
	if err != nil {
		return err
	}
	if !clientHasKind(p.EmailOff, "domain") {
		return nil
	}
	if ok, err := tx.ContactReceives(ctx, c.ClientID, "domain", c.ID); err != nil {
		return err
	} else if !ok {
		return Errorf("You must have at least one email address enabled to receive domain related notifications " +
			"as required by ICANN. To disable domain notifications, please enable domain notifications for the " +
			"primary account holder or another contact")
	}
	return nil
}

type deleteContactRequest struct {
	ContactID int64 `schema:"contactid"`
}

func deleteContact(ctx context.Context, env *Env, req *deleteContactRequest) (any, error) {
	return changeOne(ctx, env, Errorf(contactNotFound), func(tx *store.Tx) error {
		return tx.DeleteContact(ctx, req.ContactID)
	}, &contactIDResponse{ContactID: strconv.FormatInt(req.ContactID, 10)}, "contact deleted", "contactId", req.ContactID)
}
