#include "command_line.hpp"

#include <algorithm>
#include <iostream>
#include <numeric>

#include "arguments.hpp"
#include "exit_codes.hpp"

namespace loveless::cli {
namespace {

/// Levenshtein distance: the fewest single-letter edits from `a` to `b`.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The subcommand the parse reached (the innermost selected one), else `app`.
CLI::App& reached(CLI::App& app) {
  CLI::App* current = &app;
  for (;;) {
    const auto selected = current->get_subcommands();
    if (selected.empty()) return *current;
    current = selected.front();
  }
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    for (const auto& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

/// "did you mean" lines for the arguments `app` does not know.
std::string suggestions(CLI::App& app, int argc, const char* const* argv) {
  const auto options = option_names(app);
  const auto subcommands = subcommand_names(app);
  const bool expects_subcommand = !subcommands.empty() && app.get_subcommands().empty();
  std::string text;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() > 1 && arg.front() == '-') {
      const auto name = arg.substr(0, arg.find('='));
      if (std::find(options.begin(), options.end(), name) != options.end()) continue;
      if (const auto near = nearest_name(name, options); !near.empty()) {
        text += "did you mean " + near + " instead of " + name + "?\n";
      }
    } else if (expects_subcommand &&
               std::find(subcommands.begin(), subcommands.end(), arg) == subcommands.end()) {
      if (const auto near = nearest_name(arg, subcommands); !near.empty()) {
        text += "did you mean '" + near + "' instead of '" + arg + "'?\n";
      }
      break;  // only the first word names a subcommand
    }
  }
  return text;
}

std::string command_path(const CLI::App& app) {
  const auto* parent = app.get_parent();
  return parent == nullptr ? app.get_name() : command_path(*parent) + " " + app.get_name();
}

int usage_mistake(CLI::App& app, const std::string& message, int argc, const char* const* argv) {
  auto& where = reached(app);
  std::cerr << app.get_name() << ": error: " << message << "\n"
            << suggestions(where, argc, argv) << "Run '" << command_path(where)
            << " --help' for the options.\n";
  return exit_codes::kUsage;
}

}  // namespace

std::string loveless_version() { return LOVELESS_VERSION; }

void configure_app(CLI::App& app, const std::string& version_text, const std::string& footer) {
  app.set_version_flag("--version", version_text, "Print the version and exit");
  app.set_help_flag("-h,--help", "Print this help and exit");
  // As most command lines do: a value option given twice keeps the last.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  if (!footer.empty()) app.footer(footer);
}

CLI::Option* add_value_option(CLI::App& app, const std::string& names,
                              std::function<void(const std::string&)> assign,
                              const std::string& description, const std::string& value_name) {
  return app.add_option_function<std::string>(names, std::move(assign), description)
      ->type_name(value_name);
}

CLI::Option* add_repeated_option(CLI::App& app, const std::string& names,
                                 std::function<void(const std::string&)> assign,
                                 const std::string& description, const std::string& value_name) {
  return app
      .add_option_function<std::vector<std::string>>(
          names,
          [assign = std::move(assign)](const std::vector<std::string>& values) {
            for (const auto& value : values) assign(value);
          },
          description)
      ->type_name(value_name)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_size(1)
      ->expected(1, CLI::detail::expected_max_vector_size);
}

std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::Success& e) {
    // --help (of the subcommand reached) or --version, on stdout.
    return app.exit(e, std::cout, std::cerr) == 0 ? exit_codes::kSuccess : exit_codes::kUsage;
  } catch (const CLI::ParseError& e) {
    return usage_mistake(app, e.what(), argc, argv);
  } catch (const UsageError& e) {
    return usage_mistake(app, e.what(), argc, argv);
  }
}

std::string nearest_name(const std::string& typed, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = typed.size() / 3 + 1;
  for (const auto& name : known) {
    if (name.size() > typed.size() && name.compare(0, typed.size(), typed) == 0 &&
        typed.size() >= 3) {
      return name;  // `--scen` for `--scenario`
    }
    const auto distance = edit_distance(typed, name);
    if (distance < best_distance) {
      best_distance = distance;
      best = name;
    }
  }
  return best;
}

}  // namespace loveless::cli
