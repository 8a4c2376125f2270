#include "handler_support.hpp"

#include <cstdint>
#include <cstdio>
#include <thread>

namespace loveless::demo::detail {

std::string required_string(const nlohmann::json& input, const char* field) {
  if (!input.is_object() || !input.contains(field) || !input[field].is_string() ||
      input[field].get_ref<const std::string&>().empty()) {
    throw worker::TaskFailure(kInvalidInput,
                              std::string("input needs a non-empty string '") + field + "'");
  }
  return input[field].get<std::string>();
}

std::string document_name(const nlohmann::json& input) {
  auto name = required_string(input, "document");
  if (name.find('/') != std::string::npos || name == "." || name == "..") {
    throw worker::TaskFailure(kInvalidInput, "document name '" + name + "' is not a file name");
  }
  return name;
}

std::vector<std::string> required_strings(const nlohmann::json& input, const char* field) {
  if (!input.is_object() || !input.contains(field) || !input[field].is_array()) {
    throw worker::TaskFailure(kInvalidInput, std::string("input needs an array '") + field + "'");
  }
  std::vector<std::string> values;
  for (const auto& value : input[field]) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
      throw worker::TaskFailure(kInvalidInput,
                                std::string("'") + field + "' must hold non-empty strings");
    }
    values.push_back(value.get<std::string>());
  }
  return values;
}

std::string content_hash(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string counts_to_json(const WordCounts& counts) {
  // nlohmann::json objects are ordered by key, so equal counts give equal bytes.
  return nlohmann::json(counts).dump();
}

WordCounts counts_from_json(std::string_view text, const std::string& origin) {
  const auto object = nlohmann::json::parse(text, nullptr, false);
  if (!object.is_object()) {
    throw worker::TaskFailure(kInvalidInput, origin + " does not hold a JSON object of counts");
  }
  WordCounts counts;
  for (const auto& [word, count] : object.items()) {
    if (!count.is_number_integer()) {
      throw worker::TaskFailure(kInvalidInput, origin + ": count of '" + word + "' is no integer");
    }
    counts[word] = count.get<std::int64_t>();
  }
  return counts;
}

void pause_for_chunk(std::chrono::milliseconds delay, worker::TaskContext& context) {
  constexpr auto kStep = std::chrono::milliseconds(20);
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    if (context.stopping()) {
      throw worker::TaskFailure(kInterrupted, "worker " + context.worker_name() + " is stopping");
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kStep, until - std::chrono::steady_clock::now()));
  }
}

void fail_from_store(const StoreError& error, const char* not_found_error) {
  switch (error.kind()) {
    case StoreError::Kind::kNotFound:
      throw worker::TaskFailure(not_found_error, error.what());
    case StoreError::Kind::kInvalidKey:
      throw worker::TaskFailure(kInvalidInput, error.what());
    case StoreError::Kind::kIo:
      break;
  }
  // An I/O error may pass (a full disk, a flaky mount): a generic failure the
  // workflow's States.TaskFailed retrier retries.
  throw worker::TaskFailure("Demo.StoreError", error.what());
}

nlohmann::json finish_merge(const std::string& document, const WordCounts& counts,
                            const std::vector<std::string>& sources, const DurableStore& store) {
  std::string joined;
  for (const auto& source : sources) joined += source + "\n";
  const auto result_key = "results/" + document + "/" + content_hash(joined) + ".json";
  const auto total = total_words(counts);
  const nlohmann::json result = {
      {"document", document}, {"total_words", total}, {"counts", counts}};
  try {
    store.write(result_key, result.dump());
  } catch (const StoreError& e) {
    fail_from_store(e, kInvalidInput);
  }
  nlohmann::json top = nlohmann::json::array();
  for (const auto& entry : top_words(counts, kTopWords)) {
    top.push_back({{"word", entry.word}, {"count", entry.count}});
  }
  return {{"document", document},
          {"total_words", total},
          {"distinct_words", counts.size()},
          {"top", top},
          {"result", result_key}};
}

}  // namespace loveless::demo::detail
