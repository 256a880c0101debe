package whmcsemu_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// usersPage is GetUsers' answer.
type usersPage struct {
	Result       string `json:"result"`
	Message      string `json:"message"`
	TotalResults int    `json:"totalresults"`
	StartNumber  int    `json:"startnumber"`
	NumReturned  int    `json:"numreturned"`
	Users        []struct {
		ID          int    `json:"id"`
		Email       string `json:"email"`
		Firstname   string `json:"firstname"`
		DateCreated string `json:"datecreated"`
		Clients     []struct {
			ID      int  `json:"id"`
			IsOwner bool `json:"isOwner"`
		} `json:"clients"`
	} `json:"users"`
}

// usersLogin runs ValidateLogin and returns the user id, or 0 on failure.
func usersLogin(t *testing.T, srv *whmcstest.Server, email, password string) int64 {
	t.Helper()
	var got struct {
		UserID int64 `json:"userid"`
	}
	if call(t, srv, "ValidateLogin", url.Values{"email": {email}, "password2": {password}}, &got).Result != "success" {
		return 0
	}
	return got.UserID
}

// usersExported is the users section of an export.
type usersExported struct {
	Users []usersRow `json:"users"`
}

type usersRow struct {
	ID           int64  `json:"id"`
	PasswordHash string `json:"passwordHash"`
	Language     string `json:"language"`
	CreatedAt    string `json:"createdAt"`
}

func TestUsersAddThenValidateLogin(t *testing.T) {
	srv := newDemo(t)
	var added struct {
		UserID any `json:"user_id"`
	}
	must(t, srv, "AddUser", url.Values{"firstname": {"Nia"}, "lastname": {"Moe"},
		"email": {"Nia@Example.com"}, "password2": {"nia password"}, "language": {"french"}}, &added)
	require.IsType(t, "", added.UserID, "user_id is a string, as WHMCS documents it")
	id, err := strconv.ParseInt(added.UserID.(string), 10, 64)
	require.NoError(t, err)

	assert.Equal(t, id, usersLogin(t, srv, "nia@example.com", "nia password"), "email in any case")
	assert.Zero(t, usersLogin(t, srv, "nia@example.com", "nia-password"))

	// The export shows what the database holds.
	var doc usersExported
	data := export(t, srv, &doc)
	assert.NotContains(t, data, "nia password")
	i := slices.IndexFunc(doc.Users, func(u usersRow) bool { return u.ID == id })
	require.GreaterOrEqual(t, i, 0)
	u := doc.Users[i]
	assert.True(t, auth.IsHash(u.PasswordHash), "only a bcrypt hash is stored")
	assert.Equal(t, "french", u.Language)
	assert.Equal(t, testClock.Format(time.RFC3339), u.CreatedAt)
}

func TestUsersUpdateEmailKeepsLogin(t *testing.T) {
	srv := newDemo(t)
	must(t, srv, "UpdateUser", url.Values{"user_id": {"3"}, "email": {"lee.poe@example.org"}}, nil)

	assert.Equal(t, int64(3), usersLogin(t, srv, "lee.poe@example.org", "lee-password"))
	assert.Equal(t, int64(3), usersLogin(t, srv, "LEE.POE@example.org", "lee-password"))
	assert.Zero(t, usersLogin(t, srv, "lee@example.com", "lee-password"), "the old email no longer logs in")

	// The old email is free again; the new one is taken.
	must(t, srv, "AddUser", url.Values{"firstname": {"New"}, "lastname": {"Lee"},
		"email": {"lee@example.com"}, "password2": {"x"}}, nil)
	assert.Equal(t, "A user already exists with that email address", call(t, srv, "AddUser", url.Values{"firstname": {"New"},
		"lastname": {"Lee"}, "email": {"Lee.Poe@Example.org"}, "password2": {"x"}}, nil).Message)

	// Names and clients stay as they were.
	var page usersPage
	call(t, srv, "GetUsers", url.Values{"search": {"lee.poe"}}, &page)
	require.Len(t, page.Users, 1)
	assert.Equal(t, "Lee", page.Users[0].Firstname)
	assert.Equal(t, "lee.poe@example.org", page.Users[0].Email)
	assert.Len(t, page.Users[0].Clients, 2)
}

