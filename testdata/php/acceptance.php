<?php
// Acceptance check: a legacy PHP integration against a running whmcsemu.
//
// Usage: php acceptance.php http://127.0.0.1:PORT/includes/api.php
//
// It talks to the API the way PHP integrations of the WHMCS API have always
// done it (curl, POST, a form body made by http_build_query), over the demo
// fixture (testdata/fixtures/demo.json), and checks the Authentication
// actions and the framework's errors (docs/compatibility.md) in JSON, XML
// and NVP.
// It prints one line per failed check and ends with "N passed, M failed";
// the exit status is 1 when a check failed.

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

if ($argc < 2 || $argv[1] === '') {
    fwrite(STDERR, "usage: php acceptance.php http://HOST:PORT/includes/api.php\n");
    exit(2);
}
foreach (['curl_init' => 'php-curl', 'simplexml_load_string' => 'php-xml'] as $fn => $pkg) {
    if (!function_exists($fn)) {
        fwrite(STDERR, "acceptance.php: $fn is missing; install $pkg\n");
        exit(2);
    }
}
$API = $argv[1];

const FULL = ['identifier' => 'DemoIdentifier000000000000000001', 'secret' => 'DemoSecret0000000000000000000001'];
const LIST_ONLY = ['identifier' => 'DemoIdentifier000000000000000002', 'secret' => 'DemoSecret0000000000000000000002'];
const DISABLED = ['identifier' => 'DemoIdentifier000000000000000003', 'secret' => 'DemoSecret0000000000000000000003'];
const VERSION = '8.13.1';
const SYSTEM_URL = 'http://localhost:8080/';
const CT_JSON = 'application/json';
const CT_XML = 'application/xml; charset=utf-8';
const CT_NVP = 'text/plain; charset=utf-8';
const ITEM_KEYS = ['credentialId', 'name', 'description', 'grantTypes', 'scope', 'clientIdentifier',
    'clientSecret', 'uuid', 'serviceId', 'logoUri', 'redirectUri', 'rsaKeyPairId', 'createdAt', 'updatedAt'];
const PHP_DATE = '/^\d{1,2}(st|nd|rd|th) (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} \d{1,2}:\d{2}:\d{2}(am|pm)$/';

function legacy_admin(): array
{
    return ['username' => 'admin', 'password' => md5('demo-admin-password')];
}

// ---------------------------------------------------------------------------
// Assertion helpers

$passed = 0;
$failed = 0;
$section = '';

function section(string $name): void
{
    global $section;
    $section = $name;
}

function show($v): string
{
    $s = var_export($v, true);
    $s = preg_replace('/\s+/', ' ', $s);
    return strlen($s) > 400 ? substr($s, 0, 400) . '...' : $s;
}

function ok(bool $cond, string $what, string $details = ''): bool
{
    global $passed, $failed, $section;
    if ($cond) {
        $passed++;
        return true;
    }
    $failed++;
    echo "FAIL [$section] $what" . ($details !== '' ? ": $details" : '') . "\n";
    return false;
}

// eq compares with ===, so types count: 1 is not "1".
function eq($expected, $actual, string $what): bool
{
    return ok($expected === $actual, $what, 'want ' . show($expected) . ', got ' . show($actual));
}

function matches(string $pattern, $actual, string $what): bool
{
    return ok(is_string($actual) && preg_match($pattern, $actual) === 1, $what, "want $pattern, got " . show($actual));
}

// ---------------------------------------------------------------------------
// The legacy client: curl + http_build_query, POST, form-encoded.

function call(array $fields, string $method = 'POST'): array
{
    global $API;
    $ch = curl_init();
    $url = $API;
    if ($method === 'POST') {
        curl_setopt($ch, CURLOPT_POST, 1);
        curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($fields));
    } else {
        $url .= '?' . http_build_query($fields);
    }
    curl_setopt($ch, CURLOPT_URL, $url);
    curl_setopt($ch, CURLOPT_TIMEOUT, 30);
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, 0);
    $body = curl_exec($ch);
    if ($body === false) {
        fwrite(STDERR, 'curl: ' . curl_error($ch) . "\n");
        exit(2);
    }
    $r = [
        'status' => curl_getinfo($ch, CURLINFO_HTTP_CODE),
        'ctype' => curl_getinfo($ch, CURLINFO_CONTENT_TYPE),
        'body' => $body,
    ];
    curl_close($ch);
    return $r;
}

// api calls an action with credentials and a response type ('' = none sent).
function api(string $action, array $params = [], string $rt = 'json', array $creds = FULL): array
{
    $fields = ['action' => $action] + $creds;
    if ($rt !== '') {
        $fields['responsetype'] = $rt;
    }
    return call($fields + $params);
}

// js decodes a JSON answer after checking status and content type.
function js(array $r, string $what, int $status = 200): ?array
{
    eq($status, $r['status'], "$what: HTTP status");
    eq(CT_JSON, $r['ctype'], "$what: Content-Type");
    $d = json_decode($r['body'], true);
    if (!ok(is_array($d), "$what: body is a JSON object", show($r['body']))) {
        return null;
    }
    return $d;
}

function xml(array $r, string $what, int $status = 200): ?SimpleXMLElement
{
    eq($status, $r['status'], "$what: HTTP status");
    eq(CT_XML, $r['ctype'], "$what: Content-Type");
    ok(strncmp($r['body'], '<?xml version="1.0" encoding="utf-8"?>', 38) === 0, "$what: XML declaration", show($r['body']));
    libxml_use_internal_errors(true);
    $x = simplexml_load_string($r['body']);
    if (!ok($x !== false, "$what: body parses as XML", show($r['body']))) {
        return null;
    }
    return $x;
}

