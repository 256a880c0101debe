package whmcsemu_test

// The JSON kinds of every emulated action's answer, per WHMCS version:
// each case runs an action's success (the golden case named) on a fresh
// emulator of WHMCS 8 (demo.json) and of WHMCS 7.x (demo.json and
// version-7.json), over HTTP and through the local API, and decodes the
// answer into a struct whose Go types are the kinds that version sends
// (string, int64, float64, bool; a pointer where null is allowed). The
// decoding is strict: a number where a string is due fails, and so does a
// missing key, a null where a value is due, or a key the version does not
// send (kindsAbsent). actions/versions.go says which fields differ, and
// docs/compatibility.md why.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/whmcsemu/whmcsemu/actions"
	"github.com/whmcsemu/whmcsemu/whmcstest"
)

type kindsCase struct {
	action   string       // the action whose answer is checked: the last step's
	golden   string       // the golden case it follows (testdata/golden/<action>/<case>.form)
	fixtures []string     // loaded after demo.json (and before version-7.json)
	steps    []url.Values // run in order; "$password" is the previous answer's password
	local    bool         // the action runs through the local API only
	v8       any          // a pointer to the struct WHMCS 8's answer decodes into
	v7       any          // the same for WHMCS 7.x; nil when it is v8's
}

// kindsAbsent is a key the version does not send: the answer must not
// have it.
type kindsAbsent struct{}

// kindsNull is a key sent as null.
type kindsNull struct{}

