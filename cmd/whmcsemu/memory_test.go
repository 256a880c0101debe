//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemoryUnderLargeRequests sends what any caller may send, without
// credentials: requests of 8 MB, then reads the journal, and checks the
// peak resident memory of the command's process (without the race
// detector, whose shadow memory would measure the detector). Before the
// journal was bounded by bytes, 40 such requests held over 300 MB; the 20
// sent here would hold 160 MB, over the 100 MB bound.
func TestMemoryUnderLargeRequests(t *testing.T) {
	t.Parallel() // it waits on processes of its own most of the time
	if crashRaceBuild() {
		// The detector's shadow memory would be measured: the run without
		// -race measures the command.
		t.Skip("measured by the run without -race")
	}
	bin := crashBinary(t)
	db := filepath.Join(t.TempDir(), "memory.db")
	s := crashStart(t, bin, "--addr", "127.0.0.1:0", "--db", db,
		"--fixtures", crashDemo, "--log-level", "error")
	// Just under the default 8 MiB body limit, so the body is read in full.
	body := "action=x&note=" + strings.Repeat("N", 8<<20-64)
	for i := range 20 {
		resp, err := s.client.Post(s.url+"/includes/api.php", "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusForbidden, resp.StatusCode, "request %d", i)
	}
	resp, err := s.client.Get(s.url + "/_whmcsemu/journal")
	require.NoError(t, err)
	journal, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Less(t, len(journal), 1<<20, "the journal's answer")

	peak := peakRSS(t, s.cmd.Process.Pid)
	t.Logf("peak resident memory: %.1f MB", float64(peak)/(1<<20))
	assert.Less(t, peak, int64(100<<20), "peak resident memory of the server")
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range bytes.Split(status, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(rest)), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}
