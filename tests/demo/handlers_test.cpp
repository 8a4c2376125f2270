#include "loveless/demo/handlers.hpp"

#include <catch2/catch.hpp>

#include "loveless/demo/store.hpp"
#include "loveless/demo/tokenizer.hpp"

#include "fake_task_context.hpp"

namespace loveless::demo {
namespace {

using nlohmann::json;
using testing::FakeTaskContext;
using testing::TemporaryDirectory;

constexpr const char* kText =
    "The quick brown fox\n"
    "jumps over the lazy dog.\n"
    "The dog's owner, THE FOX'S friend,\n"
    "laughs: 'the end'\n"
    "no newline at the end";

struct HandlerFixture {
  TemporaryDirectory store_dir{"demo-store"};
  TemporaryDirectory scratch_dir{"demo-scratch"};
  DemoSettings settings{store_dir.path(), std::chrono::milliseconds(0)};
  DurableStore store{store_dir.path()};
  FakeTaskContext context{scratch_dir.path()};

  HandlerFixture() { store.write("documents/fox.txt", kText); }

  json split(int lines) {
    return split_document({{"document", "fox.txt"}, {"lines_per_chunk", lines}}, context, settings);
  }
  std::vector<std::string> count_all(const json& split_output) {
    std::vector<std::string> keys;
    for (const auto& chunk : split_output["chunks"]) {
      keys.push_back(count_chunk_words({{"chunk", chunk}}, context, settings)["counts"]);
    }
    return keys;
  }
};

std::string failure_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const worker::TaskFailure& e) {
    return e.error();
  }
  return "no failure";
}

TEST_CASE("split, count-words and merge compute the document's word counts", "[demo][handlers]") {
  HandlerFixture f;
  const auto split = f.split(2);
  REQUIRE(split["chunks"].size() == 3);
  CHECK(split["document"] == "fox.txt");
  CHECK(f.store.read(split["chunks"][1].get<std::string>()) ==
        "The dog's owner, THE FOX'S friend,\nlaughs: 'the end'\n");
  CHECK(f.store.read(split["chunks"][2].get<std::string>()) == "no newline at the end");

  const auto keys = f.count_all(split);
  const auto merged =
      merge_counts({{"document", "fox.txt"}, {"counts", keys}}, f.context, f.settings);

  const auto expected = count_words(kText);
  CHECK(merged["total_words"] == total_words(expected));
  CHECK(merged["distinct_words"] == expected.size());
  CHECK(merged["top"][0] == json{{"word", "the"}, {"count", 6}});
  CHECK(merged["top"].size() == kTopWords);
  const auto result = json::parse(f.store.read(merged["result"].get<std::string>()));
  CHECK(result["counts"] == json(expected));
}

TEST_CASE("split reads a source path instead of the store when given one", "[demo][handlers]") {
  HandlerFixture f;
  const auto source = f.scratch_dir.path() / "elsewhere.txt";
  write_file_atomically(source, "one two\nthree\n");
  const auto split = split_document({{"document", "elsewhere"}, {"source", source.string()}},
                                    f.context, f.settings);
  REQUIRE(split["chunks"].size() == 1);
  CHECK(split["lines_per_chunk"] == kDefaultLinesPerChunk);
  CHECK(f.store.read(split["chunks"][0].get<std::string>()) == "one two\nthree\n");
}

TEST_CASE("repeating a task writes the same keys with the same bytes", "[demo][handlers]") {
  HandlerFixture f;
  const auto first = f.split(2);
  const auto second = f.split(2);
  CHECK(first == second);
  const auto keys = f.count_all(first);
  std::vector<std::string> contents;
  for (const auto& key : keys) contents.push_back(f.store.read(key));
  CHECK(f.count_all(first) == keys);
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(f.store.read(keys[i]) == contents[i]);
  auto expected_key = first["chunks"][0].get<std::string>();
  expected_key.replace(0, 6, "counts");
  expected_key.replace(expected_key.size() - 4, 4, ".json");
  CHECK(counts_key_for(first["chunks"][0]) == expected_key);
}

TEST_CASE("a changed document gets new chunk keys", "[demo][handlers]") {
  HandlerFixture f;
  const auto before = f.split(2);
  f.store.write("documents/fox.txt", std::string(kText) + "\nmore");
  const auto after = f.split(2);
  CHECK(before["chunks"][0] != after["chunks"][0]);
}

