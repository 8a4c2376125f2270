#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "loveless/aws/service_client.hpp"

/// The CloudWatch call of the AWS stack: the states of the alarms a scenario
/// names as stop conditions (DescribeAlarms, Amazon CloudWatch API Reference,
/// docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
///
/// Protocol: CloudWatch was an awsQuery service (form-encoded POST, XML
/// answers) and now also speaks AWS JSON 1.0, which the current SDKs use:
/// `POST /`, `X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms`,
/// `Content-Type: application/x-amz-json-1.0`, signing name `monitoring`
/// (seen in the AWS SDK for .NET's marshallers and the JavaScript v3
/// client's command definitions). JSON 1.0 is used because our
/// `ServiceClient` speaks JSON and the answer needs no XML parser. Those
/// SDKs also send `X-Amz-Query-Mode: true`, which only asks for awsQuery
/// error codes in error answers; without it the JSON error names come back,
/// which is all we read.
namespace loveless::aws_api {

/// One alarm's state.
struct AlarmState {
  std::string name;
  std::string arn;
  std::string state;  ///< OK, ALARM or INSUFFICIENT_DATA
  std::string reason;
};

/// Typed CloudWatch calls over one `ServiceClient` (built with `aws::kCloudWatch`).
///
/// Errors: `aws::AwsError` (InvalidNextToken, throttling after the client's retries).
/// Thread-safety: every member may be called from any thread.
class CloudWatchApi {
 public:
  static constexpr const char* kTargetPrefix = "GraniteServiceVersion20100801";
  /// DescribeAlarms takes at most 100 alarm names per call.
  static constexpr std::size_t kNamesPerCall = 100;

  explicit CloudWatchApi(aws::ServiceClient client);

  /// DescribeAlarms `{"AlarmNames": [...], "AlarmTypes": ["MetricAlarm",
  /// "CompositeAlarm"]}`, 100 names per call, following `NextToken`. Returns
  /// the metric and composite alarms found, in the order CloudWatch answers;
  /// a name with no alarm is simply absent (CloudWatch reports no error).
  std::vector<AlarmState> alarm_states(const std::vector<std::string>& names);

 private:
  std::mutex mutex_;
  aws::ServiceClient client_;
};

}  // namespace loveless::aws_api
