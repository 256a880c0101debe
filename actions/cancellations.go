// This file holds WHMCS's AddCancelRequest (Support category) and
// GetCancelledPackages (Client category), over one table of cancellation
// requests, one a service at most.
//
// AddCancelRequest: "Service ID Not Found" · "Existing Cancellation Request
// Exists". type is Immediate or End of Billing Period (any case; anything
// else, or none, is End of Billing Period); reason is kept as sent. The
// request is dated now (the emulator clock, UTC); the service does not
// change (WHMCS's cron carries requests out). The client gets the
// "Cancellation Request Confirmation" email (in the outbox). serviceid and
// userid (the service's client) are answered as numbers (the docs' table;
// the example shows strings).
//
// GetCancelledPackages: no messages. Lists the requests by id; limitnum
// defaults to 25. totalresults, startnumber and numreturned are numbers
// (the docs' table), a request's values strings (the docs' example);
// created_at and updated_at are the request's date; packages is absent
// when the page is empty.

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type addCancelRequestRequest struct {
	ServiceID int64  `schema:"serviceid"`
	Type      string `schema:"type"`
	Reason    string `schema:"reason"`
}

type addCancelRequestResponse struct {
	success
	ServiceID int64 `json:"serviceid"`
	UserID    int64 `json:"userid"`
}

func addCancelRequest(ctx context.Context, env *Env, req *addCancelRequestRequest) (any, error) {
	typ := "End of Billing Period"
	if strings.EqualFold(strings.TrimSpace(req.Type), "Immediate") {
		typ = "Immediate"
	}
	resp := &addCancelRequestResponse{ServiceID: req.ServiceID}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		s, err := tx.ServiceByID(ctx, req.ServiceID)
		if err != nil {
			return notFoundAs(err, Errorf("Service ID Not Found"))
		}
		if ok, err := tx.ServiceCancelRequested(ctx, s.ID); err != nil {
			return err
		} else if ok {
			return Errorf("Existing Cancellation Request Exists")
		}
		if _, err := tx.PutCancelRequest(ctx, store.CancelRequest{Date: env.Now().UTC().Format(time.DateTime),
			ServiceID: s.ID, Reason: req.Reason, Type: typ}); err != nil {
			return err
		}
		resp.UserID = s.ClientID
		list, _, err := tx.ListServices(ctx, store.ServiceFilter{ServiceID: s.ID})
		if err != nil || len(list) == 0 {
			return err
		}
		err = sendClientEmail(ctx, tx, env, "Cancellation Request Confirmation", s.ClientID, map[string]string{
			"service_id": strconv.FormatInt(s.ID, 10), "service_product_name": list[0].ProductName,
			"service_domain": s.Domain, "service_status": s.Status, "service_cancellation_type": typ,
			"service_cancellation_reason": req.Reason})
		return ignoreNoTemplate(err)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("cancellation requested", "serviceId", req.ServiceID)
	return resp, nil
}

type getCancelledPackagesRequest struct {
	LimitStart int64 `schema:"limitstart"`
	LimitNum   int64 `schema:"limitnum"`
}

type getCancelledPackagesResponse struct {
	listHeader
	Packages *cancelledPackages `json:"packages,omitempty"`
}

type cancelledPackages struct {
	Package []cancelledPackage `json:"package"`
}

type cancelledPackage struct {
	ID        string `json:"id"`
	Date      string `json:"date"`
	RelID     string `json:"relid"`
	Reason    string `json:"reason"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func getCancelledPackages(ctx context.Context, env *Env, req *getCancelledPackagesRequest) (any, error) {
	p := listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListCancelRequests, p)
	if err != nil {
		return nil, err
	}
	resp := &getCancelledPackagesResponse{listHeader: headerOf(p, total, len(page))}
	if len(page) == 0 {
		return resp, nil
	}
	resp.Packages = &cancelledPackages{Package: make([]cancelledPackage, len(page))}
	for i, c := range page {
		resp.Packages.Package[i] = cancelledPackage{ID: itoa(c.ID), Date: c.Date, RelID: itoa(c.ServiceID),
			Reason: c.Reason, Type: c.Type, CreatedAt: c.Date, UpdatedAt: c.Date}
	}
	return resp, nil
}
