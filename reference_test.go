package whmcsemu

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/internal/fixture"
	"github.com/whmcsemu/whmcsemu/store"
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

func refCall(t *testing.T, srv *Server, action string) string {
	t.Helper()
	res := srv.Call(context.Background(), action, nil, "")
	require.True(t, res.OK(), "%s: %s", action, res.JSON())
	return string(res.JSON())
}

func refAnswers(t *testing.T, srv *Server) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, a := range refActions {
		out[a] = refCall(t, srv, a)
	}
	return out
}

func refLoad(t *testing.T, srv *Server, doc string) {
	t.Helper()
	err := srv.LoadFixture(context.Background(), []byte(doc))
	require.NoError(t, err)
}

func TestReferenceDefaults(t *testing.T) {
	for _, file := range []string{"", filepath.Join("testdata", "fixtures", "demo.json")} {
		srv, _ := newTestServerWith(t, file)
		assert.Equal(t, refDefaults, refAnswers(t, srv), "fixture %q", file)
	}
}

// TestReferenceFixtureReplacesDefaults: a section replaces the seeded
// defaults of its table, and only those; a later document adds to it.
func TestReferenceFixtureReplacesDefaults(t *testing.T) {
	srv, _ := newTestServerWith(t, "")
	refLoad(t, srv, `{"currencies": [{"code": "EUR"}]}`)
	got := refAnswers(t, srv)
	assert.JSONEq(t, `{"result":"success","totalresults":1,"currencies":{"currency":[{"id":"1","code":"EUR","prefix":"","suffix":"","format":"1","rate":"1.00000"}]}}`, got["GetCurrencies"])
	assert.Equal(t, refDefaults["GetPaymentMethods"], got["GetPaymentMethods"], "no paymentMethods section: the defaults stay")
	assert.Equal(t, refDefaults["GetSupportDepartments"], got["GetSupportDepartments"])

	refLoad(t, srv, `{"currencies": [{"code": "GBP"}, {"code": "EUR", "rate": "1.1"}]}`)
	var cur struct {
		Currencies struct {
			Currency []struct{ ID, Code, Rate string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(refCall(t, srv, "GetCurrencies")), &cur))
	assert.Equal(t, []struct{ ID, Code, Rate string }{{"1", "EUR", "1.10000"}, {"2", "GBP", "1.00000"}}, cur.Currencies.Currency,
		"EUR matched on its code, GBP added; USD does not come back")

	// A currency may keep the default's id: it then replaces USD.
	srv2, _ := newTestServerWith(t, "")
	refLoad(t, srv2, `{"currencies": [{"id": 1, "code": "CAD"}, {"code": "USD"}]}`)
	require.NoError(t, json.Unmarshal([]byte(refCall(t, srv2, "GetCurrencies")), &cur))
	assert.Equal(t, []struct{ ID, Code, Rate string }{{"1", "CAD", "1.00000"}, {"2", "USD", "1.00000"}}, cur.Currencies.Currency)
}

// TestReferenceReset: Reset gives back the seeded defaults for sections
// the fixtures do not give, and the fixtures' rows for those they do.
func TestReferenceReset(t *testing.T) {
	srv, _ := newTestServer(t)
	require.NoError(t, srv.Reset(context.Background()))
	assert.Equal(t, refDefaults, refAnswers(t, srv))

	refLoad(t, srv, refDoc)
	loaded := refAnswers(t, srv)
	require.NoError(t, srv.Reset(context.Background()))
	assert.Equal(t, loaded, refAnswers(t, srv))
	require.NoError(t, srv.ReplaceFixtures(context.Background(), []byte(`{}`)))
	assert.Equal(t, refDefaults, refAnswers(t, srv))
}

// TestReferenceWipeReseeds: after a wipe the reference tables hold what a
// fresh database holds.
func TestReferenceWipeReseeds(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "ref.db"))
	require.NoError(t, err)
	defer db.Close()
	type snapshot struct {
		C []store.Currency
		G []store.PaymentGateway
		D []store.SupportDepartment
		P []store.Promotion
		O []store.Status
		T []store.Status
	}
	read := func() (s snapshot) {
		require.NoError(t, db.View(ctx, func(tx *store.Tx) (err error) {
			if s.C, err = tx.Currencies(ctx); err != nil {
				return err
			}
			if s.G, err = tx.PaymentGateways(ctx); err != nil {
				return err
			}
			if s.D, err = tx.SupportDepartments(ctx); err != nil {
				return err
			}
			if s.P, err = tx.Promotions(ctx, ""); err != nil {
				return err
			}
			if s.O, err = tx.OrderStatuses(ctx); err != nil {
				return err
			}
			s.T, err = tx.TicketStatuses(ctx)
			return err
		}))
		return s
	}
	fresh := read()
	require.Len(t, fresh.C, 1)
	require.Len(t, fresh.O, 4)
	require.Len(t, fresh.T, 6)
	require.NoError(t, db.Update(ctx, func(tx *store.Tx) error {
		for _, table := range []string{store.CurrenciesTable, store.PaymentGatewaysTable, store.SupportDepartmentsTable} {
			if err := tx.DropSeeded(ctx, table); err != nil {
				return err
			}
		}
		_, err := tx.PutPromotion(ctx, store.Promotion{Code: "X", Type: "Percentage"})
		return err
	}))
	assert.NotEqual(t, fresh, read())
	require.NoError(t, db.Update(ctx, func(tx *store.Tx) error { return tx.Wipe(ctx) }))
	assert.Equal(t, fresh, read())
}

