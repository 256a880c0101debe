// This file holds WHMCS's System figures: GetStats, GetStaffOnline and
// GetAutomationLog.
//
// GetAutomationLog: "Invalid Date Format - Expected: 'YYYY-mm-dd'"
// (whmcsemu's wording, for a startdate or enddate that is not a date).
//
// GetStats and GetStaffOnline have no error of their own.
//
// Choices WHMCS does not document: GetStats counts from the state on the
// emulator's clock (days in UTC): income is the transactions' amount in
// less fees and amount out, each divided by its rate, shown in the default
// currency's format as WHMCS's example does ("$5.95 USD"; the docs' table
// says float); orders and tickets by their dates and statuses
// (tickets_allactive: every status but Closed; tickets_awaitingreply: Open,
// Customer-Reply, On Hold, In Progress; tickets_flaggedtickets: flagged to
// the calling admin and not Closed); todoitems_due: to-do items due today
// or before, neither Completed nor Postponed; billableitems_uninvoiced:
// billable items no invoice has billed; cancellations_pending:
// cancellation requests whose service is neither Cancelled nor Terminated;
// quotes_valid: quotes valid until a day after today and not Accepted,
// Lost or Dead (whmcsemu's reading: WHMCS does not document the rule; one
// valid until today or without a date is not counted); staff_online: GetStaffOnline's count.
// networkissues_open is 0: whmcsemu keeps no network issues.
// timeline_data is sent when timeline_days is 1 or more (90 at most), each
// series newest day first: new_orders and accepted_orders (orders now
// Active) by order date, income (in less fees) and expenditure (out), and
// new_tickets.
//
// GetStaffOnline lists the admins seen through the API in the last 15
// minutes (actions/staff.go). GetAutomationLog sums the automation log
// (store.AutomationEntry: what automation tasks recorded, GenInvoices'
// runs as WHMCS's CreateInvoices task, and what fixtures give) by day and namespace, oldest day first; namespace keeps
// the namespaces that start with it; lastDailyCronInvocationTime is the
// newest entry's time, "" when there is none.

package actions

