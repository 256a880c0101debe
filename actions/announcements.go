// This file holds WHMCS's announcement actions: AddAnnouncement,
// GetAnnouncements and DeleteAnnouncement (Support category) and
// UpdateAnnouncement (System category). Every write runs in one
// transaction; an error writes nothing. Dates are "Y-m-d H:i:s" (a "Y-m-d"
// day is midnight; ISO 8601 is read too), in UTC.
//
// AddAnnouncement: WHMCS documents no message; whmcsemu answers "Date is
// required", "Title is required", "Announcement is required" for a
// required parameter left out and "Invalid Date Format" for a date it
// cannot read. published is PHP's truth. created_at and updated_at are
// the emulator's now. Answer: announcementid, a number (the docs' table).
//
// GetAnnouncements: no messages. Newest date first (then highest id);
// limitnum defaults to 25. Counts are numbers (the docs' table); an
// announcement's values are strings, as WHMCS's example shows them;
// parentid is "0" and language "" (translations are not emulated); the
// list is left out when the page is empty.
//
// UpdateAnnouncement: "Announcement ID Not Found" · "Invalid Date Format".
// Only the fields sent change; updated_at becomes now. Answer:
// announcementid, a number (the docs' table).
//
// DeleteAnnouncement: "Announcement ID Not Found" (whmcsemu's wording,
// UpdateAnnouncement's: WHMCS documents no message). Answer:
// announcementid as a string, as WHMCS's example shows it (the docs'
// table does not list it).

package actions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// announcementDate reads an announcement date.
func announcementDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateTime, time.DateOnly, time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.DateTime), nil
		}
	}
	return "", Errorf("Invalid Date Format")
}

type addAnnouncementRequest struct {
	Date         string `schema:"date"`
	Title        string `schema:"title"`
	Announcement string `schema:"announcement"`
	Published    bool   `schema:"published"`
}

type announcementIDResponse struct {
	success
	AnnouncementID int64 `json:"announcementid"`
}

func addAnnouncement(ctx context.Context, env *Env, req *addAnnouncementRequest) (any, error) {
	switch {
	case strings.TrimSpace(req.Date) == "":
		return nil, Errorf("Date is required")
	case strings.TrimSpace(req.Title) == "":
		return nil, Errorf("Title is required")
	case strings.TrimSpace(req.Announcement) == "":
		return nil, Errorf("Announcement is required")
	}
	date, err := announcementDate(req.Date)
	if err != nil {
		return nil, err
	}
	now := env.Now().UTC().Format(time.DateTime)
	var id int64
	err = env.DB.Update(ctx, func(tx *store.Tx) (err error) {
		id, err = tx.PutAnnouncement(ctx, store.Announcement{Date: date, Title: req.Title,
			Announcement: req.Announcement, Published: req.Published, CreatedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("announcement added", "announcementId", id)
	return &announcementIDResponse{AnnouncementID: id}, nil
}

type getAnnouncementsRequest struct {
	LimitStart int64 `schema:"limitstart"`
	LimitNum   int64 `schema:"limitnum"`
}

type getAnnouncementsResponse struct {
	listHeader
	Announcements *announcementList `json:"announcements,omitempty"`
}

type announcementList struct {
	Announcement []announcementItem `json:"announcement"`
}

type announcementItem struct {
	ID           string `json:"id"`
	Date         string `json:"date"`
	Title        string `json:"title"`
	Announcement string `json:"announcement"`
	Published    string `json:"published"`
	ParentID     string `json:"parentid"`
	Language     string `json:"language"`
	CreatedAt    string `json:"created_at"`
	UpdatedAt    string `json:"updated_at"`
}

func getAnnouncements(ctx context.Context, env *Env, req *getAnnouncementsRequest) (any, error) {
	p := listWindow(req.LimitStart, req.LimitNum)
	page, total, err := viewPage(ctx, env, (*store.Tx).ListAnnouncements, p)
	if err != nil {
		return nil, err
	}
	resp := &getAnnouncementsResponse{listHeader: headerOf(p, total, len(page))}
	if len(page) > 0 {
		resp.Announcements = &announcementList{Announcement: make([]announcementItem, len(page))}
	}
	for i, a := range page {
		resp.Announcements.Announcement[i] = announcementItem{ID: strconv.FormatInt(a.ID, 10), Date: a.Date,
			Title: a.Title, Announcement: a.Announcement, Published: boolDigit(a.Published),
			ParentID: "0", CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	}
	return resp, nil
}

type updateAnnouncementRequest struct {
	AnnouncementID string  `schema:"announcementid"`
	Title          *string `schema:"title"`
	Announcement   *string `schema:"announcement"`
	Date           *string `schema:"date"`
	Published      *string `schema:"published"`
}

func updateAnnouncement(ctx context.Context, env *Env, req *updateAnnouncementRequest) (any, error) {
	id := IntVal(req.AnnouncementID)
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.AnnouncementByID(ctx, id)
		if err != nil {
			return notFoundAs(err, Errorf("Announcement ID Not Found"))
		}
		if req.Date != nil {
			if a.Date, err = announcementDate(*req.Date); err != nil {
				return err
			}
		}
		setIf(&a.Title, req.Title)
		setIf(&a.Announcement, req.Announcement)
		if req.Published != nil {
			a.Published = Truthy(*req.Published)
		}
		a.UpdatedAt = env.Now().UTC().Format(time.DateTime)
		_, err = tx.PutAnnouncement(ctx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("announcement updated", "announcementId", id)
	return &announcementIDResponse{AnnouncementID: id}, nil
}

type deleteAnnouncementRequest struct {
	AnnouncementID int64 `schema:"announcementid"`
}

type deleteAnnouncementResponse struct {
	success
	AnnouncementID string `json:"announcementid"`
}

func deleteAnnouncement(ctx context.Context, env *Env, req *deleteAnnouncementRequest) (any, error) {
	return changeOne(ctx, env, Errorf("Announcement ID Not Found"), func(tx *store.Tx) error {
		return tx.DeleteAnnouncement(ctx, req.AnnouncementID)
	}, &deleteAnnouncementResponse{AnnouncementID: strconv.FormatInt(req.AnnouncementID, 10)},
		"announcement deleted", "announcementId", req.AnnouncementID)
}
