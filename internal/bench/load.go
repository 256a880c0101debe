package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The demo fixture's full-access API credential.
const (
	demoIdentifier = "DemoIdentifier000000000000000001"
	demoSecret     = "DemoSecret0000000000000000000001"
)

// workload is one kind of request the load generator sends.
type workload struct {
	name   string
	target float64 // the target ratio to the ceiling; 0 for none
	// body appends the form of request number i to b.
	body func(b []byte, i int64) []byte
}

func staticForm(action string, extra url.Values) func([]byte, int64) []byte {
	v := url.Values{"action": {action}, "identifier": {demoIdentifier}, "secret": {demoSecret}, "responsetype": {"json"}}
	for k, vs := range extra {
		v[k] = vs
	}
	form := v.Encode()
	return func(b []byte, _ int64) []byte { return append(b, form...) }
}

// The targets are the performance issue's: the share of the bare
// net/http ceiling's request rate each workload must reach.
var workloads = []workload{
	{name: "ListOAuthCredentials", target: 0.50, body: staticForm("ListOAuthCredentials", url.Values{"limit": {"25"}})},
	{name: "UpdateOAuthCredential", target: 0.45, body: updateForm},
	{name: "CreateOAuthCredential", target: 0.35, body: createForm},
	{name: "ValidateLogin", body: staticForm("ValidateLogin", url.Values{
		"email": {"jane@example.com"}, "password2": {"jane-password"},
	})},
	{name: "GetClients", target: 0.45, body: clientsPageForm},
	{name: "GetClientsDetails", target: 0.50, body: clientDetailsForm},
	{name: "Mixed", target: 0.40, body: mixedForm},
}

var createForm = staticForm("CreateOAuthCredential", url.Values{
	"grantType": {"authorization_code"}, "name": {"Bench App"}, "description": {"made by go run ./internal/bench"},
	"scope": {"openid email profile"}, "redirectUri": {"https://bench.example/callback"},
	"logoUri": {"https://bench.example/logo.png"},
})

// The reads of the mixed workload, varied so that no two requests in a
// row are the same: pages, filters, sort orders and clients.
var (
	mixedListPrefixes = [][]byte{
		staticForm("ListOAuthCredentials", url.Values{"limit": {"25"}})(nil, 0),
		staticForm("ListOAuthCredentials", url.Values{"limit": {"10"}, "grantType": {"single_sign_on"}})(nil, 0),
		staticForm("ListOAuthCredentials", url.Values{"limit": {"25"}, "sortField": {"name"}, "sortOrder": {"desc"}})(nil, 0),
		staticForm("ListOAuthCredentials", url.Values{"limit": {"5"}, "grantType": {"authorization_code"},
			"sortField": {"updatedAt"}})(nil, 0),
	}
	mixedSearches           = []string{"", "", "a", "Bench", "client1", "x"}
	mixedUpdateClientPrefix = staticForm("UpdateClient", nil)(nil, 0)
)

// mixedForm is the mixed workload: 80% reads (credential lists with
// varying filters and orders, client pages with varying searches and
// offsets, details of varying clients) and 20% writes (credential updates
// and creates, client updates), interleaved.
func mixedForm(b []byte, i int64) []byte {
	n := i / 10
	switch i % 10 {
	case 0, 5:
		return append(b, mixedListPrefixes[n%int64(len(mixedListPrefixes))]...)
	case 1, 6:
		b = clientsPageForm(b, n*7)
		if s := mixedSearches[n%int64(len(mixedSearches))]; s != "" {
			b = append(b, "&search="...)
			b = append(b, url.QueryEscape(s)...)
		}
		return b
	case 2, 7:
		return clientDetailsForm(b, n*13+i%10)
	case 3:
		return append(b, mixedListPrefixes[(n+1)%int64(len(mixedListPrefixes))]...)
	case 4:
		if n%2 == 0 {
			return updateForm(b, n)
		}
		b = append(b, mixedUpdateClientPrefix...)
		b = append(b, "&clientid="...)
		b = strconv.AppendInt(b, loadClientsFirstID+n%loadClients, 10)
		b = append(b, "&companyname=Bench+"...)
		return strconv.AppendInt(b, n, 10)
	case 8:
		return clientDetailsForm(b, n*3)
	default: // 9
		return createForm(b, i)
	}
}

var updatePrefix = staticForm("UpdateOAuthCredential", nil)(nil, 0)

// updateForm cycles through the first loadCredentials credentials and
// changes the description every time.
func updateForm(b []byte, i int64) []byte {
	b = append(b, updatePrefix...)
	b = append(b, "&credentialId="...)
	b = strconv.AppendInt(b, 1+i%loadCredentials, 10)
	b = append(b, "&description=bench+update+"...)
	return strconv.AppendInt(b, i, 10)
}

var (
	clientsPrefix = staticForm("GetClients", url.Values{"limitnum": {"25"}})(nil, 0)
	detailsPrefix = staticForm("GetClientsDetails", nil)(nil, 0)
)

// clientsPageForm asks for a page of 25 clients, each request the next
// page of the generated ones, so that the whole table is read, not one
// cached page.
func clientsPageForm(b []byte, i int64) []byte {
	b = append(b, clientsPrefix...)
	b = append(b, "&limitstart="...)
	return strconv.AppendInt(b, i%(loadClients/25)*25, 10)
}

