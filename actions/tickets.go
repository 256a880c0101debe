// This file holds WHMCS's support ticket actions: OpenTicket,
// AddTicketReply, AddTicketNote, UpdateTicket and DeleteTicket (Support
// category), GetTicket and GetTickets (Tickets category). Every write runs
// in one transaction; an error writes nothing.
//
// OpenTicket: "Department ID not found" · "Subject is required" · "Message
// is required" · "Client ID Not Found" · "The system cannot find the
// provided user ID." · "Contact ID Not Found" (a contact of another client
// too) · "Name and email address are required if not a client" · "Email
// Address Invalid" · "Service ID Not Found" · "Domain ID Not Found" (a
// domainid that is not one of the client's domains, as WHMCS checks it; a
// guest has none) · "Invalid Date Format" · "Ticket
// creation date cannot be in the future" · "Unable to generate ticket
// number" · "Sender Email Address Blocked" (a guest whose email
// BlockTicketSender blocked; whmcsemu's wording) · the attachment
// messages of actions/ticket_attachments.go. The mask tid is three capital letters, a hyphen and six digits
// (ABC-123456), c eight letters and digits, both from the Env's random
// source. priority is Low, Medium or High (any case), Medium otherwise;
// status is one of the ticket statuses (any case), Open otherwise. created
// is "Y-m-d H:i:s" or ISO 8601, read as UTC; the emulator clock when absent.
// admin=1 opens the ticket as the calling admin. Answer: id a number, tid
// and c strings.
//
// GetTicket: by ticketid, else ticketnum (the mask); "Ticket ID Not Found"
// (undocumented, WHMCS's wording of UpdateTicket). The replies start with
// the opening message as replyid "0", as in WHMCS's example; repliessort
// DESC lists them newest first. The ticket's ids and flag are numbers, as
// the response table types them; a reply's and a note's fields are
// strings, as the example shows them. notes is left out when there are
// none. WHMCS 8 sends id (the ticket's id again, a number) before
// ticketid, and from 8.0 the requestor fields; 7.x neither
// (actions/versions.go). Each post (the opening message, a reply, a note)
// shows its attachments: attachment, WHMCS's stored names joined by "|";
// attachments, each file's filename and index (an empty list when it has
// none); attachments_removed.
//
// GetTickets: no messages. Filters deptid, clientid, email (a guest's,
// any case), status (one status, or "Awaiting Reply": Open, Customer-Reply,
// On Hold, In Progress; "All Active Tickets": every status but Closed; "My
// Flagged Tickets": flagged to the caller) and subject (a substring, any
// case) combine with AND. Newest last reply first; limitnum defaults to 25.
// totalresults, startnumber, numreturned are numbers; tickets.ticket is
// absent when the page is empty; a ticket's fields are strings, as the
// example shows them.
//
// AddTicketReply: "Ticket ID not found" · "Message is required" · "Client
// ID Not Found" · "Contact ID Not Found" · "Name and email address are
// required if not a client" · "Email Address Invalid" · "Invalid Ticket
// Status" · "Invalid Date Format" · "Reply creation date cannot be in the
// future" · "Sender Email Address Blocked" (a guest) · the attachment
// messages. A reply by adminusername (kept as given) sets Answered, any
// other Customer-Reply, unless status names another; lastreply becomes the
// reply's date when that is later.
//
// AddTicketNote: "Ticket ID not found" · "Message is required" · "Invalid
// Date Format" · "Ticket creation date cannot be in the future" · the
// attachment messages. The note's admin is the caller's username.
//
// The three keep the files of attachments with the ticket, reply or note
// (actions/ticket_attachments.go).
//
// UpdateTicket: "Ticket ID Not Found" · "Department ID Not Found" ·
// "Invalid Ticket Priority. Valid priorities are: Low,Medium,High" ·
// "Invalid Ticket Status. Valid statuses are: " and the statuses joined by
// "," · "Invalid Date Format" · "Ticket creation date cannot be in the
// future". Only the fields sent change; userid sets the client (an unknown
// one is ignored), flag the admin flagged to, removeFlag clears it.
// markdown, customfields and preventClientClosure are accepted and ignored.
//
// DeleteTicket: "Ticket ID not found". The replies, notes and attachments
// go too.

