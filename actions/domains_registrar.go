// This file holds WHMCS's registrar actions (Domains category), answered by
// the emulated registrar: DomainRegister, DomainTransfer, DomainRenew,
// DomainRelease, DomainGetNameservers, DomainUpdateNameservers,
// DomainGetLockingStatus, DomainUpdateLockingStatus, DomainGetWhoisInfo,
// DomainUpdateWhoisInfo, DomainRequestEPP and DomainToggleIdProtect.
//
// The registrar keeps a record of each domain (store.DomainRegistrar): whether
// it holds it (registered or transferred in, not released), its
// nameservers, registrar lock, EPP code, IDN language and WHOIS contacts.
// It serves every registrar module name a domain may have. Where WHMCS
// passes on "Registrar Error Message", the registrar's own message, the
// emulated registrar's are these (whmcsemu's wording): "Domain not
// registered with the registrar" (every action but DomainRegister and
// DomainTransfer, on a domain the registrar does not hold) · "Invalid domain
// name" (DomainRegister, DomainTransfer: the domain's name is no valid
// domain name) · "Domain already registered" · "Domain not available for
// registration" (DomainRegister: DomainWhois would not answer available;
// the domain's own record aside) · "Domain already held by the registrar"
// (DomainTransfer) · "An EPP code is required to transfer this domain"
// (DomainTransfer, when the TLD requires one and none is given or kept) ·
// "No active registrar to register the domain with" (DomainRegister,
// DomainTransfer: the domain has no registrar, its TLD no auto-registrar
// and GetRegistrars lists none) · "Renewal would take the expiry date more
// than 10 years ahead" (DomainRenew) · "Invalid nameserver nsN"
// (DomainUpdateNameservers, UpdateClientDomain: not a host name).
// "Registrar Function Not Supported" and "An invalid configuration was
// detected with the registrar module" never come back: the emulated
// registrar supports every function and needs no configuration.
//
// DomainRegister: "Domain Not Found" (domainid, else domain by name, any
// case, the first by id) · "Invalid IDN Language. Must be one of: " and the
// codes joined by ", " (idnlanguage, WHMCS 8 only: 7.x does not read it) ·
// then the registrar's. The domain becomes Active, registered today, with
// its expiry date regperiod years on and its next due date the expiry
// date; its registrar, when it has none, is its TLD's auto-registrar, else
// the first active registrar; the registrar takes the order's nameservers
// when it keeps none for the domain, and the client's details as the
// contacts it keeps none of. The client gets the "Domain Registration
// Confirmation" email.
//
// DomainTransfer: "Domain Not Found" · then the registrar's. eppcode is kept
// as the domain's EPP code. The emulated registrar completes a transfer at
// once: the domain becomes Active, its expiry date regperiod years past
// its expiry date (today when it has none or it has passed) and its next
// due date the expiry date; registrar, nameservers and contacts as for
// DomainRegister. The client gets the "Domain Transfer Initiated" email.
//
// DomainRenew: "Domain Not Found" · then the registrar's. regperiod (the
// domain's when absent or below 1) years are added to the expiry date
// (today when it has none); the next due date becomes the expiry date and
// the domain Active. The client gets the "Domain Renewal Confirmation"
// email.
//
// DomainRelease: "Domain Not Found" · "Parameter newtag is required"
// (whmcsemu's wording) · then the registrar's. The registrar no longer
// holds the domain, which becomes Transferred Away.
//
// DomainGetNameservers (ns1 to ns5, "" where unset),
// DomainGetLockingStatus (lockstatus "locked" or "unlocked"),
// DomainRequestEPP (eppcode: the one kept, else a new one of 16 letters
// and digits, kept from then on; HTML-escaped, as WHMCS documents),
// DomainUpdateLockingStatus (lockstatus, PHP truthiness: absent unlocks),
// DomainToggleIdProtect (idprotect, the same; the domain's idprotection,
// which GetClientsDomains shows): "Domain ID Not Found" · then the
// registrar's.
//
// DomainUpdateNameservers: "Domain ID Not Found" (domainid, else domain by
// name) · "ns1 and ns2 required" · then the registrar's. The nameservers
// become ns1 to ns5, those sent, in order.
//
// DomainGetWhoisInfo: "Domain ID Not Found" · then the registrar's.
// Registrant, Admin and Tech, each with First_Name, Last_Name,
// Organisation_Name, Job_Title, Email, Address_1, Address_2, City, State,
// Postcode, Country and Phone (+<calling code>.<number>), strings; a
// contact the registrar keeps none of is the client's details. A
// structured action: no NVP.
//
// DomainUpdateWhoisInfo: "Domain ID Not Found" · "XML Required" · "Unable
// to read the XML: it holds no Registrant, Admin or Tech contact" (also
// for XML that does not parse; whmcsemu's wording) · then the registrar's.
// xml holds Registrant, Admin and/or Tech elements (at any depth, so
// DomainGetWhoisInfo's own XML answer will do) whose child elements, named
// as DomainGetWhoisInfo names them (any case), replace those fields of
// that contact; other elements are ignored.

