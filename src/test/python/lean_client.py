#!/usr/bin/env python3
"""The benchmark's lean raw client: pod creates with nothing but Python's standard library.

One HTTPS connection per thread (kept alive), the same pod body and the same concurrency as the
JVM bare client; what it measures is how fast the API server takes creates, not how fast a client
makes them. Started by the benchmark (bench/LeanCreator.java), driven like RawCreator:

  lean_client.py <server-url> <ca-file|-> <cert-file|-> <key-file|-> <namespace> <pod-template.json>
                 <connections> <user-agent>
  (a bearer token, if the kubeconfig has one, comes in the environment variable LEAN_TOKEN)

then, on standard input, one command a line: "create <group> <count>" creates pods
<group>-0..count-1 labeled app.kubernetes.io/instance=<group> and app=<group>, and answers
"done <seconds> <code>:<count>,...". "groups <prefix> <groups> <size>" does the same for groups
<prefix>-0..groups-1 of size pods each, and first gives each group a ClusterIP Service of its name
selecting its pods (port 80), as a set with a Service has: the same objects as the operator's sets,
all queued at once. A 429 or 5xx is retried after its Retry-After (1 s without).
"""
import copy
import http.client
import json
import os
import queue
import ssl
import sys
import threading
import time
import urllib.parse


def main():
    url, ca, cert, key, ns, template_file, connections, agent = sys.argv[1:9]
    connections = int(connections)
    with open(template_file, encoding="utf-8") as f:
        template = json.load(f)
    target = urllib.parse.urlsplit(url)
    context = ssl.create_default_context(cafile=None if ca == "-" else ca)
    if ca == "-":
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if cert != "-":
        context.load_cert_chain(cert, None if key == "-" else key)
    headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": agent}
    token = os.environ.get("LEAN_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    pods_path = "/api/v1/namespaces/%s/pods" % ns
    services_path = "/api/v1/namespaces/%s/services" % ns
    work = queue.Queue()
    answers = queue.Queue()

    def worker():
        conn = None
        while True:
            item = work.get()
            if item is None:
                return
            path, body = item
            while True:
                try:
                    if conn is None:
                        conn = http.client.HTTPSConnection(target.hostname, target.port or 443, context=context)
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    code = response.status
                except (OSError, http.client.HTTPException):
                    conn = None
                    code = 0
                if code == 429 or code >= 500 or code == 0:
                    retry = response.getheader("Retry-After") if code else None
                    time.sleep(float(retry) if retry and retry.isdigit() else 1.0)
                    continue
                answers.put(code)
                break

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    def pod(group, name):
        body = copy.deepcopy(template)
        meta = body["metadata"]
        meta["name"] = name
        meta["namespace"] = ns
        meta.setdefault("labels", {})
        meta["labels"]["app.kubernetes.io/instance"] = group
        meta["labels"]["app"] = group
        return (pods_path, json.dumps(body, separators=(",", ":")).encode())

    def service(group):
        body = {"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": group, "namespace": ns, "labels": {"app.kubernetes.io/instance": group}},
                "spec": {"selector": {"app.kubernetes.io/instance": group},
                         "ports": [{"name": "http", "port": 80, "targetPort": 80}]}}
        return (services_path, json.dumps(body, separators=(",", ":")).encode())

    for line in sys.stdin:
        command = line.split()
        if len(command) == 3 and command[0] == "create":
            group, count = command[1], int(command[2])
            items = [pod(group, "%s-%d" % (group, i)) for i in range(count)]
        elif len(command) == 4 and command[0] == "groups":
            prefix, groups, size = command[1], int(command[2]), int(command[3])
            names = ["%s-%d" % (prefix, g) for g in range(groups)]
            items = [service(g) for g in names] + [pod(g, "%s-%d" % (g, i)) for g in names for i in range(size)]
        else:
            print("error: unknown command " + line.strip(), flush=True)
            continue
        t0 = time.monotonic()
        for item in items:
            work.put(item)
        codes = {}
        for _ in items:
            code = answers.get()
            codes[code] = codes.get(code, 0) + 1
        print("done %.3f %s" % (time.monotonic() - t0, ",".join("%d:%d" % kv for kv in sorted(codes.items()))),
              flush=True)
    for _ in threads:
        work.put(None)


if __name__ == "__main__":
    main()