package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/whmcsemu/whmcsemu/store"
)

// ticketDateLayout is how WHMCS shows a ticket date.
const ticketDateLayout = "2006-01-02 15:04:05"

// ticketPriorities are WHMCS's ticket priorities.
var ticketPriorities = []string{"Low", "Medium", "High"}

type ticketIDOnly struct {
	success
	TicketID int64 `json:"ticketid"`
}

// ticketCreated reads a created parameter: the emulator clock when empty.
// future is the message when it lies ahead of the clock.
func ticketCreated(env *Env, s, future string) (string, error) {
	now := env.Now().UTC()
	if strings.TrimSpace(s) == "" {
		return now.Format(ticketDateLayout), nil
	}
	var t time.Time
	var err error
	for _, layout := range []string{ticketDateLayout, time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err = time.Parse(layout, strings.TrimSpace(s)); err == nil {
			break
		}
	}
	if err != nil {
		return "", Errorf("Invalid Date Format")
	}
	if t.After(now) {
		return "", Errorf("%s", future)
	}
	return t.UTC().Format(ticketDateLayout), nil
}

// ticketStatusTitles returns the ticket statuses GetSupportStatuses knows.
func ticketStatusTitles(ctx context.Context, tx *store.Tx) ([]string, error) {
	list, err := tx.TicketStatuses(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Title
	}
	return out, nil
}

const ticketMaskLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
const ticketCodeChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// TicketMask returns a ticket mask like ABC-123456 from the random source;
// fixtures draw theirs the same way.
func TicketMask(env *Env) string {
	b := env.randomBytes(9)
	var sb strings.Builder
	for _, c := range b[:3] {
		sb.WriteByte(ticketMaskLetters[int(c)%len(ticketMaskLetters)])
	}
	sb.WriteByte('-')
	for _, c := range b[3:] {
		sb.WriteByte('0' + c%10)
	}
	return sb.String()
}

// TicketCode returns the eight-character client-area access code.
func TicketCode(env *Env) string {
	b := env.randomBytes(8)
	for i, c := range b {
		b[i] = ticketCodeChars[int(c)%len(ticketCodeChars)]
	}
	return string(b)
}

type openTicketRequest struct {
	DeptID    int64  `schema:"deptid"`
	Subject   string `schema:"subject"`
	Message   string `schema:"message"`
	ClientID  int64  `schema:"clientid"`
	UserID    int64  `schema:"userid"`
	ContactID int64  `schema:"contactid"`
	Name      string `schema:"name"`
	Email     string `schema:"email"`
	Priority  string `schema:"priority"`
	Status    string `schema:"status"`
	Created   string `schema:"created"`
	ServiceID int64  `schema:"serviceid"`
	DomainID  int64  `schema:"domainid"`
	Admin     bool   `schema:"admin"`
	// Attachments is base64 of a JSON list of {name, data}
	// (actions/ticket_attachments.go).
	Attachments string `schema:"attachments"`
}

type openTicketResponse struct {
	success
	ID  int64  `json:"id"`
	TID string `json:"tid"`
	C   string `json:"c"`
}

// openTicketBy checks who opens the ticket, in WHMCS's order, and sets
// them on t: a client, with the user or one of its contacts acting for it,
// or else a guest.
func openTicketBy(ctx context.Context, tx *store.Tx, req *openTicketRequest, t *store.Ticket) error {
	if req.ClientID == 0 {
		if err := ticketGuest(req.Name, req.Email); err != nil {
			return err
		}
		t.Name, t.Email = req.Name, req.Email
		return nil
	}
	contactID := req.ContactID
	if req.UserID != 0 {
		contactID = 0 // a user named opens it: the contact is not read
	}
	if err := clientAndContact(ctx, tx, req.ClientID, contactID); err != nil {
		return err
	}
	if req.UserID != 0 {
		if err := mustExist(ctx, tx.UserExists, req.UserID, Errorf("The system cannot find the provided user ID.")); err != nil {
			return err
		}
	}
	t.ClientID, t.ContactID = req.ClientID, contactID
	return nil
}

// ticketGuest checks the name and email of a guest, who is no client.
func ticketGuest(name, email string) error {
	if strings.TrimSpace(name) == "" || strings.TrimSpace(email) == "" {
		return Errorf("Name and email address are required if not a client")
	}
	if !userEmailValid(email) {
		return Errorf("Email Address Invalid")
	}
	return nil
}

func openTicket(ctx context.Context, env *Env, req *openTicketRequest) (any, error) {
	t := store.Ticket{DeptID: req.DeptID, Subject: req.Subject, Message: req.Message, Priority: "Medium",
		Status: "Open"}
	if p, ok := pickFold(ticketPriorities, req.Priority); ok {
		t.Priority = p
	}
	if req.Admin {
		t.Admin = CallerFrom(ctx).AdminUsername
	}
	var id int64
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx.SupportDepartmentExists, req.DeptID, Errorf("Department ID not found")); err != nil {
			return err
		}
		if strings.TrimSpace(req.Subject) == "" {
			return Errorf("Subject is required")
		}
		if strings.TrimSpace(req.Message) == "" {
			return Errorf("Message is required")
		}
		if err := openTicketBy(ctx, tx, req, &t); err != nil {
			return err
		}
		if err := ticketSenderAllowed(ctx, tx, t.ClientID, t.Email); err != nil {
			return err
		}
		if req.ServiceID != 0 {
			if err := mustExist(ctx, tx.ServiceExists, req.ServiceID, Errorf("Service ID Not Found")); err != nil {
				return err
			}
			t.Service = "S" + strconv.FormatInt(req.ServiceID, 10)
		}
		if req.DomainID != 0 {
			d, err := tx.DomainByID(ctx, req.DomainID)
			if err := notFoundUnless(err, t.ClientID != 0 && d.ClientID == t.ClientID,
				Errorf("Domain ID Not Found")); err != nil {
				return err
			}
			t.Service = "D" + strconv.FormatInt(req.DomainID, 10)
		}
		date, err := ticketCreated(env, req.Created, "Ticket creation date cannot be in the future")
		if err != nil {
			return err
		}
		t.Date, t.LastReply = date, date
		statuses, err := ticketStatusTitles(ctx, tx)
		if err != nil {
			return err
		}
		if s, ok := pickFold(statuses, req.Status); ok {
			t.Status = s
		}
		files, err := readTicketFiles(req.Attachments)
		if err != nil {
			return err
		}
		for range 10 {
			t.TID, t.C = TicketMask(env), TicketCode(env)
			used, err := tx.TicketTIDUsed(ctx, t.TID)
			if err != nil {
				return err
			}
			if !used {
				if id, err = tx.AddTicket(ctx, t); err != nil {
					return err
				}
				return storeTicketFiles(ctx, tx, env, store.TicketPost{TicketID: id}, files)
			}
		}
		return Errorf("Unable to generate ticket number")
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket opened", "ticketId", id, "tid", t.TID)
	return &openTicketResponse{ID: id, TID: t.TID, C: t.C}, nil
}

type getTicketRequest struct {
	TicketID    int64  `schema:"ticketid"`
	TicketNum   string `schema:"ticketnum"`
	RepliesSort string `schema:"repliessort"`
}

