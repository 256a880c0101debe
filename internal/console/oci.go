package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/internal/oci"
	"github.com/whmcsemu/whmcsemu/store"
)

// OCI's console flow (Identity → Users → a user → OAuth 2.0 client
// credentials): the list, "Generate OAuth 2.0 client credential" with
// audience and scope rows, the secret shown once, edit, reset, delete.
// Every change runs package oci's Go operations, the code its HTTP API
// runs, through Backend.Operation (fault rules and the journal, under the
// operation names the HTTP API's requests go by).

type ociUsersData struct {
	Tenancy string
	Users   []oci.User
	Form    struct{ Name, Description, Email string }
}

func (h *Handler) ociUsers(w http.ResponseWriter, r *http.Request) {
	h.renderOCIUsers(w, r, http.StatusOK, ociUsersData{}, "")
}

func (h *Handler) renderOCIUsers(w http.ResponseWriter, r *http.Request, status int, d ociUsersData, msg string) {
	var err error
	if d.Tenancy, err = h.oci.Tenancy(r.Context()); err == nil {
		d.Users, err = h.oci.ListUsers(r.Context())
	}
	if err != nil && msg == "" {
		msg, status = h.failure(r.Context(), "oci users", err), http.StatusInternalServerError
	}
	h.render(w, r, status, "oci-users", page{Title: "OCI users", Section: "oci", Error: msg, Data: d})
}

func (h *Handler) ociCreateUser(w http.ResponseWriter, r *http.Request) {
	var d ociUsersData
	d.Form.Name, d.Form.Description, d.Form.Email = r.PostFormValue("name"), r.PostFormValue("description"), r.PostFormValue("email")
	var u oci.User
	err := h.b.Operation(r.Context(), "OCICreateUser", func(ctx context.Context) (err error) {
		u, err = h.oci.CreateUser(ctx, d.Form.Name, d.Form.Description, d.Form.Email)
		return err
	})
	if err != nil {
		h.renderOCIUsers(w, r, statusOf(err), d, h.failure(r.Context(), "oci create user", err))
		return
	}
	h.redirect(w, r, "oci/users/"+url.PathEscape(u.ID), "user-created")
}

type ociUserData struct {
	User        oci.User
	Credentials []oci.Credential
}

func (h *Handler) ociUser(w http.ResponseWriter, r *http.Request) {
	u, err := h.oci.GetUser(r.Context(), r.PathValue("user"))
	if err != nil {
		h.ociMissing(w, r, err)
		return
	}
	creds, err := h.oci.ListCredentials(r.Context(), u.ID)
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "oci credentials", err)
	}
	h.render(w, r, http.StatusOK, "oci-user", page{Title: "User " + u.Name, Section: "oci", Error: msg,
		Data: ociUserData{User: u, Credentials: creds}})
}

// ociMissing answers a page about a user or credential that is not
// there (or an internal failure).
func (h *Handler) ociMissing(w http.ResponseWriter, r *http.Request, err error) {
	if status, _, msg, ok := oci.ErrorOf(err); ok {
		h.render(w, r, status, "refused", page{Title: "Not found", Section: "oci", Error: msg})
		return
	}
	h.render(w, r, http.StatusInternalServerError, "refused", page{Title: "Internal error", Section: "oci",
		Error: h.failure(r.Context(), "oci", err)})
}

// credentialForm is the generate and edit form.
type credentialForm struct {
	User        oci.User
	Credential  *oci.Credential // nil when generating
	Name        string
	Description string
	Scopes      []store.OCIScope
	Max         int
}

func (h *Handler) ociNewCredential(w http.ResponseWriter, r *http.Request) {
	u, err := h.oci.GetUser(r.Context(), r.PathValue("user"))
	if err != nil {
		h.ociMissing(w, r, err)
		return
	}
	h.renderCredentialForm(w, r, http.StatusOK, credentialForm{User: u, Scopes: []store.OCIScope{{}}}, "")
}

func (h *Handler) renderCredentialForm(w http.ResponseWriter, r *http.Request, status int, f credentialForm, msg string) {
	f.Max = oci.MaxScopes
	title := "Generate OAuth 2.0 client credential"
	if f.Credential != nil {
		title = "Edit OAuth 2.0 client credential " + f.Credential.Name
	}
	h.render(w, r, status, "oci-credential", page{Title: title, Section: "oci", Error: msg, Data: f})
}

