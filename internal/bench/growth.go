package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"slices"
	"time"
)

// growthChunk is how many rows one fixture document holds while loading.
const growthChunk = 10000

type growthResult struct {
	n                 int
	load              time.Duration
	page, sorted      time.Duration // medians
	pageN, sortedN    int           // calls measured
	pageP90, sortedP9 time.Duration
}

// growthRun measures a ListOAuthCredentials page of 25 through the local
// API over databases of each size (as many credentials as clients).
func growthRun(ctx context.Context, cfg config, w io.Writer) error {
	resetPeakRSS()
	var results []growthResult
	for _, n := range cfg.growth {
		fmt.Fprintf(os.Stderr, "bench: growth: %d credentials…\n", n)
		r, err := growth(ctx, n, cfg.growthClients)
		if err != nil {
			return fmt.Errorf("growth %d: %w", n, err)
		}
		results = append(results, r)
	}
	fmt.Fprintf(w, "### Growth: a ListOAuthCredentials page of 25 (local API, Server.Call)\n\n")
	what := "credentials"
	if cfg.growthClients {
		what = "credentials (and as many clients)"
	}
	fmt.Fprintln(w, "| "+what+" | load time | rows loaded/s | page of 25 (limit=25), median | p90 | calls | sorted by name (sortField=name, limit=25), median | p90 | calls |")
	fmt.Fprintln(w, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range results {
		rows := r.n
		if cfg.growthClients {
			rows *= 2
		}
		fmt.Fprintf(w, "| %d | %s | %.0f | %s | %s | %d | %s | %s | %d |\n", r.n, r.load.Round(time.Millisecond),
			float64(rows)/r.load.Seconds(), us(r.page), us(r.pageP90), r.pageN, us(r.sorted), us(r.sortedP9), r.sortedN)
	}
	fmt.Fprintln(w)
	if len(results) >= 2 {
		a, b := results[0], results[len(results)-1]
		fmt.Fprintf(w, "- page of 25 at %d ÷ at %d: %.2f× (target ≤ 1.2×); sorted by name: %.2f×\n", b.n, a.n,
			float64(b.page)/float64(a.page), float64(b.sorted)/float64(a.sorted))
	}
	fmt.Fprintf(w, "- loaded with Server.LoadFixture in documents of %d rows each (JSON generated in Go; no bcrypt: "+
		"OAuth credentials have none, generated clients have no users)\n", growthChunk)
	fmt.Fprintf(w, "- peak resident memory during the growth measure: %s\n\n", mb(procStatusKB("VmHWM")))
	return nil
}

func growth(ctx context.Context, n int, clients bool) (growthResult, error) {
	r := growthResult{n: n}
	emu, err := newEmulator(ctx)
	if err != nil {
		return r, err
	}
	defer emu.Close()
	start := time.Now()
	for first := 1; first <= n; first += growthChunk {
		size := min(growthChunk, n-first+1)
		if clients {
			if err := loadDocument(ctx, emu.srv, clientsDocument(first, size)); err != nil {
				return r, err
			}
		}
		if err := loadDocument(ctx, emu.srv, oauthDocument(first, size)); err != nil {
			return r, err
		}
	}
	r.load = time.Since(start)
	// The measure is of a page at this size, not of the load's aftermath
	// (the WAL's checkpoint, a collection of its garbage): a server that
	// starts on a database this size.
	if err := emu.reopen(ctx); err != nil {
		return r, err
	}
	runtime.GC()
	page := url.Values{"limit": {"25"}}
	if r.page, r.pageP90, r.pageN, err = callMedian(ctx, emu, page, 3000, time.Second); err != nil {
		return r, err
	}
	sorted := url.Values{"limit": {"25"}, "sortField": {"name"}}
	if r.sorted, r.sortedP9, r.sortedN, err = callMedian(ctx, emu, sorted, 1000, time.Second); err != nil {
		return r, err
	}
	return r, nil
}

// callMedian calls ListOAuthCredentials up to max times or for budget,
// after a few unmeasured calls, and returns the median and p90.
func callMedian(ctx context.Context, emu *emulator, params url.Values, maxCalls int, budget time.Duration) (med, p90 time.Duration, calls int, err error) {
	for range 20 {
		res := emu.srv.Call(ctx, "ListOAuthCredentials", params, "")
		if !res.OK() {
			return 0, 0, 0, fmt.Errorf("ListOAuthCredentials: %s", res.Err.Message)
		}
		var page struct{ Clients []json.RawMessage }
		if err := res.Decode(&page); err != nil || len(page.Clients) != 25 {
			return 0, 0, 0, fmt.Errorf("ListOAuthCredentials returned %d rows (%v), not 25", len(page.Clients), err)
		}
	}
	var lat []time.Duration
	deadline := time.Now().Add(budget)
	for len(lat) < maxCalls && (len(lat) < 20 || time.Now().Before(deadline)) {
		t0 := time.Now()
		res := emu.srv.Call(ctx, "ListOAuthCredentials", params, "")
		lat = append(lat, time.Since(t0))
		if !res.OK() {
			return 0, 0, 0, fmt.Errorf("ListOAuthCredentials: %s", res.Err.Message)
		}
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*9/10], len(lat), nil
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}
