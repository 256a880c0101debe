// This file holds WHMCS's Client actions that change or remove a client
// account, add admin notes and list client groups: UpdateClient,
// CloseClient, DeleteClient, AddClientNote and GetClientGroups.
//
// UpdateClient: "Client ID Not Found" · "The email address entered is not
// valid" · "Duplicate Email Address" · "Valid country required" · "You must
// have at least one email address enabled to receive domain related
// notifications as required by ICANN. To disable domain notifications,
// please create an alternative contact that is set to receive them".
//
// CloseClient: "Client ID Not Found".
//
// DeleteClient: "Client ID Not Found". Everything the client owns goes
// (see store.DeleteClient), its quotes and pay methods included; its transactions stay, with no client, unless
// deletetransactions is set, and its users with deleteusers when they
// reach no other client.
//
// AddClientNote: "Client ID not found" · "Notes can not be empty".
//
// GetClientGroups: no messages.

package actions

import (
	"context"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

const clientIDNotFound = "Client ID Not Found"

// clientIcannClient is UpdateClient's refusal to turn off the last
// recipient of domain email.
const clientIcannClient = "You must have at least one email address enabled to receive domain related " +
	"notifications as required by ICANN. To disable domain notifications, please create an alternative " +
	"contact that is set to receive them"

type updateClientRequest struct {
	ClientID    string `schema:"clientid"`
	ClientEmail string `schema:"clientemail"`
	detailFields
	TaxID    *string `schema:"tax_id"`
	Currency *string `schema:"currency"`
	GroupID  *string `schema:"groupid"`
	Language *string `schema:"language"`
	Notes    *string `schema:"notes"`
	Status   *string `schema:"status"`

	MarketingOptIn    *string `schema:"marketingoptin"`
	LateFeeOveride    *string `schema:"latefeeoveride"`
	OverideDueNotices *string `schema:"overideduenotices"`
	TaxExempt         *string `schema:"taxexempt"`
	SeparateInvoices  *string `schema:"separateinvoices"`
	DisableAutoCC     *string `schema:"disableautocc"`
	OverrideAutoClose *string `schema:"overrideautoclose"`
	emailPrefFields
}

// clientIDResponse is the answer of UpdateClient and DeleteClient; WHMCS
// documents clientid as a string.
type clientIDResponse struct {
	success
	ClientID string `json:"clientid"`
}

func updateClient(ctx context.Context, env *Env, req *updateClientRequest) (any, error) {
	var id int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = clientFind(ctx, tx, req.ClientID, req.ClientEmail); err != nil {
			return err
		}
		c, err := tx.ClientByID(ctx, id)
		if err != nil {
			return err
		}
		p, err := tx.ClientProfileByID(ctx, id)
		if err != nil {
			return err
		}
		if req.Email != nil {
			if !userEmailValid(*req.Email) {
				return Errorf(userEmailInvalid)
			}
			if used, err := tx.ClientEmailUsed(ctx, *req.Email, id); err != nil {
				return err
			} else if used {
				return Errorf("Duplicate Email Address")
			}
			c.Email = *req.Email
		}
		if req.Country != nil {
			if !clientCountryValid(*req.Country) {
				return Errorf("Valid country required")
			}
			p.Country = strings.ToUpper(*req.Country)
		}
		for _, s := range [][2]*string{{&c.Firstname, req.Firstname}, {&c.Lastname, req.Lastname},
			{&c.CompanyName, req.CompanyName}, {&p.Address1, req.Address1}, {&p.Address2, req.Address2},
			{&p.City, req.City}, {&p.State, req.State}, {&p.Postcode, req.Postcode}, {&p.PhoneNumber, req.PhoneNumber},
			{&p.TaxID, req.TaxID}, {&p.Language, req.Language}, {&p.Notes, req.Notes}} {
			setIf(s[0], s[1])
		}
		if req.Currency != nil {
			p.Currency = max(IntVal(*req.Currency), 1)
		}
		if req.GroupID != nil {
			p.GroupID = max(IntVal(*req.GroupID), 0)
		}
		if req.Status != nil {
			// Only WHMCS's client statuses; any other value leaves it.
			for _, s := range []string{"Active", "Inactive", "Closed"} {
				if strings.EqualFold(*req.Status, s) {
					c.Status = s
				}
			}
		}
		for _, f := range [][2]any{{&p.MarketingOptIn, req.MarketingOptIn}, {&p.LateFeeOverride, req.LateFeeOveride},
			{&p.OverdueOverride, req.OverideDueNotices}, {&p.TaxExempt, req.TaxExempt},
			{&p.SeparateInvoices, req.SeparateInvoices}, {&p.DisableAutoCC, req.DisableAutoCC},
			{&p.OverrideAutoClose, req.OverrideAutoClose}} {
			if v := f[1].(*string); v != nil {
				*f[0].(*bool) = Truthy(*v)
			}
		}
		p.EmailOff = req.applyTo(p.EmailOff, false)
		if req.PrefDomain != nil && clientHasKind(p.EmailOff, "domain") {
			if ok, err := tx.ContactReceives(ctx, id, "domain", 0); err != nil {
				return err
			} else if !ok {
				return Errorf(clientIcannClient)
			}
		}
		if err := tx.UpdateClient(ctx, c); err != nil {
			return err
		}
		return tx.SetClientProfile(ctx, id, p)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("client updated", "clientId", id)
	return &clientIDResponse{ClientID: strconv.FormatInt(id, 10)}, nil
}

// clientFind finds the client named by id (when given) or else by email;
// neither, or no such client, is "Client ID Not Found".
func clientFind(ctx context.Context, tx *store.Tx, id, email string) (int64, error) {
	if id == "" {
		if email == "" {
			return 0, Errorf(clientIDNotFound)
		}
		found, err := tx.ClientIDByEmail(ctx, email)
		return found, notFoundAs(err, Errorf(clientIDNotFound))
	}
	n := IntVal(id)
	return n, mustExist(ctx, tx.ClientExists, n, Errorf(clientIDNotFound))
}

// detailFields are the name, email, address and phone fields that a
// client, a contact and a quote's lead have, as UpdateClient,
// AddContact, UpdateContact, CreateQuote and UpdateQuote read them; nil is
// a field not sent.
type detailFields struct {
	Firstname   *string `schema:"firstname"`
	Lastname    *string `schema:"lastname"`
	CompanyName *string `schema:"companyname"`
	Email       *string `schema:"email"`
	Address1    *string `schema:"address1"`
	Address2    *string `schema:"address2"`
	City        *string `schema:"city"`
	State       *string `schema:"state"`
	Postcode    *string `schema:"postcode"`
	Country     *string `schema:"country"`
	PhoneNumber *string `schema:"phonenumber"`
}

// detailValues are detailFields as AddClient and GetContacts read them:
// "" for a field not sent.
type detailValues struct {
	Firstname   string `schema:"firstname"`
	Lastname    string `schema:"lastname"`
	CompanyName string `schema:"companyname"`
	Email       string `schema:"email"`
	Address1    string `schema:"address1"`
	Address2    string `schema:"address2"`
	City        string `schema:"city"`
	State       string `schema:"state"`
	Postcode    string `schema:"postcode"`
	Country     string `schema:"country"`
	PhoneNumber string `schema:"phonenumber"`
}

// emailPrefFields are the email_preferences UpdateClient, AddContact and
// UpdateContact read; nil is a preference not sent.
type emailPrefFields struct {
	PrefGeneral   *string `schema:"email_preferences[general]"`
	PrefInvoice   *string `schema:"email_preferences[invoice]"`
	PrefSupport   *string `schema:"email_preferences[support]"`
	PrefProduct   *string `schema:"email_preferences[product]"`
	PrefDomain    *string `schema:"email_preferences[domain]"`
	PrefAffiliate *string `schema:"email_preferences[affiliate]"`
}

// applyTo applies the preferences sent to kinds, the space-separated
// kinds of email (in clientEmailKinds' order) that are on when listsOn,
// else off; a preference not sent leaves its kind as it was.
func (e *emailPrefFields) applyTo(kinds string, listsOn bool) string {
	sent := []*string{e.PrefGeneral, e.PrefInvoice, e.PrefSupport, e.PrefProduct, e.PrefDomain, e.PrefAffiliate}
	var out []string
	for i, kind := range clientEmailKinds {
		listed := clientHasKind(kinds, kind)
		if sent[i] != nil {
			listed = Truthy(*sent[i]) == listsOn
		}
		if listed {
			out = append(out, kind)
		}
	}
	return strings.Join(out, " ")
}

type clientIDRequest struct {
	ClientID int64 `schema:"clientid"`
}

func closeClient(ctx context.Context, env *Env, req *clientIDRequest) (any, error) {
	return changeOne(ctx, env, Errorf(clientIDNotFound), func(tx *store.Tx) error {
		return tx.CloseClient(ctx, req.ClientID)
	}, &resultOnly{}, "client closed", "clientId", req.ClientID)
}

type deleteClientRequest struct {
	ClientID           int64 `schema:"clientid"`
	DeleteUsers        bool  `schema:"deleteusers"`
	DeleteTransactions bool  `schema:"deletetransactions"`
}

func deleteClient(ctx context.Context, env *Env, req *deleteClientRequest) (any, error) {
	return changeOne(ctx, env, Errorf(clientIDNotFound), func(tx *store.Tx) error {
		return tx.DeleteClient(ctx, req.ClientID, req.DeleteUsers, req.DeleteTransactions)
	}, &clientIDResponse{ClientID: strconv.FormatInt(req.ClientID, 10)},
		"client deleted", "clientId", req.ClientID, "deleteUsers", req.DeleteUsers, "deleteTransactions", req.DeleteTransactions)
}

type addClientNoteRequest struct {
	UserID int64  `schema:"userid"`
	Notes  string `schema:"notes"`
	Sticky bool   `schema:"sticky"`
}

type addClientNoteResponse struct {
	success
	NoteID string `json:"noteid"`
}

func addClientNote(ctx context.Context, env *Env, req *addClientNoteRequest) (any, error) {
	now := env.Now().Unix()
	note := store.ClientNote{ClientID: req.UserID, AdminID: CallerFrom(ctx).AdminID, Note: req.Notes,
		Sticky: req.Sticky, CreatedAt: now, ModifiedAt: now}
	var id int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.ClientExists, req.UserID, Errorf("Client ID not found")); err != nil {
			return err
		}
		if strings.TrimSpace(req.Notes) == "" {
			return Errorf("Notes can not be empty")
		}
		var err error
		id, err = tx.AddClientNote(ctx, note)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("client note added", "clientId", req.UserID, "noteId", id)
	return &addClientNoteResponse{NoteID: strconv.FormatInt(id, 10)}, nil
}

