#include "loveless/asl/intrinsics.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "loveless/asl/base64.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"
#include "loveless/asl/json_path.hpp"
#include "loveless/digest/digest.hpp"

#include "json_text.hpp"
#include "random_uuid.hpp"

namespace loveless::asl {

namespace {

using nlohmann::json;

enum class Function : std::uint8_t {
  kFormat,
  kStringToJson,
  kJsonToString,
  kArray,
  kArrayPartition,
  kArrayContains,
  kArrayRange,
  kArrayGetItem,
  kArrayLength,
  kArrayUnique,
  kBase64Encode,
  kBase64Decode,
  kHash,
  kJsonMerge,
  kMathRandom,
  kMathAdd,
  kStringSplit,
  kUuid,
};

struct FunctionInfo {
  std::string_view name;
  Function function;
  std::size_t min_args;
  std::size_t max_args;
};

constexpr std::size_t kVariadic = std::numeric_limits<std::size_t>::max();

constexpr std::array<FunctionInfo, 18> kFunctions = {{
    {"States.Format", Function::kFormat, 1, kVariadic},
    {"States.StringToJson", Function::kStringToJson, 1, 1},
    {"States.JsonToString", Function::kJsonToString, 1, 1},
    {"States.Array", Function::kArray, 0, kVariadic},
    {"States.ArrayPartition", Function::kArrayPartition, 2, 2},
    {"States.ArrayContains", Function::kArrayContains, 2, 2},
    {"States.ArrayRange", Function::kArrayRange, 3, 3},
    {"States.ArrayGetItem", Function::kArrayGetItem, 2, 2},
    {"States.ArrayLength", Function::kArrayLength, 1, 1},
    {"States.ArrayUnique", Function::kArrayUnique, 1, 1},
    {"States.Base64Encode", Function::kBase64Encode, 1, 1},
    {"States.Base64Decode", Function::kBase64Decode, 1, 1},
    {"States.Hash", Function::kHash, 2, 2},
    {"States.JsonMerge", Function::kJsonMerge, 3, 3},
    {"States.MathRandom", Function::kMathRandom, 2, 3},
    {"States.MathAdd", Function::kMathAdd, 2, 2},
    {"States.StringSplit", Function::kStringSplit, 2, 2},
    {"States.UUID", Function::kUuid, 0, 0},
}};

/// Limits from the AWS developer guide, "Intrinsic functions".
constexpr std::size_t kMaxArrayRangeElements = 1000;
constexpr std::size_t kMaxEncodingInputChars = 10000;

/// A parsed argument or call. Calls are parsed once (see `parse_cached`) and
/// evaluated many times, so paths are compiled at parse time.
struct Expr {
  enum class Kind : std::uint8_t { kLiteral, kString, kPath, kCall };
  Kind kind = Kind::kLiteral;
  json literal;     // kLiteral, kString (unescaped value)
  std::string raw;  // kString: the text between the quotes, escapes kept
  std::optional<JsonPath> path;
  const FunctionInfo* function = nullptr;  // kCall
  std::vector<Expr> args;                  // kCall
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

class CallParser {
 public:
  explicit CallParser(std::string_view text) : text_(text) {}

