package whmcsemu_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/whmcsemu/whmcsemu"
)

// openDemo starts an emulator on a temporary database with the demo
// fixture, as `whmcsemu serve --fixtures testdata/fixtures/demo.json` does.
func openDemo() (*whmcsemu.Server, func()) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "whmcsemu-example-")
	if err != nil {
		panic(err)
	}
	srv, err := whmcsemu.Open(ctx, filepath.Join(dir, "example.db"), whmcsemu.Options{Seed: 1})
	if err != nil {
		panic(err)
	}
	data, err := os.ReadFile("testdata/fixtures/demo.json")
	if err != nil {
		panic(err)
	}
	if _, err := srv.LoadFixtureOnce(ctx, data); err != nil {
		panic(err)
	}
	return srv, func() { srv.Close(); os.RemoveAll(dir) }
}

// Call runs an action in-process, like WHMCS's localAPI: no HTTP and no
// authentication. Decode reads the fields you need.
func ExampleServer_Call() {
	srv, done := openDemo()
	defer done()

	res := srv.Call(context.Background(), "ListOAuthCredentials", url.Values{"grantType": {"single_sign_on"}}, "admin")
	var list struct {
		Clients []struct {
			CredentialID int    `json:"credentialId"`
			Scope        string `json:"scope"`
			ServiceID    int    `json:"serviceId"`
		} `json:"clients"`
	}
	if err := res.Decode(&list); err != nil {
		panic(err)
	}
	for _, c := range list.Clients {
		fmt.Printf("credential %d for service %d: %s\n", c.CredentialID, c.ServiceID, c.Scope)
	}
	// Output:
	// credential 2 for service 1: clientarea:sso clientarea:profile
}

// A WHMCS error comes back in Result.Err, and JSON() is byte for byte what
// the endpoint sends for responsetype=json.
func ExampleServer_Call_error() {
	srv, done := openDemo()
	defer done()

	res := srv.Call(context.Background(), "DeleteOAuthCredential", url.Values{"credentialId": {"99"}}, "")
	fmt.Println(res.OK(), res.Err.Message)
	fmt.Println(string(res.JSON()))

	res = srv.Call(context.Background(), "ListOAuthCredentials", nil, "nobody")
	fmt.Println(res.Err.Message)
	// Output:
	// false Invalid Credential ID provided.
	// {"result":"error","message":"Invalid Credential ID provided."}
	// No matching admin user found
}
