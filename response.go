package whmcsemu

// Writing an answer: WHMCS's response types, content types and statuses.

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// reply is an answer before encoding.
type reply struct {
	status int
	format string // json, xml or nvp
	action string // normalised action name, for <action>
	body   any    // a response struct, or errorBody
	err    string // the message when the result is an error
	caller string // identifier or admin username, for the log
	note   string // why the request was read as it was, for the log
}

type errorBody struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

func errorReply(status int, format, action, msg string) reply {
	return reply{status: status, format: format, action: action, err: msg, body: &errorBody{"error", msg}}
}

// frameworkFormat is the format of errors raised before the response type
// is read: exact lower-case "json" or "xml"; anything else renders as NVP.
func frameworkFormat(rt string) string {
	if rt == "json" || rt == "xml" {
		return rt
	}
	return "nvp"
}

// responseFormat applies WHMCS's response type rules to an action: json,
// xml or nvp in any case; none means XML for structured list actions and
// NVP for the rest. It returns an error message for anything else.
func responseFormat(rt string, structured bool) (format, msg string) {
	switch strings.ToLower(rt) {
	case "json":
		return "json", ""
	case "xml":
		return "xml", ""
	case "nvp":
		if structured {
			return "", "This API action only supports the XML or JSON response type formats"
		}
		return "nvp", ""
	case "":
		if structured {
			return "xml", ""
		}
		return "nvp", ""
	}
	return "", fmt.Sprintf("Unsupported API response type format \"%s\". Supported formats include: json, xml, nvp", rt)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// write encodes rep in its format with WHMCS's content type and status.
func (s *Server) write(w http.ResponseWriter, rep reply) {
	bp := bufPool.Get().(*[]byte)
	b := (*bp)[:0]
	var ctype string
	v := reflect.ValueOf(rep.body)
	switch rep.format {
	case "json":
		ctype = "application/json"
		b = appendJSON(b, v)
	case "xml":
		ctype = "application/xml; charset=utf-8"
		version := s.env.Settings().Version
		if rep.err != "" {
			version = ""
		}
		b = appendXMLDocument(b, version, rep.action, v)
	default:
		ctype = "text/plain; charset=utf-8"
		b = appendNVP(b, v)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(rep.status)
	_, _ = w.Write(b)
	if cap(b) <= 1<<20 {
		*bp = b
		bufPool.Put(bp)
	}
}