  Expr parse() {
    skip_spaces();
    Expr call = parse_call();
    skip_spaces();
    if (pos_ != text_.size()) fail("unexpected text after the closing parenthesis");
    return call;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument("Invalid intrinsic function call '" + std::string(text_) +
                                "' at position " + std::to_string(pos_) + ": " + why);
  }
  [[nodiscard]] char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  Expr parse_call() {
    // Calls nest as deep as a definition may (30,000 levels overflowed the
    // stack and took `loveless serve` down).
    if (++depth_ > detail::kMaxDefinitionDepth) {
      fail("intrinsic functions nest deeper than " + std::to_string(detail::kMaxDefinitionDepth) +
           " levels");
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '.')) {
      ++pos_;
    }
    const std::string_view name = text_.substr(start, pos_ - start);
    const FunctionInfo* info = nullptr;
    for (const FunctionInfo& candidate : kFunctions) {
      if (candidate.name == name) info = &candidate;
    }
    if (info == nullptr) {
      pos_ = start;
      fail("unknown intrinsic function '" + std::string(name) + "'");
    }
    skip_spaces();
    if (peek() != '(') fail("expected '(' after " + std::string(name));
    ++pos_;
    Expr call;
    call.kind = Expr::Kind::kCall;
    call.function = info;
    skip_spaces();
    if (peek() == ')') {
      ++pos_;
    } else {
      while (true) {
        skip_spaces();
        call.args.push_back(parse_argument());
        skip_spaces();
        if (peek() == ')') {
          ++pos_;
          break;
        }
        if (peek() != ',') fail("expected ',' or ')'");
        ++pos_;
      }
    }
    if (call.args.size() < info->min_args || call.args.size() > info->max_args) {
      fail(std::string(name) + " " + arity_text(*info) + ", got " +
           std::to_string(call.args.size()));
    }
    --depth_;
    return call;
  }

  static std::string arity_text(const FunctionInfo& info) {
    if (info.max_args == kVariadic) {
      return "takes at least " + std::to_string(info.min_args) + " argument(s)";
    }
    if (info.min_args == info.max_args) {
      return "takes " + std::to_string(info.min_args) + " argument(s)";
    }
    return "takes " + std::to_string(info.min_args) + " to " + std::to_string(info.max_args) +
           " arguments";
  }

  Expr parse_argument() {
    const char c = peek();
    Expr arg;
    if (c == '\'') {
      arg.kind = Expr::Kind::kString;
      parse_string(arg);
      return arg;
    }
    if (c == '$') {
      arg.kind = Expr::Kind::kPath;
      const std::string_view path_text = scan_path();
      try {
        arg.path = JsonPath::compile(path_text);
      } catch (const JsonPathSyntaxError& e) {
        fail(e.what());
      }
      return arg;
    }
    if (text_.substr(pos_, 7) == "States.") return parse_call();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
      const std::size_t start = pos_;
      ++pos_;
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '.' ||
              text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+' ||
              text_[pos_] == '-')) {
        ++pos_;
      }
      arg.literal = json::parse(text_.substr(start, pos_ - start), nullptr, false);
      if (!arg.literal.is_number()) {
        pos_ = start;
        fail("invalid number");
      }
      return arg;
    }
    for (const std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        arg.literal = json::parse(word);
        return arg;
      }
    }
    fail("expected a string, number, boolean, null, path or intrinsic call");
  }

  /// `'...'` where `\'`, `\{`, `\}` and `\\` are the only escapes.
  void parse_string(Expr& arg) {
    ++pos_;
    const std::size_t start = pos_;
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string literal");
      const char c = text_[pos_++];
      if (c == '\'') break;
      if (c == '\\') {
        const char next = peek();
        if (next != '\'' && next != '{' && next != '}' && next != '\\') {
          fail("invalid escape sequence in string literal (only \\' \\{ \\} \\\\ are allowed)");
        }
        ++pos_;
        value.push_back(next);
      } else {
        value.push_back(c);
      }
    }
    arg.raw.assign(text_.substr(start, pos_ - 1 - start));
    arg.literal = std::move(value);
  }

  /// A path argument runs to the next ',' or ')' outside brackets, parentheses
  /// and quotes (filters and unions may contain both).
  std::string_view scan_path() {
    const std::size_t start = pos_;
    int depth = 0;
    char quote = '\0';
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (quote != '\0') {
        if (c == '\\' && pos_ + 1 < text_.size()) {
          ++pos_;
        } else if (c == quote) {
          quote = '\0';
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '(') {
        ++depth;
      } else if (c == ']' || c == ')') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
      ++pos_;
    }
    std::size_t end = pos_;
    while (end > start && is_space(text_[end - 1])) --end;
    return text_.substr(start, end - start);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  /// Calls open around the current position.
  std::size_t depth_ = 0;
};

