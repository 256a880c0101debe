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
// responsetype is sent (WHMCS-COMPAT.md §3); every other action defaults to NVP.
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

// documented lists every action in WHMCS's API reference, so an action that
// WHMCS has but whmcsemu does not emulate yet can be told from a typo.
var documented = setOf(
	"AcceptOrder", "AcceptQuote", "ActivateModule", "AddAnnouncement", "AddBannedIp",
	"AddBillableItem", "AddCancelRequest", "AddClient", "AddClientNote", "AddContact", "AddCredit",
	"AddInvoicePayment", "AddOrder", "AddPayMethod", "AddProduct", "AddProjectMessage",
	"AddProjectTask", "AddTicketNote", "AddTicketReply", "AddTransaction", "AddUser",
	"AffiliateActivate", "ApplyCredit", "BlockTicketSender", "CancelOrder", "CapturePayment",
	"CloseClient", "CreateClientInvite", "CreateInvoice", "CreateOAuthCredential",
	"CreateOrUpdateTLD", "CreateProject", "CreateQuote", "CreateSsoToken", "DeactivateModule",
	"DecryptPassword", "DeleteAnnouncement", "DeleteClient", "DeleteContact",
	"DeleteOAuthCredential", "DeleteOrder", "DeletePayMethod", "DeleteProjectTask", "DeleteQuote",
	"DeleteTicket", "DeleteTicketNote", "DeleteTicketReply", "DeleteUserClient",
	"DomainGetLockingStatus", "DomainGetNameservers", "DomainGetWhoisInfo", "DomainRegister",
	"DomainRelease", "DomainRenew", "DomainRequestEPP", "DomainToggleIdProtect", "DomainTransfer",
	"DomainUpdateLockingStatus", "DomainUpdateNameservers", "DomainUpdateWhoisInfo", "DomainWhois",
	"EncryptPassword", "EndTaskTimer", "FraudOrder", "GenInvoices", "GetActivityLog",
	"GetAdminDetails", "GetAdminUsers", "GetAffiliates", "GetAnnouncements", "GetAutomationLog",
	"GetCancelledPackages", "GetClientGroups", "GetClientPassword", "GetClients",
	"GetClientsAddons", "GetClientsDetails", "GetClientsDomains", "GetClientsProducts",
	"GetConfigurationValue", "GetContacts", "GetCredits", "GetCurrencies", "GetEmails",
	"GetEmailTemplates", "GetHealthStatus", "GetInvoice", "GetInvoices",
	"GetModuleConfigurationParameters", "GetModuleQueue", "GetOrders", "GetOrderStatuses",
	"GetPaymentMethods", "GetPayMethods", "GetPermissionsList", "GetProducts", "GetProject",
	"GetProjects", "GetPromotions", "GetQuotes", "GetRegistrars", "GetServers", "GetStaffOnline",
	"GetStats", "GetSupportDepartments", "GetSupportStatuses", "GetTicket", "GetTicketAttachment",
	"GetTicketCounts", "GetTicketNotes", "GetTicketPredefinedCats", "GetTicketPredefinedReplies",
	"GetTickets", "GetTLDPricing", "GetToDoItems", "GetToDoItemStatuses", "GetTransactions",
	"GetUserPermissions", "GetUsers", "ListOAuthCredentials", "LogActivity", "MergeTicket",
	"ModuleChangePackage", "ModuleChangePw", "ModuleCreate", "ModuleCustom", "ModuleSuspend",
	"ModuleTerminate", "ModuleUnsuspend", "OpenTicket", "OrderFraudCheck", "PendingOrder",
	"ResetPassword", "SendAdminEmail", "SendEmail", "SendQuote", "SetConfigurationValue",
	"StartTaskTimer", "TriggerNotificationEvent", "UpdateAdminNotes", "UpdateAnnouncement",
	"UpdateClient", "UpdateClientAddon", "UpdateClientDomain", "UpdateClientProduct",
	"UpdateContact", "UpdateInvoice", "UpdateModuleConfiguration", "UpdateOAuthCredential",
	"UpdatePayMethod", "UpdateProject", "UpdateProjectTask", "UpdateQuote", "UpdateTicket",
	"UpdateTicketReply", "UpdateToDoItem", "UpdateTransaction", "UpdateUser",
	"UpdateUserPermissions", "UpgradeProduct", "ValidateLogin", "WhmcsDetails",
)

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
