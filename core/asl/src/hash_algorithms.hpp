#pragma once

#include <string>
#include <string_view>

/// Message digests for States.Hash. Implemented here because loveless::asl
/// depends on nlohmann_json only (no OpenSSL); they are not constant-time and
/// must not be used for anything secret.
namespace loveless::asl::hash {

/// Each returns the digest of the bytes of `data` as lowercase hexadecimal,
/// the form States.Hash outputs.
std::string md5_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string sha384_hex(std::string_view data);
std::string sha512_hex(std::string_view data);

}  // namespace loveless::asl::hash
