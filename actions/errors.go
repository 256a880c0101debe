package actions

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/whmcsemu/whmcsemu/store"
)

// Error is an error WHMCS shows its caller: {"result":"error","message":…}.
// Status is the HTTP status it travels with; errors raised inside an action
// travel with 200, as in WHMCS.
type Error struct {
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Message }

// Errorf makes an action error (HTTP 200) with a formatted message.
func Errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...), Status: http.StatusOK}
}

// InternalMessage is all a caller learns of an unexpected failure (a driver
// error, a bug); the details go to the log only.
const InternalMessage = "An internal error occurred in whmcsemu; the server log has the details"

// AsError returns err as a WHMCS-visible *Error and reports whether it was
// one already. store.ErrMoneyRange is one too: an amount, or a total or
// balance, too large for WHMCS's decimal(16,2) columns is the caller's
// mistake wherever the store finds it, so every action answers it with the
// same message without checking for it itself. Anything else becomes the
// fixed internal message, so no SQL, driver text or stack reaches a client.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	if errors.Is(err, store.ErrMoneyRange) {
		return Errorf("%s", store.ErrMoneyRange.Error()), true
	}
	return &Error{Message: InternalMessage, Status: http.StatusOK}, false
}

// notFoundAs is err, except that store.ErrNotFound becomes msg: the step
// "look it up; not there → the action's documented message" that every
// action taking an id has.
func notFoundAs(err error, msg *Error) error {
	if errors.Is(err, store.ErrNotFound) {
		return msg
	}
	return err
}

// notFoundUnless is notFoundAs for a row that must also fit (be the
// client's, be in the right status): one found that does not fit is msg
// too, as WHMCS answers both with one message.
func notFoundUnless(err error, fits bool, msg *Error) error {
	if err == nil && !fits {
		return msg
	}
	return notFoundAs(err, msg)
}

// changeOne is an action that changes or removes one row by id: change
// runs in one transaction, store.ErrNotFound from it (no such row)
// becoming notFound; once it is written, the log says event, with attrs,
// and the answer is answer.
func changeOne(ctx context.Context, env *Env, notFound *Error, change func(tx *store.Tx) error,
	answer any, event string, attrs ...any) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error { return notFoundAs(change(tx), notFound) })
	if err != nil {
		return nil, err
	}
	env.Log.Info(event, attrs...)
	return answer, nil
}

// mustExist is the check before an action refers to a row by id: nil when
// exists (one of the store's, such as tx.ClientExists) finds it, msg when
// it does not.
func mustExist(ctx context.Context, exists func(context.Context, int64) (bool, error), id int64, msg *Error) error {
	ok, err := exists(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return msg
	}
	return nil
}