// readScopes reads the form's audience and scope rows, and what its
// button asked: "add" a row, "remove-N" row N, or "" to send.
func readScopes(r *http.Request) ([]store.OCIScope, string) {
	auds, scopes := r.PostForm["audience"], r.PostForm["scope"]
	var out []store.OCIScope
	for i := range max(len(auds), len(scopes)) {
		var s store.OCIScope
		if i < len(auds) {
			s.Audience = strings.TrimSpace(auds[i])
		}
		if i < len(scopes) {
			s.Scope = strings.TrimSpace(scopes[i])
		}
		out = append(out, s)
	}
	op := r.PostFormValue("op")
	switch {
	case op == "add":
		if len(out) < oci.MaxScopes {
			out = append(out, store.OCIScope{})
		}
		return out, op
	case strings.HasPrefix(op, "remove-"):
		if i, err := strconv.Atoi(strings.TrimPrefix(op, "remove-")); err == nil && i >= 0 && i < len(out) {
			out = append(out[:i], out[i+1:]...)
		}
		if len(out) == 0 {
			out = []store.OCIScope{{}}
		}
		return out, op
	}
	// Rows left wholly empty are not pairs.
	kept := out[:0]
	for _, s := range out {
		if s.Audience != "" || s.Scope != "" {
			kept = append(kept, s)
		}
	}
	return kept, ""
}

func (h *Handler) ociCreateCredential(w http.ResponseWriter, r *http.Request) {
	u, err := h.oci.GetUser(r.Context(), r.PathValue("user"))
	if err != nil {
		h.ociMissing(w, r, err)
		return
	}
	scopes, op := readScopes(r)
	f := credentialForm{User: u, Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Scopes: scopes}
	if op != "" {
		h.renderCredentialForm(w, r, http.StatusOK, f, "")
		return
	}
	var c oci.Credential
	err = h.b.Operation(r.Context(), "OCICreateOAuth2ClientCredential", func(ctx context.Context) (err error) {
		c, err = h.oci.CreateCredential(ctx, u.ID, f.Name, f.Description, scopes)
		return err
	})
	if err != nil {
		if len(f.Scopes) == 0 {
			f.Scopes = []store.OCIScope{{}}
		}
		h.renderCredentialForm(w, r, statusOf(err), f, h.failure(r.Context(), "oci create credential", err))
		return
	}
	h.showSecret(w, r, h.ociSecret(r, u, c, "OAuth 2.0 client credential generated"))
}

// ociSecret is the one-time page of a credential's password: the OCID
// and fully qualified scopes a token request needs beside it.
func (h *Handler) ociSecret(r *http.Request, u oci.User, c oci.Credential, title string) secretView {
	v := secretView{
		Title: title,
		Intro: "Copy the secret now: it cannot be shown again after you close this page. " +
			"Deliver it to the credential's user securely.",
		Secret: secretField{Label: "Secret (password)", Value: c.Password, ID: "secret"},
		Fields: []secretField{{Label: "Client ID (the credential's OCID)", Value: c.ID, ID: "client-id"},
			{Label: "Token endpoint", Value: origin(r) + oci.TokenPath, ID: "token-url"}},
		Back: "oci/users/" + url.PathEscape(u.ID),
	}
	var fq []string
	for i, s := range c.Scopes {
		fq = append(fq, s.Audience+s.Scope)
		v.Fields = append(v.Fields, secretField{Label: "Fully qualified scope " + strconv.Itoa(i+1) + " (audience + scope)",
			Value: s.Audience + s.Scope, ID: "scope-" + strconv.Itoa(i+1)})
	}
	scope := ""
	if len(fq) > 0 {
		scope = fq[0]
	}
	v.Example = "curl -u '" + c.ID + ":<secret>' -d grant_type=client_credentials \\\n  --data-urlencode 'scope=" +
		scope + "' " + origin(r) + oci.TokenPath
	return v
}

func (h *Handler) ociCredential(r *http.Request) (oci.User, oci.Credential, error) {
	u, err := h.oci.GetUser(r.Context(), r.PathValue("user"))
	if err != nil {
		return u, oci.Credential{}, err
	}
	creds, err := h.oci.ListCredentials(r.Context(), u.ID)
	if err != nil {
		return u, oci.Credential{}, err
	}
	for _, c := range creds {
		if c.ID == r.PathValue("cred") {
			return u, c, nil
		}
	}
	return u, oci.Credential{}, errNotFound("User " + u.Name + " has no OAuth 2.0 client credential " + r.PathValue("cred") + ".")
}

func (h *Handler) ociEditCredential(w http.ResponseWriter, r *http.Request) {
	u, c, err := h.ociCredential(r)
	if err != nil {
		h.missing(w, r, "oci", err)
		return
	}
	h.renderCredentialForm(w, r, http.StatusOK, credentialForm{User: u, Credential: &c, Name: c.Name,
		Description: c.Description, Scopes: c.Scopes}, "")
}