function nvp(array $r, string $what, int $status = 200): array
{
    eq($status, $r['status'], "$what: HTTP status");
    eq(CT_NVP, $r['ctype'], "$what: Content-Type");
    $out = [];
    foreach (explode(';', $r['body']) as $pair) {
        $kv = explode('=', $pair, 2);
        $out[$kv[0]] = $kv[1] ?? null;
    }
    return $out;
}

function child_names(SimpleXMLElement $x): array
{
    $names = [];
    foreach ($x->children() as $c) {
        $names[] = $c->getName();
    }
    return $names;
}

// xml_envelope checks <whmcsapi version="..."><action>..</action><result>..</result>.
function xml_envelope(?SimpleXMLElement $x, string $action, bool $success, string $what): void
{
    if ($x === null) {
        return;
    }
    eq('whmcsapi', $x->getName(), "$what: root element");
    ok(isset($x['version']), "$what: version attribute present");
    eq($success ? VERSION : '', (string) $x['version'], "$what: version attribute");
    $names = child_names($x);
    eq('action', $names[0] ?? null, "$what: <action> comes first");
    eq('result', $names[1] ?? null, "$what: <result> comes second");
    eq($action, (string) $x->action, "$what: <action>");
    eq($success ? 'success' : 'error', (string) $x->result, "$what: <result>");
}

// Expect an error in every way a caller can see it.
function json_error(array $r, string $message, int $status, string $what): void
{
    $d = js($r, $what, $status);
    if ($d !== null) {
        eq(['result' => 'error', 'message' => $message], $d, "$what: error body");
        eq(['result', 'message'], array_keys($d), "$what: key order");
    }
}

function xml_error(array $r, string $action, string $message, int $status, string $what): void
{
    $x = xml($r, $what, $status);
    xml_envelope($x, $action, false, $what);
    if ($x !== null) {
        eq(['action', 'result', 'message'], child_names($x), "$what: elements");
        eq($message, (string) $x->message, "$what: <message>");
    }
}

function nvp_error(array $r, string $message, int $status, string $what): void
{
    eq(['result' => 'error', 'message' => $message], nvp($r, $what, $status), "$what: NVP body");
    eq("result=error;message=$message", $r['body'], "$what: raw NVP body");
}

// action_error checks a message raised inside an action in all three types.
function action_error(string $action, array $params, string $message, string $what): void
{
    $lower = strtolower($action);
    json_error(api($action, $params, 'json'), $message, 200, "$what (json)");
    xml_error(api($action, $params, 'xml'), $lower, $message, 200, "$what (xml)");
    nvp_error(api($action, $params, 'nvp'), $message, 200, "$what (nvp)");
}

function list_creds(array $params = []): array
{
    $d = js(api('ListOAuthCredentials', $params), 'ListOAuthCredentials');
    return $d['clients'] ?? [];
}

function find_cred(int $id): ?array
{
    foreach (list_creds() as $c) {
        if ($c['credentialId'] === $id) {
            return $c;
        }
    }
    return null;
}

// ===========================================================================
section('ListOAuthCredentials');

$r = api('ListOAuthCredentials');
$d = js($r, 'json');
if ($d !== null) {
    eq(['result', 'clients'], array_keys($d), 'json: top-level keys');
    eq('success', $d['result'], 'json: result');
    ok(is_array($d['clients']) && array_is_list($d['clients']), 'json: clients is a plain list', show($d['clients']));
    eq(2, count($d['clients']), 'json: the two fixture credentials');
    $c = $d['clients'][0] ?? [];
    eq(ITEM_KEYS, array_keys($c), 'json: item key order');
    eq(1, $c['credentialId'] ?? null, 'json: credentialId is the int 1');
    eq('Demo App', $c['name'] ?? null, 'json: name');
    eq('An authorization_code client', $c['description'] ?? null, 'json: description');
    eq('authorization_code', $c['grantTypes'] ?? null, 'json: grantTypes');
    eq('openid email profile', $c['scope'] ?? null, 'json: scope is space-joined');
    eq('DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMQ==', $c['clientIdentifier'] ?? null, 'json: clientIdentifier');
    eq('ZGVtby1zZWNyZXQtb25lLWRlbW8tc2VjcmV0LW9uZS1kZW1vLXNlY3JldC1vbmUtZGVtby1zZWNyZXQtb25lLWRlbW8=', $c['clientSecret'] ?? null, 'json: clientSecret in clear');
    ok(array_key_exists('uuid', $c) && $c['uuid'] === null, 'json: uuid is null', show($c['uuid'] ?? 'missing'));
    eq(0, $c['serviceId'] ?? null, 'json: serviceId is the int 0');
    eq('https://app.example/logo.png', $c['logoUri'] ?? null, 'json: logoUri');
    eq(['https://app.example/callback'], $c['redirectUri'] ?? null, 'json: redirectUri is an array');
    eq(0, $c['rsaKeyPairId'] ?? null, 'json: rsaKeyPairId is the int 0');
    matches(PHP_DATE, $c['createdAt'] ?? null, 'json: createdAt in PHP date format jS F Y g:i:sa');
    matches(PHP_DATE, $c['updatedAt'] ?? null, 'json: updatedAt in PHP date format jS F Y g:i:sa');
    $c = $d['clients'][1] ?? [];
    eq(ITEM_KEYS, array_keys($c), 'json: second item key order');
    eq(2, $c['credentialId'] ?? null, 'json: second credentialId');
    eq('single_sign_on', $c['grantTypes'] ?? null, 'json: second grantTypes');
    eq('clientarea:sso clientarea:profile', $c['scope'] ?? null, 'json: second scope');
    eq(1, $c['serviceId'] ?? null, 'json: second serviceId is the int 1');
    eq([], $c['redirectUri'] ?? null, 'json: no redirect URIs is []');
    ok(strpos($r['body'], '"redirectUri":[]') !== false, 'json: raw "redirectUri":[]', show($r['body']));
    ok(strpos($r['body'], '"redirectUri":["https://app.example/callback"]') !== false, 'json: "/" is not escaped', show($r['body']));
    ok(strpos($r['body'], '{"result":"success","clients":[{"credentialId":1,') === 0, 'json: raw start', show($r['body']));
}

