// Package ocisdk is the acceptance test of whmcsemu's OCI IAM dialect: the
// official OCI Go SDK, its identity client pointed at the real whmcsemu
// binary (built from the repository, serving on a free port) and signing
// with the key the fixture gives a user, creates, lists, updates and deletes
// OAuth 2.0 client credentials and users and uploads keys; golang.org/x/oauth2/clientcredentials gets tokens with the
// credentials (token_test.go). A module of its own, so that the main
// module does not depend on the SDK:
//
//	cd testdata/oci-sdk && go test ./...
package ocisdk

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/whmcsemu/whmcsemu/testdata/emulatortest"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/identity"
)

// From ../fixtures/oci.json: ci-admin's key is testdata/oci_api_key.pem.
const (
	tenancy     = "ocid1.tenancy.oc1..aaaaaaaawhmcsemudemotenancy000000000000000000000000000000"
	admin       = "ocid1.user.oc1..aaaaaaaawhmcsemudemoadmin00000000000000000000000000000000000"
	app         = "ocid1.user.oc1..aaaaaaaawhmcsemudemoapp0000000000000000000000000000000000000"
	fingerprint = "5d:94:59:43:f5:70:df:15:c6:6a:3f:6c:a1:9b:85:e3"
)

func TestMain(m *testing.M) { emulatortest.Main(m) }

// newEmulator starts the whmcsemu binary (signatures verified, the
// default) on a free port and a new database with the OCI fixture, stops
// it when the test ends, and returns its URL.
func newEmulator(t *testing.T) string {
	t.Helper()
	return emulatortest.Start(t, "--fixtures", filepath.Join("..", "fixtures", "oci.json")).URL
}

// newClient is an identity client at url signing as keyID's user with
// the PEM private key.
func newClient(t *testing.T, url, user, fp, privateKey string) identity.IdentityClient {
	t.Helper()
	provider := common.NewRawConfigurationProvider(tenancy, user, "us-ashburn-1", fp, privateKey, nil)
	client, err := identity.NewIdentityClientWithConfigurationProvider(provider)
	must(t, err)
	client.Host = url
	return client
}

// adminKey is ci-admin's private key (PEM).
func adminKey(t *testing.T) string {
	t.Helper()
	key, err := os.ReadFile(filepath.Join("testdata", "oci_api_key.pem"))
	must(t, err)
	return string(key)
}

var noRetry = common.NoRetryPolicy()

// serviceError checks err is an OCI service error with status and code.
func serviceError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se common.ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("want a %d %s service error, got %v", status, code, err)
	}
	if se.GetHTTPStatusCode() != status || se.GetCode() != code {
		t.Fatalf("want %d %s, got %d %s: %s", status, code, se.GetHTTPStatusCode(), se.GetCode(), se.GetMessage())
	}
	if se.GetOpcRequestID() == "" {
		t.Errorf("the error has no opc-request-id")
	}
}