/// Parsed calls by text: state machines evaluate the same few calls over and
/// over, so the parse is paid once. Bounded so that fuzzed or generated input
/// cannot grow it without limit.
std::shared_ptr<const Expr> parse_cached(std::string_view text) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const Expr>> cache;
  constexpr std::size_t kMaxEntries = 4096;
  {
    std::lock_guard lock(mutex);
    const auto it = cache.find(std::string(text));
    if (it != cache.end()) return it->second;
  }
  auto parsed = std::make_shared<const Expr>(CallParser(text).parse());
  std::lock_guard lock(mutex);
  if (cache.size() >= kMaxEntries) cache.clear();
  cache.emplace(std::string(text), parsed);
  return parsed;
}

[[noreturn]] void intrinsic_failure(const std::string& cause) {
  throw StatesError(std::string(error_names::kIntrinsicFailure), cause);
}

/// An integral JSON number (2 and 2.0 alike), or nothing.
std::optional<std::int64_t> as_integer(const json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return value.get<std::int64_t>();
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9.0e18) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

std::size_t count_chars(const std::string& utf8) {
  std::size_t n = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

/// Decoded bytes may not be UTF-8; like a Java decoder, replace invalid
/// sequences with U+FFFD so that the result is a valid JSON string.
std::string to_valid_utf8(const std::string& bytes) {
  return json::parse(json(bytes).dump(-1, ' ', false, json::error_handler_t::replace))
      .get<std::string>();
}

/// The evaluated arguments of one intrinsic call, with the checks that fail
/// it with AWS's cause `Invalid arguments in <function>: <why>`.
class Arguments {
 public:
  Arguments(std::string_view function, std::vector<json> values)
      : function_(function), values_(std::move(values)) {}

  [[noreturn]] void bad(const std::string& why) const {
    intrinsic_failure("Invalid arguments in " + std::string(function_) + ": " + why);
  }
  json& operator[](std::size_t i) { return values_[i]; }
  [[nodiscard]] std::size_t size() const { return values_.size(); }
  std::vector<json>& values() { return values_; }

  const std::string& string(std::size_t i, std::string_view what) const {
    if (!values_[i].is_string()) {
      bad(std::string(what) + " must be a string, got " + json_type_name(values_[i]));
    }
    return values_[i].get_ref<const std::string&>();
  }
  const json::array_t& array(std::size_t i, std::string_view what) const {
    if (!values_[i].is_array()) {
      bad(std::string(what) + " must be an array, got " + json_type_name(values_[i]));
    }
    return values_[i].get_ref<const json::array_t&>();
  }
  std::int64_t integer(std::size_t i, std::string_view what) const {
    const auto value = as_integer(values_[i]);
    if (!value) bad(std::string(what) + " must be an integer, got " + to_json_text(values_[i]));
    return *value;
  }
  std::int64_t int32(std::size_t i, std::string_view what) const {
    const std::int64_t value = integer(i, what);
    if (value < std::numeric_limits<std::int32_t>::min() ||
        value > std::numeric_limits<std::int32_t>::max()) {
      bad(std::string(what) + " must be within the 32-bit integer range, got " +
          std::to_string(value));
    }
    return value;
  }

 private:
  std::string_view function_;
  std::vector<json> values_;
};

/// States.StringToJson, States.JsonToString, States.JsonMerge.
json json_function(Function function, Arguments& args) {
  switch (function) {
    case Function::kStringToJson: {
      const std::string& text = args.string(0, "the argument");
      // Recorded on AWS: States.StringToJson("") and States.StringToJson(" ")
      // are null (Jackson reads no value from blank text).
      if (text.find_first_not_of(" \t\r\n") == std::string::npos) return json();
      try {
        return parse_json_document(text);
      } catch (const JsonDocumentError& error) {
        args.bad("the string is not valid JSON (" + std::string(error.what()) + "): " + text);
      }
      break;  // not reached: args.bad() throws
    }
    case Function::kJsonToString:
      return to_json_text(args[0]);
    case Function::kJsonMerge: {
      if (!args[0].is_object() || !args[1].is_object()) {
        args.bad("the first two arguments must be JSON objects, got " + json_type_name(args[0]) +
                 " and " + json_type_name(args[1]));
      }
      if (!args[2].is_boolean()) args.bad("the third argument must be a boolean");
      if (args[2].get<bool>()) {
        args.bad("deep merge is not supported; the third argument must be false");
      }
      json out = std::move(args[0]);
      for (auto& [key, value] : args[1].items()) out[key] = std::move(value);
      return out;
    }
    default:
      break;
  }
  return nullptr;
}

/// States.Array, States.ArrayPartition, States.ArrayContains, States.ArrayGetItem,
/// States.ArrayLength, States.ArrayUnique (States.ArrayRange: `array_range`).
json array_function(Function function, Arguments& args) {
  switch (function) {
    case Function::kArray:
      return json(std::move(args.values()));
    case Function::kArrayPartition: {
      const json::array_t& array = args.array(0, "the first argument");
      const std::int64_t size = args.integer(1, "the chunk size");
      if (size <= 0) args.bad("the chunk size must be greater than 0, got " + std::to_string(size));
      json out = json::array();
      const auto chunk = static_cast<std::size_t>(size);
      for (std::size_t i = 0; i < array.size(); i += chunk) {
        const std::size_t end = std::min(array.size(), i + chunk);
        out.push_back(json::array_t(array.begin() + static_cast<std::ptrdiff_t>(i),
                                    array.begin() + static_cast<std::ptrdiff_t>(end)));
      }
      return out;
    }
    case Function::kArrayContains: {
      const json::array_t& array = args.array(0, "the first argument");
      for (const json& item : array) {
        if (item == args[1]) return true;
      }
      return false;
    }
    case Function::kArrayGetItem: {
      const json::array_t& array = args.array(0, "the first argument");
      const std::int64_t index = args.integer(1, "the index");
      if (index < 0 || index >= static_cast<std::int64_t>(array.size())) {
        args.bad("the index " + std::to_string(index) +
                 " is out of bounds for an array of length " + std::to_string(array.size()));
      }
      return array[static_cast<std::size_t>(index)];
    }
    case Function::kArrayLength:
      return args.array(0, "the argument").size();
    case Function::kArrayUnique: {
      const json::array_t& array = args.array(0, "the argument");
      json out = json::array();
      for (const json& item : array) {
        bool seen = false;
        for (const json& kept : out) {
          if (kept == item) {
            seen = true;
            break;
          }
        }
        if (!seen) out.push_back(item);
      }
      return out;
    }
    default:
      break;
  }
  return nullptr;
}

/// States.ArrayRange(start, end, step), bounded by kMaxArrayRangeElements.
json array_range(Arguments& args) {
  const std::int64_t first = args.int32(0, "the start");
  const std::int64_t last = args.int32(1, "the end");
  const std::int64_t step = args.int32(2, "the step");
  if (step == 0) args.bad("the step must not be 0");
  json out = json::array();
  if ((step > 0 && first > last) || (step < 0 && first < last)) return out;
  const std::int64_t count = (last - first) / step + 1;
  if (count > static_cast<std::int64_t>(kMaxArrayRangeElements)) {
    args.bad("the range has " + std::to_string(count) + " elements, the maximum is " +
             std::to_string(kMaxArrayRangeElements));
  }
  for (std::int64_t i = 0; i < count; ++i) out.push_back(first + i * step);
  return out;
}

/// States.Base64Encode, States.Base64Decode, States.Hash.
json encoding_function(Function function, Arguments& args) {
  switch (function) {
    case Function::kBase64Encode: {
      const std::string& data = args.string(0, "the argument");
      if (count_chars(data) > kMaxEncodingInputChars) {
        args.bad("the input must be at most " + std::to_string(kMaxEncodingInputChars) +
                 " characters");
      }
      return base64_encode(data);
    }
    case Function::kBase64Decode: {
      const std::string& data = args.string(0, "the argument");
      if (count_chars(data) > kMaxEncodingInputChars) {
        args.bad("the input must be at most " + std::to_string(kMaxEncodingInputChars) +
                 " characters");
      }
      const auto decoded = base64_decode(data);
      if (!decoded) args.bad("the input is not valid base64: " + data);
      return to_valid_utf8(*decoded);
    }
    case Function::kHash: {
      const std::string& data = args.string(0, "the data");
      const std::string& algorithm = args.string(1, "the algorithm");
      if (count_chars(data) > kMaxEncodingInputChars) {
        args.bad("the data must be at most " + std::to_string(kMaxEncodingInputChars) +
                 " characters");
      }
      if (auto digest = digest::digest_hex(algorithm, data)) return *std::move(digest);
      args.bad("the hash algorithm '" + algorithm +
               "' is not supported (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)");
      break;
    }
    default:
      break;
  }
  return nullptr;
}

/// Rounds the first `count` arguments that have a fraction half up, as
/// Java's Math.round does: recorded on AWS for States.MathAdd (1.49 + 1.5 = 3,
/// -2.5 + 0 = -2).
void round_half_up(Arguments& args, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (args[i].is_number_float()) args[i] = std::floor(args[i].get<double>() + 0.5);
  }
}

