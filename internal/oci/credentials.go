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
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

// RetryTokenLifetime is how long an opc-retry-token answer is replayed.
const RetryTokenLifetime = 24 * time.Hour

// maxRetryToken is the longest opc-retry-token accepted.
const maxRetryToken = 64

// Page sizes of a list.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// create is CreateOAuthClientCredential: 200 with the password, the only
// time it is shown unless an update resets it.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body) // already read into memory by authenticated
	d, scopes, err := checkCreate(body)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	token := r.Header.Get("opc-retry-token")
	if len(token) > maxRetryToken {
		h.refused(w, r, invalid("opc-retry-token is longer than %d characters.", maxRetryToken))
		return
	}
	answer, etag, replayed, err := h.createCredential(r.Context(), r.PathValue("userId"), d, scopes, token)
	if h.failed(w, r, err) {
		return
	}
	if replayed != nil {
		writeRaw(w, replayed.Status, replayed.ETag, []byte(replayed.Body))
		return
	}
	writeRaw(w, http.StatusOK, etag, answer)
}

// CreateCredential is CreateOAuthClientCredential for Go callers (the
// console): the same checks, limits and password as the HTTP operation,
// without a retry token. The answer holds the password, shown this once.
func (h *Handler) CreateCredential(ctx context.Context, userID, name, description string, scopes []store.OCIScope) (
	Credential, error) {
	d := createDetails{Name: &name, Description: &description, Scopes: scopeInputs(scopes)}
	checked, err := checkCreateDetails(d)
	if err != nil {
		return Credential{}, err
	}
	answer, _, _, err := h.createCredential(ctx, userID, d, checked, "")
	if err != nil {
		return Credential{}, err
	}
	var out Credential
	err = json.Unmarshal(answer, &out)
	return out, err
}

// createCredential stores a checked create for userID and returns the
// answer and its etag, or, for a retry token used before, the answer to
// replay.
func (h *Handler) createCredential(ctx context.Context, userID string, d createDetails, scopes []store.OCIScope,
	token string) (answer []byte, etag string, replayed *store.OCIRetry, err error) {
	canonical, _ := json.Marshal([]any{userID, *d.Name, *d.Description, scopes}) // strings always encode
	sum := sha256.Sum256(canonical)
	requestHash := hex.EncodeToString(sum[:])
	now := h.now()
	password := h.newPassword()
	passwordHash, err := auth.HashSecret(password)
	if err != nil {
		return nil, "", nil, err
	}
	c := store.OCICredential{
		ID: h.newOCID("credential"), UserID: userID, Name: *d.Name, Description: *d.Description, Scopes: scopes,
		PasswordHash: passwordHash, LifecycleState: "ACTIVE", TimeCreated: now.UnixMilli(), ETag: h.newETag(),
	}
	var replay *store.OCIRetry
	remembered := false
	err = h.db.Update(ctx, func(tx *store.Tx) (err error) {
		answer, replay, err = h.insert(ctx, tx, c, password, token, requestHash)
		if err == nil && replay == nil && token != "" {
			// Before the commit, so a replay that waits for this
			// transaction finds the password.
			h.retry.remember(token, c.ID, password, now.Add(RetryTokenLifetime).UnixMilli())
			remembered = true
		}
		return err
	})
	if err != nil && remembered {
		h.retry.dropToken(token)
	}
	if err != nil {
		return nil, "", nil, err
	}
	if replay != nil {
		h.log.InfoContext(ctx, "oci: create replayed for its retry token", "user", userID)
		return nil, "", replay, nil
	}
	h.log.InfoContext(ctx, "oci: credential created", "id", c.ID, "user", userID, "by", Caller(ctx))
	return answer, c.ETag, nil, nil
}

// scopeInputs turns pairs into a request's scopes, for the checks.
func scopeInputs(scopes []store.OCIScope) *[]scopeInput {
	in := make([]scopeInput, len(scopes))
	for i := range scopes {
		in[i] = scopeInput{Audience: &scopes[i].Audience, Scope: &scopes[i].Scope}
	}
	return &in
}

