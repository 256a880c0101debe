// This file holds WHMCS's Client actions on the client account itself:
// AddClient, GetClients, UpdateClient, CloseClient and DeleteClient
// (GetClientsDetails is in clients_details.go). A client is a billing
// account owned by a user.
//
// AddClient: "Invalid Owner User ID" · "You did not enter your first name" ·
// "You did not enter your last name" · "You did not enter your email
// address" · "The email address you entered was not valid" · "You did not
// enter your  address line 1" (two spaces, as WHMCS writes it) · "You did
// not enter your city" · "You did not enter your state" · "You did not
// enter your postcode" · "Valid country required" · "You did not enter your
// phone number" · "Invalid telephone phone number" · "You did not enter a
// password" · "The email address entered is not available for use." · "A
// user already exists with that email address".
//
// GetClients: no messages.

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

type addClientRequest struct {
	OwnerUserID int64 `schema:"owner_user_id"`
	detailValues
	TaxID          string `schema:"tax_id"`
	Password2      string `schema:"password2"`
	Currency       int64  `schema:"currency"`
	GroupID        int64  `schema:"groupid"`
	Language       string `schema:"language"`
	Notes          string `schema:"notes"`
	MarketingOptIn bool   `schema:"marketingoptin"`
	SkipValidation bool   `schema:"skipvalidation"`
}

// addClientResponse is AddClient's answer: clientid is a string, as the
// documented example shows; owner_id, observed on live installs, a number.
type addClientResponse struct {
	success
	ClientID string `json:"clientid"`
	OwnerID  int64  `json:"owner_id"`
}

func addClient(ctx context.Context, env *Env, req *addClientRequest) (any, error) {
	// The owner comes first among WHMCS's checks; it is checked again
	// inside the write below, in case the user went away meanwhile.
	if req.OwnerUserID != 0 {
		if err := env.DB.View(ctx, func(tx *store.Tx) error { return clientOwnerExists(ctx, tx, req.OwnerUserID) }); err != nil {
			return nil, err
		}
	}
	if err := addClientValidate(req); err != nil {
		return nil, err
	}
	newOwner := req.OwnerUserID == 0
	var hash string
	if newOwner {
		// Hash before taking the writer, so bcrypt never holds other writes up.
		var err error
		if hash, err = auth.HashSecret(req.Password2); err != nil {
			return nil, err
		}
	}
	now := env.Now().Unix()
	client := store.Client{
		UUID: env.RandomUUID(), Firstname: req.Firstname, Lastname: req.Lastname, CompanyName: req.CompanyName,
		Email: req.Email, Status: "Active", OwnerUserID: req.OwnerUserID,
	}
	profile := store.ClientProfile{
		Address1: req.Address1, Address2: req.Address2, City: req.City, State: req.State, Postcode: req.Postcode,
		Country: strings.ToUpper(req.Country), PhoneNumber: req.PhoneNumber, TaxID: req.TaxID,
		Currency: max(req.Currency, 1), GroupID: max(req.GroupID, 0), Notes: req.Notes, Language: req.Language,
		MarketingOptIn: req.MarketingOptIn, CreatedAt: now,
	}
	var clientID int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if !newOwner {
			if err := clientOwnerExists(ctx, tx, req.OwnerUserID); err != nil {
				return err
			}
		}
		if err := clientEmailAvailable(ctx, tx, req.Email); err != nil {
			return err
		}
		if newOwner {
			if err := userEmailFree(ctx, tx, req.Email, 0); err != nil {
				return err
			}
			user := store.User{Firstname: req.Firstname, Lastname: req.Lastname, Email: req.Email, PasswordHash: hash}
			id, err := addUserOnce(ctx, tx, user, store.UserProfile{Language: req.Language, CreatedAt: now})
			if err != nil {
				return err
			}
			client.OwnerUserID = id
		}
		var err error
		clientID, err = tx.AddClient(ctx, client, profile)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("client added", "clientId", clientID, "ownerUserId", client.OwnerUserID, "newOwner", newOwner)
	return &addClientResponse{ClientID: strconv.FormatInt(clientID, 10), OwnerID: client.OwnerUserID}, nil
}

// clientEmailAvailable is AddClient's check of a new client's email (when
// it has one): "The email address entered is not available for use." when
// a client has it.
func clientEmailAvailable(ctx context.Context, tx *store.Tx, email string) error {
	if email == "" {
		return nil
	}
	if used, err := tx.ClientEmailUsed(ctx, email, 0); err != nil {
		return err
	} else if used {
		return Errorf("The email address entered is not available for use.")
	}
	return nil
}

