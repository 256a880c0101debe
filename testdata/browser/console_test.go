package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is a headless Chromium tab on the console.
type browser struct {
	t       *testing.T
	ctx     context.Context
	console string
	shots   []string
}

func newBrowser(t *testing.T, console string) *browser {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("Debian's chromium is needed (apt-get install -y chromium; .ci/run installs it): ", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal("starting chromium: ", err)
	}
	return &browser{t: t, ctx: ctx, console: console}
}

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// get runs an action that answers a value.
func get[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// eval evaluates a script in the page.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	return get(b, chromedp.Evaluate[T](js))
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// open loads a console page and waits for its heading.
func (b *browser) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.console+path), chromedp.WaitVisible(css("main h1")))
	b.checkPage()
}

// submit clicks sel (a button or link that loads a page) and waits until
// the new page's heading holds want.
func (b *browser) submit(sel, want string) {
	b.t.Helper()
	before := eval[string](b, `location.href + "#" + performance.timeOrigin`)
	b.run(chromedp.Click(css(sel)))
	b.waitFor(fmt.Sprintf(`(location.href + "#" + performance.timeOrigin) !== %q && document.readyState === "complete" && `+
		`!!document.querySelector("main h1") && document.querySelector("main h1").textContent.includes(%q)`, before, want))
	b.checkPage()
}

// waitFor polls a script until it is true.
func (b *browser) waitFor(js string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		// A navigation interrupts a poll: poll the new page.
		if _, err = chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(time.Until(deadline)))); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	{
		href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.href`))
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body).innerText`))
		b.t.Fatalf("waiting for %s: %v\nat %s:\n%s", js, err, href, text)
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return get(b, chromedp.Text(css(sel)))
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	return get(b, chromedp.Value(css(sel)))
}

// fill types value into an emptied field.
func (b *browser) fill(sel, value string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(css(sel)))
	eval[bool](b, fmt.Sprintf(`(document.querySelector(%q).value = "") === ""`, sel))
	b.run(chromedp.SendKeys(css(sel), value))
}

// screenshot writes the page to docs/screenshots/name.png when
// -update-screenshots asks.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	b.shots = append(b.shots, name)
	if !*updateScreenshots {
		return
	}
	png := get(b, chromedp.FullScreenshot(100))
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// checkPage checks what a screen-reader user needs of every page: one
// h1 and no skipped heading level, a label for every form control, a
// language, and text contrast of 4.5:1 or more against its background.
func (b *browser) checkPage() {
	b.t.Helper()
	problems := eval[[]string](b, a11yScript)
	if len(problems) > 0 {
		href := eval[string](b, `location.pathname`)
		b.t.Errorf("accessibility on %s:\n%s", href, strings.Join(problems, "\n"))
	}
}

const a11yScript = `(() => {
  const out = [];
  if (!document.documentElement.lang) out.push("no lang on <html>");
  const hs = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")];
  if (hs.filter(h => h.tagName === "H1").length !== 1) out.push("not exactly one h1");
  let last = 0;
  for (const h of hs) { const n = +h.tagName[1]; if (n > last + 1) out.push("heading " + h.tagName + " after h" + last + ": " + h.textContent); last = n; }
  for (const el of document.querySelectorAll("input,select,textarea")) {
    if (el.type === "hidden") continue;
    if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) out.push("unlabelled " + el.tagName + " " + (el.name || el.id));
  }
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const bg = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c; } return [255, 255, 255]; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || el.closest(".visually-hidden,[hidden],.skip,.default-submit")) continue;
    const fg = rgb(getComputedStyle(el).color), back = bg(el);
    const a = lum(fg), b2 = lum(back);
    const ratio = (Math.max(a, b2) + 0.05) / (Math.min(a, b2) + 0.05);
    if (ratio < 4.5) out.push("contrast " + ratio.toFixed(2) + " for " + JSON.stringify(n.textContent.trim().slice(0, 40)));
  }
  return out;
})()`

