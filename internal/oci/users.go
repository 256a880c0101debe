package oci

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// The users of the tenancy and their API signing keys, as the identity
// API's CreateUser, GetUser, ListUsers, DeleteUser and UploadApiKey serve
// them. A user is ACTIVE from its creation (OCI shows CREATING first); it
// signs requests with the keys it uploaded.

// Users' limits. OCI documents the allowed characters of a name and at
// most 3 API keys per user; the lengths are whmcsemu's.
const (
	MaxUserNameLength = 100
	MaxEmailLength    = 255
	MaxAPIKeys        = 3
	// MinKeyBits is the smallest RSA key OCI takes.
	MinKeyBits = 2048
)

// userName is what OCI allows in a user's name: no spaces, only letters,
// numerals, hyphens, periods, underscores, + and @.
var userName = regexp.MustCompile(`^[A-Za-z0-9._+@-]+$`)

// User is the User model.
type User struct {
	ID                          string            `json:"id"`
	CompartmentID               string            `json:"compartmentId"`
	Name                        string            `json:"name"`
	Description                 string            `json:"description"`
	Email                       *string           `json:"email"`
	EmailVerified               bool              `json:"emailVerified"`
	TimeCreated                 string            `json:"timeCreated"`
	LifecycleState              string            `json:"lifecycleState"`
	IsMfaActivated              bool              `json:"isMfaActivated"`
	Capabilities                UserCapabilities  `json:"capabilities"`
	FreeformTags                map[string]string `json:"freeformTags"`
	DefinedTags                 map[string]any    `json:"definedTags"`
	LastSuccessfulLoginTime     *string           `json:"lastSuccessfulLoginTime"`
	PreviousSuccessfulLoginTime *string           `json:"previousSuccessfulLoginTime"`
}

// UserCapabilities is what a user may use; every user may use everything.
type UserCapabilities struct {
	CanUseConsolePassword         bool `json:"canUseConsolePassword"`
	CanUseAPIKeys                 bool `json:"canUseApiKeys"`
	CanUseAuthTokens              bool `json:"canUseAuthTokens"`
	CanUseSMTPCredentials         bool `json:"canUseSmtpCredentials"`
	CanUseDBCredentials           bool `json:"canUseDbCredentials"`
	CanUseCustomerSecretKeys      bool `json:"canUseCustomerSecretKeys"`
	CanUseOAuth2ClientCredentials bool `json:"canUseOAuth2ClientCredentials"`
}

var allCapabilities = UserCapabilities{true, true, true, true, true, true, true}

func toUser(u store.OCIUser) User {
	return User{
		ID: u.ID, CompartmentID: u.TenancyID, Name: u.Name, Description: u.Description, Email: u.Email,
		TimeCreated: millisText(u.TimeCreated), LifecycleState: "ACTIVE", Capabilities: allCapabilities,
		FreeformTags: map[string]string{}, DefinedTags: map[string]any{},
	}
}

// APIKey is the ApiKey model.
type APIKey struct {
	KeyID          string `json:"keyId"`
	KeyValue       string `json:"keyValue"`
	Fingerprint    string `json:"fingerprint"`
	UserID         string `json:"userId"`
	TimeCreated    string `json:"timeCreated"`
	LifecycleState string `json:"lifecycleState"`
	InactiveStatus *int64 `json:"inactiveStatus"`
}

func toAPIKey(tenancy, userID string, k store.OCIAPIKey) APIKey {
	return APIKey{KeyID: tenancy + "/" + userID + "/" + k.Fingerprint, KeyValue: k.PEM, Fingerprint: k.Fingerprint,
		UserID: userID, TimeCreated: millisText(k.TimeCreated), LifecycleState: "ACTIVE"}
}

// createUserDetails is CreateUserDetails.
type createUserDetails struct {
	CompartmentID *string           `json:"compartmentId"`
	Name          *string           `json:"name"`
	Description   *string           `json:"description"`
	Email         *string           `json:"email"`
	FreeformTags  map[string]string `json:"freeformTags"`
	DefinedTags   map[string]any    `json:"definedTags"`
}

// createAPIKeyDetails is CreateApiKeyDetails.
type createAPIKeyDetails struct {
	Key *string `json:"key"`
}

func checkCreateUser(body []byte) (createUserDetails, error) {
	var d createUserDetails
	if err := decodeStrict(body, &d); err != nil {
		return d, err
	}
	return checkCreateUserDetails(d)
}

