#include <cstdio>
#include <string>
#include <vector>

#include "loveless/demo/handlers.hpp"

#include "handler_support.hpp"

namespace loveless::demo {
namespace {

int lines_per_chunk(const nlohmann::json& input) {
  if (!input.contains("lines_per_chunk")) return kDefaultLinesPerChunk;
  const auto& value = input["lines_per_chunk"];
  if (!value.is_number_integer() || value.get<int>() < 1) {
    throw worker::TaskFailure(kInvalidInput, "'lines_per_chunk' must be a positive integer");
  }
  return value.get<int>();
}

// Chunks of `lines` lines each, every line keeping its newline.
std::vector<std::string> cut(const std::string& text, int lines) {
  std::vector<std::string> chunks;
  std::string chunk;
  int in_chunk = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto newline = text.find('\n', start);
    const auto end = newline == std::string::npos ? text.size() : newline + 1;
    chunk.append(text, start, end - start);
    start = end;
    if (++in_chunk == lines) {
      chunks.push_back(std::move(chunk));
      chunk.clear();
      in_chunk = 0;
    }
  }
  if (!chunk.empty()) chunks.push_back(std::move(chunk));
  return chunks;
}

std::string chunk_name(std::size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "%05zu.txt", index);
  return name;
}

}  // namespace

nlohmann::json split_document(const nlohmann::json& input, worker::TaskContext& /*context*/,
                              const DemoSettings& settings) {
  const auto document = detail::document_name(input);
  const auto lines = lines_per_chunk(input);
  const DurableStore store(settings.store);

  std::string text;
  try {
    text = input.contains("source") ? read_file(detail::required_string(input, "source"))
                                    : store.read("documents/" + document);
  } catch (const StoreError& e) {
    detail::fail_from_store(e, kDocumentNotFound);
  }

  // The content hash in the prefix keeps a re-uploaded document from mixing
  // with the chunks of its earlier version.
  const auto prefix =
      "chunks/" + document + "/" + detail::content_hash(text) + "-" + std::to_string(lines) + "/";
  nlohmann::json keys = nlohmann::json::array();
  const auto chunks = cut(text, lines);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto key = prefix + chunk_name(i);
    try {
      store.write(key, chunks[i]);
    } catch (const StoreError& e) {
      detail::fail_from_store(e, kInvalidInput);
    }
    keys.push_back(key);
  }
  return {{"document", document}, {"lines_per_chunk", lines}, {"chunks", keys}};
}

}  // namespace loveless::demo