import (
	"context"
	"math/big"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type getStatsRequest struct {
	TimelineDays int64 `schema:"timeline_days"`
}

// getStatsResponse is GetStats' answer, keys in the order of WHMCS's
// example (billableitems_uninvoiced is in the example, not the table).
type getStatsResponse struct {
	success
	IncomeToday              string        `json:"income_today"`
	IncomeThisMonth          string        `json:"income_thismonth"`
	IncomeThisYear           string        `json:"income_thisyear"`
	IncomeAllTime            string        `json:"income_alltime"`
	OrdersPending            int64         `json:"orders_pending"`
	OrdersTodayCancelled     int64         `json:"orders_today_cancelled"`
	OrdersTodayPending       int64         `json:"orders_today_pending"`
	OrdersTodayFraud         int64         `json:"orders_today_fraud"`
	OrdersTodayActive        int64         `json:"orders_today_active"`
	OrdersTodayTotal         int64         `json:"orders_today_total"`
	OrdersYesterdayCancelled int64         `json:"orders_yesterday_cancelled"`
	OrdersYesterdayPending   int64         `json:"orders_yesterday_pending"`
	OrdersYesterdayFraud     int64         `json:"orders_yesterday_fraud"`
	OrdersYesterdayActive    int64         `json:"orders_yesterday_active"`
	OrdersYesterdayTotal     int64         `json:"orders_yesterday_total"`
	OrdersThisMonthTotal     int64         `json:"orders_thismonth_total"`
	OrdersThisYearTotal      int64         `json:"orders_thisyear_total"`
	TicketsAllActive         int64         `json:"tickets_allactive"`
	TicketsAwaitingReply     int64         `json:"tickets_awaitingreply"`
	TicketsFlagged           int64         `json:"tickets_flaggedtickets"`
	TicketsOpen              int64         `json:"tickets_open"`
	TicketsAnswered          int64         `json:"tickets_answered"`
	TicketsCustomerReply     int64         `json:"tickets_customerreply"`
	TicketsClosed            int64         `json:"tickets_closed"`
	TicketsOnHold            int64         `json:"tickets_onhold"`
	TicketsInProgress        int64         `json:"tickets_inprogress"`
	CancellationsPending     int64         `json:"cancellations_pending"`
	ToDoItemsDue             int64         `json:"todoitems_due"`
	NetworkIssuesOpen        int64         `json:"networkissues_open"`
	BillableItemsUninvoiced  int64         `json:"billableitems_uninvoiced"`
	QuotesValid              int64         `json:"quotes_valid"`
	StaffOnline              int64         `json:"staff_online"`
	TimelineData             *timelineData `json:"timeline_data,omitempty"`
}

// timelineData is GetStats' daily series, each newest day first.
type timelineData struct {
	NewOrders      Ordered `json:"new_orders"`
	AcceptedOrders Ordered `json:"accepted_orders"`
	Income         Ordered `json:"income"`
	Expenditure    Ordered `json:"expenditure"`
	NewTickets     Ordered `json:"new_tickets"`
}

// maxTimelineDays is the most days timeline_days gives, as WHMCS documents.
const maxTimelineDays = 90

func getStats(ctx context.Context, env *Env, req *getStatsRequest) (any, error) {
	now := env.Now().UTC()
	today := now.Format(time.DateOnly)
	yesterday := now.AddDate(0, 0, -1).Format(time.DateOnly)
	days := min(req.TimelineDays, maxTimelineDays)
	first := today
	if days > 0 {
		first = now.AddDate(0, 0, -int(days-1)).Format(time.DateOnly)
	}
	first = min(first, yesterday)
	resp := &getStatsResponse{StaffOnline: int64(len(env.StaffOnline()))}
	var timeline *timelineData
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		cur, err := baseCurrency(ctx, tx)
		if err != nil {
			return err
		}
		lines, err := tx.TransactionLines(ctx, "", today)
		if err != nil {
			return err
		}
		income := map[string]*big.Rat{}
		for _, period := range []string{today, today[:7], today[:4], ""} {
			income[period] = new(big.Rat)
		}
		for _, l := range lines {
			net := toBase(l.InCents-l.OutCents, l.Rate)
			for period, sum := range income {
				if strings.HasPrefix(l.Day, period) {
					sum.Add(sum, net)
				}
			}
		}
		resp.IncomeToday = formatCurrency(cur, roundCents(income[today]))
		resp.IncomeThisMonth = formatCurrency(cur, roundCents(income[today[:7]]))
		resp.IncomeThisYear = formatCurrency(cur, roundCents(income[today[:4]]))
		resp.IncomeAllTime = formatCurrency(cur, roundCents(income[""]))

		orders, err := tx.OrderCountsByDay(ctx, first, today)
		if err != nil {
			return err
		}
		for _, c := range orders {
			var dst *[5]*int64
			switch c.Day {
			case today:
				dst = &[5]*int64{&resp.OrdersTodayCancelled, &resp.OrdersTodayPending, &resp.OrdersTodayFraud,
					&resp.OrdersTodayActive, &resp.OrdersTodayTotal}
			case yesterday:
				dst = &[5]*int64{&resp.OrdersYesterdayCancelled, &resp.OrdersYesterdayPending,
					&resp.OrdersYesterdayFraud, &resp.OrdersYesterdayActive, &resp.OrdersYesterdayTotal}
			default:
				continue
			}
			switch c.Status {
			case "Cancelled":
				*dst[0] += c.N
			case "Pending":
				*dst[1] += c.N
			case "Fraud":
				*dst[2] += c.N
			case "Active":
				*dst[3] += c.N
			}
			*dst[4] += c.N
		}
		counts := []struct {
			dst            *int64
			prefix, status string
		}{
			{&resp.OrdersPending, "", "Pending"}, {&resp.OrdersThisMonthTotal, today[:7], ""},
			{&resp.OrdersThisYearTotal, today[:4], ""},
		}
		for _, c := range counts {
			if *c.dst, err = tx.CountOrders(ctx, c.prefix, c.status); err != nil {
				return err
			}
		}
		tickets, err := tx.TicketCounts(ctx)
		if err != nil {
			return err
		}
		for _, c := range tickets {
			n := int64(c.N)
			if c.Status != "Closed" {
				resp.TicketsAllActive += n
			}
			switch c.Status {
			case "Open":
				resp.TicketsOpen += n
				resp.TicketsAwaitingReply += n
			case "Answered":
				resp.TicketsAnswered += n
			case "Customer-Reply":
				resp.TicketsCustomerReply += n
				resp.TicketsAwaitingReply += n
			case "Closed":
				resp.TicketsClosed += n
			case "On Hold":
				resp.TicketsOnHold += n
				resp.TicketsAwaitingReply += n
			case "In Progress":
				resp.TicketsInProgress += n
				resp.TicketsAwaitingReply += n
			}
		}
		if resp.TicketsFlagged, err = tx.CountFlaggedTickets(ctx, CallerFrom(ctx).AdminID); err != nil {
			return err
		}
		if resp.ToDoItemsDue, err = tx.ToDoDue(ctx, today); err != nil {
			return err
		}
		if resp.BillableItemsUninvoiced, err = tx.CountUninvoicedBillableItems(ctx); err != nil {
			return err
		}
		if resp.CancellationsPending, err = tx.CountPendingCancellations(ctx); err != nil {
			return err
		}
		if resp.QuotesValid, err = tx.CountValidQuotes(ctx, today); err != nil {
			return err
		}
		if days > 0 {
			timeline, err = statsTimeline(ctx, tx, now, int(days), lines, orders)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp.TimelineData = timeline
	return resp, nil
}

// statsTimeline is GetStats' daily series for the days up to now's,
// newest first; lines are the transactions and orders the order counts
// that cover those days.
func statsTimeline(ctx context.Context, tx *store.Tx, now time.Time, days int, lines []store.MoneyLine,
	orders []store.DayCount) (*timelineData, error) {
	first := now.AddDate(0, 0, -(days - 1)).Format(time.DateOnly)
	newTickets, err := tx.TicketCountsByDay(ctx, first, now.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	newOrders, accepted, tickets := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, c := range orders {
		newOrders[c.Day] += c.N
		if c.Status == "Active" {
			accepted[c.Day] += c.N
		}
	}
	for _, c := range newTickets {
		tickets[c.Day] += c.N
	}
	income, spent := map[string]*big.Rat{}, map[string]*big.Rat{}
	for _, l := range lines {
		if l.Day < first {
			continue
		}
		if income[l.Day] == nil {
			income[l.Day], spent[l.Day] = new(big.Rat), new(big.Rat)
		}
		income[l.Day].Add(income[l.Day], toBase(l.InCents, l.Rate))
		spent[l.Day].Add(spent[l.Day], toBase(l.OutCents, l.Rate))
	}
	t := &timelineData{}
	for i := range days {
		day := now.AddDate(0, 0, -i).Format(time.DateOnly)
		t.NewOrders.Add(day, newOrders[day])
		t.AcceptedOrders.Add(day, accepted[day])
		t.Income.Add(day, store.FormatMoney(roundCents(income[day])))
		t.Expenditure.Add(day, store.FormatMoney(roundCents(spent[day])))
		t.NewTickets.Add(day, tickets[day])
	}
	return t, nil
}

// baseCurrency is the currency income is shown in: the default one (id
// 1, WHMCS's, or the lowest id when a fixture replaced it).
func baseCurrency(ctx context.Context, tx *store.Tx) (store.Currency, error) {
	list, err := tx.Currencies(ctx)
	if err != nil || len(list) == 0 {
		return store.Currency{Format: 1}, err
	}
	return defaultCurrency(list), nil
}

// toBase is cents of a currency in the default currency: divided by the
// currency's rate (a rate that is not a positive number counts as 1).
func toBase(cents int64, rate string) *big.Rat {
	r := new(big.Rat).SetInt64(cents)
	if q, ok := new(big.Rat).SetString(rate); ok && q.Sign() > 0 {
		r.Quo(r, q)
	}
	return r
}

// roundCents rounds an amount of cents half away from zero; nil is 0.
func roundCents(r *big.Rat) int64 {
	if r == nil {
		return 0
	}
	num, den := new(big.Int).Set(r.Num()), r.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, m := new(big.Int).QuoRem(num, den, new(big.Int))
	if m.Lsh(m, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		if neg {
			return -store.MaxCents
		}
		return store.MaxCents
	}
	return q.Int64()
}

type getStaffOnlineRequest struct{}

type getStaffOnlineResponse struct {
	success
	TotalResults int        `json:"totalresults"`
	StaffOnline  *staffList `json:"staffonline,omitempty"`
}

type staffList struct {
	Staff []staffEntry `json:"staff"`
}

type staffEntry struct {
	AdminUsername string `json:"adminusername"`
	LoginTime     string `json:"logintime"`
	IPAddress     string `json:"ipaddress"`
	LastVisit     string `json:"lastvisit"`
}

func getStaffOnline(ctx context.Context, env *Env, _ *getStaffOnlineRequest) (any, error) {
	visits := env.StaffOnline()
	resp := &getStaffOnlineResponse{TotalResults: len(visits)}
	if len(visits) > 0 {
		resp.StaffOnline = &staffList{Staff: make([]staffEntry, len(visits))}
		for i, v := range visits {
			resp.StaffOnline.Staff[i] = staffEntry{AdminUsername: v.Username, LoginTime: mysqlDateTime(v.LoginTime),
				IPAddress: v.IP, LastVisit: mysqlDateTime(v.LastVisit)}
		}
	}
	return resp, nil
}

type getAutomationLogRequest struct {
	StartDate string `schema:"startdate"`
	EndDate   string `schema:"enddate"`
	Namespace string `schema:"namespace"`
}

type getAutomationLogResponse struct {
	success
	CurrentDatetime             string  `json:"currentDatetime"`
	LastDailyCronInvocationTime string  `json:"lastDailyCronInvocationTime"`
	StartDate                   string  `json:"startdate"`
	EndDate                     string  `json:"enddate"`
	Statistics                  Ordered `json:"statistics"`
}

func getAutomationLog(ctx context.Context, env *Env, req *getAutomationLogRequest) (any, error) {
	now := env.Now().UTC()
	today := now.Truncate(24 * time.Hour)
	start, err := automationDay(req.StartDate, today)
	if err != nil {
		return nil, err
	}
	end, err := automationDay(req.EndDate, today)
	if err != nil {
		return nil, err
	}
	end = end.Add(24*time.Hour - time.Second)
	resp := &getAutomationLogResponse{CurrentDatetime: mysqlDateTime(now), StartDate: mysqlDateTime(start),
		EndDate: mysqlDateTime(end)}
	var entries []store.AutomationEntry
	err = env.DB.View(ctx, func(tx *store.Tx) error {
		last, ok, err := tx.LastAutomationRun(ctx)
		if err != nil {
			return err
		}
		if ok {
			resp.LastDailyCronInvocationTime = mysqlDateTime(time.Unix(last, 0))
		}
		entries, err = tx.AutomationLog(ctx, start.Unix(), end.Unix(), req.Namespace)
		return err
	})
	if err != nil {
		return nil, err
	}
	var day string
	var sums map[string]int64
	var order []string
	flush := func() {
		if day == "" {
			return
		}
		var m Ordered
		for _, ns := range order {
			m.Add(ns, sums[ns])
		}
		resp.Statistics.Add(day, m)
	}
	for _, e := range entries {
		d := time.Unix(e.Date, 0).UTC().Format(time.DateOnly)
		if d != day {
			flush()
			day, sums, order = d, map[string]int64{}, nil
		}
		if _, seen := sums[e.Namespace]; !seen {
			order = append(order, e.Namespace)
		}
		sums[e.Namespace] += e.Value
	}
	flush()
	return resp, nil
}

// automationDay reads GetAutomationLog's startdate or enddate: a Y-m-d
// date (a time after it is ignored, as the day is what counts), or def
// when none is given.
func automationDay(s string, def time.Time) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	day, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, Errorf(billingBadDay)
	}
	return t, nil
}
