package whmcsemu

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// systemHTTP posts an API call with the demo credential and decodes the
// JSON answer.
func systemHTTP(t *testing.T, srv *Server, action string, params url.Values) map[string]any {
	t.Helper()
	form := withAuth(params)
	form.Set("action", action)
	form.Set("responsetype", "json")
	rec := post(srv, form)
	var out map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return out
}

// systemCall runs an action through the local API as admin and decodes it.
func systemCall(t *testing.T, srv *Server, admin, action string, params url.Values) map[string]any {
	t.Helper()
	var out map[string]any
	require.NoError(t, srv.Call(context.Background(), action, params, admin).Decode(&out))
	return out
}

func systemConfig(t *testing.T, srv *Server, setting string) string {
	t.Helper()
	got := systemCall(t, srv, "admin", "GetConfigurationValue", url.Values{"setting": {setting}})
	require.Equal(t, "success", got["result"], got)
	return got["value"].(string)
}

func TestSystemSetSystemURLMovesSSORedirect(t *testing.T) {
	srv, _ := newTestServer(t)
	set := url.Values{"setting": {"SystemURL"}, "value": {"https://billing.example/whmcs"}}
	assert.Equal(t, map[string]any{"result": "success", "value_changed": "true"},
		systemCall(t, srv, "admin", "SetConfigurationValue", set))
	assert.Equal(t, "https://billing.example/whmcs/", systemConfig(t, srv, "SystemURL"), "a missing / is added")
	// The same value again: nothing changes.
	assert.Equal(t, "false", systemCall(t, srv, "admin", "SetConfigurationValue", set)["value_changed"])

	sso := systemHTTP(t, srv, "CreateSsoToken", url.Values{"client_id": {"1"}})
	require.Equal(t, "success", sso["result"], sso)
	assert.Equal(t, "https://billing.example/whmcs/oauth/singlesignon.php?access_token="+sso["access_token"].(string), sso["redirect_url"])
}

func TestSystemSetCompanyNameRenamesOAuthPrefix(t *testing.T) {
	srv, _ := newTestServer(t)
	assert.Equal(t, "true", systemCall(t, srv, "", "SetConfigurationValue",
		url.Values{"setting": {"companyname"}, "value": {"Acme Cloud"}})["value_changed"])
	got := systemHTTP(t, srv, "CreateOAuthCredential", url.Values{
		"grantType": {"authorization_code"}, "name": {"App"}, "scope": {"openid"}})
	assert.True(t, strings.HasPrefix(got["clientIdentifier"].(string), "ACME-CLOUD."), got)
	assert.Equal(t, "Acme Cloud", systemHTTP(t, srv, "GetConfigurationValue", url.Values{"setting": {"CompanyName"}})["value"])
}

func TestSystemSetConfigurationValueOnlyLocally(t *testing.T) {
	srv, _ := newTestServer(t)
	refused := systemHTTP(t, srv, "SetConfigurationValue", url.Values{"setting": {"DateFormat"}, "value": {"YYYY-MM-DD"}})
	assert.Equal(t, map[string]any{"result": "error", "message": "API Command Restricted to Internal API"}, refused)
	assert.Equal(t, "DD/MM/YYYY", systemConfig(t, srv, "DateFormat"), "the refused call wrote nothing")

	// Through the local API, with or without an admin.
	assert.Equal(t, "true", systemCall(t, srv, "admin", "SetConfigurationValue",
		url.Values{"setting": {"DateFormat"}, "value": {"YYYY-MM-DD"}})["value_changed"])
	assert.Equal(t, "true", systemCall(t, srv, "", "SetConfigurationValue",
		url.Values{"setting": {"Email"}, "value": {"billing@example.com"}})["value_changed"])
	assert.Equal(t, "YYYY-MM-DD", systemConfig(t, srv, "DateFormat"))
	assert.Equal(t, "billing@example.com", systemHTTP(t, srv, "GetConfigurationValue", url.Values{"setting": {"email"}})["value"])
}

