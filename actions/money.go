package actions

import (
	"math"
	"strconv"
	"strings"
)

// Money in whmcsemu is kept in integer cents so that sums are exact, and
// shown as WHMCS shows its decimal(16,2) columns: "15.95", "-10.00".

// ParseMoney reads an amount as PHP would take a numeric parameter
// ("15.95", "15", " 1e2", "-10") and rounds it to cents. ok is false for
// text that is not a number, or too large to be an amount.
func ParseMoney(s string) (cents int64, ok bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
		return 0, false
	}
	return int64(math.Round(f * 100)), true
}

// FormatMoney shows cents as WHMCS shows an amount: two decimals, a minus
// sign for negatives, no thousands separator.
func FormatMoney(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	frac := strconv.FormatInt(cents%100, 10)
	if len(frac) < 2 {
		frac = "0" + frac
	}
	return sign + strconv.FormatInt(cents/100, 10) + "." + frac
}
