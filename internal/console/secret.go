package console

import (
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// A secret (an OCI credential's password, a WHMCS or SailPoint client
// secret) is shown once: the POST that makes it keeps it in memory under
// a random key and redirects to its page, which hands it out and forgets
// it. A reload, the back button or a second look finds it gone, as
// Oracle's console says of its dialog. Secrets not looked at go after
// secretLifetime; at most maxSecrets are held.
const (
	secretLifetime = 10 * time.Minute
	maxSecrets     = 64
)

// secretView is what the one-time page shows.
type secretView struct {
	Title   string        // the page's heading
	Intro   string        // one sentence on what it is
	Secret  secretField   // the one-time value
	Fields  []secretField // what goes with it (ids, scopes), copyable
	Example string        // how to use it, such as a curl command
	Back    string        // where Close leads, under the prefix
	expires time.Time
}

type secretField struct {
	Label, Value, ID string
}

type onceStore struct {
	mu   sync.Mutex
	byID map[string]secretView
}

// keep stores v and returns its key.
func (h *Handler) keepSecret(v secretView) string {
	key := hex.EncodeToString(h.randomBytes(16))
	s := &h.secrets
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = map[string]secretView{}
	}
	now := time.Now()
	for k, e := range s.byID {
		if now.After(e.expires) {
			delete(s.byID, k)
		}
	}
	for len(s.byID) >= maxSecrets {
		oldest := ""
		for k, e := range s.byID {
			if oldest == "" || e.expires.Before(s.byID[oldest].expires) {
				oldest = k
			}
		}
		delete(s.byID, oldest)
	}
	v.expires = now.Add(secretLifetime)
	s.byID[key] = v
	return key
}

// take returns the secret under key and forgets it.
func (s *onceStore) take(key string) (secretView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.byID[key]
	delete(s.byID, key)
	if ok && time.Now().After(v.expires) {
		return secretView{}, false
	}
	return v, ok
}

// showSecret keeps v and sends the browser to its one-time page.
func (h *Handler) showSecret(w http.ResponseWriter, r *http.Request, v secretView) {
	h.redirect(w, r, "secret/"+h.keepSecret(v), "")
}

func (h *Handler) secret(w http.ResponseWriter, r *http.Request) {
	v, ok := h.secrets.take(r.PathValue("key"))
	if !ok {
		h.render(w, r, http.StatusGone, "secret-gone", page{Title: "Secret no longer shown"})
		return
	}
	h.render(w, r, http.StatusOK, "secret", page{Title: v.Title, Data: v})
}
