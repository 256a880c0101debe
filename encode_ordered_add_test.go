package whmcsemu

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/whmcsemu/whmcsemu/actions"
)

// TestEncodeOrderedAdded: an actions.Ordered filled with Add keeps its keys in the order they
// were added, in every encoder and in encoding/json, and is PHP's empty
// array when it has none.
func TestEncodeOrderedAdded(t *testing.T) {
	var inner, days actions.Ordered
	inner.Add("z", int64(1))
	inner.Add("a", "x")
	days.Add("2016-11-18", inner)
	days.Add("2016-11-17", actions.Ordered{})
	v := struct {
		Result string          `json:"result"`
		Days   actions.Ordered `json:"days"`
		None   actions.Ordered `json:"none"`
	}{Result: "success", Days: days}
	const want = `{"result":"success","days":{"2016-11-18":{"z":1,"a":"x"},"2016-11-17":[]},"none":[]}`
	assert.Equal(t, want, string(appendJSON(nil, reflect.ValueOf(&v))))
	std, err := json.Marshal(v)
	assert.NoError(t, err)
	assert.JSONEq(t, want, string(std))
	assert.Equal(t, want, string(std), "the same order")
	assert.Equal(t, "result=success;days=Array;none=Array", string(appendNVP(nil, reflect.ValueOf(&v))))
	assert.Contains(t, string(appendXMLDocument(nil, "8.13.1", "x", reflect.ValueOf(&v))),
		"<days>\n<item2016-11-18>\n<z>1</z>\n<a>x</a>\n</item2016-11-18>\n<item2016-11-17>\n</item2016-11-17>\n</days>\n")
}
