package whmcsemu

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
)

// Fault makes calls of an action fail or slow down, for testing how an
// integration copes: "the next 3 CreateOAuthCredential calls answer
// 'Service unavailable' with HTTP 503", "half of all calls take 2 s".
type Fault struct {
	ID     int64  `json:"id"`
	Action string `json:"action"` // a WHMCS action name, a dialect operation (SailPointCreateOAuthClient), or "*" for every call
	// Times is how many calls the fault hits before it retires itself; 0
	// means it stays until cleared.
	Times int `json:"times,omitempty"`
	// Probability is the share of matching calls it hits (0 < p ≤ 1); 0
	// means every one.
	Probability float64 `json:"probability,omitempty"`
	// Message is the WHMCS error message to answer with. With a Status
	// but no Message, a default message says the fault was injected.
	Message string `json:"message,omitempty"`
	// Status is the HTTP status of that answer (default 200, as WHMCS
	// sends its action errors).
	Status int `json:"status,omitempty"`
	// DelayMS delays the answer; alone, the call then runs normally.
	DelayMS int `json:"delayMs,omitempty"`
	// RetryAfterSeconds sets a Retry-After header on a dialect's fault
	// answer (SailPoint's 429s carry one; 1 when a 429 rule gives none).
	RetryAfterSeconds int `json:"retryAfterSeconds,omitempty"`
	// Hits counts the calls the fault has hit.
	Hits int `json:"hits"`
}

// Validate checks a fault rule and fills in defaults.
func (f *Fault) validate() error {
	switch {
	case f.Action == "":
		return errors.New(`action is required: a WHMCS action name, or "*" for every action`)
	case f.Action != "*" && !actions.Documented(actions.Normalize(f.Action)) && !isDialectOperation(actions.Normalize(f.Action)):
		return fmt.Errorf("action %q is neither a WHMCS API action nor a dialect operation (%s)", f.Action,
			strings.Join(dialectOperationNames(), ", "))
	case f.RetryAfterSeconds < 0:
		return errors.New("retryAfterSeconds must be 0 (none) or more")
	case f.Times < 0:
		return errors.New("times must be 0 (until cleared) or more")
	case f.Probability < 0 || f.Probability > 1:
		return errors.New("probability must be between 0 and 1")
	case f.Status != 0 && (f.Status < 200 || f.Status > 599):
		return errors.New("status must be an HTTP status from 200 to 599")
	case f.DelayMS < 0 || f.DelayMS > 600_000:
		return errors.New("delayMs must be between 0 and 600000")
	case f.Message == "" && f.Status == 0 && f.DelayMS == 0:
		return errors.New("give a message, a status or a delayMs: a fault with none does nothing")
	}
	if f.Status != 0 && f.Message == "" {
		f.Message = fmt.Sprintf("Fault injected by whmcsemu (HTTP %d)", f.Status)
	}
	if f.Message != "" && f.Status == 0 {
		f.Status = http.StatusOK
	}
	f.Hits = 0
	return nil
}

// Faults holds the fault rules in force.
type Faults struct {
	mu     sync.Mutex
	rules  []*Fault
	nextID int64
	rng    *rand.Rand
}

func newFaults(seed uint64) *Faults {
	fs := &Faults{}
	fs.reseed(seed)
	return fs
}

func (fs *Faults) reseed(seed uint64) {
	fs.mu.Lock()
	fs.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	fs.mu.Unlock()
}

// Add validates f and puts it in force; it returns the stored rule.
func (fs *Faults) Add(f Fault) (Fault, error) {
	if err := f.validate(); err != nil {
		return Fault{}, err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.nextID++
	f.ID = fs.nextID
	fs.rules = append(fs.rules, &f)
	return f, nil
}

// List returns the rules in force, oldest first.
func (fs *Faults) List() []Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]Fault, 0, len(fs.rules))
	for _, f := range fs.rules {
		out = append(out, *f)
	}
	return out
}

// Remove drops one rule and reports whether it existed.
func (fs *Faults) Remove(id int64) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.rules {
		if f.ID == id {
			fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
			return true
		}
	}
	return false
}

// Clear drops every rule.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	fs.rules = nil
	fs.mu.Unlock()
}

// hit returns the fault that applies to this call of the (normalised)
// action, if any, counting the hit and retiring spent rules.
func (fs *Faults) hit(action string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.rules {
		if f.Action != "*" && actions.Canonical(actions.Normalize(f.Action)) != actions.Canonical(action) {
			continue
		}
		if f.Probability > 0 && fs.rng.Float64() >= f.Probability {
			continue
		}
		f.Hits++
		if f.Times > 0 && f.Hits >= f.Times {
			fs.rules = append(fs.rules[:i], fs.rules[i+1:]...)
		}
		return *f, true
	}
	return Fault{}, false
}

// apply waits out a fault's delay and returns its error, if it has one.
func (f Fault) apply(done <-chan struct{}) *actions.Error {
	if f.DelayMS > 0 {
		t := time.NewTimer(time.Duration(f.DelayMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-done:
			t.Stop()
		}
	}
	if f.Message == "" {
		return nil
	}
	return &actions.Error{Message: f.Message, Status: f.Status}
}
