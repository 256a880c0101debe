// This file holds WHMCS's GetClientsDetails (also answering to
// GetClientsData and GetClientsDataByEmail): one client with its users and,
// when asked, statistics.
//
// GetClientsDetails: "Either clientid Or email Is Required" · "Client Not
// Found".

package actions

import (
	"context"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type getClientsDetailsRequest struct {
	ClientID string `schema:"clientid"`
	Email    string `schema:"email"`
	Stats    bool   `schema:"stats"`
}

func getClientsDetails(ctx context.Context, env *Env, req *getClientsDetailsRequest) (any, error) {
	if req.ClientID == "" && req.Email == "" {
		return nil, Errorf("Either clientid Or email Is Required")
	}
	var resp *clientDetailsResponse
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		id := IntVal(req.ClientID)
		if req.ClientID == "" {
			var err error
			if id, err = tx.ClientIDByEmail(ctx, req.Email); err != nil {
				return notFoundAs(err, Errorf("Client Not Found"))
			}
		}
		c, err := tx.ClientByID(ctx, id)
		if err != nil {
			return notFoundAs(err, Errorf("Client Not Found"))
		}
		resp, err = newClientDetails(ctx, tx, c, req.Stats, env.Now().UTC().Format(time.DateOnly), env.shape())
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// clientDetailsResponse is GetClientsDetails' answer: the client's fields
// at the top level (WHMCS's deprecated copy, which NVP shows), again under
// client, then stats when asked.
type clientDetailsResponse struct {
	success
	clientDetails
	Client clientDetails `json:"client"`
	Stats  *clientStats  `json:"stats,omitempty"`
}

// clientDetails is a client as GetClientsDetails shows it, keys in
// WHMCS's order. The pointer fields are the keys one version sends and the
// other does not (actions/versions.go): client_id, owner_user_id,
// customfields and users are WHMCS 8's; password, twofaenabled,
// securityqid and securityqans 7.x's, and cctype, cclastfour and gatewayid
// 7.x's at the top level only. Values the emulator does not keep (custom
// fields, pay methods, security questions, …) answer WHMCS's defaults.
type clientDetails struct {
	ClientID             *int64             `json:"client_id,omitempty"`
	OwnerUserID          *int64             `json:"owner_user_id,omitempty"`
	UserID               int64              `json:"userid"`
	ID                   int64              `json:"id"`
	UUID                 string             `json:"uuid"`
	Firstname            string             `json:"firstname"`
	Lastname             string             `json:"lastname"`
	Fullname             string             `json:"fullname"`
	CompanyName          string             `json:"companyname"`
	Email                string             `json:"email"`
	Address1             string             `json:"address1"`
	Address2             string             `json:"address2"`
	City                 string             `json:"city"`
	FullState            string             `json:"fullstate"`
	State                string             `json:"state"`
	Postcode             string             `json:"postcode"`
	CountryCode          string             `json:"countrycode"`
	Country              string             `json:"country"`
	PhoneNumber          string             `json:"phonenumber"`
	TaxID                string             `json:"tax_id"`
	Password             *string            `json:"password,omitempty"`
	EmailPreferences     clientEmailPrefs   `json:"email_preferences"`
	StateCode            string             `json:"statecode"`
	CountryName          string             `json:"countryname"`
	PhoneCC              string             `json:"phonecc"`
	PhoneFormatted       string             `json:"phonenumberformatted"`
	TelephoneNumber      string             `json:"telephoneNumber"`
	BillingCID           int64              `json:"billingcid"`
	Notes                string             `json:"notes"`
	TwoFAEnabled         *bool              `json:"twofaenabled,omitempty"`
	Currency             int64              `json:"currency"`
	DefaultGateway       string             `json:"defaultgateway"`
	CCType               *null              `json:"cctype,omitempty"`
	CCLastFour           *null              `json:"cclastfour,omitempty"`
	GatewayID            *null              `json:"gatewayid,omitempty"`
	SecurityQID          *int64             `json:"securityqid,omitempty"`
	SecurityQAns         *string            `json:"securityqans,omitempty"`
	GroupID              int64              `json:"groupid"`
	Status               string             `json:"status"`
	Credit               string             `json:"credit"`
	TaxExempt            bool               `json:"taxexempt"`
	LateFeeOveride       bool               `json:"latefeeoveride"`
	OverideDueNotices    bool               `json:"overideduenotices"`
	SeparateInvoices     bool               `json:"separateinvoices"`
	DisableAutoCC        bool               `json:"disableautocc"`
	EmailOptOut          bool               `json:"emailoptout"`
	MarketingEmailsOptIn bool               `json:"marketing_emails_opt_in"`
	OverrideAutoClose    bool               `json:"overrideautoclose"`
	AllowSingleSignOn    int                `json:"allowSingleSignOn"`
	EmailVerified        bool               `json:"email_verified"`
	Language             string             `json:"language"`
	OptedInToMarketing   bool               `json:"isOptedInToMarketingEmails"`
	LastLogin            string             `json:"lastlogin"`
	CurrencyCode         string             `json:"currency_code"`
	CustomFields         *[]struct{}        `json:"customfields,omitempty"`
	Users                *clientDetailUsers `json:"users,omitempty"`
}

// clientEmailPrefs are the kinds of email a client receives (1 on, 0
// off; strings in WHMCS 8, numbers in 7.x). The emulator sends no email;
// it only keeps the choices.
type clientEmailPrefs struct {
	General   Int `json:"general"`
	Invoice   Int `json:"invoice"`
	Support   Int `json:"support"`
	Product   Int `json:"product"`
	Domain    Int `json:"domain"`
	Affiliate Int `json:"affiliate"`
}

// clientEmailKinds are the kinds of email a client can turn off, in
// WHMCS's order.
var clientEmailKinds = []string{"general", "invoice", "support", "product", "domain", "affiliate"}

func newClientEmailPrefs(off string, k kind) clientEmailPrefs {
	v := make([]Int, len(clientEmailKinds))
	for i, name := range clientEmailKinds {
		v[i] = k.of(1)
		if clientHasKind(off, name) {
			v[i] = k.of(0)
		}
	}
	return clientEmailPrefs{v[0], v[1], v[2], v[3], v[4], v[5]}
}

// clientHasKind reports whether kind is in the space-separated list.
func clientHasKind(list, kind string) bool {
	for _, k := range strings.Fields(list) {
		if k == kind {
			return true
		}
	}
	return false
}

type clientDetailUsers struct {
	User []clientDetailUser `json:"user"` // [] when the client has no users
}

type clientDetailUser struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	IsOwner bool   `json:"is_owner"`
}

// clientStats counts what the emulator holds (services by product type,
// invoices by status, transactions, quotes, domains, tickets, affiliate
// referrals). Amounts are formatted in the default currency, USD.
type clientStats struct {
	NumDueInvoices          int    `json:"numdueinvoices"`
	DueInvoicesBalance      string `json:"dueinvoicesbalance"`
	InCredit                bool   `json:"incredit"`
	CreditBalance           string `json:"creditbalance"`
	GrossRevenue            string `json:"grossRevenue"`
	Expenses                string `json:"expenses"`
	Income                  string `json:"income"`
	NumOverdueInvoices      int    `json:"numoverdueinvoices"`
	OverdueInvoicesBalance  string `json:"overdueinvoicesbalance"`
	NumDraftInvoices        int    `json:"numDraftInvoices"`
	DraftInvoicesBalance    string `json:"draftInvoicesBalance"`
	NumUnpaidInvoices       int    `json:"numunpaidinvoices"`
	UnpaidInvoicesAmount    string `json:"unpaidinvoicesamount"`
	NumPaidInvoices         int    `json:"numpaidinvoices"`
	PaidInvoicesAmount      string `json:"paidinvoicesamount"`
	NumCancelledInvoices    int    `json:"numcancelledinvoices"`
	CancelledInvoicesAmount string `json:"cancelledinvoicesamount"`
	NumRefundedInvoices     int    `json:"numrefundedinvoices"`
	RefundedInvoicesAmount  string `json:"refundedinvoicesamount"`
	NumCollectionsInvoices  int    `json:"numcollectionsinvoices"`
	CollectionsAmount       string `json:"collectionsinvoicesamount"`
	NumPaymentPending       int    `json:"numpaymentpendinginvoices"`
	PaymentPendingAmount    string `json:"paymentpendinginvoicesamount"`
	ActiveHosting           int64  `json:"productsnumactivehosting"`
	Hosting                 int64  `json:"productsnumhosting"`
	ActiveReseller          int64  `json:"productsnumactivereseller"`
	Reseller                int64  `json:"productsnumreseller"`
	ActiveServers           int64  `json:"productsnumactiveservers"`
	Servers                 int64  `json:"productsnumservers"`
	ActiveOther             int64  `json:"productsnumactiveother"`
	Other                   int64  `json:"productsnumother"`
	Active                  int64  `json:"productsnumactive"`
	Total                   int64  `json:"productsnumtotal"`
	NumActiveDomains        int    `json:"numactivedomains"`
	NumDomains              int    `json:"numdomains"`
	NumAcceptedQuotes       int    `json:"numacceptedquotes"`
	NumQuotes               int    `json:"numquotes"`
	NumTickets              int    `json:"numtickets"`
	NumActiveTickets        int    `json:"numactivetickets"`
	NumAffiliateSignups     int    `json:"numaffiliatesignups"`
	IsAffiliate             bool   `json:"isAffiliate"`
}

// newClientDetails builds the answer in the version's shape; today
// (Y-m-d) decides which unpaid invoices are overdue.
func newClientDetails(ctx context.Context, tx *store.Tx, c store.Client, withStats bool, today string, sh shape) (*clientDetailsResponse, error) {
	p, err := tx.ClientProfileByID(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	users, err := tx.ClientUsers(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	cc := clientCallingCodes[p.Country]
	phone := p.PhoneNumber
	if cc != "" && phone != "" {
		phone = "+" + cc + "." + strings.TrimLeft(clientDigits(phone), "0")
	}
	d := clientDetails{
		UserID: c.ID, ID: c.ID, UUID: c.UUID,
		Firstname: c.Firstname, Lastname: c.Lastname, Fullname: c.Firstname + " " + c.Lastname,
		CompanyName: c.CompanyName, Email: c.Email, Address1: p.Address1, Address2: p.Address2, City: p.City,
		FullState: p.State, State: p.State, Postcode: p.Postcode, CountryCode: p.Country, Country: p.Country,
		PhoneNumber: p.PhoneNumber, TaxID: p.TaxID,
		EmailPreferences: newClientEmailPrefs(p.EmailOff, sh.clientEmailPrefs),
		StateCode:        p.State, CountryName: p.Country, PhoneCC: cc, PhoneFormatted: phone, TelephoneNumber: phone,
		Notes: p.Notes, Currency: p.Currency, GroupID: p.GroupID, Status: c.Status, Credit: p.Credit,
		TaxExempt: p.TaxExempt, LateFeeOveride: p.LateFeeOverride, OverideDueNotices: p.OverdueOverride,
		SeparateInvoices: p.SeparateInvoices, DisableAutoCC: p.DisableAutoCC, OverrideAutoClose: p.OverrideAutoClose,
		MarketingEmailsOptIn: p.MarketingOptIn, AllowSingleSignOn: 1, EmailVerified: false, Language: p.Language,
		OptedInToMarketing: p.MarketingOptIn, LastLogin: "No Login Logged", CurrencyCode: "USD",
	}
	if name, ok := clientCountryNames[p.Country]; ok {
		d.CountryName = name
	}
	var top clientDetails
	if sh.clientLegacy {
		// WHMCS 7 kept the password and two-factor flag on the client;
		// whmcsemu keeps them on its users and hands out no hash, so the
		// password is "" and the flag the owner's.
		twoFA := false
		for _, u := range users {
			if u.Owner {
				owner, err := tx.UserByID(ctx, u.ID)
				if err != nil {
					return nil, err
				}
				twoFA = owner.TwoFactorEnabled
			}
		}
		var qid int64
		d.Password, d.TwoFAEnabled, d.SecurityQID, d.SecurityQAns = new(""), &twoFA, &qid, new("")
		top = d
		top.CCType, top.CCLastFour, top.GatewayID = &null{}, &null{}, &null{}
	} else {
		list := &clientDetailUsers{User: []clientDetailUser{}}
		for _, u := range users {
			list.User = append(list.User, clientDetailUser{ID: u.ID, Name: u.Firstname + " " + u.Lastname, Email: u.Email, IsOwner: u.Owner})
		}
		d.ClientID, d.OwnerUserID, d.CustomFields, d.Users = &c.ID, &c.OwnerUserID, &[]struct{}{}, list
		top = d
	}
	resp := &clientDetailsResponse{clientDetails: top, Client: d}
	if withStats {
		counts, err := tx.ClientServiceCounts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		resp.Stats = newClientStats(p.Credit, counts)
		if err := addInvoiceStats(ctx, tx, resp.Stats, c.ID, today); err != nil {
			return nil, err
		}
		if resp.Stats.NumQuotes, resp.Stats.NumAcceptedQuotes, err = tx.QuoteCounts(ctx, c.ID); err != nil {
			return nil, err
		}
		a, err := tx.ClientActivityCounts(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		st := resp.Stats
		st.NumDomains, st.NumActiveDomains, st.NumTickets, st.NumActiveTickets = a.Domains, a.ActiveDomains, a.Tickets, a.ActiveTickets
		st.NumAffiliateSignups, st.IsAffiliate = a.AffiliateSignups, a.IsAffiliate
	}
	return resp, nil
}

func newClientStats(credit string, counts []store.ServiceCount) *clientStats {
	zero := clientMoney("0.00")
	s := &clientStats{
		DueInvoicesBalance: zero, InCredit: strings.Trim(credit, "0.") != "" && !strings.HasPrefix(credit, "-"),
		CreditBalance: clientMoney(credit), GrossRevenue: zero, Expenses: zero, Income: zero,
		OverdueInvoicesBalance: zero, DraftInvoicesBalance: zero, UnpaidInvoicesAmount: zero,
		PaidInvoicesAmount: zero, CancelledInvoicesAmount: zero, RefundedInvoicesAmount: zero,
		CollectionsAmount: zero, PaymentPendingAmount: zero,
	}
	for _, c := range counts {
		total, active := &s.Other, &s.ActiveOther
		switch c.ProductType {
		case "hostingaccount":
			total, active = &s.Hosting, &s.ActiveHosting
		case "reselleraccount":
			total, active = &s.Reseller, &s.ActiveReseller
		case "server":
			total, active = &s.Servers, &s.ActiveServers
		}
		*total += c.Count
		s.Total += c.Count
		if c.Status == "Active" {
			*active += c.Count
			s.Active += c.Count
		}
	}
	return s
}

// addInvoiceStats fills in the invoice and income figures: due (Unpaid)
// and overdue (Unpaid, due before today) invoices and drafts by what is
// left to pay on them, the other statuses by their totals; gross revenue
// is the payments in, expenses the gateway fees, income what is in less
// fees and payments out.
func addInvoiceStats(ctx context.Context, tx *store.Tx, s *clientStats, clientID int64, today string) error {
	sums, err := tx.ClientInvoiceSums(ctx, clientID, today)
	if err != nil {
		return err
	}
	for _, sum := range sums {
		total, balance := clientMoney(store.FormatMoney(sum.TotalCents)), clientMoney(store.FormatMoney(sum.BalanceCents))
		switch sum.Status {
		case "Unpaid":
			s.NumDueInvoices, s.DueInvoicesBalance = sum.Count, balance
			s.NumUnpaidInvoices, s.UnpaidInvoicesAmount = sum.Count, total
		case "Overdue":
			s.NumOverdueInvoices, s.OverdueInvoicesBalance = sum.Count, balance
		case "Draft":
			s.NumDraftInvoices, s.DraftInvoicesBalance = sum.Count, balance
		case "Paid":
			s.NumPaidInvoices, s.PaidInvoicesAmount = sum.Count, total
		case "Cancelled":
			s.NumCancelledInvoices, s.CancelledInvoicesAmount = sum.Count, total
		case "Refunded":
			s.NumRefundedInvoices, s.RefundedInvoicesAmount = sum.Count, total
		case "Collections":
			s.NumCollectionsInvoices, s.CollectionsAmount = sum.Count, total
		case "Payment Pending":
			s.NumPaymentPending, s.PaymentPendingAmount = sum.Count, total
		}
	}
	in, fees, income, err := tx.ClientTransactionSums(ctx, clientID)
	if err != nil {
		return err
	}
	s.GrossRevenue, s.Expenses = clientMoney(store.FormatMoney(in)), clientMoney(store.FormatMoney(fees))
	s.Income = clientMoney(store.FormatMoney(income))
	return nil
}

// clientMoney formats an amount in the default currency as WHMCS shows it.
func clientMoney(amount string) string { return "$" + amount + " USD" }

func clientDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// clientCountryNames and clientCallingCodes cover common countries; any
// other code shows as itself with no calling code (the number unformatted).
var clientCountryNames = map[string]string{
	"AU": "Australia", "BR": "Brazil", "CA": "Canada", "CH": "Switzerland", "DE": "Germany", "ES": "Spain",
	"FR": "France", "GB": "United Kingdom", "IE": "Ireland", "IN": "India", "IT": "Italy", "JP": "Japan",
	"NL": "Netherlands", "NZ": "New Zealand", "PL": "Poland", "SE": "Sweden", "US": "United States", "ZA": "South Africa",
}

var clientCallingCodes = map[string]string{
	"AU": "61", "BR": "55", "CA": "1", "CH": "41", "DE": "49", "ES": "34", "FR": "33", "GB": "44", "IE": "353",
	"IN": "91", "IT": "39", "JP": "81", "NL": "31", "NZ": "64", "PL": "48", "SE": "46", "US": "1", "ZA": "27",
}