// TestConsole walks the console as a person would, in headless Chromium,
// and checks each step through the emulator's own APIs.
func TestConsole(t *testing.T) {
	e := start(t)
	b := newBrowser(t, e.console)

	// The overview, and keyboard focus: Tab reaches the skip link, which
	// shows a visible focus ring.
	b.open("")
	b.run(chromedp.KeyEvent("\t"))
	focus := eval[string](b, `document.activeElement.textContent + "|" + getComputedStyle(document.activeElement).outlineStyle`)
	if focus != "Skip to content|solid" {
		t.Errorf("the first Tab focuses %q, want the skip link with a solid outline", focus)
	}
	b.screenshot("overview")
	// The accessibility check itself catches what it is for.
	caught := eval[[]string](b, `(() => {
	  const p = document.createElement("p"); p.textContent = "faint"; p.style.color = "#aaaaaa";
	  const i = document.createElement("input"); i.name = "nolabel";
	  document.querySelector("main").append(p, i);
	  const out = `+a11yScript+`; p.remove(); i.remove(); return out; })()`)
	if strings.Join(caught, "\n") != "unlabelled INPUT nolabel\ncontrast 2.32 for \"faint\"" {
		t.Errorf("the accessibility check found %q", caught)
	}

	// Fixtures: load SailPoint's through the upload form.
	b.open("fixtures")
	sailpointFixture, _ := filepath.Abs(filepath.Join("..", "fixtures", "sailpoint.json"))
	b.run(chromedp.SetUploadFiles(css("#fixture-file"), []string{sailpointFixture}))
	b.submit("form[action$='fixtures/load'] button", "Fixtures")
	if got := b.text(".notice"); got != "Fixture document loaded." {
		t.Fatalf("after loading: %q", got)
	}

	for _, step := range []struct {
		name string
		flow func(*testing.T, *emulator, *browser)
	}{
		{"OCI", ociFlow}, {"WHMCS", whmcsFlow}, {"SailPoint", sailPointFlow}, {"Journal", journalFlow},
		{"Faults", faultFlow}, {"Clock", clockFlow}, {"Bans", banFlow},
	} {
		t.Run(step.name, func(t *testing.T) {
			b.t = t
			defer func() { b.t = nil }()
			step.flow(t, e, b)
		})
	}
	b.t = t
	t.Logf("pages shot: %s", strings.Join(b.shots, ", "))
}

