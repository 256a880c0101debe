// This file holds WHMCS's pay method actions (Billing category):
// AddPayMethod, GetPayMethods, UpdatePayMethod and DeletePayMethod. A pay
// method is a client's card or bank account, kept locally (CreditCard,
// BankAccount) or as a gateway's token (RemoteCreditCard,
// RemoteBankAccount). whmcsemu never stores a card or account number:
// a card_number is reduced to its last four digits (and the card type it
// shows) before anything is written, an account number to its last four
// digits, and a routing number (bank_code) is checked and dropped; the
// journal masks all three (and the cvv CapturePayment reads).
//
// What a gateway can store is known by its module name: offlinecc,
// authorize and paypalpaymentspro keep cards locally; stripe,
// authorizecim, sagepaytokens, braintree and square keep them as tokens;
// gocardless, stripe_ach and stripe_sepa keep bank accounts as tokens;
// any other module (paypal, banktransfer, …) stores nothing. A token is
// made from the random source (stripe's as {"customer":"cus_…",
// "method":"pm_…"}, gocardless's as MD…, others' as tok_…), as the
// gateway would answer; no gateway is called.
//
// AddPayMethod: "Client ID Is Required" · "Invalid Client ID" · "Invalid
// Pay Method Type. Type should be one of 'BankAccount', 'CreditCard', or
// 'RemoteCreditCard'" · "Gateway is Required for RemoteCreditCard type" ·
// "No Local Credit Card Payment Gateways Enabled" (a CreditCard without a
// gateway when no active gateway keeps cards locally) · "Card Number is
// required for 'CreditCard' or 'RemoteCreditCard' type" · "Card Number is
// invalid" (whmcsemu's, for a CreditCard: not 12 to 19 digits once spaces
// and dashes are dropped, or failing the Luhn check) · "Expiry Date is
// required for 'CreditCard' or 'RemoteCreditCard' type" · "Expiry Date is
// invalid" · "Start Date is invalid" · "Issue Number is invalid" ·
// "Invalid Gateway Module Name. Must be one of: <the active gateways'
// modules, joined by ", ">" · "Unsupported Gateway Type for Storage" (a
// gateway that cannot store the type) · "Error Creating Remote Token:
// Your card number is incorrect." (such a number for a RemoteCreditCard:
// the gateway refuses it, in Stripe's words) · "Routing number is
// required" · "Account number is required", in that order (WHMCS's
// list's). type matches in any case; dates are MMYY (anything but digits
// is dropped, so MM/YY passes too; MMYYYY keeps the last two digits of
// the year). A BankAccount with a bank gateway is kept as that gateway's
// RemoteBankAccount. "Gateway is Required for Bank Account Storage" is
// not answered: no gateway is called, and a bank account without one is
// kept locally. The client's first pay method, or one added with
// set_as_default, is its default. clientid and paymethodid are numbers
// (the docs' table; the example shows strings).
//
// GetPayMethods: "Client ID Is Required" · "Invalid Pay Method Type.
// Should be 'BankAccount' or 'CreditCard'" · "Client Not Found". type
// CreditCard lists local and remote cards, BankAccount local and remote
// accounts; paymethodid one pay method. The default comes first. Cards
// show card_last_four, expiry_date (MM/YY), start_date, issue_number and
// card_type; bank accounts bank_name; last_updated is in the System Date
// Format with the time (17/05/2019 10:01). clientid, id and contact_id
// are numbers (the docs' table); paymethods is a plain list, [] when
// empty.
//
// UpdatePayMethod: "Pay Method ID is Required" · "Client ID is Required"
// · "Invalid Pay Method ID" · "Pay Method does not belong to passed
// Client ID" · "Unsupported Gateway Type for Update" (a
// RemoteBankAccount) · "No Details Provided for Update" (none of the
// fields of its kind, nor set_as_default) · "Unable to Update Card Number
// for Assisted Gateway" (a card_number for a RemoteCreditCard) · "Card
// Number is invalid" · "Expiry Date is invalid" · "Start Date is invalid"
// · "Issue Number is invalid". Card fields change a card, bank fields a
// bank account; the others are ignored.
//
// DeletePayMethod: "Client ID is Required" · "Pay Method ID is Required"
// · "Invalid Pay Method ID" · "Pay Method does not belong to passed
// Client ID". failonremotefailure is read; no remote token is ever
// deleted, so it changes nothing. paymethodid is a number.

package actions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// What a gateway module stores.
const (
	storesNothing = iota
	storesLocalCard
	storesRemoteCard
	storesRemoteBank
)

