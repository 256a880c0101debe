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
	// Value is the action's response struct on success, nil on error.
	Value any
	// Err is the WHMCS error on failure, nil on success.
	Err *actions.Error
}

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
// does: no HTTP, no IP, access-key or role checks. admin names the admin
// to act as, by username or id; "" acts as no particular admin. An unknown
// admin gives "No matching admin user found".
func (s *Server) Call(ctx context.Context, action string, params url.Values, admin string) *Result {
	start := time.Now()
	res := s.call(ctx, action, params, admin)
	e := JournalEntry{
		Time: s.clock.Now(), Source: "local", Action: res.Action, Caller: admin,
		Result: "success", Status: http.StatusOK, Duration: float64(time.Since(start).Microseconds()) / 1000,
	}
	e.Params, e.Cut = journalParams(params)
	if res.Err != nil {
		e.Result, e.Message = "error", res.Err.Message
	}
	s.journal.record(e)
	return res
}

func (s *Server) call(ctx context.Context, action string, params url.Values, admin string) *Result {
	name := actions.Normalize(action)
	fail := func(msg string) *Result {
		return &Result{Action: name, Err: &actions.Error{Message: msg, Status: http.StatusOK}}
	}
	var caller actions.Caller
	if admin != "" {
		a, err := s.findAdmin(ctx, admin)
		if errors.Is(err, store.ErrNotFound) {
			return fail("No matching admin user found")
		}
		if err != nil {
			s.log.Error("local API: looking up the admin", "err", err)
			return fail(actions.InternalMessage)
		}
		caller = actions.Caller{AdminID: a.ID, AdminUsername: a.Username}
	}
	caller.Local = true
	if name == "" {
		return fail("Empty action request")
	}
	if !actions.Documented(name) {
		return fail("Invalid API Action: \"" + name + "\" is not a valid API action")
	}
	if f, hit := s.faults.hit(name); hit {
		if e := f.apply(ctx.Done()); e != nil {
			return &Result{Action: name, Err: e}
		}
	}
	a, ok := actions.Lookup(name)
	if !ok {
		return fail(notEmulated(name))
	}
	// Parameters go through the same reading as a form, so bracket keys
	// and empty values mean what they mean over HTTP.
	f := newForm(0)
	f.addValues(params)
	values := mergeForms(nil, f.values)
	for _, k := range envelopeFields {
		delete(values, k)
	}
	value, err := s.run(actions.WithCaller(ctx, caller), a, values)
	return &Result{Action: name, Value: value, Err: err}
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
