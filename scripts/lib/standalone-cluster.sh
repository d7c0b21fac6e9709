# shellcheck shell=bash
# A standalone Flink session cluster from the Maven jars the build already has (no Flink
# distribution): Flink's own runtime classes only, so connectors and our code come from the job
# jar as on a real cluster. Sourced by scripts/cluster-check, scripts/upgrade-check and others.
#
# Set before calling (defaults in brackets):
#   SC_ROOT        repository root (required; jobs/target/launcher.classpath must exist)
#   SC_WORK        a scratch directory the cluster may own (required): conf/, logs, checkpoints
#   SC_REST_PORT   [8090]  REST API and web upload
#   SC_RPC_PORT    [6123]  JobManager RPC
#   SC_SLOTS       [2]     task slots of the one TaskManager
#   SC_PARALLELISM [2]     parallelism.default
#   SC_RUN_PARALLELISM []  the parallelism of sc_run_jar* (flink run -p); unset: the REST handler's
#                          default, 1 (the cluster's parallelism.default does not apply over REST)
# Functions (all return non-zero on failure; the ones that print an id print only that id):
#   sc_classpath                  write $SC_WORK/cluster.cp, echo nothing
#   sc_write_config [YAML_LINE..] write $SC_WORK/conf/config.yaml (extra top-level YAML lines appended)
#   sc_start                      start a JobManager and a TaskManager in the background
#   sc_wait_ready [SECONDS]       wait until all slots are available (default 120 s)
#   sc_upload_jar JAR             echo the uploaded jar's id
#   sc_run_jar JAR_ID [ARG..]     run it, echo the job id
#   sc_run_jar_from_savepoint JAR_ID SAVEPOINT [ARG..]   the same, restored from a savepoint
#   sc_job_state JOB_ID           echo the job's state (RUNNING, FINISHED, ...)
#   sc_wait_job_state JOB_ID STATE [SECONDS]
#   sc_stop_with_savepoint JOB_ID DIR [SECONDS]          echo the savepoint's path
#   sc_stop                       kill what sc_start started (and what was added to SC_PIDS)
#   sc_cleanup                    sc_stop, then remove $SC_WORK
# Processes started here are recorded in the SC_PIDS array; add your own to have them stopped too.

SC_REST_PORT=${SC_REST_PORT:-8090}
SC_RPC_PORT=${SC_RPC_PORT:-6123}
SC_SLOTS=${SC_SLOTS:-2}
SC_PARALLELISM=${SC_PARALLELISM:-2}
[ -n "${SC_PIDS+x}" ] || SC_PIDS=()

# The JVM options Flink's distribution passes on Java 17 (env.java.opts.all).
SC_JAVA17_OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

sc_url() { echo "localhost:$SC_REST_PORT$1"; }

# Flink's runtime without our code, the Kafka client/server or the connectors.
sc_classpath() {
  tr ':' '\n' < "$SC_ROOT/jobs/target/launcher.classpath" \
    | grep -vE 'rightsizer|/org/apache/kafka/|flink-connector-kafka|flink-avro|/org/apache/avro/|picocli|jackson-dataformat-yaml|/org/yaml/snakeyaml/|scala|jose4j|argparse|jopt|yammer|re2j|pcollections|caffeine|hash4j|HdrHistogram|commons-validator|commons-digester|commons-beanutils' \
    | paste -sd: > "$SC_WORK/cluster.cp"
}

sc_write_config() {
  mkdir -p "$SC_WORK/conf"
  cat > "$SC_WORK/conf/config.yaml" <<YAML
jobmanager: {rpc: {address: localhost, port: $SC_RPC_PORT}, bind-host: localhost, memory: {process: {size: 1024m}}}
taskmanager: {bind-host: localhost, host: localhost, numberOfTaskSlots: $SC_SLOTS, memory: {process: {size: 2048m}}}
parallelism: {default: $SC_PARALLELISM}
rest: {address: localhost, port: $SC_REST_PORT}
execution: {checkpointing: {dir: "file://$SC_WORK/checkpoints"}}
YAML
  local line
  for line in "$@"; do echo "$line" >> "$SC_WORK/conf/config.yaml"; done
}

sc_start() {
  [ -f "$SC_WORK/cluster.cp" ] || sc_classpath
  [ -f "$SC_WORK/conf/config.yaml" ] || sc_write_config
  local cp log params tm_jvm tm_dyn
  cp=$(cat "$SC_WORK/cluster.cp")
  log="-Dlog4j.configurationFile=file://$SC_ROOT/jobs/target/classes/log4j2.properties"
  # shellcheck disable=SC2086
  java $SC_JAVA17_OPENS $log -Xmx700m -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$SC_WORK/conf" \
    > "$SC_WORK/jobmanager.log" 2>&1 &
  SC_PIDS+=($!)
  # A TaskManager started directly needs the memory and CPU settings the distribution computes.
  params=$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
    --configDir "$SC_WORK/conf" 2>/dev/null | grep BASH_JAVA_UTILS_EXEC_RESULT | sed 's/BASH_JAVA_UTILS_EXEC_RESULT://')
  tm_jvm=$(echo "$params" | head -1)
  tm_dyn=$(echo "$params" | tail -1)
  # shellcheck disable=SC2086
  java $SC_JAVA17_OPENS $log $tm_jvm -cp "$cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$SC_WORK/conf" $tm_dyn > "$SC_WORK/taskmanager.log" 2>&1 &
  SC_PIDS+=($!)
}