package actions

import (
	"context"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/whmcsemu/whmcsemu/store"
)

// The registrar's messages (whmcsemu's wording for WHMCS's "Registrar
// Error Message").
var (
	errNotHeld        = Errorf("Domain not registered with the registrar")
	errInvalidDomain  = Errorf("Invalid domain name")
	errNoRegistrar    = Errorf("No active registrar to register the domain with")
	errDomainNotFound = Errorf("Domain Not Found")
	errDomainIDNotFnd = Errorf("Domain ID Not Found")
)

// heldStatuses are the statuses of a domain a fixture gives that the
// registrar holds unless the fixture says otherwise: registered, even if
// expired.
var heldStatuses = []string{"Active", "Grace", "Redemption", "Expired"}

// HeldByDefault reports whether the registrar holds a fixture's domain of
// that status when the fixture does not say.
func HeldByDefault(status string) bool {
	for _, s := range heldStatuses {
		if s == status {
			return true
		}
	}
	return false
}

// domainRef finds the domain an action names: by domainid, else by its
// name (any case; the first by id); msg when there is none.
func domainRef(ctx context.Context, tx *store.Tx, id int64, name string, msg *Error) (store.Domain, error) {
	if id != 0 {
		d, err := tx.DomainByID(ctx, id)
		return d, notFoundAs(err, msg)
	}
	if name = strings.TrimSpace(name); name != "" {
		d, err := tx.DomainByName(ctx, name)
		return d, notFoundAs(err, msg)
	}
	return store.Domain{}, msg
}

// registrarDomain finds the domain an action names (domainRef) and the
// registrar's record of it.
func registrarDomain(ctx context.Context, tx *store.Tx, id int64, name string, msg *Error) (store.Domain, store.DomainRegistrar, error) {
	d, err := domainRef(ctx, tx, id, name, msg)
	if err != nil {
		return d, store.DomainRegistrar{}, err
	}
	r, err := tx.DomainRegistrarByID(ctx, d.ID)
	return d, r, err
}

// heldDomain is registrarDomain for a domain the registrar must hold.
func heldDomain(ctx context.Context, tx *store.Tx, id int64, name string, msg *Error) (store.Domain, store.DomainRegistrar, error) {
	d, err := domainRef(ctx, tx, id, name, msg)
	if err != nil {
		return d, store.DomainRegistrar{}, err
	}
	r, err := heldRecord(ctx, tx, d.ID)
	return d, r, err
}

// heldRecord is the registrar's record of a domain the caller has found,
// which the registrar must hold.
func heldRecord(ctx context.Context, tx *store.Tx, domainID int64) (store.DomainRegistrar, error) {
	r, err := tx.DomainRegistrarByID(ctx, domainID)
	if err == nil && !r.Held {
		err = errNotHeld
	}
	return r, err
}