var gatewayStores = map[string]int{
	"offlinecc": storesLocalCard, "authorize": storesLocalCard, "paypalpaymentspro": storesLocalCard,
	"stripe": storesRemoteCard, "authorizecim": storesRemoteCard, "sagepaytokens": storesRemoteCard,
	"braintree": storesRemoteCard, "square": storesRemoteCard,
	"gocardless": storesRemoteBank, "stripe_ach": storesRemoteBank, "stripe_sepa": storesRemoteBank,
}

// payMethodTypes are the types AddPayMethod takes.
var payMethodTypes = []string{"BankAccount", "CreditCard", "RemoteCreditCard"}

type addPayMethodRequest struct {
	ClientID        int64  `schema:"clientid"`
	Type            string `schema:"type"`
	Description     string `schema:"description"`
	Gateway         string `schema:"gateway_module_name"`
	CardNumber      string `schema:"card_number"`
	CardExpiry      string `schema:"card_expiry"`
	CardStart       string `schema:"card_start"`
	CardIssueNumber string `schema:"card_issue_number"`
	BankName        string `schema:"bank_name"`
	BankAccountType string `schema:"bank_account_type"`
	BankCode        string `schema:"bank_code"`
	BankAccount     string `schema:"bank_account"`
	SetAsDefault    bool   `schema:"set_as_default"`
}

type payMethodResponse struct {
	success
	ClientID    int64 `json:"clientid"`
	PayMethodID int64 `json:"paymethodid"`
}