var kindsCases = []kindsCase{
	{action: "AcceptOrder", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddOrder"}, "clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "domain[]": {"new-site.example"}, "domaintype[]": {"register"}},
		{"action": {"AcceptOrder"}, "orderid": {"2"}, "serviceusername": {"newsite"}, "registrar": {"enom"}, "autosetup": {"1"}}},
		v8: new(kindsAcceptOrder)},
	{action: "ActivateModule", golden: "success", steps: []url.Values{
		{"action": {"ActivateModule"}, "moduleType": {"gateway"}, "moduleName": {"stripe"}, "parameters[FriendlyName]": {"Credit Card"}}},
		v8: new(kindsActivateModule)},
	{action: "AddBillableItem", golden: "success", steps: []url.Values{
		{"action": {"AddBillableItem"}, "clientid": {"1"}, "description": {"Consulting"}, "amount": {"120"}, "unit": {"hours"}, "quantity": {"2"}}},
		v8: new(kindsAddBillableItem)},
	{action: "AddCancelRequest", golden: "success", steps: []url.Values{
		{"action": {"AddCancelRequest"}, "serviceid": {"1"}, "type": {"Immediate"}, "reason": {"No longer needed"}}},
		v8: new(kindsAddCancelRequest)},
	{action: "AddClient", golden: "success", steps: []url.Values{
		{"action": {"AddClient"}, "firstname": {"Nia"}, "lastname": {"Moe"}, "companyname": {"Moe & Co"}, "email": {"nia@example.com"}, "address1": {"1 Main Street"}, "address2": {"Suite 2"}, "city": {"Springfield"}, "state": {"Oregon"}, "postcode": {"97403"}, "country": {"us"}, "phonenumber": {"(555) 010-0199"}, "password2": {"nia-password"}, "tax_id": {"US123"}, "notes": {"VIP <admin only>"}, "language": {"english"}, "marketingoptin": {"1"}}},
		v8: new(kindsAddClient)},
	{action: "AddClientNote", golden: "success", steps: []url.Values{
		{"action": {"AddClientNote"}, "userid": {"1"}, "notes": {"Called about renewal"}, "sticky": {"1"}}},
		v8: new(kindsAddClientNote)},
	{action: "AddContact", golden: "success", steps: []url.Values{
		{"action": {"AddContact"}, "clientid": {"1"}, "firstname": {"Kai"}, "lastname": {"Doe"}, "companyname": {"Doe Widgets"}, "email": {"kai@example.com"}, "address1": {"1 Side St"}, "city": {"York"}, "state": {"Yorks"}, "postcode": {"YO1 1AA"}, "country": {"gb"}, "phonenumber": {"01904 000000"}, "tax_id": {"GB1"}, "email_preferences[domain]": {"1"}, "email_preferences[invoice]": {"1"}, "email_preferences[general]": {"0"}}},
		v8: new(kindsAddContact)},
	{action: "AddCredit", golden: "add", steps: []url.Values{
		{"action": {"AddCredit"}, "clientid": {"1"}, "description": {"Goodwill"}, "amount": {"12.50"}, "date": {"2016-11-17"}}},
		v8: new(kindsAddCredit)},
	{action: "AddInvoicePayment", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddInvoicePayment"}, "invoiceid": {"3"}, "transid": {"BT-1"}, "gateway": {"banktransfer"}, "date": {"2016-11-17"}, "amount": {"25"}}},
		v8: new(kindsAddInvoicePayment)},
	{action: "AddOrder", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddOrder"}, "clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "domain[]": {"new-site.example"}, "billingcycle[]": {"annually"}, "domaintype[]": {"register"}, "regperiod[]": {"2"}, "domainpriceoverride[]": {"15.00"}, "nameserver1": {"ns1.example.net"}, "nameserver2": {"ns2.example.net"}, "clientip": {"192.0.2.10"}}},
		v8: new(kindsAddOrder)},
	{action: "AddProduct", golden: "added", steps: []url.Values{
		{"action": {"AddProduct"}, "name": {"Reseller Gold"}, "gid": {"1"}, "type": {"reselleraccount"}, "paytype": {"recurring"}, "description": {"For resellers."}, "module": {"cpanel"}, "pricing[1][monthly]": {"29.5"}, "pricing[1][msetupfee]": {"10"}, "pricing[1][annually]": {"300"}}},
		v8: new(kindsAddProduct)},
	{action: "AddProjectTask", fixtures: []string{"testdata/fixtures/projects.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddProjectTask"}, "projectid": {"1"}, "task": {"Build pages"}, "duedate": {"2016-11-30"}, "adminid": {"1"}, "notes": {"Three pages"}}},
		v8: new(kindsAddProjectTask)},
	{action: "AddTicketNote", golden: "success", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"AddTicketNote"}, "ticketid": {"1"}, "message": {"Customer called too."}}},
		v8: new(kindsAddTicketNote)},
	{action: "AddTicketReply", golden: "success", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"AddTicketReply"}, "ticketid": {"1"}, "name": {"Helper"}, "email": {"helper@example.org"}, "message": {"Try resetting it."}}},
		v8: new(kindsAddTicketReply)},
	{action: "AddTransaction", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddTransaction"}, "paymentmethod": {"paypal"}, "userid": {"1"}, "invoiceid": {"1"}, "transid": {"PP-9"}, "date": {"18/11/2016"}, "description": {"Partial payment"}, "amountin": {"5.00"}, "fees": {"0.30"}}},
		v8: new(kindsAddTransaction)},
	{action: "AddUser", golden: "success", steps: []url.Values{
		{"action": {"AddUser"}, "firstname": {"Nia"}, "lastname": {"Moe"}, "email": {"nia@example.com"}, "password2": {"nia-password"}, "language": {"french"}}},
		v8: new(kindsAddUser)},
	{action: "AffiliateActivate", golden: "success", steps: []url.Values{
		{"action": {"AffiliateActivate"}, "userid": {"2"}}},
		v8: new(kindsAffiliateActivate)},
	{action: "CancelOrder", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "success", steps: []url.Values{
		{"action": {"AddOrder"}, "clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "domain[]": {"new-site.example"}, "domaintype[]": {"register"}},
		{"action": {"CancelOrder"}, "orderid": {"2"}, "cancelsub": {"1"}, "noemail": {"1"}}},
		v8: new(kindsCancelOrder)},
	{action: "CloseClient", golden: "success", steps: []url.Values{
		{"action": {"CloseClient"}, "clientid": {"1"}}},
		v8: new(kindsCloseClient)},
	{action: "CreateInvoice", golden: "basic", steps: []url.Values{
		{"action": {"CreateInvoice"}, "userid": {"1"}, "taxrate": {"10"}, "date": {"2016-11-18"}, "duedate": {"2016-11-25"}, "notes": {"Thanks"}, "itemdescription1": {"Web hosting"}, "itemamount1": {"15.95"}, "itemdescription2": {"Support"}, "itemamount2": {"4.05"}, "itemtaxed2": {"1"}}},
		v8: new(kindsCreateInvoice)},
	{action: "CreateOAuthCredential", golden: "authorization-code", steps: []url.Values{
		{"action": {"CreateOAuthCredential"}, "grantType": {"authorization_code"}, "name": {"My App"}, "description": {"Signs users in to My App"}, "scope": {"openid email profile"}, "redirectUri[0]": {"https://app.example/cb"}, "redirectUri[1]": {"https://app.example/cb2"}, "logoUri": {"https://app.example/logo.png"}}},
		v8: new(kindsCreateOAuthCredential)},
	{action: "CreateProject", golden: "success", steps: []url.Values{
		{"action": {"CreateProject"}, "title": {"This is a Test Project"}, "adminid": {"1"}, "userid": {"1"}}},
		v8: new(kindsCreateProject)},
	{action: "CreateSsoToken", golden: "client-and-user", steps: []url.Values{
		{"action": {"CreateSsoToken"}, "client_id": {"1"}, "user_id": {"3"}}},
		v8: new(kindsCreateSsoToken)},
	{action: "DeactivateModule", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"DeactivateModule"}, "moduleType": {"registrar"}, "moduleName": {"enom"}}},
		v8: new(kindsDeactivateModule)},
	{action: "DecryptPassword", golden: "round-trip", steps: []url.Values{
		{"action": {"EncryptPassword"}, "password2": {"teststring"}},
		{"action": {"DecryptPassword"}, "password2": {"$password"}}},
		v8: new(kindsDecryptPassword)},
	{action: "DeleteClient", golden: "success", steps: []url.Values{
		{"action": {"DeleteClient"}, "clientid": {"1"}}},
		v8: new(kindsDeleteClient)},
	{action: "DeleteContact", fixtures: []string{"testdata/fixtures/clients.json"}, golden: "success", steps: []url.Values{
		{"action": {"DeleteContact"}, "contactid": {"1"}}},
		v8: new(kindsDeleteContact)},
	{action: "DeleteOAuthCredential", golden: "success", steps: []url.Values{
		{"action": {"DeleteOAuthCredential"}, "credentialId": {"1"}}},
		v8: new(kindsDeleteOAuthCredential)},
	{action: "DeleteOrder", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "fraud", steps: []url.Values{
		{"action": {"DeleteOrder"}, "orderid": {"1"}}},
		v8: new(kindsDeleteOrder)},
	{action: "DeleteTicket", golden: "success", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"AddTicketReply"}, "ticketid": {"1"}, "clientid": {"1"}, "message": {"m"}},
		{"action": {"DeleteTicket"}, "ticketid": {"1"}}},
		v8: new(kindsDeleteTicket)},
	{action: "EncryptPassword", golden: "success", steps: []url.Values{
		{"action": {"EncryptPassword"}, "password2": {"teststring"}}},
		v8: new(kindsEncryptPassword)},
	{action: "FraudOrder", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"FraudOrder"}, "orderid": {"2"}}},
		v8: new(kindsFraudOrder)},
	{action: "GetActivityLog", golden: "after-log", steps: []url.Values{
		{"action": {"LogActivity"}, "description": {"First entry"}},
		{"action": {"LogActivity"}, "clientid": {"1"}, "description": {"About client <1> & friends"}},
		{"action": {"LogActivity"}, "userid": {"2"}, "description": {"Legacy userid means clientid"}},
		{"action": {"GetActivityLog"}}},
		v8: new(kindsGetActivityLog), v7: new(kindsGetActivityLog7)},
	{action: "GetAdminDetails", golden: "success", steps: []url.Values{
		{"action": {"GetAdminDetails"}}},
		v8: new(kindsGetAdminDetails)},
	{action: "GetAdminUsers", golden: "success", steps: []url.Values{
		{"action": {"GetAdminUsers"}}},
		v8: new(kindsGetAdminUsers)},
	{action: "GetAffiliates", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetAffiliates"}}},
		v8: new(kindsGetAffiliates)},
	{action: "GetCancelledPackages", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetCancelledPackages"}}},
		v8: new(kindsGetCancelledPackages)},
	{action: "GetClientGroups", fixtures: []string{"testdata/fixtures/clients.json"}, golden: "success", steps: []url.Values{
		{"action": {"GetClientGroups"}}},
		v8: new(kindsGetClientGroups)},
	{action: "GetClients", golden: "default", steps: []url.Values{
		{"action": {"GetClients"}}},
		v8: new(kindsGetClients)},
	{action: "GetClientsAddons", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "by-client", steps: []url.Values{
		{"action": {"GetClientsAddons"}, "clientid": {"1"}}},
		v8: new(kindsGetClientsAddons), v7: new(kindsGetClientsAddons7)},
	{action: "GetClientsDetails", golden: "by-id-with-stats", steps: []url.Values{
		{"action": {"GetClientsDetails"}, "clientid": {"1"}, "stats": {"1"}}},
		v8: new(kindsGetClientsDetails), v7: new(kindsGetClientsDetails7)},
	{action: "GetClientsDomains", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetClientsDomains"}}},
		v8: new(kindsGetClientsDomains)},
	{action: "GetClientsProducts", golden: "all", steps: []url.Values{
		{"action": {"GetClientsProducts"}}},
		v8: new(kindsGetClientsProducts), v7: new(kindsGetClientsProducts7)},
	{action: "GetConfigurationValue", golden: "company-name-any-case", steps: []url.Values{
		{"action": {"GetConfigurationValue"}, "setting": {"companyname"}}},
		v8: new(kindsGetConfigurationValue)},
	{action: "GetContacts", fixtures: []string{"testdata/fixtures/clients.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetContacts"}}},
		v8: new(kindsGetContacts)},
	{action: "GetCredits", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "list", steps: []url.Values{
		{"action": {"GetCredits"}, "clientid": {"1"}}},
		v8: new(kindsGetCredits)},
	{action: "GetCurrencies", golden: "default", steps: []url.Values{
		{"action": {"GetCurrencies"}}},
		v8: new(kindsGetCurrencies)},
	{action: "GetHealthStatus", golden: "success", steps: []url.Values{
		{"action": {"GetHealthStatus"}, "fetchStatus": {"1"}}},
		v8: new(kindsGetHealthStatus)},
	{action: "GetInvoice", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "paid", steps: []url.Values{
		{"action": {"GetInvoice"}, "invoiceid": {"2"}}},
		v8: new(kindsGetInvoice)},
	{action: "GetInvoices", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetInvoices"}}},
		v8: new(kindsGetInvoices)},
	{action: "GetModuleConfigurationParameters", golden: "success", steps: []url.Values{
		{"action": {"GetModuleConfigurationParameters"}, "moduleType": {"gateway"}, "moduleName": {"paypal"}}},
		v8: new(kindsGetModuleConfigurationParameters)},
	{action: "GetModuleQueue", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetModuleQueue"}}},
		v8: new(kindsGetModuleQueue)},
	{action: "GetOrderStatuses", golden: "all", steps: []url.Values{
		{"action": {"GetOrderStatuses"}}},
		v8: new(kindsGetOrderStatuses)},
	{action: "GetOrders", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "all", steps: []url.Values{
		{"action": {"AddOrder"}, "clientid": {"1"}, "paymentmethod": {"paypal"}, "pid[]": {"1"}, "domain[]": {"new-site.example"}, "domaintype[]": {"register"}},
		{"action": {"GetOrders"}}},
		v8: new(kindsGetOrders)},
	{action: "GetPaymentMethods", golden: "default", steps: []url.Values{
		{"action": {"GetPaymentMethods"}}},
		v8: new(kindsGetPaymentMethods)},
	{action: "GetProducts", golden: "default", steps: []url.Values{
		{"action": {"GetProducts"}}},
		v8: new(kindsGetProducts), v7: new(kindsGetProducts7)},
	{action: "GetProject", fixtures: []string{"testdata/fixtures/projects.json"}, golden: "with-tasks", steps: []url.Values{
		{"action": {"GetProject"}, "projectid": {"1"}}},
		v8: new(kindsGetProject)},
	{action: "GetProjects", fixtures: []string{"testdata/fixtures/projects.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetProjects"}}},
		v8: new(kindsGetProjects)},
	{action: "GetPromotions", fixtures: []string{"testdata/golden/GetPromotions/fixture.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetPromotions"}}},
		v8: new(kindsGetPromotions)},
	{action: "GetServers", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "fetch-status", steps: []url.Values{
		{"action": {"GetServers"}, "serviceId": {"1"}, "fetchStatus": {"true"}}},
		v8: new(kindsGetServers)},
	{action: "GetSupportDepartments", golden: "default", steps: []url.Values{
		{"action": {"GetSupportDepartments"}}},
		v8: new(kindsGetSupportDepartments)},
	{action: "GetSupportStatuses", golden: "all", steps: []url.Values{
		{"action": {"GetSupportStatuses"}}},
		v8: new(kindsGetSupportStatuses)},
	{action: "GetTicket", golden: "by-ticketnum", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"AddTicketReply"}, "ticketid": {"1"}, "clientid": {"1"}, "message": {"Still broken."}, "created": {"2016-11-18 09:00:00"}},
		{"action": {"AddTicketReply"}, "ticketid": {"1"}, "adminusername": {"Demo Admin"}, "message": {"Fixed now."}},
		{"action": {"AddTicketNote"}, "ticketid": {"1"}, "message": {"Reset the password."}},
		{"action": {"GetTicket"}, "ticketid": {"1"}}},
		v8: new(kindsGetTicket), v7: new(kindsGetTicket7)},
	{action: "GetTickets", golden: "all", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"OpenTicket"}, "deptid": {"1"}, "name": {"Pat Guest"}, "email": {"pat@example.net"}, "subject": {"Invoice question"}, "message": {"Why two invoices?"}, "priority": {"Low"}},
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"2"}, "subject": {"Server down"}, "message": {"Nothing answers."}, "status": {"Closed"}, "created": {"2016-01-02 03:04:05"}},
		{"action": {"GetTickets"}}},
		v8: new(kindsGetTickets)},
	{action: "GetTransactions", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetTransactions"}}},
		v8: new(kindsGetTransactions)},
	{action: "GetUsers", golden: "all", steps: []url.Values{
		{"action": {"GetUsers"}}},
		v8: new(kindsGetUsers)},
	{action: "ListOAuthCredentials", golden: "all", steps: []url.Values{
		{"action": {"ListOAuthCredentials"}}},
		v8: new(kindsListOAuthCredentials)},
	{action: "LogActivity", golden: "success", steps: []url.Values{
		{"action": {"LogActivity"}, "clientid": {"1"}, "description": {"Integration test <started> & running"}}},
		v8: new(kindsLogActivity)},
	{action: "ModuleChangePackage", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"ModuleChangePackage"}, "serviceid": {"1"}}},
		v8: new(kindsModuleChangePackage)},
	{action: "ModuleChangePw", golden: "success", steps: []url.Values{
		{"action": {"ModuleChangePw"}, "serviceid": {"1"}, "servicepassword": {"N3w-Passw0rd"}}},
		v8: new(kindsModuleChangePw)},
	{action: "ModuleCreate", golden: "success", steps: []url.Values{
		{"action": {"UpdateClientProduct"}, "serviceid": {"3"}, "status": {"Pending"}},
		{"action": {"ModuleCreate"}, "serviceid": {"3"}}},
		v8: new(kindsModuleCreate)},
	{action: "ModuleCustom", golden: "success", steps: []url.Values{
		{"action": {"ModuleCustom"}, "serviceid": {"1"}, "func_name": {"reboot"}}},
		v8: new(kindsModuleCustom)},
	{action: "ModuleSuspend", golden: "success", steps: []url.Values{
		{"action": {"ModuleSuspend"}, "serviceid": {"1"}, "suspendreason": {"Overdue on payment"}}},
		v8: new(kindsModuleSuspend)},
	{action: "ModuleTerminate", golden: "success", steps: []url.Values{
		{"action": {"ModuleTerminate"}, "serviceid": {"2"}}},
		v8: new(kindsModuleTerminate)},
	{action: "ModuleUnsuspend", golden: "success", steps: []url.Values{
		{"action": {"ModuleSuspend"}, "serviceid": {"1"}, "suspendreason": {"Abuse"}},
		{"action": {"ModuleUnsuspend"}, "serviceid": {"1"}}},
		v8: new(kindsModuleUnsuspend)},
	{action: "OpenTicket", golden: "client", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}, "priority": {"high"}}},
		v8: new(kindsOpenTicket)},
	{action: "OrderFraudCheck", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "pass", steps: []url.Values{
		{"action": {"OrderFraudCheck"}, "orderid": {"1"}}},
		v8: new(kindsOrderFraudCheck)},
	{action: "PendingOrder", fixtures: []string{"testdata/fixtures/orders.json"}, golden: "success", steps: []url.Values{
		{"action": {"PendingOrder"}, "orderid": {"1"}}},
		v8: new(kindsPendingOrder)},
	// Local API only: over HTTP it answers "API Command Restricted to
	// Internal API" (TestKindsLocalOnly).
	{action: "SetConfigurationValue", golden: "local API", local: true, steps: []url.Values{
		{"action": {"SetConfigurationValue"}, "setting": {"CompanyName"}, "value": {"Kinds Hosting"}}},
		v8: new(kindsSetConfigurationValue)},
	{action: "UpdateClient", golden: "success", steps: []url.Values{
		{"action": {"UpdateClient"}, "clientid": {"2"}, "lastname": {"Roe-Smith"}}},
		v8: new(kindsUpdateClient)},
	{action: "UpdateClientAddon", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpdateClientAddon"}, "id": {"2"}, "status": {"active"}, "name": {"Premium Support"}, "setupfee": {"5"}, "recurring": {"12.5"}, "billingcycle": {"quarterly"}, "nextduedate": {"2017-01-02"}, "notes": {"Upgraded"}}},
		v8: new(kindsUpdateClientAddon)},
	{action: "UpdateClientProduct", golden: "success", steps: []url.Values{
		{"action": {"UpdateClientProduct"}, "serviceid": {"1"}, "domain": {"new-widgets.example"}}},
		v8: new(kindsUpdateClientProduct)},
	{action: "UpdateContact", fixtures: []string{"testdata/fixtures/clients.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpdateContact"}, "contactid": {"2"}, "city": {"Paris"}}},
		v8: new(kindsUpdateContact)},
	{action: "UpdateInvoice", fixtures: []string{"testdata/fixtures/billing.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpdateInvoice"}, "invoiceid": {"1"}, "status": {"Collections"}}},
		v8: new(kindsUpdateInvoice)},
	{action: "UpdateModuleConfiguration", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpdateModuleConfiguration"}, "moduleType": {"fraud"}, "moduleName": {"maxmind"}, "parameters[licenseKey]": {"new-licence"}}},
		v8: new(kindsUpdateModuleConfiguration)},
	{action: "UpdateOAuthCredential", golden: "by-client-api-identifier", steps: []url.Values{
		{"action": {"UpdateOAuthCredential"}, "clientApiIdentifier": {"DEMO-HOSTING.c2VlZC1pZGVudGlmaWVyMQ=="}, "logoUri": {"https://app.example/new-logo.png"}}},
		v8: new(kindsUpdateOAuthCredential)},
	{action: "UpdateProject", fixtures: []string{"testdata/fixtures/projects.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpdateProject"}, "projectid": {"1"}, "title": {"Website Redesign v2"}, "status": {"Completed"}, "completed": {"1"}, "notes": {"Done"}, "duedate": {"2016-12-15"}}},
		v8: new(kindsUpdateProject)},
	{action: "UpdateTicket", golden: "success", steps: []url.Values{
		{"action": {"OpenTicket"}, "deptid": {"1"}, "clientid": {"1"}, "subject": {"Cannot log in"}, "message": {"My password stopped working."}},
		{"action": {"UpdateTicket"}, "ticketid": {"1"}, "status": {"answered"}, "priority": {"HIGH"}, "subject": {"Login fixed"}, "cc": {"boss@example.com"}, "flag": {"1"}}},
		v8: new(kindsUpdateTicket)},
	{action: "UpdateUser", golden: "success", steps: []url.Values{
		{"action": {"UpdateUser"}, "user_id": {"1"}, "firstname": {"Janet"}, "language": {"german"}}},
		v8: new(kindsUpdateUser)},
	{action: "UpgradeProduct", fixtures: []string{"testdata/fixtures/modules.json"}, golden: "success", steps: []url.Values{
		{"action": {"UpgradeProduct"}, "serviceid": {"1"}, "type": {"product"}, "newproductid": {"2"}, "newproductbillingcycle": {"monthly"}, "paymentmethod": {"paypal"}}},
		v8: new(kindsUpgradeProduct)},
	{action: "ValidateLogin", golden: "success", steps: []url.Values{
		{"action": {"ValidateLogin"}, "email": {"jane@example.com"}, "password2": {"jane-password"}}},
		v8: new(kindsValidateLogin)},
	{action: "WhmcsDetails", golden: "success", steps: []url.Values{
		{"action": {"WhmcsDetails"}}},
		v8: new(kindsWhmcsDetails)},
	// System tools and email (actions/system_tools.go, system_stats.go,
	// email_send.go)
	{action: "SendEmail", golden: "template", steps: []url.Values{
		{"action": {"SendEmail"}, "messagename": {"Client Signup Email"}, "id": {"1"}}},
		v8: new(kindsResultOnly)},
	{action: "SendAdminEmail", golden: "custom", steps: []url.Values{
		{"action": {"SendAdminEmail"}, "customsubject": {"Disk space on {$server}"}, "custommessage": {"<p>{$server} is at {$percent}%.</p>"}, "mergefields[server]": {"web1"}, "mergefields[percent]": {"91"}, "type": {"system"}}},
		v8: new(kindsResultOnly)},
	{action: "GetEmails", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "after-send", steps: []url.Values{
		{"action": {"SendEmail"}, "messagename": {"Client Signup Email"}, "id": {"1"}},
		{"action": {"GetEmails"}, "clientid": {"1"}}},
		v8: new(kindsGetEmails)},
	{action: "GetEmailTemplates", golden: "all", steps: []url.Values{
		{"action": {"GetEmailTemplates"}}},
		v8: new(kindsGetEmailTemplates)},
	{action: "AddBannedIp", golden: "days", steps: []url.Values{
		{"action": {"AddBannedIp"}, "ip": {"203.0.113.9"}, "reason": {"Brute force"}, "days": {"7"}}},
		v8: new(kindsAddBannedIp)},
	{action: "GetAutomationLog", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "range", steps: []url.Values{
		{"action": {"GetAutomationLog"}, "startdate": {"2016-11-01"}, "enddate": {"2016-11-30"}}},
		v8: new(kindsGetAutomationLog)},
	{action: "GetStats", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "timeline", steps: []url.Values{
		{"action": {"GetStats"}, "timeline_days": {"3"}}},
		v8: new(kindsGetStats)},
	{action: "GetStaffOnline", golden: "caller", steps: []url.Values{
		{"action": {"GetStaffOnline"}}},
		v8: new(kindsGetStaffOnline)},
	{action: "GetToDoItems", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "all", steps: []url.Values{
		{"action": {"GetToDoItems"}}},
		v8: new(kindsGetToDoItems)},
	{action: "GetToDoItemStatuses", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "counts", steps: []url.Values{
		{"action": {"GetToDoItemStatuses"}}},
		v8: new(kindsGetToDoItemStatuses)},
	{action: "UpdateToDoItem", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "updated", steps: []url.Values{
		{"action": {"UpdateToDoItem"}, "itemid": {"3"}, "adminid": {"1"}, "status": {"Completed"}}},
		v8: new(kindsUpdateToDoItem)},
	{action: "UpdateAdminNotes", golden: "success", steps: []url.Values{
		{"action": {"UpdateAdminNotes"}, "notes": {"Renew <the> certificate & call Jane"}}},
		v8: new(kindsResultOnly)},
	{action: "TriggerNotificationEvent", golden: "success", steps: []url.Values{
		{"action": {"TriggerNotificationEvent"}, "notification_identifier": {"backup.failed"}, "title": {"Backup failed"}, "message": {"The nightly backup did not finish"}, "statusStyle": {"danger"}, "attributes[0][label]": {"Server"}, "attributes[0][value]": {"web1"}}},
		v8: new(kindsResultOnly)},
	{action: "GetClientPassword", fixtures: []string{"testdata/fixtures/system-tools.json"}, golden: "by-id", steps: []url.Values{
		{"action": {"GetClientPassword"}, "userid": {"5"}}},
		v8: new(kindsGetClientPassword)},
}