// Default response type: ListOAuthCredentials is not a structured action, so NVP.
$r = api('ListOAuthCredentials', [], '');
eq(['result' => 'success', 'clients' => 'Array'], nvp($r, 'no responsetype'), 'no responsetype: NVP, nested value prints Array');
eq('result=success;clients=Array', $r['body'], 'no responsetype: raw NVP body');
$r = api('ListOAuthCredentials', [], 'nvp');
eq('result=success;clients=Array', $r['body'], 'nvp: raw NVP body');
eq(CT_NVP, $r['ctype'], 'nvp: Content-Type');

// Response type is compared case-insensitively for actions.
foreach (['JSON', 'Json'] as $rt) {
    $d = js(api('ListOAuthCredentials', [], $rt), "responsetype=$rt");
    eq('success', $d['result'] ?? null, "responsetype=$rt: result");
}
$x = xml(api('ListOAuthCredentials', [], 'XML'), 'responsetype=XML');
xml_envelope($x, 'listoauthcredentials', true, 'responsetype=XML');

$x = xml(api('ListOAuthCredentials', [], 'xml'), 'xml');
xml_envelope($x, 'listoauthcredentials', true, 'xml');
if ($x !== null) {
    eq(['action', 'result', 'clients', 'clients'], child_names($x), 'xml: one <clients> per credential');
    $c = $x->clients[0];
    eq(ITEM_KEYS, child_names($c), 'xml: item element order');
    eq('1', (string) $c->credentialId, 'xml: credentialId');
    eq('DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMQ==', (string) $c->clientIdentifier, 'xml: clientIdentifier');
    eq('https://app.example/callback', (string) $c->redirectUri, 'xml: redirectUri');
    eq('', (string) $c->uuid, 'xml: null uuid is empty');
    $c = $x->clients[1];
    eq(array_values(array_diff(ITEM_KEYS, ['redirectUri'])), child_names($c), 'xml: empty redirectUri left out');
    eq('single_sign_on', (string) $c->grantTypes, 'xml: second grantTypes');
}

// Filters.
$cs = list_creds(['grantType' => 'single_sign_on']);
eq([2], array_column($cs, 'credentialId'), 'grantType filter');
$cs = list_creds(['sortField' => 'credentialId', 'sortOrder' => 'DESC']);
eq([2, 1], array_column($cs, 'credentialId'), 'sortOrder=DESC');
$cs = list_creds(['limit' => 1]);
eq([1], array_column($cs, 'credentialId'), 'limit=1');
// sortField must never reach SQL: a hostile one is refused and nothing breaks.
$d = js(api('ListOAuthCredentials', ['sortField' => 'id; DROP TABLE tbloauthserver_clients']), 'hostile sortField');
eq('error', $d['result'] ?? null, 'hostile sortField: refused');
eq([1, 2], array_column(list_creds(), 'credentialId'), 'hostile sortField: credentials still listed');

// ===========================================================================
section('CreateOAuthCredential authorization_code');

$create = [
    'grantType' => 'authorization_code',
    'scope' => 'clientarea:sso clientarea:profile openid',
    'name' => 'Acceptance App',
    'description' => 'Made by a legacy PHP integration',
    'logoUri' => 'https://acceptance.example/logo.png',
    // http_build_query turns this into redirectUri[0]=..&redirectUri[1]=..
    'redirectUri' => ['https://acceptance.example/cb', 'https://acceptance.example/cb2'],
];
$q = http_build_query($create);
ok(strpos($q, 'redirectUri%5B0%5D=https%3A%2F%2Facceptance.example%2Fcb&redirectUri%5B1%5D=') !== false, 'http_build_query makes redirectUri[0]', $q);

$r = api('CreateOAuthCredential', $create);
$d = js($r, 'json');
$authId = null;
$authIdentifier = null;
$authSecret = null;
if ($d !== null) {
    eq(['result', 'credentialId', 'clientIdentifier', 'clientSecret'], array_keys($d), 'json: key order');
    eq('success', $d['result'], 'json: result');
    ok(is_int($d['credentialId'] ?? null), 'json: credentialId is an int', show($d['credentialId'] ?? null));
    eq(3, $d['credentialId'] ?? null, 'json: credentialId follows the fixture ids');
    matches('/^DEMO-HOSTING\.[A-Za-z0-9+\/]{22}==$/', $d['clientIdentifier'] ?? null, 'json: clientIdentifier is PREFIX.base64(16 bytes)');
    matches('/^[A-Za-z0-9+\/]{86}==$/', $d['clientSecret'] ?? null, 'json: clientSecret is base64 of 64 bytes (88 chars)');
    ok(base64_decode($d['clientSecret'] ?? '', true) !== false && strlen(base64_decode($d['clientSecret'] ?? '')) === 64, 'json: clientSecret decodes to 64 bytes');
    $authId = $d['credentialId'];
    $authIdentifier = $d['clientIdentifier'];
    $authSecret = $d['clientSecret'];
}
$c = is_int($authId) ? find_cred($authId) : null;
if (ok($c !== null, 'listed after create', "credentialId $authId")) {
    eq(ITEM_KEYS, array_keys($c), 'listed: key order');
    eq($authId, $c['credentialId'], 'listed: same credentialId, same type');
    eq('Acceptance App', $c['name'], 'listed: name');
    eq('Made by a legacy PHP integration', $c['description'], 'listed: description');
    eq('authorization_code', $c['grantTypes'], 'listed: grantTypes');
    eq('clientarea:sso clientarea:profile openid', $c['scope'], 'listed: scope');
    eq($authIdentifier, $c['clientIdentifier'], 'listed: clientIdentifier');
    eq($authSecret, $c['clientSecret'], 'listed: clientSecret');
    eq(0, $c['serviceId'], 'listed: serviceId');
    eq('https://acceptance.example/logo.png', $c['logoUri'], 'listed: logoUri');
    eq(['https://acceptance.example/cb', 'https://acceptance.example/cb2'], $c['redirectUri'], 'listed: redirectUri from a PHP array');
}

