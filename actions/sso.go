// This file holds CreateSsoToken, which hands out single-use sign-on tokens.
//
// Messages: "A valid client_id or user_id is required" · "Invalid client_id"
// · "Invalid user_id" · "Invalid user_id for client" · "SSO authentication
// blocked for client <id>" · "Invalid destination" · "Token could not be
// provisioned: <reason>" (whmcsemu's reasons: a missing service_id,
// domain_id or sso_redirect_path for a destination that needs one; a
// service or domain that is not the client's).

package actions

import (
	"context"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// SSOTokenLifetime is how long a token from CreateSsoToken can be redeemed.
const SSOTokenLifetime = 60 // seconds

type createSsoTokenRequest struct {
	ClientID        int64  `schema:"client_id"`
	UserID          int64  `schema:"user_id"`
	Destination     string `schema:"destination"`
	ServiceID       int64  `schema:"service_id"`
	DomainID        int64  `schema:"domain_id"`
	SSORedirectPath string `schema:"sso_redirect_path"`
}

type createSsoTokenResponse struct {
	success
	AccessToken string `json:"access_token"`
	RedirectURL string `json:"redirect_url"`
}

func createSsoToken(ctx context.Context, env *Env, req *createSsoTokenRequest) (any, error) {
	if req.ClientID == 0 && req.UserID == 0 {
		return nil, Errorf("A valid client_id or user_id is required")
	}
	now := env.Now().Unix()
	token := store.SSOToken{
		Token:        env.RandomHex(20),
		ClientID:     req.ClientID,
		UserID:       req.UserID,
		Destination:  req.Destination,
		ServiceID:    req.ServiceID,
		DomainID:     req.DomainID,
		RedirectPath: req.SSORedirectPath,
		CreatedAt:    now,
		ExpiresAt:    now + SSOTokenLifetime,
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := ssoSubject(ctx, tx, &token); err != nil {
			return err
		}
		if err := ssoDestination(ctx, tx, token); err != nil {
			return err
		}
		return tx.InsertSSOToken(ctx, token)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("sso token created", "clientId", token.ClientID, "userId", token.UserID, "destination", token.Destination)
	return &createSsoTokenResponse{
		AccessToken: token.Token,
		RedirectURL: env.Settings().SystemURL + "oauth/singlesignon.php?access_token=" + token.Token,
	}, nil
}

// ssoSubject checks who the token signs in and fills in the client's owner
// when no user was named.
func ssoSubject(ctx context.Context, tx *store.Tx, t *store.SSOToken) error {
	var client store.Client
	if t.ClientID != 0 {
		var err error
		if client, err = tx.ClientByID(ctx, t.ClientID); err != nil {
			return notFoundAs(err, Errorf("Invalid client_id"))
		}
	}
	if t.UserID != 0 {
		if err := mustExist(ctx, tx.UserExists, t.UserID, Errorf("Invalid user_id")); err != nil {
			return err
		}
		if t.ClientID != 0 && t.UserID != client.OwnerUserID && !containsID(client.UserIDs, t.UserID) {
			return Errorf("Invalid user_id for client")
		}
	} else {
		if client.OwnerUserID == 0 {
			return Errorf("Token could not be provisioned: client %d has no owner user; pass user_id", t.ClientID)
		}
		t.UserID = client.OwnerUserID
	}
	if t.ClientID != 0 && client.Status == "Closed" {
		return Errorf("SSO authentication blocked for client %d", t.ClientID)
	}
	return nil
}

// ssoDestination checks the destination and what it needs.
func ssoDestination(ctx context.Context, tx *store.Tx, t store.SSOToken) error {
	d := t.Destination
	switch {
	case d == "":
		return nil
	case d == "sso:custom_redirect":
		if t.RedirectPath == "" {
			return Errorf("Token could not be provisioned: sso_redirect_path is required for destination sso:custom_redirect")
		}
		return nil
	case !strings.HasPrefix(d, "clientarea:") || !scopeSet[d] || d == "clientarea:sso":
		return Errorf("Invalid destination")
	}
	switch d {
	case "clientarea:product_details", "clientarea:upgrade":
		if t.ServiceID == 0 {
			return Errorf("Token could not be provisioned: service_id is required for destination %s", d)
		}
		svc, err := tx.ServiceByID(ctx, t.ServiceID)
		return notFoundUnless(err, t.ClientID == 0 || svc.ClientID == t.ClientID,
			Errorf("Token could not be provisioned: service %d does not belong to client %d", t.ServiceID, t.ClientID))
	case "clientarea:domain_details":
		if t.DomainID == 0 {
			return Errorf("Token could not be provisioned: domain_id is required for destination %s", d)
		}
		dom, err := tx.DomainByID(ctx, t.DomainID)
		return notFoundUnless(err, t.ClientID == 0 || dom.ClientID == t.ClientID,
			Errorf("Token could not be provisioned: domain %d does not belong to client %d", t.DomainID, t.ClientID))
	}
	return nil
}

func containsID(list []int64, id int64) bool {
	for _, v := range list {
		if v == id {
			return true
		}
	}
	return false
}
