// This file holds WHMCS's UpdateClientDomain (Domains category).
//
// UpdateClientDomain: "Domain ID Not Found" · "The Registrar is not active"
// (registrar sent that GetRegistrars does not list) · "ns1 and ns2
// required" (updatens without them) · then, with updatens, the emulated
// registrar's messages (domains_registrar.go: "Domain not registered with
// the registrar", "Invalid nameserver nsN") · store.ErrMoneyRange's
// "Amount out of range: …". Only the fields sent change: dnsmanagement,
// emailforwarding, idprotection and donotrenew (PHP truthiness), type
// (Register or Transfer, any case; another is ignored), regdate,
// nextduedate and expirydate (Y-m-d; another form is ignored), domain,
// firstpaymentamount and recurringamount (read as PHP's (float) does),
// registrar, regperiod (1 to 10; another is ignored), paymentmethod,
// subscriptionid, status (one of WHMCS's domain statuses, any case;
// another is ignored), notes, promoid. autorecalc sets the recurring
// amount to the TLD's renewal price for the regperiod in the client's
// currency (recurringamount is then ignored; without such a price the
// amount stays). updatens saves ns1 to ns5 at the registrar, as
// DomainUpdateNameservers does. Answer: domainid, a number (the docs'
// table; the example's "1" is outvoted).

package actions

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// domainStatuses are WHMCS's domain statuses.
var domainStatuses = []string{"Pending", "Pending Registration", "Pending Transfer", "Active", "Grace",
	"Redemption", "Expired", "Transferred Away", "Cancelled", "Fraud"}

type updateClientDomainRequest struct {
	DomainID           int64   `schema:"domainid"`
	DNSManagement      *string `schema:"dnsmanagement"`
	EmailForwarding    *string `schema:"emailforwarding"`
	IDProtection       *string `schema:"idprotection"`
	DoNotRenew         *string `schema:"donotrenew"`
	Type               *string `schema:"type"`
	RegDate            *string `schema:"regdate"`
	NextDueDate        *string `schema:"nextduedate"`
	ExpiryDate         *string `schema:"expirydate"`
	Domain             *string `schema:"domain"`
	FirstPaymentAmount *string `schema:"firstpaymentamount"`
	RecurringAmount    *string `schema:"recurringamount"`
	Registrar          *string `schema:"registrar"`
	RegPeriod          *string `schema:"regperiod"`
	PaymentMethod      *string `schema:"paymentmethod"`
	SubscriptionID     *string `schema:"subscriptionid"`
	Status             *string `schema:"status"`
	Notes              *string `schema:"notes"`
	PromoID            *string `schema:"promoid"`
	AutoRecalc         bool    `schema:"autorecalc"`
	UpdateNS           bool    `schema:"updatens"`
	NS1                string  `schema:"ns1"`
	NS2                string  `schema:"ns2"`
	NS3                string  `schema:"ns3"`
	NS4                string  `schema:"ns4"`
	NS5                string  `schema:"ns5"`
}

type updateClientDomainResponse struct {
	success
	DomainID int64 `json:"domainid"`
}

func updateClientDomain(ctx context.Context, env *Env, req *updateClientDomainRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		d, err := domainRef(ctx, tx, req.DomainID, "", errDomainIDNotFnd)
		if err != nil {
			return err
		}
		if req.Registrar != nil && strings.TrimSpace(*req.Registrar) != "" {
			reg := strings.TrimSpace(*req.Registrar)
			if err := activeRegistrar(ctx, tx, reg, false); err != nil {
				return err
			}
			d.Registrar = reg
		}
		var ns []string
		if req.UpdateNS {
			if ns, err = nameserverList(req.NS1, req.NS2, req.NS3, req.NS4, req.NS5); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			dst *bool
			v   *string
		}{{&d.DNSManagement, req.DNSManagement}, {&d.EmailForwarding, req.EmailForwarding},
			{&d.IDProtection, req.IDProtection}, {&d.DoNotRenew, req.DoNotRenew}} {
			if f.v != nil {
				*f.dst = Truthy(*f.v)
			}
		}
		if t, ok := pickFold([]string{"Register", "Transfer"}, deref(req.Type)); ok {
			d.RegType = t
		}
		for _, f := range [][2]*string{{&d.RegDate, req.RegDate}, {&d.NextDueDate, req.NextDueDate},
			{&d.ExpiryDate, req.ExpiryDate}} {
			if f[1] != nil {
				if t, err := time.Parse(time.DateOnly, strings.TrimSpace(*f[1])); err == nil {
					*f[0] = t.Format(time.DateOnly)
				}
			}
		}
		if req.Domain != nil && strings.TrimSpace(*req.Domain) != "" {
			d.Domain = strings.TrimSpace(*req.Domain)
		}
		for _, f := range []struct {
			dst *int64
			v   *string
		}{{&d.FirstPaymentAmountCents, req.FirstPaymentAmount}, {&d.RecurringAmountCents, req.RecurringAmount}} {
			if f.v != nil {
				if *f.dst, err = billingAmount(*f.v); err != nil {
					return err
				}
			}
		}
		if req.RegPeriod != nil {
			if p := IntVal(*req.RegPeriod); p >= 1 && p <= 10 {
				d.RegPeriod = p
			}
		}
		for _, f := range [][2]*string{{&d.PaymentMethod, req.PaymentMethod}, {&d.SubscriptionID, req.SubscriptionID},
			{&d.Notes, req.Notes}} {
			setIf(f[0], f[1])
		}
		if st, ok := pickFold(domainStatuses, deref(req.Status)); ok {
			d.Status = st
		}
		if req.PromoID != nil {
			d.PromoID = IntVal(*req.PromoID)
		}
		if req.AutoRecalc {
			cur, err := tx.OrderClientCurrency(ctx, d.ClientID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			cents, ok, err := tx.DomainPrice(ctx, d.Domain, cur.ID, store.TLDRenew, d.RegPeriod)
			if err != nil {
				return err
			}
			if ok {
				d.RecurringAmountCents = cents
			}
		}
		if _, err := tx.PutDomain(ctx, d); err != nil {
			return err
		}
		if !req.UpdateNS {
			return nil
		}
		r, err := heldRecord(ctx, tx, d.ID)
		if err != nil {
			return err
		}
		r.Nameservers = ns
		return tx.PutDomainRegistrar(ctx, r)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("domain updated", "domainId", req.DomainID)
	return &updateClientDomainResponse{DomainID: req.DomainID}, nil
}
