package ocisdk

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/identity"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

const (
	audience = "https://analytics.example.oraclecloud.com"
	scope    = "urn:opc:resource:consumer::all"
)

// tokenConfig is how an application gets a token with a credential: the
// identity domain's token endpoint, the credential's OCID and password by
// HTTP Basic, its audience followed by its scope.
func tokenConfig(url, id, password string, scopes ...string) *clientcredentials.Config {
	return &clientcredentials.Config{ClientID: id, ClientSecret: password, TokenURL: url + "/oauth2/v1/token",
		Scopes: scopes, AuthStyle: oauth2.AuthStyleInHeader}
}

// accessClaims are what the test reads from an access token.
type accessClaims struct {
	jwt.Claims
	Scope    string `json:"scope"`
	ClientID string `json:"client_id"`
}

// verify checks the token's signature with the JWK set the emulator
// publishes and returns its claims.
func verify(t *testing.T, url, token string) accessClaims {
	t.Helper()
	res, err := http.Get(url + "/admin/v1/SigningCert/jwk")
	must(t, err)
	defer res.Body.Close()
	var set jose.JSONWebKeySet
	must(t, json.NewDecoder(res.Body).Decode(&set))
	parsed, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	must(t, err)
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("the token's kid %q is not in the published set", parsed.Headers[0].KeyID)
	}
	var c accessClaims
	must(t, parsed.Claims(keys[0].Key, &c))
	return c
}

// tokenRefused checks err is the token endpoint's status and OAuth error.
func tokenRefused(t *testing.T, err error, status int, code string) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("want a %d %s token error, got %v", status, code, err)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("want %d %s, got %d %s: %s", status, code, re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
}

// TestSDKToken: a credential the SDK creates gets tokens with
// golang.org/x/oauth2/clientcredentials, whose claims verify against the
// published keys; a wrong password, a pair it does not hold, the password
// from before a reset and a deleted credential are refused.
func TestSDKToken(t *testing.T) {
	ctx := context.Background()
	url := newEmulator(t)
	client := newClient(t, url, admin, fingerprint, adminKey(t))

	created, err := client.CreateOAuthClientCredential(ctx, identity.CreateOAuthClientCredentialRequest{
		UserId: common.String(app),
		CreateOAuth2ClientCredentialDetails: identity.CreateOAuth2ClientCredentialDetails{
			Name: common.String("token"), Description: common.String("gets tokens"),
			Scopes: []identity.FullyQualifiedScope{{Audience: common.String(audience), Scope: common.String(scope)}},
		},
	})
	must(t, err)
	id, password := *created.Id, *created.Password

	tok, err := tokenConfig(url, id, password, audience+scope).Token(ctx)
	must(t, err)
	if tok.TokenType != "Bearer" || tok.Expiry.IsZero() {
		t.Fatalf("token %+v", tok)
	}
	claims := verify(t, url, tok.AccessToken)
	t.Logf("token for %s: aud %v, scope %q, expires %s", claims.Subject, claims.Audience, claims.Scope, claims.Expiry.Time())
	if len(claims.Audience) != 1 || claims.Audience[0] != audience || claims.Scope != scope || claims.Subject != id ||
		claims.ClientID != id {
		t.Fatalf("claims %+v", claims)
	}

	_, err = tokenConfig(url, id, password+"x", audience+scope).Token(ctx)
	tokenRefused(t, err, http.StatusUnauthorized, "invalid_client")
	_, err = tokenConfig(url, id, password, audience+"urn:opc:resource:consumer::read").Token(ctx)
	tokenRefused(t, err, http.StatusBadRequest, "invalid_scope")
	t.Logf("wrong password and a pair not held refused")

	reset, err := client.UpdateOAuthClientCredential(ctx, identity.UpdateOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: common.String(id),
		UpdateOAuth2ClientCredentialDetails: identity.UpdateOAuth2ClientCredentialDetails{
			Description: common.String("reset"), IsResetPassword: common.Bool(true),
			Scopes: []identity.FullyQualifiedScope{{Audience: common.String(audience), Scope: common.String(scope)}},
		},
	})
	must(t, err)
	_, err = tokenConfig(url, id, password, audience+scope).Token(ctx)
	tokenRefused(t, err, http.StatusUnauthorized, "invalid_client")
	_, err = tokenConfig(url, id, *reset.Password, audience+scope).Token(ctx)
	must(t, err)
	t.Logf("after the reset the old password is refused and the new one works")

	_, err = client.DeleteOAuthClientCredential(ctx, identity.DeleteOAuthClientCredentialRequest{
		UserId: common.String(app), Oauth2ClientCredentialId: common.String(id),
	})
	must(t, err)
	_, err = tokenConfig(url, id, *reset.Password, audience+scope).Token(ctx)
	tokenRefused(t, err, http.StatusUnauthorized, "invalid_client")
	t.Logf("after the delete the credential is refused")
}