type getClientGroupsRequest struct{}

type getClientGroupsResponse struct {
	success
	TotalResults int `json:"totalresults"`
	// Groups is left out when there are none.
	Groups *clientGroupList `json:"groups,omitempty"`
}

type clientGroupList struct {
	Group []clientGroupItem `json:"group"`
}

// clientGroupItem is one group, as WHMCS's example: flags are "on" or "".
type clientGroupItem struct {
	ID               int64  `json:"id"`
	GroupName        string `json:"groupname"`
	GroupColour      string `json:"groupcolour"`
	DiscountPercent  string `json:"discountpercent"`
	SuspTermExempt   string `json:"susptermexempt"`
	SeparateInvoices string `json:"separateinvoices"`
}

func getClientGroups(ctx context.Context, env *Env, _ *getClientGroupsRequest) (any, error) {
	var groups []store.ClientGroup
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		groups, err = tx.ClientGroups(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getClientGroupsResponse{TotalResults: len(groups)}
	if len(groups) > 0 {
		resp.Groups = &clientGroupList{}
	}
	for _, g := range groups {
		resp.Groups.Group = append(resp.Groups.Group, clientGroupItem{ID: g.ID, GroupName: g.Name, GroupColour: g.Colour,
			DiscountPercent: g.DiscountPercent, SuspTermExempt: clientOn(g.SuspTermExempt),
			SeparateInvoices: clientOn(g.SeparateInvoices)})
	}
	return resp, nil
}

func clientOn(b bool) string {
	if b {
		return "on"
	}
	return ""
}
