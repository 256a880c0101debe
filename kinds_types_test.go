package whmcsemu_test

// The kinds each version's answers have, one type per action (kinds_test.go
// runs them). Made from the answers of the cases, then read against the
// evidence: where WHMCS 7.x and 8 differ there are two types, kinds<Action>
// for WHMCS 8 and kinds<Action>7, and a key one version does not send is a
// kindsAbsent in the other's.

import "encoding/json"

type kindsAcceptOrder struct {
	Result string `json:"result"`
}

type kindsAddBillableItem struct {
	Result     string `json:"result"`
	Billableid int64  `json:"billableid"`
}

type kindsAddClient struct {
	Result   string `json:"result"`
	Clientid string `json:"clientid"`
	OwnerId  int64  `json:"owner_id"`
}

type kindsAddClientNote struct {
	Result string `json:"result"`
	Noteid string `json:"noteid"`
}

type kindsAddContact struct {
	Result    string `json:"result"`
	Contactid string `json:"contactid"`
}

type kindsAddCredit struct {
	Result     string `json:"result"`
	Newbalance string `json:"newbalance"`
}

type kindsAddInvoicePayment struct {
	Result string `json:"result"`
}

type kindsAddOrder struct {
	Result     string `json:"result"`
	Orderid    int64  `json:"orderid"`
	Productids string `json:"productids"`
	Serviceids string `json:"serviceids"`
	Addonids   string `json:"addonids"`
	Domainids  string `json:"domainids"`
	Invoiceid  int64  `json:"invoiceid"`
}

type kindsAddProduct struct {
	Result string `json:"result"`
	Pid    int64  `json:"pid"`
}

type kindsAddProjectTask struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

type kindsAddTicketNote struct {
	Result string `json:"result"`
}

type kindsAddTicketReply struct {
	Result string `json:"result"`
}

type kindsAddTransaction struct {
	Result string `json:"result"`
}

type kindsAddUser struct {
	Result string `json:"result"`
	UserId string `json:"user_id"`
}

type kindsCancelOrder struct {
	Result string `json:"result"`
}

type kindsCloseClient struct {
	Result string `json:"result"`
}

type kindsCreateInvoice struct {
	Result    string `json:"result"`
	Invoiceid int64  `json:"invoiceid"`
	Status    string `json:"status"`
}

type kindsCreateOAuthCredential struct {
	Result           string `json:"result"`
	CredentialId     int64  `json:"credentialId"`
	ClientIdentifier string `json:"clientIdentifier"`
	ClientSecret     string `json:"clientSecret"`
}

type kindsCreateProject struct {
	Result    string `json:"result"`
	Message   string `json:"message"`
	Projectid string `json:"projectid"`
}

type kindsCreateSsoToken struct {
	Result      string `json:"result"`
	AccessToken string `json:"access_token"`
	RedirectUrl string `json:"redirect_url"`
}

type kindsDecryptPassword struct {
	Result   string `json:"result"`
	Password string `json:"password"`
}

type kindsDeleteClient struct {
	Result   string `json:"result"`
	Clientid string `json:"clientid"`
}

type kindsDeleteContact struct {
	Result    string `json:"result"`
	Contactid string `json:"contactid"`
}

type kindsDeleteOAuthCredential struct {
	Result       string `json:"result"`
	CredentialId int64  `json:"credentialId"`
}

type kindsDeleteOrder struct {
	Result string `json:"result"`
}

type kindsDeleteTicket struct {
	Result string `json:"result"`
}

type kindsEncryptPassword struct {
	Result   string `json:"result"`
	Password string `json:"password"`
}

// WHMCS 8.
type kindsGetActivityLog struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Activity     struct {
		Entry []struct {
			ID          int64  `json:"id"`
			ClientId    int64  `json:"clientId"`
			UserId      int64  `json:"userId"`
			AdminId     int64  `json:"adminId"`
			Date        string `json:"date"`
			Description string `json:"description"`
			Username    string `json:"username"`
			Ipaddress   string `json:"ipaddress"`
			Userid      int64  `json:"userid"`
		} `json:"entry"`
	} `json:"activity"`
}

// WHMCS 7.x.
type kindsGetActivityLog7 struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Activity     struct {
		Entry []struct {
			ID          int64       `json:"id"`
			AdminId     int64       `json:"adminId"`
			Date        string      `json:"date"`
			Description string      `json:"description"`
			Username    string      `json:"username"`
			Ipaddress   string      `json:"ipaddress"`
			Userid      int64       `json:"userid"`
			ClientId    kindsAbsent `json:"clientId"`
			UserId      kindsAbsent `json:"userId"`
		} `json:"entry"`
	} `json:"activity"`
}

type kindsGetAdminDetails struct {
	Result             string `json:"result"`
	Adminid            string `json:"adminid"`
	Name               string `json:"name"`
	Notes              string `json:"notes"`
	Signature          string `json:"signature"`
	Allowedpermissions string `json:"allowedpermissions"`
	Departments        string `json:"departments"`
	Requesttime        string `json:"requesttime"`
	Whmcs              struct {
		Version          string `json:"version"`
		Canonicalversion string `json:"canonicalversion"`
	} `json:"whmcs"`
}

type kindsGetAdminUsers struct {
	Result     string `json:"result"`
	Count      int64  `json:"count"`
	AdminUsers []struct {
		ID                          int64    `json:"id"`
		Uuid                        string   `json:"uuid"`
		RoleId                      int64    `json:"roleId"`
		Username                    string   `json:"username"`
		TwoFactorAuthModule         string   `json:"twoFactorAuthModule"`
		Firstname                   string   `json:"firstname"`
		Lastname                    string   `json:"lastname"`
		Email                       string   `json:"email"`
		Signature                   string   `json:"signature"`
		Notes                       string   `json:"notes"`
		Template                    string   `json:"template"`
		Language                    string   `json:"language"`
		IsDisabled                  int64    `json:"isDisabled"`
		LoginAttempts               int64    `json:"loginAttempts"`
		SupportDepartmentIds        []string `json:"supportDepartmentIds"`
		ReceivesTicketNotifications []string `json:"receivesTicketNotifications"`
		HomepageWidgetsConfig       string   `json:"homepageWidgetsConfig"`
		HiddenHomepageWidgets       string   `json:"hiddenHomepageWidgets"`
		CreatedAt                   string   `json:"created_at"`
		UpdatedAt                   string   `json:"updated_at"`
		FullName                    string   `json:"fullName"`
		GravatarHash                string   `json:"gravatarHash"`
	} `json:"admin_users"`
}

type kindsGetClientGroups struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Groups       struct {
		Group []struct {
			ID               int64  `json:"id"`
			Groupname        string `json:"groupname"`
			Groupcolour      string `json:"groupcolour"`
			Discountpercent  string `json:"discountpercent"`
			Susptermexempt   string `json:"susptermexempt"`
			Separateinvoices string `json:"separateinvoices"`
		} `json:"group"`
	} `json:"groups"`
}

