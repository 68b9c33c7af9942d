#include "ndr/presets.h"

namespace ndr {
namespace {

subscription_column required(std::vector<std::string> names) {
  return {std::move(names), true};
}
subscription_column optional(std::vector<std::string> names) {
  return {std::move(names), false};
}

preset mrr_playbook() {
  preset p{"mrr-playbook",
           "dbt MRR playbook subscription_periods: one row per period at a "
           "monthly amount",
           "https://github.com/dbt-labs/mrr-playbook "
           "(seeds/subscription_periods.csv, "
           "models/customer_revenue_by_month.sql)",
           {}};
  subscription_options& o = p.options;
  o.customer = required({"customer_id"});
  o.start = required({"start_date"});
  o.end = required({"end_date"});
  o.amount = required({"monthly_amount"});
  o.interval = optional({});  // the amount is monthly already
  o.interval_count = optional({});
  o.quantity = optional({});
  return p;
}

preset stripe() {
  preset p{"stripe",
           "Stripe Dashboard subscriptions export (Billing > Subscriptions > "
           "Export), "
           "amounts in major units",
           "https://docs.stripe.com/api/subscriptions/object and "
           "https://docs.stripe.com/api/prices/object (fields); the Dashboard "
           "export's headers",
           {}};
  subscription_options& o = p.options;
  o.customer = required({"Customer ID"});
  o.start = required({"Start Date (UTC)", "Start (UTC)"});
  o.end = required({"Ended At (UTC)"});
  o.amount = required({"Amount", "Plan Amount"});
  o.interval = optional({"Interval", "Plan Interval"});
  o.interval_count = optional({"Interval Count", "Plan Interval Count"});
  o.quantity = optional({"Quantity"});
  o.currency = optional({"Currency", "Plan Currency"});
  o.status = optional({"Status"});
  return p;
}

preset stripe_api() {
  preset p{"stripe-api",
           "Stripe API fields flattened (Sigma, warehouse syncs): "
           "subscription, item and price, "
           "amounts in the currency's minor unit",
           "https://docs.stripe.com/api/subscriptions/object, "
           "https://docs.stripe.com/api/prices/object, "
           "https://docs.stripe.com/currencies",
           {}};
  subscription_options& o = p.options;
  o.customer = required({"customer", "customer_id"});
  o.start = required({"start_date"});
  o.end = required({"ended_at"});
  o.amount = required(
      {"unit_amount", "price.unit_amount", "plan.amount", "plan_amount"});
  o.interval = optional({"recurring_interval", "price.recurring.interval",
                         "plan.interval", "plan_interval"});
  o.interval_count =
      optional({"recurring_interval_count", "price.recurring.interval_count",
                "plan.interval_count", "plan_interval_count"});
  o.quantity = optional({"quantity"});
  o.currency = optional({"currency"});
  o.status = optional({"status"});
  o.minor_units = true;
  return p;
}

preset chargebee() {
  preset p{"chargebee",
           "Chargebee subscriptions (API fields, Product Catalog 1.0), amounts "
           "in the "
           "currency's minor unit",
           "https://apidocs.chargebee.com/docs/api/v2/pcv-1/subscriptions",
           {}};
  subscription_options& o = p.options;
  o.customer =
      required({"customer_id", "subscription[customer_id]", "customer[id]"});
  o.start = required({"started_at", "subscription[started_at]"});
  o.end = required({"cancelled_at", "subscription[cancelled_at]"});
  o.amount = required({"plan_unit_price", "subscription[plan_unit_price]"});
  o.interval =
      optional({"billing_period_unit", "subscription[billing_period_unit]"});
  o.interval_count =
      optional({"billing_period", "subscription[billing_period]"});
  o.quantity = optional({"plan_quantity", "subscription[plan_quantity]"});
  o.currency =
      optional({"currency_code", "subscription[currency_code]", "currency"});
  o.status = optional({"status", "subscription[status]"});
  o.minor_units = true;
  return p;
}

}  // namespace

const std::vector<preset>& all_presets() {
  static const std::vector<preset> kPresets{mrr_playbook(), stripe(),
                                            stripe_api(), chargebee()};
  return kPresets;
}

const preset* find_preset(std::string_view name) {
  for (const auto& p : all_presets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace ndr
