// This file holds WHMCS's Users actions: AddUser, GetUsers and UpdateUser.
// A user is a login identity (email and password) that can reach clients.
//
// AddUser: "You did not enter a first name" · "You did not enter a last
// name" · "You did not enter an email address" · "You did not enter a
// password" · "The email address entered is not valid" · "A user already
// exists with that email address".
//
// GetUsers: no messages.
//
// UpdateUser: "Invalid User ID requested" · "One of `email`, `firstname`,
// `lastname`, or `language` is required" · "The email address entered is
// not valid" · "A user already exists with that email address".

package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/store"
)

const (
	userEmailInvalid = "The email address entered is not valid"
	userEmailTaken   = "A user already exists with that email address"
)

type addUserRequest struct {
	Firstname string `schema:"firstname"`
	Lastname  string `schema:"lastname"`
	Email     string `schema:"email"`
	Password2 string `schema:"password2"`
	Language  string `schema:"language"`
}

// userIDResponse is the answer of AddUser and UpdateUser; WHMCS documents
// user_id as a string.
type userIDResponse struct {
	success
	UserID string `json:"user_id"`
}

func addUser(ctx context.Context, env *Env, req *addUserRequest) (any, error) {
	// Required values are checked as PHP's empty() would: "0" is missing too.
	switch {
	case !Truthy(req.Firstname):
		return nil, Errorf("You did not enter a first name")
	case !Truthy(req.Lastname):
		return nil, Errorf("You did not enter a last name")
	case !Truthy(req.Email):
		return nil, Errorf("You did not enter an email address")
	case !Truthy(req.Password2):
		return nil, Errorf("You did not enter a password")
	case !userEmailValid(req.Email):
		return nil, Errorf(userEmailInvalid)
	}
	// Hash before taking the writer, so bcrypt never holds other writes up.
	hash, err := auth.HashSecret(req.Password2)
	if err != nil {
		return nil, err
	}
	user := store.User{Firstname: req.Firstname, Lastname: req.Lastname, Email: req.Email, PasswordHash: hash}
	profile := store.UserProfile{Language: req.Language, CreatedAt: env.Now().Unix()}
	err = env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := userEmailFree(ctx, tx, req.Email, 0); err != nil {
			return err
		}
		user.ID, err = addUserOnce(ctx, tx, user, profile)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("user added", "userId", user.ID)
	return &userIDResponse{UserID: strconv.FormatInt(user.ID, 10)}, nil
}

// addUserOnce adds user, with profile, after userEmailFree: "A user
// already exists with that email address" when another write took the
// email meanwhile.
func addUserOnce(ctx context.Context, tx *store.Tx, user store.User, profile store.UserProfile) (int64, error) {
	id, err := tx.AddUser(ctx, user, profile)
	if errors.Is(err, store.ErrConflict) {
		return 0, Errorf(userEmailTaken)
	}
	return id, err
}

// userEmailFree checks that no user but self (0 for none) has email.
func userEmailFree(ctx context.Context, tx *store.Tx, email string, self int64) error {
	other, err := tx.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case other.ID != self:
		return Errorf(userEmailTaken)
	}
	return nil
}

type getUsersRequest struct {
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	Sorting    string `schema:"sorting"`
	Search     string `schema:"search"`
}

type getUsersResponse struct {
	listHeader
	// Users is a plain list, as WHMCS documents it (no "user" wrapper),
	// left out when the page is empty.
	Users []userItem `json:"users,omitempty"`
}

// userItem is one user of GetUsers, keys in WHMCS's order.
type userItem struct {
	ID             int64            `json:"id"`
	Firstname      string           `json:"firstname"`
	Lastname       string           `json:"lastname"`
	Email          string           `json:"email"`
	DateCreated    string           `json:"datecreated"`
	ValidationData string           `json:"validationdata"`
	Clients        []userClientItem `json:"clients"`
}