// checkCreateUserDetails validates a CreateUser, however it came.
func checkCreateUserDetails(d createUserDetails) (createUserDetails, error) {
	switch {
	case d.CompartmentID == nil:
		return d, missing("compartmentId")
	case d.Name == nil:
		return d, missing("name")
	case d.Description == nil:
		return d, missing("description")
	case !userName.MatchString(*d.Name):
		return d, invalid("'name' may hold only letters, numerals, hyphens, periods, underscores, + and @, "+
			"and no spaces (got %q).", *d.Name)
	case len(d.FreeformTags) > 0 || len(d.DefinedTags) > 0:
		return d, invalid("whmcsemu does not emulate tags: leave freeformTags and definedTags out (or empty).")
	}
	if err := checkLength("name", *d.Name, MaxUserNameLength); err != nil {
		return d, err
	}
	if err := checkLength("description", *d.Description, MaxDescriptionLength); err != nil {
		return d, err
	}
	if d.Email != nil && *d.Email == "" {
		d.Email = nil // an empty email is none
	}
	if d.Email != nil {
		if err := checkLength("email", *d.Email, MaxEmailLength); err != nil {
			return d, err
		}
		if at := strings.Index(*d.Email, "@"); at < 1 || at == len(*d.Email)-1 || strings.ContainsAny(*d.Email, " \t\r\n") {
			return d, invalid("'email' is not an email address (got %q).", *d.Email)
		}
	}
	return d, nil
}

// requestHash identifies a create for its retry token: the operation and
// what it was asked.
func requestHash(parts ...any) string {
	canonical, _ := json.Marshal(parts) // strings always encode
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// retryToken reads a create's opc-retry-token.
func retryToken(r *http.Request) (string, error) {
	token := r.Header.Get("opc-retry-token")
	if len(token) > maxRetryToken {
		return "", invalid("opc-retry-token is longer than %d characters.", maxRetryToken)
	}
	return token, nil
}

// priorAnswer looks up a create's retry token. It returns nil when the
// token is new (or none was given), the answer to replay when the same
// request came with it before and what it made still stands (current
// reports whether it does, from the kept answer), and 409
// InvalidatedRetryToken otherwise: another request used the token, or
// what the first one made is gone or changed since.
func priorAnswer(ctx context.Context, tx *store.Tx, token, hash string, now int64,
	current func(prev store.OCIRetry) (bool, error)) (*store.OCIRetry, error) {
	if token == "" {
		return nil, nil
	}
	if err := tx.DeleteOCIRetryTokensBefore(ctx, now); err != nil {
		return nil, err
	}
	prev, err := tx.OCIRetryToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if prev.RequestHash != hash {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The opc-retry-token was already used with a different request; use a new token for a new request.")
	}
	ok, err := current(prev)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"What the opc-retry-token created has been deleted or changed since; use a new token.")
	}
	return &prev, nil
}

// keepAnswer keeps a create's answer under its retry token for a day.
func keepAnswer(ctx context.Context, tx *store.Tx, token, hash, etag string, body []byte, now int64) error {
	if token == "" {
		return nil
	}
	return tx.PutOCIRetryToken(ctx, store.OCIRetry{Token: token, RequestHash: hash, Status: http.StatusOK, ETag: etag,
		Body: string(body), Expires: now + RetryTokenLifetime.Milliseconds()})
}

// createUser is CreateUser: 200 with the user, ACTIVE at once, in the
// tenancy (compartmentId must name it). Names and emails are unique in
// any case (409 otherwise).
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // already read into memory by authenticated
	d, err := checkCreateUser(body)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	token, err := retryToken(r)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	answer, etag, replay, err := h.storeUser(r.Context(), d, token)
	if h.failed(w, r, err) {
		return
	}
	if replay != nil {
		writeRaw(w, replay.Status, replay.ETag, []byte(replay.Body))
		return
	}
	writeRaw(w, http.StatusOK, etag, answer)
}

// CreateUser is CreateUser for Go callers (the console): a user in the
// tenancy, with the same checks as the HTTP operation; email may be "".
func (h *Handler) CreateUser(ctx context.Context, name, description, email string) (User, error) {
	var tenancy string
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		tenancy, err = tx.OCITenancy(ctx)
		return err
	})
	if err != nil {
		return User{}, err
	}
	d := createUserDetails{CompartmentID: &tenancy, Name: &name, Description: &description, Email: &email}
	if d, err = checkCreateUserDetails(d); err != nil {
		return User{}, err
	}
	answer, _, _, err := h.storeUser(ctx, d, "")
	if err != nil {
		return User{}, err
	}
	var u User
	err = json.Unmarshal(answer, &u)
	return u, err
}

