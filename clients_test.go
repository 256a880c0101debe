package whmcsemu_test

import (
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientsAdded is AddClient's answer.
type clientsAdded struct {
	Result   string `json:"result"`
	Message  string `json:"message"`
	ClientID string `json:"clientid"`
	OwnerID  int64  `json:"owner_id"`
}

// clientsNew is a complete AddClient request for email.
func clientsNew(email string) url.Values {
	return url.Values{
		"firstname": {"Nia"}, "lastname": {"Moe"}, "email": {email}, "address1": {"1 Main Street"},
		"city": {"Springfield"}, "state": {"Oregon"}, "postcode": {"97403"}, "country": {"GB"},
		"phonenumber": {"01234 567890"}, "password2": {"nia-password"},
	}
}

// clientsExported is the part of an export these tests read.
type clientsExported struct {
	Clients []struct {
		ID        int64  `json:"id"`
		CreatedAt string `json:"createdAt"`
		Country   string `json:"country"`
	} `json:"clients"`
	Services []struct {
		ClientID int64  `json:"clientId"`
		Status   string `json:"status"`
	} `json:"services"`
	Contacts []struct {
		ClientID int64 `json:"clientId"`
	} `json:"contacts"`
	OAuthCredentials []struct {
		ID int64 `json:"id"`
	} `json:"oauthCredentials"`
}

func TestClientsAddThenDetailsLoginUsersAndExport(t *testing.T) {
	srv := newDemo(t)
	srv.Emulator().Clock().Set(time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC))
	var added clientsAdded
	call(t, srv, "AddClient", clientsNew("nia@example.com"), &added)
	require.Equal(t, "success", added.Result, added.Message)
	assert.Equal(t, "5", added.ClientID)

	// The owner user logs in with the client's email and password2.
	assert.Equal(t, added.OwnerID, usersLogin(t, srv, "nia@example.com", "nia-password"))

	// GetClientsDetails finds it by id and by email (any case), and names the owner.
	var details struct {
		Result string `json:"result"`
		Client struct {
			ID          int64  `json:"id"`
			OwnerUserID int64  `json:"owner_user_id"`
			Email       string `json:"email"`
			Phone       string `json:"phonenumberformatted"`
			Users       struct {
				User []struct {
					ID      int64 `json:"id"`
					IsOwner bool  `json:"is_owner"`
				} `json:"user"`
			} `json:"users"`
		} `json:"client"`
	}
	byID := call(t, srv, "GetClientsDetails", url.Values{"clientid": {added.ClientID}}, &details)
	assert.Equal(t, byID, call(t, srv, "GetClientsDataByEmail", url.Values{"email": {"NIA@example.COM"}}, nil))
	assert.Equal(t, added.OwnerID, details.Client.OwnerUserID)
	assert.Equal(t, "+44.1234567890", details.Client.Phone)
	require.Len(t, details.Client.Users.User, 1)
	assert.Equal(t, added.OwnerID, details.Client.Users.User[0].ID)
	assert.True(t, details.Client.Users.User[0].IsOwner)

	// GetUsers shows the new user owning the new client.
	var users usersPage
	call(t, srv, "GetUsers", url.Values{"search": {"nia@"}}, &users)
	require.Len(t, users.Users, 1)
	require.Len(t, users.Users[0].Clients, 1)
	assert.Equal(t, 5, users.Users[0].Clients[0].ID)
	assert.True(t, users.Users[0].Clients[0].IsOwner)

	// Export then load elsewhere: the same details, creation time kept.
	var doc clientsExported
	export(t, srv, &doc)
	require.Len(t, doc.Clients, 5)
	assert.Equal(t, "2021-03-04T05:06:07Z", doc.Clients[4].CreatedAt)
	assert.Equal(t, "GB", doc.Clients[4].Country)
	empty := newServer(t)
	empty.Emulator().Clock().Set(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	replaceWith(t, empty, srv)
	for _, id := range []string{"1", "4", "5"} {
		p := url.Values{"clientid": {id}, "stats": {"1"}}
		assert.Equal(t, call(t, srv, "GetClientsDetails", p, nil), call(t, empty, "GetClientsDetails", p, nil), id)
	}
	assert.Equal(t, export(t, srv, nil), export(t, empty, nil))
}

func TestClientsAddExistingOwner(t *testing.T) {
	srv := newDemo(t)
	p := clientsNew("second@example.com")
	p.Del("password2")
	p.Set("owner_user_id", "2")
	var added clientsAdded
	call(t, srv, "AddClient", p, &added)
	require.Equal(t, "success", added.Result, added.Message)
	assert.Equal(t, int64(2), added.OwnerID)
	var users usersPage
	call(t, srv, "GetUsers", url.Values{"search": {"sam@"}}, &users)
	require.Len(t, users.Users, 1)
	assert.Len(t, users.Users[0].Clients, 2)
	assert.Equal(t, int64(0), usersLogin(t, srv, "second@example.com", "nia-password"), "no user was made")
}

func TestClientsAddFailuresWriteNothing(t *testing.T) {
	srv := newDemo(t)
	before := export(t, srv, nil)
	for name, change := range map[string]url.Values{
		"client email taken": {"email": {"Jane@Example.com"}},
		"user email taken":   {"email": {"lee@example.com"}},
		"unknown owner":      {"owner_user_id": {"99"}},
		"bad phone":          {"phonenumber": {"abc"}},
		"bad country":        {"country": {"G"}},
		"no password":        {"password2": {""}},
	} {
		p := clientsNew("fresh@example.com")
		for k, v := range change {
			p[k] = v
		}
		var res clientsAdded
		call(t, srv, "AddClient", p, &res)
		assert.Equal(t, "error", res.Result, name)
	}
	assert.Equal(t, before, export(t, srv, nil))
}

func TestClientsAddSameEmailConcurrently(t *testing.T) {
	srv := newDemo(t)
	var wg sync.WaitGroup
	results := make([]clientsAdded, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			call(t, srv, "AddClient", clientsNew("race@example.com"), &results[i])
		}()
	}
	wg.Wait()
	ok := 0
	for _, r := range results {
		if r.Result == "success" {
			ok++
		} else {
			assert.Equal(t, "The email address entered is not available for use.", r.Message)
		}
	}
	assert.Equal(t, 1, ok)
}

