// worker_sdk_test_worker: the test handlers behind run_worker_main, so the
// tests can run one binary as an Activity worker and as a Lambda function and
// send it SIGTERM.
#include "test_handlers.hpp"

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main(loveless::worker::testing::test_handlers(), argc, argv);
}