// ociFlow is Oracle's console flow: create a user, generate a credential
// with two audience and scope pairs, read the secret shown once, close,
// find it gone, see the credential in the OCI API's list and use the
// secret at the token endpoint; then edit, reset and delete.
func ociFlow(t *testing.T, e *emulator, b *browser) {
	b.open("oci/users")
	b.fill("#user-name", "console-bot")
	b.fill("#user-description", "Made in the console")
	b.submit("form[action$='oci/users'] button.primary", "User console-bot")
	userID := b.text("dl.facts dd.mono")

	b.submit("a[href$='/credentials/new']", "Generate OAuth 2.0 client credential")
	b.fill("#cred-name", "browser-cred")
	b.fill("#cred-description", "Made by the browser test")
	b.fill("#audience-0", "https://analytics.example.com")
	b.fill("#scope-0", "urn:opc:resource:consumer::all")
	b.run(chromedp.Click(css("button.add-scope"))) // "+ Another scope", in place
	b.fill("#audience-1", "https://integration.example.com")
	b.fill("#scope-1", "urn:opc:resource:fa:read")
	b.run(chromedp.Click(css("button.add-scope")))
	b.fill("#audience-2", "https://left.example.com")
	rows := eval[int](b, `document.querySelectorAll(".scope-row").length`)
	if rows != 3 {
		t.Fatalf("%d scope rows after two clicks on + Another scope", rows)
	}
	b.run(chromedp.Click(css(".scope-row:nth-child(3) button.remove"))) // and Remove
	rows = eval[int](b, `document.querySelectorAll(".scope-row").length`)
	if rows != 2 {
		t.Fatalf("%d scope rows after Remove", rows)
	}
	b.checkPage()
	b.screenshot("oci-generate")
	b.submit("#credential-form p.actions button.primary", "OAuth 2.0 client credential generated")

	secretURL := eval[string](b, `location.href`)
	secret, credID := b.value("#secret"), b.value("#client-id")
	scope1, scope2 := b.value("#scope-1"), b.value("#scope-2")
	if len(secret) != 32 || !strings.HasPrefix(credID, "ocid1.credential.") {
		t.Fatalf("secret page: secret %q, OCID %q", secret, credID)
	}
	if scope1 != "https://analytics.example.comurn:opc:resource:consumer::all" ||
		scope2 != "https://integration.example.comurn:opc:resource:fa:read" {
		t.Fatalf("fully qualified scopes %q, %q", scope1, scope2)
	}
	live := eval[string](b, `document.querySelector(".secret").getAttribute("aria-live")`)
	if live != "polite" {
		t.Errorf("the one-time secret's region has aria-live %q", live)
	}
	b.run(chromedp.Click(css("button.copy[data-copy=secret]")))
	b.waitFor(`document.getElementById("copy-status").textContent !== ""`)
	b.screenshot("oci-secret")
	b.submit("#close", "User console-bot")
	page := eval[string](b, `document.body.innerText`)
	if !strings.Contains(page, credID) || strings.Contains(page, secret) {
		t.Fatalf("after Close the user's page should list %s and not show its secret", credID)
	}
	b.screenshot("oci-user")
	b.run(chromedp.Navigate(secretURL), chromedp.WaitVisible(css("main h1")))
	page = eval[string](b, `document.body.innerText`)
	if !strings.Contains(page, "Secret no longer shown") || strings.Contains(page, secret) {
		t.Fatalf("the secret page a second time:\n%s", page)
	}

	// The OCI API (signed as ci-admin) lists what the console generated.
	res, body := e.oci(t, "GET", "/20160918/users/"+userID+"/oauth2ClientCredentials", "")
	var listed []struct {
		ID, Name, Description, Password string
		Scopes                          []struct{ Audience, Scope string }
	}
	if err := json.Unmarshal([]byte(body), &listed); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("OCI list: %d %s", res.StatusCode, body)
	}
	if len(listed) != 1 || listed[0].ID != credID || len(listed[0].Scopes) != 2 || listed[0].Password != "" ||
		listed[0].Description != "Made by the browser test" {
		t.Fatalf("OCI list: %s", body)
	}
	// The secret works at the token endpoint, for either pair.
	for _, scope := range []string{scope1, scope2} {
		status, tok := e.ociToken(t, credID, secret, scope)
		if status != http.StatusOK || tok["access_token"] == nil {
			t.Fatalf("token for %s: %d %v", scope, status, tok)
		}
	}
	// And the reverse: a credential the API creates, the console lists.
	res, body = e.oci(t, "POST", "/20160918/users/"+userID+"/oauth2ClientCredentials",
		`{"name":"from-the-api","description":"signed request","scopes":[{"audience":"https://api.example.com","scope":"urn:x"}]}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("OCI create: %d %s", res.StatusCode, body)
	}
	var apiCred struct{ ID string }
	_ = json.Unmarshal([]byte(body), &apiCred)
	b.open("oci/users/" + userID)
	page = eval[string](b, `document.body.innerText`)
	if !strings.Contains(page, apiCred.ID) || !strings.Contains(page, "from-the-api") {
		t.Fatalf("the console does not list %s", apiCred.ID)
	}

	// Edit: a new description and one pair fewer.
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$=%q]", credID, credID), "Edit OAuth 2.0 client credential browser-cred")
	b.fill("#cred-description", "Edited in the console")
	b.run(chromedp.Click(css(".scope-row:nth-child(2) button.remove")))
	b.submit("#credential-form p.actions button.primary", "User console-bot")
	res, body = e.oci(t, "GET", "/20160918/users/"+userID+"/oauth2ClientCredentials", "")
	if !strings.Contains(body, "Edited in the console") || strings.Contains(body, "integration.example.com") {
		t.Fatalf("after the edit: %s", body)
	}
	// Reset the secret: a new one, shown once; the old one stops working.
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$=%q]", credID, credID), "Edit OAuth 2.0 client credential")
	b.submit("form[action$='/reset'] button", "Secret reset")
	newSecret := b.value("#secret")
	if newSecret == secret || len(newSecret) != 32 {
		t.Fatalf("reset secret %q", newSecret)
	}
	b.submit("#close", "User console-bot")
	if status, _ := e.ociToken(t, credID, secret, scope1); status != http.StatusUnauthorized {
		t.Errorf("the old secret after a reset: %d", status)
	}
	if status, _ := e.ociToken(t, credID, newSecret, scope1); status != http.StatusOK {
		t.Errorf("the new secret: %d", status)
	}
	// Delete, confirmed.
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$='/delete']", credID), "Delete credential browser-cred")
	b.submit("form.actions button.danger", "User console-bot")
	_, body = e.oci(t, "GET", "/20160918/users/"+userID+"/oauth2ClientCredentials", "")
	if strings.Contains(body, credID) || !strings.Contains(body, apiCred.ID) {
		t.Fatalf("after the delete: %s", body)
	}
	if status, _ := e.ociToken(t, credID, newSecret, scope1); status != http.StatusUnauthorized {
		t.Errorf("a deleted credential's secret: %d", status)
	}
}

// whmcsFlow creates, resets and deletes a WHMCS OAuth credential, and
// follows the links from a client to a service and back.
func whmcsFlow(t *testing.T, e *emulator, b *browser) {
	b.open("whmcs/oauth")
	b.screenshot("whmcs-oauth")
	b.submit("a[href$='whmcs/oauth/new']", "Create OAuth credential")
	b.run(chromedp.SetValue(css("#grant"), "authorization_code"))
	b.fill("#oauth-name", "Browser App")
	b.run(chromedp.Click(css("input[name=scope][value=openid]")),
		chromedp.Click(css("input[name=scope][value=email]")))
	b.fill("#oauth-redirects", "https://browser.example/callback")
	b.submit("form[action$='whmcs/oauth'] button.primary", "OAuth credential created")
	secret, identifier, id := b.value("#secret"), b.value("#client-id"), b.value("#credential-id")
	b.submit("#close", "WHMCS OAuth credentials")
	find := func() map[string]any {
		_, out := e.api(t, "ListOAuthCredentials", nil)
		clients, _ := out["clients"].([]any)
		for _, c := range clients {
			if m := c.(map[string]any); m["clientIdentifier"] == identifier {
				return m
			}
		}
		return nil
	}
	c := find()
	if c == nil || c["clientSecret"] != secret || c["scope"] != "openid email" || c["name"] != "Browser App" {
		t.Fatalf("ListOAuthCredentials has %v; the console showed %s / %s", c, identifier, secret)
	}
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$='/oauth/%s']", id, id), "Edit OAuth credential "+id)
	b.fill("#oauth-description", "Edited by the browser")
	b.submit("form[action$='whmcs/oauth/"+id+"'] button.primary", "WHMCS OAuth credentials")
	if c = find(); c["description"] != "Edited by the browser" {
		t.Fatalf("after the edit: %v", c)
	}
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$='/oauth/%s']", id, id), "Edit OAuth credential "+id)
	b.submit("form[action$='/reset'] button", "Secret reset")
	newSecret := b.value("#secret")
	b.submit("#close", "WHMCS OAuth credentials")
	if c = find(); c["clientSecret"] != newSecret || newSecret == secret {
		t.Fatalf("after the reset the API lists %v, the console showed %s", c["clientSecret"], newSecret)
	}
	b.submit(fmt.Sprintf("tr[data-credential=%q] a[href$='/delete']", id), "Delete OAuth credential "+id)
	b.submit("form.actions button.danger", "WHMCS OAuth credentials")
	if find() != nil {
		t.Fatal("the credential is still listed after the delete")
	}

	b.open("whmcs/access")
	b.open("whmcs/clients")
	b.submit("a[href$='whmcs/clients/1']", "Client 1: Jane Doe")
	b.screenshot("whmcs-client")
	b.submit("a[href$='whmcs/services/1']", "Service 1")
	b.submit("a[href$='whmcs/clients/1']", "Client 1")
	b.open("whmcs/users")
	b.open("whmcs/sso")
	b.fill("#sso-client", "1")
	b.submit("form[action$='whmcs/sso'] button.primary", "single sign-on tokens")
	if u := b.value("#sso-url"); !strings.Contains(u, "/oauth/singlesignon.php?access_token=") {
		t.Fatalf("SSO link %q", u)
	}
}

// sailPointFlow creates a client (its secret shown once and working),
// edits patchable fields and deletes it.
func sailPointFlow(t *testing.T, e *emulator, b *browser) {
	b.open("sailpoint/clients/new")
	b.fill("#sp-name", "browser-client")
	b.fill("#sp-description", "Made by the browser test")
	b.fill("#sp-scope", "sp:oauth-client:read")
	b.submit("form[action$='sailpoint/clients'] button.primary", "SailPoint OAuth client created")
	secret, id := b.value("#secret"), b.value("#client-id")
	b.submit("#close", "SailPoint OAuth clients")
	status, tok := e.sailPointToken(t, id, secret)
	if status != http.StatusOK || tok == "" {
		t.Fatalf("the new client's token: %d", status)
	}
	if status, got := e.sailPoint(t, "GET", "/v3/oauth-clients/"+id, tok); status != http.StatusOK || got["name"] != "browser-client" {
		t.Fatalf("GET with its own token: %d %v", status, got)
	}
	b.screenshot("sailpoint")
	b.submit(fmt.Sprintf("tr[data-client=%q] a[href$=%q]", id, id), "Edit SailPoint OAuth client browser-client")
	b.fill("#sp-description", "Patched in the console")
	b.fill("#sp-access", "900")
	b.run(chromedp.Click(css("#grant-1"))) // AUTHORIZATION_CODE: needs a redirect URI
	b.submit("form[action$='sailpoint/clients/"+id+"'] button.primary", "Edit SailPoint OAuth client")
	if msg := b.text("div.error"); !strings.Contains(msg, "redirectUris") {
		t.Fatalf("a refused patch shows %q", msg)
	}
	b.fill("#sp-redirects", "https://browser.example/cb")
	b.submit("form[action$='sailpoint/clients/"+id+"'] button.primary", "SailPoint OAuth clients")
	_, boot := e.sailPointToken(t, spBootstrap, spBootSecret)
	_, got := e.sailPoint(t, "GET", "/v3/oauth-clients/"+id, boot)
	if got["description"] != "Patched in the console" || got["accessTokenValiditySeconds"] != 900.0 {
		t.Fatalf("after the patch: %v", got)
	}
	b.submit(fmt.Sprintf("tr[data-client=%q] a[href$='/delete']", id), "Delete SailPoint OAuth client")
	b.submit("form.actions button.danger", "SailPoint OAuth clients")
	if status, _ := e.sailPoint(t, "GET", "/v3/oauth-clients/"+id, boot); status != http.StatusNotFound {
		t.Fatalf("after the delete: %d", status)
	}
}

// journalFlow filters the journal, watches a call arrive without a
// reload, and opens a call's detail with its password masked.
func journalFlow(t *testing.T, e *emulator, b *browser) {
	b.open("journal")
	b.fill("#f-action", "CreateOAuthCredential")
	b.run(chromedp.SetValue(css("#f-result"), "success"))
	b.submit("form.filters button.primary", "Journal")
	actions := eval[[]string](b, `[...document.querySelectorAll("#journal-rows tr[data-seq]")].map(r => r.children[3].textContent + "/" + r.children[5].textContent)`)
	if len(actions) == 0 {
		t.Fatal("no CreateOAuthCredential calls listed")
	}
	for _, a := range actions {
		if a != "createoauthcredential/success" {
			t.Fatalf("the filter let through %q", a)
		}
	}
	// Live: a call made now appears without a reload.
	b.open("journal?caller=" + apiID)
	live := eval[string](b, `document.getElementById("journal-status").getAttribute("aria-live")`)
	if live != "polite" {
		t.Errorf("the journal's status has aria-live %q", live)
	}
	marker := eval[string](b, `window.marker = Math.random().toString(); window.marker`)
	e.api(t, "ValidateLogin", url.Values{"email": {"jane@example.com"}, "password2": {"jane-password"}})
	b.waitFor(`[...document.querySelectorAll("#journal-rows tr[data-seq]")].some(r => r.children[3].textContent === "validatelogin")`)
	same := eval[string](b, `window.marker`)
	if same != marker {
		t.Fatal("the page reloaded; the journal should update in place")
	}
	b.waitFor(`document.getElementById("journal-status").textContent.includes("new call")`)
	b.submit(`#journal-rows tr[data-seq] a`, "Call #")
	detail := eval[string](b, `document.querySelector("main").innerText`)
	if !strings.Contains(detail, "validatelogin") || !strings.Contains(detail, "********") || strings.Contains(detail, "jane-password") {
		t.Fatalf("call detail:\n%s", detail)
	}
	b.open("journal?limit=15")
	b.screenshot("journal")
}