// getTicketResponse is GetTicket's answer. id (WHMCS 8) and the
// requestor fields (8.0) are sent as the version's shape says
// (actions/versions.go).
type getTicketResponse struct {
	success
	ID             *int64        `json:"id,omitempty"`
	TicketID       int64         `json:"ticketid"`
	TID            string        `json:"tid"`
	C              string        `json:"c"`
	DeptID         int64         `json:"deptid"`
	DeptName       string        `json:"deptname"`
	UserID         int64         `json:"userid"`
	ContactID      int64         `json:"contactid"`
	Name           string        `json:"name"`
	Email          string        `json:"email"`
	RequestorName  *string       `json:"requestor_name,omitempty"`
	RequestorType  *string       `json:"requestor_type,omitempty"`
	RequestorEmail *string       `json:"requestor_email,omitempty"`
	CC             string        `json:"cc"`
	Date           string        `json:"date"`
	Subject        string        `json:"subject"`
	Status         string        `json:"status"`
	Priority       string        `json:"priority"`
	Admin          string        `json:"admin"`
	LastReply      string        `json:"lastreply"`
	Flag           int64         `json:"flag"`
	Service        string        `json:"service"`
	Replies        ticketReplies `json:"replies"`
	Notes          *ticketNotes  `json:"notes,omitempty"`
}

type ticketReplies struct {
	Reply []ticketReplyItem `json:"reply"`
}

type ticketReplyItem struct {
	ReplyID        string  `json:"replyid"`
	UserID         string  `json:"userid"`
	ContactID      string  `json:"contactid"`
	Name           string  `json:"name"`
	Email          string  `json:"email"`
	RequestorName  *string `json:"requestor_name,omitempty"`
	RequestorEmail *string `json:"requestor_email,omitempty"`
	RequestorType  *string `json:"requestor_type,omitempty"`
	ticketPost
}

type ticketNotes struct {
	Note []ticketNoteItem `json:"note"`
}

type ticketNoteItem struct {
	NoteID string `json:"noteid"`
	ticketPost
}

// ticketPost is what a reply and a note end with: when, what, its
// attachments (WHMCS's stored names joined by "|", and each file's name
// and index) and by which admin.
type ticketPost struct {
	Date               string                 `json:"date"`
	Message            string                 `json:"message"`
	Attachment         string                 `json:"attachment"`
	Attachments        []ticketAttachmentItem `json:"attachments"`
	AttachmentsRemoved bool                   `json:"attachments_removed"`
	Admin              string                 `json:"admin"`
}

func newTicketPost(date, message, admin string, files postFiles, removed bool) ticketPost {
	return ticketPost{Date: date, Message: message, Attachment: files.attachment(), Attachments: files.list(),
		AttachmentsRemoved: removed, Admin: admin}
}

// ticketRequestor is who wrote a ticket or reply: name, email and WHMCS's
// requestor type.
func ticketRequestor(admin string, clientID, contactID int64, name, email, clientName, clientEmail string) (string, string, string) {
	switch {
	case admin != "":
		return admin, "", "Operator"
	case clientID != 0 && contactID != 0:
		return clientName, clientEmail, "Sub-Account"
	case clientID != 0:
		return clientName, clientEmail, "Owner"
	default:
		return name, email, "Guest"
	}
}

// ticketWho is the name and email a ticket shows: its client's, else its guest's.
func ticketWho(e store.TicketEntry) (string, string) {
	if e.ClientID != 0 {
		return e.ClientName, e.ClientEmail
	}
	return e.Name, e.Email
}

// ticketByIDOrMask finds a ticket by id, else by its mask (ticketnum), as
// GetTicket and AddTicketNote accept either.
func ticketByIDOrMask(ctx context.Context, tx *store.Tx, id int64, mask string) (store.TicketEntry, error) {
	if id != 0 {
		return tx.TicketByID(ctx, id)
	}
	return tx.TicketByTID(ctx, mask)
}

