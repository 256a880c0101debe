package store

import (
	"errors"
	"math"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for _, c := range []struct {
		in    string
		cents int64
		err   error
		out   string
	}{
		{"15.95", 1595, nil, "15.95"},
		{"15", 1500, nil, "15.00"},
		{"-10", -1000, nil, "-10.00"},
		{"0.005", 1, nil, "0.01"},
		{"-0.005", -1, nil, "-0.01"},
		{"0.0049", 0, nil, "0.00"},
		{"1.005", 101, nil, "1.01"}, // exact: a float reads 1.00499…
		{" 1e2", 10000, nil, "100.00"},
		{"1.5E1", 1500, nil, "15.00"},
		{"+.5", 50, nil, "0.50"},
		{"5.", 500, nil, "5.00"},
		{"-0.05", -5, nil, "-0.05"},
		{"0e99999999999999999999", 0, nil, "0.00"},
		{"1e-99999999999999999999", 0, nil, "0.00"},
		{"99999999999999.99", MaxCents, nil, "99999999999999.99"}, // a float reads …99.98
		{"-99999999999999.99", -MaxCents, nil, "-99999999999999.99"},
		{"99999999999999.994", MaxCents, nil, "99999999999999.99"},
		{"0099999999999999.99", MaxCents, nil, "99999999999999.99"},
		{"99999999999999.995", 0, ErrMoneyRange, "0.00"},
		{"100000000000000", 0, ErrMoneyRange, "0.00"},
		{"1e14", 0, ErrMoneyRange, "0.00"},
		{"1e300", 0, ErrMoneyRange, "0.00"},
		{"1e99999999999999999999", 0, ErrMoneyRange, "0.00"},
		{"-99999999999999999999999", 0, ErrMoneyRange, "0.00"},
		{"abc", 0, ErrNotMoney, "0.00"},
		{"", 0, ErrNotMoney, "0.00"},
		{".", 0, ErrNotMoney, "0.00"},
		{"1e", 0, ErrNotMoney, "0.00"},
		{"12abc", 0, ErrNotMoney, "0.00"},
		{"NaN", 0, ErrNotMoney, "0.00"},
		{"Inf", 0, ErrNotMoney, "0.00"},
		{"0x10", 0, ErrNotMoney, "0.00"},
	} {
		cents, err := ParseMoney(c.in)
		if cents != c.cents || !errors.Is(err, c.err) || FormatMoney(cents) != c.out {
			t.Errorf("ParseMoney(%q) = %d, %v (%s); want %d, %v (%s)", c.in, cents, err, FormatMoney(cents), c.cents, c.err, c.out)
		}
	}
}

func TestFormatMoneyExtremes(t *testing.T) {
	if got := FormatMoney(math.MinInt64); got != "-92233720368547758.08" {
		t.Errorf("FormatMoney(MinInt64) = %s", got)
	}
	if got := FormatMoney(math.MaxInt64); got != "92233720368547758.07" {
		t.Errorf("FormatMoney(MaxInt64) = %s", got)
	}
}

// AddMoney refuses a sum a decimal(16,2) column cannot hold, and never
// wraps round int64, however many terms it is given; terms that cancel
// out on the way are fine.
func TestAddMoney(t *testing.T) {
	if sum, err := AddMoney(999999999999999, 999999999999999, 500); sum != 1999999999999998+500 || err != nil {
		t.Errorf("two large credits and 5.00 = %d, %v", sum, err)
	}
	if _, err := AddMoney(MaxCents, 1); !errors.Is(err, ErrMoneyRange) {
		t.Errorf("MaxCents + 1: %v, want ErrMoneyRange", err)
	}
	if _, err := AddMoney(-MaxCents, -1); !errors.Is(err, ErrMoneyRange) {
		t.Errorf("-MaxCents - 1: %v, want ErrMoneyRange", err)
	}
	if sum, err := AddMoney(MaxCents, MaxCents, -MaxCents); sum != MaxCents || err != nil {
		t.Errorf("max + max - max = %d, %v", sum, err)
	}
	if _, err := AddMoney(MaxCents + 1); !errors.Is(err, ErrMoneyRange) {
		t.Errorf("a term past MaxCents: %v, want ErrMoneyRange", err)
	}
	many := make([]int64, 2000) // 2000 × MaxCents is past int64
	for i := range many {
		many[i] = MaxCents
	}
	if sum, err := AddMoney(many...); !errors.Is(err, ErrMoneyRange) {
		t.Errorf("2000 × MaxCents = %d, %v; want ErrMoneyRange", sum, err)
	}
	if sum, err := AddMoney(); sum != 0 || err != nil {
		t.Errorf("no terms = %d, %v", sum, err)
	}
}
