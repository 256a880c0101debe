// Package sailpoint serves whmcsemu's SailPoint Identity Security Cloud
// dialect: the v3 OAuth-client administration API and the token endpoint
// that makes its credentials usable.
//
//	GET    /v3/oauth-clients        list (filters: lastUsed le <time>, lastUsed isnull)
//	POST   /v3/oauth-clients        create; 200 with the secret, shown this once
//	GET    /v3/oauth-clients/{id}   one client, secret null
//	PATCH  /v3/oauth-clients/{id}   RFC 6902 JSON Patch (application/json-patch+json)
//	DELETE /v3/oauth-clients/{id}   204
//	POST   /oauth/token             client_credentials, authorization_code, refresh_token → bearer token
//	GET    /oauth/authorize         sign-in page for the authorization code grant (POST: signing in)
//
// Every /v3 request needs a bearer token minted by POST /oauth/token for
// an enabled client: GET needs the scope sp:oauth-client:read or
// sp:oauth-client:manage, the writes sp:oauth-client:manage, and
// sp:scopes:all covers both. The first client therefore comes from a
// fixture (section "sailpoint"); clients created through the API work at
// once.
//
// The authorization code grant (authorize.go): /oauth/authorize checks the
// client (enabled, AUTHORIZATION_CODE among its grantTypes, redirect_uri
// exactly one of its redirectUris) and shows a sign-in form (html/template,
// CSRF token bound to a cookie) where an identity of the fixture's
// sailpoint.identities signs in with its name or email; the browser goes
// back to the redirect URI with a code and the state. The code is
// exchanged once, within CodeLifetime on the emulator's clock, with the
// same redirect_uri; a second exchange revokes what the first gave. A
// client with REFRESH_TOKEN gets a refresh token too, which lives its
// refreshTokenValiditySeconds and is exchanged once for a new pair.
//
// Errors have SailPoint's shapes: ErrorResponseDto (detailCode, trackingId,
// messages, causes) for 400, 403, 404, 415 and 500; {"error": …} for 401;
// {"message": " Rate Limit Exceeded "} for 429 (Handler.WriteError, for the
// root server's fault machinery).
//
// A patch runs through package jsonpatch on a document of the 13 fields the
// spec calls patchable (tenant, businessName, homepageUrl, name,
// description, accessTokenValiditySeconds, refreshTokenValiditySeconds,
// redirectUris, grantTypes, accessType, enabled, strongAuthSupported,
// claimsSupported); any path or from outside them refuses the whole patch.
// The result is validated as a create body is, and stored in the same
// transaction, so a refused patch changes nothing. Field lengths, list
// sizes, the number of operations in a patch and the size a patch may grow
// a client to are bounded (limits.go), on create and patch alike.
package sailpoint