// clientsPage is GetClients' answer.
type clientsPage struct {
	Result       string `json:"result"`
	TotalResults int    `json:"totalresults"`
	StartNumber  int    `json:"startnumber"`
	NumReturned  int    `json:"numreturned"`
	Clients      struct {
		Client []struct {
			ID     int    `json:"id"`
			Email  string `json:"email"`
			Status string `json:"status"`
		} `json:"client"`
	} `json:"clients"`
}

func TestClientsListPagesAndAgreesWithDetails(t *testing.T) {
	srv := newDemo(t)
	for _, email := range []string{"p1@example.com", "p2@example.com", "p3@example.com"} {
		var added clientsAdded
		call(t, srv, "AddClient", clientsNew(email), &added)
		require.Equal(t, "success", added.Result, added.Message)
	}
	// Pages of two, in both directions, cover every client once.
	for _, sorting := range []string{"ASC", "DESC"} {
		var ids []int
		for start := 0; ; start += 2 {
			var page clientsPage
			call(t, srv, "GetClients", url.Values{"limitstart": {strconv.Itoa(start)}, "limitnum": {"2"},
				"sorting": {sorting}}, &page)
			require.Equal(t, 7, page.TotalResults)
			if page.NumReturned == 0 {
				break
			}
			require.Equal(t, page.NumReturned, len(page.Clients.Client))
			for _, c := range page.Clients.Client {
				ids = append(ids, c.ID)
			}
		}
		want := []int{1, 2, 3, 4, 5, 6, 7}
		if sorting == "DESC" {
			want = []int{7, 6, 5, 4, 3, 2, 1}
		}
		assert.Equal(t, want, ids, sorting)
	}
	// Every listed client's details agree with the list.
	var page clientsPage
	call(t, srv, "GetClients", url.Values{"search": {"p"}}, &page)
	require.Equal(t, 3, page.NumReturned)
	for _, c := range page.Clients.Client {
		var d struct {
			Client struct {
				Email  string `json:"email"`
				Status string `json:"status"`
			} `json:"client"`
		}
		call(t, srv, "GetClientsDetails", url.Values{"clientid": {strconv.Itoa(c.ID)}}, &d)
		assert.Equal(t, c.Email, d.Client.Email)
		assert.Equal(t, c.Status, d.Client.Status)
	}
}

