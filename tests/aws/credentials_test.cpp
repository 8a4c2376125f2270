// The credential chain and region resolution: the environment (injected, the
// process environment is never changed), shared config and credentials
// files in a temporary directory, and loopback fakes of the ECS container
// credentials endpoint and of the EC2 instance metadata service (IMDSv2),
// which stand in for AWS services that cannot run here.
#include "loveless/aws/credentials.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/region.hpp"

#include "client_test_helpers.hpp"
#include "loopback_server.hpp"

using namespace loveless::aws;
using loveless::aws::testing::env_of;
using loveless::aws::testing::LoopbackServer;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::system_clock;

// A temporary home directory with .aws/ in it, removed at the end.
struct TempHome {
  TempHome() {
    path = fs::temp_directory_path() /
           ("loveless-aws-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path / ".aws");
  }
  ~TempHome() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / ".aws" / name) << text;
  }
  fs::path path;
  static inline int counter = 0;
};

// With no metadata endpoint reachable quickly: IMDS disabled.
CredentialsChainOptions offline(const TempHome& home, std::map<std::string, std::string> env = {}) {
  env.emplace("AWS_EC2_METADATA_DISABLED", "true");
  CredentialsChainOptions options;
  options.env = env_of(std::move(env));
  options.home = home.path.string();
  return options;
}

std::string iso8601(Clock::time_point time) {
  const auto t = Clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string credentials_json(const std::string& id, Clock::time_point expiration) {
  return nlohmann::json{{"Code", "Success"},
                        {"AccessKeyId", id},
                        {"SecretAccessKey", "secret-" + id},
                        {"Token", "token-" + id},
                        {"Expiration", iso8601(expiration)}}
      .dump();
}

// Answers like the ECS agent: GET <path> with the Authorization token,
// fresh credentials (ASIA1, ASIA2, ...) each time, expiring `lifetime` later.
struct FakeContainerCredentials {
  explicit FakeContainerCredentials(std::chrono::seconds lifetime = 6h)
      : server([this, lifetime](httplib::Server& s) {
          s.Get("/v2/credentials/task",
                [this, lifetime](const httplib::Request& request, httplib::Response& response) {
                  {
                    std::lock_guard lock(mutex);
                    authorization = request.get_header_value("Authorization");
                  }
                  const int n = ++calls;
                  response.set_content(
                      credentials_json("ASIA" + std::to_string(n), Clock::now() + lifetime),
                      "application/json");
                });
        }) {}
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::string authorization;
  LoopbackServer server;
};

// Answers like IMDSv2: PUT /latest/api/token, then the role list and the
// role's credentials only with that token.
struct FakeInstanceMetadata {
  FakeInstanceMetadata()
      : server([this](httplib::Server& s) {
          s.Put("/latest/api/token",
                [this](const httplib::Request& request, httplib::Response& response) {
                  if (request.get_header_value("X-aws-ec2-metadata-token-ttl-seconds").empty()) {
                    response.status = 400;
                    return;
                  }
                  ++token_calls;
                  response.set_content("imds-session-token", "text/plain");
                });
          s.Get(
              R"(/latest/meta-data/iam/security-credentials/(.*))",
              [](const httplib::Request& request, httplib::Response& response) {
                if (request.get_header_value("X-aws-ec2-metadata-token") != "imds-session-token") {
                  response.status = 401;
                  return;
                }
                if (request.matches[1].str().empty()) {
                  response.set_content("instance-role\n", "text/plain");
                } else if (request.matches[1].str() == "instance-role") {
                  response.set_content(credentials_json("ASIAIMDS", Clock::now() + 6h),
                                       "application/json");
                } else {
                  response.status = 404;
                }
              });
        }) {}
  std::atomic<int> token_calls{0};
  LoopbackServer server;
};

std::string failure_text(const std::shared_ptr<CredentialsProvider>& provider) {
  try {
    provider->get();
  } catch (const CredentialsError& e) {
    return e.what();
  }
  FAIL("expected a CredentialsError");
  return {};
}

}  // namespace

