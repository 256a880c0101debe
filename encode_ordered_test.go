package whmcsemu

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/whmcsemu/whmcsemu/actions"
)

// actions.Ordered is an object whose keys keep their order in every
// response type ("10" after "9", unlike a map's sorted keys); empty, it is
// PHP's empty array in JSON.
func TestOrderedObject(t *testing.T) {
	v := struct {
		Result  string          `json:"result"`
		Pricing actions.Ordered `json:"pricing"`
		Empty   actions.Ordered `json:"empty"`
	}{Result: "success", Pricing: actions.Ordered{
		{Key: "org", Value: actions.Ordered{{Key: "9", Value: "9.00"}, {Key: "10", Value: "10.00"}}},
		{Key: "com", Value: encItem{ID: 1, Name: "x"}},
	}}
	assert.Equal(t, `{"result":"success","pricing":{"org":{"9":"9.00","10":"10.00"},"com":{"id":1,"name":"x"}},"empty":[]}`,
		string(appendJSON(nil, reflect.ValueOf(v))))
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<whmcsapi version=\"8\">\n<action>a</action>\n"+
		"<result>success</result>\n<pricing>\n<org>\n<item9>9.00</item9>\n<item10>10.00</item10>\n</org>\n"+
		"<com>\n<id>1</id>\n<name>x</name>\n</com>\n</pricing>\n<empty>\n</empty>\n</whmcsapi>",
		string(appendXMLDocument(nil, "8", "a", reflect.ValueOf(v))))
	assert.Equal(t, "result=success;pricing=Array;empty=Array", string(appendNVP(nil, reflect.ValueOf(v))))
}
