// check.mjs drives whmcsemu's SailPoint dialect with SailPoint's TypeScript
// SDK: it gets a token (the SDK's own client-credentials call), then
// creates, gets, lists, patches and deletes an OAuth client, and checks the
// new client's secret mints a token of its own.
//
//   npm ci && SAIL_BASE_URL=http://127.0.0.1:8080 SAIL_CLIENT_ID=… SAIL_CLIENT_SECRET=… npm run check
//
// SAIL_BASE_URL is the emulator's root (the SDK appends /v3 and
// /oauth/token); the client comes from the fixture's sailpoint section and
// needs sp:scopes:all or sp:oauth-client:manage. Exit status 0 means every
// step answered as SailPoint documents.
import assert from "node:assert/strict";
import { Configuration, OAuthClientsApi } from "sailpoint-api-client";

const baseurl = process.env.SAIL_BASE_URL?.replace(/\/+$/, "");
const clientId = process.env.SAIL_CLIENT_ID;
const clientSecret = process.env.SAIL_CLIENT_SECRET;
if (!baseurl || !clientId || !clientSecret) {
  console.error("set SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET");
  process.exit(2);
}

const api = (id, secret) =>
  new OAuthClientsApi(new Configuration({ baseurl, clientId: id, clientSecret: secret, tokenUrl: `${baseurl}/oauth/token` }));
const admin = api(clientId, clientSecret);
const step = (name) => console.log(`ok  ${name}`);

const created = (
  await admin.createOauthClient({
    createOAuthClientRequest: {
      name: "sdk-check",
      description: "made by testdata/sailpoint-sdk/check.mjs",
      businessName: "Acme-Solar",
      homepageUrl: "http://localhost:12345",
      accessTokenValiditySeconds: 750,
      refreshTokenValiditySeconds: 86400,
      redirectUris: ["http://localhost:12345"],
      grantTypes: ["AUTHORIZATION_CODE", "CLIENT_CREDENTIALS"],
      accessType: "OFFLINE",
      type: "CONFIDENTIAL",
      internal: false,
      enabled: true,
      strongAuthSupported: false,
      claimsSupported: false,
      scope: ["sp:oauth-client:read"],
    },
  })
).data;
assert.match(created.id, /^[0-9a-f]{32}$/);
assert.ok(created.secret, "create shows the secret");
step(`token + create ${created.id}`);

const got = (await admin.getOauthClient({ id: created.id })).data;
assert.equal(got.name, "sdk-check");
assert.equal(got.secret ?? null, null, "get never shows the secret");
step("get");

const listed = (await admin.listOauthClients()).data;
assert.ok(listed.some((c) => c.id === created.id));
const never = (await admin.listOauthClients({ filters: "lastUsed isnull" })).data;
assert.ok(never.some((c) => c.id === created.id), "a new client was never used");
step(`list (${listed.length} clients) and filters`);

// The new credential works: its read-only token lists, and cannot delete.
const reader = api(created.id, created.secret);
assert.ok((await reader.listOauthClients()).data.length > 0);
await assert.rejects(reader.deleteOauthClient({ id: created.id }), (e) => e.response?.status === 403);
step("the new client's own token (read yes, delete 403)");

const patched = (
  await admin.patchOauthClient({
    id: created.id,
    jsonPatchOperation: [
      { op: "replace", path: "/strongAuthSupported", value: true },
      { op: "replace", path: "/businessName", value: "acme-solar" },
    ],
  })
).data;
assert.equal(patched.strongAuthSupported, true);
assert.equal(patched.businessName, "acme-solar");
await assert.rejects(
  admin.patchOauthClient({ id: created.id, jsonPatchOperation: [{ op: "replace", path: "/scope", value: ["x"] }] }),
  (e) => e.response?.status === 400 && e.response.data.detailCode === "400.1 Bad Request Content",
);
step("patch (and a refused one)");

const del = await admin.deleteOauthClient({ id: created.id });
assert.equal(del.status, 204);
await assert.rejects(admin.getOauthClient({ id: created.id }), (e) => e.response?.status === 404);
step("delete");
console.log("all SailPoint SDK checks passed");
