package oci

import (
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
	userID := r.PathValue("userId")
	token := r.Header.Get("opc-retry-token")
	if len(token) > maxRetryToken {
		h.refused(w, r, invalid("opc-retry-token is longer than %d characters.", maxRetryToken))
		return
	}
	canonical, _ := json.Marshal([]any{userID, *d.Name, *d.Description, scopes}) // strings always encode
	sum := sha256.Sum256(canonical)
	requestHash := hex.EncodeToString(sum[:])
	now := h.now()
	password := h.newPassword()
	passwordHash, err := auth.HashSecret(password)
	if err != nil {
		h.internal(w, r, err)
		return
	}
	c := store.OCICredential{
		ID: h.newOCID("credential"), UserID: userID, Name: *d.Name, Description: *d.Description, Scopes: scopes,
		PasswordHash: passwordHash, LifecycleState: "ACTIVE", TimeCreated: now.UnixMilli(), ETag: h.newETag(),
	}
	var replay *store.OCIRetry
	var answer []byte
	remembered := false
	err = h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		answer, replay, err = h.insert(r, tx, c, password, token, requestHash)
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
	if h.failed(w, r, err) {
		return
	}
	if replay != nil {
		h.log.InfoContext(r.Context(), "oci: create replayed for its retry token", "user", userID)
		writeRaw(w, replay.Status, replay.ETag, []byte(replay.Body))
		return
	}
	h.log.InfoContext(r.Context(), "oci: credential created", "id", c.ID, "user", userID, "by", Caller(r.Context()))
	writeRaw(w, http.StatusOK, c.ETag, answer)
}

// insert stores a new credential for a create, unless its retry token
// was used before: then it returns the answer to replay (or refuses).
// The answer to a fresh create is kept under the token for a day, without
// its password, which the caller keeps in memory (retrySecrets): the
// database never holds a password in clear.
func (h *Handler) insert(r *http.Request, tx *store.Tx, c store.OCICredential, password, token, requestHash string) (
	answer []byte, replay *store.OCIRetry, err error) {
	now := time.UnixMilli(c.TimeCreated)
	if token != "" {
		if err := tx.DeleteOCIRetryTokensBefore(r.Context(), c.TimeCreated); err != nil {
			return nil, nil, err
		}
		prev, err := tx.OCIRetryToken(r.Context(), token)
		switch {
		case err == nil:
			replay, err := h.replayable(r, tx, prev, requestHash, c.TimeCreated)
			return nil, replay, err
		case !errors.Is(err, store.ErrNotFound):
			return nil, nil, err
		}
	}
	u, err := tx.OCIUserByID(r.Context(), c.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, userNotFound(c.UserID)
	} else if err != nil {
		return nil, nil, err
	}
	n, err := tx.CountOCICredentials(r.Context(), c.UserID)
	if err != nil {
		return nil, nil, err
	}
	if n >= h.max {
		return nil, nil, refuse(http.StatusBadRequest, CodeLimitExceeded,
			"User %s already has %d OAuth 2.0 client credentials, the most a user can have.", c.UserID, n)
	}
	if err := tx.PutOCICredential(r.Context(), c); err != nil {
		return nil, nil, err
	}
	answer, _ = json.Marshal(toCredential(c, u.TenancyID, password)) // a Credential always encodes
	if token != "" {
		kept, _ := json.Marshal(toCredential(c, u.TenancyID, "")) // password is omitempty: left out
		err = tx.PutOCIRetryToken(r.Context(), store.OCIRetry{Token: token, RequestHash: requestHash,
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
func (h *Handler) replayable(r *http.Request, tx *store.Tx, prev store.OCIRetry, requestHash string, now int64) (
	*store.OCIRetry, error) {
	if prev.RequestHash != requestHash {
		return nil, refuse(http.StatusConflict, CodeInvalidatedRetryToken,
			"The opc-retry-token was already used with a different request; use a new token for a new request.")
	}
	var first Credential
	if err := json.Unmarshal([]byte(prev.Body), &first); err != nil {
		return nil, err
	}
	c, err := tx.OCICredentialByID(r.Context(), first.ID)
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
	var creds []store.OCICredential
	var tenancy string
	err := h.db.View(r.Context(), func(tx *store.Tx) error {
		u, err := tx.OCIUserByID(r.Context(), f.UserID)
		if errors.Is(err, store.ErrNotFound) {
			return userNotFound(f.UserID)
		} else if err != nil {
			return err
		}
		tenancy = u.TenancyID
		creds, err = tx.OCICredentials(r.Context(), f)
		return err
	})
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

// update is UpdateOAuthClientCredential: description and scopes replaced,
// a new password shown when isResetPassword is true.
func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d, scopes, err := checkUpdate(body)
	if err != nil {
		h.refused(w, r, err)
		return
	}
	reset := d.IsResetPassword != nil && *d.IsResetPassword
	password, passwordHash := "", ""
	if reset {
		password = h.newPassword()
		if passwordHash, err = auth.HashSecret(password); err != nil {
			h.internal(w, r, err)
			return
		}
	}
	etag := h.newETag()
	var c store.OCICredential
	var tenancy string
	err = h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		if c, tenancy, err = h.writable(r, tx); err != nil {
			return err
		}
		c.Description, c.Scopes, c.ETag = *d.Description, scopes, etag
		if reset {
			c.PasswordHash = passwordHash
		}
		return tx.PutOCICredential(r.Context(), c)
	})
	if h.failed(w, r, err) {
		return
	}
	h.retry.forget(c.ID)
	h.log.InfoContext(r.Context(), "oci: credential updated", "id", c.ID, "passwordReset", reset, "by", Caller(r.Context()))
	out, _ := json.Marshal(toCredential(c, tenancy, password))
	writeRaw(w, http.StatusOK, c.ETag, out)
}

// delete is DeleteOAuthClientCredential: 204.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	var c store.OCICredential
	err := h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		if c, _, err = h.writable(r, tx); err != nil {
			return err
		}
		return tx.DeleteOCICredential(r.Context(), c.ID)
	})
	if h.failed(w, r, err) {
		return
	}
	h.retry.forget(c.ID)
	h.log.InfoContext(r.Context(), "oci: credential deleted", "id", c.ID, "by", Caller(r.Context()))
	w.WriteHeader(http.StatusNoContent)
}

// writable loads the credential of the request's path for a change: it
// must exist, belong to the path's user, match if-match and not be on
// its way out.
func (h *Handler) writable(r *http.Request, tx *store.Tx) (store.OCICredential, string, error) {
	userID, id := r.PathValue("userId"), r.PathValue("oauth2ClientCredentialId")
	u, err := tx.OCIUserByID(r.Context(), userID)
	if errors.Is(err, store.ErrNotFound) {
		return store.OCICredential{}, "", userNotFound(userID)
	} else if err != nil {
		return store.OCICredential{}, "", err
	}
	c, err := tx.OCICredentialByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.UserID != userID {
		return c, "", refuse(http.StatusNotFound, CodeNotAuthorizedOrNotFound,
			"Authorization failed or requested resource not found: no OAuth 2.0 client credential %s for user %s.", id, userID)
	} else if err != nil {
		return c, "", err
	}
	if m := r.Header.Get("if-match"); m != "" && !etagMatches(m, c.ETag) {
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