/// States.MathRandom (from the execution's seeded `random`, or its own seed)
/// and States.MathAdd.
json math_function(Function function, Arguments& args, RandomSource& random) {
  switch (function) {
    case Function::kMathRandom: {
      // Recorded on AWS: States.MathRandom(12.5, 44.51) succeeds; bounds with
      // a fraction are rounded as MathAdd's operands are (our choice: the
      // recording hides the number drawn).
      round_half_up(args, 2);
      const std::int64_t start = args.int32(0, "the start");
      const std::int64_t end = args.int32(1, "the end");
      if (end <= start) args.bad("the end must be greater than the start");
      const auto span = static_cast<std::uint64_t>(end - start);
      std::uint64_t draw = 0;
      if (args.size() == 3) {
        SeededRandom seeded(static_cast<std::uint64_t>(args.integer(2, "the seed")));
        draw = seeded.next_u64();
      } else {
        draw = random.next_u64();
      }
      return start + static_cast<std::int64_t>(draw % span);
    }
    case Function::kMathAdd: {
      round_half_up(args, 2);
      const std::int64_t a = args.int32(0, "the first value");
      const std::int64_t b = args.int32(1, "the second value");
      return a + b;
    }
    default:
      break;
  }
  return nullptr;
}

/// States.StringSplit.
json string_split(Arguments& args) {
  const std::string& text = args.string(0, "the first argument");
  const std::string& delimiters = args.string(1, "the delimiter");
  // Every character of the delimiter string splits, and empty pieces are
  // dropped, as with Java's StringTokenizer.
  json out = json::array();
  std::string piece;
  for (const char c : text) {
    if (delimiters.find(c) != std::string::npos) {
      if (!piece.empty()) out.push_back(std::move(piece));
      piece.clear();
    } else {
      piece.push_back(c);
    }
  }
  if (!piece.empty()) out.push_back(std::move(piece));
  return out;
}

