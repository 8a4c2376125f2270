#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loveless/aws/http_client.hpp"

/// AWS Signature Version 4 (header signing), as documented in "Create a
/// signed AWS API request" and "Elements of an AWS API request signature"
/// (AWS IAM User Guide, docs.aws.amazon.com/IAM/latest/UserGuide/
/// reference_sigv4-create-signed-request.html). HMAC-SHA256 from OpenSSL.
/// Non-S3 rules: the path is normalised (`.`/`..` segments, repeated `/`) and
/// each segment URI-encoded once more for the canonical request.
namespace loveless::aws {

/// AWS credentials. `session_token` is empty for long-term keys.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  /// When temporary credentials stop working; empty for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  /// Where they came from: "environment", "profile default", "container",
  /// "imds", "static" (for messages and logs, never for decisions).
  std::string provider;
};

/// A request to sign, or one received to verify.
struct SignableRequest {
  std::string method;  ///< "GET", "POST", ...
  /// The path as sent on the wire, already URI-encoded ("/", "/2015-03-31/functions/f%3A1").
  std::string path;
  /// Query parameters as unencoded names and values, in any order (repeats allowed).
  std::vector<std::pair<std::string, std::string>> query;
  /// Header fields as sent; must hold `host` (any case) before signing.
  HttpHeaders headers;
  std::string body;
};

/// Where and when a request is signed.
struct SigningScope {
  std::string region;   ///< "us-east-1"
  std::string service;  ///< the signing name: "states", "ecs", "lambda", "fis", "monitoring"
  std::chrono::system_clock::time_point time;
};

/// Signs `request` in place: adds `X-Amz-Date` (ISO 8601 basic, UTC),
/// `X-Amz-Security-Token` when `credentials.session_token` is set, and
/// `Authorization: AWS4-HMAC-SHA256 Credential=.../<date>/<region>/<service>/aws4_request,
/// SignedHeaders=..., Signature=...`. Every header present is signed (the
/// SDKs leave out a few, e.g. user-agent; we set none of those). Existing
/// fields of those three names are replaced. Throws `std::invalid_argument`
/// when there is no `host` field.
void sign_request(SignableRequest& request, const Credentials& credentials,
                  const SigningScope& scope);

/// The canonical request (method, canonical URI, canonical query, canonical
/// headers, signed headers, hex SHA-256 of the body), lines joined by '\n'.
/// `signed_headers`, when given, restricts the headers to those lowercase
/// names (";"-separated, as in the Authorization header); otherwise all are used.
[[nodiscard]] std::string canonical_request(const SignableRequest& request,
                                            std::optional<std::string_view> signed_headers = {});
/// `AWS4-HMAC-SHA256\n<amz date>\n<date>/<region>/<service>/aws4_request\n<hex SHA-256 of
/// canonical>`.
[[nodiscard]] std::string string_to_sign(std::string_view canonical, const SigningScope& scope);
/// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"),
/// 32 raw bytes.
[[nodiscard]] std::string signing_key(std::string_view secret_access_key,
                                      const SigningScope& scope);
/// The lowercase hex HMAC-SHA256 of `string_to_sign` under `key`.
[[nodiscard]] std::string signature(std::string_view key, std::string_view string_to_sign);

/// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters
/// (A-Z a-z 0-9 - _ . ~) stay, every other byte becomes %XX (uppercase hex);
/// with `keep_slash`, '/' stays too.
[[nodiscard]] std::string uri_encode(std::string_view text, bool keep_slash = false);
/// Decodes %XX sequences (invalid ones are kept as they are); '+' stays '+'.
[[nodiscard]] std::string uri_decode(std::string_view text);
/// Splits a raw query string ("a=1&b=%20") into decoded name/value pairs.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw);
/// `20150830T123600Z`.
[[nodiscard]] std::string amz_date(std::chrono::system_clock::time_point time);
/// Lowercase hex SHA-256 of `data`.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// The outcome of `verify_signature`: `ok()` when `error_type` is empty,
/// otherwise an AWS error name and message to answer with (HTTP 400 for
/// IncompleteSignatureException, 403 for the others, as AWS answers).
struct SignatureCheck {
  std::string error_type;
  std::string message;
  std::string access_key_id;  ///< the key the request claims, when it could be read
  [[nodiscard]] bool ok() const noexcept { return error_type.empty(); }
  [[nodiscard]] int http_status() const noexcept {
    return error_type == "IncompleteSignatureException" ? 400 : 403;
  }
};

/// Checks a received request's SigV4 `Authorization` header, for servers and
/// fakes. `received` is the request as it arrived (path as on the wire, query
/// decoded, e.g. with `parse_query`, all headers, body). `secret_for` returns
/// the secret access key of an access key id, or nullopt when unknown.
/// Results, following the errors AWS services answer:
/// - no/malformed Authorization, missing X-Amz-Date, a scope for another
///   service, `host` or `x-amz-date` not signed: IncompleteSignatureException;
/// - unknown access key: UnrecognizedClientException "The security token
///   included in the request is invalid.";
/// - X-Amz-Date more than `max_skew` away from `now`: InvalidSignatureException
///   "Signature expired: ...";
/// - wrong signature: InvalidSignatureException "The request signature we
///   calculated does not match the signature you provided. Check your AWS
///   Secret Access Key and signing method. Consult the service documentation
///   for details.".
/// The region of the credential scope is taken as given. Never throws.
[[nodiscard]] SignatureCheck verify_signature(
    const SignableRequest& received,
    const std::function<std::optional<std::string>(std::string_view access_key_id)>& secret_for,
    std::string_view expected_service, std::chrono::system_clock::time_point now,
    std::chrono::minutes max_skew = std::chrono::minutes(15));

}  // namespace loveless::aws