func TestSystemSetConfigurationValueErrors(t *testing.T) {
	srv, _ := newTestServer(t)
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
		got := srv.Call(context.Background(), "SetConfigurationValue", tc.params, "admin")
		assert.Equal(t, `{"result":"error","message":"`+tc.want+`"}`, string(got.JSON()), "%v", tc.params)
	}
	assert.Equal(t, "http://localhost:8080/", systemConfig(t, srv, "SystemURL"), "failures write nothing")
	assert.Equal(t, "DD/MM/YYYY", systemConfig(t, srv, "DateFormat"))
}

func TestSystemLogActivityThenGetActivityLog(t *testing.T) {
	srv, _ := newTestServer(t)
	require.Equal(t, "success", systemHTTP(t, srv, "LogActivity", url.Values{"description": {"over HTTP"}, "clientid": {"2"}})["result"])
	require.Equal(t, "success", systemCall(t, srv, "admin", "LogActivity", url.Values{"description": {"local, as admin"}})["result"])
	require.Equal(t, "success", systemCall(t, srv, "", "LogActivity", url.Values{"description": {"local, no admin"}, "userid": {"1"}})["result"])
	failed := systemCall(t, srv, "admin", "LogActivity", url.Values{"clientid": {"1"}})
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
	require.NoError(t, srv.Call(t.Context(), "GetActivityLog", nil, "admin").Decode(&log))
	require.Equal(t, 3, log.TotalResults, "the failed call logged nothing")
	e := log.Activity.Entry
	require.Len(t, e, 3)
	assert.Equal(t, []string{"local, no admin", "local, as admin", "over HTTP"},
		[]string{e[0].Description, e[1].Description, e[2].Description}, "newest first")
	assert.Equal(t, []string{"System", "admin", "admin"}, []string{e[0].Username, e[1].Username, e[2].Username})
	assert.Equal(t, []int{0, 1, 1}, []int{e[0].AdminID, e[1].AdminID, e[2].AdminID})
	assert.Equal(t, []string{"", "", "192.0.2.1"}, []string{e[0].IPAddress, e[1].IPAddress, e[2].IPAddress},
		"the IP over HTTP only")
	assert.Equal(t, []int{1, 0, 2}, []int{e[0].ClientID, e[1].ClientID, e[2].ClientID})
	assert.Equal(t, []int{1, 0, 2}, []int{e[0].LegacyID, e[1].LegacyID, e[2].LegacyID})
	assert.Equal(t, "2016-11-18 09:32:24", e[0].Date)

	// Over HTTP the answer is the same (json), and a reset empties the log.
	assert.Equal(t, float64(3), systemHTTP(t, srv, "GetActivityLog", nil)["totalresults"])
	require.NoError(t, srv.Reset(t.Context()))
	assert.Equal(t, `{"result":"success","totalresults":0,"startnumber":0}`,
		string(srv.Call(t.Context(), "GetActivityLog", nil, "").JSON()))
}

