// CreateStateMachineAlias, DescribeStateMachineAlias, UpdateStateMachineAlias,
// DeleteStateMachineAlias and ListStateMachineAliases, with the validation
// messages of the test_sfn_api_aliasing recordings.

#include <algorithm>
#include <string>
#include <vector>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "limits.hpp"
#include "lookups.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "state_machine_versions.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxDescriptionLength = 256;
constexpr std::size_t kMaxRoutes = 2;
constexpr std::string_view kAliasNamePattern = R"(^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$)";

[[noreturn]] void throw_not_found() {
  throw ServiceError("ResourceNotFound", "Request references a resource that does not exist.");
}

std::string require_alias_name(const RequestReader& reader) {
  auto name = reader.required_string("name", 1, limits::kMaxNameLength);
  if (!is_valid_alias_name(name)) {
    throw_constraint(
        "name", name,
        "Member must satisfy regular expression pattern: " + std::string(kAliasNamePattern));
  }
  return name;
}

/// One route as given: the version ARN text and its weight.
struct GivenRoute {
  std::string version_arn;
  std::int64_t weight = 0;
};

std::vector<GivenRoute> read_routes(const nlohmann::json& routing) {
  std::vector<GivenRoute> routes;
  for (const auto& item : routing) {
    GivenRoute route;
    if (const auto arn = item.find("stateMachineVersionArn");
        arn != item.end() && arn->is_string()) {
      route.version_arn = arn->get<std::string>();
    }
    if (const auto weight = item.find("weight"); weight != item.end() && weight->is_number()) {
      route.weight = weight->get<std::int64_t>();
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

/// The routing configuration checked in AWS's order (model constraints,
/// then distinct version ARNs, then their form, then the weights' sum), as
/// routes on the versions of one state machine. Returns that state
/// machine's ARN and the routes.
std::pair<std::string, std::vector<AliasRoute>> require_routing(const nlohmann::json& routing) {
  const auto given = read_routes(routing);
  if (given.empty()) {
    throw_constraint("routingConfiguration", "[]",
                     "Member must have length greater than or equal to 1");
  }
  if (given.size() > kMaxRoutes) {
    std::vector<std::string> items;
    for (const auto& route : given) {
      items.push_back("RoutingConfigurationListItem(stateMachineVersionArn=" + route.version_arn +
                      ", weight=" + std::to_string(route.weight) + ")");
    }
    throw_constraint("routingConfiguration", bracketed_list(items),
                     "Member must have length less than or equal to 2");
  }
  std::vector<std::string> arns;
  std::vector<std::string> weights;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const auto member = "routingConfiguration." + std::to_string(i + 1) + ".member.weight";
    if (given[i].weight < 0) {
      throw_constraint(member, std::to_string(given[i].weight),
                       "Member must have value greater than or equal to 0");
    }
    if (given[i].weight > 100) {
      throw_constraint(member, std::to_string(given[i].weight),
                       "Member must have value less than or equal to 100");
    }
    arns.push_back(given[i].version_arn);
    weights.push_back(std::to_string(given[i].weight));
  }
  if (arns.size() == 2 && arns[0] == arns[1]) {
    throw ServiceError("ValidationException",
                       "Routing configuration must contain distinct state machine version ARNs. "
                       "Received: " +
                           bracketed_list(arns));
  }
  std::vector<Arn> parsed;
  for (const auto& arn : arns) {
    auto version = parse_arn(arn);
    if (!version || version->type != ArnType::kStateMachineVersion) {
      throw ServiceError("ValidationException",
                         "Routing configuration must contain state machine version ARNs. "
                         "Received: " +
                             bracketed_list(arns));
    }
    parsed.push_back(std::move(*version));
  }
  std::int64_t sum = 0;
  for (const auto& route : given) sum += route.weight;
  if (sum != 100) {
    throw ServiceError("ValidationException",
                       "Sum of routing configuration weights must equal 100. Received: " +
                           bracketed_list(weights));
  }
  const auto state_machine_arn = parsed.front().state_machine_arn();
  if (parsed.back().state_machine_arn() != state_machine_arn) {
    // Our words: the recordings show no such call.
    throw ServiceError("ValidationException",
                       "Routing configuration must contain versions of one state machine. "
                       "Received: " +
                           bracketed_list(arns));
  }
  // Whether the versions exist is checked under the registry's lock, where
  // the alias is written (create and update).
  std::vector<AliasRoute> routes;
  for (std::size_t i = 0; i < given.size(); ++i) {
    routes.push_back({std::stoull(parsed[i].qualifier), static_cast<int>(given[i].weight)});
  }
  return {state_machine_arn, std::move(routes)};
}

/// ResourceNotFound unless every route's version exists (under the registry's lock).
void require_versions(const StateMachineRecord& record, const std::vector<AliasRoute>& routes) {
  for (const auto& route : routes) {
    if (!record.versions.contains(route.version)) throw_not_found();
  }
}

/// The alias ARN of a request, parsed: InvalidArn for anything else.
Arn require_alias_arn(const RequestReader& reader) {
  return require_arn(reader.required_string("stateMachineAliasArn"), ArnType::kStateMachineAlias);
}

nlohmann::json describe(const std::string& state_machine_arn, const StateMachineAlias& alias) {
  nlohmann::json routing = nlohmann::json::array();
  for (const auto& route : alias.routing) {
    routing.push_back({{"stateMachineVersionArn", version_arn(state_machine_arn, route.version)},
                       {"weight", route.weight}});
  }
  nlohmann::json response = {{"stateMachineAliasArn", alias_arn(state_machine_arn, alias.name)},
                             {"name", alias.name},
                             {"routingConfiguration", std::move(routing)},
                             {"creationDate", asl::to_epoch_seconds(alias.creation_date)},
                             {"updateDate", asl::to_epoch_seconds(alias.update_date)}};
  if (!alias.description.empty()) response["description"] = alias.description;
  return response;
}

}  // namespace

nlohmann::json create_state_machine_alias(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto name = require_alias_name(reader);
  const auto description =
      reader.optional_string("description", 0, kMaxDescriptionLength).value_or("");
  // Named members, not a structured binding: lambdas capture them (clang 14).
  const auto routing = require_routing(reader.required_member("routingConfiguration"));
  const auto& state_machine_arn = routing.first;
  const auto& routes = routing.second;
  StateMachineAlias created;
  const auto now = ServiceContext::now();
  const bool found =
      context.state_machines.modify(state_machine_arn, [&](StateMachineRecord& record) {
        require_versions(record, routes);
        if (const auto it = record.aliases.find(name); it != record.aliases.end()) {
          // Idempotent for the same routing and description (test_idempotent_create_alias).
          if (it->second.routing != routes || it->second.description != description) {
            throw ServiceError("ConflictException",
                               "Failed to create alias because an alias with the same name and a "
                               "different routing configuration already exists.");
          }
          created = it->second;
          return;
        }
        created = {name, description, routes, now, now};
        record.aliases.emplace(name, created);
      });
  if (!found) throw_not_found();
  return {{"stateMachineAliasArn", alias_arn(state_machine_arn, name)},
          {"creationDate", asl::to_epoch_seconds(created.creation_date)}};
}

nlohmann::json describe_state_machine_alias(ServiceContext& context,
                                            const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = require_alias_arn(reader);
  const auto record = context.state_machines.find(arn.state_machine_arn());
  if (!record) throw_not_found();
  const auto it = record->aliases.find(arn.qualifier);
  if (it == record->aliases.end()) throw_not_found();
  return describe(record->arn, it->second);
}

nlohmann::json update_state_machine_alias(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = require_alias_arn(reader);
  const auto description = reader.optional_string("description", 0, kMaxDescriptionLength);
  const auto* routing = reader.member("routingConfiguration");
  if (!description && routing == nullptr) {
    // Our words: AWS's API reference requires one of them.
    throw ServiceError("ValidationException",
                       "Either the description or the routingConfiguration must be specified");
  }
  std::vector<AliasRoute> routes;
  if (routing != nullptr) {
    auto checked_routing = require_routing(*routing);
    const auto& state_machine_arn = checked_routing.first;
    auto& checked = checked_routing.second;
    if (state_machine_arn != arn.state_machine_arn()) {
      throw ServiceError("ValidationException",
                         "Routing configuration must contain versions of the alias's state "
                         "machine " +
                             arn.state_machine_arn());
    }
    routes = std::move(checked);
  }
  const auto now = ServiceContext::now();
  const bool found =
      context.state_machines.modify(arn.state_machine_arn(), [&](StateMachineRecord& record) {
        require_versions(record, routes);
        const auto it = record.aliases.find(arn.qualifier);
        if (it == record.aliases.end()) throw_not_found();
        if (description) it->second.description = *description;
        if (routing != nullptr) it->second.routing = routes;
        it->second.update_date = now;
      });
  if (!found) throw_not_found();
  return {{"updateDate", asl::to_epoch_seconds(now)}};
}

nlohmann::json delete_state_machine_alias(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = require_alias_arn(reader);
  // Deleting an alias that does not exist succeeds (test_delete_no_such_alias_arn).
  context.state_machines.modify(arn.state_machine_arn(), [&](StateMachineRecord& record) {
    record.aliases.erase(arn.qualifier);
  });
  return nlohmann::json::object();
}

nlohmann::json list_state_machine_aliases(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("stateMachineArn");
  const auto page_size = static_cast<std::size_t>(reader.page_size());
  const auto token = reader.next_token();
  // A version ARN lists the aliases that route to that version.
  std::optional<std::uint64_t> version;
  std::string state_machine_arn = arn;
  if (const auto parsed = parse_arn(arn); parsed && parsed->type == ArnType::kStateMachineVersion) {
    version = std::stoull(parsed->qualifier);
    state_machine_arn = parsed->state_machine_arn();
  }
  const auto record = require_state_machine(context, state_machine_arn);
  if (version && !record.versions.contains(*version)) {
    throw ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }
  // Oldest first (the recordings list in creation order); the cursor is the
  // position in that order of the next alias.
  std::vector<const StateMachineAlias*> aliases;
  for (const auto& [name, alias] : record.aliases) {
    if (version) {
      const auto& routing = alias.routing;
      const bool routes = std::any_of(routing.begin(), routing.end(),
                                      [&](const AliasRoute& r) { return r.version == *version; });
      if (!routes) continue;
    }
    aliases.push_back(&alias);
  }
  std::stable_sort(aliases.begin(), aliases.end(), [](const auto* a, const auto* b) {
    return a->creation_date < b->creation_date;
  });
  const std::size_t from = token ? decode_page_number(*token, "stateMachineAliases", arn) : 0;
  nlohmann::json response = {{"stateMachineAliases", nlohmann::json::array()}};
  for (std::size_t i = from; i < aliases.size(); ++i) {
    if (i - from == page_size) {
      response["nextToken"] = encode_page_token("stateMachineAliases", arn, std::to_string(i));
      break;
    }
    response["stateMachineAliases"].push_back(
        {{"stateMachineAliasArn", alias_arn(record.arn, aliases[i]->name)},
         {"creationDate", asl::to_epoch_seconds(aliases[i]->creation_date)}});
  }
  return response;
}

}  // namespace loveless::engine
