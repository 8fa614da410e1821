//! `meshwork demo`: a realistic organisation — seven domains, thirteen teams, people, and forty-two
//! data products with believable schemas, SLAs, classifications and input ports that form a
//! multi-level DAG across domains, and the OpenLineage events of their pipelines (`demo_lineage`). Everything goes through the same use cases as real users, so
//! the demo is validated like any publication. Loading it twice changes nothing.

use serde_json::{Value, json};
use store::{DomainFields, Expect, NewUser, TeamFields};
use views::PublishResult;

use crate::actor::Actor;
use crate::error::Result;
use crate::publish::{Mode, SourceDoc, Submission};
use crate::{DOMAIN_PALETTE, Workbench, audit_event, hash_password};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "meshwork-demo";

const DOMAINS: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "customers",
        "Customers",
        None,
        "Everything Acme knows about the people who buy from it: master data, consent, segments.",
    ),
    (
        "sales",
        "Sales",
        None,
        "Orders, order lines, returns and the product catalogue, from the web shop and the stores.",
    ),
    (
        "payments",
        "Payments",
        None,
        "Payment transactions, refunds, chargebacks, settlements and fraud detection.",
    ),
    (
        "logistics",
        "Logistics",
        None,
        "Shipments, carriers and delivery performance.",
    ),
    (
        "warehousing",
        "Warehousing",
        Some("logistics"),
        "Stock levels and movements in Acme's four warehouses.",
    ),
    (
        "marketing",
        "Marketing",
        None,
        "Campaigns, responses, web analytics and attribution.",
    ),
    (
        "finance",
        "Finance",
        None,
        "The general ledger, revenue recognition, treasury and management reporting.",
    ),
];

const TEAMS: &[(&str, &str, &str, &str)] = &[
    (
        "crm-platform",
        "CRM Platform",
        "customers",
        "Runs the CRM and publishes customer master data.",
    ),
    (
        "customer-insights",
        "Customer Insights",
        "customers",
        "Data scientists building the customer 360 and churn models.",
    ),
    (
        "sales-ops",
        "Sales Operations",
        "sales",
        "Owns the order management system and its data.",
    ),
    (
        "sales-analytics",
        "Sales Analytics",
        "sales",
        "Owns the sales aggregate data products.",
    ),
    (
        "payments-core",
        "Payments Core",
        "payments",
        "Runs the payment service provider integration.",
    ),
    (
        "fraud-detection",
        "Fraud Detection",
        "payments",
        "Detects and scores fraudulent payments.",
    ),
    (
        "shipping",
        "Shipping",
        "logistics",
        "Integrates the carriers and tracks shipments.",
    ),
    (
        "route-planning",
        "Route Planning",
        "logistics",
        "Plans delivery routes and measures delivery performance.",
    ),
    (
        "warehouse-ops",
        "Warehouse Operations",
        "warehousing",
        "Runs the warehouse management system.",
    ),
    (
        "campaigns",
        "Campaigns",
        "marketing",
        "Plans and runs marketing campaigns.",
    ),
    (
        "marketing-analytics",
        "Marketing Analytics",
        "marketing",
        "Measures campaigns and attributes revenue.",
    ),
    (
        "finance-reporting",
        "Finance Reporting",
        "finance",
        "Closes the books and reports to the board.",
    ),
    (
        "treasury",
        "Treasury",
        "finance",
        "Manages cash, liquidity and currency risk.",
    ),
];

/// A demo person: username, name, admin, memberships as (team, role).
type Person = (
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, &'static str)],
);

const PEOPLE: &[Person] = &[
    ("admin", "Platform Admin", true, &[]),
    (
        "alice",
        "Alice Martin",
        false,
        &[("sales-analytics", "owner"), ("sales-ops", "member")],
    ),
    ("bob", "Bob Okafor", false, &[("payments-core", "owner")]),
    (
        "carol",
        "Carol Nguyen",
        false,
        &[("sales-analytics", "member")],
    ),
    (
        "dave",
        "Dave Schmidt",
        false,
        &[("customer-insights", "owner"), ("crm-platform", "member")],
    ),
    (
        "erin",
        "Erin Kowalski",
        false,
        &[("finance-reporting", "owner"), ("treasury", "member")],
    ),
    (
        "frank",
        "Frank Rossi",
        false,
        &[
            ("shipping", "owner"),
            ("route-planning", "owner"),
            ("warehouse-ops", "member"),
        ],
    ),
    (
        "grace",
        "Grace Lee",
        false,
        &[("campaigns", "owner"), ("marketing-analytics", "owner")],
    ),
    (
        "heidi",
        "Heidi Jansen",
        false,
        &[
            ("fraud-detection", "owner"),
            ("crm-platform", "owner"),
            ("sales-ops", "owner"),
            ("warehouse-ops", "owner"),
            ("treasury", "owner"),
        ],
    ),
];