// redirectUri as a space-separated string, answered in XML and NVP.
$create2 = ['grantType' => 'authorization_code', 'scope' => 'openid', 'name' => 'Space Separated',
    'redirectUri' => 'https://a.example/one https://a.example/two'];
$x = xml(api('CreateOAuthCredential', $create2, 'xml'), 'xml');
xml_envelope($x, 'createoauthcredential', true, 'xml');
$xmlId = null;
if ($x !== null) {
    eq(['action', 'result', 'credentialId', 'clientIdentifier', 'clientSecret'], child_names($x), 'xml: elements');
    matches('/^\d+$/', (string) $x->credentialId, 'xml: credentialId');
    matches('/^DEMO-HOSTING\./', (string) $x->clientIdentifier, 'xml: clientIdentifier');
    $xmlId = (int) $x->credentialId;
    $c = find_cred($xmlId);
    eq(['https://a.example/one', 'https://a.example/two'], $c['redirectUri'] ?? null, 'space-separated redirectUri is split');
}
$n = nvp(api('CreateOAuthCredential', $create2 + [], 'nvp'), 'nvp');
eq(['result', 'credentialId', 'clientIdentifier', 'clientSecret'], array_keys($n), 'nvp: keys');
eq('success', $n['result'] ?? null, 'nvp: result');
matches('/^\d+$/', $n['credentialId'] ?? null, 'nvp: credentialId');
matches('/^[A-Za-z0-9+\/]{86}==$/', $n['clientSecret'] ?? null, 'nvp: clientSecret keeps its "=" padding');
$nvpId = (int) ($n['credentialId'] ?? 0);

// Action names match case-insensitively, ignoring non-alphanumerics.
$d = js(api('create_oauth-credential', ['grantType' => 'authorization_code', 'scope' => 'email', 'name' => 'Odd Name']), 'action name create_oauth-credential');
eq('success', $d['result'] ?? null, 'action name create_oauth-credential: result');
$oddId = $d['credentialId'] ?? null;

// ===========================================================================
section('CreateOAuthCredential single_sign_on');

$d = js(api('CreateOAuthCredential', ['grantType' => 'single_sign_on', 'scope' => 'clientarea:sso clientarea:billing_info', 'serviceId' => 2]), 'json');
$ssoId = null;
if ($d !== null) {
    eq(['result', 'credentialId', 'clientIdentifier', 'clientSecret'], array_keys($d), 'json: key order');
    eq('success', $d['result'], 'json: result');
    ok(is_int($d['credentialId'] ?? null), 'json: credentialId is an int', show($d['credentialId'] ?? null));
    $ssoId = $d['credentialId'];
    $c = find_cred($ssoId);
    eq('single_sign_on', $c['grantTypes'] ?? null, 'listed: grantTypes');
    eq(2, $c['serviceId'] ?? null, 'listed: serviceId is the int 2');
    eq('', $c['name'] ?? null, 'listed: no name');
    eq([], $c['redirectUri'] ?? null, 'listed: redirectUri []');
    eq('clientarea:sso clientarea:billing_info', $c['scope'] ?? null, 'listed: scope');
}

// ===========================================================================
section('CreateOAuthCredential errors');

$before = count(list_creds());

action_error('CreateOAuthCredential', ['scope' => 'openid', 'name' => 'x'], 'A valid grant type is required.', 'no grantType');
action_error('CreateOAuthCredential', ['grantType' => 'password', 'scope' => 'openid', 'name' => 'x'], 'The requested grant type "password" is invalid.', 'bad grantType');
action_error('CreateOAuthCredential', ['grantType' => 'authorization_code', 'scope' => 'openid'], 'A name for the Client Credential is required.', 'no name');
action_error('CreateOAuthCredential', ['grantType' => 'single_sign_on', 'scope' => 'openid'], 'A service ID is required for the single sign-on grant type.', 'no serviceId');
action_error('CreateOAuthCredential', ['grantType' => 'single_sign_on', 'scope' => 'openid', 'serviceId' => 999], 'A valid Service ID is required.', 'unknown serviceId');
action_error('CreateOAuthCredential', ['grantType' => 'single_sign_on', 'scope' => 'openid', 'serviceId' => 3], 'Service ID not associated with valid Client.', 'service of a client without owner');
action_error('CreateOAuthCredential', ['grantType' => 'authorization_code', 'name' => 'x'], 'At least one valid scope is required.', 'no scope');
action_error('CreateOAuthCredential', ['grantType' => 'authorization_code', 'name' => 'x', 'scope' => 'x'], 'The requested scope "x" is invalid.', 'bad scope');
action_error('CreateOAuthCredential', ['grantType' => 'authorization_code', 'name' => 'x', 'scope' => 'openid  email'], 'The requested scope "" is invalid.', 'doubled space');
// The order: grant type before name before scope.
json_error(api('CreateOAuthCredential', ['grantType' => 'nope', 'scope' => 'x']), 'The requested grant type "nope" is invalid.', 200, 'grant checked before scope');
json_error(api('CreateOAuthCredential', ['grantType' => 'authorization_code', 'scope' => 'x']), 'A name for the Client Credential is required.', 200, 'name checked before scope');
// JSON writes '"' inside strings as \u0022.
$r = api('CreateOAuthCredential', ['grantType' => 'authorization_code', 'name' => 'x', 'scope' => 'x']);
eq('{"result":"error","message":"The requested scope \u0022x\u0022 is invalid."}', $r['body'], 'raw JSON escapes quotes as \u0022');
eq($before, count(list_creds()), 'failed creates stored nothing');

// ===========================================================================
section('UpdateOAuthCredential');

