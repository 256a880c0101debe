module github.com/whmcsemu/whmcsemu/testdata/oauth-clients

go 1.26.8

require (
	github.com/coreos/go-oidc/v3 v3.21.0
	github.com/whmcsemu/whmcsemu/testdata/emulatortest v0.0.0
	golang.org/x/net v0.63.0
	golang.org/x/oauth2 v0.38.0
)

require github.com/go-jose/go-jose/v4 v4.1.4 // indirect

replace github.com/whmcsemu/whmcsemu/testdata/emulatortest => ../emulatortest
