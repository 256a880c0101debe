// This file holds WHMCS's Affiliates actions: AffiliateActivate and
// GetAffiliates. An affiliate is a client who activated affiliate
// referrals; AddOrder's affid records the services of an order as the
// affiliate's referrals (kept, and exported, though no action lists them).
// Payouts are not emulated: visitors, the pay type and amount, one-time
// payouts, balance and withdrawn are what a fixture gives (0 and "" for an
// affiliate AffiliateActivate made).
//
// AffiliateActivate: "Client ID not found". The client (userid) becomes an
// affiliate from today (the emulator clock, UTC); a client that is one
// already stays as it is.
//
// GetAffiliates: no messages. Filters userid, visitors, paytype, payamount,
// onetime (0 or 1), balance and withdrawn, each when sent (amounts read as
// PHP's (float) does), combine with AND; by id; limitnum defaults to 25.
// totalresults, startnumber and numreturned are numbers (the docs' table),
// an affiliate's values strings (the docs' example); affiliates is absent
// when the page is empty.

package actions

import (
	"context"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type affiliateActivateRequest struct {
	UserID int64 `schema:"userid"`
}

func affiliateActivate(ctx context.Context, env *Env, req *affiliateActivateRequest) (any, error) {
	now := env.Now().UTC()
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.ClientExists, req.UserID, Errorf("Client ID not found")); err != nil {
			return err
		}
		if ok, err := tx.ClientIsAffiliate(ctx, req.UserID); err != nil || ok {
			return err
		}
		stamp := now.Format(time.DateTime)
		_, err := tx.PutAffiliate(ctx, store.Affiliate{ClientID: req.UserID, Date: now.Format(time.DateOnly),
			CreatedAt: stamp, UpdatedAt: stamp})
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("affiliate activated", "clientId", req.UserID)
	return &resultOnly{}, nil
}

// affiliateReferrals records services as an affiliate's referrals; an id
// that is no affiliate's records nothing.
func affiliateReferrals(ctx context.Context, tx *store.Tx, affiliateID int64, serviceIDs []int64) error {
	if affiliateID <= 0 || len(serviceIDs) == 0 {
		return nil
	}
	if ok, err := tx.AffiliateExists(ctx, affiliateID); err != nil || !ok {
		return err
	}
	for _, id := range serviceIDs {
		if err := tx.AddReferral(ctx, affiliateID, id); err != nil {
			return err
		}
	}
	return nil
}

type getAffiliatesRequest struct {
	LimitStart int64   `schema:"limitstart"`
	LimitNum   int64   `schema:"limitnum"`
	UserID     *string `schema:"userid"`
	Visitors   *string `schema:"visitors"`
	PayType    *string `schema:"paytype"`
	PayAmount  *string `schema:"payamount"`
	OneTime    *string `schema:"onetime"`
	Balance    *string `schema:"balance"`
	Withdrawn  *string `schema:"withdrawn"`
}

type getAffiliatesResponse struct {
	listHeader
	Affiliates *affiliateList `json:"affiliates,omitempty"`
}

type affiliateList struct {
	Affiliate []affiliateItem `json:"affiliate"`
}

type affiliateItem struct {
	ID        string `json:"id"`
	Date      string `json:"date"`
	ClientID  string `json:"clientid"`
	Visitors  string `json:"visitors"`
	PayType   string `json:"paytype"`
	PayAmount string `json:"payamount"`
	OneTime   string `json:"onetime"`
	Balance   string `json:"balance"`
	Withdrawn string `json:"withdrawn"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

// intFilter is a filter's value as PHP's (int) reads it, nil when not sent.
func intFilter(s *string) *int64 {
	if s == nil {
		return nil
	}
	n := IntVal(*s)
	return &n
}

// moneyFilter is a filter's amount in cents, nil when not sent.
func moneyFilter(s *string) (*int64, error) {
	if s == nil {
		return nil, nil
	}
	n, err := billingAmount(*s)
	return &n, err
}

func getAffiliates(ctx context.Context, env *Env, req *getAffiliatesRequest) (any, error) {
	f := store.AffiliateFilter{ClientID: intFilter(req.UserID), Visitors: intFilter(req.Visitors), PayType: req.PayType,
		Page: listWindow(req.LimitStart, req.LimitNum)}
	if req.OneTime != nil {
		one := IntVal(*req.OneTime) != 0
		f.OneTime = &one
	}
	var err error
	for _, m := range []struct {
		dst **int64
		v   *string
	}{{&f.PayAmountCents, req.PayAmount}, {&f.BalanceCents, req.Balance}, {&f.WithdrawnCents, req.Withdrawn}} {
		if *m.dst, err = moneyFilter(m.v); err != nil {
			return nil, err
		}
	}
	page, total, err := viewPage(ctx, env, (*store.Tx).ListAffiliates, f)
	if err != nil {
		return nil, err
	}
	resp := &getAffiliatesResponse{listHeader: headerOf(f.Page, total, len(page))}
	if len(page) == 0 {
		return resp, nil
	}
	resp.Affiliates = &affiliateList{Affiliate: make([]affiliateItem, len(page))}
	for i, a := range page {
		resp.Affiliates.Affiliate[i] = affiliateItem{ID: itoa(a.ID), Date: dateOrZero(a.Date), ClientID: itoa(a.ClientID),
			Visitors: itoa(a.Visitors), PayType: a.PayType, PayAmount: store.FormatMoney(a.PayAmountCents),
			OneTime: boolDigit(a.OneTime), Balance: store.FormatMoney(a.BalanceCents),
			Withdrawn: store.FormatMoney(a.WithdrawnCents), CreatedAt: zeroTime(a.CreatedAt),
			UpdatedAt: zeroTime(a.UpdatedAt)}
	}
	return resp, nil
}

// zeroTime is a stored time as WHMCS shows it: MySQL's zero time when unset.
func zeroTime(s string) string {
	if s == "" {
		return "0000-00-00 00:00:00"
	}
	return s
}
