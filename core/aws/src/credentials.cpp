#include "loveless/aws/credentials.hpp"