// storeUser stores a checked CreateUser and returns its answer and etag,
// or, for a retry token used before, the answer to replay.
func (h *Handler) storeUser(ctx context.Context, d createUserDetails, token string) (answer []byte, etag string,
	replay *store.OCIRetry, err error) {
	email := ""
	if d.Email != nil {
		email = *d.Email
	}
	hash := requestHash("CreateUser", *d.CompartmentID, *d.Name, *d.Description, d.Email)
	now := h.now()
	u := store.OCIUser{ID: h.newOCID("user"), TenancyID: *d.CompartmentID, Name: *d.Name, Description: *d.Description,
		Email: d.Email, TimeCreated: now.UnixMilli(), ETag: h.newETag()}
	err = h.db.Update(ctx, func(tx *store.Tx) (err error) {
		replay, err = priorAnswer(ctx, tx, token, hash, u.TimeCreated, func(prev store.OCIRetry) (bool, error) {
			var first User
			if err := json.Unmarshal([]byte(prev.Body), &first); err != nil {
				return false, err
			}
			held, err := tx.OCIUserByID(ctx, first.ID)
			if errors.Is(err, store.ErrNotFound) {
				return false, nil
			}
			return err == nil && held.ETag == prev.ETag, err
		})
		if err != nil || replay != nil {
			return err
		}
		tenancy, err := tx.OCITenancy(ctx)
		if err != nil {
			return err
		}
		switch {
		case tenancy == "" && !strings.HasPrefix(u.TenancyID, "ocid1.tenancy."):
			return invalid("'compartmentId' must be the tenancy's OCID (ocid1.tenancy.…): users live in the root compartment.")
		case tenancy != "" && u.TenancyID != tenancy:
			return invalid("'compartmentId' must be the tenancy's OCID, %s: users live in the root compartment (got %s).",
				tenancy, u.TenancyID)
		}
		if other, err := tx.OCIUserNamed(ctx, u.Name, email); err == nil {
			what := "name " + u.Name
			if !strings.EqualFold(other.Name, u.Name) {
				what = "email " + email
			}
			return refuse(http.StatusConflict, CodeNotAuthorizedOrResourceAlreadyExists,
				"A user with the %s already exists in the tenancy (%s).", what, other.ID)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := tx.PutOCIUser(ctx, u); err != nil {
			return err
		}
		answer, _ = json.Marshal(toUser(u)) // a User always encodes
		return keepAnswer(ctx, tx, token, hash, u.ETag, answer, u.TimeCreated)
	})
	if err != nil {
		return nil, "", nil, err
	}
	if replay != nil {
		h.log.InfoContext(ctx, "oci: user create replayed for its retry token")
		return nil, "", replay, nil
	}
	h.log.InfoContext(ctx, "oci: user created", "id", u.ID, "name", u.Name, "by", Caller(ctx))
	return answer, u.ETag, nil, nil
}

// getUser is GetUser: the user with its etag.
func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := h.user(r.Context(), r.PathValue("userId"))
	if h.failed(w, r, err) {
		return
	}
	out, _ := json.Marshal(toUser(u))
	writeRaw(w, http.StatusOK, u.ETag, out)
}

// GetUser is GetUser for Go callers.
func (h *Handler) GetUser(ctx context.Context, id string) (User, error) {
	u, err := h.user(ctx, id)
	return toUser(u), err
}

func (h *Handler) user(ctx context.Context, id string) (u store.OCIUser, err error) {
	err = h.db.View(ctx, func(tx *store.Tx) (err error) {
		u, err = userByID(ctx, tx, id)
		return err
	})
	return u, err
}

// pathUser loads the user the path names: 404 NotAuthorizedOrNotFound
// when there is none.
func (h *Handler) pathUser(r *http.Request, tx *store.Tx) (store.OCIUser, error) {
	return userByID(r.Context(), tx, r.PathValue("userId"))
}

func userByID(ctx context.Context, tx *store.Tx, id string) (store.OCIUser, error) {
	u, err := tx.OCIUserByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return u, userNotFound(id)
	}
	return u, err
}

