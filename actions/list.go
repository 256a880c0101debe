package actions

// defaultPageSize is the limitnum WHMCS's list actions use when none is given.
const defaultPageSize = 25

// listWindow applies WHMCS's paging rules to limitstart and limitnum: a
// negative start is 0, and a limit of 0 or less is the default page size.
func listWindow[N int | int64](start, num N) (offset, limit N) {
	if num <= 0 {
		num = defaultPageSize
	}
	return max(start, 0), num
}
