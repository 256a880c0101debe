package sailpoint

import (
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
	var clients []store.SailPointClient
	err = h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		clients, err = tx.SailPointClients(r.Context(), f)
		return err
	})
	if err != nil {
		h.internal(w, r, err)
		return
	}
	out := make([]getResponse, len(clients))
	for i, c := range clients {
		out[i] = toGet(c)
	}
	writeJSON(w, http.StatusOK, out)
}

// get is getOauthClient.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	var c store.SailPointClient
	err := h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		c, err = tx.SailPointClientByID(r.Context(), r.PathValue("id"))
		return err
	})
	if h.failed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, toGet(c))
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
	doc, err := jsonpatch.DecodeDocument(body)
	if err != nil {
		h.WriteError(w, http.StatusBadRequest, "The request body is not valid JSON.")
		return
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		h.WriteError(w, http.StatusBadRequest, "The request body must be a JSON object.")
		return
	}
	now := h.now().UnixMilli()
	c := store.SailPointClient{ID: h.randomHex(16), Created: now, Modified: now}
	if err := (fields{m: obj, create: true}).read(&c); err != nil {
		h.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	secret := h.randomHex(32)
	if c.SecretHash, err = auth.HashSecret(secret); err != nil {
		h.internal(w, r, err)
		return
	}
	err = h.db.Update(r.Context(), func(tx *store.Tx) error { return tx.PutSailPointClient(r.Context(), c) })
	if err != nil {
		h.internal(w, r, err)
		return
	}
	h.log.InfoContext(r.Context(), "sailpoint: client created", "id", c.ID, "by", callerOf(r).clientID)
	writeJSON(w, http.StatusOK, toCreate(c, secret))
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
	p, err := jsonpatch.DecodePatch(body)
	if err != nil {
		h.WriteError(w, http.StatusBadRequest, patchMessage(err))
		return
	}
	if len(p) > MaxPatchOperations {
		h.WriteError(w, http.StatusBadRequest, fmt.Sprintf(
			"Invalid JSON Patch: a patch may hold at most %d operations; this one holds %d.", MaxPatchOperations, len(p)))
		return
	}
	var c store.SailPointClient
	var refused error
	err = h.db.Update(r.Context(), func(tx *store.Tx) (err error) {
		if c, err = tx.SailPointClientByID(r.Context(), r.PathValue("id")); err != nil {
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
		return tx.PutSailPointClient(r.Context(), c)
	})
	if refused != nil {
		h.WriteError(w, http.StatusBadRequest, patchMessage(refused))
		return
	}
	if h.failed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, toGet(c))
}

// delete is deleteOauthClient: 204, and the client's tokens stop working.
func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := h.db.Update(r.Context(), func(tx *store.Tx) error { return tx.DeleteSailPointClient(r.Context(), id) })
	if h.failed(w, r, err) {
		return
	}
	h.log.InfoContext(r.Context(), "sailpoint: client deleted", "id", id, "by", callerOf(r).clientID)
	w.WriteHeader(http.StatusNoContent)
}

// failed answers err (404 for a missing client, else 500) and reports
// whether there was one.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		h.WriteError(w, http.StatusNotFound, fmt.Sprintf("No OAuth client has the id %q.", r.PathValue("id")))
	default:
		h.internal(w, r, err)
	}
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