// TestKinds runs the cases in groups that share fixtures and a version,
// one emulator per group, reset between cases: starting an emulator cost
// more than most cases.
func TestKinds(t *testing.T) {
	clock := time.Date(2016, 11, 18, 9, 32, 24, 0, time.UTC)
	type group struct {
		opts  []whmcstest.Option
		cases []kindsCase
	}
	groups := map[string]*group{}
	var names []string
	versions := []string{"8", "7"}
	if raceEnabled {
		// Under the race detector (tenfold slower SQLite) the 8.x groups
		// only, over HTTP only: the kinds are the plain run's to check, the
		// detector's job is the paths, which both versions share.
		versions = versions[:1]
	}
	for _, c := range kindsCases {
		for _, version := range versions {
			opts := []whmcstest.Option{whmcstest.WithClock(clock), whmcstest.WithSeed(1), whmcstest.WithoutSocket(),
				whmcstest.WithFixtureFile(filepath.Join("testdata", "fixtures", "demo.json"))}
			name := "v" + version
			for _, f := range c.fixtures {
				opts = append(opts, whmcstest.WithFixtureFile(f))
				name += "+" + strings.TrimSuffix(filepath.Base(f), ".json")
			}
			if version == "7" {
				opts = append(opts, whmcstest.WithFixtureFile(filepath.Join("testdata", "fixtures", "version-7.json")))
			}
			g := groups[name]
			if g == nil {
				g = &group{opts: opts}
				groups[name] = g
				names = append(names, name)
			}
			g.cases = append(g.cases, c)
		}
	}
	for _, name := range names {
		g := groups[name]
		v7 := strings.HasPrefix(name, "v7")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := whmcstest.NewServer(t, g.opts...)
			for i, c := range g.cases {
				if i > 0 {
					s.Reset()
				}
				want := c.v8
				if v7 && c.v7 != nil {
					want = c.v7
				}
				t.Run(c.action+"/"+c.golden, func(t *testing.T) {
					if !c.local {
						checkKinds(t, "HTTP", kindsHTTP(t, s, c.steps), want)
						if raceEnabled {
							return
						}
						s.Reset()
					}
					checkKinds(t, "local API", kindsLocal(t, s, c.steps), want)
				})
			}
		})
	}
}