if (is_int($authId)) {
    // By credentialId, with resetSecret.
    $d = js(api('UpdateOAuthCredential', ['credentialId' => $authId, 'name' => 'Renamed App', 'resetSecret' => 1]), 'by credentialId');
    $newSecret = null;
    if ($d !== null) {
        eq(['result', 'credentialId', 'newClientSecret'], array_keys($d), 'by credentialId: key order');
        eq('success', $d['result'], 'by credentialId: result');
        eq($authId, $d['credentialId'] ?? null, 'by credentialId: credentialId is the int id');
        matches('/^[A-Za-z0-9+\/]{86}==$/', $d['newClientSecret'] ?? null, 'by credentialId: newClientSecret');
        ok(($d['newClientSecret'] ?? null) !== $authSecret, 'by credentialId: the secret changed');
        $newSecret = $d['newClientSecret'] ?? null;
    }
    $all = list_creds();
    $secrets = array_column($all, 'clientSecret');
    ok(!in_array($authSecret, $secrets, true), 'after resetSecret: the old secret is gone from ListOAuthCredentials');
    ok(in_array($newSecret, $secrets, true), 'after resetSecret: the new secret is listed');
    $c = find_cred($authId);
    eq($newSecret, $c['clientSecret'] ?? null, 'after resetSecret: listed on the same credential');
    eq('Renamed App', $c['name'] ?? null, 'name changed');
    eq('Made by a legacy PHP integration', $c['description'] ?? null, 'absent description kept');
    eq(['https://acceptance.example/cb', 'https://acceptance.example/cb2'], $c['redirectUri'] ?? null, 'absent redirectUri kept');
    eq($authIdentifier, $c['clientIdentifier'] ?? null, 'clientIdentifier kept');

    // By clientIdentifier (what real installs read), replacing scope and redirects.
    $d = js(api('UpdateOAuthCredential', ['clientIdentifier' => $authIdentifier, 'description' => 'Updated by identifier',
        'scope' => 'openid profile', 'redirectUri' => ['https://acceptance.example/only']]), 'by clientIdentifier');
    eq(['result', 'credentialId'], array_keys($d ?? []), 'by clientIdentifier: no newClientSecret without resetSecret');
    eq($authId, $d['credentialId'] ?? null, 'by clientIdentifier: credentialId');
    $c = find_cred($authId);
    eq('Updated by identifier', $c['description'] ?? null, 'by clientIdentifier: description');
    eq('openid profile', $c['scope'] ?? null, 'by clientIdentifier: scope replaced');
    eq(['https://acceptance.example/only'], $c['redirectUri'] ?? null, 'by clientIdentifier: redirectUri replaced');
    eq($newSecret, $c['clientSecret'] ?? null, 'by clientIdentifier: secret kept');

    // By clientIdentifier with resetSecret, in XML; the documented name clientApiIdentifier in NVP.
    $x = xml(api('UpdateOAuthCredential', ['clientIdentifier' => $authIdentifier, 'resetSecret' => 'true'], 'xml'), 'xml by clientIdentifier');
    xml_envelope($x, 'updateoauthcredential', true, 'xml by clientIdentifier');
    if ($x !== null) {
        eq(['action', 'result', 'credentialId', 'newClientSecret'], child_names($x), 'xml: elements');
        eq((string) $authId, (string) $x->credentialId, 'xml: credentialId');
        $xmlSecret = (string) $x->newClientSecret;
        matches('/^[A-Za-z0-9+\/]{86}==$/', $xmlSecret, 'xml: newClientSecret');
        $secrets = array_column(list_creds(), 'clientSecret');
        ok(!in_array($newSecret, $secrets, true) && in_array($xmlSecret, $secrets, true), 'xml reset: old secret gone, new listed');
    }
    $n = nvp(api('UpdateOAuthCredential', ['clientApiIdentifier' => $authIdentifier, 'logoUri' => 'https://acceptance.example/l2.png'], 'nvp'), 'nvp by clientApiIdentifier');
    eq(['result' => 'success', 'credentialId' => (string) $authId], $n, 'nvp by clientApiIdentifier: body');
    eq('https://acceptance.example/l2.png', find_cred($authId)['logoUri'] ?? null, 'nvp by clientApiIdentifier: logoUri');

    // resetSecret follows PHP truthiness: "0" is false.
    $d = js(api('UpdateOAuthCredential', ['credentialId' => $authId, 'resetSecret' => '0']), 'resetSecret=0');
    eq(['result', 'credentialId'], array_keys($d ?? []), 'resetSecret=0: no new secret');
}

action_error('UpdateOAuthCredential', ['name' => 'x'], 'A Credential ID or Client Identifier is required.', 'no id');
action_error('UpdateOAuthCredential', ['credentialId' => 999], 'Invalid Credential ID provided.', 'unknown credentialId');
action_error('UpdateOAuthCredential', ['clientIdentifier' => 'DEMO-HOSTING.nope'], 'Invalid Client Identifier provided.', 'unknown clientIdentifier');
action_error('UpdateOAuthCredential', ['credentialId' => 1, 'grantType' => 'bogus'], 'The requested grant type "bogus" is invalid.', 'bad grantType');
action_error('UpdateOAuthCredential', ['credentialId' => 1, 'scope' => 'openid nope'], 'The requested scope "nope" is invalid.', 'bad scope');

// ===========================================================================
section('DeleteOAuthCredential');

