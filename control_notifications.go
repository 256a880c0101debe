package whmcsemu

import (
	"net/http"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// notificationEntry is a notification event TriggerNotificationEvent
// raised, as the control plane lists it.
type notificationEntry struct {
	ID          int64                         `json:"id"`
	Identifier  string                        `json:"identifier"`
	Title       string                        `json:"title"`
	Message     string                        `json:"message"`
	URL         string                        `json:"url,omitempty"`
	Status      string                        `json:"status,omitempty"`
	StatusStyle string                        `json:"statusStyle,omitempty"`
	Attributes  []store.NotificationAttribute `json:"attributes"`
	AdminID     int64                         `json:"adminId,omitempty"`
	Date        time.Time                     `json:"date"`
}

// ctlNotifications lists the notification events, newest first; limit
// keeps the first ones.
func (s *Server) ctlNotifications(w http.ResponseWriter, r *http.Request) {
	var p store.Page
	var err error
	if p.Limit, err = queryWhole(r.URL.Query(), "limit"); err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	var events []store.NotificationEvent
	var total int64
	err = s.db.View(r.Context(), func(tx *store.Tx) (err error) {
		events, total, err = tx.NotificationEvents(r.Context(), true, p)
		return err
	})
	if err != nil {
		s.log.Error("control: notifications", "err", err)
		ctlError(w, http.StatusInternalServerError, "reading the notification events failed")
		return
	}
	out := make([]notificationEntry, len(events))
	for i, e := range events {
		out[i] = notificationEntry{ID: e.ID, Identifier: e.Identifier, Title: e.Title, Message: e.Message, URL: e.URL,
			Status: e.Status, StatusStyle: e.StatusStyle, Attributes: e.Attributes, AdminID: e.AdminID,
			Date: time.Unix(e.Date, 0).UTC()}
	}
	ctlJSON(w, http.StatusOK, map[string]any{"total": total, "notifications": out})
}

func (s *Server) ctlClearNotifications(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Update(r.Context(), func(tx *store.Tx) error { return tx.ClearNotificationEvents(r.Context()) }); err != nil {
		s.log.Error("control: clearing the notification events", "err", err)
		ctlError(w, http.StatusInternalServerError, "clearing the notification events failed")
		return
	}
	ctlOK(w)
}