TEST_CASE("handlers fail with the demo's error names", "[demo][handlers]") {
  HandlerFixture f;
  CHECK(failure_of([&] {
          split_document({{"document", "missing"}}, f.context, f.settings);
        }) == kDocumentNotFound);
  CHECK(failure_of([&] {
          split_document({{"document", "../x"}}, f.context, f.settings);
        }) == kInvalidInput);
  CHECK(failure_of([&] {
          split_document({{"document", "fox.txt"}, {"lines_per_chunk", 0}}, f.context, f.settings);
        }) == kInvalidInput);
  CHECK(failure_of([&] {
          count_chunk_words({{"chunk", "other/x.txt"}}, f.context, f.settings);
        }) == kInvalidInput);
  CHECK(failure_of([&] {
          count_chunk_words({{"chunk", "chunks/no.txt"}}, f.context, f.settings);
        }) == kMissingChunk);
  CHECK(failure_of([&] {
          merge_counts({{"document", "fox.txt"}, {"counts", {"counts/none.json"}}}, f.context,
                       f.settings);
        }) == kMissingCounts);
  CHECK(failure_of([&] {
          merge_counts({{"counts", json::array()}}, f.context, f.settings);
        }) == kInvalidInput);
}

TEST_CASE("count-words gives up its pause when the worker is stopping", "[demo][handlers]") {
  HandlerFixture f;
  f.settings.chunk_delay = std::chrono::seconds(30);
  f.context.stopping_ = true;
  const auto split = f.split(2);
  CHECK(failure_of([&] {
          count_chunk_words({{"chunk", split["chunks"][0]}}, f.context, f.settings);
        }) == kInterrupted);
}

TEST_CASE("demo_handlers offers every handler by name", "[demo][handlers]") {
  const auto handlers = demo_handlers();
  for (const auto* name : {"split", "count-words", "merge", "count-words-tmp-handoff",
                           "merge-tmp-handoff", "merge-global-state"}) {
    CHECK(handlers.count(name) == 1);
  }
}

// The flawed variants, called directly: the mistakes are real and visible
// without any fleet.

TEST_CASE("tmp-handoff works while the scratch survives and fails once it is wiped",
          "[demo][handlers][flawed]") {
  HandlerFixture f;
  const auto split = f.split(2);
  const auto count_all = [&] {
    std::vector<std::string> files;
    for (const auto& chunk : split["chunks"]) {
      files.push_back(
          count_chunk_words_tmp_handoff({{"chunk", chunk}}, f.context, f.settings)["counts_file"]);
    }
    return files;
  };
  const auto files = count_all();
  for (const auto& file : files) {
    CHECK(std::filesystem::path(file).parent_path().parent_path() == f.scratch_dir.path());
  }
  const json merge_input = {{"document", "fox.txt"}, {"count_files", files}};
  const auto warm = merge_counts_tmp_handoff(merge_input, f.context, f.settings);
  CHECK(warm["total_words"] == total_words(count_words(kText)));

  // What Worker::wipe_scratch does between tasks.
  for (const auto& entry : std::filesystem::directory_iterator(f.scratch_dir.path())) {
    std::filesystem::remove_all(entry.path());
  }
  CHECK(failure_of([&] { merge_counts_tmp_handoff(merge_input, f.context, f.settings); }) ==
        kMissingCounts);
}

TEST_CASE("merge-global-state adds earlier invocations to later results",
          "[demo][handlers][flawed]") {
  HandlerFixture f;
  const auto keys = f.count_all(f.split(2));
  const json input = {{"document", "fox.txt"}, {"counts", keys}};
  const auto first = merge_counts_global_state(input, f.context, f.settings);
  const auto second = merge_counts_global_state(input, f.context, f.settings);
  // The table lives as long as the process, so the first result here depends
  // on what earlier test cases merged; the second is always more than the first.
  CHECK(second["total_words"].get<std::int64_t>() ==
        first["total_words"].get<std::int64_t>() + total_words(count_words(kText)));
  CHECK(merge_counts(input, f.context, f.settings)["total_words"] ==
        total_words(count_words(kText)));
}

}  // namespace
}  // namespace loveless::demo
