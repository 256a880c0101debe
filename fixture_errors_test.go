package whmcsemu

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/internal/fixture"
	"github.com/whmcsemu/whmcsemu/store"
)

// These tests need the internals: the type of a fixture error
// (*fixture.Error), and the store's reseeding of reference data. The rest
// of the area tests are in package whmcsemu_test.

// refuseFixtures loads each broken document into a fresh emulator with
// fixtureFile ("" for none): it must fail with a *fixture.Error whose text
// holds want, and write nothing (the whole export stays as it was).
func refuseFixtures(t *testing.T, fixtureFile string, cases map[string]string) {
	t.Helper()
	ctx := context.Background()
	for doc, want := range cases {
		srv, _ := newTestServerWith(t, fixtureFile)
		before, err := srv.Export(ctx)
		require.NoError(t, err)
		err = srv.LoadFixture(ctx, []byte(doc))
		require.Error(t, err, doc)
		var fe *fixture.Error
		assert.ErrorAs(t, err, &fe, doc)
		assert.Contains(t, err.Error(), want, doc)
		after, err := srv.Export(ctx)
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), "a broken document changes nothing: %s", doc)
	}
}

func TestProductsFixtureErrors(t *testing.T) {
	refuseFixtures(t, demoFixture, map[string]string{
		`{"products": [{"gid": 1, "name": "A", "payType": "monthly"}]}`:                              "products[0].payType: must be one of",
		`{"products": [{"gid": 1, "name": "A", "pricing": [{"monthly": "ten"}]}]}`:                   "products[0].pricing[0].monthly: must be a decimal amount",
		`{"products": [{"gid": 1, "name": "A", "pricing": [{"currencyId": 1}, {"currencyId": 1}]}]}`: "products[0].pricing[1].currencyId",
	})
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

func TestReferenceFixtureErrors(t *testing.T) {
	refuseFixtures(t, "", map[string]string{
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
	})
}