func getTicket(ctx context.Context, env *Env, req *getTicketRequest) (any, error) {
	var e store.TicketEntry
	var replies []store.TicketReply
	var notes []store.TicketNote
	var files map[store.TicketPost]postFiles
	others := map[int64]store.Client{} // clients of replies other than the ticket's (a merge brings them)
	desc := strings.EqualFold(strings.TrimSpace(req.RepliesSort), "DESC")
	err := env.DB.View(ctx, func(tx *store.Tx) (err error) {
		e, err = ticketByIDOrMask(ctx, tx, req.TicketID, req.TicketNum)
		if err != nil {
			return notFoundAs(err, Errorf("Ticket ID Not Found"))
		}
		if replies, err = tx.TicketReplies(ctx, e.ID, desc); err != nil {
			return err
		}
		if notes, err = tx.TicketNotes(ctx, e.ID); err != nil {
			return err
		}
		for _, r := range replies {
			if _, seen := others[r.ClientID]; r.ClientID == 0 || r.ClientID == e.ClientID || seen {
				continue
			}
			c, err := tx.ClientByID(ctx, r.ClientID)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			others[r.ClientID] = c // a client gone shows no name, as the ticket's would
		}
		files, err = ticketFilesByPost(ctx, tx, e.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	sh := env.shape()
	// only is v when the version sends the requestor fields, else nil.
	only := func(v string) *string {
		if !sh.ticketRequestor {
			return nil
		}
		return &v
	}
	name, email := ticketWho(e)
	rn, re, rt := ticketRequestor(e.Admin, e.ClientID, e.ContactID, e.Name, e.Email, e.ClientName, e.ClientEmail)
	resp := &getTicketResponse{TicketID: e.ID, TID: e.TID, C: e.C, DeptID: e.DeptID,
		DeptName: e.DeptName, UserID: e.ClientID, ContactID: e.ContactID, Name: name, Email: email,
		RequestorName: only(rn), RequestorType: only(rt), RequestorEmail: only(re), CC: e.CC, Date: e.Date,
		Subject: e.Subject, Status: e.Status, Priority: e.Priority, Admin: e.Admin, LastReply: e.LastReply,
		Flag: e.Flag, Service: e.Service}
	if sh.ticketID {
		resp.ID = &e.ID
	}
	first := ticketReplyItem{ReplyID: "0", UserID: strconv.FormatInt(e.ClientID, 10),
		ContactID: strconv.FormatInt(e.ContactID, 10), Name: name, Email: email, RequestorName: only(rn),
		RequestorEmail: only(re), RequestorType: only(rt),
		ticketPost: newTicketPost(e.Date, e.Message, e.Admin, files[store.TicketPost{TicketID: e.ID}], e.AttachmentsRemoved)}
	items := []ticketReplyItem{}
	if !desc {
		items = append(items, first)
	}
	for _, r := range replies {
		clientName, clientEmail := e.ClientName, e.ClientEmail
		if c, ok := others[r.ClientID]; ok {
			clientName, clientEmail = strings.TrimSpace(c.Firstname+" "+c.Lastname), c.Email
		}
		rn, re, rt := ticketRequestor(r.Admin, r.ClientID, r.ContactID, r.Name, r.Email, clientName, clientEmail)
		items = append(items, ticketReplyItem{ReplyID: strconv.FormatInt(r.ID, 10),
			UserID: strconv.FormatInt(r.ClientID, 10), ContactID: strconv.FormatInt(r.ContactID, 10),
			Name: r.Name, Email: r.Email, RequestorName: only(rn), RequestorEmail: only(re), RequestorType: only(rt),
			ticketPost: newTicketPost(r.Date, r.Message, r.Admin, files[store.TicketPost{TicketID: e.ID, ReplyID: r.ID}],
				r.AttachmentsRemoved)})
	}
	if desc {
		items = append(items, first)
	}
	resp.Replies.Reply = items
	if len(notes) > 0 {
		resp.Notes = &ticketNotes{Note: make([]ticketNoteItem, len(notes))}
		for i, n := range notes {
			resp.Notes.Note[i] = ticketNoteItem{NoteID: strconv.FormatInt(n.ID, 10),
				ticketPost: newTicketPost(n.Date, n.Message, n.Admin, files[store.TicketPost{TicketID: e.ID, NoteID: n.ID}],
					n.AttachmentsRemoved)}
		}
	}
	return resp, nil
}

type getTicketsRequest struct {
	LimitStart int64  `schema:"limitstart"`
	LimitNum   int64  `schema:"limitnum"`
	DeptID     int64  `schema:"deptid"`
	ClientID   int64  `schema:"clientid"`
	Email      string `schema:"email"`
	Status     string `schema:"status"`
	Subject    string `schema:"subject"`
}

type getTicketsResponse struct {
	listHeader
	Tickets *ticketList `json:"tickets,omitempty"`
}

type ticketList struct {
	Ticket []ticketItem `json:"ticket"`
}

type ticketItem struct {
	ID                 string                 `json:"id"`
	TID                string                 `json:"tid"`
	DeptID             string                 `json:"deptid"`
	UserID             string                 `json:"userid"`
	Name               string                 `json:"name"`
	OwnerName          string                 `json:"owner_name"`
	Email              string                 `json:"email"`
	RequestorName      string                 `json:"requestor_name"`
	RequestorEmail     string                 `json:"requestor_email"`
	RequestorType      string                 `json:"requestor_type"`
	CC                 string                 `json:"cc"`
	C                  string                 `json:"c"`
	Date               string                 `json:"date"`
	Subject            string                 `json:"subject"`
	Status             string                 `json:"status"`
	Priority           string                 `json:"priority"`
	Admin              string                 `json:"admin"`
	Attachment         string                 `json:"attachment"`
	Attachments        []ticketAttachmentItem `json:"attachments"`
	AttachmentsRemoved bool                   `json:"attachments_removed"`
	LastReply          string                 `json:"lastreply"`
	Flag               string                 `json:"flag"`
	Service            string                 `json:"service"`
}

func getTickets(ctx context.Context, env *Env, req *getTicketsRequest) (any, error) {
	f := store.TicketFilter{DeptID: req.DeptID, ClientID: req.ClientID, Email: strings.TrimSpace(req.Email),
		Subject: req.Subject}
	f.Page = listWindow(req.LimitStart, req.LimitNum)
	var page []store.TicketEntry
	var total int64
	files := map[int64]postFiles{}
	err := env.DB.View(ctx, func(tx *store.Tx) error {
		statuses, err := ticketStatusTitles(ctx, tx)
		if err != nil {
			return err
		}
		switch st := strings.TrimSpace(req.Status); {
		case st == "":
		case strings.EqualFold(st, "Awaiting Reply"):
			f.Statuses = ticketAwaiting
		case strings.EqualFold(st, "All Active Tickets"):
			for _, s := range statuses {
				if s != "Closed" {
					f.Statuses = append(f.Statuses, s)
				}
			}
		case strings.EqualFold(st, "My Flagged Tickets"):
			f.Flag = CallerFrom(ctx).AdminID
			if f.Flag == 0 {
				f.Flag = -1 // no admin: nothing is flagged to it
			}
		default:
			f.Statuses = []string{st}
		}
		if page, total, err = tx.ListTickets(ctx, f); err != nil {
			return err
		}
		ids := make([]int64, len(page))
		for i, e := range page {
			ids[i] = e.ID
		}
		opening, err := tx.OpeningAttachments(ctx, ids)
		for _, a := range opening {
			files[a.TicketID] = files[a.TicketID].with(a)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := &getTicketsResponse{listHeader: headerOf(f.Page, total, len(page))}
	if len(page) > 0 {
		resp.Tickets = &ticketList{Ticket: make([]ticketItem, len(page))}
	}
	for i, e := range page {
		name, email := ticketWho(e)
		rn, re, rt := ticketRequestor(e.Admin, e.ClientID, e.ContactID, e.Name, e.Email, e.ClientName, e.ClientEmail)
		resp.Tickets.Ticket[i] = ticketItem{ID: strconv.FormatInt(e.ID, 10), TID: e.TID,
			DeptID: strconv.FormatInt(e.DeptID, 10), UserID: strconv.FormatInt(e.ClientID, 10), Name: name,
			OwnerName: e.ClientName, Email: email, RequestorName: rn, RequestorEmail: re, RequestorType: rt,
			CC: e.CC, C: e.C, Date: e.Date, Subject: e.Subject, Status: e.Status, Priority: e.Priority,
			Admin: e.Admin, Attachment: files[e.ID].attachment(), Attachments: files[e.ID].list(),
			AttachmentsRemoved: e.AttachmentsRemoved, LastReply: e.LastReply, Flag: strconv.FormatInt(e.Flag, 10),
			Service: e.Service}
	}
	return resp, nil
}

type addTicketReplyRequest struct {
	TicketID      int64  `schema:"ticketid"`
	Message       string `schema:"message"`
	ClientID      int64  `schema:"clientid"`
	ContactID     int64  `schema:"contactid"`
	AdminUsername string `schema:"adminusername"`
	Name          string `schema:"name"`
	Email         string `schema:"email"`
	Status        string `schema:"status"`
	Created       string `schema:"created"`
	Attachments   string `schema:"attachments"` // as OpenTicket's
}

// ticketAnswerable checks what AddTicketReply and AddTicketNote check
// first: that the ticket was found (lookup is the error of finding it) and
// that a message was sent.
func ticketAnswerable(lookup error, message string) error {
	if lookup != nil {
		return notFoundAs(lookup, Errorf("Ticket ID not found"))
	}
	if strings.TrimSpace(message) == "" {
		return Errorf("Message is required")
	}
	return nil
}

func addTicketReply(ctx context.Context, env *Env, req *addTicketReplyRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.TicketByID(ctx, req.TicketID)
		if err := ticketAnswerable(err, req.Message); err != nil {
			return err
		}
		r := store.TicketReply{TicketID: e.ID, Message: req.Message}
		status := "Customer-Reply"
		switch {
		case req.ClientID != 0:
			if err := clientAndContact(ctx, tx, req.ClientID, req.ContactID); err != nil {
				return err
			}
			r.ClientID, r.ContactID = req.ClientID, req.ContactID
		case strings.TrimSpace(req.AdminUsername) != "":
			r.Admin = strings.TrimSpace(req.AdminUsername)
			status = "Answered"
		default:
			if err := ticketGuest(req.Name, req.Email); err != nil {
				return err
			}
			if err := ticketSenderAllowed(ctx, tx, 0, req.Email); err != nil {
				return err
			}
			r.Name, r.Email = req.Name, req.Email
		}
		if strings.TrimSpace(req.Status) != "" {
			statuses, err := ticketStatusTitles(ctx, tx)
			if err != nil {
				return err
			}
			s, ok := pickFold(statuses, req.Status)
			if !ok {
				return Errorf("Invalid Ticket Status")
			}
			status = s
		}
		if r.Date, err = ticketCreated(env, req.Created, "Reply creation date cannot be in the future"); err != nil {
			return err
		}
		files, err := readTicketFiles(req.Attachments)
		if err != nil {
			return err
		}
		replyID, err := tx.AddTicketReply(ctx, r)
		if err != nil {
			return err
		}
		if err := storeTicketFiles(ctx, tx, env, store.TicketPost{TicketID: e.ID, ReplyID: replyID}, files); err != nil {
			return err
		}
		e.Status = status
		if r.Date > e.LastReply { // a backdated reply leaves lastreply alone
			e.LastReply = r.Date
		}
		return tx.UpdateTicket(ctx, e.Ticket)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket reply added", "ticketId", req.TicketID)
	return &resultOnly{}, nil
}

type addTicketNoteRequest struct {
	TicketID    int64  `schema:"ticketid"`
	TicketNum   string `schema:"ticketnum"`
	Message     string `schema:"message"`
	Created     string `schema:"created"`
	Attachments string `schema:"attachments"` // as OpenTicket's
}

func addTicketNote(ctx context.Context, env *Env, req *addTicketNoteRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		e, err := ticketByIDOrMask(ctx, tx, req.TicketID, req.TicketNum)
		if err := ticketAnswerable(err, req.Message); err != nil {
			return err
		}
		n := store.TicketNote{TicketID: e.ID, Admin: CallerFrom(ctx).AdminUsername, Message: req.Message}
		if n.Date, err = ticketCreated(env, req.Created, "Ticket creation date cannot be in the future"); err != nil {
			return err
		}
		files, err := readTicketFiles(req.Attachments)
		if err != nil {
			return err
		}
		noteID, err := tx.AddTicketNote(ctx, n)
		if err != nil {
			return err
		}
		return storeTicketFiles(ctx, tx, env, store.TicketPost{TicketID: e.ID, NoteID: noteID}, files)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket note added", "ticketId", req.TicketID, "ticketNum", req.TicketNum)
	return &resultOnly{}, nil
}

type updateTicketRequest struct {
	TicketID   int64   `schema:"ticketid"`
	DeptID     *string `schema:"deptid"`
	Status     *string `schema:"status"`
	Subject    *string `schema:"subject"`
	UserID     *string `schema:"userid"`
	Name       *string `schema:"name"`
	Email      *string `schema:"email"`
	CC         *string `schema:"cc"`
	Priority   *string `schema:"priority"`
	Created    *string `schema:"created"`
	Flag       *string `schema:"flag"`
	RemoveFlag bool    `schema:"removeFlag"`
	Message    *string `schema:"message"`
}

func updateTicket(ctx context.Context, env *Env, req *updateTicketRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		e, err := tx.TicketByID(ctx, req.TicketID)
		if err != nil {
			return notFoundAs(err, Errorf("Ticket ID Not Found"))
		}
		t := e.Ticket
		if req.DeptID != nil {
			id := IntVal(*req.DeptID)
			if err := mustExist(ctx, tx.SupportDepartmentExists, id, Errorf("Department ID Not Found")); err != nil {
				return err
			}
			t.DeptID = id
		}
		if req.Priority != nil {
			p, ok := pickFold(ticketPriorities, *req.Priority)
			if !ok {
				return Errorf("Invalid Ticket Priority. Valid priorities are: %s", strings.Join(ticketPriorities, ","))
			}
			t.Priority = p
		}
		if req.Status != nil {
			statuses, err := ticketStatusTitles(ctx, tx)
			if err != nil {
				return err
			}
			s, ok := pickFold(statuses, *req.Status)
			if !ok {
				return Errorf("Invalid Ticket Status. Valid statuses are: %s", strings.Join(statuses, ","))
			}
			t.Status = s
		}
		if req.Created != nil {
			if t.Date, err = ticketCreated(env, *req.Created, "Ticket creation date cannot be in the future"); err != nil {
				return err
			}
		}
		if req.UserID != nil {
			id := IntVal(*req.UserID)
			if ok, err := tx.ClientExists(ctx, id); err != nil {
				return err
			} else if ok {
				t.ClientID, t.ContactID = id, 0
			}
		}
		setIf(&t.Subject, req.Subject)
		setIf(&t.Name, req.Name)
		setIf(&t.Email, req.Email)
		setIf(&t.CC, req.CC)
		setIf(&t.Message, req.Message)
		if req.Flag != nil {
			t.Flag = IntVal(*req.Flag)
		}
		if req.RemoveFlag {
			t.Flag = 0
		}
		return tx.UpdateTicket(ctx, t)
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket updated", "ticketId", req.TicketID)
	return &ticketIDOnly{TicketID: req.TicketID}, nil
}

type deleteTicketRequest struct {
	TicketID int64 `schema:"ticketid"`
}

func deleteTicket(ctx context.Context, env *Env, req *deleteTicketRequest) (any, error) {
	err := env.DB.Update(ctx, func(tx *store.Tx) error {
		return notFoundAs(tx.DeleteTicket(ctx, req.TicketID), Errorf("Ticket ID not found"))
	})
	if err != nil {
		return nil, err
	}
	env.Log.Info("ticket deleted", "ticketId", req.TicketID)
	return &resultOnly{}, nil
}
