// This file holds WHMCS's System tools: AddBannedIp, GetToDoItems,
// GetToDoItemStatuses, UpdateToDoItem, UpdateAdminNotes and
// TriggerNotificationEvent (migration 0023), and GetClientPassword (Client).
//
// AddBannedIp: "Parameter ip is required" · "Invalid IP address: <ip>" ·
// "Parameter reason is required" · "Parameter days is required" (neither
// days nor expires) · "Invalid Date Format - Expected: 'YYYY-mm-dd
// HH:ii:ss'" (all whmcsemu's wording: WHMCS documents none).
//
// UpdateToDoItem: "To-Do Item ID Not Found" · "Admin ID Not Found" ·
// "Invalid Status: use New, Pending, In Progress, Completed or Postponed" ·
// "Invalid Date Format - Expected: 'YYYY-mm-dd'" (whmcsemu's wording).
//
// UpdateAdminNotes: "No admin user is associated with this request" (the
// local API called without an admin, as GetAdminDetails).
//
// TriggerNotificationEvent: "API Notification Events require a identifier
// string to be passed." · "API Notification Events require a title to be
// provided." · "API Notification Events require a message to be provided."
// · "Invalid statusStyle: use success, danger or info" · "Each notification
// attribute requires a label and a value" (the last two whmcsemu's).
//
// GetClientPassword: "Client ID Not Found".
//
// GetToDoItems and GetToDoItemStatuses have no error of their own.
//
// Choices WHMCS does not document: a ban is one per address (banning an
// address again replaces its reason and expiry, and answers the same
// banid); expires 0000-00-00 00:00:00 bans for good; the ban refuses the
// address over the API, the dialects and the control plane (loopback
// excepted there) until it expires or the control plane lifts it. To-do
// items list soonest due first; "Incomplete" is every status but
// Completed; an item is overdue when due before today and neither
// Completed nor Postponed. UpdateAdminNotes without notes clears them.
// Notification events are kept for the control plane
// (GET /_whmcsemu/notifications); no notification rule sends them on.
// GetClientPassword answers the bcrypt hash of the client's owner user
// ("" for a client without one), in every version.

package actions

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

type addBannedIPRequest struct {
	IP      string `schema:"ip"`
	Reason  string `schema:"reason"`
	Days    int64  `schema:"days"`
	Expires string `schema:"expires"`
}

type addBannedIPResponse struct {
	success
	BanID int64 `json:"banid"`
}

// lastBanExpiry is the latest expiry a ban can have: the end of what
// WHMCS's DATETIME column (and a fixture's Y-m-d H:i:s) holds.
var lastBanExpiry = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

func addBannedIP(ctx context.Context, env *Env, req *addBannedIPRequest) (any, error) {
	if req.IP == "" {
		return nil, Errorf("Parameter ip is required")
	}
	ip, ok := store.CanonicalIP(req.IP)
	if !ok {
		return nil, Errorf("Invalid IP address: %s", req.IP)
	}
	if req.Reason == "" {
		return nil, Errorf("Parameter reason is required")
	}
	var expires int64
	switch {
	case req.Expires != "":
		t, permanent, err := banExpiry(req.Expires)
		if err != nil {
			return nil, err
		}
		if !permanent {
			expires = t.Unix()
		}
	case req.Days > 0:
		// 4,000,000 days is past year 9999 from any date a clock shows.
		until := env.Now().UTC().AddDate(0, 0, int(min(req.Days, 4_000_000)))
		if until.After(lastBanExpiry) {
			until = lastBanExpiry
		}
		expires = until.Unix()
	default:
		return nil, Errorf("Parameter days is required")
	}
	var id int64
	err := env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		id, err = tx.PutBannedIP(ctx, store.BannedIP{IP: ip, Reason: req.Reason, Expires: expires})
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("IP banned", "ip", ip, "banId", id)
	return &addBannedIPResponse{BanID: id}, nil
}

// banExpiry reads AddBannedIp's expires: Y-m-d H:i:s (or Y-m-d, at
// midnight), UTC; MySQL's zero date means never.
func banExpiry(s string) (t time.Time, permanent bool, err error) {
	switch s {
	case "0000-00-00 00:00:00", "0000-00-00":
		return time.Time{}, true, nil
	}
	for _, layout := range []string{time.DateTime, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, false, nil
		}
	}
	return time.Time{}, false, Errorf("Invalid Date Format - Expected: 'YYYY-mm-dd HH:ii:ss'")
}

type getToDoItemsRequest struct {
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	Status     string `schema:"status"`
}

// getToDoItemsResponse has no numreturned: WHMCS documents none.
type getToDoItemsResponse struct {
	success
	TotalResults int64     `json:"totalresults"`
	StartNumber  int64     `json:"startnumber"`
	Items        *toDoList `json:"items,omitempty"`
}