// TestSDKUser: a user the SDK creates, with a key it uploads, signs its
// own requests, manages its own credentials, and stops being able to once
// deleted.
func TestSDKUser(t *testing.T) {
	ctx := context.Background()
	url := newEmulator(t)
	client := newClient(t, url, admin, fingerprint, adminKey(t))

	created, err := client.CreateUser(ctx, identity.CreateUserRequest{CreateUserDetails: identity.CreateUserDetails{
		CompartmentId: common.String(tenancy), Name: common.String("sdk-user"), Description: common.String("made by the SDK"),
		Email: common.String("sdk-user@example.com"),
	}})
	must(t, err)
	user := created.User
	t.Logf("created user %s (%s), etag %s", *user.Id, user.LifecycleState, *created.Etag)
	if user.LifecycleState != identity.UserLifecycleStateActive || *user.CompartmentId != tenancy {
		t.Fatalf("create answered %s", user)
	}
	got, err := client.GetUser(ctx, identity.GetUserRequest{UserId: user.Id})
	must(t, err)
	if *got.Name != "sdk-user" || *got.Etag != *created.Etag {
		t.Fatalf("get answered %s", got.User)
	}
	listed, err := client.ListUsers(ctx, identity.ListUsersRequest{CompartmentId: common.String(tenancy), Limit: common.Int(10)})
	must(t, err)
	if len(listed.Items) != 3 {
		t.Fatalf("listed %d users, want the fixture's 2 and ours", len(listed.Items))
	}

	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	must(t, err)
	uploaded, err := client.UploadApiKey(ctx, identity.UploadApiKeyRequest{UserId: user.Id,
		CreateApiKeyDetails: identity.CreateApiKeyDetails{Key: common.String(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))}})
	must(t, err)
	t.Logf("uploaded key %s", *uploaded.KeyId)
	if *uploaded.KeyId != tenancy+"/"+*user.Id+"/"+*uploaded.Fingerprint || uploaded.LifecycleState != identity.ApiKeyLifecycleStateActive {
		t.Fatalf("upload answered %s", uploaded.ApiKey)
	}

	private := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	own := newClient(t, url, *user.Id, *uploaded.Fingerprint, private)
	self, err := own.GetUser(ctx, identity.GetUserRequest{UserId: user.Id})
	must(t, err)
	cred, err := own.CreateOAuthClientCredential(ctx, identity.CreateOAuthClientCredentialRequest{
		UserId: user.Id,
		CreateOAuth2ClientCredentialDetails: identity.CreateOAuth2ClientCredentialDetails{
			Name: common.String("own"), Description: common.String("its own"),
			Scopes: []identity.FullyQualifiedScope{{Audience: common.String(audience), Scope: common.String(scope)}},
		},
	})
	must(t, err)
	_, err = tokenConfig(url, *cred.Id, *cred.Password, audience+scope).Token(ctx)
	must(t, err)
	t.Logf("%s signed with its own key, made credential %s and got a token with it", *self.Name, *cred.Id)

	_, err = client.DeleteUser(ctx, identity.DeleteUserRequest{UserId: user.Id, IfMatch: created.Etag})
	must(t, err)
	_, err = own.GetUser(ctx, identity.GetUserRequest{UserId: user.Id, RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry}})
	serviceError(t, err, http.StatusUnauthorized, "NotAuthenticated")
	_, err = tokenConfig(url, *cred.Id, *cred.Password, audience+scope).Token(ctx)
	tokenRefused(t, err, http.StatusUnauthorized, "invalid_client")
	_, err = client.GetUser(ctx, identity.GetUserRequest{UserId: user.Id, RequestMetadata: common.RequestMetadata{RetryPolicy: &noRetry}})
	serviceError(t, err, http.StatusNotFound, "NotAuthorizedOrNotFound")
	t.Logf("deleted: its key and its credential no longer work")
}
