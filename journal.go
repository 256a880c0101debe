package whmcsemu

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/actions"
)

// The journal's bounds. A caller decides what a request holds, so the
// journal keeps a bounded summary of each call rather than the call itself:
// without these, 100 unauthenticated requests of 8 MB each would hold 800 MB.
const (
	// JournalValueMax is how many bytes of each parameter value, action
	// name, caller and message an entry keeps; longer ones are cut and end
	// in "…(N bytes)".
	JournalValueMax = 256
	// JournalParamsMax is how many bytes of parameters (names and values,
	// after cutting) an entry keeps; the parameters past it are left out.
	JournalParamsMax = 8 << 10
	// DefaultJournalBytes is how many bytes the whole journal keeps unless
	// told otherwise; the oldest entries go first.
	DefaultJournalBytes = 4 << 20
	// DefaultJournalSize is how many calls a journal keeps unless told
	// otherwise.
	DefaultJournalSize = 1000
)

// JournalEntry records one API call, with secrets masked and long values
// cut (see JournalValueMax). A call refused before its caller was known
// (failed authentication, a banned IP, a malformed request) is recorded
// without its parameters.
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
	// Cut says that values were cut or parameters left out.
	Cut bool `json:"cut,omitempty"`
}

// JournalFilter selects entries; zero fields match everything.
type JournalFilter struct {
	Action string // compared like action names
	Result string // success or error
	Limit  int    // the newest Limit entries; 0 for all
}

// Journal keeps the most recent API calls in memory, bounded by count and
// by bytes, oldest dropped first.
type Journal struct {
	mu       sync.Mutex
	entries  []JournalEntry // a ring: n entries from head
	head, n  int
	sizes    []int // the estimated size of each entry, by ring position
	bytes    int   // their sum
	size     int   // how many entries the ring grows to
	maxBytes int
	seq      int64
}

func newJournal(size, maxBytes int) *Journal {
	if size <= 0 {
		size = DefaultJournalSize
	}
	if maxBytes <= 0 {
		maxBytes = DefaultJournalBytes
	}
	return &Journal{size: size, maxBytes: maxBytes}
}

// grow makes the ring larger, up to its size, oldest entry first: it
// starts small, since a test server that is made for a few calls would
// otherwise zero room for a thousand (a twentieth of whmcstest.NewServer,
// and 160 KB each for a test's hundreds of servers).
func (j *Journal) grow() {
	n := min(j.size, max(16, 2*len(j.entries)))
	entries, sizes := make([]JournalEntry, n), make([]int, n)
	for i := range j.n {
		k := (j.head + i) % len(j.entries)
		entries[i], sizes[i] = j.entries[k], j.sizes[k]
	}
	j.entries, j.sizes, j.head = entries, sizes, 0
}

// entryOverhead approximates what an entry costs besides its strings.
const entryOverhead = 256

func (j *Journal) record(e JournalEntry) {
	e.Action, e.Caller, e.Message = cutValue(e.Action, &e.Cut), cutValue(e.Caller, &e.Cut), cutValue(e.Message, &e.Cut)
	size := entryOverhead + len(e.Action) + len(e.Caller) + len(e.Message) + len(e.IP)
	for k, vs := range e.Params {
		size += len(k)
		for _, v := range vs {
			size += len(v)
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	e.Seq = j.seq
	if j.n == len(j.entries) && len(j.entries) < j.size {
		j.grow()
	}
	for j.n > 0 && (j.n == len(j.entries) || j.bytes+size > j.maxBytes) {
		j.bytes -= j.sizes[j.head]
		j.entries[j.head] = JournalEntry{}
		j.head = (j.head + 1) % len(j.entries)
		j.n--
	}
	at := (j.head + j.n) % len(j.entries)
	j.entries[at], j.sizes[at] = e, size
	j.bytes += size
	j.n++
}

// Entries returns the entries f selects, oldest first.
func (j *Journal) Entries(f JournalFilter) []JournalEntry {
	action := actions.Normalize(f.Action)
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []JournalEntry{}
	for i := range j.n {
		e := j.entries[(j.head+i)%len(j.entries)]
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
	clear(j.sizes)
	j.head, j.n, j.bytes = 0, 0, 0
}

// maskedParam says whether the journal never keeps a parameter's values:
// passwords, secrets, tokens, the access key, and card and bank details:
// cardnum, cvv and cccvv (the names before WHMCS 7.8), card_number and
// cvv (the pay method actions and CapturePayment), bank_account and
// bank_code (an account and routing number). A bracket key (card_number[],
// card_number[0]) is masked as its name.
func maskedParam(name string) bool {
	n := strings.ToLower(name)
	if base, _, ok := strings.Cut(n, "["); ok {
		n = base
	}
	return strings.Contains(n, "pass") || strings.Contains(n, "secret") || strings.Contains(n, "token") ||
		maskedNames[n]
}

var maskedNames = map[string]bool{
	"accesskey": true, "cardnum": true, "cvv": true, "cccvv": true, "card_number": true, "bank_account": true,
	"bank_code": true,
}

// journalParams copies params for the journal: secret values masked, long
// values cut, and no more than JournalParamsMax bytes in all.
func journalParams(params url.Values) (out url.Values, cut bool) {
	out = make(url.Values, min(len(params), 64))
	room := JournalParamsMax
	for k, vs := range params {
		k = cutValue(k, &cut)
		if maskedParam(k) {
			vs = []string{"********"}
		}
		kept := make([]string, 0, len(vs))
		for _, v := range vs {
			v = cutValue(v, &cut)
			if room -= len(k) + len(v); room < 0 {
				cut = true
				break
			}
			kept = append(kept, v)
		}
		if len(kept) > 0 {
			out[k] = kept
		}
		if room < 0 {
			break
		}
	}
	return out, cut
}

// cutValue cuts s to JournalValueMax bytes (at a character boundary),
// noting its length, and sets *cut when it did.
func cutValue(s string, cut *bool) string {
	if len(s) <= JournalValueMax {
		return s
	}
	*cut = true
	return cutText(s, JournalValueMax)
}

// cutText cuts s to max bytes at a character boundary and says how long it
// was: for the journal and for log lines, which a caller must not be able
// to fill with megabytes.
func cutText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	end := max
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…(" + strconv.Itoa(len(s)) + " bytes)"
}
