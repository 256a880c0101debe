package oci

import (
	"sync"
)

// maxRetrySecrets bounds how many passwords retrySecrets holds: one per
// create under a retry token in the last 24 hours. Each is about 200
// bytes, so the bound is about 2 MB; past it, the password whose token
// expires soonest is forgotten first, and a replay of that token is
// answered as after a restart.
const maxRetrySecrets = 10_000

// retrySecrets holds, in process memory only, the password each create
// under an opc-retry-token answered with, so a replay can answer the same
// while the database keeps the answer without it. A password that a
// later change may have made stale is forgotten (forget), and a replay
// hands one out only for the credential it was made for.
type retrySecrets struct {
	mu      sync.Mutex
	max     int // maxRetrySecrets when 0
	byToken map[string]retrySecret
}

type retrySecret struct {
	credentialID, password string
	expires                int64 // Unix milliseconds, the token's
}

// remember keeps password for token until expires, making room if full.
func (s *retrySecrets) remember(token, credentialID, password string, expires int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byToken == nil {
		s.byToken = map[string]retrySecret{}
	}
	max := s.max
	if max <= 0 {
		max = maxRetrySecrets
	}
	if _, ok := s.byToken[token]; !ok && len(s.byToken) >= max {
		soonest, at := "", int64(0)
		for t, e := range s.byToken {
			if soonest == "" || e.expires < at {
				soonest, at = t, e.expires
			}
		}
		delete(s.byToken, soonest)
	}
	s.byToken[token] = retrySecret{credentialID: credentialID, password: password, expires: expires}
}

// password returns the password kept for token, if it was made for
// credentialID and the token has not expired at now (Unix milliseconds).
func (s *retrySecrets) password(token, credentialID string, now int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byToken[token]
	if ok && e.expires < now {
		delete(s.byToken, token)
		return "", false
	}
	if !ok || e.credentialID != credentialID {
		return "", false
	}
	return e.password, true
}

// dropToken forgets token's password (its create was not committed).
func (s *retrySecrets) dropToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byToken, token)
}

// forget drops every password kept for credentialID: it was updated or
// deleted, so a replay must not hand out what it had.
func (s *retrySecrets) forget(credentialID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, e := range s.byToken {
		if e.credentialID == credentialID {
			delete(s.byToken, t)
		}
	}
}
