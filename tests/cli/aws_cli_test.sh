#!/usr/bin/env bash
# Drives `loveless serve` with the AWS CLI (Debian's awscli, /usr/bin/aws):
# every operation docs/engine.md lists, each in one function below, checked
# with jq. Usage: aws_cli_test.sh LOVELESS_BINARY [SDK_TEST_DIR]
#
# Debian's CLI (2.9.19) predates ValidateStateMachineDefinition, TestState and
# RedriveExecution: when SDK_TEST_DIR/node_modules/aws-sdk (npm, scripts/setup
# --with-test-tools) is there, the CLI gets that package's newer service model
# through AWS_DATA_PATH (expand_model.py names its inline shapes for botocore);
# otherwise those calls are skipped with a message.
# StartSyncExecution goes through plugin/loveless_sync_host.py (its `sync-`
# host prefix would not resolve). Prints LOVELESS-SKIP (reported as skipped)
# when the CLI is missing, unless LOVELESS_REQUIRE_TOOLS=1.
set -uo pipefail

loveless=${1:?usage: aws_cli_test.sh LOVELESS_BINARY [SDK_TEST_DIR]}
sdk_dir=${2:-$(dirname "$0")/../sdk}
here=$(cd "$(dirname "$0")" && pwd)
aws=/usr/bin/aws  # not another aws on PATH (pyenv's): the Debian package is what setup installs

need_tool() {
  local message="the AWS CLI test needs $1: run scripts/setup --with-test-tools"
  if [[ ${LOVELESS_REQUIRE_TOOLS:-} == 1 ]]; then
    echo "FAIL: $message"
    exit 1
  fi
  echo "LOVELESS-SKIP: $message"
  exit 0
}
[[ -x $aws ]] || need_tool "Debian's awscli (/usr/bin/aws)"
command -v jq >/dev/null || need_tool "jq"

work=$(mktemp -d)
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$loveless" serve --port 0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
url=
for _ in $(seq 100); do
  url=$(grep -o 'http://[0-9.:]*' "$work/serve.out" 2>/dev/null | head -1)
  [[ -n $url ]] && break
  sleep 0.1
done
if [[ -z $url ]]; then
  echo "FAIL: loveless serve printed no URL"
  cat "$work/serve.err"
  exit 1
fi

# A CLI that knows only what we give it: no user config, no pager, any credentials.
cat >"$work/config" <<EOF
[default]
region = us-east-1
output = json
cli_pager =
[plugins]
cli_legacy_plugin_path = $here/plugin
loveless_sync_host = loveless_sync_host
EOF
export AWS_CONFIG_FILE=$work/config AWS_SHARED_CREDENTIALS_FILE=$work/credentials
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 AWS_PAGER=
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SFN AWS_DATA_PATH

newer_model=$sdk_dir/node_modules/aws-sdk/apis/states-2016-11-23.min.json
if [[ -f $newer_model ]]; then
  mkdir -p "$work/models/stepfunctions/2016-11-23"
  python3 "$here/expand_model.py" "$newer_model" \
    "$work/models/stepfunctions/2016-11-23/service-2.json" || exit 1
  export AWS_DATA_PATH=$work/models
fi

