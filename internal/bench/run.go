package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

// loadRun measures every workload against the ceiling, then whmcsemu.
func loadRun(ctx context.Context, cfg config, w io.Writer) error {
	var chosen []workload
	for _, name := range cfg.workloads {
		wl, err := findWorkload(name)
		if err != nil {
			return err
		}
		chosen = append(chosen, wl)
	}
	fixturePath, err := findFixture(cfg.fixture)
	if err != nil {
		return err
	}
	demo, err := os.ReadFile(fixturePath)
	if err != nil {
		return err
	}
	emu, err := newEmulator(ctx)
	if err != nil {
		return err
	}
	defer emu.Close()
	setup := time.Now()
	if err := emu.srv.LoadFixture(ctx, demo); err != nil {
		return fmt.Errorf("demo fixture: %w", err)
	}
	if err := loadDocument(ctx, emu.srv, oauthDocument(3, loadCredentials-2)); err != nil {
		return fmt.Errorf("generated credentials: %w", err)
	}
	if err := loadDocument(ctx, emu.srv, clientsDocument(loadClientsFirstID, loadClients)); err != nil {
		return fmt.Errorf("generated clients: %w", err)
	}
	setupTook := time.Since(setup)
	emuURL, stopEmu, err := listen(emu.srv)
	if err != nil {
		return err
	}
	defer stopEmu()
	ceil := &ceiling{bodies: map[string][]byte{}}
	var counter atomic.Int64
	sizes := map[string]int{}
	for _, wl := range chosen {
		// Twenty requests: two of the mixed workload's cycles, so every
		// action it sends has a body the ceiling answers with.
		total := 0
		for range 20 {
			i := counter.Add(1)
			action, body, err := sample(ctx, emuURL, wl, i)
			if err != nil {
				return err
			}
			if _, ok := ceil.bodies[action]; !ok {
				ceil.bodies[action] = body
			}
			total += len(body)
		}
		sizes[wl.name] = total / 20
	}
	ceilURL, stopCeil, err := listen(ceil)
	if err != nil {
		return err
	}
	defer stopCeil()

	runtime.GC()
	peakReset := resetPeakRSS()
	heap := watchHeap(50 * time.Millisecond)
	prof := &cpuProfiler{prefix: cfg.cpuProfile}
	var results []result
	for _, wl := range chosen {
		r := result{wl: wl, size: sizes[wl.name]}
		fmt.Fprintf(os.Stderr, "bench: %s: %d rounds of ceiling then whmcsemu…\n", wl.name, cfg.rounds)
		if err := measure(ctx, cfg, wl, ceilURL, emuURL, &counter, prof, &r.ceil, &r.emu, &r.ceilErr, &r.emuErr); err != nil {
			return err
		}
		results = append(results, r)
	}
	mem := memReport{peakReset: peakReset, peakHeap: heap.Stop(), hwmKB: procStatusKB("VmHWM"), rssKB: procStatusKB("VmRSS"),
		heapAfter: heapInUse()}
	mem.credentials = countCredentials(ctx, emu.srv.Path())
	if cfg.memProfile != "" {
		if err := writeAllocProfile(cfg.memProfile); err != nil {
			return err
		}
	}
	printLoad(w, cfg, setupTook, results, mem)
	return nil
}

