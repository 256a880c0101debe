package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/actions"
)

// WHMCS's pages run WHMCS API actions through the local API
// (Backend.Call): the same actions, checks, messages, fault rules and
// journal as /includes/api.php.

// obj is a decoded JSON object of an answer.
type obj = map[string]any

// call runs an action and decodes its answer (numbers as json.Number).
func (h *Handler) call(ctx context.Context, action string, params url.Values) (obj, error) {
	answer, msg := h.b.Call(ctx, action, params)
	if msg != "" {
		return nil, callError(msg)
	}
	dec := json.NewDecoder(bytes.NewReader(answer))
	dec.UseNumber()
	var out obj
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// callError is a WHMCS error message, shown as it is.
type callError string

func (e callError) Error() string { return string(e) }

// HTTPStatus: a WHMCS refusal is the form's fault.
func (e callError) HTTPStatus() int { return http.StatusBadRequest }

// list digs a list of objects out of an answer: path names the keys
// (such as "clients", "client" for {"clients":{"client":[…]}}).
func list(o obj, path ...string) []obj {
	var v any = o
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	items, _ := v.([]any)
	out := make([]obj, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// str shows a JSON value as text.
func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = str(x)
		}
		return strings.Join(parts, " ")
	}
	return fmt.Sprint(v)
}

// --- OAuth credentials ---

func (h *Handler) whmcsOAuthList(w http.ResponseWriter, r *http.Request) {
	res, err := h.call(r.Context(), "ListOAuthCredentials", nil)
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "ListOAuthCredentials", err)
	}
	h.render(w, r, http.StatusOK, "whmcs-oauth", page{Title: "WHMCS OAuth credentials", Section: "whmcs-oauth", Error: msg,
		Data: list(res, "clients")})
}

// oauthForm is the create and edit form of a WHMCS OAuth credential.
type oauthForm struct {
	ID                               string // "" when creating
	Identifier                       string
	GrantType, Name, Description     string
	ServiceID, LogoURI, RedirectURIs string
	Scopes                           []string
	AllScopes, GrantTypes            []string
	Services                         []obj
}

func (h *Handler) renderOAuthForm(w http.ResponseWriter, r *http.Request, status int, f oauthForm, msg string) {
	f.AllScopes = actions.Scopes
	f.GrantTypes = []string{"authorization_code", "single_sign_on"}
	if res, err := h.call(r.Context(), "GetClientsProducts", url.Values{"limitnum": {"1000"}}); err == nil {
		f.Services = list(res, "products", "product")
	}
	title := "Create OAuth credential"
	if f.ID != "" {
		title = "Edit OAuth credential " + f.ID
	}
	h.render(w, r, status, "whmcs-oauth-form", page{Title: title, Section: "whmcs-oauth", Error: msg, Data: f})
}

func (h *Handler) whmcsOAuthNew(w http.ResponseWriter, r *http.Request) {
	h.renderOAuthForm(w, r, http.StatusOK, oauthForm{GrantType: "authorization_code"}, "")
}

func readOAuthForm(r *http.Request) (oauthForm, url.Values) {
	f := oauthForm{GrantType: r.PostFormValue("grantType"), Name: r.PostFormValue("name"),
		Description: r.PostFormValue("description"), ServiceID: r.PostFormValue("serviceId"),
		LogoURI: r.PostFormValue("logoUri"), RedirectURIs: r.PostFormValue("redirectUri"), Scopes: r.PostForm["scope"]}
	p := url.Values{"grantType": {f.GrantType}, "name": {f.Name}, "description": {f.Description},
		"serviceId": {f.ServiceID}, "logoUri": {f.LogoURI},
		"redirectUri": {strings.Join(strings.Fields(f.RedirectURIs), " ")}, "scope": {strings.Join(f.Scopes, " ")}}
	return f, p
}

func (h *Handler) whmcsOAuthCreate(w http.ResponseWriter, r *http.Request) {
	f, p := readOAuthForm(r)
	res, err := h.call(r.Context(), "CreateOAuthCredential", p)
	if err != nil {
		h.renderOAuthForm(w, r, statusOf(err), f, h.failure(r.Context(), "CreateOAuthCredential", err))
		return
	}
	h.showSecret(w, r, whmcsSecret("OAuth credential created", res, "clientSecret"))
}

// whmcsSecret is the one-time page of a WHMCS client secret.
func whmcsSecret(title string, res obj, secretKey string) secretView {
	return secretView{
		Title:  title,
		Intro:  "Copy the client secret now: the console shows it this once (WHMCS's ListOAuthCredentials still lists it).",
		Secret: secretField{Label: "Client secret", Value: str(res[secretKey]), ID: "secret"},
		Fields: []secretField{{Label: "Client identifier", Value: str(res["clientIdentifier"]), ID: "client-id"},
			{Label: "Credential ID", Value: str(res["credentialId"]), ID: "credential-id"}},
		Back: "whmcs/oauth",
	}
}

