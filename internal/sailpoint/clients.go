package sailpoint

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/jsonpatch"
	"github.com/whmcsemu/whmcsemu/store"
)

// list is listOauthClients: every client (filters permitting), oldest
// first, never with a secret.
func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilters(r.URL.Query().Get("filters"))
	if err != nil {
		h.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	out, err := h.clients(r.Context(), f)
	if h.failed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// ListClients is listOauthClients for Go callers (the console): every
// client, oldest first, never with a secret.
func (h *Handler) ListClients(ctx context.Context) ([]Client, error) {
	return h.clients(ctx, store.SailPointFilter{})
}

func (h *Handler) clients(ctx context.Context, f store.SailPointFilter) ([]Client, error) {
	var clients []store.SailPointClient
	err := h.db.View(ctx, func(tx *store.Tx) (err error) {
		clients, err = tx.SailPointClients(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Client, len(clients))
	for i, c := range clients {
		out[i] = toGet(c)
	}
	return out, nil
}

// get is getOauthClient.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	c, err := h.GetClient(r.Context(), r.PathValue("id"))
	if h.failed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// GetClient is getOauthClient for Go callers.
func (h *Handler) GetClient(ctx context.Context, id string) (Client, error) {
	c, err := h.client(ctx, id)
	return toGet(c), err
}

func (h *Handler) client(ctx context.Context, id string) (c store.SailPointClient, err error) {
	err = h.db.View(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.SailPointClientByID(ctx, id)
		return err
	})
	return c, notFound(err, id)
}

// PatchableValues are the 13 patchable fields of a client and their
// values (strings, nil, json.Number, bool, []any): the document a patch
// applies to, for a form that edits them (tenant included, which the API
// never shows).
func (h *Handler) PatchableValues(ctx context.Context, id string) (map[string]any, error) {
	c, err := h.client(ctx, id)
	if err != nil {
		return nil, err
	}
	return patchDocument(c), nil
}

// create is createOauthClient: 200 with the secret, the only time it is
// shown.
func (h *Handler) create(w http.ResponseWriter, r *http.Request) {
	if !h.mediaType(w, r, "application/json") {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.WriteError(w, http.StatusBadRequest, "The request body could not be read: "+err.Error())
		return
	}
	out, err := h.CreateClient(r.Context(), body)
	if h.failed(w, r, err) {
		return
	}
	h.log.InfoContext(r.Context(), "sailpoint: client created", "id", out.ID, "by", callerOf(r).clientID)
	writeJSON(w, http.StatusOK, out)
}

// CreateClient is createOauthClient for Go callers: body is the create's
// JSON object, checked as the HTTP operation checks it. The answer holds
// the secret, shown this once.
func (h *Handler) CreateClient(ctx context.Context, body []byte) (CreatedClient, error) {
	doc, err := jsonpatch.DecodeDocument(body)
	if err != nil {
		return CreatedClient{}, invalid("The request body is not valid JSON.")
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return CreatedClient{}, invalid("The request body must be a JSON object.")
	}
	now := h.now().UnixMilli()
	c := store.SailPointClient{ID: h.randomHex(16), Created: now, Modified: now}
	if err := (fields{m: obj, create: true}).read(&c); err != nil {
		return CreatedClient{}, err
	}
	secret := h.randomHex(32)
	if c.SecretHash, err = auth.HashSecret(secret); err != nil {
		return CreatedClient{}, err
	}
	if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.PutSailPointClient(ctx, c) }); err != nil {
		return CreatedClient{}, err
	}
	return toCreate(c, secret), nil
}