sc_wait_ready() {
  local secs=${1:-120} _
  for _ in $(seq 1 "$secs"); do
    curl -sf "$(sc_url /overview)" | grep -q "\"slots-available\":$SC_SLOTS" && return 0
    sleep 1
  done
  echo "standalone-cluster: no $SC_SLOTS free slots on REST port $SC_REST_PORT after $secs s" >&2
  return 1
}

sc_upload_jar() {
  curl -sf -X POST -F "jarfile=@$1" "$(sc_url /jars/upload)" \
    | sed 's/.*flink-web-upload\/\([^"]*\)".*/\1/'
}

# JSON string of one argument (backslashes and quotes escaped).
sc_json_string() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }

sc_run_request() {
  local savepoint=$1 body args="" a
  shift
  for a in "$@"; do args="$args${args:+,}$(sc_json_string "$a")"; done
  body="{\"programArgsList\":[$args]"
  [ -n "$savepoint" ] && body="$body,\"savepointPath\":$(sc_json_string "$savepoint")"
  # As flink run -p. Without it the REST handler runs the job at 1, not at parallelism.default.
  [ -n "${SC_RUN_PARALLELISM:-}" ] && body="$body,\"parallelism\":$SC_RUN_PARALLELISM"
  body="$body}"
  echo "$body"
}

sc_run_jar() {
  local jar_id=$1 out
  shift
  out=$(curl -sS -X POST -H 'Content-Type: application/json' -d "$(sc_run_request "" "$@")" \
    "$(sc_url "/jars/$jar_id/run")")
  echo "$out" | grep -q '"jobid"' || { echo "standalone-cluster: run failed: $out" >&2; return 1; }
  echo "$out" | sed 's/.*"jobid":"\([^"]*\)".*/\1/'
}

sc_run_jar_from_savepoint() {
  local jar_id=$1 savepoint=$2 out
  shift 2
  out=$(curl -sS -X POST -H 'Content-Type: application/json' \
    -d "$(sc_run_request "$savepoint" "$@")" "$(sc_url "/jars/$jar_id/run")")
  echo "$out" | grep -q '"jobid"' || { echo "standalone-cluster: run failed: $out" >&2; return 1; }
  echo "$out" | sed 's/.*"jobid":"\([^"]*\)".*/\1/'
}

sc_job_state() {
  curl -sf "$(sc_url "/jobs/$1")" | grep -o '"state":"[A-Z]*"' | head -1 | sed 's/"state":"\([A-Z]*\)"/\1/'
}

sc_wait_job_state() {
  local job=$1 want=$2 secs=${3:-60} _
  for _ in $(seq 1 "$secs"); do
    [ "$(sc_job_state "$job")" = "$want" ] && return 0
    sleep 1
  done
  echo "standalone-cluster: job $job not $want after $secs s (is $(sc_job_state "$job"))" >&2
  return 1
}

# Stops the job with a savepoint (POST /jobs/<id>/stop) and polls the trigger until it completes.
sc_stop_with_savepoint() {
  local job=$1 dir=$2 secs=${3:-120} trigger out _
  trigger=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"targetDirectory\":$(sc_json_string "$dir"),\"drain\":false}" \
    "$(sc_url "/jobs/$job/stop")" | sed 's/.*"request-id":"\([^"]*\)".*/\1/')
  [ -n "$trigger" ] || { echo "standalone-cluster: stop of $job not accepted" >&2; return 1; }
  for _ in $(seq 1 "$secs"); do
    out=$(curl -sf "$(sc_url "/jobs/$job/savepoints/$trigger")" || true)
    if echo "$out" | grep -q '"id":"COMPLETED"'; then
      if echo "$out" | grep -q '"location"'; then
        echo "$out" | sed 's/.*"location":"\([^"]*\)".*/\1/'
        return 0
      fi
      echo "standalone-cluster: savepoint of $job failed: $out" >&2
      return 1
    fi
    sleep 1
  done
  echo "standalone-cluster: savepoint of $job not done after $secs s" >&2
  return 1
}

sc_stop() {
  local p
  for p in "${SC_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${SC_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  SC_PIDS=()
}

sc_cleanup() {
  sc_stop
  [ -n "${SC_WORK:-}" ] && rm -rf "$SC_WORK"
}

# Starts one more TaskManager (after one was killed): records its pid in SC_PIDS and SC_TM_PID;
# its log is appended to $SC_WORK/taskmanager.log.
sc_start_taskmanager() {
  local cp log params tm_jvm tm_dyn
  cp=$(cat "$SC_WORK/cluster.cp")
  log="-Dlog4j.configurationFile=file://$SC_ROOT/jobs/target/classes/log4j2.properties"
  params=$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS \
    --configDir "$SC_WORK/conf" 2>/dev/null | grep BASH_JAVA_UTILS_EXEC_RESULT | sed 's/BASH_JAVA_UTILS_EXEC_RESULT://')
  tm_jvm=$(echo "$params" | head -1)
  tm_dyn=$(echo "$params" | tail -1)
  # shellcheck disable=SC2086
  java $SC_JAVA17_OPENS $log $tm_jvm -cp "$cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$SC_WORK/conf" $tm_dyn >> "$SC_WORK/taskmanager.log" 2>&1 &
  SC_TM_PID=$!
  SC_PIDS+=($SC_TM_PID)
}
