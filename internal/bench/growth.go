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

// growthRounds is how many times the measure alternates between the
// sizes: on a shared machine, speed drifts over seconds, and alternating
// lets every size see the same drift (measured one after the other, the
// same code gave ratios from 0.9 to 1.6).
const growthRounds = 10

// growthRun measures a ListOAuthCredentials page of 25 through the local
// API over databases of each size, loaded first and then measured in
// alternating rounds.
func growthRun(ctx context.Context, cfg config, w io.Writer) error {
	resetPeakRSS()
	results := make([]growthResult, len(cfg.growth))
	emus := make([]*emulator, len(cfg.growth))
	defer func() {
		for _, e := range emus {
			if e != nil {
				e.Close()
			}
		}
	}()
	for i, n := range cfg.growth {
		fmt.Fprintf(os.Stderr, "bench: growth: loading %d credentials…\n", n)
		var err error
		if emus[i], results[i], err = growthLoad(ctx, n, cfg.growthClients); err != nil {
			return fmt.Errorf("growth %d: %w", n, err)
		}
	}
	page := url.Values{"limit": {"25"}}
	sorted := url.Values{"limit": {"25"}, "sortField": {"name"}}
	pages := make([][]time.Duration, len(emus))
	sorts := make([][]time.Duration, len(emus))
	for i, e := range emus {
		// Warm up: the first sorted call sorts the table.
		for _, params := range []url.Values{page, sorted} {
			if _, err := callLatencies(ctx, e, params, 20, true); err != nil {
				return fmt.Errorf("growth %d: %w", results[i].n, err)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "bench: growth: %d alternating rounds…\n", growthRounds)
	for range growthRounds {
		for i, e := range emus {
			lat, err := callLatencies(ctx, e, page, 300, false)
			if err != nil {
				return fmt.Errorf("growth %d: %w", results[i].n, err)
			}
			pages[i] = append(pages[i], lat...)
			if lat, err = callLatencies(ctx, e, sorted, 100, false); err != nil {
				return fmt.Errorf("growth %d: %w", results[i].n, err)
			}
			sorts[i] = append(sorts[i], lat...)
		}
	}
	for i := range results {
		r := &results[i]
		r.page, r.pageP90, r.pageN = quantiles(pages[i])
		r.sorted, r.sortedP9, r.sortedN = quantiles(sorts[i])
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

// growthLoad makes an emulator holding n credentials (and n clients when
// clients is set), reopened on its database so that a measure sees a
// server at that size rather than the load's checkpoint and garbage.
func growthLoad(ctx context.Context, n int, clients bool) (_ *emulator, r growthResult, err error) {
	r = growthResult{n: n}
	emu, err := newEmulator(ctx)
	if err != nil {
		return nil, r, err
	}
	defer func() {
		if err != nil {
			emu.Close()
		}
	}()
	start := time.Now()
	for first := 1; first <= n; first += growthChunk {
		size := min(growthChunk, n-first+1)
		if clients {
			if err := loadDocument(ctx, emu.srv, clientsDocument(first, size)); err != nil {
				return nil, r, err
			}
		}
		if err := loadDocument(ctx, emu.srv, oauthDocument(first, size)); err != nil {
			return nil, r, err
		}
	}
	r.load = time.Since(start)
	if err := emu.reopen(ctx); err != nil {
		return nil, r, err
	}
	runtime.GC()
	return emu, r, nil
}

// callLatencies calls ListOAuthCredentials calls times and returns each
// call's time. Every answer must be a success; with check, also a page of
// 25 (decoding every answer of the measure itself made the harness
// allocate three times what whmcsemu did, and the collections that paid
// for it ran through a third of the measure).
func callLatencies(ctx context.Context, emu *emulator, params url.Values, calls int, check bool) ([]time.Duration, error) {
	lat := make([]time.Duration, 0, calls)
	for range calls {
		t0 := time.Now()
		res := emu.srv.Call(ctx, "ListOAuthCredentials", params, "")
		lat = append(lat, time.Since(t0))
		if !res.OK() {
			return nil, fmt.Errorf("ListOAuthCredentials: %s", res.Err.Message)
		}
		if !check {
			continue
		}
		var page struct{ Clients []json.RawMessage }
		if err := res.Decode(&page); err != nil || len(page.Clients) != 25 {
			return nil, fmt.Errorf("ListOAuthCredentials returned %d rows (%v), not 25", len(page.Clients), err)
		}
	}
	return lat, nil
}

// quantiles gives the median and p90 of lat, and how many there were.
func quantiles(lat []time.Duration) (med, p90 time.Duration, n int) {
	if len(lat) == 0 {
		return 0, 0, 0
	}
	slices.Sort(lat)
	return lat[len(lat)/2], lat[len(lat)*9/10], len(lat)
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}
