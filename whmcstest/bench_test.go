package whmcstest_test

import (
	"bufio"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whmcsemu/whmcsemu/whmcstest"
)

// benchCases are the servers the benchmark and the median measure make.
var benchCases = []struct {
	name string
	opts []whmcstest.Option
}{
	{"empty", nil},
	{"demo-fixture", []whmcstest.Option{whmcstest.WithFixtureFile(demoFixture)}},
	{"demo-fixture-no-socket", []whmcstest.Option{whmcstest.WithFixtureFile(demoFixture), whmcstest.WithoutSocket()}},
	{"demo-fixture-seed-clock", []whmcstest.Option{
		whmcstest.WithFixtureFile(demoFixture), whmcstest.WithSeed(1), whmcstest.WithClock(fixedTime),
	}},
}

// BenchmarkNewServer measures NewServer alone: each server is closed with
// the timer stopped, so open files do not pile up over b.N servers.
//
//	go test -run '^$' -bench NewServer -benchtime 200x -count 5 ./whmcstest
func BenchmarkNewServer(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			whmcstest.NewServer(b, bc.opts...).Close() // build the template outside the timing
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s := whmcstest.NewServer(b, bc.opts...)
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkNewServerMedian measures 200 NewServer calls per case, whatever
// b.N is, and reports the median and 90th percentile, with the machine it
// ran on in the log:
//
//	go test -run '^$' -bench NewServerMedian -benchtime 1x -v ./whmcstest
func BenchmarkNewServerMedian(b *testing.B) {
	b.Logf("machine: %s/%s, %d CPUs (GOMAXPROCS %d), %s, %s",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), cpuModel(), runtime.Version())
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			whmcstest.NewServer(b, bc.opts...).Close() // the template, once
			took := make([]time.Duration, 200)
			for range b.N {
				for i := range took {
					start := time.Now()
					s := whmcstest.NewServer(b, bc.opts...)
					took[i] = time.Since(start)
					s.Close()
				}
			}
			reportTimes(b, took)
		})
	}
}

// reportTimes reports the median and 90th percentile of took, in ms.
func reportTimes(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	n := len(took)
	b.ReportMetric(float64(took[n/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[n*9/10].Microseconds())/1000, "ms-p90")
	b.Logf("over %d runs: median %v, p90 %v, min %v, max %v", n, took[n/2], took[n*9/10], took[0], took[n-1])
}

// cpuModel reads the CPU's name where Linux tells it.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "CPU model unknown"
}
