// Ignore paths of outputs_match_control: a small JSONPath subset (`$`,
// `.name`, `['name']`, `[3]`, `[*]`, `.*`) applied as a remover.

#include <cctype>
#include <string>
#include <variant>
#include <vector>

#include "check_support.hpp"

namespace loveless::checks::detail {

namespace {

struct Member {
  std::string name;
};
struct Index {
  std::size_t index;
};
struct Wildcard {};
using Step = std::variant<Member, Index, Wildcard>;

struct Parsed {
  std::vector<Step> steps;
  std::string error;
};

Parsed parse(std::string_view path) {
  Parsed parsed;
  const auto fail = [&parsed, path](const std::string& why) {
    parsed.error = "'" + std::string(path) + "' is not a supported path: " + why;
    parsed.steps.clear();
    return parsed;
  };
  if (path.empty() || path.front() != '$') return fail("it must start with $");
  std::size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      if (i < path.size() && path[i] == '.') return fail("recursive descent (..) is not supported");
      if (i < path.size() && path[i] == '*') {
        parsed.steps.emplace_back(Wildcard{});
        ++i;
        continue;
      }
      const std::size_t begin = i;
      while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
      if (i == begin) return fail("a member name is missing after '.'");
      parsed.steps.emplace_back(Member{std::string(path.substr(begin, i - begin))});
      continue;
    }
    if (path[i] != '[') return fail("expected '.' or '[' at position " + std::to_string(i));
    ++i;
    if (i < path.size() && path[i] == '*') {
      if (i + 1 >= path.size() || path[i + 1] != ']') return fail("expected ']' after '[*'");
      parsed.steps.emplace_back(Wildcard{});
      i += 2;
      continue;
    }
    if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
      const char quote = path[i++];
      std::string name;
      while (i < path.size() && path[i] != quote) {
        if (path[i] == '\\' && i + 1 < path.size()) ++i;
        name += path[i++];
      }
      if (i + 1 >= path.size() || path[i + 1] != ']') return fail("unterminated quoted name");
      parsed.steps.emplace_back(Member{std::move(name)});
      i += 2;
      continue;
    }
    const std::size_t begin = i;
    std::size_t index = 0;
    while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i])) != 0) {
      if (i - begin >= 9) return fail("index too large");
      index = index * 10 + static_cast<std::size_t>(path[i] - '0');
      ++i;
    }
    if (i == begin || i >= path.size() || path[i] != ']') {
      return fail("only [n], [*] and ['name'] are supported in brackets");
    }
    parsed.steps.emplace_back(Index{index});
    ++i;
  }
  return parsed;
}

void remove_at(nlohmann::json& value, const std::vector<Step>& steps, std::size_t at) {
  const Step& step = steps[at];
  const bool last = at + 1 == steps.size();
  if (const auto* member = std::get_if<Member>(&step)) {
    if (!value.is_object()) return;
    const auto it = value.find(member->name);
    if (it == value.end()) return;
    if (last) {
      value.erase(it);
    } else {
      remove_at(*it, steps, at + 1);
    }
    return;
  }
  if (const auto* index = std::get_if<Index>(&step)) {
    if (!value.is_array() || index->index >= value.size()) return;
    // An ignored array element becomes null, so the elements after it keep
    // their indices (and a difference's pointer names the original element).
    if (last) {
      value[index->index] = nullptr;
    } else {
      remove_at(value[index->index], steps, at + 1);
    }
    return;
  }
  if (value.is_object()) {
    if (last) {
      value = nlohmann::json::object();
      return;
    }
    for (auto& child : value) remove_at(child, steps, at + 1);
  } else if (value.is_array()) {
    for (auto& child : value) {
      if (last) {
        child = nullptr;
      } else {
        remove_at(child, steps, at + 1);
      }
    }
  }
}

}  // namespace

std::optional<std::string> validate_json_path(std::string_view path) {
  auto parsed = parse(path);
  if (!parsed.error.empty()) return parsed.error;
  return std::nullopt;
}

std::optional<std::string> remove_json_path(nlohmann::json& value, std::string_view path) {
  auto parsed = parse(path);
  if (!parsed.error.empty()) return parsed.error;
  if (parsed.steps.empty()) {
    value = nullptr;  // `$`: the whole output is ignored
    return std::nullopt;
  }
  remove_at(value, parsed.steps, 0);
  return std::nullopt;
}

}  // namespace loveless::checks::detail