type kindsGetClients struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Clients      struct {
		Client []struct {
			ID          int64  `json:"id"`
			Firstname   string `json:"firstname"`
			Lastname    string `json:"lastname"`
			Companyname string `json:"companyname"`
			Email       string `json:"email"`
			Datecreated string `json:"datecreated"`
			Groupid     int64  `json:"groupid"`
			Status      string `json:"status"`
		} `json:"client"`
	} `json:"clients"`
}

type kindsGetClientsDomains struct {
	Result       string    `json:"result"`
	Clientid     kindsNull `json:"clientid"`
	Domainid     kindsNull `json:"domainid"`
	Totalresults int64     `json:"totalresults"`
	Startnumber  int64     `json:"startnumber"`
	Numreturned  int64     `json:"numreturned"`
	Domains      struct {
		Domain []struct {
			ID                 string `json:"id"`
			Userid             string `json:"userid"`
			Orderid            string `json:"orderid"`
			Regtype            string `json:"regtype"`
			Domainname         string `json:"domainname"`
			Registrar          string `json:"registrar"`
			Regperiod          string `json:"regperiod"`
			Firstpaymentamount string `json:"firstpaymentamount"`
			Recurringamount    string `json:"recurringamount"`
			Paymentmethod      string `json:"paymentmethod"`
			Paymentmethodname  string `json:"paymentmethodname"`
			Regdate            string `json:"regdate"`
			Expirydate         string `json:"expirydate"`
			Nextduedate        string `json:"nextduedate"`
			Status             string `json:"status"`
			Subscriptionid     string `json:"subscriptionid"`
			Promoid            string `json:"promoid"`
			Dnsmanagement      string `json:"dnsmanagement"`
			Emailforwarding    string `json:"emailforwarding"`
			Idprotection       string `json:"idprotection"`
			Donotrenew         string `json:"donotrenew"`
			Notes              string `json:"notes"`
		} `json:"domain"`
	} `json:"domains"`
}

// kindsClientsProducts is GetClientsProducts' answer around the
// services, as every version sends it.
type kindsClientsProducts struct {
	Result       string    `json:"result"`
	Clientid     kindsNull `json:"clientid"`
	Serviceid    kindsNull `json:"serviceid"`
	Pid          kindsNull `json:"pid"`
	Domain       kindsNull `json:"domain"`
	Totalresults int64     `json:"totalresults"`
	Startnumber  int64     `json:"startnumber"`
	Numreturned  int64     `json:"numreturned"`
}

// kindsClientsProduct is a service of GetClientsProducts: the keys that
// are strings in every version (WHMCS 7.x sends the ids and usage figures
// as numbers).
type kindsClientsProduct struct {
	Regdate             string `json:"regdate"`
	Name                string `json:"name"`
	TranslatedName      string `json:"translated_name"`
	Groupname           string `json:"groupname"`
	TranslatedGroupname string `json:"translated_groupname"`
	Domain              string `json:"domain"`
	Dedicatedip         string `json:"dedicatedip"`
	Servername          string `json:"servername"`
	Serverip            string `json:"serverip"`
	Serverhostname      string `json:"serverhostname"`
	Suspensionreason    string `json:"suspensionreason"`
	Firstpaymentamount  string `json:"firstpaymentamount"`
	Recurringamount     string `json:"recurringamount"`
	Paymentmethod       string `json:"paymentmethod"`
	Paymentmethodname   string `json:"paymentmethodname"`
	Billingcycle        string `json:"billingcycle"`
	Nextduedate         string `json:"nextduedate"`
	Status              string `json:"status"`
	Username            string `json:"username"`
	Password            string `json:"password"`
	Subscriptionid      string `json:"subscriptionid"`
	Overidesuspenduntil string `json:"overidesuspenduntil"`
	Ns1                 string `json:"ns1"`
	Ns2                 string `json:"ns2"`
	Assignedips         string `json:"assignedips"`
	Notes               string `json:"notes"`
	Lastupdate          string `json:"lastupdate"`
	kindsCustomAndConfig
}

// kindsCustomAndConfig is a service's or a product's custom fields and
// configurable options, each a list whose items the types above leave
// open.
type kindsCustomAndConfig struct {
	Customfields struct {
		Customfield []json.RawMessage `json:"customfield"`
	} `json:"customfields"`
	Configoptions struct {
		Configoption []json.RawMessage `json:"configoption"`
	} `json:"configoptions"`
}

// WHMCS 8.
type kindsGetClientsProducts struct {
	kindsClientsProducts
	Products struct {
		Product []struct {
			kindsClientsProduct
			ID                 string `json:"id"`
			Qty                string `json:"qty"`
			Clientid           string `json:"clientid"`
			Orderid            string `json:"orderid"`
			Ordernumber        string `json:"ordernumber"`
			Pid                string `json:"pid"`
			Serverid           string `json:"serverid"`
			Promoid            string `json:"promoid"`
			Overideautosuspend string `json:"overideautosuspend"`
			Diskusage          string `json:"diskusage"`
			Disklimit          string `json:"disklimit"`
			Bwusage            string `json:"bwusage"`
			Bwlimit            string `json:"bwlimit"`
		} `json:"product"`
	} `json:"products"`
}

// WHMCS 7.x.
type kindsGetClientsProducts7 struct {
	kindsClientsProducts
	Products struct {
		Product []struct {
			kindsClientsProduct
			ID                 int64       `json:"id"`
			Clientid           int64       `json:"clientid"`
			Orderid            int64       `json:"orderid"`
			Pid                int64       `json:"pid"`
			Serverid           int64       `json:"serverid"`
			Promoid            int64       `json:"promoid"`
			Overideautosuspend int64       `json:"overideautosuspend"`
			Diskusage          int64       `json:"diskusage"`
			Disklimit          int64       `json:"disklimit"`
			Bwusage            int64       `json:"bwusage"`
			Bwlimit            int64       `json:"bwlimit"`
			Qty                kindsAbsent `json:"qty"`
			Ordernumber        kindsAbsent `json:"ordernumber"`
		} `json:"product"`
	} `json:"products"`
}

type kindsGetConfigurationValue struct {
	Result  string `json:"result"`
	Setting string `json:"setting"`
	Value   string `json:"value"`
}

