#include "loveless/aws/retry.hpp"
