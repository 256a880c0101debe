// This file holds the reference data integrations look up before they
// order or open tickets: GetCurrencies and GetPaymentMethods (WHMCS's
// System category), GetOrderStatuses and GetPromotions (Orders), and
// GetSupportDepartments and GetSupportStatuses (Tickets). They read
// state, never write it. WHMCS documents no error message for any of them;
// the only error is the framework's, for responsetype=nvp ("This API action
// only supports the XML or JSON response type formats"), as for every
// structured list action.
//
// Every answer is totalresults (a number) and a wrapped list, WHMCS's
// {"currencies":{"currency":[…]}}, left out when there is nothing to list.
// The counts of GetOrderStatuses, GetSupportStatuses and
// GetSupportDepartments are the orders and tickets in the state, counted
// when asked.

package actions

import (
	"context"
	"slices"
	"strconv"

	"github.com/whmcsemu/whmcsemu/store"
)

// refNoParams is the request of an action that reads no parameters.
type refNoParams struct{}

// getCurrenciesResponse: totalresults is a number, as WHMCS's response
// table types it and every other list answers it; the documented example
// shows it as "1" only because the flattened form writes every value as
// text.
type getCurrenciesResponse struct {
	success
	TotalResults int           `json:"totalresults"`
	Currencies   *currencyList `json:"currencies,omitempty"`
}

type currencyList struct {
	Currency []currencyItem `json:"currency"`
}

// currencyItem is one currency. WHMCS documents its example flattened
// (currencies[currency][0][id]=1, the keys of the nested list as
// http_build_query writes them): a JSON client gets the nested list. Every
// value is a string, as in the example: WHMCS copies them from the
// database row, which PHP's MySQL driver reads as text (the reason
// GetSupportDepartments' ids are strings too, as WHMCS 8 sends them).
type currencyItem struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
	Format string `json:"format"`
	Rate   string `json:"rate"`
}

