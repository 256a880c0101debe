package auth

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// HashCost is the bcrypt cost of stored hashes. An emulator holds test
// secrets, not customer passwords, and loads fixtures with thousands of
// them, so it uses bcrypt's minimum cost: the hash still keeps the plain
// text out of the database file, which is what matters here.
const HashCost = bcrypt.MinCost

// HashSecret returns the bcrypt hash of a secret or password.
func HashSecret(plain string) (string, error) {
	// bcrypt reads at most 72 bytes; longer inputs are refused rather than
	// silently cut, so hash a digest of them instead.
	b, err := bcrypt.GenerateFromPassword(bcryptInput(plain), HashCost)
	return string(b), err
}

// CheckSecret reports whether plain matches a hash made by HashSecret.
func CheckSecret(hash, plain string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), bcryptInput(plain)) == nil
}

// dummyHash is compared against when there is no real hash to check, so
// that an unknown name costs the same time as a wrong secret.
var dummyHash, _ = HashSecret("whmcsemu: no such account")

// CheckNothing spends the time of one CheckSecret and reports false.
func CheckNothing(plain string) bool {
	_ = CheckSecret(dummyHash, plain)
	return false
}

// MD5Hex is the lower-case hex md5 of s, as WHMCS's legacy login sends the
// admin password.
func MD5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func bcryptInput(plain string) []byte {
	if len(plain) <= 72 {
		return []byte(plain)
	}
	// 9 + 43 bytes: within bcrypt's 72.
	sum := sha256.Sum256([]byte(plain))
	return append([]byte("whmcsemu:"), base64.RawStdEncoding.EncodeToString(sum[:])...)
}

// IsHash reports whether s looks like a bcrypt hash this package can check.
func IsHash(s string) bool {
	_, err := bcrypt.Cost([]byte(s))
	return err == nil
}

// verified remembers (hash, SHA-256 of the plain text) pairs bcrypt has
// accepted, so a user logging in again costs a map lookup instead of a
// bcrypt comparison. A changed password has a new hash, so nothing goes
// stale; failures are not remembered, so they always cost a comparison.
var verified = struct {
	sync.Mutex
	m map[[32]byte]bool
}{m: map[[32]byte]bool{}}

// CheckSecretRemembered is CheckSecret with memory of past successes.
func CheckSecretRemembered(hash, plain string) bool {
	h := sha256.New()
	h.Write([]byte(hash))
	h.Write([]byte{0})
	h.Write([]byte(plain))
	var key [32]byte
	h.Sum(key[:0])
	verified.Lock()
	ok := verified.m[key]
	verified.Unlock()
	if ok {
		return true
	}
	if !CheckSecret(hash, plain) {
		return false
	}
	verified.Lock()
	if len(verified.m) >= maxCached {
		verified.m = map[[32]byte]bool{}
	}
	verified.m[key] = true
	verified.Unlock()
	return true
}
