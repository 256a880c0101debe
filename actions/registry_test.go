package actions

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIntValReadsLikePHP(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"12", 12}, {"12abc", 12}, {" 7", 7}, {"+5", 5}, {"-3", -3}, {"abc", 0}, {"", 0}, {"-", 0},
		{"1e1", 10}, {"1e3x", 1000}, {"1e+2", 100}, {"1.5e3", 1500}, {"1e", 1}, {"e5", 0}, {"0x1A", 0},
		{"1.9", 1}, {"-1.9", -1}, {".5", 0}, {"5.", 5},
		{"99999999999999999999", 9223372036854775807}, {"-99999999999999999999", -9223372036854775808},
		{"1e400", 9223372036854775807},
	} {
		assert.Equal(t, tc.want, IntVal(tc.in), "IntVal(%q)", tc.in)
	}
}

func TestTruthyIsPHPTruthiness(t *testing.T) {
	for in, want := range map[string]bool{"": false, "0": false, "1": true, "false": true, "off": true, "0.0": true, " ": true} {
		assert.Equal(t, want, Truthy(in), "Truthy(%q)", in)
	}
}

func TestNormalizeAndKey(t *testing.T) {
	assert.Equal(t, "listoauthcredentials", Normalize("List_OAuth-Credentials"))
	assert.Equal(t, "getclientsdetails", Key("GetClientsDataByEmail"))
	assert.True(t, Documented("getclientsdata"))
	assert.False(t, Documented("nosuchaction"))
	assert.True(t, Structured(Key("GetClientsData")) == Structured("getclientsdetails"))
}

func TestPHPDate(t *testing.T) {
	for unix, want := range map[int64]string{
		1479461544: "18th November 2016 9:32:24am",
		1479427200: "18th November 2016 12:00:00am",
		1479470400: "18th November 2016 12:00:00pm",
		1480550399: "30th November 2016 11:59:59pm",
		1477958400: "1st November 2016 12:00:00am",
		1478044800: "2nd November 2016 12:00:00am",
		1478131200: "3rd November 2016 12:00:00am",
		1478822400: "11th November 2016 12:00:00am",
		1478908800: "12th November 2016 12:00:00am",
		1478995200: "13th November 2016 12:00:00am",
		1479686400: "21st November 2016 12:00:00am",
		1480464000: "30th November 2016 12:00:00am",
	} {
		assert.Equal(t, want, PHPDate(unix), "PHPDate(%d)", unix)
	}
}

func TestListWindow(t *testing.T) {
	for _, tc := range []struct{ start, num, offset, limit int64 }{
		{0, 0, 0, 25}, {-5, -1, 0, 25}, {10, 3, 10, 3}, {0, 1000, 0, 1000},
	} {
		p := listWindow(tc.start, tc.num)
		assert.Equal(t, [2]int64{tc.offset, tc.limit}, [2]int64{p.Offset, p.Limit}, "listWindow(%d, %d)", tc.start, tc.num)
	}
}

func TestParamSizeLimit(t *testing.T) {
	a, ok := Lookup(Normalize("OpenTicket"))
	if !ok {
		t.Fatal("OpenTicket is not registered")
	}
	big := strings.Repeat("m", MaxParamBytes+1)
	// The check runs before the handler: no Env is needed to be refused.
	_, err := a.Run(t.Context(), nil, url.Values{"subject": {"s"}, "message": {big}, "zz": {big}})
	var e *Error
	if assert.ErrorAs(t, err, &e) {
		assert.Equal(t, `"message" is too long (65536 bytes): WHMCS stores at most 65535 bytes in it`, e.Message)
	}
	_, err = a.Run(t.Context(), nil, url.Values{"customfields[3]": {"x", big}})
	if assert.ErrorAs(t, err, &e) {
		assert.Contains(t, e.Message, `"customfields[3]" is too long`)
	}
	assert.NoError(t, checkParamSizes(url.Values{"message": {big[1:]}, "attachments": {big + big}}),
		"65535 bytes fit, and attachments are files, not a column")
}

// TestEveryDocumentedActionIsEmulated: the table holds every action of
// WHMCS's catalog (the pipeline relies on it), and nothing else.
func TestEveryDocumentedActionIsEmulated(t *testing.T) {
	documented := 0
	for _, e := range Catalog() {
		documented++
		a, ok := Lookup(Normalize(e.Name))
		if assert.True(t, ok, "%s is documented but has no action", e.Name) {
			assert.Equal(t, e.Name, a.Name)
		}
	}
	assert.Equal(t, 162, documented)
	assert.Len(t, table, documented, "the table has an action WHMCS does not document")
}