type userClientItem struct {
	ID      int64 `json:"id"`
	IsOwner bool  `json:"isOwner"`
}

func getUsers(ctx context.Context, env *Env, req *getUsersRequest) (any, error) {
	filter := store.UserFilter{
		Search: req.Search,
		Desc:   strings.EqualFold(req.Sorting, "desc"),
	}
	filter.Page = listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListUsers, filter)
	if err != nil {
		return nil, err
	}
	resp := &getUsersResponse{listHeader: headerOf(filter.Page, total, len(page))}
	for _, u := range page {
		item := userItem{
			ID: u.ID, Firstname: u.Firstname, Lastname: u.Lastname, Email: u.Email,
			DateCreated: userDateTime(u.CreatedAt), Clients: make([]userClientItem, len(u.Clients)),
		}
		for i, c := range u.Clients {
			item.Clients[i] = userClientItem{ID: c.ClientID, IsOwner: c.Owner}
		}
		resp.Users = append(resp.Users, item)
	}
	return resp, nil
}

// userDateTime formats Unix seconds as MySQL shows a DATETIME (PHP's
// Y-m-d H:i:s), in UTC; 0, an unknown time, is MySQL's zero date.
func userDateTime(unix int64) string {
	if unix == 0 {
		return "0000-00-00 00:00:00"
	}
	return time.Unix(unix, 0).UTC().Format(time.DateTime)
}

type updateUserRequest struct {
	UserID    int64   `schema:"user_id"`
	Firstname *string `schema:"firstname"`
	Lastname  *string `schema:"lastname"`
	Email     *string `schema:"email"`
	Language  *string `schema:"language"`
}

func updateUser(ctx context.Context, env *Env, req *updateUserRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		user, err := tx.UserByID(ctx, req.UserID)
		if err != nil {
			return notFoundAs(err, Errorf("Invalid User ID requested"))
		}
		if req.Email == nil && req.Firstname == nil && req.Lastname == nil && req.Language == nil {
			return Errorf("One of `email`, `firstname`, `lastname`, or `language` is required")
		}
		if req.Email != nil {
			if !userEmailValid(*req.Email) {
				return Errorf(userEmailInvalid)
			}
			if err := userEmailFree(ctx, tx, *req.Email, user.ID); err != nil {
				return err
			}
			user.Email = *req.Email
		}
		setIf(&user.Firstname, req.Firstname)
		setIf(&user.Lastname, req.Lastname)
		profile, err := tx.UserProfileByID(ctx, user.ID)
		if err != nil {
			return err
		}
		setIf(&profile.Language, req.Language)
		if err := tx.UpdateUser(ctx, user, profile); errors.Is(err, store.ErrConflict) {
			return Errorf(userEmailTaken)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("user updated", "userId", req.UserID, "emailChanged", req.Email != nil)
	return &userIDResponse{UserID: strconv.FormatInt(req.UserID, 10)}, nil
}

// userEmailValid approximates PHP's filter_var(FILTER_VALIDATE_EMAIL), which
// WHMCS validates emails with: a local part of dot-separated atoms (no
// quoted strings), "@", and a domain of at least two labels of letters,
// digits and inner hyphens whose last label starts with a letter (or is an
// xn-- label). No IP-literal domains. At most 64 characters before the @,
// 254 in all.
func userEmailValid(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 || len(s) > 254 {
		return false
	}
	for _, atom := range strings.Split(s[:at], ".") {
		if atom == "" {
			return false
		}
		for i := 0; i < len(atom); i++ {
			if c := atom[i]; !userAlnum(c) && !strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", rune(c)) {
				return false
			}
		}
	}
	labels := strings.Split(s[at+1:], ".")
	if len(labels) < 2 {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !userAlnum(c) && c != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return tld[0] >= 'a' && tld[0] <= 'z' || tld[0] >= 'A' && tld[0] <= 'Z' || strings.HasPrefix(strings.ToLower(tld), "xn--")
}

func userAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