foreach ([$xmlId, $nvpId, $oddId] as $id) {
    if (is_int($id) && $id > 0) {
        $d = js(api('DeleteOAuthCredential', ['credentialId' => $id]), "delete $id");
        eq(['result' => 'success', 'credentialId' => $id], $d, "delete $id: body, credentialId an int");
        eq(['result', 'credentialId'], array_keys($d ?? []), "delete $id: key order");
    }
}
if (is_int($ssoId)) {
    $x = xml(api('DeleteOAuthCredential', ['credentialId' => $ssoId], 'xml'), 'xml');
    xml_envelope($x, 'deleteoauthcredential', true, 'xml');
    eq((string) $ssoId, $x !== null ? (string) $x->credentialId : null, 'xml: credentialId');
}
if (is_int($authId)) {
    $n = nvp(api('DeleteOAuthCredential', ['credentialId' => $authId], 'nvp'), 'nvp');
    eq(['result' => 'success', 'credentialId' => (string) $authId], $n, 'nvp: body');
    json_error(api('DeleteOAuthCredential', ['credentialId' => $authId]), 'Invalid Credential ID provided.', 200, 'delete twice');
    json_error(api('UpdateOAuthCredential', ['credentialId' => $authId, 'name' => 'x']), 'Invalid Credential ID provided.', 200, 'update after delete');
}
eq([1, 2], array_column(list_creds(), 'credentialId'), 'only the fixture credentials are left');
action_error('DeleteOAuthCredential', ['credentialId' => 999], 'Invalid Credential ID provided.', 'unknown credentialId');
action_error('DeleteOAuthCredential', [], 'Invalid Credential ID provided.', 'no credentialId');

// ===========================================================================
section('CreateSsoToken');

$r = api('CreateSsoToken', ['client_id' => 1]);
$d = js($r, 'json');
if ($d !== null) {
    eq(['result', 'access_token', 'redirect_url'], array_keys($d), 'json: key order');
    eq('success', $d['result'], 'json: result');
    matches('/^[0-9a-f]{40}$/', $d['access_token'] ?? null, 'json: access_token is 40 hex characters');
    eq(SYSTEM_URL . 'oauth/singlesignon.php?access_token=' . ($d['access_token'] ?? ''), $d['redirect_url'] ?? null, 'json: redirect_url');
    ok(strpos($r['body'], '"redirect_url":"http://localhost:8080/oauth/singlesignon.php?access_token=') !== false, 'json: "/" is not escaped', $r['body']);
}
$d2 = js(api('CreateSsoToken', ['client_id' => 1, 'user_id' => 3, 'destination' => 'clientarea:invoices']), 'json second token');
ok(($d2['access_token'] ?? null) !== ($d['access_token'] ?? null), 'json: every token is new');
$x = xml(api('CreateSsoToken', ['client_id' => 1], 'xml'), 'xml');
xml_envelope($x, 'createssotoken', true, 'xml');
if ($x !== null) {
    eq(['action', 'result', 'access_token', 'redirect_url'], child_names($x), 'xml: elements');
    eq(SYSTEM_URL . 'oauth/singlesignon.php?access_token=' . $x->access_token, (string) $x->redirect_url, 'xml: redirect_url');
}
$n = nvp(api('CreateSsoToken', ['client_id' => 1], ''), 'nvp by default');
eq(['result', 'access_token', 'redirect_url'], array_keys($n), 'nvp by default: keys');
eq(SYSTEM_URL . 'oauth/singlesignon.php?access_token=' . ($n['access_token'] ?? ''), $n['redirect_url'] ?? null, 'nvp by default: redirect_url keeps its "="');

action_error('CreateSsoToken', ['client_id' => 999], 'Invalid client_id', 'unknown client_id');
action_error('CreateSsoToken', ['client_id' => 1, 'user_id' => 99], 'Invalid user_id', 'unknown user_id');
action_error('CreateSsoToken', ['client_id' => 1, 'user_id' => 2], 'Invalid user_id for client', 'user of another client');
action_error('CreateSsoToken', ['destination' => 'clientarea:invoices'], 'A valid client_id or user_id is required', 'no client_id or user_id');
action_error('CreateSsoToken', ['client_id' => 1, 'destination' => 'nowhere'], 'Invalid destination', 'bad destination');
action_error('CreateSsoToken', ['client_id' => 3], 'SSO authentication blocked for client 3', 'closed client');

// ===========================================================================
section('ValidateLogin');

$r = api('ValidateLogin', ['email' => 'jane@example.com', 'password2' => 'jane-password']);
$d = js($r, 'jane json');
if ($d !== null) {
    eq(['result', 'userid', 'passwordhash', 'twoFactorEnabled'], array_keys($d), 'jane json: key order');
    eq('success', $d['result'], 'jane json: result');
    eq(1, $d['userid'] ?? null, 'jane json: userid is the int 1');
    ok(is_string($d['passwordhash'] ?? null) && $d['passwordhash'] !== '', 'jane json: passwordhash is a session token', show($d['passwordhash'] ?? null));
    eq(false, $d['twoFactorEnabled'] ?? null, 'jane json: twoFactorEnabled is the boolean false');
}
$d = js(api('ValidateLogin', ['email' => 'sam@example.com', 'password2' => 'sam-password']), 'sam (2FA) json');
if ($d !== null) {
    eq(['result', 'userid', 'twoFactorEnabled'], array_keys($d), 'sam (2FA) json: no passwordhash');
    eq(2, $d['userid'] ?? null, 'sam (2FA) json: userid is the int 2');
    eq(true, $d['twoFactorEnabled'] ?? null, 'sam (2FA) json: twoFactorEnabled is the boolean true');
}
$x = xml(api('ValidateLogin', ['email' => 'jane@example.com', 'password2' => 'jane-password'], 'xml'), 'jane xml');
xml_envelope($x, 'validatelogin', true, 'jane xml');
if ($x !== null) {
    eq(['action', 'result', 'userid', 'passwordhash', 'twoFactorEnabled'], child_names($x), 'jane xml: elements');
    eq('1', (string) $x->userid, 'jane xml: userid');
    eq('', (string) $x->twoFactorEnabled, 'jane xml: false prints as ""');
}
$x = xml(api('ValidateLogin', ['email' => 'sam@example.com', 'password2' => 'sam-password'], 'xml'), 'sam xml');
xml_envelope($x, 'validatelogin', true, 'sam xml');
if ($x !== null) {
    eq(['action', 'result', 'userid', 'twoFactorEnabled'], child_names($x), 'sam xml: elements');
    eq('1', (string) $x->twoFactorEnabled, 'sam xml: true prints as "1"');
}
$n = nvp(api('ValidateLogin', ['email' => 'jane@example.com', 'password2' => 'jane-password'], ''), 'jane nvp by default');
eq(['result', 'userid', 'passwordhash', 'twoFactorEnabled'], array_keys($n), 'jane nvp by default: keys');
eq('1', $n['userid'] ?? null, 'jane nvp: userid');
eq('', $n['twoFactorEnabled'] ?? null, 'jane nvp: false prints as ""');
$r = api('ValidateLogin', ['email' => 'sam@example.com', 'password2' => 'sam-password'], 'nvp');
eq('result=success;userid=2;twoFactorEnabled=1', $r['body'], 'sam nvp: raw body');

