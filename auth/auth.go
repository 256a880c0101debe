// Package auth decides who is calling the API and whether they may: API
// credentials (identifier and secret, or the same sent as username and
// password), the legacy admin login (username and md5 of the password), API
// roles, the IP allow-list and the access key. It answers with WHMCS's
// framework error messages.
//
// Verifying a bcrypt hash costs milliseconds, so an Authenticator remembers
// successful verifications (keyed by identifier and a SHA-256 of the secret)
// until Forget is called, which whoever changes credentials, admins or roles
// must do.
package auth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"sync"

	"github.com/whmcsemu/whmcsemu/store"
)

// Failure is a framework error: a WHMCS message and its HTTP status.
type Failure struct {
	Message string
	Status  int
}

func (f *Failure) Error() string { return f.Message }

func fail(msg string) *Failure { return &Failure{Message: msg, Status: http.StatusForbidden} }

// The framework's authentication messages, word for word as WHMCS sends them.
const (
	MsgInvalidCredentials = "Invalid or missing credentials"
	MsgAuthFailed         = "Authentication Failed"
	MsgInvalidPassword    = "Invalid password provided"
	MsgAdminDisabled      = "Administrator Account Disabled"
	MsgInvalidAccessKey   = "Invalid Access Key"
)

// Request is what a caller sent to prove who it is.
type Request struct {
	Identifier string
	Secret     string
	Username   string
	Password   string
}

// Principal is an authenticated caller.
type Principal struct {
	AdminID       int64
	AdminUsername string
	// Identifier is the API credential's identifier; empty for a legacy
	// admin login, which API roles do not limit.
	Identifier string
	allowAll   bool
	allowed    map[string]bool
}

// Legacy reports whether the caller used the legacy admin login.
func (p *Principal) Legacy() bool { return p.Identifier == "" }

// Allows reports whether the caller may run the (normalised) action: any
// of the credential's roles lists it, or "*"; legacy logins may run all.
func (p *Principal) Allows(action string) bool {
	return p.Legacy() || p.allowAll || p.allowed[action]
}

type cached struct {
	digest    [32]byte
	principal *Principal
}

// Authenticator checks credentials against the store.
type Authenticator struct {
	db *store.DB
	// Normalize turns role action names into the form requests are
	// matched in; the root package passes actions.Normalize.
	normalize func(string) string

	mu    sync.RWMutex
	cache map[string]cached
}

// maxCached bounds the verification cache; past it the cache starts over.
const maxCached = 10000

// New returns an Authenticator over db. normalize maps an action name to
// the form the caller's action is compared in.
func New(db *store.DB, normalize func(string) string) *Authenticator {
	return &Authenticator{db: db, normalize: normalize, cache: map[string]cached{}}
}

// Forget drops every remembered verification. Call it after credentials,
// admins or roles change.
func (a *Authenticator) Forget() {
	a.mu.Lock()
	a.cache = map[string]cached{}
	a.mu.Unlock()
}