// Every emulated action has a case.
func TestKindsCoverEveryAction(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range kindsCases {
		covered[c.action] = true
	}
	for _, e := range actions.Catalog() {
		if e.Emulated {
			assert.True(t, covered[e.Name], "no kinds case for %s", e.Name)
		}
	}
}

// SetConfigurationValue over HTTP: WHMCS's error, in either version.
func TestKindsLocalOnly(t *testing.T) {
	for _, version := range []string{"demo.json", "version-7.json"} {
		s := whmcstest.NewServer(t, whmcstest.WithoutSocket(),
			whmcstest.WithFixtureFile(filepath.Join("testdata", "fixtures", "demo.json")),
			whmcstest.WithFixtureFile(filepath.Join("testdata", "fixtures", version)))
		body := kindsHTTP(t, s, []url.Values{{"action": {"SetConfigurationValue"}, "setting": {"CompanyName"}, "value": {"X"}}})
		assert.JSONEq(t, `{"result":"error","message":"API Command Restricted to Internal API"}`, string(body), version)
	}
}

// kindsHTTP runs the steps over HTTP with responsetype=json and returns
// the last answer.
func kindsHTTP(t *testing.T, s *whmcstest.Server, steps []url.Values) []byte {
	t.Helper()
	var last []byte
	for _, step := range steps {
		form := kindsStep(step, last)
		if form.Get("identifier") == "" {
			form.Set("identifier", s.Identifier)
			form.Set("secret", s.Secret)
		}
		form.Set("responsetype", "json")
		resp, err := s.Client().PostForm(s.APIURL(), form)
		require.NoError(t, err)
		last, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		require.NoError(t, err)
	}
	return last
}

