// demo-worker: every handler of the demo application in one binary, so the
// same executable (or container image) serves as the count-words activity
// worker and as the split and merge Lambda functions:
//   demo-worker <handler>   with AWS_LAMBDA_RUNTIME_API set: a Lambda function
//                           otherwise: an activity worker (LOVELESS_ACTIVITY_ARN)
#include "loveless/demo/handlers.hpp"
#include "loveless/worker/worker.hpp"

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main(loveless::demo::demo_handlers(), argc, argv);
}