// oauthCredential finds credential id in ListOAuthCredentials.
func (h *Handler) oauthCredential(ctx context.Context, id string) (obj, error) {
	res, err := h.call(ctx, "ListOAuthCredentials", nil)
	if err != nil {
		return nil, err
	}
	for _, c := range list(res, "clients") {
		if str(c["credentialId"]) == id {
			return c, nil
		}
	}
	return nil, errNotFound("No OAuth credential has id " + id + ".")
}

func (h *Handler) whmcsOAuthEdit(w http.ResponseWriter, r *http.Request) {
	c, err := h.oauthCredential(r.Context(), r.PathValue("id"))
	if err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	f := oauthForm{ID: r.PathValue("id"), Identifier: str(c["clientIdentifier"]), GrantType: str(c["grantTypes"]),
		Name: str(c["name"]), Description: str(c["description"]), LogoURI: str(c["logoUri"]),
		RedirectURIs: strings.Join(strings.Fields(str(c["redirectUri"])), "\n"), Scopes: strings.Fields(str(c["scope"]))}
	if s := str(c["serviceId"]); s != "0" {
		f.ServiceID = s
	}
	h.renderOAuthForm(w, r, http.StatusOK, f, "")
}

func (h *Handler) whmcsOAuthUpdate(w http.ResponseWriter, r *http.Request) {
	c, err := h.oauthCredential(r.Context(), r.PathValue("id"))
	if err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	f, p := readOAuthForm(r)
	f.ID, f.Identifier = r.PathValue("id"), str(c["clientIdentifier"])
	p.Set("credentialId", f.ID)
	if _, err := h.call(r.Context(), "UpdateOAuthCredential", p); err != nil {
		h.renderOAuthForm(w, r, statusOf(err), f, h.failure(r.Context(), "UpdateOAuthCredential", err))
		return
	}
	h.redirect(w, r, "whmcs/oauth", "updated")
}

func (h *Handler) whmcsOAuthReset(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, err := h.call(r.Context(), "UpdateOAuthCredential", url.Values{"credentialId": {id}, "resetSecret": {"1"}})
	if err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	c, err := h.oauthCredential(r.Context(), id)
	if err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	res["clientIdentifier"], res["credentialId"] = c["clientIdentifier"], c["credentialId"]
	h.showSecret(w, r, whmcsSecret("Secret reset: a new client secret", res, "newClientSecret"))
}

func (h *Handler) whmcsOAuthConfirmDelete(w http.ResponseWriter, r *http.Request) {
	c, err := h.oauthCredential(r.Context(), r.PathValue("id"))
	if err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	id := r.PathValue("id")
	h.render(w, r, http.StatusOK, "confirm-delete", page{Title: "Delete OAuth credential " + id, Section: "whmcs-oauth",
		Data: confirmData{What: "the OAuth credential " + id + " (" + str(c["clientIdentifier"]) + ")",
			Action: "whmcs/oauth/" + url.PathEscape(id) + "/delete", Back: "whmcs/oauth"}})
}

func (h *Handler) whmcsOAuthDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := h.call(r.Context(), "DeleteOAuthCredential", url.Values{"credentialId": {r.PathValue("id")}}); err != nil {
		h.missing(w, r, "whmcs-oauth", err)
		return
	}
	h.redirect(w, r, "whmcs/oauth", "deleted")
}

// --- API credentials, roles, admins ---

func (h *Handler) whmcsAccess(w http.ResponseWriter, r *http.Request) {
	a, err := h.b.Access(r.Context())
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "access", err)
	}
	h.render(w, r, http.StatusOK, "whmcs-access", page{Title: "WHMCS API credentials and roles", Section: "whmcs-access",
		Error: msg, Data: a})
}

// --- clients and what hangs off them (read-only) ---

func (h *Handler) whmcsClients(w http.ResponseWriter, r *http.Request) {
	res, err := h.call(r.Context(), "GetClients", url.Values{"limitnum": {"1000"}})
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "GetClients", err)
	}
	h.render(w, r, http.StatusOK, "whmcs-clients", page{Title: "WHMCS clients", Section: "whmcs-clients", Error: msg,
		Data: list(res, "clients", "client")})
}

type clientData struct {
	Client                             obj
	Services, Invoices, Tickets, Users []obj
	Problems                           []string
}

func (h *Handler) whmcsClient(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		h.notFound(w, r, "Client ids are numbers.")
		return
	}
	res, err := h.call(r.Context(), "GetClientsDetails", url.Values{"clientid": {id}})
	if err != nil {
		h.missing(w, r, "whmcs-clients", notFoundOr(err))
		return
	}
	d := clientData{}
	d.Client, _ = res["client"].(map[string]any)
	d.Users = list(d.Client, "users", "user")
	more := func(action string, p url.Values, path ...string) []obj {
		res, err := h.call(r.Context(), action, p)
		if err != nil {
			d.Problems = append(d.Problems, action+": "+h.failure(r.Context(), action, err))
			return nil
		}
		return list(res, path...)
	}
	d.Services = more("GetClientsProducts", url.Values{"clientid": {id}, "limitnum": {"1000"}}, "products", "product")
	d.Invoices = more("GetInvoices", url.Values{"userid": {id}, "limitnum": {"1000"}}, "invoices", "invoice")
	d.Tickets = more("GetTickets", url.Values{"clientid": {id}, "limitnum": {"1000"}, "ignore_dept_assignments": {"1"}},
		"tickets", "ticket")
	h.render(w, r, http.StatusOK, "whmcs-client", page{Title: "Client " + id + ": " + str(d.Client["fullname"]),
		Section: "whmcs-clients", Data: d})
}

