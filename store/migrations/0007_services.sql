-- Service fields GetClientsProducts shows and UpdateClientProduct and the
-- Module* actions change. Dates are WHMCS's Y-m-d text ('' when unset);
-- amounts are decimal text as WHMCS shows them.

ALTER TABLE services ADD COLUMN regdate            TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN nextduedate        TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN terminationdate    TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN billingcycle       TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN firstpaymentamount TEXT NOT NULL DEFAULT '0.00';
ALTER TABLE services ADD COLUMN recurringamount    TEXT NOT NULL DEFAULT '0.00';
ALTER TABLE services ADD COLUMN paymentmethod      TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN subscriptionid     TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN username           TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN dedicatedip        TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN notes              TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN suspendreason      TEXT NOT NULL DEFAULT '';

CREATE INDEX services_client_id ON services (client_id);