// kindsPostal is an email and postal address with a phone number, as a
// contact and a quote send them.
type kindsPostal struct {
	Email       string `json:"email"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	State       string `json:"state"`
	Postcode    string `json:"postcode"`
	Country     string `json:"country"`
	Phonenumber string `json:"phonenumber"`
}

type kindsGetContacts struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Contacts     struct {
		Contact []struct {
			ID        int64  `json:"id"`
			Userid    int64  `json:"userid"`
			Firstname string `json:"firstname"`
			Lastname  string `json:"lastname"`
			kindsPostal
			Domainemails    bool   `json:"domainemails"`
			Generalemails   bool   `json:"generalemails"`
			Invoiceemails   bool   `json:"invoiceemails"`
			Productemails   bool   `json:"productemails"`
			Supportemails   bool   `json:"supportemails"`
			Affiliateemails bool   `json:"affiliateemails"`
			CreatedAt       string `json:"created_at"`
			UpdatedAt       string `json:"updated_at"`
		} `json:"contact"`
	} `json:"contacts"`
}

type kindsGetCredits struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Clientid     int64  `json:"clientid"`
	Credits      struct {
		Credit []struct {
			ID          string `json:"id"`
			Date        string `json:"date"`
			Description string `json:"description"`
			Amount      string `json:"amount"`
			Relid       string `json:"relid"`
		} `json:"credit"`
	} `json:"credits"`
}

type kindsGetCurrencies struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Currencies   struct {
		Currency []struct {
			ID     string `json:"id"`
			Code   string `json:"code"`
			Prefix string `json:"prefix"`
			Suffix string `json:"suffix"`
			Format string `json:"format"`
			Rate   string `json:"rate"`
		} `json:"currency"`
	} `json:"currencies"`
}

type kindsGetHealthStatus struct {
	Result string `json:"result"`
	Checks struct {
		Success []kindsHealthCheck `json:"success"`
		Warning []kindsHealthCheck `json:"warning"`
		Danger  []kindsHealthCheck `json:"danger"`
	} `json:"checks"`
}

// kindsHealthCheck is one check, as the 7.10 recording shows them.
type kindsHealthCheck struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	SeverityLevel string `json:"severityLevel"`
	Body          string `json:"body"`
}

type kindsGetInvoice struct {
	Result             string `json:"result"`
	Invoiceid          int64  `json:"invoiceid"`
	Invoicenum         string `json:"invoicenum"`
	Userid             int64  `json:"userid"`
	Date               string `json:"date"`
	Duedate            string `json:"duedate"`
	Datepaid           string `json:"datepaid"`
	Lastcaptureattempt string `json:"lastcaptureattempt"`
	Subtotal           string `json:"subtotal"`
	Credit             string `json:"credit"`
	Tax                string `json:"tax"`
	Tax2               string `json:"tax2"`
	Total              string `json:"total"`
	Balance            string `json:"balance"`
	Taxrate            string `json:"taxrate"`
	Taxrate2           string `json:"taxrate2"`
	Status             string `json:"status"`
	Paymentmethod      string `json:"paymentmethod"`
	Notes              string `json:"notes"`
	Ccgateway          bool   `json:"ccgateway"`
	Items              struct {
		Item []struct {
			ID          int64  `json:"id"`
			Type        string `json:"type"`
			Relid       int64  `json:"relid"`
			Description string `json:"description"`
			Amount      string `json:"amount"`
			Taxed       int64  `json:"taxed"`
		} `json:"item"`
	} `json:"items"`
	Transactions struct {
		Transaction []struct {
			ID          string `json:"id"`
			Userid      string `json:"userid"`
			Currency    string `json:"currency"`
			Gateway     string `json:"gateway"`
			Date        string `json:"date"`
			Description string `json:"description"`
			Amountin    string `json:"amountin"`
			Fees        string `json:"fees"`
			Amountout   string `json:"amountout"`
			Rate        string `json:"rate"`
			Transid     string `json:"transid"`
			Invoiceid   string `json:"invoiceid"`
			Refundid    string `json:"refundid"`
		} `json:"transaction"`
	} `json:"transactions"`
}

type kindsGetInvoices struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Invoices     struct {
		Invoice []struct {
			ID                 int64     `json:"id"`
			Userid             int64     `json:"userid"`
			Firstname          string    `json:"firstname"`
			Lastname           string    `json:"lastname"`
			Companyname        string    `json:"companyname"`
			Invoicenum         string    `json:"invoicenum"`
			Date               string    `json:"date"`
			Duedate            string    `json:"duedate"`
			Datepaid           string    `json:"datepaid"`
			LastCaptureAttempt string    `json:"last_capture_attempt"`
			DateRefunded       string    `json:"date_refunded"`
			DateCancelled      string    `json:"date_cancelled"`
			Subtotal           string    `json:"subtotal"`
			Credit             string    `json:"credit"`
			Tax                string    `json:"tax"`
			Tax2               string    `json:"tax2"`
			Total              string    `json:"total"`
			Taxrate            string    `json:"taxrate"`
			Taxrate2           string    `json:"taxrate2"`
			Status             string    `json:"status"`
			Paymentmethod      string    `json:"paymentmethod"`
			Paymethodid        kindsNull `json:"paymethodid"`
			Notes              string    `json:"notes"`
			CreatedAt          string    `json:"created_at"`
			UpdatedAt          string    `json:"updated_at"`
			Currencycode       string    `json:"currencycode"`
			Currencyprefix     string    `json:"currencyprefix"`
			Currencysuffix     string    `json:"currencysuffix"`
		} `json:"invoice"`
	} `json:"invoices"`
}

type kindsGetOrderStatuses struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Statuses     struct {
		Status []struct {
			Title string `json:"title"`
			Count int64  `json:"count"`
		} `json:"status"`
	} `json:"statuses"`
}

type kindsGetOrders struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Orders       struct {
		Order []struct {
			ID               int64  `json:"id"`
			Ordernum         int64  `json:"ordernum"`
			Userid           int64  `json:"userid"`
			Contactid        int64  `json:"contactid"`
			RequestorId      int64  `json:"requestor_id"`
			AdminRequestorId int64  `json:"admin_requestor_id"`
			Date             string `json:"date"`
			Nameservers      string `json:"nameservers"`
			Transfersecret   string `json:"transfersecret"`
			Renewals         string `json:"renewals"`
			RenewalsByType   struct {
				Domains  []json.RawMessage `json:"domains"`
				Services []json.RawMessage `json:"services"`
				Addons   []json.RawMessage `json:"addons"`
			} `json:"renewalsByType"`
			Promocode         string `json:"promocode"`
			Promotype         string `json:"promotype"`
			Promovalue        string `json:"promovalue"`
			Orderdata         string `json:"orderdata"`
			Amount            string `json:"amount"`
			Paymentmethod     string `json:"paymentmethod"`
			Invoiceid         int64  `json:"invoiceid"`
			Status            string `json:"status"`
			Ipaddress         string `json:"ipaddress"`
			Fraudmodule       string `json:"fraudmodule"`
			Fraudoutput       string `json:"fraudoutput"`
			Notes             string `json:"notes"`
			Paymentmethodname string `json:"paymentmethodname"`
			Paymentstatus     string `json:"paymentstatus"`
			Name              string `json:"name"`
			Currencyprefix    string `json:"currencyprefix"`
			Currencysuffix    string `json:"currencysuffix"`
			Frauddata         string `json:"frauddata"`
			Validationdata    string `json:"validationdata"`
			Lineitems         struct {
				Lineitem []struct {
					Type         string `json:"type"`
					Relid        int64  `json:"relid"`
					Producttype  string `json:"producttype"`
					Product      string `json:"product"`
					Domain       string `json:"domain"`
					Billingcycle string `json:"billingcycle"`
					Amount       string `json:"amount"`
					Status       string `json:"status"`
				} `json:"lineitem"`
			} `json:"lineitems"`
		} `json:"order"`
	} `json:"orders"`
}

type kindsGetPaymentMethods struct {
	Result         string `json:"result"`
	Totalresults   int64  `json:"totalresults"`
	Paymentmethods struct {
		Paymentmethod []struct {
			Module      string `json:"module"`
			Displayname string `json:"displayname"`
		} `json:"paymentmethod"`
	} `json:"paymentmethods"`
}

// kindsProduct is a product as every version sends it; the versions
// differ in the keys WHMCS 8 added.
type kindsProduct struct {
	Pid         int64  `json:"pid"`
	Gid         int64  `json:"gid"`
	Type        string `json:"type"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Module      string `json:"module"`
	Paytype     string `json:"paytype"`
	Pricing     map[string]struct {
		Prefix       string `json:"prefix"`
		Suffix       string `json:"suffix"`
		Msetupfee    string `json:"msetupfee"`
		Qsetupfee    string `json:"qsetupfee"`
		Ssetupfee    string `json:"ssetupfee"`
		Asetupfee    string `json:"asetupfee"`
		Bsetupfee    string `json:"bsetupfee"`
		Tsetupfee    string `json:"tsetupfee"`
		Monthly      string `json:"monthly"`
		Quarterly    string `json:"quarterly"`
		Semiannually string `json:"semiannually"`
		Annually     string `json:"annually"`
		Biennially   string `json:"biennially"`
		Triennially  string `json:"triennially"`
	} `json:"pricing"`
	kindsCustomAndConfig
}

