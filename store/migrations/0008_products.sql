-- What the Products actions keep of a product beyond 0001's id, group,
-- name and type: the friendly name (slug), the cart description, whether
-- the order form hides it, how it is paid for (free, onetime, recurring),
-- its server module, stock control and the quantity in stock, and its
-- display order.
ALTER TABLE products ADD COLUMN slug TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN paytype TEXT NOT NULL DEFAULT 'free';
ALTER TABLE products ADD COLUMN module TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN stock_control INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN qty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;

-- A product's prices in one currency: a setup fee and a price for each
-- billing cycle, decimals as WHMCS shows them ("-1.00" for a cycle that is
-- not offered). currency_id has no foreign key, so that a fixture may give
-- prices before its currencies and replacing the seeded currency keeps
-- them; rows of a currency that does not exist are not shown.
CREATE TABLE product_pricing (
    product_id   INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    currency_id  INTEGER NOT NULL,
    msetupfee    TEXT NOT NULL DEFAULT '0.00',
    qsetupfee    TEXT NOT NULL DEFAULT '0.00',
    ssetupfee    TEXT NOT NULL DEFAULT '0.00',
    asetupfee    TEXT NOT NULL DEFAULT '0.00',
    bsetupfee    TEXT NOT NULL DEFAULT '0.00',
    tsetupfee    TEXT NOT NULL DEFAULT '0.00',
    monthly      TEXT NOT NULL DEFAULT '-1.00',
    quarterly    TEXT NOT NULL DEFAULT '-1.00',
    semiannually TEXT NOT NULL DEFAULT '-1.00',
    annually     TEXT NOT NULL DEFAULT '-1.00',
    biennially   TEXT NOT NULL DEFAULT '-1.00',
    triennially  TEXT NOT NULL DEFAULT '-1.00',
    PRIMARY KEY (product_id, currency_id)
);