// domainLookup names the domain a registrar action changes: by id, else
// by name (domainRef); msg when there is none; held when the registrar
// must hold it (heldDomain).
type domainLookup struct {
	id   int64
	name string
	msg  *Error
	held bool
}

// registrarWrite is a registrar action that changes the domain l names:
// write runs on it and the registrar's record of it in one transaction;
// once it is written the log says event, unless it is "".
func registrarWrite(ctx context.Context, env *Env, l domainLookup, event string,
	write func(tx *store.Tx, d store.Domain, r store.DomainRegistrar) error) (any, error) {
	find := registrarDomain
	if l.held {
		find = heldDomain
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		d, r, err := find(ctx, tx, l.id, l.name, l.msg)
		if err != nil {
			return err
		}
		return write(tx, d, r)
	})
	if err != nil {
		return nil, err
	}
	if event != "" {
		env.Log.Info(event, "domain", l.name, "domainId", l.id)
	}
	return &resultOnly{}, nil
}

// ValidDomainName reports whether name (lower case) is a domain name a
// registrar takes: at most 253 characters, two labels or more, each of 1
// to 63 letters, digits and hyphens (letters of any script, for IDNs),
// neither starting nor ending with a hyphen, the last not all digits.
func ValidDomainName(name string) bool {
	if len(name) > 253 || name != strings.ToLower(name) {
		return false
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' ||
				r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))) {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// addYears adds years to a Y-m-d date ("" is today), as PHP's strtotime
// "+N years" does (29 February to 1 March).
func addYears(date, today string, years int64) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t, _ = time.Parse(time.DateOnly, today)
	}
	return t.AddDate(int(min(max(years, -1000), 1000)), 0, 0).Format(time.DateOnly)
}

