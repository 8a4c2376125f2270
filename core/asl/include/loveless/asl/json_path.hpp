#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::asl {

/// A compiled JSONPath as the Amazon States Language uses it
/// (https://states-language.net/#path, "Paths" and "Reference Paths").
///
/// Supported syntax: `$` and `$$` (the context object) roots, dot and bracket
/// member access (`$.a.b`, `$['a b']`), array indexes (`$.a[0]`, `$.a[-1]`),
/// and, outside reference paths, wildcards (`$.a[*]`, `$.*`), slices
/// (`$.a[1:3]`), unions (`$.a[0,2]`), recursive descent (`$..x`) and filter
/// expressions (`$.a[?(@.price < 10)]`) as Jayway JsonPath (the library AWS
/// uses) evaluates them: a path that is not "definite" returns an array of
/// matches.
///
/// Thread-safety: a compiled path is immutable and may be shared between threads.
class JsonPath {
 public:
  /// Compiles `text`. Throws `JsonPathSyntaxError` when it is not a valid path.
  static JsonPath compile(std::string_view text);

  /// The text the path was compiled from.
  [[nodiscard]] const std::string& text() const;
  /// True when the path starts with `$$` (evaluated against the context object).
  [[nodiscard]] bool is_context() const;
  /// A path rooted at a variable (`$name`, `$name.a[0]`; Step Functions
  /// variables, https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html):
  /// the variable's name, else empty.
  [[nodiscard]] const std::string& variable() const;
  /// True when the path is a Reference Path: it names exactly one node
  /// (only member access and non-negative indexes), the form ASL requires for
  /// ResultPath and the `*Path` fields of Choice rules and Wait states.
  [[nodiscard]] bool is_reference_path() const;
  /// True when evaluation yields one node rather than a list of matches.
  [[nodiscard]] bool is_definite() const;

  /// Evaluates the path: against `context` when `is_context()`, else against
  /// `input`. Throws `JsonPathNoMatch` when a definite path names a node that
  /// does not exist (the caller maps it to `States.Runtime` or
  /// `States.ParameterPathFailure`, as AWS does for the field being evaluated).
  /// An indefinite path that matches nothing returns an empty array.
  /// A variable path is evaluated against `variables` (an object: name ->
  /// value); a variable that is not there throws `JsonPathNoMatch`. A path
  /// that selects more than 1,000,000 values, or whose matches hold more
  /// than 4,000,000 values to copy (chained descents, `$..a..a..a`), throws
  /// `StatesError` `States.DataLimitExceeded` instead of using gigabytes.
  [[nodiscard]] nlohmann::json evaluate(const nlohmann::json& input, const nlohmann::json& context,
                                        const nlohmann::json* variables = nullptr) const;
  /// The nodes of `root` the path selects, as pointers into it, in the order
  /// `evaluate` lists matches; a member union at the leaf gives each member
  /// (not Jayway's merged object). The path is applied to `root` even when it
  /// starts with `$$`. A path that matches nothing gives none; one that
  /// selects more than 1,000,000 values throws `StatesError`
  /// (`States.DataLimitExceeded`), as `evaluate` does.
  [[nodiscard]] std::vector<const nlohmann::json*> select_nodes(const nlohmann::json& root) const;
  /// True when `evaluate` would not throw `JsonPathNoMatch`.
  [[nodiscard]] bool exists(const nlohmann::json& input, const nlohmann::json& context,
                            const nlohmann::json* variables = nullptr) const;

  /// Writes `value` at this Reference Path inside `target`, creating missing
  /// objects on the way, as ResultPath does
  /// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
  /// `$` replaces `target` entirely. Throws `JsonPathNoMatch` when an existing
  /// node on the way is not an object (AWS: `States.ResultPathMatchFailure`).
  void assign(nlohmann::json& target, nlohmann::json value) const;

  struct Impl;

 private:
  explicit JsonPath(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// The text is not a valid (reference) path. `what()` explains why.
class JsonPathSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A definite path named a node that does not exist in the data.
/// `what()` is AWS-like: `The JSONPath '$.a.b' could not be found in the input '{...}'`.
class JsonPathNoMatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace loveless::asl
