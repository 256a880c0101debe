package actions

import (
	"context"
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

// billingEnv is an Env over a fresh database holding one client.
func billingEnv(t *testing.T) *Env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "billing.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	clock := func() time.Time { return time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC) }
	env, err := NewEnv(ctx, db, clock, nil, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.AddClient(ctx, store.Client{UUID: "u-1", Firstname: "Jane", Email: "jane@example.com", Status: "Active"},
			store.ClientProfile{Currency: 1, Credit: "0.00"})
		return err
	}))
	return env
}

// billingRun runs an action with params as given (keys not rewritten by a
// form reader) and returns its JSON, or "error: " and the message.
func billingRun(t *testing.T, env *Env, action string, params url.Values) string {
	t.Helper()
	a, ok := Lookup(Normalize(action))
	require.True(t, ok)
	resp, err := a.Run(context.Background(), env, params)
	if err != nil {
		return "error: " + err.Error()
	}
	data, err := json.Marshal(resp)
	require.NoError(t, err)
	return string(data)
}

// UpdateInvoice edits lines named by id in itemdescription[<id>], and needs
// the amount and taxed flag of each.
func TestUpdateInvoiceEditsLinesByID(t *testing.T) {
	env := billingEnv(t)
	require.Contains(t, billingRun(t, env, "CreateInvoice", url.Values{"userid": {"1"}, "taxrate": {"10"},
		"itemdescription1": {"One"}, "itemamount1": {"1"}, "itemdescription2": {"Two"}, "itemamount2": {"2"}}),
		`"invoiceid":1`)

	assert.Equal(t, "error: Missing Variables: itemdescription, itemamount and itemtaxed are required for each item being changed",
		billingRun(t, env, "UpdateInvoice", url.Values{"invoiceid": {"1"}, "itemdescription[2]": {"Two!"},
			"itemamount[2]": {"5"}}))

	assert.Equal(t, `{"result":"success","invoiceid":1}`, billingRun(t, env, "UpdateInvoice", url.Values{
		"invoiceid": {"1"}, "itemdescription[2]": {"Two!"}, "itemamount[2]": {"5"}, "itemtaxed[2]": {"1"},
		"itemdescription[99]": {"Not a line"}, "itemamount[99]": {"1"}, "itemtaxed[99]": {"0"}}))
	got := billingRun(t, env, "GetInvoice", url.Values{"invoiceid": {"1"}})
	assert.Contains(t, got, `{"id":1,"type":"","relid":0,"description":"One","amount":"1.00","taxed":0}`)
	assert.Contains(t, got, `{"id":2,"type":"","relid":0,"description":"Two!","amount":"5.00","taxed":1}`)
	assert.Contains(t, got, `"subtotal":"6.00","credit":"0.00","tax":"0.50","tax2":"0.00","total":"6.50"`)
}

func TestBillingRateAndAmountReadLikePHP(t *testing.T) {
	for in, want := range map[string]int64{"12abc": 1200, "abc": 0, "-5.5": -550, "": 0, " 1e2x": 10000,
		"99999999999999.99abc": store.MaxCents} {
		got, err := billingAmount(in)
		assert.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"100000000000000", "1e400", "-99999999999999.995", "99999999999999999999999abc"} {
		_, err := billingAmount(in)
		assert.ErrorIs(t, err, store.ErrMoneyRange, in)
	}
	assert.Equal(t, "7.500", billingRate("7.5", 3))
	assert.Equal(t, "0.000", billingRate("", 3))
	assert.Equal(t, "0.90000", billingRate("0.9", 5))
}
