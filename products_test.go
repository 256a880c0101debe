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

	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// prodFixture is the golden fixture with products that have every detail.
var prodFixture = filepath.Join("testdata", "golden", "GetProducts", "fixture.json")

func prodCall(t *testing.T, srv *Server, action string, params url.Values) *Result {
	t.Helper()
	return srv.Call(context.Background(), action, params, "")
}

func prodList(t *testing.T, srv *Server, params url.Values) string {
	t.Helper()
	res := prodCall(t, srv, "GetProducts", params)
	require.True(t, res.OK(), "%s", res.JSON())
	return string(res.JSON())
}

func prodLoad(t *testing.T, srv *Server, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	err = srv.LoadFixture(context.Background(), data)
	require.NoError(t, err)
}

// TestAddProductShowsInGetProducts: every product AddProduct answers a pid
// for is listed by GetProducts with what was given.
func TestAddProductShowsInGetProducts(t *testing.T) {
	srv, _ := newTestServer(t)
	res := prodCall(t, srv, "AddProduct", url.Values{
		"name": {"Gold"}, "gid": {"1"}, "paytype": {"onetime"}, "module": {"plesk"},
		"pricing[1][monthly]": {"12.345"}, "pricing[1][tsetupfee]": {"3"},
	})
	require.True(t, res.OK(), "%s", res.JSON())
	var added struct {
		Result string `json:"result"`
		PID    int64  `json:"pid"`
	}
	require.NoError(t, res.Decode(&added))
	assert.Equal(t, "success", added.Result)
	assert.EqualValues(t, 3, added.PID)

	var got struct {
		TotalResults int `json:"totalresults"`
		Products     struct {
			Product []struct {
				PID     int64  `json:"pid"`
				Name    string `json:"name"`
				PayType string `json:"paytype"`
				Pricing map[string]map[string]string
			} `json:"product"`
		} `json:"products"`
	}
	require.NoError(t, json.Unmarshal([]byte(prodList(t, srv, url.Values{"module": {"plesk"}})), &got))
	require.Equal(t, 1, got.TotalResults)
	p := got.Products.Product[0]
	assert.Equal(t, added.PID, p.PID)
	assert.Equal(t, "Gold", p.Name)
	assert.Equal(t, "onetime", p.PayType)
	assert.Equal(t, "12.35", p.Pricing["USD"]["monthly"])
	assert.Equal(t, "3.00", p.Pricing["USD"]["tsetupfee"])
	assert.Equal(t, "-1.00", p.Pricing["USD"]["annually"])
	assert.Equal(t, "0.00", p.Pricing["USD"]["msetupfee"])
}

// TestAddProductRefusedWritesNothing: each refused AddProduct leaves the
// product list as it was.
func TestAddProductRefusedWritesNothing(t *testing.T) {
	srv, _ := newTestServer(t)
	before := prodList(t, srv, nil)
	for _, params := range []url.Values{
		{"gid": {"1"}},
		{"name": {"X"}},
		{"name": {"X"}, "gid": {"42"}},
		{"name": {"X"}, "gid": {"1"}, "welcomeemail": {"1"}},
		{"name": {"X"}, "gid": {"1"}, "type": {"vps"}},
		{"name": {"X"}, "gid": {"1"}, "paytype": {"yearly"}},
		{"name": {"X"}, "gid": {"1"}, "autosetup": {"never"}},
		{"name": {"X"}, "gid": {"1"}, "color": {"red"}},
		{"name": {"X"}, "gid": {"1"}, "recommendations[0][id]": {"9"}, "pricing[1][monthly]": {"1"}},
	} {
		res := prodCall(t, srv, "AddProduct", params)
		assert.False(t, res.OK(), "%v", params)
		assert.Equal(t, before, prodList(t, srv, nil), "%v", params)
	}
}

// TestProductsExportRoundTrip: products exported with their details and
// prices, loaded into an empty emulator, list the same.
func TestProductsExportRoundTrip(t *testing.T) {
	srv, _ := newTestServer(t)
	prodLoad(t, srv, prodFixture)
	require.True(t, prodCall(t, srv, "AddProduct", url.Values{
		"name": {"Added"}, "gid": {"2"}, "hidden": {"1"}, "stockcontrol": {"on"}, "qty": {"4"}, "order": {"3"},
		"pricing[2][biennially]": {"40"},
	}).OK())
	exported, err := exportDoc(srv, context.Background())
	require.NoError(t, err)
	data, err := json.Marshal(exported)
	require.NoError(t, err)

	empty, _ := newTestServerWith(t, "")
	err = empty.LoadFixture(context.Background(), data)
	require.NoError(t, err)
	assert.Equal(t, prodList(t, srv, nil), prodList(t, empty, nil))
	again, err := exportDoc(empty, context.Background())
	require.NoError(t, err)
	assert.Equal(t, exported.Products, again.Products)
}

func TestProductsFixtureErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"products": [{"gid": 1, "name": "A", "payType": "monthly"}]}`:                              "products[0].payType: must be one of",
		`{"products": [{"gid": 1, "name": "A", "pricing": [{"monthly": "ten"}]}]}`:                   "products[0].pricing[0].monthly: must be a decimal amount",
		`{"products": [{"gid": 1, "name": "A", "pricing": [{"currencyId": 1}, {"currencyId": 1}]}]}`: "products[0].pricing[1].currencyId",
	} {
		srv, _ := newTestServer(t)
		before := prodList(t, srv, nil)
		err := srv.LoadFixture(context.Background(), []byte(doc))
		require.Error(t, err, doc)
		var fe *fixture.Error
		assert.ErrorAs(t, err, &fe, doc)
		assert.Contains(t, err.Error(), want, doc)
		assert.Equal(t, before, prodList(t, srv, nil), "a broken document changes nothing: %s", doc)
	}
}
