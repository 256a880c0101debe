// This file holds the ticket attachments of WHMCS's OpenTicket,
// AddTicketReply and AddTicketNote, which take attachments as WHMCS
// documents them, base64 of a JSON list of objects with a name and the
// file's data in base64:
//
//	base64_encode(json_encode([['name' => 'a.png', 'data' => base64_encode($bytes)]]))
//
// and keep the files with the ticket, reply or note they came with.
// GetTicket lists them (attachment, WHMCS's stored names joined by "|";
// attachments, each file's name and index), GetTicketNotes names a note's,
// and GetTicketAttachment returns one.
//
// What WHMCS documents no rule for, whmcsemu decides and says so in
// docs/compatibility.md: a value that is not that JSON is refused ("Invalid
// attachments: …") rather than ignored; at most maxTicketAttachments files
// come with one message, each name at most maxAttachmentName bytes (the
// base name only: a path is cut off, and "|", which separates WHMCS's
// stored names, and control characters are dropped). The request's size
// limit (--max-body) bounds the files' bytes, since they come in one
// parameter, which MaxParamBytes does not bound. The $_FILES form a PHP
// script may pass through the local API, and file parts of a multipart
// body, are not read, and no file extension is refused (WHMCS's setting of
// allowed extensions is not emulated).
//
// Their messages (whmcsemu's wording; WHMCS documents none): "Invalid
// attachments: not base64-encoded JSON" · "Invalid attachments: not a JSON
// list of objects with a name and data" · "Too many attachments: at most
// 20 files come with one message" · "Invalid attachments: attachment N
// needs a name and data" · "… has no file name" · "… the name of
// attachment N is longer than 255 bytes" · "… the data of attachment N is
// not base64".

package actions

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whmcsemu/whmcsemu/store"
)

const (
	maxTicketAttachments = 20  // files one message may bring
	maxAttachmentName    = 255 // bytes of a file's name
)

// ticketFile is an attachment as sent: its name and bytes.
type ticketFile struct {
	name string
	data []byte
}

// phpBase64 decodes base64 as PHP's base64_decode does for what callers
// send: white space ignored, padding optional.
func phpBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// readTicketFiles reads an attachments parameter ("" for none).
func readTicketFiles(param string) ([]ticketFile, error) {
	if strings.TrimSpace(param) == "" {
		return nil, nil
	}
	raw, err := phpBase64(param)
	if err != nil {
		return nil, Errorf("Invalid attachments: not base64-encoded JSON")
	}
	var list []struct {
		Name *string `json:"name"`
		Data *string `json:"data"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, Errorf("Invalid attachments: not a JSON list of objects with a name and data")
	}
	if len(list) > maxTicketAttachments {
		return nil, Errorf("Too many attachments: at most %d files come with one message", maxTicketAttachments)
	}
	files := make([]ticketFile, 0, len(list))
	for i, item := range list {
		n := i + 1
		if item.Name == nil || item.Data == nil {
			return nil, Errorf("Invalid attachments: attachment %d needs a name and data", n)
		}
		name := attachmentName(*item.Name)
		switch {
		case name == "":
			return nil, Errorf("Invalid attachments: attachment %d has no file name", n)
		case len(name) > maxAttachmentName:
			return nil, Errorf("Invalid attachments: the name of attachment %d is longer than %d bytes", n, maxAttachmentName)
		}
		data, err := phpBase64(*item.Data)
		if err != nil {
			return nil, Errorf("Invalid attachments: the data of attachment %d is not base64", n)
		}
		files = append(files, ticketFile{name: name, data: data})
	}
	return files, nil
}

// attachmentName is the base name of a sent file name, without "|" or
// control characters, and valid UTF-8.
func attachmentName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '|' || unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// storeTicketFiles keeps files with a post, each under a stored name as
// WHMCS makes one: six random digits, "_", the name.
func storeTicketFiles(ctx context.Context, tx *store.Tx, env *Env, post store.TicketPost, files []ticketFile) error {
	if len(files) == 0 {
		return nil
	}
	out := make([]store.TicketAttachment, len(files))
	for i, f := range files {
		out[i] = store.TicketAttachment{Filename: f.name, Stored: AttachmentStoredName(env, f.name), Data: f.data}
	}
	return tx.AddTicketAttachments(ctx, post, out)
}

// ticketAttachmentItem is one file of a post as GetTicket lists it.
type ticketAttachmentItem struct {
	Filename string `json:"filename"`
	Index    int64  `json:"index"`
}

// postFiles is what a post shows of its attachments: attachment (the
// stored names joined by "|") and attachments (each file's name and index).
type postFiles struct {
	stored []string
	items  []ticketAttachmentItem
}

func (p postFiles) attachment() string { return strings.Join(p.stored, "|") }

func (p postFiles) list() []ticketAttachmentItem {
	if p.items == nil {
		return []ticketAttachmentItem{}
	}
	return p.items
}

// ticketFilesByPost reads a ticket's attachments (without their data),
// grouped by post.
func ticketFilesByPost(ctx context.Context, tx *store.Tx, ticketID int64) (map[store.TicketPost]postFiles, error) {
	list, err := tx.TicketAttachments(ctx, ticketID, false)
	if err != nil {
		return nil, err
	}
	out := map[store.TicketPost]postFiles{}
	for _, a := range list {
		out[a.TicketPost] = out[a.TicketPost].with(a)
	}
	return out, nil
}

// with is p with one more of the post's attachments, in order.
func (p postFiles) with(a store.TicketAttachment) postFiles {
	p.stored = append(p.stored, a.Stored)
	p.items = append(p.items, ticketAttachmentItem{Filename: a.Filename, Index: a.Position})
	return p
}

// AttachmentName returns a sent file name as whmcsemu keeps it (the base
// name, without "|" or control characters); fixtures check theirs with it.
func AttachmentName(s string) string { return attachmentName(s) }

// AttachmentStoredName returns a stored name for a file as WHMCS makes one
// (six random digits, "_", the name), drawn from env's random source.
func AttachmentStoredName(env *Env, name string) string {
	prefix := 100000 + binary.BigEndian.Uint32(env.randomBytes(4))%900000
	return strconv.Itoa(int(prefix)) + "_" + name
}

// MaxAttachmentsPerPost and MaxAttachmentNameBytes are the bounds the API
// puts on a message's attachments; fixtures keep to them too.
const (
	MaxAttachmentsPerPost  = maxTicketAttachments
	MaxAttachmentNameBytes = maxAttachmentName
)
