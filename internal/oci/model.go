package oci

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/store"
)

// MaxScopes is how many audience and scope pairs a credential may have.
const MaxScopes = 10

// Lengths of a credential's text fields, in characters (Unicode code
// points). OCI documents none for OAuth 2.0 client credentials; these are
// whmcsemu's, generous for real use and small enough that a create or
// update cannot store megabytes in one credential (the body may be 1 MiB).
const (
	// MaxNameLength bounds name, a label for people.
	MaxNameLength = 100
	// MaxDescriptionLength bounds description.
	MaxDescriptionLength = 400
	// MaxAudienceLength bounds each scope's audience, usually a URL:
	// 2048 is the longest URL clients and servers handle everywhere.
	MaxAudienceLength = 2048
	// MaxScopeLength bounds each scope's scope, a URN such as
	// urn:opc:resource:consumer::all.
	MaxScopeLength = 512
)

// checkLength refuses a value longer than max characters.
func checkLength(name, value string, max int) error {
	if n := utf8.RuneCountInString(value); n > max {
		return invalid("'%s' must be at most %d characters long (got %d).", name, max, n)
	}
	return nil
}

// LifecycleStates are a credential's possible states.
var LifecycleStates = []string{"CREATING", "ACTIVE", "INACTIVE", "DELETING", "DELETED"}

// TimeFormat is how OCI shows a time: RFC 3339, UTC, milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Credential is OAuth2ClientCredential (and, without Password,
// OAuth2ClientCredentialSummary).
type Credential struct {
	ID             string           `json:"id"`
	UserID         string           `json:"userId"`
	CompartmentID  string           `json:"compartmentId"`
	Name           string           `json:"name"`
	Description    string           `json:"description"`
	Scopes         []store.OCIScope `json:"scopes"`
	Password       string           `json:"password,omitempty"`
	ExpiresOn      *string          `json:"expiresOn"`
	LifecycleState string           `json:"lifecycleState"`
	TimeCreated    string           `json:"timeCreated"`
}

func toCredential(c store.OCICredential, tenancy, password string) Credential {
	out := Credential{
		ID: c.ID, UserID: c.UserID, CompartmentID: tenancy, Name: c.Name, Description: c.Description,
		Scopes: c.Scopes, Password: password, LifecycleState: c.LifecycleState, TimeCreated: millisText(c.TimeCreated),
	}
	if out.Scopes == nil {
		out.Scopes = []store.OCIScope{}
	}
	if c.ExpiresOn != nil {
		s := millisText(*c.ExpiresOn)
		out.ExpiresOn = &s
	}
	return out
}

func millisText(ms int64) string { return time.UnixMilli(ms).UTC().Format(TimeFormat) }

// createDetails is CreateOAuth2ClientCredentialDetails.
type createDetails struct {
	Name        *string       `json:"name"`
	Description *string       `json:"description"`
	Scopes      *[]scopeInput `json:"scopes"`
}

// updateDetails is UpdateOAuth2ClientCredentialDetails. Name is here only
// to say it cannot be changed.
type updateDetails struct {
	Name            *string       `json:"name"`
	Description     *string       `json:"description"`
	Scopes          *[]scopeInput `json:"scopes"`
	IsResetPassword *bool         `json:"isResetPassword"`
}

// scopeInput is FullyQualifiedScope as sent.
type scopeInput struct {
	Audience *string `json:"audience"`
	Scope    *string `json:"scope"`
}

// apiError is a refusal with OCI's status, code and message.
type apiError struct {
	status        int
	code, message string
}

func (e *apiError) Error() string { return e.message }

func refuse(status int, code, format string, args ...any) error {
	return &apiError{status, code, fmt.Sprintf(format, args...)}
}

func missing(name string) error {
	return refuse(http.StatusBadRequest, CodeMissingParameter, "Missing required parameter '%s'.", name)
}

