package whmcsemu

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
)

// TestHostileParamSizes sends every parameter of every emulated action a
// value one byte over actions.MaxParamBytes (a MySQL TEXT column): each
// must be refused with a message naming the parameter, and nothing
// written. A value of exactly the limit is stored whole, and a ticket
// with a large base64 attachment is still opened (attachments are files
// in WHMCS, not a column).
func TestHostileParamSizes(t *testing.T) {
	t.Parallel() // independent, and among the slowest: overlap with the rest
	srv, db := newTestServer(t)
	dataVersion := dataVersionOf(t, db)
	big := strings.Repeat("x", actions.MaxParamBytes+1)
	calls := 0
	for _, e := range actions.Catalog() {
		if !e.Emulated {
			continue
		}
		a, ok := actions.Lookup(actions.Normalize(e.Name))
		require.True(t, ok, e.Name)
		for _, p := range a.Params() {
			if slices.Contains(envelopeFields, p) {
				continue // WHMCS reads it itself; the action never sees it
			}
			if actions.ParamUnlimited(p) {
				continue // files (attachments): the body limit bounds them, below
			}
			form := url.Values{"action": {e.Name}, "responsetype": {"json"}}
			for _, q := range a.Params() {
				if b, ok := hostileBaseline[q]; ok && q != p {
					form.Set(q, b)
				}
			}
			form.Set(p, big)
			before := dataVersion()
			rec := post(srv, withAuth(form))
			calls++
			var got struct{ Result, Message string }
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got), "%s %s: %s", e.Name, p, truncate(rec.Body.String(), 200))
			assert.Equal(t, "error", got.Result, "%s %s", e.Name, p)
			assert.Equal(t, `"`+p+`" is too long (65536 bytes): WHMCS stores at most 65535 bytes in it`, got.Message, "%s %s", e.Name, p)
			assert.Equal(t, before, dataVersion(), "%s %s: refused but wrote", e.Name, p)
		}
	}
	require.Greater(t, calls, 100)

	// At the limit, a ticket message is stored whole.
	message := strings.Repeat("m", actions.MaxParamBytes)
	ticket := func(more url.Values) url.Values {
		form := url.Values{"action": {"OpenTicket"}, "responsetype": {"json"}, "deptid": {"1"}, "clientid": {"1"},
			"subject": {"Help"}, "message": {"Please help."}}
		for k, v := range more {
			form[k] = v
		}
		return withAuth(form)
	}
	var opened struct {
		Result string `json:"result"`
		ID     int64  `json:"id"`
	}
	require.NoError(t, json.Unmarshal(post(srv, ticket(url.Values{"message": {message}})).Body.Bytes(), &opened))
	require.Equal(t, "success", opened.Result)
	var got struct {
		Replies struct {
			Reply []struct {
				Message string `json:"message"`
			} `json:"reply"`
		} `json:"replies"`
	}
	require.NoError(t, json.Unmarshal(post(srv, withAuth(url.Values{"action": {"GetTicket"}, "responsetype": {"json"},
		"ticketid": {strconv.FormatInt(opened.ID, 10)}})).Body.Bytes(), &got))
	require.NotEmpty(t, got.Replies.Reply)
	assert.Equal(t, message, got.Replies.Reply[0].Message)

	// Attachments are not held to the limit.
	files, err := json.Marshal([]map[string]string{{"name": "log.txt",
		"data": base64.StdEncoding.EncodeToString([]byte(strings.Repeat("log line\n", 20_000)))}})
	require.NoError(t, err)
	assert.Contains(t, post(srv, ticket(url.Values{"attachments": {base64.StdEncoding.EncodeToString(files)}})).Body.String(),
		`"result":"success"`)
}
