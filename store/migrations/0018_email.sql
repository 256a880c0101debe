-- Email: the templates WHMCS renders (tblemailtemplates) and the outbox of
-- what it sent (tblemails, which GetEmails reads). whmcsemu sends nothing
-- over the network: every message an action or SendEmail sends lands in
-- the outbox, where GetEmails, the control plane and the console show it,
-- so a test can assert on the welcome email an order sent.
--
-- The templates marked seeded = 1 are the defaults an installation starts
-- with (a few of WHMCS's, by their WHMCS names); Wipe puts them back by
-- running the block between the defaults markers again: it must stay plain
-- INSERT statements.

CREATE TABLE email_templates (
    id       INTEGER PRIMARY KEY,
    type     TEXT NOT NULL,             -- general, product, domain, invoice, support, affiliate, admin
    name     TEXT NOT NULL,
    subject  TEXT NOT NULL DEFAULT '',
    message  TEXT NOT NULL DEFAULT '',  -- merge fields as {$name}
    language TEXT NOT NULL DEFAULT '',  -- '' is the default language
    custom   INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    seeded   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (name, language)
);

CREATE TABLE emails (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER REFERENCES clients(id) ON DELETE CASCADE, -- NULL for mail to admins
    to_address TEXT NOT NULL DEFAULT '',
    cc         TEXT NOT NULL DEFAULT '',
    bcc        TEXT NOT NULL DEFAULT '',
    subject    TEXT NOT NULL DEFAULT '',
    message    TEXT NOT NULL DEFAULT '',
    template   TEXT NOT NULL DEFAULT '',  -- the template's name; '' for a custom message
    type       TEXT NOT NULL DEFAULT '',  -- the template's type, or SendAdminEmail's
    date       INTEGER NOT NULL           -- Unix seconds, the emulator's clock
);

CREATE INDEX emails_client ON emails (client_id, id);

-- defaults:begin
INSERT INTO email_templates (type, name, subject, message, seeded) VALUES
    ('general', 'Client Signup Email', 'Welcome', '<p>Dear {$client_name},</p><p>Thank you for signing up with {$company_name}. Your email address is {$client_email}.</p>', 1),
    ('general', 'Order Confirmation', 'Order Confirmation', '<p>Dear {$client_name},</p><p>We have received your order (order number {$order_number}) and will be processing it shortly.</p>', 1),
    ('general', 'Automated Password Reset', 'Your new password for {$company_name}', '<p>Dear {$client_name},</p><p>As you requested, your password for our client area has been reset.</p>', 1),
    ('general', 'Password Reset Validation', 'Your login details for {$company_name}', '<p>Dear {$client_name},</p><p>To reset your password, follow this link: {$pw_reset_url}</p>', 1),
    ('general', 'Client Email Address Verification', 'Confirm Your Registration', '<p>Dear {$client_name},</p><p>Please confirm your email address: {$client_email_verification_link}</p>', 1),
    ('general', 'Account Invite', 'You have been invited to {$company_name}', '<p>You have been invited to manage the account of {$client_name}: {$invite_url}</p>', 1),
    ('general', 'Quote Delivery with PDF', 'Quote #{$quote_number} - {$quote_subject}', '<p>Dear {$client_name},</p><p>Here is the quote you requested: {$quote_subject}, valid until {$quote_valid_until}.</p>', 1),
    ('general', 'Quote Accepted', 'Quote Accepted', '<p>Dear {$client_name},</p><p>Thank you for accepting quote #{$quote_number}.</p>', 1),
    ('product', 'Hosting Account Welcome Email', 'New Account Information', '<p>Dear {$client_name},</p><p>Your order for {$service_product_name} has now been activated. Domain: {$service_domain}. Username: {$service_username}.</p>', 1),
    ('product', 'Other Product/Service Welcome Email', 'New Product Information', '<p>Dear {$client_name},</p><p>Your order for {$service_product_name} has now been activated.</p>', 1),
    ('product', 'Service Suspension Notification', 'Service Suspension Notification', '<p>Dear {$client_name},</p><p>{$service_product_name} ({$service_domain}) has been suspended.</p>', 1),
    ('product', 'Cancellation Request Confirmation', 'Cancellation Request Confirmation', '<p>Dear {$client_name},</p><p>We have received your request to cancel {$service_product_name}.</p>', 1),
    ('domain', 'Domain Registration Confirmation', 'Domain Registration Confirmation', '<p>Dear {$client_name},</p><p>The domain {$domain_name} has been registered for {$domain_reg_period}.</p>', 1),
    ('domain', 'Domain Transfer Initiated', 'Domain Transfer Initiated', '<p>Dear {$client_name},</p><p>The transfer of {$domain_name} has been initiated.</p>', 1),
    ('domain', 'Domain Renewal Confirmation', 'Domain Renewal Confirmation', '<p>Dear {$client_name},</p><p>The domain {$domain_name} has been renewed until {$domain_next_due_date}.</p>', 1),
    ('invoice', 'Invoice Created', 'Customer Invoice', '<p>Dear {$client_name},</p><p>Invoice #{$invoice_num} for {$invoice_total} has been generated, due {$invoice_date_due}.</p>', 1),
    ('invoice', 'Invoice Payment Confirmation', 'Invoice Payment Confirmation', '<p>Dear {$client_name},</p><p>Thank you for your payment of {$invoice_last_payment_amount} for invoice #{$invoice_num}.</p>', 1),
    ('invoice', 'Invoice Payment Reminder', 'Invoice Payment Reminder', '<p>Dear {$client_name},</p><p>Invoice #{$invoice_num} for {$invoice_total} is due on {$invoice_date_due}.</p>', 1),
    ('support', 'Support Ticket Opened', '[Ticket ID: {$ticket_id}] {$ticket_subject}', '<p>Dear {$client_name},</p><p>Thank you for contacting us. Your ticket #{$ticket_id} has been opened.</p>', 1),
    ('support', 'Support Ticket Reply', '[Ticket ID: {$ticket_id}] {$ticket_subject}', '<p>{$ticket_message}</p>', 1),
    ('affiliate', 'Affiliate Monthly Referrals Report', 'Affiliate Monthly Referrals Report', '<p>Dear {$client_name},</p><p>Your affiliate report for this month.</p>', 1),
    ('admin', 'New Order Notification', 'WHMCS New Order Notification', '<p>Order #{$order_id} has been placed by {$client_name}.</p>', 1),
    ('admin', 'Support Ticket Created', '[Ticket ID: {$ticket_id}] {$ticket_subject}', '<p>A new ticket has been opened by {$client_name}.</p>', 1),
    ('admin', 'Custom Admin Notification', '{$subject}', '<p>{$message}</p>', 1);
-- defaults:end
