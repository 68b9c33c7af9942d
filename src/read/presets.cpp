#include "ndr/presets.h"

#include <fmt/format.h>

#include "header.h"

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
           "(data/subscription_periods.csv, "
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

namespace {

// The first of `names` the header has (any case), or "".
std::string present(const std::vector<std::string>& header,
                    const std::vector<std::string>& names) {
  for (const auto& name : names) {
    for (const auto& h : header) {
      if (lower(h) == lower(name)) return h;
    }
  }
  return {};
}

bool reads(const std::vector<std::string>& header,
           const subscription_options& o) {
  for (const subscription_column* c :
       {&o.customer, &o.start, &o.end, &o.amount}) {
    if (present(header, c->names).empty()) return false;
  }
  return true;
}

// " --start-col X" when the header's column is not the default name.
std::string column_option(const char* option, const std::string& found,
                          const std::string& default_name) {
  if (lower(found) == default_name) return {};
  return fmt::format(" {} {}", option, shell_word(found));
}

}  // namespace

std::string subscription_hint(const std::vector<std::string>& header,
                              const std::string& customer_col) {
  for (const auto& p : all_presets()) {
    if (reads(header, p.options)) return "--preset " + p.name;
  }
  const std::string customer = present(header, {customer_col, "customer_id"});
  const std::string start = present(
      header, {"start_date", "started_at", "start", "subscription_start",
               "start date", "period_start", "service_start"});
  const std::string end =
      present(header, {"end_date", "ended_at", "cancelled_at", "canceled_at",
                       "end", "cancel_date", "churn_date", "end date",
                       "period_end", "service_end"});
  const std::string amount =
      present(header, {"amount", "price", "unit_price", "plan_amount",
                       "monthly_amount", "monthly_price"});
  if (customer.empty() || start.empty() || end.empty() || amount.empty())
    return {};
  std::string line = "--input subscriptions";
  line += column_option("--customer-col", customer, "customer_id");
  line += column_option("--start-col", start, "start_date");
  line += column_option("--end-col", end, "end_date");
  line += column_option("--amount-col", amount, "amount");
  if (present(header, {"interval"}).empty()) {
    line += fmt::format(
        " (each '{}' is then read as a monthly price, as the file has no "
        "'interval' column; if it is not, name the column with "
        "--interval-col)",
        amount);
  }
  return line;
}

const preset* find_preset(std::string_view name) {
  for (const auto& p : all_presets()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace ndr
