package actions

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/store"
)

func TestPHPUnserialize(t *testing.T) {
	v, err := phpUnserialize(`a:2:{i:0;a:3:{s:4:"desc";s:5:"Ap;le";s:3:"qty";i:2;s:7:"taxable";b:1;}s:1:"x";a:2:{s:2:"up";d:1.5;s:1:"n";N;}}`)
	require.NoError(t, err)
	assert.Equal(t, []phpEntry{
		{Key: "0", Value: []phpEntry{{"desc", "Ap;le"}, {"qty", int64(2)}, {"taxable", true}}},
		{Key: "x", Value: []phpEntry{{"up", 1.5}, {"n", nil}}},
	}, v)
	for _, bad := range []string{"", "a", `s:5:"abc";`, `a:1:{i:0;}`, `a:99999999:{}`, `O:8:"stdClass":0:{}`,
		`i:1;x`, `b:2;`, `a:1:{a:0:{}i:1;}`, `s:-1:"";`, `d:x;`, `a:1:{i:0;i:1;`} {
		_, err := phpUnserialize(bad)
		assert.Error(t, err, bad)
	}
	deep := "i:1;"
	for range phpMaxDepth + 1 {
		deep = "a:1:{i:0;" + deep + "}"
	}
	_, err = phpUnserialize(deep)
	assert.Error(t, err, "nesting is bounded")
	assert.Equal(t, []string{"1", "", "2.5", "x", "Array", ""},
		[]string{phpString(true), phpString(false), phpString(2.5), phpString("x"), phpString([]phpEntry{}), phpString(nil)})
}

func FuzzPHPUnserialize(f *testing.F) {
	f.Add(`a:1:{i:0;a:1:{s:4:"desc";s:1:"A";}}`)
	f.Add(`s:3:"abc";`)
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = phpUnserialize(s) // never panics, never loops
	})
}

func TestQuoteLines(t *testing.T) {
	serialized := base64.StdEncoding.EncodeToString([]byte(`a:2:{i:0;a:2:{s:4:"desc";s:1:"A";s:2:"up";d:2.5;}i:1;a:1:{s:4:"desc";s:1:"B";}}`))
	lines, err := quoteLines(url.Values{"lineitems": {serialized}, "lineitems[10][desc]": {"C"},
		"lineitems[2][qty]": {"3"}, "lineitems[x][desc]": {"D"}, "lineitems[3][a][b]": {"ignored"}})
	require.NoError(t, err)
	var keys []string
	for _, l := range lines {
		keys = append(keys, l.key)
	}
	assert.Equal(t, []string{"0", "1", "2", "10", "x"}, keys, "numeric keys by number, then the others")
	assert.Equal(t, map[string]string{"desc": "A", "up": "2.5"}, lines[0].fields)
	for _, bad := range []string{"%%%", base64.StdEncoding.EncodeToString([]byte("i:1;")),
		base64.StdEncoding.EncodeToString([]byte(`a:1:{i:0;s:1:"A";}`))} {
		_, err := quoteLines(url.Values{"lineitems": {bad}})
		assert.Equal(t, errQuoteLines, err, bad)
	}
}

func TestQuoteLineCents(t *testing.T) {
	for _, c := range []struct {
		qty, discount string
		up, want      int64
	}{
		{"3", "2.50", 500, 1463}, {"1", "0.00", 123, 123}, {"1.5", "10.00", 333, 450}, {"-2", "0.00", 100, -200},
		{"2", "100.00", 999, 0},
	} {
		got, err := store.QuoteLineCents(store.QuoteItem{Quantity: c.qty, UnitPriceCents: c.up, Discount: c.discount})
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%+v", c)
	}
	_, err := store.QuoteLineCents(store.QuoteItem{Quantity: "99999999999999.99", UnitPriceCents: store.MaxCents})
	assert.ErrorIs(t, err, store.ErrMoneyRange)
	assert.Equal(t, []string{"1", "1.5", "0", "-0.05", "12"},
		[]string{store.HundredthsText(100), store.HundredthsText(150), store.HundredthsText(0), store.HundredthsText(-5),
			store.HundredthsText(1200)})
}

