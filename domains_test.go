package whmcsemu_test

// The Domains area: TLD pricing priced into orders, the emulated registrar
// (register, transfer, renew, release, nameservers, lock, WHOIS contacts,
// EPP codes, ID protection), DomainWhois, GetRegistrars, and one world
// with orders, GetClientsDomains, the outbox, DeleteClient and export.

import (
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// domItem is one domain of GetClientsDomains, as much as these tests read.
type domItem struct {
	ID              string `json:"id"`
	DomainName      string `json:"domainname"`
	Registrar       string `json:"registrar"`
	RegPeriod       string `json:"regperiod"`
	FirstPayment    string `json:"firstpaymentamount"`
	RecurringAmount string `json:"recurringamount"`
	RegDate         string `json:"regdate"`
	ExpiryDate      string `json:"expirydate"`
	NextDueDate     string `json:"nextduedate"`
	Status          string `json:"status"`
	IDProtection    string `json:"idprotection"`
	Nameservers     *struct {
		NS1 string `json:"ns1"`
		NS2 string `json:"ns2"`
		NS3 string `json:"ns3"`
		NS4 string `json:"ns4"`
		NS5 string `json:"ns5"`
	} `json:"nameservers"`
}

// domGet returns GetClientsDomains' view of one domain, with its
// nameservers.
func domGet(t *testing.T, s *whmcstest.Server, id string) domItem {
	t.Helper()
	var got struct {
		Domains struct {
			Domain []domItem `json:"domain"`
		} `json:"domains"`
	}
	must(t, s, "GetClientsDomains", url.Values{"domainid": {id}, "getnameservers": {"1"}}, &got)
	require.Len(t, got.Domains.Domain, 1, "domain %s", id)
	return got.Domains.Domain[0]
}

// domWhois returns DomainWhois' status for a name.
func domWhois(t *testing.T, s *whmcstest.Server, name string) string {
	t.Helper()
	var got struct {
		Status string `json:"status"`
	}
	must(t, s, "DomainWhois", url.Values{"domain": {name}}, &got)
	return got.Status
}

// The scenario: a TLD priced at 10.00 a year prices a two-year
// registration in an order at 20.00; once the order is accepted,
// DomainRegister makes the domain Active for two years and emails the
// client; the nameservers set at the registrar are the ones
// GetClientsDomains shows; DomainWhois now says the name is taken.
func TestDomainScenario(t *testing.T) {
	s := newDemo(t)
	must(t, s, "CreateOrUpdateTLD", url.Values{"extension": {".example"}, "currency_code": {"USD"},
		"register[1]": {"10.00"}, "register[2]": {"20.00"}, "renew[1]": {"10.00"}, "renew[2]": {"20.00"}}, nil)

	var added ordAdded
	must(t, s, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "domain[0]": {"shop.example"},
		"domaintype[0]": {"register"}, "regperiod[0]": {"2"}}, &added)
	var inv struct {
		Total string `json:"total"`
		Items struct {
			Item []struct {
				Type        string `json:"type"`
				Description string `json:"description"`
				Amount      string `json:"amount"`
			} `json:"item"`
		} `json:"items"`
	}
	must(t, s, "GetInvoice", url.Values{"invoiceid": {strconv.FormatInt(added.InvoiceID, 10)}}, &inv)
	require.Len(t, inv.Items.Item, 1)
	assert.Equal(t, "DomainRegister", inv.Items.Item[0].Type)
	assert.Equal(t, "Domain Registration - shop.example - 2 Year/s", inv.Items.Item[0].Description)
	assert.Equal(t, "20.00", inv.Items.Item[0].Amount)
	assert.Equal(t, "20.00", inv.Total)
	assert.Equal(t, "available", domWhois(t, s, "shop.example"), "ordered, not registered")

	must(t, s, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(added.OrderID, 10)}}, nil)
	must(t, s, "DomainRegister", url.Values{"domainid": {added.DomainIDs}}, nil)
	d := domGet(t, s, added.DomainIDs)
	assert.Equal(t, "Active", d.Status)
	assert.Equal(t, "2016-11-18", d.RegDate)
	assert.Equal(t, "2018-11-18", d.ExpiryDate, "two years on")
	assert.Equal(t, "2018-11-18", d.NextDueDate)
	assert.Equal(t, "whmcsemu", d.Registrar, "the default registrar")
	assert.Equal(t, "20.00", d.FirstPayment)
	assert.Equal(t, "20.00", d.RecurringAmount, "the two-year renewal price")

	sent := outbox(t, s, "clientId=1")
	require.NotEmpty(t, sent)
	assert.Equal(t, "Domain Registration Confirmation", sent[0].Template, "newest first")
	assert.Equal(t, "jane@example.com", sent[0].To)
	assert.Contains(t, sent[0].Message, "The domain shop.example has been registered for 2 Year/s.")

	must(t, s, "DomainUpdateNameservers", url.Values{"domainid": {added.DomainIDs}, "ns1": {"ns1.host.example"},
		"ns2": {"ns2.host.example"}, "ns3": {"ns3.host.example"}}, nil)
	var ns struct {
		NS1, NS2, NS3, NS4, NS5 string
	}
	must(t, s, "DomainGetNameservers", url.Values{"domainid": {added.DomainIDs}}, &ns)
	assert.Equal(t, []string{"ns1.host.example", "ns2.host.example", "ns3.host.example", "", ""},
		[]string{ns.NS1, ns.NS2, ns.NS3, ns.NS4, ns.NS5})
	d = domGet(t, s, added.DomainIDs)
	require.NotNil(t, d.Nameservers)
	assert.Equal(t, []string{ns.NS1, ns.NS2, ns.NS3, ns.NS4, ns.NS5},
		[]string{d.Nameservers.NS1, d.Nameservers.NS2, d.Nameservers.NS3, d.Nameservers.NS4, d.Nameservers.NS5},
		"GetClientsDomains and DomainGetNameservers agree")

	assert.Equal(t, "unavailable", domWhois(t, s, "shop.example"))
	assert.Equal(t, "unavailable", domWhois(t, s, "SHOP.Example"), "any case")
	assert.Equal(t, "available", domWhois(t, s, "other.example"))
}