failures=0
passed=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
sfn() { "$aws" stepfunctions --endpoint-url "$url" "$@"; }
# call NAME ARGS...: runs `aws stepfunctions ARGS`, leaves its stdout in $out.
call() {
  local name=$1
  shift
  if ! out=$(sfn "$@" 2>"$work/stderr"); then
    fail "$name: aws stepfunctions $1 failed: $(cat "$work/stderr")"
    return 1
  fi
}
# check NAME JQ_FILTER: the last call's output satisfies the filter.
check() {
  if jq -e "$2" >/dev/null 2>&1 <<<"$out"; then
    passed=$((passed + 1))
  else
    fail "$1: expected $2 in: $out"
  fi
}
# expect_error NAME ERROR_CODE ARGS...: the call fails with that error code.
expect_error() {
  local name=$1 code=$2
  shift 2
  if sfn "$@" >/dev/null 2>"$work/stderr"; then
    fail "$name: expected $code, the call succeeded"
  elif grep -q "($code)" "$work/stderr"; then
    passed=$((passed + 1))
  else
    fail "$name: expected $code, got: $(cat "$work/stderr")"
  fi
}
# wait_for_status EXECUTION_ARN STATUS: polls DescribeExecution for up to 5 s.
wait_for_status() {
  for _ in $(seq 50); do
    [[ $(sfn describe-execution --execution-arn "$1" | jq -r .status) == "$2" ]] && return
    sleep 0.1
  done
}
# has_operation CLI_COMMAND: the CLI's model knows the command.
has_operation() { "$aws" stepfunctions help 2>/dev/null | grep -q -- "$1"; }
# Operations newer than Debian's CLI: without the npm model they cannot be
# called at all, which CI (LOVELESS_REQUIRE_TOOLS=1) counts as a failure.
need_newer_model() {
  has_operation "$1" && return 0
  if [[ ${LOVELESS_REQUIRE_TOOLS:-} == 1 ]]; then
    fail "$1: this CLI's model lacks it: run scripts/setup --with-test-tools (npm aws-sdk)"
  else
    echo "SKIP: $1: this CLI's model lacks it (npm aws-sdk missing)"
  fi
  return 1
}

account=123456789012
activity_definition() {
  printf '{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","TimeoutSeconds":60,"End":true}}}' "$1"
}
pass_definition='{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"done":true},"End":true}}}'
role=arn:aws:iam::$account:role/loveless-cli-test
log_group=arn:aws:logs:us-east-1:$account:log-group:cli-test:*

