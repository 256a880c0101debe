package actions

import "testing"

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		in    string
		cents int64
		ok    bool
		out   string
	}{
		{"15.95", 1595, true, "15.95"},
		{"15", 1500, true, "15.00"},
		{"-10", -1000, true, "-10.00"},
		{"0.005", 1, true, "0.01"},
		{" 1e2", 10000, true, "100.00"},
		{"-0.05", -5, true, "-0.05"},
		{"abc", 0, false, "0.00"},
		{"", 0, false, "0.00"},
		{"1e300", 0, false, "0.00"},
		{"NaN", 0, false, "0.00"},
	} {
		cents, ok := ParseMoney(c.in)
		if cents != c.cents || ok != c.ok || FormatMoney(cents) != c.out {
			t.Errorf("ParseMoney(%q) = %d, %v (%s); want %d, %v (%s)", c.in, cents, ok, FormatMoney(cents), c.cents, c.ok, c.out)
		}
	}
}