func TestUsersGetUsersPaging(t *testing.T) {
	srv := newDemo(t)
	srv.Emulator().Clock().Set(testClock.Add(36 * time.Hour))
	for i := range 30 {
		must(t, srv, "AddUser", url.Values{"firstname": {fmt.Sprintf("Page%02d", i)}, "lastname": {"User"},
			"email": {fmt.Sprintf("page%02d@example.com", i)}, "password2": {"pw"}}, nil)
	}

	for _, tc := range []struct {
		params                        url.Values
		start, returned, first, total int
	}{
		{url.Values{}, 0, 25, 1, 33},                                               // limitnum defaults to 25
		{url.Values{"limitstart": {"25"}}, 25, 8, 26, 33},                          // the rest
		{url.Values{"limitstart": {"30"}, "limitnum": {"5"}}, 30, 3, 31, 33},       // a short last page
		{url.Values{"limitstart": {"2"}, "limitnum": {"3"}}, 2, 3, 3, 33},          // a page in the middle
		{url.Values{"limitnum": {"0"}}, 0, 25, 1, 33},                              // 0 means the default
		{url.Values{"limitstart": {"-5"}, "limitnum": {"1"}}, 0, 1, 1, 33},         // no negative offset
		{url.Values{"limitnum": {"100"}, "sorting": {"desc"}}, 0, 33, 33, 33},      // newest first
		{url.Values{"search": {"page1"}, "limitnum": {"4"}}, 0, 4, 14, 10},         // page10 … page19
		{url.Values{"search": {"page1"}, "limitstart": {"8"}}, 8, 2, 22, 10},       // the search, paged
		{url.Values{"search": {"Page05 User"}}, 0, 1, 9, 1},                        // full name
		{url.Values{"limitstart": {"33"}}, 33, 0, 0, 33},                           // past the end
		{url.Values{"search": {"page_"}}, 0, 0, 0, 0},                              // _ is literal
		{url.Values{"search": {"example.com"}}, 0, 0, 0, 0},                        // a prefix, not a substring
		{url.Values{"limitstart": {"abc"}, "limitnum": {"2abc"}}, 0, 2, 1, 33},     // read as PHP's (int)
		{url.Values{"sorting": {"sideways"}, "limitnum": {"1"}}, 0, 1, 1, 33},      // unknown sorting: ASC
		{url.Values{"search": {"JANE"}, "sorting": {"DESC"}}, 0, 1, 1, 1},          // case-insensitive
		{url.Values{"search": {"user"}, "limitnum": {"1"}}, 0, 1, 4, 30},           // last name
		{url.Values{"search": {"Page29"}, "limitstart": {"1"}}, 1, 0, 0, 1},        // past a search's end
		{url.Values{"limitnum": {"1000000"}, "limitstart": {"32"}}, 32, 1, 33, 33}, // a huge page
	} {
		var page usersPage
		body := must(t, srv, "GetUsers", tc.params, &page).Body
		name := tc.params.Encode()
		assert.Equal(t, tc.total, page.TotalResults, "totalresults %s", name)
		assert.Equal(t, tc.start, page.StartNumber, "startnumber %s", name)
		assert.Equal(t, tc.returned, page.NumReturned, "numreturned %s", name)
		assert.Len(t, page.Users, tc.returned, name)
		if tc.returned == 0 {
			assert.NotContains(t, body, `"users"`, "no rows: no list key (%s)", name)
			continue
		}
		assert.Equal(t, tc.first, page.Users[0].ID, "first id %s", name)
		for i := 1; i < len(page.Users); i++ {
			step := 1
			if tc.params.Get("sorting") == "desc" || tc.params.Get("sorting") == "DESC" {
				step = -1
			}
			assert.Equal(t, page.Users[i-1].ID+step, page.Users[i].ID, "ids in order %s", name)
		}
	}

	var page usersPage
	call(t, srv, "GetUsers", url.Values{"limitstart": {"2"}, "limitnum": {"2"}}, &page)
	require.Len(t, page.Users, 2)
	assert.Equal(t, "2016-11-18 09:32:24", page.Users[0].DateCreated, "a fixture user: created when loaded")
	assert.Equal(t, "2016-11-19 21:32:24", page.Users[1].DateCreated, "an added user: the emulator's clock, UTC")
	assert.Empty(t, page.Users[1].Clients)
	assert.Contains(t, call(t, srv, "GetUsers", url.Values{"limitstart": {"3"}, "limitnum": {"1"}}, nil).Body,
		`"clients":[]`, "a user without clients has an empty list")
}