func TestSystemActivityLogPages(t *testing.T) {
	srv, _ := newTestServer(t)
	for i := range 30 {
		require.True(t, srv.Call(t.Context(), "LogActivity", url.Values{"description": {"entry " + string(rune('A'+i))}}, "admin").OK())
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
		require.NoError(t, srv.Call(t.Context(), "GetActivityLog", params, "").Decode(&got))
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
	srv, _ := newTestServer(t)
	require.True(t, srv.Call(t.Context(), "LogActivity", url.Values{"description": {"x"}}, "admin").OK())
	count := func(date string) any {
		return systemCall(t, srv, "", "GetActivityLog", url.Values{"date": {date}})["totalresults"]
	}
	assert.Equal(t, float64(1), count("18/11/2016"))
	assert.Equal(t, float64(1), count("2016-11-18"), "ISO dates always work")
	require.True(t, srv.Call(t.Context(), "SetConfigurationValue", url.Values{"setting": {"DateFormat"}, "value": {"MM/DD/YYYY"}}, "").OK())
	assert.Equal(t, float64(1), count("11/18/2016"))
	assert.Equal(t, "Invalid date \"18/11/2016\": use the System Date Format (MM/DD/YYYY) or YYYY-MM-DD",
		systemCall(t, srv, "", "GetActivityLog", url.Values{"date": {"18/11/2016"}})["message"])
}

func TestSystemEncryptDecrypt(t *testing.T) {
	var logs bytes.Buffer
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "enc.db")
	db, err := store.Open(ctx, path)
	require.NoError(t, err)
	srv, err := newServer(ctx, db, Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	require.NoError(t, err)
	demo, err := os.ReadFile(filepath.Join("testdata", "fixtures", "demo.json"))
	require.NoError(t, err)
	err = srv.LoadFixture(ctx, demo)
	require.NoError(t, err)

	encrypt := func(s string) string {
		got := systemCall(t, srv, "", "EncryptPassword", url.Values{"password2": {s}})
		require.Equal(t, "success", got["result"], got)
		return got["password"].(string)
	}
	decrypt := func(s *Server, c string) map[string]any {
		return systemCall(t, s, "", "DecryptPassword", url.Values{"password2": {c}})
	}
	for _, plain := range []string{"teststring", "pässwörd ✓ <&>", strings.Repeat("long ", 200)} {
		c1, c2 := encrypt(plain), encrypt(plain)
		assert.NotEqual(t, c1, c2, "a fresh nonce each time")
		assert.NotContains(t, c1, plain)
		assert.Equal(t, map[string]any{"result": "success", "password": plain}, decrypt(srv, c1))
		assert.Equal(t, plain, decrypt(srv, c2)["password"])
	}

	// Any changed byte is refused.
	sealed, err := base64.StdEncoding.DecodeString(encrypt("teststring"))
	require.NoError(t, err)
	refused := map[string]any{"result": "error", "message": "Decryption failed: password2 was not encrypted by this installation"}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		assert.Equal(t, refused, decrypt(srv, base64.StdEncoding.EncodeToString(bad)), "byte %d changed", i)
	}
	assert.Equal(t, refused, decrypt(srv, base64.StdEncoding.EncodeToString(sealed[:20])), "cut short")

	// The key is the database's: it outlives a restart, another database
	// refuses the ciphertext, and it never reaches the log.
	c := systemHTTP(t, srv, "EncryptPassword", url.Values{"password2": {"kept"}})["password"].(string)
	assert.Equal(t, "kept", systemHTTP(t, srv, "DecryptPassword", url.Values{"password2": {c}})["password"])
	require.NoError(t, db.Close())
	db2, err := store.Open(ctx, path)
	require.NoError(t, err)
	defer db2.Close()
	again, err := newServer(ctx, db2, Options{})
	require.NoError(t, err)
	assert.Equal(t, "kept", decrypt(again, c)["password"])
	other, _ := newTestServer(t)
	assert.Equal(t, refused, decrypt(other, c))
	var key []byte
	require.NoError(t, db2.View(ctx, func(tx *store.Tx) (err error) {
		key, err = tx.Secret(ctx, "encrypt_password_key", nil)
		return err
	}))
	require.Len(t, key, 32)
	require.NotZero(t, logs.Len(), "the calls were logged")
	for _, form := range []string{string(key), base64.StdEncoding.EncodeToString(key), hex.EncodeToString(key)} {
		assert.NotContains(t, logs.String(), form)
	}
	entries := srv.Journal().Entries(JournalFilter{Action: "EncryptPassword"})
	require.NotEmpty(t, entries)
	for _, e := range entries {
		assert.NotContains(t, e.Params.Encode(), "kept", "password2 is masked in the journal")
	}
}

func TestSystemResetForgetsEncryptionKey(t *testing.T) {
	srv, _ := newTestServer(t)
	c := systemCall(t, srv, "", "EncryptPassword", url.Values{"password2": {"x"}})["password"].(string)
	require.NoError(t, srv.Reset(t.Context()))
	assert.Equal(t, "error", systemCall(t, srv, "", "DecryptPassword", url.Values{"password2": {c}})["result"])
}

