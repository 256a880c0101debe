// This file holds WHMCS's OAuth credential actions.
//
// CreateOAuthCredential: "A valid grant type is required." · "The requested
// grant type "x" is invalid." · "A name for the Client Credential is
// required." · "A service ID is required for the single sign-on grant
// type." · "A valid Service ID is required." · "Service ID not associated
// with valid Client." · "At least one valid scope is required." · "The
// requested scope "x" is invalid."
//
// ListOAuthCredentials: an unknown sortField or sortOrder (WHMCS would pass
// them to SQL; whmcsemu allows known columns only).
//
// UpdateOAuthCredential: "A Credential ID or Client Identifier is
// required." · "Invalid Credential ID provided." · "Invalid Client
// Identifier provided." · then the grant, name, service and scope messages
// of CreateOAuthCredential.
//
// DeleteOAuthCredential: "Invalid Credential ID provided."

package actions

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode"

	"github.com/whmcsemu/whmcsemu/store"
)

const (
	grantAuthorizationCode = "authorization_code"
	grantSingleSignOn      = "single_sign_on"
)

// Scopes are the OAuth scopes WHMCS permits, in WHMCS's id order.
var Scopes = []string{
	"clientarea:sso", "clientarea:profile", "clientarea:billing_info", "clientarea:emails",
	"clientarea:announcements", "clientarea:downloads", "clientarea:knowledgebase",
	"clientarea:network_status", "clientarea:services", "clientarea:product_details",
	"clientarea:domains", "clientarea:domain_details", "clientarea:invoices", "clientarea:tickets",
	"clientarea:submit_ticket", "clientarea:shopping_cart", "clientarea:shopping_cart_addons",
	"clientarea:shopping_cart_domain_register", "clientarea:shopping_cart_domain_transfer",
	"openid", "email", "profile", "clientarea:upgrade", "sso:custom_redirect",
}

var scopeSet = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range Scopes {
		m[s] = true
	}
	return m
}()

type createOAuthCredentialRequest struct {
	GrantType   string   `schema:"grantType"`
	Scope       []string `schema:"scope"`
	Name        string   `schema:"name"`
	ServiceID   int64    `schema:"serviceId"`
	Description string   `schema:"description"`
	LogoURI     string   `schema:"logoUri"`
	RedirectURI []string `schema:"redirectUri"`
}

type createOAuthCredentialResponse struct {
	success
	CredentialID     int64  `json:"credentialId"`
	ClientIdentifier string `json:"clientIdentifier"`
	ClientSecret     string `json:"clientSecret"`
}

