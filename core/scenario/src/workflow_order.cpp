#include "workflow_order.hpp"

#include <map>

namespace loveless::scenario::detail {
namespace {

enum class Mark { kNone, kVisiting, kDone };

struct Sorter {
  const std::vector<ResolvedWorkflow>& workflows;
  std::map<std::string, std::size_t> index_of;
  std::vector<Mark> marks;
  std::vector<std::size_t> path;
  WorkflowOrder result;

  /// Depth-first: a workflow is placed after everything it references.
  bool visit(std::size_t index) {
    if (marks[index] == Mark::kDone) return true;
    if (marks[index] == Mark::kVisiting) {
      describe_cycle(index);
      return false;
    }
    marks[index] = Mark::kVisiting;
    path.push_back(index);
    for (const auto& [placeholder, resource] : workflows[index].spec->substitutions) {
      if (resource.kind != ResourceRef::Kind::kStateMachine) continue;
      const auto it = index_of.find(resource.name);
      if (it != index_of.end() && !visit(it->second)) return false;
    }
    path.pop_back();
    marks[index] = Mark::kDone;
    result.order.push_back(index);
    return true;
  }

  void describe_cycle(std::size_t again) {
    std::size_t start = 0;
    while (start < path.size() && path[start] != again) ++start;
    for (std::size_t i = start; i < path.size(); ++i) {
      result.cycle += workflows[path[i]].spec->name + " -> ";
    }
    result.cycle += workflows[again].spec->name;
  }
};

}  // namespace

WorkflowOrder deployment_order(const std::vector<ResolvedWorkflow>& workflows) {
  Sorter sorter{workflows, {}, std::vector<Mark>(workflows.size(), Mark::kNone), {}, {}};
  for (std::size_t i = 0; i < workflows.size(); ++i) sorter.index_of[workflows[i].spec->name] = i;
  for (std::size_t i = 0; i < workflows.size(); ++i) {
    if (!sorter.visit(i)) {
      sorter.result.order.clear();
      return sorter.result;
    }
  }
  return sorter.result;
}

}  // namespace loveless::scenario::detail
