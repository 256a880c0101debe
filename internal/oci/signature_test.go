package oci

import (
	"crypto/md5"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFingerprint(t *testing.T) {
	testKeys(t)
	der, err := x509.MarshalPKIXPublicKey(&keyA.PublicKey)
	require.NoError(t, err)
	sum := md5.Sum(der)
	want := make([]string, 16)
	for i, b := range sum {
		want[i] = fmt.Sprintf("%02x", b)
	}
	_, fp, err := ParsePublicKey(publicPEM(t, keyA))
	require.NoError(t, err)
	assert.Equal(t, strings.Join(want, ":"), fp)
	assert.Len(t, fp, 47)

	for _, bad := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		publicPEM(t, keyA) + publicPEM(t, keyB)} {
		_, _, err := ParsePublicKey(bad)
		assert.Error(t, err, bad)
	}
}

func TestSignatureRefusals(t *testing.T) {
	te := newTestEnv(t, Options{VerifySignatures: true})
	good := func(method, body string) *http.Request {
		r := te.request(method, credsPath, body)
		sign(t, r, te.keyID(), keyA)
		return r
	}
	tests := []struct {
		name   string
		make   func() *http.Request
		reason string
	}{
		{"unsigned", func() *http.Request { return te.request("GET", credsPath, "") }, "no Authorization header"},
		{"basic scheme", func() *http.Request {
			return te.request("GET", credsPath, "", "Authorization", "Basic YTpi")
		}, "not of the Signature scheme"},
		{"wrong key", func() *http.Request {
			r := te.request("GET", credsPath, "")
			sign(t, r, te.keyID(), keyB)
			return r
		}, "does not verify"},
		{"unknown fingerprint", func() *http.Request {
			r := te.request("GET", credsPath, "")
			sign(t, r, tenancy+"/"+alice+"/00:11", keyA)
			return r
		}, "no API key with fingerprint"},
		{"user without keys", func() *http.Request {
			r := te.request("GET", credsPath, "")
			sign(t, r, tenancy+"/"+bob+"/"+te.fpA, keyA)
			return r
		}, "no API key"},
		{"other tenancy", func() *http.Request {
			r := te.request("GET", credsPath, "")
			sign(t, r, "ocid1.tenancy.oc1..other/"+alice+"/"+te.fpA, keyA)
			return r
		}, "no user"},
		{"malformed keyId", func() *http.Request {
			r := te.request("GET", credsPath, "")
			sign(t, r, alice+"/"+te.fpA, keyA)
			return r
		}, "keyId"},
		{"tampered body", func() *http.Request {
			r := good("POST", createBody)
			r.Body = readCloser(strings.Replace(createBody, "ci", "xx", 1))
			return r
		}, "x-content-sha256"},
		{"tampered hash", func() *http.Request {
			r := te.request("POST", credsPath, createBody, "x-content-sha256", "AAAA")
			sign(t, r, te.keyID(), keyA)
			return r
		}, "x-content-sha256"},
		{"other path", func() *http.Request {
			r := good("GET", "")
			r.RequestURI = credsPath + "?limit=1"
			r.URL.RawQuery = "limit=1"
			return r
		}, "does not verify"},
		{"body headers unsigned", func() *http.Request {
			r := good("POST", createBody)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), " x-content-sha256", "", 1))
			return r
		}, "do not include x-content-sha256"},
		{"no date signed", func() *http.Request {
			r := good("GET", "")
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), `headers="date `, `headers="`, 1))
			return r
		}, "neither date nor x-date"},
		{"other algorithm", func() *http.Request {
			r := good("GET", "")
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "rsa-sha256", "hmac-sha256", 1))
			return r
		}, "algorithm"},
		{"malformed parameters", func() *http.Request {
			return te.request("GET", credsPath, "", "Authorization", `Signature keyId="a`)
		}, "malformed"},
		{"stale date", func() *http.Request {
			r := te.request("GET", credsPath, "", "Date", testStart.Add(-6*time.Minute).Format(http.TimeFormat))
			sign(t, r, te.keyID(), keyA)
			return r
		}, "more than 5m0s from the emulator's clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := te.serve(t, tt.make())
			msg := ociError(t, res, body, http.StatusUnauthorized, CodeNotAuthenticated)
			assert.Contains(t, msg, notAuthenticated)
			assert.Contains(t, msg, tt.reason)
		})
	}

	// Within the allowed skew, and with x-date instead of date, it works.
	r := te.request("GET", credsPath, "", "Date", testStart.Add(4*time.Minute).Format(http.TimeFormat))
	sign(t, r, te.keyID(), keyA)
	res, body := te.serve(t, r)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	r = te.request("GET", credsPath, "", "x-date", testStart.Format(http.TimeFormat))
	r.Header.Del("Date")
	sign(t, r, te.keyID(), keyA)
	res, body = te.serve(t, r)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
}

func readCloser(s string) *nopCloser { return &nopCloser{strings.NewReader(s)} }

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }
