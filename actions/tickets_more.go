// This file holds the rest of WHMCS's ticket actions: GetTicketAttachment,
// GetTicketCounts, GetTicketNotes, GetTicketPredefinedCats and
// GetTicketPredefinedReplies (Tickets category); UpdateTicketReply,
// DeleteTicketReply, DeleteTicketNote, MergeTicket and BlockTicketSender
// (Support category). They share the tickets, replies, notes and
// attachments of actions/tickets.go. Every write runs in one transaction;
// an error writes nothing.
//
// GetTicketAttachment: "Related ID Required" · "Invalid Type. Must be one
// of ticket, reply, note" (type compared exactly) · "Related ID Not Found"
// · "Attachment Index Required" (index not sent; 0 is the first file) ·
// "No Attachments Found" · "Attachments Deleted" (the post's
// attachments_removed, which a fixture sets) · "Invalid Attachment Index",
// in that order. Answer: filename (the name it was sent with) and data
// (its bytes in base64).
//
// GetTicketCounts: no messages. Every admin is in every department (as in
// GetSupportDepartments), so filteredDepartments lists them all and
// ignoreDepartmentAssignments changes nothing; tickets of a department
// that is gone are not counted. allActive counts every status but Closed,
// awaitingReply Open, Customer-Reply, On Hold and In Progress (as
// GetTickets' "Awaiting Reply"), flaggedTickets the active tickets flagged
// to the calling admin. includeCountsByStatus adds status: each status by
// its title in lower case without spaces or hyphens, with its title and
// count. Counts are numbers, as in WHMCS's example.
//
// GetTicketNotes: "Ticket ID Not Found" (undocumented: GetTicket's
// wording). totalresults a number; each note as WHMCS's example shows it:
// id, admin, date, message, attachment (stored names joined by "|"),
// attachments_removed; notes is left out when there are none.
//
// GetTicketPredefinedCats and GetTicketPredefinedReplies: no messages. The
// categories and replies come from the fixture (WHMCS's API has no action
// that adds them), by name as in WHMCS's example; catid keeps one
// category's replies (an unknown one: none). totalresults is a number (the
// docs' table); the lists are left out when empty.
//
// UpdateTicketReply: "Reply ID Required" · "Message is Required" · "Reply
// ID Not Found" · "Invalid Date Format" · "Reply creation date cannot be
// in the future". The message changes, and the date when created is sent;
// markdown is accepted and ignored. Answer: replyid, a number (the docs'
// table).
//
// DeleteTicketReply: "Ticket ID Required" · "Reply ID Required" · "Ticket
// ID Not Found" · "Reply ID Not Found" (a reply of another ticket too). Its
// attachments go with it.
//
// DeleteTicketNote: "Note ID Not Found". Its attachments go with it.
//
// MergeTicket: "Ticket ID Required" · "Ticket ID Invalid" · "Merge Ticket
// IDs Required" · "Invalid Merge Ticket IDs: " and the ids not found, as
// sent (each cut to 40 bytes), joined by ", ". mergeticketids is comma-separated (or a list);
// ticketid itself and repeats are skipped. Each merged ticket, in the
// order given, becomes part of ticketid: its opening message a reply (its
// author, date and attachments kept), its replies, notes and attachments
// moved as they are; then it is deleted (GetTicket no longer finds it).
// The thread is ordered by date, ticketid's status and other fields stay,
// lastreply becomes the latest; newsubject replaces the subject. Answer:
// ticketid, a number (the docs' table).
//
// BlockTicketSender: "Ticket ID Required" · "Ticket ID Not Found" · "A
// Client Cannot Be Blocked" (the ticket was opened by a client: WHMCS
// blocks unregistered senders only; whmcsemu's wording) · "The ticket has
// no sender email address" (a guest ticket whose email was emptied;
// whmcsemu's wording). The ticket's email joins the blocked senders: a
// guest with it can no longer open a ticket or reply ("Sender Email
// Address Blocked", whmcsemu's wording, WHMCS documents none). delete
// deletes the ticket too. Answer: deleted, a boolean.

package actions

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/whmcsemu/whmcsemu/store"
)

// echoed is a value sent, as a message quotes it: at most 40 bytes.
func echoed(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

// ticketSenderAllowed refuses a guest (clientID 0) whose email
// BlockTicketSender blocked.
func ticketSenderAllowed(ctx context.Context, tx *store.Tx, clientID int64, email string) error {
	if clientID != 0 {
		return nil
	}
	blocked, err := tx.TicketSenderBlocked(ctx, strings.TrimSpace(email))
	if err != nil {
		return err
	}
	if blocked {
		return Errorf("Sender Email Address Blocked")
	}
	return nil
}

type getTicketAttachmentRequest struct {
	RelatedID int64   `schema:"relatedid"`
	Type      string  `schema:"type"`
	Index     *string `schema:"index"`
}

type getTicketAttachmentResponse struct {
	success
	Filename string `json:"filename"`
	Data     string `json:"data"`
}

func getTicketAttachment(ctx context.Context, env *Env, req *getTicketAttachmentRequest) (any, error) {
	if req.RelatedID == 0 {
		return nil, Errorf("Related ID Required")
	}
	var file store.TicketAttachment
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		var post store.TicketPost
		var removed bool
		notFound := Errorf("Related ID Not Found")
		switch strings.TrimSpace(req.Type) {
		case "ticket":
			t, err := tx.TicketByID(ctx, req.RelatedID)
			if err != nil {
				return notFoundAs(err, notFound)
			}
			post, removed = store.TicketPost{TicketID: t.ID}, t.AttachmentsRemoved
		case "reply":
			r, err := tx.TicketReplyByID(ctx, req.RelatedID)
			if err != nil {
				return notFoundAs(err, notFound)
			}
			post, removed = store.TicketPost{TicketID: r.TicketID, ReplyID: r.ID}, r.AttachmentsRemoved
		case "note":
			n, err := tx.TicketNoteByID(ctx, req.RelatedID)
			if err != nil {
				return notFoundAs(err, notFound)
			}
			post, removed = store.TicketPost{TicketID: n.TicketID, NoteID: n.ID}, n.AttachmentsRemoved
		default:
			return Errorf("Invalid Type. Must be one of ticket, reply, note")
		}
		if req.Index == nil {
			return Errorf("Attachment Index Required")
		}
		files, err := tx.PostAttachments(ctx, post)
		switch {
		case err != nil:
			return err
		case len(files) == 0:
			return Errorf("No Attachments Found")
		case removed:
			return Errorf("Attachments Deleted")
		}
		i := IntVal(*req.Index)
		if i < 0 || i >= int64(len(files)) {
			return Errorf("Invalid Attachment Index")
		}
		file = files[i]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &getTicketAttachmentResponse{Filename: file.Filename, Data: base64.StdEncoding.EncodeToString(file.Data)}, nil
}

type getTicketCountsRequest struct {
	IgnoreDepartmentAssignments bool `schema:"ignoreDepartmentAssignments"`
	IncludeCountsByStatus       bool `schema:"includeCountsByStatus"`
}

type getTicketCountsResponse struct {
	success
	FilteredDepartments []int64             `json:"filteredDepartments"`
	AllActive           int                 `json:"allActive"`
	AwaitingReply       int                 `json:"awaitingReply"`
	FlaggedTickets      int                 `json:"flaggedTickets"`
	Status              *ticketStatusCounts `json:"status,omitempty"`
}

// ticketStatusCounts are the counts by status, in the order of WHMCS's
// example (the ticket statuses are fixed).
type ticketStatusCounts struct {
	Open          ticketStatusCount `json:"open"`
	Answered      ticketStatusCount `json:"answered"`
	CustomerReply ticketStatusCount `json:"customerreply"`
	Closed        ticketStatusCount `json:"closed"`
	OnHold        ticketStatusCount `json:"onhold"`
	InProgress    ticketStatusCount `json:"inprogress"`
}

type ticketStatusCount struct {
	Title string `json:"title"`
	Count int    `json:"count"`
}

// ticketAwaiting are the statuses of a ticket awaiting a reply.
var ticketAwaiting = []string{"Open", "Customer-Reply", "On Hold", "In Progress"}

func getTicketCounts(ctx context.Context, env *Env, req *getTicketCountsRequest) (any, error) {
	_ = req.IgnoreDepartmentAssignments // every admin is in every department
	resp := &getTicketCountsResponse{FilteredDepartments: []int64{}}
	byStatus := map[string]int{}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		depts, err := tx.SupportDepartments(ctx)
		if err != nil {
			return err
		}
		known := map[int64]bool{}
		for _, d := range depts {
			known[d.ID] = true
			resp.FilteredDepartments = append(resp.FilteredDepartments, d.ID)
		}
		counts, err := tx.TicketCounts(ctx)
		if err != nil {
			return err
		}
		for _, c := range counts {
			if known[c.DeptID] {
				byStatus[c.Status] += c.N
			}
		}
		flagged, err := tx.CountFlaggedTickets(ctx, CallerFrom(ctx).AdminID)
		resp.FlaggedTickets = int(flagged)
		return err
	})
	if err != nil {
		return nil, err
	}
	for status, n := range byStatus {
		if status != "Closed" {
			resp.AllActive += n
		}
	}
	for _, status := range ticketAwaiting {
		resp.AwaitingReply += byStatus[status]
	}
	if req.IncludeCountsByStatus {
		count := func(title string) ticketStatusCount { return ticketStatusCount{Title: title, Count: byStatus[title]} }
		resp.Status = &ticketStatusCounts{Open: count("Open"), Answered: count("Answered"),
			CustomerReply: count("Customer-Reply"), Closed: count("Closed"), OnHold: count("On Hold"),
			InProgress: count("In Progress")}
	}
	return resp, nil
}

