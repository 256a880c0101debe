package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlowClientsAreCutOff: a client that sends its headers too slowly is
// disconnected after --read-header-timeout, and everyone else is served
// meanwhile.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel() // it waits on processes or clients of its own most of the time
	db := filepath.Join(t.TempDir(), "slow.db")
	r := start(t, serveArgs(db, "--fixtures", "../../testdata/fixtures/demo.json",
		"--read-header-timeout", "300ms", "--idle-timeout", "300ms"), nil)
	host := strings.TrimPrefix(r.url, "http://")

	slow := make([]net.Conn, 5)
	for i := range slow {
		c, err := net.Dial("tcp", host)
		require.NoError(t, err)
		defer c.Close()
		_, err = io.WriteString(c, "POST /includes/api.php HTTP/1.1\r\nHost: x\r\n") // never finished
		require.NoError(t, err)
		slow[i] = c
	}
	// Served while the slow ones hang.
	m := r.call(t, url.Values{"action": {"ListOAuthCredentials"}})
	assert.Equal(t, "success", m["result"])

	for _, c := range slow {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second))) // a bound, not a speed check
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			// Go answers a header timeout with 408 before closing.
			assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
			resp.Body.Close()
			continue
		}
		var ne net.Error
		if assert.NotErrorAs(t, err, &ne, "the server, not our deadline, must end it") {
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		}
	}
	// Served after they are cut off, on a new connection. The first call's
	// connection has sat idle in the client's pool while the slow ones
	// were waited for, about --idle-timeout: the server may be closing it
	// just as the client reuses it, and a POST that loses that race ends
	// in EOF (Go's client does not resend a POST it has written), which
	// says nothing about the server.
	r.client.CloseIdleConnections()
	m = r.call(t, url.Values{"action": {"ListOAuthCredentials"}})
	assert.Equal(t, "success", m["result"])
}

// TestLimitFlags: --max-body and --max-fields change the limits, and
// going over answers a WHMCS-style error while the server keeps serving.
func TestLimitFlags(t *testing.T) {
	t.Parallel() // it waits on processes or clients of its own most of the time
	db := filepath.Join(t.TempDir(), "limits.db")
	r := start(t, serveArgs(db, "--fixtures", "../../testdata/fixtures/demo.json",
		"--max-body", "2048", "--max-fields", "20"), nil)
	post := func(body string) (int, string) {
		resp, err := r.client.Post(r.url+"/includes/api.php?responsetype=json", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}
	auth := "action=ListOAuthCredentials&identifier=" + demoIdentifier + "&secret=" + demoSecret
	code, body := post(auth + "&pad=" + strings.Repeat("x", 3000))
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Equal(t, `{"result":"error","message":"Request body too large: the limit is 2048 bytes"}`, body)
	code, body = post(auth + strings.Repeat("&f=1", 30))
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "Too many input fields: the limit is 20")
	code, body = post(auth)
	assert.Equal(t, http.StatusOK, code, body)
}