// The registrar's other actions on the domains fixture: a transfer needs
// the EPP code its TLD requires, completes at once and emails the client;
// a renewal moves the expiry and next due dates; the lock, EPP code, WHOIS
// contacts and ID protection are kept and read back; a released domain
// is no longer the registrar's but still taken.
func TestDomainRegistrarLifecycle(t *testing.T) {
	s := newDemo(t, domainsFixture)

	r := call(t, s, "DomainTransfer", url.Values{"domainid": {"3"}}, nil)
	assert.Equal(t, "An EPP code is required to transfer this domain", r.Message)
	assert.Equal(t, "Pending Transfer", domGet(t, s, "3").Status, "a refused transfer changes nothing")
	must(t, s, "DomainTransfer", url.Values{"domain": {"ROE.example"}, "eppcode": {"Tr4nsfer"}}, nil, localAPI{})
	d := domGet(t, s, "3")
	assert.Equal(t, "Active", d.Status)
	assert.Equal(t, "2018-03-01", d.ExpiryDate, "a year past the old expiry")
	assert.Equal(t, "enom", d.Registrar, "the first active registrar")
	sent := outbox(t, s, "clientId=2")
	require.Len(t, sent, 1)
	assert.Equal(t, "Domain Transfer Initiated", sent[0].Template)
	var epp struct {
		EPPCode string `json:"eppcode"`
	}
	must(t, s, "DomainRequestEPP", url.Values{"domainid": {"3"}}, &epp)
	assert.Equal(t, "Tr4nsfer", epp.EPPCode, "the code given with the transfer")

	must(t, s, "DomainRenew", url.Values{"domainid": {"3"}}, nil)
	d = domGet(t, s, "3")
	assert.Equal(t, "2019-03-01", d.ExpiryDate, "regperiod (1) more")
	assert.Equal(t, "2019-03-01", d.NextDueDate)
	sent = outbox(t, s, "clientId=2")
	assert.Equal(t, "Domain Renewal Confirmation", sent[0].Template)
	assert.Contains(t, sent[0].Message, "renewed until 01/03/2019", "in the System Date Format")

	must(t, s, "DomainUpdateLockingStatus", url.Values{"domainid": {"3"}, "lockstatus": {"1"}}, nil)
	var lock struct {
		LockStatus string `json:"lockstatus"`
	}
	must(t, s, "DomainGetLockingStatus", url.Values{"domainid": {"3"}}, &lock)
	assert.Equal(t, "locked", lock.LockStatus)

	// A generated EPP code is kept.
	var first, again struct {
		EPPCode string `json:"eppcode"`
	}
	must(t, s, "DomainRequestEPP", url.Values{"domainid": {"6"}}, &first)
	must(t, s, "DomainRequestEPP", url.Values{"domainid": {"6"}}, &again)
	assert.Len(t, first.EPPCode, 16)
	assert.Equal(t, first.EPPCode, again.EPPCode)

	// WHOIS contacts: DomainGetWhoisInfo's own XML answer is taken back.
	form := url.Values{"identifier": {demoIdentifier}, "secret": {demoSecret}, "action": {"DomainGetWhoisInfo"},
		"domainid": {"6"}, "responsetype": {"xml"}}
	resp, err := s.Client().PostForm(s.APIURL(), form)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Contains(t, string(body), "<Registrant>\n<First_Name>Gwen</First_Name>")
	edited := strings.ReplaceAll(string(body), "<First_Name>Gwen</First_Name>", "<First_Name>Gwendolyn</First_Name>")
	must(t, s, "DomainUpdateWhoisInfo", url.Values{"domainid": {"6"}, "xml": {edited}}, nil)
	var whois struct {
		Registrant, Admin, Tech struct {
			FirstName string `json:"First_Name"`
			Phone     string `json:"Phone"`
		}
	}
	must(t, s, "DomainGetWhoisInfo", url.Values{"domainid": {"6"}}, &whois)
	assert.Equal(t, "Gwendolyn", whois.Registrant.FirstName)
	assert.Equal(t, "Gwendolyn", whois.Admin.FirstName, "every contact of the answer was sent back")
	assert.Equal(t, "+44.1904123456", whois.Tech.Phone)

	// ID protection is the domain's flag, as GetClientsDomains shows it.
	must(t, s, "DomainToggleIdProtect", url.Values{"domainid": {"6"}}, nil)
	assert.Equal(t, "0", domGet(t, s, "6").IDProtection)
	must(t, s, "DomainToggleIdProtect", url.Values{"domainid": {"6"}, "idprotect": {"1"}}, nil)
	assert.Equal(t, "1", domGet(t, s, "6").IDProtection)

	// Released: Transferred Away, the registrar's no more, still taken.
	must(t, s, "DomainRelease", url.Values{"domainid": {"6"}, "newtag": {"OTHER-TAG"}}, nil)
	assert.Equal(t, "Transferred Away", domGet(t, s, "6").Status)
	assert.Equal(t, "Domain not registered with the registrar",
		call(t, s, "DomainGetNameservers", url.Values{"domainid": {"6"}}, nil).Message)
	assert.Equal(t, "unavailable", domWhois(t, s, "price-and-sons.com"))
	// Transferred back in.
	must(t, s, "DomainTransfer", url.Values{"domainid": {"6"}}, nil)
	assert.Equal(t, "Active", domGet(t, s, "6").Status)
}