class Evaluator {
 public:
  Evaluator(const json& input, const json& context, const json* variables, RandomSource& random)
      : input_(input), context_(context), variables_(variables), random_(random) {}

  json eval(const Expr& expr) {
    switch (expr.kind) {
      case Expr::Kind::kLiteral:
      case Expr::Kind::kString:
        return expr.literal;
      case Expr::Kind::kPath:
        try {
          return expr.path->evaluate(input_, context_, variables_);
        } catch (const JsonPathNoMatch& e) {
          throw StatesError(std::string(error_names::kRuntime), e.what());
        }
      case Expr::Kind::kCall:
        return call(expr);
    }
    return nullptr;
  }

 private:
  json call(const Expr& expr) {
    const Function function = expr.function->function;
    if (function == Function::kFormat) return format(expr);
    std::vector<json> values;
    values.reserve(expr.args.size());
    for (const Expr& arg : expr.args) values.push_back(eval(arg));
    Arguments args(expr.function->name, std::move(values));
    switch (function) {
      case Function::kFormat:
        break;  // handled above: it needs the raw template text
      case Function::kStringToJson:
      case Function::kJsonToString:
      case Function::kJsonMerge:
        return json_function(function, args);
      case Function::kArray:
      case Function::kArrayPartition:
      case Function::kArrayContains:
      case Function::kArrayGetItem:
      case Function::kArrayLength:
      case Function::kArrayUnique:
        return array_function(function, args);
      case Function::kArrayRange:
        return array_range(args);
      case Function::kBase64Encode:
      case Function::kBase64Decode:
      case Function::kHash:
        return encoding_function(function, args);
      case Function::kMathRandom:
      case Function::kMathAdd:
        return math_function(function, args, random_);
      case Function::kStringSplit:
        return string_split(args);
      case Function::kUuid:
        return uuid_v4();
    }
    return nullptr;
  }

