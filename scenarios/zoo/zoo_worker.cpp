// zoo-worker: every behaviour of the disposability zoo (docs/zoo.md) in one
// binary, as an activity worker or a Lambda function like demo-worker:
//   zoo-worker <behaviour>   with AWS_LAMBDA_RUNTIME_API set: a Lambda function
//                            otherwise: an activity worker (LOVELESS_ACTIVITY_ARN)
#include "loveless/worker/worker.hpp"
#include "loveless/zoo/handlers.hpp"

int main(int argc, char** argv) {
  return loveless::worker::run_worker_main(loveless::zoo::zoo_behaviours(), argc, argv);
}