// listUsers is ListUsers: the tenancy's users, a page of limit (default
// 100, at most 1000), the next named by opc-next-page; oldest first, or
// by sortBy (TIMECREATED, newest first unless sortOrder=ASC; NAME, A to Z
// unless sortOrder=DESC); filtered by name and lifecycleState.
func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	compartment := q.Get("compartmentId")
	if compartment == "" {
		h.refused(w, r, missing("compartmentId"))
		return
	}
	f := store.OCIUserFilter{Name: q.Get("name"), Limit: defaultLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			h.refused(w, r, invalid("'limit' must be a whole number from 1 to %d (got %q).", maxLimit, v))
			return
		}
		f.Limit = n
	}
	switch v := strings.ToUpper(q.Get("sortBy")); v {
	case "":
	case "TIMECREATED":
		f.Desc = true
	case "NAME":
		f.ByName = true
	default:
		h.refused(w, r, invalid("'sortBy' must be TIMECREATED or NAME (got %q).", q.Get("sortBy")))
		return
	}
	switch v := strings.ToUpper(q.Get("sortOrder")); v {
	case "":
	case "ASC", "DESC":
		f.Desc = v == "DESC"
	default:
		h.refused(w, r, invalid("'sortOrder' must be ASC or DESC (got %q).", q.Get("sortOrder")))
		return
	}
	none := q.Get("identityProviderId") != "" || q.Get("externalIdentifier") != "" // no federated users
	if v := q.Get("lifecycleState"); v != "" {
		state := strings.ToUpper(v)
		if !validState(state) {
			h.refused(w, r, invalid("'lifecycleState' must be one of %s (got %q).", strings.Join(LifecycleStates, ", "), v))
			return
		}
		none = none || state != "ACTIVE" // every user is ACTIVE
	}
	if v := q.Get("page"); v != "" {
		if !decodeUserPage(v, &f) {
			h.refused(w, r, invalid("'page' is not a page token from opc-next-page for this sort order (got %q).", v))
			return
		}
	}
	limit := f.Limit
	f.Limit++ // one more, to know whether there is a next page
	users, err := h.users(r.Context(), compartment, f, none)
	if h.failed(w, r, err) {
		return
	}
	if len(users) > limit {
		users = users[:limit]
		w.Header().Set("opc-next-page", encodeUserPage(f, users[limit-1]))
	}
	out := make([]User, len(users))
	for i, u := range users {
		out[i] = toUser(u)
	}
	writeJSON(w, http.StatusOK, out)
}

// users reads the users of compartment f selects (none when none).
func (h *Handler) users(ctx context.Context, compartment string, f store.OCIUserFilter, none bool) (users []store.OCIUser,
	err error) {
	err = h.db.View(ctx, func(tx *store.Tx) error {
		tenancy, err := tx.OCITenancy(ctx)
		if err != nil {
			return err
		}
		if tenancy != compartment {
			if tenancy == "" {
				return nil // no users anywhere
			}
			return refuse(http.StatusNotFound, CodeNotAuthorizedOrNotFound,
				"Authorization failed or requested resource not found: users live in the tenancy %s, not in %s.",
				tenancy, compartment)
		}
		if none {
			return nil
		}
		users, err = tx.OCIUserList(ctx, f)
		return err
	})
	return users, err
}

// Tenancy is the tenancy's OCID ("" before there is one).
func (h *Handler) Tenancy(ctx context.Context) (tenancy string, err error) {
	err = h.db.View(ctx, func(tx *store.Tx) (err error) {
		tenancy, err = tx.OCITenancy(ctx)
		return err
	})
	return tenancy, err
}

// ListUsers is ListUsers for Go callers: every user of the tenancy, by
// name.
func (h *Handler) ListUsers(ctx context.Context) ([]User, error) {
	tenancy, err := h.Tenancy(ctx)
	if err != nil || tenancy == "" {
		return []User{}, err
	}
	users, err := h.users(ctx, tenancy, store.OCIUserFilter{ByName: true}, false)
	out := make([]User, len(users))
	for i, u := range users {
		out[i] = toUser(u)
	}
	return out, err
}

// A user page token names the sort it was made for and the position
// after a user in it.
func encodeUserPage(f store.OCIUserFilter, last store.OCIUser) string {
	sort, key := "t", strconv.FormatInt(last.TimeCreated, 10)
	if f.ByName {
		sort, key = "n", last.Name
	}
	if f.Desc {
		sort += "d"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(sort + "\x00" + last.ID + "\x00" + key))
}

func decodeUserPage(page string, f *store.OCIUserFilter) bool {
	raw, err := base64.RawURLEncoding.DecodeString(page)
	if err != nil {
		return false
	}
	parts := strings.SplitN(string(raw), "\x00", 3)
	if len(parts) != 3 || parts[1] == "" {
		return false
	}
	sort := "t"
	if f.ByName {
		sort = "n"
	}
	if f.Desc {
		sort += "d"
	}
	if parts[0] != sort {
		return false
	}
	f.AfterID = parts[1]
	if f.ByName {
		f.AfterName = parts[2]
		return true
	}
	f.AfterTime, err = strconv.ParseInt(parts[2], 10, 64)
	return err == nil
}