// Authenticate returns the caller's principal, or a *Failure with WHMCS's
// message, or another error when the store fails.
func (a *Authenticator) Authenticate(ctx context.Context, r Request) (*Principal, error) {
	switch {
	case r.Identifier != "":
		return a.credential(ctx, r.Identifier, r.Secret)
	case r.Username == "":
		CheckNothing(r.Secret)
		return nil, fail(MsgInvalidCredentials)
	}
	// username/password is either an API credential sent under the old
	// field names or the legacy admin login.
	var isCredential bool
	err := a.db.View(ctx, func(tx *store.Tx) error {
		_, err := tx.APICredentialByIdentifier(ctx, r.Username)
		isCredential = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if isCredential {
		return a.credential(ctx, r.Username, r.Password)
	}
	return a.legacy(ctx, r.Username, r.Password)
}

func (a *Authenticator) remembered(key, secret string) *Principal {
	a.mu.RLock()
	c, ok := a.cache[key]
	a.mu.RUnlock()
	if !ok {
		return nil
	}
	d := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(d[:], c.digest[:]) != 1 {
		return nil
	}
	return c.principal
}

func (a *Authenticator) remember(key, secret string, p *Principal) {
	a.mu.Lock()
	if len(a.cache) >= maxCached {
		a.cache = map[string]cached{}
	}
	a.cache[key] = cached{digest: sha256.Sum256([]byte(secret)), principal: p}
	a.mu.Unlock()
}

func (a *Authenticator) credential(ctx context.Context, identifier, secret string) (*Principal, error) {
	key := "c:" + identifier
	if p := a.remembered(key, secret); p != nil {
		return p, nil
	}
	// Until the secret is checked, a known and an unknown identifier cost
	// the same: one indexed read and one bcrypt comparison. Only a secret
	// bcrypt accepted before is quicker (CheckSecretRemembered), and its
	// sender knows it is right.
	var cred store.APICredential
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		cred, err = tx.APICredentialByIdentifier(ctx, identifier)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		CheckNothing(secret)
		return nil, fail(MsgInvalidCredentials)
	}
	if err != nil {
		return nil, err
	}
	if !CheckSecretRemembered(cred.SecretHash, secret) {
		return nil, fail(MsgAuthFailed)
	}
	var (
		admin   store.Admin
		actions []string
	)
	err = a.db.View(ctx, func(tx *store.Tx) (err error) {
		if admin, err = tx.AdminByID(ctx, cred.AdminID); err != nil {
			return err
		}
		actions, err = tx.CredentialActions(ctx, cred.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if admin.Disabled {
		return nil, fail(MsgAdminDisabled)
	}
	p := &Principal{AdminID: admin.ID, AdminUsername: admin.Username, Identifier: cred.Identifier, allowed: map[string]bool{}}
	for _, act := range actions {
		if act == "*" {
			p.allowAll = true
		}
		p.allowed[a.normalize(act)] = true
	}
	a.remember(key, secret, p)
	return p, nil
}

func (a *Authenticator) legacy(ctx context.Context, username, md5hex string) (*Principal, error) {
	md5hex = strings.ToLower(md5hex)
	if !isMD5Hex(md5hex) {
		return nil, fail(MsgInvalidPassword)
	}
	key := "l:" + strings.ToLower(username)
	if p := a.remembered(key, md5hex); p != nil {
		return p, nil
	}
	var admin store.Admin
	err := a.db.View(ctx, func(tx *store.Tx) (err error) {
		admin, err = tx.AdminByUsername(ctx, username)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		CheckNothing(md5hex)
		return nil, fail(MsgAuthFailed)
	}
	if err != nil {
		return nil, err
	}
	if !CheckSecretRemembered(admin.PasswordHash, md5hex) {
		return nil, fail(MsgAuthFailed)
	}
	if admin.Disabled {
		return nil, fail(MsgAdminDisabled)
	}
	p := &Principal{AdminID: admin.ID, AdminUsername: admin.Username}
	a.remember(key, md5hex, p)
	return p, nil
}

func isMD5Hex(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// CheckAccess applies the IP allow-list and the access key. An empty
// allow-list lets every IP in (whmcsemu's choice for an emulator on
// loopback). A caller outside the list gets in with the right access key;
// a wrong key is "Invalid Access Key", no key "Invalid IP <ip>".
func CheckAccess(s store.Settings, ip, accessKey string) *Failure {
	if len(s.AllowedIPs) == 0 || ipAllowed(s.AllowedIPs, ip) {
		return nil
	}
	if accessKey != "" && s.AccessKey != "" {
		if subtle.ConstantTimeCompare([]byte(accessKey), []byte(s.AccessKey)) == 1 {
			return nil
		}
		return fail(MsgInvalidAccessKey)
	}
	return fail("Invalid IP " + ip)
}

// ipAllowed matches ip against entries that are addresses or CIDR prefixes.
func ipAllowed(list []string, ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, entry := range list {
		if p, err := netip.ParsePrefix(entry); err == nil {
			if p.Contains(addr) {
				return true
			}
		} else if a, err := netip.ParseAddr(entry); err == nil && a.Unmap() == addr {
			return true
		}
	}
	return false
}
