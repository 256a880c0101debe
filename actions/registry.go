// Package actions holds the WHMCS API actions whmcsemu emulates: one request
// struct and one handler per action, grouped in files by WHMCS category, and
// the static table that finds them by name. It knows no net/http: a handler
// sees a context, the Env and its decoded parameters, so the same code serves
// the HTTP endpoint, the local API and tests.
package actions

import (
	"context"
	"errors"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/schema"
)

// Action is one API action.
type Action struct {
	Name string // as WHMCS documents it, e.g. "CreateOAuthCredential"
	run  func(ctx context.Context, env *Env, params url.Values) (any, error)
	// params are the parameter names its request struct reads, for tests
	// that sweep every action with hostile values.
	params []string
}

// Params returns the parameter names the action's request struct reads
// (actions that also read free-form keys, such as itemdescription[12],
// read more).
func (a *Action) Params() []string { return slices.Clone(a.params) }

// paramNames lists the schema tags of a request struct.
func paramNames[Req any]() []string { return appendParamNames(nil, reflect.TypeFor[Req]()) }

// appendParamNames appends the schema tags of struct t, those of a struct
// it embeds without a tag in its place, as the decoder reads them.
func appendParamNames(names []string, t reflect.Type) []string {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("schema"), ",")
		switch {
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			names = appendParamNames(names, f.Type)
		case name != "" && name != "-":
			names = append(names, name)
		}
	}
	return names
}

// Run decodes params into the action's request and runs its handler. The
// result is a response struct that embeds success first, which Run marks
// "success" here, the one place every action passes. A parameter longer
// than MaxParamBytes is refused before anything runs, and then an action
// restricted to the local API (LocalOnly) called over HTTP.
func (a *Action) Run(ctx context.Context, env *Env, params url.Values) (any, error) {
	if err := checkParamSizes(params); err != nil {
		return nil, err
	}
	if LocalOnly(Normalize(a.Name)) && !CallerFrom(ctx).Local {
		return nil, Errorf(LocalOnlyMessage)
	}
	res, err := a.run(ctx, env, params)
	if s, ok := res.(succeeder); ok && err == nil {
		s.succeed()
	}
	return res, err
}

// MaxParamBytes is the most bytes one parameter value may hold: 65,535,
// what a MySQL TEXT column holds, the largest column WHMCS keeps request
// text in (ticket messages, notes, descriptions; its names, emails and
// other short fields are TEXT or smaller). A longer value could never be
// stored by WHMCS (MySQL refuses it in strict mode and cuts it otherwise),
// so it is refused here, for every action in one place, before it can
// make a database row larger than WHMCS's could be.
const MaxParamBytes = 65535

// unlimitedParams are the parameters MaxParamBytes does not apply to:
// attachments (OpenTicket, AddTicketReply, AddTicketNote) carry base64
// files, which WHMCS keeps as files rather than in a column; the request
// size limit bounds them, and whmcsemu keeps them with their post
// (actions/ticket_attachments.go).
var unlimitedParams = map[string]bool{"attachments": true}

// ParamUnlimited reports whether MaxParamBytes spares a parameter.
func ParamUnlimited(name string) bool { return unlimitedParams[name] }

// checkParamSizes refuses params when a value is over MaxParamBytes,
// naming the first such parameter in key order (so the answer does not
// depend on map order).
func checkParamSizes(params url.Values) error {
	over, size := "", 0
	for key, values := range params {
		if base, _, _ := strings.Cut(key, "["); unlimitedParams[base] {
			continue
		}
		for _, v := range values {
			if len(v) > MaxParamBytes && (over == "" || key < over) {
				over, size = key, len(v)
			}
		}
	}
	if over == "" {
		return nil
	}
	if len(over) > 100 {
		over = over[:100] + "…"
	}
	return Errorf("%q is too long (%d bytes): WHMCS stores at most %d bytes in it", over, size, MaxParamBytes)
}

