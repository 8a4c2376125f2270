#include "loveless/digest/digest.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>

namespace loveless::digest {
namespace {

const EVP_MD* digest_named(std::string_view algorithm) {
  if (algorithm == "MD5") return EVP_md5();
  if (algorithm == "SHA-1") return EVP_sha1();
  if (algorithm == "SHA-256") return EVP_sha256();
  if (algorithm == "SHA-384") return EVP_sha384();
  if (algorithm == "SHA-512") return EVP_sha512();
  return nullptr;
}

}  // namespace

std::optional<std::string> digest_hex(std::string_view algorithm, std::string_view data) {
  const EVP_MD* type = digest_named(algorithm);
  if (type == nullptr) return std::nullopt;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, type, nullptr) != 1) {
    // Only an allocation failure inside OpenSSL gets here.
    throw std::runtime_error("OpenSSL could not compute the " + std::string(algorithm) + " digest");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4U];
    hex += kHex[digest[i] & 0x0FU];
  }
  return hex;
}

}  // namespace loveless::digest
