// This file holds WHMCS's actions on what users may do for clients:
// CreateClientInvite, DeleteUserClient, GetPermissionsList,
// GetUserPermissions, UpdateUserPermissions and ResetPassword (Project
// Management category in WHMCS's reference, beside the Users actions of
// actions/users.go). A user reaches a client as its owner (every
// permission) or through a link with permissions (store.ClientUserLink),
// which GetUsers and GetClientsDetails list as WHMCS does (their answers
// show no permissions). Every write runs in one transaction; an error
// writes nothing, and an email is sent (to the outbox) only when the call
// succeeds.
//
// Permissions are WHMCS's names (GetPermissionsList), sent comma-separated,
// compared in any case; a name WHMCS does not have answers "Invalid
// permission: <name>" (cut to 40 bytes; whmcsemu's wording: WHMCS
// documents none). They are
// kept in GetPermissionsList's order.
//
// CreateClientInvite: "Email is required" · "Invalid client id" · "The
// email address entered is not valid" · "User permissions are required" ·
// "User already associated with client" (a user with that email owns the
// client or has a link to it). The invite is the "Account Invite" email
// to the address, with the client's merge fields and invite_url, a link
// under the System URL with a random token ("index.php?rp=/invite/<token>").
// Accepting an invite is not emulated (WHMCS documents it for the client
// area only), so no invite is kept.
//
// DeleteUserClient: "Invalid user id" · "Invalid client id" · "User is not
// associated with client" · "You cannot remove the account owner". The
// link and its permissions go; the user stays.
//
// GetPermissionsList: no messages. Answer: permissions.permission, the
// names ("result" as the docs' table says; their example has "status").
//
// GetUserPermissions: "Invalid user id" · "Invalid client id" · "User is
// not associated with client". Answer: permissions, a list of the names
// (WHMCS documents only result; an owner has them all).
//
// UpdateUserPermissions: "Invalid user id" · "Invalid client id" ·
// "Permissions cannot be set on a client owner" · "Missing permissions
// definition" · "User is not associated with client". The link's
// permissions become exactly those sent.
//
// ResetPassword: "Please enter the email address or provide the id" ·
// "Please provide a valid email address" · "User Not Found". id wins when
// both are sent. The "Password Reset Validation" email goes to the user,
// with pw_reset_url, a link under the System URL with a random token
// ("index.php?rp=/password/reset/redeem/<token>"), and the user's name in
// the client merge fields; it is filed under the first client the user
// owns, else the first it can reach (none for a user of no client).
// Redeeming the link is not emulated: the password stays as it is.

package actions

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// userPermissionNames are WHMCS's permissions of a user for a client, in
// GetPermissionsList's order.
var userPermissionNames = []string{"profile", "contacts", "products", "manageproducts", "productsso", "domains",
	"managedomains", "invoices", "quotes", "tickets", "affiliates", "emails", "orders"}

// readPermissions reads a comma-separated list of permission names (or
// several values, each a list): the known names in WHMCS's order; none
// when nothing but commas and spaces was sent.
func readPermissions(sent []string) ([]string, error) {
	have := map[string]bool{}
	for _, part := range strings.Split(strings.Join(sent, ","), ",") {
		name := strings.ToLower(strings.TrimSpace(part))
		if name == "" {
			continue
		}
		if !slices.Contains(userPermissionNames, name) {
			return nil, Errorf("Invalid permission: %s", echoed(strings.TrimSpace(part)))
		}
		have[name] = true
	}
	var out []string
	for _, name := range userPermissionNames {
		if have[name] {
			out = append(out, name)
		}
	}
	return out, nil
}

// userClientAccess checks a user and a client by id, in WHMCS's order,
// and returns the client and the user's link to it (found false when
// there is none; an owner may have none).
func userClientAccess(ctx context.Context, tx *store.Tx, userID, clientID int64) (store.Client, store.ClientUserLink, bool, error) {
	var c store.Client
	var link store.ClientUserLink
	if err := mustExist(ctx, tx.UserExists, userID, Errorf("Invalid user id")); err != nil {
		return c, link, false, err
	}
	c, err := tx.ClientByID(ctx, clientID)
	if err != nil {
		return c, link, false, notFoundAs(err, Errorf("Invalid client id"))
	}
	link, err = tx.ClientUserLinkOf(ctx, clientID, userID)
	if errors.Is(err, store.ErrNotFound) {
		return c, link, false, nil
	}
	return c, link, err == nil, err
}

type createClientInviteRequest struct {
	ClientID    int64    `schema:"client_id"`
	Email       string   `schema:"email"`
	Permissions []string `schema:"permissions"`
}

