package whmcsemu_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// refActions are the reference data actions whose answers depend on the
// fixture sections.
var refActions = []string{"GetCurrencies", "GetPaymentMethods", "GetSupportDepartments", "GetPromotions"}

// refDefaults are the answers of refActions with no fixture section given.
var refDefaults = map[string]string{
	"GetCurrencies":         `{"result":"success","totalresults":1,"currencies":{"currency":[{"id":"1","code":"USD","prefix":"$","suffix":" USD","format":"1","rate":"1.00000"}]}}`,
	"GetPaymentMethods":     `{"result":"success","totalresults":2,"paymentmethods":{"paymentmethod":[{"module":"banktransfer","displayname":"Bank Transfer"},{"module":"paypal","displayname":"PayPal"}]}}`,
	"GetSupportDepartments": `{"result":"success","totalresults":1,"departments":{"department":[{"id":"1","name":"General Enquiries","awaitingreply":"0","opentickets":"0"}]}}`,
	"GetPromotions":         `{"result":"success","totalresults":0}`,
}

// refDoc gives every reference section.
const refDoc = `{
  "currencies": [{"code": "EUR", "prefix": "€", "format": 3, "rate": "0.9"}, {"id": 5, "code": "GBP", "suffix": " GBP"}],
  "paymentMethods": [{"module": "stripe", "displayName": "Card"}],
  "supportDepartments": [{"id": 4, "name": "Sales", "email": "sales@example.com"}, {"name": "Abuse"}],
  "promotions": [{"code": "SAVE", "value": "12.5", "appliesTo": [1, 3], "startDate": "2026-02-01", "notes": "n"}]
}`

func refAnswers(t *testing.T, srv *whmcstest.Server) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range refActions {
		out[a] = must(t, srv, a, nil, nil, localAPI{}).Body
	}
	return out
}

func TestReferenceDefaults(t *testing.T) {
	assert.Equal(t, refDefaults, refAnswers(t, newServer(t)), "no fixture")
	assert.Equal(t, refDefaults, refAnswers(t, newDemo(t)), "the demo fixture")
}

// TestReferenceFixtureReplacesDefaults: a section replaces the seeded
// defaults of its table, and only those; a later document adds to it.
func TestReferenceFixtureReplacesDefaults(t *testing.T) {
	srv := newServer(t)
	load(t, srv, `{"currencies": [{"code": "EUR"}]}`)
	got := refAnswers(t, srv)
	assert.JSONEq(t, `{"result":"success","totalresults":1,"currencies":{"currency":[{"id":"1","code":"EUR","prefix":"","suffix":"","format":"1","rate":"1.00000"}]}}`, got["GetCurrencies"])
	assert.Equal(t, refDefaults["GetPaymentMethods"], got["GetPaymentMethods"], "no paymentMethods section: the defaults stay")
	assert.Equal(t, refDefaults["GetSupportDepartments"], got["GetSupportDepartments"])

	load(t, srv, `{"currencies": [{"code": "GBP"}, {"code": "EUR", "rate": "1.1"}]}`)
	var cur struct {
		Currencies struct {
			Currency []struct{ ID, Code, Rate string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(must(t, srv, "GetCurrencies", nil, nil, localAPI{}).Body), &cur))
	assert.Equal(t, []struct{ ID, Code, Rate string }{{"1", "EUR", "1.10000"}, {"2", "GBP", "1.00000"}}, cur.Currencies.Currency,
		"EUR matched on its code, GBP added; USD does not come back")

	// A currency may keep the default's id: it then replaces USD.
	srv2 := newServer(t)
	load(t, srv2, `{"currencies": [{"id": 1, "code": "CAD"}, {"code": "USD"}]}`)
	require.NoError(t, json.Unmarshal([]byte(must(t, srv2, "GetCurrencies", nil, nil, localAPI{}).Body), &cur))
	assert.Equal(t, []struct{ ID, Code, Rate string }{{"1", "CAD", "1.00000"}, {"2", "USD", "1.00000"}}, cur.Currencies.Currency)
}

// TestReferenceReset: Reset gives back the seeded defaults for sections
// the fixtures do not give, and the fixtures' rows for those they do.
func TestReferenceReset(t *testing.T) {
	srv := newDemo(t)
	srv.Reset()
	assert.Equal(t, refDefaults, refAnswers(t, srv))

	load(t, srv, refDoc)
	loaded := refAnswers(t, srv)
	srv.Reset()
	assert.Equal(t, loaded, refAnswers(t, srv))
	require.NoError(t, srv.Emulator().ReplaceFixtures(context.Background(), []byte(`{}`)))
	assert.Equal(t, refDefaults, refAnswers(t, srv))
}

// TestReferenceExportRoundTrip: exported reference data, loaded into an
// empty emulator, gives the same answers.
func TestReferenceExportRoundTrip(t *testing.T) {
	for _, doc := range []string{`{}`, refDoc} {
		srv := newDemo(t)
		load(t, srv, doc)
		empty := newServer(t)
		replaceWith(t, empty, srv)
		assert.Equal(t, refAnswers(t, srv), refAnswers(t, empty), "doc %s", doc)
		for _, code := range []string{"SAVE", "save", "none"} {
			params := url.Values{"code": {code}}
			assert.Equal(t, call(t, srv, "GetPromotions", params, nil, localAPI{}), call(t, empty, "GetPromotions", params, nil, localAPI{}))
		}
	}
}
