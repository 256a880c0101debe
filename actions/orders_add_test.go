package actions

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPositional(t *testing.T) {
	for _, c := range []struct {
		name   string
		params url.Values
		list   []string
		want   []string
	}{
		{"no indexes", url.Values{"a": {"x", "y"}}, []string{"x", "y"}, []string{"x", "y"}},
		{"contiguous", url.Values{"a": {"x", "y"}, "a[0]": {"x"}, "a[1]": {"y"}}, []string{"x", "y"}, []string{"x", "y"}},
		{"an empty first (dropped)", url.Values{"a": {"y"}, "a[1]": {"y"}}, []string{"y"}, []string{"", "y"}},
		{"sparse", url.Values{"a": {"x", "z"}, "a[0]": {"x"}, "a[3]": {"z"}}, []string{"x", "z"}, []string{"x", "", "", "z"}},
		{"mixed forms: as it came", url.Values{"a": {"x", "y"}, "a[5]": {"y"}}, []string{"x", "y"}, []string{"x", "y"}},
		{"index too large: as it came", url.Values{"a": {"x"}, "a[999999999]": {"x"}}, []string{"x"}, []string{"x"}},
		{"other names ignored", url.Values{"ab[1]": {"x"}, "a": {"y"}}, []string{"y"}, []string{"y"}},
	} {
		assert.Equal(t, c.want, positional(c.params, "a", c.list), c.name)
	}
}
