#include "log_frames.hpp"

#include <string>

#include <catch2/catch.hpp>

using loveless::stacks::docker::demultiplex_log_frames;

namespace {

std::string frame(char stream, const std::string& payload) {
  std::string header(8, '\0');
  header[0] = stream;
  const auto size = static_cast<std::uint32_t>(payload.size());
  header[4] = static_cast<char>((size >> 24U) & 0xFFU);
  header[5] = static_cast<char>((size >> 16U) & 0xFFU);
  header[6] = static_cast<char>((size >> 8U) & 0xFFU);
  header[7] = static_cast<char>(size & 0xFFU);
  return header + payload;
}

}  // namespace

TEST_CASE("log frames: stdout and stderr payloads stay in the order written", "[docker][unit]") {
  const std::string framed = frame(1, "out one\n") + frame(2, "err\n") + frame(1, "out two\n");
  CHECK(demultiplex_log_frames(framed) == "out one\nerr\nout two\n");
}

TEST_CASE("log frames: sizes above 255 bytes use every header byte", "[docker][unit]") {
  const std::string big(70000, 'x');
  CHECK(demultiplex_log_frames(frame(1, big) + frame(2, "!")) == big + "!");
}

TEST_CASE("log frames: empty input and a truncated last frame", "[docker][unit]") {
  CHECK(demultiplex_log_frames("").empty());
  const std::string truncated = frame(1, "complete") + frame(1, "cut short").substr(0, 12);
  CHECK(demultiplex_log_frames(truncated) == "completecut ");
  CHECK(demultiplex_log_frames(std::string("\x01\0\0", 3)).empty());
}
