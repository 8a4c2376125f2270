// Filled in by the task derivation change (see task_derivation.hpp).
#include "loveless/scenario/task_derivation.hpp"
