// This file holds WHMCS's System actions about configuration values and
// the activity log: GetConfigurationValue, SetConfigurationValue,
// LogActivity and GetActivityLog.
//
// GetConfigurationValue: "Parameter setting is required" · "Invalid name for
// parameter setting".
//
// SetConfigurationValue: "API Command Restricted to Internal API" over HTTP
// (answered by Action.Run; see LocalOnly) · "Parameter setting is
// required" · "Invalid name for parameter setting" · "Parameter value is
// required" · "Invalid value for SystemURL: …", "Invalid value for
// DateFormat: …" and "Invalid value for CreateInvoiceDaysBefore: …"
// (whmcsemu's own checks, so the emulator keeps working).
//
// LogActivity: "Parameter description is required" (whmcsemu's wording).
//
// GetActivityLog: "Invalid date \"x\": …" (whmcsemu's wording for a date
// in neither the System Date Format nor YYYY-MM-DD).

package actions

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// configSetting is a WHMCS configuration value whmcsemu lets the
// configuration actions read and write. Settings with get and set live in
// store.Settings (the emulator uses them); the others are kept in the
// configuration table, with a default until set.
type configSetting struct {
	name  string
	def   string
	check func(string) (string, error) // normalises a new value, or refuses it
	get   func(store.Settings) string
	set   func(*store.Settings, string)
}

// dateFormats are WHMCS's choices of System Date Format, as Go layouts.
var dateFormats = map[string]string{
	"DD/MM/YYYY": "2/1/2006", "DD.MM.YYYY": "2.1.2006", "DD-MM-YYYY": "2-1-2006",
	"MM/DD/YYYY": "1/2/2006", "YYYY/MM/DD": "2006/1/2", "YYYY-MM-DD": "2006-1-2",
}

// configSettings is the allow-list, by lower-case name (WHMCS's setting
// names compare case-insensitively, as its MySQL collation does).
var configSettings = func() map[string]configSetting {
	list := []configSetting{
		{name: "CompanyName",
			get: func(s store.Settings) string { return s.CompanyName },
			set: func(s *store.Settings, v string) { s.CompanyName = v }},
		{name: "SystemURL", check: normaliseSystemURL,
			get: func(s store.Settings) string { return s.SystemURL },
			set: func(s *store.Settings, v string) { s.SystemURL, s.SystemURLSet = v, true }},
		{name: "Email"}, {name: "Domain"}, {name: "LogoURL"},
		{name: "SystemEmailsFromName"}, {name: "SystemEmailsFromEmail"},
		{name: "DateFormat", def: "DD/MM/YYYY", check: checkDateFormat},
		{name: "Language", def: "english"},
		{name: "Template", def: "twenty-one"},
		{name: "OrderFormTemplate", def: "standard_cart"},
		{name: "DefaultCountry", def: "US"},
		// The invoice generation window of GenInvoices (billing_cron.go).
		{name: "CreateInvoiceDaysBefore", def: "14", check: checkDaysBefore},
	}
	m := make(map[string]configSetting, len(list))
	for _, s := range list {
		m[strings.ToLower(s.name)] = s
	}
	return m
}()

func normaliseSystemURL(v string) (string, error) {
	if err := checkSystemURL(v); err != nil {
		return "", Errorf("Invalid value for SystemURL: it %s", err.Error())
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
}

// checkSystemURL says what is wrong with a System URL, if anything.
func checkSystemURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("is not an absolute http:// or https:// URL")
	}
	return nil
}

// checkDaysBefore reads a number of days, 0 to 999.
func checkDaysBefore(v string) (string, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 999 {
		return "", Errorf("Invalid value for CreateInvoiceDaysBefore: use a whole number of days from 0 to 999")
	}
	return strconv.Itoa(n), nil
}

func checkDateFormat(v string) (string, error) {
	if _, ok := dateFormats[v]; !ok {
		return "", Errorf("Invalid value for DateFormat: use DD/MM/YYYY, DD.MM.YYYY, DD-MM-YYYY, MM/DD/YYYY, YYYY/MM/DD or YYYY-MM-DD")
	}
	return v, nil
}