// countCredentials counts the OAuth credentials in the database at path
// (ListOAuthCredentials, like WHMCS's, gives no total); -1 when it cannot.
func countCredentials(ctx context.Context, path string) int64 {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return -1
	}
	defer db.Close()
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM oauth_credentials`).Scan(&n); err != nil {
		return -1
	}
	return n
}

// result is one workload's measure on both servers.
type result struct {
	wl              workload
	size            int // body bytes
	ceil, emu       stats
	ceilErr, emuErr error
}

// memReport is the process's memory over the load run.
type memReport struct {
	peakReset           bool
	hwmKB, rssKB        int64
	peakHeap, heapAfter uint64
	credentials         int64 // OAuth credentials whmcsemu holds after the run (the create workload adds them)
}

func printLoad(w io.Writer, cfg config, setupTook time.Duration, results []result, mem memReport) {
	fmt.Fprintf(w, "Each workload: %s of warm-up per server, then %d rounds of %s on the ceiling and %s on whmcsemu, alternating.\n\n",
		cfg.warmup, cfg.rounds, cfg.duration/time.Duration(cfg.rounds), cfg.duration/time.Duration(cfg.rounds))
	fmt.Fprintf(w, "whmcsemu: demo fixture + %d generated OAuth credentials + %d generated clients (loaded in %s), "+
		"journal on, logging off; ceiling: net/http handler, ParseForm, a fixed body of whmcsemu's answer "+
		"(same size and headers).\n\n",
		loadCredentials-2, loadClients, setupTook.Round(time.Millisecond))
	fmt.Fprintln(w, "| workload | ceiling req/s | whmcsemu req/s | ratio | target | CPU ratio | whmcsemu p50 | whmcsemu p99 (target < 10 ms) | errors |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range results {
		target := "—"
		if r.wl.target > 0 {
			target = fmt.Sprintf("≥ %.0f%%", r.wl.target*100)
		}
		fmt.Fprintf(w, "| %s | %.0f | %.0f | %.1f%% | %s | %.1f%% | %s | %s | %d |\n",
			r.wl.name, r.ceil.rate(), r.emu.rate(), 100*r.emu.rate()/r.ceil.rate(), target,
			100*r.ceil.cpuPerRequest()/r.emu.cpuPerRequest(), ms(r.emu.percentile(0.50)), ms(r.emu.percentile(0.99)), r.emu.errors)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload (details) | body | ceiling p50 | ceiling p99 | ceiling errors | CPU µs/req whmcsemu | CPU µs/req ceiling | allocs/req whmcsemu | allocs/req ceiling | KB alloc/req whmcsemu | KB alloc/req ceiling |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range results {
		fmt.Fprintf(w, "| %s | %d B | %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f |\n",
			r.wl.name, r.size, ms(r.ceil.percentile(0.50)), ms(r.ceil.percentile(0.99)), r.ceil.errors,
			r.emu.cpuPerRequest(), r.ceil.cpuPerRequest(), r.emu.perRequest(r.emu.allocs), r.ceil.perRequest(r.ceil.allocs),
			r.emu.perRequest(r.emu.bytes)/1024, r.ceil.perRequest(r.ceil.bytes)/1024)
	}
	fmt.Fprintln(w)
	for _, r := range results {
		if r.emuErr != nil || r.ceilErr != nil {
			fmt.Fprintf(w, "- %s: first transport error: whmcsemu %v; ceiling %v\n", r.wl.name, r.emuErr, r.ceilErr)
		}
	}
	since := "since start-up (the kernel refused to reset VmHWM)"
	if mem.peakReset {
		since = "during the load run (VmHWM reset just before it)"
	}
	held := "an unknown number of" // the database could not be read
	if mem.credentials >= 0 {
		held = fmt.Sprint(mem.credentials)
	}
	fmt.Fprintf(w, "- peak resident memory of the process %s: %s (target < 64 MB; VmRSS after: %s); both servers and the load "+
		"generator share this process, so whmcsemu alone uses less; whmcsemu held %s OAuth credentials after the run "+
		"(in SQLite; its read model keeps their ids and orderings, and at most 1,024 whole)\n", since, mb(mem.hwmKB), mb(mem.rssKB), held)
	fmt.Fprintf(w, "- Go heap in use: peak %s (sampled every 50 ms), %s after the run\n", mbBytes(mem.peakHeap), mbBytes(mem.heapAfter))
	fmt.Fprintf(w, "- errors: answers that were not a 200 with result success, and transport errors\n")
	fmt.Fprintf(w, "- CPU µs/req: the process's CPU time (user + system, load generator included) per request; "+
		"CPU ratio = ceiling's ÷ whmcsemu's, the ratio the request rates would have with the cores to themselves "+
		"(on a shared machine it is steadier than the req/s ratio)\n")
	fmt.Fprintf(w, "- allocs/req and KB alloc/req count the whole process (server, load generator and HTTP client) "+
		"per request; the ceiling's column is the cost of the harness and net/http alone\n\n")
}

// measure warms both servers up, then alternates ceiling and whmcsemu in
// cfg.rounds slices of duration/rounds each, so that whatever else the
// machine is doing weighs on both alike.
func measure(ctx context.Context, cfg config, wl workload, ceilURL, emuURL string, counter *atomic.Int64,
	prof *cpuProfiler, ceil, emu *stats, ceilErr, emuErr *error) error {
	cl := newLoader(ceilURL, wl, cfg.conns, counter)
	defer cl.Close()
	el := newLoader(emuURL, wl, cfg.conns, counter)
	defer el.Close()
	keep := func(dst *error, err error) {
		if err != nil && *dst == nil {
			*dst = err
		}
	}
	if cfg.warmup > 0 {
		_, err := cl.run(ctx, cfg.warmup, false)
		keep(ceilErr, err)
		_, err = el.run(ctx, cfg.warmup, false)
		keep(emuErr, err)
	}
	slice := cfg.duration / time.Duration(cfg.rounds)
	for round := range cfg.rounds {
		s, err := cl.run(ctx, slice, true)
		ceil.add(s)
		keep(ceilErr, err)
		if err := prof.start(fmt.Sprintf("%s.r%d", wl.name, round+1)); err != nil {
			return err
		}
		s, err = el.run(ctx, slice, true)
		if perr := prof.stop(); perr != nil {
			return perr
		}
		emu.add(s)
		keep(emuErr, err)
	}
	return ctx.Err()
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