  /// States.Format: `{}` takes the next argument; `\{`, `\}`, `\'` and `\\` in
  /// a literal template stand for themselves.
  /// A value as AWS's States.Format prints it, which is Java's toString of
  /// the parsed value (recorded: `{Arg1=1, Arg2=[]}` for an object).
  static std::string java_text(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    std::string out;
    if (value.is_object()) {
      out = "{";
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin()) out += ", ";
        out += it.key() + "=" + java_text(it.value());
      }
      return out + "}";
    }
    if (value.is_array()) {
      out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ", ";
        out += java_text(value[i]);
      }
      return out + "]";
    }
    return to_json_text(value);
  }

  json format(const Expr& expr) {
    const Expr& template_expr = expr.args[0];
    std::string template_text;
    bool escapes = false;
    if (template_expr.kind == Expr::Kind::kString) {
      template_text = template_expr.raw;
      escapes = true;
    } else {
      const json value = eval(template_expr);
      if (!value.is_string()) {
        intrinsic_failure(
            "Invalid arguments in States.Format: the template must be a string, got " +
            json_type_name(value));
      }
      template_text = value.get<std::string>();
    }
    std::vector<std::string> values;
    values.reserve(expr.args.size() - 1);
    for (std::size_t i = 1; i < expr.args.size(); ++i) {
      const json value = eval(expr.args[i]);
      values.push_back(java_text(value));
    }
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < template_text.size(); ++i) {
      const char c = template_text[i];
      if (escapes && c == '\\' && i + 1 < template_text.size()) {
        out.push_back(template_text[++i]);
      } else if (c == '{' && i + 1 < template_text.size() && template_text[i + 1] == '}') {
        if (next >= values.size()) {
          intrinsic_failure(
              "Invalid arguments in States.Format: the template has more placeholders than the " +
              std::to_string(values.size()) + " argument(s) given");
        }
        out += values[next++];
        ++i;
      } else {
        out.push_back(c);
      }
    }
    if (next != values.size()) {
      intrinsic_failure("Invalid arguments in States.Format: the template has " +
                        std::to_string(next) + " placeholder(s) but " +
                        std::to_string(values.size()) + " argument(s) were given");
    }
    return out;
  }

  std::string uuid_v4() { return detail::random_uuid(random_); }

  const json& input_;
  const json& context_;
  const json* variables_;
  RandomSource& random_;
};

}  // namespace

bool is_intrinsic_call(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text.substr(0, 7) == "States." && text.find('(') != std::string_view::npos;
}

void validate_intrinsic_call(std::string_view text) { (void)parse_cached(text); }

std::vector<std::string> intrinsic_variables(std::string_view text) {
  std::vector<std::string> names;
  std::vector<const Expr*> pending = {parse_cached(text).get()};
  while (!pending.empty()) {
    const auto* expr = pending.back();
    pending.pop_back();
    if (expr->path && !expr->path->variable().empty()) names.push_back(expr->path->variable());
    for (const auto& arg : expr->args) pending.push_back(&arg);
  }
  return names;
}

json evaluate_intrinsic(std::string_view text, const json& input, const json& context,
                        RandomSource& random, const json* variables) {
  std::shared_ptr<const Expr> parsed;
  try {
    parsed = parse_cached(text);
  } catch (const std::invalid_argument& e) {
    intrinsic_failure(e.what());
  }
  return Evaluator(input, context, variables, random).eval(*parsed);
}

}  // namespace loveless::asl
