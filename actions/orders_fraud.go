// This file holds WHMCS's FraudOrder and OrderFraudCheck (Orders category).
//
// FraudOrder: "Order ID Not Found" · "Subscription Cancellation Failed -
// Please check the gateway log for further information". From any status,
// the order, its services, addons and domains become Fraud, and its invoice
// Cancelled when it is Unpaid (as CancelOrder does). With cancelsub, the
// subscriptions of the order's services are cancelled (their subscription
// ids cleared); a subscription whose payment method is no active gateway
// cannot be cancelled, which is the second message (and nothing changes).
//
// OrderFraudCheck: "Order ID Not Found" · "No Active Fraud Module" (none of
// the catalog's fraud modules is active: ActivateModule, or a fixture's
// modules). The active fraud module (the first by name) fails an order
// whose IP address (ipaddress when sent, else the order's) or whose
// client's email address is on the fixture's fraud block list, and passes
// any other: status "Fail" or "Pass", module its name, results the check's
// findings as a PHP-serialised array (ipaddress, email, reason: "" when
// passed, else what was blocked). The order records the module and the
// results, which GetOrders shows as fraudmodule and fraudoutput; the
// order's status does not change (FraudOrder does that).

package actions

import (
	"context"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

type fraudOrderRequest struct {
	OrderID   int64 `schema:"orderid"`
	CancelSub bool  `schema:"cancelsub"`
}

func fraudOrder(ctx context.Context, env *Env, req *fraudOrderRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderByID(ctx, req.OrderID)
		if err != nil {
			return notFoundAs(err, Errorf("Order ID Not Found"))
		}
		if req.CancelSub {
			subs, err := tx.OrderSubscriptions(ctx, o.ID)
			if err != nil {
				return err
			}
			for _, s := range subs {
				if ok, err := moduleActive(ctx, tx, "gateway", s.PaymentMethod); err != nil {
					return err
				} else if !ok {
					return Errorf("Subscription Cancellation Failed - Please check the gateway log for further information")
				}
			}
			if err := tx.ClearOrderSubscriptions(ctx, o.ID); err != nil {
				return err
			}
		}
		if err := tx.SetOrderStatus(ctx, o.ID, "Fraud", store.OrderItemUpdate{}); err != nil {
			return err
		}
		return orderInvoiceStatus(ctx, tx, o.InvoiceID, "Unpaid", "Cancelled")
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order set as fraud", "orderId", req.OrderID)
	return &resultOnly{}, nil
}

type orderFraudCheckRequest struct {
	OrderID   int64  `schema:"orderid"`
	IPAddress string `schema:"ipaddress"`
}

type orderFraudCheckResponse struct {
	success
	Status  string `json:"status"`
	Module  string `json:"module"`
	Results string `json:"results"`
}

func orderFraudCheck(ctx context.Context, env *Env, req *orderFraudCheckRequest) (any, error) {
	resp := &orderFraudCheckResponse{Status: "Pass"}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.OrderByID(ctx, req.OrderID)
		if err != nil {
			return notFoundAs(err, Errorf("Order ID Not Found"))
		}
		modules, err := tx.ActiveModules(ctx, "fraud")
		if err != nil {
			return err
		}
		if len(modules) == 0 {
			return Errorf("No Active Fraud Module")
		}
		resp.Module = modules[0]
		client, err := tx.ClientByID(ctx, o.ClientID)
		if err != nil {
			return err
		}
		ip := strings.TrimSpace(req.IPAddress)
		if ip == "" {
			ip = o.IPAddress
		}
		ipBlocked, emailBlocked, err := tx.FraudBlocked(ctx, ip, client.Email)
		if err != nil {
			return err
		}
		var reasons []string
		if ipBlocked {
			reasons = append(reasons, "IP address blocked")
		}
		if emailBlocked {
			reasons = append(reasons, "Email address blocked")
		}
		if len(reasons) > 0 {
			resp.Status = "Fail"
		}
		resp.Results = phpSerialize([][2]string{{"ipaddress", ip}, {"email", client.Email},
			{"reason", strings.Join(reasons, ", ")}})
		return tx.SetOrderFraud(ctx, o.ID, resp.Module, resp.Results)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("order fraud check", "orderId", req.OrderID, "status", resp.Status)
	return resp, nil
}

// phpSerialize is PHP's serialize() of an array of strings by string
// keys, in order.
func phpSerialize(pairs [][2]string) string {
	var b strings.Builder
	b.WriteString("a:" + strconv.Itoa(len(pairs)) + ":{")
	for _, p := range pairs {
		for _, s := range p {
			b.WriteString("s:" + strconv.Itoa(len(s)) + ":\"" + s + "\";")
		}
	}
	b.WriteString("}")
	return b.String()
}
