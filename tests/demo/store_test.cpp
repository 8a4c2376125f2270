#include "loveless/demo/store.hpp"

#include <catch2/catch.hpp>

#include "fake_task_context.hpp"

namespace loveless::demo {
namespace {

using testing::TemporaryDirectory;

TEST_CASE("the store writes, reads and overwrites objects", "[demo][store]") {
  const TemporaryDirectory dir("store");
  const DurableStore store(dir.path());
  CHECK_FALSE(store.contains("a/b.txt"));
  store.write("a/b.txt", "one");
  CHECK(store.contains("a/b.txt"));
  CHECK(store.read("a/b.txt") == "one");
  store.write("a/b.txt", "two");
  CHECK(store.read("a/b.txt") == "two");
}

TEST_CASE("store writes leave no temporary files behind", "[demo][store]") {
  const TemporaryDirectory dir("store");
  const DurableStore store(dir.path());
  for (int i = 0; i < 3; ++i) store.write("k/object.json", "{}");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "k")) {
    CHECK(entry.path().filename() == "object.json");
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("the store refuses keys that leave its root", "[demo][store]") {
  const TemporaryDirectory dir("store");
  const DurableStore store(dir.path());
  for (const std::string key : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/", "./a"}) {
    INFO(key);
    try {
      store.write(key, "x");
      FAIL("accepted");
    } catch (const StoreError& e) {
      CHECK(e.kind() == StoreError::Kind::kInvalidKey);
    }
  }
}

TEST_CASE("reading a missing object is kNotFound", "[demo][store]") {
  const TemporaryDirectory dir("store");
  const DurableStore store(dir.path());
  try {
    (void)store.read("nothing/here");
    FAIL("read a missing object");
  } catch (const StoreError& e) {
    CHECK(e.kind() == StoreError::Kind::kNotFound);
  }
}

}  // namespace
}  // namespace loveless::demo
