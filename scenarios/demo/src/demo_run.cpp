#include "loveless/demo/demo_run.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <thread>

#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/demo/handlers.hpp"
#include "loveless/demo/store.hpp"
#include "loveless/stacks/docker/docker_client.hpp"

namespace loveless::demo {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);

stacks::PoolSpec worker_pool(const DemoOptions& options, bool in_containers,
                             const std::filesystem::path& store, const std::string& handler) {
  stacks::PoolSpec spec;
  spec.name = handler;
  // The store is shared by every worker; a container sees it at /store (its
  // /tmp is scratch), a process where it is.
  const std::filesystem::path store_inside =
      in_containers ? std::filesystem::path(kContainerStorePath) : store;
  if (in_containers) {
    spec.image = options.image;
    spec.command = {options.image_binary, handler};
  } else {
    spec.command = {options.worker_binary.string(), handler};
  }
  spec.mounts = {{store, store_inside, false}};
  spec.environment = {
      {"LOVELESS_DEMO_STORE", store_inside.string()},
      {"LOVELESS_DEMO_CHUNK_DELAY_MS", std::to_string(options.chunk_delay.count())}};
  return spec;
}

void require_image(const std::string& image) {
  bool present = false;
  try {
    present = stacks::DockerClient().has_image(image);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot look for the demo image " + image + ": " + error.what());
  }
  if (!present) {
    throw std::runtime_error(
        "the Docker engine has no image " + image +
        ": images are never pulled; run the build with a Docker engine up (scripts/docker-engine, "
        "then scripts/build), which makes " +
        image + " from demo-worker-static");
  }
}

std::string text_field(const nlohmann::json& object, const char* field) {
  return object.contains(field) && object[field].is_string() ? object[field].get<std::string>()
                                                             : std::string();
}

}  // namespace

DemoDeployment::DemoDeployment(stacks::LocalStack& stack, DemoOptions options)
    : stack_(stack),
      options_(std::move(options)),
      client_(stack.client()),
      store_(std::filesystem::absolute(stack.run_dir() / "store")) {
  const bool in_containers = stack_.fleet().platform() == "docker";
  if (in_containers) {
    require_image(options_.image);
  } else if (!std::filesystem::is_regular_file(options_.worker_binary)) {
    throw std::invalid_argument("demo worker binary not found: " + options_.worker_binary.string() +
                                " (build the demo-worker target)");
  }
  std::filesystem::create_directories(store_);
  const auto pool = [&](const std::string& handler) {
    return worker_pool(options_, in_containers, store_, handler);
  };
  const auto& bound = binding(options_.variant);

  const auto activity_arn = stack_.create_activity(bound.count_words_handler);
  auto count_spec = pool(bound.count_words_handler);
  count_spec.kind = stacks::PoolKind::kActivity;
  count_spec.replicas = options_.activity_workers;
  count_spec.activity_arn = activity_arn;
  count_words_pool_ = stack_.add_activity_pool(std::move(count_spec));

  split_pool_ = stack_.add_function(bound.split_handler, pool(bound.split_handler),
                                    options_.function_timeout, options_.function_concurrency);
  merge_pool_ = stack_.add_function(bound.merge_handler, pool(bound.merge_handler),
                                    options_.function_timeout, options_.function_concurrency);

  const auto definition = asl::substitute_placeholders(
      bound.definition_template, {{"SplitFunctionArn", stack_.function_arn(bound.split_handler)},
                                  {"MergeFunctionArn", stack_.function_arn(bound.merge_handler)},
                                  {"CountWordsActivityArn", activity_arn}});
  state_machine_ =
      stack_.deploy("loveless-demo-" + std::string(to_string(options_.variant)), definition);
}

std::vector<std::shared_ptr<stacks::Pool>> DemoDeployment::pools() const {
  return {count_words_pool_, split_pool_, merge_pool_};
}

std::string DemoDeployment::upload(const std::filesystem::path& source) {
  const auto name = source.filename().string();
  DurableStore(store_).write("documents/" + name, read_file(source));
  return name;
}