/// A demo product: the table is compact on purpose; `fields` is `name:type[:flag…]` separated by
/// spaces, with flags `pk`, `req`, `pii`, `uniq` and a classification word.
pub(crate) struct Spec {
    pub(crate) id: &'static str,
    pub(crate) team: &'static str,
    pub(crate) name: &'static str,
    pub(crate) kind: &'static str,
    pub(crate) status: &'static str,
    pub(crate) version: &'static str,
    pub(crate) purpose: &'static str,
    pub(crate) usage: &'static str,
    pub(crate) tags: &'static [&'static str],
    pub(crate) table: &'static str,
    pub(crate) fields: &'static str,
    pub(crate) inputs: &'static [&'static str],
    pub(crate) external: &'static [&'static str],
    /// Freshness (value, unit), availability, retention in years.
    pub(crate) sla: (u32, &'static str, &'static str, u32),
    /// Also publish the data as a Kafka topic.
    pub(crate) topic: bool,
}

const fn spec(
    id: &'static str,
    team: &'static str,
    name: &'static str,
    kind: &'static str,
    purpose: &'static str,
    tags: &'static [&'static str],
    table: &'static str,
    fields: &'static str,
    inputs: &'static [&'static str],
) -> Spec {
    Spec {
        id,
        team,
        name,
        kind,
        status: "active",
        version: "1.0.0",
        purpose,
        usage: "",
        tags,
        table,
        fields,
        inputs,
        external: &[],
        sla: (1, "d", "99.5%", 3),
        topic: false,
    }
}

impl Spec {
    const fn external(mut self, sources: &'static [&'static str]) -> Spec {
        self.external = sources;
        self
    }
    const fn fresh(
        mut self,
        value: u32,
        unit: &'static str,
        availability: &'static str,
        retention: u32,
    ) -> Spec {
        self.sla = (value, unit, availability, retention);
        self
    }
    const fn status(mut self, status: &'static str) -> Spec {
        self.status = status;
        self
    }
    const fn version(mut self, version: &'static str) -> Spec {
        self.version = version;
        self
    }
    const fn usage(mut self, usage: &'static str) -> Spec {
        self.usage = usage;
        self
    }
    const fn topic(mut self) -> Spec {
        self.topic = true;
        self
    }
}

