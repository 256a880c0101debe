package whmcsemu_test

// The JSON kinds of the Domains actions' answers (kinds_test.go runs
// them): the same in WHMCS 7.x and 8.

import "net/url"

const domainsFixture = "testdata/fixtures/domains.json"

func init() {
	d := []string{domainsFixture}
	kindsCases = append(kindsCases,
		kindsCase{action: "CreateOrUpdateTLD", golden: "created", steps: []url.Values{
			{"action": {"CreateOrUpdateTLD"}, "extension": {".shop"}, "register[1]": {"9.95"}, "register[2]": {"19.90"}, "renew[1]": {"9.95"}, "transfer[1]": {"7.5"}, "currency_code": {"USD"}, "id_protection": {"1"}, "dns_management": {"1"}, "group": {"hot"}, "grace_period_days": {"30"}, "grace_period_fee": {"2.50"}}},
			v8: new(kindsCreateOrUpdateTLD)},
		kindsCase{action: "GetTLDPricing", fixtures: d, golden: "default", steps: []url.Values{
			{"action": {"GetTLDPricing"}}},
			v8: new(kindsGetTLDPricing)},
		kindsCase{action: "GetRegistrars", fixtures: d, golden: "fixture", steps: []url.Values{
			{"action": {"GetRegistrars"}}},
			v8: new(kindsGetRegistrars)},
		kindsCase{action: "DomainWhois", fixtures: d, golden: "held", steps: []url.Values{
			{"action": {"DomainWhois"}, "domain": {"price-and-sons.com"}}},
			v8: new(kindsDomainWhois)},
		kindsCase{action: "DomainRegister", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainRegister"}, "domainid": {"2"}, "idnlanguage": {"GER"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainTransfer", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainTransfer"}, "domainid": {"3"}, "eppcode": {"Tr4nsfer"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainRenew", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainRenew"}, "domainid": {"1"}, "regperiod": {"2"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainRelease", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainRelease"}, "domainid": {"1"}, "newtag": {"NEW-TAG"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainGetNameservers", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainGetNameservers"}, "domainid": {"6"}}},
			v8: new(kindsDomainGetNameservers)},
		kindsCase{action: "DomainUpdateNameservers", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainUpdateNameservers"}, "domainid": {"6"}, "ns1": {"NS1.new.example"}, "ns2": {"ns2.new.example"}, "ns4": {"ns4.new.example"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainGetLockingStatus", fixtures: d, golden: "locked", steps: []url.Values{
			{"action": {"DomainGetLockingStatus"}, "domainid": {"1"}}},
			v8: new(kindsDomainGetLockingStatus)},
		kindsCase{action: "DomainUpdateLockingStatus", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainUpdateLockingStatus"}, "domainid": {"6"}, "lockstatus": {"1"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainGetWhoisInfo", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainGetWhoisInfo"}, "domainid": {"1"}}},
			v8: new(kindsDomainGetWhoisInfo)},
		kindsCase{action: "DomainUpdateWhoisInfo", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainUpdateWhoisInfo"}, "domainid": {"6"}, "xml": {"<contactdetails><Registrant><First_Name>Gwendolyn</First_Name><job_title>Director</job_title></Registrant><Tech><Email>tech@example.co.uk</Email></Tech></contactdetails>"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "DomainRequestEPP", fixtures: d, golden: "kept", steps: []url.Values{
			{"action": {"DomainRequestEPP"}, "domainid": {"1"}}},
			v8: new(kindsDomainRequestEPP)},
		kindsCase{action: "DomainToggleIdProtect", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"DomainToggleIdProtect"}, "domainid": {"1"}, "idprotect": {"1"}}},
			v8: new(kindsDomainResult)},
		kindsCase{action: "UpdateClientDomain", fixtures: d, golden: "success", steps: []url.Values{
			{"action": {"UpdateClientDomain"}, "domainid": {"2"}, "regperiod": {"1"}, "status": {"pending registration"}, "type": {"transfer"}, "notes": {"Call first"}}},
			v8: new(kindsUpdateClientDomain)},
	)
}

type kindsDomainResult struct {
	Result string `json:"result"`
}

type kindsCreateOrUpdateTLD struct {
	Result    string `json:"result"`
	Extension string `json:"extension"`
	ID        int64  `json:"id"`
}

type kindsTLDPeriod struct {
	Days  int64  `json:"days"`
	Price string `json:"price"`
}

type kindsGetTLDPricing struct {
	Result   string `json:"result"`
	Currency struct {
		ID     int64  `json:"id"`
		Code   string `json:"code"`
		Prefix string `json:"prefix"`
		Suffix string `json:"suffix"`
		Format int64  `json:"format"`
		Rate   string `json:"rate"`
	} `json:"currency"`
	Pricing map[string]struct {
		TLD        string   `json:"tld"`
		Categories []string `json:"categories"`
		Addons     struct {
			DNS       bool `json:"dns"`
			Email     bool `json:"email"`
			IDProtect bool `json:"idprotect"`
		} `json:"addons"`
		Group            string            `json:"group"`
		Register         map[string]string `json:"register"`
		Transfer         map[string]string `json:"transfer"`
		Renew            map[string]string `json:"renew"`
		GracePeriod      *kindsTLDPeriod   `json:"grace_period"`
		RedemptionPeriod *kindsTLDPeriod   `json:"redemption_period"`
	} `json:"pricing"`
}

type kindsGetRegistrars struct {
	Result     string `json:"result"`
	Registrars []struct {
		Module      string `json:"module"`
		DisplayName string `json:"displayName"`
	} `json:"registrars"`
}

type kindsDomainWhois struct {
	Result string `json:"result"`
	Status string `json:"status"`
	Whois  string `json:"whois"`
}

type kindsDomainGetNameservers struct {
	Result string `json:"result"`
	NS1    string `json:"ns1"`
	NS2    string `json:"ns2"`
	NS3    string `json:"ns3"`
	NS4    string `json:"ns4"`
	NS5    string `json:"ns5"`
}

type kindsDomainGetLockingStatus struct {
	Result     string `json:"result"`
	LockStatus string `json:"lockstatus"`
}

type kindsWhoisContact struct {
	FirstName        string `json:"First_Name"`
	LastName         string `json:"Last_Name"`
	OrganisationName string `json:"Organisation_Name"`
	JobTitle         string `json:"Job_Title"`
	Email            string `json:"Email"`
	Address1         string `json:"Address_1"`
	Address2         string `json:"Address_2"`
	City             string `json:"City"`
	State            string `json:"State"`
	Postcode         string `json:"Postcode"`
	Country          string `json:"Country"`
	Phone            string `json:"Phone"`
}

type kindsDomainGetWhoisInfo struct {
	Result     string            `json:"result"`
	Registrant kindsWhoisContact `json:"Registrant"`
	Admin      kindsWhoisContact `json:"Admin"`
	Tech       kindsWhoisContact `json:"Tech"`
}

type kindsDomainRequestEPP struct {
	Result  string `json:"result"`
	EPPCode string `json:"eppcode"`
}

type kindsUpdateClientDomain struct {
	Result   string `json:"result"`
	DomainID int64  `json:"domainid"`
}