// DomainRegister refuses what a registrar would: a name taken (by a
// fixture, or another domain the registrar holds), reserved, or one it
// holds already; each refusal writes nothing.
func TestDomainRegisterRefusals(t *testing.T) {
	s := newDemo(t, domainsFixture)
	before := export(t, s, nil)
	for _, tc := range []struct{ params, message string }{
		{"domainid=5", "Domain not available for registration"},
		{"domainid=1", "Domain already registered"},
		{"domainid=7", "Invalid domain name"},
		{"domainid=2&idnlanguage=xx", "Invalid IDN Language. Must be one of: afr, alb"},
	} {
		params, err := url.ParseQuery(tc.params)
		require.NoError(t, err)
		r := call(t, s, "DomainRegister", params, nil)
		assert.Equal(t, "error", r.Result, tc.params)
		assert.Contains(t, r.Message, tc.message, tc.params)
	}
	assert.Equal(t, before, export(t, s, nil), "refusals write nothing")

	// A second order for a name another client holds cannot be registered.
	var added ordAdded
	must(t, s, "AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"paypal"},
		"domain[]": {"price-and-sons.com"}, "domaintype[]": {"register"}}, &added)
	assert.Equal(t, "Domain not available for registration",
		call(t, s, "DomainRegister", url.Values{"domainid": {added.DomainIDs}}, nil).Message)
	assert.Equal(t, "Domain already held by the registrar",
		call(t, s, "DomainTransfer", url.Values{"domainid": {added.DomainIDs}}, nil).Message)

	// WHMCS 7 does not read idnlanguage.
	v7 := newDemo(t, domainsFixture, "testdata/fixtures/version-7.json")
	must(t, v7, "DomainRegister", url.Values{"domainid": {"2"}, "idnlanguage": {"xx"}}, nil)
}