// kindsLocal runs the steps through the local API and returns the last
// result's JSON, checking that Result.Decode reads it too.
func kindsLocal(t *testing.T, s *whmcstest.Server, steps []url.Values) []byte {
	t.Helper()
	var last []byte
	for _, step := range steps {
		params := kindsStep(step, last)
		action := params.Get("action")
		for _, k := range []string{"action", "identifier", "secret", "responsetype"} {
			params.Del(k)
		}
		res := s.Call(action, params)
		last = res.JSON()
		var any map[string]any
		require.NoError(t, res.Decode(&any))
	}
	return last
}

// kindsStep is a step's form, with "$password" replaced by the previous
// answer's password.
func kindsStep(step url.Values, prev []byte) url.Values {
	form := url.Values{}
	for k, vs := range step {
		for _, v := range vs {
			if v == "$password" {
				var p struct{ Password string }
				_ = json.Unmarshal(prev, &p)
				v = p.Password
			}
			form.Add(k, v)
		}
	}
	return form
}

// checkKinds decodes body into a new value of want's type with a strict
// decoder (exact Go types), then walks it against want's type: every key
// the struct names must be there (but omitempty ones and kindsAbsent),
// kindsAbsent keys must not, and only pointers and kindsNull may be null.
func checkKinds(t *testing.T, via string, body []byte, want any) {
	t.Helper()
	typ := reflect.TypeOf(want).Elem()
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(reflect.New(typ).Interface()); err != nil {
		t.Errorf("%s: %v", via, err)
	}
	var raw any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	require.NoError(t, d.Decode(&raw))
	for _, p := range kindsWalk(typ, raw, "") {
		t.Errorf("%s: %s\n%s", via, p, body)
	}
}

