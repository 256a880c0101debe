package oci

import (
	"crypto"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// MaxClockSkew is how far a request's Date (or x-date) may be from the
// emulator's clock, as OCI allows client clocks 5 minutes of skew.
const MaxClockSkew = 5 * time.Minute

// ParsePublicKey reads an RSA public key in PEM ("PUBLIC KEY", as OCI
// takes API keys, or PKCS #1 "RSA PUBLIC KEY") and returns it with its OCI
// fingerprint.
func ParsePublicKey(text string) (*rsa.PublicKey, string, error) {
	block, rest := pem.Decode([]byte(strings.TrimSpace(text)))
	if block == nil {
		return nil, "", errors.New("is not a PEM public key (-----BEGIN PUBLIC KEY----- …)")
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return nil, "", errors.New("holds more than one PEM block")
	}
	var pub *rsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, "", fmt.Errorf("is not a valid public key: %v", err)
		}
		var ok bool
		if pub, ok = k.(*rsa.PublicKey); !ok {
			return nil, "", fmt.Errorf("is a %T key; OCI API keys are RSA", k)
		}
	case "RSA PUBLIC KEY":
		k, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, "", fmt.Errorf("is not a valid RSA public key: %v", err)
		}
		pub = k
	default:
		return nil, "", fmt.Errorf("is a PEM %q block, not a PUBLIC KEY", block.Type)
	}
	fp, err := Fingerprint(pub)
	return pub, fp, err
}

// Fingerprint is OCI's fingerprint of an API key: the MD5 of the DER
// (PKIX) public key as colon-separated lower-case hex pairs.
func Fingerprint(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := md5.Sum(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":"), nil
}

// signatureParams are the fields of an Authorization: Signature header.
type signatureParams struct {
	version, keyID, algorithm, signature string
	headers                              []string
}

// parseAuthorization reads `Signature k="v",k="v"…`.
func parseAuthorization(header string) (signatureParams, string) {
	var p signatureParams
	scheme, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Signature") {
		return p, "the Authorization header is not of the Signature scheme"
	}
	seen := map[string]bool{}
	headers := "date" // draft-cavage's default
	for rest = strings.TrimSpace(rest); rest != ""; {
		name, after, ok := strings.Cut(rest, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok || len(after) < 2 || after[0] != '"' {
			return p, "the Signature parameters are malformed"
		}
		end := strings.IndexByte(after[1:], '"')
		if end < 0 {
			return p, "the Signature parameters are malformed"
		}
		value := after[1 : 1+end]
		rest = strings.TrimSpace(after[2+end:])
		if rest != "" {
			if rest[0] != ',' {
				return p, "the Signature parameters are malformed"
			}
			rest = strings.TrimSpace(rest[1:])
		}
		if seen[name] {
			return p, "the Signature parameter " + name + " is given twice"
		}
		seen[name] = true
		switch name {
		case "version":
			p.version = value
		case "keyid":
			p.keyID = value
		case "algorithm":
			p.algorithm = value
		case "signature":
			p.signature = value
		case "headers":
			headers = value
		}
	}
	p.headers = strings.Fields(strings.ToLower(headers))
	return p, ""
}

// bodyMethods are the methods whose signature must cover the body.
var bodyMethods = []string{http.MethodPost, http.MethodPut, http.MethodPatch}

