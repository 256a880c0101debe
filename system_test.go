package whmcsemu_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// systemConfig is a setting's value, as GetConfigurationValue reads it.
func systemConfig(t *testing.T, srv *whmcstest.Server, setting string) string {
	t.Helper()
	var got struct {
		Value string `json:"value"`
	}
	must(t, srv, "GetConfigurationValue", url.Values{"setting": {setting}}, &got, localAPI{"admin"})
	return got.Value
}

func TestSystemSetSystemURLMovesSSORedirect(t *testing.T) {
	srv := newDemo(t)
	set := url.Values{"setting": {"SystemURL"}, "value": {"https://billing.example/whmcs"}}
	assert.Equal(t, map[string]any{"result": "success", "value_changed": "true"},
		call(t, srv, "SetConfigurationValue", set, nil, localAPI{"admin"}).Fields)
	assert.Equal(t, "https://billing.example/whmcs/", systemConfig(t, srv, "SystemURL"), "a missing / is added")
	// The same value again: nothing changes.
	assert.Equal(t, "false", call(t, srv, "SetConfigurationValue", set, nil, localAPI{"admin"}).Fields["value_changed"])

	sso := call(t, srv, "CreateSsoToken", url.Values{"client_id": {"1"}}, nil).Fields
	require.Equal(t, "success", sso["result"], sso)
	assert.Equal(t, "https://billing.example/whmcs/oauth/singlesignon.php?access_token="+sso["access_token"].(string), sso["redirect_url"])
}

func TestSystemSetCompanyNameRenamesOAuthPrefix(t *testing.T) {
	srv := newDemo(t)
	assert.Equal(t, "true", call(t, srv, "SetConfigurationValue", url.Values{"setting": {"companyname"}, "value": {"Acme Cloud"}}, nil, localAPI{}).Fields["value_changed"])
	got := call(t, srv, "CreateOAuthCredential", url.Values{
		"grantType": {"authorization_code"}, "name": {"App"}, "scope": {"openid"}}, nil).Fields
	assert.True(t, strings.HasPrefix(got["clientIdentifier"].(string), "ACME-CLOUD."), got)
	assert.Equal(t, "Acme Cloud", call(t, srv, "GetConfigurationValue", url.Values{"setting": {"CompanyName"}}, nil).Fields["value"])
}

func TestSystemSetConfigurationValueOnlyLocally(t *testing.T) {
	srv := newDemo(t)
	refused := call(t, srv, "SetConfigurationValue", url.Values{"setting": {"DateFormat"}, "value": {"YYYY-MM-DD"}}, nil).Fields
	assert.Equal(t, map[string]any{"result": "error", "message": "API Command Restricted to Internal API"}, refused)
	assert.Equal(t, "DD/MM/YYYY", systemConfig(t, srv, "DateFormat"), "the refused call wrote nothing")

	// Through the local API, with or without an admin.
	assert.Equal(t, "true", call(t, srv, "SetConfigurationValue", url.Values{"setting": {"DateFormat"}, "value": {"YYYY-MM-DD"}}, nil, localAPI{"admin"}).Fields["value_changed"])
	assert.Equal(t, "true", call(t, srv, "SetConfigurationValue", url.Values{"setting": {"Email"}, "value": {"billing@example.com"}}, nil, localAPI{}).Fields["value_changed"])
	assert.Equal(t, "YYYY-MM-DD", systemConfig(t, srv, "DateFormat"))
	assert.Equal(t, "billing@example.com", call(t, srv, "GetConfigurationValue", url.Values{"setting": {"email"}}, nil).Fields["value"])
}