// handle makes an Action from a typed handler. Req is decoded from the
// parameters by the shared decoder (struct tags `schema:"name"`).
func handle[Req any](name string, h func(context.Context, *Env, *Req) (any, error)) *Action {
	return &Action{
		Name:   name,
		params: paramNames[Req](),
		run: func(ctx context.Context, env *Env, params url.Values) (any, error) {
			req := new(Req)
			// With IgnoreUnknownKeys and converters that accept any text the
			// way PHP does, decoding cannot fail on a value; what remains are
			// odd keys (a.b.c paths), which WHMCS ignores too.
			_ = decoder.Decode(req, params)
			return h(ctx, env, req)
		},
	}
}

// table is every emulated action, by normalised name.
var table = index(
	handle("CreateOAuthCredential", createOAuthCredential),
	handle("ListOAuthCredentials", listOAuthCredentials),
	handle("UpdateOAuthCredential", updateOAuthCredential),
	handle("DeleteOAuthCredential", deleteOAuthCredential),
	handle("CreateSsoToken", createSsoToken),
	handle("ValidateLogin", validateLogin),
	// Client (actions/clients.go, actions/contacts.go)
	handle("AddClient", addClient),
	handle("GetClientsDetails", getClientsDetails),
	handle("GetClients", getClients),
	handle("UpdateClient", updateClient),
	handle("CloseClient", closeClient),
	handle("DeleteClient", deleteClient),
	handle("AddClientNote", addClientNote),
	handle("GetClientGroups", getClientGroups),
	handle("AddContact", addContact),
	handle("GetContacts", getContacts),
	handle("UpdateContact", updateContact),
	handle("DeleteContact", deleteContact),
	// Reference data (actions/reference.go)
	handle("GetCurrencies", getCurrencies),
	handle("GetPaymentMethods", getPaymentMethods),
	handle("GetOrderStatuses", getOrderStatuses),
	handle("GetSupportDepartments", getSupportDepartments),
	handle("GetSupportStatuses", getSupportStatuses),
	handle("GetPromotions", getPromotions),
	// Services (actions/services.go)
	handle("GetClientsProducts", getClientsProducts),
	handle("ModuleSuspend", moduleSuspendAction),
	handle("ModuleUnsuspend", moduleUnsuspendAction),
	handle("ModuleTerminate", moduleTerminateAction),
	handle("ModuleCreate", moduleCreateAction),
	handle("UpdateClientProduct", updateClientProduct),
	// Modules, servers, addons, affiliates, cancellations, upgrades
	// (actions/modules.go, services_module.go, upgrades.go, servers.go,
	// orders_fraud.go, addons.go, affiliates.go, cancellations.go)
	handleParams("ActivateModule", activateModule),
	handle("DeactivateModule", deactivateModule),
	handle("GetModuleConfigurationParameters", getModuleConfigurationParameters),
	handleParams("UpdateModuleConfiguration", updateModuleConfiguration),
	handle("GetModuleQueue", getModuleQueue),
	handle("ModuleChangePackage", moduleChangePackageAction),
	handle("ModuleChangePw", moduleChangePwAction),
	handle("ModuleCustom", moduleCustomAction),
	handle("UpgradeProduct", upgradeProduct),
	handle("GetServers", getServers),
	handle("FraudOrder", fraudOrder),
	handle("OrderFraudCheck", orderFraudCheck),
	handle("UpdateClientAddon", updateClientAddon),
	handle("GetClientsAddons", getClientsAddons),
	handle("AffiliateActivate", affiliateActivate),
	handle("GetAffiliates", getAffiliates),
	handle("AddCancelRequest", addCancelRequest),
	handle("GetCancelledPackages", getCancelledPackages),
	// Products (actions/products.go)
	handle("GetProducts", getProducts),
	handleParams("AddProduct", addProduct),
	// Support tickets (actions/tickets.go)
	handle("OpenTicket", openTicket),
	handle("GetTicket", getTicket),
	handle("GetTickets", getTickets),
	handle("AddTicketReply", addTicketReply),
	handle("AddTicketNote", addTicketNote),
	handle("UpdateTicket", updateTicket),
	handle("DeleteTicket", deleteTicket),
	// More ticket actions (actions/tickets_more.go) and announcements (actions/announcements.go)
	handle("GetTicketAttachment", getTicketAttachment),
	handle("GetTicketCounts", getTicketCounts),
	handle("GetTicketNotes", getTicketNotes),
	handle("GetTicketPredefinedCats", getTicketPredefinedCats),
	handle("GetTicketPredefinedReplies", getTicketPredefinedReplies),
	handle("UpdateTicketReply", updateTicketReply),
	handle("DeleteTicketReply", deleteTicketReply),
	handle("DeleteTicketNote", deleteTicketNote),
	handle("MergeTicket", mergeTicket),
	handle("BlockTicketSender", blockTicketSender),
	handle("AddAnnouncement", addAnnouncement),
	handle("GetAnnouncements", getAnnouncements),
	handle("UpdateAnnouncement", updateAnnouncement),
	handle("DeleteAnnouncement", deleteAnnouncement),
	// Orders (actions/orders.go) and GetClientsDomains (actions/domains.go)
	handleParams("AddOrder", addOrder),
	handle("AcceptOrder", acceptOrder),
	handle("PendingOrder", pendingOrder),
	handle("CancelOrder", cancelOrder),
	handle("DeleteOrder", deleteOrder),
	handle("GetOrders", getOrders),
	handle("GetClientsDomains", getClientsDomains),
	// Domains (actions/domains_registrar.go, domains_whois.go, domains_tld.go, domains_update.go)
	handle("DomainRegister", domainRegister),
	handle("DomainTransfer", domainTransfer),
	handle("DomainRenew", domainRenew),
	handle("DomainRelease", domainRelease),
	handle("DomainGetNameservers", domainGetNameservers),
	handle("DomainUpdateNameservers", domainUpdateNameservers),
	handle("DomainGetLockingStatus", domainGetLockingStatus),
	handle("DomainUpdateLockingStatus", domainUpdateLockingStatus),
	handle("DomainGetWhoisInfo", domainGetWhoisInfo),
	handle("DomainUpdateWhoisInfo", domainUpdateWhoisInfo),
	handle("DomainRequestEPP", domainRequestEPP),
	handle("DomainToggleIdProtect", domainToggleIDProtect),
	handle("UpdateClientDomain", updateClientDomain),
	handle("DomainWhois", domainWhois),
	handleParams("CreateOrUpdateTLD", createOrUpdateTLD),
	handle("GetTLDPricing", getTLDPricing),
	handle("GetRegistrars", getRegistrars),
	// Billing (actions/billing.go)
	handleParams("CreateInvoice", createInvoice),
	handle("GetInvoice", getInvoice),
	handle("GetInvoices", getInvoices),
	handleParams("UpdateInvoice", updateInvoice),
	handle("AddInvoicePayment", addInvoicePayment),
	handle("AddBillableItem", addBillableItem),
	handle("AddTransaction", addTransaction),
	handle("GetTransactions", getTransactions),
	handle("AddCredit", addCredit),
	handle("GetCredits", getCredits),
	// Billing, second half: quotes (actions/billing_quotes.go), pay methods
	// (billing_paymethods.go), credit, capture and transactions
	// (billing_capture.go), the invoicing cron (billing_cron.go)
	handleParams("CreateQuote", createQuote),
	handleParams("UpdateQuote", updateQuote),
	handle("DeleteQuote", deleteQuote),
	handle("GetQuotes", getQuotes),
	handle("SendQuote", sendQuote),
	handle("AcceptQuote", acceptQuote),
	handle("AddPayMethod", addPayMethod),
	handle("GetPayMethods", getPayMethods),
	handle("UpdatePayMethod", updatePayMethod),
	handle("DeletePayMethod", deletePayMethod),
	handle("ApplyCredit", applyCreditAction),
	handle("CapturePayment", capturePayment),
	handle("UpdateTransaction", updateTransaction),
	handle("GenInvoices", genInvoices),
	// Project management (actions/projects.go)
	handle("CreateProject", createProject),
	handle("GetProjects", getProjects),
	handle("GetProject", getProject),
	handle("UpdateProject", updateProject),
	handle("AddProjectTask", addProjectTask),
	handle("AddProjectMessage", addProjectMessage),
	handle("UpdateProjectTask", updateProjectTask),
	handle("DeleteProjectTask", deleteProjectTask),
	handle("StartTaskTimer", startTaskTimer),
	handle("EndTaskTimer", endTaskTimer),
	// Users (actions/users.go)
	handle("AddUser", addUser),
	handle("GetUsers", getUsers),
	handle("UpdateUser", updateUser),
	// What users may do for clients (actions/users_access.go)
	handle("CreateClientInvite", createClientInvite),
	handle("DeleteUserClient", deleteUserClient),
	handle("GetPermissionsList", getPermissionsList),
	handle("GetUserPermissions", getUserPermissions),
	handle("UpdateUserPermissions", updateUserPermissions),
	handle("ResetPassword", resetPassword),
	// System (actions/system.go)
	handle("WhmcsDetails", whmcsDetails),
	handle("GetAdminDetails", getAdminDetails),
	handle("GetAdminUsers", getAdminUsers),
	handle("GetHealthStatus", getHealthStatus),
	handle("GetActivityLog", getActivityLog),
	handle("LogActivity", logActivity),
	handle("GetConfigurationValue", getConfigurationValue),
	handle("SetConfigurationValue", setConfigurationValue),
	handle("EncryptPassword", encryptPassword),
	handle("DecryptPassword", decryptPassword),
	// System tools and email (actions/system_tools.go, system_stats.go,
	// email_send.go)
	handleParams("SendEmail", sendEmail),
	handleParams("SendAdminEmail", sendAdminEmailAction),
	handle("GetEmails", getEmails),
	handle("GetEmailTemplates", getEmailTemplates),
	handle("AddBannedIp", addBannedIP),
	handle("GetAutomationLog", getAutomationLog),
	handle("GetStats", getStats),
	handle("GetStaffOnline", getStaffOnline),
	handle("GetToDoItems", getToDoItems),
	handle("GetToDoItemStatuses", getToDoItemStatuses),
	handle("UpdateToDoItem", updateToDoItem),
	handle("UpdateAdminNotes", updateAdminNotes),
	handleParams("TriggerNotificationEvent", triggerNotificationEvent),
	handle("GetClientPassword", getClientPassword),
)