// patch is patchOauthClient: an RFC 6902 patch on the 13 patchable
// fields, applied and validated inside one write transaction, so a refused
// patch leaves the client as it was.
func (h *Handler) patch(w http.ResponseWriter, r *http.Request) {
	if !h.mediaType(w, r, "application/json-patch+json") {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		h.WriteError(w, http.StatusBadRequest, "The request body could not be read: "+err.Error())
		return
	}
	out, err := h.PatchClient(r.Context(), r.PathValue("id"), body)
	if h.failed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// PatchClient is patchOauthClient for Go callers: patch is the RFC 6902
// document, checked and applied as the HTTP operation does, all or
// nothing.
func (h *Handler) PatchClient(ctx context.Context, id string, patch []byte) (Client, error) {
	p, err := jsonpatch.DecodePatch(patch)
	if err != nil {
		return Client{}, invalid(patchMessage(err))
	}
	if len(p) > MaxPatchOperations {
		return Client{}, invalidf("Invalid JSON Patch: a patch may hold at most %d operations; this one holds %d.",
			MaxPatchOperations, len(p))
	}
	var c store.SailPointClient
	var refused error
	err = h.db.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.SailPointClientByID(ctx, id); err != nil {
			return err
		}
		out, err := p.ApplyValue(patchDocument(c), jsonpatch.Options{
			Check:   jsonpatch.AllowTopLevel(PatchableFields...),
			MaxSize: MaxPatchedSize,
		})
		if err != nil {
			refused = err
			return err
		}
		obj, ok := out.(map[string]any)
		if !ok { // unreachable: the root cannot be patched
			refused = invalid("The patched client is not a JSON object.")
			return refused
		}
		if err := (fields{m: obj}).read(&c); err != nil {
			refused = err
			return err
		}
		c.Modified = h.now().UnixMilli()
		return tx.PutSailPointClient(ctx, c)
	})
	if refused != nil {
		return Client{}, invalid(patchMessage(refused))
	}
	if err != nil {
		return Client{}, notFound(err, id)
	}
	return toGet(c), nil
}

// delete is deleteOauthClient: 204, and the client's tokens stop working.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if h.failed(w, r, h.DeleteClient(r.Context(), id)) {
		return
	}
	h.log.InfoContext(r.Context(), "sailpoint: client deleted", "id", id, "by", callerOf(r).clientID)
	w.WriteHeader(http.StatusNoContent)
}

// DeleteClient is deleteOauthClient for Go callers.
func (h *Handler) DeleteClient(ctx context.Context, id string) error {
	return notFound(h.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSailPointClient(ctx, id) }), id)
}

// notFound turns the store's ErrNotFound for client id into a 404.
func notFound(err error, id string) error {
	if errors.Is(err, store.ErrNotFound) {
		return &refusal{status: http.StatusNotFound, text: fmt.Sprintf("No OAuth client has the id %q.", id)}
	}
	return err
}

// refusal is an answer other than 400 that an operation gives.
type refusal struct {
	status int
	text   string
}

func (e *refusal) Error() string { return e.text }

// HTTPStatus is the status the HTTP operation answers the refusal with.
func (e *refusal) HTTPStatus() int { return e.status }

// HTTPStatus is the status the HTTP operation answers the refusal with.
func (e invalid) HTTPStatus() int { return http.StatusBadRequest }

// ErrorOf reports the status and message of a refusal that one of the
// Handler's Go operations (CreateClient, …) returned, as the HTTP
// operation would answer it; ok is false for any other error (an
// internal one, which the HTTP operation answers 500).
func ErrorOf(err error) (status int, message string, ok bool) {
	var inv invalid
	var ref *refusal
	switch {
	case errors.As(err, &inv):
		return http.StatusBadRequest, string(inv), true
	case errors.As(err, &ref):
		return ref.status, ref.text, true
	}
	return 0, "", false
}

// failed answers err (a refusal with its status, anything else 500) and
// reports whether there was one.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	if status, text, ok := ErrorOf(err); ok {
		h.WriteError(w, status, text)
		return true
	}
	h.internal(w, r, err)
	return true
}

// mediaType answers 415 unless the request's Content-Type is want
// (parameters such as charset allowed), advertising Accept-Patch on PATCH.
func (h *Handler) mediaType(w http.ResponseWriter, r *http.Request, want string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil && mt == want {
		return true
	}
	if r.Method == http.MethodPatch {
		w.Header().Set("Accept-Patch", want)
	}
	h.WriteError(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type must be %s, not %q.", want, r.Header.Get("Content-Type")))
	return false
}

// patchMessage words why a patch was refused.
func patchMessage(err error) string {
	var fe *jsonpatch.FieldError
	var pe *jsonpatch.Error
	switch {
	case errors.As(err, &fe):
		return fmt.Sprintf("Operation %d: %s %q: only these fields can be patched: %s.", fe.Index, fe.Member, fe.Pointer,
			strings.Join(PatchableFields, ", "))
	case errors.As(err, &pe) && errors.Is(err, jsonpatch.ErrTooLarge):
		return fmt.Sprintf("Operation %d (%s) makes the patched client too large: %s.", pe.Index, pe.Op, pe.Reason)
	case errors.As(err, &pe):
		return "Invalid JSON Patch: " + strings.TrimPrefix(pe.Error(), "jsonpatch: ")
	}
	return err.Error()
}

func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}
