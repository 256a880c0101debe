package whmcsemu_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// outbox reads the control plane's list of sent emails, newest first.
func outbox(t *testing.T, s *whmcstest.Server, query string) []struct {
	ClientID int64  `json:"clientId"`
	To       string `json:"to"`
	Subject  string `json:"subject"`
	Message  string `json:"message"`
	Template string `json:"template"`
} {
	t.Helper()
	resp, err := s.Client().Get(s.URL + "/_whmcsemu/emails?" + query)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var got struct {
		Emails []struct {
			ClientID int64  `json:"clientId"`
			To       string `json:"to"`
			Subject  string `json:"subject"`
			Message  string `json:"message"`
			Template string `json:"template"`
		} `json:"emails"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	return got.Emails
}

// TestOrderEmails: an order sends its confirmation and, once accepted, the
// welcome email of each service, rendered for the client, to the outbox;
// noemail and sendemail=0 send none; a reset empties the outbox.
func TestOrderEmails(t *testing.T) {
	s := whmcstest.NewServer(t, whmcstest.WithFixtureFile("testdata/fixtures/demo.json"))
	order := func(extra url.Values) int64 {
		params := url.Values{"clientid": {"1"}, "paymentmethod": {"banktransfer"}, "pid[0]": {"1"},
			"domain[0]": {"shop.example"}, "billingcycle[0]": {"monthly"}}
		for k, v := range extra {
			params[k] = v
		}
		res := s.Call("AddOrder", params)
		require.True(t, res.OK(), "%s", res.JSON())
		var added struct {
			OrderID int64 `json:"orderid"`
		}
		require.NoError(t, res.Decode(&added))
		return added.OrderID
	}
	first := order(nil)
	sent := outbox(t, s, "clientId=1")
	require.Len(t, sent, 1)
	assert.Equal(t, "Order Confirmation", sent[0].Template)
	assert.Equal(t, "jane@example.com", sent[0].To)
	assert.Contains(t, sent[0].Message, "Dear Jane Doe,")

	res := s.Call("AcceptOrder", url.Values{"orderid": {strconv.FormatInt(first, 10)}})
	require.True(t, res.OK(), "%s", res.JSON())
	sent = outbox(t, s, "clientId=1")
	require.Len(t, sent, 2)
	assert.Equal(t, "Hosting Account Welcome Email", sent[0].Template, "newest first")
	assert.Contains(t, sent[0].Message, "Starter")
	assert.Contains(t, sent[0].Message, "shop.example")

	quiet := order(url.Values{"noemail": {"1"}})
	res = s.Call("AcceptOrder", url.Values{"orderid": {strconv.FormatInt(quiet, 10)}, "sendemail": {"0"}})
	require.True(t, res.OK(), "%s", res.JSON())
	assert.Len(t, outbox(t, s, "clientId=1"), 2, "noemail and sendemail=0 send nothing")
	assert.Len(t, outbox(t, s, "subject=Account+Information"), 1)

	s.Reset()
	assert.Empty(t, outbox(t, s, ""))
}