func TestClientsCloseAndDeleteReachEverything(t *testing.T) {
	srv := newDemo(t, "testdata/fixtures/clients.json")

	// CloseClient: Closed in the list, services cancelled in the stats.
	must(t, srv, "CloseClient", url.Values{"clientid": {"1"}}, nil)
	var page clientsPage
	call(t, srv, "GetClients", url.Values{"status": {"Closed"}}, &page)
	assert.Equal(t, 2, page.TotalResults)
	var doc clientsExported
	export(t, srv, &doc)
	assert.Equal(t, "Cancelled", doc.Services[0].Status)
	assert.Equal(t, "Active", doc.Services[1].Status, "another client's service")

	// DeleteClient with deleteusers: client, services, contacts, OAuth
	// credential of its service and its only-here owner go; the rest stays.
	must(t, srv, "DeleteClient", url.Values{"clientid": {"1"}, "deleteusers": {"1"}}, nil)
	doc = clientsExported{}
	export(t, srv, &doc)
	for _, c := range doc.Clients {
		assert.NotEqual(t, int64(1), c.ID)
	}
	for _, s := range doc.Services {
		assert.NotEqual(t, int64(1), s.ClientID)
	}
	for _, c := range doc.Contacts {
		assert.NotEqual(t, int64(1), c.ClientID)
	}
	require.Len(t, doc.OAuthCredentials, 1)
	assert.Equal(t, int64(1), doc.OAuthCredentials[0].ID)
	assert.Equal(t, int64(0), usersLogin(t, srv, "jane@example.com", "jane-password"))
	assert.Equal(t, int64(3), usersLogin(t, srv, "lee@example.com", "lee-password"), "Lee owns client 3")
	var users usersPage
	call(t, srv, "GetUsers", url.Values{"search": {"lee@"}}, &users)
	require.Len(t, users.Users, 1)
	assert.Len(t, users.Users[0].Clients, 1)

	// The freed email can be used again.
	var added clientsAdded
	call(t, srv, "AddClient", clientsNew("jane@example.com"), &added)
	assert.Equal(t, "success", added.Result, added.Message)

	// A second delete finds nothing.
	assert.Equal(t, "Client ID Not Found", call(t, srv, "DeleteClient", url.Values{"clientid": {"1"}}, nil).Message)
}

func TestClientsUpdateRoundTripsThroughExport(t *testing.T) {
	srv := newDemo(t, "testdata/fixtures/clients.json")
	params := url.Values{"clientid": {"1"}, "address1": {"9 Elm Road"}, "country": {"fr"}, "groupid": {"1"},
		"taxexempt": {"1"}, "email_preferences[invoice]": {"0"}, "status": {"Inactive"}}
	must(t, srv, "UpdateClient", params, nil)
	must(t, srv, "AddClientNote", url.Values{"userid": {"1"}, "notes": {"n"}, "sticky": {"1"}}, nil)
	empty := newServer(t)
	replaceWith(t, empty, srv)
	assert.Equal(t, export(t, srv, nil), export(t, empty, nil))
	p := url.Values{"clientid": {"1"}, "stats": {"1"}}
	assert.Equal(t, call(t, srv, "GetClientsDetails", p, nil), call(t, empty, "GetClientsDetails", p, nil))
	assert.Equal(t, call(t, srv, "GetClientGroups", nil, nil), call(t, empty, "GetClientGroups", nil, nil))
}