pub(crate) const PRODUCTS: &[Spec] = &[
    // customers
    spec("customers.customer-master", "crm-platform", "Customer Master", "sourceAligned", "The **golden record** of every customer: identity, contact details and segment, as maintained in the CRM.", &["customers", "master-data", "gdpr"], "customers", "customer_id:integer:pk first_name:string:pii:restricted last_name:string:pii:restricted email:string:pii:restricted phone:string:pii:restricted country:string:req:internal segment:string:internal created_at:timestamp:req updated_at:timestamp:req", &[]).external(&["salesforce://Account"]).fresh(1, "h", "99.9%", 10).version("2.1.0").usage("Join on `customer_id`. Never copy the contact fields out of the EU region."),
    spec("customers.customer-addresses", "crm-platform", "Customer Addresses", "sourceAligned", "Postal addresses of customers, with validity periods for moves.", &["customers", "gdpr"], "customer_addresses", "address_id:integer:pk customer_id:integer:req street:string:pii:restricted city:string:confidential postal_code:string:pii:confidential country:string:req:internal address_type:string valid_from:date:req valid_to:date", &["customers.customer-master"]).fresh(1, "h", "99.9%", 10),
    spec("customers.consent-records", "crm-platform", "Consent Records", "sourceAligned", "Every marketing consent given or withdrawn, per channel and purpose, as required by GDPR.", &["customers", "gdpr", "compliance"], "consents", "consent_id:integer:pk customer_id:integer:req channel:string:req purpose:string:req granted:boolean:req recorded_at:timestamp:req", &["customers.customer-master"]).fresh(15, "m", "99.9%", 10),
    spec("customers.customer-360", "customer-insights", "Customer 360", "aggregate", "One row per customer with lifetime value, order and payment behaviour, and delivery experience.", &["customers", "analytics", "ltv"], "customer_360", "customer_id:integer:pk segment:string:internal lifetime_value:number:confidential orders_count:integer last_order_date:date avg_basket_value:number payment_failures:integer late_deliveries:integer updated_at:timestamp:req", &["customers.customer-master", "customers.customer-addresses", "sales.orders", "payments.payment-transactions", "logistics.shipments"]).version("1.3.0"),
    spec("customers.customer-segments", "customer-insights", "Customer Segments", "consumerAligned", "RFM segments (champions, loyal, at risk, lost) for targeting and reporting.", &["customers", "segmentation", "marketing"], "customer_segments", "customer_id:integer:pk segment:string:req:internal recency_days:integer frequency:integer monetary:number:confidential scored_at:date:req", &["customers.customer-360"]),
    spec("customers.churn-scores", "customer-insights", "Churn Scores", "consumerAligned", "Weekly probability that a customer stops buying in the next 90 days, from the churn model.", &["customers", "ml", "churn"], "churn_scores", "customer_id:integer:pk churn_probability:number:req:internal model_version:string:req top_reason:string scored_at:date:req", &["customers.customer-360", "sales.order-items"]).status("proposed").fresh(7, "d", "99%", 2),
    // sales
    spec("sales.orders", "sales-ops", "Sales Orders", "sourceAligned", "Every order placed in the web shop and in stores, from the order management system.", &["orders", "core", "sales"], "orders", "order_id:integer:pk customer_id:integer:req order_ts:timestamp:req channel:string:req:internal store_id:integer status:string:req total_amount:number:req:internal currency:string:req", &["customers.customer-master"]).external(&["shopify://orders", "pos://stores/orders"]).fresh(15, "m", "99.95%", 7).version("2.0.0").topic().usage("Use the **topic** for real-time consumers and the table for analytics. `total_amount` includes VAT."),
    spec("sales.order-items", "sales-ops", "Order Items", "sourceAligned", "The lines of every order: product, quantity, price and discount.", &["orders", "core", "sales"], "order_items", "order_item_id:integer:pk order_id:integer:req sku:string:req quantity:integer:req unit_price:number:req discount:number", &["sales.orders", "sales.product-catalog"]).fresh(15, "m", "99.95%", 7),
    spec("sales.returns", "sales-ops", "Returns", "sourceAligned", "Returned order lines with their reason and the amount refunded.", &["orders", "returns"], "returns", "return_id:integer:pk order_id:integer:req sku:string:req reason:string refunded_amount:number:internal returned_at:timestamp:req", &["sales.orders"]).fresh(1, "h", "99.9%", 7),
    spec("sales.product-catalog", "sales-ops", "Product Catalogue", "sourceAligned", "Every sellable product (SKU) with category, brand and list price.", &["products", "master-data"], "products", "sku:string:pk product_name:string:req:public category:string:req:public brand:string:public list_price:number:public launched_at:date", &[]).external(&["pim://products"]).fresh(1, "d", "99.9%", 10).version("3.2.0"),
    spec("sales.daily-sales", "sales-analytics", "Daily Sales", "aggregate", "Revenue, orders and units per day, channel and category, net of returns.", &["sales", "kpi", "daily"], "daily_sales", "sales_date:date:pk channel:string:pk:internal category:string:pk orders:integer:req units:integer:req gross_revenue:number:req:internal net_revenue:number:req:internal", &["sales.orders", "sales.order-items", "sales.returns"]).version("1.4.0"),
    spec("sales.customer-revenue", "sales-analytics", "Customer Revenue", "aggregate", "Daily revenue per customer for finance reporting.", &["finance", "daily"], "customer_revenue", "customer_id:integer:pk revenue_date:date:pk country:string:internal total_amount:number:req:confidential", &["sales.orders", "customers.customer-master", "payments.payment-transactions"]).usage("Join on `customer_id` with the CRM customer product. Refunds are booked with one day delay."),
    spec("sales.sales-forecast", "sales-analytics", "Sales Forecast", "consumerAligned", "Twelve-week demand forecast per category and channel, refreshed every Monday.", &["sales", "forecast", "ml"], "sales_forecast", "week_start:date:pk category:string:pk channel:string:pk forecast_units:integer:req forecast_revenue:number:internal lower_bound:number upper_bound:number", &["sales.daily-sales", "marketing.campaign-performance"]).fresh(7, "d", "99%", 2),
    spec("sales.basket-analysis", "sales-analytics", "Basket Analysis", "consumerAligned", "Products bought together (support, confidence, lift), superseded by the recommendations service.", &["sales", "recommendations"], "product_pairs", "sku_a:string:pk sku_b:string:pk support:number confidence:number lift:number", &["sales.order-items", "sales.product-catalog"]).status("deprecated").fresh(7, "d", "99%", 1),
    // payments
    spec("payments.payment-transactions", "payments-core", "Payment Transactions", "sourceAligned", "Every authorisation and capture from the payment service provider.", &["payments", "core", "pci"], "payment_transactions", "transaction_id:string:pk order_id:integer:req customer_id:integer:req amount:number:req:confidential currency:string:req method:string:req card_last4:string:pii:restricted status:string:req authorized_at:timestamp:req", &["sales.orders"]).external(&["adyen://transactions"]).fresh(5, "m", "99.99%", 10).topic().version("1.2.0"),
    spec("payments.refunds", "payments-core", "Refunds", "sourceAligned", "Refunds issued to customers, linked to the original transaction.", &["payments", "returns"], "refunds", "refund_id:string:pk transaction_id:string:req amount:number:req:confidential reason:string refunded_at:timestamp:req", &["payments.payment-transactions", "sales.returns"]).fresh(15, "m", "99.9%", 10),
    spec("payments.chargebacks", "payments-core", "Chargebacks", "sourceAligned", "Disputes raised by card holders and how they were resolved.", &["payments", "disputes"], "chargebacks", "chargeback_id:string:pk transaction_id:string:req reason_code:string:req amount:number:req:confidential opened_at:timestamp:req resolved_at:timestamp outcome:string", &["payments.payment-transactions"]).fresh(1, "d", "99.5%", 10),
    spec("payments.settlements", "payments-core", "Settlements", "aggregate", "Daily settlement batches per acquirer and currency, reconciled against transactions and refunds.", &["payments", "finance", "daily"], "settlements", "settlement_date:date:pk acquirer:string:pk currency:string:pk gross_amount:number:req:confidential fees:number:confidential net_amount:number:req:confidential", &["payments.payment-transactions", "payments.refunds"]),
    spec("payments.fraud-signals", "fraud-detection", "Fraud Signals", "aggregate", "Per-transaction risk features: velocity, device and address mismatches, chargeback history.", &["payments", "fraud", "features"], "fraud_signals", "transaction_id:string:pk customer_id:integer:req velocity_1h:integer address_mismatch:boolean device_risk:number prior_chargebacks:integer computed_at:timestamp:req", &["payments.payment-transactions", "payments.chargebacks", "customers.customer-master"]).fresh(5, "m", "99.9%", 2),
    spec("payments.fraud-scores", "fraud-detection", "Fraud Scores", "consumerAligned", "The fraud model's score for every transaction, used to hold suspicious orders.", &["payments", "fraud", "ml"], "fraud_scores", "transaction_id:string:pk score:number:req:internal decision:string:req model_version:string:req scored_at:timestamp:req", &["payments.fraud-signals"]).fresh(5, "m", "99.95%", 2),
    // logistics
    spec("logistics.shipments", "shipping", "Shipments", "sourceAligned", "Every parcel handed to a carrier, with tracking number and delivery status.", &["logistics", "core"], "shipments", "shipment_id:string:pk order_id:integer:req carrier:string:req tracking_number:string:internal shipped_at:timestamp delivered_at:timestamp status:string:req", &["sales.orders"]).fresh(30, "m", "99.9%", 5).topic(),
    spec("logistics.carrier-rates", "shipping", "Carrier Rates", "sourceAligned", "Contracted rates per carrier, zone and weight band.", &["logistics", "contracts"], "carrier_rates", "carrier:string:pk zone:string:pk weight_band:string:pk rate:number:req:confidential currency:string:req valid_from:date:req", &[]).external(&["sftp://carriers/rates"]).fresh(7, "d", "99%", 5),
    spec("logistics.delivery-events", "shipping", "Delivery Events", "sourceAligned", "Tracking events from the carriers' webhooks: picked up, in transit, delivered, failed.", &["logistics", "events"], "delivery_events", "event_id:string:pk shipment_id:string:req event_type:string:req location:string occurred_at:timestamp:req", &["logistics.shipments"]).fresh(5, "m", "99.9%", 2).topic(),
    spec("logistics.delivery-performance", "route-planning", "Delivery Performance", "aggregate", "On-time delivery rate and lead times per carrier, region and week.", &["logistics", "kpi"], "delivery_performance", "week_start:date:pk carrier:string:pk region:string:pk shipments:integer:req on_time_rate:number:req avg_lead_time_h:number", &["logistics.shipments", "logistics.delivery-events"]),
    spec("logistics.route-plans", "route-planning", "Route Plans", "consumerAligned", "Tomorrow's delivery routes for the own fleet, optimised overnight.", &["logistics", "planning"], "route_stops", "route_id:string:pk stop_sequence:integer:pk shipment_id:string:req planned_arrival:timestamp:req driver_id:string:internal", &["logistics.shipments", "warehousing.pick-lists", "customers.customer-addresses"]),
    spec("logistics.shipping-costs", "shipping", "Shipping Costs", "aggregate", "Cost of every shipment from the carrier rates, for margin reporting.", &["logistics", "finance"], "shipping_costs", "shipment_id:string:pk carrier:string:req cost:number:req:confidential currency:string:req", &["logistics.shipments", "logistics.carrier-rates"]),
    // warehousing
    spec("warehousing.inventory-levels", "warehouse-ops", "Inventory Levels", "sourceAligned", "Stock on hand and reserved per SKU and warehouse, every fifteen minutes.", &["inventory", "core"], "inventory_levels", "sku:string:pk warehouse_id:string:pk on_hand:integer:req reserved:integer:req updated_at:timestamp:req", &["sales.product-catalog"]).external(&["wms://stock"]).fresh(15, "m", "99.9%", 2).version("1.1.0"),
    spec("warehousing.stock-movements", "warehouse-ops", "Stock Movements", "sourceAligned", "Goods received, picked, moved and written off.", &["inventory", "events"], "stock_movements", "movement_id:string:pk sku:string:req warehouse_id:string:req quantity:integer:req movement_type:string:req moved_at:timestamp:req", &[]).external(&["wms://movements"]).fresh(15, "m", "99.9%", 5),
    spec("warehousing.pick-lists", "warehouse-ops", "Pick Lists", "aggregate", "What to pick for which order, in which warehouse, sorted by aisle.", &["inventory", "operations"], "pick_lists", "pick_id:string:pk order_id:integer:req sku:string:req warehouse_id:string:req quantity:integer:req aisle:string", &["sales.order-items", "warehousing.inventory-levels"]).fresh(15, "m", "99.9%", 1),
    spec("warehousing.replenishment-plan", "warehouse-ops", "Replenishment Plan", "consumerAligned", "Purchase suggestions per SKU and warehouse from stock, movements and the sales forecast.", &["inventory", "planning", "forecast"], "replenishment", "sku:string:pk warehouse_id:string:pk suggested_quantity:integer:req reorder_date:date:req", &["warehousing.inventory-levels", "warehousing.stock-movements", "sales.sales-forecast"]),
    // marketing
    spec("marketing.campaigns", "campaigns", "Campaigns", "sourceAligned", "Every marketing campaign with channel, budget and flight dates.", &["marketing", "campaigns"], "campaigns", "campaign_id:string:pk name:string:req:internal channel:string:req budget:number:confidential start_date:date:req end_date:date", &[]).external(&["hubspot://campaigns"]).fresh(1, "d", "99.5%", 5),
    spec("marketing.campaign-responses", "campaigns", "Campaign Responses", "sourceAligned", "Opens, clicks and conversions per customer and campaign, for consenting customers only.", &["marketing", "campaigns", "gdpr"], "campaign_responses", "response_id:string:pk campaign_id:string:req customer_id:integer:req response_type:string:req responded_at:timestamp:req", &["customers.consent-records", "marketing.campaigns"]).fresh(1, "h", "99.5%", 3),
    spec("marketing.web-sessions", "marketing-analytics", "Web Sessions", "sourceAligned", "Sessions on the web shop from the analytics tag, with landing page, referrer and device.", &["marketing", "web", "clickstream"], "web_sessions", "session_id:string:pk visitor_id:string:req:pii:internal landing_page:string referrer:string device:string started_at:timestamp:req", &[]).external(&["snowplow://events"]).fresh(1, "h", "99.5%", 1),
    spec("marketing.campaign-performance", "marketing-analytics", "Campaign Performance", "aggregate", "Spend, reach, conversions and attributed revenue per campaign and day.", &["marketing", "kpi", "campaigns"], "campaign_performance", "campaign_id:string:pk performance_date:date:pk spend:number:confidential impressions:integer clicks:integer conversions:integer attributed_revenue:number:internal", &["marketing.campaigns", "marketing.campaign-responses", "sales.orders"]).version("1.1.0"),
    spec("marketing.attribution", "marketing-analytics", "Multi-touch Attribution", "consumerAligned", "Revenue attributed to channels and campaigns with a data-driven model.", &["marketing", "attribution", "ml"], "attribution", "order_id:integer:pk channel:string:pk campaign_id:string weight:number:req attributed_revenue:number:internal", &["marketing.web-sessions", "marketing.campaign-performance", "sales.customer-revenue"]).status("draft"),
    spec("marketing.audience-lists", "campaigns", "Audience Lists", "consumerAligned", "Customers to target per campaign, from segments and consent.", &["marketing", "targeting", "gdpr"], "audiences", "audience_id:string:pk customer_id:integer:pk email:string:pii:restricted segment:string:internal", &["customers.customer-segments", "customers.consent-records"]),
    // finance
    spec("finance.general-ledger", "finance-reporting", "General Ledger", "sourceAligned", "Journal entries from the ERP, by account and cost centre.", &["finance", "ledger", "sox"], "journal_entries", "entry_id:string:pk account:string:req amount:number:req:confidential currency:string:req cost_center:string:internal booked_at:date:req", &["payments.settlements"]).external(&["sap://fi/journal"]).fresh(1, "d", "99.9%", 10),
    spec("finance.revenue-recognition", "finance-reporting", "Revenue Recognition", "aggregate", "Recognised revenue per day and entity under IFRS 15, net of refunds.", &["finance", "revenue", "ifrs"], "recognised_revenue", "revenue_date:date:pk entity:string:pk recognised_amount:number:req:confidential deferred_amount:number:confidential currency:string:req", &["sales.customer-revenue", "payments.refunds", "finance.general-ledger"]).fresh(1, "d", "99.9%", 10),
    spec("finance.cash-position", "treasury", "Cash Position", "aggregate", "Daily cash per bank account and currency, from settlements and the ledger.", &["finance", "treasury"], "cash_position", "position_date:date:pk bank_account:string:pk:confidential currency:string:pk balance:number:req:restricted", &["payments.settlements", "finance.general-ledger", "finance.fx-rates"]),
    spec("finance.fx-rates", "treasury", "FX Rates", "sourceAligned", "Daily reference exchange rates.", &["finance", "reference-data"], "fx_rates", "rate_date:date:pk base_currency:string:pk quote_currency:string:pk rate:number:req:public", &[]).external(&["ecb://eurofxref"]).fresh(1, "d", "99.9%", 10).version("1.0.3"),
    spec("finance.monthly-pnl", "finance-reporting", "Monthly P&L", "consumerAligned", "The management profit and loss statement per month and business unit.", &["finance", "board", "monthly"], "monthly_pnl", "month:date:pk business_unit:string:pk revenue:number:req:restricted cogs:number:restricted shipping_costs:number:restricted marketing_spend:number:restricted ebit:number:req:restricted", &["finance.revenue-recognition", "logistics.shipping-costs", "marketing.campaign-performance"]).fresh(1, "d", "99.5%", 10),
    spec("finance.kpi-dashboard", "finance-reporting", "Executive KPIs", "consumerAligned", "The board's KPI set: revenue, margin, churn, on-time delivery.", &["finance", "board", "kpi"], "executive_kpis", "kpi_date:date:pk kpi:string:pk value:number:req:confidential target:number", &["finance.monthly-pnl", "customers.churn-scores", "logistics.delivery-performance"]),
];

