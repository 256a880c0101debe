package whmcstest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
)

// errClosed is what the in-memory transport answers once the server closed.
var errClosed = errors.New("whmcstest: server closed")

// loopbackAddr is the RemoteAddr in-memory requests come from, so that the
// control plane and IP rules treat them as they treat loopback callers.
const loopbackAddr = "127.0.0.1:49152"

// memTransport is an http.RoundTripper that serves each request by calling
// the handler in this process: no socket, no goroutine of its own. It is
// safe for concurrent use; Close waits for requests in flight.
type memTransport struct {
	handler http.Handler

	mu     sync.RWMutex // held for reading while a request runs
	closed bool
}

// RoundTrip implements http.RoundTripper.
func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close() // a RoundTripper must close the body, even on error
	}
	if req.URL == nil {
		return nil, errors.New("whmcstest: request without a URL")
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.closed {
		return nil, errClosed
	}

	// What a server would see: the same request, read from loopback.
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RemoteAddr = loopbackAddr
	in.RequestURI = req.URL.RequestURI()
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if in.Proto == "" {
		in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	}

	rec := httptest.NewRecorder()
	if err := serve(t.handler, rec, in); err != nil {
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
	}
	if resp.ContentLength < 0 && resp.Header.Get("Transfer-Encoding") == "" {
		// A server sends the length of a short, finished answer.
		resp.ContentLength = int64(rec.Body.Len())
		resp.Header.Set("Content-Length", strconv.Itoa(rec.Body.Len()))
	}
	return resp, nil
}

// serve runs the handler, turning a panic into an error as a server turns
// it into a broken connection.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				err = errors.New("whmcstest: the handler aborted the response")
				return
			}
			err = fmt.Errorf("whmcstest: the handler panicked: %v", v)
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

// close refuses new requests and waits for those in flight.
func (t *memTransport) close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
}
