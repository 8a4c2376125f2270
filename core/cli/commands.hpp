#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace loveless::cli {

/// A subcommand's body: runs it with the options parsed into it and returns
/// the exit code (exit_codes.hpp). May throw UsageError for a mistake found
/// only then (a file that cannot be read).
using CommandBody = std::function<int()>;

/// `loveless serve [--host H] [--port P] [--account-id ID] [--region R]
/// [--function NAME=COMMAND]... [-v|-q|--log-level L]`: runs the local Step
/// Functions engine until SIGINT or SIGTERM. Exit 0 on a signal, 3 when the
/// address cannot be bound.
CommandBody add_serve_command(CLI::App& app);

/// `loveless sample [-v]`: runs the sample workflow with two activity workers
/// against an in-process engine and prints every execution's history. Exit 0
/// when every execution succeeded, 1 otherwise.
CommandBody add_sample_command(CLI::App& app);

/// `loveless demo [--dir DIR] [--documents N] [--variant correct|tmp-handoff|global-state]
/// [--activity-workers N] [--lines-per-chunk N] [--worker-binary PATH] [-v]`: runs
/// the document-indexing demo (scenarios/demo) on a local stack, one execution
/// per document. Exit 0 when every execution succeeded with the output a
/// single-process count gives, 1 otherwise, 3 when the stack cannot be brought up.
CommandBody add_demo_command(CLI::App& app);

/// `loveless report RUN.json [-r SPEC]... [-v]`: renders a JSON report
/// (schema loveless.report/v1, docs/report-schema.md) again with the
/// reporters of `-r` (default: console), e.g. `-r junit::out=junit.xml`.
/// Exit 0 when the report's scenarios all passed, 1 when one failed or a
/// report could not be written, 2 when the file is no such report.
CommandBody add_report_command(CLI::App& app);

}  // namespace loveless::cli