// WHMCS 8.
type kindsGetProducts struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Products     struct {
		Product []struct {
			kindsProduct
			Slug              string `json:"slug"`
			ProductUrl        string `json:"product-url"`
			Allowqty          int64  `json:"allowqty"`
			QuantityAvailable int64  `json:"quantity_available"`
		} `json:"product"`
	} `json:"products"`
}

// WHMCS 7.x.
type kindsGetProducts7 struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Products     struct {
		Product []struct {
			kindsProduct
			Slug              kindsAbsent `json:"slug"`
			ProductUrl        kindsAbsent `json:"product-url"`
			Allowqty          kindsAbsent `json:"allowqty"`
			QuantityAvailable kindsAbsent `json:"quantity_available"`
		} `json:"product"`
	} `json:"products"`
}

type kindsGetProject struct {
	Result      string `json:"result"`
	Projectinfo struct {
		ID           string `json:"id"`
		Userid       string `json:"userid"`
		Title        string `json:"title"`
		Attachments  string `json:"attachments"`
		Ticketids    string `json:"ticketids"`
		Invoiceids   string `json:"invoiceids"`
		Notes        string `json:"notes"`
		Adminid      string `json:"adminid"`
		Status       string `json:"status"`
		Created      string `json:"created"`
		Duedate      string `json:"duedate"`
		Completed    string `json:"completed"`
		Lastmodified string `json:"lastmodified"`
	} `json:"projectinfo"`
	Tasks struct {
		Task []struct {
			ID        string `json:"id"`
			Projectid string `json:"projectid"`
			Task      string `json:"task"`
			Notes     string `json:"notes"`
			Adminid   string `json:"adminid"`
			Created   string `json:"created"`
			Duedate   string `json:"duedate"`
			Completed string `json:"completed"`
			Billed    string `json:"billed"`
			Order     string `json:"order"`
			Timelogs  string `json:"timelogs"`
		} `json:"task"`
	} `json:"tasks"`
	Messages string `json:"messages"`
}

type kindsGetProjects struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Projects     []struct {
		ID           int64  `json:"id"`
		Userid       int64  `json:"userid"`
		Title        string `json:"title"`
		Ticketids    string `json:"ticketids"`
		Invoiceids   string `json:"invoiceids"`
		Notes        string `json:"notes"`
		Adminid      int64  `json:"adminid"`
		Status       string `json:"status"`
		Created      string `json:"created"`
		Duedate      string `json:"duedate"`
		Completed    int64  `json:"completed"`
		Lastmodified string `json:"lastmodified"`
		Watchers     string `json:"watchers"`
	} `json:"projects"`
}

type kindsGetPromotions struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Promotions   struct {
		Promotion []struct {
			ID               int64   `json:"id"`
			Code             string  `json:"code"`
			Type             string  `json:"type"`
			Recurring        int64   `json:"recurring"`
			Value            float64 `json:"value"`
			Cycles           string  `json:"cycles"`
			Appliesto        string  `json:"appliesto"`
			Requires         string  `json:"requires"`
			Requiresexisting int64   `json:"requiresexisting"`
			Startdate        string  `json:"startdate"`
			Expirationdate   string  `json:"expirationdate"`
			Maxuses          int64   `json:"maxuses"`
			Uses             int64   `json:"uses"`
			Lifetimepromo    int64   `json:"lifetimepromo"`
			Applyonce        int64   `json:"applyonce"`
			Newsignups       int64   `json:"newsignups"`
			Existingclient   int64   `json:"existingclient"`
			Onceperclient    int64   `json:"onceperclient"`
			Recurfor         int64   `json:"recurfor"`
			Upgrades         int64   `json:"upgrades"`
			Upgradeconfig    string  `json:"upgradeconfig"`
			Notes            string  `json:"notes"`
		} `json:"promotion"`
	} `json:"promotions"`
}

type kindsGetSupportDepartments struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Departments  struct {
		Department []struct {
			ID            string `json:"id"`
			Name          string `json:"name"`
			Awaitingreply string `json:"awaitingreply"`
			Opentickets   string `json:"opentickets"`
		} `json:"department"`
	} `json:"departments"`
}

type kindsGetSupportStatuses struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Statuses     struct {
		Status []struct {
			Title string `json:"title"`
			Count int64  `json:"count"`
			Color string `json:"color"`
		} `json:"status"`
	} `json:"statuses"`
}

// kindsTicket is GetTicket's answer as every version sends it; WHMCS 8
// added the id and the requestor keys, on the ticket and on each reply.
type kindsTicket struct {
	Result    string `json:"result"`
	Ticketid  int64  `json:"ticketid"`
	Tid       string `json:"tid"`
	C         string `json:"c"`
	Deptid    int64  `json:"deptid"`
	Deptname  string `json:"deptname"`
	Userid    int64  `json:"userid"`
	Contactid int64  `json:"contactid"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Cc        string `json:"cc"`
	Date      string `json:"date"`
	Subject   string `json:"subject"`
	Status    string `json:"status"`
	Priority  string `json:"priority"`
	Admin     string `json:"admin"`
	Lastreply string `json:"lastreply"`
	Flag      int64  `json:"flag"`
	Service   string `json:"service"`
	Notes     struct {
		Note []struct {
			Noteid string `json:"noteid"`
			kindsTicketPost
		} `json:"note"`
	} `json:"notes"`
}

// kindsTicketReply is a reply of GetTicket as every version sends it.
type kindsTicketReply struct {
	Replyid   string `json:"replyid"`
	Userid    string `json:"userid"`
	Contactid string `json:"contactid"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	kindsTicketPost
}

