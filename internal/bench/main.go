// Command bench measures whmcsemu against the machine's ceiling, in one run:
//
//	go run ./internal/bench [-duration 5s] [-conns 32] [-workloads ListOAuthCredentials,...] [-out FILE]
//
// It starts two HTTP servers on loopback in this process: the ceiling, a
// bare net/http handler that parses the same form and writes a fixed JSON
// body of the size whmcsemu answers with, and whmcsemu itself on a temporary
// database loaded with the demo fixture plus generated OAuth credentials
// and 1,000 generated clients (which GetClients and GetClientsDetails read).
// One load generator (N keep-alive connections, a fixed duration per
// workload) drives both, each workload in turn; within a workload it
// alternates between the two servers in rounds, so that other work on a
// shared machine weighs on both alike. It prints requests per second, p50
// and p99 latency, errors, CPU time and allocations per request, and the
// ratio to the ceiling per workload; the process's peak resident memory
// during the load run; and the growth of a ListOAuthCredentials page of 25
// (local API) from 1,000 to 100,000 credentials, measured in a process of
// its own (this program run with -growth-only). The load generator shares
// the process (and the cores) with both servers, as it would on a
// developer's machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

type config struct {
	duration   time.Duration
	warmup     time.Duration
	conns      int
	rounds     int
	workloads  []string
	out        string
	fixture    string
	cpuProfile string
	memProfile string
	growth     []int
	growthOnly bool
	// growthSection prints the growth measure's section alone.
	growthSection bool
	// growthClients loads as many clients as credentials for the growth
	// measure (for list actions over clients, once they are emulated).
	growthClients bool
}

func main() {
	var cfg config
	var workloads, growth string
	flag.DurationVar(&cfg.duration, "duration", 5*time.Second, "measured time per workload and server")
	flag.DurationVar(&cfg.warmup, "warmup", 0, "unmeasured time before each measurement (default: duration/5, at most 1s)")
	flag.IntVar(&cfg.conns, "conns", 32, "keep-alive connections (and concurrent requests)")
	flag.IntVar(&cfg.rounds, "rounds", 5, "alternate ceiling and whmcsemu this many times per workload, each for duration/rounds")
	flag.StringVar(&workloads, "workloads", strings.Join(workloadNames(), ","), "workloads to run, comma-separated")
	flag.StringVar(&cfg.out, "out", "", "also write the report (markdown) to this file")
	flag.StringVar(&cfg.fixture, "fixture", "", "the demo fixture (default: testdata/fixtures/demo.json, found from the working directory up)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of each whmcsemu round to PREFIX.<workload>.r<N>.pprof (go tool pprof merges several files)")
	flag.StringVar(&cfg.memProfile, "memprofile", "", "write the allocation profile of the load run (all workloads, both servers and the load generator; sampled every 4 KiB) to this file")
	flag.StringVar(&growth, "growth", "1000,100000", "credential counts for the growth measure, comma-separated; empty skips it")
	flag.BoolVar(&cfg.growthOnly, "growth-only", false, "run only the growth measure")
	flag.BoolVar(&cfg.growthSection, "growth-section", false, "run only the growth measure and print its section alone (how a full run gets it from a process of its own)")
	flag.BoolVar(&cfg.growthClients, "growth-clients", false, "also load as many clients as credentials for the growth measure (slower to load; nothing listed reads them yet)")
	flag.Parse()
	if cfg.warmup == 0 {
		cfg.warmup = min(cfg.duration/5, time.Second)
	}
	for _, w := range strings.Split(workloads, ",") {
		if w = strings.TrimSpace(w); w != "" {
			cfg.workloads = append(cfg.workloads, w)
		}
	}
	for _, g := range strings.Split(growth, ",") {
		if g = strings.TrimSpace(g); g != "" {
			var n int
			if _, err := fmt.Sscan(g, &n); err != nil || n < 25 {
				fatalf("-growth: %q is not a count of 25 or more", g)
			}
			cfg.growth = append(cfg.growth, n)
		}
	}
	if cfg.memProfile != "" {
		runtime.MemProfileRate = 4096
	}
	if cfg.conns < 1 || cfg.duration <= 0 || cfg.rounds < 1 {
		fatalf("-conns, -duration and -rounds must be positive")
	}
	if err := run(context.Background(), cfg); err != nil {
		fatalf("%v", err)
	}
}

// growthInChild runs the growth measure in a new process of this program
// and copies its section of the report to w.
func growthInChild(ctx context.Context, cfg config, w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var counts []string
	for _, n := range cfg.growth {
		counts = append(counts, fmt.Sprint(n))
	}
	args := []string{"-growth-section", "-growth", strings.Join(counts, ",")}
	if cfg.growthClients {
		args = append(args, "-growth-clients")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the growth measure's process: %w", err)
	}
	return nil
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}

func run(ctx context.Context, cfg config) error {
	if cfg.growthSection {
		return growthRun(ctx, cfg, os.Stdout)
	}
	var report strings.Builder
	w := io.MultiWriter(os.Stdout, &report)
	fmt.Fprintf(w, "## whmcsemu benchmark\n\n")
	fmt.Fprintf(w, "- date: %s\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- machine: %s/%s, %d CPUs (GOMAXPROCS %d), %s\n", runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel())
	fmt.Fprintf(w, "- Go: %s\n", runtime.Version())
	fmt.Fprintf(w, "- load average before the run (1, 5, 15 min): %s\n", loadAvg())
	if !cfg.growthOnly {
		fmt.Fprintf(w, "- load: %d keep-alive connections, %s measured per workload and server, loopback; "+
			"the load generator runs in the same process as both servers\n\n", cfg.conns, cfg.duration)
		if err := loadRun(ctx, cfg, w); err != nil {
			return err
		}
	}
	switch {
	case len(cfg.growth) == 0:
	case cfg.growthOnly:
		if err := growthRun(ctx, cfg, w); err != nil {
			return err
		}
	default:
		// After the load run, in the same process, the page at 100,000
		// rows took 13 or 19 µs from one run to the next (the heap that
		// run leaves behind; collecting it did not help); a process of its
		// own measures the growth of the data, not that history.
		if err := growthInChild(ctx, cfg, w); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "- load average after the run: %s\n", loadAvg())
	if cfg.out != "" {
		return os.WriteFile(cfg.out, []byte(report.String()), 0o644)
	}
	return nil
}

// cpuProfiler writes a CPU profile of each whmcsemu run when asked to.
type cpuProfiler struct {
	prefix string
	file   *os.File
}

func (p *cpuProfiler) start(workload string) error {
	if p.prefix == "" {
		return nil
	}
	f, err := os.Create(p.prefix + "." + workload + ".pprof")
	if err != nil {
		return err
	}
	p.file = f
	return pprof.StartCPUProfile(f)
}

func (p *cpuProfiler) stop() error {
	if p.file == nil {
		return nil
	}
	pprof.StopCPUProfile()
	err := p.file.Close()
	p.file = nil
	return err
}

// writeAllocProfile writes the allocations since the process started.
func writeAllocProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