func TestSystemSetConfigurationValueErrors(t *testing.T) {
	srv := newDemo(t)
	for _, tc := range []struct {
		params url.Values
		want   string
	}{
		{url.Values{"value": {"x"}}, "Parameter setting is required"},
		{url.Values{"setting": {"AdminPassword"}, "value": {"x"}}, "Invalid name for parameter setting"},
		{url.Values{"setting": {"NoSuchSetting"}}, "Invalid name for parameter setting"},
		{url.Values{"setting": {"SystemURL"}}, "Parameter value is required"},
		{url.Values{"setting": {"SystemURL"}, "value": {""}}, "Parameter value is required"},
		{url.Values{"setting": {"SystemURL"}, "value": {"billing.example/"}},
			"Invalid value for SystemURL: it is not an absolute http:// or https:// URL"},
		{url.Values{"setting": {"DateFormat"}, "value": {"Y-m-d"}},
			"Invalid value for DateFormat: use DD/MM/YYYY, DD.MM.YYYY, DD-MM-YYYY, MM/DD/YYYY, YYYY/MM/DD or YYYY-MM-DD"},
	} {
		got := call(t, srv, "SetConfigurationValue", tc.params, nil, localAPI{"admin"})
		assert.Equal(t, `{"result":"error","message":"`+tc.want+`"}`, got.Body, "%v", tc.params)
	}
	assert.Equal(t, "http://localhost:8080/", systemConfig(t, srv, "SystemURL"), "failures write nothing")
	assert.Equal(t, "DD/MM/YYYY", systemConfig(t, srv, "DateFormat"))
}

func TestSystemLogActivityThenGetActivityLog(t *testing.T) {
	srv := newDemo(t)
	must(t, srv, "LogActivity", url.Values{"description": {"over HTTP"}, "clientid": {"2"}}, nil)
	must(t, srv, "LogActivity", url.Values{"description": {"local, as admin"}}, nil, localAPI{"admin"})
	must(t, srv, "LogActivity", url.Values{"description": {"local, no admin"}, "userid": {"1"}}, nil, localAPI{})
	failed := call(t, srv, "LogActivity", url.Values{"clientid": {"1"}}, nil, localAPI{"admin"}).Fields
	assert.Equal(t, "Parameter description is required", failed["message"])

	var log struct {
		TotalResults int `json:"totalresults"`
		StartNumber  int `json:"startnumber"`
		Activity     struct {
			Entry []struct {
				ID          int    `json:"id"`
				ClientID    int    `json:"clientId"`
				AdminID     int    `json:"adminId"`
				Date        string `json:"date"`
				Description string `json:"description"`
				Username    string `json:"username"`
				IPAddress   string `json:"ipaddress"`
				LegacyID    int    `json:"userid"`
			} `json:"entry"`
		} `json:"activity"`
	}
	call(t, srv, "GetActivityLog", nil, &log, localAPI{"admin"})
	require.Equal(t, 3, log.TotalResults, "the failed call logged nothing")
	e := log.Activity.Entry
	require.Len(t, e, 3)
	assert.Equal(t, []string{"local, no admin", "local, as admin", "over HTTP"},
		[]string{e[0].Description, e[1].Description, e[2].Description}, "newest first")
	assert.Equal(t, []string{"System", "admin", "admin"}, []string{e[0].Username, e[1].Username, e[2].Username})
	assert.Equal(t, []int{0, 1, 1}, []int{e[0].AdminID, e[1].AdminID, e[2].AdminID})
	assert.Equal(t, []string{"", "", "127.0.0.1"}, []string{e[0].IPAddress, e[1].IPAddress, e[2].IPAddress},
		"the IP over HTTP only")
	assert.Equal(t, []int{1, 0, 2}, []int{e[0].ClientID, e[1].ClientID, e[2].ClientID})
	assert.Equal(t, []int{1, 0, 2}, []int{e[0].LegacyID, e[1].LegacyID, e[2].LegacyID})
	assert.Equal(t, "2016-11-18 09:32:24", e[0].Date)

	// Over HTTP the answer is the same (json), and a reset empties the log.
	assert.Equal(t, float64(3), call(t, srv, "GetActivityLog", nil, nil).Fields["totalresults"])
	srv.Reset()
	assert.Equal(t, `{"result":"success","totalresults":0,"startnumber":0}`,
		call(t, srv, "GetActivityLog", nil, nil, localAPI{}).Body)
}