// kindsTicketPost is what a reply and a note of GetTicket both send.
type kindsTicketPost struct {
	Date               string            `json:"date"`
	Message            string            `json:"message"`
	Attachment         string            `json:"attachment"`
	Attachments        []json.RawMessage `json:"attachments"`
	AttachmentsRemoved bool              `json:"attachments_removed"`
	Admin              string            `json:"admin"`
}

// WHMCS 8.
type kindsGetTicket struct {
	kindsTicket
	ID             int64  `json:"id"`
	RequestorName  string `json:"requestor_name"`
	RequestorType  string `json:"requestor_type"`
	RequestorEmail string `json:"requestor_email"`
	Replies        struct {
		Reply []struct {
			kindsTicketReply
			RequestorName  string `json:"requestor_name"`
			RequestorEmail string `json:"requestor_email"`
			RequestorType  string `json:"requestor_type"`
		} `json:"reply"`
	} `json:"replies"`
}

// WHMCS 7.x.
type kindsGetTicket7 struct {
	kindsTicket
	ID             kindsAbsent `json:"id"`
	RequestorName  kindsAbsent `json:"requestor_name"`
	RequestorType  kindsAbsent `json:"requestor_type"`
	RequestorEmail kindsAbsent `json:"requestor_email"`
	Replies        struct {
		Reply []struct {
			kindsTicketReply
			RequestorName  kindsAbsent `json:"requestor_name"`
			RequestorEmail kindsAbsent `json:"requestor_email"`
			RequestorType  kindsAbsent `json:"requestor_type"`
		} `json:"reply"`
	} `json:"replies"`
}

type kindsGetTickets struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Tickets      struct {
		Ticket []struct {
			ID                 string            `json:"id"`
			Tid                string            `json:"tid"`
			Deptid             string            `json:"deptid"`
			Userid             string            `json:"userid"`
			Name               string            `json:"name"`
			OwnerName          string            `json:"owner_name"`
			Email              string            `json:"email"`
			RequestorName      string            `json:"requestor_name"`
			RequestorEmail     string            `json:"requestor_email"`
			RequestorType      string            `json:"requestor_type"`
			Cc                 string            `json:"cc"`
			C                  string            `json:"c"`
			Date               string            `json:"date"`
			Subject            string            `json:"subject"`
			Status             string            `json:"status"`
			Priority           string            `json:"priority"`
			Admin              string            `json:"admin"`
			Attachment         string            `json:"attachment"`
			Attachments        []json.RawMessage `json:"attachments"`
			AttachmentsRemoved bool              `json:"attachments_removed"`
			Lastreply          string            `json:"lastreply"`
			Flag               string            `json:"flag"`
			Service            string            `json:"service"`
		} `json:"ticket"`
	} `json:"tickets"`
}

type kindsGetTransactions struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Transactions struct {
		Transaction []struct {
			ID          string `json:"id"`
			Userid      string `json:"userid"`
			Currency    string `json:"currency"`
			Gateway     string `json:"gateway"`
			Date        string `json:"date"`
			Description string `json:"description"`
			Amountin    string `json:"amountin"`
			Fees        string `json:"fees"`
			Amountout   string `json:"amountout"`
			Rate        string `json:"rate"`
			Transid     string `json:"transid"`
			Invoiceid   string `json:"invoiceid"`
			Refundid    string `json:"refundid"`
		} `json:"transaction"`
	} `json:"transactions"`
}

type kindsGetUsers struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Users        []struct {
		ID             int64  `json:"id"`
		Firstname      string `json:"firstname"`
		Lastname       string `json:"lastname"`
		Email          string `json:"email"`
		Datecreated    string `json:"datecreated"`
		Validationdata string `json:"validationdata"`
		Clients        []struct {
			ID      int64 `json:"id"`
			IsOwner bool  `json:"isOwner"`
		} `json:"clients"`
	} `json:"users"`
}

type kindsListOAuthCredentials struct {
	Result  string `json:"result"`
	Clients []struct {
		CredentialId     int64     `json:"credentialId"`
		Name             string    `json:"name"`
		Description      string    `json:"description"`
		GrantTypes       string    `json:"grantTypes"`
		Scope            string    `json:"scope"`
		ClientIdentifier string    `json:"clientIdentifier"`
		ClientSecret     string    `json:"clientSecret"`
		Uuid             kindsNull `json:"uuid"`
		ServiceId        int64     `json:"serviceId"`
		LogoUri          string    `json:"logoUri"`
		RedirectUri      []string  `json:"redirectUri"`
		RsaKeyPairId     int64     `json:"rsaKeyPairId"`
		CreatedAt        string    `json:"createdAt"`
		UpdatedAt        string    `json:"updatedAt"`
	} `json:"clients"`
}

type kindsLogActivity struct {
	Result string `json:"result"`
}

type kindsModuleCreate struct {
	Result string `json:"result"`
}

type kindsModuleSuspend struct {
	Result string `json:"result"`
}

type kindsModuleTerminate struct {
	Result string `json:"result"`
}

type kindsModuleUnsuspend struct {
	Result string `json:"result"`
}

type kindsOpenTicket struct {
	Result string `json:"result"`
	ID     int64  `json:"id"`
	Tid    string `json:"tid"`
	C      string `json:"c"`
}

type kindsPendingOrder struct {
	Result string `json:"result"`
}

type kindsSetConfigurationValue struct {
	Result       string `json:"result"`
	ValueChanged string `json:"value_changed"`
}

type kindsUpdateClient struct {
	Result   string `json:"result"`
	Clientid string `json:"clientid"`
}

type kindsUpdateClientProduct struct {
	Result    string `json:"result"`
	Serviceid int64  `json:"serviceid"`
}

type kindsUpdateContact struct {
	Result    string `json:"result"`
	Contactid string `json:"contactid"`
}

type kindsUpdateInvoice struct {
	Result    string `json:"result"`
	Invoiceid int64  `json:"invoiceid"`
}

type kindsUpdateOAuthCredential struct {
	Result       string `json:"result"`
	CredentialId int64  `json:"credentialId"`
}

type kindsUpdateProject struct {
	Result  string `json:"result"`
	Message string `json:"message"`
}

type kindsUpdateTicket struct {
	Result   string `json:"result"`
	Ticketid int64  `json:"ticketid"`
}

type kindsUpdateUser struct {
	Result string `json:"result"`
	UserId string `json:"user_id"`
}

