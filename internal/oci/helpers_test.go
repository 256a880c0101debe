package oci

import (
	"bytes"
	"context"
	"crypto"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

const (
	tenancy = "ocid1.tenancy.oc1..aaaaaaaatenancy"
	alice   = "ocid1.user.oc1..aaaaaaaaalice"
	bob     = "ocid1.user.oc1..aaaaaaaabob"
)

// testStart is the fixed clock's start.
var testStart = time.Date(2026, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

var (
	keysOnce sync.Once
	keyA     *rsa.PrivateKey // alice's
	keyB     *rsa.PrivateKey // nobody's
)

func testKeys(t *testing.T) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		keyA, err = rsa.GenerateKey(cryptorand.Reader, 2048)
		if err == nil {
			keyB, err = rsa.GenerateKey(cryptorand.Reader, 2048)
		}
		if err != nil {
			panic(err)
		}
	})
}

func publicPEM(t *testing.T, k *rsa.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

type testEnv struct {
	db  *store.DB
	h   *Handler
	now atomic.Int64 // Unix milliseconds
	fpA string       // alice's key fingerprint
}

func newTestEnv(t *testing.T, opts Options) *testEnv {
	t.Helper()
	testKeys(t)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "oci.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	te := &testEnv{db: db}
	te.now.Store(testStart.UnixMilli())
	opts.Clock = func() time.Time { return time.UnixMilli(te.now.Load()).UTC() }
	opts.Random = rand.NewChaCha8([32]byte{'o', 'c', 'i'})
	opts.Logger = slog.New(slog.DiscardHandler)
	te.h = New(db, opts)
	pemA := publicPEM(t, keyA)
	_, te.fpA, err = ParsePublicKey(pemA)
	require.NoError(t, err)
	require.NoError(t, db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutOCIUser(ctx, store.OCIUser{ID: alice, TenancyID: tenancy, Name: "alice",
			Keys: []store.OCIAPIKey{{Fingerprint: te.fpA, PEM: pemA}}}); err != nil {
			return err
		}
		return tx.PutOCIUser(ctx, store.OCIUser{ID: bob, TenancyID: tenancy, Name: "bob"})
	}))
	return te
}

func (te *testEnv) advance(d time.Duration) { te.now.Add(d.Milliseconds()) }

// request makes a request as the OCI SDKs send it (Date, Host, and for a
// body Content-Type, Content-Length, x-content-sha256), unsigned.
func (te *testEnv) request(method, target, body string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, "http://identity.example"+target, strings.NewReader(body))
	r.Header.Set("Date", time.UnixMilli(te.now.Load()).UTC().Format(http.TimeFormat))
	if method == http.MethodPost || method == http.MethodPut {
		sum := sha256.Sum256([]byte(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		r.Header.Set("x-content-sha256", base64.StdEncoding.EncodeToString(sum[:]))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// sign signs r with key under keyID over the SDKs' headers.
func sign(t *testing.T, r *http.Request, keyID string, key *rsa.PrivateKey) {
	t.Helper()
	names := []string{"date", "(request-target)", "host"}
	if r.Header.Get("Date") == "" {
		names[0] = "x-date" // as browsers, which cannot set Date, sign
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		names = append(names, "content-length", "content-type", "x-content-sha256")
	}
	lines := make([]string, len(names))
	for i, n := range names {
		v, ok := headerValue(r, n)
		require.True(t, ok, n)
		lines[i] = n + ": " + v
	}
	digest := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	require.NoError(t, err)
	r.Header.Set("Authorization", `Signature version="1",headers="`+strings.Join(names, " ")+`",keyId="`+keyID+
		`",algorithm="rsa-sha256",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
}

func (te *testEnv) keyID() string { return tenancy + "/" + alice + "/" + te.fpA }

// serve sends r through the handler.
func (te *testEnv) serve(t *testing.T, r *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	te.h.ServeHTTP(w, r)
	res := w.Result()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NotEmpty(t, res.Header.Get("opc-request-id"), "every answer has an opc-request-id")
	return res, string(b)
}

// do sends a request signed with alice's key.
func (te *testEnv) do(t *testing.T, method, target, body string, headers ...string) (*http.Response, string) {
	t.Helper()
	r := te.request(method, target, body, headers...)
	sign(t, r, te.keyID(), keyA)
	return te.serve(t, r)
}

// ociError decodes an error body and checks its status and code.
func ociError(t *testing.T, res *http.Response, body string, status int, code string) string {
	t.Helper()
	require.Equal(t, status, res.StatusCode, body)
	var e Error
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&e), body)
	require.Equal(t, code, e.Code, body)
	require.NotEmpty(t, e.Message)
	return e.Message
}

func decodeCredential(t *testing.T, body string) Credential {
	t.Helper()
	var c Credential
	require.NoError(t, json.Unmarshal([]byte(body), &c), body)
	return c
}

const credsPath = "/20160918/users/" + alice + "/oauth2ClientCredentials"

const createBody = `{"name":"ci","description":"for CI","scopes":[{"audience":"urn:opc:idm:__myscopes__","scope":"urn:opc:resource:consumer::all"}]}`

func hashSecretForTest(s string) (string, error) { return auth.HashSecret(s) }
