#include "loveless/aws/sigv4.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "loveless/timestamps/timestamps.hpp"

namespace loveless::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kHexDigits = "0123456789abcdef";

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 0xf]);
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  return {reinterpret_cast<const char*>(out.data()), length};
}

// The header value as SigV4 canonicalises it: leading and trailing blanks
// removed, runs of blanks (and line folds) inside collapsed to one space.
std::string trimmed_value(std::string_view value) {
  std::string out;
  bool blank = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// Non-S3 services sign the normalised path: empty and "." segments dropped,
// ".." removes the segment before it, a trailing '/' kept.
std::string normalized_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && path.ends_with('/')) out.push_back('/');
  return out;
}

std::string date_part(std::chrono::system_clock::time_point time) {
  return amz_date(time).substr(0, 8);
}

std::string credential_scope(const SigningScope& scope) {
  return date_part(scope.time) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

// Lowercase names, values trimmed, repeated names joined with ',' in order,
// sorted by name.
std::vector<std::pair<std::string, std::string>> canonical_headers(const HttpHeaders& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) {
    auto key = lowercase(name);
    auto found =
        std::find_if(out.begin(), out.end(), [&](const auto& h) { return h.first == key; });
    if (found == out.end()) {
      out.emplace_back(std::move(key), trimmed_value(value));
    } else {
      found->second += "," + trimmed_value(value);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(separator, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? text.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

const std::string* find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequal(key, name)) return &value;
  }
  return nullptr;
}

void set_header(HttpHeaders& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return iequal(h.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &length, EVP_sha256(), nullptr);
  return hex({reinterpret_cast<const char*>(out.data()), length});
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  return timestamps::format_basic(time);
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size());
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      constexpr std::string_view kUpper = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(kUpper[c >> 4]);
      out.push_back(kUpper[c & 0xf]);
    }
  }
  return out;
}

std::string uri_decode(std::string_view text) {
  const auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && value(text[i + 1]) >= 0 &&
        value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(value(text[i + 1]) * 16 + value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  if (raw.empty()) return out;
  for (const auto& part : split(raw, '&')) {
    if (part.empty()) continue;
    const auto equals = part.find('=');
    if (equals == std::string::npos) {
      out.emplace_back(uri_decode(part), "");
    } else {
      out.emplace_back(uri_decode(std::string_view(part).substr(0, equals)),
                       uri_decode(std::string_view(part).substr(equals + 1)));
    }
  }
  return out;
}

std::string canonical_request(const SignableRequest& request,
                              std::optional<std::string_view> signed_headers) {
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(request.query.size());
  for (const auto& [name, value] : request.query) {
    query.emplace_back(uri_encode(name), uri_encode(value));
  }
  std::sort(query.begin(), query.end());
  std::string canonical_query;
  for (const auto& [name, value] : query) {
    if (!canonical_query.empty()) canonical_query.push_back('&');
    canonical_query.append(name).append("=").append(value);
  }

  auto headers = canonical_headers(request.headers);
  if (signed_headers) {
    const auto names = split(*signed_headers, ';');
    std::erase_if(headers, [&](const auto& h) {
      return std::find(names.begin(), names.end(), h.first) == names.end();
    });
  }
  std::string header_block;
  std::string header_names;
  for (const auto& [name, value] : headers) {
    header_block.append(name).append(":").append(value).append("\n");
    if (!header_names.empty()) header_names.push_back(';');
    header_names += name;
  }
  return request.method + "\n" + uri_encode(normalized_path(request.path), true) + "\n" +
         canonical_query + "\n" + header_block + "\n" + header_names + "\n" +
         sha256_hex(request.body);
}

std::string string_to_sign(std::string_view canonical, const SigningScope& scope) {
  return std::string(kAlgorithm) + "\n" + amz_date(scope.time) + "\n" + credential_scope(scope) +
         "\n" + sha256_hex(canonical);
}

std::string signing_key(std::string_view secret_access_key, const SigningScope& scope) {
  const auto date_key = hmac("AWS4" + std::string(secret_access_key), date_part(scope.time));
  const auto region_key = hmac(date_key, scope.region);
  const auto service_key = hmac(region_key, scope.service);
  return hmac(service_key, "aws4_request");
}

std::string signature(std::string_view key, std::string_view string_to_sign) {
  return hex(hmac(key, string_to_sign));
}

void sign_request(SignableRequest& request, const Credentials& credentials,
                  const SigningScope& scope) {
  if (find_header(request.headers, "host") == nullptr) {
    throw std::invalid_argument("sign_request: the request has no Host header to sign");
  }
  std::erase_if(request.headers, [](const auto& h) { return iequal(h.first, "authorization"); });
  set_header(request.headers, "X-Amz-Date", amz_date(scope.time));
  if (!credentials.session_token.empty()) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  } else {
    std::erase_if(request.headers,
                  [](const auto& h) { return iequal(h.first, "x-amz-security-token"); });
  }
  const auto canonical = canonical_request(request);
  std::string signed_names;
  for (const auto& [name, value] : canonical_headers(request.headers)) {
    if (!signed_names.empty()) signed_names.push_back(';');
    signed_names += name;
  }
  const auto sig = signature(signing_key(credentials.secret_access_key, scope),
                             string_to_sign(canonical, scope));
  request.headers.emplace_back(
      "Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                           credential_scope(scope) + ", SignedHeaders=" + signed_names +
                           ", Signature=" + sig);
}