// getCurrencies lists the currencies by code, as WHMCS does.
func getCurrencies(ctx context.Context, env *Env, _ *refNoParams) (any, error) {
	var list []store.Currency
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.Currencies(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getCurrenciesResponse{TotalResults: len(list)}
	if len(list) > 0 {
		resp.Currencies = &currencyList{Currency: make([]currencyItem, len(list))}
		for i, c := range list {
			resp.Currencies.Currency[i] = currencyItem{
				ID: strconv.FormatInt(c.ID, 10), Code: c.Code, Prefix: c.Prefix, Suffix: c.Suffix,
				Format: strconv.FormatInt(c.Format, 10), Rate: c.Rate,
			}
		}
	}
	return resp, nil
}

type getPaymentMethodsResponse struct {
	success
	TotalResults   int                `json:"totalresults"`
	PaymentMethods *paymentMethodList `json:"paymentmethods,omitempty"`
}

type paymentMethodList struct {
	PaymentMethod []paymentMethodItem `json:"paymentmethod"`
}

type paymentMethodItem struct {
	Module      string `json:"module"`
	DisplayName string `json:"displayname"`
}

func getPaymentMethods(ctx context.Context, env *Env, _ *refNoParams) (any, error) {
	var list []store.PaymentGateway
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.PaymentGateways(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getPaymentMethodsResponse{TotalResults: len(list)}
	if len(list) > 0 {
		resp.PaymentMethods = &paymentMethodList{PaymentMethod: make([]paymentMethodItem, len(list))}
		for i, g := range list {
			resp.PaymentMethods.PaymentMethod[i] = paymentMethodItem{Module: g.Module, DisplayName: g.DisplayName}
		}
	}
	return resp, nil
}

// statusesResponse is the answer of GetOrderStatuses (Item
// orderStatusItem) and GetSupportStatuses (ticketStatusItem).
type statusesResponse[Item any] struct {
	success
	TotalResults int               `json:"totalresults"`
	Statuses     *statusList[Item] `json:"statuses,omitempty"`
}

type statusList[Item any] struct {
	Status []Item `json:"status"`
}

type orderStatusItem struct {
	Title string `json:"title"`
	Count int    `json:"count"`
}

// getOrderStatuses lists WHMCS's order statuses with how many orders
// have each.
func getOrderStatuses(ctx context.Context, env *Env, _ *refNoParams) (any, error) {
	var list []store.Status
	var counts map[string]int
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if list, err = tx.OrderStatuses(ctx); err != nil {
			return err
		}
		counts, err = tx.OrderStatusCounts(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &statusesResponse[orderStatusItem]{TotalResults: len(list)}
	if len(list) > 0 {
		resp.Statuses = &statusList[orderStatusItem]{Status: make([]orderStatusItem, len(list))}
		for i, s := range list {
			resp.Statuses.Status[i] = orderStatusItem{Title: s.Title, Count: counts[s.Title]}
		}
	}
	return resp, nil
}

type getSupportStatusesRequest struct {
	DeptID int64 `schema:"deptid"` // which department's tickets to count
}

type ticketStatusItem struct {
	Title string `json:"title"`
	Count int    `json:"count"`
	Color string `json:"color"`
}

// getSupportStatuses lists the ticket statuses with their colours and how
// many tickets (of department deptid, when given and not 0) have each. An
// unknown deptid counts nothing: WHMCS does not check it either.
func getSupportStatuses(ctx context.Context, env *Env, req *getSupportStatusesRequest) (any, error) {
	var list []store.Status
	var counts []store.TicketCount
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if list, err = tx.TicketStatuses(ctx); err != nil {
			return err
		}
		counts, err = tx.TicketCounts(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	byStatus := map[string]int{}
	for _, c := range counts {
		if req.DeptID == 0 || c.DeptID == req.DeptID {
			byStatus[c.Status] += c.N
		}
	}
	resp := &statusesResponse[ticketStatusItem]{TotalResults: len(list)}
	if len(list) > 0 {
		resp.Statuses = &statusList[ticketStatusItem]{Status: make([]ticketStatusItem, len(list))}
		for i, s := range list {
			resp.Statuses.Status[i] = ticketStatusItem{Title: s.Title, Count: byStatus[s.Title], Color: s.Color}
		}
	}
	return resp, nil
}

type getSupportDepartmentsRequest struct {
	IgnoreDeptAssignments bool `schema:"ignore_dept_assignments"`
}

type getSupportDepartmentsResponse struct {
	success
	TotalResults int             `json:"totalresults"`
	Departments  *departmentList `json:"departments,omitempty"`
}

type departmentList struct {
	Department []departmentItem `json:"department"`
}

// departmentItem is one department; every value is a string, as WHMCS
// answers them (id as WHMCS 8 sends it).
type departmentItem struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	AwaitingReply string `json:"awaitingreply"`
	OpenTickets   string `json:"opentickets"`
}

// getSupportDepartments lists every department with its ticket counts:
// awaitingreply counts the statuses GetTickets' "Awaiting Reply" selects
// (Open, Customer-Reply, On Hold, In Progress), opentickets every status
// but Closed, as GetTickets' "All Active Tickets". whmcsemu has no
// department assignments for admins: every admin counts as a member of
// every department, so ignore_dept_assignments changes nothing.
func getSupportDepartments(ctx context.Context, env *Env, _ *getSupportDepartmentsRequest) (any, error) {
	var list []store.SupportDepartment
	var counts []store.TicketCount
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if list, err = tx.SupportDepartments(ctx); err != nil {
			return err
		}
		counts, err = tx.TicketCounts(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	awaiting, open := map[int64]int{}, map[int64]int{}
	for _, c := range counts {
		if slices.Contains(ticketAwaiting, c.Status) {
			awaiting[c.DeptID] += c.N
		}
		if c.Status != "Closed" {
			open[c.DeptID] += c.N
		}
	}
	resp := &getSupportDepartmentsResponse{TotalResults: len(list)}
	if len(list) > 0 {
		resp.Departments = &departmentList{Department: make([]departmentItem, len(list))}
		for i, d := range list {
			resp.Departments.Department[i] = departmentItem{ID: strconv.FormatInt(d.ID, 10), Name: d.Name,
				AwaitingReply: strconv.Itoa(awaiting[d.ID]), OpenTickets: strconv.Itoa(open[d.ID])}
		}
	}
	return resp, nil
}

type getPromotionsRequest struct {
	Code string `schema:"code"`
}

type getPromotionsResponse struct {
	success
	TotalResults int            `json:"totalresults"`
	Promotions   *promotionList `json:"promotions,omitempty"`
}

type promotionList struct {
	Promotion []promotionItem `json:"promotion"`
}

// promotionItem is one promotion with the types of WHMCS's example:
// numbers and 0/1 flags as numbers, dates as YYYY-MM-DD (0000-00-00 for
// none), product ids comma-separated.
type promotionItem struct {
	ID               int64   `json:"id"`
	Code             string  `json:"code"`
	Type             string  `json:"type"`
	Recurring        int     `json:"recurring"`
	Value            float64 `json:"value"`
	Cycles           string  `json:"cycles"`
	AppliesTo        string  `json:"appliesto"`
	Requires         string  `json:"requires"`
	RequiresExisting int     `json:"requiresexisting"`
	StartDate        string  `json:"startdate"`
	ExpirationDate   string  `json:"expirationdate"`
	MaxUses          int64   `json:"maxuses"`
	Uses             int64   `json:"uses"`
	LifetimePromo    int     `json:"lifetimepromo"`
	ApplyOnce        int     `json:"applyonce"`
	NewSignups       int     `json:"newsignups"`
	ExistingClient   int     `json:"existingclient"`
	OncePerClient    int     `json:"onceperclient"`
	RecurFor         int64   `json:"recurfor"`
	Upgrades         int     `json:"upgrades"`
	UpgradeConfig    string  `json:"upgradeconfig"`
	Notes            string  `json:"notes"`
}

// getPromotions lists the promotions by code, or only the one whose code
// is code (compared case-insensitively, as WHMCS's MySQL does); an unknown
// code is an empty list, not an error.
func getPromotions(ctx context.Context, env *Env, req *getPromotionsRequest) (any, error) {
	var list []store.Promotion
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		list, err = tx.Promotions(ctx, req.Code)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getPromotionsResponse{TotalResults: len(list)}
	if len(list) > 0 {
		resp.Promotions = &promotionList{Promotion: make([]promotionItem, len(list))}
		for i, p := range list {
			resp.Promotions.Promotion[i] = promotionItem{
				ID: p.ID, Code: p.Code, Type: p.Type, Recurring: refFlag(p.Recurring), Value: p.Value,
				Cycles: p.Cycles, AppliesTo: p.AppliesTo, Requires: p.Requires,
				RequiresExisting: refFlag(p.RequiresExisting), StartDate: dateOrZero(p.StartDate),
				ExpirationDate: dateOrZero(p.ExpirationDate), MaxUses: p.MaxUses, Uses: p.Uses,
				LifetimePromo: refFlag(p.LifetimePromo), ApplyOnce: refFlag(p.ApplyOnce),
				NewSignups: refFlag(p.NewSignups), ExistingClient: refFlag(p.ExistingClient),
				OncePerClient: refFlag(p.OncePerClient), RecurFor: p.RecurFor, Upgrades: refFlag(p.Upgrades),
				UpgradeConfig: p.UpgradeConfig, Notes: p.Notes,
			}
		}
	}
	return resp, nil
}

// refFlag is a MySQL TINYINT flag: 1 or 0.
func refFlag(b bool) int {
	if b {
		return 1
	}
	return 0
}
