package whmcsemu

// Reading a request: the envelope and the form, as WHMCS (PHP) reads them.

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"

	"github.com/whmcsemu/whmcsemu/actions"
)

// The envelope: fields WHMCS reads itself rather than passing to an action.
var envelopeFields = []string{"action", "identifier", "secret", "username", "password", "accesskey", "responsetype"}

type envelope struct {
	action, identifier, secret, username, password, accessKey, responseType string
}

func lastValue(params url.Values, key string) string {
	if vs := params[key]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	return ""
}

// takeEnvelope removes the envelope fields from params and returns them.
func takeEnvelope(params url.Values) envelope {
	get := func(k string) string {
		vs := params[k]
		delete(params, k)
		if len(vs) == 0 {
			return ""
		}
		return vs[len(vs)-1]
	}
	return envelope{
		action: get("action"), identifier: get("identifier"), secret: get("secret"),
		username: get("username"), password: get("password"), accessKey: get("accesskey"),
		responseType: get("responsetype"),
	}
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// readParams reads the query string and, for form bodies of POST
// requests, the body, as PHP fills $_GET, $_POST and $_REQUEST (the body
// wins). MaxFields counts the fields of both together. note says why a
// body was not read, for the log: the caller sees only WHMCS's answer to
// the fields it did send ("Invalid or missing credentials", mostly), as
// from WHMCS, and the log line tells them why.
func (s *Server) readParams(w http.ResponseWriter, r *http.Request) (params url.Values, note string, _ *actions.Error) {
	query := newForm(s.maxFields)
	query.parseQuery(r.URL.RawQuery)
	body := newForm(s.maxFields)
	body.fields = query.fields
	if r.Method != http.MethodPost {
		// PHP reads a body into $_POST for POST requests only.
		body = newForm(0)
		if r.ContentLength != 0 {
			note = "body ignored: WHMCS reads a request body for POST only, and this is a " + r.Method
		}
	} else if n, err := s.readBody(w, r, body); err != nil {
		return query.values, n, err
	} else {
		note = n
	}
	if query.tooMany || body.tooMany {
		return query.values, note, &actions.Error{
			Message: fmt.Sprintf("Too many input fields: the limit is %d (PHP's max_input_vars); send fewer or raise --max-fields", s.maxFields),
			Status:  http.StatusBadRequest,
		}
	}
	return mergeForms(query.values, body.values), note, nil
}

// readBody reads a POST body of a form type into body. A body of any
// other type is not read, as PHP leaves $_POST empty for it; note says so.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, body *form) (note string, _ *actions.Error) {
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	switch ct {
	case "application/x-www-form-urlencoded":
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return "", bodyError(err)
		}
		body.parseQuery(string(raw))
	case "multipart/form-data":
		if ctParams["boundary"] == "" {
			return "", &actions.Error{Message: "Malformed multipart/form-data body: no boundary", Status: http.StatusBadRequest}
		}
		if err := body.parseMultipart(multipart.NewReader(r.Body, ctParams["boundary"])); err != nil {
			return "", bodyError(err)
		}
	default:
		if r.ContentLength != 0 {
			what := "no content type"
			if ct != "" {
				what = "content type " + cutText(ct, 64)
			}
			return "body ignored: " + what + " is not a form; WHMCS reads application/x-www-form-urlencoded " +
				"or multipart/form-data bodies only", nil
		}
	}
	return "", nil
}

func bodyError(err error) *actions.Error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &actions.Error{
			Message: fmt.Sprintf("Request body too large: the limit is %d bytes", tooBig.Limit),
			Status:  http.StatusRequestEntityTooLarge,
		}
	}
	return &actions.Error{Message: "Malformed request body: " + err.Error(), Status: http.StatusBadRequest}
}
