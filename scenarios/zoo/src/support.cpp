#include "support.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "loveless/zoo/handlers.hpp"

namespace loveless::zoo::detail {
namespace {

std::chrono::milliseconds task_time() {
  constexpr std::chrono::milliseconds kDefault{150};
  const char* text = std::getenv("ZOO_TASK_MS");
  if (text == nullptr || *text == '\0') return kDefault;
  const std::string_view value(text);
  int milliseconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), milliseconds);
  if (ec != std::errc() || end != value.data() + value.size() || milliseconds < 0) {
    fail(kInvalidInput,
         "ZOO_TASK_MS must be a non-negative integer, got '" + std::string(value) + "'");
  }
  return std::chrono::milliseconds(milliseconds);
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto start = text.find_first_not_of(" \t\r\n", at);
    if (start == std::string_view::npos) break;
    const auto stop = std::min(text.find_first_of(" \t\r\n", start), text.size());
    words.push_back(text.substr(start, stop - start));
    at = stop;
  }
  return words;
}

}  // namespace

std::string ZooTask::id() const {
  auto value = text("id");
  const bool safe = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!safe) fail(kInvalidInput, "input id '" + value + "' must be letters, digits and '-'");
  return value;
}

std::string ZooTask::text(const char* field) const {
  if (!input.is_object() || !input.contains(field) || !input[field].is_string()) {
    fail(kInvalidInput, std::string("input needs a string '") + field + "'");
  }
  return input[field].get<std::string>();
}

worker::Handler handler(Behaviour behaviour) {
  return [behaviour = std::move(behaviour)](const nlohmann::json& parameters,
                                            worker::TaskContext& context) {
    if (!parameters.is_object() || !parameters.contains("input") ||
        !parameters.value("step", nlohmann::json()).is_string() ||
        !parameters.value("attempt", nlohmann::json()).is_number_integer() ||
        !parameters.value("execution", nlohmann::json()).is_string()) {
      fail(kInvalidInput,
           "parameters must be {\"step\", \"attempt\", \"execution\", \"input\"} (a zoo workflow)");
    }
    ZooTask task;
    task.step = parameters["step"].get<std::string>();
    task.attempt = parameters["attempt"].get<int>();
    task.execution = parameters["execution"].get<std::string>();
    task.input = parameters["input"];
    return behaviour(task, context);
  };
}

void work_a_while(worker::TaskContext& context) {
  constexpr auto kStep = std::chrono::milliseconds(10);
  const auto until = std::chrono::steady_clock::now() + task_time();
  while (std::chrono::steady_clock::now() < until) {
    if (context.stopping()) fail(kInterrupted, "worker " + context.worker_name() + " is stopping");
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        kStep, until - std::chrono::steady_clock::now()));
  }
}

std::string digest(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::int64_t word_count(std::string_view text) {
  return static_cast<std::int64_t>(words_of(text).size());
}

std::int64_t first_half_words(std::string_view text) {
  return static_cast<std::int64_t>(words_of(text).size() / 2);
}

nlohmann::json summarise(const std::string& id, const std::string& content) {
  return {{"id", id}, {"words", word_count(content)}, {"digest", digest(content)}};
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

void append_text(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush()) throw std::runtime_error("cannot append to " + file.string());
}

void fail(const char* error, const std::string& cause) { throw worker::TaskFailure(error, cause); }

}  // namespace loveless::zoo::detail