// TLD pricing: CreateOrUpdateTLD converts prices into every currency;
// AddOrder prices domains in the client's currency for the period and the
// registration type, overrides still win, and without pricing for the TLD
// it prices as before (0.00, the renewal the first payment).
func TestTLDPricingInOrders(t *testing.T) {
	s := newDemo(t, domainsFixture)
	must(t, s, "CreateOrUpdateTLD", url.Values{"extension": {"org"}, "currency_code": {"GBP"},
		"register[1]": {"8.00"}, "transfer[1]": {"4"}, "renew[1]": {"8.02"}}, nil)
	var pricing struct {
		Pricing map[string]struct {
			Register map[string]string `json:"register"`
			Transfer map[string]string `json:"transfer"`
			Renew    map[string]string `json:"renew"`
		} `json:"pricing"`
	}
	must(t, s, "GetTLDPricing", url.Values{"currencyid": {"1"}}, &pricing)
	assert.Equal(t, map[string]string{"1": "10.00"}, pricing.Pricing["org"].Register, "8.00 GBP at 0.8")
	assert.Equal(t, map[string]string{"1": "5.00"}, pricing.Pricing["org"].Transfer)
	assert.Equal(t, map[string]string{"1": "10.03"}, pricing.Pricing["org"].Renew, "rounded half up")

	order := func(client, name, kind, years string, extra url.Values) domItem {
		params := url.Values{"clientid": {client}, "paymentmethod": {"paypal"}, "domain[0]": {name},
			"domaintype[0]": {kind}, "regperiod[0]": {years}}
		for k, v := range extra {
			params[k] = v
		}
		var added ordAdded
		must(t, s, "AddOrder", params, &added)
		return domGet(t, s, added.DomainIDs)
	}
	d := order("1", "one.org", "register", "1", nil)
	assert.Equal(t, []string{"10.00", "10.03"}, []string{d.FirstPayment, d.RecurringAmount})
	d = order("5", "two.org", "transfer", "1", nil)
	assert.Equal(t, []string{"4.00", "8.02"}, []string{d.FirstPayment, d.RecurringAmount}, "client 5 pays in GBP")
	d = order("1", "three.org", "register", "1", url.Values{"domainpriceoverride[0]": {"1.50"}})
	assert.Equal(t, []string{"1.50", "10.03"}, []string{d.FirstPayment, d.RecurringAmount}, "the override wins")
	d = order("1", "four.org", "register", "1", url.Values{"domainrenewoverride[0]": {"2.50"}})
	assert.Equal(t, []string{"10.00", "2.50"}, []string{d.FirstPayment, d.RecurringAmount})
	d = order("1", "five.net", "register", "1", nil)
	assert.Equal(t, []string{"0.00", "0.00"}, []string{d.FirstPayment, d.RecurringAmount}, ".net has no prices")
	d = order("1", "six.info", "register", "1", url.Values{"domainpriceoverride[0]": {"3.00"}})
	assert.Equal(t, []string{"3.00", "3.00"}, []string{d.FirstPayment, d.RecurringAmount},
		"no TLD: the renewal is the first payment, as before")

	// A negative price stops offering the period.
	must(t, s, "CreateOrUpdateTLD", url.Values{"extension": {".org"}, "currency_code": {"USD"}, "register[1]": {"-1"}}, nil)
	d = order("1", "seven.org", "register", "1", nil)
	assert.Equal(t, []string{"0.00", "10.03"}, []string{d.FirstPayment, d.RecurringAmount})

	// UpdateClientDomain autorecalc takes the renewal price.
	must(t, s, "UpdateClientDomain", url.Values{"domainid": {d.ID}, "recurringamount": {"99"}}, nil)
	must(t, s, "UpdateClientDomain", url.Values{"domainid": {d.ID}, "autorecalc": {"1"}, "recurringamount": {"50"}}, nil)
	assert.Equal(t, "10.03", domGet(t, s, d.ID).RecurringAmount)
}

