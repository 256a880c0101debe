module github.com/whmcsemu/whmcsemu/testdata/emulatortest

go 1.26.8
