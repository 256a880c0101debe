package oauth

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"time"
)

// TOTP as RFC 6238 defines it with the parameters every authenticator app
// uses by default: HMAC-SHA1, 30-second steps from the Unix epoch, six
// digits (RFC 4226's dynamic truncation).
const (
	totpStep   = 30
	totpDigits = 6
)

// decodeTOTPSecret decodes a stored (normalised) base32 secret.
func decodeTOTPSecret(secret string) ([]byte, error) {
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
}

// totpStepAt is the time step t falls in.
func totpStepAt(t time.Time) int64 { return t.Unix() / totpStep }

// hotp is RFC 4226's HOTP value of key at counter, as six digits.
func hotp(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1_000_000)
}

// matchTOTP returns the step whose code code is, looking at the step of
// now and one either side (clock drift), skipping steps up to lastStep
// (used already); ok is false when none matches.
func matchTOTP(key []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(code) != totpDigits {
		return 0, false
	}
	current := totpStepAt(now)
	for _, s := range []int64{current, current - 1, current + 1} {
		if s <= lastStep {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(hotp(key, s)), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// TOTPCode is the code an authenticator app shows at t for a base32
// secret (for tests and tools that sign in as a two-factor user).
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, totpStepAt(t)), nil
}
