package whmcstest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

func ExampleNewServer() {
	t := newExampleT() // in a test, the test's *testing.T
	defer t.finish()

	s := whmcstest.NewServer(t,
		whmcstest.WithFixtureFile("../testdata/fixtures/demo.json"),
		whmcstest.WithClock(time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)),
		whmcstest.WithSeed(1),
	)

	// Over HTTP, as the code under test calls WHMCS.
	resp, err := s.Client().PostForm(s.APIURL(), url.Values{
		"action":       {"ListOAuthCredentials"},
		"identifier":   {s.Identifier},
		"secret":       {s.Secret},
		"responsetype": {"json"},
	})
	if err != nil {
		t.Fatalf("%v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	// Through the local API, as a test checks the state.
	res := s.Call("ListOAuthCredentials", nil)
	fmt.Println(resp.Status, res.OK(), bytes.Equal(body, res.JSON()))

	created := s.Call("CreateOAuthCredential", url.Values{
		"grantType": {"authorization_code"}, "name": {"My App"}, "scope": {"openid"},
	})
	var list struct {
		Clients []struct {
			Name      string `json:"name"`
			CreatedAt string `json:"createdAt"`
		} `json:"clients"`
	}
	_ = s.Call("ListOAuthCredentials", nil).Decode(&list)
	fmt.Println(created.OK(), len(list.Clients), list.Clients[2].Name, list.Clients[2].CreatedAt)

	s.Reset() // back to the fixture
	_ = s.Call("ListOAuthCredentials", nil).Decode(&list)
	fmt.Println(len(list.Clients))

	// Output:
	// 200 OK true true
	// true 3 My App 18th November 2016 9:32:24am
	// 2
}

// exampleT stands in for the *testing.T an example does not get: enough of
// testing.TB for NewServer (Helper, TempDir, Cleanup, Fatalf, Errorf).
type exampleT struct {
	testing.TB
	dir      string
	cleanups []func()
}

func newExampleT() *exampleT { return &exampleT{} }

func (t *exampleT) Helper() {}

func (t *exampleT) TempDir() string {
	if t.dir == "" {
		dir, err := os.MkdirTemp("", "whmcstest-example-")
		if err != nil {
			panic(err)
		}
		t.dir = dir
	}
	dir, err := os.MkdirTemp(t.dir, "")
	if err != nil {
		panic(err)
	}
	return filepath.Clean(dir)
}

func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

func (t *exampleT) Errorf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// finish runs the cleanups, last registered first, as the testing package does.
func (t *exampleT) finish() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
	if t.dir != "" {
		os.RemoveAll(t.dir)
	}
}
