package store

import (
	"context"
	"database/sql"
)

// Announcement is an announcement (migration 0022). Date, CreatedAt and
// UpdatedAt are "Y-m-d H:i:s" (UTC), the last two MySQL's zero date when
// never set.
type Announcement struct {
	ID           int64
	Date         string
	Title        string
	Announcement string
	Published    bool
	CreatedAt    string
	UpdatedAt    string
}

const announcementColumns = `id, date, title, announcement, published, created_at, updated_at`

func scanAnnouncement(sc interface{ Scan(...any) error }) (Announcement, error) {
	var a Announcement
	err := sc.Scan(&a.ID, &a.Date, &a.Title, &a.Announcement, &a.Published, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// PutAnnouncement inserts an announcement (ID 0 takes the next id), or
// replaces the one with its id, and returns its id.
func (tx *Tx) PutAnnouncement(ctx context.Context, a Announcement) (int64, error) {
	if a.CreatedAt == "" {
		a.CreatedAt = "0000-00-00 00:00:00"
	}
	if a.UpdatedAt == "" {
		a.UpdatedAt = "0000-00-00 00:00:00"
	}
	return tx.upsert(ctx, `INSERT INTO announcements (`+announcementColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET `+updateAll(announcementColumns)+` RETURNING id`,
		nullID(a.ID), a.Date, a.Title, a.Announcement, a.Published, a.CreatedAt, a.UpdatedAt)
}

// AnnouncementByID returns the announcement with the given id.
func (tx *Tx) AnnouncementByID(ctx context.Context, id int64) (Announcement, error) {
	a, err := scanAnnouncement(tx.queryRow(ctx, `SELECT `+announcementColumns+` FROM announcements WHERE id = ?`, id))
	return a, noRow(err)
}

// DeleteAnnouncement deletes the announcement with the given id.
func (tx *Tx) DeleteAnnouncement(ctx context.Context, id int64) error {
	return tx.execFound(ctx, `DELETE FROM announcements WHERE id = ?`, id)
}

// ListAnnouncements returns a page of the announcements, newest date
// first (then highest id), and how many there are.
func (tx *Tx) ListAnnouncements(ctx context.Context, p Page) ([]Announcement, int64, error) {
	return listPage(ctx, tx, `SELECT count(*) FROM announcements`,
		`SELECT `+announcementColumns+` FROM announcements`+orderBy(true, "date", "id"), nil, p,
		func(rows *sql.Rows) (Announcement, error) { return scanAnnouncement(rows) })
}

// Announcements returns every announcement, by id (an export reads them).
func (tx *Tx) Announcements(ctx context.Context) ([]Announcement, error) {
	return collect(ctx, tx, `SELECT `+announcementColumns+` FROM announcements ORDER BY id`,
		func(rows *sql.Rows) (Announcement, error) { return scanAnnouncement(rows) })
}
