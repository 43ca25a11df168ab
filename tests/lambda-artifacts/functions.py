#!/usr/bin/env python3
"""Lists the template's Lambda functions as `LogicalId CodeUri ContextPath BuildMethod Architecture`, one per line.

template.yaml uses CloudFormation's short-form tags (!Ref, !Sub), which plain YAML loaders refuse; this reads only the
indentation structure it needs, so the check does not depend on a YAML package.
"""
import re
import sys

def main(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    globals_arch = None
    in_globals = False
    functions = []
    current = None
    section = None
    for line in lines:
        if re.match(r"^\S", line):
            in_globals = line.startswith("Globals:")
            section = line.rstrip(":")
            current = None
            continue
        if in_globals:
            m = re.match(r"^    Architectures:\s*\[(\w+)\]", line)
            if m:
                globals_arch = m.group(1)
            continue
        if section != "Resources":
            continue
        m = re.match(r"^  (\w+):\s*$", line)
        if m:
            current = {"id": m.group(1)}
            functions.append(current)
            continue
        if current is None:
            continue
        for key, pattern in (("type", r"^    Type:\s*(\S+)"), ("codeuri", r"^      CodeUri:\s*(\S+)"),
                             ("context", r"^      ContextPath:\s*(\S+)"), ("method", r"^      BuildMethod:\s*(\S+)"),
                             ("arch", r"^      Architectures:\s*\[(\w+)\]")):
            m = re.match(pattern, line)
            if m:
                current[key] = m.group(1)
    for f in functions:
        if f.get("type") == "AWS::Serverless::Function":
            print(f["id"], f.get("codeuri", "-"), f.get("context", "-"), f.get("method", "-"), f.get("arch", globals_arch or "x86_64"))

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "template.yaml")