type kindsValidateLogin struct {
	Result           string `json:"result"`
	Userid           int64  `json:"userid"`
	Passwordhash     string `json:"passwordhash"`
	TwoFactorEnabled bool   `json:"twoFactorEnabled"`
}

type kindsWhmcsDetails struct {
	Result string `json:"result"`
	Whmcs  struct {
		Version          string `json:"version"`
		Canonicalversion string `json:"canonicalversion"`
	} `json:"whmcs"`
}

// kindsClient is GetClientsDetails' client as every version sends it,
// under client and (embedded) at the top level.
type kindsClient struct {
	Userid                     int64  `json:"userid"`
	Id                         int64  `json:"id"`
	Uuid                       string `json:"uuid"`
	Firstname                  string `json:"firstname"`
	Lastname                   string `json:"lastname"`
	Fullname                   string `json:"fullname"`
	Companyname                string `json:"companyname"`
	Email                      string `json:"email"`
	Address1                   string `json:"address1"`
	Address2                   string `json:"address2"`
	City                       string `json:"city"`
	Fullstate                  string `json:"fullstate"`
	State                      string `json:"state"`
	Postcode                   string `json:"postcode"`
	Countrycode                string `json:"countrycode"`
	Country                    string `json:"country"`
	Phonenumber                string `json:"phonenumber"`
	TaxId                      string `json:"tax_id"`
	Statecode                  string `json:"statecode"`
	Countryname                string `json:"countryname"`
	Phonecc                    string `json:"phonecc"`
	Phonenumberformatted       string `json:"phonenumberformatted"`
	TelephoneNumber            string `json:"telephoneNumber"`
	Billingcid                 int64  `json:"billingcid"`
	Notes                      string `json:"notes"`
	Currency                   int64  `json:"currency"`
	Defaultgateway             string `json:"defaultgateway"`
	Groupid                    int64  `json:"groupid"`
	Status                     string `json:"status"`
	Credit                     string `json:"credit"`
	Taxexempt                  bool   `json:"taxexempt"`
	Latefeeoveride             bool   `json:"latefeeoveride"`
	Overideduenotices          bool   `json:"overideduenotices"`
	Separateinvoices           bool   `json:"separateinvoices"`
	Disableautocc              bool   `json:"disableautocc"`
	Emailoptout                bool   `json:"emailoptout"`
	MarketingEmailsOptIn       bool   `json:"marketing_emails_opt_in"`
	Overrideautoclose          bool   `json:"overrideautoclose"`
	AllowSingleSignOn          int64  `json:"allowSingleSignOn"`
	EmailVerified              bool   `json:"email_verified"`
	Language                   string `json:"language"`
	IsOptedInToMarketingEmails bool   `json:"isOptedInToMarketingEmails"`
	Lastlogin                  string `json:"lastlogin"`
	CurrencyCode               string `json:"currency_code"`
}

// WHMCS 8: the user links and custom fields, the email preferences as
// strings, and no password or security question.
type kindsClient8 struct {
	kindsClient
	ClientId         int64 `json:"client_id"`
	OwnerUserId      int64 `json:"owner_user_id"`
	EmailPreferences struct {
		General   string `json:"general"`
		Invoice   string `json:"invoice"`
		Support   string `json:"support"`
		Product   string `json:"product"`
		Domain    string `json:"domain"`
		Affiliate string `json:"affiliate"`
	} `json:"email_preferences"`
	Customfields []json.RawMessage `json:"customfields"`
	Users        struct {
		User []struct {
			Id      int64  `json:"id"`
			Name    string `json:"name"`
			Email   string `json:"email"`
			IsOwner bool   `json:"is_owner"`
		} `json:"user"`
	} `json:"users"`
	Password     kindsAbsent `json:"password"`
	Twofaenabled kindsAbsent `json:"twofaenabled"`
	Securityqid  kindsAbsent `json:"securityqid"`
	Securityqans kindsAbsent `json:"securityqans"`
}

// WHMCS 7.x.
type kindsClient7 struct {
	kindsClient
	Password         string `json:"password"`
	EmailPreferences struct {
		General   int64 `json:"general"`
		Invoice   int64 `json:"invoice"`
		Support   int64 `json:"support"`
		Product   int64 `json:"product"`
		Domain    int64 `json:"domain"`
		Affiliate int64 `json:"affiliate"`
	} `json:"email_preferences"`
	Twofaenabled bool        `json:"twofaenabled"`
	Securityqid  int64       `json:"securityqid"`
	Securityqans string      `json:"securityqans"`
	ClientId     kindsAbsent `json:"client_id"`
	OwnerUserId  kindsAbsent `json:"owner_user_id"`
	Customfields kindsAbsent `json:"customfields"`
	Users        kindsAbsent `json:"users"`
}

type kindsClientStats struct {
	Numdueinvoices               int64  `json:"numdueinvoices"`
	Dueinvoicesbalance           string `json:"dueinvoicesbalance"`
	Incredit                     bool   `json:"incredit"`
	Creditbalance                string `json:"creditbalance"`
	GrossRevenue                 string `json:"grossRevenue"`
	Expenses                     string `json:"expenses"`
	Income                       string `json:"income"`
	Numoverdueinvoices           int64  `json:"numoverdueinvoices"`
	Overdueinvoicesbalance       string `json:"overdueinvoicesbalance"`
	NumDraftInvoices             int64  `json:"numDraftInvoices"`
	DraftInvoicesBalance         string `json:"draftInvoicesBalance"`
	Numunpaidinvoices            int64  `json:"numunpaidinvoices"`
	Unpaidinvoicesamount         string `json:"unpaidinvoicesamount"`
	Numpaidinvoices              int64  `json:"numpaidinvoices"`
	Paidinvoicesamount           string `json:"paidinvoicesamount"`
	Numcancelledinvoices         int64  `json:"numcancelledinvoices"`
	Cancelledinvoicesamount      string `json:"cancelledinvoicesamount"`
	Numrefundedinvoices          int64  `json:"numrefundedinvoices"`
	Refundedinvoicesamount       string `json:"refundedinvoicesamount"`
	Numcollectionsinvoices       int64  `json:"numcollectionsinvoices"`
	Collectionsinvoicesamount    string `json:"collectionsinvoicesamount"`
	Numpaymentpendinginvoices    int64  `json:"numpaymentpendinginvoices"`
	Paymentpendinginvoicesamount string `json:"paymentpendinginvoicesamount"`
	Productsnumactivehosting     int64  `json:"productsnumactivehosting"`
	Productsnumhosting           int64  `json:"productsnumhosting"`
	Productsnumactivereseller    int64  `json:"productsnumactivereseller"`
	Productsnumreseller          int64  `json:"productsnumreseller"`
	Productsnumactiveservers     int64  `json:"productsnumactiveservers"`
	Productsnumservers           int64  `json:"productsnumservers"`
	Productsnumactiveother       int64  `json:"productsnumactiveother"`
	Productsnumother             int64  `json:"productsnumother"`
	Productsnumactive            int64  `json:"productsnumactive"`
	Productsnumtotal             int64  `json:"productsnumtotal"`
	Numactivedomains             int64  `json:"numactivedomains"`
	Numdomains                   int64  `json:"numdomains"`
	Numacceptedquotes            int64  `json:"numacceptedquotes"`
	Numquotes                    int64  `json:"numquotes"`
	Numtickets                   int64  `json:"numtickets"`
	Numactivetickets             int64  `json:"numactivetickets"`
	Numaffiliatesignups          int64  `json:"numaffiliatesignups"`
	IsAffiliate                  bool   `json:"isAffiliate"`
}

