#include "loveless/asl/json_path.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"

#include "json_text.hpp"

namespace loveless::asl {

namespace {

using nlohmann::json;

struct FilterExpr;

/// One step of a compiled path. Kept as a flat struct (rather than a variant
/// of node classes) so that the evaluator is a single switch with no virtual
/// dispatch on the hot path.
struct Segment {
  enum class Kind : std::uint8_t { kName, kNames, kIndex, kIndexes, kWildcard, kSlice, kFilter };
  Kind kind = Kind::kName;
  /// `..` before the selector: apply the selector to every node below.
  bool recursive = false;
  std::string name;                         // kName
  std::vector<std::string> names;           // kNames (a union of member names)
  std::int64_t index = 0;                   // kIndex
  std::vector<std::int64_t> indexes;        // kIndexes
  std::optional<std::int64_t> slice_start;  // kSlice
  std::optional<std::int64_t> slice_end;
  std::int64_t slice_step = 1;
  std::shared_ptr<const FilterExpr> filter;  // kFilter
};

/// A side of a filter comparison: a path from `@` (the current item) or `$`
/// (the root), or a literal.
struct Operand {
  enum class Kind : std::uint8_t { kCurrent, kRoot, kLiteral };
  Kind kind = Kind::kLiteral;
  std::vector<Segment> path;  // definite segments only (names and indexes)
  json literal;
};

enum class CompareOp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct FilterExpr {
  enum class Kind : std::uint8_t { kOr, kAnd, kNot, kCompare, kExists };
  Kind kind = Kind::kExists;
  CompareOp op = CompareOp::kEq;
  std::unique_ptr<FilterExpr> lhs;  // kOr, kAnd, kNot
  std::unique_ptr<FilterExpr> rhs;  // kOr, kAnd
  Operand left;                     // kCompare, kExists
  Operand right;                    // kCompare
};

bool is_name_stop(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '(':
    case ')':
    case ',':
    case '\'':
    case '"':
    case '=':
    case '!':
    case '<':
    case '>':
    case '&':
    case '|':
      return true;
    default:
      return std::isspace(static_cast<unsigned char>(c)) != 0;
  }
}

/// Recursive-descent parser over the whole path text, filters included, so that
/// quotes and brackets inside filters never confuse the outer grammar.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  /// Parses `$`/`$$` followed by segments up to the end of the text.
  std::vector<Segment> parse_path(bool& is_context, std::string& variable) {
    if (!consume('$')) fail("a path must start with '$'");
    is_context = consume('$');
    if (!is_context) variable = parse_variable_name();
    auto segments = parse_segments(false);
    if (pos_ != text_.size()) fail("unexpected character '" + std::string(1, text_[pos_]) + "'");
    return segments;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw JsonPathSyntaxError("Invalid JSONPath '" + std::string(text_) + "' at position " +
                              std::to_string(pos_) + ": " + why);
  }

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }

  /// A `(` or `!` in a filter: parsing, evaluating and freeing a filter
  /// recurse once per level, so they are bounded as a definition's nesting
  /// is (30,000 levels overflowed the stack).
  void enter_filter_level() {
    if (++filter_depth_ > detail::kMaxDefinitionDepth) {
      fail("a filter nests deeper than " + std::to_string(detail::kMaxDefinitionDepth) + " levels");
    }
  }

  /// A variable's name after `$`: letters, digits and `_`, not starting with a
  /// digit (Step Functions' rule for Assign keys); empty for a plain `$` path.
  std::string parse_variable_name() {
    const std::size_t start = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) != 0 || peek() == '_')) {
      ++pos_;
    }
    std::string name(text_.substr(start, pos_ - start));
    if (!name.empty() && std::isdigit(static_cast<unsigned char>(name.front())) != 0) {
      pos_ = start;
      fail("a variable name cannot start with a digit");
    }
    return name;
  }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool consume(char c) {
    if (peek() == c && !at_end()) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!consume(c)) fail(std::string("expected '") + c + "'");
  }
  void skip_spaces() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek())) != 0) ++pos_;
  }

  /// In a filter, a path ends at the first character that cannot continue it
  /// (an operator, a parenthesis); at top level anything else is an error.
  std::vector<Segment> parse_segments(bool in_filter) {
    std::vector<Segment> segments;
    while (!at_end()) {
      const char c = peek();
      if (c == '.') {
        ++pos_;
        Segment segment;
        if (consume('.')) {
          segment.recursive = true;
          if (peek() == '[') {
            ++pos_;
            parse_bracket(segment);
            segments.push_back(std::move(segment));
            continue;
          }
        }
        parse_dot_member(segment);
        segments.push_back(std::move(segment));
      } else if (c == '[') {
        ++pos_;
        Segment segment;
        parse_bracket(segment);
        segments.push_back(std::move(segment));
      } else if (in_filter) {
        break;
      } else {
        fail("unexpected character '" + std::string(1, c) + "'");
      }
    }
    return segments;
  }

  void parse_dot_member(Segment& segment) {
    if (consume('*')) {
      segment.kind = Segment::Kind::kWildcard;
      return;
    }
    const std::size_t start = pos_;
    while (!at_end() && !is_name_stop(peek())) ++pos_;
    if (pos_ == start) fail("expected a member name after '.'");
    segment.kind = Segment::Kind::kName;
    segment.name.assign(text_.substr(start, pos_ - start));
  }

  std::string parse_quoted() {
    const char quote = peek();
    ++pos_;
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated string");
      char c = text_[pos_++];
      if (c == quote) break;
      // Only the quote itself is escaped, as in Jayway (recorded on AWS:
      // `$['Test\""Name"']` names the key `Test\""Name"`).
      if (c == '\\' && !at_end() && text_[pos_] == quote) c = text_[pos_++];
      out.push_back(c);
    }
    return out;
  }

  std::int64_t parse_integer() {
    skip_spaces();
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(peek())) != 0) ++pos_;
    std::int64_t value = 0;
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || first == last) {
      pos_ = start;
      fail("expected an integer");
    }
    skip_spaces();
    return value;
  }

  /// After '[': `*]`, `'a','b']`, `0,1]`, `1:3]`, `?(...)]`.
  void parse_bracket(Segment& segment) {
    skip_spaces();
    const char c = peek();
    if (c == '*') {
      ++pos_;
      skip_spaces();
      expect(']');
      segment.kind = Segment::Kind::kWildcard;
      return;
    }
    if (c == '\'' || c == '"') {
      std::vector<std::string> names;
      while (true) {
        skip_spaces();
        if (peek() != '\'' && peek() != '"') fail("expected a quoted member name");
        names.push_back(parse_quoted());
        skip_spaces();
        if (consume(']')) break;
        expect(',');
      }
      if (names.size() == 1) {
        segment.kind = Segment::Kind::kName;
        segment.name = std::move(names.front());
      } else {
        segment.kind = Segment::Kind::kNames;
        segment.names = std::move(names);
      }
      return;
    }
    if (c == '?') {
      ++pos_;
      skip_spaces();
      expect('(');
      segment.kind = Segment::Kind::kFilter;
      segment.filter = parse_or();
      skip_spaces();
      expect(')');
      skip_spaces();
      expect(']');
      return;
    }
    if (c == ':') {
      parse_slice(segment, std::nullopt);
      return;
    }
    const std::int64_t first = parse_integer();
    if (peek() == ':') {
      parse_slice(segment, first);
      return;
    }
    std::vector<std::int64_t> indexes{first};
    while (!consume(']')) {
      expect(',');
      indexes.push_back(parse_integer());
    }
    if (indexes.size() == 1) {
      segment.kind = Segment::Kind::kIndex;
      segment.index = first;
    } else {
      segment.kind = Segment::Kind::kIndexes;
      segment.indexes = std::move(indexes);
    }
  }

  /// At ':' of `[start:end:step]`.
  void parse_slice(Segment& segment, std::optional<std::int64_t> start) {
    expect(':');
    segment.kind = Segment::Kind::kSlice;
    segment.slice_start = start;
    skip_spaces();
    if (peek() != ']' && peek() != ':') segment.slice_end = parse_integer();
    if (consume(':')) {
      skip_spaces();
      if (peek() != ']') segment.slice_step = parse_integer();
      if (segment.slice_step <= 0) fail("a slice step must be positive");
    }
    skip_spaces();
    expect(']');
  }

  // Filter grammar: or := and ('||' and)*; and := unary ('&&' unary)*;
  // unary := '!' unary | '(' or ')' | operand (op operand)?
  std::unique_ptr<FilterExpr> parse_or() {
    auto left = parse_and();
    while (true) {
      skip_spaces();
      if (peek() == '|' && peek(1) == '|') {
        pos_ += 2;
        auto node = std::make_unique<FilterExpr>();
        node->kind = FilterExpr::Kind::kOr;
        node->lhs = std::move(left);
        node->rhs = parse_and();
        left = std::move(node);
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<FilterExpr> parse_and() {
    auto left = parse_unary();
    while (true) {
      skip_spaces();
      if (peek() == '&' && peek(1) == '&') {
        pos_ += 2;
        auto node = std::make_unique<FilterExpr>();
        node->kind = FilterExpr::Kind::kAnd;
        node->lhs = std::move(left);
        node->rhs = parse_unary();
        left = std::move(node);
      } else {
        return left;
      }
    }
  }

  std::unique_ptr<FilterExpr> parse_unary() {
    skip_spaces();
    if (peek() == '!' && peek(1) != '=') {
      ++pos_;
      enter_filter_level();
      auto node = std::make_unique<FilterExpr>();
      node->kind = FilterExpr::Kind::kNot;
      node->lhs = parse_unary();
      --filter_depth_;
      return node;
    }
    if (consume('(')) {
      enter_filter_level();
      auto inner = parse_or();
      skip_spaces();
      expect(')');
      --filter_depth_;
      return inner;
    }
    auto node = std::make_unique<FilterExpr>();
    node->left = parse_operand();
    skip_spaces();
    const std::optional<CompareOp> op = parse_compare_op();
    if (!op) {
      if (node->left.kind == Operand::Kind::kLiteral) fail("a literal alone is not a filter");
      node->kind = FilterExpr::Kind::kExists;
      return node;
    }
    node->kind = FilterExpr::Kind::kCompare;
    node->op = *op;
    skip_spaces();
    node->right = parse_operand();
    return node;
  }

  std::optional<CompareOp> parse_compare_op() {
    const char a = peek();
    const char b = peek(1);
    if (a == '=' && b == '=') return pos_ += 2, CompareOp::kEq;
    if (a == '!' && b == '=') return pos_ += 2, CompareOp::kNe;
    if (a == '<' && b == '=') return pos_ += 2, CompareOp::kLe;
    if (a == '>' && b == '=') return pos_ += 2, CompareOp::kGe;
    if (a == '<') return pos_ += 1, CompareOp::kLt;
    if (a == '>') return pos_ += 1, CompareOp::kGt;
    return std::nullopt;
  }

  Operand parse_operand() {
    skip_spaces();
    Operand operand;
    const char c = peek();
    if (c == '@' || c == '$') {
      ++pos_;
      operand.kind = c == '@' ? Operand::Kind::kCurrent : Operand::Kind::kRoot;
      operand.path = parse_segments(true);
      for (const Segment& segment : operand.path) {
        if (segment.recursive ||
            (segment.kind != Segment::Kind::kName && segment.kind != Segment::Kind::kIndex)) {
          fail("paths inside a filter must be definite (member names and indexes only)");
        }
      }
      return operand;
    }
    operand.kind = Operand::Kind::kLiteral;
    if (c == '\'' || c == '"') {
      operand.literal = parse_quoted();
      return operand;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
      const std::size_t start = pos_;
      ++pos_;
      while (!at_end() && (std::isdigit(static_cast<unsigned char>(peek())) != 0 || peek() == '.' ||
                           peek() == 'e' || peek() == 'E' || peek() == '+' || peek() == '-')) {
        ++pos_;
      }
      operand.literal = json::parse(text_.substr(start, pos_ - start), nullptr, false);
      if (!operand.literal.is_number()) {
        pos_ = start;
        fail("invalid number literal");
      }
      return operand;
    }
    for (const std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        operand.literal = json::parse(word);
        return operand;
      }
    }
    fail("expected '@', '$' or a literal in the filter");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  /// Parentheses and negations open around the current position.
  std::size_t filter_depth_ = 0;
};

/// Resolves a definite chain of name/index segments; nullptr when missing.
const json* walk_definite(const json* node, const std::vector<Segment>& path) {
  for (const Segment& segment : path) {
    if (segment.kind == Segment::Kind::kName) {
      if (!node->is_object()) return nullptr;
      const auto it = node->find(segment.name);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else {
      if (!node->is_array()) return nullptr;
      const auto size = static_cast<std::int64_t>(node->size());
      const std::int64_t i = segment.index < 0 ? size + segment.index : segment.index;
      if (i < 0 || i >= size) return nullptr;
      node = &(*node)[static_cast<std::size_t>(i)];
    }
  }
  return node;
}

const json* resolve_operand(const Operand& operand, const json& current, const json& root) {
  switch (operand.kind) {
    case Operand::Kind::kCurrent:
      return walk_definite(&current, operand.path);
    case Operand::Kind::kRoot:
      return walk_definite(&root, operand.path);
    case Operand::Kind::kLiteral:
      return &operand.literal;
  }
  return nullptr;
}

/// Jayway-like comparison: numbers compare numerically, strings
/// lexicographically; other types only for (in)equality; mixed types are unequal.
/// A missing operand makes every comparison false except `!=`.
bool compare(CompareOp op, const json* left, const json* right) {
  if (left == nullptr || right == nullptr) return op == CompareOp::kNe;
  if (left->is_number() && right->is_number()) {
    const double a = left->get<double>();
    const double b = right->get<double>();
    switch (op) {
      case CompareOp::kEq:
        return a == b;
      case CompareOp::kNe:
        return a != b;
      case CompareOp::kLt:
        return a < b;
      case CompareOp::kLe:
        return a <= b;
      case CompareOp::kGt:
        return a > b;
      case CompareOp::kGe:
        return a >= b;
    }
  }
  if (left->is_string() && right->is_string()) {
    const auto& a = left->get_ref<const std::string&>();
    const auto& b = right->get_ref<const std::string&>();
    switch (op) {
      case CompareOp::kEq:
        return a == b;
      case CompareOp::kNe:
        return a != b;
      case CompareOp::kLt:
        return a < b;
      case CompareOp::kLe:
        return a <= b;
      case CompareOp::kGt:
        return a > b;
      case CompareOp::kGe:
        return a >= b;
    }
  }
  if (op == CompareOp::kEq) return *left == *right;
  if (op == CompareOp::kNe) return *left != *right;
  return false;
}

bool matches_filter(const FilterExpr& expr, const json& current, const json& root) {
  switch (expr.kind) {
    case FilterExpr::Kind::kOr:
      return matches_filter(*expr.lhs, current, root) || matches_filter(*expr.rhs, current, root);
    case FilterExpr::Kind::kAnd:
      return matches_filter(*expr.lhs, current, root) && matches_filter(*expr.rhs, current, root);
    case FilterExpr::Kind::kNot:
      return !matches_filter(*expr.lhs, current, root);
    case FilterExpr::Kind::kExists:
      return resolve_operand(expr.left, current, root) != nullptr;
    case FilterExpr::Kind::kCompare:
      return compare(expr.op, resolve_operand(expr.left, current, root),
                     resolve_operand(expr.right, current, root));
  }
  return false;
}

std::int64_t normalize_index(std::int64_t i, std::int64_t size) { return i < 0 ? size + i : i; }

}  // namespace

struct JsonPath::Impl {
  std::string text;
  bool context = false;
  /// `$name...`: the variable the path starts at.
  std::string variable;
  bool definite = true;
  bool reference = true;
  /// Jayway merges a member union at the leaf of an otherwise definite path
  /// (`$['a','b']`) into one object instead of a list of matches.
  bool merge_leaf = false;
  std::vector<Segment> segments;
};

namespace {

using Nodes = std::vector<const json*>;

/// The most values one path may select, and the most JSON values its result
/// may copy. An input within the 256 KiB payload limit has fewer values than
/// that, but chained descents (`$..a..a..a`) select each subtree once per
/// ancestor pair: 900 bytes of nested input made gigabytes of copies. Jayway
/// answers with references; AWS caps what a state may produce.
constexpr std::size_t kMaxSelectedValues = 1'000'000;
constexpr std::size_t kMaxCopiedValues = 4'000'000;

[[noreturn]] void throw_too_large(const std::string& path, const char* what, std::size_t limit) {
  throw StatesError(std::string(error_names::kDataLimitExceeded),
                    "The JSONPath '" + path + "' " + what + " more than " + std::to_string(limit) +
                        " values, beyond the maximum number of bytes service limit.");
}

/// How many JSON values `node` holds (itself included), counting no further
/// than `budget`.
std::size_t count_values(const json& node, std::size_t budget) {
  std::size_t count = 1;
  if (!node.is_object() && !node.is_array()) return count;
  for (const json& child : node) {
    if (count > budget) break;
    count += count_values(child, budget - count);
  }
  return count;
}

/// Applies one (non-recursive) selector to `node`, appending matches to `out`.
/// `leaf` tells a member union to merge into an object, as Jayway does.
void select(const Segment& segment, const json& node, const json& root, bool leaf, Nodes& out,
            std::vector<std::unique_ptr<json>>& owned) {
  switch (segment.kind) {
    case Segment::Kind::kName:
      if (node.is_object()) {
        const auto it = node.find(segment.name);
        if (it != node.end()) out.push_back(&*it);
      }
      return;
    case Segment::Kind::kNames:
      if (!node.is_object()) return;
      if (leaf) {
        auto merged = std::make_unique<json>(json::object());
        for (const std::string& name : segment.names) {
          const auto it = node.find(name);
          if (it != node.end()) (*merged)[name] = *it;
        }
        out.push_back(merged.get());
        owned.push_back(std::move(merged));
        return;
      }
      for (const std::string& name : segment.names) {
        const auto it = node.find(name);
        if (it != node.end()) out.push_back(&*it);
      }
      return;
    case Segment::Kind::kIndex:
    case Segment::Kind::kIndexes: {
      if (!node.is_array()) return;
      const auto size = static_cast<std::int64_t>(node.size());
      auto add = [&](std::int64_t raw) {
        const std::int64_t i = normalize_index(raw, size);
        if (i >= 0 && i < size) out.push_back(&node[static_cast<std::size_t>(i)]);
      };
      if (segment.kind == Segment::Kind::kIndex) {
        add(segment.index);
      } else {
        for (const std::int64_t i : segment.indexes) add(i);
      }
      return;
    }
    case Segment::Kind::kWildcard:
      if (node.is_object() || node.is_array()) {
        for (const json& child : node) out.push_back(&child);
      }
      return;
    case Segment::Kind::kSlice: {
      if (!node.is_array()) return;
      const auto size = static_cast<std::int64_t>(node.size());
      std::int64_t start = segment.slice_start ? normalize_index(*segment.slice_start, size) : 0;
      std::int64_t end = segment.slice_end ? normalize_index(*segment.slice_end, size) : size;
      start = std::clamp<std::int64_t>(start, 0, size);
      end = std::clamp<std::int64_t>(end, 0, size);
      for (std::int64_t i = start; i < end; i += segment.slice_step) {
        out.push_back(&node[static_cast<std::size_t>(i)]);
      }
      return;
    }
    case Segment::Kind::kFilter:
      if (node.is_array()) {
        for (const json& child : node) {
          if (matches_filter(*segment.filter, child, root)) out.push_back(&child);
        }
      } else if (node.is_object() && matches_filter(*segment.filter, node, root)) {
        // Jayway applies a filter on an object to the object itself.
        out.push_back(&node);
      }
      return;
  }
}

/// `..selector`: the selector applied to `node` and to every node below it, in
/// document order (pre-order), as Jayway's scan does. A filter is tested on
/// every descendant value instead, so that `$..[?(@.price < 10)]` yields each
/// matching item once.
void select_recursive(const Segment& segment, const json& node, const json& root, bool leaf,
                      Nodes& out, std::vector<std::unique_ptr<json>>& owned) {
  if (segment.kind == Segment::Kind::kFilter) {
    if (!node.is_object() && !node.is_array()) return;
    for (const json& child : node) {
      if (matches_filter(*segment.filter, child, root)) out.push_back(&child);
      select_recursive(segment, child, root, leaf, out, owned);
    }
    return;
  }
  select(segment, node, root, leaf, out, owned);
  if (node.is_object() || node.is_array()) {
    for (const json& child : node) {
      if (child.is_object() || child.is_array()) {
        select_recursive(segment, child, root, leaf, out, owned);
      }
    }
  }
}

/// Every node `segments` select from `root`, in document order. With
/// `merge_leaf_union`, a member union at the leaf merges into one object
/// (Jayway's evaluation; the object is kept in `owned`).
Nodes select_all(const std::vector<Segment>& segments, const json& root, bool merge_leaf_union,
                 std::vector<std::unique_ptr<json>>& owned, const std::string& path) {
  Nodes current{&root};
  Nodes next;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    const bool leaf = merge_leaf_union && i + 1 == segments.size();
    next.clear();
    for (const json* node : current) {
      if (segment.recursive) {
        select_recursive(segment, *node, root, leaf, next, owned);
      } else {
        select(segment, *node, root, leaf, next, owned);
      }
      // One node adds at most its own subtree: the overshoot is bounded.
      if (next.size() > kMaxSelectedValues) throw_too_large(path, "selects", kMaxSelectedValues);
    }
    current.swap(next);
    if (current.empty()) break;
  }
  return current;
}

/// `$['a'][0]`: segments [0, end) as Jayway prints a path in its messages.
std::string normalized_path(const std::vector<Segment>& segments, std::size_t end) {
  std::string out = "$";
  for (std::size_t i = 0; i < end && i < segments.size(); ++i) {
    if (segments[i].kind == Segment::Kind::kName) {
      out += "['" + segments[i].name + "']";
    } else {
      out += "[" + std::to_string(segments[i].index) + "]";
    }
  }
  return out;
}

/// Segment `failed` of a definite path found nothing. The reason is Jayway's,
/// which AWS quotes after "Invalid path '<path>' : " (recorded:
/// "No results for path: $['NoSuchOutputPath']" when the last segment is
/// missing, "Missing property in path $['no']" when an earlier one is).
[[noreturn]] void throw_no_match(const std::vector<Segment>& segments, std::size_t failed) {
  const bool leaf = failed + 1 >= segments.size();
  if (segments[failed].kind != Segment::Kind::kName && !leaf) {
    throw JsonPathNoMatch("Index out of bounds when evaluating path " +
                          normalized_path(segments, failed + 1));
  }
  if (leaf) throw JsonPathNoMatch("No results for path: " + normalized_path(segments, failed + 1));
  throw JsonPathNoMatch("Missing property in path " + normalized_path(segments, failed + 1));
}

}  // namespace

JsonPath JsonPath::compile(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  impl->text.assign(text);
  Parser parser(text);
  impl->segments = parser.parse_path(impl->context, impl->variable);
  for (std::size_t i = 0; i < impl->segments.size(); ++i) {
    const Segment& segment = impl->segments[i];
    const bool single = !segment.recursive && (segment.kind == Segment::Kind::kName ||
                                               segment.kind == Segment::Kind::kIndex);
    if (!single) {
      impl->reference = false;
      const bool merge = !segment.recursive && segment.kind == Segment::Kind::kNames &&
                         i + 1 == impl->segments.size() && impl->definite;
      if (merge) {
        impl->merge_leaf = true;
      } else {
        impl->definite = false;
      }
    } else if (segment.kind == Segment::Kind::kIndex && segment.index < 0) {
      impl->reference = false;
    }
  }
  return JsonPath(std::move(impl));
}

const std::string& JsonPath::text() const { return impl_->text; }
bool JsonPath::is_context() const { return impl_->context; }
const std::string& JsonPath::variable() const { return impl_->variable; }

namespace {

/// The node a path starts from: the context object, a variable or the input.
const json& root_of(const JsonPath::Impl& impl, const json& input, const json& context,
                    const json* variables) {
  if (impl.context) return context;
  if (impl.variable.empty()) return input;
  if (variables != nullptr) {
    if (const auto it = variables->find(impl.variable); it != variables->end()) return *it;
  }
  throw JsonPathNoMatch("The variable '$" + impl.variable + "' is not defined");
}

}  // namespace
bool JsonPath::is_reference_path() const { return impl_->reference; }
bool JsonPath::is_definite() const { return impl_->definite; }

json JsonPath::evaluate(const json& input, const json& context, const json* variables) const {
  const json& root = root_of(*impl_, input, context, variables);
  const auto& segments = impl_->segments;
  if (impl_->definite) {
    // Fast path: no intermediate lists, one copy of the result.
    const json* node = &root;
    const std::size_t plain = impl_->merge_leaf ? segments.size() - 1 : segments.size();
    for (std::size_t i = 0; i < plain; ++i) {
      const Segment& segment = segments[i];
      if (segment.kind == Segment::Kind::kName) {
        if (!node->is_object()) throw_no_match(segments, i);
        const auto it = node->find(segment.name);
        if (it == node->end()) throw_no_match(segments, i);
        node = &*it;
      } else {
        if (!node->is_array()) throw_no_match(segments, i);
        const auto size = static_cast<std::int64_t>(node->size());
        const std::int64_t index = normalize_index(segment.index, size);
        if (index < 0 || index >= size) throw_no_match(segments, i);
        node = &(*node)[static_cast<std::size_t>(index)];
      }
    }
    if (!impl_->merge_leaf) return *node;
    if (!node->is_object()) throw_no_match(segments, segments.size() - 1);
    json merged = json::object();
    for (const std::string& name : segments.back().names) {
      const auto it = node->find(name);
      if (it != node->end()) merged[name] = *it;
    }
    return merged;
  }

  std::vector<std::unique_ptr<json>> owned;
  const Nodes current = select_all(segments, root, true, owned, impl_->text);
  std::size_t copied = 0;
  for (const json* node : current) {
    copied += count_values(*node, kMaxCopiedValues - std::min(copied, kMaxCopiedValues));
    if (copied > kMaxCopiedValues) throw_too_large(impl_->text, "copies", kMaxCopiedValues);
  }
  json result = json::array();
  result.get_ref<json::array_t&>().reserve(current.size());
  for (const json* node : current) result.push_back(*node);
  return result;
}

std::vector<const json*> JsonPath::select_nodes(const json& root) const {
  std::vector<std::unique_ptr<json>> owned;  // stays empty: no leaf merges
  return select_all(impl_->segments, root, false, owned, impl_->text);
}

bool JsonPath::exists(const json& input, const json& context, const json* variables) const {
  if (!impl_->variable.empty() && (variables == nullptr || !variables->contains(impl_->variable))) {
    return false;
  }
  if (!impl_->definite) return true;
  const json& root = root_of(*impl_, input, context, variables);
  const auto& segments = impl_->segments;
  const json* node = &root;
  const std::size_t plain = impl_->merge_leaf ? segments.size() - 1 : segments.size();
  for (std::size_t i = 0; i < plain && node != nullptr; ++i) {
    const Segment& segment = segments[i];
    if (segment.kind == Segment::Kind::kName) {
      if (!node->is_object()) return false;
      const auto it = node->find(segment.name);
      node = it == node->end() ? nullptr : &*it;
    } else {
      if (!node->is_array()) return false;
      const auto size = static_cast<std::int64_t>(node->size());
      const std::int64_t index = normalize_index(segment.index, size);
      node = index < 0 || index >= size ? nullptr : &(*node)[static_cast<std::size_t>(index)];
    }
  }
  if (node == nullptr) return false;
  return !impl_->merge_leaf || node->is_object();
}

void JsonPath::assign(json& target, json value) const {
  if (!impl_->reference) {
    throw JsonPathSyntaxError("ResultPath '" + impl_->text + "' is not a reference path");
  }
  if (impl_->context || !impl_->variable.empty()) {
    throw JsonPathSyntaxError("ResultPath '" + impl_->text +
                              "' cannot write to the context object or a variable");
  }
  const auto& segments = impl_->segments;
  auto fail = [&](const json& at) {
    throw JsonPathNoMatch("Unable to apply ResultPath '" + impl_->text + "' to input '" +
                          to_json_text(at) + "'");
  };
  json* node = &target;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (segment.kind == Segment::Kind::kName) {
      if (!node->is_object()) fail(target);
      auto& object = node->get_ref<json::object_t&>();
      if (last) {
        object[segment.name] = std::move(value);
        return;
      }
      auto [it, inserted] = object.try_emplace(segment.name, json::object());
      node = &it->second;
    } else {
      // Arrays are never grown: ResultPath may only replace an existing element.
      if (!node->is_array() || segment.index >= static_cast<std::int64_t>(node->size())) {
        fail(target);
      }
      json& element = (*node)[static_cast<std::size_t>(segment.index)];
      if (last) {
        element = std::move(value);
        return;
      }
      node = &element;
    }
  }
  target = std::move(value);
}

}  // namespace loveless::asl