// insert stores a new credential for a create, unless its retry token
// was used before: then it returns the answer to replay (or refuses).
// The answer to a fresh create is kept under the token for a day, without
// its password, which the caller keeps in memory (retrySecrets): the
// database never holds a password in clear.
func (h *Handler) insert(ctx context.Context, tx *store.Tx, c store.OCICredential, password, token, requestHash string) (
	answer []byte, replay *store.OCIRetry, err error) {
	now := time.UnixMilli(c.TimeCreated)
	if token != "" {
		if err := tx.DeleteOCIRetryTokensBefore(ctx, c.TimeCreated); err != nil {
			return nil, nil, err
		}
		prev, err := tx.OCIRetryToken(ctx, token)
		switch {
		case err == nil:
			replay, err := h.replayable(ctx, tx, prev, requestHash, c.TimeCreated)
			return nil, replay, err
		case !errors.Is(err, store.ErrNotFound):
			return nil, nil, err
		}
	}
	u, err := tx.OCIUserByID(ctx, c.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, userNotFound(c.UserID)
	} else if err != nil {
		return nil, nil, err
	}
	n, err := tx.CountOCICredentials(ctx, c.UserID)
	if err != nil {
		return nil, nil, err
	}
	if n >= h.max {
		return nil, nil, refuse(http.StatusBadRequest, CodeLimitExceeded,
			"User %s already has %d OAuth 2.0 client credentials, the most a user can have.", c.UserID, n)
	}
	if err := tx.PutOCICredential(ctx, c); err != nil {
		return nil, nil, err
	}
	answer, _ = json.Marshal(toCredential(c, u.TenancyID, password)) // a Credential always encodes
	if token != "" {
		kept, _ := json.Marshal(toCredential(c, u.TenancyID, "")) // password is omitempty: left out
		err = tx.PutOCIRetryToken(ctx, store.OCIRetry{Token: token, RequestHash: requestHash,
			Status: http.StatusOK, ETag: c.ETag, Body: string(kept), Expires: now.Add(RetryTokenLifetime).UnixMilli()})
	}
	return answer, nil, err
}

// replayable decides what a create under a used retry token gets, at now
// (Unix milliseconds). The first answer again, password included, when
// the request is the same, its credential is unchanged since (same etag)
// and this process still holds the password, which must still be the
// credential's. Otherwise 409 InvalidatedRetryToken, with a message
// saying why and what to do, so that a retry never creates a duplicate
// and never hands out a password that no longer works or a stale etag:
// the credential was deleted, changed (updated, or its password reset),
// or this process no longer holds its password (it restarted, or the
// password was forgotten to bound memory).
func (h *Handler) replayable(ctx context.Context, tx *store.Tx, prev store.OCIRetry, requestHash string, now int64) (
	*store.OCIRetry, error) {
	if prev.RequestHash != requestHash {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The opc-retry-token was already used with a different request; use a new token for a new request.")
	}
	var first Credential
	if err := json.Unmarshal([]byte(prev.Body), &first); err != nil {
		return nil, err
	}
	c, err := tx.OCICredentialByID(ctx, first.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The credential the opc-retry-token created has been deleted since; use a new token.")
	} else if err != nil {
		return nil, err
	}
	if c.ETag != prev.ETag {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The credential %s the opc-retry-token created has changed since (updated, or its password reset), so "+
				"the first answer no longer holds; list the credentials to see it as it is now.", first.ID)
	}
	password, ok := h.retry.password(prev.Token, first.ID, now)
	if !ok || !auth.CheckSecret(c.PasswordHash, password) {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The credential %s the opc-retry-token created exists, but whmcsemu no longer holds its password (it "+
				"keeps passwords in memory only, and has restarted since); update the credential with "+
				"isResetPassword for a new password, or delete it and create again with a new token.", first.ID)
	}
	first.Password = password
	body, _ := json.Marshal(first) // the same bytes as the first answer: the same struct, round-tripped
	prev.Body = string(body)
	return &prev, nil
}