// DeleteClient removes the client's domains with the registrar's records
// of them: their names become available, and the export holds none.
func TestDomainsDeleteClient(t *testing.T) {
	s := newDemo(t, domainsFixture)
	assert.Equal(t, "unavailable", domWhois(t, s, "price-and-sons.com"))
	must(t, s, "DeleteClient", url.Values{"clientid": {"5"}}, nil)
	assert.Equal(t, "available", domWhois(t, s, "price-and-sons.com"))
	var doc struct {
		Domains []struct {
			ClientID int64 `json:"clientId"`
		} `json:"domains"`
	}
	export(t, s, &doc)
	for _, d := range doc.Domains {
		assert.NotEqual(t, int64(5), d.ClientID)
	}
	assert.Equal(t, "unavailable", domWhois(t, s, "doe-widgets.example"), "other clients' domains stay")
}

// An export of the domains' state (TLD pricing, registrars, WHOIS names,
// the registrar's records, changed by the actions) loaded into an empty
// emulator gives the same answers, and exports the same again.
func TestDomainsExportRoundTrip(t *testing.T) {
	src := newDemo(t, domainsFixture)
	must(t, src, "CreateOrUpdateTLD", url.Values{"extension": {".shop"}, "currency_code": {"GBP"},
		"register[1]": {"8"}, "redemption_period_days": {"0"}, "redemption_period_fee": {"-1"},
		"grace_period_days": {"0"}, "display_after": {".com"}}, nil)
	var added ordAdded
	must(t, src, "AddOrder", url.Values{"clientid": {"1"}, "paymentmethod": {"paypal"}, "domain[]": {"new.shop"},
		"domaintype[]": {"register"}, "nameserver1": {"ns1.x.example"}, "nameserver2": {"ns2.x.example"}}, &added)
	must(t, src, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(added.OrderID, 10)}}, nil) // Active, not registered
	must(t, src, "DomainRegister", url.Values{"domainid": {"2"}}, nil)
	must(t, src, "DomainUpdateWhoisInfo", url.Values{"domainid": {"2"},
		"xml": {"<Admin><Email>a@example.com</Email></Admin>"}}, nil)
	must(t, src, "DomainUpdateLockingStatus", url.Values{"domainid": {"2"}, "lockstatus": {"1"}}, nil)
	must(t, src, "DomainRequestEPP", url.Values{"domainid": {"6"}}, nil)
	must(t, src, "DomainRelease", url.Values{"domainid": {"1"}, "newtag": {"TAG"}}, nil)
	must(t, src, "DomainToggleIdProtect", url.Values{"domainid": {"6"}}, nil)

	queries := []url.Values{
		{"action": {"GetTLDPricing"}}, {"action": {"GetTLDPricing"}, "currencyid": {"2"}},
		{"action": {"GetRegistrars"}}, {"action": {"GetClientsDomains"}, "getnameservers": {"1"}},
	}
	for _, id := range []string{"1", "2", "3", "6", added.DomainIDs} {
		for _, a := range []string{"DomainGetNameservers", "DomainGetLockingStatus", "DomainGetWhoisInfo", "DomainRequestEPP"} {
			queries = append(queries, url.Values{"action": {a}, "domainid": {id}})
		}
	}
	for _, name := range []string{"doe-widgets.example", "doe-gadgets.example", "new.shop", "google.example",
		"nic.example", "x.invalid", "price-and-sons.com", "free.example"} {
		queries = append(queries, url.Values{"action": {"DomainWhois"}, "domain": {name}})
	}
	answers := func(s *whmcstest.Server) []string {
		var out []string
		for _, q := range queries {
			params := url.Values{}
			for k, v := range q {
				if k != "action" {
					params[k] = v
				}
			}
			out = append(out, call(t, s, q.Get("action"), params, nil).Body)
		}
		return out
	}
	want := answers(src)
	dst := newServer(t)
	doc := replaceWith(t, dst, src)
	assert.Equal(t, want, answers(dst))
	assert.Equal(t, doc, export(t, dst, nil))
	assert.Contains(t, doc, `"registered": false`, "the accepted, unregistered domain")
}

