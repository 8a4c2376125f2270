#pragma once

#include <string>
#include <vector>

namespace loveless::cli {

/// `loveless serve [--host H] [--port P] [--account-id ID] [--region R] [-v]`:
/// runs the local Step Functions engine until SIGINT or SIGTERM. Returns the
/// exit code (0 on a signal, 3 when the address cannot be bound). Throws
/// UsageError for bad arguments.
int run_serve(const std::vector<std::string>& args);

/// `loveless sample [-v]`: runs the sample workflow with two activity workers
/// against an in-process engine and prints every execution's history. Returns
/// 0 when every execution succeeded, 1 otherwise.
int run_sample(const std::vector<std::string>& args);

/// `loveless demo [--dir DIR] [--documents N] [--variant correct|tmp-handoff|global-state]
/// [--activity-workers N] [--lines-per-chunk N] [--worker-binary PATH] [-v]`: runs
/// the document-indexing demo (scenarios/demo) on a local stack with a process
/// fleet, one execution per document. Returns 0 when every execution succeeded
/// with the output a single-process count gives, 1 otherwise, 3 when the stack
/// cannot be brought up. Throws UsageError for bad arguments.
int run_demo(const std::vector<std::string>& args);

/// `loveless report RUN.json [-r SPEC]... [-v]`: renders a JSON report
/// (schema loveless.report/v1, docs/report-schema.md) again with the
/// reporters of `-r` (default: console), e.g. `-r junit::out=junit.xml`.
/// Returns 0 when the report's scenarios all passed, 1 when one failed or a
/// report could not be written, 2 when the file is no such report. Throws
/// UsageError for bad arguments.
int run_report(const std::vector<std::string>& args);

/// Logging to stderr at info level, or debug when `verbose`.
void configure_logging(bool verbose);

}  // namespace loveless::cli
