"""Captures the exact requests boto3 (Debian's python3-boto3) sends for each of the 16 DSQL operations, for DSQL
Local's replay test. botocore's DSQL model is placed in a temporary AWS_DATA_PATH, as the real-client suite does.

    python3 capture_boto3.py <scenario.json> <model-dir> <output.json>   (run by capture.sh)

boto3 talks to a recording server on 127.0.0.1 that answers every request 200 "{}" (only the requests matter here).
"""
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading

scenario_path, model_dir, output = sys.argv[1:4]
data = tempfile.mkdtemp(prefix="dsql-capture-")
target = os.path.join(data, "dsql", "2018-05-10")
os.makedirs(target)
for name in os.listdir(model_dir):
    if name.endswith(".json"):
        shutil.copy(os.path.join(model_dir, name), target)
os.environ["AWS_DATA_PATH"] = data

import boto3  # noqa: E402  (after AWS_DATA_PATH, which botocore reads when it loads models)
import botocore  # noqa: E402

captured = []
current = {"operation": None}


class Recorder(http.server.BaseHTTPRequestHandler):
    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        path, _, query = self.path.partition("?")
        captured.append({
            "operation": current["operation"],
            "method": self.command,
            "path": path,
            "query": query,
            "contentType": self.headers.get("Content-Type"),
            "headerNames": sorted(h.lower() for h in self.headers.keys()),
            "body": body,
        })
        payload = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = do_PUT = _record

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = boto3.client(
    "dsql",
    region_name="us-east-1",
    endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
    aws_access_key_id="AKIADSQLLOCALEXAMPLE",
    aws_secret_access_key="dsql-local-secret-access-key",
    config=botocore.config.Config(retries={"max_attempts": 1}),
)
with open(scenario_path) as f:
    scenario = json.load(f)
for step in scenario:
    current["operation"] = step["operation"]
    try:
        getattr(client, botocore.xform_name(step["operation"]))(**step["input"])
    except Exception:
        # The canned "{}" answer may not satisfy every parser; the request has been captured either way.
        if not any(c["operation"] == step["operation"] for c in captured):
            raise
server.shutdown()
shutil.rmtree(data)
with open(output, "w") as f:
    json.dump({"client": f"boto3 {boto3.__version__} / botocore {botocore.__version__}", "requests": captured}, f, indent=2)
    f.write("\n")
print(f"captured {len(captured)} requests into {output}")
