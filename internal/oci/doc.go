// Package oci serves whmcsemu's Oracle Cloud Infrastructure IAM dialect:
// the tenancy's users, their API signing keys and their OAuth 2.0 client
// credentials, under the identity API's version prefix, as the OCI SDKs
// and CLI call them.
//
//	POST   /20160918/users                                         CreateUser; 200, ACTIVE at once
//	GET    /20160918/users?compartmentId=…                         ListUsers (limit, page, name, lifecycleState, sortBy, sortOrder)
//	GET    /20160918/users/{userId}                                GetUser
//	DELETE /20160918/users/{userId}                                DeleteUser; 204, its keys and credentials with it
//	POST   /20160918/users/{userId}/apiKeys                        UploadApiKey; the user signs with it from then on
//	POST   /20160918/users/{userId}/oauth2ClientCredentials        create; 200 with the password, shown this once
//	GET    /20160918/users/{userId}/oauth2ClientCredentials        list (limit, page, lifecycleState); next page in opc-next-page
//	PUT    /20160918/users/{userId}/oauth2ClientCredentials/{id}   update description and scopes; isResetPassword shows a new password
//	DELETE /20160918/users/{userId}/oauth2ClientCredentials/{id}   204
//	POST   /oauth2/v1/token                                        client_credentials → RS256 JWT access token
//	GET    /admin/v1/SigningCert/jwk                               the JWK set that verifies access tokens
//
// Every answer carries opc-request-id (the caller's, when it sent one);
// create, get and update carry the resource's etag, which if-match on
// update and delete must equal (412 NoEtagMatch otherwise; "*" matches
// any). A create with opc-retry-token is answered the same way again for
// 24 hours while what it made stands; the same token with another request
// is a 409 InvalidatedRetryToken.
//
// Requests are authenticated as OCI authenticates them: an HTTP signature
// (draft-cavage-http-signatures, version 1, rsa-sha256) in the
// Authorization header, whose keyId is tenancy OCID/user OCID/key
// fingerprint, over (request-target), host and date (or x-date), plus
// content-length, content-type and x-content-sha256 (checked against the
// body) for POST, PUT and PATCH. The key is one the fixture gave the user;
// a Date more than 5 minutes from the emulator's clock is refused, as OCI
// refuses client clock skew over 5 minutes. Any failure is 401
// NotAuthenticated. Options.VerifySignatures false skips all of it.
//
// The token endpoint (token.go) authenticates a credential by its OCID
// and password (HTTP Basic, form-urlencoded first as RFC 6749 §2.3.1
// says) and answers RFC 6749's shapes: invalid_client (401) for a wrong
// password or an unknown, inactive or expired credential, invalid_scope
// (400) for a scope it does not hold, unsupported_grant_type for another
// grant. Neither it nor the JWK set needs a request signature.
//
// Errors are OCI's {"code", "message"} with its statuses: 400
// CannotParseRequest, InvalidParameter, MissingParameter, LimitExceeded;
// 401 NotAuthenticated; 404 NotAuthorizedOrNotFound (unknown user or
// credential) and NotFound (unknown path); 405 MethodNotAllowed; 409
// IncorrectState, InvalidatedRetryToken, NotAuthorizedOrResourceAlreadyExists
// (a user name or email, or a user's key, taken); 412 NoEtagMatch; 500
// InternalServerError.
package oci