type getTicketNotesRequest struct {
	TicketID int64 `schema:"ticketid"`
}

type getTicketNotesResponse struct {
	success
	TotalResults int             `json:"totalresults"`
	Notes        *ticketNoteList `json:"notes,omitempty"`
}

type ticketNoteList struct {
	Note []ticketNoteEntry `json:"note"`
}

type ticketNoteEntry struct {
	ID                 string `json:"id"`
	Admin              string `json:"admin"`
	Date               string `json:"date"`
	Message            string `json:"message"`
	Attachment         string `json:"attachment"`
	AttachmentsRemoved bool   `json:"attachments_removed"`
}

func getTicketNotes(ctx context.Context, env *Env, req *getTicketNotesRequest) (any, error) {
	var notes []store.TicketNote
	var files map[store.TicketPost]postFiles
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		t, err := tx.TicketByID(ctx, req.TicketID)
		if err != nil {
			return notFoundAs(err, Errorf("Ticket ID Not Found"))
		}
		if notes, err = tx.TicketNotes(ctx, t.ID); err != nil {
			return err
		}
		files, err = ticketFilesByPost(ctx, tx, t.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getTicketNotesResponse{TotalResults: len(notes)}
	if len(notes) > 0 {
		resp.Notes = &ticketNoteList{Note: make([]ticketNoteEntry, len(notes))}
	}
	for i, n := range notes {
		resp.Notes.Note[i] = ticketNoteEntry{ID: strconv.FormatInt(n.ID, 10), Admin: n.Admin, Date: n.Date,
			Message: n.Message, Attachment: files[store.TicketPost{TicketID: n.TicketID, NoteID: n.ID}].attachment(),
			AttachmentsRemoved: n.AttachmentsRemoved}
	}
	return resp, nil
}

type getTicketPredefinedCatsResponse struct {
	success
	TotalResults int                     `json:"totalresults"`
	Categories   *predefinedCategoryList `json:"categories,omitempty"`
}

type predefinedCategoryList struct {
	Category []predefinedCategoryItem `json:"category"`
}

type predefinedCategoryItem struct {
	ID         string `json:"id"`
	ParentID   string `json:"parentid"`
	Name       string `json:"name"`
	ReplyCount string `json:"replycount"`
}

func getTicketPredefinedCats(ctx context.Context, env *Env, _ *refNoParams) (any, error) {
	var cats []store.PredefinedCategory
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		cats, err = tx.PredefinedCategories(ctx, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getTicketPredefinedCatsResponse{TotalResults: len(cats)}
	if len(cats) > 0 {
		resp.Categories = &predefinedCategoryList{Category: make([]predefinedCategoryItem, len(cats))}
	}
	for i, c := range cats {
		resp.Categories.Category[i] = predefinedCategoryItem{ID: strconv.FormatInt(c.ID, 10),
			ParentID: strconv.FormatInt(c.ParentID, 10), Name: c.Name, ReplyCount: strconv.FormatInt(c.Replies, 10)}
	}
	return resp, nil
}

type getTicketPredefinedRepliesRequest struct {
	CatID int64 `schema:"catid"`
}

type getTicketPredefinedRepliesResponse struct {
	success
	TotalResults      int                  `json:"totalresults"`
	PredefinedReplies *predefinedReplyList `json:"predefinedreplies,omitempty"`
}

type predefinedReplyList struct {
	PredefinedReply []predefinedReplyItem `json:"predefinedreply"`
}

type predefinedReplyItem struct {
	Name  string `json:"name"`
	Reply string `json:"reply"`
}

func getTicketPredefinedReplies(ctx context.Context, env *Env, req *getTicketPredefinedRepliesRequest) (any, error) {
	var replies []store.PredefinedReply
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		if req.CatID < 0 {
			return nil // no category has a negative id; 0 would mean every one
		}
		replies, err = tx.PredefinedReplies(ctx, req.CatID, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getTicketPredefinedRepliesResponse{TotalResults: len(replies)}
	if len(replies) > 0 {
		resp.PredefinedReplies = &predefinedReplyList{PredefinedReply: make([]predefinedReplyItem, len(replies))}
	}
	for i, r := range replies {
		resp.PredefinedReplies.PredefinedReply[i] = predefinedReplyItem{Name: r.Name, Reply: r.Reply}
	}
	return resp, nil
}

type updateTicketReplyRequest struct {
	ReplyID  int64  `schema:"replyid"`
	Message  string `schema:"message"`
	Markdown bool   `schema:"markdown"`
	Created  string `schema:"created"`
}

type replyIDResponse struct {
	success
	ReplyID int64 `json:"replyid"`
}

func updateTicketReply(ctx context.Context, env *Env, req *updateTicketReplyRequest) (any, error) {
	if req.ReplyID == 0 {
		return nil, Errorf("Reply ID Required")
	}
	if strings.TrimSpace(req.Message) == "" {
		return nil, Errorf("Message is Required")
	}
	_ = req.Markdown // markdown is how WHMCS renders the message; the emulator keeps it as sent
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.TicketReplyByID(ctx, req.ReplyID)
		if err != nil {
			return notFoundAs(err, Errorf("Reply ID Not Found"))
		}
		date := r.Date
		if strings.TrimSpace(req.Created) != "" {
			if date, err = ticketCreated(env, req.Created, "Reply creation date cannot be in the future"); err != nil {
				return err
			}
		}
		return tx.UpdateTicketReply(ctx, r.ID, req.Message, date)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket reply updated", "replyId", req.ReplyID)
	return &replyIDResponse{ReplyID: req.ReplyID}, nil
}

type deleteTicketReplyRequest struct {
	TicketID int64 `schema:"ticketid"`
	ReplyID  int64 `schema:"replyid"`
}

func deleteTicketReply(ctx context.Context, env *Env, req *deleteTicketReplyRequest) (any, error) {
	switch {
	case req.TicketID == 0:
		return nil, Errorf("Ticket ID Required")
	case req.ReplyID == 0:
		return nil, Errorf("Reply ID Required")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.TicketByID(ctx, req.TicketID); err != nil {
			return notFoundAs(err, Errorf("Ticket ID Not Found"))
		}
		r, err := tx.TicketReplyByID(ctx, req.ReplyID)
		if err := notFoundUnless(err, r.TicketID == req.TicketID, Errorf("Reply ID Not Found")); err != nil {
			return err
		}
		return tx.DeleteTicketReply(ctx, r.ID)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket reply deleted", "ticketId", req.TicketID, "replyId", req.ReplyID)
	return &resultOnly{}, nil
}

type deleteTicketNoteRequest struct {
	NoteID int64 `schema:"noteid"`
}

func deleteTicketNote(ctx context.Context, env *Env, req *deleteTicketNoteRequest) (any, error) {
	return changeOne(ctx, env, Errorf("Note ID Not Found"), func(tx *store.Tx) error {
		return tx.DeleteTicketNote(ctx, req.NoteID)
	}, &resultOnly{}, "ticket note deleted", "noteId", req.NoteID)
}

type mergeTicketRequest struct {
	TicketID       int64    `schema:"ticketid"`
	MergeTicketIDs []string `schema:"mergeticketids"`
	NewSubject     string   `schema:"newsubject"`
}

func mergeTicket(ctx context.Context, env *Env, req *mergeTicketRequest) (any, error) {
	if req.TicketID == 0 {
		return nil, Errorf("Ticket ID Required")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		into, err := tx.TicketByID(ctx, req.TicketID)
		if err != nil {
			return notFoundAs(err, Errorf("Ticket ID Invalid"))
		}
		var merge []store.TicketEntry
		var invalid []string
		seen := map[int64]bool{into.ID: true}
		for _, part := range strings.Split(strings.Join(req.MergeTicketIDs, ","), ",") {
			part = strings.TrimSpace(part)
			id := IntVal(part)
			if part == "" || seen[id] {
				continue
			}
			seen[id] = true
			t, err := tx.TicketByID(ctx, id)
			switch {
			case err == nil:
				merge = append(merge, t)
			case errors.Is(err, store.ErrNotFound):
				invalid = append(invalid, echoed(part))
			default:
				return err
			}
		}
		if len(merge) == 0 && len(invalid) == 0 {
			return Errorf("Merge Ticket IDs Required")
		}
		if len(invalid) > 0 {
			return Errorf("Invalid Merge Ticket IDs: %s", strings.Join(invalid, ", "))
		}
		for _, t := range merge {
			if err := tx.MergeTicketInto(ctx, into, t); err != nil {
				return err
			}
		}
		if subject := strings.TrimSpace(req.NewSubject); subject != "" {
			if into, err = tx.TicketByID(ctx, into.ID); err != nil {
				return err
			}
			into.Subject = req.NewSubject
			return tx.UpdateTicket(ctx, into.Ticket)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("tickets merged", "ticketId", req.TicketID)
	return &ticketIDNumber{TicketID: req.TicketID}, nil
}

// ticketIDNumber is an answer of ticketid alone, a number.
type ticketIDNumber struct {
	success
	TicketID int64 `json:"ticketid"`
}

type blockTicketSenderRequest struct {
	TicketID int64 `schema:"ticketid"`
	Delete   bool  `schema:"delete"`
}

type blockTicketSenderResponse struct {
	success
	Deleted bool `json:"deleted"`
}

func blockTicketSender(ctx context.Context, env *Env, req *blockTicketSenderRequest) (any, error) {
	if req.TicketID == 0 {
		return nil, Errorf("Ticket ID Required")
	}
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.TicketByID(ctx, req.TicketID)
		if err != nil {
			return notFoundAs(err, Errorf("Ticket ID Not Found"))
		}
		if t.ClientID != 0 {
			return Errorf("A Client Cannot Be Blocked")
		}
		email := strings.TrimSpace(t.Email)
		if email == "" {
			return Errorf("The ticket has no sender email address")
		}
		if err := tx.BlockTicketSender(ctx, email); err != nil {
			return err
		}
		if req.Delete {
			return tx.DeleteTicket(ctx, t.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket sender blocked", "ticketId", req.TicketID, "deleted", req.Delete)
	return &blockTicketSenderResponse{Deleted: req.Delete}, nil
}
