package console

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/whmcsemu/whmcsemu/internal/sailpoint"
)

// SailPoint's OAuth clients, through package sailpoint's Go operations
// (the code /v3/oauth-clients runs), under Backend.Operation. A create
// sends the form as the create's JSON body; an edit sends a JSON Patch
// that replaces every patchable field, so the dialect's own schema checks
// and limits decide.

// spForm is the create and edit form: every field as text.
type spForm struct {
	ID                                            string // "" when creating
	Name, Description, BusinessName, HomepageURL  string
	AccessTokenValidity, RefreshTokenValidity     string
	RedirectURIs, Scope, Tenant                   string
	GrantTypes                                    []string
	AccessType, Type                              string
	Enabled, StrongAuth, Claims, Internal         bool
	AllGrantTypes, AllAccessTypes, AllClientTypes []string
}

func (h *Handler) spList(w http.ResponseWriter, r *http.Request) {
	clients, err := h.sp.ListClients(r.Context())
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "sailpoint list", err)
	}
	h.render(w, r, http.StatusOK, "sailpoint-clients", page{Title: "SailPoint OAuth clients", Section: "sailpoint",
		Error: msg, Data: clients})
}

func (h *Handler) renderSPForm(w http.ResponseWriter, r *http.Request, status int, f spForm, msg string) {
	f.AllGrantTypes, f.AllAccessTypes, f.AllClientTypes = sailpoint.GrantTypes, sailpoint.AccessTypes, sailpoint.ClientTypes
	title := "Create SailPoint OAuth client"
	if f.ID != "" {
		title = "Edit SailPoint OAuth client " + f.Name
	}
	h.render(w, r, status, "sailpoint-form", page{Title: title, Section: "sailpoint", Error: msg, Data: f})
}

func (h *Handler) spNew(w http.ResponseWriter, r *http.Request) {
	h.renderSPForm(w, r, http.StatusOK, spForm{AccessTokenValidity: "750", RefreshTokenValidity: "86400",
		GrantTypes: []string{"CLIENT_CREDENTIALS"}, AccessType: "OFFLINE", Type: "CONFIDENTIAL", Enabled: true,
		Scope: sailpoint.DefaultScope}, "")
}

func readSPForm(r *http.Request) spForm {
	return spForm{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		BusinessName: r.PostFormValue("businessName"), HomepageURL: r.PostFormValue("homepageUrl"),
		AccessTokenValidity:  r.PostFormValue("accessTokenValiditySeconds"),
		RefreshTokenValidity: r.PostFormValue("refreshTokenValiditySeconds"),
		RedirectURIs:         r.PostFormValue("redirectUris"), Scope: r.PostFormValue("scope"), Tenant: r.PostFormValue("tenant"),
		GrantTypes: r.PostForm["grantTypes"], AccessType: r.PostFormValue("accessType"), Type: r.PostFormValue("type"),
		Enabled: r.PostFormValue("enabled") != "", StrongAuth: r.PostFormValue("strongAuthSupported") != "",
		Claims: r.PostFormValue("claimsSupported") != "", Internal: r.PostFormValue("internal") != ""}
}

// values are the form's fields as the API's JSON values: blank optional
// text null, a whole number a number (anything else stays text, for the
// dialect to refuse), lists from lines or spaces.
func (f spForm) values() map[string]any {
	nullable := func(s string) any {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return s
	}
	number := func(s string) any {
		s = strings.TrimSpace(s)
		var n json.Number = json.Number(s)
		if _, err := n.Int64(); err == nil {
			return n
		}
		return s
	}
	grants := f.GrantTypes
	if grants == nil {
		grants = []string{}
	}
	return map[string]any{
		"name": f.Name, "description": nullable(f.Description), "businessName": nullable(f.BusinessName),
		"homepageUrl": nullable(f.HomepageURL), "accessTokenValiditySeconds": number(f.AccessTokenValidity),
		"refreshTokenValiditySeconds": number(f.RefreshTokenValidity), "redirectUris": fieldsOrEmpty(f.RedirectURIs),
		"grantTypes": grants, "accessType": f.AccessType, "enabled": f.Enabled, "strongAuthSupported": f.StrongAuth,
		"claimsSupported": f.Claims,
	}
}

func fieldsOrEmpty(s string) []string {
	out := strings.Fields(s)
	if out == nil {
		return []string{}
	}
	return out
}

