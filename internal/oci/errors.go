package oci

import (
	"errors"
	"net/http"
)

// Error is the body of every OCI error answer.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// OCI's error codes used here.
const (
	CodeCannotParseRequest                   = "CannotParseRequest"
	CodeInvalidParameter                     = "InvalidParameter"
	CodeMissingParameter                     = "MissingParameter"
	CodeLimitExceeded                        = "LimitExceeded"
	CodeNotAuthenticated                     = "NotAuthenticated"
	CodeNotAuthorized                        = "NotAuthorized"
	CodeNotAuthorizedOrNotFound              = "NotAuthorizedOrNotFound"
	CodeNotFound                             = "NotFound"
	CodeMethodNotAllowed                     = "MethodNotAllowed"
	CodeIncorrectState                       = "IncorrectState"
	CodeInvalidatedRetryToken                = "InvalidatedRetryToken"
	CodeNotAuthorizedOrResourceAlreadyExists = "NotAuthorizedOrResourceAlreadyExists"
	CodeNoEtagMatch                          = "NoEtagMatch"
	CodeTooManyRequests                      = "TooManyRequests"
	CodeInternalServerError                  = "InternalServerError"
	CodeServiceUnavailable                   = "ServiceUnavailable"
)

// statusCode is the code an answer of a status gets when nothing more
// precise is known (a fault rule gives only a status and a message).
var statusCode = map[int]string{
	http.StatusBadRequest:          CodeInvalidParameter,
	http.StatusUnauthorized:        CodeNotAuthenticated,
	http.StatusForbidden:           CodeNotAuthorized,
	http.StatusNotFound:            CodeNotAuthorizedOrNotFound,
	http.StatusMethodNotAllowed:    CodeMethodNotAllowed,
	http.StatusConflict:            CodeIncorrectState,
	http.StatusPreconditionFailed:  CodeNoEtagMatch,
	http.StatusTooManyRequests:     CodeTooManyRequests,
	http.StatusInternalServerError: CodeInternalServerError,
	http.StatusServiceUnavailable:  CodeServiceUnavailable,
}

// CodeForStatus is OCI's usual error code for an HTTP status
// (InternalServerError for one it has none for).
func CodeForStatus(status int) string {
	if c, ok := statusCode[status]; ok {
		return c
	}
	return CodeInternalServerError
}

// notAuthenticated is OCI's wording for every 401; whmcsemu adds why.
const notAuthenticated = "The required information to complete authentication was not provided or was incorrect."

// WriteError writes an OCI error answer: {"code", "message"} with status,
// and an opc-request-id when the answer has none yet. The root server's
// fault machinery uses it (code "" takes CodeForStatus(status)).
func (h *Handler) WriteError(w http.ResponseWriter, status int, code, message string) {
	if code == "" {
		code = CodeForStatus(status)
	}
	if message == "" {
		message = http.StatusText(status)
	}
	if w.Header().Get("opc-request-id") == "" {
		w.Header().Set("opc-request-id", h.requestID(""))
	}
	writeJSON(w, status, Error{Code: code, Message: message})
}

// ErrorOf reports the status, OCI error code and message of a refusal
// that one of the Handler's Go operations (CreateCredential, …) returned,
// as the HTTP operation would answer it; ok is false for any other error
// (an internal one, which the HTTP operation answers 500).
func ErrorOf(err error) (status int, code, message string, ok bool) {
	var e *apiError
	if !errors.As(err, &e) {
		return 0, "", "", false
	}
	return e.status, e.code, e.message, true
}

// HTTPStatus is the status the HTTP operation answers the refusal with.
func (e *apiError) HTTPStatus() int { return e.status }
