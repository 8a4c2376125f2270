#include "loveless/aws/region.hpp"