func (h *Handler) spCreate(w http.ResponseWriter, r *http.Request) {
	f := readSPForm(r)
	body := f.values()
	body["type"], body["internal"] = f.Type, f.Internal
	if scope := fieldsOrEmpty(f.Scope); len(scope) > 0 {
		body["scope"] = scope
	}
	doc, _ := json.Marshal(body) // strings, numbers, booleans and lists always encode
	var c sailpoint.CreatedClient
	err := h.b.Operation(r.Context(), "SailPointCreateOAuthClient", func(ctx context.Context) (err error) {
		c, err = h.sp.CreateClient(ctx, doc)
		return err
	})
	if err != nil {
		h.renderSPForm(w, r, statusOf(err), f, h.failure(r.Context(), "sailpoint create", err))
		return
	}
	h.showSecret(w, r, secretView{
		Title:  "SailPoint OAuth client created",
		Intro:  "Copy the client secret now: SailPoint shows it this once, and so does the console.",
		Secret: secretField{Label: "Client secret", Value: c.Secret, ID: "secret"},
		Fields: []secretField{{Label: "Client ID", Value: c.ID, ID: "client-id"},
			{Label: "Token endpoint", Value: origin(r) + "/oauth/token", ID: "token-url"},
			{Label: "Scope", Value: strings.Join(c.Scope, " "), ID: "scope-1"}},
		Example: "curl " + origin(r) + "/oauth/token -d grant_type=client_credentials \\\n  -d client_id=" + c.ID +
			" -d client_secret=<secret>",
		Back: "sailpoint/clients",
	})
}

func (h *Handler) spEdit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	doc, err := h.sp.PatchableValues(r.Context(), id)
	if err != nil {
		h.missing(w, r, "sailpoint", err)
		return
	}
	f := spForm{ID: id, Name: str(doc["name"]), Description: str(doc["description"]), BusinessName: str(doc["businessName"]),
		HomepageURL: str(doc["homepageUrl"]), AccessTokenValidity: str(doc["accessTokenValiditySeconds"]),
		RefreshTokenValidity: str(doc["refreshTokenValiditySeconds"]), Tenant: str(doc["tenant"]),
		AccessType: str(doc["accessType"]), Enabled: doc["enabled"] == true, StrongAuth: doc["strongAuthSupported"] == true,
		Claims: doc["claimsSupported"] == true}
	if uris, ok := doc["redirectUris"].([]any); ok {
		parts := make([]string, len(uris))
		for i, u := range uris {
			parts[i] = str(u)
		}
		f.RedirectURIs = strings.Join(parts, "\n")
	}
	if grants, ok := doc["grantTypes"].([]any); ok {
		for _, g := range grants {
			f.GrantTypes = append(f.GrantTypes, str(g))
		}
	}
	h.renderSPForm(w, r, http.StatusOK, f, "")
}

func (h *Handler) spUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f := readSPForm(r)
	f.ID = id
	values := f.values()
	values["tenant"] = func() any {
		if strings.TrimSpace(f.Tenant) == "" {
			return nil
		}
		return f.Tenant
	}()
	var ops []map[string]any
	for _, field := range sailpoint.PatchableFields {
		ops = append(ops, map[string]any{"op": "replace", "path": "/" + field, "value": values[field]})
	}
	patch, _ := json.Marshal(ops)
	err := h.b.Operation(r.Context(), "SailPointPatchOAuthClient", func(ctx context.Context) error {
		_, err := h.sp.PatchClient(ctx, id, patch)
		return err
	})
	if err != nil {
		h.renderSPForm(w, r, statusOf(err), f, h.failure(r.Context(), "sailpoint patch", err))
		return
	}
	h.redirect(w, r, "sailpoint/clients", "updated")
}

func (h *Handler) spConfirmDelete(w http.ResponseWriter, r *http.Request) {
	c, err := h.sp.GetClient(r.Context(), r.PathValue("id"))
	if err != nil {
		h.missing(w, r, "sailpoint", err)
		return
	}
	h.render(w, r, http.StatusOK, "confirm-delete", page{Title: "Delete SailPoint OAuth client " + c.Name, Section: "sailpoint",
		Data: confirmData{What: "the OAuth client " + c.Name + " (" + c.ID + "); its tokens stop working",
			Action: "sailpoint/clients/" + url.PathEscape(c.ID) + "/delete", Back: "sailpoint/clients"}})
}

func (h *Handler) spDelete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := h.b.Operation(r.Context(), "SailPointDeleteOAuthClient", func(ctx context.Context) error {
		return h.sp.DeleteClient(ctx, id)
	})
	if err != nil {
		h.missing(w, r, "sailpoint", err)
		return
	}
	h.redirect(w, r, "sailpoint/clients", "deleted")
}