func invalid(format string, args ...any) error {
	return refuse(http.StatusBadRequest, CodeInvalidParameter, format, args...)
}

func cannotParse(format string, args ...any) error {
	return refuse(http.StatusBadRequest, CodeCannotParseRequest, format, args...)
}

// decodeStrict reads one JSON object into v, refusing unknown fields and
// trailing data.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return cannotParse("The request body is empty; a JSON object is required.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr) && typeErr.Field != "":
			return invalid("Invalid value for '%s': expected %s.", typeErr.Field, typeErr.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return invalid("Unknown parameter %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return cannotParse("The request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return cannotParse("The request body holds more than one JSON value.")
	}
	return nil
}

// checkScopes validates the scopes of a create or update.
func checkScopes(in *[]scopeInput) ([]store.OCIScope, error) {
	if in == nil {
		return nil, missing("scopes")
	}
	if len(*in) == 0 {
		return nil, invalid("'scopes' must hold at least one audience and scope pair.")
	}
	if len(*in) > MaxScopes {
		return nil, invalid("'scopes' holds %d pairs; a credential can have at most %d.", len(*in), MaxScopes)
	}
	out := make([]store.OCIScope, len(*in))
	for i, s := range *in {
		switch {
		case s.Audience == nil:
			return nil, missing(fmt.Sprintf("scopes[%d].audience", i))
		case s.Scope == nil:
			return nil, missing(fmt.Sprintf("scopes[%d].scope", i))
		case strings.TrimSpace(*s.Audience) == "":
			return nil, invalid("'scopes[%d].audience' must not be empty.", i)
		case strings.TrimSpace(*s.Scope) == "":
			return nil, invalid("'scopes[%d].scope' must not be empty.", i)
		}
		if err := checkLength(fmt.Sprintf("scopes[%d].audience", i), *s.Audience, MaxAudienceLength); err != nil {
			return nil, err
		}
		if err := checkLength(fmt.Sprintf("scopes[%d].scope", i), *s.Scope, MaxScopeLength); err != nil {
			return nil, err
		}
		out[i] = store.OCIScope{Audience: *s.Audience, Scope: *s.Scope}
	}
	return out, nil
}

// checkCreate validates a create body.
func checkCreate(body []byte) (createDetails, []store.OCIScope, error) {
	var d createDetails
	if err := decodeStrict(body, &d); err != nil {
		return d, nil, err
	}
	scopes, err := checkCreateDetails(d)
	return d, scopes, err
}

// checkCreateDetails validates a create, however it came.
func checkCreateDetails(d createDetails) ([]store.OCIScope, error) {
	switch {
	case d.Name == nil:
		return nil, missing("name")
	case strings.TrimSpace(*d.Name) == "":
		return nil, invalid("'name' must not be empty.")
	case d.Description == nil:
		return nil, missing("description")
	}
	if err := checkLength("name", *d.Name, MaxNameLength); err != nil {
		return nil, err
	}
	if err := checkLength("description", *d.Description, MaxDescriptionLength); err != nil {
		return nil, err
	}
	return checkScopes(d.Scopes)
}

// checkUpdate validates an update body.
func checkUpdate(body []byte) (updateDetails, []store.OCIScope, error) {
	var d updateDetails
	if err := decodeStrict(body, &d); err != nil {
		return d, nil, err
	}
	scopes, err := checkUpdateDetails(d)
	return d, scopes, err
}

// checkUpdateDetails validates an update, however it came.
func checkUpdateDetails(d updateDetails) ([]store.OCIScope, error) {
	switch {
	case d.Name != nil:
		return nil, invalid("'name' cannot be changed; an update takes description, scopes and isResetPassword.")
	case d.Description == nil:
		return nil, missing("description")
	}
	if err := checkLength("description", *d.Description, MaxDescriptionLength); err != nil {
		return nil, err
	}
	return checkScopes(d.Scopes)
}