// list is ListOAuthClientCredentials: the user's credentials, oldest
// first, never with a password; a page of limit (default 100, at most
// 1000), the next one named by opc-next-page.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.OCICredentialFilter{UserID: r.PathValue("userId"), Limit: defaultLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			h.refused(w, r, invalid("'limit' must be a whole number from 1 to %d (got %q).", maxLimit, v))
			return
		}
		f.Limit = n
	}
	if v := q.Get("page"); v != "" {
		var ok bool
		if f.AfterCreated, f.AfterID, ok = decodePage(v); !ok {
			h.refused(w, r, invalid("'page' is not a page token from opc-next-page (got %q).", v))
			return
		}
	}
	if v := q.Get("lifecycleState"); v != "" {
		f.State = strings.ToUpper(v)
		if !validState(f.State) {
			h.refused(w, r, invalid("'lifecycleState' must be one of %s (got %q).", strings.Join(LifecycleStates, ", "), v))
			return
		}
	}
	limit := f.Limit
	f.Limit++ // one more, to know whether there is a next page
	creds, tenancy, err := h.credentials(r.Context(), f)
	if h.failed(w, r, err) {
		return
	}
	if len(creds) > limit {
		creds = creds[:limit]
		last := creds[limit-1]
		w.Header().Set("opc-next-page", encodePage(last.TimeCreated, last.ID))
	}
	out := make([]Credential, len(creds))
	for i, c := range creds {
		out[i] = toCredential(c, tenancy, "")
	}
	writeJSON(w, http.StatusOK, out)
}

// credentials reads the credentials f selects, of a user that must
// exist, and the user's tenancy.
func (h *Handler) credentials(ctx context.Context, f store.OCICredentialFilter) (creds []store.OCICredential, tenancy string,
	err error) {
	err = h.db.View(ctx, func(tx *store.Tx) error {
		u, err := tx.OCIUserByID(ctx, f.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return userNotFound(f.UserID)
		} else if err != nil {
			return err
		}
		tenancy = u.TenancyID
		creds, err = tx.OCICredentials(ctx, f)
		return err
	})
	return creds, tenancy, err
}

// ListCredentials is ListOAuthClientCredentials for Go callers: every
// credential of the user, oldest first, never with a password.
func (h *Handler) ListCredentials(ctx context.Context, userID string) ([]Credential, error) {
	creds, tenancy, err := h.credentials(ctx, store.OCICredentialFilter{UserID: userID})
	if err != nil {
		return nil, err
	}
	out := make([]Credential, len(creds))
	for i, c := range creds {
		out[i] = toCredential(c, tenancy, "")
	}
	return out, nil
}

// update is UpdateOAuthClientCredential: description and scopes replaced,
// a new password shown when isResetPassword is true.
func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d, scopes, err := checkUpdate(body)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	out, etag, err := h.updateCredential(r.Context(), r.PathValue("userId"), r.PathValue("oauth2ClientCredentialId"),
		r.Header.Get("if-match"), d, scopes)
	if h.failed(w, r, err) {
		return
	}
	answer, _ := json.Marshal(out)
	writeRaw(w, http.StatusOK, etag, answer)
}

// UpdateCredential is UpdateOAuthClientCredential for Go callers:
// description and scopes replaced, and with resetPassword a new password,
// in the answer, shown this once.
func (h *Handler) UpdateCredential(ctx context.Context, userID, id, description string, scopes []store.OCIScope,
	resetPassword bool) (Credential, error) {
	d := updateDetails{Description: &description, Scopes: scopeInputs(scopes), IsResetPassword: &resetPassword}
	checked, err := checkUpdateDetails(d)
	if err != nil {
		return Credential{}, err
	}
	out, _, err := h.updateCredential(ctx, userID, id, "", d, checked)
	return out, err
}

// updateCredential stores a checked update and returns the credential
// (with its new password after a reset) and its new etag.
func (h *Handler) updateCredential(ctx context.Context, userID, id, ifMatch string, d updateDetails,
	scopes []store.OCIScope) (Credential, string, error) {
	reset := d.IsResetPassword != nil && *d.IsResetPassword
	password, passwordHash := "", ""
	if reset {
		password = h.newPassword()
		var err error
		if passwordHash, err = auth.HashSecret(password); err != nil {
			return Credential{}, "", err
		}
	}
	etag := h.newETag()
	var c store.OCICredential
	var tenancy string
	err := h.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, tenancy, err = h.writable(ctx, tx, userID, id, ifMatch); err != nil {
			return err
		}
		c.Description, c.Scopes, c.ETag = *d.Description, scopes, etag
		if reset {
			c.PasswordHash = passwordHash
		}
		return tx.PutOCICredential(ctx, c)
	})
	if err != nil {
		return Credential{}, "", err
	}
	h.retry.forget(c.ID)
	h.log.InfoContext(ctx, "oci: credential updated", "id", c.ID, "passwordReset", reset, "by", Caller(ctx))
	return toCredential(c, tenancy, password), c.ETag, nil
}