/// Products published twice in the demo, so their pages show a version history.
const EARLIER_VERSIONS: &[(&str, &str)] = &[
    ("sales.orders", "1.0.0"),
    ("sales.orders", "1.5.0"),
    ("customers.customer-master", "2.0.0"),
    ("sales.daily-sales", "1.3.0"),
];

pub(crate) fn domain_of(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

pub(crate) fn slug_of(id: &str) -> &str {
    id.split_once('.').map(|(_, s)| s).unwrap_or(id)
}

fn contract_id(product: &str, suffix: &str) -> String {
    format!(
        "urn:datacontract:{}:{}{suffix}",
        domain_of(product),
        slug_of(product)
    )
}

fn describe(field: &str) -> String {
    let known = [
        ("customer_id", "Customer identifier from the CRM."),
        ("order_id", "Order number from the order management system."),
        ("sku", "Stock keeping unit: the product's article number."),
        ("email", "E-mail address given by the customer."),
        ("currency", "ISO 4217 currency code."),
        ("country", "ISO 3166-1 alpha-2 country code."),
        ("transaction_id", "Payment service provider reference."),
        (
            "shipment_id",
            "Shipment reference assigned at handover to the carrier.",
        ),
        (
            "campaign_id",
            "Campaign key from the marketing automation tool.",
        ),
        ("warehouse_id", "Warehouse code (FRA1, HAM2, MUC1, BER3)."),
    ];
    if let Some((_, d)) = known.iter().find(|(k, _)| *k == field) {
        return (*d).to_owned();
    }
    let words = field.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

fn physical(logical: &str) -> &'static str {
    match logical {
        "integer" => "BIGINT",
        "number" => "NUMERIC(18,2)",
        "boolean" => "BOOLEAN",
        "date" => "DATE",
        "timestamp" => "TIMESTAMP",
        _ => "VARCHAR",
    }
}

fn properties(spec: &Spec) -> (Vec<Value>, Vec<String>) {
    let mut out = Vec::new();
    let mut keys = Vec::new();
    let mut pk_position = 0;
    for field in spec.fields.split_whitespace() {
        let mut parts = field.split(':');
        let name = parts.next().unwrap_or_default();
        let logical = parts.next().unwrap_or("string");
        let mut p = json!({ "name": name, "logicalType": logical, "physicalType": physical(logical), "description": describe(name) });
        for flag in parts {
            match flag {
                "pk" => {
                    pk_position += 1;
                    p["primaryKey"] = json!(true);
                    p["primaryKeyPosition"] = json!(pk_position);
                    p["required"] = json!(true);
                    keys.push(name.to_owned());
                }
                "req" => p["required"] = json!(true),
                "uniq" => p["unique"] = json!(true),
                "pii" => p["customProperties"] = json!([{ "property": "pii", "value": true }]),
                class => p["classification"] = json!(class),
            }
        }
        if p.get("classification").is_none() {
            p["classification"] = json!("internal");
        }
        out.push(p);
    }
    (out, keys)
}

fn server_for(product: &str, topic: bool) -> Value {
    let domain = domain_of(product);
    let table = slug_of(product).replace('-', "_");
    if topic {
        return json!({ "server": "production", "type": "kafka", "environment": "prod", "host": "kafka.acme.internal:9092", "format": "avro",
            "customProperties": [{ "property": "topic", "value": format!("{domain}.{}.v1", slug_of(product)) }] });
    }
    match domain {
        "payments" | "warehousing" => {
            json!({ "server": "production", "type": "postgres", "environment": "prod", "host": format!("{domain}-db.acme.internal"), "port": 5432, "database": domain, "schema": "published" })
        }
        "logistics" | "marketing" => {
            json!({ "server": "production", "type": "bigquery", "environment": "prod", "project": "acme-data", "dataset": format!("{domain}_{table}") })
        }
        _ => {
            json!({ "server": "production", "type": "snowflake", "environment": "prod", "account": "acme-eu", "database": "ANALYTICS", "schema": domain.to_uppercase() })
        }
    }
}

pub(crate) fn contract(spec: &Spec, version: &str, suffix: &str, topic: bool) -> Value {
    let (props, keys) = properties(spec);
    let (fresh, unit, availability, retention) = spec.sla;
    let mut quality = vec![
        json!({ "type": "library", "metric": "rowCount", "mustBeGreaterThan": 0, "dimension": "completeness", "description": "The data set is never empty." }),
    ];
    if let Some(key) = keys.first() {
        quality.push(json!({ "type": "library", "metric": "duplicateValues", "arguments": { "properties": keys }, "mustBe": 0, "dimension": "uniqueness", "severity": "error", "description": format!("{key} is unique.") }));
    }
    if props
        .iter()
        .any(|p| p["name"].as_str().is_some_and(|n| n.contains("amount")))
    {
        quality.push(json!({ "type": "sql", "query": "SELECT COUNT(*) FROM ${object} WHERE total_amount < 0", "mustBe": 0, "dimension": "accuracy", "description": "Amounts are never negative." }));
    }
    json!({
        "apiVersion": domain::odcs::ODCS_API_VERSION,
        "kind": "DataContract",
        "id": contract_id(spec.id, suffix),
        "name": if topic { format!("{} (stream)", spec.name) } else { spec.name.to_owned() },
        "version": version,
        "status": "active",
        "domain": domain_of(spec.id),
        "dataProduct": spec.id,
        "description": { "purpose": spec.purpose },
        "team": { "name": spec.team },
        "servers": [server_for(spec.id, topic)],
        "schema": [{
            "name": spec.table,
            "physicalName": spec.table,
            "physicalType": if topic { "topic" } else { "table" },
            "logicalType": "object",
            "description": spec.purpose.replace("**", ""),
            "properties": props,
            "quality": quality,
        }],
        "slaProperties": [
            { "property": "latency", "value": fresh, "unit": unit },
            { "property": "frequency", "value": fresh, "unit": unit },
            { "property": "availability", "value": availability },
            { "property": "retention", "value": retention, "unit": "y" },
        ],
    })
}

pub(crate) fn product(spec: &Spec, version: &str) -> Value {
    let mut inputs: Vec<Value> = spec
        .inputs
        .iter()
        .map(|up| json!({ "name": slug_of(up), "version": "1.0.0", "contractId": contract_id(up, "") }))
        .collect();
    inputs.extend(spec.external.iter().map(|source| {
        let name = source.split("://").next().unwrap_or("external").to_owned();
        json!({ "name": format!("{name}-source"), "customProperties": [{ "property": "externalSource", "value": source }] })
    }));
    let mut outputs = vec![json!({
        "name": format!("{}-table", slug_of(spec.id)),
        "description": format!("{} as a table.", spec.name),
        "type": "table",
        "version": version,
        "contractId": contract_id(spec.id, ""),
    })];
    if spec.topic {
        outputs.push(json!({
            "name": format!("{}-stream", slug_of(spec.id)),
            "description": format!("{} as a Kafka topic, one event per change.", spec.name),
            "type": "topic",
            "version": version,
            "contractId": contract_id(spec.id, "-events"),
        }));
    }
    let mut description = json!({ "purpose": spec.purpose });
    if !spec.usage.is_empty() {
        description["usage"] = json!(spec.usage);
    } else if spec.id.bytes().map(u32::from).sum::<u32>() % 4 != 0 {
        // Most teams wrote a usage note; about a quarter have not yet (governance flags them).
        description["usage"] = json!(format!(
            "Read `{}` through the table port; the contract gives the grain, keys and refresh.",
            spec.table
        ));
    }
    let mut doc = json!({
        "apiVersion": domain::odps::ODPS_API_VERSION,
        "kind": "DataProduct",
        "id": spec.id,
        "name": spec.name,
        "version": version,
        "status": spec.status,
        "domain": domain_of(spec.id),
        "type": spec.kind,
        "tenant": "acme",
        "description": description,
        "tags": spec.tags,
        "outputPorts": outputs,
        "support": [{ "channel": format!("#{}", spec.team), "tool": "slack", "url": format!("https://acme.slack.com/channels/{}", spec.team) }],
        "team": { "name": spec.team },
    });
    if !inputs.is_empty() {
        doc["inputPorts"] = Value::Array(inputs);
    }
    doc
}

impl Workbench {
    /// Loads the demo organisation and turns anonymous reading on. Idempotent.
    pub async fn load_demo(&self) -> Result<usize> {
        let actor = Actor::system();
        for (i, (id, name, parent, description)) in DOMAINS.iter().enumerate() {
            let fields = DomainFields {
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                parent_id: parent.map(str::to_owned),
                color: DOMAIN_PALETTE[i % DOMAIN_PALETTE.len()].to_owned(),
            };
            if self.store.get_domain(id).await?.is_none() {
                self.store
                    .save_domain(
                        id,
                        &fields,
                        Expect::New,
                        &audit_event(
                            &actor,
                            "domain.created",
                            "domain",
                            id,
                            format!("created domain '{name}'"),
                        ),
                    )
                    .await?;
            }
        }
        for (id, name, domain, description) in TEAMS {
            if self.store.get_team(id).await?.is_none() {
                let fields = TeamFields {
                    name: (*name).to_owned(),
                    description: (*description).to_owned(),
                    domain_id: (*domain).to_owned(),
                };
                self.store
                    .save_team(
                        id,
                        &fields,
                        Expect::New,
                        &audit_event(
                            &actor,
                            "team.created",
                            "team",
                            id,
                            format!("created team '{name}'"),
                        ),
                    )
                    .await?;
            }
        }
        let password = hash_password(DEMO_PASSWORD)?;
        for (username, name, admin, teams) in PEOPLE {
            let user = match self.store.get_user_by_username(username).await? {
                Some(u) => u,
                None => {
                    let new = NewUser {
                        id: uuid::Uuid::now_v7().to_string(),
                        username: (*username).to_owned(),
                        display_name: (*name).to_owned(),
                        email: Some(format!("{username}@acme.example")),
                        password_hash: Some(password.clone()),
                        is_admin: *admin,
                    };
                    self.store
                        .create_user(
                            &new,
                            &audit_event(
                                &actor,
                                "user.created",
                                "user",
                                username,
                                format!("created user '{username}'"),
                            ),
                        )
                        .await?
                }
            };
            let current = self.store.memberships(&user.id).await?;
            for (team, role) in teams.iter() {
                if !current
                    .iter()
                    .any(|m| m.team_id == *team && m.role == *role)
                {
                    self.store
                        .set_member(
                            team,
                            &user.id,
                            role,
                            &audit_event(
                                &actor,
                                "team.member_set",
                                "team",
                                team,
                                format!("{username} is {role}"),
                            ),
                        )
                        .await?;
                }
            }
        }
        let mut published = 0;
        for spec in ordered(PRODUCTS) {
            let mut versions: Vec<&str> = EARLIER_VERSIONS
                .iter()
                .filter(|(id, _)| *id == spec.id)
                .map(|(_, v)| *v)
                .collect();
            versions.push(spec.version);
            for version in versions {
                if self
                    .store
                    .get_product(spec.id)
                    .await?
                    .is_some_and(|p| semver_ge(&p.row.version, version))
                {
                    continue;
                }
                self.publish_demo(&actor, spec, version).await?;
                published += 1;
            }
        }
        self.load_demo_lineage(&actor).await?;
        self.load_demo_governance(&actor).await?;
        if self.store.setting("anonymous_read").await?.is_none() {
            self.store
                .set_setting(
                    "anonymous_read",
                    "true",
                    &audit_event(
                        &actor,
                        "setting.changed",
                        "setting",
                        "anonymous_read",
                        String::from("the demo turned anonymous reading on"),
                    ),
                )
                .await?;
        }
        Ok(published)
    }

    async fn publish_demo(
        &self,
        actor: &Actor,
        spec: &Spec,
        version: &str,
    ) -> Result<PublishResult> {
        let doc = |v: Value| SourceDoc {
            text: domain::to_yaml(&v),
            format: domain::DocumentFormat::Yaml,
            value: v,
        };
        let mut contracts = vec![doc(contract(spec, version, "", false))];
        if spec.topic {
            contracts.push(doc(contract(spec, version, "-events", true)));
        }
        let submission = Submission {
            product: Some(doc(product(spec, version))),
            contracts,
            expect: Expect::Any,
            mode: Mode::Overwrite,
            team: None,
        };
        self.publish(actor, submission).await
    }
}

fn semver_ge(a: &str, b: &str) -> bool {
    match (semver::Version::parse(a), semver::Version::parse(b)) {
        (Ok(a), Ok(b)) => a >= b,
        _ => a == b,
    }
}

/// Upstream products first, so every input port finds its contract already published.
fn ordered(specs: &[Spec]) -> Vec<&Spec> {
    let mut out: Vec<&Spec> = Vec::new();
    let mut remaining: Vec<&Spec> = specs.iter().collect();
    while !remaining.is_empty() {
        let before = remaining.len();
        remaining.retain(|s| {
            let ready = s.inputs.iter().all(|up| out.iter().any(|o| o.id == *up));
            if ready {
                out.push(s);
            }
            !ready
        });
        assert!(
            remaining.len() < before,
            "the demo products depend on each other in a cycle"
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_big_and_connected_enough() {
        assert!(DOMAINS.len() >= 6 && TEAMS.len() >= 12 && PRODUCTS.len() >= 40);
        let order = ordered(PRODUCTS);
        assert_eq!(order.len(), PRODUCTS.len());
        let cross_domain = PRODUCTS
            .iter()
            .flat_map(|p| {
                p.inputs
                    .iter()
                    .map(move |up| (domain_of(p.id), domain_of(up)))
            })
            .filter(|(a, b)| a != b)
            .count();
        assert!(cross_domain >= 20, "{cross_domain}");
        // Depth of the DAG: at least four levels.
        fn depth(id: &str) -> usize {
            PRODUCTS
                .iter()
                .find(|p| p.id == id)
                .map(|p| 1 + p.inputs.iter().map(|u| depth(u)).max().unwrap_or(0))
                .unwrap_or(0)
        }
        assert!(PRODUCTS.iter().map(|p| depth(p.id)).max().unwrap_or(0) >= 5);
    }

    #[test]
    fn every_demo_document_is_valid() {
        for spec in PRODUCTS {
            let check = domain::check_product(&product(spec, spec.version));
            assert!(
                check.findings.is_empty(),
                "{}: {:#?}",
                spec.id,
                check.findings
            );
            for topic in [false, true] {
                let check = domain::check_contract(&contract(
                    spec,
                    spec.version,
                    if topic { "-events" } else { "" },
                    topic,
                ));
                assert!(
                    check.findings.is_empty(),
                    "{} (topic: {topic}): {:#?}",
                    spec.id,
                    check.findings
                );
            }
            {
                let team = spec.team;
                assert!(TEAMS.iter().any(|t| t.0 == team), "{team}");
            }
            for up in spec.inputs {
                assert!(
                    PRODUCTS.iter().any(|p| p.id == *up),
                    "{} reads unknown {up}",
                    spec.id
                );
            }
        }
    }
}
