#include "loveless/aws/service_client.hpp"
