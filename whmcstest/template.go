package whmcstest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"sync"

	"github.com/whmcsemu/whmcsemu"
	"github.com/whmcsemu/whmcsemu/auth"
	"github.com/whmcsemu/whmcsemu/internal/dbtemplate"
	"github.com/whmcsemu/whmcsemu/internal/fixture"
)

// The names of what NewServer adds on top of the caller's fixtures: an
// admin, a role allowing every action, and the credential Server.Identifier
// and Server.Secret name. A fixture that uses these names is overridden.
const (
	AdminUsername = "whmcstest"
	RoleName      = "whmcstest"
)

// A template is a database built once per distinct (fixtures, seed,
// clock): migrated, loaded with the fixtures and the whmcstest credential,
// and closed (which checkpoints the WAL into the file). Each server starts
// from a copy of it, so no server pays for migrations or bcrypt.
type template = dbtemplate.Template[templateMeta]

// templateMeta is what a server needs to know of its template besides the
// file.
type templateMeta struct {
	identifier string
	secret     string
	// randomUsed is how many bytes of the seeded stream loading the
	// fixtures consumed, so a copy continues the stream where a server that
	// had loaded them itself (or has just been reset) would.
	randomUsed int64
}

// templates holds the built templates; the oldest goes first past 64.
var templates = dbtemplate.Cache[templateMeta]{Max: 64}

// templateFor returns the built template for c, building it on first use.
func templateFor(c *config) (*template, error) {
	key := templateKey(c)
	return templates.Get(string(key[:]), func(path string) (templateMeta, error) { return buildTemplate(c, path) })
}

// templateKey identifies what a template depends on. The credential is a
// function of the seed (or random, for a zero seed), so it needs no place.
func templateKey(c *config) [32]byte {
	h := sha256.New()
	var n [8]byte
	for _, doc := range c.fixtures {
		binary.LittleEndian.PutUint64(n[:], uint64(len(doc)))
		h.Write(n[:])
		h.Write(doc)
	}
	binary.LittleEndian.PutUint64(n[:], c.seed)
	h.Write(n[:])
	if c.hasClock {
		b, _ := c.clock.MarshalBinary()
		h.Write(b)
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// buildTemplate makes the template database for c at path.
func buildTemplate(c *config, path string) (t templateMeta, err error) {
	ctx := context.Background()
	opts := whmcsemu.Options{Clock: c.clockFunc(), Seed: c.seed}
	var counter *countingReader
	if c.seed != 0 {
		counter = &countingReader{r: whmcsemu.NewSeededRandom(c.seed)}
		opts.Random = counter
	}
	emu, err := whmcsemu.Open(ctx, path, opts)
	if err != nil {
		return t, err
	}
	defer func() {
		if emu != nil {
			emu.Close()
		}
	}()
	for i, doc := range c.fixtures {
		if err := emu.LoadFixture(ctx, doc); err != nil {
			return t, fmt.Errorf("fixture %d: %w", i+1, err)
		}
	}
	if counter != nil {
		t.randomUsed = counter.n
	}

	t.identifier, t.secret = newCredential(c.seed)
	cred, err := credentialDocument(t.identifier, t.secret)
	if err != nil {
		return t, err
	}
	// The credential document consumes no randomness (it carries hashes),
	// so randomUsed holds for Reset, which applies it too.
	if err := emu.LoadFixture(ctx, cred); err != nil {
		return t, fmt.Errorf("the whmcstest credential: %w", err)
	}

	err = emu.Close()
	emu = nil
	return t, err
}

// credentialDocument is the fixture that adds the whmcstest admin, role and
// credential. It carries bcrypt hashes rather than plain text, so applying
// it (at every Reset) costs no hashing and no randomness.
func credentialDocument(identifier, secret string) ([]byte, error) {
	adminHash, err := adminPasswordHash()
	if err != nil {
		return nil, err
	}
	secretHash, err := auth.HashSecret(secret)
	if err != nil {
		return nil, err
	}
	return json.Marshal(&fixture.Document{
		Admins: []fixture.Admin{{
			Username: AdminUsername, PasswordHash: adminHash,
			Firstname: "whmcstest", Email: "whmcstest@whmcsemu.test",
		}},
		APIRoles: []fixture.APIRole{{Name: RoleName, Description: "Every API action (whmcstest)", Actions: []string{"*"}}},
		APICredentials: []fixture.APICredential{{
			Identifier: identifier, SecretHash: secretHash, Admin: AdminUsername,
			Roles: []string{RoleName}, Description: "whmcstest",
		}},
	})
}

// adminPasswordHash is the hash of a password nobody knows: the whmcstest
// admin is reached through its API credential, not the legacy login.
var adminPasswordHash = sync.OnceValues(func() (string, error) {
	return auth.HashSecret(auth.MD5Hex(rand.Text()))
})

const credentialAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newCredential makes an identifier and a secret of 32 letters and digits,
// as WHMCS does: from a stream derived from seed (not the emulator's own
// stream, which it leaves untouched), or at random for a zero seed.
func newCredential(seed uint64) (identifier, secret string) {
	var key [32]byte
	if seed != 0 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], seed)
		key = sha256.Sum256(append([]byte("whmcstest credential "), b[:]...))
	} else {
		_, _ = rand.Read(key[:])
	}
	r := mrand.New(mrand.NewChaCha8(key))
	gen := func() string {
		b := make([]byte, 32)
		for i := range b {
			b[i] = credentialAlphabet[r.IntN(len(credentialAlphabet))]
		}
		return string(b)
	}
	return gen(), gen()
}

// countingReader counts the bytes read through it.
type countingReader struct {
	mu sync.Mutex
	r  io.Reader
	n  int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// seededRandomAt returns the emulator's seeded stream for seed with its
// first skip bytes consumed.
func seededRandomAt(seed uint64, skip int64) (io.Reader, error) {
	r := whmcsemu.NewSeededRandom(seed)
	if skip > 0 {
		if _, err := io.CopyN(io.Discard, r, skip); err != nil {
			return nil, err
		}
	}
	return r, nil
}