// deleteUser is DeleteUser: 204, the user's API keys and OAuth 2.0 client
// credentials going with it. OCI refuses to delete a user who is in a
// group (409); whmcsemu has no groups, so nothing else stops a delete
// but a stale if-match (412 NoEtagMatch).
func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request) {
	var creds []store.OCICredential
	var u store.OCIUser
	err := h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		if u, err = h.pathUser(r, tx); err != nil {
			return err
		}
		if m := r.Header.Get("if-match"); m != "" && !etagMatches(m, u.ETag) {
			return refuse(http.StatusPreconditionFailed, CodeNoEtagMatch,
				"The ETag specified in the request (%s) does not match the ETag for the resource.", m)
		}
		if creds, err = tx.OCICredentials(r.Context(), store.OCICredentialFilter{UserID: u.ID}); err != nil {
			return err
		}
		return tx.DeleteOCIUser(r.Context(), u.ID)
	})
	if h.failed(w, r, err) {
		return
	}
	for _, c := range creds {
		h.retry.forget(c.ID)
	}
	h.log.InfoContext(r.Context(), "oci: user deleted", "id", u.ID, "credentials", len(creds), "keys", len(u.Keys),
		"by", Caller(r.Context()))
	w.WriteHeader(http.StatusNoContent)
}

// uploadAPIKey is UploadApiKey: 200 with the ApiKey (its fingerprint the
// MD5 of the DER public key, colon-separated), ACTIVE at once; the user
// signs requests with it from now on. The etag is the user's.
func (h *Handler) uploadAPIKey(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var d createAPIKeyDetails
	if err := decodeStrict(body, &d); err != nil {
		h.refused(w, r, err)
		return
	}
	if d.Key == nil {
		h.refused(w, r, missing("key"))
		return
	}
	pub, fingerprint, err := ParsePublicKey(*d.Key)
	if err != nil {
		h.refused(w, r, invalid("'key' %v.", err))
		return
	}
	if pub.N.BitLen() < MinKeyBits {
		h.refused(w, r, invalid("'key' is a %d-bit RSA key; OCI takes RSA keys of %d bits or more.", pub.N.BitLen(), MinKeyBits))
		return
	}
	token, err := retryToken(r)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	userID := r.PathValue("userId")
	hash := requestHash("UploadApiKey", userID, fingerprint)
	now := h.now().UnixMilli()
	k := store.OCIAPIKey{Fingerprint: fingerprint, PEM: *d.Key, TimeCreated: now}
	var replay *store.OCIRetry
	var answer []byte
	var etag string
	err = h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		replay, err = priorAnswer(r.Context(), tx, token, hash, now, func(store.OCIRetry) (bool, error) {
			u, err := tx.OCIUserByID(r.Context(), userID)
			if errors.Is(err, store.ErrNotFound) {
				return false, nil
			}
			for _, held := range u.Keys {
				if held.Fingerprint == fingerprint {
					return true, nil
				}
			}
			return false, err
		})
		if err != nil || replay != nil {
			return err
		}
		u, err := h.pathUser(r, tx)
		if err != nil {
			return err
		}
		for _, held := range u.Keys {
			if held.Fingerprint == fingerprint {
				return refuse(http.StatusConflict, CodeNotAuthorizedOrResourceAlreadyExists,
					"User %s already has the API key with fingerprint %s.", userID, fingerprint)
			}
		}
		if len(u.Keys) >= MaxAPIKeys {
			return refuse(http.StatusBadRequest, CodeLimitExceeded,
				"User %s already has %d API keys, the most a user can have.", userID, len(u.Keys))
		}
		if err := tx.AddOCIAPIKey(r.Context(), userID, k); err != nil {
			return err
		}
		etag = u.ETag
		answer, _ = json.Marshal(toAPIKey(u.TenancyID, userID, k)) // an APIKey always encodes
		return keepAnswer(r.Context(), tx, token, hash, etag, answer, now)
	})
	if h.failed(w, r, err) {
		return
	}
	if replay != nil {
		writeRaw(w, replay.Status, replay.ETag, []byte(replay.Body))
		return
	}
	h.log.InfoContext(r.Context(), "oci: API key uploaded", "user", userID, "fingerprint", fingerprint,
		"by", Caller(r.Context()))
	writeRaw(w, http.StatusOK, etag, answer)
}
