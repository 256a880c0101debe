package actions

import (
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// formatCurrency shows cents as WHMCS's formatCurrency does: the
// currency's prefix, the amount in its number format (1: 1234.56, 2:
// 1,234.56, 3: 1.234,56, 4: 1,235) and its suffix.
func formatCurrency(c store.Currency, cents int64) string {
	plain := store.FormatMoney(cents)
	sign := ""
	if strings.HasPrefix(plain, "-") {
		sign, plain = "-", plain[1:]
	}
	whole, frac, _ := strings.Cut(plain, ".")
	group := func(sep string) string {
		var b strings.Builder
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(d)
		}
		return b.String()
	}
	var amount string
	switch c.Format {
	case 2:
		amount = group(",") + "." + frac
	case 3:
		amount = group(".") + "," + frac
	case 4:
		rounded := cents
		if rounded < 0 {
			rounded = -rounded
		}
		whole = strconv.FormatInt((rounded+50)/100, 10)
		amount = group(",")
	default:
		amount = whole + "." + frac
	}
	return c.Prefix + sign + amount + c.Suffix
}