action_error('ValidateLogin', ['email' => 'jane@example.com', 'password2' => 'wrong'], 'Email or Password Invalid', 'wrong password');
action_error('ValidateLogin', ['email' => 'nobody@example.com', 'password2' => 'jane-password'], 'Email or Password Invalid', 'unknown email');
action_error('ValidateLogin', ['email' => 'jane@example.com'], 'Email or Password Invalid', 'no password2');

// ===========================================================================
section('Authentication modes');

// Popular clients send username=&password=&accesskey= empty next to identifier/secret.
$r = call(['action' => 'ListOAuthCredentials', 'username' => '', 'password' => '', 'accesskey' => '', 'responsetype' => 'json'] + FULL);
eq('success', (js($r, 'empty username/password/accesskey') ?? [])['result'] ?? null, 'empty username/password/accesskey: ignored');
// username/password as an alias of identifier/secret.
$r = call(['action' => 'ListOAuthCredentials', 'username' => FULL['identifier'], 'password' => FULL['secret'], 'responsetype' => 'json']);
eq('success', (js($r, 'identifier as username') ?? [])['result'] ?? null, 'identifier/secret as username/password');
// Legacy admin login: username + md5 of the admin password; not subject to roles.
$r = api('ListOAuthCredentials', [], 'json', legacy_admin());
eq('success', (js($r, 'legacy login') ?? [])['result'] ?? null, 'legacy login: ListOAuthCredentials');
$r = api('CreateSsoToken', ['client_id' => 1], 'json', legacy_admin());
eq('success', (js($r, 'legacy login CreateSsoToken') ?? [])['result'] ?? null, 'legacy login: CreateSsoToken');
// GET is accepted too.
$r = call(['action' => 'ListOAuthCredentials', 'responsetype' => 'json'] + FULL, 'GET');
eq('success', (js($r, 'GET') ?? [])['result'] ?? null, 'GET: result');
// The role that allows only ListOAuthCredentials.
$r = api('ListOAuthCredentials', [], 'json', LIST_ONLY);
eq(2, count((js($r, 'list-only role') ?? [])['clients'] ?? []), 'list-only role: may list');

// ===========================================================================
section('Framework errors');

$bad = ['identifier' => FULL['identifier'], 'secret' => 'WrongSecret00000000000000000000x'];
$unknown = ['identifier' => 'NoSuchIdentifier0000000000000000', 'secret' => FULL['secret']];
$cases = [
    // [what, action, creds, message, status]
    ['missing identifier', 'ListOAuthCredentials', [], 'Invalid or missing credentials', 403],
    ['unknown identifier', 'ListOAuthCredentials', $unknown, 'Invalid or missing credentials', 403],
    ['wrong secret', 'ListOAuthCredentials', $bad, 'Authentication Failed', 403],
    ['legacy login, wrong md5', 'ListOAuthCredentials', ['username' => 'admin', 'password' => md5('wrong')], 'Authentication Failed', 403],
    ['legacy login, unknown admin', 'ListOAuthCredentials', ['username' => 'nobody', 'password' => md5('demo-admin-password')], 'Authentication Failed', 403],
    ['legacy login, password not md5', 'ListOAuthCredentials', ['username' => 'admin', 'password' => 'demo-admin-password'], 'Invalid password provided', 403],
    ['disabled admin', 'ListOAuthCredentials', DISABLED, 'Administrator Account Disabled', 403],
    ['role does not allow', 'CreateOAuthCredential', LIST_ONLY, 'Invalid Permissions: API action "createoauthcredential" is not allowed', 403],
    ['role does not allow (odd case)', 'createOAuthCredential', LIST_ONLY, 'Invalid Permissions: API action "createoauthcredential" is not allowed', 403],
    ['unknown action', 'NoSuchAction', FULL, 'Invalid API Action: "nosuchaction" is not a valid API action', 403],
    ['unknown action, list-only role', 'NoSuchAction', LIST_ONLY, 'Invalid API Action: "nosuchaction" is not a valid API action', 403],
    ['unknown action, legacy login', 'NoSuchAction', legacy_admin(), 'API Function Not Found', 200],
    ['no action', '', FULL, 'Empty action request', 400],
    ['no action, legacy login', '', legacy_admin(), 'Empty action request', 400],
];
foreach ($cases as [$what, $action, $creds, $message, $status]) {
    $fields = ($action !== '' ? ['action' => $action] : []) + $creds;
    $lower = strtolower($action);
    json_error(call($fields + ['responsetype' => 'json']), $message, $status, "$what (json)");
    xml_error(call($fields + ['responsetype' => 'xml']), $lower, $message, $status, "$what (xml)");
    // Only exact lower-case json/xml are honoured; anything else, or none, is NVP.
    foreach (['', 'nvp', 'JSON', 'Xml', 'yaml'] as $rt) {
        $f = $rt === '' ? $fields : $fields + ['responsetype' => $rt];
        nvp_error(call($f), $message, $status, "$what (responsetype " . ($rt === '' ? 'missing' : $rt) . ')');
    }
}

