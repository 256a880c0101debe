package whmcsemu

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
)

// JournalEntry records one API call, with secrets masked.
type JournalEntry struct {
	Seq      int64      `json:"seq"`
	Time     time.Time  `json:"time"`
	Source   string     `json:"source"` // "http" or "local"
	Action   string     `json:"action"` // normalised
	Caller   string     `json:"caller"` // API identifier or admin username; never a secret
	IP       string     `json:"ip,omitempty"`
	Params   url.Values `json:"params"`
	Result   string     `json:"result"` // success or error
	Message  string     `json:"message,omitempty"`
	Status   int        `json:"status"`
	Duration float64    `json:"durationMs"`
}

// JournalFilter selects entries; zero fields match everything.
type JournalFilter struct {
	Action string // compared like action names
	Result string // success or error
	Limit  int    // the newest Limit entries; 0 for all
}

// Journal keeps the most recent API calls in memory, oldest dropped first.
type Journal struct {
	mu      sync.Mutex
	entries []JournalEntry // a ring of cap entries
	next    int            // where the next entry goes
	full    bool
	seq     int64
}

// DefaultJournalSize is how many calls a journal keeps unless told otherwise.
const DefaultJournalSize = 1000

func newJournal(size int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	return &Journal{entries: make([]JournalEntry, size)}
}

func (j *Journal) record(e JournalEntry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	j.entries[j.next] = e
	j.next++
	if j.next == len(j.entries) {
		j.next, j.full = 0, true
	}
}

// Entries returns the entries f selects, oldest first.
func (j *Journal) Entries(f JournalFilter) []JournalEntry {
	j.mu.Lock()
	defer j.mu.Unlock()
	var all []JournalEntry
	if j.full {
		all = append(all, j.entries[j.next:]...)
	}
	all = append(all, j.entries[:j.next]...)
	action := actions.Normalize(f.Action)
	out := []JournalEntry{}
	for _, e := range all {
		if (action == "" || e.Action == action) && (f.Result == "" || e.Result == f.Result) {
			out = append(out, e)
		}
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[len(out)-f.Limit:]
	}
	return out
}

// Count returns how many entries f selects.
func (j *Journal) Count(f JournalFilter) int {
	f.Limit = 0
	return len(j.Entries(f))
}

// Clear empties the journal.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}

// masked are the parameter names whose values the journal never keeps.
func maskedParam(name string) bool {
	n := strings.ToLower(name)
	return strings.Contains(n, "pass") || strings.Contains(n, "secret") || strings.Contains(n, "token") ||
		n == "accesskey" || n == "cardnum" || n == "cvv" || n == "cccvv"
}

// maskParams copies params with secret values replaced.
func maskParams(params url.Values) url.Values {
	out := make(url.Values, len(params))
	for k, vs := range params {
		if maskedParam(k) {
			out[k] = []string{"********"}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}
