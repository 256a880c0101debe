package actions

import "github.com/whmcsemu/whmcsemu/store"

// defaultPageSize is the limitnum WHMCS's list actions use when none is given.
const defaultPageSize = 25

// listWindow applies WHMCS's paging rules to limitstart and limitnum: a
// negative start is 0, and a limit of 0 or less is the default page size.
func listWindow(start, num int64) store.Page {
	if num <= 0 {
		num = defaultPageSize
	}
	return store.Page{Offset: max(start, 0), Limit: num}
}