namespace {

/// The Credential, SignedHeaders and Signature parameters of an
/// Authorization header (after the algorithm); empty when absent.
struct AuthorizationParameters {
  std::string credential;
  std::string signed_headers;
  std::string signature;
};

AuthorizationParameters authorization_parameters(std::string_view text) {
  AuthorizationParameters parameters;
  for (const auto& part : split(text, ',')) {
    const auto item = trim(part);
    const auto equals = item.find('=');
    if (equals == std::string::npos) continue;
    const auto key = item.substr(0, equals);
    const auto value = item.substr(equals + 1);
    if (key == "Credential") parameters.credential = value;
    if (key == "SignedHeaders") parameters.signed_headers = value;
    if (key == "Signature") parameters.signature = value;
  }
  return parameters;
}

/// Why a request dated `date` is too old or too new at `now`, if it is.
std::optional<SignatureCheck> skew_problem(std::chrono::system_clock::time_point date,
                                           const std::string& date_text,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::minutes max_skew) {
  if (date < now - max_skew) {
    return SignatureCheck{"InvalidSignatureException",
                          "Signature expired: " + date_text + " is now earlier than " +
                              amz_date(now - max_skew) + " (" + amz_date(now) + " - " +
                              std::to_string(max_skew.count()) + " min.)",
                          {}};
  }
  if (date > now + max_skew) {
    return SignatureCheck{"InvalidSignatureException",
                          "Signature not yet current: " + date_text + " is still later than " +
                              amz_date(now + max_skew) + " (" + amz_date(now) + " + " +
                              std::to_string(max_skew.count()) + " min.)",
                          {}};
  }
  return std::nullopt;
}

}  // namespace

SignatureCheck verify_signature(
    const SignableRequest& received,
    const std::function<std::optional<std::string>(std::string_view access_key_id)>& secret_for,
    std::string_view expected_service, std::chrono::system_clock::time_point now,
    std::chrono::minutes max_skew) {
  const auto incomplete = [](std::string message) {
    return SignatureCheck{"IncompleteSignatureException", std::move(message), {}};
  };
  const auto* authorization = find_header(received.headers, "authorization");
  if (authorization == nullptr) {
    return incomplete(
        "Authorization header requires 'Credential', 'Signature' and "
        "'SignedHeaders' parameters; the request has no Authorization header.");
  }
  std::string_view text = *authorization;
  if (!text.starts_with(kAlgorithm) || text.size() == kAlgorithm.size() ||
      text[kAlgorithm.size()] != ' ') {
    return incomplete("Unsupported Authorization algorithm: only AWS4-HMAC-SHA256 is accepted.");
  }
  text.remove_prefix(kAlgorithm.size() + 1);
  const auto [credential, signed_headers, provided] = authorization_parameters(text);
  if (credential.empty() || signed_headers.empty() || provided.empty()) {
    return incomplete(
        "Authorization header requires 'Credential', 'Signature' and "
        "'SignedHeaders' parameters. Authorization=" +
        *authorization);
  }
  const auto scope_parts = split(credential, '/');
  if (scope_parts.size() != 5 || scope_parts[4] != "aws4_request") {
    return incomplete(
        "Credential should be scoped to a valid region, service and "
        "'aws4_request'. Credential=" +
        credential);
  }
  SignatureCheck check;
  check.access_key_id = scope_parts[0];
  if (scope_parts[3] != expected_service) {
    return incomplete("Credential should be scoped to correct service: '" +
                      std::string(expected_service) + "'. Credential=" + credential);
  }
  const auto names = split(signed_headers, ';');
  for (const std::string_view required : {"host", "x-amz-date"}) {
    if (std::find(names.begin(), names.end(), required) == names.end()) {
      return incomplete("'" + std::string(required) +
                        "' must be a signed header. SignedHeaders=" + signed_headers);
    }
  }
  const auto* date_text = find_header(received.headers, "x-amz-date");
  const auto date = date_text ? timestamps::parse_basic(*date_text) : std::nullopt;
  if (!date) {
    return incomplete("Authorization header requires existence of a valid 'X-Amz-Date' header.");
  }
  if (amz_date(*date).substr(0, 8) != scope_parts[1]) {
    return {"InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP: '" +
                scope_parts[1] + "' != '" + amz_date(*date).substr(0, 8) + "'",
            check.access_key_id};
  }
  const auto secret = secret_for(check.access_key_id);
  if (!secret) {
    return {"UnrecognizedClientException", "The security token included in the request is invalid.",
            check.access_key_id};
  }
  if (auto skewed = skew_problem(*date, *date_text, now, max_skew)) {
    skewed->access_key_id = check.access_key_id;
    return *skewed;
  }
  const SigningScope scope{scope_parts[2], scope_parts[3], *date};
  const auto expected =
      signature(signing_key(*secret, scope),
                string_to_sign(canonical_request(received, signed_headers), scope));
  if (expected.size() != provided.size() ||
      CRYPTO_memcmp(expected.data(), provided.data(), expected.size()) != 0) {
    return {"InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
            check.access_key_id};
  }
  return check;
}

}  // namespace loveless::aws
