package whmcsemu

import "testing"

// TestHostileValuesDomainActions is TestHostileValuesEveryAction for the
// Domains actions on the domains fixture, with domainid naming a domain
// the registrar holds (and extension, domain and xml values that pass), so
// that a hostile value in another parameter reaches the registrar's own
// checks: every answer WHMCS-shaped, an error writing nothing.
func TestHostileValuesDomainActions(t *testing.T) {
	t.Parallel()
	srv, db := newTestServer(t)
	applyFixtureFile(t, srv, "testdata/fixtures/domains.json")
	baseline := map[string]string{"domainid": "6", "extension": ".com", "clientid": "5", "currency_code": "USD",
		"xml": "<Registrant><City>Leeds</City></Registrant>", "ns1": "ns1.a.example", "ns2": "ns2.a.example",
		"newtag": "TAG"}
	names := []string{"CreateOrUpdateTLD", "GetTLDPricing", "GetRegistrars", "DomainWhois", "DomainRegister",
		"DomainTransfer", "DomainRenew", "DomainGetNameservers", "DomainUpdateNameservers",
		"DomainGetLockingStatus", "DomainUpdateLockingStatus", "DomainGetWhoisInfo", "DomainUpdateWhoisInfo",
		"DomainRequestEPP", "DomainToggleIdProtect", "UpdateClientDomain", "DomainRelease"}
	sweepHostile(t, srv, db, names, baseline, nil, "", "[]", "[1]")
}