// An unsupported response type on an authenticated, known action.
foreach (['yaml', 'jsonp'] as $rt) {
    $r = api('ListOAuthCredentials', [], $rt);
    $msg = "Unsupported API response type format \"$rt\". Supported formats include: json, xml, nvp";
    nvp_error($r, $msg, 200, "responsetype=$rt");
}

// ===========================================================================
section('A billing script: client, product, order, invoice, payment, cleanup');

// What a PHP module does around the OAuth actions, with PHP's own arrays:
// http_build_query turns them into pid[0]=…&domaintype[0]=&domaintype[1]=…
$c = js(api('AddClient', [
    'firstname' => 'Php', 'lastname' => 'Script', 'email' => 'php-script@example.net',
    'address1' => '1 Curl Lane', 'city' => 'Leeds', 'state' => 'Yorkshire', 'postcode' => 'LS1 1AA',
    'country' => 'GB', 'phonenumber' => '0113 000 0000', 'password2' => 'a-password',
]), 'AddClient');
$clientid = $c['clientid'] ?? null;
ok(is_string($clientid) && ctype_digit($clientid), 'AddClient: clientid is a numeric string', show($c));

$p = js(api('AddProduct', [
    'name' => 'PHP Hosting', 'gid' => 1, 'type' => 'hostingaccount', 'paytype' => 'recurring',
    'pricing' => [1 => ['monthly' => '7.50', 'msetupfee' => '2.50']],
]), 'AddProduct');
$pid = $p['pid'] ?? null;
ok(is_int($pid) && $pid > 0, 'AddProduct: pid is a number', show($p));

$o = js(api('AddOrder', [
    'clientid' => $clientid, 'paymentmethod' => 'paypal',
    'pid' => [$pid], 'billingcycle' => ['monthly'],
    'domain' => ['php.example', 'php-registered.example'],
    'domaintype' => ['', 'register'], 'regperiod' => ['', 2], 'domainpriceoverride' => ['', '11.00'],
]), 'AddOrder');
eq('success', $o['result'] ?? null, 'AddOrder: result');
$orderid = $o['orderid'] ?? 0;
$invoiceid = $o['invoiceid'] ?? 0;
ok($orderid > 0 && $invoiceid > 0, 'AddOrder: an order and its invoice', show($o));
eq(1, count(explode(',', $o['serviceids'] ?? '')), 'AddOrder: one service');
eq(1, count(explode(',', $o['domainids'] ?? '')), 'AddOrder: one domain registered (position 1)');

$inv = js(api('GetInvoice', ['invoiceid' => $invoiceid]), 'GetInvoice');
eq('Unpaid', $inv['status'] ?? null, 'GetInvoice: Unpaid');
eq('21.00', $inv['total'] ?? null, 'GetInvoice: 7.50 + 2.50 setup + 11.00 domain');
eq(2, count($inv['items']['item'] ?? []), 'GetInvoice: a hosting line and a domain line');

js(api('AddInvoicePayment', ['invoiceid' => $invoiceid, 'transid' => 'PHP-1', 'gateway' => 'paypal', 'amount' => 21]), 'AddInvoicePayment');
$inv = js(api('GetInvoice', ['invoiceid' => $invoiceid]), 'GetInvoice after payment');
eq('Paid', $inv['status'] ?? null, 'GetInvoice: Paid once nothing is left');
eq('0.00', $inv['balance'] ?? null, 'GetInvoice: balance');

js(api('AcceptOrder', ['orderid' => $orderid]), 'AcceptOrder');
$sp = js(api('GetClientsProducts', ['clientid' => $clientid]), 'GetClientsProducts');
$svc = $sp['products']['product'][0] ?? [];
eq('Active', $svc['status'] ?? null, 'GetClientsProducts: the service is Active');
eq('php.example', $svc['domain'] ?? null, 'GetClientsProducts: domain[0] went with pid[0]');
ok($svc['orderid'] == $orderid, 'GetClientsProducts: orderid matches (loose ==, as PHP code compares)', show($svc));
$dm = js(api('GetClientsDomains', ['clientid' => $clientid]), 'GetClientsDomains');
$dom = $dm['domains']['domain'][0] ?? [];
eq('php-registered.example', $dom['domainname'] ?? null, 'GetClientsDomains: the registered domain');
eq('2', $dom['regperiod'] ?? null, 'GetClientsDomains: regperiod[1] kept its position');
eq('Active', $dom['status'] ?? null, 'GetClientsDomains: Active after AcceptOrder');

$or = js(api('GetOrders', ['id' => $orderid]), 'GetOrders');
eq('Active', $or['orders']['order'][0]['status'] ?? null, 'GetOrders: Active');
eq('Paid', $or['orders']['order'][0]['paymentstatus'] ?? null, 'GetOrders: paymentstatus');

$x = xml(api('GetInvoices', ['userid' => $clientid], 'xml'), 'GetInvoices (xml)');
if ($x !== null) {
    eq('1', (string)$x->totalresults, 'GetInvoices (xml): totalresults');
    eq('Paid', (string)$x->invoices->invoice->status, 'GetInvoices (xml): invoices/invoice/status');
}
nvp_error(api('GetInvoices', ['userid' => $clientid], 'nvp'), 'This API action only supports the XML or JSON response type formats', 200, 'GetInvoices (nvp)');

js(api('DeleteClient', ['clientid' => $clientid]), 'DeleteClient');
json_error(api('GetClientsDetails', ['clientid' => $clientid]), 'Client Not Found', 200, 'GetClientsDetails after DeleteClient');
json_error(api('GetInvoice', ['invoiceid' => $invoiceid]), 'Invoice ID Not Found', 200, 'GetInvoice after DeleteClient');

// ===========================================================================
echo "$passed passed, $failed failed\n";
exit($failed > 0 ? 1 : 0);
