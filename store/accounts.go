package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// User is a login identity (WHMCS 8): it can reach one or more clients.
type User struct {
	ID               int64
	Firstname        string
	Lastname         string
	Email            string
	PasswordHash     string // bcrypt
	TwoFactorEnabled bool
}

// Client is a billing account with an owner user and maybe more users.
type Client struct {
	ID          int64
	UUID        string
	Firstname   string
	Lastname    string
	CompanyName string
	Email       string
	Status      string
	OwnerUserID int64   // 0 when the client has no owner
	UserIDs     []int64 // users other than the owner who may use the account
}

// ProductGroup groups products in the order form.
type ProductGroup struct {
	ID   int64
	Name string
}

// Product is something a client can order.
type Product struct {
	ID      int64
	GroupID int64
	Name    string
	Type    string
}

// Service is a client's instance of a product.
type Service struct {
	ID        int64
	ClientID  int64
	ProductID int64
	Domain    string
	Status    string
}

const userColumns = `id, firstname, lastname, email, password_hash, two_factor_enabled`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Firstname, &u.Lastname, &u.Email, &u.PasswordHash, &u.TwoFactorEnabled)
	return u, noRow(err)
}

// UserByID returns the user with the given id.
func (tx *Tx) UserByID(ctx context.Context, id int64) (User, error) {
	if m := tx.fromModel(modelUsers, id); m != nil {
		return m.user(id)
	}
	return tx.sqlUserByID(ctx, id)
}

func (tx *Tx) sqlUserByID(ctx context.Context, id int64) (User, error) {
	return scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
}

// UserByEmail returns the user with the given email (case-insensitive).
func (tx *Tx) UserByEmail(ctx context.Context, email string) (User, error) {
	return scanUser(tx.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
}

// PutUser inserts or replaces a user, matched by id or else by email.
func (tx *Tx) PutUser(ctx context.Context, u User) (int64, error) {
	target := "email"
	if u.ID != 0 {
		target = "id"
	}
	return tx.upsert(ctx, `INSERT INTO users (id, firstname, lastname, email, password_hash, two_factor_enabled)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT(`+target+`) DO UPDATE SET firstname = excluded.firstname, lastname = excluded.lastname,
		email = excluded.email, password_hash = excluded.password_hash, two_factor_enabled = excluded.two_factor_enabled
		RETURNING id`,
		nullID(u.ID), u.Firstname, u.Lastname, u.Email, u.PasswordHash, u.TwoFactorEnabled)
}

// ClientByID returns the client with the given id and its users.
func (tx *Tx) ClientByID(ctx context.Context, id int64) (Client, error) {
	if m := tx.fromModel(modelClients, id); m != nil && tx.fromModel(modelClientUsers, 0) != nil {
		return m.client(id)
	}
	var c Client
	var owner sql.NullInt64
	err := tx.queryRow(ctx, `SELECT id, uuid, firstname, lastname, companyname, email, status, owner_user_id
		FROM clients WHERE id = ?`, id).
		Scan(&c.ID, &c.UUID, &c.Firstname, &c.Lastname, &c.CompanyName, &c.Email, &c.Status, &owner)
	if err != nil {
		return c, noRow(err)
	}
	c.OwnerUserID = owner.Int64
	c.UserIDs, err = tx.int64s(ctx, `SELECT user_id FROM client_users WHERE client_id = ? ORDER BY user_id`, id)
	return c, err
}

// ClientUUID returns the uuid of the client with the given id.
func (tx *Tx) ClientUUID(ctx context.Context, id int64) (string, error) {
	var uuid string
	err := tx.queryRow(ctx, `SELECT uuid FROM clients WHERE id = ?`, id).Scan(&uuid)
	return uuid, noRow(err)
}

// ClientIDByUUID returns the id of the client with the given uuid.
func (tx *Tx) ClientIDByUUID(ctx context.Context, uuid string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM clients WHERE uuid = ?`, uuid).Scan(&id)
	return id, noRow(err)
}

// PutClient inserts or replaces a client, matched by id, and sets its extra
// users to exactly c.UserIDs (a user it had already keeps its permissions).
func (tx *Tx) PutClient(ctx context.Context, c Client) (int64, error) {
	id, err := tx.upsert(ctx, `INSERT INTO clients (id, uuid, firstname, lastname, companyname, email, status, owner_user_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET uuid = excluded.uuid, firstname = excluded.firstname, lastname = excluded.lastname,
		companyname = excluded.companyname, email = excluded.email, status = excluded.status,
		owner_user_id = excluded.owner_user_id
		RETURNING id`,
		nullID(c.ID), c.UUID, c.Firstname, c.Lastname, c.CompanyName, c.Email, c.Status, nullID(c.OwnerUserID))
	if err != nil {
		return 0, err
	}
	// The links c keeps stay as they are (with their permissions); the
	// others go.
	keep, err := json.Marshal(append([]int64{}, c.UserIDs...)) // [] rather than null
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `DELETE FROM client_users WHERE client_id = ?
		AND user_id NOT IN (SELECT value FROM json_each(?))`, id, string(keep)); err != nil {
		return 0, err
	}
	for _, u := range c.UserIDs {
		if _, err := tx.exec(ctx,
			`INSERT OR IGNORE INTO client_users (client_id, user_id) VALUES (?, ?)`, id, u); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// PutProductGroup inserts or replaces a product group, matched by id.
func (tx *Tx) PutProductGroup(ctx context.Context, g ProductGroup) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO product_groups (id, name) VALUES (?, ?)
		ON CONFLICT(id) DO UPDATE SET name = excluded.name RETURNING id`, nullID(g.ID), g.Name)
}

// PutProduct inserts or replaces a product, matched by id.
func (tx *Tx) PutProduct(ctx context.Context, p Product) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO products (id, gid, name, type) VALUES (?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET gid = excluded.gid, name = excluded.name, type = excluded.type RETURNING id`,
		nullID(p.ID), nullID(p.GroupID), p.Name, p.Type)
}

// PutService inserts or replaces a service, matched by id.
func (tx *Tx) PutService(ctx context.Context, s Service) (int64, error) {
	return tx.upsert(ctx, `INSERT INTO services (id, client_id, product_id, domain, status) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET client_id = excluded.client_id, product_id = excluded.product_id,
		domain = excluded.domain, status = excluded.status RETURNING id`,
		nullID(s.ID), s.ClientID, s.ProductID, s.Domain, s.Status)
}

// ServiceByID returns the service with the given id.
func (tx *Tx) ServiceByID(ctx context.Context, id int64) (Service, error) {
	var s Service
	err := tx.queryRow(ctx, `SELECT id, client_id, product_id, domain, status FROM services WHERE id = ?`, id).
		Scan(&s.ID, &s.ClientID, &s.ProductID, &s.Domain, &s.Status)
	return s, noRow(err)
}