func TestSystemActivityLogPages(t *testing.T) {
	srv := newDemo(t)
	for i := range 30 {
		must(t, srv, "LogActivity", url.Values{"description": {"entry " + string(rune('A'+i))}}, nil, localAPI{"admin"})
	}
	page := func(params url.Values) (total, start int, ids []int) {
		var got struct {
			TotalResults int `json:"totalresults"`
			StartNumber  int `json:"startnumber"`
			Activity     struct {
				Entry []struct {
					ID int `json:"id"`
				} `json:"entry"`
			} `json:"activity"`
		}
		call(t, srv, "GetActivityLog", params, &got, localAPI{})
		for _, e := range got.Activity.Entry {
			ids = append(ids, e.ID)
		}
		return got.TotalResults, got.StartNumber, ids
	}
	total, start, ids := page(nil)
	assert.Equal(t, 30, total)
	assert.Equal(t, 0, start)
	require.Len(t, ids, 25, "limitnum defaults to 25")
	assert.Equal(t, 30, ids[0])
	_, start, ids = page(url.Values{"limitstart": {"25"}})
	assert.Equal(t, 25, start)
	assert.Equal(t, []int{5, 4, 3, 2, 1}, ids)
	_, _, ids = page(url.Values{"limitstart": {"2"}, "limitnum": {"3"}})
	assert.Equal(t, []int{28, 27, 26}, ids)
	_, start, ids = page(url.Values{"limitstart": {"-4"}, "limitnum": {"-1"}})
	assert.Equal(t, 0, start, "a negative start is 0")
	assert.Len(t, ids, 25, "a limit under 1 is the default")
}

func TestSystemDateFormatReadsActivityDates(t *testing.T) {
	srv := newDemo(t)
	must(t, srv, "LogActivity", url.Values{"description": {"x"}}, nil, localAPI{"admin"})
	count := func(date string) any {
		return call(t, srv, "GetActivityLog", url.Values{"date": {date}}, nil, localAPI{}).Fields["totalresults"]
	}
	assert.Equal(t, float64(1), count("18/11/2016"))
	assert.Equal(t, float64(1), count("2016-11-18"), "ISO dates always work")
	must(t, srv, "SetConfigurationValue", url.Values{"setting": {"DateFormat"}, "value": {"MM/DD/YYYY"}}, nil, localAPI{})
	assert.Equal(t, float64(1), count("11/18/2016"))
	assert.Equal(t, "Invalid date \"18/11/2016\": use the System Date Format (MM/DD/YYYY) or YYYY-MM-DD",
		call(t, srv, "GetActivityLog", url.Values{"date": {"18/11/2016"}}, nil, localAPI{}).Message)
}

func TestSystemResetForgetsEncryptionKey(t *testing.T) {
	srv := newDemo(t)
	c := call(t, srv, "EncryptPassword", url.Values{"password2": {"x"}}, nil, localAPI{}).Fields["password"].(string)
	srv.Reset()
	assert.Equal(t, "error", call(t, srv, "DecryptPassword", url.Values{"password2": {c}}, nil, localAPI{}).Result)
}

func TestSystemGetAdminDetailsNamesTheCaller(t *testing.T) {
	srv := newDemo(t)
	assert.Equal(t, map[string]any{"result": "error", "message": "No admin user is associated with this request"},
		call(t, srv, "GetAdminDetails", nil, nil, localAPI{}).Fields)
	former := call(t, srv, "GetAdminDetails", nil, nil, localAPI{"former"}).Fields
	assert.Equal(t, "2", former["adminid"])
	assert.Equal(t, "", former["name"])
	byID := call(t, srv, "GetAdminDetails", nil, nil, localAPI{"1"}).Fields
	assert.Equal(t, "1", byID["adminid"])
	assert.Equal(t, "Ada Admin", byID["name"])
	assert.Contains(t, byID["allowedpermissions"], "API Access")
	assert.Equal(t, call(t, srv, "GetAdminDetails", nil, nil).Fields, byID, "HTTP and the local API agree")
}

