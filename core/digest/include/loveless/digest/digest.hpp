#pragma once

#include <optional>
#include <string>
#include <string_view>

/// Message digests for States.Hash and JSONata's $hash, computed by OpenSSL's
/// EVP interface.
namespace loveless::digest {

/// The digest of the bytes of `data` as lowercase hexadecimal, the form
/// States.Hash and $hash output, for one of the algorithms States.Hash and $hash accept: `MD5`,
/// `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512` (AWS's spelling). nullopt for any
/// other name.
std::optional<std::string> digest_hex(std::string_view algorithm, std::string_view data);

}  // namespace loveless::digest