func TestClientsContactsFollowTheirClient(t *testing.T) {
	srv := newDemo(t)
	var added struct{ Result, Message, ContactID string }
	call(t, srv, "AddContact", url.Values{"clientid": {"2"}, "firstname": {"Pat"}, "email": {"pat@example.com"},
		"email_preferences[domain]": {"1"}}, &added)
	require.Equal(t, "success", added.Result, added.Message)
	assert.Equal(t, "1", added.ContactID)

	// The contact's email is taken for clients and contacts alike.
	var client clientsAdded
	call(t, srv, "AddClient", clientsNew("PAT@example.com"), &client)
	assert.Equal(t, "The email address entered is not available for use.", client.Message)
	assert.Equal(t, "Duplicate Email Address", call(t, srv, "UpdateClient", url.Values{"clientid": {"1"}, "email": {"pat@example.com"}}, nil).Message)

	// The contact receives domain email, so the client may stop; then the
	// contact may not.
	must(t, srv, "UpdateClient", url.Values{"clientid": {"2"}, "email_preferences[domain]": {"0"}}, nil)
	assert.Equal(t, "error", call(t, srv, "UpdateContact", url.Values{"contactid": {"1"}, "email_preferences[domain]": {"0"}}, nil).Result)

	// Deleting the client deletes its contacts.
	must(t, srv, "DeleteClient", url.Values{"clientid": {"2"}}, nil)
	var contacts struct {
		TotalResults int `json:"totalresults"`
	}
	call(t, srv, "GetContacts", nil, &contacts)
	assert.Equal(t, 0, contacts.TotalResults)
	assert.Equal(t, "Contact ID Not Found", call(t, srv, "DeleteContact", url.Values{"contactid": {"1"}}, nil).Message)
}

func TestClientsFixtureErrorsNameTheirPath(t *testing.T) {
	srv := newDemo(t)
	before := export(t, srv, nil)
	for doc, path := range map[string]string{
		`{"clients":[{"id":1,"email":"jane@example.com","country":"GBR"}]}`:                    "clients[0].country",
		`{"clients":[{"id":1,"email":"jane@example.com","credit":"lots"}]}`:                    "clients[0].credit",
		`{"clients":[{"id":1,"email":"jane@example.com","emailPreferencesOff":["spam"]}]}`:     "clients[0].emailPreferencesOff[0]",
		`{"clients":[{"id":1,"email":"jane@example.com","createdAt":"yesterday"}]}`:            "clients[0].createdAt",
		`{"clientGroups":[{"name":"x","discountPercent":"ten"}]}`:                              "clientGroups[0].discountPercent",
		`{"contacts":[{"firstname":"x"}]}`:                                                     "contacts[0].clientId",
		`{"contacts":[{"clientId":99}]}`:                                                       "contacts[0].clientId",
		`{"contacts":[{"clientId":1,"emailPreferences":[""]}]}`:                                "contacts[0].emailPreferences[0]",
		`{"clientNotes":[{"clientId":1,"note":" "}]}`:                                          "clientNotes[0].note",
		`{"clientNotes":[{"clientId":1,"note":"x","adminId":9}]}`:                              "clientNotes[0].adminId",
		`{"clientNotes":[{"clientId":1,"note":"x","modifiedAt":"soon"}]}`:                      "clientNotes[0].modifiedAt",
		`{"clientNotes":[{"clientId":1,"note":"x"}],"contacts":[{"clientId":1,"nickname":1}]}`: "contacts[0].nickname",
	} {
		err := srv.Emulator().LoadFixture(t.Context(), []byte(doc))
		assert.ErrorContains(t, err, path, doc)
	}
	assert.Equal(t, before, export(t, srv, nil), "a broken fixture loads nothing")

	// Applying a contact again keeps its creation time unless it names one.
	srv.Emulator().Clock().Set(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	load(t, srv, `{"contacts":[{"id":7,"clientId":1,"email":"c@example.com"}]}`)
	srv.Emulator().Clock().Set(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	load(t, srv, `{"contacts":[{"id":7,"clientId":1,"email":"d@example.com"}]}`)
	assert.Contains(t, call(t, srv, "GetContacts", nil, nil).Body, `"email":"d@example.com","address1":"","address2":"","city":"","state":"","postcode":"","country":"","phonenumber":"","domainemails":false,"generalemails":false,"invoiceemails":false,"productemails":false,"supportemails":false,"affiliateemails":false,"created_at":"2020-01-01 00:00:00"`)
}