func createClientInvite(ctx context.Context, env *Env, req *createClientInviteRequest) (any, error) {
	email := strings.TrimSpace(req.Email)
	if email == "" {
		return nil, Errorf("Email is required")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.ClientByID(ctx, req.ClientID)
		if err != nil {
			return notFoundAs(err, Errorf("Invalid client id"))
		}
		if !userEmailValid(email) {
			return Errorf(userEmailInvalid)
		}
		perms, err := readPermissions(req.Permissions)
		if err != nil {
			return err
		}
		if len(perms) == 0 {
			return Errorf("User permissions are required")
		}
		u, err := tx.UserByEmail(ctx, email)
		switch {
		case err == nil && (u.ID == c.OwnerUserID || slices.Contains(c.UserIDs, u.ID)):
			return Errorf("User already associated with client")
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		fields := clientMergeFields(env, c, c.Email)
		fields["invite_url"] = env.Settings().SystemURL + "index.php?rp=/invite/" + env.RandomHex(32)
		fields["invite_account_name"] = clientDisplayName(c)
		fields["invite_sender_name"] = CallerFrom(ctx).AdminUsername
		fields["invite_permissions"] = strings.Join(perms, ", ")
		return sendTemplateTo(ctx, tx, env, "Account Invite", c.ID, email, fields)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("client invite sent", "clientId", req.ClientID)
	return &resultOnly{}, nil
}

// clientDisplayName is a client's company name, else its full name.
func clientDisplayName(c store.Client) string {
	if c.CompanyName != "" {
		return c.CompanyName
	}
	return strings.TrimSpace(c.Firstname + " " + c.Lastname)
}

type userClientRequest struct {
	UserID   int64 `schema:"user_id"`
	ClientID int64 `schema:"client_id"`
}

func deleteUserClient(ctx context.Context, env *Env, req *userClientRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		c, _, linked, err := userClientAccess(ctx, tx, req.UserID, req.ClientID)
		if err != nil {
			return err
		}
		owner := c.OwnerUserID == req.UserID
		if !owner && !linked {
			return Errorf("User is not associated with client")
		}
		if owner {
			return Errorf("You cannot remove the account owner")
		}
		return tx.RemoveClientUser(ctx, req.ClientID, req.UserID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("user removed from client", "userId", req.UserID, "clientId", req.ClientID)
	return &resultOnly{}, nil
}

type getPermissionsListResponse struct {
	success
	Permissions permissionList `json:"permissions"`
}

type permissionList struct {
	Permission []string `json:"permission"`
}

func getPermissionsList(context.Context, *Env, *refNoParams) (any, error) {
	return &getPermissionsListResponse{Permissions: permissionList{Permission: slices.Clone(userPermissionNames)}}, nil
}

type getUserPermissionsResponse struct {
	success
	Permissions []string `json:"permissions"`
}

func getUserPermissions(ctx context.Context, env *Env, req *userClientRequest) (any, error) {
	var perms []string
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		c, link, linked, err := userClientAccess(ctx, tx, req.UserID, req.ClientID)
		switch {
		case err != nil:
			return err
		case c.OwnerUserID == req.UserID:
			perms = slices.Clone(userPermissionNames)
		case linked:
			perms, err = readPermissions([]string{link.Permissions})
		default:
			return Errorf("User is not associated with client")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if perms == nil {
		perms = []string{}
	}
	return &getUserPermissionsResponse{Permissions: perms}, nil
}

type updateUserPermissionsRequest struct {
	UserID      int64    `schema:"user_id"`
	ClientID    int64    `schema:"client_id"`
	Permissions []string `schema:"permissions"`
}

func updateUserPermissions(ctx context.Context, env *Env, req *updateUserPermissionsRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		c, _, linked, err := userClientAccess(ctx, tx, req.UserID, req.ClientID)
		if err != nil {
			return err
		}
		if c.OwnerUserID == req.UserID {
			return Errorf("Permissions cannot be set on a client owner")
		}
		perms, err := readPermissions(req.Permissions)
		if err != nil {
			return err
		}
		if len(perms) == 0 {
			return Errorf("Missing permissions definition")
		}
		if !linked {
			return Errorf("User is not associated with client")
		}
		return tx.SetClientUserPermissions(ctx, req.ClientID, req.UserID, strings.Join(perms, ","))
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("user permissions updated", "userId", req.UserID, "clientId", req.ClientID)
	return &resultOnly{}, nil
}

type resetPasswordRequest struct {
	ID    int64  `schema:"id"`
	Email string `schema:"email"`
}

func resetPassword(ctx context.Context, env *Env, req *resetPasswordRequest) (any, error) {
	email := strings.TrimSpace(req.Email)
	if req.ID == 0 && email == "" {
		return nil, Errorf("Please enter the email address or provide the id")
	}
	if req.ID == 0 && !userEmailValid(email) {
		return nil, Errorf("Please provide a valid email address")
	}
	var userID int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		var u store.User
		var err error
		if req.ID != 0 {
			u, err = tx.UserByID(ctx, req.ID)
		} else {
			u, err = tx.UserByEmail(ctx, email)
		}
		if err != nil {
			return notFoundAs(err, Errorf("User Not Found"))
		}
		userID = u.ID
		clientID, err := tx.UserFirstClient(ctx, u.ID)
		if err != nil {
			return err
		}
		s := env.Settings()
		name := strings.TrimSpace(u.Firstname + " " + u.Lastname)
		fields := companyMergeFields(env)
		maps.Copy(fields, map[string]string{
			"client_name": name, "client_first_name": u.Firstname, "client_last_name": u.Lastname,
			"client_email": u.Email, "user_first_name": u.Firstname, "user_last_name": u.Lastname,
			"user_email":   u.Email,
			"pw_reset_url": s.SystemURL + "index.php?rp=/password/reset/redeem/" + env.RandomHex(32),
		})
		if clientID != 0 {
			fields["client_id"] = strconv.FormatInt(clientID, 10)
		}
		return sendTemplateTo(ctx, tx, env, "Password Reset Validation", clientID, u.Email, fields)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("password reset started", "userId", userID)
	return &resultOnly{}, nil
}

// UserPermissionNames returns WHMCS's permission names in their order;
// fixtures check theirs against it.
func UserPermissionNames() []string { return slices.Clone(userPermissionNames) }
