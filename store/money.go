package store

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Money in whmcsemu is kept in integer cents, so that sums are exact, and
// shown as WHMCS shows its MySQL decimal(16,2) columns: "15.95", "-10.00".
// Those columns hold at most 99999999999999.99 either way; an amount
// outside that, or a total or balance that adds up to more, is refused
// with ErrMoneyRange before anything is written, as MySQL (in strict mode)
// refuses to store it. Every amount a request or fixture gives goes
// through ParseMoney, and every sum of amounts through AddMoney, so no
// int64 ever wraps round and no too-large value reaches a column.

// MaxCents is the largest amount, in cents, a decimal(16,2) column holds.
const MaxCents int64 = 9_999_999_999_999_999

// ErrMoneyRange means an amount, or a total or balance it adds to, does
// not fit WHMCS's decimal(16,2) money columns. Its text is what a caller
// sees (the actions and the fixture loader show it as it is), so that
// every place that refuses money says the same.
var ErrMoneyRange = errors.New("Amount out of range: amounts, and the totals and balances they add up to, " +
	"must be between -99999999999999.99 and 99999999999999.99")

// ErrNotMoney means a text is not a number at all.
var ErrNotMoney = errors.New("store: not a decimal amount")

// ParseMoney reads an amount as PHP takes a numeric string ("15.95",
// "15", " 1e2", "-10", ".5") and rounds it to cents, half away from zero,
// as MySQL rounds a value into decimal(16,2). The decimal digits are read
// exactly, not through a float, so 99999999999999.99 stays itself. It
// answers ErrNotMoney for text that is not a number and ErrMoneyRange for
// a number outside decimal(16,2).
func ParseMoney(s string) (int64, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg, t = t[0] == '-', t[1:]
	}
	mantissa, exponent := t, 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		mantissa = t[:i]
		e, ok := moneyExponent(t[i+1:])
		if !ok {
			return 0, ErrNotMoney
		}
		exponent = e
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, ErrNotMoney
	}
	// The amount is digits × 10^shift cents.
	digits := strings.TrimLeft(whole+frac, "0")
	shift := exponent - len(frac) + 2
	if digits == "" {
		return 0, nil
	}
	keep := len(digits) + shift // digits left of the cents' decimal point
	if keep > 16 {
		return 0, ErrMoneyRange
	}
	var cents int64
	if keep > 0 {
		kept := digits[:min(keep, len(digits))] + strings.Repeat("0", max(shift, 0))
		cents, _ = strconv.ParseInt(kept, 10, 64) // at most 16 digits: it fits
	}
	if keep >= 0 && keep < len(digits) && digits[keep] >= '5' {
		cents++
	}
	if cents > MaxCents {
		return 0, ErrMoneyRange
	}
	if neg {
		cents = -cents
	}
	return cents, nil
}

// moneyExponent reads an exponent's digits (with an optional sign). One
// past ±10000 is capped there: any amount with such an exponent is either
// out of range or 0, and a cap keeps "1e99999999999999" cheap.
func moneyExponent(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" || !allDigits(s) {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	e := 10000
	if len(s) < 5 {
		e, _ = strconv.Atoi("0" + s)
	}
	if neg {
		e = -e
	}
	return e, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatMoney shows cents as WHMCS shows an amount: two decimals, a minus
// sign for negatives, no thousands separator.
func FormatMoney(cents int64) string {
	sign := ""
	u := uint64(cents)
	if cents < 0 {
		sign, u = "-", uint64(-(cents+1))+1 // math.MinInt64 has no positive int64
	}
	frac := strconv.FormatUint(u%100, 10)
	if len(frac) < 2 {
		frac = "0" + frac
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + frac
}

// CheckMoney answers ErrMoneyRange when any of the amounts (cents) does
// not fit decimal(16,2).
func CheckMoney(cents ...int64) error {
	for _, c := range cents {
		if c > MaxCents || c < -MaxCents {
			return ErrMoneyRange
		}
	}
	return nil
}

// AddMoney adds amounts (cents) and answers ErrMoneyRange when a term or
// the sum does not fit decimal(16,2). Terms may cancel out on the way (a
// credit line against a charge): only the sum must fit, and since each
// term is at most MaxCents the running sum is stopped long before int64
// would wrap round.
func AddMoney(terms ...int64) (int64, error) {
	var sum int64
	for _, t := range terms {
		if err := CheckMoney(t); err != nil {
			return 0, err
		}
		sum += t
		if sum > math.MaxInt64-MaxCents || sum < math.MinInt64+MaxCents {
			return 0, ErrMoneyRange
		}
	}
	if err := CheckMoney(sum); err != nil {
		return 0, err
	}
	return sum, nil
}