// WHMCS 8: the client at the top level and under client.
type kindsGetClientsDetails struct {
	Result string `json:"result"`
	kindsClient8
	Client kindsClient8     `json:"client"`
	Stats  kindsClientStats `json:"stats"`
}

// WHMCS 7.x: the same, with the card fields at the top level only.
type kindsGetClientsDetails7 struct {
	Result string `json:"result"`
	kindsClient7
	CCType     kindsNull `json:"cctype"`
	CCLastFour kindsNull `json:"cclastfour"`
	GatewayID  kindsNull `json:"gatewayid"`
	Client     struct {
		kindsClient7
		CCType     kindsAbsent `json:"cctype"`
		CCLastFour kindsAbsent `json:"cclastfour"`
		GatewayID  kindsAbsent `json:"gatewayid"`
	} `json:"client"`
	Stats kindsClientStats `json:"stats"`
}

// System tools and email.

type kindsResultOnly struct {
	Result string `json:"result"`
}

type kindsGetEmails struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Emails       struct {
		Email []struct {
			ID            int64     `json:"id"`
			Userid        int64     `json:"userid"`
			Subject       string    `json:"subject"`
			Message       string    `json:"message"`
			Date          string    `json:"date"`
			To            string    `json:"to"`
			CC            string    `json:"cc"`
			BCC           string    `json:"bcc"`
			Attachments   kindsNull `json:"attachments"`
			Pending       int64     `json:"pending"`
			MessageData   kindsNull `json:"message_data"`
			Failed        int64     `json:"failed"`
			FailureReason string    `json:"failure_reason"`
			RetryCount    int64     `json:"retry_count"`
			CreatedAt     kindsNull `json:"created_at"`
			UpdatedAt     kindsNull `json:"updated_at"`
			CampaignID    int64     `json:"campaign_id"`
		} `json:"email"`
	} `json:"emails"`
}

type kindsGetEmailTemplates struct {
	Result         string `json:"result"`
	Totalresults   int64  `json:"totalresults"`
	Emailtemplates struct {
		Emailtemplate []struct {
			ID      string `json:"id"`
			Name    string `json:"name"`
			Subject string `json:"subject"`
			Custom  string `json:"custom"`
		} `json:"emailtemplate"`
	} `json:"emailtemplates"`
}

type kindsAddBannedIp struct {
	Result string `json:"result"`
	Banid  int64  `json:"banid"`
}

type kindsGetAutomationLog struct {
	Result                      string                      `json:"result"`
	CurrentDatetime             string                      `json:"currentDatetime"`
	LastDailyCronInvocationTime string                      `json:"lastDailyCronInvocationTime"`
	Startdate                   string                      `json:"startdate"`
	Enddate                     string                      `json:"enddate"`
	Statistics                  map[string]map[string]int64 `json:"statistics"`
}

type kindsGetStats struct {
	Result                   string `json:"result"`
	IncomeToday              string `json:"income_today"`
	IncomeThismonth          string `json:"income_thismonth"`
	IncomeThisyear           string `json:"income_thisyear"`
	IncomeAlltime            string `json:"income_alltime"`
	OrdersPending            int64  `json:"orders_pending"`
	OrdersTodayCancelled     int64  `json:"orders_today_cancelled"`
	OrdersTodayPending       int64  `json:"orders_today_pending"`
	OrdersTodayFraud         int64  `json:"orders_today_fraud"`
	OrdersTodayActive        int64  `json:"orders_today_active"`
	OrdersTodayTotal         int64  `json:"orders_today_total"`
	OrdersYesterdayCancelled int64  `json:"orders_yesterday_cancelled"`
	OrdersYesterdayPending   int64  `json:"orders_yesterday_pending"`
	OrdersYesterdayFraud     int64  `json:"orders_yesterday_fraud"`
	OrdersYesterdayActive    int64  `json:"orders_yesterday_active"`
	OrdersYesterdayTotal     int64  `json:"orders_yesterday_total"`
	OrdersThismonthTotal     int64  `json:"orders_thismonth_total"`
	OrdersThisyearTotal      int64  `json:"orders_thisyear_total"`
	TicketsAllactive         int64  `json:"tickets_allactive"`
	TicketsAwaitingreply     int64  `json:"tickets_awaitingreply"`
	TicketsFlaggedtickets    int64  `json:"tickets_flaggedtickets"`
	TicketsOpen              int64  `json:"tickets_open"`
	TicketsAnswered          int64  `json:"tickets_answered"`
	TicketsCustomerreply     int64  `json:"tickets_customerreply"`
	TicketsClosed            int64  `json:"tickets_closed"`
	TicketsOnhold            int64  `json:"tickets_onhold"`
	TicketsInprogress        int64  `json:"tickets_inprogress"`
	CancellationsPending     int64  `json:"cancellations_pending"`
	TodoitemsDue             int64  `json:"todoitems_due"`
	NetworkissuesOpen        int64  `json:"networkissues_open"`
	BillableitemsUninvoiced  int64  `json:"billableitems_uninvoiced"`
	QuotesValid              int64  `json:"quotes_valid"`
	StaffOnline              int64  `json:"staff_online"`
	TimelineData             struct {
		NewOrders      map[string]int64  `json:"new_orders"`
		AcceptedOrders map[string]int64  `json:"accepted_orders"`
		Income         map[string]string `json:"income"`
		Expenditure    map[string]string `json:"expenditure"`
		NewTickets     map[string]int64  `json:"new_tickets"`
	} `json:"timeline_data"`
}

type kindsGetStaffOnline struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Staffonline  struct {
		Staff []struct {
			Adminusername string `json:"adminusername"`
			Logintime     string `json:"logintime"`
			Ipaddress     string `json:"ipaddress"`
			Lastvisit     string `json:"lastvisit"`
		} `json:"staff"`
	} `json:"staffonline"`
}

type kindsGetToDoItems struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Items        struct {
		Item []struct {
			ID          string `json:"id"`
			Date        string `json:"date"`
			Title       string `json:"title"`
			Description string `json:"description"`
			Admin       string `json:"admin"`
			Status      string `json:"status"`
			Duedate     string `json:"duedate"`
		} `json:"item"`
	} `json:"items"`
}