func TestSystemHealthStatusWarnsOfBadSystemURL(t *testing.T) {
	srv := newDemo(t)
	load(t, srv, `{"settings":{"systemUrl":"billing.example/"}}`)
	got := call(t, srv, "GetHealthStatus", nil, nil, localAPI{}).Fields
	checks := got["checks"].(map[string]any)
	assert.Len(t, checks["success"], 1, "the database check")
	require.Len(t, checks["warning"], 1)
	assert.Equal(t, "SystemURL", checks["warning"].([]any)[0].(map[string]any)["name"])
	assert.Empty(t, checks["danger"])
}

func TestSystemWhmcsDetailsFollowsVersion(t *testing.T) {
	srv := newDemo(t)
	for version, want := range map[string]string{
		"8.10.0":      `{"version":"8.10.0","canonicalversion":"8.10.0-release.1"}`,
		"8.13.0-rc.2": `{"version":"8.13.0","canonicalversion":"8.13.0-rc.2"}`,
	} {
		load(t, srv, `{"settings":{"version":"`+version+`"}}`)
		assert.Equal(t, `{"result":"success","whmcs":`+want+`}`, call(t, srv, "WhmcsDetails", nil, nil, localAPI{}).Body)
	}
}

// Configuration values travel in fixture documents and survive export and
// load; the activity log and the encryption key do not.
func TestSystemConfigurationExportLoad(t *testing.T) {
	srv := newDemo(t)
	for setting, value := range map[string]string{"DateFormat": "YYYY-MM-DD", "Email": "billing@example.com", "SystemURL": "https://b.example/"} {
		must(t, srv, "SetConfigurationValue", url.Values{"setting": {setting}, "value": {value}}, nil, localAPI{})
	}
	var doc struct {
		Configuration json.RawMessage `json:"configuration"`
	}
	export(t, srv, &doc)
	assert.JSONEq(t, `[{"setting":"DateFormat","value":"YYYY-MM-DD"},{"setting":"Email","value":"billing@example.com"}]`, string(doc.Configuration))

	empty := newServer(t)
	replaceWith(t, empty, srv)
	for _, setting := range []string{"DateFormat", "Email", "SystemURL", "Language"} {
		assert.Equal(t, systemConfig(t, srv, setting), systemConfig(t, empty, setting), setting)
	}

	err := empty.Emulator().LoadFixture(t.Context(), []byte(`{"configuration":[{"setting":"DateFormat","value":"Y"}]}`))
	require.ErrorContains(t, err, "configuration[0]: Invalid value for DateFormat")
	err = empty.Emulator().LoadFixture(t.Context(), []byte(`{"configuration":[{"setting":"Secret","value":"x"}]}`))
	require.ErrorContains(t, err, `configuration[0]: Invalid name for parameter setting (setting "Secret")`)
	assert.Equal(t, "YYYY-MM-DD", systemConfig(t, empty, "DateFormat"), "a refused document writes nothing")
}

// The clock is the emulator's: LogActivity dates follow it.
func TestSystemLogActivityUsesTheClock(t *testing.T) {
	srv := newDemo(t)
	srv.Emulator().Clock().Set(time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)))
	must(t, srv, "LogActivity", url.Values{"description": {"later"}}, nil, localAPI{})
	got := call(t, srv, "GetActivityLog", nil, nil, localAPI{}).Fields
	entry := got["activity"].(map[string]any)["entry"].([]any)[0].(map[string]any)
	assert.Equal(t, "2030-01-02 02:04:05", entry["date"], "in UTC")
}
