// Package sailpoint serves whmcsemu's SailPoint Identity Security Cloud
// dialect: the v3 OAuth-client administration API and the token endpoint
// that makes its credentials usable.
//
//	GET    /v3/oauth-clients        list (filters: lastUsed le <time>, lastUsed isnull)
//	POST   /v3/oauth-clients        create; 200 with the secret, shown this once
//	GET    /v3/oauth-clients/{id}   one client, secret null
//	PATCH  /v3/oauth-clients/{id}   RFC 6902 JSON Patch (application/json-patch+json)
//	DELETE /v3/oauth-clients/{id}   204
//	POST   /oauth/token             grant_type=client_credentials → bearer token
//
// Every /v3 request needs a bearer token minted by POST /oauth/token for
// an enabled client: GET needs the scope sp:oauth-client:read or
// sp:oauth-client:manage, the writes sp:oauth-client:manage, and
// sp:scopes:all covers both. The first client therefore comes from a
// fixture (section "sailpoint"); clients created through the API work at
// once.
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