op_create_activity() {
  call create-activity create-activity --name resize --tags key=team,value=media || return
  check create-activity '.activityArn == "arn:aws:states:us-east-1:'$account':activity:resize"'
  activity=$(jq -r .activityArn <<<"$out")
}
op_describe_activity() {
  call describe-activity describe-activity --activity-arn "$activity" || return
  check describe-activity '.name == "resize" and (.creationDate | type == "string")'
}
op_list_activities() {
  call list-activities list-activities || return
  check list-activities '.activities | length == 1'
}
op_create_state_machine() {
  call create-state-machine create-state-machine --name cli-orders --role-arn "$role" \
    --definition "$(activity_definition "$activity")" \
    --tags key=team,value=payments \
    --logging-configuration "level=ALL,includeExecutionData=true,destinations=[{cloudWatchLogsLogGroup={logGroupArn=$log_group}}]" \
    --tracing-configuration enabled=true || return
  check create-state-machine '.stateMachineArn | endswith(":stateMachine:cli-orders")'
  machine=$(jq -r .stateMachineArn <<<"$out")
  expect_error create-state-machine InvalidDefinition create-state-machine --name bad \
    --role-arn "$role" --definition '{"StartAt":"Nowhere","States":{}}'
  expect_error create-state-machine InvalidLoggingConfiguration create-state-machine --name bad \
    --role-arn "$role" --definition "$pass_definition" --logging-configuration level=ALL
}
op_describe_state_machine() {
  call describe-state-machine describe-state-machine --state-machine-arn "$machine" || return
  check describe-state-machine '.status == "ACTIVE" and .type == "STANDARD"'
  check describe-state-machine '.loggingConfiguration.level == "ALL" and .loggingConfiguration.includeExecutionData'
  check describe-state-machine '.tracingConfiguration.enabled == true'
  expect_error describe-state-machine StateMachineDoesNotExist describe-state-machine \
    --state-machine-arn "arn:aws:states:us-east-1:$account:stateMachine:missing"
}
op_list_state_machines() {
  call list-state-machines list-state-machines || return
  check list-state-machines '[.stateMachines[].name] == ["cli-orders"]'
}
op_tag_resource() {
  call tag-resource tag-resource --resource-arn "$machine" --tags key=stage,value=test || return
  expect_error tag-resource ResourceNotFound tag-resource \
    --resource-arn "arn:aws:states:us-east-1:$account:stateMachine:missing" --tags key=a,value=b
}
op_untag_resource() {
  call untag-resource untag-resource --resource-arn "$machine" --tag-keys team
}
op_list_tags_for_resource() {
  call list-tags-for-resource list-tags-for-resource --resource-arn "$machine" || return
  check list-tags-for-resource '.tags == [{"key": "stage", "value": "test"}]'
  call list-tags-for-resource list-tags-for-resource --resource-arn "$activity" || return
  check list-tags-for-resource '.tags == [{"key": "team", "value": "media"}]'
}
op_validate_state_machine_definition() {
  need_newer_model validate-state-machine-definition || return
  call validate-state-machine-definition validate-state-machine-definition \
    --definition "$pass_definition" || return
  check validate-state-machine-definition '.result == "OK" and .diagnostics == []'
  call validate-state-machine-definition validate-state-machine-definition \
    --definition '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}' || return
  check validate-state-machine-definition '.result == "FAIL" and .diagnostics[0].location == "/States/A/Next"'
}
op_start_execution() {
  call start-execution start-execution --state-machine-arn "$machine" --name first \
    --input '{"size":3}' || return
  check start-execution '.executionArn | endswith(":execution:cli-orders:first")'
  execution=$(jq -r .executionArn <<<"$out")
}
op_get_activity_task() {
  call get-activity-task get-activity-task --activity-arn "$activity" --worker-name cli-worker || return
  check get-activity-task '(.input | fromjson) == {"size": 3} and (.taskToken | length > 0)'
  token=$(jq -r .taskToken <<<"$out")
}
op_send_task_heartbeat() {
  call send-task-heartbeat send-task-heartbeat --task-token "$token" || return
  expect_error send-task-heartbeat InvalidToken send-task-heartbeat --task-token nonsense
}
op_send_task_success() {
  call send-task-success send-task-success --task-token "$token" --task-output '{"resized":true}' || return
  expect_error send-task-success TaskTimedOut send-task-success --task-token "$token" --task-output '{}'
}
op_describe_execution() {
  call describe-execution describe-execution --execution-arn "$execution" || return
  check describe-execution '.status == "SUCCEEDED" and (.output | fromjson) == {"resized": true}'
}
op_get_execution_history() {
  call get-execution-history get-execution-history --execution-arn "$execution" || return
  check get-execution-history '[.events[].type] | index("ActivityStarted") != null'
  check get-execution-history '.events[] | select(.type == "ActivityStarted") | .activityStartedEventDetails.workerName == "cli-worker"'
}
op_send_task_failure() {
  call start-execution start-execution --state-machine-arn "$machine" --name second || return
  local failing=$(jq -r .executionArn <<<"$out")
  call get-activity-task get-activity-task --activity-arn "$activity" || return
  call send-task-failure send-task-failure --task-token "$(jq -r .taskToken <<<"$out")" \
    --error Resize.Broken --cause "no pixels" || return
  call describe-execution describe-execution --execution-arn "$failing" || return
  check send-task-failure '.status == "FAILED" and .error == "Resize.Broken" and .cause == "no pixels"'
}
op_stop_execution() {
  call start-execution start-execution --state-machine-arn "$machine" --name third || return
  local running=$(jq -r .executionArn <<<"$out")
  call stop-execution stop-execution --execution-arn "$running" --error Stop.Test || return
  check stop-execution '.stopDate | type == "string"'
  call describe-execution describe-execution --execution-arn "$running" || return
  check stop-execution '.status == "ABORTED"'
}
op_list_executions() {
  call list-executions list-executions --state-machine-arn "$machine" || return
  check list-executions '[.executions[].name] == ["third", "second", "first"]'
  call list-executions list-executions --state-machine-arn "$machine" --status-filter SUCCEEDED || return
  check list-executions '[.executions[].name] == ["first"]'
}
op_update_state_machine() {
  call update-state-machine update-state-machine --state-machine-arn "$machine" \
    --definition "$pass_definition" || return
  check update-state-machine '(.revisionId | length) == 36'
}
op_describe_state_machine_for_execution() {
  call describe-state-machine-for-execution describe-state-machine-for-execution \
    --execution-arn "$execution" || return
  # The definition the execution ran, not the update's.
  check describe-state-machine-for-execution '(.definition | fromjson).States.Work.Type == "Task"'
  check describe-state-machine-for-execution '.loggingConfiguration.level == "ALL"'
}
op_publish_state_machine_version() {
  need_newer_model publish-state-machine-version || return
  call create-state-machine create-state-machine --name cli-versions --role-arn "$role" \
    --definition '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}}' \
    --publish --version-description first || return
  versioned=$(jq -r .stateMachineArn <<<"$out")
  check create-state-machine '.stateMachineVersionArn == "'"$versioned"':1"'
  call update-state-machine update-state-machine --state-machine-arn "$versioned" --publish \
    --definition '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":2,"End":true}}}' || return
  check update-state-machine '.stateMachineVersionArn == "'"$versioned"':2"'
  call publish-state-machine-version publish-state-machine-version \
    --state-machine-arn "$versioned" || return
  check publish-state-machine-version '.stateMachineVersionArn == "'"$versioned"':2"'
  call list-state-machine-versions list-state-machine-versions \
    --state-machine-arn "$versioned" || return
  check list-state-machine-versions '[.stateMachineVersions[].stateMachineVersionArn] == ["'"$versioned"':2", "'"$versioned"':1"]'
  call describe-state-machine describe-state-machine --state-machine-arn "$versioned:1" || return
  check describe-state-machine '.description == "first" and (.definition | fromjson).States.P.Result == 1'
}
op_create_state_machine_alias() {
  need_newer_model create-state-machine-alias || return
  call create-state-machine-alias create-state-machine-alias --name live \
    --routing-configuration '[{"stateMachineVersionArn": "'"$versioned"':1", "weight": 100}]' || return
  check create-state-machine-alias '.stateMachineAliasArn == "'"$versioned"':live"'
  call start-execution start-execution --state-machine-arn "$versioned:live" --name via-alias || return
  local through_alias=$(jq -r .executionArn <<<"$out")
  wait_for_status "$through_alias" SUCCEEDED
  call describe-execution describe-execution --execution-arn "$through_alias" || return
  check describe-execution '.stateMachineAliasArn == "'"$versioned"':live" and .stateMachineVersionArn == "'"$versioned"':1" and .output == "1"'
  call update-state-machine-alias update-state-machine-alias --state-machine-alias-arn "$versioned:live" \
    --routing-configuration '[{"stateMachineVersionArn": "'"$versioned"':2", "weight": 100}]' || return
  call describe-state-machine-alias describe-state-machine-alias \
    --state-machine-alias-arn "$versioned:live" || return
  check describe-state-machine-alias '.routingConfiguration == [{"stateMachineVersionArn": "'"$versioned"':2", "weight": 100}]'
  call list-state-machine-aliases list-state-machine-aliases --state-machine-arn "$versioned" || return
  check list-state-machine-aliases '[.stateMachineAliases[].stateMachineAliasArn] == ["'"$versioned"':live"]'
  expect_error delete-state-machine-version ConflictException delete-state-machine-version \
    --state-machine-version-arn "$versioned:2"
  call delete-state-machine-alias delete-state-machine-alias --state-machine-alias-arn "$versioned:live" || return
  call delete-state-machine-version delete-state-machine-version \
    --state-machine-version-arn "$versioned:2" || return
  call list-state-machine-versions list-state-machine-versions --state-machine-arn "$versioned" || return
  check delete-state-machine-version '[.stateMachineVersions[].stateMachineVersionArn] == ["'"$versioned"':1"]'
  sfn delete-state-machine --state-machine-arn "$versioned" >/dev/null
}
op_list_map_runs() {
  local map_definition='{"StartAt":"M","States":{"M":{"Type":"Map","Label":"Pages","ToleratedFailureCount":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}'
  call create-state-machine create-state-machine --name cli-pages --role-arn "$role" \
    --definition "$map_definition" || return
  local pages=$(jq -r .stateMachineArn <<<"$out")
  call start-execution start-execution --state-machine-arn "$pages" --input '[1,2,3]' || return
  map_execution=$(jq -r .executionArn <<<"$out")
  call list-map-runs list-map-runs --execution-arn "$map_execution" || return
  check list-map-runs '(.mapRuns | length) == 1 and (.mapRuns[0].mapRunArn | contains(":mapRun:cli-pages/Pages:"))'
  map_run=$(jq -r .mapRuns[0].mapRunArn <<<"$out")
}
op_describe_map_run() {
  call describe-map-run describe-map-run --map-run-arn "$map_run" || return
  check describe-map-run '.status == "SUCCEEDED" and .executionArn == "'"$map_execution"'"'
  check describe-map-run '.executionCounts.succeeded == 3 and .executionCounts.total == 3 and .toleratedFailureCount == 1'
  expect_error describe-map-run ResourceNotFound describe-map-run \
    --map-run-arn "${map_run%:*}:00000000-0000-4000-8000-000000000000"
  expect_error describe-map-run InvalidArn describe-map-run --map-run-arn arn:aws:states:nowhere
  # The Map Run's children: listed by its ARN, each described with its own history.
  call list-executions list-executions --map-run-arn "$map_run" || return
  check list-executions '(.executions | length) == 3 and all(.executions[]; .status == "SUCCEEDED")'
  check list-executions '.executions[0].executionArn | contains(":execution:cli-pages/Pages:")'
  local child=$(jq -r .executions[0].executionArn <<<"$out")
  local listed=$(jq -c '[.executions[].executionArn]' <<<"$out")
  # One child a page: the CLI follows nextToken through the same three, in order.
  call list-executions list-executions --map-run-arn "$map_run" --page-size 1 || return
  check list-executions '[.executions[].executionArn] == '"$listed"
  call list-map-runs list-map-runs --execution-arn "$map_execution" --page-size 1 || return
  check list-map-runs '(.mapRuns | length) == 1'
  call describe-execution describe-execution --execution-arn "$child" || return
  check describe-execution '.mapRunArn == "'"$map_run"'" and ((.output | fromjson) | type) == "number"'
  call get-execution-history get-execution-history --execution-arn "$child" || return
  check get-execution-history '[.events[].type] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]'
  # No child execution is ever pending a redrive.
  call list-executions list-executions --map-run-arn "$map_run" --status-filter PENDING_REDRIVE || return
  check list-executions '(.executions | length) == 0'
}
op_start_sync_execution() {
  call create-state-machine create-state-machine --name cli-express --type EXPRESS \
    --role-arn "$role" --definition "$pass_definition" || return
  local express=$(jq -r .stateMachineArn <<<"$out")
  call start-sync-execution start-sync-execution --state-machine-arn "$express" --input '{}' || return
  check start-sync-execution '.status == "SUCCEEDED" and (.output | fromjson) == {"done": true}'
  check start-sync-execution '.billingDetails.billedMemoryUsedInMB == 64'
  check start-sync-execution '.executionArn | contains(":express:cli-express:")'
  expect_error start-sync-execution StateMachineTypeNotSupported start-sync-execution \
    --state-machine-arn "$machine"
  # Without the plugin, the engine as the CLI's HTTP proxy (docs/engine.md).
  printf '[default]\nregion = us-east-1\noutput = json\n' >"$work/config-no-plugin"
  if out=$(AWS_CONFIG_FILE=$work/config-no-plugin HTTP_PROXY=$url NO_PROXY= no_proxy= \
    sfn start-sync-execution --state-machine-arn "$express" 2>"$work/stderr"); then
    check start-sync-execution-through-proxy '.status == "SUCCEEDED"'
  else
    fail "start-sync-execution through HTTP_PROXY: $(cat "$work/stderr")"
  fi
  # Asynchronous express: started, but not served by the execution APIs (as on AWS).
  call start-execution start-execution --state-machine-arn "$express" || return
  expect_error start-execution InvalidArn describe-execution \
    --execution-arn "$(jq -r .executionArn <<<"$out")"
}
op_redrive_execution() {
  need_newer_model redrive-execution || return
  # A SUCCEEDED execution cannot be redriven.
  expect_error redrive-execution ExecutionNotRedrivable redrive-execution --execution-arn "$execution"
  # A FAILED one reruns from the failed state: same ARN, redriveCount 1.
  call create-state-machine create-state-machine --name cli-fails --role-arn "$role" \
    --definition '{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom"}}}' || return
  local failing=$(jq -r .stateMachineArn <<<"$out")
  call start-execution start-execution --state-machine-arn "$failing" --name once || return
  local failed=$(jq -r .executionArn <<<"$out")
  wait_for_status "$failed" FAILED
  call redrive-execution redrive-execution --execution-arn "$failed" || return
  check redrive-execution '.redriveDate != null'
  wait_for_status "$failed" FAILED
  call describe-execution describe-execution --execution-arn "$failed" || return
  check redrive-execution '.redriveCount == 1 and .status == "FAILED" and .error == "Boom"'
  call get-execution-history get-execution-history --execution-arn "$failed" || return
  check redrive-execution '[.events[].type] | index("ExecutionRedriven") != null'
  sfn delete-state-machine --state-machine-arn "$failing" >/dev/null
}
op_test_state() {
  need_newer_model test-state || return
  call test-state test-state --definition '{"Type":"Pass","Result":{"x":1},"End":true}' \
    --role-arn "$role" --input '{}' || return
  check test-state '.status == "SUCCEEDED" and (.output | fromjson) == {"x": 1}'
  call test-state test-state --role-arn "$role" --input '{"a":1}' --inspection-level DEBUG \
    --definition '{"Type":"Pass","InputPath":"$.a","End":true}' || return
  check test-state '.inspectionData.afterInputPath | fromjson == 1'
}
op_delete_state_machine() {
  call delete-state-machine delete-state-machine --state-machine-arn "$machine" || return
  expect_error delete-state-machine StateMachineDoesNotExist describe-state-machine \
    --state-machine-arn "$machine"
}
op_delete_activity() {
  call delete-activity delete-activity --activity-arn "$activity" || return
  expect_error delete-activity ActivityDoesNotExist describe-activity --activity-arn "$activity"
}

# In order: later operations use what earlier ones created.
for operation in create_activity describe_activity list_activities create_state_machine \
  describe_state_machine list_state_machines tag_resource untag_resource list_tags_for_resource \
  validate_state_machine_definition start_execution get_activity_task send_task_heartbeat \
  send_task_success describe_execution get_execution_history send_task_failure stop_execution \
  list_executions list_map_runs describe_map_run update_state_machine \
  publish_state_machine_version create_state_machine_alias \
  describe_state_machine_for_execution \
  start_sync_execution redrive_execution test_state delete_state_machine delete_activity; do
  "op_$operation"
done

echo "aws cli: $passed checks passed, $failures failed ($("$aws" --version))"
[[ $failures -eq 0 ]]