// configValue reads a setting's value in tx.
func configValue(ctx context.Context, tx *store.Tx, s configSetting) (string, error) {
	if s.get != nil {
		settings, err := tx.LoadSettings(ctx)
		return s.get(settings), err
	}
	v, err := tx.ConfigValue(ctx, s.name)
	if errors.Is(err, store.ErrNotFound) {
		return s.def, nil
	}
	return v, err
}

// SetConfiguration sets an allowed configuration setting in tx and reports
// whether its value changed. Errors are WHMCS messages for a bad name or
// value. Whoever caches settings must reload them after the commit.
func SetConfiguration(ctx context.Context, tx *store.Tx, name, value string) (bool, error) {
	s, ok := configSettings[strings.ToLower(name)]
	if !ok {
		return false, Errorf("Invalid name for parameter setting")
	}
	if s.check != nil {
		var err error
		if value, err = s.check(value); err != nil {
			return false, err
		}
	}
	old, err := configValue(ctx, tx, s)
	if err != nil || old == value {
		return false, err
	}
	if s.set == nil {
		return true, tx.SetConfigValue(ctx, s.name, value)
	}
	settings, err := tx.LoadSettings(ctx)
	if err != nil {
		return false, err
	}
	s.set(&settings, value)
	return true, tx.SaveSettings(ctx, settings)
}

type getConfigurationValueRequest struct {
	Setting string `schema:"setting"`
}

type getConfigurationValueResponse struct {
	success
	Setting string `json:"setting"`
	Value   string `json:"value"`
}

func getConfigurationValue(ctx context.Context, env *Env, req *getConfigurationValueRequest) (any, error) {
	if req.Setting == "" {
		return nil, Errorf("Parameter setting is required")
	}
	s, ok := configSettings[strings.ToLower(req.Setting)]
	if !ok {
		return nil, Errorf("Invalid name for parameter setting")
	}
	resp := &getConfigurationValueResponse{Setting: s.name}
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		resp.Value, err = configValue(ctx, tx, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

type setConfigurationValueRequest struct {
	Setting string `schema:"setting"`
	Value   string `schema:"value"`
}

type setConfigurationValueResponse struct {
	success
	// ValueChanged is "true" or "false", a string as WHMCS's example shows.
	ValueChanged string `json:"value_changed"`
}

// setConfigurationValue runs through the local API only, as in WHMCS (the
// Action.Run refuses it over HTTP, see LocalOnly). An empty value counts as absent (as every empty field does), so WHMCS's
// "leave value blank to unset" is "Parameter value is required" here:
// set the default instead.
func setConfigurationValue(ctx context.Context, env *Env, req *setConfigurationValueRequest) (any, error) {
	if req.Setting == "" {
		return nil, Errorf("Parameter setting is required")
	}
	s, ok := configSettings[strings.ToLower(req.Setting)]
	if !ok {
		return nil, Errorf("Invalid name for parameter setting")
	}
	if req.Value == "" {
		return nil, Errorf("Parameter value is required")
	}
	var changed bool
	err := env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		changed, err = SetConfiguration(ctx, tx, s.name, req.Value)
		return err
	})
	if err != nil {
		return nil, err
	}
	if changed && s.set != nil {
		if err := env.ReloadSettings(ctx); err != nil {
			return nil, err
		}
	}
	env.Log.Info("configuration value set", "setting", s.name, "changed", changed)
	resp := &setConfigurationValueResponse{ValueChanged: "false"}
	if changed {
		resp.ValueChanged = "true"
	}
	return resp, nil
}

type logActivityRequest struct {
	ClientID    int64  `schema:"clientid"`
	UserID      int64  `schema:"userid"` // the name of clientid before WHMCS 8.0
	Description string `schema:"description"`
}