// domainRegistrarFor is the registrar a domain is registered with: its
// own, else its TLD's auto-registrar, else the first active one.
func domainRegistrarFor(ctx context.Context, tx *store.Tx, d store.Domain) (string, error) {
	if d.Registrar != "" {
		return d.Registrar, nil
	}
	if t, err := tx.DomainTLD(ctx, d.Domain); err == nil && t.AutoRegistrar != "" {
		return t.AutoRegistrar, nil
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	regs, err := tx.Registrars(ctx)
	if err != nil {
		return "", err
	}
	if len(regs) == 0 {
		return "", errNoRegistrar
	}
	return regs[0].Module, nil
}

// takeOver fills in what the registrar is given when it takes a domain on
// (registration or transfer): its registrar, the order's nameservers when
// it keeps none, the client's details as the contacts it keeps none of.
func takeOver(ctx context.Context, tx *store.Tx, d *store.Domain, r *store.DomainRegistrar) error {
	if !ValidDomainName(strings.ToLower(d.Domain)) {
		return errInvalidDomain
	}
	reg, err := domainRegistrarFor(ctx, tx, *d)
	if err != nil {
		return err
	}
	d.Registrar = reg
	if len(r.Nameservers) == 0 && d.OrderID != 0 {
		o, err := tx.OrderByID(ctx, d.OrderID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, ns := range strings.Split(o.Nameservers, ",") {
			if ns = strings.TrimSpace(ns); ns != "" && len(r.Nameservers) < 5 {
				r.Nameservers = append(r.Nameservers, ns)
			}
		}
	}
	contacts, err := domainContacts(ctx, tx, *d, *r)
	if err != nil {
		return err
	}
	for i := range r.Contacts {
		r.Contacts[i] = &contacts[i]
	}
	r.Held = true
	return nil
}

// clientContact is a client's details as a WHOIS contact.
func clientContact(ctx context.Context, tx *store.Tx, clientID int64) (store.WhoisContact, error) {
	c, err := tx.ClientByID(ctx, clientID)
	if err != nil {
		return store.WhoisContact{}, err
	}
	p, err := tx.ClientProfileByID(ctx, clientID)
	if err != nil {
		return store.WhoisContact{}, err
	}
	phone := p.PhoneNumber
	if cc := clientCallingCodes[p.Country]; cc != "" && phone != "" {
		phone = "+" + cc + "." + strings.TrimLeft(clientDigits(phone), "0")
	}
	return store.WhoisContact{FirstName: c.Firstname, LastName: c.Lastname, CompanyName: c.CompanyName,
		Email: c.Email, Address1: p.Address1, Address2: p.Address2, City: p.City, State: p.State,
		Postcode: p.Postcode, Country: p.Country, Phone: phone}, nil
}

// domainEmail sends the client one of the domain emails, with the
// domain's merge fields; a template that does not exist sends nothing.
func domainEmail(ctx context.Context, tx *store.Tx, env *Env, template string, d store.Domain) error {
	format, err := dateFormat(ctx, tx)
	if err != nil {
		return err
	}
	date := func(s string) string { return shownDay(s, format) }
	sld, tld, _ := strings.Cut(d.Domain, ".")
	return ignoreNoTemplate(sendClientEmail(ctx, tx, env, template, d.ClientID, map[string]string{
		"domain_id": strconv.FormatInt(d.ID, 10), "domain_name": d.Domain, "domain_sld": sld, "domain_tld": tld,
		"domain_reg_period":           strconv.FormatInt(d.RegPeriod, 10) + " Year/s",
		"domain_reg_date":             date(d.RegDate),
		"domain_expiry_date":          date(d.ExpiryDate),
		"domain_next_due_date":        date(d.NextDueDate),
		"domain_first_payment_amount": store.FormatMoney(d.FirstPaymentAmountCents),
		"domain_recurring_amount":     store.FormatMoney(d.RecurringAmountCents),
		"domain_registrar":            d.Registrar, "domain_status": d.Status,
		"domain_dns_management":   boolDigit(d.DNSManagement),
		"domain_email_forwarding": boolDigit(d.EmailForwarding),
		"domain_id_protection":    boolDigit(d.IDProtection),
		"domain_do_not_renew":     boolDigit(d.DoNotRenew)}))
}

// saveDomain writes a domain and the registrar's record of it.
func saveDomain(ctx context.Context, tx *store.Tx, d store.Domain, r store.DomainRegistrar) error {
	if _, err := tx.PutDomain(ctx, d); err != nil {
		return err
	}
	return tx.PutDomainRegistrar(ctx, r)
}

type domainRegisterRequest struct {
	DomainID    int64   `schema:"domainid"`
	Domain      string  `schema:"domain"`
	IDNLanguage *string `schema:"idnlanguage"`
}

func domainRegister(ctx context.Context, env *Env, req *domainRegisterRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{req.DomainID, req.Domain, errDomainNotFound, false}, "domain registered",
		func(tx *store.Tx, d store.Domain, r store.DomainRegistrar) error {
			if req.IDNLanguage != nil && env.shape().domainIDNLanguage {
				code, ok := IDNLanguage(*req.IDNLanguage)
				if !ok {
					return Errorf("Invalid IDN Language. Must be one of: %s", strings.Join(idnLanguages, ", "))
				}
				r.IDNLanguage = code
			}
			return registerDomain(ctx, tx, env, d, r, true)
		})
}

// registerDomain has the registrar register a domain: Active, registered
// today, expiring regperiod years on, next due then; with email, the
// client gets the "Domain Registration Confirmation" email.
func registerDomain(ctx context.Context, tx *store.Tx, env *Env, d store.Domain, r store.DomainRegistrar, email bool) error {
	today := env.Now().UTC().Format(time.DateOnly)
	if r.Held {
		return Errorf("Domain already registered")
	}
	name := strings.ToLower(d.Domain)
	if !ValidDomainName(name) {
		return errInvalidDomain
	}
	if avail, err := whoisAvailable(ctx, tx, name, d.ID); err != nil {
		return err
	} else if !avail {
		return Errorf("Domain not available for registration")
	}
	if err := takeOver(ctx, tx, &d, &r); err != nil {
		return err
	}
	d.RegDate = today
	expiry := addYears(today, today, max(d.RegPeriod, 1))
	return activeUntil(ctx, tx, env, d, r, expiry, "Domain Registration Confirmation", email)
}

// activeUntil saves d, Active until expiry and next due then, and r; with
// email, the client gets the email template.
func activeUntil(ctx context.Context, tx *store.Tx, env *Env, d store.Domain, r store.DomainRegistrar, expiry,
	template string, email bool) error {
	d.Status, d.ExpiryDate, d.NextDueDate = "Active", expiry, expiry
	if err := saveDomain(ctx, tx, d, r); err != nil || !email {
		return err
	}
	return domainEmail(ctx, tx, env, template, d)
}

type domainTransferRequest struct {
	DomainID int64  `schema:"domainid"`
	Domain   string `schema:"domain"`
	EPPCode  string `schema:"eppcode"`
}

func domainTransfer(ctx context.Context, env *Env, req *domainTransferRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{req.DomainID, req.Domain, errDomainNotFound, false}, "domain transferred",
		func(tx *store.Tx, d store.Domain, r store.DomainRegistrar) error {
			if code := strings.TrimSpace(req.EPPCode); code != "" {
				r.EPPCode = code
			}
			return transferDomain(ctx, tx, env, d, r, true)
		})
}