// notFoundOr shows a WHMCS "not found" refusal as a 404.
func notFoundOr(err error) error {
	if ce, ok := err.(callError); ok && strings.Contains(strings.ToLower(string(ce)), "not found") {
		return errNotFound(string(ce))
	}
	return err
}

func (h *Handler) whmcsService(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, err := h.call(r.Context(), "GetClientsProducts", url.Values{"serviceid": {id}})
	items := list(res, "products", "product")
	if err == nil && len(items) == 0 {
		err = errNotFound("No service has id " + id + ".")
	}
	if err != nil {
		h.missing(w, r, "whmcs-clients", err)
		return
	}
	h.render(w, r, http.StatusOK, "whmcs-service", page{Title: "Service " + id + ": " + str(items[0]["name"]),
		Section: "whmcs-clients", Data: items[0]})
}

func (h *Handler) whmcsInvoice(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, err := h.call(r.Context(), "GetInvoice", url.Values{"invoiceid": {id}})
	if err != nil {
		h.missing(w, r, "whmcs-clients", notFoundOr(err))
		return
	}
	h.render(w, r, http.StatusOK, "whmcs-invoice", page{Title: "Invoice " + id, Section: "whmcs-clients",
		Data: struct {
			Invoice obj
			Items   []obj
		}{res, list(res, "items", "item")}})
}

func (h *Handler) whmcsTicket(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	res, err := h.call(r.Context(), "GetTicket", url.Values{"ticketid": {id}})
	if err != nil {
		h.missing(w, r, "whmcs-clients", notFoundOr(err))
		return
	}
	h.render(w, r, http.StatusOK, "whmcs-ticket", page{Title: "Ticket " + str(res["tid"]) + ": " + str(res["subject"]),
		Section: "whmcs-clients", Data: struct {
			Ticket  obj
			Replies []obj
		}{res, list(res, "replies", "reply")}})
}

func (h *Handler) whmcsUsers(w http.ResponseWriter, r *http.Request) {
	res, err := h.call(r.Context(), "GetUsers", url.Values{"limitnum": {"1000"}})
	msg := ""
	if err != nil {
		msg = h.failure(r.Context(), "GetUsers", err)
	}
	h.render(w, r, http.StatusOK, "whmcs-users", page{Title: "WHMCS users", Section: "whmcs-users", Error: msg,
		Data: list(res, "users")})
}

// --- SSO tokens ---

type ssoForm struct {
	ClientID, UserID, Destination, ServiceID, DomainID, RedirectPath string
	Destinations                                                     []string
	Token, URL                                                       string
}

func (h *Handler) renderSSO(w http.ResponseWriter, r *http.Request, status int, f ssoForm, msg string) {
	f.Destinations = []string{""}
	for _, s := range actions.Scopes {
		if strings.HasPrefix(s, "clientarea:") && s != "clientarea:sso" {
			f.Destinations = append(f.Destinations, s)
		}
	}
	f.Destinations = append(f.Destinations, "sso:custom_redirect")
	h.render(w, r, status, "whmcs-sso", page{Title: "WHMCS single sign-on tokens", Section: "whmcs-sso", Error: msg, Data: f})
}

func (h *Handler) whmcsSSO(w http.ResponseWriter, r *http.Request) {
	h.renderSSO(w, r, http.StatusOK, ssoForm{ClientID: r.URL.Query().Get("client_id")}, "")
}

func (h *Handler) whmcsSSOCreate(w http.ResponseWriter, r *http.Request) {
	f := ssoForm{ClientID: r.PostFormValue("client_id"), UserID: r.PostFormValue("user_id"),
		Destination: r.PostFormValue("destination"), ServiceID: r.PostFormValue("service_id"),
		DomainID: r.PostFormValue("domain_id"), RedirectPath: r.PostFormValue("sso_redirect_path")}
	res, err := h.call(r.Context(), "CreateSsoToken", url.Values{"client_id": {f.ClientID}, "user_id": {f.UserID},
		"destination": {f.Destination}, "service_id": {f.ServiceID}, "domain_id": {f.DomainID},
		"sso_redirect_path": {f.RedirectPath}})
	if err != nil {
		h.renderSSO(w, r, statusOf(err), f, h.failure(r.Context(), "CreateSsoToken", err))
		return
	}
	f.Token, f.URL = str(res["access_token"]), str(res["redirect_url"])
	h.renderSSO(w, r, http.StatusOK, f, "")
}