// logActivity appends an entry on behalf of the calling admin ("System"
// when the local API names none), with the caller's IP over HTTP. The
// entry's userId (the acting client-area user) is 0: an API call acts as
// an admin.
func logActivity(ctx context.Context, env *Env, req *logActivityRequest) (any, error) {
	if req.Description == "" {
		return nil, Errorf("Parameter description is required")
	}
	caller := CallerFrom(ctx)
	e := store.ActivityEntry{
		Date: env.Now().Unix(), Description: req.Description, ClientID: req.ClientID,
		AdminID: caller.AdminID, Username: caller.AdminUsername, IPAddress: caller.IP,
	}
	if e.ClientID == 0 {
		e.ClientID = req.UserID
	}
	if e.Username == "" {
		e.Username = "System"
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		e.ID, err = tx.InsertActivity(ctx, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &resultOnly{}, nil
}

type getActivityLogRequest struct {
	LimitStart  int64  `schema:"limitstart"`
	LimitNum    int64  `schema:"limitnum"`
	ClientID    int64  `schema:"clientid"`
	UserID      int64  `schema:"userid"` // the name of clientid before WHMCS 8.5
	Date        string `schema:"date"`
	User        string `schema:"user"`
	Description string `schema:"description"`
	IPAddress   string `schema:"ipaddress"`
}

// getActivityLogResponse has no numreturned: WHMCS's documented answer
// has none.
type getActivityLogResponse struct {
	success
	TotalResults int64         `json:"totalresults"`
	StartNumber  int64         `json:"startnumber"`
	Activity     *activityList `json:"activity,omitempty"`
}

type activityList struct {
	Entry []activityEntry `json:"entry"`
}

// activityEntry is one entry, keys in WHMCS's order; userid repeats
// clientId under its name before WHMCS 8.0, and is all a 7.x entry has
// (clientId and userId are 8.0's, actions/versions.go).
type activityEntry struct {
	ID          int64  `json:"id"`
	ClientID    *int64 `json:"clientId,omitempty"`
	UserID      *int64 `json:"userId,omitempty"`
	AdminID     int64  `json:"adminId"`
	Date        string `json:"date"`
	Description string `json:"description"`
	Username    string `json:"username"`
	IPAddress   string `json:"ipaddress"`
	LegacyID    int64  `json:"userid"`
}

func getActivityLog(ctx context.Context, env *Env, req *getActivityLogRequest) (any, error) {
	f := store.ActivityFilter{
		ClientID: req.ClientID, User: req.User, Description: req.Description, IPAddress: req.IPAddress,
	}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	if f.ClientID == 0 {
		f.ClientID = req.UserID
	}
	var entries []store.ActivityEntry
	var total int64
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		if req.Date != "" {
			format, err := configValue(ctx, tx, configSettings["dateformat"])
			if err != nil {
				return err
			}
			day, err := parseDay(req.Date, format)
			if err != nil {
				return err
			}
			f.From, f.To = day.Unix(), day.AddDate(0, 0, 1).Unix()
		}
		var err error
		entries, total, err = tx.ActivityLog(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getActivityLogResponse{TotalResults: total, StartNumber: f.Offset}
	if len(entries) > 0 {
		resp.Activity = &activityList{Entry: make([]activityEntry, len(entries))}
		withIDs := env.shape().activityClientID
		for i, e := range entries {
			entry := activityEntry{
				ID: e.ID, AdminID: e.AdminID,
				Date: mysqlDateTime(time.Unix(e.Date, 0)), Description: e.Description,
				Username: e.Username, IPAddress: e.IPAddress, LegacyID: e.ClientID,
			}
			if withIDs {
				entry.ClientID, entry.UserID = &e.ClientID, &e.UserID
			}
			resp.Activity.Entry[i] = entry
		}
	}
	return resp, nil
}

// parseDay reads a day in the System Date Format (WHMCS's "localised
// format") or as YYYY-MM-DD, as midnight UTC.
func parseDay(s, format string) (time.Time, error) {
	for _, layout := range []string{dateFormats[format], "2006-1-2"} {
		if t, err := time.Parse(layout, s); layout != "" && err == nil {
			return t, nil
		}
	}
	return time.Time{}, Errorf("Invalid date \"%s\": use the System Date Format (%s) or YYYY-MM-DD", s, format)
}