// TestReferenceExportRoundTrip: exported reference data, loaded into an
// empty emulator, gives the same answers.
func TestReferenceExportRoundTrip(t *testing.T) {
	for _, doc := range []string{`{}`, refDoc} {
		srv, _ := newTestServer(t)
		refLoad(t, srv, doc)
		exported, err := exportDoc(srv, context.Background())
		require.NoError(t, err)
		data, err := json.Marshal(exported)
		require.NoError(t, err)
		empty, _ := newTestServerWith(t, "")
		refLoad(t, empty, string(data))
		assert.Equal(t, refAnswers(t, srv), refAnswers(t, empty), "doc %s", doc)
		for _, code := range []string{"SAVE", "save", "none"} {
			params := url.Values{"code": {code}}
			assert.Equal(t, string(srv.Call(context.Background(), "GetPromotions", params, "").JSON()),
				string(empty.Call(context.Background(), "GetPromotions", params, "").JSON()))
		}
	}
}

func TestReferenceFixtureErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"currencies": [{"prefix": "$"}]}`:                                              "currencies[0].code: is required",
		`{"currencies": [{"code": "X", "format": 5}]}`:                                   "currencies[0].format: must be 1 to 4",
		`{"currencies": [{"code": "X", "rate": "abc"}]}`:                                 "currencies[0].rate: must be a decimal number",
		`{"currencies": [{"code": "X", "rate": "-1"}]}`:                                  "currencies[0].rate: must be a decimal number",
		`{"currencies": [{"code": "X"}, {"id": 9, "code": "X"}]}`:                        `currencies[1]: code "X" is taken`,
		`{"currencies": [{"code": "X", "rate": 1}]}`:                                     "currencies[0].rate: must be a string",
		`{"paymentMethods": [{"displayName": "Card"}]}`:                                  "paymentMethods[0].module: is required",
		`{"supportDepartments": [{"email": "a@example.com"}]}`:                           "supportDepartments[0].name: is required",
		`{"supportDepartments": [{"id": 1, "nmae": "x"}]}`:                               "supportDepartments[0].nmae: unknown field",
		`{"promotions": [{"type": "Percentage"}]}`:                                       "promotions[0].code: is required",
		`{"promotions": [{"code": "A", "type": "Half Off"}]}`:                            "promotions[0].type: must be Percentage",
		`{"promotions": [{"code": "A", "value": "ten"}]}`:                                "promotions[0].value: must be a decimal number",
		`{"promotions": [{"code": "A", "expirationDate": "31/12/2026"}]}`:                "promotions[0].expirationDate: must be a date",
		`{"promotions": [{"code": "A"}, {"id": 7, "code": "A"}]}`:                        `promotions[1]: code "A" is taken`,
		`{"promotions": [{"code": "A", "startDate": "2026-02-30"}]}`:                     "promotions[0].startDate: must be a date",
		`{"currencies": [{"code": "EUR"}], "promotions": [{"code": "A", "value": "x"}]}`: "promotions[0].value",
	} {
		srv, _ := newTestServerWith(t, "")
		before := refAnswers(t, srv)
		err := srv.LoadFixture(context.Background(), []byte(doc))
		require.Error(t, err, doc)
		var fe *fixture.Error
		assert.ErrorAs(t, err, &fe, doc)
		assert.Contains(t, err.Error(), want, doc)
		assert.Equal(t, before, refAnswers(t, srv), "a broken document changes nothing: %s", doc)
	}
}
