// This file holds ValidateLogin, which checks a user's email and password.
//
// Messages: "Email or Password Invalid" (every failure, so a caller cannot
// tell an unknown email from a wrong password).

package actions

import (
	"context"
	"errors"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

type validateLoginRequest struct {
	Email     string `schema:"email"`
	Password2 string `schema:"password2"`
}

type validateLoginResponse struct {
	success
	UserID int64 `json:"userid"`
	// PasswordHash is a login session token; WHMCS leaves it out when the
	// user must still pass two-factor authentication.
	PasswordHash     string `json:"passwordhash,omitempty"`
	TwoFactorEnabled bool   `json:"twoFactorEnabled"`
}

func validateLogin(ctx context.Context, env *Env, req *validateLoginRequest) (any, error) {
	invalid := Errorf("Email or Password Invalid")
	if req.Email == "" || req.Password2 == "" {
		return nil, invalid
	}
	var user store.User
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		user, err = tx.UserByEmail(ctx, req.Email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		auth.CheckNothing(req.Password2) // same time as a wrong password
		return nil, invalid
	}
	if err != nil {
		return nil, err
	}
	if !auth.CheckSecretRemembered(user.PasswordHash, req.Password2) {
		return nil, invalid
	}
	resp := &validateLoginResponse{UserID: user.ID, TwoFactorEnabled: user.TwoFactorEnabled}
	if !user.TwoFactorEnabled {
		resp.PasswordHash = env.RandomHex(20)
	}
	return resp, nil
}
