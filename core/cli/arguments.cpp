#include "arguments.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace loveless::cli {

ArgumentParser& ArgumentParser::option(std::string name,
                                       std::function<void(const std::string&)> assign) {
  options_.push_back(Option{std::move(name), std::move(assign)});
  return *this;
}

ArgumentParser& ArgumentParser::flag(std::vector<std::string> names, bool* target) {
  flags_.push_back(Flag{std::move(names), target});
  return *this;
}

void ArgumentParser::parse(const std::vector<std::string>& args) const {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    const auto equals = arg.find('=');
    const auto name = arg.substr(0, equals);
    const auto flag = std::find_if(flags_.begin(), flags_.end(), [&](const Flag& f) {
      return std::find(f.names.begin(), f.names.end(), name) != f.names.end();
    });
    if (flag != flags_.end()) {
      if (equals != std::string::npos) throw UsageError("option " + name + " takes no value");
      *flag->target = true;
      continue;
    }
    const auto option = std::find_if(options_.begin(), options_.end(),
                                     [&](const Option& o) { return o.name == name; });
    if (option == options_.end()) throw UsageError("unknown option '" + arg + "'");
    if (equals != std::string::npos) {
      option->assign(arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      option->assign(args[++i]);
    } else {
      throw UsageError("option " + name + " needs a value");
    }
  }
}

int parse_port(const std::string& option, const std::string& value) {
  int port = -1;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, port);
  if (ec != std::errc() || ptr != end || port < 0 || port > 65535) {
    throw UsageError(option + " must be a port number 0..65535, got '" + value + "'");
  }
  return port;
}

}  // namespace loveless::cli
