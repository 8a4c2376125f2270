// PoolSpec::mounts on the docker fleet: bind mounts appear in the container,
// read-write or read-only, and bad ones are refused before any container starts.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/stacks/docker/docker_fleet.hpp"

#include "container_config.hpp"
#include "docker_test_support.hpp"

using namespace loveless::stacks;
using namespace loveless::stacks::testing;

namespace {

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::trunc) << text;
}

// The line /tmp/mounts has for `dir`, once the worker has probed it.
std::string probe_line(const std::filesystem::path& scratch, const std::string& dir) {
  std::string found;
  wait_until([&] {
    std::istringstream lines(read_file(scratch / "mounts"));
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(dir + " ", 0) == 0) {
        found = line;
        return true;
      }
    }
    return false;
  });
  return found;
}

}  // namespace

TEST_CASE("docker fleet: mounts appear in the container, read-write and read-only",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const TempDir shared;
  const auto store = shared.path() / "store";
  const auto inputs = shared.path() / "inputs";
  std::filesystem::create_directories(store);
  std::filesystem::create_directories(inputs);
  write_file(store / "input", "from the store");
  write_file(inputs / "input", "read-only input");

  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  auto spec = test_pool_spec("mounted");
  spec.mounts = {{store, "/store", false}, {inputs, "/data/inputs", true}};
  spec.environment["LOVELESS_PROBE_MOUNTS"] = "/store:/data/inputs";
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->live_workers().at(0);

  const auto rw = probe_line(worker->scratch_dir(), "/store");
  CHECK(rw == "/store read=from the store write=allowed");
  // What the container wrote is on the host, as the runner's own user's file.
  CHECK(read_file(store / "written-by-mounted-1") == "mounted-1");

  const auto ro = probe_line(worker->scratch_dir(), "/data/inputs");
  CHECK(ro.rfind("/data/inputs read=read-only input write=denied", 0) == 0);
  CHECK(ro.find("Read-only file system") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(inputs / "written-by-mounted-1"));

  // A replacement gets the same mounts.
  worker->kill();
  REQUIRE(
      wait_until([&] { return pool->workers().size() == 2 && pool->live_workers().size() == 1; }));
  const auto replacement = pool->live_workers().at(0);
  CHECK(probe_line(replacement->scratch_dir(), "/store") ==
        "/store read=from the store write=allowed");
  CHECK(read_file(store / ("written-by-" + replacement->id())) == replacement->id());
  fleet->shutdown();
}

TEST_CASE("docker fleet: bad mounts are refused with the reason", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const TempDir shared;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto refused = [&](BindMount mount, const std::string& reason) {
    auto spec = test_pool_spec("bad-mount");
    spec.mounts = {std::move(mount)};
    INFO(to_string(spec.mounts.front()));
    CHECK_THROWS_WITH(fleet->add_activity_pool(spec), Catch::Contains(reason) &&
                                                          Catch::Contains("pool bad-mount") &&
                                                          Catch::Contains("mount "));
  };
  refused({"relative/store", "/store", false}, "the host path must be absolute");
  refused({shared.path(), "store", false}, "the container path must be absolute");
  refused({shared.path() / "missing", "/store", false}, "the host path does not exist");
  refused({shared.path(), "/tmp", false}, "/tmp is the worker's scratch");
  refused({shared.path(), "/tmp/store/", false}, "/tmp is the worker's scratch");
  refused({shared.path(), "/", false}, "must not be /");
  refused({shared.path(), "/data:x", false}, "':'");

  auto twice = test_pool_spec("bad-mount");
  twice.mounts = {{shared.path(), "/store", false}, {shared.path(), "/store/", true}};
  CHECK_THROWS_WITH(fleet->add_activity_pool(twice),
                    Catch::Contains("another mount of the pool has the same container path"));
  twice.kind = PoolKind::kFunction;
  CHECK_THROWS_AS(fleet->add_function_pool(twice), std::invalid_argument);

  // Nothing was started, and the name is still free.
  CHECK(docker->list_containers({{"loveless.pool", "bad-mount"}}).empty());
  auto good = test_pool_spec("bad-mount");
  good.mounts = {{shared.path(), "/tmpdata", true}};
  CHECK(fleet->add_activity_pool(good)->live_workers().size() == 1);
  fleet->shutdown();
}

TEST_CASE("docker fleet: mounts become Binds after the scratch", "[docker][unit]") {
  // container_config carries the mounts; the client renders them as Binds.
  FleetOptions fleet;
  fleet.run_id = "run";
  fleet.run_dir = "/runs/run";
  PoolSpec pool;
  pool.name = "p";
  pool.image = "img";
  pool.mounts = {{"/srv/store", "/store", false}, {"/srv/in", "/in", true}};
  const auto config =
      docker::container_config(fleet, pool, {"p-1", "/runs/run/scratch/p-1", {}, "o"});
  REQUIRE(config.mounts.size() == 2);
  CHECK(config.mounts[0].host_path == "/srv/store");
  CHECK(config.mounts[1].read_only);
  CHECK(to_string(config.mounts[1]) == "/srv/in:/in:ro");
  CHECK(to_string(config.mounts[0]) == "/srv/store:/store");
}