TEST_CASE("The environment comes first", "[credentials]") {
  TempHome home;
  home.write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  const auto chain =
      default_credentials_chain(offline(home, {{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                               {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                               {"AWS_SESSION_TOKEN", "env-token"}}));
  const auto credentials = chain->get();
  CHECK(credentials.access_key_id == "AKIDENV");
  CHECK(credentials.secret_access_key == "env-secret");
  CHECK(credentials.session_token == "env-token");
  CHECK(credentials.provider == "environment");
  CHECK_FALSE(credentials.expiration);
}

TEST_CASE("Shared files: profiles from the credentials and the config file", "[credentials]") {
  TempHome home;
  home.write("credentials",
             "# comment\n[default]\naws_access_key_id = AKIDDEFAULT\n"
             "aws_secret_access_key = default-secret\n\n"
             "[dev]\nAWS_ACCESS_KEY_ID=AKIDDEV\naws_secret_access_key=dev-secret\n"
             "aws_session_token = dev-token\n");
  home.write("config",
             "[default]\nregion = eu-central-1\n"
             "[profile cfg]\nregion = us-west-2\naws_access_key_id = AKIDCFG\n"
             "aws_secret_access_key = cfg-secret\ns3 =\n  max_concurrent_requests = 10\n"
             "[profile sso]\nsso_session = corp\nsso_account_id = 123\n"
             "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n");

  CHECK(default_credentials_chain(offline(home))->get().access_key_id == "AKIDDEFAULT");
  auto dev = default_credentials_chain(offline(home, {{"AWS_PROFILE", "dev"}}))->get();
  CHECK(dev.access_key_id == "AKIDDEV");
  CHECK(dev.session_token == "dev-token");
  CHECK(dev.provider == "profile dev");

  auto options = offline(home, {{"AWS_PROFILE", "dev"}});
  options.profile = "cfg";  // the explicit profile overrides AWS_PROFILE
  CHECK(default_credentials_chain(options)->get().access_key_id == "AKIDCFG");
  CHECK(resolve_region({}, options) == "us-west-2");
  CHECK(resolve_region({}, offline(home)) == "eu-central-1");

  SECTION("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files") {
    TempHome other;
    other.write("elsewhere",
                "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = m\n");
    other.write("cfg", "[default]\nregion = sa-east-1\n");
    const auto moved =
        offline(home, {{"AWS_SHARED_CREDENTIALS_FILE", (other.path / ".aws/elsewhere").string()},
                       {"AWS_CONFIG_FILE", (other.path / ".aws/cfg").string()}});
    CHECK(default_credentials_chain(moved)->get().access_key_id == "AKIDMOVED");
    CHECK(resolve_region({}, moved) == "sa-east-1");
  }
  SECTION("SSO and role profiles fail clearly") {
    auto text = failure_text(default_credentials_chain(offline(home, {{"AWS_PROFILE", "sso"}})));
    CHECK_THAT(text, Catch::Contains("AWS IAM Identity Center"));
    CHECK_THAT(text, Catch::Contains("does not support"));
    CHECK_THAT(text, Catch::Contains("aws configure export-credentials --profile sso"));
    text = failure_text(default_credentials_chain(offline(home, {{"AWS_PROFILE", "role"}})));
    CHECK_THAT(text, Catch::Contains("role assumption (role_arn)"));
  }
}

TEST_CASE("Nothing found: the error says what each source tried and what to do", "[credentials]") {
  TempHome home;
  const auto text = failure_text(default_credentials_chain(offline(home)));
  CHECK_THAT(text, Catch::Contains("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
  CHECK_THAT(text, Catch::Contains("profile default: no [default] in " + home.path.string() +
                                   "/.aws/credentials"));
  CHECK_THAT(text, Catch::Contains("container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
  CHECK_THAT(text, Catch::Contains("instance metadata (IMDSv2): AWS_EC2_METADATA_DISABLED"));
  CHECK_THAT(text, Catch::Contains("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
  // Half-set environment credentials are named as such.
  const auto half =
      failure_text(default_credentials_chain(offline(home, {{"AWS_ACCESS_KEY_ID", "AKIDHALF"}})));
  CHECK_THAT(half, Catch::Contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
}

TEST_CASE("Container credentials from a FULL_URI with an authorization token", "[credentials]") {
  TempHome home;
  FakeContainerCredentials fake;
  const auto uri = fake.server.url() + "/v2/credentials/task";
  SECTION("the token from the environment") {
    const auto credentials =
        default_credentials_chain(offline(home, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri},
                                                 {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok-env"}}))
            ->get();
    CHECK(credentials.access_key_id == "ASIA1");
    CHECK(credentials.secret_access_key == "secret-ASIA1");
    CHECK(credentials.session_token == "token-ASIA1");
    CHECK(credentials.provider == "container");
    REQUIRE(credentials.expiration);
    CHECK(*credentials.expiration > Clock::now() + 5h);
    std::lock_guard lock(fake.mutex);
    CHECK(fake.authorization == "tok-env");
  }
  SECTION("the token file wins over the token") {
    home.write("token", "tok-file\n");
    default_credentials_chain(offline(home, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri},
                                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok-env"},
                                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                              (home.path / ".aws/token").string()}}))
        ->get();
    std::lock_guard lock(fake.mutex);
    CHECK(fake.authorization == "tok-file");
  }
  SECTION("a FULL_URI to a host the SDKs do not allow over http is refused") {
    const auto text = failure_text(default_credentials_chain(
        offline(home, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1:80/creds"}})));
    CHECK_THAT(text, Catch::Contains("'192.0.2.1' is not allowed over http"));
    CHECK(fake.calls == 0);
  }
}

TEST_CASE("Temporary credentials are refreshed 5 minutes before they expire", "[credentials]") {
  TempHome home;
  FakeContainerCredentials fake(1h);
  auto now = Clock::now();
  auto options = offline(
      home, {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", fake.server.url() + "/v2/credentials/task"}});
  options.now = [&now] { return now; };
  const auto chain = default_credentials_chain(options);
  CHECK(chain->get().access_key_id == "ASIA1");
  now += 50min;
  CHECK(chain->get().access_key_id == "ASIA1");  // 10 minutes left: still cached
  now += 6min;
  CHECK(chain->get().access_key_id == "ASIA2");  // 4 minutes left: refreshed
  CHECK(fake.calls == 2);
}

TEST_CASE("Instance metadata with IMDSv2 sessions", "[credentials]") {
  TempHome home;
  FakeInstanceMetadata fake;
  CredentialsChainOptions options;
  options.home = home.path.string();
  options.env = env_of({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", fake.server.url() + "/"}});
  const auto credentials = default_credentials_chain(options)->get();
  CHECK(credentials.access_key_id == "ASIAIMDS");
  CHECK(credentials.session_token == "token-ASIAIMDS");
  CHECK(credentials.provider == "imds");
  CHECK(fake.token_calls == 1);
}

TEST_CASE("An unreachable metadata service gives up within its timeout", "[credentials]") {
  TempHome home;
  int port = 0;
  {
    LoopbackServer gone([](httplib::Server&) {});
    port = gone.port();
  }
  CredentialsChainOptions options;
  options.home = home.path.string();
  options.env =
      env_of({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(port)}});
  const auto started = std::chrono::steady_clock::now();
  const auto text = failure_text(default_credentials_chain(options));
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK_THAT(text, Catch::Contains("instance metadata (IMDSv2): http://127.0.0.1:"));
}

TEST_CASE("static_credentials returns what it was given", "[credentials]") {
  const auto provider = static_credentials({"AKID", "secret", "", std::nullopt, ""});
  CHECK(provider->get().access_key_id == "AKID");
  CHECK(provider->get().provider == "static");
}

TEST_CASE("Region: explicit, AWS_REGION, AWS_DEFAULT_REGION, profile, else an error", "[region]") {
  TempHome home;
  home.write("config", "[profile dev]\nregion = ap-south-1\n");
  CHECK(resolve_region("us-east-2", offline(home, {{"AWS_REGION", "eu-west-1"}})) == "us-east-2");
  CHECK(resolve_region({}, offline(home, {{"AWS_REGION", "eu-west-1"},
                                          {"AWS_DEFAULT_REGION", "eu-west-2"}})) == "eu-west-1");
  CHECK(resolve_region({}, offline(home, {{"AWS_DEFAULT_REGION", "eu-west-2"},
                                          {"AWS_PROFILE", "dev"}})) == "eu-west-2");
  CHECK(resolve_region({}, offline(home, {{"AWS_PROFILE", "dev"}})) == "ap-south-1");
  try {
    (void)resolve_region({}, offline(home));
    FAIL("expected a RegionError");
  } catch (const RegionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("set AWS_REGION or pass --aws-region"));
  }
}

TEST_CASE("read_ini_file keeps sections, lowercases keys and skips nested settings",
          "[credentials]") {
  TempHome home;
  home.write("x", "top = ignored\n[profile a]\nKey = v = w\nnested =\n  inner = 1\nafter = 2\n");
  const auto sections = read_ini_file((home.path / ".aws/x").string());
  REQUIRE(sections);
  REQUIRE(sections->size() == 1);
  CHECK((*sections)[0].first == "profile a");
  const auto& values = (*sections)[0].second;
  REQUIRE(values.size() == 2);
  CHECK(values[0] == std::pair<std::string, std::string>("key", "v = w"));
  CHECK(values[1] == std::pair<std::string, std::string>("after", "2"));
  CHECK_FALSE(read_ini_file((home.path / ".aws/none").string()));
}
