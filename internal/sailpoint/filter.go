package sailpoint

import (
	"fmt"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// parseFilters reads listOauthClients' filters parameter. The spec allows
// only lastUsed, with le (a date-time, quoted or not) and isnull;
// expressions may be joined with "and". An empty parameter filters
// nothing.
func parseFilters(s string) (store.SailPointFilter, error) {
	var f store.SailPointFilter
	words := strings.Fields(s)
	for len(words) > 0 {
		if len(words) < 2 || words[0] != "lastUsed" {
			return f, fmt.Errorf("Invalid filter %q: only lastUsed le <date-time> and lastUsed isnull are supported.", s)
		}
		switch strings.ToLower(words[1]) {
		case "isnull":
			f.LastUsedNull = true
			words = words[2:]
		case "le":
			if len(words) < 3 {
				return f, fmt.Errorf("Invalid filter %q: le needs a date-time such as 2023-02-05T10:59:27.214Z.", s)
			}
			t, err := time.Parse(time.RFC3339Nano, strings.Trim(words[2], `"`))
			if err != nil {
				return f, fmt.Errorf("Invalid filter %q: %q is not a date-time such as 2023-02-05T10:59:27.214Z.", s, words[2])
			}
			ms := t.UnixMilli()
			if f.LastUsedLE == nil || ms < *f.LastUsedLE {
				f.LastUsedLE = &ms
			}
			words = words[3:]
		default:
			return f, fmt.Errorf("Invalid filter %q: lastUsed supports only le and isnull, not %q.", s, words[1])
		}
		if len(words) > 0 {
			if len(words) < 2 || strings.ToLower(words[0]) != "and" {
				return f, fmt.Errorf("Invalid filter %q: join expressions with and.", s)
			}
			words = words[1:]
		}
	}
	return f, nil
}
