package whmcsemu

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/store"
)

// Result is the answer of a local API call.
type Result struct {
	// Action is the normalised action name.
	Action string
	// Value is the action's answer on success, nil on error: a struct
	// whose exported fields carry the wire names in json tags (read it
	// with Decode or JSON rather than by its type, which may change).
	Value any
	// Err is the WHMCS error on failure, nil on success.
	Err *Error
}

// Error is an error answer of WHMCS: {"result":"error","message":…}.
type Error struct {
	// Message is WHMCS's message, word for word.
	Message string
	// Status is the HTTP status the endpoint answers it with (WHMCS sends
	// most action errors with 200).
	Status int
}

func (e *Error) Error() string { return e.Message }

// OK reports whether the call succeeded.
func (r *Result) OK() bool { return r.Err == nil }

// body is what the endpoint would encode for this result.
func (r *Result) body() any {
	if r.Err != nil {
		return &errorBody{Result: "error", Message: r.Err.Message}
	}
	return r.Value
}

// JSON is the result as the endpoint sends it for responsetype=json.
func (r *Result) JSON() []byte { return appendJSON(nil, reflect.ValueOf(r.body())) }

// Decode reads the result's JSON into v (a struct with json tags, or a map),
// so a caller can read the fields it cares about.
func (r *Result) Decode(v any) error { return json.Unmarshal(r.JSON(), v) }

// Call runs an action as WHMCS's localAPI($command, $values, $adminUser)
// does: through the same pipeline as the endpoint, without HTTP, IP,
// access-key or role checks. admin names the admin to act as, by username
// or id; "" acts as no particular admin. An unknown admin gives "No
// matching admin user found".
func (s *Server) Call(ctx context.Context, action string, params url.Values, admin string) *Result {
	start := time.Now()
	rep := s.callLocal(ctx, action, params, admin)
	res := &Result{Action: rep.action, Value: rep.body}
	if rep.err != "" {
		res.Value, res.Err = nil, &Error{Message: rep.err, Status: rep.status}
	}
	e := JournalEntry{
		Time: s.clock.Now(), Source: "local", Action: res.Action, Caller: admin,
		Result: resultOf(rep.err), Message: rep.err, Status: rep.status,
		Duration: float64(time.Since(start).Microseconds()) / 1000,
	}
	e.Params, e.Cut = journalParams(params)
	s.journal.record(e)
	return res
}

func (s *Server) callLocal(ctx context.Context, action string, params url.Values, admin string) reply {
	var caller actions.Caller
	if admin != "" {
		a, err := s.findAdmin(ctx, admin)
		if errors.Is(err, store.ErrNotFound) {
			return errorReply(http.StatusOK, "json", actions.Normalize(action), "No matching admin user found")
		}
		if err != nil {
			s.log.Error("local API: looking up the admin", "err", err)
			return errorReply(http.StatusOK, "json", actions.Normalize(action), actions.InternalMessage)
		}
		caller = actions.Caller{AdminID: a.ID, AdminUsername: a.Username}
	}
	// Parameters go through the same reading as a form, so bracket keys
	// and empty values mean what they mean over HTTP.
	f := newForm(0)
	f.addValues(params)
	values := mergeForms(nil, f.values)
	for _, k := range envelopeFields {
		delete(values, k)
	}
	return s.perform(ctx, call{action: action, params: values, local: true, caller: caller})
}

func (s *Server) findAdmin(ctx context.Context, admin string) (a store.Admin, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if id, perr := strconv.ParseInt(admin, 10, 64); perr == nil {
			a, err = tx.AdminByID(ctx, id)
		} else {
			a, err = tx.AdminByUsername(ctx, admin)
		}
		return err
	})
	return a, err
}
