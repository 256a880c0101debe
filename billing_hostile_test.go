package whmcsemu

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// billingSecondHalf are the Billing actions whose rows the demo fixture
// lacks (quotes, pay methods, services due for renewal), so that
// TestHostileValuesEveryAction mostly reaches their not-found answers.
var billingSecondHalf = []string{"CreateQuote", "UpdateQuote", "DeleteQuote", "GetQuotes", "SendQuote",
	"AcceptQuote", "AddPayMethod", "GetPayMethods", "UpdatePayMethod", "DeletePayMethod", "ApplyCredit",
	"CapturePayment", "UpdateTransaction", "GenInvoices"}

// TestHostileValuesBillingWithRows sweeps those actions as
// TestHostileValuesEveryAction does, on an emulator that has quotes, pay
// methods, invoices, transactions and renewing services and domains, with
// the ids they read set to rows that exist, and with quote lines and
// service and domain lists too.
func TestHostileValuesBillingWithRows(t *testing.T) {
	t.Parallel()
	srv, db := newTestServer(t)
	for _, f := range []string{"billing.json", "quotes.json", "renewals.json"} {
		applyFixtureFile(t, srv, filepath.Join("testdata", "fixtures", f))
	}
	baseline := map[string]string{"clientid": "1", "userid": "1", "quoteid": "1", "paymethodid": "2", "invoiceid": "1",
		"transactionid": "1", "subject": "S", "stage": "Draft", "validuntil": "2016-12-31", "card_number": "4242424242424242",
		"card_expiry": "0130"}
	extra := []string{"lineitems[0][desc]", "lineitems[0][qty]", "lineitems[0][up]", "lineitems[0][discount]",
		"lineitems[0][id]", "serviceids[]", "domainids[]"}
	sweepHostile(t, srv, db, billingSecondHalf, baseline, extra, "")
}

// The journal never keeps a card or account number, a routing number or
// a cvv, under any of the names WHMCS has used, bracketed or not.
func TestJournalMasksCardDetails(t *testing.T) {
	for _, name := range []string{"card_number", "Card_Number", "card_number[]", "card_number[0]", "bank_account",
		"bank_code", "cvv", "cardnum", "cccvv", "password2", "secret", "remote_token"} {
		assert.True(t, maskedParam(name), name)
	}
	for _, name := range []string{"card_expiry", "card_last_four", "bank_name", "clientid", "description"} {
		assert.False(t, maskedParam(name), name)
	}
	srv, _ := newTestServer(t)
	data, err := os.ReadFile(filepath.Join("testdata", "fixtures", "quotes.json"))
	require.NoError(t, err)
	require.NoError(t, srv.LoadFixture(context.Background(), data))
	rec := post(srv, withAuth(url.Values{"action": {"AddPayMethod"}, "clientid": {"1"}, "card_number": {"4242 4242 4242 4242"},
		"card_expiry": {"0130"}, "responsetype": {"json"}}))
	require.Contains(t, rec.Body.String(), `"result":"success"`)
	srv.Call(t.Context(), "AddPayMethod", url.Values{"clientid": {"1"}, "type": {"BankAccount"}, "bank_code": {"026009593"},
		"bank_account": {"000123456789"}}, "")
	srv.Call(t.Context(), "CapturePayment", url.Values{"invoiceid": {"1"}, "cvv": {"123"}}, "")
	entries := srv.Journal().Entries(JournalFilter{})
	require.Len(t, entries, 3)
	for _, e := range entries {
		text, err := json.Marshal(e.Params)
		require.NoError(t, err)
		for _, secret := range []string{"4242 4242", "026009593", "000123456789", "123"} {
			assert.NotContains(t, string(text), secret, e.Action)
		}
	}
	assert.Equal(t, []string{"********"}, entries[0].Params["card_number"])
	assert.Equal(t, []string{"0130"}, entries[0].Params["card_expiry"])
}