func TestSystemGetAdminDetailsNamesTheCaller(t *testing.T) {
	srv, _ := newTestServer(t)
	assert.Equal(t, map[string]any{"result": "error", "message": "No admin user is associated with this request"},
		systemCall(t, srv, "", "GetAdminDetails", nil))
	former := systemCall(t, srv, "former", "GetAdminDetails", nil)
	assert.Equal(t, "2", former["adminid"])
	assert.Equal(t, "", former["name"])
	byID := systemCall(t, srv, "1", "GetAdminDetails", nil)
	assert.Equal(t, "1", byID["adminid"])
	assert.Equal(t, "Ada Admin", byID["name"])
	assert.Contains(t, byID["allowedpermissions"], "API Access")
	assert.Equal(t, systemHTTP(t, srv, "GetAdminDetails", nil), byID, "HTTP and the local API agree")
}

func TestSystemHealthStatusWarnsOfBadSystemURL(t *testing.T) {
	srv, _ := newTestServer(t)
	err := srv.LoadFixture(t.Context(), []byte(`{"settings":{"systemUrl":"billing.example/"}}`))
	require.NoError(t, err)
	got := systemCall(t, srv, "", "GetHealthStatus", nil)
	checks := got["checks"].(map[string]any)
	assert.Len(t, checks["success"], 1, "the database check")
	require.Len(t, checks["warning"], 1)
	assert.Equal(t, "SystemURL", checks["warning"].([]any)[0].(map[string]any)["name"])
	assert.Empty(t, checks["danger"])
}

func TestSystemWhmcsDetailsFollowsVersion(t *testing.T) {
	srv, _ := newTestServer(t)
	for version, want := range map[string]string{
		"8.10.0":      `{"version":"8.10.0","canonicalversion":"8.10.0-release.1"}`,
		"8.13.0-rc.2": `{"version":"8.13.0","canonicalversion":"8.13.0-rc.2"}`,
	} {
		err := srv.LoadFixture(t.Context(), []byte(`{"settings":{"version":"`+version+`"}}`))
		require.NoError(t, err)
		assert.Equal(t, `{"result":"success","whmcs":`+want+`}`, string(srv.Call(t.Context(), "WhmcsDetails", nil, "").JSON()))
	}
}

// Configuration values travel in fixture documents and survive export and
// load; the activity log and the encryption key do not.
func TestSystemConfigurationExportLoad(t *testing.T) {
	srv, _ := newTestServer(t)
	for setting, value := range map[string]string{"DateFormat": "YYYY-MM-DD", "Email": "billing@example.com", "SystemURL": "https://b.example/"} {
		require.True(t, srv.Call(t.Context(), "SetConfigurationValue", url.Values{"setting": {setting}, "value": {value}}, "").OK())
	}
	doc, err := exportDoc(srv, t.Context())
	require.NoError(t, err)
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"configuration":[{"setting":"DateFormat","value":"YYYY-MM-DD"},{"setting":"Email","value":"billing@example.com"}]`)

	empty, _ := newTestServerWith(t, "")
	err = empty.LoadFixture(t.Context(), data)
	require.NoError(t, err)
	for _, setting := range []string{"DateFormat", "Email", "SystemURL", "Language"} {
		assert.Equal(t, systemConfig(t, srv, setting), systemConfig(t, empty, setting), setting)
	}

	err = empty.LoadFixture(t.Context(), []byte(`{"configuration":[{"setting":"DateFormat","value":"Y"}]}`))
	require.ErrorContains(t, err, "configuration[0]: Invalid value for DateFormat")
	err = empty.LoadFixture(t.Context(), []byte(`{"configuration":[{"setting":"Secret","value":"x"}]}`))
	require.ErrorContains(t, err, `configuration[0]: Invalid name for parameter setting (setting "Secret")`)
	assert.Equal(t, "YYYY-MM-DD", systemConfig(t, empty, "DateFormat"), "a refused document writes nothing")
}

// The clock is the emulator's: LogActivity dates follow it.
func TestSystemLogActivityUsesTheClock(t *testing.T) {
	srv, _ := newTestServer(t)
	srv.Clock().Set(time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)))
	require.True(t, srv.Call(t.Context(), "LogActivity", url.Values{"description": {"later"}}, "").OK())
	got := systemCall(t, srv, "", "GetActivityLog", nil)
	entry := got["activity"].(map[string]any)["entry"].([]any)[0].(map[string]any)
	assert.Equal(t, "2030-01-02 02:04:05", entry["date"], "in UTC")
}