std::string DemoDeployment::start(const std::string& document, const std::string& name) {
  const nlohmann::json input = {{"document", document},
                                {"lines_per_chunk", options_.lines_per_chunk}};
  return client_
      .call("StartExecution", {{"stateMachineArn", state_machine_},
                               {"name", name},
                               {"input", input.dump()}})["executionArn"]
      .get<std::string>();
}

DocumentResult DemoDeployment::wait(const std::string& execution_arn,
                                    const std::filesystem::path& source,
                                    std::chrono::steady_clock::time_point deadline) {
  nlohmann::json description;
  while (true) {
    description = client_.call("DescribeExecution", {{"executionArn", execution_arn}});
    if (description["status"] != "RUNNING" || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  DocumentResult result;
  result.source = source;
  result.execution_arn = execution_arn;
  result.status = description["status"].get<std::string>();
  result.error = text_field(description, "error");
  result.cause = text_field(description, "cause");
  const auto input = nlohmann::json::parse(text_field(description, "input"), nullptr, false);
  result.document = input.is_object() ? text_field(input, "document") : std::string();
  if (description.contains("startDate") && description.contains("stopDate")) {
    result.duration = std::chrono::milliseconds(static_cast<long long>(
        (description["stopDate"].get<double>() - description["startDate"].get<double>()) * 1000));
  }
  if (result.status == "SUCCEEDED") {
    result.output = nlohmann::json::parse(text_field(description, "output"), nullptr, false);
    result.mismatch = compare_with(result.output, store_, count_words(read_file(source)));
  }
  return result;
}

std::vector<std::filesystem::path> list_documents(const std::filesystem::path& dir, int limit) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::invalid_argument(dir.string() + " is not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  // /usr/share/common-licenses has GPL -> GPL-3 and the like: one document each.
  std::set<std::filesystem::path> seen;
  std::vector<std::filesystem::path> documents;
  for (const auto& file : files) {
    if (!std::filesystem::is_symlink(file) &&
        seen.insert(std::filesystem::canonical(file)).second) {
      documents.push_back(file);
    }
  }
  for (const auto& file : files) {
    if (std::filesystem::is_symlink(file) && seen.insert(std::filesystem::canonical(file)).second) {
      documents.push_back(file);
    }
  }
  std::sort(documents.begin(), documents.end());
  if (documents.empty()) throw std::invalid_argument(dir.string() + " holds no files");
  if (limit > 0 && static_cast<std::size_t>(limit) < documents.size()) documents.resize(limit);
  return documents;
}

std::string compare_with(const nlohmann::json& output, const std::filesystem::path& store,
                         const WordCounts& expected) {
  if (!output.is_object()) return "the output is not a JSON object";
  const auto total = total_words(expected);
  if (output.value("total_words", std::int64_t{-1}) != total) {
    return "total_words " + output.value("total_words", nlohmann::json()).dump() + ", expected " +
           std::to_string(total);
  }
  nlohmann::json top = nlohmann::json::array();
  for (const auto& entry : top_words(expected, kTopWords)) {
    top.push_back({{"word", entry.word}, {"count", entry.count}});
  }
  if (output.value("top", nlohmann::json()) != top) return "the top words differ";
  try {
    const auto stored = nlohmann::json::parse(
        DurableStore(store).read(output.value("result", std::string())), nullptr, false);
    if (!stored.is_object() ||
        stored.value("counts", nlohmann::json()) != nlohmann::json(expected)) {
      return "the stored counts differ";
    }
  } catch (const StoreError& e) {
    return std::string("the stored result cannot be read: ") + e.what();
  }
  return {};
}

std::string execution_name(const std::string& document, std::size_t index) {
  std::string name;
  for (const char c : document) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    name.push_back(safe ? c : '-');
  }
  const auto suffix = "-" + std::to_string(index);
  name.resize(std::min(name.size(), std::size_t{80} - suffix.size()));
  return name + suffix;
}

}  // namespace loveless::demo