// AcceptOrder with sendregistrar has the registrar register and transfer
// the order's domains, with the registrar given, emailing the client; one
// it refuses refuses the whole acceptance.
func TestAcceptOrderSendRegistrar(t *testing.T) {
	s := newDemo(t, domainsFixture)
	var added ordAdded
	must(t, s, "AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"paypal"}, "noemail": {"1"},
		"domain[0]": {"a.example"}, "domain[1]": {"b.com"}, "domaintype[0]": {"register"},
		"domaintype[1]": {"transfer"}}, &added)
	must(t, s, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(added.OrderID, 10)}, "sendregistrar": {"1"},
		"registrar": {"resellerclub"}}, nil)
	ids := strings.Split(added.DomainIDs, ",")
	for _, id := range ids {
		d := domGet(t, s, id)
		assert.Equal(t, "Active", d.Status)
		assert.Equal(t, "2017-11-18", d.ExpiryDate)
		assert.Equal(t, "resellerclub", d.Registrar)
		assert.Equal(t, "unavailable", domWhois(t, s, d.DomainName))
	}
	var templates []string
	for _, e := range outbox(t, s, "clientId=2") {
		templates = append(templates, e.Template)
	}
	assert.Equal(t, []string{"Domain Transfer Initiated", "Domain Registration Confirmation"}, templates)

	must(t, s, "AddOrder", url.Values{"clientid": {"2"}, "paymentmethod": {"paypal"}, "noemail": {"1"},
		"domain[0]": {"c.example"}, "domain[1]": {"nic.example"}, "domaintype[0]": {"register"},
		"domaintype[1]": {"register"}}, &added)
	before := export(t, s, nil)
	r := call(t, s, "AcceptOrder", url.Values{"orderid": {strconv.FormatInt(added.OrderID, 10)}, "sendregistrar": {"1"}}, nil)
	assert.Equal(t, "Domain not available for registration", r.Message, "nic.example is reserved")
	assert.Equal(t, before, export(t, s, nil), "nothing written")
}
