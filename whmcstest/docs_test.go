package whmcstest_test

import (
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// TestCreateThenList is the example test of docs/testing.md, word for
// word; TestDocsShowTheExample keeps the two the same.
func TestCreateThenList(t *testing.T) {
	s := whmcstest.NewServer(t) // add whmcstest.WithFixtureFile("testdata/whmcs.json") for a starting state

	// Over HTTP, as your code calls WHMCS.
	resp, err := s.Client().PostForm(s.APIURL(), url.Values{
		"action":       {"ListOAuthCredentials"},
		"identifier":   {s.Identifier},
		"secret":       {s.Secret},
		"responsetype": {"json"},
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	// Through the local API, as a test checks the state: the same JSON.
	if got := s.Call("ListOAuthCredentials", nil).JSON(); string(got) != string(body) {
		t.Fatalf("HTTP %s\nlocal %s", body, got)
	}

	res := s.Call("CreateOAuthCredential", url.Values{
		"grantType": {"authorization_code"}, "name": {"My App"}, "scope": {"openid email"},
	})
	var created struct {
		CredentialID     int    `json:"credentialId"`
		ClientIdentifier string `json:"clientIdentifier"`
	}
	if err := res.Decode(&created); err != nil || !res.OK() {
		t.Fatalf("create: %s", res.JSON())
	}

	s.Reset() // back to the fixtures: the new credential is gone
	if res := s.Call("DeleteOAuthCredential", url.Values{"credentialId": {"1"}}); res.OK() {
		t.Fatalf("credential %s survived the reset", created.ClientIdentifier)
	}
}

func TestDocsShowTheExample(t *testing.T) {
	src, err := os.ReadFile("docs_test.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	fn := regexp.MustCompile(`(?s)func TestCreateThenList\(.*?\n}\n`).Find(src)
	if fn == nil {
		t.Fatal("TestCreateThenList not found")
	}
	if !strings.Contains(string(doc), string(fn)) {
		t.Fatalf("docs/testing.md's example test differs from TestCreateThenList in whmcstest/docs_test.go; copy it over:\n%s", fn)
	}
}