func TestSDK(t *testing.T) {
	ctx := context.Background()
	url := newEmulator(t)
	client := newClient(t, url, admin, fingerprint, adminKey(t))

	// Create.
	details := identity.CreateOAuth2ClientCredentialDetails{
		Name:        common.String("ci"),
		Description: common.String("for CI"),
		Scopes: []identity.FullyQualifiedScope{
			{Audience: common.String("https://analytics.example.oraclecloud.com"), Scope: common.String("urn:opc:resource:consumer::all")},
		},
	}
	created, err := client.CreateOAuthClientCredential(ctx, identity.CreateOAuthClientCredentialRequest{
		UserId: common.String(app), CreateOAuth2ClientCredentialDetails: details, OpcRetryToken: common.String("ci-1"),
	})
	must(t, err)
	c := created.OAuth2ClientCredential
	t.Logf("created %s (%s), etag %s, password of %d characters, opc-request-id %s", *c.Id, c.LifecycleState,
		*created.Etag, len(*c.Password), *created.OpcRequestId)
	if c.Password == nil || *c.Password == "" || created.Etag == nil || c.LifecycleState != identity.OAuth2ClientCredentialLifecycleStateActive ||
		*c.UserId != app || *c.CompartmentId != tenancy || len(c.Scopes) != 1 || c.TimeCreated == nil || c.ExpiresOn != nil {
		t.Fatalf("create answered %s", c)
	}

	// The same request under the same retry token: the same credential.
	again, err := client.CreateOAuthClientCredential(ctx, identity.CreateOAuthClientCredentialRequest{
		UserId: common.String(app), CreateOAuth2ClientCredentialDetails: details, OpcRetryToken: common.String("ci-1"),
	})
	must(t, err)
	if *again.Id != *c.Id || *again.Password != *c.Password {
		t.Fatalf("the retry created %s, not %s again", *again.Id, *c.Id)
	}

	// List, a page of one at a time: the fixture's credential and ours.
	var ids []string
	var page *string
	for {
		res, err := client.ListOAuthClientCredentials(ctx, identity.ListOAuthClientCredentialsRequest{
			UserId: common.String(app), Limit: common.Int(1), Page: page,
			LifecycleState: identity.OAuth2ClientCredentialSummaryLifecycleStateActive,
		})
		must(t, err)
		for _, s := range res.Items {
			ids = append(ids, *s.Id)
		}
		if page = res.OpcNextPage; page == nil {
			break
		}
	}
	t.Logf("listed %v", ids)
	if len(ids) != 2 || ids[1] != *c.Id {
		t.Fatalf("listed %v, want the fixture's credential then %s", ids, *c.Id)
	}

	// Update with a matching If-Match, resetting the password.
	update := identity.UpdateOAuth2ClientCredentialDetails{
		Description: common.String("for CI, rotated"),
		Scopes: []identity.FullyQualifiedScope{
			{Audience: common.String("a"), Scope: common.String("s1")}, {Audience: common.String("a"), Scope: common.String("s2")},
		},
		IsResetPassword: common.Bool(true),
	}
	updated, err := client.UpdateOAuthClientCredential(ctx, identity.UpdateOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, UpdateOAuth2ClientCredentialDetails: update,
		IfMatch: created.Etag,
	})
	must(t, err)
	t.Logf("updated with If-Match %s: etag now %s, description %q, %d scopes", *created.Etag, *updated.Etag,
		*updated.Description, len(updated.Scopes))
	if *updated.Etag == *created.Etag || *updated.Description != "for CI, rotated" || len(updated.Scopes) != 2 ||
		updated.Password == nil || *updated.Password == *c.Password || *updated.Name != "ci" {
		t.Fatalf("update answered %s", updated.OAuth2ClientCredential)
	}

	// Update with the old etag: 412 NoEtagMatch.
	_, err = client.UpdateOAuthClientCredential(ctx, identity.UpdateOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, UpdateOAuth2ClientCredentialDetails: update,
		IfMatch: created.Etag, RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry},
	})
	serviceError(t, err, http.StatusPreconditionFailed, "NoEtagMatch")
	t.Logf("update with the stale If-Match refused: %v", err)

	// Without If-Match: no check; no password unless asked.
	update.IsResetPassword = nil
	plain, err := client.UpdateOAuthClientCredential(ctx, identity.UpdateOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, UpdateOAuth2ClientCredentialDetails: update,
	})
	must(t, err)
	if plain.Password != nil {
		t.Fatalf("an update without isResetPassword showed a password")
	}

	// Delete with the old etag: 412; with the current one: done; again: 404.
	_, err = client.DeleteOAuthClientCredential(ctx, identity.DeleteOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, IfMatch: updated.Etag,
		RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry},
	})
	serviceError(t, err, http.StatusPreconditionFailed, "NoEtagMatch")
	deleted, err := client.DeleteOAuthClientCredential(ctx, identity.DeleteOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, IfMatch: plain.Etag,
	})
	must(t, err)
	t.Logf("deleted: HTTP %d", deleted.RawResponse.StatusCode)
	_, err = client.DeleteOAuthClientCredential(ctx, identity.DeleteOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: c.Id, RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry},
	})
	serviceError(t, err, http.StatusNotFound, "NotAuthorizedOrNotFound")

	// More than 10 scopes: 400.
	many := details
	for range 10 {
		many.Scopes = append(many.Scopes, details.Scopes[0])
	}
	_, err = client.CreateOAuthClientCredential(ctx, identity.CreateOAuthClientCredentialRequest{
		UserId: common.String(app), CreateOAuth2ClientCredentialDetails: many,
		RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry},
	})
	serviceError(t, err, http.StatusBadRequest, "InvalidParameter")
}

// TestSDKWrongKey: a key the user does not have is refused, whether it
// claims the user's fingerprint or its own.
func TestSDKWrongKey(t *testing.T) {
	ctx := context.Background()
	url := newEmulator(t)
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	other := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	for _, fp := range []string{fingerprint, "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff"} {
		client := newClient(t, url, admin, fp, other)
		_, err := client.ListOAuthClientCredentials(ctx, identity.ListOAuthClientCredentialsRequest{
			UserId: common.String(app), RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry},
		})
		serviceError(t, err, http.StatusUnauthorized, "NotAuthenticated")
		t.Logf("wrong key claiming %s refused: %v", fp, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
