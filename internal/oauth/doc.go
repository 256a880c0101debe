// Package oauth serves WHMCS as an OpenID Connect provider, as WHMCS
// documents it under "OpenID Connect": WHMCS is the issuer at its System
// URL, its OAuth credentials (CreateOAuthCredential with the grant type
// authorization_code) are the relying parties, and the users of the
// fixture sign in. Paths are matched by suffix, like the API's, so a
// System URL with a folder (https://host/billing/) works:
//
//	GET|POST oauth/authorize.php              authorization code flow: login, two-factor and consent pages
//	POST     oauth/token.php                  grant_type authorization_code or refresh_token
//	GET|POST oauth/userinfo.php               claims of a bearer access token
//	GET      oauth/openid-configuration.php   discovery (also /.well-known/openid-configuration)
//	GET      oauth/certs.php                  the JSON Web Key Set id tokens are signed with
//	GET      clientarea.php                   who is signed in (single sign-on lands here)
//	GET|POST login.php                        the client-area sign-in form, and sign-out
//
// ID tokens are RS256 JWTs signed (with github.com/go-jose/go-jose/v4) by a
// key made once per database and kept in it. Access and refresh tokens are
// opaque random strings; the database holds only their SHA-256, keyed to
// the credential and the SHA-256 of its secret, so deleting a credential
// or resetting its secret ends them at once. Codes live 60 seconds and
// are single use (a second use revokes what the first issued), access
// tokens an hour and refresh tokens 30 days, on the emulator's clock;
// refresh tokens rotate on use.
//
// The pages are plain HTML forms (no JavaScript) with a CSRF token tied to
// the browser and the request. Signing in sets an HttpOnly, SameSite=Lax
// session cookie, which single sign-on (package whmcsemu's
// oauth/singlesignon.php, through SignIn) sets too.
package oauth