// faultFlow adds a fault in the console, sees the API answer it, and
// removes a second rule.
func faultFlow(t *testing.T, e *emulator, b *browser) {
	b.open("faults")
	b.fill("#fault-action", "GetClients")
	b.fill("#fault-message", "Injected by the browser test")
	b.fill("#fault-status", "503")
	b.fill("#fault-times", "1")
	b.submit("form[action$='faults'] button.primary", "Faults")
	b.fill("#fault-action", "GetInvoices")
	b.fill("#fault-delay", "10")
	b.submit("form[action$='faults'] button.primary", "Faults")
	b.screenshot("faults")
	status, out := e.api(t, "GetClients", nil)
	if status != http.StatusServiceUnavailable || out["message"] != "Injected by the browser test" {
		t.Fatalf("GetClients under the fault: %d %v", status, out)
	}
	if status, out = e.api(t, "GetClients", nil); status != http.StatusOK {
		t.Fatalf("the fault hit once only: %d %v", status, out)
	}
	b.open("faults")
	b.submit("form[action$='/delete'] button", "Faults")
	faults := e.control(t, "GET", "/faults", "", http.StatusOK)["faults"].([]any)
	if len(faults) != 0 {
		t.Fatalf("faults left: %v", faults)
	}
}

// clockFlow freezes, sets, advances and releases the clock.
func clockFlow(t *testing.T, e *emulator, b *browser) {
	b.open("clock")
	b.fill("#clock-time", "2030-01-02T03:04:05")
	// datetime-local takes typed digits field by field; set it directly.
	b.run(chromedp.SetValue(css("#clock-time"), "2030-01-02T03:04:05"))
	b.submit("form input[value=set] ~ button", "Clock")
	clock := e.control(t, "GET", "/clock", "", http.StatusOK)
	if clock["time"] != "2030-01-02T03:04:05Z" || clock["frozen"] != true {
		t.Fatalf("after set: %v", clock)
	}
	b.fill("#clock-by", "61s")
	b.submit("form input[value=advance] ~ button", "Clock")
	if got := b.text("#clock-now"); got != "2030-01-02 03:05:06.000Z" {
		t.Fatalf("the console shows %q", got)
	}
	b.screenshot("clock")
	b.submit("form input[value=release] ~ button", "Clock")
	if clock = e.control(t, "GET", "/clock", "", http.StatusOK); clock["frozen"] != false {
		t.Fatalf("after release: %v", clock)
	}
}

// banFlow: three failed logins ban loopback from the API; the console
// lists the ban and lifts it.
func banFlow(t *testing.T, e *emulator, b *browser) {
	for range 3 {
		res, err := http.PostForm(e.url+"/includes/api.php", url.Values{"action": {"GetClients"}, "identifier": {"nobody"},
			"secret": {"wrong"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if status, out := e.api(t, "GetClients", nil); status != http.StatusForbidden {
		t.Fatalf("not banned: %d %v", status, out)
	}
	b.open("bans")
	if ip := b.text("tbody td.mono"); ip != "127.0.0.1" {
		t.Fatalf("bans lists %q", ip)
	}
	b.submit("form[action$='/lift'] button", "Bans")
	if status, out := e.api(t, "GetClients", nil); status != http.StatusOK {
		t.Fatalf("still banned: %d %v", status, out)
	}
}