var (
	kindsAbsentType = reflect.TypeFor[kindsAbsent]()
	kindsNullType   = reflect.TypeFor[kindsNull]()
	kindsRawType    = reflect.TypeFor[json.RawMessage]()
)

// kindsWalk lists where the JSON value v does not have the kinds of typ.
func kindsWalk(typ reflect.Type, v any, path string) []string {
	if path == "" {
		path = "."
	}
	bad := func(want string) []string {
		return []string{fmt.Sprintf("%s: want %s, got %s", path, want, kindsOf(v))}
	}
	switch {
	case typ == kindsNullType:
		if v != nil {
			return bad("null")
		}
		return nil
	case typ == kindsRawType, typ.Kind() == reflect.Interface:
		return nil
	case typ.Kind() == reflect.Pointer:
		if v == nil {
			return nil
		}
		return kindsWalk(typ.Elem(), v, path)
	}
	switch typ.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return bad("string")
		}
	case reflect.Int, reflect.Int64, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			return bad("number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return bad("bool")
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			return bad("list")
		}
		var out []string
		for i, item := range list {
			out = append(out, kindsWalk(typ.Elem(), item, fmt.Sprintf("%s[%d]", strings.TrimSuffix(path, "."), i))...)
		}
		return out
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("object")
		}
		var out []string
		for k, item := range obj {
			out = append(out, kindsWalk(typ.Elem(), item, strings.TrimSuffix(path, ".")+"."+k)...)
		}
		return out
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad("object")
		}
		var out []string
		for _, f := range kindsFields(typ) {
			item, present := obj[f.name]
			at := strings.TrimSuffix(path, ".") + "." + f.name
			switch {
			case f.typ == kindsAbsentType:
				if present {
					out = append(out, at+": must be absent")
				}
			case !present:
				if !f.optional {
					out = append(out, at+": missing")
				}
			default:
				out = append(out, kindsWalk(f.typ, item, at)...)
			}
		}
		return out
	}
	return nil
}

type kindsField struct {
	name     string
	typ      reflect.Type
	optional bool // omitempty
}

// kindsFields lists a struct's keys as encoding/json reads them: the
// fields of an embedded struct in its place, a shallower field winning
// over an embedded one of the same name.
func kindsFields(typ reflect.Type) []kindsField {
	var out []kindsField
	seen := map[string]bool{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			continue
		}
		seen[name] = true
		out = append(out, kindsField{name, f.Type, opts == "omitempty"})
	}
	for i := range typ.NumField() {
		if f := typ.Field(i); f.Anonymous && f.Tag.Get("json") == "" {
			for _, ef := range kindsFields(f.Type) {
				if !seen[ef.name] {
					seen[ef.name] = true
					out = append(out, ef)
				}
			}
		}
	}
	return out
}

func kindsOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "list"
	}
	return "object"
}
