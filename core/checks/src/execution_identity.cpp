#include "execution_identity.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace loveless::checks::detail {
namespace {

constexpr std::string_view kArnMask = "<execution arn>";
constexpr std::string_view kNameMask = "<execution name>";
/// The runner's names (`control-0001-a`) are longer.
constexpr std::size_t kMinEmbeddedName = 8;

/// Replaces every occurrence of `needle` in `text`; false when there was none.
bool replace_all(std::string& text, std::string_view needle, std::string_view mask) {
  if (needle.empty()) return false;
  bool replaced = false;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + mask.size())) {
    text.replace(at, needle.size(), mask);
    replaced = true;
  }
  return replaced;
}

class IdentityMask {
 public:
  explicit IdentityMask(const history::ExecutionRecord& execution)
      : arn_(execution.arn), name_(execution.name) {}

  /// The ARN first: it contains the name. A short name (a hand-made
  /// history's `a`) is masked only as a whole string, never inside words.
  std::string masked(std::string text) const {
    replace_all(text, arn_, kArnMask);
    if (name_.size() >= kMinEmbeddedName) {
      replace_all(text, name_, kNameMask);
    } else if (!name_.empty() && text == name_) {
      text = kNameMask;
    }
    return text;
  }

  // Outputs nest at most 1,000 levels (the engine refuses deeper ones), so
  // recursing per level is bounded.
  void apply(nlohmann::json& value) const {
    if (value.is_string()) {
      value = masked(value.get<std::string>());
    } else if (value.is_array()) {
      for (auto& element : value) apply(element);
    } else if (value.is_object()) {
      nlohmann::json renamed = nlohmann::json::object();
      for (auto& [key, member] : value.items()) {
        apply(member);
        renamed[masked(key)] = std::move(member);
      }
      value = std::move(renamed);
    }
  }

 private:
  const std::string& arn_;
  const std::string& name_;
};

}  // namespace

nlohmann::json without_execution_identity(nlohmann::json value,
                                          const history::ExecutionRecord& execution) {
  IdentityMask(execution).apply(value);
  return value;
}

}  // namespace loveless::checks::detail