func TestCards(t *testing.T) {
	for number, kind := range map[string]string{
		"4242424242424242": "Visa", "5555555555554444": "MasterCard", "2223003122003222": "MasterCard",
		"378282246310005": "American Express", "6011111111111117": "Discover", "30569309025904": "Diners Club",
		"3530111333300000": "JCB", "6759649826438453": "Maestro",
	} {
		c, err := readCardNumber(number)
		require.NoError(t, err, number)
		assert.Equal(t, kind, c.kind, number)
		assert.Equal(t, number[len(number)-4:], c.lastFour)
	}
	c, err := readCardNumber(" 4242-4242 4242-4242 ")
	require.NoError(t, err)
	assert.Equal(t, cardDetails{kind: "Visa", lastFour: "4242"}, c)
	for _, bad := range []string{"4242424242424241", "4242", "42424242424242424242", "4242x42424242424", "٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢"} {
		_, err := readCardNumber(bad)
		assert.Error(t, err, bad)
	}
	_, err = readCardNumber("  ")
	assert.ErrorIs(t, err, errNoCardNumber)

	for in, want := range map[string]string{"0125": "01/25", "01/25": "01/25", "012025": "01/25", "": ""} {
		got, ok := cardMonth(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"1325", "0025", "125", "01-2", "abcd"} {
		_, ok := cardMonth(bad)
		assert.False(t, ok, bad)
	}
	now := time.Date(2016, 11, 18, 0, 0, 0, 0, time.UTC)
	assert.False(t, cardExpired("11/16", now), "good to the end of its month")
	assert.True(t, cardExpired("10/16", now))
	assert.False(t, cardExpired("", now))
}

func TestRenewalDates(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2016-01-31", 1, "2016-02-29"}, {"2016-01-31", 2, "2016-03-31"}, {"2016-11-28", 1, "2016-12-28"},
		{"2016-12-31", 12, "2017-12-31"}, {"2016-02-29", 12, "2017-02-28"}, {"2016-08-31", 3, "2016-11-30"},
	} {
		assert.Equal(t, c.want, addMonths(day(c.from), c.months).Format(time.DateOnly), "%+v", c)
	}
	for _, c := range []struct {
		units int64
		cycle string
		want  string
	}{{2, "Days", "2016-11-20"}, {1, "Weeks", "2016-11-25"}, {1, "Months", "2016-12-18"}, {2, "Years", "2018-11-18"}} {
		got, ok := recurNext("2016-11-18", c.units, c.cycle)
		assert.True(t, ok)
		assert.Equal(t, c.want, got, "%+v", c)
	}
	for _, c := range []struct {
		units int64
		cycle string
	}{{0, "Days"}, {1, "Fortnights"}, {5000, "Years"}} {
		_, ok := recurNext("2016-11-18", c.units, c.cycle)
		assert.False(t, ok, "%+v", c)
	}
	assert.Equal(t, "28/11/2016", shownDay("2016-11-28", "DD/MM/YYYY"))
	assert.Equal(t, "11/28/2016", shownDay("2016-11-28", "MM/DD/YYYY"))
	assert.Equal(t, "2016-11-28", shownDay("2016-11-28", "YYYY-MM-DD"))
	assert.Equal(t, []int64{1, 2, 3}, genIDs([]string{"1,2", "0", "x", "3abc"}))
}

// Serialized parameters are base64 as PHP's base64_decode reads it: line
// breaks (chunk_split's) and missing padding are fine.
func TestSerializedParamsReadPHPBase64(t *testing.T) {
	serialized := `a:1:{i:0;a:2:{s:4:"desc";s:6:"Widget";s:3:"qty";s:1:"2";}}`
	plain := base64.StdEncoding.EncodeToString([]byte(serialized))
	wrapped := plain[:20] + "\r\n" + strings.TrimRight(plain[20:], "=")
	want, err := quoteLines(url.Values{"lineitems": {plain}})
	require.NoError(t, err)
	require.Len(t, want, 1)
	got, err := quoteLines(url.Values{"lineitems": {wrapped}})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