// delete is DeleteOAuthClientCredential: 204.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	err := h.deleteCredential(r.Context(), r.PathValue("userId"), r.PathValue("oauth2ClientCredentialId"),
		r.Header.Get("if-match"))
	if h.failed(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// DeleteCredential is DeleteOAuthClientCredential for Go callers.
func (h *Handler) DeleteCredential(ctx context.Context, userID, id string) error {
	return h.deleteCredential(ctx, userID, id, "")
}

func (h *Handler) deleteCredential(ctx context.Context, userID, id, ifMatch string) error {
	var c store.OCICredential
	err := h.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, _, err = h.writable(ctx, tx, userID, id, ifMatch); err != nil {
			return err
		}
		return tx.DeleteOCICredential(ctx, c.ID)
	})
	if err != nil {
		return err
	}
	h.retry.forget(c.ID)
	h.log.InfoContext(ctx, "oci: credential deleted", "id", c.ID, "by", Caller(ctx))
	return nil
}

// writable loads a user's credential for a change: it must exist, belong
// to the user, match ifMatch (when given) and not be on its way out.
func (h *Handler) writable(ctx context.Context, tx *store.Tx, userID, id, ifMatch string) (store.OCICredential, string, error) {
	u, err := tx.OCIUserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.OCICredential{}, "", userNotFound(userID)
	} else if err != nil {
		return store.OCICredential{}, "", err
	}
	c, err := tx.OCICredentialByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.UserID != userID {
		return c, "", refuse(http.StatusNotFound, CodeNotAuthorizedOrNotFound,
			"Authorization failed or requested resource not found: no OAuth 2.0 client credential %s for user %s.", id, userID)
	} else if err != nil {
		return c, "", err
	}
	if m := ifMatch; m != "" && !etagMatches(m, c.ETag) {
		return c, "", refuse(http.StatusPreconditionFailed, CodeNoEtagMatch,
			"The ETag specified in the request (%s) does not match the ETag for the resource.", m)
	}
	switch c.LifecycleState {
	case "CREATING", "DELETING", "DELETED":
		return c, "", refuse(http.StatusConflict, CodeIncorrectState,
			"The credential is %s and cannot be changed now.", c.LifecycleState)
	}
	return c, u.TenancyID, nil
}

// etagMatches reports whether an if-match value names etag ("*" names
// any; a quoted etag counts as the etag).
func etagMatches(ifMatch, etag string) bool {
	for _, v := range strings.Split(ifMatch, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || v == etag || strings.Trim(v, `"`) == etag {
			return true
		}
	}
	return false
}

func userNotFound(userID string) error {
	return refuse(http.StatusNotFound, CodeNotAuthorizedOrNotFound,
		"Authorization failed or requested resource not found: no user %s.", userID)
}

func validState(s string) bool {
	for _, v := range LifecycleStates {
		if v == s {
			return true
		}
	}
	return false
}

// encodePage names the position after a credential.
func encodePage(created int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(created, 10) + "/" + id))
}

func decodePage(page string) (int64, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(page)
	if err != nil {
		return 0, "", false
	}
	created, id, ok := strings.Cut(string(raw), "/")
	n, err := strconv.ParseInt(created, 10, 64)
	return n, id, ok && err == nil && id != ""
}

// refused answers a refusal (an *apiError) or, for anything else, 500.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if errors.As(err, &e) {
		h.WriteError(w, e.status, e.code, e.message)
		return
	}
	h.internal(w, r, err)
}

// failed answers err, if any, and reports whether there was one.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	h.refused(w, r, err)
	return true
}

// writeRaw writes an encoded credential with its etag.
func writeRaw(w http.ResponseWriter, status int, etag string, body []byte) {
	if etag != "" {
		w.Header().Set("etag", etag)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
