package whmcsemu_test

import (
	"encoding/json"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// prodFixture is the golden fixture with products that have every detail.
var prodFixture = filepath.Join("testdata", "golden", "GetProducts", "fixture.json")

// prodList is GetProducts' answer.
func prodList(t *testing.T, srv *whmcstest.Server, params url.Values) string {
	t.Helper()
	return must(t, srv, "GetProducts", params, nil, localAPI{}).Body
}

// TestAddProductShowsInGetProducts: every product AddProduct answers a pid
// for is listed by GetProducts with what was given.
func TestAddProductShowsInGetProducts(t *testing.T) {
	srv := newDemo(t)
	var added struct {
		PID int64 `json:"pid"`
	}
	must(t, srv, "AddProduct", url.Values{
		"name": {"Gold"}, "gid": {"1"}, "paytype": {"onetime"}, "module": {"plesk"},
		"pricing[1][monthly]": {"12.345"}, "pricing[1][tsetupfee]": {"3"},
	}, &added, localAPI{})
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
	srv := newDemo(t)
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
		assert.Equal(t, "error", call(t, srv, "AddProduct", params, nil, localAPI{}).Result, "%v", params)
		assert.Equal(t, before, prodList(t, srv, nil), "%v", params)
	}
}

// TestProductsExportRoundTrip: products exported with their details and
// prices, loaded into an empty emulator, list the same.
func TestProductsExportRoundTrip(t *testing.T) {
	srv := newDemo(t, prodFixture)
	must(t, srv, "AddProduct", url.Values{
		"name": {"Added"}, "gid": {"2"}, "hidden": {"1"}, "stockcontrol": {"on"}, "qty": {"4"}, "order": {"3"},
		"pricing[2][biennially]": {"40"},
	}, nil, localAPI{})
	var exported, again struct {
		Products json.RawMessage `json:"products"`
	}
	export(t, srv, &exported)

	empty := newServer(t)
	replaceWith(t, empty, srv)
	assert.Equal(t, prodList(t, srv, nil), prodList(t, empty, nil))
	export(t, empty, &again)
	assert.NotEmpty(t, exported.Products)
	assert.JSONEq(t, string(exported.Products), string(again.Products))
}