// transferDomain has the registrar take a domain in, at once: Active,
// regperiod years past its expiry date (today when it has none or it has
// passed), next due then; with email, the client gets the "Domain Transfer
// Initiated" email.
func transferDomain(ctx context.Context, tx *store.Tx, env *Env, d store.Domain, r store.DomainRegistrar, email bool) error {
	today := env.Now().UTC().Format(time.DateOnly)
	if held, err := tx.DomainNameHeld(ctx, d.Domain, d.ID); err != nil {
		return err
	} else if held || r.Held {
		return Errorf("Domain already held by the registrar")
	}
	if err := takeOver(ctx, tx, &d, &r); err != nil {
		return err
	}
	if t, err := tx.DomainTLD(ctx, d.Domain); err == nil && t.EPPRequired && r.EPPCode == "" {
		return Errorf("An EPP code is required to transfer this domain")
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	from := d.ExpiryDate
	if from < today {
		from = today
	}
	if d.RegDate == "" {
		d.RegDate = today
	}
	return activeUntil(ctx, tx, env, d, r, addYears(from, today, max(d.RegPeriod, 1)), "Domain Transfer Initiated", email)
}

// sendToRegistrar registers or transfers, as its registration type says,
// each domain of an order (AcceptOrder's sendregistrar), with the
// registrar given when there is one.
func sendToRegistrar(ctx context.Context, tx *store.Tx, env *Env, orderID int64, registrar string, email bool) error {
	domains, err := tx.OrderDomains(ctx, orderID)
	if err != nil {
		return err
	}
	for _, d := range domains {
		if registrar != "" {
			d.Registrar = registrar
		}
		r, err := tx.DomainRegistrarByID(ctx, d.ID)
		if err != nil {
			return err
		}
		if d.RegType == "Transfer" {
			err = transferDomain(ctx, tx, env, d, r, email)
		} else {
			err = registerDomain(ctx, tx, env, d, r, email)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

type domainRenewRequest struct {
	DomainID  int64  `schema:"domainid"`
	Domain    string `schema:"domain"`
	RegPeriod int64  `schema:"regperiod"`
}

func domainRenew(ctx context.Context, env *Env, req *domainRenewRequest) (any, error) {
	now := env.Now().UTC()
	today := now.Format(time.DateOnly)
	return registrarWrite(ctx, env, domainLookup{req.DomainID, req.Domain, errDomainNotFound, true}, "domain renewed",
		func(tx *store.Tx, d store.Domain, r store.DomainRegistrar) error {
			years := req.RegPeriod
			if years < 1 {
				years = max(d.RegPeriod, 1)
			}
			expiry := addYears(d.ExpiryDate, today, years)
			if years > 10 || expiry > now.AddDate(10, 0, 0).Format(time.DateOnly) {
				return Errorf("Renewal would take the expiry date more than 10 years ahead")
			}
			return activeUntil(ctx, tx, env, d, r, expiry, "Domain Renewal Confirmation", true)
		})
}

type domainReleaseRequest struct {
	DomainID int64  `schema:"domainid"`
	Domain   string `schema:"domain"`
	NewTag   string `schema:"newtag"`
}

func domainRelease(ctx context.Context, env *Env, req *domainReleaseRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{req.DomainID, req.Domain, errDomainNotFound, false}, "",
		func(tx *store.Tx, d store.Domain, r store.DomainRegistrar) error {
			if strings.TrimSpace(req.NewTag) == "" {
				return Errorf("Parameter newtag is required")
			}
			if !r.Held {
				return errNotHeld
			}
			r.Held, d.Status = false, "Transferred Away"
			return saveDomain(ctx, tx, d, r)
		})
}

// domainIDRequest is the one parameter of the registrar's reads.
type domainIDRequest struct {
	DomainID int64 `schema:"domainid"`
}

// nameservers are a domain's five nameservers, "" where unset.
type nameservers struct {
	NS1 string `json:"ns1"`
	NS2 string `json:"ns2"`
	NS3 string `json:"ns3"`
	NS4 string `json:"ns4"`
	NS5 string `json:"ns5"`
}

func nameserversOf(list []string) nameservers {
	var ns [5]string
	copy(ns[:], list)
	return nameservers{ns[0], ns[1], ns[2], ns[3], ns[4]}
}

type domainGetNameserversResponse struct {
	success
	nameservers
}

func domainGetNameservers(ctx context.Context, env *Env, req *domainIDRequest) (any, error) {
	var r store.DomainRegistrar
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		_, r, err = heldDomain(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &domainGetNameserversResponse{nameservers: nameserversOf(r.Nameservers)}, nil
}

type domainUpdateNameserversRequest struct {
	DomainID int64  `schema:"domainid"`
	Domain   string `schema:"domain"`
	NS1      string `schema:"ns1"`
	NS2      string `schema:"ns2"`
	NS3      string `schema:"ns3"`
	NS4      string `schema:"ns4"`
	NS5      string `schema:"ns5"`
}

// nameserverList checks ns1 to ns5 (ns1 and ns2 required, each a host
// name) and returns those sent, in order.
func nameserverList(ns ...string) ([]string, error) {
	if strings.TrimSpace(ns[0]) == "" || strings.TrimSpace(ns[1]) == "" {
		return nil, Errorf("ns1 and ns2 required")
	}
	var out []string
	for i, n := range ns {
		if n = strings.ToLower(strings.TrimSpace(n)); n == "" {
			continue
		}
		if !ValidDomainName(n) {
			return nil, Errorf("Invalid nameserver ns%d", i+1)
		}
		out = append(out, n)
	}
	return out, nil
}

func domainUpdateNameservers(ctx context.Context, env *Env, req *domainUpdateNameserversRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{req.DomainID, req.Domain, errDomainIDNotFnd, false}, "",
		func(tx *store.Tx, _ store.Domain, r store.DomainRegistrar) error {
			list, err := nameserverList(req.NS1, req.NS2, req.NS3, req.NS4, req.NS5)
			if err != nil {
				return err
			}
			if !r.Held {
				return errNotHeld
			}
			r.Nameservers = list
			return tx.PutDomainRegistrar(ctx, r)
		})
}

type domainGetLockingStatusResponse struct {
	success
	LockStatus string `json:"lockstatus"`
}

func domainGetLockingStatus(ctx context.Context, env *Env, req *domainIDRequest) (any, error) {
	var r store.DomainRegistrar
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		_, r, err = heldDomain(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &domainGetLockingStatusResponse{LockStatus: "unlocked"}
	if r.Locked {
		resp.LockStatus = "locked"
	}
	return resp, nil
}

type domainUpdateLockingStatusRequest struct {
	DomainID   int64 `schema:"domainid"`
	LockStatus bool  `schema:"lockstatus"`
}

func domainUpdateLockingStatus(ctx context.Context, env *Env, req *domainUpdateLockingStatusRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{id: req.DomainID, msg: errDomainIDNotFnd, held: true}, "",
		func(tx *store.Tx, _ store.Domain, r store.DomainRegistrar) error {
			r.Locked = req.LockStatus
			return tx.PutDomainRegistrar(ctx, r)
		})
}

type domainRequestEPPResponse struct {
	success
	EPPCode string `json:"eppcode"`
}

// eppAlphabet is what a new EPP code is made of.
const eppAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

func domainRequestEPP(ctx context.Context, env *Env, req *domainIDRequest) (any, error) {
	var code string
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		_, r, err := heldDomain(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		if err != nil {
			return err
		}
		if r.EPPCode == "" {
			b := env.randomBytes(16)
			for i := range b {
				b[i] = eppAlphabet[int(b[i])%len(eppAlphabet)]
			}
			r.EPPCode = string(b)
			if err := tx.PutDomainRegistrar(ctx, r); err != nil {
				return err
			}
		}
		code = r.EPPCode
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &domainRequestEPPResponse{EPPCode: html.EscapeString(code)}, nil
}

type domainToggleIDProtectRequest struct {
	DomainID  int64 `schema:"domainid"`
	IDProtect bool  `schema:"idprotect"`
}

func domainToggleIDProtect(ctx context.Context, env *Env, req *domainToggleIDProtectRequest) (any, error) {
	return registrarWrite(ctx, env, domainLookup{id: req.DomainID, msg: errDomainIDNotFnd, held: true}, "",
		func(tx *store.Tx, d store.Domain, _ store.DomainRegistrar) error {
			d.IDProtection = req.IDProtect
			_, err := tx.PutDomain(ctx, d)
			return err
		})
}

// whoisContact is a WHOIS contact as DomainGetWhoisInfo shows it.
type whoisContact struct {
	FirstName   string `json:"First_Name"`
	LastName    string `json:"Last_Name"`
	CompanyName string `json:"Organisation_Name"`
	JobTitle    string `json:"Job_Title"`
	Email       string `json:"Email"`
	Address1    string `json:"Address_1"`
	Address2    string `json:"Address_2"`
	City        string `json:"City"`
	State       string `json:"State"`
	Postcode    string `json:"Postcode"`
	Country     string `json:"Country"`
	Phone       string `json:"Phone"`
}

// whoisFields are a contact's fields by DomainGetWhoisInfo's names, in its
// order, lower case (DomainUpdateWhoisInfo matches them in any case).
func whoisFields(c *store.WhoisContact) [][2]any {
	return [][2]any{{"first_name", &c.FirstName}, {"last_name", &c.LastName},
		{"organisation_name", &c.CompanyName}, {"job_title", &c.JobTitle}, {"email", &c.Email},
		{"address_1", &c.Address1}, {"address_2", &c.Address2}, {"city", &c.City}, {"state", &c.State},
		{"postcode", &c.Postcode}, {"country", &c.Country}, {"phone", &c.Phone}}
}

func newWhoisContact(c store.WhoisContact) whoisContact {
	return whoisContact{FirstName: c.FirstName, LastName: c.LastName, CompanyName: c.CompanyName,
		JobTitle: c.JobTitle, Email: c.Email, Address1: c.Address1, Address2: c.Address2, City: c.City,
		State: c.State, Postcode: c.Postcode, Country: c.Country, Phone: c.Phone}
}

type domainGetWhoisInfoResponse struct {
	success
	Registrant whoisContact `json:"Registrant"`
	Admin      whoisContact `json:"Admin"`
	Tech       whoisContact `json:"Tech"`
}

// domainContacts are the registrar's three contacts of a domain, the
// client's details standing in for those it keeps none of.
func domainContacts(ctx context.Context, tx *store.Tx, d store.Domain, r store.DomainRegistrar) ([3]store.WhoisContact, error) {
	var out [3]store.WhoisContact
	var client *store.WhoisContact // read once, for the first contact the registrar lacks
	for i, c := range r.Contacts {
		if c == nil {
			if client == nil {
				cc, err := clientContact(ctx, tx, d.ClientID)
				if err != nil {
					return out, err
				}
				client = &cc
			}
			c = client
		}
		out[i] = *c
	}
	return out, nil
}

func domainGetWhoisInfo(ctx context.Context, env *Env, req *domainIDRequest) (any, error) {
	var contacts [3]store.WhoisContact
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		d, r, err := heldDomain(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		if err != nil {
			return err
		}
		contacts, err = domainContacts(ctx, tx, d, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &domainGetWhoisInfoResponse{Registrant: newWhoisContact(contacts[0]), Admin: newWhoisContact(contacts[1]),
		Tech: newWhoisContact(contacts[2])}, nil
}

type domainUpdateWhoisInfoRequest struct {
	DomainID int64  `schema:"domainid"`
	XML      string `schema:"xml"`
}

// errWhoisXML is whmcsemu's answer to xml it cannot use.
var errWhoisXML = Errorf("Unable to read the XML: it holds no Registrant, Admin or Tech contact")

// whoisXML reads DomainUpdateWhoisInfo's xml: for each contact (by its
// index in store.WhoisContactKinds) the fields it gives, by lower-case
// name. Elements outside a contact, and nested deeper inside a field, are
// ignored.
func whoisXML(doc string) (map[int]map[string]string, error) {
	dec := xml.NewDecoder(strings.NewReader(doc))
	dec.Strict = false
	out := map[int]map[string]string{}
	contact, depth := -1, 0 // the contact being read, and the depth inside it
	var field string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errWhoisXML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case contact < 0:
				for i, kind := range store.WhoisContactKinds {
					if strings.EqualFold(t.Name.Local, kind) {
						contact, depth = i, 0
						if out[i] == nil {
							out[i] = map[string]string{}
						}
					}
				}
			default:
				depth++
				if depth == 1 {
					field = strings.ToLower(t.Name.Local)
					text.Reset()
				}
			}
		case xml.CharData:
			if contact >= 0 && depth == 1 {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case contact < 0:
			case depth == 0:
				contact = -1
			default:
				if depth == 1 {
					out[contact][field] = strings.TrimSpace(text.String())
				}
				depth--
			}
		}
	}
	if len(out) == 0 {
		return nil, errWhoisXML
	}
	return out, nil
}

func domainUpdateWhoisInfo(ctx context.Context, env *Env, req *domainUpdateWhoisInfoRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		d, err := domainRef(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		if err != nil {
			return err
		}
		if strings.TrimSpace(req.XML) == "" {
			return Errorf("XML Required")
		}
		given, err := whoisXML(req.XML)
		if err != nil {
			return err
		}
		r, err := heldRecord(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		contacts, err := domainContacts(ctx, tx, d, r)
		if err != nil {
			return err
		}
		for i, fields := range given {
			c := contacts[i]
			for _, f := range whoisFields(&c) {
				if v, ok := fields[f[0].(string)]; ok {
					*f[1].(*string) = v
				}
			}
			r.Contacts[i] = &c
		}
		return tx.PutDomainRegistrar(ctx, r)
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}