func TestUsersDuplicateEmailWritesNothing(t *testing.T) {
	srv := newDemo(t)
	before := export(t, srv, nil)
	for _, tc := range []struct {
		action string
		params url.Values
		want   string
	}{
		{"AddUser", url.Values{"firstname": {"J"}, "lastname": {"D"}, "email": {"jane@example.com"}, "password2": {"p"}},
			"A user already exists with that email address"},
		{"AddUser", url.Values{"firstname": {"J"}, "lastname": {"D"}, "email": {"JANE@EXAMPLE.COM"}, "password2": {"p"}},
			"A user already exists with that email address"},
		{"UpdateUser", url.Values{"user_id": {"2"}, "firstname": {"Changed"}, "email": {"Jane@example.com"}},
			"A user already exists with that email address"},
		{"UpdateUser", url.Values{"user_id": {"2"}, "firstname": {"Changed"}, "email": {"jane@"}},
			"The email address entered is not valid"},
		{"UpdateUser", url.Values{"user_id": {"99"}, "firstname": {"Changed"}}, "Invalid User ID requested"},
		{"UpdateUser", url.Values{"user_id": {"0"}, "firstname": {"Changed"}}, "Invalid User ID requested"},
		{"UpdateUser", url.Values{"user_id": {"2"}, "password2": {"ignored"}},
			"One of `email`, `firstname`, `lastname`, or `language` is required"},
		{"UpdateUser", url.Values{"user_id": {"2"}, "firstname": {""}, "email": {""}},
			"One of `email`, `firstname`, `lastname`, or `language` is required"}, // empty means absent
	} {
		r := call(t, srv, tc.action, tc.params, nil)
		assert.Equal(t, "error", r.Result, "%s %v", tc.action, tc.params)
		assert.Equal(t, tc.want, r.Message, "%s %v", tc.action, tc.params)
		// The local API gives the same answer.
		assert.Equal(t, r, call(t, srv, tc.action, tc.params, nil, localAPI{"admin"}), "%s %v", tc.action, tc.params)
	}
	assert.Equal(t, before, export(t, srv, nil), "failed calls wrote nothing")
	assert.Equal(t, int64(1), usersLogin(t, srv, "jane@example.com", "jane-password"))
	assert.Equal(t, int64(2), usersLogin(t, srv, "sam@example.com", "sam-password"))
}

