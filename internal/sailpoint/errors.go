package sailpoint

import (
	"fmt"
	"net/http"
)

// ErrorResponse is SailPoint's ErrorResponseDto, the body of its 400, 403,
// 404 and 500 answers.
type ErrorResponse struct {
	DetailCode string         `json:"detailCode"`
	TrackingID string         `json:"trackingId"`
	Messages   []ErrorMessage `json:"messages"`
	Causes     []ErrorMessage `json:"causes"`
}

// ErrorMessage is SailPoint's ErrorMessageDto.
type ErrorMessage struct {
	Locale       *string `json:"locale"`
	LocaleOrigin *string `json:"localeOrigin"`
	Text         string  `json:"text"`
}

// statusDetail is the detailCode and default text of each status.
var statusDetail = map[int][2]string{
	http.StatusBadRequest: {"400.1 Bad Request Content",
		"The request was syntactically correct but its content is semantically invalid."},
	http.StatusForbidden: {"403 Forbidden", "The server understood the request but refuses to authorize it."},
	http.StatusNotFound: {"404 Not found",
		"The server did not find a current representation for the target resource."},
	http.StatusMethodNotAllowed: {"405 Method Not Allowed",
		"The request method is not supported by the target resource."},
	http.StatusUnsupportedMediaType: {"415 Unsupported Media Type",
		"The request's content type is not supported by the target resource."},
	http.StatusInternalServerError: {"500.0 Internal Fault", "An internal fault occurred."},
}

// RateLimitBody is what SailPoint answers with 429 (with a Retry-After
// header, which the caller sets), spaces included.
const RateLimitBody = `{"message":" Rate Limit Exceeded "}`

// WriteError writes an error answer in SailPoint's shape for status: for
// 401 {"error": text}, for 429 RateLimitBody, otherwise an ErrorResponse
// with a fresh trackingId whose one message is text (the status's standard
// wording when text is empty). The root server's fault machinery uses it
// for the SailPoint paths; it sets any Retry-After itself, before calling.
func (h *Handler) WriteError(w http.ResponseWriter, status int, text string) {
	switch status {
	case http.StatusUnauthorized:
		if text == "" {
			text = "JWT validation failed: JWT is missing"
		}
		writeJSON(w, status, map[string]string{"error": text})
		return
	case http.StatusTooManyRequests:
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(RateLimitBody + "\n"))
		return
	}
	detail, ok := statusDetail[status]
	if !ok {
		detail = [2]string{fmt.Sprintf("%d %s", status, http.StatusText(status)), http.StatusText(status)}
	}
	if text == "" {
		text = detail[1]
	}
	locale, origin := "en-US", "DEFAULT"
	writeJSON(w, status, ErrorResponse{
		DetailCode: detail[0],
		TrackingID: h.randomHex(16),
		Messages:   []ErrorMessage{{Locale: &locale, LocaleOrigin: &origin, Text: text}},
		Causes:     []ErrorMessage{},
	})
}