// clientDetailsForm asks for the details of the generated clients in turn.
func clientDetailsForm(b []byte, i int64) []byte {
	b = append(b, detailsPrefix...)
	b = append(b, "&clientid="...)
	return strconv.AppendInt(b, loadClientsFirstID+i%loadClients, 10)
}

func workloadNames() []string {
	var out []string
	for _, w := range workloads {
		out = append(out, w.name)
	}
	return out
}

func findWorkload(name string) (workload, error) {
	for _, w := range workloads {
		if w.name == name {
			return w, nil
		}
	}
	return workload{}, fmt.Errorf("unknown workload %q (known: %v)", name, workloadNames())
}

// stats is what one measured run produced.
type stats struct {
	requests, errors int64
	elapsed          time.Duration
	latencies        *histogram
	allocs, bytes    uint64 // process-wide heap allocations during the run
	gcs              uint64
	cpu              time.Duration // process CPU time (user and system) during the run
}

func (s stats) rate() float64 { return float64(s.requests) / s.elapsed.Seconds() }

func (s stats) percentile(p float64) time.Duration { return s.latencies.percentile(p) }

// cpuPerRequest is the process's CPU time per request, in µs: what the
// request rate would be bounded by on idle cores, whatever else runs.
func (s stats) cpuPerRequest() float64 {
	if s.requests == 0 {
		return 0
	}
	return float64(s.cpu) / float64(time.Microsecond) / float64(s.requests)
}

func (s stats) perRequest(v uint64) float64 {
	if s.requests == 0 {
		return 0
	}
	return float64(v) / float64(s.requests)
}

var successPrefix = []byte(`{"result":"success"`)

// loader sends one workload's requests to one server over conns
// keep-alive connections, which stay open between its runs.
type loader struct {
	target  string
	w       workload
	conns   int
	client  *http.Client
	counter *atomic.Int64
}

func newLoader(target string, w workload, conns int, counter *atomic.Int64) *loader {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
	}
	return &loader{target: target, w: w, conns: conns, counter: counter,
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (l *loader) Close() { l.client.CloseIdleConnections() }

// run sends requests from every connection for d; measure keeps their
// latencies. It returns the first transport error with the stats.
func (l *loader) run(ctx context.Context, d time.Duration, measure bool) (stats, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total stats
		first error
	)
	m0, cpu0 := readAllocs(), cpuTime()
	start := time.Now()
	until := start.Add(d)
	for range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := new(histogram)
			var errs int64
			var form []byte
			var resp bytes.Buffer
			var err error
			for time.Now().Before(until) && ctx.Err() == nil {
				form = l.w.body(form[:0], l.counter.Add(1))
				t0 := time.Now()
				ok, rerr := send(ctx, l.client, l.target, form, &resp)
				d := time.Since(t0)
				if rerr != nil && err == nil {
					err = rerr
				}
				if !ok {
					errs++
				}
				if measure {
					lat.add(d)
				}
			}
			mu.Lock()
			total.latencies = total.latencies.merge(lat)
			total.errors += errs
			if first == nil {
				first = err
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	m1 := readAllocs()
	total.cpu = cpuTime() - cpu0
	total.allocs, total.bytes, total.gcs = m1.objects-m0.objects, m1.bytes-m0.bytes, m1.gcs-m0.gcs
	total.requests = int64(total.latencies.count())
	return total, first
}

// add merges another run's stats into s.
func (s *stats) add(o stats) {
	s.requests += o.requests
	s.errors += o.errors
	s.elapsed += o.elapsed
	s.latencies = s.latencies.merge(o.latencies)
	s.allocs += o.allocs
	s.bytes += o.bytes
	s.gcs += o.gcs
	s.cpu += o.cpu
}

// send posts one form and reports whether the answer was a 200 with
// result success.
func send(ctx context.Context, client *http.Client, target string, form []byte, buf *bytes.Buffer) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(form))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return false, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return false, err
	}
	return resp.StatusCode == http.StatusOK && bytes.HasPrefix(buf.Bytes(), successPrefix), nil
}

// sample sends one request and returns the answer's body.
func sample(ctx context.Context, target string, w workload, i int64) (action string, body []byte, err error) {
	var buf bytes.Buffer
	client := &http.Client{Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	form := w.body(nil, i)
	values, err := url.ParseQuery(string(form))
	if err != nil {
		return "", nil, err
	}
	ok, err := send(ctx, client, target, form, &buf)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, fmt.Errorf("%s: whmcsemu answered %s", w.name, buf.String())
	}
	return values.Get("action"), bytes.Clone(buf.Bytes()), nil
}

// ceiling is a bare net/http handler: it parses the form as whmcsemu must
// and writes a fixed body per action (whmcsemu's own answer, so of the
// same size), with the same headers.
type ceiling struct {
	bodies map[string][]byte // by action; written before serving
}

func (c *ceiling) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body, ok := c.bodies[r.PostForm.Get("action")]
	if !ok {
		http.Error(w, "unknown action", http.StatusBadRequest)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// listen serves h on a fresh loopback port and returns its API URL and a
// function that stops it.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String() + "/includes/api.php", stop, nil
}