func TestUsersAddUserValidation(t *testing.T) {
	srv := newDemo(t)
	before := export(t, srv, nil)
	full := url.Values{"firstname": {"Nia"}, "lastname": {"Moe"}, "email": {"nia@example.com"}, "password2": {"pw"}}
	with := func(key, value string) url.Values {
		out := url.Values{}
		for k, v := range full {
			out[k] = v
		}
		if value == "" {
			out.Del(key)
		} else {
			out.Set(key, value)
		}
		return out
	}
	// The documented order: names, email, password, then the email's form.
	for _, tc := range []struct {
		params url.Values
		want   string
	}{
		{url.Values{"email": {"bad"}}, "You did not enter a first name"},
		{url.Values{"firstname": {"Nia"}, "email": {"bad"}}, "You did not enter a last name"},
		{url.Values{"firstname": {"Nia"}, "lastname": {"Moe"}, "password2": {"pw"}}, "You did not enter an email address"},
		{url.Values{"firstname": {"Nia"}, "lastname": {"Moe"}, "email": {"bad"}}, "You did not enter a password"},
		{with("firstname", "0"), "You did not enter a first name"}, // PHP's empty("0")
		{with("email", "nia"), "The email address entered is not valid"},
		{with("email", "nia@"), "The email address entered is not valid"},
		{with("email", "@example.com"), "The email address entered is not valid"},
		{with("email", "nia@localhost"), "The email address entered is not valid"},
		{with("email", "nia@example.c0m"), ""},
		{with("email", "nia@example.1com"), "The email address entered is not valid"},
		{with("email", "nia@@example.com"), "The email address entered is not valid"},
		{with("email", "nia moe@example.com"), "The email address entered is not valid"},
		{with("email", " nia@example.com"), "The email address entered is not valid"},
		{with("email", "nia..moe@example.com"), "The email address entered is not valid"},
		{with("email", ".nia@example.com"), "The email address entered is not valid"},
		{with("email", "nia@-example.com"), "The email address entered is not valid"},
		{with("email", "nia@example..com"), "The email address entered is not valid"},
		{with("email", "nïa@example.com"), "The email address entered is not valid"},
		{with("email", "n@"+strings.Repeat("a", 64)+".com"), "The email address entered is not valid"},
		{with("email", strings.Repeat("n", 65)+"@example.com"), "The email address entered is not valid"},
	} {
		r := call(t, srv, "AddUser", tc.params, nil)
		if tc.want == "" {
			assert.Equal(t, "success", r.Result, "%v: %s", tc.params, r.Message)
			continue
		}
		assert.Equal(t, tc.want, r.Message, "%v", tc.params)
	}
	// Valid forms PHP's filter accepts.
	for i, email := range []string{"o'neil+tag@mail.example.co.uk", "x_y-z@sub-domain.example", "A.B@EXAMPLE.COM", "u@xn--bcher-kva.example"} {
		r := call(t, srv, "AddUser", url.Values{"firstname": {"F"}, "lastname": {fmt.Sprint("L", i)}, "email": {email}, "password2": {"pw"}}, nil)
		assert.Equal(t, "success", r.Result, "%s: %s", email, r.Message)
	}
	assert.NotEqual(t, before, export(t, srv, nil))
}

func TestUsersExportKeepsProfile(t *testing.T) {
	srv := newDemo(t)
	srv.Emulator().Clock().Set(time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC))
	must(t, srv, "AddUser", url.Values{"firstname": {"Nia"}, "lastname": {"Moe"}, "email": {"nia@example.com"},
		"password2": {"pw"}, "language": {"french"}}, nil)
	must(t, srv, "UpdateUser", url.Values{"user_id": {"2"}, "language": {"german"}}, nil)

	var doc usersExported
	export(t, srv, &doc)
	require.Len(t, doc.Users, 4)
	assert.Equal(t, "german", doc.Users[1].Language)
	assert.Equal(t, "french", doc.Users[3].Language)
	assert.Equal(t, "2021-03-04T05:06:07Z", doc.Users[3].CreatedAt)

	empty := newServer(t)
	empty.Emulator().Clock().Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) // loading must not restamp the users
	replaceWith(t, empty, srv)
	want := call(t, srv, "GetUsers", nil, nil)
	assert.Equal(t, want, call(t, empty, "GetUsers", nil, nil))
	assert.Contains(t, want.Body, `"datecreated":"2021-03-04 05:06:07"`)
	assert.Equal(t, int64(4), usersLogin(t, empty, "nia@example.com", "pw"))

	// Applying a document again keeps a user's creation time unless it names one.
	load(t, empty, `{"users":[{"id":4,"email":"nia@example.com","firstname":"Nia","password":"pw"}]}`)
	assert.Contains(t, call(t, empty, "GetUsers", url.Values{"search": {"nia"}}, nil).Body, `"datecreated":"2021-03-04 05:06:07"`)
	load(t, empty, `{"users":[{"email":"new@example.com","createdAt":"2019-12-31T23:59:59Z"}]}`)
	assert.Contains(t, call(t, empty, "GetUsers", url.Values{"search": {"new@"}}, nil).Body, `"datecreated":"2019-12-31 23:59:59"`)
	err := empty.Emulator().LoadFixture(t.Context(), []byte(`{"users":[{"email":"bad@example.com","createdAt":"yesterday"}]}`))
	assert.ErrorContains(t, err, "users[0].createdAt")
}