type toDoList struct {
	Item []toDoEntry `json:"item"`
}

// toDoEntry is an item as WHMCS reads its row: every value a string.
type toDoEntry struct {
	ID          string `json:"id"`
	Date        string `json:"date"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Admin       string `json:"admin"`
	Status      string `json:"status"`
	DueDate     string `json:"duedate"`
}

// noDate is how WHMCS shows a date column never set.
const noDate = "0000-00-00"

func getToDoItems(ctx context.Context, env *Env, req *getToDoItemsRequest) (any, error) {
	f := store.ToDoFilter{Page: listWindow(req.LimitStart, req.LimitNum)}
	if strings.EqualFold(req.Status, "Incomplete") {
		f.Incomplete = true
	} else if req.Status != "" {
		f.Status = canonicalToDoStatus(req.Status)
		if f.Status == "" {
			f.Status = req.Status
		}
	}
	items, total, err := viewPage(ctx, env, (*store.Tx).ToDoItems, f)
	if err != nil {
		return nil, err
	}
	resp := &getToDoItemsResponse{TotalResults: total, StartNumber: f.Offset}
	if len(items) > 0 {
		resp.Items = &toDoList{Item: make([]toDoEntry, len(items))}
		for i, t := range items {
			due := t.DueDate
			if due == "" {
				due = noDate
			}
			resp.Items.Item[i] = toDoEntry{ID: strconv.FormatInt(t.ID, 10), Date: t.Date, Title: t.Title,
				Description: t.Description, Admin: strconv.FormatInt(t.AdminID, 10), Status: t.Status, DueDate: due}
		}
	}
	return resp, nil
}

// canonicalToDoStatus is status as WHMCS spells it, compared without
// regard to case; "" when it is none of store.ToDoStatuses.
func canonicalToDoStatus(status string) string {
	for _, s := range store.ToDoStatuses {
		if strings.EqualFold(s, status) {
			return s
		}
	}
	return ""
}

type getToDoItemStatusesRequest struct{}

type getToDoItemStatusesResponse struct {
	success
	TotalResults     int              `json:"totalresults"`
	ToDoItemStatuses toDoStatusesList `json:"todoitemstatuses"`
}

type toDoStatusesList struct {
	Status []toDoStatusCount `json:"status"`
}

type toDoStatusCount struct {
	Type    string `json:"type"`
	Count   int64  `json:"count"`
	Overdue int64  `json:"overdue"`
}

func getToDoItemStatuses(ctx context.Context, env *Env, _ *getToDoItemStatusesRequest) (any, error) {
	var counts []store.ToDoCount
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		counts, err = tx.ToDoCounts(ctx, env.Now().UTC().Format(time.DateOnly))
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getToDoItemStatusesResponse{TotalResults: len(counts)}
	for _, c := range counts {
		resp.ToDoItemStatuses.Status = append(resp.ToDoItemStatuses.Status,
			toDoStatusCount{Type: c.Status, Count: c.Count, Overdue: c.Overdue})
	}
	return resp, nil
}

type updateToDoItemRequest struct {
	ItemID      int64  `schema:"itemid"`
	AdminID     int64  `schema:"adminid"`
	Status      string `schema:"status"`
	Date        string `schema:"date"`
	Title       string `schema:"title"`
	Description string `schema:"description"`
	DueDate     string `schema:"duedate"`
}

type updateToDoItemResponse struct {
	success
	ItemID int64 `json:"itemid"`
}

// updateToDoItem changes the fields given and assigns the item to adminid.
func updateToDoItem(ctx context.Context, env *Env, req *updateToDoItemRequest) (any, error) {
	status := ""
	if req.Status != "" {
		if status = canonicalToDoStatus(req.Status); status == "" {
			return nil, Errorf("Invalid Status: use New, Pending, In Progress, Completed or Postponed")
		}
	}
	for _, d := range []string{req.Date, req.DueDate} {
		if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
			return nil, Errorf(billingBadDay)
		}
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.ToDoItemByID(ctx, req.ItemID)
		if err != nil {
			return notFoundAs(err, Errorf("To-Do Item ID Not Found"))
		}
		if err := mustExist(ctx, tx.AdminExists, req.AdminID, Errorf("Admin ID Not Found")); err != nil {
			return err
		}
		t.AdminID = req.AdminID
		for _, f := range []struct {
			dst *string
			v   string
		}{{&t.Status, status}, {&t.Date, req.Date},
			{&t.Title, req.Title}, {&t.Description, req.Description}, {&t.DueDate, req.DueDate}} {
			if f.v != "" {
				*f.dst = f.v
			}
		}
		_, err = tx.PutToDoItem(ctx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &updateToDoItemResponse{ItemID: req.ItemID}, nil
}

type updateAdminNotesRequest struct {
	Notes string `schema:"notes"`
}

var errNoAdmin = Errorf("No admin user is associated with this request")

// updateAdminNotes replaces the calling admin's notes, which
// GetAdminDetails and GetAdminUsers show.
func updateAdminNotes(ctx context.Context, env *Env, req *updateAdminNotesRequest) (any, error) {
	caller := CallerFrom(ctx)
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.AdminExists, caller.AdminID, errNoAdmin); err != nil {
			return err
		}
		return tx.SetAdminNotes(ctx, caller.AdminID, req.Notes)
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}

type triggerNotificationEventRequest struct {
	Identifier  string `schema:"notification_identifier"`
	Title       string `schema:"title"`
	Message     string `schema:"message"`
	URL         string `schema:"url"`
	Status      string `schema:"status"`
	StatusStyle string `schema:"statusStyle"`
	// Attributes come as attributes[<n>][label], [value], [url], [style]
	// and [icon], read from the parameters.
	Attributes string `schema:"attributes"`
}

func triggerNotificationEvent(ctx context.Context, env *Env, req *triggerNotificationEventRequest, params url.Values) (any, error) {
	switch {
	case req.Identifier == "":
		return nil, Errorf("API Notification Events require a identifier string to be passed.")
	case req.Title == "":
		return nil, Errorf("API Notification Events require a title to be provided.")
	case req.Message == "":
		return nil, Errorf("API Notification Events require a message to be provided.")
	case req.StatusStyle != "" && !slices.Contains(store.NotificationStyles, req.StatusStyle):
		return nil, Errorf("Invalid statusStyle: use success, danger or info")
	}
	attrs, err := notificationAttributes(params)
	if err != nil {
		return nil, err
	}
	e := store.NotificationEvent{Identifier: req.Identifier, Title: req.Title, Message: req.Message, URL: req.URL,
		Status: req.Status, StatusStyle: req.StatusStyle, Attributes: attrs, AdminID: CallerFrom(ctx).AdminID,
		Date: env.Now().Unix()}
	err = env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		e.ID, err = tx.PutNotificationEvent(ctx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("notification event", "identifier", e.Identifier, "id", e.ID)
	return &resultOnly{}, nil
}

var errAttribute = Errorf("Each notification attribute requires a label and a value")

// notificationAttributes reads attributes[<n>][<field>], in the order of
// n (as PHP keeps an array's keys: numbers by value, others after).
func notificationAttributes(params url.Values) ([]store.NotificationAttribute, error) {
	byKey := map[string]*store.NotificationAttribute{}
	for k, vs := range params {
		rest, ok := strings.CutPrefix(k, "attributes")
		if !ok || len(vs) == 0 {
			continue
		}
		if rest == "" || rest == "[]" {
			return nil, errAttribute // a value, not attributes with fields
		}
		index, field, ok := strings.Cut(strings.TrimPrefix(rest, "["), "][")
		if !ok || !strings.HasPrefix(rest, "[") || !strings.HasSuffix(field, "]") {
			return nil, errAttribute
		}
		a := byKey[index]
		if a == nil {
			a = &store.NotificationAttribute{}
			byKey[index] = a
		}
		v := vs[len(vs)-1]
		switch strings.TrimSuffix(field, "]") {
		case "label":
			a.Label = v
		case "value":
			a.Value = v
		case "url":
			a.URL = v
		case "style":
			a.Style = v
		case "icon":
			a.Icon = v
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return phpKeyLess(keys[i], keys[j]) })
	out := make([]store.NotificationAttribute, 0, len(keys))
	for _, k := range keys {
		a := byKey[k]
		if a.Label == "" || a.Value == "" {
			return nil, errAttribute
		}
		out = append(out, *a)
	}
	return out, nil
}

type getClientPasswordRequest struct {
	UserID int64  `schema:"userid"`
	Email  string `schema:"email"`
}

type getClientPasswordResponse struct {
	success
	Password string `json:"password"`
}

func getClientPassword(ctx context.Context, env *Env, req *getClientPasswordRequest) (any, error) {
	notFound := Errorf("Client ID Not Found")
	resp := &getClientPasswordResponse{}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		id := req.UserID
		if id == 0 && req.Email != "" {
			var err error
			if id, err = tx.ClientIDByEmail(ctx, req.Email); err != nil {
				return notFoundAs(err, notFound)
			}
		}
		c, err := tx.ClientByID(ctx, id)
		if err != nil {
			return notFoundAs(err, notFound)
		}
		if c.OwnerUserID == 0 {
			return nil
		}
		u, err := tx.UserByID(ctx, c.OwnerUserID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		resp.Password = u.PasswordHash
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}
