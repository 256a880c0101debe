module github.com/whmcsemu/whmcsemu/testdata/oci-sdk

go 1.26.8

require (
	github.com/go-jose/go-jose/v4 v4.1.9
	github.com/oracle/oci-go-sdk/v65 v65.129.0
	github.com/whmcsemu/whmcsemu/testdata/emulatortest v0.0.0
	golang.org/x/oauth2 v0.38.0
)

require (
	github.com/gofrs/flock v0.10.0 // indirect
	github.com/sony/gobreaker/v2 v2.4.0 // indirect
	github.com/stretchr/testify v1.12.1 // indirect
	github.com/youmark/pkcs8 v0.0.0-20240726163527-a2c0da244d78 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)

replace github.com/whmcsemu/whmcsemu/testdata/emulatortest => ../emulatortest
