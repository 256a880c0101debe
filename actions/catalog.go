package actions

import "strings"

// Normalize turns an action name as sent into the form WHMCS matches on:
// lower case, with everything but letters and digits dropped.
func Normalize(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		}
	}
	return b.String()
}

// aliases are other names WHMCS accepts for an action (normalised).
var aliases = map[string]string{
	"getclientsdata":        "getclientsdetails",
	"getclientsdatabyemail": "getclientsdetails",
}

// structured lists the actions whose answer defaults to XML when no
// responsetype is sent (WHMCS's documented rule); every other action defaults to NVP.
var structured = setOf(
	"DomainGetWhoisInfo", "GetActivityLog", "GetAffiliates", "GetAnnouncements",
	"GetCancelledPackages", "GetClientGroups", "GetClients", "GetClientsAddons",
	"GetClientsDomains", "GetClientsProducts", "GetContacts", "GetCredits", "GetCurrencies",
	"GetEmails", "GetEmailTemplates", "GetInvoice", "GetInvoices", "GetModuleQueue",
	"GetOrders", "GetOrderStatuses", "GetPaymentMethods", "GetProducts", "GetProject",
	"GetProjects", "GetPromotions", "GetQuotes", "GetStaffOnline", "GetSupportDepartments",
	"GetSupportStatuses", "GetTicket", "GetTicketNotes", "GetTicketPredefinedCats",
	"GetTicketPredefinedReplies", "GetTickets", "GetTodoItems", "GetTodoItemStatuses",
	"GetTransactions", "OrderFraudCheck",
)

// localOnly lists the actions WHMCS runs through the local API only: over
// HTTP they answer "API Command Restricted to Internal API". WHMCS
// restricts SetConfigurationValue alone (its reference: "via the local API
// only"; the message is what a live client tested against WHMCS 8 reads).
var localOnly = setOf("SetConfigurationValue")

// LocalOnly reports whether a documented action runs through the local API
// only.
func LocalOnly(normalized string) bool { return localOnly[Canonical(normalized)] }

// LocalOnlyMessage is the error an action restricted to the local API
// answers over HTTP.
const LocalOnlyMessage = "API Command Restricted to Internal API"