func index(list ...*Action) map[string]*Action {
	m := make(map[string]*Action, len(list))
	for _, a := range list {
		key := Normalize(a.Name)
		if _, dup := m[key]; dup {
			panic("actions: " + a.Name + " registered twice")
		}
		if !documented[key] {
			panic("actions: " + a.Name + " is not a documented WHMCS action")
		}
		m[key] = a
	}
	return m
}

// Lookup finds an action by its normalised name or alias.
func Lookup(normalized string) (*Action, bool) {
	if to, ok := aliases[normalized]; ok {
		normalized = to
	}
	a, ok := table[normalized]
	return a, ok
}

// decoder is shared: gorilla/schema caches each request struct's layout.
var decoder = newDecoder()

func newDecoder() *schema.Decoder {
	d := schema.NewDecoder()
	d.IgnoreUnknownKeys(true)
	d.MaxSize(1000) // PHP's max_input_vars
	d.RegisterConverter(int64(0), func(s string) reflect.Value { return reflect.ValueOf(IntVal(s)) })
	d.RegisterConverter(int(0), func(s string) reflect.Value { return reflect.ValueOf(int(IntVal(s))) })
	d.RegisterConverter(false, func(s string) reflect.Value { return reflect.ValueOf(Truthy(s)) })
	return d
}

// IntVal reads an integer as PHP 7.1+'s (int) cast does: leading white
// space, then the longest numeric prefix; "12abc" is 12, "1e3" is 1000,
// "1.9" is 1, anything else 0. Out-of-range values saturate.
func IntVal(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intEnd := i
	isFloat := false
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+1 || intEnd > digits {
			i, isFloat = j, true
		}
	}
	if i > digits && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i, isFloat = j, true
		}
	}
	if !isFloat {
		n, err := strconv.ParseInt(s[:intEnd], 10, 64)
		if err != nil && intEnd > digits {
			if s[0] == '-' {
				return math.MinInt64
			}
			return math.MaxInt64
		}
		return n
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange), math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// Truthy is PHP's truthiness of a request value: "" and "0" are false,
// everything else ("false" and "off" included) is true.
func Truthy(s string) bool { return s != "" && s != "0" }

// pickFold returns the entry of list equal to s, spaces around s aside,
// in any case: how WHMCS takes a status, a type or a cycle by name.
func pickFold(list []string, s string) (string, bool) {
	for _, v := range list {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return v, true
		}
	}
	return "", false
}