// verifySignature checks r's signature. It returns the signing user's
// OCID, or why the request is refused (reason), or an internal error.
func (h *Handler) verifySignature(r *http.Request, body []byte) (user, reason string, err error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", "no Authorization header; OCI requests are signed", nil
	}
	p, reason := parseAuthorization(auth)
	if reason != "" {
		return "", reason, nil
	}
	switch {
	case p.version != "" && p.version != "1":
		return "", fmt.Sprintf("signature version %q is not 1", p.version), nil
	case !strings.EqualFold(p.algorithm, "rsa-sha256"):
		return "", fmt.Sprintf("algorithm %q is not rsa-sha256", p.algorithm), nil
	case p.signature == "":
		return "", "the signature is missing", nil
	}
	required := []string{"(request-target)", "host"}
	if slices.Contains(bodyMethods, r.Method) {
		required = append(required, "content-length", "content-type", "x-content-sha256")
	}
	for _, name := range required {
		if !slices.Contains(p.headers, name) {
			return "", "the signed headers do not include " + name, nil
		}
	}
	dateHeader := "x-date"
	if !slices.Contains(p.headers, "x-date") {
		if !slices.Contains(p.headers, "date") {
			return "", "the signed headers include neither date nor x-date", nil
		}
		dateHeader = "date"
	}
	lines := make([]string, len(p.headers))
	for i, name := range p.headers {
		value, ok := headerValue(r, name)
		if !ok {
			return "", "the signed header " + name + " is missing from the request", nil
		}
		lines[i] = name + ": " + value
	}
	when, err := http.ParseTime(r.Header.Get(dateHeader))
	if err != nil {
		return "", "the " + dateHeader + " header is not an HTTP date", nil
	}
	if skew := when.Sub(h.clock()); skew > MaxClockSkew || skew < -MaxClockSkew {
		return "", fmt.Sprintf("the %s header (%s) is more than %s from the emulator's clock (%s)", dateHeader,
			when.UTC().Format(time.RFC3339), MaxClockSkew, h.clock().UTC().Format(time.RFC3339)), nil
	}
	if slices.Contains(p.headers, "x-content-sha256") {
		sum := sha256.Sum256(body)
		if r.Header.Get("x-content-sha256") != base64.StdEncoding.EncodeToString(sum[:]) {
			return "", "x-content-sha256 is not the SHA-256 of the body", nil
		}
	}
	if slices.Contains(p.headers, "content-length") {
		if n, err := strconv.Atoi(lines[slices.Index(p.headers, "content-length")][len("content-length: "):]); err != nil || n != len(body) {
			return "", "content-length is not the length of the body", nil
		}
	}
	tenancy, userID, fingerprint, ok := splitKeyID(p.keyID)
	if !ok {
		return "", fmt.Sprintf("keyId %q is not tenancy OCID/user OCID/fingerprint", p.keyID), nil
	}
	var u store.OCIUser
	err = h.db.View(r.Context(), func(tx *store.Tx) (err error) {
		u, err = tx.OCIUserByID(r.Context(), userID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || err == nil && u.TenancyID != tenancy {
		return "", "no user " + userID + " in tenancy " + tenancy, nil
	}
	if err != nil {
		return "", "", err
	}
	i := slices.IndexFunc(u.Keys, func(k store.OCIAPIKey) bool { return k.Fingerprint == fingerprint })
	if i < 0 {
		return "", "user " + userID + " has no API key with fingerprint " + fingerprint, nil
	}
	pub, _, err := ParsePublicKey(u.Keys[i].PEM)
	if err != nil {
		return "", "", fmt.Errorf("stored key %s of %s: %w", fingerprint, userID, err)
	}
	sig, err := base64.StdEncoding.DecodeString(p.signature)
	if err != nil {
		return "", "the signature is not base64", nil
	}
	digest := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	if rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) != nil {
		return "", "the signature does not verify with key " + fingerprint, nil
	}
	return userID, "", nil
}

// headerValue is a signed header's value as the signer saw it.
func headerValue(r *http.Request, name string) (string, bool) {
	switch name {
	case "(request-target)":
		target := r.RequestURI
		if target == "" {
			target = r.URL.RequestURI()
		}
		return strings.ToLower(r.Method) + " " + target, true
	case "host":
		return r.Host, r.Host != ""
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v, true
		}
		if r.ContentLength >= 0 {
			return strconv.FormatInt(r.ContentLength, 10), true
		}
		return "", false
	}
	values := r.Header.Values(name)
	if len(values) == 0 {
		return "", false
	}
	return strings.Join(values, ", "), true
}

// splitKeyID splits tenancyOCID/userOCID/fingerprint.
func splitKeyID(keyID string) (tenancy, user, fingerprint string, ok bool) {
	parts := strings.Split(keyID, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}