func (h *Handler) ociUpdateCredential(w http.ResponseWriter, r *http.Request) {
	u, c, err := h.ociCredential(r)
	if err != nil {
		h.missing(w, r, "oci", err)
		return
	}
	scopes, op := readScopes(r)
	f := credentialForm{User: u, Credential: &c, Name: c.Name, Description: r.PostFormValue("description"), Scopes: scopes}
	if op != "" {
		h.renderCredentialForm(w, r, http.StatusOK, f, "")
		return
	}
	err = h.b.Operation(r.Context(), "OCIUpdateOAuth2ClientCredential", func(ctx context.Context) error {
		_, err := h.oci.UpdateCredential(ctx, u.ID, c.ID, f.Description, scopes, false)
		return err
	})
	if err != nil {
		if len(f.Scopes) == 0 {
			f.Scopes = []store.OCIScope{{}}
		}
		h.renderCredentialForm(w, r, statusOf(err), f, h.failure(r.Context(), "oci update credential", err))
		return
	}
	h.redirect(w, r, "oci/users/"+url.PathEscape(u.ID), "updated")
}

func (h *Handler) ociResetCredential(w http.ResponseWriter, r *http.Request) {
	u, c, err := h.ociCredential(r)
	if err != nil {
		h.missing(w, r, "oci", err)
		return
	}
	var out oci.Credential
	err = h.b.Operation(r.Context(), "OCIUpdateOAuth2ClientCredential", func(ctx context.Context) (err error) {
		out, err = h.oci.UpdateCredential(ctx, u.ID, c.ID, c.Description, c.Scopes, true)
		return err
	})
	if err != nil {
		h.renderCredentialForm(w, r, statusOf(err), credentialForm{User: u, Credential: &c, Name: c.Name,
			Description: c.Description, Scopes: c.Scopes}, h.failure(r.Context(), "oci reset", err))
		return
	}
	h.showSecret(w, r, h.ociSecret(r, u, out, "Secret reset: a new secret for "+c.Name))
}

func (h *Handler) ociConfirmDelete(w http.ResponseWriter, r *http.Request) {
	u, c, err := h.ociCredential(r)
	if err != nil {
		h.missing(w, r, "oci", err)
		return
	}
	h.render(w, r, http.StatusOK, "confirm-delete", page{Title: "Delete credential " + c.Name, Section: "oci",
		Data: confirmData{What: "the OAuth 2.0 client credential " + c.Name + " (" + c.ID + ") of user " + u.Name,
			Action: "oci/users/" + url.PathEscape(u.ID) + "/credentials/" + url.PathEscape(c.ID) + "/delete",
			Back:   "oci/users/" + url.PathEscape(u.ID)}})
}

func (h *Handler) ociDeleteCredential(w http.ResponseWriter, r *http.Request) {
	user, id := r.PathValue("user"), r.PathValue("cred")
	err := h.b.Operation(r.Context(), "OCIDeleteOAuth2ClientCredential", func(ctx context.Context) error {
		return h.oci.DeleteCredential(ctx, user, id)
	})
	if err != nil {
		h.missing(w, r, "oci", err)
		return
	}
	h.redirect(w, r, "oci/users/"+url.PathEscape(user), "deleted")
}

// confirmData is a delete's confirmation page.
type confirmData struct {
	What, Action, Back string
}

// statusOf is the HTTP status an operation's refusal goes with (400 for
// an internal error's page is wrong: 500).
func statusOf(err error) int {
	if s, ok := err.(interface{ HTTPStatus() int }); ok {
		return s.HTTPStatus()
	}
	if status, _, _, ok := oci.ErrorOf(err); ok {
		return status
	}
	if fe, ok := err.(*FaultError); ok && fe.Status >= 400 {
		return fe.Status
	}
	if _, ok := err.(notFoundError); ok {
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// notFoundError is a page's "no such thing".
type notFoundError string

func (e notFoundError) Error() string { return string(e) }

func errNotFound(msg string) error { return notFoundError(msg) }

// missing answers a page for a failed lookup.
func (h *Handler) missing(w http.ResponseWriter, r *http.Request, section string, err error) {
	status := statusOf(err)
	msg := err.Error()
	if _, ok := err.(notFoundError); !ok {
		msg = h.failure(r.Context(), section, err)
	}
	title := "Not found"
	if status >= 500 {
		title = "Error"
	} else if status != http.StatusNotFound {
		title = http.StatusText(status)
	}
	h.render(w, r, status, "refused", page{Title: title, Section: section, Error: msg})
}
