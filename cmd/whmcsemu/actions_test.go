package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
)

// TestDocsActionTableIsCurrent: the action table in docs/compatibility.md
// is what `whmcsemu actions --markdown` prints now.
func TestDocsActionTableIsCurrent(t *testing.T) {
	doc, err := os.ReadFile("../../docs/compatibility.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "<!-- actions:begin -->\n")
	require.True(t, ok, "docs/compatibility.md has no <!-- actions:begin --> marker")
	table, _, ok := strings.Cut(rest, "<!-- actions:end -->")
	require.True(t, ok, "docs/compatibility.md has no <!-- actions:end --> marker")

	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	require.Equal(t, 0, m.Run(t.Context(), []string{"actions", "--markdown"}))
	assert.Equal(t, out.String(), table, "regenerate it: go run ./cmd/whmcsemu actions --markdown, and paste it between the markers in docs/compatibility.md")
}

func TestActionsList(t *testing.T) {
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	require.Equal(t, 0, m.Run(t.Context(), []string{"actions"}))
	assert.Regexp(t, `Authentication\s+UpdateOAuthCredential\s+emulated`, out.String())
	assert.Regexp(t, `Billing\s+GenInvoices\s+emulated`, out.String())
	assert.Equal(t, 162+1, strings.Count(out.String(), "\n")-2, "a header, 162 actions, a blank line and the count")
	emulated := 0
	for _, e := range actions.Catalog() {
		if e.Emulated {
			emulated++
		}
	}
	assert.GreaterOrEqual(t, emulated, 6)
	assert.Contains(t, out.String(), fmt.Sprintf("%d of 162 documented actions emulated", emulated))
	assert.Equal(t, 2, m.Run(t.Context(), []string{"actions", "--bogus"}))
}