type kindsGetToDoItemStatuses struct {
	Result           string `json:"result"`
	Totalresults     int64  `json:"totalresults"`
	Todoitemstatuses struct {
		Status []struct {
			Type    string `json:"type"`
			Count   int64  `json:"count"`
			Overdue int64  `json:"overdue"`
		} `json:"status"`
	} `json:"todoitemstatuses"`
}

type kindsUpdateToDoItem struct {
	Result string `json:"result"`
	Itemid int64  `json:"itemid"`
}

type kindsGetClientPassword struct {
	Result   string `json:"result"`
	Password string `json:"password"`
}

// Modules, servers, addons, affiliates, cancellations and upgrades.

type kindsActivateModule struct {
	Result string `json:"result"`
}

type kindsDeactivateModule struct {
	Result string `json:"result"`
}

type kindsUpdateModuleConfiguration struct {
	Result string `json:"result"`
}

type kindsAffiliateActivate struct {
	Result string `json:"result"`
}

type kindsFraudOrder struct {
	Result string `json:"result"`
}

type kindsModuleChangePackage struct {
	Result string `json:"result"`
}

type kindsModuleChangePw struct {
	Result string `json:"result"`
}

type kindsModuleCustom struct {
	Result string `json:"result"`
}

type kindsAddCancelRequest struct {
	Result    string `json:"result"`
	Serviceid int64  `json:"serviceid"`
	Userid    int64  `json:"userid"`
}

type kindsGetAffiliates struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Affiliates   struct {
		Affiliate []struct {
			ID        string `json:"id"`
			Date      string `json:"date"`
			Clientid  string `json:"clientid"`
			Visitors  string `json:"visitors"`
			Paytype   string `json:"paytype"`
			Payamount string `json:"payamount"`
			Onetime   string `json:"onetime"`
			Balance   string `json:"balance"`
			Withdrawn string `json:"withdrawn"`
			CreatedAt string `json:"created_at"`
			UpdatedAt string `json:"updated_at"`
		} `json:"affiliate"`
	} `json:"affiliates"`
}

type kindsGetCancelledPackages struct {
	Result       string `json:"result"`
	Totalresults int64  `json:"totalresults"`
	Startnumber  int64  `json:"startnumber"`
	Numreturned  int64  `json:"numreturned"`
	Packages     struct {
		Package []struct {
			ID        string `json:"id"`
			Date      string `json:"date"`
			Relid     string `json:"relid"`
			Reason    string `json:"reason"`
			Type      string `json:"type"`
			CreatedAt string `json:"created_at"`
			UpdatedAt string `json:"updated_at"`
		} `json:"package"`
	} `json:"packages"`
}

type kindsClientAddon struct {
	ID                string `json:"id"`
	Userid            string `json:"userid"`
	Orderid           string `json:"orderid"`
	Serviceid         string `json:"serviceid"`
	Addonid           string `json:"addonid"`
	Name              string `json:"name"`
	Setupfee          string `json:"setupfee"`
	Recurring         string `json:"recurring"`
	Billingcycle      string `json:"billingcycle"`
	Tax               string `json:"tax"`
	Status            string `json:"status"`
	Regdate           string `json:"regdate"`
	Nextduedate       string `json:"nextduedate"`
	Nextinvoicedate   string `json:"nextinvoicedate"`
	Paymentmethod     string `json:"paymentmethod"`
	Paymentmethodname string `json:"paymentmethodname"`
	Notes             string `json:"notes"`
}

type kindsGetClientsAddons struct {
	Result       string `json:"result"`
	Serviceid    string `json:"serviceid"`
	Clientid     string `json:"clientid"`
	Totalresults int64  `json:"totalresults"`
	Addons       struct {
		Addon []struct {
			kindsClientAddon
			Qty string `json:"qty"`
		} `json:"addon"`
	} `json:"addons"`
}

type kindsGetClientsAddons7 struct {
	Result       string `json:"result"`
	Serviceid    string `json:"serviceid"`
	Clientid     string `json:"clientid"`
	Totalresults int64  `json:"totalresults"`
	Addons       struct {
		Addon []struct {
			kindsClientAddon
			Qty kindsAbsent `json:"qty"`
		} `json:"addon"`
	} `json:"addons"`
}

type kindsGetModuleConfigurationParameters struct {
	Result     string `json:"result"`
	Parameters []struct {
		Name        string `json:"name"`
		DisplayName string `json:"displayName"`
		FieldType   string `json:"fieldType"`
	} `json:"parameters"`
}

type kindsGetModuleQueue struct {
	Result string `json:"result"`
	Count  int64  `json:"count"`
	Queue  []struct {
		ID               string `json:"id"`
		ServiceType      string `json:"serviceType"`
		ServiceID        string `json:"serviceId"`
		ModuleName       string `json:"moduleName"`
		ModuleAction     string `json:"moduleAction"`
		LastAttempt      string `json:"lastAttempt"`
		LastAttemptError string `json:"lastAttemptError"`
		NumRetries       string `json:"numRetries"`
		Completed        string `json:"completed"`
		CreatedAt        string `json:"createdAt"`
		UpdatedAt        string `json:"updatedAt"`
	} `json:"queue"`
}

type kindsGetServers struct {
	Result  string `json:"result"`
	Servers []struct {
		ID                 int64  `json:"id"`
		Name               string `json:"name"`
		Hostname           string `json:"hostname"`
		Ipaddress          string `json:"ipaddress"`
		Active             bool   `json:"active"`
		ActiveServices     int64  `json:"activeServices"`
		MaxAllowedServices int64  `json:"maxAllowedServices"`
		PercentUsed        int64  `json:"percentUsed"`
		Module             string `json:"module"`
		Status             struct {
			HTTP   bool   `json:"http"`
			Load   string `json:"load"`
			Uptime string `json:"uptime"`
		} `json:"status"`
	} `json:"servers"`
	FetchStatus string `json:"fetchStatus"`
}

type kindsOrderFraudCheck struct {
	Result  string `json:"result"`
	Status  string `json:"status"`
	Module  string `json:"module"`
	Results string `json:"results"`
}

type kindsUpdateClientAddon struct {
	Result string `json:"result"`
	ID     int64  `json:"id"`
}

type kindsUpgradeProduct struct {
	Result                 string `json:"result"`
	Oldproductid           string `json:"oldproductid"`
	Oldproductname         string `json:"oldproductname"`
	Newproductid           int64  `json:"newproductid"`
	Newproductname         string `json:"newproductname"`
	Daysuntilrenewal       int64  `json:"daysuntilrenewal"`
	Totaldays              int64  `json:"totaldays"`
	Newproductbillingcycle string `json:"newproductbillingcycle"`
	Price                  string `json:"price"`
	ID                     string `json:"id"`
	Orderid                int64  `json:"orderid"`
	OrderNumber            string `json:"order_number"`
	Invoiceid              *int64 `json:"invoiceid"`
}