func addPayMethod(ctx context.Context, env *Env, req *addPayMethodRequest) (any, error) {
	// The card number is read here and goes no further than its last
	// four digits and its type.
	card, cardErr := readCardNumber(req.CardNumber)
	req.CardNumber = ""
	account := lastFour(clientDigits(req.BankAccount))
	req.BankAccount, req.BankCode = "", strings.TrimSpace(req.BankCode)
	var p store.PayMethod
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if req.ClientID == 0 {
			return Errorf("Client ID Is Required")
		}
		if err := mustExist(ctx, tx.ClientExists, req.ClientID, Errorf("Invalid Client ID")); err != nil {
			return err
		}
		typ := "CreditCard"
		if strings.TrimSpace(req.Type) != "" {
			var ok bool
			if typ, ok = pickFold(payMethodTypes, req.Type); !ok {
				return Errorf("Invalid Pay Method Type. Type should be one of 'BankAccount', 'CreditCard', or 'RemoteCreditCard'")
			}
		}
		gateway := strings.TrimSpace(req.Gateway)
		if typ == "RemoteCreditCard" && gateway == "" {
			return Errorf("Gateway is Required for RemoteCreditCard type")
		}
		p = store.PayMethod{ClientID: req.ClientID, Type: typ, Description: strings.TrimSpace(req.Description),
			Gateway: gateway, UpdatedAt: env.Now().Unix()}
		if typ != "BankAccount" {
			if err := readCard(ctx, tx, &p, req, card, cardErr); err != nil {
				return err
			}
		}
		stores, err := payMethodGateway(ctx, tx, gateway)
		if err != nil {
			return err
		}
		switch {
		case typ == "RemoteCreditCard" && stores != storesRemoteCard,
			typ == "CreditCard" && gateway != "" && stores != storesLocalCard,
			typ == "BankAccount" && gateway != "" && stores != storesRemoteBank:
			return Errorf("Unsupported Gateway Type for Storage")
		case typ == "RemoteCreditCard" && cardErr != nil:
			// The gateway checks a remote card's number, as it stores it.
			return Errorf("Error Creating Remote Token: Your card number is incorrect.")
		case typ == "BankAccount" && req.BankCode == "":
			return Errorf("Routing number is required")
		case typ == "BankAccount" && account == "":
			return Errorf("Account number is required")
		case typ == "BankAccount":
			p.BankName, p.BankAccountType, p.BankLastFour = strings.TrimSpace(req.BankName), strings.TrimSpace(req.BankAccountType), account
			if gateway != "" {
				p.Type = "RemoteBankAccount"
			}
		}
		if p.Type == "RemoteCreditCard" || p.Type == "RemoteBankAccount" {
			p.RemoteToken = remoteToken(env, gateway)
		}
		first, last, err := tx.PayMethodOrders(ctx, req.ClientID)
		if err != nil {
			return err
		}
		p.SortOrder = last + 1
		if req.SetAsDefault {
			p.SortOrder = first - 1
		}
		p.ID, err = tx.PutPayMethod(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("pay method added", "payMethodId", p.ID, "clientId", p.ClientID, "type", p.Type)
	return &payMethodResponse{ClientID: p.ClientID, PayMethodID: p.ID}, nil
}

// payMethodGateway checks a gateway module named for a pay method ("" for
// none) and says what it stores.
func payMethodGateway(ctx context.Context, tx *store.Tx, gateway string) (int, error) {
	if gateway == "" {
		return storesNothing, nil
	}
	gateways, err := tx.PaymentGateways(ctx)
	if err != nil {
		return 0, err
	}
	names := make([]string, len(gateways))
	for i, g := range gateways {
		if g.Module == gateway {
			return gatewayStores[gateway], nil
		}
		names[i] = g.Module
	}
	return 0, Errorf("Invalid Gateway Module Name. Must be one of: %s", strings.Join(names, ", "))
}

// readCard checks a card's details for AddPayMethod in WHMCS's order and
// sets them on p: a local card needs a gateway that keeps cards locally,
// then the number, the expiry date, the start date and the issue number.
func readCard(ctx context.Context, tx *store.Tx, p *store.PayMethod, req *addPayMethodRequest, card cardDetails,
	cardErr error) error {
	if p.Type == "CreditCard" && p.Gateway == "" {
		gateways, err := tx.PaymentGateways(ctx)
		if err != nil {
			return err
		}
		local := false
		for _, g := range gateways {
			local = local || gatewayStores[g.Module] == storesLocalCard
		}
		if !local {
			return Errorf("No Local Credit Card Payment Gateways Enabled")
		}
	}
	if errors.Is(cardErr, errNoCardNumber) {
		return Errorf("Card Number is required for 'CreditCard' or 'RemoteCreditCard' type")
	} else if cardErr != nil && p.Type == "CreditCard" {
		return cardErr // a remote card's is the gateway's to refuse, later
	}
	if strings.TrimSpace(req.CardExpiry) == "" {
		return Errorf("Expiry Date is required for 'CreditCard' or 'RemoteCreditCard' type")
	}
	p.CardType, p.CardLastFour = card.kind, card.lastFour
	return setCardDates(p, &req.CardExpiry, &req.CardStart, &req.CardIssueNumber)
}

// setCardDates sets a card's expiry and start dates and issue number from
// those sent (nil: not sent).
func setCardDates(p *store.PayMethod, expiry, start, issue *string) error {
	if expiry != nil {
		d, ok := cardMonth(*expiry)
		if !ok || d == "" {
			return Errorf("Expiry Date is invalid")
		}
		p.ExpiryDate = d
	}
	if start != nil {
		d, ok := cardMonth(*start)
		if !ok {
			return Errorf("Start Date is invalid")
		}
		p.StartDate = d
	}
	if issue != nil {
		n := strings.TrimSpace(*issue)
		if n != "" && (len(n) > 4 || clientDigits(n) != n) {
			return Errorf("Issue Number is invalid")
		}
		p.IssueNumber = n
	}
	return nil
}

// cardMonth reads a card date, MMYY (anything but digits dropped; MMYYYY
// keeps the year's last two digits), as MM/YY; "" for an empty one.
func cardMonth(s string) (string, bool) {
	d := clientDigits(s)
	switch {
	case strings.TrimSpace(s) == "":
		return "", true
	case len(d) == 6:
		d = d[:2] + d[4:]
	case len(d) != 4:
		return "", false
	}
	if d[:2] < "01" || d[:2] > "12" {
		return "", false
	}
	return d[:2] + "/" + d[2:], true
}

// cardDetails is what whmcsemu keeps of a card number.
type cardDetails struct {
	kind     string // Visa, MasterCard, …
	lastFour string
}

var errNoCardNumber = errors.New("no card number")

// readCardNumber checks a card number (12 to 19 digits once spaces and
// dashes are dropped, passing the Luhn check) and returns its type and
// last four digits; the number itself is not kept.
func readCardNumber(s string) (cardDetails, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return cardDetails{}, errNoCardNumber
	}
	n := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
	if len(n) < 12 || len(n) > 19 || clientDigits(n) != n || !luhn(n) {
		return cardDetails{}, Errorf("Card Number is invalid")
	}
	return cardDetails{kind: cardKind(n), lastFour: n[len(n)-4:]}, nil
}

