package actions

import (
	"context"

	"github.com/whmcsemu/whmcsemu/store"
)

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

// listCounts are the counts WHMCS gives with a page of a list, numbers as
// its examples show them.
type listCounts struct {
	TotalResults int64 `json:"totalresults"`
	StartNumber  int64 `json:"startnumber"`
	NumReturned  int   `json:"numreturned"`
}

// countsOf counts a page of returned rows, read at p, out of total.
func countsOf(p store.Page, total int64, returned int) listCounts {
	return listCounts{TotalResults: total, StartNumber: p.Offset, NumReturned: returned}
}

// listHeader opens a list answer: result, then the counts. An answer that
// echoes its filters between the two (GetClientsProducts,
// GetClientsDomains) embeds success and listCounts apart.
type listHeader struct {
	success
	listCounts
}

// headerOf is the header of a page of returned rows, read at p, out of
// total.
func headerOf(p store.Page, total int64, returned int) listHeader {
	return listHeader{listCounts: countsOf(p, total, returned)}
}

// viewPage reads one page of a list in a read transaction; list is one of
// the store's paged queries, such as (*store.Tx).ListClients.
func viewPage[F, T any](ctx context.Context, env *Env, list func(*store.Tx, context.Context, F) ([]T, int64, error),
	f F) (page []T, total int64, err error) {
	err = env.DB.View(ctx, func(tx *store.Tx) (err error) {
		page, total, err = list(tx, ctx, f)
		return err
	})
	return page, total, err
}