func clientOwnerExists(ctx context.Context, tx *store.Tx, id int64) error {
	return mustExist(ctx, tx.UserExists, id, Errorf("Invalid Owner User ID"))
}

// addClientValidate checks AddClient's fields in WHMCS's order, after the
// owner. skipvalidation skips the required fields but never the new
// owner's email and password.
func addClientValidate(req *addClientRequest) error {
	newOwner := req.OwnerUserID == 0
	strict := !req.SkipValidation
	switch {
	case strict && !Truthy(req.Firstname):
		return Errorf("You did not enter your first name")
	case strict && !Truthy(req.Lastname):
		return Errorf("You did not enter your last name")
	case (strict || newOwner) && !Truthy(req.Email):
		return Errorf("You did not enter your email address")
	case req.Email != "" && !userEmailValid(req.Email):
		return Errorf("The email address you entered was not valid")
	case strict && !Truthy(req.Address1):
		return Errorf("You did not enter your  address line 1")
	case strict && !Truthy(req.City):
		return Errorf("You did not enter your city")
	case strict && !Truthy(req.State):
		return Errorf("You did not enter your state")
	case strict && !Truthy(req.Postcode):
		return Errorf("You did not enter your postcode")
	case (strict || req.Country != "") && !clientCountryValid(req.Country):
		return Errorf("Valid country required")
	case strict && !Truthy(req.PhoneNumber):
		return Errorf("You did not enter your phone number")
	case req.PhoneNumber != "" && !clientPhoneValid(req.PhoneNumber):
		return Errorf("Invalid telephone phone number")
	case newOwner && !Truthy(req.Password2):
		return Errorf("You did not enter a password")
	}
	return nil
}

// clientCountryValid accepts a two-letter code (any case). The emulator
// keeps no list of ISO countries: any two ASCII letters pass.
func clientCountryValid(s string) bool {
	return len(s) == 2 && clientLetter(s[0]) && clientLetter(s[1])
}

func clientLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// clientPhoneValid accepts digits with spaces, dots, dashes, parentheses
// and a leading +, holding at least one digit.
func clientPhoneValid(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '.', c == '-', c == '(', c == ')':
		default:
			return false
		}
	}
	return digits > 0
}

type getClientsRequest struct {
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	Sorting    string `schema:"sorting"`
	Status     string `schema:"status"`
	Search     string `schema:"search"`
	OrderBy    string `schema:"orderby"`
}

type getClientsResponse struct {
	listHeader
	// Clients is left out when the page is empty.
	Clients *clientList `json:"clients,omitempty"`
}

type clientList struct {
	Client []clientItem `json:"client"`
}

// clientItem is one client of GetClients, keys and types as WHMCS's example.
type clientItem struct {
	ID          int64  `json:"id"`
	Firstname   string `json:"firstname"`
	Lastname    string `json:"lastname"`
	CompanyName string `json:"companyname"`
	Email       string `json:"email"`
	DateCreated string `json:"datecreated"`
	GroupID     int64  `json:"groupid"`
	Status      string `json:"status"`
}

func getClients(ctx context.Context, env *Env, req *getClientsRequest) (any, error) {
	filter := store.ClientFilter{
		Search:  req.Search,
		Status:  req.Status,
		OrderBy: strings.ToLower(req.OrderBy),
		Desc:    strings.EqualFold(req.Sorting, "desc"),
	}
	filter.Page = listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListClients, filter)
	if err != nil {
		return nil, err
	}
	resp := &getClientsResponse{listHeader: headerOf(filter.Page, total, len(page))}
	if len(page) > 0 {
		resp.Clients = &clientList{Client: make([]clientItem, len(page))}
	}
	for i, c := range page {
		resp.Clients.Client[i] = clientItem{
			ID: c.ID, Firstname: c.Firstname, Lastname: c.Lastname, CompanyName: c.CompanyName, Email: c.Email,
			DateCreated: clientDate(c.CreatedAt), GroupID: c.GroupID, Status: c.Status,
		}
	}
	return resp, nil
}

// clientDate formats Unix seconds as MySQL shows a DATE (Y-m-d), in UTC; 0,
// an unknown date, is MySQL's zero date.
func clientDate(unix int64) string {
	if unix == 0 {
		return "0000-00-00"
	}
	return time.Unix(unix, 0).UTC().Format(time.DateOnly)
}