func luhn(n string) bool {
	sum := 0
	for i := range len(n) {
		d := int(n[len(n)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// cardKind names a card's type by its number's prefix, as WHMCS does.
func cardKind(n string) string {
	prefixIn := func(digits int, lo, hi int) bool {
		v := int(IntVal(n[:digits]))
		return v >= lo && v <= hi
	}
	switch {
	case n[0] == '4':
		return "Visa"
	case prefixIn(2, 51, 55), prefixIn(4, 2221, 2720):
		return "MasterCard"
	case prefixIn(2, 34, 34), prefixIn(2, 37, 37):
		return "American Express"
	case prefixIn(4, 6011, 6011), prefixIn(2, 65, 65), prefixIn(3, 644, 649):
		return "Discover"
	case prefixIn(2, 36, 36), prefixIn(2, 38, 39), prefixIn(3, 300, 305):
		return "Diners Club"
	case prefixIn(4, 3528, 3589):
		return "JCB"
	case prefixIn(2, 50, 50), prefixIn(2, 56, 69):
		return "Maestro"
	}
	return "Unknown"
}

func lastFour(s string) string { return s[max(len(s)-4, 0):] }

// remoteToken is the token a gateway would give a stored card or account.
func remoteToken(env *Env, gateway string) string {
	switch gateway {
	case "stripe":
		return `{"customer":"cus_` + env.RandomHex(7) + `","method":"pm_` + env.RandomHex(12) + `"}`
	case "gocardless":
		return "MD" + strings.ToUpper(env.RandomHex(6))
	}
	return "tok_" + env.RandomHex(12)
}

type getPayMethodsRequest struct {
	ClientID    int64  `schema:"clientid"`
	PayMethodID int64  `schema:"paymethodid"`
	Type        string `schema:"type"`
}

type getPayMethodsResponse struct {
	success
	ClientID   int64           `json:"clientid"`
	PayMethods []payMethodItem `json:"paymethods"`
}

// payMethodItem is a pay method as GetPayMethods shows it: the card
// fields for a card, bank_name for a bank account.
type payMethodItem struct {
	ID           int64   `json:"id"`
	Type         string  `json:"type"`
	Description  string  `json:"description"`
	GatewayName  string  `json:"gateway_name"`
	ContactType  string  `json:"contact_type"`
	ContactID    int64   `json:"contact_id"`
	CardLastFour *string `json:"card_last_four,omitempty"`
	ExpiryDate   *string `json:"expiry_date,omitempty"`
	StartDate    *string `json:"start_date,omitempty"`
	IssueNumber  *string `json:"issue_number,omitempty"`
	CardType     *string `json:"card_type,omitempty"`
	BankName     *string `json:"bank_name,omitempty"`
	RemoteToken  string  `json:"remote_token"`
	LastUpdated  string  `json:"last_updated"`
}

func getPayMethods(ctx context.Context, env *Env, req *getPayMethodsRequest) (any, error) {
	if req.ClientID == 0 {
		return nil, Errorf("Client ID Is Required")
	}
	kind := ""
	if strings.TrimSpace(req.Type) != "" {
		var ok bool
		if kind, ok = pickFold([]string{"BankAccount", "CreditCard"}, req.Type); !ok {
			return nil, Errorf("Invalid Pay Method Type. Should be 'BankAccount' or 'CreditCard'")
		}
	}
	resp := &getPayMethodsResponse{ClientID: req.ClientID, PayMethods: []payMethodItem{}}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.ClientExists, req.ClientID, Errorf("Client Not Found")); err != nil {
			return err
		}
		format, err := dateFormat(ctx, tx)
		if err != nil {
			return err
		}
		list, err := tx.PayMethods(ctx, req.ClientID)
		if err != nil {
			return err
		}
		for _, p := range list {
			if req.PayMethodID != 0 && p.ID != req.PayMethodID || kind == "CreditCard" && !p.IsCard() ||
				kind == "BankAccount" && p.IsCard() {
				continue
			}
			resp.PayMethods = append(resp.PayMethods, newPayMethodItem(p, format))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func newPayMethodItem(p store.PayMethod, format string) payMethodItem {
	updated := time.Unix(p.UpdatedAt, 0).UTC()
	item := payMethodItem{ID: p.ID, Type: p.Type, Description: p.Description, GatewayName: p.Gateway,
		ContactType: "Client", ContactID: p.ClientID, RemoteToken: p.RemoteToken,
		LastUpdated: shownDay(updated.Format(time.DateOnly), format) + " " + updated.Format("15:04")}
	if p.IsCard() {
		item.CardLastFour, item.ExpiryDate, item.StartDate = &p.CardLastFour, &p.ExpiryDate, &p.StartDate
		item.IssueNumber, item.CardType = &p.IssueNumber, &p.CardType
	} else {
		item.BankName = &p.BankName
	}
	return item
}

type updatePayMethodRequest struct {
	ClientID        int64   `schema:"clientid"`
	PayMethodID     int64   `schema:"paymethodid"`
	CardNumber      *string `schema:"card_number"`
	CardExpiry      *string `schema:"card_expiry"`
	CardStart       *string `schema:"card_start"`
	CardIssueNumber *string `schema:"card_issue_number"`
	BankName        *string `schema:"bank_name"`
	BankAccountType *string `schema:"bank_account_type"`
	BankCode        *string `schema:"bank_code"`
	BankAccount     *string `schema:"bank_account"`
	SetAsDefault    bool    `schema:"set_as_default"`
}

func updatePayMethod(ctx context.Context, env *Env, req *updatePayMethodRequest) (any, error) {
	var card cardDetails
	var cardErr error
	if req.CardNumber != nil {
		card, cardErr = readCardNumber(*req.CardNumber)
		req.CardNumber = new("")
	}
	var account string
	if req.BankAccount != nil {
		account = lastFour(clientDigits(*req.BankAccount))
		req.BankAccount = new("")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		p, err := ownPayMethod(ctx, tx, req.PayMethodID, req.ClientID, true)
		if err != nil {
			return err
		}
		if p.Type == "RemoteBankAccount" {
			return Errorf("Unsupported Gateway Type for Update")
		}
		cardSent := req.CardNumber != nil || req.CardExpiry != nil || req.CardStart != nil || req.CardIssueNumber != nil
		bankSent := req.BankName != nil || req.BankAccountType != nil || req.BankCode != nil || req.BankAccount != nil
		if !req.SetAsDefault && (p.IsCard() && !cardSent || !p.IsCard() && !bankSent) {
			return Errorf("No Details Provided for Update")
		}
		if p.IsCard() {
			if req.CardNumber != nil {
				if p.Type == "RemoteCreditCard" {
					return Errorf("Unable to Update Card Number for Assisted Gateway")
				}
				if cardErr != nil && !errors.Is(cardErr, errNoCardNumber) {
					return cardErr
				}
				if cardErr == nil {
					p.CardType, p.CardLastFour = card.kind, card.lastFour
				}
			}
			if err := setCardDates(&p, req.CardExpiry, req.CardStart, req.CardIssueNumber); err != nil {
				return err
			}
		} else {
			if req.BankName != nil {
				p.BankName = strings.TrimSpace(*req.BankName)
			}
			if req.BankAccountType != nil {
				p.BankAccountType = strings.TrimSpace(*req.BankAccountType)
			}
			if account != "" {
				p.BankLastFour = account
			}
		}
		if req.SetAsDefault {
			first, _, err := tx.PayMethodOrders(ctx, p.ClientID)
			if err != nil {
				return err
			}
			if first < p.SortOrder {
				p.SortOrder = first - 1
			}
		}
		p.UpdatedAt = env.Now().Unix()
		_, err = tx.PutPayMethod(ctx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("pay method updated", "payMethodId", req.PayMethodID, "clientId", req.ClientID)
	return &payMethodResponse{ClientID: req.ClientID, PayMethodID: req.PayMethodID}, nil
}

// ownPayMethod loads a client's pay method, with the messages of
// UpdatePayMethod (payFirst: the pay method id is checked first) and
// DeletePayMethod.
func ownPayMethod(ctx context.Context, tx *store.Tx, id, clientID int64, payFirst bool) (store.PayMethod, error) {
	checks := []struct {
		missing bool
		msg     string
	}{{clientID == 0, "Client ID is Required"}, {id == 0, "Pay Method ID is Required"}}
	if payFirst {
		checks[0], checks[1] = checks[1], checks[0]
	}
	for _, c := range checks {
		if c.missing {
			return store.PayMethod{}, Errorf("%s", c.msg)
		}
	}
	p, err := tx.PayMethodByID(ctx, id)
	if err != nil {
		return p, notFoundAs(err, Errorf("Invalid Pay Method ID"))
	}
	if p.ClientID != clientID {
		return p, Errorf("Pay Method does not belong to passed Client ID")
	}
	return p, nil
}

type deletePayMethodRequest struct {
	ClientID            int64 `schema:"clientid"`
	PayMethodID         int64 `schema:"paymethodid"`
	FailOnRemoteFailure bool  `schema:"failonremotefailure"`
}

type deletePayMethodResponse struct {
	success
	PayMethodID int64 `json:"paymethodid"`
}

func deletePayMethod(ctx context.Context, env *Env, req *deletePayMethodRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if _, err := ownPayMethod(ctx, tx, req.PayMethodID, req.ClientID, false); err != nil {
			return err
		}
		return tx.DeletePayMethod(ctx, req.PayMethodID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("pay method deleted", "payMethodId", req.PayMethodID, "clientId", req.ClientID)
	return &deletePayMethodResponse{PayMethodID: req.PayMethodID}, nil
}
