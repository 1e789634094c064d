#!/usr/bin/env python3
"""Driver of scripts/benchmark-controller: creates the BackupPolicies and waits for their CronJobs.

It uses one keep-alive HTTP connection for the creates (curl per policy costs a process each, which on a 2-core box
takes seconds of CPU away from the controller being measured) and one watch on CronJobs to see them appear (polling a
list of thousands of CronJobs would make the API server serialise them over and over). The clock runs from the first
create to the moment the last expected CronJob is seen on the watch; a final list checks that every policy has exactly
the expected number of CronJobs.

Usage: benchmark-controller-driver.py URL NAMESPACE N PER_POLICY CONTROLLER_PID APISERVER_PID
Prints `key value` lines for the shell script.
"""
import http.client
import json
import os
import resource
import sys
import threading
import time
import urllib.parse

url, namespace, count, per_policy, controller_pid, apiserver_pid = sys.argv[1:7]
count, per_policy = int(count), int(per_policy)
parsed = urllib.parse.urlparse(url)
ticks = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime (fields 14 and 15 of the whole line)


def connection():
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)


def policy(i):
    return {
        "apiVersion": "lifeboat.dev/v1alpha1", "kind": "BackupPolicy", "metadata": {"name": f"bp-{i:05d}"},
        "spec": {
            "server": {"host": "db", "databases": ["app"], "user": "backup", "credentials": {"name": "pg"}, "tls": {"sslMode": "require"}},
            "repository": {"s3": {"bucket": "b", "prefix": f"p{i}", "region": "us-east-1", "credentialsSecret": {"name": "s3"}}},
            "schedules": {"logical": {"schedule": "@daily-random"}},
            "retention": {"daily": 7},
        },
    }


cronjobs_path = f"/apis/batch/v1/namespaces/{namespace}/cronjobs"
conn = connection()
conn.request("GET", cronjobs_path)
listed = json.loads(conn.getresponse().read())
start_rv = listed["metadata"]["resourceVersion"]

expected = count * per_policy
seen = set()
all_seen = threading.Event()
done_at = [None]
watch_error = []


def watch():
    try:
        w = connection()
        w.request("GET", f"{cronjobs_path}?watch=1&resourceVersion={start_rv}&timeoutSeconds=600")
        response = w.getresponse()
        for line in response:
            line = line.strip()
            if not line:
                continue
            event = json.loads(line)
            if event["type"] == "ADDED":
                seen.add(event["object"]["metadata"]["name"])
                if len(seen) >= expected:
                    done_at[0] = time.monotonic()
                    all_seen.set()
                    return
            elif event["type"] == "ERROR":
                watch_error.append(event["object"].get("message", "watch error"))
                all_seen.set()
                return
    except Exception as error:  # reported by the main thread
        watch_error.append(str(error))
        all_seen.set()


watcher = threading.Thread(target=watch, daemon=True)
watcher.start()
time.sleep(0.2)  # the watch request is on the server before the first create

controller_cpu_0, apiserver_cpu_0 = cpu_seconds(controller_pid), cpu_seconds(apiserver_pid)
self_0 = resource.getrusage(resource.RUSAGE_SELF)
start = time.monotonic()
path = f"/apis/lifeboat.dev/v1alpha1/namespaces/{namespace}/backuppolicies"
for i in range(1, count + 1):
    conn.request("POST", path, body=json.dumps(policy(i)), headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 201:
        sys.exit(f"creating bp-{i:05d} failed: HTTP {response.status} {body[:300]!r}")
created_at = time.monotonic()
self_1 = resource.getrusage(resource.RUSAGE_SELF)

if not all_seen.wait(timeout=300):
    sys.exit(f"timed out with {len(seen)} of {expected} CronJobs")
if watch_error:
    sys.exit(f"the CronJob watch failed: {watch_error[0]}")
controller_cpu_1, apiserver_cpu_1 = cpu_seconds(controller_pid), cpu_seconds(apiserver_pid)

# Every policy has exactly PER_POLICY CronJobs (checked after the clock stopped).
conn.request("GET", cronjobs_path)
items = json.loads(conn.getresponse().read())["items"]
per = {}
for item in items:
    owner = item["metadata"].get("labels", {}).get("lifeboat.dev/policy")
    per[owner] = per.get(owner, 0) + 1
wrong = {k: v for k, v in per.items() if v != per_policy}
if len(per) != count or wrong:
    sys.exit(f"expected {per_policy} CronJobs for each of {count} policies, found {len(per)} policies, wrong counts: {list(wrong.items())[:5]}")

print(f"elapsed {done_at[0] - start:.2f}")
print(f"create {created_at - start:.2f}")
print(f"create_cpu {(self_1.ru_utime + self_1.ru_stime) - (self_0.ru_utime + self_0.ru_stime):.2f}")
print(f"controller_cpu_window {controller_cpu_1 - controller_cpu_0:.2f}")
print(f"apiserver_cpu_window {apiserver_cpu_1 - apiserver_cpu_0:.2f}")
print(f"cronjobs {len(items)}")