func createOAuthCredential(ctx context.Context, env *Env, req *createOAuthCredentialRequest) (any, error) {
	if err := checkGrant(req.GrantType, true); err != nil {
		return nil, err
	}
	if req.GrantType == grantAuthorizationCode && req.Name == "" {
		return nil, Errorf("A name for the Client Credential is required.")
	}
	if req.GrantType == grantSingleSignOn && req.ServiceID == 0 {
		return nil, Errorf("A service ID is required for the single sign-on grant type.")
	}
	now := env.Now().Unix()
	cred := store.OAuthCredential{
		Secret:       NewClientSecret(env),
		Name:         req.Name,
		Description:  req.Description,
		GrantTypes:   req.GrantType,
		LogoURI:      req.LogoURI,
		RedirectURIs: splitRedirects(req.RedirectURI),
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if req.ServiceID != 0 {
			userID, err := serviceUser(ctx, tx, req.ServiceID)
			if err != nil {
				return err
			}
			cred.ServiceID, cred.UserID = req.ServiceID, userID
		}
		scopes, err := parseScopes(req.Scope, true)
		if err != nil {
			return err
		}
		cred.Scopes = scopes
		for attempt := 0; ; attempt++ {
			cred.Identifier = NewClientIdentifier(env, env.Settings().CompanyName)
			cred.ID, err = tx.PutOAuthCredential(ctx, cred)
			if !errors.Is(err, store.ErrConflict) || attempt == 3 {
				return err
			}
		}
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("oauth credential created", "credentialId", cred.ID, "clientIdentifier", cred.Identifier)
	return &createOAuthCredentialResponse{
		CredentialID:     cred.ID,
		ClientIdentifier: cred.Identifier,
		ClientSecret:     cred.Secret,
	}, nil
}

// checkGrant validates a grant type; required says whether an empty one is
// an error (on create) rather than "unchanged" (on update).
func checkGrant(grant string, required bool) error {
	switch grant {
	case grantAuthorizationCode, grantSingleSignOn:
		return nil
	case "":
		if required {
			return Errorf("A valid grant type is required.")
		}
		return nil
	}
	return Errorf("The requested grant type \"%s\" is invalid.", grant)
}

// serviceUser checks a service id and returns the owner user of the
// service's client, who becomes the credential's user.
func serviceUser(ctx context.Context, tx *store.Tx, serviceID int64) (int64, error) {
	svc, err := tx.ServiceByID(ctx, serviceID)
	if err != nil {
		return 0, notFoundAs(err, Errorf("A valid Service ID is required."))
	}
	client, err := tx.ClientByID(ctx, svc.ClientID)
	return client.OwnerUserID, notFoundUnless(err, client.OwnerUserID != 0,
		Errorf("Service ID not associated with valid Client."))
}

// ParseScopes checks a space-separated scope list as CreateOAuthCredential
// does and returns the scopes, or the WHMCS message for the first bad one.
func ParseScopes(scope string) ([]string, error) { return parseScopes([]string{scope}, true) }

// parseScopes splits the space-separated scope list as PHP's explode does
// (so a doubled space yields the empty scope "") and checks each name.
// Several scope values (scope[]=a&scope[]=b) are joined with spaces first.
func parseScopes(values []string, required bool) ([]string, error) {
	joined := strings.Join(values, " ")
	if joined == "" {
		if required {
			return nil, Errorf("At least one valid scope is required.")
		}
		return nil, nil
	}
	var out []string
	for _, s := range strings.Split(joined, " ") {
		if !scopeSet[s] {
			return nil, Errorf("The requested scope \"%s\" is invalid.", s)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// splitRedirects accepts redirect URIs as an array, a space-separated
// string, or both.
func splitRedirects(values []string) []string {
	out := []string{}
	for _, v := range values {
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// NewClientSecret makes an OAuth client secret as WHMCS does: base64 of 64
// random bytes (88 characters).
func NewClientSecret(env *Env) string { return env.RandomBase64(64) }

// NewClientIdentifier makes a client identifier as WHMCS does: the company
// name as a prefix (spaces to dashes, only letters, digits and dashes, at
// most 16 characters, upper case), a dot, and base64 of 16 random bytes.
func NewClientIdentifier(env *Env, companyName string) string {
	var prefix strings.Builder
	for _, r := range companyName {
		if prefix.Len() == 16 {
			break
		}
		switch {
		case r == ' ':
			prefix.WriteByte('-')
		case r == '-' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			prefix.WriteRune(unicode.ToUpper(r))
		}
	}
	if prefix.Len() == 0 {
		prefix.WriteString("WHMCS")
	}
	return prefix.String() + "." + env.RandomBase64(16)
}

type listOAuthCredentialsRequest struct {
	GrantType string `schema:"grantType"`
	SortField string `schema:"sortField"`
	SortOrder string `schema:"sortOrder"`
	Limit     int    `schema:"limit"`
}

type listOAuthCredentialsResponse struct {
	success
	Clients []oauthCredential `json:"clients"`
}

// oauthCredential is one item of ListOAuthCredentials, keys in WHMCS's order.
type oauthCredential struct {
	CredentialID     int64    `json:"credentialId"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	GrantTypes       string   `json:"grantTypes"`
	Scope            string   `json:"scope"`
	ClientIdentifier string   `json:"clientIdentifier"`
	ClientSecret     string   `json:"clientSecret"`
	UUID             *string  `json:"uuid"`
	ServiceID        int64    `json:"serviceId"`
	LogoURI          string   `json:"logoUri"`
	RedirectURI      []string `json:"redirectUri"`
	RSAKeyPairID     int64    `json:"rsaKeyPairId"`
	CreatedAt        string   `json:"createdAt"`
	UpdatedAt        string   `json:"updatedAt"`
}

// oauthSortKeys maps what callers pass as sortField (WHMCS's column names
// or the response's key names, compared like action names) to store sort keys.
var oauthSortKeys = map[string]string{
	"id": "id", "credentialid": "id",
	"identifier": "identifier", "clientidentifier": "identifier",
	"name": "name", "description": "description",
	"granttypes": "grant_types", "granttype": "grant_types",
	"serviceid": "service_id", "userid": "user_id", "logouri": "logo_uri",
	"createdat": "created_at", "updatedat": "updated_at",
}

func listOAuthCredentials(ctx context.Context, env *Env, req *listOAuthCredentialsRequest) (any, error) {
	filter := store.OAuthFilter{GrantType: req.GrantType, Limit: max(req.Limit, 0)}
	if req.SortField != "" {
		key, ok := oauthSortKeys[Normalize(req.SortField)]
		if !ok {
			return nil, Errorf("Invalid sortField \"%s\": sort by one of credentialId, clientIdentifier, name, description, grantTypes, serviceId, logoUri, createdAt, updatedAt.", req.SortField)
		}
		filter.SortKey = key
	}
	switch strings.ToLower(req.SortOrder) {
	case "", "asc":
	case "desc":
		filter.Desc = true
	default:
		return nil, Errorf("Order direction must be \"asc\" or \"desc\".")
	}
	var creds []store.OAuthCredential
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		creds, err = tx.OAuthCredentials(ctx, filter)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &listOAuthCredentialsResponse{Clients: make([]oauthCredential, len(creds))}
	for i, c := range creds {
		resp.Clients[i] = oauthCredential{
			CredentialID:     c.ID,
			Name:             c.Name,
			Description:      c.Description,
			GrantTypes:       c.GrantTypes,
			Scope:            strings.Join(c.Scopes, " "),
			ClientIdentifier: c.Identifier,
			ClientSecret:     c.Secret,
			ServiceID:        c.ServiceID,
			LogoURI:          c.LogoURI,
			RedirectURI:      c.RedirectURIs,
			RSAKeyPairID:     c.RSAKeyPairID,
			CreatedAt:        PHPDate(c.CreatedAt),
			UpdatedAt:        PHPDate(c.UpdatedAt),
		}
	}
	return resp, nil
}

type updateOAuthCredentialRequest struct {
	CredentialID        int64    `schema:"credentialId"`
	ClientAPIIdentifier string   `schema:"clientApiIdentifier"`
	ClientIdentifier    string   `schema:"clientIdentifier"`
	Name                *string  `schema:"name"`
	Description         *string  `schema:"description"`
	GrantType           *string  `schema:"grantType"`
	Scope               []string `schema:"scope"`
	ServiceID           *int64   `schema:"serviceId"`
	LogoURI             *string  `schema:"logoUri"`
	RedirectURI         []string `schema:"redirectUri"`
	ResetSecret         bool     `schema:"resetSecret"`
}

type updateOAuthCredentialResponse struct {
	success
	CredentialID    int64  `json:"credentialId"`
	NewClientSecret string `json:"newClientSecret,omitempty"`
}

func updateOAuthCredential(ctx context.Context, env *Env, req *updateOAuthCredentialRequest) (any, error) {
	identifier := req.ClientAPIIdentifier
	if identifier == "" {
		identifier = req.ClientIdentifier
	}
	if req.CredentialID == 0 && identifier == "" {
		return nil, Errorf("A Credential ID or Client Identifier is required.")
	}
	resp := &updateOAuthCredentialResponse{}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		var cred store.OAuthCredential
		var err error
		if req.CredentialID != 0 {
			cred, err = tx.OAuthCredentialByID(ctx, req.CredentialID)
			err = notFoundAs(err, Errorf("Invalid Credential ID provided."))
		} else {
			cred, err = tx.OAuthCredentialByIdentifier(ctx, identifier)
			err = notFoundAs(err, Errorf("Invalid Client Identifier provided."))
		}
		if err != nil {
			return err
		}
		if req.GrantType != nil {
			if err := checkGrant(*req.GrantType, false); err != nil {
				return err
			}
			cred.GrantTypes = *req.GrantType
		}
		setIf(&cred.Name, req.Name)
		setIf(&cred.Description, req.Description)
		setIf(&cred.LogoURI, req.LogoURI)
		if cred.GrantTypes == grantAuthorizationCode && cred.Name == "" {
			return Errorf("A name for the Client Credential is required.")
		}
		if req.ServiceID != nil {
			cred.ServiceID, cred.UserID = *req.ServiceID, 0
		}
		if cred.GrantTypes == grantSingleSignOn && cred.ServiceID == 0 {
			return Errorf("A service ID is required for the single sign-on grant type.")
		}
		if req.ServiceID != nil && *req.ServiceID != 0 {
			if cred.UserID, err = serviceUser(ctx, tx, *req.ServiceID); err != nil {
				return err
			}
		}
		if req.Scope != nil {
			if cred.Scopes, err = parseScopes(req.Scope, true); err != nil {
				return err
			}
		}
		if req.RedirectURI != nil {
			cred.RedirectURIs = splitRedirects(req.RedirectURI)
		}
		if req.ResetSecret {
			cred.Secret = NewClientSecret(env)
			resp.NewClientSecret = cred.Secret
		}
		cred.UpdatedAt = env.Now().Unix()
		resp.CredentialID, err = tx.PutOAuthCredential(ctx, cred)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("oauth credential updated", "credentialId", resp.CredentialID, "secretReset", req.ResetSecret)
	return resp, nil
}

type deleteOAuthCredentialRequest struct {
	CredentialID int64 `schema:"credentialId"`
}

type deleteOAuthCredentialResponse struct {
	success
	CredentialID int64 `json:"credentialId"`
}

func deleteOAuthCredential(ctx context.Context, env *Env, req *deleteOAuthCredentialRequest) (any, error) {
	return changeOne(ctx, env, Errorf("Invalid Credential ID provided."), func(tx *store.Tx) error {
		return tx.DeleteOAuthCredential(ctx, req.CredentialID)
	}, &deleteOAuthCredentialResponse{CredentialID: req.CredentialID},
		"oauth credential deleted", "credentialId", req.CredentialID)
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
