package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOCIVerifySignaturesFlag: on by default; the flag and the
// environment turn it off, the flag winning.
func TestOCIVerifySignaturesFlag(t *testing.T) {
	tests := []struct {
		env  string
		args []string
		want bool
	}{
		{"", nil, true},
		{"false", nil, false},
		{"", []string{"--oci-verify-signatures=false"}, false},
		{"false", []string{"--oci-verify-signatures=true"}, true},
		{"0", []string{"--oci-verify-signatures"}, true},
	}
	for _, tt := range tests {
		m := &Main{Getenv: func(k string) string {
			if k == "WHMCSEMU_OCI_VERIFY_SIGNATURES" {
				return tt.env
			}
			return ""
		}}
		fs, c := m.flags("serve")
		require.NoError(t, fs.Parse(tt.args))
		require.NoError(t, c.envErr)
		assert.Equal(t, tt.want, c.ociVerifySignatures, "env %q, args %v", tt.env, tt.args)
	}
	m := &Main{Getenv: func(k string) string {
		if k == "WHMCSEMU_OCI_VERIFY_SIGNATURES" {
			return "maybe"
		}
		return ""
	}}
	_, c := m.flags("serve")
	assert.ErrorContains(t, c.envErr, "WHMCSEMU_OCI_VERIFY_SIGNATURES")
}
