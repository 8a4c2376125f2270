#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace loveless::stacks::aws {

/// An Amazon Resource Name, `arn:<partition>:<service>:<region>:<account>:<resource>`
/// (AWS General Reference, "Amazon Resource Names (ARNs)"). `resource` keeps
/// its own separators (`service/cluster/name`, `function:name`).
struct Arn {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;

  [[nodiscard]] std::string str() const;
};

/// Nullopt when `text` is not six `:`-separated fields starting with `arn`
/// with a non-empty partition, service and resource.
std::optional<Arn> parse_arn(std::string_view text);

/// The parts of an ECS service ARN in the long format
/// (`arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`).
struct EcsServiceName {
  std::string cluster;
  std::string service;
};
/// Nullopt for anything else (the old short format without the cluster
/// cannot say which cluster, so it is refused).
std::optional<EcsServiceName> ecs_service_name(const Arn& arn);

/// The function name of `arn:aws:lambda:<region>:<account>:function:<name>`
/// (an alias or version qualifier after a further `:` is kept out); nullopt
/// for anything else.
std::optional<std::string> lambda_function_name(const Arn& arn);

/// The last `/`-separated part of a resource, e.g. an ECS task id from
/// `task/<cluster>/<id>`.
std::string last_resource_part(std::string_view arn);

}  // namespace loveless::stacks::aws