// categories lists every action in WHMCS's API reference, by the
// reference's categories, so an action WHMCS has but whmcsemu does not
// emulate yet can be told from a typo, and `whmcsemu actions` can list them.
var categories = []struct {
	Name    string
	Actions []string
}{
	{"Addons", []string{
		"UpdateClientAddon",
	}},
	{"Affiliates", []string{
		"AffiliateActivate", "GetAffiliates",
	}},
	{"Authentication", []string{
		"CreateOAuthCredential", "CreateSsoToken", "DeleteOAuthCredential", "ListOAuthCredentials",
		"UpdateOAuthCredential", "ValidateLogin",
	}},
	{"Billing", []string{
		"AcceptQuote", "AddBillableItem", "AddCredit", "AddInvoicePayment", "AddPayMethod",
		"AddTransaction", "ApplyCredit", "CapturePayment", "CreateInvoice", "CreateQuote",
		"DeletePayMethod", "DeleteQuote", "GenInvoices", "GetCredits", "GetInvoice", "GetInvoices",
		"GetPayMethods", "GetQuotes", "GetTransactions", "SendQuote", "UpdateInvoice", "UpdatePayMethod",
		"UpdateQuote", "UpdateTransaction",
	}},
	{"Client", []string{
		"AddClient", "AddContact", "CloseClient", "DeleteClient", "DeleteContact", "GetCancelledPackages",
		"GetClientGroups", "GetClientPassword", "GetClients", "GetClientsAddons", "GetClientsDetails",
		"GetClientsDomains", "GetClientsProducts", "GetContacts", "GetEmails", "UpdateClient",
		"UpdateContact",
	}},
	{"Domains", []string{
		"CreateOrUpdateTLD", "DomainGetLockingStatus", "DomainGetNameservers", "DomainGetWhoisInfo",
		"DomainRegister", "DomainRelease", "DomainRenew", "DomainRequestEPP", "DomainToggleIdProtect",
		"DomainTransfer", "DomainUpdateLockingStatus", "DomainUpdateNameservers", "DomainUpdateWhoisInfo",
		"DomainWhois", "GetRegistrars", "GetTLDPricing", "UpdateClientDomain",
	}},
	{"Module", []string{
		"ActivateModule", "DeactivateModule", "GetModuleConfigurationParameters", "GetModuleQueue",
		"UpdateModuleConfiguration",
	}},
	{"Orders", []string{
		"AcceptOrder", "AddOrder", "CancelOrder", "DeleteOrder", "FraudOrder", "GetOrderStatuses",
		"GetOrders", "GetProducts", "GetPromotions", "OrderFraudCheck", "PendingOrder",
	}},
	{"Products", []string{
		"AddProduct",
	}},
	{"Project Management", []string{
		"AddProjectMessage", "AddProjectTask", "AddUser", "CreateClientInvite", "CreateProject",
		"DeleteProjectTask", "DeleteUserClient", "EndTaskTimer", "GetPermissionsList", "GetProject",
		"GetProjects", "GetUserPermissions", "GetUsers", "ResetPassword", "StartTaskTimer", "UpdateProject",
		"UpdateProjectTask", "UpdateUser", "UpdateUserPermissions",
	}},
	{"Servers", []string{
		"GetHealthStatus", "GetServers",
	}},
	{"Service", []string{
		"ModuleChangePackage", "ModuleChangePw", "ModuleCreate", "ModuleCustom", "ModuleSuspend",
		"ModuleTerminate", "ModuleUnsuspend", "UpdateClientProduct", "UpgradeProduct",
	}},
	{"Support", []string{
		"AddAnnouncement", "AddCancelRequest", "AddClientNote", "AddTicketNote", "AddTicketReply",
		"BlockTicketSender", "DeleteAnnouncement", "DeleteTicket", "DeleteTicketNote", "DeleteTicketReply",
		"GetAnnouncements", "MergeTicket", "OpenTicket", "UpdateTicket", "UpdateTicketReply",
	}},
	{"System", []string{
		"AddBannedIp", "DecryptPassword", "EncryptPassword", "GetActivityLog", "GetAdminDetails",
		"GetAdminUsers", "GetAutomationLog", "GetConfigurationValue", "GetCurrencies", "GetEmailTemplates",
		"GetPaymentMethods", "GetStaffOnline", "GetStats", "GetToDoItemStatuses", "GetToDoItems",
		"LogActivity", "SendAdminEmail", "SendEmail", "SetConfigurationValue", "TriggerNotificationEvent",
		"UpdateAdminNotes", "UpdateAnnouncement", "UpdateToDoItem", "WhmcsDetails",
	}},
	{"Tickets", []string{
		"GetSupportDepartments", "GetSupportStatuses", "GetTicket", "GetTicketAttachment",
		"GetTicketCounts", "GetTicketNotes", "GetTicketPredefinedCats", "GetTicketPredefinedReplies",
		"GetTickets",
	}},
}

// documented holds the normalised names of every documented action.
var documented = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range categories {
		for _, a := range c.Actions {
			m[Normalize(a)] = true
		}
	}
	return m
}()

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[Normalize(n)] = true
	}
	return m
}

// Documented reports whether WHMCS documents the (normalised) action name,
// counting aliases.
func Documented(normalized string) bool {
	if to, ok := aliases[normalized]; ok {
		normalized = to
	}
	return documented[normalized]
}

// Canonical resolves an alias to the action it stands for.
func Canonical(normalized string) string {
	if to, ok := aliases[normalized]; ok {
		return to
	}
	return normalized
}

// Structured reports whether a documented action answers in XML when no
// response type is asked for (and refuses NVP).
func Structured(normalized string) bool { return structured[Canonical(normalized)] }

// Key is the form in which action names are compared, in roles and
// requests alike: normalised, with aliases resolved.
func Key(name string) string { return Canonical(Normalize(name)) }

// CatalogEntry is one documented action and whether whmcsemu emulates it.
type CatalogEntry struct {
	Category string
	Name     string
	Emulated bool
}

// Catalog lists every documented action by category, then name.
func Catalog() []CatalogEntry {
	var out []CatalogEntry
	for _, c := range categories {
		for _, name := range c.Actions {
			_, emulated := table[Normalize(name)]
			out = append(out, CatalogEntry{Category: c.Name, Name: name, Emulated: emulated})
		}
	}
	return out
}
