package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// loadCredentials is how many OAuth credentials the load run's database
// holds (the demo fixture's two plus generated ones): a page of 25.
const loadCredentials = 25

// loadClients is how many generated clients the load run's database holds
// besides the demo fixture's, from id loadClientsFirstID on: the state the
// GetClients and GetClientsDetails workloads read.
const (
	loadClients        = 1000
	loadClientsFirstID = 101
)

// findFixture returns the demo fixture's path: the flag's, else
// testdata/fixtures/demo.json in the working directory or a parent.
func findFixture(flagPath string) (string, error) {
	if flagPath != "" {
		return flagPath, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for range 6 {
		p := filepath.Join(dir, "testdata", "fixtures", "demo.json")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		dir = filepath.Dir(dir)
	}
	return "", errors.New("testdata/fixtures/demo.json not found: run from the repository, or pass -fixture")
}

// emulator is whmcsemu on a temporary database.
type emulator struct {
	srv *whmcsemu.Server
	dir string
}

func newEmulator(ctx context.Context) (*emulator, error) {
	dir, err := os.MkdirTemp("", "whmcsemu-bench-")
	if err != nil {
		return nil, err
	}
	srv, err := whmcsemu.Open(ctx, filepath.Join(dir, "bench.db"), whmcsemu.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &emulator{srv: srv, dir: dir}, nil
}

// reopen closes the emulator and opens it again on the same database, as
// whmcsemu starts on a database it left: the WAL checkpointed, the read
// model loaded afresh.
func (e *emulator) reopen(ctx context.Context) error {
	if err := e.srv.Close(); err != nil {
		return err
	}
	srv, err := whmcsemu.Open(ctx, filepath.Join(e.dir, "bench.db"), whmcsemu.Options{})
	if err != nil {
		return err
	}
	e.srv = srv
	return nil
}

func (e *emulator) Close() {
	e.srv.Close()
	os.RemoveAll(e.dir)
}

// oauthDocument makes n OAuth credentials shaped like the demo's "Demo
// App" (authorization_code, three scopes, one redirect URI, a logo), with
// ids from firstID and identifiers and secrets of WHMCS's lengths.
func oauthDocument(firstID, n int) fixture.Document {
	rng := rand.New(rand.NewPCG(uint64(firstID), 0x5eed))
	random := func(size int) string {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return base64.StdEncoding.EncodeToString(b)
	}
	doc := fixture.Document{OAuthCredentials: make([]fixture.OAuthCredential, n)}
	created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range n {
		id := firstID + i
		at := created.Add(time.Duration(id) * time.Minute).Format(time.RFC3339)
		doc.OAuthCredentials[i] = fixture.OAuthCredential{
			ID:               int64(id),
			ClientIdentifier: "DEMO-HOSTING." + random(16),
			ClientSecret:     random(64),
			Name:             fmt.Sprintf("Bench App %d", id),
			Description:      fmt.Sprintf("A generated authorization_code client, number %d", id),
			GrantType:        "authorization_code",
			Scope:            "openid email profile",
			RedirectURI:      []string{fmt.Sprintf("https://app%d.example/callback", id)},
			LogoURI:          fmt.Sprintf("https://app%d.example/logo.png", id),
			CreatedAt:        at,
			UpdatedAt:        at,
		}
	}
	return doc
}

// clientsDocument makes n clients without users (no bcrypt to load).
func clientsDocument(firstID, n int) fixture.Document {
	doc := fixture.Document{Clients: make([]fixture.Client, n)}
	for i := range n {
		id := firstID + i
		doc.Clients[i] = fixture.Client{
			ID: int64(id), UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", id),
			Firstname: "Client", Lastname: fmt.Sprint(id), CompanyName: fmt.Sprintf("Company %d", id),
			Email: fmt.Sprintf("client%d@example.com", id),
		}
	}
	return doc
}

func loadDocument(ctx context.Context, srv *whmcsemu.Server, doc fixture.Document) error {
	data, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	return srv.LoadFixture(ctx, data)
}
